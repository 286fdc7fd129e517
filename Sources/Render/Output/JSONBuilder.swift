import Policy
public import Source

/// Small helpers to build JSON documents for output; all escaping goes through `JSONWriter`.
public enum JSON {
    static let here = SourceLocation.synthesized("generated")

    public static func string(_ text: String) -> LocatedValue { LocatedValue(.string(text), at: here) }
    public static func number(_ value: Int) -> LocatedValue { LocatedValue(.number(String(value)), at: here) }
    public static func bool(_ flag: Bool) -> LocatedValue { LocatedValue(.bool(flag), at: here) }
    public static let null = LocatedValue(.null, at: here)
    public static func array(_ elements: [LocatedValue]) -> LocatedValue { LocatedValue(.array(elements), at: here) }
    public static func object(_ members: KeyValuePairs<String, LocatedValue?>) -> LocatedValue {
        object(members.map { ($0.key, $0.value) })
    }
    public static func object(_ members: [(String, LocatedValue?)]) -> LocatedValue {
        LocatedValue(.object(members.compactMap { key, value in value.map { .init(key: key, keyLocation: here, value: $0) } }), at: here)
    }
    public static func optional(_ text: String?) -> LocatedValue? { text.map(string) }
}
