public import Model
public import Policy
import Source

/// Resolves every step of a model once: the caller and the lineage of its credentials, the target and its ARN, the
/// request context, the applicable policies, the engine's decision and the cause of a denial. The only place where
/// AWS meaning is derived; everything that presents or runs a model reads its result.
public enum Resolver {
    /// The request time of every resolution (fixed, so outputs are deterministic): 2026-01-01T00:00:00Z.
    public static let requestTime: Double = 1_767_225_600

    /// Every option's steps, and the findings of every policy.
    public static func resolve(_ model: Model) -> ModelResolution {
        let options = model.options.map { resolve($0, in: model) }
        return ModelResolution(options: options, findings: Findings.all(model) + ambiguousContexts(options, model: model))
    }

    /// One option's steps in order; a role caller is the session the latest earlier `sts:AssumeRole` step on that
    /// role made, with that step's caller as the lineage.
    public static func resolve(_ option: AccessOption, in model: Model) -> OptionResolution {
        var sessions: [String: CredentialSource] = [:]
        var deniedAt: [String: StepResolution] = [:]  // role key → the AssumeRole that was refused when making its session
        var steps: [StepResolution] = []
        for (offset, step) in option.steps.enumerated() {
            let number = offset + 1
            var notes: [Note] = []
            var refused: StepResolution?
            let credentials: CredentialSource
            switch step.caller {
            case .function(let key):
                credentials = .function(key: key)
            case .service(let key):
                credentials = .service(resource: key)
            case .user(let key):
                credentials = .user(key: key)
            case .role(let key):
                if let made = sessions[key] {
                    credentials = made
                    if let denied = deniedAt[key] {
                        notes.append(.sessionFromDeniedStep(role: key, step: denied.number))
                        // The AssumeRole that really fails: the denied step's own, or the one behind it.
                        refused = denied.refusedSession?.resolution ?? denied
                    }
                } else {
                    // No step makes this session: the code assumes the role on first use with the option's entry
                    // credentials, and that AssumeRole is decided like any other.
                    let by = entryCredentials(option, model: model)
                    credentials = .session(role: key, session: Step.defaultSession, externalID: nil, step: nil, by: by)
                    notes.append(.sessionNotMade(role: key, session: Step.defaultSession))
                    let implicit = resolve(
                        Step(caller: .function(by.rootFunction ?? ""), action: "sts:AssumeRole", target: .role(key), location: step.location),
                        optionID: option.id, number: number, credentials: by, model: model)
                    if implicit.decision != .allowed { refused = implicit }
                }
            }
            var resolution = resolve(step, optionID: option.id, number: number, credentials: credentials, model: model)
            resolution.notes = notes
            if let refused {
                // The call is never made: fetching its session is refused first, and that refusal is what AWS answers
                // (the snippet sees STS's error here). The step's own policies stay visible in `matched` and `trace`.
                resolution.decision = refused.decision
                resolution.cause = refused.cause
                resolution.message = refused.message
                resolution.requirements = []
                resolution.refusedSession = .assumeRole(refused)
            }
            if step.isAssumeRole, case .role(let key) = step.target {
                sessions[key] = .session(
                    role: key, session: step.session ?? Step.defaultSession, externalID: step.externalId, step: number, by: credentials)
                deniedAt[key] = resolution.decision == .allowed ? nil : resolution
            }
            steps.append(resolution)
        }
        return OptionResolution(id: option.id, steps: steps)
    }

    /// A step that is not part of the model's options (`explain`): a role caller is the session the model's own
    /// `sts:AssumeRole` steps make of that role (its session name, its ExternalId), unless `session` names another.
    public static func resolve(adHoc step: Step, session: String? = nil, in model: Model) -> StepResolution {
        let credentials: CredentialSource
        switch step.caller {
        case .function(let key):
            credentials = .function(key: key)
        case .service(let key):
            credentials = .service(resource: key)
        case .user(let key):
            credentials = .user(key: key)
        case .role(let key):
            let modelled = model.options.lazy.compactMap { option in
                option.steps.enumerated().first { $0.element.isAssumeRole && $0.element.target == .role(key) }.map { (option, $0.offset + 1, $0.element) }
            }.first
            // The session's lineage: whoever made it in the model's own flow.
            let by: CredentialSource = modelled.map { resolve($0.0, in: model).steps[$0.1 - 1].caller.credentials }
                ?? .function(key: model.functions.first?.key ?? "")
            credentials = .session(
                role: key, session: session ?? modelled?.2.session ?? Step.defaultSession, externalID: modelled?.2.externalId, step: nil, by: by)
        }
        return resolve(step, optionID: "", number: 0, credentials: credentials, model: model)
    }

