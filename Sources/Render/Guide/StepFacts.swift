public import Model
internal import Policy

/// What the model says about one step without the engine: who calls, on what, which policies must allow it,
/// and what AWS answers when one of them does not. The engine's `StepProof`, when present, overrides the ARNs.
public struct StepFacts: Sendable, Hashable {
    /// A policy that must allow the step.
    public struct Requirement: Sendable, Hashable {
        public enum Kind: String, Sendable, Hashable {
            case identity = "identity-based"
            case trust = "trust"
            case table = "resource-based"
        }

        public var kind: Kind
        public var accountKey: String
        /// The role or table that carries the policy.
        public var ownerKey: String
        /// `the identity policy of LambdaExecutionRole`, `the trust policy of DynamoDBAccessRole`.
        public var description: String
        /// The denial AWS returns when this policy does not allow the step.
        public var message: String
    }

    public var number: Int
    public var step: Step
    public var callerName: String
    public var callerARN: String
    public var callerAccountKey: String
    public var callerRoleKey: String
    public var targetName: String
    public var resourceARN: String
    public var requirements: [Requirement]

    public var crossAccount: Bool { requirements.contains { $0.accountKey != callerAccountKey } }

    /// STS answers HTTP 403 with an XML `AccessDenied` error; DynamoDB answers HTTP 400 with `AccessDeniedException`.
    public var deniedStatus: String {
        step.isAssumeRole ? "HTTP 403 and error code AccessDenied" : "HTTP 400 and error type AccessDeniedException"
    }

    public static func all(_ model: Model, option: AccessOption, proof: ModelProof?) -> [StepFacts] {
        option.steps.enumerated().map { offset, step in
            facts(model, option: option, number: offset + 1, proof: proof?.option(option.id)?.steps.first { $0.index == offset + 1 })
        }
    }

    static func facts(_ model: Model, option: AccessOption, number: Int, proof: StepProof?) -> StepFacts {
        let step = option.steps[number - 1]
        let callerRoleKey: String
        var callerName: String
        var callerARN: String
        switch step.caller {
        case .function(let key):
            let function = model.function(key)
            callerRoleKey = function?.roleKey ?? key
            callerName = function?.name ?? key
            callerARN = function?.sessionARN ?? key
        case .role(let key):
            callerRoleKey = key
            let role = model.role(key)
            let assume = option.steps[..<(number - 1)].last { $0.isAssumeRole && $0.target.key == key }
            let session = assume?.session ?? "session"
            callerName = "\(role?.name ?? key) session"
            let accountID = role.flatMap { model.account($0.accountKey)?.id } ?? ""
            callerARN = role?.sessionARN(accountID: accountID, session: session) ?? key
        }
        let callerRole = model.role(callerRoleKey)
        let callerAccountKey = callerRole?.accountKey ?? ""
        let callerAccountID = model.account(callerAccountKey)?.id ?? ""

        var targetName = step.target.key
        var resourceARN = step.target.key
        var resourceAccountKey = callerAccountKey
        var resourcePolicy: (kind: Requirement.Kind, owner: String, description: String)?
        let listTables = step.action.lowercased() == "dynamodb:listtables"
        switch step.target {
        case .role(let key):
            if let role = model.role(key) {
                targetName = role.name
                resourceARN = role.arn
                resourceAccountKey = role.accountKey
            }
            resourcePolicy = (.trust, key, "the trust policy of \(targetName)")
        case .table(let key):
            if let table = model.table(key) {
                targetName = table.name
                resourceARN = step.index.map { table.indexARN($0) } ?? table.arn
                resourceAccountKey = table.accountKey
                if listTables {
                    // ListTables has no resource-level permission: it lists the caller's own account.
                    resourceARN = "arn:aws:dynamodb:\(model.region):\(callerAccountID):table/*"
                    resourceAccountKey = callerAccountKey
                }
            }
            resourcePolicy = listTables ? nil : (.table, key, "the resource-based policy of table \(targetName)")
        }
        if let proof {
            callerARN = proof.callerARN
            resourceARN = proof.resourceARN
        }

        func message(_ kind: Requirement.Kind) -> String {
            let reason = kind == .identity ? "identity-based" : "resource-based"
            return "User: \(callerARN) is not authorized to perform: \(step.action) on resource: \(resourceARN) because no \(reason) policy allows the \(step.action) action"
        }

        var requirements: [Requirement] = []
        let crossAccount = resourceAccountKey != callerAccountKey
        // A trust policy must allow the caller itself even in one account; cross-account, both sides must allow.
        let needsIdentity = crossAccount || resourcePolicy == nil
        if needsIdentity {
            requirements.append(Requirement(
                kind: .identity, accountKey: callerAccountKey, ownerKey: callerRoleKey,
                description: "an identity policy of \(callerRole?.name ?? callerRoleKey)", message: message(.identity)))
        }
        if let resourcePolicy, crossAccount || resourcePolicy.kind == .trust {
            requirements.append(Requirement(
                kind: resourcePolicy.kind, accountKey: resourceAccountKey, ownerKey: resourcePolicy.owner,
                description: resourcePolicy.description, message: message(resourcePolicy.kind)))
        } else if let resourcePolicy, !crossAccount, !needsIdentity {
            requirements.append(Requirement(
                kind: .identity, accountKey: callerAccountKey, ownerKey: callerRoleKey,
                description: "an identity policy of \(callerRole?.name ?? callerRoleKey) (or \(resourcePolicy.description))",
                message: message(.identity)))
        }
        return StepFacts(
            number: number, step: step, callerName: callerName, callerARN: callerARN, callerAccountKey: callerAccountKey,
            callerRoleKey: callerRoleKey, targetName: targetName, resourceARN: resourceARN, requirements: requirements)
    }
}
