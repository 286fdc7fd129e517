public import Model
internal import Policy
public import Resolution
public import Source

/// The infrastructure of each option as CloudFormation: one JSON template per account (per stack, when two accounts'
/// policies name each other's roles), in the order the `Deployment` of the option says, with the commands that deploy
/// them. Pure: model and resolution in, files out.
///
/// `cloudformation/<option>/<account>.json` holds what the option's steps use in that account: its IAM roles (trust
/// policy, the identity policies the steps use as inline policies, the permissions boundary as a managed policy) and
/// its DynamoDB tables (key schema, indexes, the resource-based policy when a step uses it). Role and table names and
/// paths are the model's, so every ARN equals the model's ARN. Account ids in policies become `Fn::Sub` references:
/// the stack's own account is `AWS::AccountId`, the others are parameters (`Account<Key>Id`), so the same template
/// deploys into any set of accounts. Beside them: `README.md` (the commands, in order, and what is not deployed) and
/// `deploy-order.json` (the same plan for tools).
public enum CloudFormation {
    /// The folder under the output folder.
    public static let directory = "cloudformation"

    /// Every option's templates, README and deploy order, sorted by path.
    public static func render(_ model: Model, resolution: ModelResolution) -> [OutputFile] {
        var files: [OutputFile] = []
        for deployment in Deployment.all(model, resolution: resolution) {
            let plan = DeployPlan(deployment, model: model)
            for stack in plan.stacks {
                files.append(OutputFile(path: stack.templatePath, text: JSONWriter.write(stack.template)))
            }
            files.append(OutputFile(path: plan.folder + "/README.md", text: plan.readme))
            files.append(OutputFile(path: plan.folder + "/deploy-order.json", text: JSONWriter.write(plan.orderDocument)))
        }
        return files.sorted { $0.path < $1.path }
    }

    /// The plan of one option (the guide's "Deploy it" reads the same value).
    public static func plan(_ optionID: String, model: Model, resolution: ModelResolution) -> DeployPlan? {
        guard let option = resolution.option(optionID) else { return nil }
        return DeployPlan(Deployment.plan(option, model: model), model: model)
    }

    // MARK: - Names

    /// `trustflow-<account>` (`-<part>` when the account has several stacks): one stack name per account, so that
    /// deploying another option into the same accounts updates these stacks to it. The options name the same roles
    /// and tables, and IAM and DynamoDB take each name once per account.
    static func stackName(_ stack: Deployment.Stack) -> String {
        var name = "trustflow-" + identifier(stack.accountKey, allowDash: true)
        if let part = stack.part { name += "-\(part)" }
        return String(name.prefix(128))
    }

    static func templateName(_ stack: Deployment.Stack) -> String {
        PolicyFiles.safeFileName(stack.accountKey) + (stack.part.map { "-\($0)" } ?? "") + ".json"
    }

    /// `Account<Key>Id`: the parameter holding an account's id.
    static func parameterName(_ account: Account) -> String { "Account\(identifier(account.key))Id" }

    /// Letters and digits in CamelCase (`etl-loader` → `EtlLoader`), starting with a letter: a logical id, a
    /// parameter name, a stack name's part.
    static func identifier(_ text: String, allowDash: Bool = false) -> String {
        var out = ""
        var upper = true
        for character in text {
            if character.isASCII, character.isLetter || character.isNumber {
                out.append(upper && !allowDash ? Character(character.uppercased()) : character)
                upper = false
            } else {
                if allowDash, !out.isEmpty, out.last != "-" { out.append("-") }
                upper = true
            }
        }
        if allowDash { while out.hasSuffix("-") { out.removeLast() } }
        if out.first.map({ !$0.isLetter }) ?? true { out = "R" + out }
        return out
    }

    /// The logical id of every role and table of the model, unique in the model (so in every template).
    static func logicalIDs(_ model: Model) -> [Deployment.Resource: String] {
        var ids: [Deployment.Resource: String] = [:]
        var taken: Set<String> = []
        // A role's id also names its boundary (`<id>Boundary`); an entry's its policy and a key's its alias.
        func claim(_ base: String, companions: [String] = ["Boundary"]) -> String {
            var id = base
            var number = 2
            while taken.contains(id) || companions.contains(where: { taken.contains(id + $0) }) {
                id = base + String(number)
                number += 1
            }
            taken.insert(id)
            for companion in companions { taken.insert(id + companion) }
            return id
        }
        for role in model.roles {
            let base = identifier(role.key)
            ids[Deployment.Resource(kind: .role, key: role.key, accountKey: role.accountKey)] = claim(base.hasSuffix("Role") ? base : base + "Role")
        }
        for table in model.tables {
            let base = identifier(table.key)
            ids[Deployment.Resource(kind: .table, key: table.key, accountKey: table.accountKey)] = claim(base.hasSuffix("Table") ? base : base + "Table")
        }
        for entry in model.resources {
            guard let suffix = entrySuffix[entry.kind] else { continue }
            let base = identifier(entry.key)
            ids[Deployment.Resource(kind: .entry, key: entry.key, accountKey: entry.accountKey)] =
                claim(base.hasSuffix(suffix) ? base : base + suffix, companions: ["Policy", "Alias"])
        }
        return ids
    }

    /// The end of an entry's logical id, by kind: the kinds the templates create.
    static let entrySuffix: [ResourceKind.ID: String] = [
        .s3Bucket: "Bucket", .kmsKey: "Key", .sqsQueue: "Queue", .snsTopic: "Topic", .secret: "Secret", .eventBus: "EventBus",
    ]

    /// An IAM name (`[\w+=,.@-]`): other characters become `-`.
    static func iamName(_ text: String) -> String {
        String(text.map { $0.isASCII && ($0.isLetter || $0.isNumber || "_+=,.@-".contains($0)) ? $0 : "-" }.prefix(128))
    }
}

