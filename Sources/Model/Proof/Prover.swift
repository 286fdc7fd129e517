public import Policy

extension Step {
    /// The session name an `sts:AssumeRole` step uses when the content names none.
    public static let defaultSession = "LambdaSession"
}

/// Proves a model: every step of every option evaluated by the policy engine exactly as AWS would, and the
/// validation findings of every policy. Also the ARN-level entry the AWS simulator calls per wire request.
public enum Prover {
    /// The request time used for proofs (fixed, so that proofs are deterministic): 2026-01-01T00:00:00Z.
    public static let proofTime: Double = 1_767_225_600

    public static func prove(_ model: Model) -> ModelProof {
        let options = model.options.map { option in
            var sessions: [String: String] = [:]  // role key → session name made by an earlier AssumeRole step
            var deniedAssume: [String: Int] = [:]  // role key → the AssumeRole step that was denied
            var steps: [StepProof] = []
            for (offset, step) in option.steps.enumerated() {
                var proof = proveStep(step, optionID: option.id, index: offset + 1, sessions: sessions, model: model)
                if case .role(let key) = step.caller, proof.blame == nil {
                    // The call is still evaluated (its policies are what they are), but say that it cannot happen.
                    if let denied = deniedAssume[key] {
                        proof.blame = "the session of \(key) does not exist: step \(denied) (sts:AssumeRole) is denied, so this call cannot be made"
                    } else if sessions[key] == nil {
                        proof.blame = "no earlier sts:AssumeRole step of this option makes a session of \(key); evaluated as session \(Step.defaultSession)"
                    }
                }
                if step.isAssumeRole, case .role(let key) = step.target {
                    if proof.decision == .allowed {
                        sessions[key] = step.session ?? Step.defaultSession
                        deniedAssume[key] = nil
                    } else {
                        if sessions[key] == nil { sessions[key] = step.session ?? Step.defaultSession }
                        deniedAssume[key] = offset + 1
                    }
                }
                steps.append(proof)
            }
            return OptionProof(id: option.id, steps: steps)
        }
        return ModelProof(options: options, findings: findings(model))
    }

    /// Evaluates one step; `sessions` maps role keys to the session names earlier steps made.
    public static func proveStep(_ step: Step, optionID: String, index: Int, sessions: [String: String], model: Model) -> StepProof {
        let (evaluation, request) = evaluate(step, sessions: sessions, model: model, trace: false)
        var proof = StepProof(
            optionID: optionID, index: index, step: step, callerARN: request.principalARN, action: step.action,
            resourceARN: request.resourceARN, decision: evaluation.decision, expected: step.expect,
            matched: evaluation.matched, message: evaluation.message)
        proof.blame = blame(evaluation, step: step, request: request, model: model)
        return proof
    }

    /// Names the piece of content that denies a request: the deny statement, or the policy that fails to allow.
    static func blame(_ evaluation: Evaluation, step: Step, request: Request, model: Model) -> String? {
        guard let reason = evaluation.reason else { return nil }
        let caller = resolveCaller(step.caller, sessions: [:], model: model)
        let what = "\(step.action) on \(request.resourceARN)"
        switch reason {
        case .explicitDeny:
            guard let deny = evaluation.matched.first(where: { $0.effect == .deny }) else { return nil }
            return "Deny statement\(deny.sid.map { " '\($0)'" } ?? "") of \(deny.policy) (\(deny.location)) denies \(what)"
        case .noAllow(let slot):
            switch slot {
            case .resource:
                switch step.target {
                case .role(let key):
                    guard let role = model.role(key) else { return nil }
                    return "the trust policy of \(role.name) (\(role.trust.location)) does not allow \(request.principalARN) to call \(step.action)"
                case .table(let key):
                    guard let table = model.table(key) else { return nil }
                    if let policy = table.policy {
                        return "the table policy of \(table.name) (\(policy.name), \(policy.location)) does not allow \(what) for \(request.principalARN)"
                    }
                    return "table \(table.name) has no resource-based policy, so a caller in another account cannot reach it"
                }
            case .identity:
                let name = caller.role?.name ?? "the caller"
                let policies = caller.role?.policies.map { "\($0.name) (\($0.location))" }.joined(separator: ", ") ?? ""
                return "no identity policy of role \(name)\(policies.isEmpty ? "" : " — \(policies) —") allows \(what)"
            case .boundary:
                return "the permissions boundary of \(caller.role?.name ?? "the caller")\(caller.role?.boundary.map { " (\($0.name), \($0.location))" } ?? "") does not allow \(what)"
            case .session:
                return "no session policy allows \(what)"
            case .serviceControl:
                let account = model.account(id: caller.account)
                return "no service control policy of account \(account?.key ?? caller.account) (\(account?.serviceControlPolicies.map(\.name).joined(separator: ", ") ?? "")) allows \(what)"
            }
        }
    }

