public import Policy
public import Source

/// Why a request is denied, as data: which kind of policy decided, how, and with which statement or condition.
/// Renderers turn it into words (`CauseWording`); nothing parses a message back into meaning.
public struct Cause: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// A `Deny` statement matched: it wins over every Allow.
        case explicitDeny
        /// A statement of the deciding side would allow the request, but one of its conditions is false.
        case conditionFailed
        /// No statement of the deciding side allows the action on the resource.
        case noStatementAllows
        /// The deciding side has no policy at all (a table without a resource-based policy, a role with no identity
        /// policy).
        case noPolicy
    }

    public var kind: Kind
    /// The kind of policy that decided (the one that denies, or the one that does not allow).
    public var slot: PolicySlot
    /// Whether the request crosses accounts (then both sides must allow).
    public var crossAccount: Bool
    /// The policies of the deciding side: the one that denies, the ones with failed conditions, or all of that slot's
    /// policies that fail to allow.
    public var policies: [AppliedPolicy]
    /// The deny statement, for `.explicitDeny`.
    public var statement: StatementReference?
    /// The failed conditions, for `.conditionFailed`, in evaluation order.
    public var conditions: [FailedCondition]

    public init(
        kind: Kind, slot: PolicySlot, crossAccount: Bool, policies: [AppliedPolicy], statement: StatementReference? = nil,
        conditions: [FailedCondition] = []
    ) {
        self.kind = kind
        self.slot = slot
        self.crossAccount = crossAccount
        self.policies = policies
        self.statement = statement
        self.conditions = conditions
    }
}

/// One statement of one policy, where it is written.
public struct StatementReference: Sendable, Hashable {
    public var policy: AppliedPolicy
    public var sid: String?
    public var location: SourceLocation
}

/// A condition that made an otherwise matching statement not apply.
public struct FailedCondition: Sendable, Hashable {
    public var statement: StatementReference
    /// The operator as written (`StringEquals`, `ForAnyValue:StringLike`, `ArnLikeIfExists`…).
    public var `operator`: String
    /// The key as written (`aws:PrincipalOrgID`).
    public var key: String
    /// The values the policy names.
    public var expected: [String]
    /// The request's values; empty when the request has no such key.
    public var actual: [String]
}

extension Cause {
    /// The cause of `evaluation`'s denial, from its trace (`nil` when allowed). `policies` are the applied policies of
    /// the request, in the engine's order.
    static func derive(_ evaluation: Evaluation, request: Request, policies: [AppliedPolicy]) -> Cause? {
        guard let reason = evaluation.reason else { return nil }
        func applied(_ name: String, _ slot: PolicySlot) -> AppliedPolicy? {
            policies.first { $0.engineName == name && $0.slot == slot }
        }
        switch reason {
        case .explicitDeny(let slot):
            guard let deny = evaluation.matched.first(where: { $0.effect == .deny }),
                  let policy = policies.first(where: { $0.engineName == deny.policy && $0.slot.matches(deny.kind) })
            else {
                return Cause(kind: .explicitDeny, slot: slot, crossAccount: request.isCrossAccount, policies: [])
            }
            return Cause(
                kind: .explicitDeny, slot: policy.slot, crossAccount: request.isCrossAccount, policies: [policy],
                statement: StatementReference(policy: policy, sid: deny.sid, location: deny.location))
        case .noAllow(let slot):
            let ofSlot = policies.filter { $0.slot == slot }
            var failed: [FailedCondition] = []
            for entry in evaluation.trace ?? [] where entry.slot == slot && entry.effect == .allow {
                guard case .conditionFalse(let op, let key, let expected, let actual) = entry.outcome, let policy = applied(entry.policy, slot) else { continue }
                failed.append(FailedCondition(
                    statement: StatementReference(policy: policy, sid: entry.sid, location: entry.location), operator: op, key: key,
                    expected: expected, actual: actual))
            }
            if !failed.isEmpty {
                var named: [AppliedPolicy] = []
                for condition in failed where !named.contains(condition.statement.policy) { named.append(condition.statement.policy) }
                return Cause(kind: .conditionFailed, slot: slot, crossAccount: request.isCrossAccount, policies: named, conditions: failed)
            }
            let empty = ofSlot.isEmpty
            return Cause(kind: empty ? .noPolicy : .noStatementAllows, slot: slot, crossAccount: request.isCrossAccount, policies: ofSlot)
        }
    }
}
