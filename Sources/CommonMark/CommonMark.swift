internal import CCMark
internal import Foundation

/// Markdown in, HTML or CommonMark out, through libcmark. The only Swift code that touches cmark's C pointers:
/// every C tree lives inside one call of `render` and is freed before it returns.
public enum CommonMark {
    public struct Options: OptionSet, Sendable, Hashable {
        public let rawValue: Int32
        public init(rawValue: Int32) { self.rawValue = rawValue }

        /// Let raw HTML and `javascript:` links through. Off by default: cmark 0.30 is safe by default.
        public static let unsafe = Options(rawValue: CMARK_OPT_UNSAFE)
        /// Typographic quotes and dashes.
        public static let smart = Options(rawValue: CMARK_OPT_SMART)
        /// Record `data-sourcepos` attributes.
        public static let sourcePositions = Options(rawValue: CMARK_OPT_SOURCEPOS)
    }

    public enum Format: Sendable, Hashable {
        case html
        case commonmark
    }

    /// Renders a CommonMark document to HTML.
    public static func html(_ markdown: String, options: Options = []) -> String {
        render(markdown, format: .html, options: options, anchors: false).text
    }

    /// Parses `markdown` into cmark's tree, replaces every fenced code block whose info string starts with
    /// `directive` by the blocks `replace` returns (`nil` keeps the block), and renders the tree.
    ///
    /// In HTML, headings get an `id` anchor (a slug of their text, unique in the document) and a `#` link.
    /// Headings are moved down `shiftHeadings` levels (to nest a page in a longer document), staying within 1…6.
    /// `headings` lists them in document order, generated ones included.
    public static func render(
        _ markdown: String, format: Format, options: Options = [], directive: String? = nil, shiftHeadings: Int = 0, anchors: Bool = true,
        replace: (FencedBlock) -> [GeneratedBlock]? = { _ in nil }
    ) -> RenderedDocument {
        let length = markdown.utf8.count
        guard let root = markdown.withCString({ cmark_parse_document($0, length, options.rawValue) }) else {
            return RenderedDocument(text: "", headings: [])
        }
        defer { cmark_node_free(root) }

        var directives: [OpaquePointer] = []
        walk(root) { node in
            if cmark_node_get_type(node) == CMARK_NODE_CODE_BLOCK, let directive, let words = fenceWords(node), words.first == directive {
                directives.append(node)
            }
        }

        for node in directives {
            let words = fenceWords(node) ?? []
            let block = FencedBlock(
                arguments: Array(words.dropFirst()), body: string(cmark_node_get_literal(node)),
                line: Int(cmark_node_get_start_line(node)), column: Int(cmark_node_get_start_column(node))
            )
            guard let blocks = replace(block) else { continue }
            for generated in blocks {
                insert(generated, before: node, options: options)
            }
            cmark_node_unlink(node)
            cmark_node_free(node)
        }

        // Collected once the tree is final, so generated headings take their place in document order (and the
        // first of two equal titles gets the plain anchor).
        var headingNodes: [OpaquePointer] = []
        walk(root) { if cmark_node_get_type($0) == CMARK_NODE_HEADING { headingNodes.append($0) } }
        var headings: [Heading] = []
        var used: Set<String> = []
        for node in headingNodes {
            let level = max(1, min(6, Int(cmark_node_get_heading_level(node)) + shiftHeadings))
            cmark_node_set_heading_level(node, Int32(level))
            let text = plainText(node)
            let anchor = uniqueSlug(text, used: &used)
            headings.append(Heading(level: level, text: text, anchor: anchor, line: Int(cmark_node_get_start_line(node))))
            if format == .html, anchors, let link = cmark_node_new(CMARK_NODE_CUSTOM_INLINE) {
                // The slug holds only [a-z0-9-], so it needs no escaping.
                cmark_node_set_on_enter(link, "<a class=\"anchor\" href=\"#\(anchor)\" id=\"\(anchor)\">#</a> ")
                cmark_node_prepend_child(node, link)
            }
        }

        let rendered: UnsafeMutablePointer<CChar>? =
            switch format {
            case .html: cmark_render_html(root, options.rawValue)
            case .commonmark: cmark_render_commonmark(root, options.rawValue, 0)
            }
        guard let rendered else { return RenderedDocument(text: "", headings: headings) }
        defer { free(rendered) }
        return RenderedDocument(text: String(cString: rendered), headings: headings)
    }

    /// Every fenced block starting with `directive`, without rendering (for validation).
    public static func fencedBlocks(_ markdown: String, directive: String) -> [FencedBlock] {
        var found: [FencedBlock] = []
        _ = render(markdown, format: .commonmark, directive: directive) { block in
            found.append(block)
            return nil
        }
        return found
    }

    /// A GitHub-style slug: lower-case letters and digits, runs of anything else as one `-`.
    public static func slug(_ text: String) -> String {
        var result = ""
        var pendingDash = false
        for scalar in text.lowercased().unicodeScalars {
            if scalar.isASCII, CharacterSet.alphanumerics.contains(scalar) {
                if pendingDash, !result.isEmpty { result.append("-") }
                pendingDash = false
                result.unicodeScalars.append(scalar)
            } else {
                pendingDash = true
            }
        }
        return result.isEmpty ? "section" : result
    }

    /// The slug, or the first of `slug-2`, `slug-3`, … that no earlier heading has (a heading titled "A 2" does
    /// not take the anchor of the second "A").
    private static func uniqueSlug(_ text: String, used: inout Set<String>) -> String {
        let base = slug(text)
        var candidate = base
        var number = 1
        while used.contains(candidate) {
            number += 1
            candidate = "\(base)-\(number)"
        }
        used.insert(candidate)
        return candidate
    }

