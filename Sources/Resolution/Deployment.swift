public import Model
public import Policy

/// What deploying one option takes, worked out from its resolution: the roles and tables its steps use, the policies
/// that decide its steps, and the order in which the accounts' stacks must be created.
///
/// The order follows one AWS rule: a `Principal` (or `NotPrincipal`) that names a role makes IAM or DynamoDB refuse
/// the policy ("Invalid principal in policy") until that role exists, so the stack creating a role comes before any
/// stack whose trust, table, bucket, queue, topic, secret, event bus or key policy names it. A `Resource` may name
/// anything, existing or not: identity policies never order stacks. One more edge: a bucket, queue, topic or secret
/// encrypted with a key of the model needs the key to exist. Renderers (CloudFormation templates, the guide's
/// "Deploy it") read this value.
public struct Deployment: Sendable, Hashable {
    /// A role, a table or an entry of `resources:` of the model.
    public struct Resource: Sendable, Hashable {
        public enum Kind: String, Sendable, Hashable {
            case role
            case table
            /// A bucket, key, queue, topic, secret or event bus of `resources:`.
            case entry
        }

        public var kind: Kind
        public var key: String
        public var accountKey: String

        public init(kind: Kind, key: String, accountKey: String) {
            self.kind = kind
            self.key = key
            self.accountKey = accountKey
        }
    }

    /// A role as the option deploys it: its trust policy, the identity policies the option's steps use, its boundary.
    public struct DeployedRole: Sendable, Hashable {
        public var key: String
        /// The names of the identity policies it carries, in model order.
        public var policies: [String]
        /// Whether it carries the model's permissions boundary (always, when the model has one: a boundary only
        /// limits, and leaving it out could turn a denial of the model into an allow).
        public var boundary: Bool
        /// The functions of the option that run with it as their execution role (not deployed; see `functions`).
        public var functions: [String]
    }

    /// A table as the option deploys it, with its resource-based policy when the option's steps use it.
    public struct DeployedTable: Sendable, Hashable {
        public var key: String
        public var policy: Bool
    }

    /// A bucket, key, queue, topic, secret or event bus as the option deploys it.
    public struct DeployedEntry: Sendable, Hashable {
        public var key: String
        /// Whether it carries the model's resource-based policy: when a step uses it, and always for a key (a key
        /// always has a key policy, and AWS's default one would decide differently from the model's).
        public var policy: Bool
    }

    /// One stack: what one account holds, created in one go.
    public struct Stack: Sendable, Hashable {
        public var accountKey: String
        /// 1, 2, … when an account needs more than one stack (its policies and another account's name each other);
        /// `nil` when the account has one stack.
        public var part: Int?
        public var roles: [DeployedRole]
        public var tables: [DeployedTable]
        /// Its entries of `resources:`, keys first (the resources they encrypt name them).
        public var entries: [DeployedEntry] = []
        /// The positions (in `Deployment.stacks`) of the earlier stacks that create a principal this one names, or a key
        /// that encrypts one of its resources.
        public var after: [Int]

        public var resources: [Resource] {
            roles.map { Resource(kind: .role, key: $0.key, accountKey: accountKey) } + tables.map { Resource(kind: .table, key: $0.key, accountKey: accountKey) }
                + entries.map { Resource(kind: .entry, key: $0.key, accountKey: accountKey) }
        }
    }

    /// A principal a deployed policy names that the model does not create (a user, a role outside the model): it
    /// must exist before the stack that names it.
    public struct ExternalPrincipal: Sendable, Hashable {
        public var arn: String
        /// The resource whose policy names it.
        public var namedBy: Resource
    }

