public import Source
/// Parses a policy document from a located value tree, reporting every grammar error it finds.
///
/// The rules follow the IAM JSON policy grammar (IAM User Guide, "IAM JSON policy elements reference" and
/// "Grammar of the IAM JSON policy language"), plus the per-kind rules: `Principal` only in resource-based and
/// trust policies, and required there; `Resource` required everywhere but in trust policies, where it is forbidden.
public enum PolicyParser {
    static let documentKeys = ["Version", "Id", "Statement"]
    static let statementKeys = ["Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"]
    static let principalKeys = ["AWS", "Service", "Federated", "CanonicalUser"]

    public static func parse(_ value: LocatedValue, kind: PolicyKind) -> (document: PolicyDocument?, diagnostics: [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        guard let members = value.members else {
            diagnostics.append(.error("a policy document must be a mapping with 'Version' and 'Statement', found \(value.typeDescription)", at: value.location))
            return (nil, diagnostics)
        }
        checkKeys(members, allowed: documentKeys, what: "policy document", into: &diagnostics)

        var version: PolicyDocument.Version?
        if let versionValue = value["Version"] {
            if let text = versionValue.string, let parsed = PolicyDocument.Version(rawValue: text) {
                version = parsed
            } else {
                diagnostics.append(.error("'Version' must be \"2012-10-17\" (or the legacy \"2008-10-17\"), found \(describe(versionValue))", at: versionValue.location))
            }
        }
        var id: String?
        if let idValue = value["Id"] {
            if let text = idValue.string { id = text } else {
                diagnostics.append(.error("'Id' must be a string, found \(idValue.typeDescription)", at: idValue.location))
            }
        }

        var statements: [Statement] = []
        if let statementValue = value["Statement"] {
            let items: [LocatedValue]
            switch statementValue.kind {
            case .object: items = [statementValue]
            case .array(let elements): items = elements
            default:
                diagnostics.append(.error("'Statement' must be a statement or a list of statements, found \(statementValue.typeDescription)", at: statementValue.location))
                items = []
            }
            if case .array(let elements) = statementValue.kind, elements.isEmpty {
                diagnostics.append(.error("'Statement' is empty: a policy needs at least one statement", at: statementValue.location))
            }
            var sids: [String: SourceLocation] = [:]
            for item in items {
                if let statement = parseStatement(item, kind: kind, into: &diagnostics) {
                    if let sid = statement.sid {
                        if let first = sids[sid] {
                            diagnostics.append(.error("duplicate Sid '\(sid)' (first at line \(first.line)); Sids must be unique within a policy", at: statement.location))
                        } else {
                            sids[sid] = statement.location
                        }
                    }
                    statements.append(statement)
                }
            }
        } else {
            diagnostics.append(.error("a policy document needs a 'Statement'", at: value.location))
        }

        let hasErrors = diagnostics.contains { $0.severity == .error }
        let document = PolicyDocument(version: version, id: id, statements: statements, kind: kind, source: value)
        return (hasErrors ? nil : document, diagnostics)
    }

    /// Parses a policy given as JSON text (as AWS APIs take them).
    public static func parse(json text: String, file: String, kind: PolicyKind) -> (document: PolicyDocument?, diagnostics: [Diagnostic]) {
        let (value, jsonDiagnostics) = JSONReader.parse(text, file: file)
        guard let value else { return (nil, jsonDiagnostics) }
        var (document, diagnostics) = parse(value, kind: kind)
        document?.writtenLength = text.count
        let all = jsonDiagnostics + diagnostics
        return (all.contains { $0.severity == .error } ? nil : document, all)
    }

    // MARK: - Statements

    private static func parseStatement(_ value: LocatedValue, kind: PolicyKind, into diagnostics: inout [Diagnostic]) -> Statement? {
        guard let members = value.members else {
            diagnostics.append(.error("a statement must be a mapping, found \(value.typeDescription)", at: value.location))
            return nil
        }
        let before = diagnostics.count
        checkKeys(members, allowed: statementKeys, what: "statement", into: &diagnostics)

        var sid: String?
        if let sidValue = value["Sid"] {
            if let text = sidValue.scalarText, case .string = sidValue.kind {
                if text.isEmpty || !text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) && kind != .trust && kind != .resource {
                    diagnostics.append(.error("'Sid' may hold only ASCII letters and digits in this kind of policy, found \"\(text)\"", at: sidValue.location))
                }
                sid = text
            } else {
                diagnostics.append(.error("'Sid' must be a string, found \(sidValue.typeDescription)", at: sidValue.location))
            }
        }

        var effect: Effect = .allow
        if let effectValue = value["Effect"] {
            if let text = effectValue.string, let parsed = Effect(rawValue: text) {
                effect = parsed
            } else {
                diagnostics.append(.error("'Effect' must be \"Allow\" or \"Deny\", found \(describe(effectValue))\(Spelling.didYouMean(effectValue.scalarText ?? "", among: ["Allow", "Deny"]))", at: effectValue.location))
            }
        } else {
            diagnostics.append(.error("a statement needs an 'Effect' (\"Allow\" or \"Deny\")", at: value.location))
        }

        // Principal / NotPrincipal
        let principalValue = value["Principal"], notPrincipalValue = value["NotPrincipal"]
        var principal: PrincipalBlock?
        if principalValue != nil && notPrincipalValue != nil {
            diagnostics.append(.error("a statement takes 'Principal' or 'NotPrincipal', not both", at: notPrincipalValue!.location))
        }
        if let (negated, raw) = principalValue.map({ (false, $0) }) ?? notPrincipalValue.map({ (true, $0) }) {
            let name = negated ? "NotPrincipal" : "Principal"
            if !kind.takesPrincipal {
                diagnostics.append(.error("'\(name)' is not allowed in an \(kind.awsWording): the principal is whoever the policy is attached to", at: raw.location))
            } else {
                principal = parsePrincipal(raw, negated: negated, into: &diagnostics)
                if negated && kind == .trust {
                    diagnostics.append(.error("'NotPrincipal' is not allowed in a role trust policy: name who may assume the role in 'Principal'", at: raw.location))
                }
                if negated && effect == .allow {
                    diagnostics.append(.error("'NotPrincipal' may only be used with \"Effect\": \"Deny\"", at: raw.location))
                }
            }
        } else if kind.takesPrincipal {
            diagnostics.append(.error("a statement of a \(kind == .trust ? "trust policy" : "resource-based policy") needs a 'Principal'", at: value.location))
        }

        // Action / NotAction
        let action: Block<ActionPattern>
        if let parsed = parseBlock(value, positive: "Action", negative: "NotAction", required: true, into: &diagnostics, make: { text, location, diagnostics in
            validateAction(text, at: location, into: &diagnostics)
            return ActionPattern(text)
        }) {
            action = parsed
        } else {
            action = Block(negated: false, patterns: [], location: value.location)
        }

        // Resource / NotResource
        var resource: Block<ResourcePattern>?
        if kind == .trust {
            for key in ["Resource", "NotResource"] {
                if let raw = value[key] {
                    diagnostics.append(.error("'\(key)' is not allowed in a trust policy: the resource is the role itself", at: raw.location))
                }
            }
        } else {
            resource = parseBlock(value, positive: "Resource", negative: "NotResource", required: true, into: &diagnostics, make: { text, location, diagnostics in
                validateResource(text, at: location, into: &diagnostics)
                return ResourcePattern(text)
            })
        }

        var conditions: [ConditionClause] = []
        if let conditionValue = value["Condition"] {
            conditions = parseConditions(conditionValue, into: &diagnostics)
        }

        guard diagnostics.count == before || !diagnostics[before...].contains(where: { $0.severity == .error }) else {
            return nil
        }
        return Statement(sid: sid, effect: effect, principal: principal, action: action, resource: resource, conditions: conditions, location: value.location)
    }