    // MARK: - The C tree

    private static func walk(_ root: OpaquePointer, _ visit: (OpaquePointer) -> Void) {
        guard let iterator = cmark_iter_new(root) else { return }
        defer { cmark_iter_free(iterator) }
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            if event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator) { visit(node) }
        }
    }

    private static func fenceWords(_ node: OpaquePointer) -> [String]? {
        // Indented code blocks have no info string, so only fenced blocks can carry a directive.
        let info = string(cmark_node_get_fence_info(node))
        return info.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
    }

    private static func string(_ pointer: UnsafePointer<CChar>?) -> String {
        pointer.map { String(cString: $0) } ?? ""
    }

    private static func plainText(_ node: OpaquePointer) -> String {
        var text = ""
        walk(node) { child in
            switch cmark_node_get_type(child) {
            case CMARK_NODE_TEXT, CMARK_NODE_CODE: text += string(cmark_node_get_literal(child))
            case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK: text += " "
            default: break
            }
        }
        return text
    }

    private static func insert(_ block: GeneratedBlock, before target: OpaquePointer, options: Options) {
        if case .markdown(let text) = block {
            let length = text.utf8.count
            guard let fragment = text.withCString({ cmark_parse_document($0, length, options.rawValue) }) else { return }
            defer { cmark_node_free(fragment) }
            while let child = cmark_node_first_child(fragment) {
                cmark_node_unlink(child)
                cmark_node_insert_before(target, child)
            }
            return
        }
        guard let node = makeBlock(block, options: options) else { return }
        cmark_node_insert_before(target, node)
    }

    private static func makeBlock(_ block: GeneratedBlock, options: Options) -> OpaquePointer? {
        let node: OpaquePointer?
        switch block {
        case .paragraph(let inlines):
            node = cmark_node_new(CMARK_NODE_PARAGRAPH)
            appendInlines(inlines, to: node)
        case .heading(let level, let inlines):
            node = cmark_node_new(CMARK_NODE_HEADING)
            cmark_node_set_heading_level(node, Int32(max(1, min(6, level))))
            appendInlines(inlines, to: node)
        case .codeBlock(let language, let code):
            node = cmark_node_new(CMARK_NODE_CODE_BLOCK)
            cmark_node_set_fence_info(node, language)
            cmark_node_set_literal(node, code.hasSuffix("\n") ? code : code + "\n")
        case .list(let ordered, let items):
            node = cmark_node_new(CMARK_NODE_LIST)
            cmark_node_set_list_type(node, ordered ? CMARK_ORDERED_LIST : CMARK_BULLET_LIST)
            if ordered {
                cmark_node_set_list_start(node, 1)
                cmark_node_set_list_delim(node, CMARK_PERIOD_DELIM)
            }
            cmark_node_set_list_tight(node, 1)
            for blocks in items {
                guard let item = cmark_node_new(CMARK_NODE_ITEM) else { continue }
                for child in blocks {
                    if let made = makeBlock(child, options: options) { cmark_node_append_child(item, made) }
                }
                cmark_node_append_child(node, item)
            }
        case .blockQuote(let blocks):
            node = cmark_node_new(CMARK_NODE_BLOCK_QUOTE)
            for child in blocks {
                if let made = makeBlock(child, options: options) { cmark_node_append_child(node, made) }
            }
        case .thematicBreak:
            node = cmark_node_new(CMARK_NODE_THEMATIC_BREAK)
        case .raw(let text):
            node = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK)
            cmark_node_set_on_enter(node, text)
        case .markdown(let text):
            // Nested Markdown inside a generated container: parse and move its children into a custom block
            // with no markup of its own, so the children render as usual.
            node = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK)
            let length = text.utf8.count
            if let fragment = text.withCString({ cmark_parse_document($0, length, options.rawValue) }) {
                defer { cmark_node_free(fragment) }
                while let child = cmark_node_first_child(fragment) {
                    cmark_node_unlink(child)
                    cmark_node_append_child(node, child)
                }
            }
        }
        return node
    }

    private static func appendInlines(_ inlines: [GeneratedInline], to parent: OpaquePointer?) {
        guard let parent else { return }
        for inline in inlines {
            if let node = makeInline(inline) { cmark_node_append_child(parent, node) }
        }
    }

    private static func makeInline(_ inline: GeneratedInline) -> OpaquePointer? {
        let node: OpaquePointer?
        switch inline {
        case .text(let text):
            node = cmark_node_new(CMARK_NODE_TEXT)
            cmark_node_set_literal(node, text)
        case .code(let text):
            node = cmark_node_new(CMARK_NODE_CODE)
            cmark_node_set_literal(node, text)
        case .emphasis(let children):
            node = cmark_node_new(CMARK_NODE_EMPH)
            appendInlines(children, to: node)
        case .strong(let children):
            node = cmark_node_new(CMARK_NODE_STRONG)
            appendInlines(children, to: node)
        case .link(let destination, let title, let children):
            node = cmark_node_new(CMARK_NODE_LINK)
            cmark_node_set_url(node, destination)
            cmark_node_set_title(node, title)
            appendInlines(children, to: node)
        case .image(let source, let title, let alt):
            node = cmark_node_new(CMARK_NODE_IMAGE)
            cmark_node_set_url(node, source)
            cmark_node_set_title(node, title)
            appendInlines(alt, to: node)
        case .lineBreak:
            node = cmark_node_new(CMARK_NODE_LINEBREAK)
        case .raw(let text):
            node = cmark_node_new(CMARK_NODE_CUSTOM_INLINE)
            cmark_node_set_on_enter(node, text)
        }
        return node
    }
}