    public var optionID: String
    /// The stacks in the order they must be deployed.
    public var stacks: [Stack]
    /// For each deployed resource, the model roles its trust, table, key or other resource-based policy names as
    /// principal (they must exist first), in model order. Resources that name none are absent.
    public var principals: [Resource: [Resource]]
    /// For each deployed bucket, queue, topic or secret encrypted with a key of the model, that key (it must exist
    /// first).
    public var encryptionKeys: [Resource: Resource] = [:]
    /// The functions a step invokes whose resource-based policy decides a step, in model order: the functions are the
    /// team's code (they are in `functions`), so their policies are not in the templates either.
    public var invokedFunctions: [String] = []
    /// The IAM users that call in the option, in model order: a user and its long-term keys are the team's to create
    /// (and to rotate), so they are not in the templates.
    public var users: [String] = []
    /// The functions whose sessions call in the option, in model order: their execution roles are deployed, the
    /// functions themselves are the team's code.
    public var functions: [String]
    /// The service control policies the option's steps are evaluated under: the organization attaches them, no
    /// account stack can.
    public var serviceControlPolicies: [AppliedPolicy]
    public var externalPrincipals: [ExternalPrincipal]
    /// Resources whose policies name each other as principal (or a role whose trust names itself): no order creates
    /// them, each would be refused until the other exists.
    public var cycles: [[Resource]]

    /// The position of the stack that holds `resource`.
    public func stackIndex(of resource: Resource) -> Int? {
        stacks.firstIndex { $0.resources.contains(resource) }
    }

    /// Every option's deployment, in model order.
    public static func all(_ model: Model, resolution: ModelResolution) -> [Deployment] {
        resolution.options.map { plan($0, model: model) }
    }