    /// The credentials a session no step made is assumed with: the option's first function, else the model's.
    static func entryCredentials(_ option: AccessOption, model: Model) -> CredentialSource {
        for step in option.steps {
            if case .function(let key) = step.caller { return .function(key: key) }
        }
        return .function(key: model.functions.first?.key ?? "")
    }

    // MARK: - One step

    static func resolve(_ step: Step, optionID: String, number: Int, credentials: CredentialSource, model: Model) -> StepResolution {
        let caller = caller(credentials, model: model)
        let target = target(step, callerAccountID: caller.accountID, model: model)
        let policies = applicablePolicies(
            callerRole: caller.role, callerUser: caller.user, callerAccountKey: caller.accountKey, isService: caller.callerKind.principalType == .service, target: target, model: model)
        var context = TypedContext.context(step.context)
        if case .service(let key) = caller.kind, let resource = model.resource(key) {
            // A service acting for a resource names it: the confused-deputy keys a policy should check (IAM User
            // Guide, "The confused deputy problem"). Keys the step gives win.
            for (name, values) in sourceContext(of: resource, accountID: caller.accountID) where context[name] == nil {
                context[name] = TypedContext.value(values, lowercased: RequestContext.lowercasedKey(name))
            }
        }
        var request = Request(
            principalARN: caller.principalARN, principalAccount: caller.accountID, principalType: caller.callerKind.principalType, roleARN: caller.role?.arn,
            action: step.action, resourceARN: target.arn, resourceAccount: target.accountID, context: context)
        derivation(callerAccountID: caller.accountID, model: model, session: step.isAssumeRole ? (step.session ?? Step.defaultSession) : nil, externalID: step.externalId)
            .apply(to: &request)
        let set = CompiledPolicySet(policySet(policies, model: model))
        let evaluation = set.evaluate(request, trace: true)
        let cause = Cause.derive(evaluation, request: request, policies: policies)
        var resolution = StepResolution(
            optionID: optionID, number: number, step: step, caller: caller, target: target, request: request, policies: policies,
            decision: evaluation.decision, expected: step.expect, matched: evaluation.matched, trace: evaluation.trace ?? [], cause: cause,
            message: AWSMessage.denial(evaluation), notes: [], refusedSession: nil, requirements: [])
        if evaluation.decision == .allowed {
            resolution.requirements = requirements(of: resolution, model: model)
        }
        resolution.implied = impliedKeySteps(of: resolution, credentials: credentials, model: model)
        if evaluation.decision == .allowed, let index = resolution.implied.firstIndex(where: { $0.decision != .allowed }) {
            // The service's call to KMS is refused, and the service answers with that refusal.
            let denied = resolution.implied[index]
            resolution.deniedImpliedIndex = index
            resolution.decision = denied.decision
            resolution.cause = denied.cause
            resolution.message = denied.message
        }
        resolution.requirements += resolution.implied.flatMap(\.requirements)
        return resolution
    }

    /// The KMS calls a service makes with the caller's credentials for `resolution`'s call, when its target is
    /// encrypted with a KMS key: each on the key, with the context keys AWS sets on such a call (`kms:ViaService`,
    /// `kms:CallerAccount`, the service's encryption context), decided like a step.
    static func impliedKeySteps(of resolution: StepResolution, credentials: CredentialSource, model: Model) -> [StepResolution] {
        guard case .resource(let key, _) = resolution.target.kind, let resource = model.resource(key) else { return [] }
        let calls = impliedKeyCalls(
            action: resolution.step.action, on: resource, targetARN: resolution.target.arn, callerAccountID: resolution.caller.accountID, model: model)
        return calls.map { call in
            let context = resolution.step.context.merging(call.context) { _, implied in implied }
            var implied = resolve(
                Step(caller: resolution.step.caller, action: call.action, target: .resource(call.key), context: context, location: resolution.step.location),
                optionID: resolution.optionID, number: resolution.number, credentials: credentials, model: model)
            implied.isImplied = true
            implied.expected = implied.decision == .allowed ? .allowed : resolution.expected
            return implied
        }
    }

