internal import Foundation
import Policy
public import Source

/// Loads `model.yml` and the policy files it names, validates everything, and reports every problem at once.
public enum ModelLoader {
    /// Reads `<contentDirectory>/model.yml`. Throws a `DiagnosticList` with every problem found.
    public static func load(contentDirectory: String, limits: ContentLimits = .standard) throws(DiagnosticList) -> Model {
        let file = (contentDirectory as NSString).appendingPathComponent("model.yml")
        let bytes: [UInt8]
        switch ContentFile.read(atPath: file, limit: limits.modelFileBytes) {
        case .success(let read):
            bytes = read
        case .failure(.tooLarge):
            throw DiagnosticList([.error(
                "model.yml is larger than \(ContentLimits.size(limits.modelFileBytes)), the limit for the model file (see README, 'Limits'); nothing was read past it",
                at: SourceLocation(file: file, line: 1, column: 1))])
        case .failure(.unreadable):
            let exists = FileManager.default.fileExists(atPath: file)
            throw DiagnosticList([.error(exists ? "cannot read the model file" : "no model file here: create \(file) (see README, 'The content format')", at: SourceLocation(file: file, line: 1, column: 1))])
        }
        switch UTF8Text.decode(bytes) {
        case .success(let text):
            return try load(yaml: text, file: file, contentDirectory: contentDirectory, limits: limits)
        case .failure(let invalid):
            throw DiagnosticList([.error("the model file is not UTF-8 text: its first invalid byte is \(invalid.description); save it as UTF-8", at: SourceLocation(file: file, line: 1, column: 1))])
        }
    }

    /// Loads a model from text. `readFile` reads policy files (paths relative to `contentDirectory`); it
    /// defaults to the file system.
    public static func load(
        yaml text: String, file: String, contentDirectory: String,
        readFile: ((String) -> String?)? = nil, limits: ContentLimits = .standard
    ) throws(DiagnosticList) -> Model {
        guard text.utf8.count <= limits.modelFileBytes else {
            throw DiagnosticList([.error(
                "the model is larger than \(ContentLimits.size(limits.modelFileBytes)), the limit for the model file (see README, 'Limits')",
                at: SourceLocation(file: file, line: 1, column: 1))])
        }
        // A reader given as text is UTF-8 by construction; the file system's bytes are checked by `policy`. Either
        // way no more than the policy limit is read: one byte past it says the file is too large.
        let readBytes: (String, Int) -> Result<[UInt8], ContentFile.Failure> =
            if let readFile {
                { path, limit in
                    guard let text = readFile(path) else { return .failure(.unreadable) }
                    return text.utf8.count > limit ? .failure(.tooLarge) : .success(Array(text.utf8))
                }
            } else {
                { path, limit in ContentFile.read(atPath: path, limit: limit) }
            }
        var loader = Loader(file: file, contentDirectory: contentDirectory, readFile: readBytes, limits: limits)
        loader.bytesRead = text.utf8.count
        let reading = YAMLReader.read(text, file: file, limits: limits.reading())
        loader.valuesRead = reading.valueCount
        // Tabs that indent lines are errors, but the tree read with them as spaces still shows every other problem.
        loader.diagnostics += reading.tabs + reading.diagnostics
        guard let value = reading.value, !reading.diagnostics.contains(where: { $0.severity == .error }) else {
            throw DiagnosticList(loader.diagnostics)
        }
        let model = loader.model(from: value)
        let errors = loader.diagnostics.filter { $0.severity == .error }
        guard let model, errors.isEmpty else { throw DiagnosticList(loader.diagnostics) }
        return model
    }
}

/// The walk over the tree; collects diagnostics instead of stopping at the first.
struct Loader {
    let file: String
    let contentDirectory: String
    /// The bytes of a policy file, at most the given number of them.
    let readFile: (String, Int) -> Result<[UInt8], ContentFile.Failure>
    let limits: ContentLimits
    var diagnostics: [Diagnostic] = []
    var declared = Declared()
    /// Bytes read so far: `model.yml` and every policy file, each time it is named.
    var bytesRead = 0
    /// Values read so far, in `model.yml` and the policy files.
    var valuesRead = 0
    /// Errors so far; at the limit, the walk stops (`stopped`).
    var errorCount = 0
    /// Reading policy files stopped at the content's byte or value budget (reported once, where it was reached).
    var budgetSpent = false

    struct Declared {
        var roles: Set<String> = []
        var functions: Set<String> = []
        var tables: Set<String> = []
        var resources: Set<String> = []
        var users: Set<String> = []
    }

    init(file: String, contentDirectory: String, readFile: @escaping (String, Int) -> Result<[UInt8], ContentFile.Failure>, limits: ContentLimits = .standard) {
        self.file = file
        self.contentDirectory = contentDirectory
        self.readFile = readFile
        self.limits = limits
    }

    static let topKeys = ["title", "region", "theme", "unsafeHTML", "accounts", "roles", "functions", "tasks", "instances", "users", "tables", "resources", "options"]
    static let accountKeys = ["id", "name", "organization", "scps"]
    static let roleKeys = ["account", "name", "path", "trust", "policies", "boundary", "maxSessionDuration"]
    static let functionKeys = ["account", "name", "role", "policy"]
    static let taskKeys = ["account", "name", "role", "cluster", "taskId"]
    static let instanceKeys = ["account", "name", "role", "instanceId"]
    static let tableKeys = ["account", "name", "partitionKey", "sortKey", "indexes", "attributeTypes", "policy"]
    static let optionKeys = ["id", "title", "policyLives", "bestFor", "summary", "steps"]
    static let userKeys = ["account", "name", "path", "policies", "boundary"]
    static let resourceKeys = ["kind", "account", "name", "policy", "key", "alias", "suffix"]
    static let stepKeys = ["caller", "action", "target", "index", "object", "session", "externalId", "expect", "context"]

    /// Records an error. At the error limit the walk stops, as compilers stop: one more line says so, where it did.
    mutating func error(_ message: String, at location: SourceLocation) {
        record(.error(message, at: location))
    }

    /// Records a diagnostic as it is (its code included), counting errors toward the limit.
    mutating func record(_ diagnostic: Diagnostic) {
        guard !stopped else { return }
        diagnostics.append(diagnostic)
        guard diagnostic.severity == .error else { return }
        errorCount += 1
        if stopped {
            diagnostics.append(.error("stopped after \(errorCount) errors; fix these and run again", at: diagnostic.location))
        }
    }

    /// The error limit is reached: loops over entities stop, so that no more work is spent on wrong content.
    var stopped: Bool { errorCount >= limits.errors }

    /// Records another reader's diagnostics (a policy's grammar errors), counting its errors toward the limit.
    mutating func add(_ list: [Diagnostic]) {
        for diagnostic in list { record(diagnostic) }
    }