/// The deployment of one option rendered: each stack's template, command and reasons, in deploy order.
public struct DeployPlan: Sendable {
    /// One stack to deploy.
    public struct StackStep: Sendable {
        /// 1-based position in the deploy order.
        public var position: Int
        public var stack: Deployment.Stack
        public var account: Account
        public var stackName: String
        /// Relative to the output folder.
        public var templatePath: String
        /// The parameters the template declares, with the model's values.
        public var parameters: [(name: String, value: String, account: Account)]
        /// What the stack creates, in words ("role LambdaExecutionRole with identity policy AssumeDataRole").
        public var contents: [String]
        /// Why it comes after earlier stacks ("the trust policy of role DynamoDBAccessRole names role LambdaExecutionRole").
        public var reasons: [String]
        /// Why it comes after earlier stacks for a key: "bucket acme-data-reports is encrypted with key alias/data-reports
        /// of account Data" (the key must exist).
        public var keyReasons: [String] = []
        /// The ARNs of the principals its policies name, which must exist before it is deployed.
        public var principalARNs: [String]
        /// The `aws cloudformation deploy` command, run from the output folder.
        public var command: String
        public var template: LocatedValue
    }

    public var deployment: Deployment
    public var option: AccessOption
    public var region: String
    public var folder: String
    public var stacks: [StackStep]
    /// What the templates do not create, in words: the functions, the SCPs, principals outside the model, cycles.
    public var notDeployed: [String]
    /// The organization commands that attach the option's SCPs (run in the management account).
    public var organizationCommands: [String]

    init(_ deployment: Deployment, model: Model) {
        self.deployment = deployment
        option = model.option(deployment.optionID)!
        region = model.region
        folder = CloudFormation.directory + "/" + PolicyFiles.safeFileName(deployment.optionID)
        let ids = CloudFormation.logicalIDs(model)
        var steps: [StackStep] = []
        var keyARNsAsText: [(key: String, place: String, stack: String)] = []
        for (offset, stack) in deployment.stacks.enumerated() {
            let account = model.account(stack.accountKey)!
            var builder = TemplateBuilder(model: model, account: account, logicalIDs: ids)
            let template = builder.template(stack, deployment: deployment, position: offset, names: deployment.stacks.map(CloudFormation.stackName))
            let parameters = builder.usedAccounts.map { (name: CloudFormation.parameterName($0), value: $0.id, account: $0) }
            let name = CloudFormation.stackName(stack)
            keyARNsAsText += builder.keyARNsAsText.map { ($0.key, $0.place, name) }
            let path = folder + "/" + CloudFormation.templateName(stack)
            var command = "aws cloudformation deploy --stack-name \(ShellText.quote(name)) --template-file \(ShellText.quote(path))"
            if !parameters.isEmpty {
                command += " \\\n  --parameter-overrides " + parameters.map { ShellText.quote("\($0.name)=\($0.value)") }.joined(separator: " ")
            }
            command += " \\\n  --capabilities CAPABILITY_NAMED_IAM --region \(ShellText.quote(model.region)) --profile \(ShellText.quote(account.key))"
            steps.append(StackStep(
                position: offset + 1, stack: stack, account: account, stackName: name, templatePath: path, parameters: parameters,
                contents: Self.contents(stack, model: model), reasons: Self.reasons(stack, deployment: deployment, model: model),
                keyReasons: Self.keyReasons(stack, deployment: deployment, model: model),
                principalARNs: Self.principalARNs(stack, deployment: deployment, model: model), command: command, template: template))
        }
        stacks = steps
        (notDeployed, organizationCommands) = Self.notDeployed(deployment, model: model)
        notDeployed += Self.entryNotes(deployment, model: model, stackNames: steps.map(\.stackName), keyARNsAsText: keyARNsAsText)
    }

    // MARK: - Words

    static func contents(_ stack: Deployment.Stack, model: Model) -> [String] {
        var items: [String] = []
        for deployed in stack.roles {
            guard let role = model.role(deployed.key) else { continue }
            var text = "role \(role.name)"
            var parts: [String] = []
            if !deployed.policies.isEmpty {
                parts.append("identity polic\(deployed.policies.count == 1 ? "y" : "ies") " + deployed.policies.joined(separator: ", "))
            }
            if deployed.boundary { parts.append("its permissions boundary") }
            if !deployed.functions.isEmpty {
                let names = deployed.functions.compactMap { model.function($0)?.name }
                let kinds = deployed.functions.compactMap { model.function($0)?.callerKind }
                parts.append("\(Set(kinds.map(\.roleNoun)).count == 1 ? kinds[0].roleNoun : "role") of " + names.joined(separator: ", "))
            }
            if !parts.isEmpty { text += " (" + parts.joined(separator: "; ") + ")" }
            items.append(text)
        }
        for deployed in stack.tables {
            guard let table = model.table(deployed.key) else { continue }
            let indexes = table.indexes.isEmpty ? "" : ", index\(table.indexes.count == 1 ? "" : "es") " + table.indexes.joined(separator: ", ")
            items.append("table \(table.name)\(indexes)\(deployed.policy ? ", with its resource-based policy" : "")")
        }
        for deployed in stack.entries {
            guard let entry = model.resources.first(where: { $0.key == deployed.key }) else { continue }
            var text = entryName(entry)
            if let key = entry.encryptionKey, let keyEntry = model.resources.first(where: { $0.key == key }) {
                text += ", encrypted with \(entryName(keyEntry))"
            }
            if entry.kind == .kmsKey {
                text += entry.policy == nil ? ", with AWS's default key policy" : ", with its key policy"
            } else if deployed.policy, let noun = entry.resourceKind.policyNoun {
                text += ", with its \(noun)"
            }
            items.append(text)
        }
        return items
    }

