/// Generated content, as values, that `CommonMark.render` turns into cmark nodes in place of a directive.
///
/// Text in `text`, `code`, headings and code blocks is escaped by cmark's renderers; only `raw` content is
/// emitted as written (as a custom node, so it survives safe mode): callers must build it with their one
/// escaping function.
public indirect enum GeneratedBlock: Sendable, Hashable {
    case paragraph([GeneratedInline])
    case heading(level: Int, [GeneratedInline])
    /// A fenced code block; `language` becomes the info string (`json`, `swift`).
    case codeBlock(language: String, code: String)
    case list(ordered: Bool, items: [[GeneratedBlock]])
    case blockQuote([GeneratedBlock])
    case thematicBreak
    /// Emitted as written (a custom block): HTML in the HTML renderer, Markdown in the CommonMark renderer.
    case raw(String)
    /// CommonMark text parsed with the same options and spliced in as nodes.
    case markdown(String)
}

public indirect enum GeneratedInline: Sendable, Hashable {
    case text(String)
    case code(String)
    case emphasis([GeneratedInline])
    case strong([GeneratedInline])
    case link(destination: String, title: String = "", [GeneratedInline])
    case image(source: String, title: String = "", alt: [GeneratedInline])
    case lineBreak
    /// Emitted as written (a custom inline).
    case raw(String)
}

/// A fenced code block of the source whose info string starts with the word the caller asked for.
public struct FencedBlock: Sendable, Hashable {
    /// The words of the info string after the first one (usually none).
    public var arguments: [String]
    /// The block's body, as written.
    public var body: String
    /// 1-based line and column of the opening fence in the source.
    public var line: Int
    public var column: Int
}

/// A heading of the rendered document, in order, with the anchor written into the HTML.
public struct Heading: Sendable, Hashable {
    public var level: Int
    public var text: String
    public var anchor: String
    public var line: Int
}

/// The result of one render.
public struct RenderedDocument: Sendable, Hashable {
    public var text: String
    public var headings: [Heading]
}