    /// Counts the entries of each kind before any is read: past a limit, the entry that crosses it is reported and
    /// the model is not walked at all.
    mutating func checkCounts(_ root: LocatedValue) -> Bool {
        var fine = true
        func check(_ members: [LocatedValue.Member], _ limit: Int, _ what: String) {
            guard members.count > limit else { return }
            error("\(ContentLimits.grouped(members.count)) \(what): more than \(ContentLimits.grouped(limit)), the limit for one model (see README, 'Limits')", at: members[limit].keyLocation)
            fine = false
        }
        check(root["accounts"]?.members ?? [], limits.accounts, "accounts")
        check(root["roles"]?.members ?? [], limits.roles, "roles")
        check(CallerKind.compute.flatMap { root[$0.collection ?? ""]?.members ?? [] }, limits.functions, "functions, tasks and instances")
        check(root["tables"]?.members ?? [], limits.tables, "tables")
        check(root["resources"]?.members ?? [], limits.tables, "resources")
        check(root["users"]?.members ?? [], limits.roles, "users")
        let options = root["options"]?.elements ?? []
        if options.count > limits.options {
            error("\(ContentLimits.grouped(options.count)) options: more than \(ContentLimits.grouped(limits.options)), the limit for one model (see README, 'Limits')", at: options[limits.options].location)
            fine = false
        }
        var steps = 0
        for option in options {
            let elements = option["steps"]?.elements ?? []
            if steps + elements.count > limits.steps {
                let total = options.reduce(0) { $0 + ($1["steps"]?.elements?.count ?? 0) }
                error("\(ContentLimits.grouped(total)) steps in all the options: more than \(ContentLimits.grouped(limits.steps)), the limit for one model (see README, 'Limits')", at: elements[limits.steps - steps].location)
                fine = false
                break
            }
            steps += elements.count
        }
        return fine
    }

    // MARK: - Top level

