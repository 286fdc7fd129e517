import Model
import Policy
import Resolution

/// Writes one option's snippet: a library file with `public func run(…) async throws` that makes the option's calls in
/// order, each with the credentials of its own caller as the step's resolution works them out (a function's own
/// session, or the session an earlier AssumeRole step made with its caller's credentials), with the model's ARNs,
/// names, keys and session names.
struct SnippetWriter {
    let model: Model
    let option: AccessOption
    let resolution: OptionResolution

    /// The functions whose credentials the option's calls start from, in order of first use.
    var functions: [Function] {
        var keys: [String] = []
        for step in resolution.steps {
            if let key = step.caller.credentials.rootFunction, !keys.contains(key) { keys.append(key) }
        }
        return keys.compactMap { model.function($0) }
    }

    /// The kind of the option's first caller, for comments about where the code runs (Lambda unless a task or an
    /// instance starts the option).
    var callerKind: CallerKind { functions.first?.callerKind ?? .lambdaFunction }

    /// The IAM user whose long-term keys make the option's calls, when no function's do (`Snippets.covers` allows one).
    var user: User? { functions.isEmpty ? Snippets.user(of: option).flatMap { model.user($0) } : nil }

    /// One function: `run(_ aws: AWSConfiguration)`. Several: `run(_ functions: Functions)`, one configuration each.
    var takesSeveralFunctions: Bool { functions.count > 1 }

    /// The property of `Functions` that holds a function's configuration.
    static func propertyNames(_ functions: [Function]) -> [String: String] {
        var used: Set<String> = []
        var names: [String: String] = [:]
        for function in functions {
            var name = SwiftText.variableName(function.name)
            var counter = 2
            while used.contains(name) || SwiftText.keywords.contains(name) {
                name = SwiftText.variableName(function.name) + String(counter)
                counter += 1
            }
            used.insert(name)
            names[function.key] = name
        }
        return names
    }

    private struct Constant {
        var name: String
        var doc: String
        var type: String?
        var value: String
    }

    /// A client or credentials provider the handler keeps for the life of the execution environment.
    private struct Member {
        var name: String
        var type: String
        var value: String
        var comment: [String]
    }

    private var constants: [Constant] = []
    private var members: [Member] = []
    private var body: [String] = []
    private var names: Set<String> = ["aws", "error", "functions", "handle", "run"]
    private var providers: [CredentialSource: String] = [:]  // a session → its AssumedRoleCredentials variable
    private var dynamoDBClients: [CredentialSource: String] = [:]
    private var stsClients: [CredentialSource: String] = [:]
    private var serviceClients: [String: [CredentialSource: String]] = [:]  // service → credentials → client variable
    private var queueURLs: [String: String] = [:]  // "<queue key> <client>" → the URL variable `handle()` already holds
    private var constantNames: [String: String] = [:]  // what → constant name
    private var needsUnexpectedlyAllowed = false
    private var explainedCaching = false

    init(model: Model, option: AccessOption, resolution: OptionResolution) {
        self.model = model
        self.option = option
        self.resolution = resolution
    }

    func render() -> String {
        var writer = self
        return writer.write()
    }

    /// The region of the tables the option calls (from their ARNs), when it calls a table.
    private var tableRegion: String? {
        for step in resolution.steps where Self.makesCall(step.step) && step.step.service == "dynamodb" {
            if let arn = ARN(step.target.arn), !arn.region.isEmpty { return arn.region }
        }
        return nil
    }