    static func name(_ resource: Deployment.Resource, model: Model) -> String {
        switch resource.kind {
        case .role: "role \(model.role(resource.key)?.name ?? resource.key)"
        case .table: "table \(model.table(resource.key)?.name ?? resource.key)"
        case .entry: model.resources.first { $0.key == resource.key }.map(entryName) ?? resource.key
        }
    }

    /// "bucket acme-data-reports", "key alias/data-reports": a key by its alias, else its model key (its id is a
    /// stand-in for the one KMS chooses).
    static func entryName(_ entry: Resource) -> String {
        "\(entry.resourceKind.noun) \(entry.kind == .kmsKey ? entry.alias ?? entry.key : entry.name)"
    }

    static func reasons(_ stack: Deployment.Stack, deployment: Deployment, model: Model) -> [String] {
        var reasons: [String] = []
        for resource in stack.resources {
            for principal in deployment.principals[resource] ?? [] {
                guard let other = deployment.stackIndex(of: principal), stack.after.contains(other) else { continue }
                let noun = switch resource.kind {
                case .role: "trust policy"
                case .table: "resource-based policy"
                case .entry: model.resources.first { $0.key == resource.key }?.resourceKind.policyNoun ?? "resource-based policy"
                }
                let policy = "the \(noun) of \(name(resource, model: model))"
                reasons.append("\(policy) names \(name(principal, model: model)) of account \(principal.accountKey) as principal")
            }
        }
        return reasons
    }

    static func keyReasons(_ stack: Deployment.Stack, deployment: Deployment, model: Model) -> [String] {
        stack.resources.compactMap { resource in
            guard let key = deployment.encryptionKeys[resource], let other = deployment.stackIndex(of: key), stack.after.contains(other) else { return nil }
            return "\(name(resource, model: model)) is encrypted with \(name(key, model: model)) of account \(key.accountKey)"
        }
    }

    static func principalARNs(_ stack: Deployment.Stack, deployment: Deployment, model: Model) -> [String] {
        var arns: [String] = []
        for resource in stack.resources {
            for principal in deployment.principals[resource] ?? [] where !stack.resources.contains(principal) {
                if let arn = model.role(principal.key)?.arn, !arns.contains(arn) { arns.append(arn) }
            }
        }
        return arns
    }

    static func notDeployed(_ deployment: Deployment, model: Model) -> ([String], [String]) {
        var notes: [String] = []
        var commands: [String] = []
        for key in deployment.functions {
            guard let function = model.function(key), let role = model.role(function.roleKey) else { continue }
            let kind = function.callerKind
            var note = "The \(kind.noun) \(function.name) itself: create it in account \(function.accountKey) with the name \(function.name) and the "
                + "\(kind.roleNoun) \(role.arn) (it calls as \(function.sessionARN)), with your build of the code."
            if kind.id != .lambdaFunction, let service = kind.servicePrincipal {
                // The session name is an id AWS assigns at run time: the model's is a stand-in unless it gives the real one.
                note += " The \(kind.roleNoun)'s trust policy must allow \(service); AWS names the session after the \(kind.resource.noun) id it "
                    + "assigns (\(function.sessionName) in the model), so grant the role's ARN, not this session's."
            }
            notes.append(note)
        }
        for key in deployment.users {
            guard let user = model.user(key) else { continue }
            notes.append(
                "The IAM user \(user.name) in account \(user.accountKey) (\(user.arn)): create it with its identity policies "
                    + "(\(user.policies.map(\.name).joined(separator: ", "))), written to policies/\(user.accountKey)/, and give the code its access keys. "
                    + "Long-term keys never expire on their own: prefer a role where the code can assume one.")
        }
        for policy in deployment.serviceControlPolicies {
            guard case .account(let key) = policy.owner, let account = model.account(key),
                  let scp = account.serviceControlPolicies.first(where: { $0.name == policy.name }) else { continue }
            if isFullAccess(scp.document) {
                notes.append(
                    "The service control policy \(policy.name) of account \(key) (\(account.id)) allows every action on every resource: it is "
                        + "AWS's default SCP, FullAWSAccess, which Organizations attaches to every account; keep it attached.")
                continue
            }
            let file = PolicyFiles.path(forServiceControlPolicy: scp, account: account)
            notes.append(
                "The service control policy \(policy.name) of account \(key) (\(account.id)): SCPs belong to the organization, so its "
                    + "management account attaches \(file) to the account. The steps were checked under it; without it, a step it denies is allowed.")
            let name = CloudFormation.iamName(policy.name)
            commands.append(
                "policy=$(aws organizations create-policy --type SERVICE_CONTROL_POLICY --name \(ShellText.quote(name)) "
                    + "--description \(ShellText.quote("Trustflow: \(policy.name) for account \(key)")) --content \(ShellText.quote("file://" + file)) "
                    + "--query Policy.PolicySummary.Id --output text --profile management)")
            commands.append("aws organizations attach-policy --policy-id \"$policy\" --target-id \(ShellText.quote(account.id)) --profile management")
        }
        for external in deployment.externalPrincipals {
            notes.append("The principal \(external.arn), which the policy of \(name(external.namedBy, model: model)) names: it is not in the model and must exist before that stack.")
        }
        for cycle in deployment.cycles {
            let names = cycle.map { name($0, model: model) + " of account " + $0.accountKey }
            notes.append(
                (cycle.count == 1 ? "\(names[0]) names itself" : names.joined(separator: " and ") + " name each other")
                    + " as principal: AWS refuses such a policy until the principal exists, so no order creates "
                    + (cycle.count == 1 ? "it" : "them")
                    + " as modelled. Create them with a trust or table policy naming the account instead, then deploy again.")
        }
        return (notes, commands)
    }