    /// The request a step makes and its evaluation (with a trace for `explain`).
    public static func evaluate(_ step: Step, sessions: [String: String], model: Model, trace: Bool) -> (Evaluation, Request) {
        let (set, request) = prepare(step, sessions: sessions, model: model)
        return (set.evaluate(request, trace: trace), request)
    }

    /// Every step of every option as compiled policies and a request, for the benchmark.
    public static func preparedSteps(_ model: Model) -> [(policies: CompiledPolicySet, request: Request)] {
        model.options.flatMap { option in
            var sessions: [String: String] = [:]
            return option.steps.map { step in
                let prepared = prepare(step, sessions: sessions, model: model)
                if step.isAssumeRole, case .role(let key) = step.target { sessions[key] = step.session ?? Step.defaultSession }
                return prepared
            }
        }
    }

    /// The compiled policy set and the request of one step.
    public static func prepare(_ step: Step, sessions: [String: String], model: Model) -> (CompiledPolicySet, Request) {
        let caller = resolveCaller(step.caller, sessions: sessions, model: model)
        let (resourceARN, resourceAccount, resourcePolicy) = resolveTarget(step, callerAccount: caller.account, model: model)
        var context = RequestContext()
        for (key, values) in step.context.sorted(by: { $0.key < $1.key }) { context[key] = ContextValue(values, type: values.count > 1 ? .stringList : .string) }
        var request = Request(
            principalARN: caller.arn, principalAccount: caller.account, principalType: .assumedRole, roleARN: caller.role?.arn,
            action: step.action, resourceARN: resourceARN, resourceAccount: resourceAccount, context: context)
        let derivation = ContextDerivation(
            principalOrgID: model.account(id: caller.account)?.organization, region: model.region, now: proofTime,
            roleSessionName: step.isAssumeRole ? (step.session ?? Step.defaultSession) : nil, externalID: step.externalId)
        derivation.apply(to: &request)
        let set = policySet(callerRole: caller.role, callerAccount: caller.account, resourcePolicy: resourcePolicy, model: model)
        return (CompiledPolicySet(set), request)
    }

    struct Caller {
        var arn: String
        var account: String
        var role: Role?
    }

    static func resolveCaller(_ caller: Step.Caller, sessions: [String: String], model: Model) -> Caller {
        switch caller {
        case .function(let key):
            let function = model.function(key)
            let role = function.flatMap { model.role($0.roleKey) }
            let account = function.flatMap { model.account($0.accountKey) }?.id ?? ""
            return Caller(arn: function?.sessionARN ?? key, account: account, role: role)
        case .role(let key):
            let role = model.role(key)
            let account = role.flatMap { model.account($0.accountKey) }?.id ?? ""
            let session = sessions[key] ?? Step.defaultSession
            return Caller(arn: role?.sessionARN(accountID: account, session: session) ?? key, account: account, role: role)
        }
    }