    private mutating func write() -> String {
        let functions = functions
        if let tableRegion {
            _ = constant(
                "region", base: "region", doc: "The region of the tables' ARNs: DynamoDB is called there, whatever else is configured.",
                value: SwiftText.literal(tableRegion))
        }
        for (offset, step) in resolution.steps.enumerated() {
            if offset > 0 { body.append("") }
            emit(step)
        }

        var out: [String] = []
        out.append("// \(SwiftText.comment(option.title))")
        out.append("//")
        if functions.count == 1, let function = functions.first, let account = model.account(function.accountKey), let role = model.role(function.roleKey) {
            out += SwiftText.wrap(
                "Runs as the \(function.callerKind.noun) \(function.name) in Account \(account.key) (\(account.id)), whose \(function.callerKind.roleNoun) is \(role.name). "
                    + "Generated by `trustflow build` from model.yml: change the content, not this file.",
                prefix: "// ")
        } else if functions.count > 1 {
            let list = functions.map { function in
                "\(function.name) (Account \(function.accountKey), \(function.callerKind.roleNoun) \(model.role(function.roleKey)?.name ?? function.roleKey))"
            }
            out += SwiftText.wrap(
                "Runs as the \(CallerKind.plural(functions.map(\.callerKind))) " + list.joined(separator: ", ") + ", each call with its own caller's credentials. "
                    + "Generated by `trustflow build` from model.yml: change the content, not this file.",
                prefix: "// ")
        } else if let user = user {
            out += SwiftText.wrap(
                SnippetProse.user(user, in: model) + " Generated by `trustflow build` from model.yml: change the content, not this file.", prefix: "// ")
        } else {
            out.append("// Generated by `trustflow build` from model.yml: change the content, not this file.")
        }
        out.append("")
        out.append("import AWSClient")
        out.append("")
        for constant in constants {
            out += SwiftText.wrap(constant.doc, prefix: "/// ")
            out.append("let \(constant.name)\(constant.type.map { ": \($0)" } ?? "") = \(constant.value)")
        }
        if !constants.isEmpty { out.append("") }
        let parameter = takesSeveralFunctions ? "_ functions: Functions" : "_ aws: AWSConfiguration"
        if takesSeveralFunctions {
            let properties = Self.propertyNames(functions)
            out += SwiftText.wrap(
                "The credentials of each function of this option. In Lambda each function reads its own with "
                    + "`AWSConfiguration.fromEnvironment()`.", prefix: "/// ")
            out.append("public struct Functions: Sendable {")
            for function in functions {
                out.append("    /// \(SwiftText.comment(function.name)), execution role \(SwiftText.comment(model.role(function.roleKey)?.name ?? function.roleKey)).")
                out.append("    public var \(properties[function.key] ?? "function"): AWSConfiguration")
            }
            out.append("")
            let parameters = functions.map { "\(properties[$0.key] ?? "function"): AWSConfiguration" }.joined(separator: ", ")
            out.append("    public init(\(parameters)) {")
            for function in functions {
                let name = properties[function.key] ?? "function"
                out.append("        self.\(name) = \(name)")
            }
            out.append("    }")
            out.append("}")
            out.append("")
        }
        if user != nil {
            out += SwiftText.wrap(
                "\(option.title): the clients of this option, made once and reused by every call (keep one Handler for the life of "
                    + "the program: the clients are safe to share).", prefix: "/// ")
        } else {
            out += SwiftText.wrap(
                "\(option.title): the clients and credentials of this option, made once per execution environment and reused by "
                    + "every invocation (keep one Handler for the life of \(callerKind.lifetime): a session assumed per request would be one "
                    + "STS call too many, and \(callerKind.possessive) sessions are capped at one hour).", prefix: "/// ")
        }
        out.append("public struct Handler: Sendable {")
        for member in members { out.append("    let \(member.name): \(member.type)") }
        if !members.isEmpty { out.append("") }
        if user != nil {
            out += SwiftText.wrap(
                "`aws` carries the user's long-term access keys, as `AWSConfiguration.fromEnvironment()` finds them in the default credential chain.",
                prefix: "    /// ")
        } else {
            out += SwiftText.wrap(
                takesSeveralFunctions
                    ? "`functions` carries each function's own credentials. Throws `RegionMismatch` when a configured region is not the one the tables live in."
                    : "`aws` carries the \(functions.first?.resourceKind.noun ?? "function")'s own credentials, as `AWSConfiguration.fromEnvironment()` reads them inside \(functions.first?.callerKind.runsIn ?? "Lambda")."
                        + (tableRegion != nil ? " Throws `RegionMismatch` when its region is not the one the tables live in." : ""),
                prefix: "    /// ")
        }
        out.append("    public init(\(parameter)) throws {")
        if tableRegion != nil {
            if takesSeveralFunctions {
                for name in Self.propertyNames(functions).values.sorted() {
                    out.append("        guard functions.\(name).region == region else { throw RegionMismatch(configured: functions.\(name).region) }")
                }
            } else {
                out.append("        guard aws.region == region else { throw RegionMismatch(configured: aws.region) }")
            }
        }
        for member in members {
            out += member.comment.map { "        " + $0 }
            out.append("        let \(member.name) = \(member.value)")
        }
        for member in members { out.append("        self.\(member.name) = \(member.name)") }
        out.append("    }")
        out.append("")
        out += SwiftText.wrap("One invocation: the calls of this option, in order. Throws `AWSError` when AWS refuses a call.", prefix: "    /// ")
        out.append("    public func handle() async throws {")
        out += body.map { $0.isEmpty ? $0 : "    " + $0 }
        out.append("    }")
        out.append("}")
        out.append("")
        out.append("/// One handler, one invocation: what the command-line runner and the tests call.")
        out.append("public func run(\(parameter)) async throws {")
        out.append("    try await Handler(\(takesSeveralFunctions ? "functions" : "aws")).handle()")
        out.append("}")
        if let tableRegion {
            out.append("")
            out.append("/// Thrown when the configured region is not the one the tables live in: DynamoDB is called in the table's region.")
            out.append("public struct RegionMismatch: Error, CustomStringConvertible {")
            out.append("    public let configured: String")
            out.append("    public var description: String {")
            out.append("        \"the region is \\(configured), but the tables live in \(SwiftText.literal(tableRegion).dropFirst().dropLast()): set AWS_REGION=\(SwiftText.literal(tableRegion).dropFirst().dropLast())\"")
            out.append("    }")
            out.append("}")
        }
        if needsUnexpectedlyAllowed {
            out.append("")
            out.append("/// Thrown when AWS allows a call the policies are meant to refuse: someone has more privilege than intended.")
            out.append("struct UnexpectedlyAllowed: Error, CustomStringConvertible {")
            out.append("    let action: String")
            out.append("    var description: String { \"\\(action) was allowed, but the policies are meant to refuse it\" }")
            out.append("}")
        }
        return out.joined(separator: "\n") + "\n"
    }

    // MARK: - Names

    private mutating func fresh(_ base: String) -> String {
        var name = base
        var counter = 2
        while names.contains(name) || SwiftText.keywords.contains(name) {
            name = "\(base)\(counter)"
            counter += 1
        }
        names.insert(name)
        return name
    }

    private mutating func constant(_ key: String, base: String, doc: String, type: String? = nil, value: String) -> String {
        if let name = constantNames[key] { return name }
        let name = fresh(base)
        constantNames[key] = name
        constants.append(Constant(name: name, doc: doc, type: type, value: value))
        return name
    }

    private func accountText(_ key: String) -> String { SnippetProse.account(key, in: model) }

