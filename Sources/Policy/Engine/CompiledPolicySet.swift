import Source
/// A policy set compiled for fast evaluation: action patterns lower-cased into globs, resource patterns split
/// into literal globs and variable templates, principals classified, condition values parsed, all once.
/// Evaluating a request then allocates nothing unless a policy variable must be filled or a trace is asked.
public struct CompiledPolicySet: Sendable {
    struct Policy: Sendable {
        var name: String
        var kind: PolicyKind
        var slot: PolicySlot
        var statements: Range<Int>
    }

    enum PrincipalMatcher: Sendable, Hashable {
        case everyone
        case account(String)
        /// A role ARN: matches the role itself and every session of it (account + name; sessions carry no path).
        case role(arn: String, account: String, slashName: String)
        /// A user ARN or an exact assumed-role session ARN.
        case exact(String, Grant)
        case service(String)
        case federated(String)
        case never
    }

    /// How a resource-based policy's `Principal` named the caller; decides what a same-account grant means.
    enum Grant: Int, Sendable, Hashable, Comparable {
        case none = 0
        /// The account (id or root ARN): delegates to the account's identity policies.
        case account
        /// `*` or a service principal.
        case everyone
        /// The role ARN (a session's role): still limited by boundary and session policies.
        case role
        /// The exact user ARN or session ARN: enough by itself in the same account.
        case direct

        static func < (lhs: Grant, rhs: Grant) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    struct Resource: Sendable {
        var glob: Glob
        var template: Template?
    }

    /// A class, so that the hot loop retains one reference per statement instead of every array inside it.
    final class Statement: Sendable {
        let policy: Int
        let slot: PolicySlot
        let sid: String?
        let effect: Effect
        let location: SourceLocation
        let principals: [PrincipalMatcher]?
        let principalNegated: Bool
        let actions: [Glob]
        let actionNegated: Bool
        let resources: [Resource]?
        let resourceNegated: Bool
        let conditions: [CompiledCondition]
        /// `Principal: "*"` narrowed by a condition on `aws:PrincipalArn`: in a same-account resource policy it names
        /// the caller as directly as its ARN would, so boundaries and session policies do not limit it.
        let principalArnCondition: Bool

        init(
            policy: Int, slot: PolicySlot, sid: String?, effect: Effect, location: SourceLocation, principals: [PrincipalMatcher]?,
            principalNegated: Bool, actions: [Glob], actionNegated: Bool, resources: [Resource]?, resourceNegated: Bool,
            conditions: [CompiledCondition], principalArnCondition: Bool
        ) {
            self.policy = policy
            self.slot = slot
            self.sid = sid
            self.effect = effect
            self.location = location
            self.principals = principals
            self.principalNegated = principalNegated
            self.actions = actions
            self.actionNegated = actionNegated
            self.resources = resources
            self.resourceNegated = resourceNegated
            self.conditions = conditions
            self.principalArnCondition = principalArnCondition
        }
    }

    var policies: [Policy] = []
    var statements: [Statement] = []
    var hasBoundary = false
    var hasSessions = false
    var hasServiceControl = false
    var resourceIsTrust = false
    var hasResource = false

    /// Whether any statement reads the request context (a condition, or a policy variable in a resource): when none
    /// does, every context decides alike, and a caller may skip building it.
    public var readsContext: Bool {
        statements.contains { !$0.conditions.isEmpty || ($0.resources?.contains { $0.template != nil } ?? false) }
    }

    public init(_ set: PolicySet) {
        for policy in set.identity { add(policy, slot: .identity) }
        if let resource = set.resource {
            add(resource, slot: .resource)
            hasResource = true
            resourceIsTrust = resource.document.kind == .trust
        }
        if let boundary = set.boundary {
            add(boundary, slot: .boundary)
            hasBoundary = true
        }
        for policy in set.sessions { add(policy, slot: .session) }
        hasSessions = !set.sessions.isEmpty
        for policy in set.serviceControlPolicies { add(policy, slot: .serviceControl) }
        hasServiceControl = !set.serviceControlPolicies.isEmpty
    }

    private mutating func add(_ named: NamedDocument, slot: PolicySlot) {
        let start = statements.count
        let index = policies.count
        // Without "Version": "2012-10-17" policy variables are literal text (IAM User Guide, "IAM JSON policy elements:
        // Version").
        let variables = named.document.version == .v2012
        for statement in named.document.statements {
            statements.append(CompiledPolicySet.compile(statement, policy: index, slot: slot, variables: variables))
        }
        policies.append(Policy(name: named.name, kind: named.document.kind, slot: slot, statements: start..<statements.count))
    }

