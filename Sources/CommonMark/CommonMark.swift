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

    /// Renders a CommonMark document to HTML. Throws when a cmark call fails.
    public static func html(_ markdown: String, options: Options = []) throws(CommonMarkError) -> String {
        try render(markdown, format: .html, options: options, anchors: false).text
    }

    /// Parses `markdown` into cmark's tree, replaces every fenced code block whose info string starts with
    /// `directive` by the blocks `replace` returns (`nil` keeps the block), and renders the tree.
    ///
    /// In HTML, headings get an `id` anchor (a slug of their text, unique in the document) and a `#` link.
    /// Headings are moved down `shiftHeadings` levels (to nest a page in a longer document), staying within 1…6.
    /// `headings` lists them in document order, generated ones included. Throws when a cmark call fails.
    public static func render(
        _ markdown: String, format: Format, options: Options = [], directive: String? = nil, shiftHeadings: Int = 0, anchors: Bool = true,
        replace: (FencedBlock) -> [GeneratedBlock]? = { _ in nil }
    ) throws(CommonMarkError) -> RenderedDocument {
        let root = try parse(markdown, options: options)
        defer { cmark_node_free(root) }

        if let directive {
            var directives: [OpaquePointer] = []
            try walk(root) { node in
                if cmark_node_get_type(node) == CMARK_NODE_CODE_BLOCK, fenceWords(node).first == directive { directives.append(node) }
            }
            for node in directives {
                guard let blocks = replace(fencedBlock(node)) else { continue }
                for generated in blocks {
                    try insert(generated, before: node, options: options)
                }
                cmark_node_unlink(node)
                cmark_node_free(node)
            }
        }

        // Collected once the tree is final, so generated headings take their place in document order (and the
        // first of two equal titles gets the plain anchor).
        var headingNodes: [OpaquePointer] = []
        try walk(root) { if cmark_node_get_type($0) == CMARK_NODE_HEADING { headingNodes.append($0) } }
        var headings: [Heading] = []
        var used: Set<String> = []
        for node in headingNodes {
            let level = max(1, min(6, Int(cmark_node_get_heading_level(node)) + shiftHeadings))
            try check(cmark_node_set_heading_level(node, Int32(level)), .setHeadingLevel, node, detail: "\(level)")
            let text = try plainText(node)
            let anchor = uniqueSlug(text, used: &used)
            headings.append(Heading(level: level, text: text, anchor: anchor, line: Int(cmark_node_get_start_line(node))))
            if format == .html, anchors {
                // The slug holds only [a-z0-9-], so it needs no escaping.
                let link = try building(CMARK_NODE_CUSTOM_INLINE) { link throws(CommonMarkError) in
                    try check(cmark_node_set_on_enter(link, "<a class=\"anchor\" href=\"#\(anchor)\" id=\"\(anchor)\">#</a> "), .setOnEnter, link)
                }
                try place(link, .prependChild, node) { cmark_node_prepend_child(node, link) }
            }
        }

        let rendered: UnsafeMutablePointer<CChar>? =
            switch format {
            case .html: cmark_render_html(root, options.rawValue)
            case .commonmark: cmark_render_commonmark(root, options.rawValue, 0)
            }
        guard let rendered else { throw CommonMarkError(step: format == .html ? .renderHTML : .renderCommonMark) }
        defer { free(rendered) }
        return RenderedDocument(text: String(cString: rendered), headings: headings)
    }

    /// Every fenced block starting with `directive`, in document order. Throws when a cmark call fails.
    public static func fencedBlocks(_ markdown: String, directive: String) throws(CommonMarkError) -> [FencedBlock] {
        let root = try parse(markdown, options: [])
        defer { cmark_node_free(root) }
        var found: [FencedBlock] = []
        try walk(root) { node in
            if cmark_node_get_type(node) == CMARK_NODE_CODE_BLOCK, fenceWords(node).first == directive { found.append(fencedBlock(node)) }
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

    private static func parse(_ markdown: String, options: Options) throws(CommonMarkError) -> OpaquePointer {
        let length = markdown.utf8.count
        guard let root = markdown.withCString({ cmark_parse_document($0, length, options.rawValue) }) else {
            throw CommonMarkError(step: .parse)
        }
        return root
    }

    private static func walk(_ root: OpaquePointer, _ visit: (OpaquePointer) -> Void) throws(CommonMarkError) {
        guard let iterator = cmark_iter_new(root) else { throw CommonMarkError(step: .iterate, node: typeName(root)) }
        defer { cmark_iter_free(iterator) }
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            if event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator) { visit(node) }
        }
    }

    private static func fencedBlock(_ node: OpaquePointer) -> FencedBlock {
        FencedBlock(
            arguments: Array(fenceWords(node).dropFirst()), body: string(cmark_node_get_literal(node)),
            line: Int(cmark_node_get_start_line(node)), column: Int(cmark_node_get_start_column(node))
        )
    }

    private static func fenceWords(_ node: OpaquePointer) -> [String] {
        // Indented code blocks have no info string, so only fenced blocks can carry a directive.
        let info = string(cmark_node_get_fence_info(node))
        return info.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
    }

    private static func string(_ pointer: UnsafePointer<CChar>?) -> String {
        pointer.map { String(cString: $0) } ?? ""
    }

    static func typeName(_ node: OpaquePointer) -> String {
        string(cmark_node_get_type_string(node))
    }

    private static func plainText(_ node: OpaquePointer) throws(CommonMarkError) -> String {
        var text = ""
        try walk(node) { child in
            switch cmark_node_get_type(child) {
            case CMARK_NODE_TEXT, CMARK_NODE_CODE: text += string(cmark_node_get_literal(child))
            case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK: text += " "
            default: break
            }
        }
        return text
    }

    /// Throws unless a cmark setter returned 1 (success).
    static func check(_ result: Int32, _ step: CommonMarkError.Step, _ node: OpaquePointer, detail: String? = nil) throws(CommonMarkError) {
        guard result == 1 else { throw CommonMarkError(step: step, node: typeName(node), detail: detail) }
    }

    /// A new node of `type`, set up by `body`; freed (with whatever `body` attached) if `body` throws.
    static func building(
        _ type: cmark_node_type, _ body: (OpaquePointer) throws(CommonMarkError) -> Void = { _ in }
    ) throws(CommonMarkError) -> OpaquePointer {
        guard let node = cmark_node_new(type) else { throw CommonMarkError(step: .newNode, detail: "type \(type.rawValue)") }
        do {
            try body(node)
        } catch {
            cmark_node_free(node)
            throw error
        }
        return node
    }

    /// Runs a tree edit that places the free-standing `child` relative to `target`. cmark refuses (returning 0)
    /// when the target's parent cannot hold the child; the child, in no tree then, is freed and the refusal thrown.
    static func place(
        _ child: OpaquePointer, _ step: CommonMarkError.Step, _ target: OpaquePointer, _ edit: () -> Int32
    ) throws(CommonMarkError) {
        guard edit() == 1 else {
            let holder = step == .insertBefore ? cmark_node_parent(target).map(typeName) : typeName(target)
            let error = CommonMarkError(step: step, node: holder ?? "nothing", detail: typeName(child))
            cmark_node_free(child)
            throw error
        }
    }

    /// Frees a node built by `makeBlock` or `makeInline` that was never placed in a tree (tests build such nodes).
    static func freeNode(_ node: OpaquePointer) {
        cmark_node_free(node)
    }

    static func append(_ child: OpaquePointer, to parent: OpaquePointer) throws(CommonMarkError) {
        try place(child, .appendChild, parent) { cmark_node_append_child(parent, child) }
    }

    private static func insert(_ block: GeneratedBlock, before target: OpaquePointer, options: Options) throws(CommonMarkError) {
        if case .markdown(let text) = block {
            let fragment = try parse(text, options: options)
            defer { cmark_node_free(fragment) }
            while let child = cmark_node_first_child(fragment) {
                cmark_node_unlink(child)
                try place(child, .insertBefore, target) { cmark_node_insert_before(target, child) }
            }
            return
        }
        let node = try makeBlock(block, options: options)
        try place(node, .insertBefore, target) { cmark_node_insert_before(target, node) }
    }

    static func makeBlock(_ block: GeneratedBlock, options: Options) throws(CommonMarkError) -> OpaquePointer {
        switch block {
        case .paragraph(let inlines):
            return try building(CMARK_NODE_PARAGRAPH) { node throws(CommonMarkError) in try appendInlines(inlines, to: node) }
        case .heading(let level, let inlines):
            return try building(CMARK_NODE_HEADING) { node throws(CommonMarkError) in
                let level = max(1, min(6, level))
                try check(cmark_node_set_heading_level(node, Int32(level)), .setHeadingLevel, node, detail: "\(level)")
                try appendInlines(inlines, to: node)
            }
        case .codeBlock(let language, let code):
            return try building(CMARK_NODE_CODE_BLOCK) { node throws(CommonMarkError) in
                try check(cmark_node_set_fence_info(node, language), .setFenceInfo, node)
                try check(cmark_node_set_literal(node, code.hasSuffix("\n") ? code : code + "\n"), .setLiteral, node)
            }
        case .list(let ordered, let items):
            return try building(CMARK_NODE_LIST) { node throws(CommonMarkError) in
                try check(cmark_node_set_list_type(node, ordered ? CMARK_ORDERED_LIST : CMARK_BULLET_LIST), .setListType, node)
                if ordered {
                    try check(cmark_node_set_list_start(node, 1), .setListStart, node)
                    try check(cmark_node_set_list_delim(node, CMARK_PERIOD_DELIM), .setListDelimiter, node)
                }
                try check(cmark_node_set_list_tight(node, 1), .setListTight, node)
                for blocks in items {
                    let item = try building(CMARK_NODE_ITEM) { item throws(CommonMarkError) in
                        for child in blocks { try append(try makeBlock(child, options: options), to: item) }
                    }
                    try append(item, to: node)
                }
            }
        case .blockQuote(let blocks):
            return try building(CMARK_NODE_BLOCK_QUOTE) { node throws(CommonMarkError) in
                for child in blocks { try append(try makeBlock(child, options: options), to: node) }
            }
        case .thematicBreak:
            return try building(CMARK_NODE_THEMATIC_BREAK)
        case .raw(let text):
            return try building(CMARK_NODE_CUSTOM_BLOCK) { node throws(CommonMarkError) in try check(cmark_node_set_on_enter(node, text), .setOnEnter, node) }
        case .markdown(let text):
            // Nested Markdown inside a generated container: parse and move its children into a custom block
            // with no markup of its own, so the children render as usual.
            return try building(CMARK_NODE_CUSTOM_BLOCK) { node throws(CommonMarkError) in
                let fragment = try parse(text, options: options)
                defer { cmark_node_free(fragment) }
                while let child = cmark_node_first_child(fragment) {
                    cmark_node_unlink(child)
                    try append(child, to: node)
                }
            }
        }
    }

    private static func appendInlines(_ inlines: [GeneratedInline], to parent: OpaquePointer) throws(CommonMarkError) {
        for inline in inlines {
            try append(try makeInline(inline), to: parent)
        }
    }

    static func makeInline(_ inline: GeneratedInline) throws(CommonMarkError) -> OpaquePointer {
        switch inline {
        case .text(let text):
            try building(CMARK_NODE_TEXT) { node throws(CommonMarkError) in try check(cmark_node_set_literal(node, text), .setLiteral, node) }
        case .code(let text):
            try building(CMARK_NODE_CODE) { node throws(CommonMarkError) in try check(cmark_node_set_literal(node, text), .setLiteral, node) }
        case .emphasis(let children):
            try building(CMARK_NODE_EMPH) { node throws(CommonMarkError) in try appendInlines(children, to: node) }
        case .strong(let children):
            try building(CMARK_NODE_STRONG) { node throws(CommonMarkError) in try appendInlines(children, to: node) }
        case .link(let destination, let title, let children):
            try building(CMARK_NODE_LINK) { node throws(CommonMarkError) in
                try check(cmark_node_set_url(node, destination), .setURL, node)
                try check(cmark_node_set_title(node, title), .setTitle, node)
                try appendInlines(children, to: node)
            }
        case .image(let source, let title, let alt):
            try building(CMARK_NODE_IMAGE) { node throws(CommonMarkError) in
                try check(cmark_node_set_url(node, source), .setURL, node)
                try check(cmark_node_set_title(node, title), .setTitle, node)
                try appendInlines(alt, to: node)
            }
        case .lineBreak:
            try building(CMARK_NODE_LINEBREAK)
        case .raw(let text):
            try building(CMARK_NODE_CUSTOM_INLINE) { node throws(CommonMarkError) in try check(cmark_node_set_on_enter(node, text), .setOnEnter, node) }
        }
    }
}