    private func callerText(_ caller: ResolvedCaller) -> String {
        switch caller.kind {
        case .function:
            let role = caller.role?.name ?? caller.displayName
            return takesSeveralFunctions
                ? "with the credentials of the function \(caller.displayName) (execution role \(role))"
                : "with the function's own credentials (execution role \(role))"
        case .roleSession:
            return "as \(caller.role?.name ?? caller.displayName)'s session"
        case .service:
            return "as \(caller.displayName)"
        case .user:
            return "with the access keys of user \(caller.displayName)"
        }
    }

    // MARK: - Credentials and clients

    /// The configuration expression for calls made with `credentials`.
    private mutating func configuration(for credentials: CredentialSource) -> String {
        switch credentials {
        case .function(let key):
            guard takesSeveralFunctions else { return "aws" }
            return "functions.\(Self.propertyNames(functions)[key] ?? "function")"
        case .session(_, _, _, _, let by):
            return "\(rootConfiguration(of: by)).with(credentials: \(provider(for: credentials, announce: true)))"
        case .service, .user:
            // A service's own delivery, or a user's keys: `Snippets.covers` leaves such options out.
            return "aws"
        }
    }

    /// The configuration of the function at the root of a lineage (region and endpoints come from it).
    private mutating func rootConfiguration(of credentials: CredentialSource) -> String {
        configuration(for: .function(key: credentials.rootFunction ?? ""))
    }

    /// The credentials provider of a session; created here (assuming the role lazily) when no AssumeRole step made it.
    private mutating func provider(for session: CredentialSource, announce: Bool) -> String {
        if let name = providers[session] { return name }
        guard case .session(let roleKey, let sessionName, let externalID, _, let by) = session else { return "aws" }
        let role = model.role(roleKey)
        let roleConstant = roleARNConstant(roleKey)
        let sts = stsClient(for: by)
        let name = fresh(SwiftText.variableName(role?.name ?? roleKey))
        providers[session] = name
        var arguments = "sts: \(sts), roleARN: \(roleConstant), sessionName: \(SwiftText.literal(sessionName))"
        if let externalID { arguments += ", externalID: \(SwiftText.literal(externalID))" }
        members.append(Member(
            name: name, type: "AssumedRoleCredentials", value: "AssumedRoleCredentials(\(arguments))",
            comment: announce ? ["// \(SwiftText.comment(role?.name ?? roleKey))'s credentials, assumed on first use (session \(SwiftText.comment(sessionName)))."] : []))
        return name
    }

    private mutating func stsClient(for credentials: CredentialSource) -> String {
        if let name = stsClients[credentials] { return name }
        let config = configuration(for: credentials)
        let name: String
        switch credentials {
        case .function(let key):
            name = fresh(takesSeveralFunctions ? SwiftText.variableName(model.function(key)?.name ?? key) + "STS" : "sts")
        case .session(let roleKey, _, _, _, _):
            name = fresh(SwiftText.variableName(model.role(roleKey)?.name ?? roleKey) + "STS")
        case .service(let resourceKey), .user(let resourceKey):
            name = fresh(SwiftText.variableName(resourceKey) + "STS")
        }
        stsClients[credentials] = name
        members.append(Member(name: name, type: "STS", value: "STS(configuration: \(config))", comment: []))
        return name
    }

    private mutating func dynamoDBClient(for credentials: CredentialSource) -> String {
        if let name = dynamoDBClients[credentials] { return name }
        let callers = Set(resolution.steps.filter { $0.step.service == "dynamodb" }.map(\.caller.credentials))
        let config = configuration(for: credentials)
        let name: String
        if callers.count <= 1 {
            name = fresh("dynamoDB")
        } else {
            switch credentials {
            case .function(let key): name = fresh(SwiftText.variableName(model.function(key)?.name ?? key) + "DynamoDB")
            case .session(let roleKey, _, _, _, _): name = fresh(SwiftText.variableName(model.role(roleKey)?.name ?? roleKey) + "DynamoDB")
            case .service(let resourceKey), .user(let resourceKey): name = fresh(SwiftText.variableName(resourceKey) + "DynamoDB")
            }
        }
        dynamoDBClients[credentials] = name
        members.append(Member(name: name, type: "DynamoDB", value: "DynamoDB(configuration: \(config))", comment: []))
        return name
    }

    private mutating func roleARNConstant(_ roleKey: String) -> String {
        guard let role = model.role(roleKey) else { return SwiftText.literal(roleKey) }
        return constant(
            "role:\(roleKey)", base: SwiftText.variableName(role.name) + "ARN", doc: SnippetProse.role(role, in: model),
            value: SwiftText.literal(role.arn))
    }

    /// The table as `TableName`, as the resolution names it: its name in its own account, its full ARN across accounts.
    private mutating func tableConstant(_ table: Table, step: StepResolution) -> String {
        let base = SwiftText.variableName(table.name)
        if step.target.tableReference == table.name {
            return constant(
                "table-name:\(table.key)", base: base + "Table",
                doc: SnippetProse.table(table, byName: true, in: model),
                value: SwiftText.literal(table.name))
        }
        return constant(
            "table-arn:\(table.key)", base: base + "TableARN",
            doc: SnippetProse.table(table, byName: false, in: model),
            value: SwiftText.literal(table.arn))
    }

    private mutating func keyConstant(_ table: Table) -> String {
        let sample = SampleData(table: table)
        return constant(
            "key:\(table.key)", base: SwiftText.variableName(table.name) + "Key", doc: SnippetProse.key(table),
            type: "Item", value: SampleData.swiftItem(sample.key))
    }

