internal import Foundation
internal import Yams
internal import YAMLEvents
import Policy
public import Source

/// Reads YAML into the same located value tree the JSON reader produces.
///
/// The tree is built from libyaml's events, within `ReadLimits`: an alias is a copy of the value its anchor holds
/// (sharing its storage, with the anchor's locations) and counts against a small budget of its own, so that ten
/// anchors of ten aliases each stop at the first alias past the budget instead of growing to 10⁹ nodes; every value
/// counts against the document's budget and reading stops at the first one past it; a string longer than the limit
/// is not kept; a list or mapping nested too deeply is skipped unread.
public enum YAMLReader {
    public static func parse(_ text: String, file: String, limits: ReadLimits = .standard) -> (value: LocatedValue?, diagnostics: [Diagnostic]) {
        let reading = read(text, file: file, limits: limits)
        return (reading.value, reading.tabs + reading.diagnostics)
    }

    /// The result of `read`: the tree, the tabs that indented lines, and every other problem.
    package struct Reading {
        /// `nil` when the text is not YAML (or not YAML even with its indenting tabs read as spaces), or when it
        /// breaks a limit.
        package var value: LocatedValue?
        /// One "tabs cannot indent YAML" error per tab that YAML refused as indentation.
        package var tabs: [Diagnostic] = []
        /// Every other problem.
        package var diagnostics: [Diagnostic] = []
        /// The values the tree holds (for a budget several documents share).
        package var valueCount = 0
    }

    /// How many indenting tabs are reported before reading stops (each one costs a parse).
    static let tabLimit = 100
    /// How much text the tab repairs may parse in all, so that a large file with tabs near its end costs a few
    /// parses, not a hundred.
    static let tabRepairBytes = 64 << 20

    /// Parses `text`. A tab that indents a line stops libyaml at that tab; it is reported there and read as one
    /// space, and the text is parsed again, so that every such tab is reported at once and, when the text is
    /// YAML once they are spaces, so is every problem of the model. A syntax error that appears only after that
    /// repair is not reported: it may be an artefact of reading a tab as one space.
    package static func read(_ text: String, file: String, limits: ReadLimits = .standard) -> Reading {
        var reading = Reading()
        var lines: [[UInt8]]?
        var repaired: String?
        var parsedBytes = 0
        while true {
            let source = repaired ?? text
            parsedBytes += source.utf8.count
            var builder = TreeBuilder(events: YAMLEventParser(source), file: file, limits: limits)
            do throws(TreeBuilder.Stop) {
                let value = try builder.document()
                reading.diagnostics += builder.diagnostics
                reading.valueCount = builder.values
                guard let value else {
                    if reading.tabs.isEmpty { reading.diagnostics.append(.error("the file is empty", at: SourceLocation(file: file, line: 1, column: 1))) }
                    return reading
                }
                reading.value = value
                return reading
            } catch {
                guard case .syntax(let error) = error else {
                    // A limit: its diagnostics say which, and where.
                    reading.diagnostics += builder.diagnostics
                    reading.valueCount = builder.values
                    return reading
                }
                if lines == nil { lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0.utf8) } }
                if let (line, column) = indentingTab(error, lines: lines!), reading.tabs.count < tabLimit, parsedBytes < tabRepairBytes {
                    reading.tabs.append(.error("tabs cannot indent YAML", at: SourceLocation(file: file, line: line, column: column)))
                    lines![line - 1][column - 1] = UInt8(ascii: " ")
                    repaired = String(decoding: Array(lines!.joined(separator: [UInt8(ascii: "\n")])), as: UTF8.self)
                    continue
                }
                if reading.tabs.isEmpty { reading.diagnostics.append(diagnostic(for: error, file: file)) }
                return reading
            }
        }
    }

    /// The 1-based line and column of the tab a syntax error stopped at, when that tab indents its line: only
    /// spaces, tabs and sequence dashes come before it.
    static func indentingTab(_ error: YAMLSyntaxError, lines: [[UInt8]]) -> (line: Int, column: Int)? {
        guard error.stage == .scanner || error.stage == .parser else { return nil }
        let mark = error.mark
        guard lines.indices.contains(mark.line - 1) else { return nil }
        let line = lines[mark.line - 1]
        // Only blanks and dashes precede the tab, so libyaml's column (in characters) is its byte offset too.
        guard line.indices.contains(mark.column - 1), line[mark.column - 1] == UInt8(ascii: "\t"),
            line[..<(mark.column - 1)].allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "-") })
        else { return nil }
        return (mark.line, mark.column)
    }

    static func diagnostic(for error: YAMLSyntaxError, file: String) -> Diagnostic {
        switch error.stage {
        case .reader:
            return .error("invalid YAML: \(error.problem)" + (error.offset.map { " at byte \($0)" } ?? ""), at: SourceLocation(file: file, line: 1, column: 1))
        case .memory:
            return .error("invalid YAML: \(error.problem)", at: SourceLocation(file: file, line: 1, column: 1))
        case .scanner, .parser:
            let prefix = error.context.map { "\($0) " } ?? ""
            return .error("invalid YAML: \(prefix)\(error.problem)".replacingOccurrences(of: "  ", with: " "), at: SourceLocation(file: file, line: error.mark.line, column: error.mark.column))
        }
    }
}

