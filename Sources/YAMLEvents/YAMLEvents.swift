internal import CYaml

/// libyaml's event stream as Swift values: the only code that touches libyaml's pointers.
///
/// Yams composes a whole node tree before anyone can look at it, and it resolves an alias by sharing the anchored
/// node, then hashes and compares whole subtrees to find duplicate keys: ten anchors of ten aliases each make that
/// 10⁹ nodes of work before a single check runs. Reading the events instead lets the reader refuse an alias where it
/// stands, count values as they arrive and stop at a budget, so nothing is ever built in proportion to an expansion.
///
/// libyaml ships inside Yams (its `CYaml` target); this module reaches it through the Yams product.
public final class YAMLEventParser {
    private let parser: UnsafeMutablePointer<yaml_parser_t>
    /// libyaml reads the text in place: it lives as long as the parser.
    private let input: UnsafeMutableBufferPointer<UInt8>
    private var finished = false

    public init(_ text: String) {
        let utf8 = Array(text.utf8)
        input = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(1, utf8.count))
        _ = input.initialize(from: utf8)
        parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        yaml_parser_initialize(parser)
        yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)
        yaml_parser_set_input_string(parser, input.baseAddress, utf8.count)
    }

    deinit {
        yaml_parser_delete(parser)
        parser.deallocate()
        input.deallocate()
    }

    /// The next event; after `.streamEnd`, `.streamEnd` again.
    public func next() throws(YAMLSyntaxError) -> YAMLEvent {
        if finished { return .streamEnd }
        var event = yaml_event_t()
        guard yaml_parser_parse(parser, &event) == 1 else {
            throw error()
        }
        defer { yaml_event_delete(&event) }
        let mark = YAMLMark(event.start_mark)
        switch event.type {
        case YAML_STREAM_START_EVENT:
            return .streamStart
        case YAML_STREAM_END_EVENT:
            finished = true
            return .streamEnd
        case YAML_DOCUMENT_START_EVENT:
            return .documentStart(mark)
        case YAML_DOCUMENT_END_EVENT:
            return .documentEnd
        case YAML_ALIAS_EVENT:
            return .alias(anchor: Self.text(event.data.alias.anchor) ?? "", at: mark)
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            let value = scalar.value.map { String(decoding: UnsafeBufferPointer(start: $0, count: scalar.length), as: UTF8.self) } ?? ""
            return .scalar(YAMLScalar(
                text: value, plain: scalar.style == YAML_PLAIN_SCALAR_STYLE, tag: Self.text(scalar.tag), anchor: Self.text(scalar.anchor), at: mark))
        case YAML_SEQUENCE_START_EVENT:
            return .sequenceStart(anchor: Self.text(event.data.sequence_start.anchor), at: mark)
        case YAML_SEQUENCE_END_EVENT:
            return .sequenceEnd
        case YAML_MAPPING_START_EVENT:
            return .mappingStart(anchor: Self.text(event.data.mapping_start.anchor), at: mark)
        case YAML_MAPPING_END_EVENT:
            return .mappingEnd
        default:
            // YAML_NO_EVENT: libyaml has nothing more to say.
            finished = true
            return .streamEnd
        }
    }

    private func error() -> YAMLSyntaxError {
        let problem = parser.pointee.problem.map { String(cString: $0) } ?? "unknown problem"
        let context = parser.pointee.context.map { String(cString: $0) }
        switch parser.pointee.error {
        case YAML_READER_ERROR:
            return YAMLSyntaxError(stage: .reader, problem: problem, context: nil, mark: YAMLMark(line: 1, column: 1), offset: Int(parser.pointee.problem_offset))
        case YAML_SCANNER_ERROR:
            return YAMLSyntaxError(stage: .scanner, problem: problem, context: context, mark: YAMLMark(parser.pointee.problem_mark), offset: nil)
        case YAML_MEMORY_ERROR:
            return YAMLSyntaxError(stage: .memory, problem: "out of memory", context: nil, mark: YAMLMark(line: 1, column: 1), offset: nil)
        default:
            return YAMLSyntaxError(stage: .parser, problem: problem, context: context, mark: YAMLMark(parser.pointee.problem_mark), offset: nil)
        }
    }

    private static func text(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: UnsafePointer($0)) }
    }
}

/// A position in the text: 1-based line and column (columns count Unicode scalars).
public struct YAMLMark: Sendable, Hashable {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    init(_ mark: yaml_mark_t) {
        self.init(line: Int(mark.line) + 1, column: Int(mark.column) + 1)
    }
}

/// One event of the stream, in order.
public enum YAMLEvent: Sendable, Hashable {
    case streamStart
    case streamEnd
    case documentStart(YAMLMark)
    case documentEnd
    /// `*name`: a reference to an anchored node.
    case alias(anchor: String, at: YAMLMark)
    case scalar(YAMLScalar)
    case sequenceStart(anchor: String?, at: YAMLMark)
    case sequenceEnd
    case mappingStart(anchor: String?, at: YAMLMark)
    case mappingEnd
}

public struct YAMLScalar: Sendable, Hashable {
    public var text: String
    /// Written without quotes and not as a block: YAML's implicit types (null, booleans, numbers) apply.
    public var plain: Bool
    /// An explicit tag (`!!str`), expanded (`tag:yaml.org,2002:str`).
    public var tag: String?
    /// `&name`.
    public var anchor: String?
    public var mark: YAMLMark

    public init(text: String, plain: Bool, tag: String? = nil, anchor: String? = nil, at mark: YAMLMark) {
        self.text = text
        self.plain = plain
        self.tag = tag
        self.anchor = anchor
        self.mark = mark
    }
}

/// Text libyaml cannot read, where it stopped.
public struct YAMLSyntaxError: Error, Sendable, Hashable {
    public enum Stage: Sendable, Hashable {
        /// The bytes are not text (libyaml's reader).
        case reader
        /// A token cannot be read (an unclosed quote, a tab where indentation goes).
        case scanner
        /// The tokens do not make a document (an unclosed list).
        case parser
        case memory
    }

    public var stage: Stage
    public var problem: String
    public var context: String?
    public var mark: YAMLMark
    /// For reader errors: the byte offset of the problem.
    public var offset: Int?
}
