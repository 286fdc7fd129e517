public import Source
/// What the analyzer knows about the world the policies live in: the accounts, roles and tables of the model,
/// so that a typo in an ARN of a modelled account is an error rather than a policy that never matches.
public struct Knowledge: Sendable, Hashable {
    public var accountIDs: Set<String>
    public var roleARNs: Set<String>
    public var tableARNs: Set<String>
    /// Table ARN → its index names.
    public var indexes: [String: [String]]

    public init(accountIDs: Set<String> = [], roleARNs: Set<String> = [], tableARNs: Set<String> = [], indexes: [String: [String]] = [:]) {
        self.accountIDs = accountIDs
        self.roleARNs = roleARNs
        self.tableARNs = tableARNs
        self.indexes = indexes
    }
}

/// Validation findings like IAM Access Analyzer's policy checks. Codes are stable:
///
/// - errors (`TF-ERR-…`): the policy can never work as written;
/// - security warnings (`TF-SEC-…`): it works, but grants more than it should;
/// - suggestions (`TF-SUG-…`): it works, but can be simpler.
public enum Analyzer {
    public enum Code: String, Sendable, CaseIterable {
        case unknownAction = "TF-ERR-001"
        case trustWithoutAssumeRole = "TF-ERR-002"
        case unknownResource = "TF-ERR-003"
        case unknownPrincipal = "TF-ERR-004"
        case actionResourceMismatch = "TF-ERR-005"
        case allActions = "TF-SEC-001"
        case serviceWildcard = "TF-SEC-002"
        case writeOnAllResources = "TF-SEC-003"
        case openPrincipal = "TF-SEC-004"
        case wholeAccountTrust = "TF-SEC-005"
        case allowWithNot = "TF-SEC-006"
        case missingVersion = "TF-SUG-001"
        case redundantStatement = "TF-SUG-002"
        case unreachableStatement = "TF-SUG-003"
    }

    static let restrictingKeys: Set<String> = [
        "aws:principalaccount", "aws:principalorgid", "aws:principalarn", "aws:sourceaccount", "aws:sourcearn",
        "aws:sourceorgid", "aws:principalorgpaths", "aws:sourceowner", "aws:userid", "aws:sourcevpc", "aws:sourcevpce",
    ]

