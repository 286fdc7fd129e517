public import Model
public import Policy

/// The mock's entry into the resolution: a wire request names its caller and resource by ARN, so they are resolved
/// back to the model's function sessions, role sessions, roles and tables — the same callers, targets, policies and
/// derived context as a step of an option — and every request is evaluated by the same engine.
///
/// The part that depends only on the caller and the resource is built once per pair and kept by the authorizer; each
/// wire request then pays one evaluation with its own action and context.
public struct Authorization: Sendable {
    public let policies: CompiledPolicySet
    /// Whether the policies read the request context at all (`CompiledPolicySet.readsContext`), computed once.
    public let readsContext: Bool
    /// The applied policies, in the engine's order (for causes).
    public let applied: [AppliedPolicy]
    /// The request without action; its context holds the derived keys of the principal and the resource.
    let request: Request
    let derivation: ContextDerivation

    /// For a wire request of `principalARN` on `resourceARN` in `model`. An unknown caller has no identity policies;
    /// an unknown resource has no policy (so, fail closed, only what the caller's own policies allow in its own
    /// account can pass).
    /// `sessionPolicies` are the session's own (AssumeRole's `Policy`/`PolicyArns`): they only limit.
    public init(model: Model, principalARN: String, resourceARN: String, sessionPolicies: [PolicyDocument] = []) {
        let classified = PrincipalARN.classify(principalARN)
        let type = classified?.type ?? .anonymous
        let accountID = classified?.account ?? ""
        var callerRole: Role?
        if let roleARN = classified?.roleARN, let parsed = ARN(roleARN) {
            let name = parsed.resource.split(separator: "/").last.map(String.init)
            callerRole = model.roles.first { $0.name == name && model.account($0.accountKey)?.id == accountID }
        }
        let target = Self.target(resourceARN, callerAccountID: accountID, model: model)
        applied = Resolver.applicablePolicies(
            callerRole: callerRole, callerUser: Self.user(principalARN, type: type, model: model), callerAccountKey: model.account(id: accountID)?.key ?? "",
            target: target, model: model)
        var request = Request(
            principalARN: principalARN, principalAccount: accountID, principalType: type,
            roleARN: classified?.roleARN.flatMap { arn in callerRole?.arn ?? arn }, action: "", resourceARN: resourceARN,
            resourceAccount: target.accountID.isEmpty ? accountID : target.accountID)
        derivation = Resolver.derivation(callerAccountID: accountID, model: model)
        request.context = derivation.principalAndResourceContext(for: request)
        self.request = request
        var set = Resolver.policySet(applied, model: model)
        set.sessions = sessionPolicies.enumerated().map { NamedDocument(name: "session policy \($0.offset + 1)", document: $0.element) }
        policies = CompiledPolicySet(set)
        readsContext = policies.readsContext
    }

    /// The resource an ARN names in the model: a role, a table, a table's index, an account's `table/*`.
    static func target(_ arn: String, callerAccountID: String, model: Model) -> ResolvedTarget {
        let parsed = ARN(arn)
        let accountID = parsed?.account ?? ""
        let account = model.account(id: accountID)
        if let role = model.roles.first(where: { $0.arn == arn }) {
            return ResolvedTarget(
                kind: .role(key: role.key), key: role.key, displayName: role.name, arn: arn, accountKey: role.accountKey, accountID: accountID,
                tableReference: nil)
        }
        for table in model.tables {
            if arn == table.arn {
                return ResolvedTarget(
                    kind: .table(key: table.key), key: table.key, displayName: table.name, arn: arn, accountKey: table.accountKey,
                    accountID: accountID, tableReference: nil)
            }
            if arn.hasPrefix(table.arn + "/index/") {
                let index = String(arn.dropFirst(table.arn.count + "/index/".count))
                return ResolvedTarget(
                    kind: .index(table: table.key, index: index), key: table.key, displayName: table.name, arn: arn, accountKey: table.accountKey,
                    accountID: accountID, tableReference: nil)
            }
        }
        // The AWS managed keys implied calls use (a secret without a key of its own): each account's, per service.
        for owner in model.accounts {
            for kind in ResourceKind.all where kind.awsManagedKeyAlias != nil {
                let reference = AWSManagedKey.reference(owner.key, kind)
                guard let key = AWSManagedKey.resource(reference, model: model), key.arn == arn else { continue }
                return ResolvedTarget(
                    kind: .resource(key: reference, kind: .kmsKey), key: reference, displayName: key.alias ?? key.name, arn: arn,
                    accountKey: owner.key, accountID: owner.id, tableReference: nil)
            }
        }
        for resource in model.resources {
            // A bucket's ARN carries no account: its owner is the model's.
            let owner = model.account(resource.accountKey)
            if arn == resource.arn {
                return ResolvedTarget(
                    kind: .resource(key: resource.key, kind: resource.kind), key: resource.key, displayName: resource.name, arn: arn,
                    accountKey: resource.accountKey, accountID: owner?.id ?? "", tableReference: nil)
            }
            if resource.kind == .s3Bucket, arn.hasPrefix(resource.arn + "/") {
                return ResolvedTarget(
                    kind: .resource(key: resource.key, kind: .s3Object), key: resource.key, displayName: String(arn.dropFirst("arn:aws:s3:::".count)),
                    arn: arn, accountKey: resource.accountKey, accountID: owner?.id ?? "", tableReference: nil)
            }
        }
        if let found = otherResource(arn, model: model) { return found }
        return ResolvedTarget(
            kind: .accountTables(table: ""), key: "", displayName: arn, arn: arn, accountKey: account?.key ?? "", accountID: accountID,
            tableReference: nil)
    }