    /// What deploying the option's entries of `resources:` leaves to do: the invoked functions' policies, the keys'
    /// ids, the secrets' ARNs and values.
    static func entryNotes(
        _ deployment: Deployment, model: Model, stackNames: [String], keyARNsAsText: [(key: String, place: String, stack: String)]
    ) -> [String] {
        var notes: [String] = []
        for key in deployment.invokedFunctions {
            guard let function = model.function(key), function.policy != nil else { continue }
            notes.append(
                "The resource-based policy of function \(function.name) (\(PolicyFiles.path(forResource: function.asResource))): "
                    + "CloudFormation writes a function's policy only as AWS::Lambda::Permission resources, one principal and one action each, "
                    + "on a function that exists, and the function is your code. Once it exists, add each statement with "
                    + "aws lambda add-permission --function-name \(function.name) in account \(function.accountKey); until then the steps that invoke it are refused.")
        }
        let ids = CloudFormation.logicalIDs(model)
        for (position, stack) in deployment.stacks.enumerated() {
            for deployed in stack.entries {
                guard let entry = model.resources.first(where: { $0.key == deployed.key }),
                      let id = ids[Deployment.Resource(kind: .entry, key: entry.key, accountKey: entry.accountKey)] else { continue }
                switch entry.kind {
                case .kmsKey:
                    var note = "Key \(entry.alias ?? entry.key) of account \(entry.accountKey): KMS gives the key CloudFormation creates an id of its own, "
                        + "not the model's \(entry.name), so its ARN is not \(entry.arn); stack \(stackNames[position]) outputs it as \(id)Arn"
                    if let alias = entry.alias { note += " and names it \(alias)" }
                    note += ". Its own template refers to it by that ARN."
                    let places = keyARNsAsText.filter { $0.key == entry.key }
                    if !places.isEmpty {
                        note += " These name the model's ARN and must be changed to the deployed one (then deploy their stacks again): "
                            + places.map { "\($0.place) (stack \($0.stack))" }.joined(separator: "; ") + "."
                    }
                    notes.append(note)
                case .secret:
                    let pattern = entry.resourceKind.arn(region: model.region, account: model.account(entry.accountKey)?.id ?? "", name: entry.name + "-??????")
                    notes.append(
                        "Secret \(entry.name) of account \(entry.accountKey): Secrets Manager ends a secret's ARN with six random characters of its own, "
                            + "so the deployed ARN is not the model's \(entry.arn); stack \(stackNames[position]) outputs it as \(id)Arn, and a policy "
                            + "matches it by name as \(pattern). Its value is generated: put the real one with aws secretsmanager put-secret-value --secret-id \(entry.name).")
                default:
                    break
                }
            }
        }
        return notes
    }

    /// Whether an SCP is AWS's default: one Allow of every action on every resource, without conditions.
    static func isFullAccess(_ document: PolicyDocument) -> Bool {
        document.statements.count == 1 && document.statements.allSatisfy { statement in
            statement.effect == .allow && statement.conditions.isEmpty && !statement.action.negated
                && statement.action.patterns.map(\.value.text) == ["*"]
                && statement.resource.map { !$0.negated && $0.patterns.map(\.value.text) == ["*"] } == true
        }
    }

    // MARK: - README and deploy-order.json

    /// `cloudformation/<option>/README.md`.
    var readme: String {
        let e = MarkdownText.escape
        var text = "# Deploying \(e(option.id)): \(e(option.title))\n\n"
        text += "Generated by Trustflow from the model; edit the model, not these files. Each template holds what this option's steps "
        text += "use in one account: the roles with their trust policy, the identity policies the steps use and any permissions "
        text += "boundary, and the tables with their indexes and, when a step uses it, their resource-based policy."
        if stacks.contains(where: { !$0.stack.entries.isEmpty }) {
            text += " Also the buckets, queues, topics, secrets and event buses the steps use, with their policy when a step uses it, "
            text += "and the KMS keys that encrypt them or that the steps use, always with their key policy."
        }
        text += "\n\n"
        text += "## Order\n\n"
        text += "A trust or table policy that names a role in another account is refused with \"Invalid principal in policy\" until "
        text += "that role exists, so the stacks go in this order:\n\n"
        for step in stacks {
            text += "\(step.position). **\(e(step.account.name))** (account \(e(step.account.key)), \(step.account.id)): `\(step.templatePath)`, "
            text += "stack `\(step.stackName)` — " + e(step.contents.joined(separator: "; ")) + "."
            if !step.reasons.isEmpty || !step.keyReasons.isEmpty {
                text += " After the stacks above: " + e((step.reasons + step.keyReasons).joined(separator: "; ")) + "."
            }
            text += "\n"
        }
        text += "\n## Commands\n\n"
        text += "From the output folder, with one AWS CLI profile per account (named after the account key), in this order:\n\n"
        text += "```sh\n" + stacks.map(\.command).joined(separator: "\n") + "\n```\n\n"
        let parameters = stacks.flatMap(\.parameters)
        if !parameters.isEmpty {
            text += "## Parameters\n\n"
            text += "Each template refers to its own account as `AWS::AccountId` and to the other accounts by parameter, so the same "
            text += "templates deploy into other accounts with other values:\n\n"
            var seen: [String] = []
            let ordered = parameters.sorted { $0.account.id < $1.account.id }
            for parameter in ordered where !seen.contains(parameter.name) {
                seen.append(parameter.name)
                text += "- `\(parameter.name)`: the id of account \(e(parameter.account.key)) (\(e(parameter.account.name))), `\(parameter.value)` in the model.\n"
            }
            text += "\n"
        }
        text += "## Not in these templates\n\n"
        for note in notDeployed { text += "- " + e(note) + "\n" }
        if stacks.contains(where: { !$0.stack.tables.isEmpty }) {
            text += "- The items the snippet reads: `snippets/sample-data.json` lists them per table (or expect `GetItem` to find none).\n"
        }
        if !organizationCommands.isEmpty {
            text += "\nIn the organization's management account (profile `management`):\n\n```sh\n" + organizationCommands.joined(separator: "\n") + "\n```\n"
        }
        text += "\n## Then\n\n"
        text += "Run the option's snippet with a session of the function's execution role (inside the function, or from a laptop "
        text += "with a session the role's trust policy allows): `swift run --package-path snippets \(option.id)` from the output folder, "
        text += "with `AWS_REGION=\(region)` and the session's `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`.\n"
        return text
    }