    static func compile(_ statement: PolicyStatementAlias, policy: Int, slot: PolicySlot, variables: Bool = true) -> Statement {
        var principals: [PrincipalMatcher]?
        if slot == .resource, let block = statement.principal {
            principals = block.principals.map { compile(principal: $0.value) }
        }
        let resources = statement.resource.map { block in
            block.patterns.map { pattern -> Resource in
                let template = Template(pattern.value.text, wildcards: true, variables: variables)
                if template.hasVariables { return Resource(glob: Glob(tokens: []), template: template) }
                var tokens: [UInt16] = []
                for part in template.parts { if case .tokens(let more) = part { tokens += more } }
                return Resource(glob: Glob.resource(tokens), template: nil)
            }
        }
        return Statement(
            policy: policy, slot: slot, sid: statement.sid, effect: statement.effect, location: statement.location,
            principals: principals, principalNegated: statement.principal?.negated ?? false,
            actions: statement.action.patterns.map { Glob($0.value.text, lowercased: true) },
            actionNegated: statement.action.negated,
            resources: resources, resourceNegated: statement.resource?.negated ?? false,
            conditions: statement.conditions.map { CompiledCondition($0, variables: variables) },
            principalArnCondition: statement.principal?.negated == false
                && statement.conditions.contains { $0.key.value.lowercased() == "aws:principalarn" && !$0.operator.base.isNegated && $0.operator.base != .null }
        )
    }

    static func compile(principal: Principal) -> PrincipalMatcher {
        switch principal {
        case .everyone: return .everyone
        case .service(let name): return .service(name)
        case .federated(let name): return .federated(name)
        case .canonicalUser: return .never
        case .aws(let text):
            if text == "*" { return .everyone }
            if text.count == 12, text.allSatisfy(\.isASCIIDigit) { return .account(text) }
            guard let arn = ARN(text) else { return .never }
            if arn.service == "iam" && arn.resource == "root" { return .account(arn.account) }
            if arn.service == "iam" && arn.resource.hasPrefix("role/") {
                let name = arn.resource.split(separator: "/").last.map(String.init) ?? ""
                return .role(arn: text, account: arn.account, slashName: "/" + name)
            }
            return .exact(text, .direct)
        }
    }

    /// How the statement's principals name the caller (`.none` when they do not).
    func grant(_ matchers: [PrincipalMatcher], negated: Bool, request: Request) -> Grant {
        if negated {
            // NotPrincipal with Deny always applies to an IAM user or role that has a permissions boundary, whatever it
            // lists (IAM User Guide, "AWS JSON policy elements: NotPrincipal").
            if hasBoundary && (request.principalType == .user || request.principalType == .assumedRole) { return .everyone }
            // It excludes the caller only when every identity it has (itself, its role, its account) is listed. A role
            // is named by its ARN with its path; role names are unique in an account, so the name decides.
            var selfListed = false, roleListed = request.roleARN == nil, accountListed = false
            for matcher in matchers {
                switch matcher {
                case .everyone: return .none
                case .account(let id): if id == request.principalAccount && request.principalType != .service { accountListed = true }
                case .role(let arn, let account, let slashName):
                    if let roleARN = request.roleARN,
                        roleARN == arn || (account == request.principalAccount && roleARN.hasSuffix(slashName) && ARNPrefix.isRole(roleARN))
                    {
                        roleListed = true
                        if request.principalARN == roleARN { selfListed = true }
                    }
                    if arn == request.principalARN { selfListed = true }
                case .exact(let text, _): if text == request.principalARN { selfListed = true }
                case .service(let name), .federated(let name):
                    if name == request.principalARN { return .none }
                case .never: break
                }
            }
            if request.principalType == .account { selfListed = accountListed }
            return selfListed && roleListed && accountListed ? .none : .everyone
        }
        var best = Grant.none
        for matcher in matchers {
            switch matcher {
            case .everyone:
                best = max(best, .everyone)
            case .account(let id):
                if id == request.principalAccount && request.principalType != .service && request.principalType != .anonymous {
                    best = max(best, .account)
                }
            case .role(let arn, let account, let slashName):
                if let roleARN = request.roleARN, roleARN == arn
                    || (account == request.principalAccount && roleARN.hasSuffix(slashName) && roleARN.hasPrefix("arn:") && ARNPrefix.isRole(roleARN))
                {
                    best = max(best, request.principalARN == roleARN ? .direct : .role)
                }
            case .exact(let text, let grant):
                if text == request.principalARN { best = max(best, grant) }
            case .service(let name):
                if request.principalType == .service && name == request.principalARN { best = max(best, .direct) }
            case .federated(let name):
                if request.principalType == .federatedUser && name == request.principalARN { best = max(best, .direct) }
            case .never:
                break
            }
        }
        return best
    }
}

typealias PolicyStatementAlias = Statement

enum ARNPrefix {
    static func isRole(_ arn: String) -> Bool {
        guard let parsed = ARN(arn) else { return false }
        return parsed.service == "iam" && parsed.resource.hasPrefix("role/")
    }
}