    /// The deployment of one option.
    public static func plan(_ option: OptionResolution, model: Model) -> Deployment {
        var roleKeys: [String] = []
        var tableKeys: [String] = []
        var entryKeys: [String] = []
        var invoked: [String] = []
        var used: Set<AppliedPolicy> = []
        var functions: [String] = []
        var users: [String] = []
        var scps: [AppliedPolicy] = []
        func addRole(_ key: String?) { if let key, model.role(key) != nil, !roleKeys.contains(key) { roleKeys.append(key) } }
        func addFunction(_ key: String) {
            guard let function = model.function(key) else { return }
            if !functions.contains(key) { functions.append(key) }
            addRole(function.roleKey)
        }
        // An entry of `resources:` and the key that encrypts it (the resource names it, so it must exist first).
        func addEntry(_ key: String) {
            guard let resource = model.resources.first(where: { $0.key == key }) else { return }
            if !entryKeys.contains(key) { entryKeys.append(key) }
            if let encryption = resource.encryptionKey { addEntry(encryption) }
        }

        for step in option.steps {
            for hop in [step.caller.credentials] + step.caller.credentials.hops {
                switch hop {
                case .function(let key): addFunction(key)
                case .service(let key): addEntry(key)  // the topic or bus the service delivers for
                case .user(let key): if !users.contains(key) { users.append(key) }  // the team's to create, with its keys
                case .session(let role, _, _, _, let by):
                    addRole(role)
                    if let root = by.rootFunction { addFunction(root) }
                }
            }
            addRole(step.caller.role?.key)
            switch step.target.kind {
            case .role(let key): addRole(key)
            case .table(let key), .index(let key, _):
                if !tableKeys.contains(key), model.table(key) != nil { tableKeys.append(key) }
            case .accountTables(let key):
                // ListTables lists the caller's own account: the table it names belongs there only if it lives there.
                if let table = model.table(key), table.accountKey == step.caller.accountKey, !tableKeys.contains(key) { tableKeys.append(key) }
            case .resource(let key, _):
                if model.resources.contains(where: { $0.key == key }) {
                    addEntry(key)
                } else if model.function(key) != nil {
                    // An invoked function: the team's code, with its role, like a calling one.
                    addFunction(key)
                    if !invoked.contains(key) { invoked.append(key) }
                }
            }
            // The policies whose statements decide the step and the KMS calls the service makes for it: every matched
            // statement (allow or deny), the statement or conditions a denial names, and what an allowed step cannot
            // do without. A policy none of whose statements match any step changes no decision of the option, so
            // leaving it out keeps every verdict.
            for decided in [step] + step.implied {
                for matched in decided.matched { if let policy = decided.policy(for: matched) { used.insert(policy) } }
                if let cause = decided.cause {
                    if let statement = cause.statement { used.insert(statement.policy) }
                    for condition in cause.conditions { used.insert(condition.statement.policy) }
                }
                for policy in decided.policies where policy.kind == .serviceControl && !scps.contains(policy) { scps.append(policy) }
            }
            for requirement in step.requirements { used.insert(requirement.policy) }
        }

        func includesTablePolicy(_ key: String) -> Bool {
            used.contains { $0.kind == .tablePolicy && $0.owner == .table(key: key) }
        }
        func includesEntryPolicy(_ key: String) -> Bool {
            guard let resource = model.resources.first(where: { $0.key == key }), resource.policy != nil else { return false }
            return resource.kind == .kmsKey || used.contains { $0.kind == .resourcePolicy && $0.owner == .resource(key: key, kind: resource.kind) }
        }

        // Principals: every model role a deployed trust or table policy names must exist first, so it is deployed too.
        var principals: [Resource: [Resource]] = [:]
        var external: [ExternalPrincipal] = []
        /// The roles a deployed policy of `resource` names (deployed too, first) and the principals outside the model.
        func settle(_ resource: Resource, naming document: PolicyDocument) {
            let named = namedPrincipals(document, model: model)
            named.roles.forEach { addRole($0) }
            principals[resource] = resources(named.roles, model: model)
            external += named.external.map { ExternalPrincipal(arn: $0, namedBy: resource) }
        }
        var settled = 0
        var tablesSettled = 0
        var entriesSettled = 0
        while settled < roleKeys.count || tablesSettled < tableKeys.count || entriesSettled < entryKeys.count {
            while settled < roleKeys.count {
                let role = model.role(roleKeys[settled])!
                let resource = Resource(kind: .role, key: role.key, accountKey: role.accountKey)
                settle(resource, naming: role.trust.document)
                settled += 1
            }
            while tablesSettled < tableKeys.count {
                let table = model.table(tableKeys[tablesSettled])!
                let resource = Resource(kind: .table, key: table.key, accountKey: table.accountKey)
                if let policy = table.policy, includesTablePolicy(table.key) {
                    settle(resource, naming: policy.document)
                }
                tablesSettled += 1
            }
            while entriesSettled < entryKeys.count {
                let entry = model.resources.first { $0.key == entryKeys[entriesSettled] }!
                let resource = Resource(kind: .entry, key: entry.key, accountKey: entry.accountKey)
                if let policy = entry.policy, includesEntryPolicy(entry.key) {
                    settle(resource, naming: policy.document)
                }
                entriesSettled += 1
            }
        }
        principals = principals.filter { !$0.value.isEmpty }

        // Model order for everything deployed.
        let roles = model.roles.filter { roleKeys.contains($0.key) }.map { role in
            DeployedRole(
                key: role.key,
                policies: role.policies.filter { policy in used.contains { $0.kind == .identity && $0.owner == .role(key: role.key) && $0.name == policy.name } }.map(\.name),
                boundary: role.boundary != nil,
                functions: model.functions.filter { functions.contains($0.key) && $0.roleKey == role.key }.map(\.key))
        }
        let tables = model.tables.filter { tableKeys.contains($0.key) }.map { DeployedTable(key: $0.key, policy: $0.policy != nil && includesTablePolicy($0.key)) }
        // Keys first: the buckets, queues, topics and secrets they encrypt name them.
        let deployedEntries = model.resources.filter { entryKeys.contains($0.key) }
        let entries = (deployedEntries.filter { $0.kind == .kmsKey } + deployedEntries.filter { $0.kind != .kmsKey })
            .map { DeployedEntry(key: $0.key, policy: includesEntryPolicy($0.key)) }
        var encryptionKeys: [Resource: Resource] = [:]
        for entry in deployedEntries {
            guard let key = entry.encryptionKey, let keyEntry = model.resources.first(where: { $0.key == key }) else { continue }
            encryptionKeys[Resource(kind: .entry, key: entry.key, accountKey: entry.accountKey)] = Resource(kind: .entry, key: key, accountKey: keyEntry.accountKey)
        }
        let ordered = roles.map { Resource(kind: .role, key: $0.key, accountKey: model.role($0.key)!.accountKey) }
            + tables.map { Resource(kind: .table, key: $0.key, accountKey: model.table($0.key)!.accountKey) }
            + entries.map { entry in Resource(kind: .entry, key: entry.key, accountKey: model.resources.first { $0.key == entry.key }!.accountKey) }

        let cycles = Self.cycles(ordered, principals: principals)
        let cyclic = Set(cycles.flatMap { $0 })
        // Edges that can be honoured: a principal outside the resource's own cycle, and the key that encrypts it (a
        // key's policy names roles only, so no cycle runs through a key).
        func dependencies(_ resource: Resource) -> [Resource] {
            (principals[resource] ?? []).filter { !(cyclic.contains(resource) && cyclic.contains($0) && sameCycle($0, resource, cycles)) }
                + (encryptionKeys[resource].map { [$0] } ?? [])
        }
        let stacks = Self.stacks(ordered, model: model, dependencies: dependencies, roles: roles, tables: tables, entries: entries)
        return Deployment(
            optionID: option.id, stacks: stacks, principals: principals, encryptionKeys: encryptionKeys,
            invokedFunctions: model.functions.filter { function in
                invoked.contains(function.key) && function.policy != nil
                    && used.contains { $0.kind == .resourcePolicy && $0.owner == .resource(key: function.key, kind: .lambdaFunction) }
            }.map(\.key),
            users: model.users.filter { users.contains($0.key) }.map(\.key), functions: model.functions.filter { functions.contains($0.key) }.map(\.key),
            serviceControlPolicies: scps, externalPrincipals: external, cycles: cycles)
    }

