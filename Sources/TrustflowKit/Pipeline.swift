public import Model
public import Policy
public import Render

/// What `trustflow build` produces from a content folder: every generated file, in memory.
///
/// Pure apart from reading content (and, for reuse of unchanged renders, the previous output): writing is
/// `OutputDirectory`'s job, so `build --check` and tests run the same code as a real build.
public struct Pipeline: Sendable {
    public struct Options: Sendable {
        public var theme: String?
        public init(theme: String? = nil) { self.theme = theme }
    }

    public var options: Options

    public init(options: Options = Options()) {
        self.options = options
    }

    /// Loads the content; throws `DiagnosticList` when it is unusable.
    public func load(contentDirectory: String) throws(DiagnosticList) -> Model {
        try ModelLoader.load(contentDirectory: contentDirectory)
    }

    /// Every output file for `model`, sorted by path.
    public func generate(_ model: Model) throws -> [OutputFile] {
        var files: [OutputFile] = []
        files += PolicyFiles.render(model)
        files.append(ModelSummary.render(model))
        files += try guide(model, generated: files)
        return files.sorted { $0.path < $1.path }
    }

    /// `guide.md` and `site/`: the prose (or the default guide) with the other renderers' outputs embedded.
    /// Diagrams are picked up from the files generated before the guide (`diagrams/*.svg`).
    func guide(_ model: Model, generated: [OutputFile]) throws -> [OutputFile] {
        var diagrams: [String: [UInt8]] = [:]
        for file in generated where file.path.hasPrefix("diagrams/") && file.path.hasSuffix(".svg") {
            diagrams[String(file.path.dropFirst("diagrams/".count))] = file.bytes
        }
        let pages = try GuideContent.load(contentDirectory: model.contentDirectory)
        // Merge point: pass the snippets renderer's Swift text per option id as `snippets`; until then the guide names
        // the missing snippet. The engine's proof of every step is wired in.
        let inputs = GuideInputs(model: model, proof: Prover.prove(model), diagrams: diagrams, snippets: nil, pages: pages)
        return try Guide.render(inputs)
    }
}