    // MARK: - Steps

    /// The DynamoDB calls the client offers; a step with another DynamoDB action is written as a comment only.
    static let dynamoDBCalls: Set<String> = ["getitem", "query", "scan", "putitem", "deleteitem", "updateitem", "describetable", "listtables"]

    /// Whether the snippet makes the step's call: an `sts:AssumeRole` of a role, or a DynamoDB call the client has.
    /// Only these steps' outcomes can surprise the snippet, and so fail its tests.
    static func makesCall(_ step: Step) -> Bool {
        guard Snippets.isCode(step) else { return false }
        if step.isAssumeRole, case .role = step.target { return true }
        if step.service == "dynamodb" { return dynamoDBCalls.contains(step.actionName.lowercased()) }
        guard case .resource = step.target else { return false }
        return resourceCalls[step.service]?.contains(step.actionName.lowercased()) ?? false
    }

    /// The calls the client offers on the resources of `resources:` (and functions invoked), by service; a step with
    /// another action of these services is written as a comment only. `kms:Decrypt` needs a ciphertext the program
    /// holds, which a snippet cannot make up: it is a comment too.
    static let resourceCalls: [String: Set<String>] = [
        "s3": ["getobject", "putobject", "listbucket"],
        "kms": ["encrypt", "generatedatakey", "describekey"],
        "sqs": ["getqueueurl", "sendmessage", "receivemessage"],
        "sns": ["publish"],
        "secretsmanager": ["getsecretvalue", "describesecret"],
        "lambda": ["invokefunction"],
    ]

    private func allowedBy(_ step: StepResolution) -> String? { SnippetProse.allowedBy(step) }

    private mutating func emit(_ step: StepResolution) {
        let expectDenied = step.expected != .allowed
        if !Snippets.isCode(step.step) {
            emitDelivery(step)
            return
        }
        if step.step.service != "dynamodb", Self.resourceCalls[step.step.service] != nil, case .resource(let key) = step.step.target,
           let resource = model.resource(key) {
            emitResourceCall(step, resource: resource, expectDenied: expectDenied)
            return
        }
        if step.step.isAssumeRole, case .role(let roleKey) = step.step.target {
            emitAssumeRole(step, roleKey: roleKey, expectDenied: expectDenied)
            return
        }
        guard step.step.service == "dynamodb", case .table(let tableKey) = step.step.target, let table = model.table(tableKey) else {
            body += SwiftText.wrap(
                "Step \(step.number): \(step.step.action) on \(SwiftText.comment(step.target.displayName)), \(callerText(step.caller)).", prefix: "    // ")
            body.append("    // This client has no call for \(SwiftText.comment(step.step.action)); make it with the AWS SDK of your choice.")
            return
        }
        emitDynamoDB(step, table: table, expectDenied: expectDenied)
    }

    private mutating func emitAssumeRole(_ step: StepResolution, roleKey: String, expectDenied: Bool) {
        let role = model.role(roleKey)
        let session = step.step.session ?? Step.defaultSession
        let roleName = SwiftText.comment(role?.name ?? roleKey)
        body += SwiftText.wrap(
            "Step \(step.number): sts:AssumeRole on \(roleName) in \(role.map { accountText($0.accountKey) } ?? "another account"), \(callerText(step.caller)).",
            prefix: "    // ")
        if let allowed = allowedBy(step) { body += SwiftText.wrap(allowed, prefix: "    // ") }
        if !explainedCaching, !expectDenied {
            explainedCaching = true
            body += SwiftText.wrap(
                "AssumedRoleCredentials caches the session and refreshes it five minutes before it expires. "
                    + "\(callerKind.possessive.prefix(1).uppercased() + callerKind.possessive.dropFirst()) "
                    + "session is role chaining, capped at one hour: keep one provider for the life of \(callerKind.lifetime), not one per request.",
                prefix: "    // ")
        }
        let roleConstant = roleARNConstant(roleKey)
        let sts = stsClient(for: step.caller.credentials)
        let name = fresh(SwiftText.variableName(role?.name ?? roleKey))
        // The session this step makes, as the resolution names it for the later steps that use it.
        providers[.session(role: roleKey, session: session, externalID: step.step.externalId, step: step.number, by: step.caller.credentials)] = name
        var arguments = "sts: \(sts), roleARN: \(roleConstant), sessionName: \(SwiftText.literal(session))"
        if let externalID = step.step.externalId { arguments += ", externalID: \(SwiftText.literal(externalID))" }
        members.append(Member(
            name: name, type: "AssumedRoleCredentials", value: "AssumedRoleCredentials(\(arguments))",
            comment: ["// Step \(step.number) assumes \(roleName) with these credentials (session \(SwiftText.comment(session)))."]))
        if expectDenied {
            body += SwiftText.wrap(denialText(step), prefix: "    // ")
            needsUnexpectedlyAllowed = true
            body.append("    do {")
            body.append("        _ = try await \(name).session()")
            body.append("        throw UnexpectedlyAllowed(action: \"sts:AssumeRole\")")
            body.append("    } catch let error as AWSError where error.code == \"AccessDenied\" {")
            body.append("        print(\"AssumeRole refused, as intended:\", error.message)")
            body.append("    }")
        } else {
            let sessionName = fresh(SwiftText.variableName(role?.name ?? roleKey) + "Session")
            body.append("    let \(sessionName) = try await \(name).session()")
            body.append("    print(\"AssumeRole: acting as\", \(sessionName).assumedRoleARN)")
        }
    }

