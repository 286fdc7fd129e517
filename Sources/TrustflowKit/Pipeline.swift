public import Model
import Policy
public import Render
public import Resolution
public import Source

/// What `trustflow build` produces from a content folder: every generated file, in memory.
///
/// Pure apart from reading content (and, for reuse of unchanged renders, the previous output): writing is
/// `OutputDirectory`'s job, so `build --check` and tests run the same code as a real build.
public struct Pipeline: Sendable {
    public struct Options: Sendable {
        /// The diagram theme from the command line; overrides the content's `theme:`.
        public var theme: String?
        /// A read-only view of the previous output: diagrams whose DOT text is unchanged reuse its renders.
        public var previous: OutputDirectory?
        /// Every step resolved; worked out from the model when not given (tests may pass a doctored one).
        public var resolution: ModelResolution?
        /// Where `output/snippets/Package.swift` finds Trustflow and the tests find the content; `nil` means the
        /// repository layout (`../..` and `../../<content>` from `output/snippets`).
        public var snippetLocation: Snippets.Location?
        /// Hears what the pipeline is doing as it starts each part ("rendering diagram 'overview'"), so that a time
        /// budget can say what was running when it ran out.
        public var progress: @Sendable (String) -> Void
        public init(
            theme: String? = nil, previous: OutputDirectory? = nil, resolution: ModelResolution? = nil, snippetLocation: Snippets.Location? = nil,
            progress: @escaping @Sendable (String) -> Void = { _ in }
        ) {
            self.theme = theme
            self.previous = previous
            self.resolution = resolution
            self.snippetLocation = snippetLocation
            self.progress = progress
        }
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
        try generateWithCounts(model).files
    }

    /// Every output file, how many diagrams were rendered and how many reused from the previous output, and what was
    /// reported while drawing them (Graphviz, cairo and Pango messages, PNGs drawn smaller than asked).
    public func generateWithCounts(_ model: Model) throws -> (files: [OutputFile], diagrams: DiagramFiles.Counts, warnings: [DiagramFiles.Warning]) {
        let progress = options.progress
        var files: [OutputFile] = []
        progress("writing the policy files and model.json")
        files += PolicyFiles.render(model)
        files.append(ModelSummary.render(model))
        if options.resolution == nil { progress("resolving every step of \(model.options.count) options") }
        let resolution = options.resolution ?? Resolver.resolve(model)
        let theme = try Theme.resolve(commandLine: options.theme, model: model)
        let previous = options.previous.map { directory in { @Sendable (path: String) in directory.read(path) } }
        try Diagrams.checkCount(model, limit: ContentLimits.standard.diagrams)
        progress("laying out the diagrams")
        let all = Diagrams.all(model, resolution: resolution, theme: theme)
        let diagrams = try DiagramFiles.render(all, previous: previous) { name in progress("rendering diagram '\(name)' (svg, png, pdf)") }
        files += diagrams.files
        progress("writing the CloudFormation templates")
        files += CloudFormation.render(model, resolution: resolution)
        progress("writing the snippet package")
        let snippetPackage = snippets(model, resolution: resolution)
        files += snippetPackage.map { OutputFile(path: "snippets/" + $0.path, bytes: $0.bytes) }
        let snippetSources = Snippets.sources(inPackage: snippetPackage, model: model)
        let pythonSources = Snippets.pythonSources(inPackage: snippetPackage, model: model)
        progress("writing the guide and the site")
        files += try guide(model, resolution: resolution, snippets: snippetSources, python: pythonSources, generated: files)
        // The deck: title, per option its architecture and step frames in the slide theme, the summary; HTML and PDF.
        progress("writing the deck")
        let deck = try Deck.render(model, resolution: resolution)
        files += deck.files
        return (files.sorted { $0.path < $1.path }, diagrams.counts, diagrams.warnings + deck.warnings)
    }

    /// `snippets/`: the Swift package of runnable snippets (see `Snippets`).
    func snippets(_ model: Model, resolution: ModelResolution) -> [OutputFile] {
        let location = options.snippetLocation ?? .inRepository(contentDirectory: model.contentDirectory)
        return Snippets.package(model, resolution: resolution, location: location)
    }

    /// `guide.md` and `site/`: the prose (or the default guide) with the other renderers' outputs embedded: the
    /// resolution of every step, the diagrams generated before the guide (`diagrams/*.svg`), and each option's
    /// snippet exactly as `snippets/Sources/<Option>/<Option>.swift` holds it.
    func guide(
        _ model: Model, resolution: ModelResolution, snippets: [String: String], python: [String: String], generated: [OutputFile]
    ) throws -> [OutputFile] {
        var diagrams: [String: [UInt8]] = [:]
        for file in generated where file.path.hasPrefix("diagrams/") && file.path.hasSuffix(".svg") {
            diagrams[String(file.path.dropFirst("diagrams/".count))] = file.bytes
        }
        let pages = try GuideContent.load(contentDirectory: model.contentDirectory)
        let inputs = GuideInputs(
            model: model, resolution: resolution, diagrams: diagrams, snippets: snippets, pythonSnippets: python, pages: pages)
        return try Guide.render(inputs)
    }
}