    /// The KMS calls a service makes with the caller's credentials for a call of `action` on `resource` (acting on
    /// `targetARN`: the resource's ARN, or an object's), when the resource is encrypted with a KMS key: which
    /// operations (the kind's `keyUse`), on which key (its customer managed key, else its service's AWS managed key),
    /// with the keys AWS sets on such a call. The one derivation: the resolution's implied steps and the simulator's
    /// calls to KMS on behalf of a wire request both read it.
    public static func impliedKeyCalls(
        action: String, on resource: Resource, targetARN: String, callerAccountID: String, model: Model
    ) -> [ImpliedKeyCall] {
        let name = action.split(separator: ":", maxSplits: 1).dropFirst().first.map(String.init) ?? action
        guard let operations = resource.resourceKind.keyUse[name.lowercased()], let keyReference = encryptionKey(of: resource, model: model)
        else { return [] }
        // A key the model does not hold keeps its reference as its ARN: nothing names it, so nothing allows its use.
        let keyARN = model.resolvedResource(keyReference)?.arn ?? keyReference
        let service = resource.resourceKind.service
        var context: [String: [String]] = [:]
        context["kms:ViaService"] = ["\(service).\(model.region).amazonaws.com"]
        context["kms:CallerAccount"] = [callerAccountID]
        // The service calls KMS with the caller's credentials on its behalf (a forward access session).
        context["aws:ViaAWSService"] = ["true"]
        if let contextKey = resource.resourceKind.encryptionContextKey {
            context["kms:EncryptionContext:" + contextKey] = [targetARN]
        }
        return operations.map { ImpliedKeyCall(action: $0, key: keyReference, keyARN: keyARN, context: context) }
    }

    /// The confused-deputy keys of a call a service makes for `resource` (`aws:SourceArn`, `aws:SourceAccount`), in
    /// `accountID` (IAM User Guide, "The confused deputy problem").
    public static func sourceContext(of resource: Resource, accountID: String) -> [String: [String]] {
        ["aws:SourceArn": [resource.arn], "aws:SourceAccount": [accountID]]
    }

    /// The caller a resource's service acts as when it delivers for the resource (SNS for a topic): its service
    /// principal, account and confused-deputy keys, as a step whose caller is the resource resolves them.
    public static func serviceCaller(for key: String, model: Model) -> ServiceCaller? {
        guard let resource = model.resource(key), resource.resourceKind.servicePrincipal != nil else { return nil }
        let caller = caller(.service(resource: key), model: model)
        return ServiceCaller(principalARN: caller.principalARN, accountID: caller.accountID, context: sourceContext(of: resource, accountID: caller.accountID))
    }

    /// The key that encrypts a resource: its customer managed key, else the AWS managed key its service uses
    /// (`aws/secretsmanager`), else none.
    static func encryptionKey(of resource: Resource, model: Model) -> String? {
        if let key = resource.encryptionKey { return key }
        return resource.resourceKind.awsManagedKeyAlias != nil ? AWSManagedKey.reference(resource.accountKey, resource.resourceKind) : nil
    }

    /// The policies an allowed step cannot do without: each one whose Allow matched, evaluated away in turn.
    static func requirements(of resolution: StepResolution, model: Model) -> [Requirement] {
        resolution.decidingPolicies.compactMap { needed in
            let evaluation = CompiledPolicySet(policySet(resolution.policies, model: model, emptying: needed)).evaluate(resolution.request, trace: true)
            guard evaluation.decision != .allowed else { return nil }
            return Requirement(
                policy: needed, decision: evaluation.decision, cause: Cause.derive(evaluation, request: resolution.request, policies: resolution.policies),
                message: AWSMessage.denial(evaluation) ?? "")
        }
    }

