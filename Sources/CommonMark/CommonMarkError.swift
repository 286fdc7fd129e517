/// A cmark call that reported failure, with what it was asked to do. cmark signals failure by a return value
/// (0 from the tree and property setters, `NULL` from the parser, renderers and constructors); `CommonMark`
/// checks every one and throws this rather than render a tree that silently lacks a part.
public struct CommonMarkError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The cmark function that failed, by its C name.
    public enum Step: String, Sendable, Hashable, CaseIterable {
        case parse = "cmark_parse_document"
        case renderHTML = "cmark_render_html"
        case renderCommonMark = "cmark_render_commonmark"
        case newNode = "cmark_node_new"
        case iterate = "cmark_iter_new"
        case appendChild = "cmark_node_append_child"
        case prependChild = "cmark_node_prepend_child"
        case insertBefore = "cmark_node_insert_before"
        case setLiteral = "cmark_node_set_literal"
        case setHeadingLevel = "cmark_node_set_heading_level"
        case setFenceInfo = "cmark_node_set_fence_info"
        case setListType = "cmark_node_set_list_type"
        case setListStart = "cmark_node_set_list_start"
        case setListDelimiter = "cmark_node_set_list_delim"
        case setListTight = "cmark_node_set_list_tight"
        case setURL = "cmark_node_set_url"
        case setTitle = "cmark_node_set_title"
        case setOnEnter = "cmark_node_set_on_enter"
    }

    public var step: Step
    /// cmark's name of the node the call was on (`paragraph`, `custom_inline`), when there was one.
    public var node: String?
    /// For tree edits, cmark's name of the node that was to be placed; for setters, the value.
    public var detail: String?

    public init(step: Step, node: String? = nil, detail: String? = nil) {
        self.step = step
        self.node = node
        self.detail = detail
    }

    public var description: String {
        switch step {
        case .appendChild, .prependChild:
            "\(step.rawValue) failed: a \(node ?? "node") cannot hold a \(detail ?? "node")"
        case .insertBefore:
            "\(step.rawValue) failed: a \(detail ?? "node") cannot stand next to a \(node ?? "node") there"
        default:
            "\(step.rawValue) failed" + (node.map { " on a \($0)" } ?? "") + (detail.map { " (\($0))" } ?? "")
        }
    }
}
