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
        return files.sorted { $0.path < $1.path }
    }
}