    // MARK: - Principals

    /// The model roles a policy's `Principal`/`NotPrincipal` elements name — by role ARN, or by the ARN of one of the
    /// role's sessions — and the IAM principals outside the model it names. Accounts, `*`, services and federated
    /// providers always exist and order nothing.
    public static func namedPrincipals(_ document: PolicyDocument, model: Model) -> (roles: [String], external: [String]) {
        var roles: [String] = []
        var external: [String] = []
        for statement in document.statements {
            for principal in statement.principal?.principals ?? [] {
                guard case .aws(let text) = principal.value else { continue }
                if let role = model.roles.first(where: { $0.arn == text }) {
                    if !roles.contains(role.key) { roles.append(role.key) }
                    continue
                }
                guard let arn = ARN(text) else { continue }  // an account id
                if arn.service == "sts", arn.resource.hasPrefix("assumed-role/") {
                    let parts = arn.resource.split(separator: "/", omittingEmptySubsequences: false)
                    if parts.count >= 3, let role = model.roles.first(where: { $0.name == parts[1] && model.account($0.accountKey)?.id == arn.account }) {
                        if !roles.contains(role.key) { roles.append(role.key) }
                        continue
                    }
                }
                if arn.service == "iam", arn.resource == "root" { continue }
                if !external.contains(text) { external.append(text) }
            }
        }
        return (roles, external)
    }

    static func resources(_ roleKeys: [String], model: Model) -> [Resource] {
        model.roles.filter { roleKeys.contains($0.key) }.map { Resource(kind: .role, key: $0.key, accountKey: $0.accountKey) }
    }

    // MARK: - Order

    /// Strongly connected groups of resources that name each other (Tarjan), and roles that name themselves.
    static func cycles(_ resources: [Resource], principals: [Resource: [Resource]]) -> [[Resource]] {
        var index: [Resource: Int] = [:]
        var low: [Resource: Int] = [:]
        var stack: [Resource] = []
        var onStack: Set<Resource> = []
        var next = 0
        var found: [[Resource]] = []
        func connect(_ node: Resource) {
            index[node] = next
            low[node] = next
            next += 1
            stack.append(node)
            onStack.insert(node)
            for dependency in principals[node] ?? [] where resources.contains(dependency) {
                if index[dependency] == nil {
                    connect(dependency)
                    low[node] = min(low[node]!, low[dependency]!)
                } else if onStack.contains(dependency) {
                    low[node] = min(low[node]!, index[dependency]!)
                }
            }
            if low[node] == index[node] {
                var group: [Resource] = []
                while let top = stack.popLast() {
                    onStack.remove(top)
                    group.append(top)
                    if top == node { break }
                }
                if group.count > 1 || (principals[node] ?? []).contains(node) {
                    found.append(resources.filter { group.contains($0) })
                }
            }
        }
        for resource in resources where index[resource] == nil { connect(resource) }
        return found.sorted { (resources.firstIndex(of: $0[0]) ?? 0) < (resources.firstIndex(of: $1[0]) ?? 0) }
    }