    /// `cloudformation/<option>/deploy-order.json`: the same plan for tools (the moto test deploys from it).
    var orderDocument: LocatedValue {
        JSON.object([
            "option": JSON.string(option.id),
            "region": JSON.string(region),
            "stacks": JSON.array(stacks.map { step in
                JSON.object([
                    "position": JSON.number(step.position),
                    "account": JSON.string(step.account.key),
                    "accountId": JSON.string(step.account.id),
                    "stackName": JSON.string(step.stackName),
                    "template": JSON.string(step.templatePath),
                    "parameters": JSON.object(step.parameters.map { ($0.name, JSON.string($0.value)) }),
                    "after": JSON.array(step.stack.after.map { JSON.string(stacks[$0].stackName) }),
                    "principals": JSON.array(step.principalARNs.map(JSON.string)),
                    "command": JSON.string(step.command),
                ])
            }),
            "functions": JSON.array(deployment.functions.map(JSON.string)),
            "serviceControlPolicies": JSON.array(deployment.serviceControlPolicies.map { JSON.string("\($0.accountKey)/\($0.name)") }),
        ])
    }
}

/// The JSON of one template; remembers which other accounts its policies name (they become parameters).
struct TemplateBuilder {
    let model: Model
    let account: Account
    let logicalIDs: [Deployment.Resource: String]
    /// The other accounts the template refers to, in model order.
    private(set) var usedAccounts: [Account] = []
    /// The keys of the model whose ARN the template writes as text, with where: KMS gives a key CloudFormation creates
    /// a new id, so these must be changed to the deployed key's ARN (the key's stack outputs it).
    private(set) var keyARNsAsText: [(key: String, place: String)] = []
    /// The ARNs of the keys this template creates that its policies may name by `${<id>.Arn}`: those whose key policy
    /// names no principal of the same stack (a role naming such a key then depends on it, and the key on nothing it
    /// holds, so CloudFormation sees no circular dependency). Set per template.
    private var keysByARN: [String: String] = [:]
    /// The place the policy being written belongs to ("identity policy P of role R"), for `keyARNsAsText`.
    private var place = ""
    /// The keys of the model the current template creates.
    private var createdHere: Set<String> = []

    init(model: Model, account: Account, logicalIDs: [Deployment.Resource: String]) {
        self.model = model
        self.account = account
        self.logicalIDs = logicalIDs
    }