    private static func parseBlock<Pattern>(
        _ statement: LocatedValue, positive: String, negative: String, required: Bool,
        into diagnostics: inout [Diagnostic],
        make: (String, SourceLocation, inout [Diagnostic]) -> Pattern
    ) -> Block<Pattern>? {
        let positiveValue = statement[positive], negativeValue = statement[negative]
        if positiveValue != nil && negativeValue != nil {
            diagnostics.append(.error("a statement takes '\(positive)' or '\(negative)', not both", at: negativeValue!.location))
            return nil
        }
        guard let (negated, raw) = positiveValue.map({ (false, $0) }) ?? negativeValue.map({ (true, $0) }) else {
            if required {
                diagnostics.append(.error("a statement needs an '\(positive)' (or '\(negative)')", at: statement.location))
            }
            return nil
        }
        let name = negated ? negative : positive
        let items: [LocatedValue]
        switch raw.kind {
        case .string: items = [raw]
        case .array(let elements):
            if elements.isEmpty {
                diagnostics.append(.error("'\(name)' is an empty list: it would match nothing", at: raw.location))
            }
            items = elements
        default:
            diagnostics.append(.error("'\(name)' must be a string or a list of strings, found \(raw.typeDescription)", at: raw.location))
            return nil
        }
        var patterns: [Located<Pattern>] = []
        for item in items {
            guard let text = item.string else {
                diagnostics.append(.error("each entry of '\(name)' must be a string, found \(item.typeDescription)", at: item.location))
                continue
            }
            patterns.append(Located(make(text, item.location, &diagnostics), at: item.location))
        }
        return Block(negated: negated, patterns: patterns, location: raw.location)
    }

