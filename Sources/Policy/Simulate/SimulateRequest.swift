public import Source
/// The input of `trustflow simulate`: the request shape of `aws iam simulate-custom-policy --cli-input-json`
/// plus `SessionPolicyInputList` and `ServiceControlPolicyInputList`. Policies may be JSON strings (as AWS
/// takes them) or objects.
public struct SimulateRequest: Sendable {
    public var identity: [NamedDocument] = []
    public var boundaries: [NamedDocument] = []
    public var resourcePolicy: NamedDocument?
    public var sessions: [NamedDocument] = []
    public var serviceControlPolicies: [NamedDocument] = []
    public var resourceOwner: String?
    public var callerARN: String
    public var actionNames: [String] = []
    public var resourceARNs: [String] = ["*"]
    public var context = RequestContext()
    /// For a role session, the role's ARN with its path (`aws:PrincipalArn`); the session ARN has only the role's name.
    public var callerRoleARN: String?
    /// Warnings about the input that do not stop the simulation (an action wildcard that matches nothing, …).
    public var warnings: [Diagnostic] = []

    static let keys = [
        "PolicyInputList", "PermissionsBoundaryPolicyInputList", "ResourcePolicy", "ResourceOwner", "CallerArn", "ActionNames",
        "ResourceArns", "ContextEntries", "SessionPolicyInputList", "ServiceControlPolicyInputList", "ResourceHandlingOption",
        "MaxItems", "Marker",
    ]
    static let contextKeys = ["ContextKeyName", "ContextKeyValues", "ContextKeyType"]
    /// The caller AWS's simulator assumes when none is given.
    public static let defaultCaller = "arn:aws:iam::123456789012:user/SimulatedUser"

    /// Parses the JSON text of a request file; every problem is reported with its line and column.
    ///
    /// Bounded by `limits`: the request as a whole by the model file's size, its strings by the policy limit (a policy
    /// may be written as a JSON string), every value of the request and of its policies by one budget. (The answer is
    /// streamed, so its size needs no limit.)
    public static func parse(json text: String, file: String, limits: ContentLimits = .standard) throws(DiagnosticList) -> SimulateRequest {
        guard text.utf8.count <= limits.modelFileBytes else {
            throw DiagnosticList([.error(
                "the request is larger than \(ContentLimits.size(limits.modelFileBytes)), the limit for one input (see README, 'Limits')",
                at: SourceLocation(file: file, line: 1, column: 1))])
        }
        let reading = JSONReader.read(text, file: file, limits: limits.reading(stringBytes: limits.policyDocumentBytes))
        guard let value = reading.value, !reading.diagnostics.contains(where: { $0.severity == .error }) else { throw DiagnosticList(reading.diagnostics) }
        return try parse(value, file: file, limits: limits, valuesRead: reading.valueCount)
    }

