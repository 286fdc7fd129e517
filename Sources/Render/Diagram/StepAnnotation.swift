public import Model
internal import Policy

/// What a diagram says about one step: who calls what, whether it is allowed, and where the permission lives.
///
/// With a `StepProof` from the engine, the verdict and the statements are the engine's. Without one, the verdict is
/// the step's `expect:` and the statements are the model's policies that name the action and the resource
/// (and the caller, for trust and table policies): the places a reader should look, not a proof.
public struct StepAnnotation: Sendable, Hashable {
    public var number: Int
    public var step: Step
    /// The IAM role whose session makes the call (a function's execution role, or an assumed role).
    public var callerRole: Role?
    public var resourceARN: String
    public var denied: Bool
    /// Short reason for a denial ("implicit deny: no policy allows dynamodb:DeleteItem").
    public var reason: String?
    /// AWS's full message when the engine gave one.
    public var message: String?
    /// Where the permission lives, one line per statement ("trust policy of DynamoDBAccessRole, Sid …").
    public var permissions: [String]

    /// The reason on one line ("implicit deny: no policy allows …").
    public var reasonLine: String { (reason ?? "denied").replacingOccurrences(of: "\n", with: ": ") }

    static func annotate(_ option: AccessOption, in model: Model, proof: ModelProof?) -> [StepAnnotation] {
        let optionProof = proof?.option(option.id)
        return option.steps.enumerated().map { offset, step in
            annotate(step, number: offset + 1, in: model, proof: optionProof?.steps.first { $0.index == offset + 1 })
        }
    }

    static func annotate(_ step: Step, number: Int, in model: Model, proof: StepProof?) -> StepAnnotation {
        let callerRole: Role? = switch step.caller {
        case .function(let key): model.function(key).flatMap { model.role($0.roleKey) }
        case .role(let key): model.role(key)
        }
        let resource = resourceARN(step, model: model)
        var annotation = StepAnnotation(
            number: number, step: step, callerRole: callerRole, resourceARN: proof?.resourceARN ?? resource,
            denied: false, reason: nil, message: proof?.message, permissions: []
        )
        if let proof {
            annotation.denied = proof.decision != .allowed
            annotation.permissions = proof.matched.map(describe)
            let denies = proof.matched.filter { $0.effect == .deny }
            switch proof.decision {
            case .allowed: break
            case .explicitDeny:
                annotation.reason = "explicit deny" + (denies.first.map { " in " + describe($0) } ?? "")
                annotation.permissions = denies.map(describe)
            case .implicitDeny:
                annotation.reason = "implicit deny\nno policy allows \(step.action)"
            }
            return annotation
        }

        let found = matchingStatements(step, callerRole: callerRole, resource: resource, model: model)
        annotation.denied = step.expect != .allowed
        switch step.expect {
        case .allowed:
            annotation.permissions = found.filter { $0.effect == .allow }.map(\.text)
        case .implicitDeny:
            annotation.reason = "implicit deny\nno policy allows \(step.action)"
        case .explicitDeny:
            let denies = found.filter { $0.effect == .deny }
            annotation.reason = "explicit deny" + (denies.first.map { " in " + $0.text } ?? "")
            annotation.permissions = denies.map(\.text)
        }
        return annotation
    }

    /// The ARN the step acts on: the role, the table, the table's index, or `*` for actions without resource-level
    /// permissions (ListTables).
    static func resourceARN(_ step: Step, model: Model) -> String {
        switch step.target {
        case .role(let key):
            return model.role(key)?.arn ?? key
        case .table(let key):
            guard let table = model.table(key) else { return key }
            if step.actionName.lowercased() == "listtables" { return "*" }
            return step.index.map(table.indexARN) ?? table.arn
        }
    }