    static func validateAction(_ text: String, at location: SourceLocation, into diagnostics: inout [Diagnostic]) {
        if text == "*" { return }
        guard let colon = text.firstIndex(of: ":") else {
            diagnostics.append(.error("action \"\(text)\" must be \"*\" or \"service:Action\" (e.g. \"dynamodb:GetItem\")", at: location))
            return
        }
        let service = text[..<colon], name = text[text.index(after: colon)...]
        if service.isEmpty || !service.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) {
            diagnostics.append(.error("action \"\(text)\" has an invalid service prefix \"\(service)\"", at: location))
        } else if name.isEmpty || !name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "*" || $0 == "?" || $0 == "-" || $0 == "_") }) {
            diagnostics.append(.error("action \"\(text)\" has an invalid action name \"\(name)\"", at: location))
        } else {
            checkCatalog(text, service: String(service), name: String(name), at: location, into: &diagnostics)
        }
    }

    /// An action must exist in AWS's catalog (Service Authorization Reference): a misspelt one would never match. A
    /// wildcard that matches no action is a warning.
    static func checkCatalog(_ text: String, service: String, name: String, at location: SourceLocation, into diagnostics: inout [Diagnostic]) {
        guard ServiceCatalog.isAvailable else { return }
        guard let known = ServiceCatalog.service(service) else {
            diagnostics.append(Diagnostic(.error, code: Analyzer.Code.unknownAction.rawValue, "action \"\(text)\" names no AWS service \"\(service)\"\(Spelling.didYouMean(service, among: ServiceCatalog.servicePrefixes))", at: location))
            return
        }
        if name.contains("*") || name.contains("?") {
            if ServiceCatalog.matches(text)?.isEmpty == true {
                diagnostics.append(Diagnostic(.warning, code: Analyzer.Code.emptyActionGlob.rawValue, "action \"\(text)\" matches no \(service) action", at: location))
            }
        } else if known.action(named: name) == nil {
            let suggestion = ServiceCatalog.suggestion(forAction: name, service: service).map { "; did you mean '\(service):\($0)'?" } ?? ""
            diagnostics.append(Diagnostic(.error, code: Analyzer.Code.unknownAction.rawValue, "\"\(text)\" is no \(known.name) action\(suggestion)", at: location))
        }
    }

    static func validateResource(_ text: String, at location: SourceLocation, into diagnostics: inout [Diagnostic]) {
        if text == "*" { return }
        let parts = text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn" || parts[0] == "*" else {
            diagnostics.append(.error("resource \"\(text)\" is not an ARN: expected \"arn:partition:service:region:account:resource\" or \"*\"", at: location))
            return
        }
        if parts[2].isEmpty {
            diagnostics.append(.error("resource \"\(text)\" has no service", at: location))
        } else if parts[2].contains("*") || parts[2].contains("?") {
            diagnostics.append(.error("resource \"\(text)\" has a wildcard in its service segment \"\(parts[2])\": name the service (IAM rejects it)", at: location))
        }
    }

    // MARK: - Principals

    private static func parsePrincipal(_ raw: LocatedValue, negated: Bool, into diagnostics: inout [Diagnostic]) -> PrincipalBlock? {
        let name = negated ? "NotPrincipal" : "Principal"
        if let text = raw.string {
            guard text == "*" else {
                diagnostics.append(.error("'\(name)' as a string must be \"*\"; name principals as {\"AWS\": \"\(text)\"}", at: raw.location))
                return nil
            }
            return PrincipalBlock(negated: negated, principals: [Located(.everyone, at: raw.location)], location: raw.location)
        }
        guard let members = raw.members else {
            diagnostics.append(.error("'\(name)' must be \"*\" or a mapping such as {\"AWS\": \"arn:aws:iam::111111111111:role/Name\"}, found \(raw.typeDescription)", at: raw.location))
            return nil
        }
        if members.isEmpty {
            diagnostics.append(.error("'\(name)' names no principal", at: raw.location))
        }
        var principals: [Located<Principal>] = []
        for member in members {
            guard principalKeys.contains(member.key) else {
                diagnostics.append(.error("unknown principal type '\(member.key)'\(Spelling.didYouMean(member.key, among: principalKeys)); expected one of \(principalKeys.joined(separator: ", "))", at: member.keyLocation))
                continue
            }
            let items: [LocatedValue]
            switch member.value.kind {
            case .string, .number: items = [member.value]
            case .array(let elements):
                if elements.isEmpty {
                    diagnostics.append(.error("'\(member.key)' is an empty list: it names no principal", at: member.value.location))
                }
                items = elements
            default:
                diagnostics.append(.error("'\(member.key)' principals must be a string or a list of strings, found \(member.value.typeDescription)", at: member.value.location))
                continue
            }
            for item in items {
                guard let text = item.scalarText, item.string != nil || { if case .number = item.kind { return true }; return false }() else {
                    diagnostics.append(.error("a principal must be a string, found \(item.typeDescription)", at: item.location))
                    continue
                }
                switch member.key {
                case "AWS":
                    if text == "*" {
                        principals.append(Located(.everyone, at: item.location))
                    } else if validateAWSPrincipal(text, at: item.location, into: &diagnostics) {
                        principals.append(Located(.aws(text), at: item.location))
                    }
                case "Service":
                    if !text.hasSuffix(".amazonaws.com") && !text.hasSuffix(".amazonaws.com.cn") {
                        diagnostics.append(Diagnostic(.warning, "service principal \"\(text)\" does not look like \"<service>.amazonaws.com\"", at: item.location))
                    }
                    principals.append(Located(.service(text), at: item.location))
                case "Federated": principals.append(Located(.federated(text), at: item.location))
                default: principals.append(Located(.canonicalUser(text), at: item.location))
                }
            }
        }
        return PrincipalBlock(negated: negated, principals: principals, location: raw.location)
    }

    /// An `AWS` principal is an account id, or an IAM/STS ARN. Wildcards inside ARNs are not allowed
    /// (IAM User Guide, "AWS JSON policy elements: Principal").
    static func validateAWSPrincipal(_ text: String, at location: SourceLocation, into diagnostics: inout [Diagnostic]) -> Bool {
        if text.count == 12 && text.allSatisfy(\.isASCIIDigit) { return true }
        guard let arn = ARN(text), arn.service == "iam" || arn.service == "sts" else {
            diagnostics.append(.error("principal \"\(text)\" is neither a 12-digit account id nor an IAM or STS ARN", at: location))
            return false
        }
        if text.contains("*") || text.contains("?") {
            diagnostics.append(.error("principal \"\(text)\" contains a wildcard: the Principal element takes exact ARNs (use a condition on aws:PrincipalArn to match patterns)", at: location))
            return false
        }
        if !(arn.account.count == 12 && arn.account.allSatisfy(\.isASCIIDigit)) {
            diagnostics.append(.error("principal \"\(text)\" has an account id that is not 12 digits", at: location))
            return false
        }
        if arn.service == "iam" && arn.resource.hasPrefix("group/") {
            diagnostics.append(.error("principal \"\(text)\" is a group: a group cannot be a principal (name its users, or a role)", at: location))
            return false
        }
        if arn.service == "sts" && !arn.resource.hasPrefix("assumed-role/") && !arn.resource.hasPrefix("federated-user/") {
            diagnostics.append(.error("STS principal \"\(text)\" must be an assumed-role session: arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION", at: location))
            return false
        }
        return true
    }

    // MARK: - Conditions

    private static func parseConditions(_ raw: LocatedValue, into diagnostics: inout [Diagnostic]) -> [ConditionClause] {
        guard let operators = raw.members else {
            diagnostics.append(.error("'Condition' must be a mapping of operators to {key: values}, found \(raw.typeDescription)", at: raw.location))
            return []
        }
        var clauses: [ConditionClause] = []
        for entry in operators {
            guard let op = ConditionOperator(parsing: entry.key) else {
                diagnostics.append(.error("unknown condition operator '\(entry.key)'\(Spelling.didYouMean(entry.key, among: ConditionOperator.knownSpellings))", at: entry.keyLocation))
                continue
            }
            guard let keys = entry.value.members else {
                diagnostics.append(.error("condition operator '\(entry.key)' must map context keys to values, found \(entry.value.typeDescription)", at: entry.value.location))
                continue
            }
            for keyEntry in keys {
                let items: [LocatedValue]
                switch keyEntry.value.kind {
                case .array(let elements):
                    if elements.isEmpty {
                        diagnostics.append(.error("condition key '\(keyEntry.key)' has an empty list of values: the condition could never be evaluated", at: keyEntry.value.location))
                    }
                    items = elements
                case .object, .null:
                    diagnostics.append(.error("the values of condition key '\(keyEntry.key)' must be a string, number, boolean or a list of them", at: keyEntry.value.location))
                    continue
                default: items = [keyEntry.value]
                }
                var values: [Located<String>] = []
                for item in items {
                    guard let text = item.scalarText else {
                        diagnostics.append(.error("a condition value must be a string, number or boolean, found \(item.typeDescription)", at: item.location))
                        continue
                    }
                    validateConditionValue(text, for: op.base, at: item.location, into: &diagnostics)
                    values.append(Located(text, at: item.location))
                }
                if keyEntry.key.isEmpty || keyEntry.key.contains(" ") {
                    diagnostics.append(.error("invalid condition key \"\(keyEntry.key)\"", at: keyEntry.keyLocation))
                }
                clauses.append(ConditionClause(operator: op, key: Located(keyEntry.key, at: keyEntry.keyLocation), values: values, location: entry.keyLocation))
            }
        }
        return clauses
    }

    private static func validateConditionValue(_ text: String, for base: ConditionOperator.Base, at location: SourceLocation, into diagnostics: inout [Diagnostic]) {
        switch base {
        case .numericEquals, .numericNotEquals, .numericLessThan, .numericLessThanEquals, .numericGreaterThan, .numericGreaterThanEquals:
            if IAMNumber.parse(text) == nil && !text.contains("${") {
                diagnostics.append(.error("\(base.rawValue) needs a decimal number, found \"\(text)\"", at: location))
            }
        case .dateEquals, .dateNotEquals, .dateLessThan, .dateLessThanEquals, .dateGreaterThan, .dateGreaterThanEquals:
            if IAMDate.parse(text) == nil && !text.contains("${") {
                diagnostics.append(.error("\(base.rawValue) needs an ISO 8601 date that exists or epoch seconds, found \"\(text)\"", at: location))
            }
        case .bool, .null:
            // A policy variable ("${aws:SecureTransport}") is a valid Bool value: it is compared once filled in.
            if text.lowercased() != "true" && text.lowercased() != "false" && !(base == .bool && text.contains("${")) {
                diagnostics.append(.error("\(base.rawValue) needs \"true\" or \"false\", found \"\(text)\"", at: location))
            }
        case .ipAddress, .notIpAddress:
            if CIDR(text) == nil {
                diagnostics.append(.error("\(base.rawValue) needs an IPv4 or IPv6 address or CIDR block, found \"\(text)\"", at: location))
            }
        default:
            break
        }
    }

    // MARK: - Helpers

    static func checkKeys(_ members: [LocatedValue.Member], allowed: [String], what: String, into diagnostics: inout [Diagnostic]) {
        for member in members where !allowed.contains(member.key) {
            diagnostics.append(.error("unknown key '\(member.key)' in a \(what)\(Spelling.didYouMean(member.key, among: allowed))", at: member.keyLocation))
        }
    }

    private static func describe(_ value: LocatedValue) -> String {
        if let text = value.scalarText { return "\"\(text)\"" }
        return value.typeDescription
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