    public static func parse(_ value: LocatedValue, file: String, limits: ContentLimits = .standard, valuesRead: Int = 0) throws(DiagnosticList) -> SimulateRequest {
        var diagnostics: [Diagnostic] = []
        var valuesRead = valuesRead
        guard let members = value.members else {
            throw DiagnosticList([.error("the simulate input must be a JSON object with PolicyInputList, ActionNames, …; found \(value.typeDescription)", at: value.location)])
        }
        PolicyParser.checkKeys(members, allowed: keys, what: "simulate request", into: &diagnostics)
        var request = SimulateRequest(callerARN: defaultCaller)

        func strings(_ key: String) -> [Located<String>]? {
            guard let raw = value[key] else { return nil }
            guard let elements = raw.elements else {
                diagnostics.append(.error("'\(key)' must be a list of strings, found \(raw.typeDescription)", at: raw.location))
                return nil
            }
            var out: [Located<String>] = []
            for element in elements {
                if let text = element.string { out.append(Located(text, at: element.location)) } else {
                    diagnostics.append(.error("'\(key)' must hold strings, found \(element.typeDescription)", at: element.location))
                }
            }
            return out
        }

        func policy(_ raw: LocatedValue, name: String, kind: PolicyKind) -> NamedDocument? {
            let tree: LocatedValue
            var length: Int?
            switch raw.kind {
            case .string(let text):
                guard text.utf8.count <= limits.policyDocumentBytes else {
                    diagnostics.append(.error("\(name) is larger than \(ContentLimits.size(limits.policyDocumentBytes)), the limit for one policy document (see README, 'Limits')", at: raw.location))
                    return nil
                }
                let reading = JSONReader.read(text, file: "\(file)[\(name)]", limits: limits.reading(values: max(0, limits.values - valuesRead)))
                valuesRead += reading.valueCount
                diagnostics += reading.diagnostics
                guard let parsed = reading.value else { return nil }
                tree = parsed
                length = text.count
            case .object:
                // Written as an object: its JSON without whitespace is what the policy limit counts, as in model.yml.
                let size = raw.jsonText.utf8.count
                guard size <= limits.policyDocumentBytes else {
                    diagnostics.append(.error("\(name) is \(ContentLimits.grouped(size)) bytes as JSON, larger than \(ContentLimits.size(limits.policyDocumentBytes)), the limit for one policy document (see README, 'Limits')", at: raw.location))
                    return nil
                }
                tree = raw
            default:
                diagnostics.append(.error("\(name) must be a policy document (a JSON string or an object), found \(raw.typeDescription)", at: raw.location))
                return nil
            }
            var effectiveKind = kind
            if kind == .resource, isTrustPolicy(tree) { effectiveKind = .trust }
            var (document, policyDiagnostics) = PolicyParser.parse(tree, kind: effectiveKind)
            document?.writtenLength = length
            diagnostics += policyDiagnostics
            return document.map { NamedDocument(name: name, document: $0) }
        }

        func policies(_ key: String, kind: PolicyKind) -> [NamedDocument] {
            guard let raw = value[key] else { return [] }
            guard let elements = raw.elements else {
                diagnostics.append(.error("'\(key)' must be a list of policies, found \(raw.typeDescription)", at: raw.location))
                return []
            }
            return elements.enumerated().compactMap { policy($1, name: "\(key).\($0 + 1)", kind: kind) }
        }

        request.identity = policies("PolicyInputList", kind: .identity)
        request.boundaries = policies("PermissionsBoundaryPolicyInputList", kind: .boundary)
        if request.boundaries.count > 1, let raw = value["PermissionsBoundaryPolicyInputList"] {
            diagnostics.append(.error("'PermissionsBoundaryPolicyInputList' takes at most one policy", at: raw.location))
        }
        request.sessions = policies("SessionPolicyInputList", kind: .session)
        request.serviceControlPolicies = policies("ServiceControlPolicyInputList", kind: .serviceControl)
        if let raw = value["ResourcePolicy"] { request.resourcePolicy = policy(raw, name: "ResourcePolicy", kind: .resource) }

        if let raw = value["CallerArn"] {
            if let text = raw.string, PrincipalARN.classify(text) != nil, text != "*" {
                request.callerARN = text
            } else {
                diagnostics.append(.error("'CallerArn' must be a user, role, assumed-role session, root or service principal ARN, found \(raw.scalarText.map { "\"\($0)\"" } ?? raw.typeDescription)", at: raw.location))
            }
        } else if let raw = value["ResourcePolicy"] {
            diagnostics.append(.error("'CallerArn' is required when 'ResourcePolicy' is given (as in AWS)", at: raw.location))
        }
        if let raw = value["ResourceOwner"] {
            if let text = raw.string, let account = accountID(text) {
                request.resourceOwner = account
            } else {
                diagnostics.append(.error("'ResourceOwner' must be an account ARN (arn:aws:iam::123456789012:root) or a 12-digit account id", at: raw.location))
            }
        }
        if let names = strings("ActionNames") {
            request.actionNames = []
            for name in names {
                let parts = name.value.split(separator: ":", omittingEmptySubsequences: false)
                if parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, !name.value.contains("*"), !name.value.contains("?") {
                    request.actionNames.append(name.value)
                } else {
                    diagnostics.append(.error("action name \"\(name.value)\" must be service:Action without wildcards", at: name.location))
                }
            }
        }
        if request.actionNames.isEmpty && !diagnostics.contains(where: { $0.message.contains("ActionNames") || $0.message.contains("action name") }) {
            diagnostics.append(.error("'ActionNames' must name at least one action", at: value.location))
        }
        if let arns = strings("ResourceArns") {
            request.resourceARNs = []
            for arn in arns {
                if arn.value == "*" || ARN(arn.value) != nil {
                    request.resourceARNs.append(arn.value)
                } else {
                    diagnostics.append(.error("resource \"\(arn.value)\" is not an ARN (arn:partition:service:region:account:resource) or \"*\"", at: arn.location))
                }
            }
            if request.resourceARNs.isEmpty && arns.isEmpty { request.resourceARNs = ["*"] }
        }
        if let raw = value["ContextEntries"] {
            if let entries = raw.elements {
                for entry in entries { parseContextEntry(entry, into: &request.context, diagnostics: &diagnostics) }
            } else {
                diagnostics.append(.error("'ContextEntries' must be a list, found \(raw.typeDescription)", at: raw.location))
            }
        }
        // Session policies limit sessions (a role session, a federated user); an IAM user or the root user has none,
        // so passing one is a mistake to report, not a silent deny (IAM User Guide, "Policies and permissions in IAM").
        if !request.sessions.isEmpty, let raw = value["SessionPolicyInputList"],
            let type = PrincipalARN.classify(request.callerARN)?.type, type != .assumedRole, type != .federatedUser
        {
            diagnostics.append(.error("'SessionPolicyInputList' applies to sessions only (an assumed-role session or a federated user); the caller \(request.callerARN) is \(type == .user ? "an IAM user" : type == .account ? "the root user" : "no session") and has no session policy", at: raw.location))
        }
        request.callerRoleARN = roleARN(of: request, value: value, diagnostics: &diagnostics)
        for action in request.actionNames where ServiceCatalog.isAvailable {
            checkRequestedAction(action, value: value, into: &diagnostics)
        }
        if diagnostics.contains(where: { $0.severity == .error }) { throw DiagnosticList(diagnostics) }
        request.warnings = diagnostics
        return request
    }