    /// The resource ARN, its owner, and its policy. DynamoDB `Query`/`Scan` with an index act on the index ARN;
    /// `ListTables` has no resource-level permission: its resource is every table of the caller's own account,
    /// and no table policy applies (DynamoDB Developer Guide, "Using resource-based policies").
    static func resolveTarget(_ step: Step, callerAccount: String, model: Model) -> (String, String, NamedDocument?) {
        switch step.target {
        case .role(let key):
            guard let role = model.role(key) else { return (key, callerAccount, nil) }
            let account = model.account(role.accountKey)?.id ?? ""
            return (role.arn, account, NamedDocument(name: "trust policy of \(role.name)", document: role.trust.document))
        case .table(let key):
            guard let table = model.table(key) else { return (key, callerAccount, nil) }
            let account = model.account(table.accountKey)?.id ?? ""
            let action = step.actionName.lowercased()
            if action == "listtables" {
                return ("arn:aws:dynamodb:\(model.region):\(callerAccount):table/*", callerAccount, nil)
            }
            var arn = table.arn
            if let index = step.index, action == "query" || action == "scan" { arn = table.indexARN(index) }
            let policy = table.policy.map { NamedDocument(name: $0.name, document: $0.document) }
            return (arn, account, policy)
        }
    }

    static func policySet(callerRole: Role?, callerAccount: String, resourcePolicy: NamedDocument?, model: Model) -> PolicySet {
        PolicySet(
            identity: callerRole?.policies.map { NamedDocument(name: $0.name, document: $0.document) } ?? [],
            resource: resourcePolicy,
            boundary: callerRole?.boundary.map { NamedDocument(name: $0.name, document: $0.document) },
            sessions: [],
            serviceControlPolicies: model.account(id: callerAccount)?.serviceControlPolicies.map { NamedDocument(name: $0.name, document: $0.document) } ?? [])
    }

    /// The ARN-level entry for the AWS simulator: resolves the caller (a function's session, a role's session,
    /// a role) and the resource's policy (a role's trust policy, a table's policy for the table and its indexes)
    /// from the model by ARN. An unknown caller has no identity policies; an unknown resource has no policy.
    public static func authorize(
        model: Model, principalARN: String, action: String, resourceARN: String, context: RequestContext = RequestContext()
    ) -> (decision: Decision, matched: [MatchedStatement], message: String?) {
        let evaluation = authorizeEvaluation(model: model, principalARN: principalARN, action: action, resourceARN: resourceARN, context: context)
        return (evaluation.decision, evaluation.matched, evaluation.message)
    }

    public static func authorizeEvaluation(
        model: Model, principalARN: String, action: String, resourceARN: String, context: RequestContext = RequestContext(), trace: Bool = false
    ) -> Evaluation {
        authorization(model: model, principalARN: principalARN, resourceARN: resourceARN).evaluate(action: action, context: context, trace: trace)
    }

    /// The part of an ARN-level authorization that depends only on the caller and the resource: both resolved in the
    /// model, their policies compiled, and the context keys AWS derives for them. The model does not change, so the
    /// simulator's authorizer keeps one per caller and resource and pays one evaluation per wire request.
    public struct Authorization: Sendable {
        public let policies: CompiledPolicySet
        /// The request without action, its context the derived keys of the principal and the resource.
        let request: Request
        let derivation: ContextDerivation

        /// The derived keys with `shared` over them: what `evaluate(action:context:)` makes of a context holding
        /// `shared`, for keys every call of one caller shares, so that a caller can add only its own per call.
        public func derivedContext(with shared: RequestContext) -> RequestContext {
            var derived = request.context
            for (key, value) in shared.entries { derived.set(value, forKey: shared.spellings[key] ?? key, lowercased: key) }
            return derived
        }

        /// Decides `action` with a context already completed from `derivedContext(with:)`: the same evaluation as
        /// `evaluate(action:context:)` for an action other than `sts:AssumeRole…` (whose derived keys depend on the
        /// call), which this one refuses to take a short cut for.
        public func evaluate(action: String, derivedContext context: RequestContext, trace: Bool = false) -> Evaluation {
            precondition(!ContextDerivation.isAssumeRole(action), "AssumeRole actions derive keys per call")
            var request = request
            request.action = action
            request.context = context
            return policies.evaluate(request, trace: trace)
        }

