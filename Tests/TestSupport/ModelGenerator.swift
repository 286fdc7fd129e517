public import Model
import Source
import Policy
import Resolution

/// Random valid models for property tests, built directly as Swift values: 1–4 accounts (some in an organization,
/// some with SCPs), execution roles and other roles with random trust, identity and boundary policies, tables with
/// indexes and optional resource-based policies, and options whose steps chain `sts:AssumeRole` hops from several
/// functions. Policies are drawn from a statement grammar with wildcards, `Not…` elements, policy variables and
/// conditions on the keys the resolution derives or a step's context carries; about two thirds of the steps get a
/// planted grant on each side, so allowed and denied steps are both common.
///
/// Every name follows the loader's rules, so `yaml(_:)` of a generated model loads back to the same decisions.
/// Model `index` of run `seed` has its own random stream: a failure names the pair, and that model alone regenerates.
public enum ModelGenerator {
    /// The run `make test` checks ("trustflw" in ASCII); `make fuzz` takes any other.
    public static let testSeed: UInt64 = 0x7472_7573_7466_6C77

    public static func model(seed: UInt64, index: Int) -> Model {
        var builder = ModelBuilder(random: SeededRandom(seed: seed, stream: UInt64(index)))
        return builder.build()
    }
}

/// A statement before it becomes JSON.
struct DraftStatement {
    enum Principal {
        case everyone
        case aws([String])
        case service(String)
    }

    var effect = "Allow"
    var principal: Principal?
    var notPrincipal = false
    var actions: [String]
    var notAction = false
    /// `nil` in trust policies.
    var resources: [String]?
    var notResource = false
    var conditions: [(op: String, key: String, values: [String])] = []
}

struct ModelBuilder {
    struct AccountDraft {
        var key: String
        var id: String
        var name: String
        var organization: String?
        var scps: [(name: String, statements: [DraftStatement])] = []
        var location: SourceLocation
    }

    struct RoleDraft {
        var key: String
        var accountKey: String
        var name: String
        var path: String
        var arn: String
        var isExecution: Bool
        var trust: [DraftStatement] = []
        var identity: [DraftStatement] = []
        var boundary: [DraftStatement]?
        var location: SourceLocation
    }

    struct TableDraft {
        var key: String
        var accountKey: String
        var name: String
        var partitionKey: String
        var sortKey: String?
        var indexes: [String]
        var policy: [DraftStatement]?
        var arn: String
        var location: SourceLocation
    }

    /// A bucket, key, queue, topic or secret before its policy becomes JSON.
    struct ResourceDraft {
        var key: String
        var kind: ResourceKind.ID
        var accountKey: String
        var name: String
        var policy: [DraftStatement]?
        var encryptionKey: String?
        var arn: String
        var location: SourceLocation
    }

    var random: SeededRandom
    var line = 1
    var resources: [ResourceDraft] = []
    var region = "us-east-1"
    var accounts: [AccountDraft] = []
    var roles: [RoleDraft] = []
    var functions: [Function] = []
    var tables: [TableDraft] = []
    var options: [AccessOption] = []
    var usedKeys: Set<String> = []

    static let organizations = ["o-a1b2c3d4e5", "o-f6g7h8i9j0", "o-exampleorg1"]
    static let regions = ["us-east-1", "eu-west-1", "ap-southeast-2"]
    static let sessions = ["s1", "ci-run-42", "audit.session", "batch=7", "ops@night", "reader+1", "LambdaSession", "hop"]
    static let externalIDs = ["ext-4711", "partner:42", "Zz9_/q", "hub-1"]
    static let sourceIPs = ["10.1.2.3", "192.0.2.10", "203.0.113.5"]
    static let dynamoDBActions = [
        "dynamodb:GetItem", "dynamodb:GetItem", "dynamodb:GetItem", "dynamodb:Query", "dynamodb:Query", "dynamodb:Scan", "dynamodb:PutItem",
        "dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:UpdateItem", "dynamodb:DescribeTable", "dynamodb:ListTables",
        "dynamodb:BatchGetItem", "dynamodb:ConditionCheckItem",
    ]
    static let actionPatterns = [
        "dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:UpdateItem",
        "dynamodb:DescribeTable", "dynamodb:ListTables", "dynamodb:BatchGetItem", "dynamodb:*", "dynamodb:Get*", "dynamodb:*Item",
        "dynamodb:Describe*", "sts:AssumeRole", "sts:*", "*", "s3:GetObject",
    ]

    init(random: SeededRandom) { self.random = random }

    mutating func build() -> Model {
        region = random.pick(Self.regions)
        makeAccounts()
        makeFunctions()
        makeRoles()
        makeTables()
        makeResources()
        makeOptions()
        addNoise()
        var model = assemble()
        settleExpectations(&model)
        return model
    }

    // MARK: - Entities

    mutating func location() -> SourceLocation {
        defer { line += 1 }
        return SourceLocation(file: "model.yml", line: line, column: 3)
    }