    mutating func template(_ stack: Deployment.Stack, deployment: Deployment, position: Int, names: [String]) -> LocatedValue {
        var resources: [(String, LocatedValue?)] = []
        var outputs: [(String, LocatedValue?)] = []
        keysByARN = [:]
        createdHere = Set(stack.entries.map(\.key))
        for deployed in stack.entries {
            guard let key = model.resources.first(where: { $0.key == deployed.key }), key.kind == .kmsKey else { continue }
            let resource = Deployment.Resource(kind: .entry, key: key.key, accountKey: key.accountKey)
            if sameStack(resource, stack: stack, deployment: deployment).isEmpty, let id = logicalIDs[resource] { keysByARN[key.arn] = id }
        }
        for deployed in stack.roles {
            guard let role = model.role(deployed.key) else { continue }
            let resource = Deployment.Resource(kind: .role, key: role.key, accountKey: role.accountKey)
            let id = logicalIDs[resource]!
            var properties: [(String, LocatedValue?)] = [
                ("RoleName", JSON.string(role.name)),
                ("Path", JSON.string(role.path)),
                ("MaxSessionDuration", JSON.number(role.maxSessionDuration)),
                ("AssumeRolePolicyDocument", policy(role.trust.document, of: "the trust policy of role \(role.name)")),
            ]
            let policies = role.policies.filter { deployed.policies.contains($0.name) }
            if !policies.isEmpty {
                properties.append(("Policies", JSON.array(policies.map { named in
                    JSON.object([
                        ("PolicyName", JSON.string(CloudFormation.iamName(named.name))),
                        ("PolicyDocument", policy(named.document, of: "the identity policy \(named.name) of role \(role.name)")),
                    ])
                })))
            }
            if deployed.boundary, let boundary = role.boundary {
                let boundaryID = id + "Boundary"
                resources.append((boundaryID, JSON.object([
                    ("Type", JSON.string("AWS::IAM::ManagedPolicy")),
                    ("Properties", JSON.object([
                        ("ManagedPolicyName", JSON.string(CloudFormation.iamName(role.name + "-boundary"))),
                        ("Description", JSON.string("Permissions boundary of role \(role.name)")),
                        ("PolicyDocument", policy(boundary.document, of: "the permissions boundary of role \(role.name)")),
                    ])),
                ])))
                properties.append(("PermissionsBoundary", JSON.object([("Ref", JSON.string(boundaryID))])))
            }
            resources.append((id, resourceJSON("AWS::IAM::Role", dependsOn: sameStack(resource, stack: stack, deployment: deployment), properties: properties)))
            outputs.append((id + "Arn", output("The ARN of role \(role.name)", id)))
        }
        for deployed in stack.tables {
            guard let table = model.table(deployed.key) else { continue }
            let resource = Deployment.Resource(kind: .table, key: table.key, accountKey: table.accountKey)
            let id = logicalIDs[resource]!
            let sample = SampleData(table: table)
            var attributes: [String] = [table.partitionKey] + (table.sortKey.map { [$0] } ?? [])
            var indexes: [LocatedValue] = []
            for index in table.indexes {
                let partition = sample.indexAttribute(index)
                let sort = table.indexKey(index)?.sortKey
                for attribute in [partition] + (sort.map { [$0] } ?? []) where !attributes.contains(attribute) { attributes.append(attribute) }
                indexes.append(JSON.object([
                    ("IndexName", JSON.string(index)),
                    ("KeySchema", keySchema(partition: partition, sort: sort)),
                    ("Projection", JSON.object([("ProjectionType", JSON.string("ALL"))])),
                ]))
            }
            var properties: [(String, LocatedValue?)] = [
                ("TableName", JSON.string(table.name)),
                ("BillingMode", JSON.string("PAY_PER_REQUEST")),
                ("AttributeDefinitions", JSON.array(attributes.map {
                    JSON.object([("AttributeName", JSON.string($0)), ("AttributeType", JSON.string("S"))])
                })),
                ("KeySchema", keySchema(partition: table.partitionKey, sort: table.sortKey)),
            ]
            if !indexes.isEmpty { properties.append(("GlobalSecondaryIndexes", JSON.array(indexes))) }
            if deployed.policy, let named = table.policy {
                properties.append(("ResourcePolicy", JSON.object([("PolicyDocument", policy(named.document, of: "the table policy of \(table.name)"))])))
            }
            resources.append((id, resourceJSON("AWS::DynamoDB::Table", dependsOn: sameStack(resource, stack: stack, deployment: deployment), properties: properties)))
            outputs.append((id + "Arn", output("The ARN of table \(table.name)", id)))
        }
        for deployed in stack.entries {
            guard let entry = model.resources.first(where: { $0.key == deployed.key }) else { continue }
            let resource = Deployment.Resource(kind: .entry, key: entry.key, accountKey: entry.accountKey)
            guard let id = logicalIDs[resource] else { continue }
            let (created, output) = entryJSON(entry, id: id, policy: deployed.policy, dependsOn: sameStack(resource, stack: stack, deployment: deployment))
            resources += created
            if let output { outputs.append((id + "Arn", output)) }
        }

        let parameters: [(String, LocatedValue?)] = usedAccounts.map { other in
            (CloudFormation.parameterName(other), JSON.object([
                ("Type", JSON.string("String")),
                ("Description", JSON.string(String("The id of account \(other.key) (\(other.name))".prefix(4000)))),
                ("AllowedPattern", JSON.string("^[0-9]{12}$")),
                ("ConstraintDescription", JSON.string("an account id: 12 digits")),
                ("Default", JSON.string(other.id)),
            ]))
        }
        let option = model.option(deployment.optionID)
        var description = "Trustflow, option \(deployment.optionID): what account \(account.key) (\(account.name)) holds"
        description += ", stack \(position + 1) of \(deployment.stacks.count)"
        if !stack.after.isEmpty { description += ", deploy after " + stack.after.map { names[$0] }.joined(separator: ", ") }
        description += ". \(option?.title ?? "")"
        var root: [(String, LocatedValue?)] = [
            ("AWSTemplateFormatVersion", JSON.string("2010-09-09")),
            ("Description", JSON.string(String(description.prefix(1000)))),
            ("Metadata", JSON.object([("Trustflow", JSON.object([
                ("Option", JSON.string(deployment.optionID)),
                ("Account", JSON.string(account.key)),
                ("AccountId", JSON.string(account.id)),
                ("DeployAfter", JSON.array(stack.after.map { JSON.string(names[$0]) })),
            ]))])),
        ]
        if !parameters.isEmpty { root.append(("Parameters", JSON.object(parameters))) }
        root.append(("Resources", JSON.object(resources)))
        root.append(("Outputs", JSON.object(outputs)))
        return JSON.object(root)
    }

    /// The logical ids of the resources of the same stack that `resource`'s policy names as principal: CloudFormation
    /// cannot see a dependency in an ARN written as text, so it is declared.
    func sameStack(_ resource: Deployment.Resource, stack: Deployment.Stack, deployment: Deployment) -> [String] {
        let cyclic = deployment.cycles.contains { $0.contains(resource) }
        return (deployment.principals[resource] ?? []).filter { principal in
            principal != resource && stack.resources.contains(principal) && !(cyclic && deployment.cycles.contains { $0.contains(principal) && $0.contains(resource) })
        }.compactMap { logicalIDs[$0] }
    }

    func resourceJSON(_ type: String, dependsOn: [String], properties: [(String, LocatedValue?)]) -> LocatedValue {
        var members: [(String, LocatedValue?)] = [("Type", JSON.string(type))]
        if !dependsOn.isEmpty { members.append(("DependsOn", JSON.array(dependsOn.map(JSON.string)))) }
        members.append(("Properties", JSON.object(properties)))
        return JSON.object(members)
    }

