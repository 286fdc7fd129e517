public import Source
/// The outcome of evaluating one request, in AWS's three-way terms.
public enum Decision: String, Sendable, Hashable, Codable, CaseIterable {
    case allowed
    /// No policy allowed the request (or one side of a cross-account request did not).
    case implicitDeny
    /// A `Deny` statement matched.
    case explicitDeny
}

/// A statement that took part in a decision: which policy, which `Sid`, where it is written, and what it said.
public struct MatchedStatement: Sendable, Hashable {
    /// The policy's name as the model knows it ("trust policy of DynamoDBAccessRole", "OrdersTableAccess", …).
    public var policy: String
    public var kind: PolicyKind
    public var sid: String?
    public var effect: Effect
    public var location: SourceLocation

    public init(policy: String, kind: PolicyKind, sid: String?, effect: Effect, location: SourceLocation) {
        self.policy = policy
        self.kind = kind
        self.sid = sid
        self.effect = effect
        self.location = location
    }
}
