/// A strict JSON (RFC 8259) reader that keeps the line and column of every value and key.
///
/// Foundation's `JSONSerialization` loses positions; policy files need them for every message. Duplicate
/// keys in one object are reported (IAM rejects them too), and so is everything after the top-level value.
///
/// Bounded by `ReadLimits`: nesting depth, string length and the number of values are checked as the text is read,
/// so a hostile document stops at the first value past a limit, with a located error.
public struct JSONReader {
    private let bytes: [UInt8]
    private let file: String
    private let limits: ReadLimits
    private var index = 0
    private var line = 1
    private var lineStart = 0
    private var depth = 0
    private var values = 0
    private(set) var diagnostics: [Diagnostic] = []

    /// What `read` returns: the value (`nil` when the text is not JSON or breaks a limit), every problem, and how
    /// many values the document holds (for a budget shared by several documents).
    public struct Reading: Sendable {
        public var value: LocatedValue?
        public var diagnostics: [Diagnostic]
        public var valueCount: Int
    }

    /// Parses `text`; returns the value, or `nil` with the problems in `diagnostics` (duplicate keys are
    /// reported while still returning a value).
    public static func parse(_ text: String, file: String, limits: ReadLimits = .standard) -> (value: LocatedValue?, diagnostics: [Diagnostic]) {
        let reading = read(text, file: file, limits: limits)
        return (reading.value, reading.diagnostics)
    }

    /// Parses `text` within `limits`.
    public static func read(_ text: String, file: String, limits: ReadLimits = .standard) -> Reading {
        var reader = JSONReader(bytes: Array(text.utf8), file: file, limits: limits)
        do {
            reader.skipBOM()
            reader.skipWhitespace()
            let value = try reader.parseValue()
            reader.skipWhitespace()
            if reader.index < reader.bytes.count {
                throw reader.failure("unexpected text after the end of the JSON document")
            }
            return Reading(value: value, diagnostics: reader.diagnostics, valueCount: reader.values)
        } catch let diagnostic as Diagnostic {
            return Reading(value: nil, diagnostics: reader.diagnostics + [diagnostic], valueCount: reader.values)
        } catch {
            return Reading(value: nil, diagnostics: reader.diagnostics + [Diagnostic.error("\(error)", at: reader.location)], valueCount: reader.values)
        }
    }

    private init(bytes: [UInt8], file: String, limits: ReadLimits) {
        self.bytes = bytes
        self.file = file
        self.limits = limits
    }

    /// The last position a column was counted at, and its column: counting resumes from there, so a document on one
    /// long line (a policy passed as a JSON string) costs linear time, not the line's length for every value.
    private var columnMark = (index: 0, column: 1)

    private var location: SourceLocation {
        mutating get {
            // Columns count Unicode scalars, as the YAML reader's do: every byte that is not a UTF-8 continuation byte.
            let end = min(index, bytes.count)
            if columnMark.index < lineStart || columnMark.index > end { columnMark = (lineStart, 1) }
            var column = columnMark.column
            for position in columnMark.index..<end where bytes[position] & 0xC0 != 0x80 { column += 1 }
            columnMark = (end, column)
            return SourceLocation(file: file, line: line, column: column)
        }
    }

    private mutating func failure(_ message: String) -> Diagnostic {
        Diagnostic.error("invalid JSON: \(message)", at: location)
    }