    /// The context keys the model's steps give their calls (`context:` — a source IP, a VPC endpoint…), by caller ARN,
    /// action (lower-cased) and resource ARN: what the network would add to that call, which a simulator on loopback
    /// cannot observe. A call that two steps describe with different keys gets none (nothing is guessed).
    public static func stepContexts(_ resolution: ModelResolution) -> [String: [String: [String]]] {
        var found: [String: [String: [String]]] = [:]
        var ambiguous: Set<String> = []
        // Every step counts, those without context too: a call the model describes both with and without keys gets
        // none (fail closed), never the keys of another step.
        for step in resolution.options.flatMap(\.steps) {
            let key = stepContextKey(principalARN: step.callerARN, action: step.action, resourceARN: step.resourceARN)
            if let known = found[key], known != step.step.context { ambiguous.insert(key) }
            found[key] = step.step.context
        }
        for key in ambiguous { found[key] = nil }
        return found.filter { !$0.value.isEmpty }
    }

    /// Steps that make the same call (caller, action, resource) with different `context:` keys: the simulator cannot
    /// tell them apart on the wire, so it gives that call no keys. A warning at the later step.
    static func ambiguousContexts(_ options: [OptionResolution], model: Model) -> [Diagnostic] {
        var first: [String: StepResolution] = [:]
        var warnings: [Diagnostic] = []
        for step in options.flatMap(\.steps) {
            let key = stepContextKey(principalARN: step.callerARN, action: step.action, resourceARN: step.resourceARN)
            guard let earlier = first[key] else {
                first[key] = step
                continue
            }
            if earlier.step.context != step.step.context {
                warnings.append(Diagnostic(.warning, code: "TF-WARN-CONTEXT",
                    "step \(step.number) of option '\(step.optionID)' makes the same call as step \(earlier.number) of option '\(earlier.optionID)' "
                        + "(\(step.action) by \(step.callerARN) on \(step.resourceARN)) with other context keys; the simulator cannot tell the two "
                        + "apart, so the snippet tests give that call no context keys", at: step.step.location))
            }
        }
        return warnings
    }

    /// The key of `stepContexts`.
    public static func stepContextKey(principalARN: String, action: String, resourceARN: String) -> String {
        principalARN + "\n" + action.lowercased() + "\n" + resourceARN
    }

    /// The request context AWS derives for a caller of the model (one derivation for every output and the mock).
    public static func derivation(callerAccountID: String, model: Model, session: String? = nil, externalID: String? = nil) -> ContextDerivation {
        ContextDerivation(
            principalOrgID: model.account(id: callerAccountID)?.organization, region: model.region, now: requestTime,
            roleSessionName: session, externalID: externalID)
    }

    // MARK: - Callers and targets

    static func caller(_ credentials: CredentialSource, model: Model) -> ResolvedCaller {
        switch credentials {
        case .function(let key):
            let function = model.function(key)
            let role = function.flatMap { model.role($0.roleKey) }
            let account = function.flatMap { model.account($0.accountKey) }
            return ResolvedCaller(
                kind: .function(key: key), displayName: function?.name ?? key, principalARN: function?.sessionARN ?? key,
                accountKey: account?.key ?? "", accountID: account?.id ?? "", role: role, sessionName: function?.sessionName ?? key,
                credentials: credentials, callerKind: function?.callerKind ?? .lambdaFunction)
        case .user(let key):
            let user = model.user(key)
            let account = user.flatMap { model.account($0.accountKey) }
            return ResolvedCaller(
                kind: .user(key: key), displayName: user?.name ?? key, principalARN: user?.arn ?? key, accountKey: account?.key ?? "",
                accountID: account?.id ?? "", role: nil, sessionName: "", credentials: credentials, callerKind: .iamUser, user: user)
        case .service(let key):
            let resource = model.resource(key)
            let account = resource.flatMap { model.account($0.accountKey) }
            let kind = resource?.resourceKind ?? .snsTopic
            return ResolvedCaller(
                kind: .service(key: key), displayName: "\(kind.servicePrincipal ?? key) for \(resource?.name ?? key)",
                principalARN: kind.servicePrincipal ?? key, accountKey: account?.key ?? "", accountID: account?.id ?? "", role: nil, sessionName: "",
                credentials: credentials, callerKind: .service(for: kind))
        case .session(let key, let session, _, _, _):
            let role = model.role(key)
            let account = role.flatMap { model.account($0.accountKey) }
            return ResolvedCaller(
                kind: .roleSession(key: key), displayName: "\(role?.name ?? key) session",
                principalARN: role.map { $0.sessionARN(accountID: account?.id ?? "", session: session) } ?? key,
                accountKey: account?.key ?? "", accountID: account?.id ?? "", role: role, sessionName: session, credentials: credentials)
        }
    }

