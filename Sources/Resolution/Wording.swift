public import Model
public import Policy

/// AWS's own words for a denial, in one place (IAM User Guide, "Troubleshooting access denied error messages").
public enum AWSMessage {
    /// `User: <caller> is not authorized to perform: <action> on resource: <resource> because no … allows …` (or
    /// `… with an explicit deny in a … policy`); `nil` when allowed.
    /// STS answers a denied `AssumeRole` (and the `sts:TagSession`/`sts:SetSourceIdentity` it implies) without the
    /// reason: `User: … is not authorized to perform: sts:AssumeRole on resource: <role>`, whatever policy refused it.
    public static func denial(_ evaluation: Evaluation) -> String? {
        guard evaluation.reason != nil else { return nil }
        if isSTS(evaluation.action) {
            return plainDenial(principal: evaluation.principalARN, action: evaluation.action, resource: evaluation.resourceARN)
        }
        return evaluation.message
    }

    /// Whether STS, not IAM's usual wording, words the denial of `action`.
    static func isSTS(_ action: String) -> Bool { action.lowercased().hasPrefix("sts:") }

    /// The message without its reason, for a denial whose policy type is not known.
    public static func plainDenial(principal: String, action: String, resource: String) -> String {
        "User: \(principal) is not authorized to perform: \(action) on resource: \(resource)"
    }
}

/// A step's verdict and cause in words: one function per audience, all from the same `StepResolution`, so a
/// diagram label, a guide sentence and `check`'s "why" cannot disagree.
public struct CauseWording: Sendable {
    public let resolution: StepResolution
    public let model: Model

    public init(_ resolution: StepResolution, model: Model) {
        self.resolution = resolution
        self.model = model
    }

    var cause: Cause? { resolution.cause }
    var action: String { resolution.step.action }

    /// "allowed", "implicit deny", "explicit deny".
    public var verdict: String {
        switch resolution.decision {
        case .allowed: "allowed"
        case .implicitDeny: "implicit deny"
        case .explicitDeny: "explicit deny"
        }
    }

    /// The wording of the refused AssumeRole behind this step, when its session cannot be made.
    var refusal: CauseWording? { resolution.refusedSession.map { CauseWording($0.resolution, model: model) } }

    /// The wording of the refused KMS call the service made for this step (its own policies allowed it).
    var keyRefusal: CauseWording? {
        guard resolution.refusedSession == nil, let denied = resolution.deniedImplied else { return nil }
        return CauseWording(denied, model: model)
    }

    /// "S3 calls kms:Decrypt on key alias/x with the caller's credentials".
    var keyCall: String {
        guard let denied = resolution.deniedImplied else { return "" }
        let service = ResourceKind.all.first { $0.service == resolution.step.service }?.serviceName ?? resolution.step.service
        return "\(service) calls \(denied.step.action) on key \(denied.target.displayName) with the caller's credentials"
    }

    /// A short reason for a diagram label: a few words naming what decided ("SCP DenyDeletes, Sid NoDeletes",
    /// "aws:PrincipalOrgID ≠ o-a1b2c3d4e5", "no identity policy of R allows it"); `nil` when allowed.
    public var label: String? {
        if let refusal { return "no session: AssumeRole of \(refusal.resolution.target.displayName) refused" }
        if let keyRefusal { return "\(keyRefusal.resolution.step.action) on key \(keyRefusal.resolution.target.displayName) refused: " + (keyRefusal.label ?? "") }
        guard let cause else { return nil }
        switch cause.kind {
        case .explicitDeny:
            guard let statement = cause.statement else { return "a Deny statement" }
            return "\(statement.policy.shortLabel)" + (statement.sid.map { ", Sid \($0)" } ?? "")
        case .conditionFailed:
            guard let condition = cause.conditions.first else { return "a condition is false" }
            return "\(condition.statement.policy.shortLabel): \(Self.conditionShort(condition))"
        case .noStatementAllows, .noPolicy:
            return "no \(sideName(cause)) allows it"
        }
    }

    /// The cause as a careful engineer states it, with the statement, condition and values that decided, and where
    /// they are written; `nil` when allowed.
    public var sentence: String? {
        if let refusal {
            let step = refusal.resolution.number == resolution.number ? "the AssumeRole made on first use" : "step \(refusal.resolution.number)"
            return "This call is never made: its session, of role \(refusal.resolution.target.displayName), cannot be had, because \(step) is refused. "
                + (refusal.sentence ?? "")
        }
        if let keyRefusal {
            let noun = resolution.target.kind.resourceKind.policyHolder.noun
            return "The \(noun)'s own policies allow \(action), but the \(noun) is encrypted with a KMS key: to serve the call, \(keyCall), "
                + "and KMS refuses it, so the call fails with that refusal. " + (keyRefusal.sentence ?? "")
        }
        guard let cause else { return nil }
        let what = "\(action) on \(resolution.resourceARN)"
        switch cause.kind {
        case .explicitDeny:
            guard let statement = cause.statement else { return "A Deny statement refuses \(what): an explicit Deny wins, and nothing can override it." }
            return "Statement \(Self.sid(statement)) of the \(statement.policy.label) (\(statement.location)) denies \(what) explicitly. "
                + "An explicit Deny wins over every Allow: nothing can override it."
        case .conditionFailed:
            let parts = cause.conditions.map { condition in
                "statement \(Self.sid(condition.statement)) of the \(condition.statement.policy.label) (\(condition.statement.location)) "
                    + "would allow it, but its condition \(Self.conditionLong(condition)) is false: \(Self.actualText(condition))"
            }
            return Self.capitalized(parts.joined(separator: "; ")) + "."
                + (cause.crossAccount && cause.slot == .resource ? " Across accounts the resource's owner must grant it, so the request is denied." : "")
        case .noStatementAllows, .noPolicy:
            return noAllowSentence(cause, what: what)
        }
    }

