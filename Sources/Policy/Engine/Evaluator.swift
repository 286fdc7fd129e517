/// AWS's policy evaluation logic (IAM User Guide, "Policy evaluation logic", "Policy evaluation for requests
/// within a single account", "Cross-account policy evaluation logic"):
///
/// 1. An explicit `Deny` in any applicable policy wins.
/// 2. SCPs of the caller's account must allow.
/// 3. Same account: a resource policy naming the caller's exact user/session ARN allows by itself; one naming
///    the role ARN (or `*`) allows within the boundary and session policies; one naming only the account
///    delegates to identity policies. A role's trust policy must always allow the caller.
/// 4. Cross-account: identity policies (within boundary and session policies) AND the resource policy must allow,
///    for an action the service lets a resource policy grant to another account (SQS keeps some to the queue's owner).
/// SCPs, boundaries and session policies never grant.
extension CompiledPolicySet {
    /// Evaluates `request`; `trace` collects a line per statement for `explain`, `collectMissing` the condition
    /// keys the context lacked.
    public func evaluate(_ request: Request, trace wantsTrace: Bool = false, collectMissing: Bool = false) -> Evaluation {
        var matchedIndices: [Int] = []
        var trace: [TraceEntry]? = wantsTrace ? [] : nil
        var missing: [String] = []
        let reason = run(request, matched: &matchedIndices, trace: &trace, missing: &missing, record: true, recordMissing: wantsTrace || collectMissing)
        let decision: Decision = switch reason {
        case nil: .allowed
        case .explicitDeny?: .explicitDeny
        case .noAllow?: .implicitDeny
        }
        return Evaluation(
            decision: decision, reason: reason,
            matched: matchedIndices.map { index in
                let statement = statements[index]
                let policy = policies[statement.policy]
                return MatchedStatement(policy: policy.name, kind: policy.kind, sid: statement.sid, effect: statement.effect, location: statement.location)
            },
            trace: trace, missingContextKeys: missing,
            principalARN: request.principalARN, action: request.action, resourceARN: request.resourceARN)
    }

    /// Only the decision, without building the matched statements: the bench's hot path and the property tests.
    public func decide(_ request: borrowing Request) -> Decision {
        var matched: [Int] = []
        var trace: [TraceEntry]? = nil
        var missing: [String] = []
        switch run(request, matched: &matched, trace: &trace, missing: &missing, record: false, recordMissing: false) {
        case nil: return .allowed
        case .explicitDeny?: return .explicitDeny
        case .noAllow?: return .implicitDeny
        }
    }

    /// The decision for `request` with `action` and `context` in place of its own: the same as `decide` of a copy
    /// with them set, without the copy (the mock decides every call of one caller on one resource this way).
    public func decide(_ request: borrowing Request, action: String, context: RequestContext) -> Decision {
        var matched: [Int] = []
        var trace: [TraceEntry]? = nil
        var missing: [String] = []
        let reason = run(
            request, action: action, accountWide: ServiceCatalog.isAccountWide(action), context: context, matched: &matched, trace: &trace,
            missing: &missing, record: false, recordMissing: false)
        switch reason {
        case nil: return .allowed
        case .explicitDeny?: return .explicitDeny
        case .noAllow?: return .implicitDeny
        }
    }

    /// The statement walk shared by `evaluate` and `decide`; returns why the request is denied, or `nil`.
    func run(
        _ request: borrowing Request, matched matchedIndices: inout [Int], trace: inout [TraceEntry]?, missing: inout [String], record: Bool,
        recordMissing: Bool
    ) -> DenialReason? {
        run(
            request, action: request.action, accountWide: request.isAccountWideAction, context: request.context, matched: &matchedIndices,
            trace: &trace, missing: &missing, record: record, recordMissing: recordMissing)
    }