    /// Every finding for one policy, sorted by location.
    public static func analyze(_ policy: NamedDocument, knowledge: Knowledge = Knowledge()) -> [Diagnostic] {
        var findings: [Diagnostic] = []
        let document = policy.document
        func add(_ severity: Diagnostic.Severity, _ code: Code, _ message: String, _ location: SourceLocation) {
            findings.append(Diagnostic(severity, code: code.rawValue, "\(policy.name): \(message)", at: location))
        }
        if document.version == nil {
            add(.suggestion, .missingVersion, "no \"Version\": \"2012-10-17\"; without it policy variables are not replaced", document.location)
        }
        if document.kind == .trust {
            let assumes = document.statements.contains { statement in
                statement.effect == .allow && coversAssumeRole(statement.action)
            }
            if !assumes {
                add(.error, .trustWithoutAssumeRole, "this trust policy allows no sts:AssumeRole (or AssumeRoleWithWebIdentity/SAML): nobody can assume the role", document.location)
            }
        }
        // A service control policy grants nothing, it only sets the most an account's principals may be allowed:
        // its Allow "*" on "*" is AWS's default (FullAWSAccess), and a broad Allow is no over-grant.
        let grants = document.kind != .serviceControl
        for (index, statement) in document.statements.enumerated() {
            let label = statement.sid.map { "statement '\($0)'" } ?? "statement \(index + 1)"
            var knownActions: [String] = []
            var allActionsKnown = true
            // Actions.
            for pattern in statement.action.patterns {
                let text = pattern.value.text
                if text == "*" {
                    if grants && statement.effect == .allow && !statement.action.negated {
                        add(.warning, .allActions, "\(label) allows every action (\"*\"); grant the actions the caller uses", pattern.location)
                    }
                    allActionsKnown = false
                    continue
                }
                if let colon = text.firstIndex(of: ":"), text[text.index(after: colon)...] == "*", grants, statement.effect == .allow, !statement.action.negated {
                    add(.warning, .serviceWildcard, "\(label) allows every action of \(text[..<colon]) (\"\(text)\"); list the actions instead (least privilege)", pattern.location)
                }
                if let matched = ServiceCatalog.matches(text) {
                    if matched.isEmpty {
                        let service = String(text[..<text.firstIndex(of: ":")!]).lowercased()
                        let name = String(text[text.index(after: text.firstIndex(of: ":")!)...])
                        let suggestion = Spelling.didYouMean(name, among: ServiceCatalog.actions[service] ?? [])
                        add(.error, .unknownAction, "\(label): \"\(text)\" is no \(service) action\(suggestion)", pattern.location)
                    }
                    knownActions += matched.map { "\(text[..<text.firstIndex(of: ":")!].lowercased()):\($0)" }
                } else {
                    allActionsKnown = false
                }
            }
            if statement.effect == .allow && (statement.action.negated || statement.resource?.negated == true) {
                add(.warning, .allowWithNot, "\(label) combines Allow with \(statement.action.negated ? "NotAction" : "NotResource"): it grants everything not listed, including actions and resources added later", statement.location)
            }
            // Resources.
            if let resource = statement.resource, !resource.negated {
                for pattern in resource.patterns {
                    let text = pattern.value.text
                    if text == "*" {
                        if grants, statement.effect == .allow, allActionsKnown, !knownActions.isEmpty,
                            let write = knownActions.first(where: { action in
                                let parts = action.split(separator: ":")
                                return !ServiceCatalog.isReadOnly(service: String(parts[0]), action: String(parts[1])) && !noResourceLevel.contains(action)
                            })
                        {
                            add(.warning, .writeOnAllResources, "\(label) allows \(write) on every resource (\"*\"); name the resource ARNs", pattern.location)
                        }
                        continue
                    }
                    checkKnownResource(text, knowledge: knowledge) { add(.error, .unknownResource, "\(label): \($0)", pattern.location) }
                    if allActionsKnown, !knownActions.isEmpty, let arn = ARN(text), !arn.service.contains("*"),
                        !knownActions.contains(where: { action in
                            (resourceServices[String(action.prefix { $0 != ":" })] ?? []).contains(arn.service.lowercased())
                        })
                    {
                        add(.error, .actionResourceMismatch, "\(label): resource \"\(text)\" is a \(arn.service) ARN but every action is of another service, so it never matches", pattern.location)
                    }
                }
            }
            // Principals.
            if let principal = statement.principal, !principal.negated {
                let conditionKeys = Set(statement.conditions.map { $0.key.value.lowercased() })
                let restricted = !conditionKeys.isDisjoint(with: restrictingKeys)
                for entry in principal.principals {
                    switch entry.value {
                    case .everyone where statement.effect == .allow && !restricted:
                        add(.warning, .openPrincipal, "\(label) allows any principal (\"*\") without a condition on aws:PrincipalAccount, aws:PrincipalOrgID or aws:PrincipalArn: anyone can use it", entry.location)
                    case .aws(let text):
                        let account = text.count == 12 && text.allSatisfy(\.isASCIIDigit) ? text : ARN(text).flatMap { $0.resource == "root" ? $0.account : nil }
                        if let account, document.kind == .trust, statement.effect == .allow, !restricted {
                            add(.warning, .wholeAccountTrust, "\(label) trusts the whole account \(account): any role there allowed sts:AssumeRole can assume this role; name the caller's role ARN instead", entry.location)
                        }
                        if let arn = ARN(text), arn.service == "iam", arn.resource.hasPrefix("role/"), knowledge.accountIDs.contains(arn.account),
                            !knowledge.roleARNs.contains(text), !text.contains("*")
                        {
                            add(.error, .unknownPrincipal, "\(label): principal \(text) is no role of the model (a typo?); AWS rejects it as \"Invalid principal in policy\"", entry.location)
                        }
                    default:
                        break
                    }
                }
            }
        }
        findings += redundancy(document, name: policy.name)
        return findings.sorted { ($0.location, $0.code ?? "") < ($1.location, $1.code ?? "") }
    }

    /// Which ARN services an action's resources may be (STS acts on IAM roles).
    static let resourceServices: [String: Set<String>] = ["dynamodb": ["dynamodb"], "sts": ["iam", "sts"]]