    /// An action the request names must exist in AWS's catalog, as in a policy.
    static func checkRequestedAction(_ action: String, value: LocatedValue, into diagnostics: inout [Diagnostic]) {
        guard let colon = action.firstIndex(of: ":") else { return }
        let location = value["ActionNames"]?.elements?.first { $0.string == action }?.location ?? value.location
        PolicyParser.checkCatalog(action, service: String(action[..<colon]), name: String(action[action.index(after: colon)...]), at: location, into: &diagnostics)
    }

    /// The role ARN of a role-session caller, with the role's path when the input tells it: an `aws:PrincipalArn`
    /// context entry, else a role ARN of that account and name that a policy's `Principal`/`NotPrincipal` names
    /// (role names are unique in an account, whatever their path). Else the path is taken to be `/`.
    static func roleARN(of request: SimulateRequest, value: LocatedValue, diagnostics: inout [Diagnostic]) -> String? {
        guard let (type, account, derived) = PrincipalARN.classify(request.callerARN), type == .assumedRole, let derived else { return nil }
        let name = derived.split(separator: "/").last.map(String.init) ?? ""
        func sameRole(_ text: String) -> Bool {
            guard let arn = ARN(text), arn.service == "iam", arn.account == account, arn.resource.hasPrefix("role/") else { return false }
            return arn.resource.split(separator: "/").last.map(String.init) == name
        }
        if let given = request.context["aws:PrincipalArn"]?.values.first {
            if sameRole(given) { return given }
            let location = value["ContextEntries"]?.location ?? value.location
            diagnostics.append(.error("context key aws:PrincipalArn \"\(given)\" is not the ARN of role \(name) in account \(account), whose session the caller is", at: location))
            return nil
        }
        let documents = request.identity + request.boundaries + request.sessions + request.serviceControlPolicies + (request.resourcePolicy.map { [$0] } ?? [])
        for document in documents {
            for statement in document.document.statements {
                for principal in statement.principal?.principals ?? [] {
                    if case .aws(let text) = principal.value, sameRole(text) { return text }
                }
            }
        }
        return derived
    }

