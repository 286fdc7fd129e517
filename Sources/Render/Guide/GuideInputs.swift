public import Model
public import Resolution

/// Everything the guide is generated from. Only the model is required: its resolution is worked out when not given;
/// the diagrams and the snippets come from other renderers and the guide says so, readably, where one is absent.
public struct GuideInputs: Sendable {
    public var model: Model
    /// Every step resolved: the guide's verdicts, causes, policies and messages all come from it.
    public var resolution: ModelResolution
    /// Diagram SVGs by file name (`overview.svg`, `<option-id>-architecture.svg`, `<option-id>-flow.svg`, `<option-id>-step-<N>.svg`).
    public var diagrams: [String: [UInt8]]
    /// The Swift source of each option's snippet, by option id, shown byte for byte.
    public var snippets: [String: String]?
    /// The Python twin of each option's snippet, by option id, shown byte for byte beside the Swift.
    public var pythonSnippets: [String: String]?
    /// The prose pages (`content/guide/*.md`) in order; `nil` writes the default guide from the model alone.
    public var pages: [GuideSource]?

    public init(model: Model, resolution: ModelResolution? = nil, diagrams: [String: [UInt8]] = [:], snippets: [String: String]? = nil, pythonSnippets: [String: String]? = nil,
        pages: [GuideSource]? = nil
    ) {
        self.pythonSnippets = pythonSnippets
        self.model = model
        self.resolution = resolution ?? Resolver.resolve(model)
        self.diagrams = diagrams
        self.snippets = snippets
        self.pages = pages
    }
}

/// One prose file of the guide.
public struct GuideSource: Sendable, Hashable {
    /// The path as shown in diagnostics (`content/guide/10-trusted-role.md`).
    public var path: String
    /// The page's name in the site (`index`, `trusted-role`): the file name without numeric prefix and extension.
    public var name: String
    public var text: String

    public init(path: String, name: String, text: String) {
        self.path = path
        self.name = name
        self.text = text
    }

    /// `10-trusted-role.md` → `trusted-role`; the first page of a guide is always `index`.
    public static func pageName(fileName: String) -> String {
        var stem = fileName.hasSuffix(".md") ? String(fileName.dropLast(3)) : fileName
        if let dash = stem.firstIndex(of: "-"), stem[..<dash].allSatisfy(\.isNumber), !stem[..<dash].isEmpty {
            stem = String(stem[stem.index(after: dash)...])
        }
        return safeName(stem)
    }

    /// Letters, digits, `-` and `_` only, so a page name is always one file inside `site/`.
    public static func safeName(_ text: String) -> String {
        let safe = text.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") ? $0 : "-" }
        return safe.isEmpty ? "page" : String(safe)
    }
}
