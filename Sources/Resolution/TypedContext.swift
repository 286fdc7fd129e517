public import Policy

/// Context keys written as text (a step's `context:`, the simulator's wire keys, `explain --context`) in the engine's
/// typed form, in one place: the global keys AWS types as dates, numbers, booleans or IP addresses keep that type (so
/// `DateGreaterThan aws:CurrentTime` and `IpAddress aws:SourceIp` work), a key with several values is a list, the rest
/// are strings (IAM User Guide, "AWS global condition context keys").
public enum TypedContext {
    /// `entries` as a typed context. Keys that differ in case alone: the first spelling in sorted order is kept and
    /// the last value wins, whatever order `entries` has.
    public static func context(_ entries: [String: [String]]) -> RequestContext {
        let unsorted = context(entries, count: entries.count)
        return unsorted.entries.count == entries.count ? unsorted : context(entries.sorted { $0.key < $1.key }, count: entries.count)
    }

    private static func context(_ entries: some Sequence<(key: String, value: [String])>, count: Int) -> RequestContext {
        var context = RequestContext(minimumCapacity: count)
        for (key, values) in entries {
            let lowered = RequestContext.lowercasedKey(key)
            context.set(value(values, lowercased: lowered), forKey: key, lowercased: lowered)
        }
        return context
    }

    /// The typed value of a key already lower-cased.
    public static func value(_ values: [String], lowercased lowered: String) -> ContextValue {
        let scalar = typedKeys[lowered] ?? .string
        let type: ContextKeyType =
            if values.count > 1 || lowered == "aws:tagkeys" {
                ContextKeyType(rawValue: scalar.rawValue + "List") ?? .stringList
            } else {
                scalar
            }
        return ContextValue(values, type: type)
    }

    private static let typedKeys: [String: ContextKeyType] = [
        "aws:currenttime": .date, "aws:tokenissuetime": .date, "aws:epochtime": .numeric,
        "aws:multifactorauthage": .numeric, "aws:securetransport": .boolean, "aws:viaawsservice": .boolean,
        "aws:principalisawsservice": .boolean, "aws:multifactorauthpresent": .boolean, "aws:sourceip": .ip,
    ]
}
