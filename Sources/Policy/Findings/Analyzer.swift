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
        case sizeLimit = "TF-ERR-006"
        case allActions = "TF-SEC-001"
        case serviceWildcard = "TF-SEC-002"
        case writeOnAllResources = "TF-SEC-003"
        case openPrincipal = "TF-SEC-004"
        case wholeAccountTrust = "TF-SEC-005"
        case allowWithNot = "TF-SEC-006"
        case actionWithoutResource = "TF-WRN-001"
        case unsupportedConditionKey = "TF-WRN-002"
        case emptyActionGlob = "TF-WRN-003"
        case literalVariables = "TF-WRN-004"
        case missingVersion = "TF-SUG-001"
        case redundantStatement = "TF-SUG-002"
        case unreachableStatement = "TF-SUG-003"
    }

    /// AWS's size limit for a kind of policy, and whether white space counts towards it.
    public struct SizeLimit: Sendable, Hashable {
        public var what: String
        public var characters: Int
        public var countsWhitespace: Bool
        /// Where AWS documents it.
        public var source: String

        public init(what: String, characters: Int, countsWhitespace: Bool, source: String) {
            self.what = what
            self.characters = characters
            self.countsWhitespace = countsWhitespace
            self.source = source
        }

        /// IAM does not count white space (IAM User Guide, "IAM and AWS STS quotas").
        public static let inlineRolePolicy = SizeLimit(what: "an inline role policy", characters: 10_240, countsWhitespace: false, source: "IAM User Guide, \"IAM and AWS STS quotas\"")
        public static let managedPolicy = SizeLimit(what: "a managed policy", characters: 6_144, countsWhitespace: false, source: "IAM User Guide, \"IAM and AWS STS quotas\"")
        public static let trustPolicy = SizeLimit(what: "a role trust policy (the default quota)", characters: 2_048, countsWhitespace: false, source: "IAM User Guide, \"IAM and AWS STS quotas\"")
        public static let serviceControlPolicy = SizeLimit(what: "a service control policy", characters: 5_120, countsWhitespace: true, source: "AWS Organizations User Guide, \"Quotas for AWS Organizations\"")
        /// 20 KB, white space included (DynamoDB Developer Guide, "DynamoDB resource-based policy considerations").
        /// 20 KB (Amazon S3 User Guide, "Bucket policy examples": "Bucket policies are limited to 20 KB in size").
        public static let bucketPolicy = SizeLimit(what: "an S3 bucket policy", characters: 20_480, countsWhitespace: true, source: "Amazon S3 User Guide, \"Adding a bucket policy\"")
        /// 32 KB (AWS KMS Developer Guide, "Key policies in AWS KMS": "The maximum length of a key policy document is 32 KB").
        public static let keyPolicy = SizeLimit(what: "a KMS key policy", characters: 32_768, countsWhitespace: true, source: "AWS KMS Developer Guide, \"Key policies in AWS KMS\"")
        /// 20 KB (AWS Lambda Developer Guide, "Lambda quotas": function resource-based policy).
        public static let functionPolicy = SizeLimit(what: "a Lambda function's resource-based policy", characters: 20_480, countsWhitespace: true, source: "AWS Lambda Developer Guide, \"Lambda quotas\"")
        /// 2,048 characters for all of a user's inline policies together (IAM User Guide, "IAM and AWS STS quotas").
        public static let inlineUserPolicy = SizeLimit(what: "a user's inline policies", characters: 2_048, countsWhitespace: false, source: "IAM User Guide, \"IAM and AWS STS quotas\"")
        public static let dynamoDBResourcePolicy = SizeLimit(what: "a DynamoDB resource-based policy", characters: 20_480, countsWhitespace: true, source: "DynamoDB Developer Guide, \"Resource-based policy considerations\"")
    }

    static let restrictingKeys: Set<String> = [
        "aws:principalaccount", "aws:principalorgid", "aws:principalarn", "aws:sourceaccount", "aws:sourcearn",
        "aws:sourceorgid", "aws:principalorgpaths", "aws:sourceowner", "aws:userid", "aws:sourcevpc", "aws:sourcevpce",
    ]

    /// The `aws:` keys that are not global: services list them per action (IAM User Guide, "AWS global condition
    /// context keys"; Service Authorization Reference).
    static let serviceScopedAWSKeys = ["aws:requesttag/", "aws:resourcetag/", "aws:tagkeys"]

    /// Every finding for one policy, sorted by location. `limit` is AWS's size limit for where the policy is attached.
    /// `123456789012` or `arn:aws:iam::123456789012:root`: an account as a principal.
    static func isAccount(_ text: String) -> Bool {
        if text.count == 12 && text.allSatisfy(\.isNumber) { return true }
        guard let arn = ARN(text) else { return false }
        return arn.service == "iam" && arn.resource == "root"
    }

    public static func analyze(_ policy: NamedDocument, knowledge: Knowledge = Knowledge(), limit: SizeLimit? = nil) -> [Diagnostic] {
        var findings: [Diagnostic] = []
        let document = policy.document
        func add(_ severity: Diagnostic.Severity, _ code: Code, _ message: String, _ location: SourceLocation) {
            findings.append(Diagnostic(severity, code: code.rawValue, "\(policy.name): \(message)", at: location))
        }
        if let limit {
            let size = document.size(countingWhitespace: limit.countsWhitespace)
            if size > limit.characters {
                add(.error, .sizeLimit, "\(size) characters\(limit.countsWhitespace ? "" : " without white space"), over AWS's limit of \(limit.characters) for \(limit.what) (\(limit.source)); AWS rejects it", document.location)
            }
        }
        if document.version != .v2012 {
            let usesVariables = document.statements.contains(where: usesVariables)
            if usesVariables {
                add(.warning, .literalVariables, "\(document.version == nil ? "no \"Version\"" : "\"Version\": \"2008-10-17\"") but policy variables: without \"Version\": \"2012-10-17\" AWS reads ${…} as literal text, so they never match what they name", document.location)
            } else if document.version == nil {
                add(.suggestion, .missingVersion, "no \"Version\": \"2012-10-17\"; without it policy variables are not replaced", document.location)
            }
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
            // A resource-based statement whose principals are accounts only delegates to those accounts' identity
            // policies (a key policy's "Enable IAM policies" statement, AWS's default): it grants no one anything by
            // itself, so its breadth is no over-grant. Identity policies are checked on their own.
            let delegatesToAccounts = document.kind == .resource && statement.principal.map { block in
                !block.negated && !block.principals.isEmpty && block.principals.allSatisfy { principal in
                    guard case .aws(let text) = principal.value else { return false }
                    return Self.isAccount(text)
                }
            } ?? false
            let grants = grants && !delegatesToAccounts
            // Actions, expanded through AWS's catalog; `nil` once one of them is "*", NotAction or of an unknown service.
            var expanded: [(pattern: Located<ActionPattern>, actions: [CatalogAction])]? = []
            for pattern in statement.action.patterns {
                let text = pattern.value.text
                if text == "*" {
                    if grants && statement.effect == .allow && !statement.action.negated {
                        add(.warning, .allActions, "\(label) allows every action (\"*\"); grant the actions the caller uses", pattern.location)
                    }
                    expanded = nil
                    continue
                }
                if let colon = text.firstIndex(of: ":"), text[text.index(after: colon)...] == "*", grants, statement.effect == .allow, !statement.action.negated {
                    add(.warning, .serviceWildcard, "\(label) allows every action of \(text[..<colon]) (\"\(text)\"); list the actions instead (least privilege)", pattern.location)
                }
                if let matched = ServiceCatalog.matches(text) {
                    if matched.isEmpty {
                        let service = String(text[..<text.firstIndex(of: ":")!])
                        let name = String(text[text.index(after: text.firstIndex(of: ":")!)...])
                        if name.contains("*") || name.contains("?") {
                            add(.warning, .emptyActionGlob, "\(label): \"\(text)\" matches no \(service) action", pattern.location)
                        } else {
                            let suggestion = ServiceCatalog.suggestion(forAction: name, service: service).map { "; did you mean '\(service.lowercased()):\($0)'?" } ?? ""
                            add(.error, .unknownAction, "\(label): \"\(text)\" is no \(service) action\(suggestion)", pattern.location)
                        }
                    }
                    expanded?.append((pattern, matched))
                } else {
                    expanded = nil
                }
            }
            if statement.action.negated { expanded = nil }
            let knownActions = (expanded ?? []).flatMap(\.actions)
            if statement.effect == .allow && (statement.action.negated || statement.resource?.negated == true) {
                add(.warning, .allowWithNot, "\(label) combines Allow with \(statement.action.negated ? "NotAction" : "NotResource"): it grants everything not listed, including actions and resources added later", statement.location)
            }
            // Resources.
            if let resource = statement.resource, !resource.negated {
                for pattern in resource.patterns {
                    let text = pattern.value.text
                    // In a resource-based policy "*" is the resource that carries it (a bucket's objects aside), so
                    // only identity-side policies over-grant with it.
                    if text == "*" {
                        if grants, document.kind != .resource, statement.effect == .allow, expanded != nil,
                            let write = knownActions.first(where: { !$0.access.isReadOnly && $0.hasResourceLevelPermissions })
                        {
                            add(.warning, .writeOnAllResources, "\(label) allows \(write.fullName) on every resource (\"*\"); name the resource ARNs", pattern.location)
                        }
                        continue
                    }
                    checkKnownResource(text, knowledge: knowledge) { add(.error, .unknownResource, "\(label): \($0)", pattern.location) }
                    if expanded != nil, !knownActions.isEmpty, !knownActions.contains(where: { actsOn($0, text) }) {
                        add(.error, .actionResourceMismatch, "\(label): resource \"\(text)\" is of no resource type the statement's actions act on (\(resourceTypesWording(knownActions))), so it never matches", pattern.location)
                    }
                }
                // An action that acts on none of the statement's resources: the statement never grants (or denies) it.
                for entry in expanded ?? [] where !entry.actions.isEmpty {
                    let dead = entry.actions.filter { action in !resource.patterns.contains { actsOn(action, $0.value.text) } }
                    let isGlob = entry.pattern.value.text.contains("*") || entry.pattern.value.text.contains("?")
                    // For a wildcard, only when none of the actions it matches can apply.
                    guard !dead.isEmpty, !isGlob || dead.count == entry.actions.count else { continue }
                    for action in isGlob ? [dead[0]] : dead {
                        let needs = action.hasResourceLevelPermissions ? "acts on \(resourceTypesWording([action]))" : "has no resource-level permissions: only \"Resource\": \"*\" covers it"
                        add(.warning, .actionWithoutResource, "\(label): \(isGlob ? "no action of \"\(entry.pattern.value.text)\"" : action.fullName) can apply to the statement's resources: \(action.fullName) \(needs)", entry.pattern.location)
                    }
                }
            }
            // Condition keys the statement's actions do not support: the condition never sees its key.
            if expanded != nil, !knownActions.isEmpty {
                checkConditionKeys(statement, actions: knownActions, label: label) { add(.warning, .unsupportedConditionKey, $0, $1) }
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

    static func usesVariables(_ statement: Statement) -> Bool {
        (statement.resource?.patterns.contains { $0.value.text.contains("${") } ?? false)
            || statement.conditions.contains { $0.values.contains { $0.value.contains("${") } }
    }

    /// Whether `action` can act on what a `Resource` entry names: one of its resource types' ARN formats overlaps the
    /// pattern, or — for an action without resource-level permissions — the entry matches every resource.
    static func actsOn(_ action: CatalogAction, _ pattern: String) -> Bool {
        if pattern == "*" { return true }
        guard action.hasResourceLevelPermissions else { return Glob.resource(ServiceCatalog.resourcePatternTokens(pattern)).matches("*") }
        guard let service = ServiceCatalog.service(action.service) else { return true }
        return action.resourceTypeNames.contains { name in
            guard let type = service.resourceTypes[name] else { return true }
            return ServiceCatalog.resource(pattern, canMatch: type)
        }
    }

    static func resourceTypesWording(_ actions: [CatalogAction]) -> String {
        var seen: [String] = []
        for action in actions {
            let service = ServiceCatalog.service(action.service)
            if !action.hasResourceLevelPermissions { if !seen.contains("\"*\"") { seen.append("\"*\"") }; continue }
            for name in action.resourceTypeNames {
                let format = service?.resourceTypes[name]?.arnFormat ?? name
                if !seen.contains(format) { seen.append(format) }
            }
        }
        return seen.prefix(4).joined(separator: ", ") + (seen.count > 4 ? ", …" : "")
    }

    /// A service-specific condition key (or `aws:RequestTag/…`, `aws:ResourceTag/…`, `aws:TagKeys`) must be supported
    /// by the statement's actions, else it is never in the request and the condition never holds (or, negated,
    /// always holds). Global keys and keys of no known service (a caller's own context keys) are not checked.
    static func checkConditionKeys(_ statement: Statement, actions: [CatalogAction], label: String, report: (String, SourceLocation) -> Void) {
        var reported: Set<String> = []
        for clause in statement.conditions {
            let key = clause.key.value
            let lowered = key.lowercased()
            guard let colon = lowered.firstIndex(of: ":"), !reported.contains(lowered) else { continue }
            let prefix = String(lowered[..<colon])
            if prefix == "aws" {
                guard serviceScopedAWSKeys.contains(where: { lowered.hasPrefix($0) }) else { continue }
            } else {
                guard let service = ServiceCatalog.service(prefix) else { continue }
                if !ServiceCatalog.defines(service, key: key) {
                    reported.insert(lowered)
                    let suggestion = Spelling.didYouMean(key, among: service.conditionKeys.filter { !$0.contains("${") })
                    report("\(label): condition key \(key) is no \(service.name) condition key\(suggestion)", clause.key.location)
                    continue
                }
            }
            let unsupported = actions.filter { !ServiceCatalog.supports($0, key: key) }
            guard !unsupported.isEmpty, unsupported.count == actions.count || prefix == "aws" || unsupported.contains(where: { $0.service == prefix }) else { continue }
            reported.insert(lowered)
            let names = unsupported.prefix(3).map(\.fullName).joined(separator: ", ") + (unsupported.count > 3 ? " and \(unsupported.count - 3) more" : "")
            report("\(label): \(names) \(unsupported.count == 1 ? "does" : "do") not support the condition key \(key): the request never carries it", clause.key.location)
        }
    }

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
    ///
    /// Linear in practice: a statement can only be covered by one that names its first action and its first resource
    /// exactly, or one with a wildcard action or resource, so each statement is compared with those candidates, not
    /// with every other statement.
    static func redundancy(_ document: PolicyDocument, name: String) -> [Diagnostic] {
        var findings: [Diagnostic] = []
        let statements = document.statements
        let compiled = statements.map(CoverView.init)
        var byActionAndResource: [String: [Int]] = [:]
        var wildcard: [Int] = []
        for (j, view) in compiled.enumerated() where view.usable {
            if view.hasWildcardAction || view.hasWildcardResource { wildcard.append(j) }
            for action in Set(view.literalActions) {
                for resource in Set(view.resources ?? [""]) { byActionAndResource[action + "\u{0}" + resource, default: []].append(j) }
            }
        }
        for (i, statement) in statements.enumerated() where statement.effect == .allow && statement.principal == nil {
            let inner = compiled[i]
            guard inner.usable, let first = inner.actions.first else { continue }
            let exact = byActionAndResource[first + "\u{0}" + (inner.resources?.first ?? "")] ?? []
            let candidates = exact.count + wildcard.count < 64 ? Set(exact + wildcard).sorted() : exact + wildcard
            for j in candidates where i != j {
                let other = statements[j]
                guard other.conditions.isEmpty, compiled[j].covers(inner) else { continue }
                let label = statement.sid.map { "statement '\($0)'" } ?? "statement \(i + 1)"
                let otherLabel = other.sid.map { "'\($0)'" } ?? "statement \(j + 1)"
                if other.effect == .deny {
                    findings.append(Diagnostic(.suggestion, code: Code.unreachableStatement.rawValue, "\(name): \(label) can never take effect: Deny \(otherLabel) covers every action and resource it allows", at: statement.location))
                    break
                }
                // Of two identical statements, report the later one only.
                if inner.covers(compiled[j]) && statement.conditions.isEmpty && i < j { continue }
                findings.append(Diagnostic(.suggestion, code: Code.redundantStatement.rawValue, "\(name): \(label) is redundant: \(otherLabel) already allows everything it allows", at: statement.location))
                break
            }
        }
        return findings
    }

    /// What the coverage test needs of a statement, compiled once: its actions lower-cased with their globs, its
    /// resources.
    struct CoverView {
        var usable: Bool
        var actions: [String]
        var actionGlobs: [Glob]
        var literalActions: [String]
        var hasWildcardAction: Bool
        var hasWildcardResource: Bool
        var resources: [String]?
        var resourceGlobs: [Glob]

        init(_ statement: Statement) {
            usable = !statement.action.negated && statement.principal == nil && statement.resource?.negated != true
            actions = statement.action.patterns.map { $0.value.text.lowercased() }
            actionGlobs = statement.action.patterns.map { Glob($0.value.text, lowercased: true) }
            literalActions = actions.filter { !$0.contains("*") && !$0.contains("?") }
            hasWildcardAction = literalActions.count != actions.count
            resources = statement.resource.map { $0.patterns.map(\.value.text) }
            hasWildcardResource = (resources ?? []).contains { $0.contains("*") || $0.contains("?") || $0.contains("${") }
            resourceGlobs = (resources ?? []).map { Glob($0) }
        }

        /// Whether `self` matches every request `inner` matches (literal patterns only; conservative).
        func covers(_ inner: CoverView) -> Bool {
            guard usable, inner.usable else { return false }
            for text in inner.actions {
                guard actions.indices.contains(where: { actionGlobs[$0].matches(text) && (!text.contains("*") || actions[$0] == "*" || actions[$0] == text) }) else { return false }
            }
            switch (resources, inner.resources) {
            case (nil, nil): return true
            case (let outer?, let innerResources?):
                return innerResources.allSatisfy { pattern in
                    outer.indices.contains { index in
                        let text = outer[index]
                        return text == "*" || text == pattern
                            || (!pattern.contains("*") && !pattern.contains("${") && !text.contains("${") && resourceGlobs[index].matches(pattern))
                    }
                }
            default: return false
            }
        }
    }
}

extension PolicyDocument {
    /// The policy's size as AWS measures it: its JSON text, with or without the white space outside strings. The
    /// text as written when the policy was read from JSON, else the document written out (pretty when white space
    /// counts, as it would be published).
    public func size(countingWhitespace: Bool) -> Int {
        if countingWhitespace { return writtenLength ?? jsonText.count }
        return JSONWriter.write(source, pretty: false).count
    }
}