    /// What it would take to allow the step (or, for an explicit Deny, that no Allow can); `nil` when allowed.
    public var remedy: String? {
        if let refusal { return refusal.remedy }
        if let keyRefusal { return keyRefusal.remedy }
        guard let cause else { return nil }
        if case .resource(_, .kmsKey) = resolution.target.kind, AWSManagedKey.isManaged(resolution.target.key) {
            return "An AWS managed key serves its own account only, and its key policy cannot be changed: encrypt the resource "
                + "with a customer managed key whose key policy allows \(resolution.caller.principalARN) \(action), and allow \(action) on that key "
                + "in an identity policy of the caller."
        }
        let caller = resolution.caller
        let roleARN = caller.user?.arn ?? caller.role?.arn ?? caller.principalARN
        switch cause.kind {
        case .explicitDeny:
            guard let statement = cause.statement else { return "Nothing can override an explicit Deny: remove or narrow it." }
            return "Nothing can override an explicit Deny: change statement \(Self.sid(statement)) of the \(statement.policy.label), "
                + "or make the request fall outside it."
        case .conditionFailed:
            guard let condition = cause.conditions.first else { return nil }
            if condition.key.lowercased() == "sts:externalid" {
                return "Pass ExternalId \(Self.quoted(condition.expected)) in the AssumeRole call, as the \(condition.statement.policy.label) requires."
            }
            return "Make the request satisfy \(Self.conditionLong(condition)), or change that condition of the \(condition.statement.policy.label)."
        case .noStatementAllows, .noPolicy:
            let account = accountText(cause.slot == .resource ? resolution.target.accountKey : caller.accountKey)
            switch cause.slot {
            case .identity:
                return "Allow \(action) on \(resolution.resourceARN) in an identity policy of \(caller.identity) in \(account)"
                    + (cause.crossAccount ? "; across accounts the resource's policy alone is not enough." : ".")
            case .resource:
                switch resolution.target.kind {
                case .role:
                    return "Name \(roleARN) as Principal, with Action sts:AssumeRole, in the trust policy of role \(resolution.target.displayName) in \(account)."
                case .resource(_, .kmsKey) where resolution.target.key.hasPrefix(AWSManagedKey.prefix):
                    return "An AWS managed key serves its own account only, and its key policy cannot be changed: encrypt the resource "
                        + "with a customer managed key whose key policy names \(roleARN), and allow \(action) on that key in an identity policy of the caller."
                case .resource(_, .kmsKey):
                    return "Name \(roleARN) as Principal, with Action \(action), in the key policy of key \(resolution.target.displayName) in \(account) "
                        + "(or delegate to the caller's account there: its root as Principal), and allow it in the caller's identity policy."
                default:
                    return "Grant \(roleARN) \(action) on \(resolution.resourceARN) in the resource-based policy of \(resolution.target.policyOwnerNoun) \(resolution.target.displayName) in \(account), "
                        + "or reach it through a role in that account."
                }
            case .boundary:
                return "Allow \(action) in the permissions boundary of \(caller.identity): a boundary only limits what identity policies grant."
            case .serviceControl:
                return "Allow \(action) in a service control policy of \(account) (every SCP level must allow it)."
            case .session:
                return "Allow \(action) in the session policy passed to AssumeRole."
            }
        }
    }

    // MARK: - Pieces

    func sideName(_ cause: Cause) -> String {
        switch cause.slot {
        case .identity: "identity policy of \(resolution.caller.user?.name ?? resolution.caller.role?.name ?? resolution.caller.displayName)"
        case .resource:
            switch resolution.target.kind {
            case .role: "trust policy of \(resolution.target.displayName)"
            case .resource(_, .kmsKey): "key policy of \(resolution.target.displayName)"
            default: cause.kind == .noPolicy ? "resource-based policy (\(resolution.target.displayName) has none)"
                : "\(resolution.target.kind.resourceKind.policyNoun ?? "resource-based policy") of \(resolution.target.displayName)"
            }
        case .boundary: "permissions boundary"
        case .serviceControl: "SCP of account \(resolution.caller.accountKey)"
        case .session: "session policy"
        }
    }