    mutating func model(from root: LocatedValue) -> Model? {
        guard let members = root.members else {
            error("model.yml must be a mapping with 'title', 'accounts', 'roles', … (see README), found \(root.typeDescription)", at: root.location)
            return nil
        }
        checkKeys(members, Self.topKeys, "the model")
        guard checkCounts(root) else { return nil }
        let title = requiredString(root, "title", in: "the model") ?? ""
        let region = optionalString(root, "region") ?? "us-east-1"
        if let regionValue = root["region"], !Self.isRegion(region) {
            error("'region' must look like 'us-east-1', found \"\(region)\"", at: regionValue.location)
        }
        let theme = optionalString(root, "theme")
        if let theme, let themeValue = root["theme"], !Model.diagramThemes.contains(theme) {
            error(
                "unknown theme '\(theme)'\(Spelling.didYouMean(theme, among: Model.diagramThemes)); themes: \(Model.diagramThemes.joined(separator: ", "))",
                at: themeValue.location
            )
        }
        let unsafeHTML = optionalBool(root, "unsafeHTML") ?? false

        let accounts = mapping(root, "accounts", required: true).prefix { _ in !stopped }.compactMap { account(key: $0.key, keyLocation: $0.keyLocation, value: $0.value) }
        let accountsByKey = Dictionary(accounts.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        var seenIDs: [String: String] = [:]
        for account in accounts {
            if let other = seenIDs[account.id] {
                error("account '\(account.key)' has the same id \(account.id) as account '\(other)'", at: account.location)
            } else {
                seenIDs[account.id] = account.key
            }
        }

        // Keys declared in the file, valid or not: a reference to an entry that failed to load is not reported
        // again as "unknown" (its own errors say what is wrong).
        let roleMembers = mapping(root, "roles", required: false)
        // Lambda functions, ECS tasks and EC2 instances: one list of compute callers, each with its kind.
        let functionMembers = CallerKind.compute.flatMap { kind in
            mapping(root, kind.collection ?? "", required: false).map { (kind: kind.id, key: $0.key, keyLocation: $0.keyLocation, value: $0.value) }
        }
        let tableMembers = mapping(root, "tables", required: false)
        let resourceMembers = mapping(root, "resources", required: false)
        let userMembers = mapping(root, "users", required: false)
        declared = Declared(
            roles: Set(roleMembers.map(\.key)), functions: Set(functionMembers.map(\.key)), tables: Set(tableMembers.map(\.key)),
            resources: Set(resourceMembers.map(\.key)), users: Set(userMembers.map(\.key)))

        let roles = roleMembers.prefix { _ in !stopped }.compactMap { role(key: $0.key, keyLocation: $0.keyLocation, value: $0.value, accounts: accountsByKey) }
        let rolesByKey = Dictionary(roles.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        checkUniqueNames(roles.map { ($0.accountKey, $0.name, $0.location) }, what: "role")

        var seenCallers: [String: Function] = [:]
        let functions = functionMembers.prefix { _ in !stopped }.compactMap {
            function(key: $0.key, kind: $0.kind, keyLocation: $0.keyLocation, value: $0.value, accounts: accountsByKey, roles: rolesByKey, region: region)
        }.filter { caller in
            // A step names a caller by key alone, so a key may be used once across functions, tasks and instances.
            if let first = seenCallers[caller.key] {
                error("'\(caller.key)' is both \(first.callerKind.collection ?? "") and \(caller.callerKind.collection ?? "") key (first at line \(first.location.line)): "
                    + "step callers could not tell them apart; rename one key", at: caller.location)
                return false
            }
            seenCallers[caller.key] = caller
            return true
        }
        for kind in CallerKind.compute {
            checkUniqueNames(functions.filter { $0.kind == kind.id }.map { ($0.accountKey, $0.name, $0.location) }, what: kind.resource.noun)
        }
        let tables = tableMembers.prefix { _ in !stopped }.compactMap {
            table(key: $0.key, keyLocation: $0.keyLocation, value: $0.value, accounts: accountsByKey, region: region)
        }
        checkUniqueNames(tables.map { ($0.accountKey, $0.name, $0.location) }, what: "table")
        let users = userMembers.prefix { _ in !stopped }.compactMap { user(key: $0.key, keyLocation: $0.keyLocation, value: $0.value, accounts: accountsByKey) }
            .filter { user in
                // A step names a caller by key alone.
                guard rolesByKey[user.key] == nil, !functions.contains(where: { $0.key == user.key }) else {
                    error("'\(user.key)' is both a user and a role or function key: step callers could not tell them apart; rename one key", at: user.location)
                    return false
                }
                return true
            }
        checkUniqueNames(users.map { ($0.accountKey, $0.name, $0.location) }, what: "user")
        var resources = resourceMembers.prefix { _ in !stopped }.compactMap {
            resource(key: $0.key, keyLocation: $0.keyLocation, value: $0.value, accounts: accountsByKey, region: region)
        }
        resources = checkResources(resources, functions: functions, roles: rolesByKey, tables: tables, users: users)
        for function in functions where rolesByKey[function.key] != nil {
            error("'\(function.key)' is both a \(function.resourceKind.noun) and a role: step callers could not tell them apart; rename one key", at: function.location)
        }

        var options: [AccessOption] = []
        if let optionsValue = root["options"] {
            if let elements = optionsValue.elements {
                var seen: [String: SourceLocation] = [:]
                let functionsByKey = Dictionary(functions.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
                let tablesByKey = Dictionary(tables.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
                let resourcesByKey = Dictionary(resources.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
                let lookup = Lookup(
                    functions: functions, functionsByKey: functionsByKey, roles: rolesByKey, tables: tables, tablesByKey: tablesByKey,
                    resources: resources, resourcesByKey: resourcesByKey,
                    usersByKey: Dictionary(users.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first }))
                for element in elements where !stopped {
                    guard let option = option(element, lookup: lookup) else { continue }
                    if let first = seen[option.id] {
                        error("duplicate option id '\(option.id)' (first at line \(first.line))", at: option.location)
                    } else {
                        seen[option.id] = option.location
                    }
                    options.append(option)
                }
            } else {
                error("'options' must be a list of options, found \(optionsValue.typeDescription)", at: optionsValue.location)
            }
        }

        return Model(
            title: title, region: region, theme: theme, unsafeHTML: unsafeHTML, accounts: accounts, roles: roles,
            functions: functions, tables: tables, resources: resources, users: users, options: options, contentDirectory: contentDirectory, file: file
        )
    }

    // MARK: - Entities

    mutating func account(key: String, keyLocation: SourceLocation, value: LocatedValue) -> Account? {
        guard let members = value.members else {
            error("account '\(key)' must be a mapping with 'id' and 'name', found \(value.typeDescription)", at: value.location)
            return nil
        }
        checkKeys(members, Self.accountKeys, "account '\(key)'")
        var id = ""
        if let idValue = value["id"] {
            id = idValue.scalarText ?? ""
            if case .number = idValue.kind, id.count == 12 {
                // Accepted as written; YAML would have dropped leading zeros, so the text is checked as typed.
            } else if idValue.string == nil {
                error("account '\(key)': 'id' must be a quoted string of 12 digits, e.g. \"111111111111\"", at: idValue.location)
            }
            if !(id.count == 12 && id.allSatisfy { $0.isASCII && $0.isNumber }) {
                error("account '\(key)': id \"\(id)\" is not 12 digits", at: idValue.location)
            }
        } else {
            error("account '\(key)' needs an 'id' (12 digits, quoted)", at: keyLocation)
        }
        let name = optionalString(value, "name") ?? key
        let organization = optionalString(value, "organization")
        if let organization, let orgValue = value["organization"], !Self.isOrganizationID(organization) {
            error("account '\(key)': organization \"\(organization)\" is not an AWS Organizations id like \"o-a1b2c3d4e5\"", at: orgValue.location)
        }
        var scps: [NamedPolicy] = []
        for member in mapping(value, "scps", required: false) {
            if let policy = policy(member.value, name: member.key, kind: .serviceControl, at: member.keyLocation) { scps.append(policy) }
        }
        return Account(key: key, id: id, name: name, organization: organization, serviceControlPolicies: scps, location: keyLocation)
    }

    mutating func role(key: String, keyLocation: SourceLocation, value: LocatedValue, accounts: [String: Account]) -> Role? {
        guard let members = value.members else {
            error("role '\(key)' must be a mapping with 'account' and 'trust', found \(value.typeDescription)", at: value.location)
            return nil
        }
        checkKeys(members, Self.roleKeys, "role '\(key)'")
        let account = accountReference(value, owner: "role '\(key)'", accounts: accounts, at: keyLocation)
        let (name, path) = iamNameAndPath(key: key, keyLocation: keyLocation, value: value, noun: "role", examplePath: "/service-role/")
        var maxSession = 3600
        if let raw = value["maxSessionDuration"] {
            if let text = raw.scalarText, let seconds = Int(text), (3600...43200).contains(seconds) {
                maxSession = seconds
            } else {
                error("role '\(key)': 'maxSessionDuration' must be a number of seconds from 3600 to 43200", at: raw.location)
            }
        }
        var trust: NamedPolicy?
        if let trustValue = value["trust"] {
            trust = policy(trustValue, name: "trust policy of \(name)", kind: .trust, at: trustValue.location)
        } else {
            error("role '\(key)' needs a 'trust' policy: it says who may assume the role", at: keyLocation)
        }
        let (policies, boundary) = identityPolicies(value, name: name)
        guard let account, let trust else { return nil }
        return Role(
            key: key, accountKey: account.key, name: name, path: path, trust: trust, policies: policies, boundary: boundary,
            maxSessionDuration: maxSession, arn: ARN.role(account: account.id, path: path, name: name).description, location: keyLocation
        )
    }

    /// An IAM identity's `name` (default: its key) and `path` (default `/`), checked as IAM names and paths.
    mutating func iamNameAndPath(key: String, keyLocation: SourceLocation, value: LocatedValue, noun: String, examplePath: String) -> (String, String) {
        let name = optionalString(value, "name") ?? key
        if !Self.isIAMName(name) {
            error("\(noun) name \"\(name)\" is not a valid IAM \(noun) name (1–64 characters of letters, digits and +=,.@_-)", at: value["name"]?.location ?? keyLocation)
        }
        let path = optionalString(value, "path") ?? "/"
        if !(path.hasPrefix("/") && path.hasSuffix("/") && path.count <= 512 && path.unicodeScalars.allSatisfy { $0.value >= 0x21 && $0.value <= 0x7E }) {
            error("\(noun) '\(key)': path \"\(path)\" must start and end with '/' and hold only printable ASCII, e.g. \"\(examplePath)\"", at: value["path"]?.location ?? keyLocation)
        }
        return (name, path)
    }

    /// An IAM identity's `policies:` (identity policies, by name) and `boundary:`.
    mutating func identityPolicies(_ value: LocatedValue, name: String) -> ([NamedPolicy], NamedPolicy?) {
        var policies: [NamedPolicy] = []
        for member in mapping(value, "policies", required: false) {
            if let parsed = policy(member.value, name: member.key, kind: .identity, at: member.keyLocation) { policies.append(parsed) }
        }
        var boundary: NamedPolicy?
        if let boundaryValue = value["boundary"] {
            boundary = policy(boundaryValue, name: "permissions boundary of \(name)", kind: .boundary, at: boundaryValue.location)
        }
        return (policies, boundary)
    }

    /// An IAM user (`users:`): an account, a name and path, identity policies and a boundary; no trust policy (nobody
    /// assumes a user).
    mutating func user(key: String, keyLocation: SourceLocation, value: LocatedValue, accounts: [String: Account]) -> User? {
        guard let members = value.members else {
            error("user '\(key)' must be a mapping with 'account', found \(value.typeDescription)", at: value.location)
            return nil
        }
        checkKeys(members, Self.userKeys, "user '\(key)'")
        let account = accountReference(value, owner: "user '\(key)'", accounts: accounts, at: keyLocation)
        let (name, path) = iamNameAndPath(key: key, keyLocation: keyLocation, value: value, noun: "user", examplePath: "/ci/")
        let (policies, boundary) = identityPolicies(value, name: name)
        guard let account else { return nil }
        return User(
            key: key, accountKey: account.key, name: name, path: path, policies: policies, boundary: boundary,
            arn: "arn:aws:iam::\(account.id):user\(path)\(name)", location: keyLocation)
    }

    /// A Lambda function (`functions:`), an ECS task (`tasks:`) or an EC2 instance (`instances:`): an account, a role
    /// in that account, and what names its session.
    mutating func function(
        key: String, kind: CallerKind.ID = .lambdaFunction, keyLocation: SourceLocation, value: LocatedValue, accounts: [String: Account],
        roles: [String: Role], region: String
    ) -> Function? {
        let entry = CallerKind.of(kind)
        let noun = entry.resource.noun
        guard let members = value.members else {
            error("\(noun) '\(key)' must be a mapping with 'account' and 'role', found \(value.typeDescription)", at: value.location)
            return nil
        }
        checkKeys(members, kind == .ecsTask ? Self.taskKeys : kind == .ec2Instance ? Self.instanceKeys : Self.functionKeys, "\(noun) '\(key)'")
        let account = accountReference(value, owner: "\(noun) '\(key)'", accounts: accounts, at: keyLocation)
        let name = optionalString(value, "name") ?? key
        if !(1...64).contains(name.count) || !name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) {
            error("\(noun) name \"\(name)\" is not a valid \(entry.noun) name (1–64 letters, digits, '-' and '_')", at: value["name"]?.location ?? keyLocation)
        }
        // The session name the service gives the role's session: the function's name, the task's id, the instance's id.
        var sessionName = name
        var cluster = "default"
        switch kind {
        case .ecsTask:
            cluster = optionalString(value, "cluster") ?? "default"
            if !(1...255).contains(cluster.count) || !cluster.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) {
                error("task '\(key)': cluster name \"\(cluster)\" is not a valid ECS cluster name (1–255 letters, digits, '-' and '_')", at: value["cluster"]?.location ?? keyLocation)
            }
            sessionName = optionalString(value, "taskId") ?? Self.placeholderID(key, digits: 32)
            if sessionName.count != 32 || !sessionName.allSatisfy(\.isHexDigit) || sessionName != sessionName.lowercased() {
                error("task '\(key)': taskId \"\(sessionName)\" is not an ECS task id (32 lower-case hexadecimal digits)", at: value["taskId"]?.location ?? keyLocation)
            }
        case .ec2Instance:
            sessionName = optionalString(value, "instanceId") ?? "i-" + Self.placeholderID(key, digits: 17)
            let digits = sessionName.dropFirst(2)
            if !sessionName.hasPrefix("i-") || ![8, 17].contains(digits.count) || !digits.allSatisfy(\.isHexDigit) || digits != digits.lowercased() {
                error("instance '\(key)': instanceId \"\(sessionName)\" is not an EC2 instance id ('i-' and 8 or 17 lower-case hexadecimal digits)", at: value["instanceId"]?.location ?? keyLocation)
            }
        case .lambdaFunction, .roleSession, .servicePrincipal, .iamUser:
            break
        }
        var role: Role?
        if let roleValue = value["role"] {
            if let roleKey = roleValue.string {
                role = roles[roleKey]
                if role == nil && declared.roles.contains(roleKey) {
                    // The role itself failed to load; its errors are reported there.
                } else if role == nil {
                    error("\(noun) '\(key)': unknown role '\(roleKey)'\(Spelling.didYouMean(roleKey, among: roles.keys.sorted()))", at: roleValue.location)
                } else if let account, role!.accountKey != account.key {
                    error("\(noun) '\(key)': its \(entry.roleNoun) '\(roleKey)' lives in account '\(role!.accountKey)', but \(Self.article(entry.noun)) \(entry.noun)'s \(entry.roleNoun) must be in its own account ('\(account.key)'); to reach another account, assume a role there from code", at: roleValue.location)
                    role = nil
                }
            } else {
                error("\(noun) '\(key)': 'role' must be a role key, found \(roleValue.typeDescription)", at: roleValue.location)
            }
        } else {
            error("\(noun) '\(key)' needs a 'role': its \(entry.roleNoun), in the same account", at: keyLocation)
        }
        var policy: NamedPolicy?
        if kind == .lambdaFunction, let policyValue = value["policy"] {
            policy = self.policy(policyValue, name: "resource-based policy of \(name)", kind: .resource, at: policyValue.location)
        }
        guard let account, let role else { return nil }
        let arn: ARN =
            switch kind {
            case .ecsTask: ARN.ecsTask(region: region, account: account.id, cluster: cluster, id: sessionName)
            case .ec2Instance: ARN.ec2Instance(region: region, account: account.id, id: sessionName)
            case .lambdaFunction, .roleSession, .servicePrincipal, .iamUser: ARN.lambdaFunction(region: region, account: account.id, name: name)
            }
        return Function(
            key: key, kind: kind, accountKey: account.key, name: name, roleKey: role.key, arn: arn.description, sessionName: sessionName,
            sessionARN: role.sessionARN(accountID: account.id, session: sessionName), policy: policy, location: keyLocation
        )
    }

    /// A resource of `resources:`: its `kind:` says what it is (the entries of `ResourceKind`), which names are valid,
    /// how its ARN is formed and which policy it carries.
    mutating func resource(key: String, keyLocation: SourceLocation, value: LocatedValue, accounts: [String: Account], region: String) -> Resource? {
        guard let members = value.members else {
            error("resource '\(key)' must be a mapping with 'kind' and 'account', found \(value.typeDescription)", at: value.location)
            return nil
        }
        checkKeys(members, Self.resourceKeys, "resource '\(key)'")
        let kinds = ResourceKind.declarable
        guard let kindValue = value["kind"] else {
            error("resource '\(key)' needs a 'kind': one of \(kinds.joined(separator: ", "))", at: keyLocation)
            return nil
        }
        guard let kindName = kindValue.string, let kind = ResourceKind.declared(kindName) else {
            let text = kindValue.scalarText ?? kindValue.typeDescription
            error("resource '\(key)': unknown kind '\(text)'\(Spelling.didYouMean(text, among: kinds)); kinds: \(kinds.joined(separator: ", "))", at: kindValue.location)
            return nil
        }
        let noun = kind.noun
        let account = accountReference(value, owner: "\(noun) '\(key)'", accounts: accounts, at: keyLocation)
        let name = optionalString(value, "name") ?? key
        if let rule = kind.nameRule, !rule.isValid(name) {
            error("\(noun) name \"\(name)\" is not valid: \(kind.serviceName) allows \(rule.description)", at: value["name"]?.location ?? keyLocation)
        }
        var alias: String?
        if let aliasValue = value["alias"] {
            alias = optionalString(value, "alias")
            if kind.id != .kmsKey {
                error("\(noun) '\(key)': 'alias' is only meaningful for a kms-key", at: aliasValue.location)
            } else if let text = alias, !(text.hasPrefix("alias/") && (7...256).contains(text.count)
                && !text.hasPrefix("alias/aws/") && text.dropFirst(6).allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "/_-".contains($0)) })) {
                error("key '\(key)': alias \"\(text)\" must be 'alias/' and 1–250 letters, digits and /_- (not under alias/aws/, which AWS keeps)", at: aliasValue.location)
            }
        }
        // A secret's ARN ends in '-' and six characters Secrets Manager picks; a stable stand-in unless given.
        var suffix = ""
        if kind.id == .secret {
            suffix = optionalString(value, "suffix") ?? String(Self.placeholderID(key, digits: 6))
            if suffix.count != 6 || !suffix.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) {
                error("secret '\(key)': suffix \"\(suffix)\" must be the six letters and digits Secrets Manager appends to the secret's ARN", at: value["suffix"]?.location ?? keyLocation)
            }
        } else if let suffixValue = value["suffix"] {
            error("\(noun) '\(key)': 'suffix' is only meaningful for a secret", at: suffixValue.location)
        }
        var encryptionKey: String?
        if let keyValue = value["key"] {
            if kind.keyUse.isEmpty {
                error("\(noun) '\(key)': 'key' names the KMS key that encrypts a resource; \(ResourceKind.article(noun)) \(noun) takes none", at: keyValue.location)
            } else if let text = keyValue.string {
                encryptionKey = text  // checked once every resource is read
            } else {
                error("\(noun) '\(key)': 'key' must be the key of a kms-key resource, found \(keyValue.typeDescription)", at: keyValue.location)
            }
        }
        var policy: NamedPolicy?
        if let policyValue = value["policy"] {
            policy = self.policy(policyValue, name: "\(kind.policyNoun ?? "policy") of \(name)", kind: .resource, at: policyValue.location)
        }
        guard let account else { return nil }
        let arn = kind.arn(region: region, account: account.id, name: kind.id == .secret ? name + "-" + suffix : name)
        return Resource(
            key: key, kind: kind.id, accountKey: account.key, name: name, policy: policy, encryptionKey: encryptionKey, alias: alias, arn: arn,
            location: keyLocation)
    }

    /// Checks what relates resources to each other and to the rest: keys used once across every collection, names
    /// unique per kind, and each `key:` naming a KMS key — in the resource's region, as SSE-KMS requires. Returns the
    /// resources that pass.
    mutating func checkResources(_ resources: [Resource], functions: [Function], roles: [String: Role], tables: [Table], users: [User]) -> [Resource] {
        let others = Set(functions.map(\.key)).union(roles.keys).union(tables.map(\.key)).union(users.map(\.key))
        var seen: Set<String> = []
        let unique = resources.filter { resource in
            guard others.contains(resource.key) else {
                seen.insert(resource.key)
                return true
            }
            error("'\(resource.key)' is both a resource and a function, role, user or table key: steps could not tell them apart; rename one key", at: resource.location)
            return false
        }
        for kind in ResourceKind.all where kind.modelName != nil {
            // Bucket names are global; the rest are unique within an account.
            let entries = unique.filter { $0.kind == kind.id }
            if kind.id == .s3Bucket {
                checkUniqueNames(entries.map { ("", $0.name, $0.location) }, what: "bucket")
            } else {
                checkUniqueNames(entries.map { ($0.accountKey, $0.name, $0.location) }, what: kind.noun)
            }
        }
        let byKey = Dictionary(unique.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        return unique.filter { resource in
            guard let keyKey = resource.encryptionKey else { return true }
            guard let key = byKey[keyKey] else {
                if !declared.resources.contains(keyKey) {
                    let keys = unique.filter { $0.kind == .kmsKey }.map(\.key)
                    error("\(resource.resourceKind.noun) '\(resource.key)': unknown KMS key '\(keyKey)'\(Spelling.didYouMean(keyKey, among: keys)); declare it under resources with kind: kms-key", at: resource.location)
                }
                return false
            }
            guard key.kind == .kmsKey else {
                error("\(resource.resourceKind.noun) '\(resource.key)': 'key' must name a kms-key resource; '\(keyKey)' is \(ResourceKind.article(key.resourceKind.noun)) \(key.resourceKind.noun)", at: resource.location)
                return false
            }
            return true
        }
    }

    /// "a" or "an" before a noun ("an ECS task", "a Lambda function").
    static func article(_ noun: String) -> String { "AEIOU".contains(noun.first ?? "x") ? "an" : "a" }

    /// A stable stand-in for an id AWS assigns at run time (a task id, an instance id), derived from the model key:
    /// the same model gives the same ARNs in every output. Give the real id in the model to match CloudTrail.
    static func placeholderID(_ key: String, digits: Int) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        var text = ""
        var round: UInt8 = 0
        while text.count < digits {
            for byte in Array(key.utf8) + [round] {
                hash ^= UInt64(byte)
                hash = hash &* 0x0000_0100_0000_01b3
            }
            let hex = String(hash, radix: 16)
            text += String(repeating: "0", count: 16 - hex.count) + hex
            round &+= 1
        }
        return String(text.prefix(digits))
    }

    mutating func table(key: String, keyLocation: SourceLocation, value: LocatedValue, accounts: [String: Account], region: String) -> Table? {
        guard let members = value.members else {
            error("table '\(key)' must be a mapping with 'account', found \(value.typeDescription)", at: value.location)
            return nil
        }
        checkKeys(members, Self.tableKeys, "table '\(key)'")
        let account = accountReference(value, owner: "table '\(key)'", accounts: accounts, at: keyLocation)
        let name = optionalString(value, "name") ?? key
        if !Self.isTableName(name) {
            error("table name \"\(name)\" is not a valid DynamoDB table name (3–255 letters, digits, '_', '-' and '.')", at: value["name"]?.location ?? keyLocation)
        }
        let partitionKey = optionalString(value, "partitionKey") ?? "pk"
        let sortKey = optionalString(value, "sortKey")
        for (field, attribute) in [("partitionKey", partitionKey), ("sortKey", sortKey ?? "x")] where attribute.isEmpty || attribute.utf8.count > 255 {
            error("table '\(key)': '\(field)' must be 1–255 bytes", at: value[field]?.location ?? keyLocation)
        }
        if let sortKey, sortKey == partitionKey {
            error("table '\(key)': the sort key cannot be the partition key '\(partitionKey)'", at: value["sortKey"]?.location ?? keyLocation)
        }
        var indexes: [String] = []
        var indexKeys: [TableIndex] = []
        if let indexValue = value["indexes"] {
            if let elements = indexValue.elements {
                for element in elements {
                    // An index is a name, or { name, partitionKey, sortKey } declaring its key attributes.
                    var declared: (partitionKey: String, sortKey: String?, projection: IndexProjection)?
                    let index: String
                    if let text = element.string {
                        index = text
                    } else if element.members != nil {
                        let indexFields = ["name", "partitionKey", "sortKey", "projection"]
                        for member in element.members ?? [] where !indexFields.contains(member.key) {
                            error("unknown key '\(member.key)' in an index of table '\(key)'\(Spelling.didYouMean(member.key, among: indexFields))", at: member.keyLocation)
                        }
                        guard let name = element["name"]?.string else {
                            error("table '\(key)': an index written as a mapping needs 'name'", at: element.location)
                            continue
                        }
                        index = name
                        guard let partition = element["partitionKey"]?.string, !partition.isEmpty, partition.utf8.count <= 255 else {
                            error("table '\(key)': index '\(name)' needs 'partitionKey', the attribute it is keyed by (1–255 bytes)", at: element.location)
                            continue
                        }
                        let sort = element["sortKey"]?.string
                        if let sort, sort.isEmpty || sort.utf8.count > 255 || sort == partition {
                            error("table '\(key)': index '\(name)' has an invalid 'sortKey' (1–255 bytes, not the partition key)", at: element["sortKey"]?.location ?? element.location)
                            continue
                        }
                        var projection = IndexProjection.all
                        if let projectionValue = element["projection"] {
                            if let text = projectionValue.string, text == "ALL" || text == "KEYS_ONLY" {
                                projection = text == "ALL" ? .all : .keysOnly
                            } else if let list = projectionValue.elements, !list.isEmpty, list.allSatisfy({ !($0.string ?? "").isEmpty }) {
                                projection = .include(list.compactMap(\.string))
                            } else {
                                error("table '\(key)': index '\(name)': 'projection' must be ALL, KEYS_ONLY or a list of the attributes it includes", at: projectionValue.location)
                            }
                        }
                        declared = (partition, sort, projection)
                    } else {
                        error("table '\(key)': each index must be a name or { name, partitionKey, sortKey }, found \(element.typeDescription)", at: element.location)
                        continue
                    }
                    if !Self.isTableName(index) {
                        error("index name \"\(index)\" is not a valid DynamoDB index name (3–255 letters, digits, '_', '-' and '.')", at: element.location)
                    } else if indexes.contains(index) {
                        error("table '\(key)': index '\(index)' is listed twice", at: element.location)
                    } else {
                        indexes.append(index)
                        if let declared {
                            indexKeys.append(TableIndex(name: index, partitionKey: declared.partitionKey, sortKey: declared.sortKey, projection: declared.projection))
                        }
                    }
                }
            } else {
                error("table '\(key)': 'indexes' must be a list of index names, found \(indexValue.typeDescription)", at: indexValue.location)
            }
        }
        var attributeTypes: [String: String] = [:]
        if let typesValue = value["attributeTypes"] {
            if let typeMembers = typesValue.members {
                let keyAttributes = Set([partitionKey] + (sortKey.map { [$0] } ?? []) + indexKeys.flatMap { [$0.partitionKey] + ($0.sortKey.map { [$0] } ?? []) })
                for member in typeMembers {
                    guard let type = member.value.string, ["S", "N", "B"].contains(type) else {
                        error("table '\(key)': the type of '\(member.key)' must be S, N or B", at: member.value.location)
                        continue
                    }
                    if !keyAttributes.contains(member.key) {
                        error("table '\(key)': '\(member.key)' in 'attributeTypes' is not a key attribute of the table or of a declared index\(Spelling.didYouMean(member.key, among: keyAttributes.sorted()))", at: member.keyLocation)
                        continue
                    }
                    attributeTypes[member.key] = type
                }
            } else {
                error("table '\(key)': 'attributeTypes' must map key attributes to S, N or B, found \(typesValue.typeDescription)", at: typesValue.location)
            }
        }
        var policy: NamedPolicy?
        if let policyValue = value["policy"] {
            policy = self.policy(policyValue, name: "table policy of \(name)", kind: .resource, at: policyValue.location)
        }
        guard let account else { return nil }
        return Table(
            key: key, accountKey: account.key, name: name, partitionKey: partitionKey, sortKey: sortKey, indexes: indexes, indexKeys: indexKeys, attributeTypes: attributeTypes, policy: policy,
            arn: ARN.dynamoDBTable(region: region, account: account.id, name: name).description, location: keyLocation
        )
    }

    // MARK: - Options and steps

    /// What steps refer to, by key.
    struct Lookup {
        var functions: [Function]
        var functionsByKey: [String: Function]
        var roles: [String: Role]
        var tables: [Table]
        var tablesByKey: [String: Table]
        var resources: [Resource] = []
        var resourcesByKey: [String: Resource] = [:]
        var usersByKey: [String: User] = [:]

        /// What a step may act on by key: a resource, or a function (invoked).
        func invocable(_ key: String) -> Resource? {
            if let resource = resourcesByKey[key] { return resource }
            return functionsByKey[key].flatMap { $0.kind == .lambdaFunction ? $0.asResource : nil }
        }
    }

    mutating func option(_ value: LocatedValue, lookup: Lookup) -> AccessOption? {
        guard let members = value.members else {
            error("an option must be a mapping with 'id', 'title' and 'steps', found \(value.typeDescription)", at: value.location)
            return nil
        }
        checkKeys(members, Self.optionKeys, "an option")
        let id = requiredString(value, "id", in: "an option") ?? ""
        if !id.isEmpty && !Self.isSlug(id) {
            error("option id \"\(id)\" must be a slug: lower-case letters, digits and '-', starting with a letter (it names files and URLs)", at: value["id"]!.location)
        }
        let title = requiredString(value, "title", in: "option '\(id)'") ?? id
        let policyLives = optionalString(value, "policyLives") ?? ""
        let bestFor = optionalString(value, "bestFor") ?? ""
        let summary = optionalString(value, "summary")
        var steps: [Step] = []
        var assumed: Set<String> = []
        if let stepsValue = value["steps"] {
            if let elements = stepsValue.elements {
                if elements.isEmpty { error("option '\(id)' has no steps", at: stepsValue.location) }
                for element in elements where !stopped {
                    if let step = step(element, option: id, lookup: lookup, assumed: assumed) {
                        steps.append(step)
                    }
                    // Later steps may call as the assumed role even if this step had errors of its own.
                    if element["action"]?.string?.lowercased() == "sts:assumerole", let roleKey = element["target"]?.string {
                        assumed.insert(roleKey)
                    }
                }
            } else {
                error("option '\(id)': 'steps' must be a list, found \(stepsValue.typeDescription)", at: stepsValue.location)
            }
        } else {
            error("option '\(id)' needs 'steps': the call flow, in order", at: value.location)
        }
        return AccessOption(id: id, title: title, policyLives: policyLives, bestFor: bestFor, summary: summary, steps: steps, location: value.location)
    }

    mutating func step(_ value: LocatedValue, option: String, lookup: Lookup, assumed: Set<String>) -> Step? {
        let functions = lookup.functions, roles = lookup.roles, tables = lookup.tables
        guard let members = value.members else {
            error("a step must be a mapping with 'caller', 'action' and 'target', found \(value.typeDescription)", at: value.location)
            return nil
        }
        checkKeys(members, Self.stepKeys, "a step")
        let before = diagnostics.count
        var unresolved = false
        let where_ = "option '\(option)'"

        var caller: Step.Caller?
        if let callerValue = value["caller"], let key = callerValue.string {
            if lookup.functionsByKey[key] != nil {
                caller = .function(key)
            } else if lookup.usersByKey[key] != nil {
                caller = .user(key)
            } else if let resource = lookup.resourcesByKey[key] {
                if let principal = resource.resourceKind.servicePrincipal {
                    caller = .service(key)
                    _ = principal
                } else {
                    let kinds = ResourceKind.all.filter { $0.servicePrincipal != nil }.compactMap(\.modelName)
                    error("\(where_): caller '\(key)' is \(ResourceKind.article(resource.resourceKind.noun)) \(resource.resourceKind.noun), which makes no calls of its own; a resource calls only as its service (\(kinds.joined(separator: ", ")))", at: callerValue.location)
                }
            } else if declared.functions.contains(key) || declared.resources.contains(key) || declared.users.contains(key) || (declared.roles.contains(key) && roles[key] == nil) {
                unresolved = true  // the caller failed to load; its own errors say why
            } else if roles[key] != nil {
                if assumed.contains(key) {
                    caller = .role(key)
                } else {
                    error("\(where_): caller '\(key)' is a role that no earlier sts:AssumeRole step of this option assumed; add that step first, or call as a function", at: callerValue.location)
                }
            } else {
                let candidates = functions.map(\.key) + roles.keys.sorted() + lookup.usersByKey.keys.sorted()
                error("\(where_): unknown caller '\(key)'\(Spelling.didYouMean(key, among: candidates)); a caller is a function, task or instance key, a role assumed earlier, or a resource whose service delivers (an SNS topic, an S3 bucket, an event bus)", at: callerValue.location)
            }
        } else {
            _ = requiredString(value, "caller", in: "a step of \(where_)")
        }

        let action = requiredString(value, "action", in: "a step of \(where_)") ?? ""
        let actionLocation = value["action"]?.location ?? value.location
        let parts = action.split(separator: ":", maxSplits: 1)
        var service = ""
        if !action.isEmpty {
            if parts.count != 2 || parts[1].contains("*") || parts[1].contains("?") {
                error("\(where_): action \"\(action)\" must name one API call as 'service:Action', e.g. 'dynamodb:GetItem'", at: actionLocation)
            } else {
                service = parts[0].lowercased()
                let name = String(parts[1])
                // Steps act on the model's roles, tables and resources; the actions are AWS's, from its catalog.
                let modelled = ["sts", "dynamodb"] + ResourceKind.all.filter { $0.modelName != nil }.map(\.service)
                if !modelled.contains(service) {
                    let services = modelled.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
                    error("\(where_): service '\(parts[0])' is not modelled: steps call \(services.map { "'\($0)'" }.joined(separator: ", "))", at: actionLocation)
                } else if ServiceCatalog.isAvailable, ServiceCatalog.service(service)?.action(named: name) == nil {
                    let suggestion = ServiceCatalog.suggestion(forAction: name, service: service).map { "; did you mean '\($0)'?" } ?? ""
                    error("\(where_): unknown \(service) action '\(name)'\(suggestion)", at: actionLocation)
                }
            }
        }

        var target: Step.Target?
        if let targetValue = value["target"], let key = targetValue.string {
            let isRole = roles[key] != nil, isTable = lookup.tablesByKey[key] != nil
            let resource = lookup.invocable(key)
            let failedToLoad = (declared.roles.contains(key) && !isRole) || (declared.tables.contains(key) && !isTable)
                || (declared.resources.contains(key) && resource == nil)
            switch service {
            case _ where failedToLoad:
                unresolved = true  // the target failed to load; its own errors say why
            case _ where !["sts", "dynamodb"].contains(service) && !service.isEmpty:
                // A resource of the action's service: its kind decides (an S3 action on a bucket, a KMS one on a key).
                let kinds = ResourceKind.all.filter { $0.service == service && $0.modelName != nil }
                if let resource, resource.resourceKind.service == service {
                    target = .resource(key)
                } else {
                    let candidates = lookup.resources.filter { $0.resourceKind.service == service }.map(\.key)
                        + (service == "lambda" ? lookup.functions.filter { $0.kind == .lambdaFunction }.map(\.key) : [])
                    let nouns = kinds.map { ResourceKind.article($0.noun) + " " + $0.noun }.joined(separator: " or ")
                    error("\(where_): the target of \(action) must be \(nouns) of the model, found '\(key)'\(Spelling.didYouMean(key, among: candidates))", at: targetValue.location)
                }
            case "sts":
                if isRole { target = .role(key) } else {
                    error("\(where_): the target of \(action) must be a role key, found '\(key)'\(Spelling.didYouMean(key, among: roles.keys.sorted()))", at: targetValue.location)
                }
            case "dynamodb":
                if isTable { target = .table(key) } else {
                    error("\(where_): the target of \(action) must be a table key, found '\(key)'\(Spelling.didYouMean(key, among: tables.map(\.key)))", at: targetValue.location)
                }
            default:
                if isRole { target = .role(key) } else if isTable { target = .table(key) } else if !service.isEmpty {
                    error("\(where_): unknown target '\(key)'", at: targetValue.location)
                }
            }
        } else {
            _ = requiredString(value, "target", in: "a step of \(where_)")
        }

        let index = optionalString(value, "index")
        if let index, let indexValue = value["index"] {
            let actionName = parts.count == 2 ? parts[1].lowercased() : ""
            if actionName != "query" && actionName != "scan" {
                error("\(where_): 'index' is only meaningful for dynamodb:Query and dynamodb:Scan", at: indexValue.location)
            } else if case .table(let tableKey) = target, let table = lookup.tablesByKey[tableKey], !table.indexes.contains(index) {
                error("\(where_): table '\(tableKey)' has no index '\(index)'\(Spelling.didYouMean(index, among: table.indexes)); list it under the table's 'indexes'", at: indexValue.location)
            }
        }
        let object = optionalString(value, "object")
        let objectValue = value["object"]
        if case .resource(let key) = target, let bucket = lookup.invocable(key), bucket.kind == .s3Bucket, parts.count == 2 {
            // Object operations act on `bucket/key`, bucket operations on the bucket (the catalog's resource types).
            let onObject = ServiceCatalog.service("s3")?.action(named: String(parts[1]))?.resourceTypes.contains { $0.name == "object" } ?? false
            if onObject && object == nil {
                error("\(where_): \(action) acts on an object: name it, e.g. 'object: reports/2026.csv' (a pattern such as 'reports/*' stands for any object under it)", at: value["target"]?.location ?? value.location)
            } else if !onObject, let objectValue {
                error("\(where_): \(action) acts on the bucket, not an object: remove 'object'", at: objectValue.location)
            } else if let object, object.isEmpty || object.utf8.count > 1024 {
                error("\(where_): an S3 object key is 1–1,024 bytes", at: objectValue?.location ?? value.location)
            }
        } else if let objectValue {
            error("\(where_): 'object' is only meaningful for an S3 object operation on a bucket", at: objectValue.location)
        }
        let session = optionalString(value, "session")
        if let session, let sessionValue = value["session"] {
            if service != "sts" {
                error("\(where_): 'session' is only meaningful for sts:AssumeRole", at: sessionValue.location)
            } else if !Self.isSessionName(session) {
                error("\(where_): RoleSessionName \"\(session)\" must be 2–64 characters of letters, digits and +=,.@_-", at: sessionValue.location)
            }
        }
        let externalId = optionalString(value, "externalId")
        if let externalId, let externalValue = value["externalId"] {
            if service != "sts" {
                error("\(where_): 'externalId' is only meaningful for sts:AssumeRole", at: externalValue.location)
            } else if !(2...1224).contains(externalId.count) || !externalId.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+=,.@:/_-".contains($0)) }) {
                error("\(where_): ExternalId must be 2–1224 characters of letters, digits and +=,.@:/_-", at: externalValue.location)
            }
        }
        var expect = Expectation.allowed
        if let expectValue = value["expect"] {
            if let text = expectValue.string, let parsed = Expectation(rawValue: text) {
                expect = parsed
            } else {
                let text = expectValue.scalarText ?? ""
                error("\(where_): 'expect' must be allowed, implicitDeny or explicitDeny, found \"\(text)\"\(Spelling.didYouMean(text, among: Expectation.allCases.map(\.rawValue)))", at: expectValue.location)
            }
        }
        var context: [String: [String]] = [:]
        for member in contextKeys(value, where: where_) {
            if let text = member.value.scalarText {
                context[member.key] = [text]
            } else if let elements = member.value.elements, elements.allSatisfy({ $0.scalarText != nil }) {
                context[member.key] = elements.compactMap(\.scalarText)
            } else {
                error("\(where_): context value of '\(member.key)' must be a scalar or a list of scalars", at: member.value.location)
            }
        }

        guard !unresolved, diagnostics[before...].allSatisfy({ $0.severity != .error }), let caller, let target else { return nil }
        return Step(
            caller: caller, action: action, target: target, index: index, object: object, session: session, externalId: externalId,
            expect: expect, context: context, location: value.location
        )
    }

    // MARK: - Policies

    /// An inline policy document, or a string naming a `.json` file relative to the content folder.
    mutating func policy(_ value: LocatedValue, name: String, kind: PolicyKind, at location: SourceLocation) -> NamedPolicy? {
        if let path = value.string {
            guard let resolved = resolvePolicyPath(path, at: value.location) else { return nil }
            guard !budgetSpent else { return nil }
            // Never more than the policy limit, nor more than the content has left.
            let left = limits.totalBytes - bytesRead
            let bytes: [UInt8]
            switch readFile(resolved, min(limits.policyDocumentBytes, left)) {
            case .success(let read):
                bytes = read
            case .failure(.unreadable):
                error("cannot read policy file '\(path)' (looked for \(resolved))", at: value.location)
                return nil
            case .failure(.tooLarge) where left < limits.policyDocumentBytes:
                error(
                    "the content is larger than \(ContentLimits.size(limits.totalBytes)) in all (model.yml and every policy file, each time it is named), the limit for one model (see README, 'Limits'); '\(path)' was not read",
                    at: value.location)
                budgetSpent = true
                return nil
            case .failure(.tooLarge):
                error(
                    "policy file '\(path)' is larger than \(ContentLimits.size(limits.policyDocumentBytes)), the limit for one policy document (see README, 'Limits'; AWS accepts at most 20 KB); nothing was read past it",
                    at: value.location)
                return nil
            }
            bytesRead += bytes.count
            let text: String
            switch UTF8Text.decode(bytes) {
            case .success(let decoded):
                text = decoded
            case .failure(let invalid):
                // Reported at the file itself: the model names it correctly, its contents are what is wrong.
                error("policy file '\(path)' is not UTF-8 text: its first invalid byte is \(invalid.description); save it as UTF-8", at: SourceLocation(file: resolved, line: 1, column: 1))
                return nil
            }
            let reading = JSONReader.read(text, file: resolved, limits: limits.reading(values: max(0, limits.values - valuesRead)))
            valuesRead += reading.valueCount
            if valuesRead > limits.values { budgetSpent = true }
            guard let tree = reading.value else {
                add(reading.diagnostics)
                return nil
            }
            let (document, policyDiagnostics) = PolicyParser.parse(tree, kind: kind)
            add(reading.diagnostics + policyDiagnostics)
            guard let document, !reading.diagnostics.contains(where: { $0.severity == .error }) else { return nil }
            return NamedPolicy(name: name, document: document, origin: .file(path), location: value.location)
        }
        // Written inline: its JSON without whitespace is what the policy limit counts.
        let size = value.jsonText.utf8.count
        if size > limits.policyDocumentBytes {
            error(
                "this policy is \(ContentLimits.grouped(size)) bytes as JSON, larger than \(ContentLimits.size(limits.policyDocumentBytes)), the limit for one policy document (see README, 'Limits'; AWS accepts at most 20 KB)",
                at: value.location)
            return nil
        }
        let (document, policyDiagnostics) = PolicyParser.parse(value, kind: kind)
        add(policyDiagnostics)
        guard let document else { return nil }
        return NamedPolicy(name: name, document: document, origin: .inline, location: location)
    }

    /// Resolves a policy path inside the content folder; absolute paths and paths that climb out are refused.
    mutating func resolvePolicyPath(_ path: String, at location: SourceLocation) -> String? {
        if path.isEmpty {
            error("empty policy path", at: location)
            return nil
        }
        if path.hasPrefix("/") || path.hasPrefix("~") {
            error("policy path '\(path)' must be relative to the content folder", at: location)
            return nil
        }
        var depth = 0
        for component in path.split(separator: "/") {
            if component == ".." { depth -= 1 } else if component != "." { depth += 1 }
            if depth < 0 {
                error("policy path '\(path)' leaves the content folder; keep policy files inside it", at: location)
                return nil
            }
        }
        if !path.lowercased().hasSuffix(".json") {
            error("policy path '\(path)' must name a .json file (or write the policy inline)", at: location)
            return nil
        }
        let joined = (contentDirectory as NSString).appendingPathComponent(path)
        // A symbolic link may still point outside: compare real paths.
        let root = (contentDirectory as NSString).resolvingSymlinksInPath
        let real = (joined as NSString).resolvingSymlinksInPath
        if FileManager.default.fileExists(atPath: joined), !(real == root || real.hasPrefix(root.hasSuffix("/") ? root : root + "/")) {
            error("policy path '\(path)' resolves outside the content folder (through a symbolic link)", at: location)
            return nil
        }
        return joined
    }

    // MARK: - Small readers

    mutating func checkKeys(_ members: [LocatedValue.Member], _ allowed: [String], _ what: String) {
        for member in members where !allowed.contains(member.key) {
            error("unknown key '\(member.key)' in \(what)\(Spelling.didYouMean(member.key, among: allowed))", at: member.keyLocation)
        }
    }

    mutating func requiredString(_ value: LocatedValue, _ key: String, in what: String) -> String? {
        guard let raw = value[key] else {
            error("\(what) needs '\(key)'", at: value.location)
            return nil
        }
        guard let text = raw.string ?? raw.scalarText, raw.elements == nil else {
            error("'\(key)' must be text, found \(raw.typeDescription)", at: raw.location)
            return nil
        }
        return text
    }

    mutating func optionalString(_ value: LocatedValue, _ key: String) -> String? {
        guard let raw = value[key] else { return nil }
        if case .null = raw.kind { return nil }
        guard let text = raw.scalarText else {
            error("'\(key)' must be text, found \(raw.typeDescription)", at: raw.location)
            return nil
        }
        return text
    }

    mutating func optionalBool(_ value: LocatedValue, _ key: String) -> Bool? {
        guard let raw = value[key] else { return nil }
        if case .bool(let flag) = raw.kind { return flag }
        error("'\(key)' must be true or false, found \(raw.typeDescription)", at: raw.location)
        return nil
    }

    mutating func mapping(_ value: LocatedValue, _ key: String, required: Bool) -> [LocatedValue.Member] {
        guard let raw = value[key] else {
            if required { error("the model needs '\(key)'", at: value.location) }
            return []
        }
        if case .null = raw.kind { return [] }
        guard let members = raw.members else {
            error("'\(key)' must be a mapping of keys to entries, found \(raw.typeDescription)", at: raw.location)
            return []
        }
        for member in members where !Self.isKey(member.key) {
            error("key '\(member.key)' under '\(key)' must be letters, digits, '_' or '-' (keys name things in the model)", at: member.keyLocation)
        }
        return members.filter { Self.isKey($0.key) }
    }

    /// A step's `context:`: condition keys as IAM writes them (`aws:SourceVpce`, `aws:PrincipalTag/team`), not model keys.
    mutating func contextKeys(_ value: LocatedValue, where place: String) -> [LocatedValue.Member] {
        guard let raw = value["context"] else { return [] }
        if case .null = raw.kind { return [] }
        guard let members = raw.members else {
            error("\(place): 'context' must be a mapping of condition keys to values, found \(raw.typeDescription)", at: raw.location)
            return []
        }
        func isConditionKey(_ key: String) -> Bool {
            guard let colon = key.firstIndex(of: ":"), colon != key.startIndex, key.index(after: colon) != key.endIndex else { return false }
            return key.unicodeScalars.allSatisfy { $0.isASCII && $0.value > 32 && $0.value < 127 }
        }
        for member in members where !isConditionKey(member.key) {
            error("\(place): context key '\(member.key)' must be a condition key such as aws:SourceIp or aws:PrincipalTag/team", at: member.keyLocation)
        }
        return members.filter { isConditionKey($0.key) }
    }

    mutating func accountReference(_ value: LocatedValue, owner: String, accounts: [String: Account], at location: SourceLocation) -> Account? {
        guard let raw = value["account"] else {
            error("\(owner) needs 'account': the key of the account it lives in", at: location)
            return nil
        }
        guard let key = raw.scalarText else {
            error("\(owner): 'account' must be an account key, found \(raw.typeDescription)", at: raw.location)
            return nil
        }
        guard let account = accounts[key] else {
            error("\(owner): unknown account '\(key)'\(Spelling.didYouMean(key, among: accounts.keys.sorted()))", at: raw.location)
            return nil
        }
        return account
    }

    mutating func checkUniqueNames(_ entries: [(account: String, name: String, location: SourceLocation)], what: String) {
        var seen: [String: SourceLocation] = [:]
        for entry in entries {
            let key = entry.account + "\u{0}" + entry.name
            if let first = seen[key], entry.account.isEmpty {
                error("two \(what)s named '\(entry.name)' (first at line \(first.line)): \(what) names are global, across every account", at: entry.location)
            } else if let first = seen[key] {
                error("two \(what)s named '\(entry.name)' in account '\(entry.account)' (first at line \(first.line)): names are unique per account", at: entry.location)
            } else {
                seen[key] = entry.location
            }
        }
    }

    // MARK: - Name rules (AWS's)

    static func isKey(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 128 && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
    }
    static func isIAMName(_ text: String) -> Bool {
        (1...64).contains(text.count) && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "+=,.@_-".contains($0)) }
    }
    static func isSessionName(_ text: String) -> Bool { (2...64).contains(text.count) && isIAMName(text) }
    static func isTableName(_ text: String) -> Bool {
        (3...255).contains(text.count) && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_.-".contains($0)) }
    }
    static func isSlug(_ text: String) -> Bool {
        guard let first = text.first, first.isASCII, first.isLowercase else { return false }
        return text.count <= 64 && text.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") } && !text.hasSuffix("-")
    }
    static func isRegion(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        return parts.count >= 3 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber) } }
            && parts.last!.allSatisfy(\.isNumber)
    }
    static func isOrganizationID(_ text: String) -> Bool {
        text.hasPrefix("o-") && (12...34).contains(text.count) && text.dropFirst(2).allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber) }
    }
}