    /// The IAM user an ARN names in the model (its policies are the caller's), when the caller is a user.
    static func user(_ arn: String, type: PrincipalType, model: Model) -> User? {
        type == .user ? model.users.first { $0.arn == arn } : nil
    }

    /// A target not under `resources:`: a function of `functions:` invoked (with its function policy), or an AWS
    /// managed key an implied call uses (`aws/secretsmanager`, with the key policy AWS gives it).
    static func otherResource(_ arn: String, model: Model) -> ResolvedTarget? {
        // Only a Lambda or KMS ARN can name one (a table's ARN never builds the AWS managed keys).
        guard let service = ARN(arn)?.service, service == "lambda" || service == "kms" else { return nil }
        var candidates = model.functions.filter { $0.kind == .lambdaFunction }.map(\.asResource)
        for account in model.accounts where service == "kms" {
            for kind in ResourceKind.all where kind.awsManagedKeyAlias != nil {
                if let key = AWSManagedKey.resource(AWSManagedKey.reference(account.key, kind), model: model) { candidates.append(key) }
            }
        }
        guard let resource = candidates.first(where: { $0.arn == arn }) else { return nil }
        return ResolvedTarget(
            kind: .resource(key: resource.key, kind: resource.kind), key: resource.key, displayName: resource.alias ?? resource.name, arn: arn,
            accountKey: resource.accountKey, accountID: model.account(resource.accountKey)?.id ?? "", tableReference: nil)
    }

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

    /// Decides `action` with the caller's `context` (whose keys win over derived ones).
    public func evaluate(action: String, context: RequestContext, trace: Bool = false) -> Evaluation {
        policies.evaluate(completed(action: action, context: context), trace: trace)
    }

    /// Only the decision of `evaluate(action:derivedContext:)`: the same statement walk, without collecting the
    /// matched statements or the words of a denial (the mock's path for every call it allows).
    public func decide(action: String, derivedContext context: RequestContext) -> Decision {
        precondition(!ContextDerivation.isAssumeRole(action), "AssumeRole actions derive keys per call")
        // The request as it is, with the action and context given: no copy of it per call.
        return policies.decide(request, action: action, context: context)
    }

    /// Only the decision of `evaluate(action:context:)`.
    public func decide(action: String, context: RequestContext) -> Decision {
        policies.decide(completed(action: action, context: context))
    }

    /// The request for `action` with the caller's `context` and the derived keys it does not set.
    private func completed(action: String, context: RequestContext) -> Request {
        var request = request
        request.action = action
        var derivation = derivation
        // The keys lower-cased as written here, so the look-ups need not lower-case them per call.
        derivation.roleSessionName = context.entries["sts:rolesessionname"]?.values.first
        derivation.externalID = context.entries["sts:externalid"]?.values.first
        let derived = request.context
        request.context = context
        derivation.complete(derived, for: &request)
        return request
    }

    /// The resource a DynamoDB call without resource-level permissions (ListTables) acts on for a caller: every
    /// table of the caller's own account — the same ARN as `check` evaluates.
    public static func accountTablesARN(callerAccountID: String, model: Model) -> String {
        ARN.dynamoDBTables(region: model.region, account: callerAccountID).description
    }
}