        /// Decides `action` with the caller's `context` (whose keys win over derived ones), exactly as
        /// `authorizeEvaluation` does.
        public func evaluate(action: String, context: RequestContext, trace: Bool = false) -> Evaluation {
            var request = request
            request.action = action
            var derivation = derivation
            // The keys lower-cased as written here, so the look-ups need not lower-case them per call.
            derivation.roleSessionName = context.entries["sts:rolesessionname"]?.values.first
            derivation.externalID = context.entries["sts:externalid"]?.values.first
            let derived = request.context
            request.context = context
            derivation.complete(derived, for: &request)
            return policies.evaluate(request, trace: trace)
        }
    }

    public static func authorization(model: Model, principalARN: String, resourceARN: String) -> Authorization {
        let classified = PrincipalARN.classify(principalARN)
        let type = classified?.type ?? .anonymous
        let account = classified?.account ?? ""
        var callerRole: Role?
        if let roleARN = classified?.roleARN, let parsed = ARN(roleARN) {
            let name = parsed.resource.split(separator: "/").last.map(String.init)
            callerRole = model.roles.first { $0.name == name && model.account($0.accountKey)?.id == account }
        }
        var resourceAccount = ARN(resourceARN).map(\.account) ?? account
        if resourceAccount.isEmpty { resourceAccount = account }
        var resourcePolicy: NamedDocument?
        if let role = model.roles.first(where: { $0.arn == resourceARN }) {
            resourcePolicy = NamedDocument(name: "trust policy of \(role.name)", document: role.trust.document)
        } else if let table = model.tables.first(where: { resourceARN == $0.arn || resourceARN.hasPrefix($0.arn + "/index/") }), let policy = table.policy {
            resourcePolicy = NamedDocument(name: policy.name, document: policy.document)
        }
        var request = Request(
            principalARN: principalARN, principalAccount: account, principalType: type, roleARN: classified?.roleARN.flatMap { arn in callerRole?.arn ?? arn },
            action: "", resourceARN: resourceARN, resourceAccount: resourceAccount)
        let derivation = ContextDerivation(principalOrgID: model.account(id: account)?.organization, region: model.region, now: proofTime)
        request.context = derivation.principalAndResourceContext(for: request)
        let set = policySet(callerRole: callerRole, callerAccount: account, resourcePolicy: resourcePolicy, model: model)
        return Authorization(policies: CompiledPolicySet(set), request: request, derivation: derivation)
    }
}

extension Prover {
    /// What the analyzer knows from the model: its accounts, roles, tables and indexes.
    public static func knowledge(_ model: Model) -> Knowledge {
        Knowledge(
            accountIDs: Set(model.accounts.map(\.id)),
            roleARNs: Set(model.roles.map(\.arn)),
            tableARNs: Set(model.tables.map(\.arn)),
            indexes: Dictionary(model.tables.map { ($0.arn, $0.indexes) }, uniquingKeysWith: { first, _ in first }))
    }

    /// The findings of every policy of the model, in model order.
    public static func findings(_ model: Model) -> [Diagnostic] {
        let knowledge = knowledge(model)
        var findings: [Diagnostic] = []
        for account in model.accounts {
            for policy in account.serviceControlPolicies {
                findings += Analyzer.analyze(NamedDocument(name: "SCP \(policy.name)", document: policy.document), knowledge: knowledge)
            }
        }
        for role in model.roles {
            findings += Analyzer.analyze(NamedDocument(name: "trust policy of \(role.name)", document: role.trust.document), knowledge: knowledge)
            for policy in role.policies {
                findings += Analyzer.analyze(NamedDocument(name: policy.name, document: policy.document), knowledge: knowledge)
            }
            if let boundary = role.boundary {
                findings += Analyzer.analyze(NamedDocument(name: boundary.name, document: boundary.document), knowledge: knowledge)
            }
        }
        for table in model.tables {
            if let policy = table.policy {
                findings += Analyzer.analyze(NamedDocument(name: "table policy of \(table.name)", document: policy.document), knowledge: knowledge)
            }
        }
        return findings
    }
}