    static func target(_ step: Step, callerAccountID: String, model: Model) -> ResolvedTarget {
        switch step.target {
        case .role(let key):
            let role = model.role(key)
            let account = role.flatMap { model.account($0.accountKey) }
            return ResolvedTarget(
                kind: .role(key: key), key: key, displayName: role?.name ?? key, arn: role?.arn ?? key, accountKey: account?.key ?? "",
                accountID: account?.id ?? "", tableReference: nil)
        case .table(let key):
            let table = model.table(key)
            let account = table.flatMap { model.account($0.accountKey) }
            let accountID = account?.id ?? ""
            let reference = table.map { accountID == callerAccountID ? $0.name : $0.arn }
            if ServiceRules.actsOnAccountTables(step.action) {
                let callerAccount = model.account(id: callerAccountID)
                return ResolvedTarget(
                    kind: .accountTables(table: key), key: key, displayName: "the tables of account \(callerAccount?.key ?? callerAccountID)",
                    arn: ARN.dynamoDBTables(region: model.region, account: callerAccountID).description, accountKey: callerAccount?.key ?? "",
                    accountID: callerAccountID, tableReference: nil)
            }
            if let index = step.index, ServiceRules.actsOnIndex(step.action) {
                return ResolvedTarget(
                    kind: .index(table: key, index: index), key: key, displayName: "\(table?.name ?? key) (index \(index))",
                    arn: table?.indexARN(index) ?? key, accountKey: account?.key ?? "", accountID: accountID, tableReference: reference)
            }
            return ResolvedTarget(
                kind: .table(key: key), key: key, displayName: table?.name ?? key, arn: table?.arn ?? key, accountKey: account?.key ?? "",
                accountID: accountID, tableReference: reference)
        case .resource(let key):
            let resource = model.resource(key) ?? AWSManagedKey.resource(key, model: model)
            let account = resource.flatMap { model.account($0.accountKey) }
            if let resource, resource.kind == .s3Bucket, let object = step.concreteObject {
                return ResolvedTarget(
                    kind: .resource(key: key, kind: .s3Object), key: key, displayName: "\(resource.name)/\(object)", arn: resource.objectARN(object),
                    accountKey: account?.key ?? "", accountID: account?.id ?? "", tableReference: nil)
            }
            return ResolvedTarget(
                kind: .resource(key: key, kind: resource?.kind ?? .kmsKey), key: key, displayName: resource.map { $0.alias ?? $0.name } ?? key,
                arn: resource?.arn ?? key, accountKey: account?.key ?? "", accountID: account?.id ?? "", tableReference: nil)
        }
    }

    // MARK: - Policies