    /// The walk for `request` with `action` (and whether it is account-wide) and `context` in place of its own.
    func run(
        _ request: borrowing Request, action requestAction: String, accountWide: Bool, context: RequestContext, matched matchedIndices: inout [Int],
        trace: inout [TraceEntry]?, missing: inout [String], record: Bool, recordMissing: Bool
    ) -> DenialReason? {
        var firstDeny: PolicySlot?
        var allows: (identity: Bool, boundary: Bool, session: Bool, scp: Bool) = (false, false, false, false)
        var grant = Grant.none
        let isServiceOrAnonymous = request.principalType == .service || request.principalType == .anonymous

        // The action and resource bytes are taken once per decision; every pattern then matches raw UTF-8.
        var action = requestAction
        // An action without resource-level permissions is authorized on "*": only a Resource matching every resource
        // grants it (Service Authorization Reference: an action with no resource type).
        var resource = accountWide ? "*" : request.resourceARN
        action.withUTF8 { actionBytes in
        resource.withUTF8 { resourceBytes in
        for index in statements.indices {
                // The array keeps every statement alive for the walk: no retain and release per statement.
                unowned(unsafe) let statement = statements[index]
                let slot = statement.slot
                // Identity-side policies do not apply to service principals and anonymous callers.
                if isServiceOrAnonymous && slot != .resource { continue }
                var statementGrant = Grant.none
                let outcome = match(statement, slot: slot, request: request, context: context, action: actionBytes, resource: resourceBytes, grant: &statementGrant, missing: &missing, recordMissing: recordMissing)
                if trace != nil {
                    trace!.append(TraceEntry(
                        policy: policies[statement.policy].name, slot: slot, sid: statement.sid, effect: statement.effect,
                        location: statement.location, outcome: outcome, grant: outcome == .matched && slot == .resource ? CompiledPolicySet.describe(statementGrant) : nil))
                }
                guard case .matched = outcome else { continue }
                if record { matchedIndices.append(index) }
                if statement.effect == .deny {
                    if firstDeny == nil { firstDeny = slot }
                    continue
                }
                switch slot {
                case .identity: allows.identity = true
                case .resource: grant = max(grant, statementGrant)
                case .boundary: allows.boundary = true
                case .session: allows.session = true
                case .serviceControl: allows.scp = true
                }
        }
        }
        }

        return decide(request, action: requestAction, firstDeny: firstDeny, allows: allows, grant: grant)
    }

    func decide(
        _ request: borrowing Request, action: String, firstDeny: PolicySlot?, allows: (identity: Bool, boundary: Bool, session: Bool, scp: Bool),
        grant: Grant
    ) -> DenialReason? {
        if let firstDeny { return .explicitDeny(firstDeny) }
        switch request.principalType {
        case .service, .anonymous:
            return grant > .none ? nil : .noAllow(.resource)
        default:
            break
        }
        if hasServiceControl && !allows.scp { return .noAllow(.serviceControl) }
        // Session policies limit sessions only (IAM User Guide, "Policies and permissions in IAM", session policies); a
        // federated user's session (GetFederationToken) has no permission unless a session policy allows it (IAM User
        // Guide, "Permissions for GetFederationToken").
        let isSession = request.principalType == .assumedRole || request.principalType == .federatedUser
        let sessionLimits = isSession && (hasSessions || request.principalType == .federatedUser)
        let limits: DenialReason? = hasBoundary && !allows.boundary ? .noAllow(.boundary) : sessionLimits && !allows.session ? .noAllow(.session) : nil
        // A role's trust policy and a KMS key's key policy must allow every caller, even in their own account (IAM User
        // Guide, "Policy evaluation for requests within a single account"; AWS KMS Developer Guide, "Key policies").
        let resourceMustAllow = resourceIsTrust || request.storage.resourceIsKey
        if request.principalType == .account {
            // The root user cannot assume a role (AWS STS API Reference, "AssumeRole").
            if resourceIsTrust || ContextDerivation.isAssumeRole(action) { return .noAllow(.identity) }
            // It has every permission its own account has, but for a key whose key policy does not allow the account;
            // cross-account it needs the resource policy.
            if !request.isCrossAccount && !request.storage.resourceIsKey { return nil }
            return grant > .none && (!request.isCrossAccount || Self.isGrantableAcrossAccounts(request.action)) ? nil : .noAllow(.resource)
        }
        if request.isCrossAccount {
            if !allows.identity { return .noAllow(.identity) }
            if let limits { return limits }
            return grant > .none && Self.isGrantableAcrossAccounts(request.action) ? nil : .noAllow(.resource)
        }
        switch grant {
        // A trust policy naming the user (or session) still leaves the caller within its boundary.
        case .direct: return resourceIsTrust ? limits : nil
        case .role, .everyone: return limits
        case .account, .none:
            if resourceMustAllow && grant == .none { return .noAllow(.resource) }
            if !allows.identity { return .noAllow(.identity) }
            return limits
        }
    }

