/// AWS's policy evaluation logic (IAM User Guide, "Policy evaluation logic", "Policy evaluation for requests
/// within a single account", "Cross-account policy evaluation logic"):
///
/// 1. An explicit `Deny` in any applicable policy wins.
/// 2. SCPs of the caller's account must allow.
/// 3. Same account: a resource policy naming the caller's exact user/session ARN allows by itself; one naming
///    the role ARN (or `*`) allows within the boundary and session policies; one naming only the account
///    delegates to identity policies. A role's trust policy must always allow the caller.
/// 4. Cross-account: identity policies (within boundary and session policies) AND the resource policy must allow.
/// SCPs, boundaries and session policies never grant.
extension CompiledPolicySet {
    /// Evaluates `request`; `trace` collects a line per statement for `explain`, `collectMissing` the condition
    /// keys the context lacked.
    public func evaluate(_ request: Request, trace wantsTrace: Bool = false, collectMissing: Bool = false) -> Evaluation {
        let recordMissing = wantsTrace || collectMissing
        var matchedIndices: [Int] = []
        var trace: [TraceEntry]? = wantsTrace ? [] : nil
        var missing: [String] = []
        var firstDeny: PolicySlot?
        var allows: (identity: Bool, boundary: Bool, session: Bool, scp: Bool) = (false, false, false, false)
        var grant = Grant.none
        let isServiceOrAnonymous = request.principalType == .service || request.principalType == .anonymous

        var action = request.action
        action.withUTF8 { actionBytes in
            for index in statements.indices {
                let statement = statements[index]
                let slot = policies[statement.policy].slot
                // Identity-side policies do not apply to service principals and anonymous callers.
                if isServiceOrAnonymous && slot != .resource { continue }
                var statementGrant = Grant.none
                let outcome = match(statement, slot: slot, request: request, action: actionBytes, grant: &statementGrant, missing: &missing, recordMissing: recordMissing)
                if trace != nil {
                    trace!.append(TraceEntry(
                        policy: policies[statement.policy].name, slot: slot, sid: statement.sid, effect: statement.effect,
                        location: statement.location, outcome: outcome, grant: outcome == .matched && slot == .resource ? CompiledPolicySet.describe(statementGrant) : nil))
                }
                guard outcome == .matched else { continue }
                matchedIndices.append(index)
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

        let reason = decide(request, firstDeny: firstDeny, allows: allows, grant: grant)
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

    /// Only the decision: the bench's hot path and the property tests use it.
    public func decide(_ request: Request) -> Decision {
        evaluate(request).decision
    }

    func decide(_ request: Request, firstDeny: PolicySlot?, allows: (identity: Bool, boundary: Bool, session: Bool, scp: Bool), grant: Grant) -> DenialReason? {
        if let firstDeny { return .explicitDeny(firstDeny) }
        switch request.principalType {
        case .service, .anonymous:
            return grant > .none ? nil : .noAllow(.resource)
        default:
            break
        }
        if hasServiceControl && !allows.scp { return .noAllow(.serviceControl) }
        let limits: DenialReason? = hasBoundary && !allows.boundary ? .noAllow(.boundary) : hasSessions && !allows.session ? .noAllow(.session) : nil
        if request.principalType == .account {
            // The root user has every permission its own account has; cross-account it needs the resource policy.
            if !request.isCrossAccount { return nil }
            return grant > .none ? nil : .noAllow(.resource)
        }
        if request.isCrossAccount {
            if !allows.identity { return .noAllow(.identity) }
            if let limits { return limits }
            return grant > .none ? nil : .noAllow(.resource)
        }
        switch grant {
        case .direct: return nil
        case .role, .everyone: return limits
        case .account, .none:
            if resourceIsTrust && grant == .none { return .noAllow(.resource) }
            if !allows.identity { return .noAllow(.identity) }
            return limits
        }
    }

    func match(
        _ statement: Statement, slot: PolicySlot, request: Request, action: UnsafeBufferPointer<UInt8>, grant: inout Grant,
        missing: inout [String], recordMissing: Bool
    ) -> TraceEntry.Outcome {
        if slot == .resource {
            guard let principals = statement.principals else { return .principalDoesNotMatch }
            grant = self.grant(principals, negated: statement.principalNegated, request: request)
            if grant == .none { return .principalDoesNotMatch }
        }
        var actionHit = false
        for glob in statement.actions where glob.matches(action, foldCase: true) {
            actionHit = true
            break
        }
        if actionHit == statement.actionNegated { return .actionDoesNotMatch }
        if let resources = statement.resources {
            var resourceHit = false
            for resource in resources {
                if resource.glob.matchesAll { resourceHit = true; break }
                if let template = resource.template {
                    if let glob = template.resolve(in: request.context), glob.matches(request.resourceARN) { resourceHit = true; break }
                } else if resource.glob.matches(request.resourceARN) {
                    resourceHit = true
                    break
                }
            }
            if resourceHit == statement.resourceNegated { return .resourceDoesNotMatch }
        }
        for condition in statement.conditions {
            var keyMissing = false
            if !condition.evaluate(request.context, missing: &keyMissing) {
                if recordMissing && keyMissing && !missing.contains(condition.writtenKey) { missing.append(condition.writtenKey) }
                return .conditionFalse(operator: condition.op.description, key: condition.writtenKey, values: request.context[condition.key]?.values ?? [])
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