    /// The resources that create one entry of `resources:` with its policy, and its output (its deployed ARN). Names
    /// are the model's, so every ARN but a key's (KMS chooses key ids) and a secret's (Secrets Manager appends six
    /// random characters) equals the model's ARN.
    mutating func entryJSON(
        _ entry: Resource, id: String, policy deployedPolicy: Bool, dependsOn: [String]
    ) -> (resources: [(String, LocatedValue?)], output: LocatedValue?) {
        let noun = "\(entry.resourceKind.noun) \(entry.alias ?? entry.name)"
        let document = deployedPolicy ? entry.policy.map { policy($0.document, of: "the \(entry.resourceKind.policyNoun ?? "policy") of \(noun)") } : nil
        let reference = JSON.object([("Ref", JSON.string(id))])
        var resources: [(String, LocatedValue?)] = []
        /// The entry's policy as its own resource, after the principals it names.
        func policyResource(_ type: String, _ properties: [(String, LocatedValue?)]) {
            resources.append((id + "Policy", resourceJSON(type, dependsOn: dependsOn, properties: properties)))
        }
        switch entry.kind {
        case .kmsKey:
            // CloudFormation's KeyPolicy is optional, and without it KMS gives the key its default key policy (AWS KMS
            // Developer Guide, "Default key policy": the account may use IAM policies to allow every operation). The
            // template writes that policy out, the same document the engine decided the steps with, so that the key
            // policy deployed is the one checked and can be read in the template.
            let keyPolicy = entry.policy?.document ?? AWSManagedKey.defaultKeyPolicy(accountID: account.id)
            var properties: [(String, LocatedValue?)] = [
                ("Description", JSON.string(String("Trustflow key \(entry.key)\(entry.alias.map { " (\($0))" } ?? "")".prefix(8192)))),
            ]
            if let keyPolicy { properties.append(("KeyPolicy", policy(keyPolicy, of: "the key policy of \(noun)"))) }
            resources.append((id, resourceJSON("AWS::KMS::Key", dependsOn: dependsOn, properties: properties)))
            if let alias = entry.alias {
                resources.append((id + "Alias", resourceJSON("AWS::KMS::Alias", dependsOn: [], properties: [
                    ("AliasName", JSON.string(alias)), ("TargetKeyId", reference),
                ])))
            }
            return (resources, output("The ARN of key \(entry.alias ?? entry.key): KMS chose its id, the model's \(entry.name) is a stand-in", id))
        case .s3Bucket:
            var properties: [(String, LocatedValue?)] = [("BucketName", JSON.string(entry.name))]
            if let key = entry.encryptionKey {
                // No S3 Bucket Key: with one, S3 asks KMS with the bucket's ARN as encryption context, not the object's,
                // which is what the model's implied key steps carry.
                properties.append(("BucketEncryption", JSON.object([("ServerSideEncryptionConfiguration", JSON.array([JSON.object([
                    ("ServerSideEncryptionByDefault", JSON.object([("SSEAlgorithm", JSON.string("aws:kms")), ("KMSMasterKeyID", keyReference(key, of: noun))])),
                    ("BucketKeyEnabled", JSON.bool(false)),
                ])]))])))
            }
            properties.append(("OwnershipControls", JSON.object([("Rules", JSON.array([JSON.object([("ObjectOwnership", JSON.string("BucketOwnerEnforced"))])]))])))
            properties.append(("PublicAccessBlockConfiguration", JSON.object([
                ("BlockPublicAcls", JSON.bool(true)), ("BlockPublicPolicy", JSON.bool(true)),
                ("IgnorePublicAcls", JSON.bool(true)), ("RestrictPublicBuckets", JSON.bool(true)),
            ])))
            resources.append((id, resourceJSON("AWS::S3::Bucket", dependsOn: [], properties: properties)))
            if let document { policyResource("AWS::S3::BucketPolicy", [("Bucket", reference), ("PolicyDocument", document)]) }
            return (resources, output("The ARN of bucket \(entry.name)", id))
        case .sqsQueue:
            var properties: [(String, LocatedValue?)] = [("QueueName", JSON.string(entry.name))]
            if entry.name.hasSuffix(".fifo") { properties.append(("FifoQueue", JSON.bool(true))) }
            if let key = entry.encryptionKey { properties.append(("KmsMasterKeyId", keyReference(key, of: noun))) }
            resources.append((id, resourceJSON("AWS::SQS::Queue", dependsOn: [], properties: properties)))
            if let document { policyResource("AWS::SQS::QueuePolicy", [("Queues", JSON.array([reference])), ("PolicyDocument", document)]) }
            return (resources, output("The ARN of queue \(entry.name)", id))
        case .snsTopic:
            var properties: [(String, LocatedValue?)] = [("TopicName", JSON.string(entry.name))]
            if entry.name.hasSuffix(".fifo") { properties.append(("FifoTopic", JSON.bool(true))) }
            if let key = entry.encryptionKey { properties.append(("KmsMasterKeyId", keyReference(key, of: noun))) }
            resources.append((id, resourceJSON("AWS::SNS::Topic", dependsOn: [], properties: properties)))
            if let document { policyResource("AWS::SNS::TopicPolicy", [("Topics", JSON.array([reference])), ("PolicyDocument", document)]) }
            // A topic's Ref is its ARN (older CloudFormation, and moto, know no TopicArn attribute).
            return (resources, JSON.object([("Description", JSON.string("The ARN of topic \(entry.name)")), ("Value", reference)]))
        case .secret:
            var properties: [(String, LocatedValue?)] = [
                ("Name", JSON.string(entry.name)),
                ("Description", JSON.string("Trustflow secret \(entry.key): a generated value; put the real one with secretsmanager put-secret-value")),
            ]
            if let key = entry.encryptionKey { properties.append(("KmsKeyId", keyReference(key, of: noun))) }
            properties.append(("GenerateSecretString", JSON.object([("PasswordLength", JSON.number(32))])))
            resources.append((id, resourceJSON("AWS::SecretsManager::Secret", dependsOn: [], properties: properties)))
            if let document { policyResource("AWS::SecretsManager::ResourcePolicy", [("SecretId", reference), ("ResourcePolicy", document)]) }
            // A secret's Ref is its ARN, with the suffix Secrets Manager appended.
            return (resources, JSON.object([("Description", JSON.string("The ARN of secret \(entry.name)")), ("Value", reference)]))
        case .eventBus:
            if entry.name == "default" {
                // Every account has its default bus: CloudFormation cannot create it, only add statements to its
                // policy, one AWS::Events::EventBusPolicy each, named by the statement's Sid.
                let statements = document?.members?.first { $0.key == "Statement" }.map { $0.value.elements ?? [$0.value] } ?? []
                for (offset, statement) in statements.enumerated() {
                    let sid = statement.members?.first { $0.key == "Sid" }?.value.string ?? ""
                    let valid = (1...64).contains(sid.count) && sid.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
                    resources.append((id + "Policy" + (statements.count == 1 ? "" : String(offset + 1)), resourceJSON("AWS::Events::EventBusPolicy", dependsOn: dependsOn, properties: [
                        ("EventBusName", JSON.string(entry.name)), ("StatementId", JSON.string(valid ? sid : "Statement\(offset + 1)")), ("Statement", statement),
                    ])))
                }
                return (resources, nil)
            }
            // The bus's own Policy takes the whole document; AWS::Events::EventBusPolicy takes one statement each.
            var properties: [(String, LocatedValue?)] = [("Name", JSON.string(entry.name))]
            if let document { properties.append(("Policy", document)) }
            resources.append((id, resourceJSON("AWS::Events::EventBus", dependsOn: document == nil ? [] : dependsOn, properties: properties)))
            return (resources, output("The ARN of event bus \(entry.name)", id))
        case .lambdaFunction, .ecsTask, .ec2Instance, .iamRole, .iamUser, .dynamoDBTable, .dynamoDBIndex, .s3Object:
            return (resources, nil)  // not entries of `resources:` the templates create
        }
    }