    /// Identity policies and boundary of the caller's role, the SCPs of the caller's account, then the resource side:
    /// the target role's trust policy, or the table's resource-based policy (none for ListTables).
    /// A service principal (`isService`) has no identity policies, and SCPs limit only the organization's own
    /// principals.
    static func applicablePolicies(
        callerRole: Role?, callerUser: User? = nil, callerAccountKey: String, isService: Bool = false, target: ResolvedTarget, model: Model
    ) -> [AppliedPolicy] {
        var policies: [AppliedPolicy] = []
        /// An identity's policies, then its boundary.
        func identity(_ owner: AppliedPolicy.Owner, name: String, accountKey: String, policies named: [NamedPolicy], boundary: NamedPolicy?) {
            for (kind, policy) in named.map({ (AppliedPolicy.Kind.identity, $0) }) + (boundary.map { [(.boundary, $0)] } ?? []) {
                policies.append(AppliedPolicy(
                    kind: kind, owner: owner, name: policy.name, engineName: policy.name, ownerName: name, accountKey: accountKey, location: policy.location))
            }
        }
        if let user = callerUser {
            identity(.user(key: user.key), name: user.name, accountKey: user.accountKey, policies: user.policies, boundary: user.boundary)
        }
        if let role = callerRole {
            identity(.role(key: role.key), name: role.name, accountKey: role.accountKey, policies: role.policies, boundary: role.boundary)
        }
        if !isService, let account = model.account(callerAccountKey) {
            for scp in account.serviceControlPolicies {
                policies.append(AppliedPolicy(
                    kind: .serviceControl, owner: .account(key: account.key), name: scp.name, engineName: "SCP \(scp.name)", ownerName: account.name,
                    accountKey: account.key, location: scp.location))
            }
        }
        switch target.kind {
        case .role(let key):
            if let role = model.role(key) {
                policies.append(AppliedPolicy(
                    kind: .trust, owner: .role(key: key), name: "trust policy", engineName: "trust policy of \(role.name)", ownerName: role.name,
                    accountKey: role.accountKey, location: role.trust.location))
            }
        case .table(let key), .index(let key, _):
            if let table = model.table(key), let policy = table.policy {
                policies.append(AppliedPolicy(
                    kind: .tablePolicy, owner: .table(key: key), name: policy.name, engineName: "table policy of \(table.name)", ownerName: table.name,
                    accountKey: table.accountKey, location: policy.location))
            }
        case .accountTables:
            break
        case .resource(let key, _):
            guard let resource = model.resource(key) ?? AWSManagedKey.resource(key, model: model) else { break }
            if resource.kind == .kmsKey {
                // Every key has a key policy: the model's, or the one AWS gives a key created without one.
                policies.append(AppliedPolicy(
                    kind: .keyPolicy, owner: .resource(key: key, kind: .kmsKey), name: resource.policy?.name ?? "default key policy",
                    engineName: "key policy of \(resource.alias ?? resource.name)", ownerName: resource.alias ?? resource.name,
                    accountKey: resource.accountKey, location: resource.policy?.location ?? resource.location))
            } else if let policy = resource.policy {
                policies.append(AppliedPolicy(
                    kind: .resourcePolicy, owner: .resource(key: key, kind: resource.kind), name: policy.name,
                    engineName: "\(resource.resourceKind.policyNoun ?? "resource-based policy") of \(resource.name)", ownerName: resource.name,
                    accountKey: resource.accountKey, location: policy.location))
            }
        }
        return policies
    }

    /// The engine's policy set for `policies`, their documents taken from the model; `emptying` is evaluated as a
    /// policy with no statements (a trust policy cannot be absent, only allow nothing).
    static func policySet(_ policies: [AppliedPolicy], model: Model, emptying: AppliedPolicy? = nil) -> PolicySet {
        var set = PolicySet()
        for policy in policies {
            guard var document = document(of: policy, model: model) else { continue }
            if policy == emptying { document.statements = [] }
            let named = NamedDocument(name: policy.engineName, document: document)
            switch policy.kind {
            case .identity: set.identity.append(named)
            case .boundary: set.boundary = named
            case .serviceControl: set.serviceControlPolicies.append(named)
            case .trust, .tablePolicy, .resourcePolicy, .keyPolicy: set.resource = named
            }
        }
        return set
    }

    /// The engine's policy set of a resolved step (for evaluating its request again, e.g. in bulk).
    public static func policySet(for step: StepResolution, model: Model) -> PolicySet {
        policySet(step.policies, model: model)
    }

    /// The document of an applied policy, from the model.
    public static func document(of policy: AppliedPolicy, model: Model) -> PolicyDocument? {
        switch (policy.kind, policy.owner) {
        case (.identity, .role(let key)): model.role(key)?.policies.first { $0.name == policy.name }?.document
        case (.boundary, .role(let key)): model.role(key)?.boundary?.document
        case (.trust, .role(let key)): model.role(key)?.trust.document
        case (.tablePolicy, .table(let key)): model.table(key)?.policy?.document
        case (.serviceControl, .account(let key)): model.account(key)?.serviceControlPolicies.first { $0.name == policy.name }?.document
        case (.identity, .user(let key)): model.user(key)?.policies.first { $0.name == policy.name }?.document
        case (.boundary, .user(let key)): model.user(key)?.boundary?.document
        case (.resourcePolicy, .resource(let key, _)): model.resource(key)?.policy?.document
        case (.keyPolicy, .resource(let key, _)):
            if let resource = model.resource(key) {
                resource.policy?.document ?? AWSManagedKey.defaultKeyPolicy(accountID: model.account(resource.accountKey)?.id ?? "")
            } else {
                AWSManagedKey.resource(key, model: model)?.policy?.document
            }
        default: nil
        }
    }
}