/// Builds the located tree from the events of one parse.
private struct TreeBuilder {
    enum Stop: Error {
        /// libyaml could not read the text.
        case syntax(YAMLSyntaxError)
        /// A limit was reached; the diagnostics say which, and where.
        case limit
    }

    let events: YAMLEventParser
    let file: String
    let limits: ReadLimits
    /// The file's name for messages ("model.yml").
    let name: String
    private(set) var values = 0
    private(set) var diagnostics: [Diagnostic] = []
    private var errors = 0
    /// Anchored values, and how many values each holds (its aliases expanded): an alias costs that many.
    private var anchors: [String: (value: LocatedValue, size: Int)] = [:]
    /// Values that aliases added so far.
    private var expanded = 0

    init(events: YAMLEventParser, file: String, limits: ReadLimits) {
        self.events = events
        self.file = file
        self.limits = limits
        self.name = (file as NSString).lastPathComponent
    }

    private func next() throws(Stop) -> YAMLEvent {
        do {
            return try events.next()
        } catch {
            throw .syntax(error)
        }
    }

    private func location(_ mark: YAMLMark) -> SourceLocation {
        SourceLocation(file: file, line: mark.line, column: mark.column)
    }

    private mutating func error(_ message: String, at mark: YAMLMark) throws(Stop) {
        diagnostics.append(.error(message, at: location(mark)))
        errors += 1
        if errors >= limits.errors {
            diagnostics.append(.error("stopped after \(errors) errors; fix these and run again", at: location(mark)))
            throw .limit
        }
    }

    /// `count` more values; past the budget, reading stops here.
    private mutating func count(_ count: Int = 1, at mark: YAMLMark) throws(Stop) {
        values += count
        if values > limits.values {
            diagnostics.append(.error("more than \(ContentLimits.grouped(limits.values)) values: the limit for one content (see README, 'Limits')", at: location(mark)))
            throw .limit
        }
    }

    /// The value an alias stands for: the anchored value itself (its storage shared, its locations those of the
    /// anchor), once its size fits what the alias budget has left.
    private mutating func alias(_ anchor: String, at mark: YAMLMark) throws(Stop) -> LocatedValue {
        guard let anchored = anchors[anchor] else {
            try error("undefined alias '*\(anchor)': no anchor '&\(anchor)' comes before it", at: mark)
            return LocatedValue(.null, at: location(mark))
        }
        expanded += anchored.size
        if expanded > limits.aliasValues {
            diagnostics.append(.error(
                "the aliases of \(name) expand to more than \(ContentLimits.grouped(limits.aliasValues)) values, the limit (see README, 'Limits'); write a policy used in many places to a file and name its path",
                at: location(mark)))
            throw .limit
        }
        try count(anchored.size, at: mark)
        return anchored.value
    }

    private mutating func register(_ anchor: String?, _ value: LocatedValue, size: Int) {
        if let anchor { anchors[anchor] = (value, size) }
    }

    /// The document's root, or `nil` when the stream holds no document.
    mutating func document() throws(Stop) -> LocatedValue? {
        var event = try next()
        if case .streamStart = event { event = try next() }
        guard case .documentStart = event else { return nil }
        let root = try node(try next(), depth: 0)
        _ = try next()  // the document's end
        if case .documentStart(let mark) = try next() {
            try error("invalid YAML: expected a single document in the stream, but found another document", at: mark)
        }
        return root
    }

    /// Counts a list or mapping that starts at `mark`; past the nesting limit, reports it and skips the rest of it
    /// unread (false).
    private mutating func enter(at mark: YAMLMark, depth: Int) throws(Stop) -> Bool {
        try count(at: mark)
        guard depth < limits.depth else {
            try error("nesting deeper than \(limits.depth) levels (see README, 'Limits')", at: mark)
            try skipRest()
            return false
        }
        return true
    }

