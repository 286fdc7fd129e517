public import Source
/// Why a request was denied, in the terms of AWS's access-denied messages.
public enum DenialReason: Sendable, Hashable {
    /// "with an explicit deny in a(n) <policy type>"
    case explicitDeny(PolicySlot)
    /// "because no <policy type> allows the <action> action"
    case noAllow(PolicySlot)
}

/// One line of an `explain` trace: what one statement said about the request.
public struct TraceEntry: Sendable, Hashable {
    public enum Outcome: Sendable, Hashable {
        case matched
        case principalDoesNotMatch
        case actionDoesNotMatch
        case resourceDoesNotMatch
        /// A condition clause was false: operator, key, the values the policy names, and the request's values (empty
        /// when the request lacks the key).
        case conditionFalse(operator: String, key: String, expected: [String], values: [String])
    }

    public var policy: String
    public var slot: PolicySlot
    public var sid: String?
    public var effect: Effect
    public var location: SourceLocation
    public var outcome: Outcome
    /// For a matched resource-policy statement: how the principal was named ("the account", "the role", …).
    public var grant: String?
}

/// The result of evaluating one request.
public struct Evaluation: Sendable {
    public var decision: Decision
    public var reason: DenialReason?
    /// Statements that matched, in evaluation order.
    public var matched: [MatchedStatement]
    /// The policies considered, in order, with their slot (empty policies still appear).
    public var trace: [TraceEntry]?
    /// Condition keys a statement looked at that the context lacked (`MissingContextValues`).
    public var missingContextKeys: [String]
    public var principalARN: String
    public var action: String
    public var resourceARN: String

    /// AWS's access-denied message, or `nil` when allowed (IAM User Guide, "Troubleshooting access denied
    /// error messages").
    public var message: String? {
        guard let reason else { return nil }
        let head = "User: \(principalARN) is not authorized to perform: \(action) on resource: \(resourceARN)"
        switch reason {
        case .explicitDeny(let slot): return "\(head) with an explicit deny in \(slot.withArticle)"
        case .noAllow(let slot): return "\(head) because no \(slot.wording) allows the \(action) action"
        }
    }
}
