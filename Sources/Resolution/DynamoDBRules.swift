/// What a DynamoDB request exposes to IAM beyond its action and resource: the fine-grained access keys (DynamoDB
/// Developer Guide, "Using IAM policy conditions for fine-grained access control"). The simulator reads the request
/// off the wire; which keys that request sets, and to what, is decided here.
public enum DynamoDBRules {
    /// The parts of a request the keys are made from, as the wire carried them.
    public struct Access: Sendable, Hashable {
        /// `GetItem`, `Query`, …
        public var operation: String
        /// The partition-key values the request reads or writes (a key's, an item's, a key condition's equality), as
        /// text: a string as is, a number as written, binary as base64.
        public var leadingKeys: [String]
        /// The top-level attribute names the request reads or writes: the key attributes, the projected ones, the ones
        /// an item or an update expression writes. nil when the request names none (a read of whole items).
        public var attributes: [String]?
        /// The `Select` parameter as sent.
        public var select: String?
        /// Whether the request has a `ProjectionExpression` (or `AttributesToGet`).
        public var projects: Bool
        /// Whether a Query or Scan reads an index.
        public var onIndex: Bool
        public var returnValues: String?
        public var returnConsumedCapacity: String?

        public init(
            operation: String, leadingKeys: [String] = [], attributes: [String]? = nil, select: String? = nil, projects: Bool = false,
            onIndex: Bool = false, returnValues: String? = nil, returnConsumedCapacity: String? = nil
        ) {
            self.operation = operation
            self.leadingKeys = leadingKeys
            self.attributes = attributes
            self.select = select
            self.projects = projects
            self.onIndex = onIndex
            self.returnValues = returnValues
            self.returnConsumedCapacity = returnConsumedCapacity
        }
    }

    static let reads: Set<String> = ["GetItem", "BatchGetItem", "Query", "Scan"]

    /// The `Select` a read asks for: as sent, else what DynamoDB does without it — the projected attributes
    /// (`SPECIFIC_ATTRIBUTES`) with a projection, the index's projection on an index, else every attribute.
    public static func effectiveSelect(_ access: Access) -> String? {
        guard reads.contains(access.operation) else { return nil }
        if let select = access.select { return select }
        if access.projects { return "SPECIFIC_ATTRIBUTES" }
        return access.onIndex ? "ALL_PROJECTED_ATTRIBUTES" : "ALL_ATTRIBUTES"
    }

    /// `dynamodb:LeadingKeys`, `dynamodb:Attributes`, `dynamodb:Select`, `dynamodb:ReturnValues`,
    /// `dynamodb:ReturnConsumedCapacity`: each only when the request has it, so that `ForAllValues` and `…IfExists`
    /// conditions evaluate as in AWS. A read without a projection asks for every attribute (`Select` says so), which a
    /// policy restricted to some attributes must refuse.
    public static func context(_ access: Access) -> [String: [String]] {
        // Room for every key below at once: growing a table rehashes it.
        var context: [String: [String]] = Dictionary(minimumCapacity: 5)
        if !access.leadingKeys.isEmpty { context["dynamodb:LeadingKeys"] = unique(access.leadingKeys) }
        if let attributes = access.attributes, !attributes.isEmpty { context["dynamodb:Attributes"] = unique(attributes) }
        if let select = effectiveSelect(access) { context["dynamodb:Select"] = [select] }
        if let returnValues = access.returnValues { context["dynamodb:ReturnValues"] = [returnValues] }
        if let capacity = access.returnConsumedCapacity { context["dynamodb:ReturnConsumedCapacity"] = [capacity] }
        return context
    }

    private static func unique(_ values: [String]) -> [String] {
        // A request names a handful: a linear scan is cheaper than hashing them into a set.
        guard values.count > 16 else {
            var kept: [String] = []
            kept.reserveCapacity(values.count)
            for value in values where !kept.contains(value) { kept.append(value) }
            return kept
        }
        var seen = Set<String>()
        return values.filter { seen.insert($0).inserted }
    }
}