extension Model {
    /// The model with `policy`'s statements removed: what "without this policy" means everywhere (the requirements of
    /// a step, the snippets' broken variants). A trust policy or a boundary with no statements allows nothing; an
    /// SCP with none leaves the account allowed nothing.
    public func emptying(_ policy: AppliedPolicy) -> Model {
        var model = self
        switch (policy.kind, policy.owner) {
        case (.identity, .role(let key)):
            if let role = model.roles.firstIndex(where: { $0.key == key }),
               let index = model.roles[role].policies.firstIndex(where: { $0.name == policy.name }) {
                model.roles[role].policies[index].document.statements = []
            }
        case (.boundary, .role(let key)):
            if let role = model.roles.firstIndex(where: { $0.key == key }) { model.roles[role].boundary?.document.statements = [] }
        case (.trust, .role(let key)):
            if let role = model.roles.firstIndex(where: { $0.key == key }) { model.roles[role].trust.document.statements = [] }
        case (.tablePolicy, .table(let key)):
            if let table = model.tables.firstIndex(where: { $0.key == key }) { model.tables[table].policy?.document.statements = [] }
        case (.identity, .user(let key)):
            if let user = model.users.firstIndex(where: { $0.key == key }),
               let index = model.users[user].policies.firstIndex(where: { $0.name == policy.name }) {
                model.users[user].policies[index].document.statements = []
            }
        case (.boundary, .user(let key)):
            if let user = model.users.firstIndex(where: { $0.key == key }) { model.users[user].boundary?.document.statements = [] }
        case (.resourcePolicy, .resource(let key, _)), (.keyPolicy, .resource(let key, _)):
            if let index = model.resources.firstIndex(where: { $0.key == key }) {
                // A key's policy cannot be absent: "without it" is a key policy that allows nothing.
                if model.resources[index].policy == nil, policy.kind == .keyPolicy,
                   let document = AWSManagedKey.defaultKeyPolicy(accountID: model.account(model.resources[index].accountKey)?.id ?? "") {
                    model.resources[index].policy = NamedPolicy(name: policy.name, document: document, origin: .inline, location: policy.location)
                }
                model.resources[index].policy?.document.statements = []
            } else if let index = model.functions.firstIndex(where: { $0.key == key }) {
                model.functions[index].policy?.document.statements = []
            }
            // An AWS managed key's policy cannot be changed: nothing to take away.
        case (.serviceControl, .account(let key)):
            if let account = model.accounts.firstIndex(where: { $0.key == key }),
               let index = model.accounts[account].serviceControlPolicies.firstIndex(where: { $0.name == policy.name }) {
                model.accounts[account].serviceControlPolicies[index].document.statements = []
            }
        default:
            break
        }
        return model
    }
}

/// One call to KMS a service makes with its caller's credentials (an implied key step, before it is decided).
public struct ImpliedKeyCall: Sendable, Hashable {
    /// `kms:Decrypt`, `kms:GenerateDataKey`.
    public var action: String
    /// The key's model reference: a key of `resources:`, or an AWS managed key (`AWSManagedKey.reference`).
    public var key: String
    public var keyARN: String
    /// `kms:ViaService`, `kms:CallerAccount`, `aws:ViaAWSService` and the service's encryption context key.
    public var context: [String: [String]]
}

/// A service principal acting for a resource, as `Resolver.serviceCaller(for:model:)` resolves it.
public struct ServiceCaller: Sendable, Hashable {
    /// `sns.amazonaws.com`.
    public var principalARN: String
    /// The resource's account.
    public var accountID: String
    /// `aws:SourceArn` and `aws:SourceAccount`.
    public var context: [String: [String]]
}