    /// The SQS actions a queue policy cannot grant to another account: only the queue's own account may perform them
    /// (Amazon SQS Developer Guide, "Limitations of Amazon SQS custom policies"). Lower-cased.
    static let sqsOwnerAccountOnly: Set<String> = [
        "sqs:addpermission", "sqs:cancelmessagemovetask", "sqs:createqueue", "sqs:deletequeue", "sqs:listmessagemovetasks",
        "sqs:listqueues", "sqs:listqueuetags", "sqs:removepermission", "sqs:setqueueattributes", "sqs:startmessagemovetask",
        "sqs:tagqueue", "sqs:untagqueue",
    ]

    /// Whether a resource-based policy can grant `action` to a principal of another account. Asked only for
    /// cross-account requests; a prefix test keeps other services from lower-casing the action.
    static func isGrantableAcrossAccounts(_ action: String) -> Bool {
        var bytes = action.utf8.makeIterator()
        for expected in "sqs:".utf8 {
            guard let byte = bytes.next(), (byte >= 65 && byte <= 90 ? byte | 0x20 : byte) == expected else { return true }
        }
        return !sqsOwnerAccountOnly.contains(RequestContext.lowercasedKey(action))
    }

    func match(
        _ statement: Statement, slot: PolicySlot, request: borrowing Request, context: RequestContext, action: UnsafeBufferPointer<UInt8>,
        resource: UnsafeBufferPointer<UInt8>, grant: inout Grant,
        missing: inout [String], recordMissing: Bool
    ) -> TraceEntry.Outcome {
        if slot == .resource {
            guard let principals = statement.principals else { return .principalDoesNotMatch }
            grant = self.grant(principals, negated: statement.principalNegated, request: request)
            if grant == .none { return .principalDoesNotMatch }
            if grant == .everyone && statement.principalArnCondition { grant = .direct }
        }
        let actionHit = statement.actions.withUnsafeBufferPointer { globs in
            for i in globs.indices where globs[i].matches(action, foldCase: true) { return true }
            return false
        }
        if actionHit == statement.actionNegated { return .actionDoesNotMatch }
        if let resources = statement.resources {
            var unresolved = false
            let resourceHit = resources.withUnsafeBufferPointer { patterns in
                for i in patterns.indices {
                    if patterns[i].glob.matchesAll { return true }
                    if let template = patterns[i].template {
                        guard let glob = template.resolve(in: context) else {
                            unresolved = true
                            continue
                        }
                        if Glob.resource(glob.tokens).matches(resource, foldCase: false) { return true }
                    } else if patterns[i].glob.matches(resource, foldCase: false) {
                        return true
                    }
                }
                return false
            }
            // A variable the request cannot fill never matches, and a NotResource holding one does not match either
            // (IAM User Guide, "IAM policy elements: Variables and tags").
            if statement.resourceNegated && unresolved && !resourceHit { return .resourceDoesNotMatch }
            if resourceHit == statement.resourceNegated { return .resourceDoesNotMatch }
        }
        for i in statement.conditions.indices {
            var keyMissing = false
            let condition = statement.conditions[i]
            if !condition.evaluate(context, missing: &keyMissing) {
                if recordMissing && keyMissing && !missing.contains(condition.writtenKey) { missing.append(condition.writtenKey) }
                return .conditionFalse(
                    operator: condition.op.description, key: condition.writtenKey, expected: condition.values.map(\.text),
                    values: context[condition.key]?.values ?? [])
            }
            if recordMissing && keyMissing && !missing.contains(condition.writtenKey) { missing.append(condition.writtenKey) }
        }
        return .matched
    }

    static func describe(_ grant: Grant) -> String? {
        switch grant {
        case .none: nil
        case .account: "names the caller's account (delegates to its identity policies)"
        case .everyone: "names every principal (*)"
        case .role: "names the caller's role"
        case .direct: "names the caller exactly"
        }
    }
}
