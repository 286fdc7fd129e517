internal import CCMark
internal import Foundation

/// Markdown to HTML through libcmark. The only Swift code that touches cmark's C pointers.
public enum CommonMark {
    public struct Options: OptionSet, Sendable {
        public let rawValue: Int32
        public init(rawValue: Int32) { self.rawValue = rawValue }

        /// Let raw HTML and `javascript:` links through. Off by default: cmark 0.30 is safe by default.
        public static let unsafe = Options(rawValue: CMARK_OPT_UNSAFE)
        /// Typographic quotes and dashes.
        public static let smart = Options(rawValue: CMARK_OPT_SMART)
        /// Record `data-sourcepos` attributes.
        public static let sourcePositions = Options(rawValue: CMARK_OPT_SOURCEPOS)
    }

    /// Renders a CommonMark document to HTML.
    public static func html(_ markdown: String, options: Options = []) -> String {
        let length = markdown.utf8.count
        guard let rendered = markdown.withCString({ cmark_markdown_to_html($0, length, options.rawValue) }) else { return "" }
        defer { free(rendered) }
        return String(cString: rendered)
    }
}