    /// Why a step is meant to fail, from its resolution's cause (the same words as the guide and `check`).
    private func denialText(_ step: StepResolution) -> String { SnippetProse.denial(step, in: model) }

    private mutating func emitDynamoDB(_ resolved: StepResolution, table: Table, expectDenied: Bool) {
        let step = resolved.step
        let number = resolved.number
        let action = step.actionName
        let lowered = action.lowercased()
        let indexText = step.index.map { " (index \($0))" } ?? ""
        let on = lowered == "listtables" ? "" : " on \(table.name)\(indexText)"
        body += SwiftText.wrap("Step \(number): dynamodb:\(action)\(on), \(callerText(resolved.caller)).", prefix: "    // ")
        if lowered == "listtables" {
            body += SwiftText.wrap(
                "ListTables has no resource-level permission and lists the tables of the caller's own account "
                    + "(Account \(resolved.caller.accountKey)), never another account's.", prefix: "    // ")
        }
        if let allowed = allowedBy(resolved) { body += SwiftText.wrap(allowed, prefix: "    // ") }
        if expectDenied {
            body += SwiftText.wrap(denialText(resolved), prefix: "    // ")
            if ["putitem", "deleteitem", "updateitem"].contains(lowered) {
                body += SwiftText.wrap(
                    "The probe is harmless: its condition can never hold, so even a policy broader than intended writes nothing.", prefix: "    // ")
            }
        }
        guard Self.makesCall(step) else {
            body.append("    // This client has no call for dynamodb:\(SwiftText.comment(action)); make it with the AWS SDK of your choice.")
            return
        }
        let client = dynamoDBClient(for: resolved.caller.credentials)
        let sample = SampleData(table: table)
        let indent = expectDenied ? "        " : "    "
        var call: [String] = []  // the call, without result handling
        var result: String?  // variable name for the result, when used
        var report: [String] = []
        switch lowered {
        case "getitem":
            let tableRef = tableConstant(table, step: resolved)
            let key = keyConstant(table)
            if !expectDenied { result = fresh("item") }
            call = ["\(client).getItem(table: \(tableRef), key: \(key))"]
            if let result { report = ["print(\"GetItem:\", \(result).map { \"found, \\($0.count) attributes\" } ?? \"no item with that key\")"] }
        case "query", "scan":
            let tableRef = tableConstant(table, step: resolved)
            if !expectDenied { result = fresh("page") }
            let indexArgument = step.index.map { ", index: \(SwiftText.literal($0))" } ?? ""
            if lowered == "scan" {
                call = ["\(client).scan(table: \(tableRef)\(indexArgument), limit: 25)"]
            } else {
                let attribute: String
                let value: String
                if let index = step.index {
                    attribute = sample.indexAttribute(index)
                    value = sample.indexValue(index)
                } else {
                    attribute = table.partitionKey
                    value = sample.key[0].value
                }
                let placeholder = placeholderName(attribute)
                call = [
                    "\(client).query(",
                    "    table: \(tableRef)\(indexArgument), keyCondition: \(SwiftText.literal("#\(placeholder) = :\(placeholder)")),",
                    "    names: [\(SwiftText.literal("#\(placeholder)")): \(SwiftText.literal(attribute))], values: [\(SwiftText.literal(":\(placeholder)")): \(SwiftText.literal(value))])",
                ]
            }
            if let result { report = ["print(\"\(action)\(step.index.map { " \(SwiftText.literal($0).dropFirst().dropLast())" } ?? ""):\", \(result).count, \"items\")"] }
        case "putitem":
            let tableRef = tableConstant(table, step: resolved)
            var item = sample.newKey
            for index in table.indexes {
                let attribute = sample.indexAttribute(index)
                if !item.contains(where: { $0.name == attribute }) {
                    item.append((name: attribute, value: attribute.lowercased() == "status" ? "PENDING" : "\(attribute)-2"))
                }
            }
            call = expectDenied
                ? ["\(client).putItem(", "    table: \(tableRef), item: \(SampleData.swiftItem(item)),", "    \(Self.impossibleCondition(table)))"]
                : ["\(client).putItem(table: \(tableRef), item: \(SampleData.swiftItem(item)))"]
            if !expectDenied { report = ["print(\"PutItem: wrote\", \(SwiftText.literal(item.map(\.value).prefix(2).joined(separator: "/"))))"] }
        case "deleteitem":
            let tableRef = tableConstant(table, step: resolved)
            call = expectDenied
                ? ["\(client).deleteItem(", "    table: \(tableRef), key: \(keyConstant(table)),", "    \(Self.impossibleCondition(table)))"]
                : ["\(client).deleteItem(table: \(tableRef), key: \(keyConstant(table)))"]
            if !expectDenied { report = ["print(\"DeleteItem: done\")"] }
        case "updateitem":
            let tableRef = tableConstant(table, step: resolved)
            call = expectDenied
                ? [
                    "\(client).updateItem(",
                    "    table: \(tableRef), key: \(keyConstant(table)), update: \"SET #note = :note\",",
                    "    condition: \"attribute_exists(#key) AND attribute_not_exists(#key)\",",
                    "    names: [\"#note\": \"note\", \"#key\": \(SwiftText.literal(table.partitionKey))], values: [\":note\": \"updated\"])",
                ]
                : [
                    "\(client).updateItem(",
                    "    table: \(tableRef), key: \(keyConstant(table)), update: \"SET #note = :note\",",
                    "    names: [\"#note\": \"note\"], values: [\":note\": \"updated\"])",
                ]
            if !expectDenied { report = ["print(\"UpdateItem: done\")"] }
        case "describetable":
            let tableRef = tableConstant(table, step: resolved)
            if !expectDenied { result = fresh("description") }
            call = ["\(client).describeTable(table: \(tableRef))"]
            if let result { report = ["print(\"DescribeTable:\", \(result).tableName, \(result).keySchema.map(\\.attributeName))"] }
        case "listtables":
            if !expectDenied { result = fresh("tables") }
            call = ["\(client).listTables()"]
            if let result { report = ["print(\"ListTables:\", \(result).tableNames)"] }
        default:
            preconditionFailure("dynamoDBCalls lists dynamodb:\(action), which has no call here")
        }
        let discards = ["getitem", "query", "scan", "describetable", "listtables"].contains(lowered)
        let head: String
        if let result {
            head = "let \(result) = try await "
        } else {
            head = discards ? "_ = try await " : "try await "
        }
        if expectDenied {
            needsUnexpectedlyAllowed = true
            body.append("    do {")
        }
        body.append(indent + head + call[0])
        for line in call.dropFirst() { body.append(indent + line) }
        for line in report { body.append(indent + line) }
        if expectDenied {
            body.append("        throw UnexpectedlyAllowed(action: \(SwiftText.literal("dynamodb:\(action)")))")
            if ["putitem", "deleteitem", "updateitem"].contains(lowered) {
                // IAM decides before DynamoDB evaluates the condition: a policy broader than intended shows up here,
                // and the condition that can never hold keeps the data as it was.
                body.append("    } catch let error as AWSError where error.code == \"ConditionalCheckFailedException\" {")
                body.append("        throw UnexpectedlyAllowed(action: \(SwiftText.literal("dynamodb:\(action)")))")
            }
            body.append("    } catch let error as AWSError where error.code.hasPrefix(\"AccessDenied\") {")
            body.append("        print(\"\(action) refused, as intended:\", error.message)")
            body.append("    }")
        }
    }