    static func parseContextEntry(_ entry: LocatedValue, into context: inout RequestContext, diagnostics: inout [Diagnostic]) {
        guard let members = entry.members else {
            diagnostics.append(.error("a context entry must be an object with ContextKeyName, ContextKeyValues, ContextKeyType", at: entry.location))
            return
        }
        PolicyParser.checkKeys(members, allowed: contextKeys, what: "context entry", into: &diagnostics)
        guard let name = entry["ContextKeyName"]?.string, !name.isEmpty else {
            diagnostics.append(.error("a context entry needs a 'ContextKeyName' string", at: entry.location))
            return
        }
        var values: [String] = []
        if let raw = entry["ContextKeyValues"] {
            let items = raw.elements ?? [raw]
            for item in items {
                if let text = item.scalarText { values.append(text) } else {
                    diagnostics.append(.error("context values must be strings, found \(item.typeDescription)", at: item.location))
                }
            }
        }
        var type = ContextKeyType.string
        if let raw = entry["ContextKeyType"] {
            if let text = raw.string, let parsed = ContextKeyType(rawValue: text) {
                type = parsed
            } else {
                diagnostics.append(.error("unknown ContextKeyType \(raw.scalarText.map { "\"\($0)\"" } ?? raw.typeDescription)\(Spelling.didYouMean(raw.scalarText ?? "", among: ContextKeyType.allCases.map(\.rawValue)))", at: raw.location))
                return
            }
        }
        if !type.isList && values.count > 1 {
            diagnostics.append(.error("context key '\(name)' of type \(type.rawValue) takes one value; use \(type.rawValue)List", at: entry.location))
        }
        context[name] = ContextValue(values, type: type)
    }

    /// Whether a resource policy is a role trust policy: its statements have no `Resource`.
    static func isTrustPolicy(_ tree: LocatedValue) -> Bool {
        guard let statement = tree["Statement"] else { return false }
        let statements = statement.elements ?? [statement]
        return !statements.isEmpty && statements.allSatisfy { $0["Resource"] == nil && $0["NotResource"] == nil }
    }

    static func accountID(_ text: String) -> String? {
        if text.count == 12, text.allSatisfy(\.isASCIIDigit) { return text }
        guard let arn = ARN(text), arn.account.count == 12 else { return nil }
        return arn.account
    }
}

/// One `EvaluationResults` entry.
public struct SimulateResult: Sendable {
    public var action: String
    public var resource: String
    public var evaluation: Evaluation
}

extension SimulateRequest {
    /// The policy set the request describes.
    public var policySet: PolicySet {
        PolicySet(identity: identity, resource: resourcePolicy, boundary: boundaries.first, sessions: sessions, serviceControlPolicies: serviceControlPolicies)
    }

    /// The compiled policies and one request per action × resource pair, in the order given, as AWS does.
    public func prepared(now: Double = ContextDerivation().now) -> (policies: CompiledPolicySet, requests: [Request]) {
        let compiled = CompiledPolicySet(policySet)
        let base = resourceRequests(now: now)
        var requests: [Request] = []
        requests.reserveCapacity(actionNames.count * base.plain.count)
        for action in actionNames {
            let assumes = ContextDerivation.isAssumeRole(action)
            for index in base.plain.indices {
                var request = assumes ? base.assumeRole[index] : base.plain[index]
                request.action = action
                requests.append(request)
            }
        }
        return (compiled, requests)
    }

