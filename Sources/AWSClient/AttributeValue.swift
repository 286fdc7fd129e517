import Foundation

/// One DynamoDB item: attribute names to typed values.
public typealias Item = [String: AttributeValue]

/// A DynamoDB attribute value, one case per wire type (`S`, `N`, `B`, `BOOL`, `NULL`, `M`, `L`, `SS`, `NS`, `BS`).
///
/// Numbers stay decimal strings, as on the wire, so no precision is lost: `.n("42")`.
public enum AttributeValue: Sendable, Hashable {
    case s(String)
    case n(String)
    case b([UInt8])
    case bool(Bool)
    case null
    case m([String: AttributeValue])
    case l([AttributeValue])
    case ss([String])
    case ns([String])
    case bs([[UInt8]])

    /// The string of an `S` value.
    public var stringValue: String? { if case let .s(value) = self { value } else { nil } }
    /// The decimal text of an `N` value.
    public var numberValue: String? { if case let .n(value) = self { value } else { nil } }
    /// The wire type tag: `S`, `N`, `B`, ….
    public var typeName: String {
        switch self {
        case .s: "S"
        case .n: "N"
        case .b: "B"
        case .bool: "BOOL"
        case .null: "NULL"
        case .m: "M"
        case .l: "L"
        case .ss: "SS"
        case .ns: "NS"
        case .bs: "BS"
        }
    }

    // MARK: Wire form

    package var json: JSONValue {
        switch self {
        case let .s(value): .object([("S", .string(value))])
        case let .n(value): .object([("N", .string(value))])
        case let .b(bytes): .object([("B", .string(Data(bytes).base64EncodedString()))])
        case let .bool(value): .object([("BOOL", .bool(value))])
        case .null: .object([("NULL", .bool(true))])
        case let .m(map): .object([("M", Self.json(map))])
        case let .l(values): .object([("L", .array(values.map(\.json)))])
        case let .ss(values): .object([("SS", .array(values.map { .string($0) }))])
        case let .ns(values): .object([("NS", .array(values.map { .string($0) }))])
        case let .bs(values): .object([("BS", .array(values.map { .string(Data($0).base64EncodedString()) }))])
        }
    }

    /// An item as a JSON object, members sorted by name (stable request bodies).
    package static func json(_ item: Item) -> JSONValue {
        // Sorted by name once, without looking each name up again, in the one array the object keeps.
        var members = item.map { ($0.key, $0.value.json) }
        members.sort { $0.0 < $1.0 }
        return .object(members)
    }

    /// `json(item).write(into:)` without the document: the same bytes, written straight from the attribute values
    /// (a request's key or item was built as a document, written and destroyed on every call).
    package static func writeJSON(_ item: Item, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        for (offset, member) in item.sorted(by: { $0.key < $1.key }).enumerated() {
            if offset > 0 { out.append(UInt8(ascii: ",")) }
            JSONValue.writeString(member.key, into: &out)
            out.append(UInt8(ascii: ":"))
            member.value.writeJSON(into: &out)
        }
        out.append(UInt8(ascii: "}"))
    }