    /// Actions without resource-level permissions: `Resource: "*"` is the only way to grant them.
    static let noResourceLevel: Set<String> = ["dynamodb:listtables", "dynamodb:describelimits", "dynamodb:describeendpoints", "dynamodb:listbackups", "dynamodb:listglobaltables", "dynamodb:liststreams", "dynamodb:listexports", "dynamodb:listimports", "dynamodb:listcontributorinsights", "dynamodb:describereservedcapacity", "dynamodb:describereservedcapacityofferings", "dynamodb:purchasereservedcapacityofferings", "sts:getcalleridentity", "sts:getsessiontoken", "sts:decodeauthorizationmessage", "sts:getaccesskeyinfo"]

    static func coversAssumeRole(_ block: Block<ActionPattern>) -> Bool {
        let targets = ["sts:assumerole", "sts:assumerolewithwebidentity", "sts:assumerolewithsaml"]
        let hit = targets.contains { target in block.patterns.contains { Glob($0.value.text, lowercased: true).matches(target) } }
        return block.negated ? !targets.allSatisfy { target in block.patterns.contains { Glob($0.value.text, lowercased: true).matches(target) } } : hit
    }

    /// A literal role or table ARN in a model account that the model does not have is a typo.
    static func checkKnownResource(_ text: String, knowledge: Knowledge, report: (String) -> Void) {
        guard !text.contains("*"), !text.contains("?"), !text.contains("${"), let arn = ARN(text), knowledge.accountIDs.contains(arn.account) else { return }
        if arn.service == "iam", arn.resource.hasPrefix("role/"), !knowledge.roleARNs.contains(text) {
            report("\(text) is no role of the model (a typo?): this statement never matches")
        }
        if arn.service == "dynamodb", arn.resource.hasPrefix("table/") {
            let parts = arn.resource.split(separator: "/", omittingEmptySubsequences: false)
            let tableARN = "arn:\(arn.partition):dynamodb:\(arn.region):\(arn.account):table/\(parts.count > 1 ? parts[1] : "")"
            if !knowledge.tableARNs.contains(tableARN) {
                report("\(text) names no table of the model (a typo, or another region?): this statement never matches")
            } else if parts.count == 4, parts[2] == "index", !(knowledge.indexes[tableARN] ?? []).contains(String(parts[3])) {
                report("\(text) names no index of table \(parts[1]) in the model")
            }
        }
    }

    /// Statements that add nothing: an Allow covered by another Allow, or one a Deny always overrides.
    static func redundancy(_ document: PolicyDocument, name: String) -> [Diagnostic] {
        var findings: [Diagnostic] = []
        let statements = document.statements
        for (i, statement) in statements.enumerated() where statement.effect == .allow {
            for (j, other) in statements.enumerated() where i != j && other.conditions.isEmpty && other.principal == nil && statement.principal == nil {
                guard covers(other, statement) else { continue }
                let label = statement.sid.map { "statement '\($0)'" } ?? "statement \(i + 1)"
                let otherLabel = other.sid.map { "'\($0)'" } ?? "statement \(j + 1)"
                if other.effect == .deny {
                    findings.append(Diagnostic(.suggestion, code: Code.unreachableStatement.rawValue, "\(name): \(label) can never take effect: Deny \(otherLabel) covers every action and resource it allows", at: statement.location))
                    break
                }
                // Of two identical statements, report the later one only.
                if covers(statement, other) && statement.conditions.isEmpty && i < j { continue }
                findings.append(Diagnostic(.suggestion, code: Code.redundantStatement.rawValue, "\(name): \(label) is redundant: \(otherLabel) already allows everything it allows", at: statement.location))
                break
            }
        }
        return findings
    }

    /// Whether `outer` matches every request `inner` matches (literal patterns only; conservative).
    static func covers(_ outer: Statement, _ inner: Statement) -> Bool {
        guard !outer.action.negated, !inner.action.negated else { return false }
        for pattern in inner.action.patterns {
            let text = pattern.value.text.lowercased()
            guard outer.action.patterns.contains(where: { Glob($0.value.text, lowercased: true).matches(text) && (!text.contains("*") || $0.value.text == "*" || $0.value.text.lowercased() == text) }) else { return false }
        }
        switch (outer.resource, inner.resource) {
        case (nil, nil): return true
        case (let o?, let i?):
            guard !o.negated, !i.negated else { return false }
            return i.patterns.allSatisfy { pattern in
                o.patterns.contains { $0.value.text == "*" || $0.value.text == pattern.value.text || (!pattern.value.text.contains("*") && !pattern.value.text.contains("${") && !$0.value.text.contains("${") && Glob($0.value.text).matches(pattern.value.text)) }
            }
        default: return false
        }
    }
}