    /// One request per resource, its context derived once for every action: the caller's and the resource's keys, the
    /// request's own entries over them, and (`assumeRole`) the keys AWS adds to `sts:AssumeRole*`.
    func resourceRequests(now: Double) -> (plain: [Request], assumeRole: [Request]) {
        let (type, account, derivedRoleARN) = PrincipalARN.classify(callerARN) ?? (.user, "123456789012", nil)
        let roleARN = callerRoleARN ?? derivedRoleARN
        let derivation = ContextDerivation(
            region: "us-east-1", now: now, roleSessionName: context["sts:RoleSessionName"]?.values.first,
            externalID: context["sts:ExternalId"]?.values.first)
        let placeholder = actionNames.first ?? "*"
        var plain: [Request] = [], assumeRole: [Request] = []
        let needsAssumeRole = actionNames.contains(where: ContextDerivation.isAssumeRole)
        for resource in resourceARNs {
            var request = Request(
                principalARN: callerARN, principalAccount: account, principalType: type, roleARN: roleARN, action: placeholder,
                resourceARN: resource, resourceAccount: resourceOwner ?? ARN(resource).flatMap { $0.account.isEmpty ? nil : $0.account } ?? account,
                context: context)
            let derived = derivation.principalAndResourceContext(for: request)
            var assuming = request
            request.action = "simulate:Request"
            derivation.complete(derived, for: &request)
            plain.append(request)
            if needsAssumeRole {
                assuming.action = "sts:AssumeRole"
                derivation.complete(derived, for: &assuming)
                assumeRole.append(assuming)
            } else {
                assumeRole.append(request)
            }
        }
        return (plain, assumeRole)
    }

    /// Evaluates every action × resource pair, in the order given, as AWS does.
    public func run(now: Double = ContextDerivation().now) -> [SimulateResult] {
        let (compiled, requests) = prepared(now: now)
        return requests.map { request in
            SimulateResult(action: request.action, resource: request.resourceARN, evaluation: compiled.evaluate(request, collectMissing: true))
        }
    }

    /// `{"EvaluationResults": [...]}` as `simulate-custom-policy` prints it.
    public static func json(_ results: [SimulateResult]) -> LocatedValue {
        let here = SourceLocation.synthesized("simulate")
        func string(_ text: String) -> LocatedValue { LocatedValue(.string(text), at: here) }
        func number(_ value: Int) -> LocatedValue { LocatedValue(.number(String(value)), at: here) }
        func object(_ members: [(String, LocatedValue)]) -> LocatedValue {
            LocatedValue(.object(members.map { .init(key: $0.0, keyLocation: here, value: $0.1) }), at: here)
        }
        func array(_ elements: [LocatedValue]) -> LocatedValue { LocatedValue(.array(elements), at: here) }
        let entries = results.map { result -> LocatedValue in
            let matched = result.evaluation.matched.map { statement in
                object([
                    ("SourcePolicyId", string(statement.policy)),
                    ("SourcePolicyType", string(sourceType(statement.policy))),
                    ("StartPosition", object([("Line", number(statement.location.line)), ("Column", number(statement.location.column))])),
                ])
            }
            var members: [(String, LocatedValue)] = [
                ("EvalActionName", string(result.action)),
                ("EvalResourceName", string(result.resource)),
                ("EvalDecision", string(result.evaluation.decision.rawValue)),
                ("MatchedStatements", array(matched)),
                ("MissingContextValues", array(result.evaluation.missingContextKeys.map(string))),
            ]
            if let message = result.evaluation.message { members.append(("DenialMessage", string(message))) }
            return object(members)
        }
        return object([("EvaluationResults", array(entries))])
    }

    static func sourceType(_ id: String) -> String {
        if id.hasPrefix("PolicyInputList") { return "IAM Policy" }
        if id.hasPrefix("ResourcePolicy") { return "Resource Policy" }
        if id.hasPrefix("PermissionsBoundary") { return "Permissions Boundary Policy" }
        if id.hasPrefix("SessionPolicy") { return "Session Policy" }
        if id.hasPrefix("ServiceControl") { return "Service Control Policy" }
        return "none"
    }
}