    /// The key that encrypts a resource, as its property names it: `Fn::GetAtt` of the key when this template creates
    /// it (CloudFormation then creates the key first), else the model's ARN as text, to be changed to the deployed one.
    mutating func keyReference(_ key: String, of noun: String) -> LocatedValue {
        guard let entry = model.resources.first(where: { $0.key == key }) else { return JSON.string(key) }
        let resource = Deployment.Resource(kind: .entry, key: key, accountKey: entry.accountKey)
        if createdHere.contains(key), let id = logicalIDs[resource] {
            return JSON.object([("Fn::GetAtt", JSON.array([JSON.string(id), JSON.string("Arn")]))])
        }
        place = "the encryption settings of \(noun)"
        return substitute(JSON.string(entry.arn))
    }

    func keySchema(partition: String, sort: String?) -> LocatedValue {
        var keys = [JSON.object([("AttributeName", JSON.string(partition)), ("KeyType", JSON.string("HASH"))])]
        if let sort { keys.append(JSON.object([("AttributeName", JSON.string(sort)), ("KeyType", JSON.string("RANGE"))])) }
        return JSON.array(keys)
    }

    func output(_ description: String, _ id: String) -> LocatedValue {
        JSON.object([
            ("Description", JSON.string(description)),
            ("Value", JSON.object([("Fn::GetAtt", JSON.array([JSON.string(id), JSON.string("Arn")]))])),
        ])
    }

    /// The policy document as written, with every account id of the model replaced by a reference, and the ARN of a
    /// key the same template creates by that key's deployed ARN. `place` names the policy for the deploy notes.
    mutating func policy(_ document: PolicyDocument, of place: String) -> LocatedValue {
        self.place = place
        return substitute(document.source)
    }

    mutating func substitute(_ value: LocatedValue) -> LocatedValue {
        switch value.kind {
        case .string(let text):
            return substitute(text).map { JSON.object([("Fn::Sub", JSON.string($0))]) } ?? JSON.string(text)
        case .array(let elements):
            return JSON.array(elements.map { substitute($0) })
        case .object(let members):
            return JSON.object(members.map { ($0.key, substitute($0.value)) })
        case .number, .bool, .null:
            return LocatedValue(value.kind, at: value.location)
        }
    }

    /// `text` as an `Fn::Sub` string when it holds a model account id (a 12-digit run of its own), else `nil`. The
    /// stack's own account becomes `${AWS::AccountId}`, another `${Account<Key>Id}`; a `${` already in the text (a
    /// policy variable such as `${aws:username}`) is written `${!` so that CloudFormation leaves it to IAM. The ARN of
    /// a key this template creates (see `keysByARN`) becomes `${<id>.Arn}`; the ARN of another key of the model stays
    /// as written and is remembered in `keyARNsAsText`.
    mutating func substitute(_ text: String) -> String? {
        var out = ""
        var replaced = false
        var index = text.startIndex
        while index < text.endIndex {
            if text[index] == "a", let (arn, id) = keysByARN.first(where: { text[index...].hasPrefix($0.key) }) {
                out += "${\(id).Arn}"
                replaced = true
                index = text.index(index, offsetBy: arn.count)
                continue
            }
            if text[index] == "a", let key = model.resources.first(where: { $0.kind == .kmsKey && text[index...].hasPrefix($0.arn) }),
               !keyARNsAsText.contains(where: { $0.key == key.key && $0.place == place }) {
                keyARNsAsText.append((key.key, place))
            }
            if text[index].isASCII, text[index].isNumber {
                let end = text[index...].firstIndex { !($0.isASCII && $0.isNumber) } ?? text.endIndex
                let digits = String(text[index..<end])
                if digits.count == 12, let owner = model.accounts.first(where: { $0.id == digits }) {
                    if owner.key == account.key {
                        out += "${AWS::AccountId}"
                    } else {
                        out += "${\(CloudFormation.parameterName(owner))}"
                        if !usedAccounts.contains(owner) {
                            usedAccounts.append(owner)
                            usedAccounts.sort { a, b in
                                (model.accounts.firstIndex(of: a) ?? 0) < (model.accounts.firstIndex(of: b) ?? 0)
                            }
                        }
                    }
                    replaced = true
                } else {
                    out += digits
                }
                index = end
            } else if text[index...].hasPrefix("${") {
                out += "${!"
                index = text.index(index, offsetBy: 2)
            } else {
                out.append(text[index])
                index = text.index(after: index)
            }
        }
        return replaced ? out : nil
    }
}

/// Shell words for the commands the guide and the READMEs print: the one escaper for POSIX shell text.
enum ShellText {
    /// `text` as it is when it needs no quoting, else in single quotes.
    static func quote(_ text: String) -> String {
        let safe = !text.isEmpty && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_./=:,@+%".contains($0)) }
        return safe ? text : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