    private mutating func skipBOM() {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3; lineStart = 3 }
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                index += 1
            case UInt8(ascii: "\n"):
                index += 1
                line += 1
                lineStart = index
            default:
                return
            }
        }
    }

    private mutating func parseValue() throws -> LocatedValue {
        guard index < bytes.count else { throw failure("unexpected end of input, expected a value") }
        let start = location
        values += 1
        if values > limits.values {
            throw Diagnostic.error("more than \(ContentLimits.grouped(limits.values)) values: the limit for one content (see README, 'Limits')", at: start)
        }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return LocatedValue(.string(try parseString()), at: start)
        case UInt8(ascii: "t"): try expectWord("true"); return LocatedValue(.bool(true), at: start)
        case UInt8(ascii: "f"): try expectWord("false"); return LocatedValue(.bool(false), at: start)
        case UInt8(ascii: "n"): try expectWord("null"); return LocatedValue(.null, at: start)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return LocatedValue(.number(try parseNumber()), at: start)
        default:
            throw failure("unexpected character \(describe(bytes[index])), expected a value")
        }
    }

    private func describe(_ byte: UInt8) -> String {
        if byte >= 0x20 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "0x" + String(byte, radix: 16, uppercase: true)
    }

    private mutating func expectWord(_ word: String) throws {
        let utf8 = Array(word.utf8)
        guard bytes.count - index >= utf8.count, Array(bytes[index..<index + utf8.count]) == utf8 else {
            throw failure("unexpected word, expected '\(word)'")
        }
        index += utf8.count
    }

    private mutating func enter() throws {
        depth += 1
        if depth > limits.depth { throw Diagnostic.error("nesting deeper than \(limits.depth) levels (see README, 'Limits')", at: location) }
    }

    private mutating func parseObject() throws -> LocatedValue {
        let start = location
        try enter()
        defer { depth -= 1 }
        index += 1
        var members: [LocatedValue.Member] = []
        var seen: [String: SourceLocation] = [:]
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return LocatedValue(.object(members), at: start)
        }
        while true {
            skipWhitespace()
            guard index < bytes.count else { throw failure("unexpected end of input inside an object") }
            guard bytes[index] == UInt8(ascii: "\"") else {
                throw failure("expected a quoted key, found \(describe(bytes[index]))")
            }
            let keyLocation = location
            let key = try parseString()
            if let first = seen[key] {
                diagnostics.append(.error("duplicate key '\(key)' (first at line \(first.line))", at: keyLocation))
            } else {
                seen[key] = keyLocation
            }
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw failure("expected ':' after key '\(key)'") }
            index += 1
            skipWhitespace()
            let value = try parseValue()
            members.append(.init(key: key, keyLocation: keyLocation, value: value))
            skipWhitespace()
            guard index < bytes.count else { throw failure("unexpected end of input inside an object, expected ',' or '}'") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "}") { index += 1; break }
            throw failure("expected ',' or '}' after a member, found \(describe(bytes[index]))")
        }
        return LocatedValue(.object(members), at: start)
    }

    private mutating func parseArray() throws -> LocatedValue {
        let start = location
        try enter()
        defer { depth -= 1 }
        index += 1
        var elements: [LocatedValue] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return LocatedValue(.array(elements), at: start)
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue())
            skipWhitespace()
            guard index < bytes.count else { throw failure("unexpected end of input inside a list, expected ',' or ']'") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "]") { index += 1; break }
            throw failure("expected ',' or ']' after an element, found \(describe(bytes[index]))")
        }
        return LocatedValue(.array(elements), at: start)
    }

    private mutating func parseString() throws -> String {
        let start = location
        index += 1  // opening quote
        let first = index
        // The string's UTF-8 bytes, gathered run by run and decoded once at the end: appending each run to a String
        // copied the string so far, quadratic in the number of escapes (a policy passed as a JSON string has many).
        var utf8: [UInt8] = []
        var runStart = index
        while true {
            guard index < bytes.count else { throw failure("unterminated string") }
            // Escapes only shorten a string: its bytes as written bound its length.
            if index - first > limits.stringBytes {
                throw Diagnostic.error(
                    "a string longer than \(ContentLimits.size(limits.stringBytes)), the limit for one string (see README, 'Limits')", at: start)
            }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                utf8.append(contentsOf: bytes[runStart..<index])
                index += 1
                return String(decoding: utf8, as: UTF8.self)
            }
            if byte < 0x20 {
                throw failure("control character \(describe(byte)) inside a string (escape it)")
            }
            if byte == UInt8(ascii: "\\") {
                utf8.append(contentsOf: bytes[runStart..<index])
                index += 1
                guard index < bytes.count else { throw failure("unterminated escape") }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""): utf8.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): utf8.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "/"): utf8.append(UInt8(ascii: "/"))
                case UInt8(ascii: "b"): utf8.append(0x08)
                case UInt8(ascii: "f"): utf8.append(0x0C)
                case UInt8(ascii: "n"): utf8.append(0x0A)
                case UInt8(ascii: "r"): utf8.append(0x0D)
                case UInt8(ascii: "t"): utf8.append(0x09)
                case UInt8(ascii: "u"):
                    var code = try parseHex4()
                    if (0xD800...0xDBFF).contains(code) {
                        guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                            throw failure("unpaired surrogate in \\u escape")
                        }
                        index += 2
                        let low = try parseHex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw failure("invalid low surrogate in \\u escape") }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00...0xDFFF).contains(code) {
                        throw failure("unpaired surrogate in \\u escape")
                    }
                    guard let scalar = Unicode.Scalar(code) else { throw failure("invalid \\u escape") }
                    utf8.append(contentsOf: UTF8.encode(scalar)!)
                default:
                    index -= 1
                    throw failure("invalid escape '\\\(Character(Unicode.Scalar(escape)))'")
                }
                runStart = index
                continue
            }
            index += 1
        }
    }

    private mutating func parseHex4() throws -> UInt32 {
        guard bytes.count - index >= 4 else { throw failure("truncated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw failure("invalid hex digit in \\u escape")
            }
            value = value * 16 + digit
            index += 1
        }
        return value
    }

    private mutating func parseNumber() throws -> String {
        let start = index
        func digits(_ reader: inout JSONReader) -> Int {
            var count = 0
            while reader.index < reader.bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(reader.bytes[reader.index]) {
                reader.index += 1
                count += 1
            }
            return count
        }
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count else { throw failure("incomplete number") }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else if digits(&self) == 0 {
            throw failure("invalid number")
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            if digits(&self) == 0 { throw failure("invalid number: digits expected after '.'") }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            if digits(&self) == 0 { throw failure("invalid number: digits expected in the exponent") }
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }
}