    static func sameCycle(_ a: Resource, _ b: Resource, _ cycles: [[Resource]]) -> Bool {
        cycles.contains { $0.contains(a) && $0.contains(b) }
    }

    /// One stack per account in dependency order when the accounts can be ordered; when two accounts' policies name
    /// each other's roles, each account is split into stacks by how many account hops its resources wait for.
    static func stacks(
        _ resources: [Resource], model: Model, dependencies: (Resource) -> [Resource], roles: [DeployedRole], tables: [DeployedTable],
        entries: [DeployedEntry]
    ) -> [Stack] {
        let accounts = model.accounts.map(\.key).filter { key in resources.contains { $0.accountKey == key } }
        var accountEdges: [String: Set<String>] = [:]
        for resource in resources {
            for dependency in dependencies(resource) where dependency.accountKey != resource.accountKey {
                accountEdges[resource.accountKey, default: []].insert(dependency.accountKey)
            }
        }
        // The group of each resource: its account alone, or (account, level) when the accounts form a cycle.
        var group: [Resource: Int] = [:]
        var order: [(account: String, level: Int)] = []
        if let sorted = topologicalOrder(accounts, edges: accountEdges) {
            for resource in resources { group[resource] = 0 }
            order = sorted.map { ($0, 0) }
        } else {
            var level: [Resource: Int] = [:]
            func levelOf(_ resource: Resource) -> Int {
                if let known = level[resource] { return known }
                level[resource] = 0  // guards the (already cut) cycles
                let value = dependencies(resource).map { levelOf($0) + ($0.accountKey == resource.accountKey ? 0 : 1) }.max() ?? 0
                level[resource] = value
                return value
            }
            for resource in resources { group[resource] = levelOf(resource) }
            let levels = Set(group.values).sorted()
            for value in levels {
                for account in accounts where resources.contains(where: { $0.accountKey == account && group[$0] == value }) {
                    order.append((account, value))
                }
            }
        }
        var stacks: [Stack] = order.map { entry in
            let members = resources.filter { $0.accountKey == entry.account && group[$0] == entry.level }
            let parts = order.filter { $0.account == entry.account }
            return Stack(
                accountKey: entry.account,
                part: parts.count > 1 ? (parts.firstIndex { $0.level == entry.level }! + 1) : nil,
                roles: roles.filter { role in members.contains { $0.kind == .role && $0.key == role.key } },
                tables: tables.filter { table in members.contains { $0.kind == .table && $0.key == table.key } },
                entries: entries.filter { entry in members.contains { $0.kind == .entry && $0.key == entry.key } },
                after: [])
        }
        for (position, stack) in stacks.enumerated() {
            var after: [Int] = []
            for resource in stack.resources {
                for dependency in dependencies(resource) {
                    if let earlier = stacks.firstIndex(where: { $0.resources.contains(dependency) }), earlier != position, !after.contains(earlier) {
                        after.append(earlier)
                    }
                }
            }
            stacks[position].after = after.sorted()
        }
        return stacks
    }

    /// Kahn's algorithm with ties broken by the given order; `nil` when the graph has a cycle. `edges[a]` holds what
    /// `a` must come after.
    static func topologicalOrder(_ nodes: [String], edges: [String: Set<String>]) -> [String]? {
        var remaining = nodes
        var done: [String] = []
        while !remaining.isEmpty {
            guard let next = remaining.firstIndex(where: { node in (edges[node] ?? []).allSatisfy { done.contains($0) || !nodes.contains($0) } }) else {
                return nil
            }
            done.append(remaining.remove(at: next))
        }
        return done
    }
}