    // MARK: - Resources of `resources:` and functions invoked

    /// The client type and variable stem of each service the snippets call resources of.
    static let clientTypes: [String: (type: String, stem: String)] = [
        "s3": ("S3", "s3"), "kms": ("KMS", "kms"), "sqs": ("SQS", "sqs"), "sns": ("SNS", "sns"),
        "secretsmanager": ("SecretsManager", "secretsManager"), "lambda": ("Lambda", "lambda"),
    ]

    /// One client per service and credentials, kept by the handler; named by the caller when several credentials call
    /// the same service.
    private mutating func serviceClient(_ service: String, for credentials: CredentialSource) -> String {
        if let name = serviceClients[service]?[credentials] { return name }
        let (type, stem) = Self.clientTypes[service] ?? (service, service)
        let callers = Set(resolution.steps.filter { $0.step.service == service && Snippets.isCode($0.step) }.map(\.caller.credentials))
        let config = configuration(for: credentials)
        let name: String
        if callers.count <= 1 {
            name = fresh(stem)
        } else {
            switch credentials {
            case .function(let key): name = fresh(SwiftText.variableName(model.function(key)?.name ?? key) + type)
            case .session(let roleKey, _, _, _, _): name = fresh(SwiftText.variableName(model.role(roleKey)?.name ?? roleKey) + type)
            case .service(let resourceKey), .user(let resourceKey): name = fresh(SwiftText.variableName(resourceKey) + type)
            }
        }
        serviceClients[service, default: [:]][credentials] = name
        members.append(Member(name: name, type: type, value: "\(type)(configuration: \(config))", comment: []))
        return name
    }

    /// The constant a resource is named by in calls: a bucket's name, a queue's name, or an ARN.
    private mutating func resourceConstant(_ resource: Resource, callerAccount: String) -> String {
        let stem = SwiftText.variableName(Self.stem(resource))
        let doc = SnippetProse.resource(resource, callerAccount: callerAccount, in: model)
        /// `ordersQueue` + `Queue` → `ordersQueue`: the kind's word once.
        func named(_ word: String, _ rest: String) -> String { (stem.lowercased().hasSuffix(word.lowercased()) ? stem : stem + word) + rest }
        switch resource.kind {
        case .s3Bucket:
            return constant("bucket:\(resource.key)", base: named("Bucket", ""), doc: doc, value: SwiftText.literal(resource.name))
        case .kmsKey:
            return constant("key-arn:\(resource.key)", base: named("Key", "ARN"), doc: doc, value: SwiftText.literal(resource.arn))
        case .snsTopic:
            return constant("topic:\(resource.key)", base: named("Topic", "ARN"), doc: doc, value: SwiftText.literal(resource.arn))
        case .secret:
            return constant("secret:\(resource.key)", base: named("Secret", "ARN"), doc: doc, value: SwiftText.literal(resource.arn))
        case .lambdaFunction:
            return constant("function:\(resource.key)", base: named("Function", "ARN"), doc: doc, value: SwiftText.literal(resource.arn))
        case .sqsQueue:
            return constant("queue:\(resource.key)", base: named("Queue", "Name"), doc: SnippetProse.queueName(resource, in: model), value: SwiftText.literal(resource.name))
        default:
            return constant("arn:\(resource.key)", base: stem + "ARN", doc: doc, value: SwiftText.literal(resource.arn))
        }
    }

    /// What a resource's constant is named after: a key's alias (its id is a UUID) or model key, else its name.
    static func stem(_ resource: Resource) -> String {
        guard resource.kind == .kmsKey else { return resource.name }
        return resource.alias.map { String($0.dropFirst("alias/".count)) } ?? resource.key
    }