    private mutating func node(_ event: YAMLEvent, depth: Int) throws(Stop) -> LocatedValue {
        switch event {
        case .scalar(let scalar):
            try count(at: scalar.mark)
            let at = location(scalar.mark)
            guard scalar.text.utf8.count <= limits.stringBytes else {
                try error(Self.tooLong(scalar.text, limit: limits.stringBytes), at: scalar.mark)
                return LocatedValue(.string(""), at: at)
            }
            let value = LocatedValue(Self.kind(of: scalar), at: at)
            register(scalar.anchor, value, size: 1)
            return value
        case .alias(let anchor, let mark):
            return try alias(anchor, at: mark)
        case .sequenceStart(let anchor, let mark):
            let before = values
            guard try enter(at: mark, depth: depth) else { return LocatedValue(.null, at: location(mark)) }
            var elements: [LocatedValue] = []
            while true {
                let item = try next()
                if case .sequenceEnd = item { break }
                elements.append(try node(item, depth: depth + 1))
            }
            let value = LocatedValue(.array(elements), at: location(mark))
            register(anchor, value, size: values - before)
            return value
        case .mappingStart(let anchor, let mark):
            let before = values
            guard try enter(at: mark, depth: depth) else { return LocatedValue(.null, at: location(mark)) }
            var members: [LocatedValue.Member] = []
            var seen: [String: Int] = [:]
            while true {
                let keyEvent = try next()
                if case .mappingEnd = keyEvent { break }
                guard case .scalar(let key) = keyEvent else {
                    // A list, a mapping or an alias as a key: refused unread, so no key is ever hashed or compared whole.
                    try error("mapping keys must be plain text", at: Self.mark(of: keyEvent))
                    try skip(keyEvent)
                    try skip(try next())
                    continue
                }
                try count(at: key.mark)
                guard key.text.utf8.count <= limits.stringBytes else {
                    try error(Self.tooLong(key.text, limit: limits.stringBytes), at: key.mark)
                    try skip(try next())
                    continue
                }
                if let first = seen[key.text] {
                    try error("duplicate key '\(key.text)' in one mapping (first at line \(first))", at: key.mark)
                } else {
                    seen[key.text] = key.mark.line
                }
                let value = try node(try next(), depth: depth + 1)
                members.append(.init(key: key.text, keyLocation: location(key.mark), value: value))
            }
            let value = LocatedValue(.object(members), at: location(mark))
            register(anchor, value, size: values - before)
            return value
        case .streamStart, .streamEnd, .documentStart, .documentEnd, .sequenceEnd, .mappingEnd:
            // libyaml never sends these where a node goes; read them as nothing.
            return LocatedValue(.null, at: SourceLocation(file: file, line: 1, column: 1))
        }
    }

    /// Consumes the node that starts with `event` without building it.
    private func skip(_ event: YAMLEvent) throws(Stop) {
        switch event {
        case .sequenceStart, .mappingStart: try skipRest()
        default: break
        }
    }

    /// Consumes events up to the end of the list or mapping just opened.
    private func skipRest() throws(Stop) {
        var level = 1
        while level > 0 {
            switch try next() {
            case .sequenceStart, .mappingStart: level += 1
            case .sequenceEnd, .mappingEnd: level -= 1
            case .streamEnd: return
            default: break
            }
        }
    }

    private static func mark(of event: YAMLEvent) -> YAMLMark {
        switch event {
        case .scalar(let scalar): scalar.mark
        case .alias(_, let mark), .sequenceStart(_, let mark), .mappingStart(_, let mark), .documentStart(let mark): mark
        default: YAMLMark(line: 1, column: 1)
        }
    }

    private static func tooLong(_ text: String, limit: Int) -> String {
        "a string of \(ContentLimits.grouped(text.utf8.count)) bytes, longer than \(ContentLimits.size(limit)), the limit for one string (see README, 'Limits')"
    }

    /// YAML's implicit types (YAML 1.1, as Yams resolves them) for plain scalars; quoted and block scalars are text.
    static func kind(of scalar: YAMLScalar) -> LocatedValue.Kind {
        guard scalar.plain else { return .string(scalar.text) }
        let tag = scalar.tag ?? resolvedTag(scalar.text)
        switch tag {
        case Tag.Name.null.rawValue: return .null
        case Tag.Name.bool.rawValue: return .bool(Bool.construct(from: Node.Scalar(scalar.text)) ?? false)
        // YAML's numbers include what JSON's do not (`.5`, `1_000`, `0x1F`, `+1`, `012`, `.inf`): kept as written,
        // they would make the policy files and model.json Trustflow writes invalid JSON. Those stay text.
        case Tag.Name.int.rawValue, Tag.Name.float.rawValue: return isJSONNumber(scalar.text) ? .number(scalar.text) : .string(scalar.text)
        default: return .string(scalar.text)
        }
    }

    /// RFC 8259's number: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
    static func isJSONNumber(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        var index = 0
        func digits() -> Int {
            let start = index
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            return index - start
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count else { return false }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else if digits() == 0 {
            return false
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits() > 0 else { return false }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard digits() > 0 else { return false }
        }
        return index == bytes.count
    }

    /// The implicit tag of a plain scalar, as Yams' default resolver gives it. Nulls and booleans are a handful of
    /// words; only text that starts like a number (a digit, a sign or a dot) is left to the resolver's regular
    /// expressions, which cost microseconds each.
    static func resolvedTag(_ text: String) -> String {
        guard let first = text.utf8.first else { return Tag.Name.null.rawValue }
        if nullWords.contains(text) { return Tag.Name.null.rawValue }
        if boolWords.contains(text) { return Tag.Name.bool.rawValue }
        guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) || first == UInt8(ascii: "+") || first == UInt8(ascii: "-") || first == UInt8(ascii: ".")
        else { return Tag.Name.str.rawValue }
        return Resolver.default.resolveTag(of: .scalar(Node.Scalar(text))).rawValue
    }

    static let nullWords: Set<String> = ["~", "null", "Null", "NULL"]
    static let boolWords: Set<String> = [
        "yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF",
    ]
}