    func noAllowSentence(_ cause: Cause, what: String) -> String {
        let caller = resolution.caller
        let callerAccount = accountText(caller.accountKey)
        let targetAccount = accountText(resolution.target.accountKey)
        switch cause.slot {
        case .identity:
            let policies = cause.policies.isEmpty ? "\(CauseWording.capitalized(caller.identity)) has no identity policy, so none allows \(what)"
                  : "No identity policy of \(caller.identity) (\(cause.policies.map { "\($0.name) at \($0.location)" }.joined(separator: ", "))) allows \(what)"
            if cause.crossAccount {
                return policies + ". The request crosses from \(callerAccount) to \(targetAccount), so both sides must allow it: "
                    + "the side of \(callerAccount) is missing, and the resource's policy cannot make up for it."
            }
            return policies + ", and no resource-based policy grants it."
        case .resource:
            switch resolution.target.kind {
            case .role:
                if cause.kind == .noPolicy { return "Role \(resolution.target.displayName) has no trust policy, so nobody can assume it." }
                return "The trust policy of role \(resolution.target.displayName) (\(cause.policies.first.map { "\($0.location)" } ?? "")) does not allow "
                    + "\(caller.principalARN) to call \(action): a role's trust policy must name the caller (or its account), even within one account."
            case .resource(_, .kmsKey):
                let written = cause.policies.first.map { $0.name == "default key policy" ? "AWS's default key policy, which names only its own account's root" : "\($0.location)" } ?? ""
                return "The key policy of key \(resolution.target.displayName) (\(written)) does not allow \(caller.principalARN) to call \(action): "
                    + "no principal may use a KMS key unless its key policy allows it, directly or by delegating to the caller's account."
            default:
                if cause.kind == .noPolicy {
                    let noun = resolution.target.policyOwnerNoun
                    return "\(noun.prefix(1).uppercased() + noun.dropFirst()) \(resolution.target.displayName) in \(targetAccount) has no resource-based policy, so a caller in \(callerAccount) cannot reach it: "
                        + "across accounts the \(noun)'s owner must grant access."
                }
                let noun = resolution.target.policyOwnerNoun
                return "The resource-based policy of \(noun) \(resolution.target.displayName) (\(cause.policies.first.map { "\($0.location)" } ?? "")) does not allow "
                    + "\(what) for \(caller.principalARN); across accounts the \(noun)'s owner must grant it."
            }
        case .boundary:
            return "The permissions boundary of \(caller.identity) (\(cause.policies.first.map { "\($0.location)" } ?? "")) does not allow \(what): "
                + "a boundary only limits, so an identity policy's Allow is not enough."
        case .serviceControl:
            return "No service control policy of \(callerAccount) (\(cause.policies.map(\.name).joined(separator: ", "))) allows \(what): SCPs only limit, "
                + "and the caller's account must be allowed by one."
        case .session:
            return "No session policy allows \(what)."
        }
    }

    func accountText(_ key: String) -> String {
        guard let account = model.account(key) else { return "account \(key)" }
        return "Account \(account.key) (\(account.id))"
    }

    static func sid(_ statement: StatementReference) -> String { statement.sid.map { "'\($0)'" } ?? "(no Sid)" }

    static func quoted(_ values: [String]) -> String {
        values.count == 1 ? "\"\(values[0])\"" : "[" + values.map { "\"\($0)\"" }.joined(separator: ", ") + "]"
    }

    /// `StringEquals aws:PrincipalOrgID "o-a1b2c3d4e5"`.
    static func conditionLong(_ condition: FailedCondition) -> String {
        "\(condition.operator) \(condition.key) \(quoted(condition.expected))"
    }

    /// `aws:PrincipalOrgID is o-x, not o-y` / `no sts:ExternalId`.
    static func conditionShort(_ condition: FailedCondition) -> String {
        if condition.actual.isEmpty { return "no \(condition.key)" }
        return "\(condition.key) \(condition.actual.joined(separator: ", ")) ≠ \(condition.expected.joined(separator: ", "))"
    }

    static func actualText(_ condition: FailedCondition) -> String {
        condition.actual.isEmpty ? "the request has no \(condition.key)"
            : "the request's \(condition.key) is \(quoted(condition.actual))"
    }

    static func capitalized(_ text: String) -> String { text.prefix(1).uppercased() + text.dropFirst() }
}

extension Note {
    /// The note in words.
    public func text(model: Model) -> String {
        switch self {
        case .sessionFromDeniedStep(let role, let step):
            "the session of \(model.role(role)?.name ?? role) does not exist: step \(step) (sts:AssumeRole) is denied, so this call cannot be made"
        case .sessionNotMade(let role, let session):
            "no earlier sts:AssumeRole step of this option makes a session of \(model.role(role)?.name ?? role); evaluated as session \(session)"
        }
    }
}