    private static func describe(_ statement: MatchedStatement) -> String {
        let name: String = switch statement.kind {
        case .resource: statement.policy.lowercased().contains("polic") ? statement.policy : "table policy"
        case .trust: statement.policy
        case .identity: "policy \(statement.policy)"
        case .boundary: "boundary \(statement.policy)"
        case .session: "session policy \(statement.policy)"
        case .serviceControl: "SCP \(statement.policy)"
        }
        let verb = statement.effect == .deny ? " (Deny)" : ""
        return name + verb + (statement.sid.map { "\nSid \($0)" } ?? "")
    }

    private struct Found {
        var text: String
        var effect: Effect
    }

    /// Statements of the model's policies that apply to the step, identity side first, then the resource side.
    private static func matchingStatements(_ step: Step, callerRole: Role?, resource: String, model: Model) -> [Found] {
        var found: [Found] = []
        if let role = callerRole {
            for policy in role.policies {
                for statement in policy.document.statements where applies(statement, action: step.action, resource: resource, principal: nil) {
                    found.append(Found(text: "policy \(policy.name) of \(role.name)" + sid(statement), effect: statement.effect))
                }
            }
        }
        let callerARN = callerRole?.arn
        let callerAccount = callerRole.flatMap { model.account($0.accountKey) }
        let principal = callerARN.map { (arn: $0, accountID: callerAccount?.id ?? "") }
        switch step.target {
        case .role(let key):
            if let target = model.role(key) {
                for statement in target.trust.document.statements where applies(statement, action: step.action, resource: nil, principal: principal) {
                    found.append(Found(text: "trust policy of \(target.name)" + sid(statement), effect: statement.effect))
                }
            }
        case .table(let key):
            if let policy = model.table(key)?.policy {
                for statement in policy.document.statements where applies(statement, action: step.action, resource: resource, principal: principal) {
                    found.append(Found(text: "table policy" + sid(statement), effect: statement.effect))
                }
            }
        }
        return found
    }

    /// The statement's Sid on a line of its own (labels stay narrow); the brief's "table policy, Sid …" reads the same.
    private static func sid(_ statement: Statement) -> String { statement.sid.map { "\nSid \($0)" } ?? "" }

    private static func applies(_ statement: Statement, action: String, resource: String?, principal: (arn: String, accountID: String)?) -> Bool {
        let actionHit = statement.action.patterns.contains { Wildcard.matches($0.value.text, action, caseInsensitive: true) }
        guard actionHit != statement.action.negated else { return false }
        if let resource, let block = statement.resource {
            let hit = block.patterns.contains { Wildcard.matches($0.value.text, resource, caseInsensitive: false) }
            guard hit != block.negated else { return false }
        }
        if let principal, let block = statement.principal {
            let hit = block.principals.contains { located in
                switch located.value {
                case .everyone: return true
                case .aws(let text):
                    return text == "*" || text == principal.arn || text == principal.accountID || text == "arn:aws:iam::\(principal.accountID):root"
                case .service, .federated, .canonicalUser: return false
                }
            }
            guard hit != block.negated else { return false }
        }
        return true
    }
}

/// IAM's `*` and `?` wildcards, for pointing at the statements a step relies on.
enum Wildcard {
    static func matches(_ pattern: String, _ text: String, caseInsensitive: Bool) -> Bool {
        let p = Array((caseInsensitive ? pattern.lowercased() : pattern).unicodeScalars)
        let t = Array((caseInsensitive ? text.lowercased() : text).unicodeScalars)
        var pi = 0, ti = 0, star = -1, mark = 0
        while ti < t.count {
            if pi < p.count, p[pi] == "?" || p[pi] == t[ti] {
                pi += 1
                ti += 1
            } else if pi < p.count, p[pi] == "*" {
                star = pi
                mark = ti
                pi += 1
            } else if star >= 0 {
                pi = star + 1
                mark += 1
                ti = mark
            } else {
                return false
            }
        }
        while pi < p.count, p[pi] == "*" { pi += 1 }
        return pi == p.count
    }
}
