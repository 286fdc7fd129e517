/// A JSON-shaped value tree in which every node remembers where it was written.
///
/// Both loaders (YAML for `model.yml`, JSON for policy files and `simulate` input) produce this tree, and the
/// policy grammar is parsed from it, so grammar errors point at the line of the offending key whatever the
/// source format was.
public struct LocatedValue: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case string(String)
        /// A number, kept as written so that nothing is lost in a round trip.
        case number(String)
        case bool(Bool)
        case null
        case array([LocatedValue])
        case object([Member])
    }

    public struct Member: Sendable, Hashable {
        public var key: String
        public var keyLocation: SourceLocation
        public var value: LocatedValue

        public init(key: String, keyLocation: SourceLocation, value: LocatedValue) {
            self.key = key
            self.keyLocation = keyLocation
            self.value = value
        }
    }

    public var kind: Kind
    public var location: SourceLocation

    public init(_ kind: Kind, at location: SourceLocation) {
        self.kind = kind
        self.location = location
    }

    public var members: [Member]? {
        if case .object(let members) = kind { return members }
        return nil
    }

    public var elements: [LocatedValue]? {
        if case .array(let elements) = kind { return elements }
        return nil
    }

    public var string: String? {
        if case .string(let string) = kind { return string }
        return nil
    }

    /// The text of a scalar as IAM reads it: strings as they are, numbers as written, booleans as `true`/`false`.
    public var scalarText: String? {
        switch kind {
        case .string(let text), .number(let text): text
        case .bool(let flag): flag ? "true" : "false"
        case .null, .array, .object: nil
        }
    }

    public subscript(key: String) -> LocatedValue? {
        members?.first { $0.key == key }?.value
    }

    /// A short name of the value's type for messages ("a string", "a list", …).
    public var typeDescription: String {
        switch kind {
        case .string: "a string"
        case .number: "a number"
        case .bool: "a boolean"
        case .null: "null"
        case .array: "a list"
        case .object: "a mapping"
        }
    }

    /// The value without locations, as plain JSON text with sorted keys omitted (members keep their order).
    public var jsonText: String { JSONWriter.write(self, pretty: false) }
}