    /// `json.write(into:)` without the document.
    package func writeJSON(into out: inout [UInt8]) {
        func tagged(_ tag: String, _ body: (inout [UInt8]) -> Void) {
            out.append(UInt8(ascii: "{"))
            JSONValue.writeString(tag, into: &out)
            out.append(UInt8(ascii: ":"))
            body(&out)
            out.append(UInt8(ascii: "}"))
        }
        func strings(_ values: [String], into out: inout [UInt8]) {
            out.append(UInt8(ascii: "["))
            for (offset, value) in values.enumerated() {
                if offset > 0 { out.append(UInt8(ascii: ",")) }
                JSONValue.writeString(value, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        }
        switch self {
        case let .s(value): tagged("S") { JSONValue.writeString(value, into: &$0) }
        case let .n(value): tagged("N") { JSONValue.writeString(value, into: &$0) }
        case let .b(bytes): tagged("B") { JSONValue.writeString(Data(bytes).base64EncodedString(), into: &$0) }
        case let .bool(value): tagged("BOOL") { $0 += (value ? "true" : "false").utf8 }
        case .null: tagged("NULL") { $0 += "true".utf8 }
        case let .m(map): tagged("M") { Self.writeJSON(map, into: &$0) }
        case let .l(values):
            tagged("L") { out in
                out.append(UInt8(ascii: "["))
                for (offset, value) in values.enumerated() {
                    if offset > 0 { out.append(UInt8(ascii: ",")) }
                    value.writeJSON(into: &out)
                }
                out.append(UInt8(ascii: "]"))
            }
        case let .ss(values): tagged("SS") { strings(values, into: &$0) }
        case let .ns(values): tagged("NS") { strings(values, into: &$0) }
        case let .bs(values): tagged("BS") { strings(values.map { Data($0).base64EncodedString() }, into: &$0) }
        }
    }

    package struct DecodingError: Error, Sendable {
        package var reason: String
    }

    /// Reads `{"S": "…"}` and friends; anything else is a `DecodingError` naming the problem.
    package init(json: JSONValue, depth: Int = 0) throws(DecodingError) {
        guard depth < 32 else { throw DecodingError(reason: "attribute value nested too deeply") }
        guard let members = json.members, members.count == 1, let (tag, value) = members.first else {
            throw DecodingError(reason: "an attribute value must be an object with exactly one type key")
        }
        func strings() throws(DecodingError) -> [String] {
            guard let array = value.array else { throw DecodingError(reason: "\(tag) must be an array of strings") }
            var out: [String] = []
            for element in array {
                guard let text = element.string else { throw DecodingError(reason: "\(tag) must be an array of strings") }
                out.append(text)
            }
            return out
        }
        func bytes(_ text: String) throws(DecodingError) -> [UInt8] {
            guard let data = Data(base64Encoded: text) else { throw DecodingError(reason: "\(tag) is not valid base64") }
            return Array(data)
        }
        switch tag {
        case "S":
            guard let text = value.string else { throw DecodingError(reason: "S must be a string") }
            self = .s(text)
        case "N":
            guard let text = value.string, Self.isNumber(text) else { throw DecodingError(reason: "N must be a decimal number in a string") }
            self = .n(text)
        case "B":
            guard let text = value.string else { throw DecodingError(reason: "B must be a base64 string") }
            self = .b(try bytes(text))
        case "BOOL":
            guard let flag = value.bool else { throw DecodingError(reason: "BOOL must be true or false") }
            self = .bool(flag)
        case "NULL":
            guard value.bool == true else { throw DecodingError(reason: "NULL must be true") }
            self = .null
        case "M": self = .m(try Self.item(json: value, depth: depth + 1))
        case "L":
            guard let array = value.array else { throw DecodingError(reason: "L must be an array") }
            var values: [AttributeValue] = []
            for element in array { values.append(try AttributeValue(json: element, depth: depth + 1)) }
            self = .l(values)
        case "SS": self = .ss(try strings())
        case "NS":
            let values = try strings()
            guard values.allSatisfy(Self.isNumber) else { throw DecodingError(reason: "NS must hold decimal numbers") }
            self = .ns(values)
        case "BS":
            var values: [[UInt8]] = []
            for text in try strings() { values.append(try bytes(text)) }
            self = .bs(values)
        default: throw DecodingError(reason: "unknown attribute type \(tag)")
        }
    }

    package static func item(json: JSONValue, depth: Int = 0) throws(DecodingError) -> Item {
        guard let members = json.members else { throw DecodingError(reason: "an item must be a JSON object") }
        var item: Item = Dictionary(minimumCapacity: members.count)
        for (name, value) in members { item[name] = try AttributeValue(json: value, depth: depth) }
        return item
    }

    /// `-12.5e3`-style decimal text.
    package static func isNumber(_ text: String) -> Bool {
        guard !text.isEmpty, text.utf8.count <= 40 else { return false }
        return Double(text) != nil && !text.contains(where: { $0.isLetter && $0 != "e" && $0 != "E" })
    }
}

extension AttributeValue: ExpressibleByStringLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral {
    public init(stringLiteral value: String) { self = .s(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int) { self = .n(String(value)) }
}
