/// A member's value in a DynamoDB request or answer body: JSON, or items, which are written straight from their
/// attribute values, byte for byte as `AttributeValue.json` makes them. An item's document (an array per attribute)
/// was built, written and destroyed on every call, on both sides of the wire.
package enum BodyMember: Sendable {
    case json(JSONValue)
    case item(Item)
    case items([Item])

    package static func string(_ text: String) -> BodyMember { .json(.string(text)) }
    package static func number(_ text: String) -> BodyMember { .json(.number(text)) }
    package static func bool(_ value: Bool) -> BodyMember { .json(.bool(value)) }

    /// `members` as one JSON object, in order.
    package static func serialized(_ members: [(String, BodyMember)]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        out.append(UInt8(ascii: "{"))
        for (offset, member) in members.enumerated() {
            if offset > 0 { out.append(UInt8(ascii: ",")) }
            JSONValue.writeString(member.0, into: &out)
            out.append(UInt8(ascii: ":"))
            member.1.write(into: &out)
        }
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// The JSON of the value, as `JSONValue.write(into:)` writes the document it stands for.
    package func write(into out: inout [UInt8]) {
        switch self {
        case let .json(value): value.write(into: &out)
        case let .item(item): AttributeValue.writeJSON(item, into: &out)
        case let .items(items):
            out.append(UInt8(ascii: "["))
            for (offset, item) in items.enumerated() {
                if offset > 0 { out.append(UInt8(ascii: ",")) }
                AttributeValue.writeJSON(item, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        }
    }
}