    /// A model key from `name`: letters, digits, `_` and `-`, unique across roles, functions and tables.
    mutating func key(_ name: String) -> String {
        let base = String(name.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") ? $0 : "_" })
        var key = base
        var counter = 2
        while usedKeys.contains(key) {
            key = "\(base)_\(counter)"
            counter += 1
        }
        usedKeys.insert(key)
        return key
    }

    mutating func makeAccounts() {
        let keys = random.sample(["A", "B", "C", "D", "App", "Data", "Hub", "Shared", "Audit", "Prod"], random.int(1...4))
        var ids: Set<String> = []
        for key in keys {
            var id: String
            repeat {
                id = random.chance(0.2)
                    ? String(repeating: String(random.int(1...9)), count: 12)
                    : String(random.int(1...9)) + (0..<11).map { _ in String(random.int(0...9)) }.joined()
            } while ids.contains(id)
            ids.insert(id)
            let organization = random.chance(0.55) ? random.pick(Self.organizations) : nil
            let name = random.pick(["App", "Data", "Hub", "Shared services", "Audit_logs", "Prod-1", key])
            accounts.append(AccountDraft(key: key, id: id, name: name, organization: organization, location: location()))
        }
    }

    mutating func newRole(in account: AccountDraft, execution: Bool) -> RoleDraft {
        let vocabulary = execution
            ? ["LambdaExec", "OrdersExecRole", "exec.ingest", "ExecRole_2", "fn-runner"]
            : ["DataReader", "HubRole", "Writer", "Auditor", "cross.account+reader", "ops@team", "batch=1,2", "svc_role", "Analytics-Role", "Reader"]
        var name = random.pick(vocabulary)
        while roles.contains(where: { $0.accountKey == account.key && $0.name == name }) { name += "2" }
        let path = random.chance(0.8) ? "/" : random.pick(["/app/", "/service-role/", "/teams/data/"])
        var role = RoleDraft(
            key: key(name), accountKey: account.key, name: name, path: path, arn: ARN.role(account: account.id, path: path, name: name).description,
            isExecution: execution, location: location())
        if execution {
            role.trust.append(DraftStatement(principal: .service("lambda.amazonaws.com"), actions: ["sts:AssumeRole"]))
        }
        roles.append(role)
        return role
    }

    mutating func makeFunctions() {
        for _ in 0..<random.int(1...3) {
            let account = random.pick(accounts)
            var name = random.pick(["orders-api", "ingest", "reporter", "billing_job", "sync-worker", "etl", "Api2"])
            while functions.contains(where: { $0.accountKey == account.key && $0.name == name }) { name += "-2" }
            let existing = roles.filter { $0.isExecution && $0.accountKey == account.key }
            let role = !existing.isEmpty && random.chance(0.25) ? random.pick(existing) : newRole(in: account, execution: true)
            // A Lambda function, an ECS task or an EC2 instance: the same kind of caller, with its own ARN and session name.
            let kind = random.pick([CallerKind.ID.lambdaFunction, .lambdaFunction, .ecsTask, .ec2Instance])
            func hex(_ digits: Int) -> String { String((0..<digits).map { _ in Array("0123456789abcdef")[random.int(0...15)] }) }
            let session: String, arn: ARN
            switch kind {
            case .ecsTask:
                session = hex(32)
                arn = ARN.ecsTask(region: region, account: account.id, cluster: random.pick(["default", "orders", "batch_2"]), id: session)
            case .ec2Instance:
                session = "i-" + hex(random.chance(0.5) ? 17 : 8)
                arn = ARN.ec2Instance(region: region, account: account.id, id: session)
            case .lambdaFunction, .roleSession, .servicePrincipal, .iamUser:
                session = name
                arn = ARN.lambdaFunction(region: region, account: account.id, name: name)
            }
            functions.append(Function(
                key: key(name), kind: kind, accountKey: account.key, name: name, roleKey: role.key, arn: arn.description, sessionName: session,
                sessionARN: ARN.assumedRole(account: account.id, roleName: role.name, session: session).description, location: location()))
        }
        // The loader reads functions:, tasks: and instances: in that order.
        functions = CallerKind.compute.flatMap { kind in functions.filter { $0.kind == kind.id } }
    }

    mutating func makeRoles() {
        for account in accounts {
            for _ in 0..<random.int(0...2) { _ = newRole(in: account, execution: false) }
        }
        if !roles.contains(where: { !$0.isExecution }) { _ = newRole(in: random.pick(accounts), execution: false) }
    }

    mutating func makeTables() {
        for _ in 0..<random.int(1...3) {
            let account = random.pick(accounts)
            var name = random.chance(0.05)
                ? "Archive." + (0..<random.int(20...200)).map { _ in random.pick(["a", "b", "7", "_", "-", "."]) }.joined()
                : random.pick(["Orders", "orders.v2", "Customer_Profiles", "audit-log", "Events", "Things"])
            while tables.contains(where: { $0.accountKey == account.key && $0.name == name }) { name += "2" }
            let partitionKey = random.pick(["pk", "id", "orderId"])
            tables.append(TableDraft(
                key: key("t_" + name.prefix(40)), accountKey: account.key, name: name, partitionKey: partitionKey,
                sortKey: random.chance(0.4) ? random.pick(["sk", "createdAt"]) : nil,
                indexes: random.sample(["ByStatus", "by-date", "GSI_1", "idx.customer"], random.int(0...2)),
                policy: random.chance(0.5) ? [] : nil,
                arn: ARN.dynamoDBTable(region: region, account: account.id, name: name).description, location: location()))
        }
    }

    /// Sometimes none; else a KMS key, and buckets, queues, secrets and a topic, some encrypted with the key (a secret
    /// without one uses its account's AWS managed key).
    mutating func makeResources() {
        guard random.chance(0.6) else { return }
        func hex(_ count: Int) -> String { String((0..<count).map { _ in Array("0123456789abcdef")[random.int(0...15)] }) }
        func add(_ kind: ResourceKind, name: String, account: AccountDraft, policy: [DraftStatement]?, key: String? = nil) {
            let arnName = kind.id == .secret ? name + "-" + String((0..<6).map { _ in random.pick(Array("ABCdef012xyz")) }) : name
            resources.append(ResourceDraft(
                key: self.key(kind.noun.replacingOccurrences(of: " ", with: "_") + "_" + name.prefix(20)), kind: kind.id, accountKey: account.key,
                name: name, policy: policy, encryptionKey: key, arn: kind.arn(region: region, account: account.id, name: arnName), location: location()))
        }
        let keyAccount = random.pick(accounts)
        // A key's policy: written (grants are planted) or AWS's default (its account's root).
        add(.kmsKey, name: [hex(8), hex(4), hex(4), hex(4), hex(12)].joined(separator: "-"), account: keyAccount, policy: random.chance(0.8) ? [] : nil)
        let keyKey = resources[0].key
        for _ in 0..<random.int(1...3) {
            let account = random.pick(accounts)
            switch random.int(0...3) {
            case 0, 1:
                var name = random.pick(["data-reports", "acme.exports", "logs-2026", "b1-archive"])
                while resources.contains(where: { $0.kind == .s3Bucket && $0.name == name }) { name += "-2" }
                add(.s3Bucket, name: name, account: account, policy: random.chance(0.6) ? [] : nil, key: random.chance(0.5) ? keyKey : nil)
            case 2:
                var name = random.pick(["orders-inbox", "events_q", "jobs.fifo"])
                while resources.contains(where: { $0.kind == .sqsQueue && $0.accountKey == account.key && $0.name == name }) { name = "q2-" + name }
                add(.sqsQueue, name: name, account: account, policy: random.chance(0.7) ? [] : nil, key: random.chance(0.4) ? keyKey : nil)
            default:
                var name = random.pick(["prod/db", "api-token", "svc/key+1"])
                while resources.contains(where: { $0.kind == .secret && $0.accountKey == account.key && $0.name == name }) { name += "2" }
                add(.secret, name: name, account: account, policy: random.chance(0.6) ? [] : nil, key: random.chance(0.5) ? keyKey : nil)
            }
        }
        if random.chance(0.5) { add(.snsTopic, name: random.pick(["order-events", "alerts"]), account: random.pick(accounts), policy: nil) }
    }

    /// A step on a resource: a bucket's objects or listing, a queue's SendMessage, a secret's value, a key's Decrypt,
    /// or a topic's delivery to a queue.
    mutating func resourceStep(caller: Step.Caller) -> Step? {
        let targets = resources.filter { $0.kind != .snsTopic }
        guard !targets.isEmpty else { return nil }
        let queues = resources.filter { $0.kind == .sqsQueue }
        if let topic = resources.first(where: { $0.kind == .snsTopic }), !queues.isEmpty, random.chance(0.25) {
            return Step(caller: .service(topic.key), action: "sqs:SendMessage", target: .resource(random.pick(queues).key), location: location())
        }
        let target = random.pick(targets)
        switch target.kind {
        case .s3Bucket:
            let action = random.pick(["s3:GetObject", "s3:GetObject", "s3:PutObject", "s3:ListBucket"])
            return Step(
                caller: caller, action: action, target: .resource(target.key),
                object: action == "s3:ListBucket" ? nil : random.pick(["data/report.csv", "data/*", "exports/a?.json"]), context: context(), location: location())
        case .sqsQueue: return Step(caller: caller, action: random.pick(["sqs:SendMessage", "sqs:ReceiveMessage"]), target: .resource(target.key), location: location())
        case .secret: return Step(caller: caller, action: "secretsmanager:GetSecretValue", target: .resource(target.key), location: location())
        default: return Step(caller: caller, action: "kms:Decrypt", target: .resource(target.key), location: location())
        }
    }

    func account(_ key: String) -> AccountDraft { accounts.first { $0.key == key }! }
    func roleIndex(_ key: String) -> Int { roles.firstIndex { $0.key == key }! }

    // MARK: - Options

    mutating func makeOptions() {
        let words = ["trusted-role", "table-policy", "hub", "direct", "chain", "org-wide"]
        for number in 1...random.int(1...3) {
            let word = random.pick(words)
            let pool = random.sample(functions.map(\.key), random.int(1...min(3, functions.count)))
            var steps: [Step] = []
            var assumed: [String] = []
            var sessions: [String: String] = [:]  // role key → the session its latest AssumeRole step made
            var last: String?
            for _ in 0..<random.int(1...6) {
                let caller: Step.Caller =
                    if let last, random.chance(0.6) { .role(last) }
                    else if !assumed.isEmpty && random.chance(0.3) { .role(random.pick(assumed)) }
                    else { .function(random.pick(pool)) }
                let step: Step
                if !resources.isEmpty, random.chance(0.3), let made = resourceStep(caller: caller) {
                    step = made
                } else if random.chance(0.45) {
                    let others = roles.filter { !$0.isExecution }
                    let target = random.chance(0.85) && !others.isEmpty ? random.pick(others) : random.pick(roles)
                    let action = random.chance(0.97) ? "sts:AssumeRole" : "sts:TagSession"
                    step = Step(
                        caller: caller, action: action, target: .role(target.key),
                        session: action == "sts:AssumeRole" && random.chance(0.7) ? random.pick(Self.sessions) : nil,
                        externalId: action == "sts:AssumeRole" && random.chance(0.3) ? random.pick(Self.externalIDs) : nil,
                        context: context(), location: location())
                } else {
                    let action = random.pick(Self.dynamoDBActions)
                    let table = random.pick(tables)
                    let takesIndex = action == "dynamodb:Query" || action == "dynamodb:Scan"
                    step = Step(
                        caller: caller, action: action, target: .table(table.key),
                        index: takesIndex && !table.indexes.isEmpty && random.chance(0.5) ? random.pick(table.indexes) : nil,
                        context: context(), location: location())
                }
                plantGrants(step, sessions: sessions)
                if step.isAssumeRole {
                    if !assumed.contains(step.target.key) { assumed.append(step.target.key) }
                    sessions[step.target.key] = step.session ?? Step.defaultSession
                    last = step.target.key
                }
                steps.append(step)
            }
            options.append(AccessOption(
                id: "opt\(number)-\(word)", title: "Option \(number) \(word)",
                policyLives: random.pick(["the table's account", "the caller's account", "both accounts"]), bestFor: "generated models",
                summary: random.chance(0.3) ? "A generated option." : nil, steps: steps, location: location()))
        }
    }

    mutating func context() -> [String: [String]] {
        var context: [String: [String]] = [:]
        if random.chance(0.2) { context["aws:SourceIp"] = [random.pick(Self.sourceIPs)] }
        if random.chance(0.05) { context["aws:RequestedRegion"] = [random.pick(Self.regions)] }
        return context
    }

    // MARK: - Grants planted for steps

    /// The role whose session makes a step's call, its account and the session's ARN (as the resolution derives them).
    func caller(_ step: Step, sessions: [String: String]) -> (role: RoleDraft, account: AccountDraft, sessionARN: String) {
        switch step.caller {
        case .function(let key):
            let function = functions.first { $0.key == key }!
            let role = roles[roleIndex(function.roleKey)]
            return (role, account(function.accountKey), function.sessionARN)
        case .role(let key):
            let role = roles[roleIndex(key)]
            let account = account(role.accountKey)
            let session = sessions[key] ?? Step.defaultSession
            return (role, account, ARN.assumedRole(account: account.id, roleName: role.name, session: session).description)
        case .service, .user:
            preconditionFailure("the generator makes no service or user callers")
        }
    }

    /// The ARN a step acts on (as the resolution derives it).
    func resourceARN(_ step: Step, callerAccount: AccountDraft) -> String {
        switch step.target {
        case .role(let key): return roles[roleIndex(key)].arn
        case .table(let key):
            let table = tables.first { $0.key == key }!
            if step.action == "dynamodb:ListTables" { return ARN.dynamoDBTables(region: region, account: callerAccount.id).description }
            if let index = step.index { return table.arn + "/index/" + index }
            return table.arn
        case .resource(let key):
            let resource = resources.first { $0.key == key }!
            return step.concreteObject.map { resource.arn + "/" + $0 } ?? resource.arn
        }
    }

    /// The grants a delivery needs: the queue policy naming the service for its topic (or, sometimes, another topic),
    /// and the key policy of an encrypted queue naming the service too.
    mutating func plantDeliveryGrants(_ step: Step, topic: String) {
        guard let topic = resources.first(where: { $0.key == topic }), case .resource(let queueKey) = step.target,
              let queue = resources.firstIndex(where: { $0.key == queueKey }) else { return }
        let source = random.chance(0.8) ? topic.arn : topic.arn + "-staging"
        if random.chance(0.8) {
            if resources[queue].policy == nil { resources[queue].policy = [] }
            var statement = DraftStatement(principal: .service("sns.amazonaws.com"), actions: [step.action], resources: [random.chance(0.5) ? "*" : resources[queue].arn])
            if random.chance(0.85) { statement.conditions.append(("ArnEquals", "aws:SourceArn", [source])) }
            resources[queue].policy!.append(statement)
        }
        if let keyKey = resources[queue].encryptionKey, let key = resources.firstIndex(where: { $0.key == keyKey }), random.chance(0.7) {
            if resources[key].policy == nil { resources[key].policy = [] }
            resources[key].policy!.append(DraftStatement(
                principal: .service("sns.amazonaws.com"), actions: random.pick([["kms:GenerateDataKey", "kms:Decrypt"], ["kms:*"]]), resources: ["*"]))
        }
    }

    /// The grants of a step on a resource: the caller's identity side (drawn by the caller), the resource's policy,
    /// and both sides of the KMS calls its service makes when the resource is encrypted.
    mutating func plantResourceGrants(_ step: Step, key: String, role: RoleDraft, callerAccount: AccountDraft, sessionARN: String) {
        guard let index = resources.firstIndex(where: { $0.key == key }) else { return }
        let target = resources[index]
        let crossAccount = target.accountKey != callerAccount.key
        // The resource's own policy (a key's is its key policy, which must allow even its own account).
        let mustAllow = target.kind == .kmsKey
        if random.chance(crossAccount || mustAllow ? 0.75 : 0.5), target.kind != .kmsKey || target.policy != nil {
            if resources[index].policy == nil { resources[index].policy = [] }
            var statement = DraftStatement(
                principal: principal(role: role, account: callerAccount, sessionARN: sessionARN),
                actions: random.pick([[step.action], [step.action.split(separator: ":")[0] + ":*"]]),
                resources: target.kind == .s3Bucket ? [random.pick(["*", target.arn + "/*", target.arn])] : ["*"])
            if case .everyone = statement.principal { statement.conditions.append(principalCondition(role: role, account: callerAccount)) }
            resources[index].policy!.append(statement)
        }
        guard let keyKey = target.encryptionKey, let keyIndex = resources.firstIndex(where: { $0.key == keyKey }) else { return }
        let operations = ResourceKind.of(target.kind).keyUse[step.actionName.lowercased()] ?? []
        for operation in operations {
            if random.chance(0.7) {
                roles[roleIndex(role.key)].identity.append(DraftStatement(actions: [operation], resources: [random.pick([resources[keyIndex].arn, "*"])]))
            }
            if resources[keyIndex].policy != nil, random.chance(0.75) {
                var statement = DraftStatement(principal: principal(role: role, account: callerAccount, sessionARN: sessionARN), actions: [operation], resources: ["*"])
                if case .everyone = statement.principal { statement.conditions.append(principalCondition(role: role, account: callerAccount)) }
                if random.chance(0.3) {
                    let service = ResourceKind.of(target.kind).service
                    statement.conditions.append(("StringEquals", "kms:ViaService", [random.chance(0.85) ? "\(service).\(region).amazonaws.com" : "dynamodb.\(region).amazonaws.com"]))
                }
                resources[keyIndex].policy!.append(statement)
            }
        }
    }

    mutating func plantGrants(_ step: Step, sessions: [String: String]) {
        if case .service(let topic) = step.caller {
            plantDeliveryGrants(step, topic: topic)
            return
        }
        let (role, callerAccount, sessionARN) = caller(step, sessions: sessions)
        let resource = resourceARN(step, callerAccount: callerAccount)
        if random.chance(0.7) {
            var statement = DraftStatement(actions: [actionVariant(step.action)], resources: [resourceVariant(resource, step: step)])
            if random.chance(0.15) { statement.conditions.append(condition()) }
            roles[roleIndex(role.key)].identity.append(statement)
        }
        switch step.target {
        case .resource(let key):
            plantResourceGrants(step, key: key, role: role, callerAccount: callerAccount, sessionARN: sessionARN)
        case .role(let key):
            guard random.chance(0.75) else { return }
            var statement = DraftStatement(
                principal: principal(role: role, account: callerAccount, sessionARN: sessionARN),
                actions: random.pick([["sts:AssumeRole"], ["sts:AssumeRole", "sts:TagSession"], ["sts:*"], [step.action]]))
            if case .everyone = statement.principal { statement.conditions.append(principalCondition(role: role, account: callerAccount)) }
            if let externalID = step.externalId, random.chance(0.5) {
                statement.conditions.append(("StringEquals", "sts:ExternalId", [random.chance(0.7) ? externalID : random.pick(Self.externalIDs)]))
            } else if random.chance(0.1) {
                statement.conditions.append(("StringLike", "sts:RoleSessionName", [random.pick(["ci-*", "s?", "*"])]))
            }
            roles[roleIndex(key)].trust.append(statement)
        case .table(let key):
            guard step.action != "dynamodb:ListTables", let index = tables.firstIndex(where: { $0.key == key }) else { return }
            let crossAccount = tables[index].accountKey != callerAccount.key
            guard random.chance(crossAccount ? 0.75 : 0.5) else { return }
            if tables[index].policy == nil {
                guard random.chance(0.5) else { return }
                tables[index].policy = []
            }
            let arn = tables[index].arn
            var statement = DraftStatement(
                principal: principal(role: role, account: callerAccount, sessionARN: sessionARN),
                actions: random.pick([[step.action], ["dynamodb:*"], [step.action, "dynamodb:Query"]]),
                resources: random.pick([["*"], [arn], [arn, arn + "/index/*"]]))
            if case .everyone = statement.principal { statement.conditions.append(principalCondition(role: role, account: callerAccount)) }
            if random.chance(0.15) { statement.conditions.append(condition()) }
            tables[index].policy!.append(statement)
        case .resource:
            return  // planted by plantResourceGrants
        }
    }

    /// How a resource-side statement names a caller: its role, its account (id or root), its exact session, or
    /// everyone (with a principal condition added by the caller).
    mutating func principal(role: RoleDraft, account: AccountDraft, sessionARN: String) -> DraftStatement.Principal {
        switch random.int(0...19) {
        case 0...6: .aws([role.arn])
        case 7...9: .aws([account.id])
        case 10...12: .aws([ARN.accountRoot(account.id).description])
        case 13...14: .aws([sessionARN])
        case 15: .aws([role.arn, ARN.accountRoot(random.pick(accounts).id).description])
        default: .everyone
        }
    }

    mutating func principalCondition(role: RoleDraft, account: AccountDraft) -> (op: String, key: String, values: [String]) {
        switch random.int(0...3) {
        case 0: ("StringEquals", "aws:PrincipalOrgID", [account.organization.flatMap { random.chance(0.8) ? $0 : nil } ?? random.pick(Self.organizations)])
        case 1: ("StringEquals", "aws:PrincipalAccount", [random.chance(0.8) ? account.id : random.pick(accounts).id])
        case 2: ("ArnLike", "aws:PrincipalArn", ["arn:aws:iam::\(account.id):role/*"])
        default: ("ArnEquals", "aws:PrincipalArn", [random.chance(0.8) ? role.arn : random.pick(roles).arn])
        }
    }

    /// The action as a statement might grant it: itself, a wildcard covering it, or in another case.
    mutating func actionVariant(_ action: String) -> String {
        let parts = action.split(separator: ":", maxSplits: 1).map(String.init)
        switch random.int(0...19) {
        case 0...12: return action
        case 13...14: return parts[0] + ":*"
        case 15...16: return parts[0] + ":" + parts[1].prefix(3) + "*"
        case 17: return "*"
        case 18: return action.lowercased()
        default: return parts[0] + ":" + parts[1].prefix(parts[1].count - 1) + "?"
        }
    }

    /// The resource as a statement might name it: itself, `*`, or a pattern covering it.
    mutating func resourceVariant(_ resource: String, step: Step) -> String {
        switch random.int(0...9) {
        case 0...4: return resource
        case 5...6: return "*"
        case 7:
            guard let arn = ARN(resource) else { return resource }
            if arn.service == "iam" { return "arn:aws:iam::\(arn.account):role/*" }
            return "arn:aws:dynamodb:\(arn.region):\(arn.account):table/*"
        case 8:
            guard let arn = ARN(resource), arn.service == "dynamodb" else { return resource }
            return "arn:aws:dynamodb:*:${aws:PrincipalAccount}:table/*"
        default:
            guard let range = resource.firstRange(of: "/index/") else { return resource + "*" }
            return String(resource[..<range.lowerBound]) + "/index/*"
        }
    }

    // MARK: - Random statements

    /// A condition from the grammar: on keys the resolution derives or a step's context carries.
    mutating func condition() -> (op: String, key: String, values: [String]) {
        let account = random.pick(accounts)
        switch random.int(0...13) {
        case 0: return ("StringEquals", "aws:PrincipalOrgID", [random.pick(Self.organizations)])
        case 1: return ("StringNotEquals", "aws:PrincipalOrgID", [random.pick(Self.organizations)])
        case 2: return ("StringEquals", "aws:PrincipalAccount", [account.id])
        case 3: return ("ArnLike", "aws:PrincipalArn", ["arn:aws:iam::\(account.id):role/*"])
        case 4: return ("StringEquals", "sts:ExternalId", [random.pick(Self.externalIDs)])
        case 5: return ("StringEquals", "aws:RequestedRegion", [random.pick(Self.regions)])
        case 6: return ("IpAddress", "aws:SourceIp", [random.pick(["10.0.0.0/8", "203.0.113.0/24"])])
        case 7: return ("NotIpAddress", "aws:SourceIp", ["192.0.2.0/24"])
        case 8: return ("StringLike", "sts:RoleSessionName", [random.pick(["ci-*", "s?", "audit.*"])])
        case 9: return ("StringEquals", "aws:ResourceAccount", [account.id])
        case 10: return ("StringEqualsIfExists", "aws:SourceVpce", ["vpce-1a2b3c4d"])
        case 11: return ("Bool", "aws:SecureTransport", ["true"])
        case 12: return ("Null", "aws:SourceIp", [random.pick(["true", "false"])])
        default: return ("IpAddressIfExists", "aws:SourceIp", ["10.0.0.0/8"])
        }
    }

    mutating func resourcePool() -> [String] {
        var pool = ["*"]
        for table in tables {
            pool.append(table.arn)
            pool.append(table.arn + "/index/*")
            if let index = table.indexes.first { pool.append(table.arn + "/index/" + index) }
        }
        for role in roles.prefix(3) { pool.append(role.arn) }
        let account = random.pick(accounts)
        pool.append("arn:aws:dynamodb:\(region):\(account.id):table/*")
        pool.append("arn:aws:dynamodb:eu-central-1:\(account.id):table/*")
        pool.append("arn:aws:iam::\(account.id):role/*")
        return pool
    }

    mutating func randomStatement(principals: Bool, resources: Bool) -> DraftStatement {
        var statement = DraftStatement(actions: random.sample(Self.actionPatterns, random.int(1...3)))
        statement.effect = random.chance(0.2) ? "Deny" : "Allow"
        statement.notAction = random.chance(0.08)
        if resources {
            statement.resources = random.chance(0.3) ? ["*"] : random.sample(resourcePool(), random.int(1...2))
            statement.notResource = random.chance(0.06)
        }
        if principals {
            let role = random.pick(roles)
            let account = self.account(role.accountKey)
            statement.principal = principal(role: role, account: account, sessionARN: role.arn)
            if case .everyone = statement.principal, random.chance(0.7) { statement.conditions.append(principalCondition(role: role, account: account)) }
            if statement.effect == "Deny", random.chance(0.15) {
                statement.principal = .aws([role.arn, ARN.accountRoot(account.id).description])
                statement.notPrincipal = true
            }
        }
        if random.chance(0.25) { statement.conditions.append(condition()) }
        return statement
    }

    /// A trust statement: who else may assume the role (or, as a Deny, who may not).
    mutating func randomTrustStatement() -> DraftStatement {
        var statement = randomStatement(principals: true, resources: false)
        statement.actions = random.pick([["sts:AssumeRole"], ["sts:AssumeRole", "sts:TagSession"], ["sts:*"]])
        statement.notAction = false
        // AWS refuses NotPrincipal in a role trust policy (IAM User Guide, "AWS JSON policy elements: NotPrincipal"):
        // a trust Deny names whom it refuses with Principal and a condition.
        if statement.notPrincipal {
            statement.notPrincipal = false
            statement.principal = .everyone
            statement.conditions = [("StringNotEquals", "aws:PrincipalOrgID", [random.pick(Self.organizations)])]
        }
        if statement.effect == "Deny" {
            statement.principal = .everyone
            statement.conditions = [("StringNotEquals", "aws:PrincipalOrgID", [random.pick(Self.organizations)])]
        }
        return statement
    }

    mutating func addNoise() {
        for index in roles.indices {
            for _ in 0..<random.int(0...2) { roles[index].identity.append(randomStatement(principals: false, resources: true)) }
            if random.chance(0.4) || roles[index].trust.isEmpty { roles[index].trust.append(randomTrustStatement()) }
            if random.chance(0.25) {
                var boundary = [DraftStatement(actions: random.sample(Self.actionPatterns, random.int(1...4)), resources: ["*"])]
                if random.chance(0.2) { boundary.append(DraftStatement(effect: "Deny", actions: [random.pick(Self.dynamoDBActions)], resources: ["*"])) }
                roles[index].boundary = boundary
            }
        }
        for index in tables.indices where tables[index].policy != nil {
            for _ in 0..<random.int(0...2) { tables[index].policy!.append(randomStatement(principals: true, resources: true)) }
            if tables[index].policy!.isEmpty { tables[index].policy!.append(randomStatement(principals: true, resources: true)) }
        }
        for index in resources.indices where resources[index].policy != nil {
            // A key policy often delegates to its own account (AWS's default statement); other policies get noise.
            if resources[index].kind == .kmsKey, random.chance(0.5) {
                let root = ARN.accountRoot(account(resources[index].accountKey).id).description
                resources[index].policy!.append(DraftStatement(principal: .aws([root]), actions: ["kms:*"], resources: ["*"]))
            } else if random.chance(0.3) {
                resources[index].policy!.append(randomStatement(principals: true, resources: true))
            }
            if resources[index].policy!.isEmpty { resources[index].policy = nil }
        }
        for index in accounts.indices where random.chance(0.3) {
            if random.chance(0.8) {
                accounts[index].scps.append((name: "FullAWSAccess", statements: [DraftStatement(actions: ["*"], resources: ["*"])]))
                if random.chance(0.6) {
                    var guardStatement = DraftStatement(effect: "Deny", actions: random.sample(Self.actionPatterns.filter { $0 != "*" }, random.int(1...2)), resources: ["*"])
                    if random.chance(0.4) { guardStatement.conditions.append(condition()) }
                    accounts[index].scps.append((name: "Guard_rails", statements: [guardStatement]))
                }
            } else {
                accounts[index].scps.append((name: "Limited", statements: [DraftStatement(actions: ["sts:AssumeRole", "dynamodb:Get*", "dynamodb:Query"], resources: ["*"])]))
            }
        }
    }

    // MARK: - Documents

    /// The JSON of a policy, one statement per line, Sids on some.
    mutating func json(_ statements: [DraftStatement]) -> String {
        func quoted(_ text: String) -> String { JSONWriter.quote(text) }
        func list(_ values: [String]) -> String { values.count == 1 ? quoted(values[0]) : "[" + values.map(quoted).joined(separator: ", ") + "]" }
        var lines: [String] = []
        for (offset, statement) in statements.enumerated() {
            var members: [String] = []
            if random.chance(0.6) { members.append("\"Sid\": " + quoted(random.pick(["Allow", "Read", "Grant", "Guard", "Trust", "Org"]) + String(offset + 1))) }
            members.append("\"Effect\": " + quoted(statement.effect))
            if let principal = statement.principal {
                let value = switch principal {
                case .everyone: random.chance(0.5) ? "\"*\"" : "{\"AWS\": \"*\"}"
                case .aws(let names): "{\"AWS\": \(list(names))}"
                case .service(let name): "{\"Service\": \(quoted(name))}"
                }
                members.append((statement.notPrincipal ? "\"NotPrincipal\": " : "\"Principal\": ") + value)
            }
            members.append((statement.notAction ? "\"NotAction\": " : "\"Action\": ") + list(statement.actions))
            if let resources = statement.resources {
                members.append((statement.notResource ? "\"NotResource\": " : "\"Resource\": ") + list(resources))
            }
            if !statement.conditions.isEmpty {
                var operators: [(String, [String])] = []
                for condition in statement.conditions {
                    let entry = "\(quoted(condition.key)): \(list(condition.values))"
                    if let index = operators.firstIndex(where: { $0.0 == condition.op }) {
                        guard !operators[index].1.contains(where: { $0.hasPrefix(quoted(condition.key) + ":") }) else { continue }
                        operators[index].1.append(entry)
                    } else {
                        operators.append((condition.op, [entry]))
                    }
                }
                members.append("\"Condition\": {" + operators.map { "\(quoted($0.0)): {\($0.1.joined(separator: ", "))}" }.joined(separator: ", ") + "}")
            }
            lines.append("    {" + members.joined(separator: ", ") + "}")
        }
        if lines.count == 1 && random.chance(0.3) {
            return "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\":\n\(lines[0])\n}"
        }
        return "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n" + lines.joined(separator: ",\n") + "\n  ]\n}"
    }

    /// The policy as the loader would hold it: parsed from JSON written inline in `model.yml`, on lines of its own.
    mutating func policy(_ statements: [DraftStatement], name: String, kind: PolicyKind) -> NamedPolicy {
        let at = location()
        let text = json(statements)
        let (document, diagnostics) = PolicyParser.parse(json: String(repeating: "\n", count: line - 1) + text, file: "model.yml", kind: kind)
        line += text.split(separator: "\n", omittingEmptySubsequences: false).count
        guard let document else { fatalError("the generator wrote an invalid \(kind) policy: \(diagnostics)\n\(text)") }
        return NamedPolicy(name: name, document: document, origin: .inline, location: at)
    }

    mutating func assemble() -> Model {
        var modelAccounts: [Account] = []
        for account in accounts {
            var scps: [NamedPolicy] = []
            for scp in account.scps { scps.append(policy(scp.statements, name: scp.name, kind: .serviceControl)) }
            modelAccounts.append(Account(
                key: account.key, id: account.id, name: account.name, organization: account.organization, serviceControlPolicies: scps,
                location: account.location))
        }
        var modelRoles: [Role] = []
        for role in roles {
            let trust = policy(role.trust, name: "trust policy of \(role.name)", kind: .trust)
            // The identity statements, shuffled into one to three named policies.
            var statements = random.sample(role.identity, role.identity.count)
            var policies: [NamedPolicy] = []
            let names = random.sample(["ReadOrders", "AssumeHub", "Access", "Extra_1", "data-plane"], 3)
            let count = min(statements.count, random.int(1...3))
            for (offset, name) in names.prefix(count).enumerated() {
                let take = offset == count - 1 ? statements.count : random.int(1...(statements.count - (count - 1 - offset)))
                policies.append(policy(Array(statements.prefix(take)), name: name, kind: .identity))
                statements.removeFirst(take)
            }
            var boundary: NamedPolicy?
            if let statements = role.boundary { boundary = policy(statements, name: "permissions boundary of \(role.name)", kind: .boundary) }
            modelRoles.append(Role(
                key: role.key, accountKey: role.accountKey, name: role.name, path: role.path, trust: trust, policies: policies,
                boundary: boundary, arn: role.arn, location: role.location))
        }
        var modelTables: [Table] = []
        for table in tables {
            var named: NamedPolicy?
            if let statements = table.policy { named = policy(statements, name: "table policy of \(table.name)", kind: .resource) }
            modelTables.append(Table(
                key: table.key, accountKey: table.accountKey, name: table.name, partitionKey: table.partitionKey, sortKey: table.sortKey,
                indexes: table.indexes, policy: named, arn: table.arn, location: table.location))
        }
        var modelResources: [Resource] = []
        for resource in resources {
            let kind = ResourceKind.of(resource.kind)
            let named = resource.policy.map { policy($0, name: "\(kind.policyNoun ?? "policy") of \(resource.name)", kind: .resource) }
            modelResources.append(Resource(
                key: resource.key, kind: resource.kind, accountKey: resource.accountKey, name: resource.name, policy: named,
                encryptionKey: resource.encryptionKey, arn: resource.arn, location: resource.location))
        }
        return Model(
            title: "Generated model", region: region, accounts: modelAccounts, roles: modelRoles, functions: functions, tables: modelTables,
            resources: modelResources, options: options, contentDirectory: "generated", file: "generated/model.yml")
    }

    /// Most steps expect what the engine decides (a passing `check`); the rest expect something at random.
    mutating func settleExpectations(_ model: inout Model) {
        for index in model.options.indices {
            let resolved = Resolver.resolve(model.options[index], in: model)
            for step in resolved.steps {
                model.options[index].steps[step.number - 1].expect =
                    random.chance(0.85) ? Expectation(rawValue: step.decision.rawValue)! : random.pick(Expectation.allCases)
            }
        }
    }
}