    /// A delivery a service principal makes (SNS to a queue): no code; the snippet says so and leaves it to the service.
    private mutating func emitDelivery(_ step: StepResolution) {
        body += SwiftText.wrap(SnippetProse.delivery(step), prefix: "    // ")
    }

    /// A call on a resource of `resources:` (S3, KMS, SQS, SNS, Secrets Manager) or a function invoked (Lambda).
    private mutating func emitResourceCall(_ resolved: StepResolution, resource: Resource, expectDenied: Bool) {
        let step = resolved.step
        let action = step.actionName
        let lowered = action.lowercased()
        let service = step.service
        body += SwiftText.wrap(
            "Step \(resolved.number): \(step.action) on \(SwiftText.comment(resolved.target.displayName)), \(callerText(resolved.caller)).",
            prefix: "    // ")
        if let allowed = allowedBy(resolved) { body += SwiftText.wrap(allowed, prefix: "    // ") }
        for sentence in SnippetProse.implied(resolved) { body += SwiftText.wrap(sentence, prefix: "    // ") }
        if expectDenied { body += SwiftText.wrap(denialText(resolved), prefix: "    // ") }
        guard Self.makesCall(step) else {
            body.append("    // This client has no call for \(SwiftText.comment(step.action)); make it with the AWS SDK of your choice.")
            return
        }
        let client = serviceClient(service, for: resolved.caller.credentials)
        let callerAccount = resolved.caller.accountKey
        var lines: [String] = []  // the calls; the last one's result is `result`
        var result: String?
        var report: [String] = []
        switch (service, lowered) {
        case ("s3", "getobject"), ("s3", "putobject"):
            let bucket = resourceConstant(resource, callerAccount: callerAccount)
            let object = constant(
                "object:\(resource.key):\(step.concreteObject ?? "")", base: SwiftText.variableName(Self.objectStem(step.concreteObject ?? "object")) + "Key",
                doc: SnippetProse.object(step, bucket: resource), value: SwiftText.literal(step.concreteObject ?? "example"))
            if lowered == "getobject" {
                if !expectDenied { result = fresh("object") }
                lines = ["\(client).getObject(bucket: \(bucket), key: \(object))"]
                if let result { report = ["print(\"GetObject:\", \(result).body.count, \"bytes\")"] }
            } else {
                var encryption = ""
                if let keyKey = resource.encryptionKey, let key = model.resource(keyKey) {
                    body += SwiftText.wrap(
                        "The bucket's objects are encrypted with the KMS key \(key.alias ?? key.name) (SSE-KMS): the request names it, "
                            + "as a bucket policy that requires SSE-KMS with this key checks (x-amz-server-side-encryption: aws:kms and the key's ARN).",
                        prefix: "    // ")
                    encryption = ", encryption: .kms(keyID: \(resourceConstant(key, callerAccount: callerAccount)))"
                }
                if expectDenied {
                    body += SwiftText.wrap(
                        "If the policies are broader than intended, this writes the small object named above: delete it.", prefix: "    // ")
                }
                if !expectDenied { result = fresh("stored") }
                lines = ["\(client).putObject(bucket: \(bucket), key: \(object), body: Array(\(SwiftText.literal("written by \(option.id)\n")).utf8)\(encryption))"]
                if let result { report = ["print(\"PutObject: stored\", \(object), \(result).encryption?.kmsKeyID ?? \"\")"] }
            }
        case ("s3", "listbucket"):
            let bucket = resourceConstant(resource, callerAccount: callerAccount)
            if !expectDenied { result = fresh("listing") }
            lines = ["\(client).listObjectsV2(bucket: \(bucket), maxKeys: 25)"]
            if let result { report = ["print(\"ListObjectsV2:\", \(result).keyCount, \"keys\")"] }
        case ("kms", "encrypt"):
            let key = resourceConstant(resource, callerAccount: callerAccount)
            if !expectDenied { result = fresh("encrypted") }
            lines = ["\(client).encrypt(keyID: \(key), plaintext: Array(\(SwiftText.literal("written by \(option.id)")).utf8))"]
            if let result { report = ["print(\"Encrypt:\", \(result).ciphertextBlob.count, \"bytes of ciphertext under\", \(result).keyID)"] }
        case ("kms", "generatedatakey"):
            let key = resourceConstant(resource, callerAccount: callerAccount)
            if !expectDenied { result = fresh("dataKey") }
            lines = ["\(client).generateDataKey(keyID: \(key), keySpec: .aes256)"]
            if let result { report = ["print(\"GenerateDataKey: a data key under\", \(result).keyID)"] }
        case ("kms", "describekey"):
            let key = resourceConstant(resource, callerAccount: callerAccount)
            if !expectDenied { result = fresh("metadata") }
            lines = ["\(client).describeKey(keyID: \(key))"]
            if let result { report = ["print(\"DescribeKey:\", \(result).keyID, \(result).keyState ?? \"\")"] }
        case ("sqs", _):
            let name = resourceConstant(resource, callerAccount: callerAccount)
            var owner = ""
            if resource.accountKey != callerAccount, let account = model.account(resource.accountKey) {
                owner = ", ownerAccountID: " + constant(
                    "queue-owner:\(resource.key)", base: SwiftText.variableName(resource.name) + "QueueOwner",
                    doc: SnippetProse.queueOwner(resource, in: model), value: SwiftText.literal(account.id))
            }
            let cacheKey = "\(resource.key) \(client)"
            let url: String
            if let known = queueURLs[cacheKey], lowered != "getqueueurl" {
                // The URL an earlier step looked up: one GetQueueUrl per queue and invocation.
                url = known
            } else {
                if lowered != "getqueueurl" { body += SwiftText.wrap(SnippetProse.queueLookup(resource), prefix: "    // ") }
                url = fresh("queueURL")
                lines = ["let \(url) = try await \(client).getQueueURL(queueName: \(name)\(owner))"]
                // Only a lookup at the top of `handle()` stays in scope for later steps (a refused probe's is in `do`).
                if !expectDenied, queueURLs[cacheKey] == nil { queueURLs[cacheKey] = url }
            }
            switch lowered {
            case "sendmessage":
                if !expectDenied { result = fresh("sent") }
                lines.append("\(client).sendMessage(queueURL: \(url), body: \(SwiftText.literal("{\"from\": \"\(option.id)\"}")))")
                if let result { report = ["print(\"SendMessage:\", \(result).messageID)"] }
            case "receivemessage":
                if !expectDenied { result = fresh("messages") }
                lines.append("\(client).receiveMessage(queueURL: \(url), maxNumberOfMessages: 10)")
                if let result { report = ["print(\"ReceiveMessage:\", \(result).count, \"messages\")"] }
            default:
                if expectDenied { lines = ["_ = try await \(client).getQueueURL(queueName: \(name)\(owner))"] }
                report = ["print(\"GetQueueUrl:\", \(url))"]
            }
        case ("sns", "publish"):
            let topic = resourceConstant(resource, callerAccount: callerAccount)
            if !expectDenied { result = fresh("published") }
            lines = ["\(client).publish(to: .topic(arn: \(topic)), message: \(SwiftText.literal("{\"from\": \"\(option.id)\"}")))"]
            if let result { report = ["print(\"Publish:\", \(result).messageID)"] }
        case ("secretsmanager", "getsecretvalue"):
            let secret = resourceConstant(resource, callerAccount: callerAccount)
            if !expectDenied { result = fresh("secret") }
            lines = ["\(client).getSecretValue(secretID: \(secret))"]
            if let result {
                report = [
                    "// Never log the value itself.",
                    "print(\"GetSecretValue: read\", \(result).name, \"version\", \(result).versionID ?? \"\")",
                ]
            }
        case ("secretsmanager", "describesecret"):
            let secret = resourceConstant(resource, callerAccount: callerAccount)
            if !expectDenied { result = fresh("description") }
            lines = ["\(client).describeSecret(secretID: \(secret))"]
            if let result { report = ["print(\"DescribeSecret:\", \(result).name, \(result).kmsKeyID ?? \"aws/secretsmanager\")"] }
        case ("lambda", "invokefunction"):
            let function = resourceConstant(resource, callerAccount: callerAccount)
            if !expectDenied { result = fresh("invocation") }
            lines = ["\(client).invoke(functionName: \(function), payload: Array(\(SwiftText.literal("{\"from\": \"\(option.id)\"}")).utf8))"]
            if let result { report = ["print(\"Invoke:\", \(result).statusCode, \(result).functionError ?? \"returned\")"] }
        default:
            preconditionFailure("resourceCalls lists \(step.action), which has no call here")
        }
        // The last line is the step's own call; the lines before it (GetQueueUrl) prepare it.
        let last = lines.removeLast()
        let head = result.map { "let \($0) = try await " } ?? (last.hasPrefix("let ") ? "" : "_ = try await ")
        let call = last.hasPrefix("let ") || last.hasPrefix("_ = ") ? last : head + last
        let code = ServiceRules.denialCode(service: service)
        guard expectDenied else {
            body += lines.flatMap { Self.fitted($0, indent: "    ") }
            body += Self.fitted(call, indent: "    ")
            body += report.map { "    " + $0 }
            return
        }
        needsUnexpectedlyAllowed = true
        body.append("    do {")
        body += lines.flatMap { Self.fitted($0, indent: "        ") }
        body += Self.fitted(call, indent: "        ")
        body.append("        throw UnexpectedlyAllowed(action: \(SwiftText.literal(step.action)))")
        body.append("    } catch let error as AWSError where error.code == \(SwiftText.literal(code)) {")
        body.append("        print(\(SwiftText.literal("\(action) refused, as intended:")), error.message)")
        body.append("    }")
    }

    /// A call fitted to 120 columns as the package holds it (`handle()` is one level deeper than the body).
    static func fitted(_ call: String, indent: String) -> [String] {
        SwiftText.call(call, indent: indent, width: 116).map { String($0) }
    }

    /// `reports/2026/q1.csv` → `reports-q1`: the object's top folder and file name without its extension, for the key's
    /// constant.
    static func objectStem(_ key: String) -> String {
        let parts = key.split(separator: "/").map(String.init)
        let file = parts.last ?? key
        let stem = file.split(separator: ".").first.map(String.init) ?? file
        return parts.count > 1 ? parts[0] + "-" + stem : stem
    }

    /// The arguments of a write meant to be refused: a condition that can never hold, so that if IAM lets the write
    /// through (a policy broader than intended), DynamoDB answers ConditionalCheckFailedException and writes nothing.
    private static func impossibleCondition(_ table: Table) -> String {
        "condition: \"attribute_exists(#key) AND attribute_not_exists(#key)\", names: [\"#key\": \(SwiftText.literal(table.partitionKey))]"
    }

    /// `status` → `status`; `order-date` → `orderdate`: placeholders take letters, digits and `_`.
    private func placeholderName(_ attribute: String) -> String {
        let kept = attribute.filter { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
        return kept.isEmpty ? "key" : kept
    }
}
