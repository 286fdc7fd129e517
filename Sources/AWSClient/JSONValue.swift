/// A JSON document as AWS JSON 1.0 uses it. Objects keep member order; numbers keep their text
/// (DynamoDB numbers travel as strings, so nothing here needs floating point).
package enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    package static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case let (.bool(a), .bool(b)): a == b
        case let (.number(a), .number(b)): a == b
        case let (.string(a), .string(b)): a == b
        case let (.array(a), .array(b)): a == b
        case let (.object(a), .object(b)): a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: false
        }
    }

    package func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case let .bool(value): hasher.combine(value)
        case let .number(value): hasher.combine(value)
        case let .string(value): hasher.combine(value)
        case let .array(values): hasher.combine(values)
        case let .object(members):
            for (key, value) in members {
                hasher.combine(key)
                hasher.combine(value)
            }
        }
    }

    package subscript(key: String) -> JSONValue? {
        if case let .object(members) = self { return members.first { $0.0 == key }?.1 }
        return nil
    }

    package var string: String? { if case let .string(value) = self { value } else { nil } }
    package var array: [JSONValue]? { if case let .array(value) = self { value } else { nil } }
    package var members: [(String, JSONValue)]? { if case let .object(value) = self { value } else { nil } }
    package var bool: Bool? { if case let .bool(value) = self { value } else { nil } }
    package var int: Int? {
        switch self {
        case let .number(text): Int(text)
        default: nil
        }
    }

    // MARK: Writing

    package var serialized: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(128)
        write(into: &out)
        return out
    }

    package func write(into out: inout [UInt8]) {
        switch self {
        case .null: out += "null".utf8
        case let .bool(value): out += (value ? "true" : "false").utf8
        case let .number(text): out += text.utf8
        case let .string(text): Self.writeString(text, into: &out)
        case let .array(values):
            out.append(UInt8(ascii: "["))
            for (offset, value) in values.enumerated() {
                if offset > 0 { out.append(UInt8(ascii: ",")) }
                value.write(into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case let .object(members):
            out.append(UInt8(ascii: "{"))
            for (offset, member) in members.enumerated() {
                if offset > 0 { out.append(UInt8(ascii: ",")) }
                Self.writeString(member.0, into: &out)
                out.append(UInt8(ascii: ":"))
                member.1.write(into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// The one place JSON strings are escaped.
    static func writeString(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        // Fast path: nothing to escape (names, keys, ARNs) is copied whole.
        let copied: Bool? = text.utf8.withContiguousStorageIfAvailable { bytes in
            guard !bytes.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else { return false }
            out.append(contentsOf: bytes)
            return true
        }
        if copied == true {
            out.append(UInt8(ascii: "\""))
            return
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += [92, 34]
            case UInt8(ascii: "\\"): out += [92, 92]
            case 0x0A: out += [92, UInt8(ascii: "n")]
            case 0x0D: out += [92, UInt8(ascii: "r")]
            case 0x09: out += [92, UInt8(ascii: "t")]
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out += [92, UInt8(ascii: "u"), 48, 48, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    // MARK: Reading

    /// Why a document is not JSON (RFC 8259), and the byte offset where that was found.
    package struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        package enum Kind: Sendable, Hashable {
            /// The text stops inside a value.
            case endOfInput
            /// A byte that cannot start a value.
            case unexpectedCharacter
            /// `true`, `false` or `null` misspelled.
            case invalidLiteral(String)
            case expectedMemberName
            case expectedColon
            case expectedCommaOrEnd(closing: Character)
            case invalidNumber(NumberProblem)
            /// A byte below 0x20 inside a string: RFC 8259 requires it escaped.
            case unescapedControlCharacter
            /// A backslash followed by anything but `" \ / b f n r t u`.
            case invalidEscape
            /// `\u` not followed by four hexadecimal digits.
            case invalidUnicodeEscape
            /// A `\uD800`–`\uDFFF` escape that is not half of a high–low pair.
            case loneSurrogate
            /// Bytes inside a string that are not UTF-8.
            case invalidUTF8
            case unterminatedString
            /// Deeper than `JSONValue.maximumDepth` arrays and objects.
            case nestingTooDeep
            case textAfterValue
        }

        /// How a number breaks `[ "-" ] ( "0" / digit1-9 *digit ) [ "." 1*digit ] [ ( "e" / "E" ) [ "-" / "+" ] 1*digit ]`.
        package enum NumberProblem: Sendable, Hashable {
            /// `-`, `.5`, `+1`, `-x`.
            case noIntegerDigits
            /// `01`, `-00`.
            case leadingZero
            /// `1.`, `1.e5`.
            case noFractionDigits
            /// `1e`, `1e+`.
            case noExponentDigits
            /// A number character where the number has ended: `1-2`, `1.2.3`, `1e5e`.
            case unexpectedCharacter
        }

        package var offset: Int
        package var kind: Kind

        package init(offset: Int, kind: Kind) {
            self.offset = offset
            self.kind = kind
        }

        package var reason: String {
            switch kind {
            case .endOfInput: "JSON ends early"
            case .unexpectedCharacter: "unexpected character"
            case .invalidLiteral(let word): "expected \(word)"
            case .expectedMemberName: "expected a member name"
            case .expectedColon: "expected ':'"
            case .expectedCommaOrEnd(let closing): "expected ',' or '\(closing)'"
            case .invalidNumber(.noIntegerDigits): "malformed number: no digit before the fraction or exponent"
            case .invalidNumber(.leadingZero): "malformed number: a leading zero"
            case .invalidNumber(.noFractionDigits): "malformed number: no digit after '.'"
            case .invalidNumber(.noExponentDigits): "malformed number: no digit in the exponent"
            case .invalidNumber(.unexpectedCharacter): "malformed number"
            case .unescapedControlCharacter: "control character in string"
            case .invalidEscape: "invalid escape"
            case .invalidUnicodeEscape: "invalid \\u escape"
            case .loneSurrogate: "lone UTF-16 surrogate in \\u escape"
            case .invalidUTF8: "string is not UTF-8"
            case .unterminatedString: "unterminated string"
            case .nestingTooDeep: "JSON nested too deeply"
            case .textAfterValue: "unexpected text after the JSON value"
            }
        }

        package var description: String { "\(reason) at byte \(offset)" }
    }

    /// Arrays and objects nest at most this deep: AWS JSON 1.0 answers nest a few levels, and the parser recurses.
    package static let maximumDepth = 64

    /// Parses a complete document as RFC 8259 defines it; trailing text, truncation and nesting deeper than
    /// `maximumDepth` are errors.
    package static func parse(_ bytes: [UInt8]) throws(ParseError) -> JSONValue {
        // Over the array's buffer: no bounds-checked array access per byte, and strings made from contiguous bytes.
        let result = bytes.withUnsafeBufferPointer { buffer -> Result<JSONValue, ParseError> in
            var parser = Parser(bytes: buffer)
            parser.skipSpace()
            let value: JSONValue
            do throws(ParseError) {
                value = try parser.value(depth: 0)
            } catch {
                return .failure(error)
            }
            parser.skipSpace()
            guard parser.index == buffer.count else { return .failure(ParseError(offset: parser.index, kind: .textAfterValue)) }
            return .success(value)
        }
        return try result.get()
    }

    private struct Parser {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        mutating func skipSpace() {
            while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09 {
                index += 1
            }
        }

        func fail(_ kind: ParseError.Kind) -> ParseError { ParseError(offset: index, kind: kind) }

        mutating func value(depth: Int) throws(ParseError) -> JSONValue {
            guard index < bytes.count else { throw fail(.endOfInput) }
            switch bytes[index] {
            case UInt8(ascii: "{"):
                guard depth < JSONValue.maximumDepth else { throw fail(.nestingTooDeep) }
                index += 1
                var members: [(String, JSONValue)] = []
                skipSpace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
                // AWS JSON objects have a few members: room for them at once rather than growing 1, 2, 4.
                members.reserveCapacity(4)
                while true {
                    skipSpace()
                    guard index < bytes.count else { throw fail(.endOfInput) }
                    guard bytes[index] == UInt8(ascii: "\"") else { throw fail(.expectedMemberName) }
                    let key = try string()
                    skipSpace()
                    guard index < bytes.count else { throw fail(.endOfInput) }
                    guard bytes[index] == UInt8(ascii: ":") else { throw fail(.expectedColon) }
                    index += 1
                    skipSpace()
                    members.append((key, try value(depth: depth + 1)))
                    skipSpace()
                    guard index < bytes.count else { throw fail(.endOfInput) }
                    if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                    if bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
                    throw fail(.expectedCommaOrEnd(closing: "}"))
                }
            case UInt8(ascii: "["):
                guard depth < JSONValue.maximumDepth else { throw fail(.nestingTooDeep) }
                index += 1
                var values: [JSONValue] = []
                skipSpace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return .array(values) }
                while true {
                    skipSpace()
                    values.append(try value(depth: depth + 1))
                    skipSpace()
                    guard index < bytes.count else { throw fail(.endOfInput) }
                    if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                    if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(values) }
                    throw fail(.expectedCommaOrEnd(closing: "]"))
                }
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): try literal("true"); return .bool(true)
            case UInt8(ascii: "f"): try literal("false"); return .bool(false)
            case UInt8(ascii: "n"): try literal("null"); return .null
            // `.` and `+` start no JSON value, but they are meant as numbers: say what is wrong with them.
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "+"): return .number(try number())
            default: throw fail(.unexpectedCharacter)
            }
        }

        mutating func literal(_ word: String) throws(ParseError) {
            let expected = Array(word.utf8)
            guard index + expected.count <= bytes.count, bytes[index..<index + expected.count].elementsEqual(expected) else {
                throw fail(.invalidLiteral(word))
            }
            index += expected.count
        }

        func isDigit(_ offset: Int) -> Bool { offset < bytes.count && bytes[offset] >= UInt8(ascii: "0") && bytes[offset] <= UInt8(ascii: "9") }

        /// RFC 8259, section 6, exactly; the text is kept as written.
        mutating func number() throws(ParseError) -> String {
            let start = index
            if bytes[index] == UInt8(ascii: "-") { index += 1 }
            // int = "0" / digit1-9 *digit
            guard isDigit(index) else { throw fail(.invalidNumber(.noIntegerDigits)) }
            if bytes[index] == UInt8(ascii: "0") {
                index += 1
                if isDigit(index) { throw fail(.invalidNumber(.leadingZero)) }
            } else {
                while isDigit(index) { index += 1 }
            }
            // frac = "." 1*digit
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                guard isDigit(index) else { throw fail(.invalidNumber(.noFractionDigits)) }
                while isDigit(index) { index += 1 }
            }
            // exp = ("e" / "E") ["-" / "+"] 1*digit
            if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") { index += 1 }
                guard isDigit(index) else { throw fail(.invalidNumber(.noExponentDigits)) }
                while isDigit(index) { index += 1 }
            }
            // What follows must end the number; another number character means it was malformed (`1-2`, `1.2.3`).
            if index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"): throw fail(.invalidNumber(.unexpectedCharacter))
                default: break
                }
            }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        }

        mutating func string() throws(ParseError) -> String {
            index += 1  // opening quote
            // Most strings have no escapes: decode them straight from the input, without a buffer.
            let start = index
            var ascii = true
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    index += 1
                    if !ascii { try validateUTF8(start..<(index - 1)) }
                    return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<(index - 1)]), as: UTF8.self)
                }
                if byte < 0x20 { throw fail(.unescapedControlCharacter) }
                if byte >= 0x80 { ascii = false }
                if byte == UInt8(ascii: "\\") { break }
                index += 1
            }
            var out = Array(bytes[start..<index])
            var unescaped = start  // where bytes copied as written begin; checked for UTF-8 before the next escape
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    if !ascii { try validateUTF8(unescaped..<index) }
                    index += 1
                    return String(decoding: out, as: UTF8.self)
                }
                if byte < 0x20 { throw fail(.unescapedControlCharacter) }
                if byte != UInt8(ascii: "\\") {
                    if byte >= 0x80 { ascii = false }
                    out.append(byte)
                    index += 1
                    continue
                }
                if !ascii { try validateUTF8(unescaped..<index) }
                ascii = true
                index += 1
                guard index < bytes.count else { break }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""): out.append(34)
                case UInt8(ascii: "\\"): out.append(92)
                case UInt8(ascii: "/"): out.append(47)
                case UInt8(ascii: "b"): out.append(8)
                case UInt8(ascii: "f"): out.append(12)
                case UInt8(ascii: "n"): out.append(10)
                case UInt8(ascii: "r"): out.append(13)
                case UInt8(ascii: "t"): out.append(9)
                case UInt8(ascii: "u"):
                    let escapeStart = index - 2
                    var scalar = try hex4()
                    if (0xDC00...0xDFFF).contains(scalar) { throw ParseError(offset: escapeStart, kind: .loneSurrogate) }
                    if (0xD800...0xDBFF).contains(scalar) {
                        guard index + 1 < bytes.count, bytes[index] == 92, bytes[index + 1] == UInt8(ascii: "u") else {
                            throw ParseError(offset: escapeStart, kind: .loneSurrogate)
                        }
                        index += 2
                        let low = try hex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw ParseError(offset: escapeStart, kind: .loneSurrogate) }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    // Outside the surrogate range every value up to 0x10FFFF is a scalar.
                    guard let unicode = Unicode.Scalar(scalar) else { throw fail(.invalidUnicodeEscape) }
                    UTF8.encode(unicode) { out.append($0) }
                default:
                    index -= 2
                    throw fail(.invalidEscape)
                }
                unescaped = index
            }
            throw fail(.unterminatedString)
        }

        /// Throws `invalidUTF8` at the first byte of `range` that is not UTF-8 (overlong forms, encoded surrogates
        /// and values past U+10FFFF included).
        func validateUTF8(_ range: Range<Int>) throws(ParseError) {
            var parser = Unicode.UTF8.ForwardParser()
            var iterator = bytes[range].makeIterator()
            var offset = range.lowerBound
            while true {
                switch parser.parseScalar(from: &iterator) {
                case .valid(let encoded): offset += encoded.count
                case .emptyInput: return
                case .error: throw ParseError(offset: offset, kind: .invalidUTF8)
                }
            }
        }

        mutating func hex4() throws(ParseError) -> UInt32 {
            var value: UInt32 = 0
            for _ in 0..<4 {
                guard index < bytes.count else { throw fail(.endOfInput) }
                let byte = bytes[index]
                value <<= 4
                switch byte {
                case 48...57: value |= UInt32(byte - 48)
                case 97...102: value |= UInt32(byte - 87)
                case 65...70: value |= UInt32(byte - 55)
                default: throw fail(.invalidUnicodeEscape)
                }
                index += 1
            }
            return value
        }
    }
}
