import Foundation
import Model
import Policy
import Render
import Resolution
import Source
import Testing

/// The templates are read back as JSON and judged on their own text: the ARNs they create, the principals their
/// policies name, the policies they carry — not on the plan that wrote them.
@Suite struct CloudFormationTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../examples").standardized.path

    /// A model with every kind the templates create from `resources:` (Fixtures/every-kind/model.yml).
    static let everyKind = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/every-kind").standardized.path

    /// The default content, every example and the model with every kind.
    static var contentFolders: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: examples)) ?? []
        return [defaultContent] + names.sorted().map { examples + "/" + $0 }.filter { FileManager.default.fileExists(atPath: $0 + "/model.yml") } + [everyKind]
    }

    @Test(arguments: contentFolders) func templatesAreDeterministic(_ folder: String) throws {
        let model = try ModelLoader.load(contentDirectory: folder)
        let first = CloudFormation.render(model, resolution: Resolver.resolve(model))
        let second = CloudFormation.render(try ModelLoader.load(contentDirectory: folder), resolution: Resolver.resolve(model))
        #expect(first == second)
        #expect(first.map(\.path) == first.map(\.path).sorted())
        for option in model.options {
            #expect(first.contains { $0.path == "cloudformation/\(option.id)/README.md" })
            #expect(first.contains { $0.path == "cloudformation/\(option.id)/deploy-order.json" })
        }
    }

    @Test(arguments: contentFolders) func everyCreatedARNIsTheModelsARN(_ folder: String) throws {
        let model = try ModelLoader.load(contentDirectory: folder)
        for template in try Templates(model).all {
            for (_, resource) in template.resources {
                let properties = resource["Properties"] as? [String: Any] ?? [:]
                switch resource["Type"] as? String {
                case "AWS::IAM::Role":
                    let arn = "arn:aws:iam::\(template.accountID):role\(properties["Path"] as? String ?? "/")\(properties["RoleName"] as? String ?? "")"
                    #expect(model.roles.contains { $0.arn == arn }, "\(template.path) creates \(arn), which the model does not derive")
                case "AWS::DynamoDB::Table":
                    let arn = "arn:aws:dynamodb:\(model.region):\(template.accountID):table/\(properties["TableName"] as? String ?? "")"
                    #expect(model.tables.contains { $0.arn == arn }, "\(template.path) creates \(arn), which the model does not derive")
                case "AWS::S3::Bucket":
                    let arn = "arn:aws:s3:::\(properties["BucketName"] as? String ?? "")"
                    #expect(model.resources.contains { $0.arn == arn && model.account($0.accountKey)?.id == template.accountID }, "\(template.path) creates \(arn)")
                case "AWS::SQS::Queue", "AWS::SNS::Topic", "AWS::Events::EventBus":
                    let name = properties["QueueName"] ?? properties["TopicName"] ?? properties["Name"]
                    let arn = model.resources.first { $0.name == name as? String && model.account($0.accountKey)?.id == template.accountID }?.arn
                    #expect(arn.map { ARN($0)?.account == template.accountID } == true, "\(template.path) creates \(name ?? "?"), which the model does not declare")
                case "AWS::SecretsManager::Secret":
                    // Secrets Manager appends its own suffix: the name is the model's.
                    #expect(model.resources.contains { $0.kind == .secret && $0.name == properties["Name"] as? String }, "\(template.path): secret not in the model")
                case "AWS::KMS::Key":
                    // KMS chooses the id: the key is the model's by its description, which names its key.
                    let description = properties["Description"] as? String ?? ""
                    #expect(model.resources.contains { $0.kind == .kmsKey && Templates.describes(description, key: $0.key) }, "\(template.path): \(description)")
                case "AWS::IAM::ManagedPolicy", "AWS::KMS::Alias", "AWS::S3::BucketPolicy", "AWS::SQS::QueuePolicy", "AWS::SNS::TopicPolicy",
                     "AWS::SecretsManager::ResourcePolicy", "AWS::Events::EventBusPolicy":
                    break
                case let other:
                    Issue.record("\(template.path): unexpected resource type \(other ?? "none")")
                }
            }
        }
    }

    /// AWS refuses a Principal naming a role that does not exist: every role a template's policies name comes from an
    /// earlier stack, or from the same stack with a DependsOn.
    @Test(arguments: contentFolders) func principalsAreDeployedBeforeThePoliciesNamingThem(_ folder: String) throws {
        let model = try ModelLoader.load(contentDirectory: folder)
        let templates = try Templates(model)
        for option in model.options {
            let stacks = templates.byOption[option.id] ?? []
            for (position, template) in stacks.enumerated() {
                for (logicalID, resource) in template.resources {
                    let properties = resource["Properties"] as? [String: Any] ?? [:]
                    let documents = [
                        properties["AssumeRolePolicyDocument"], (properties["ResourcePolicy"] as? [String: Any])?["PolicyDocument"], properties["KeyPolicy"],
                        properties["PolicyDocument"], properties["Policy"], properties["Statement"].map { ["Statement": $0] },
                        resource["Type"] as? String == "AWS::SecretsManager::ResourcePolicy" ? properties["ResourcePolicy"] : nil,
                    ]
                    for document in documents.compactMap({ $0 }) {
                        for principal in Templates.principals(template.resolve(document)) {
                            guard let role = Templates.role(namedBy: principal, model: model) else { continue }
                            let creator = stacks.firstIndex { $0.createsRole(role) }
                            let creatorIndex = try #require(creator, "\(template.path): \(logicalID) names \(principal), which no stack of \(option.id) creates")
                            if creatorIndex == position {
                                let createdBy = template.logicalID(ofRole: role)
                                let dependsOn = resource["DependsOn"] as? [String] ?? []
                                #expect(createdBy == logicalID || dependsOn.contains(createdBy ?? ""), "\(template.path): \(logicalID) names \(principal) without DependsOn")
                            } else {
                                #expect(creatorIndex < position, "\(template.path) names \(principal), created by a later stack (\(stacks[creatorIndex].path))")
                            }
                        }
                    }
                }
            }
        }
    }

    /// The model key of what carries a policy ("" for an account's SCPs).
    static func ownerKey(_ policy: AppliedPolicy) -> String {
        switch policy.owner {
        case .role(let key), .table(let key), .user(let key), .resource(let key, _): key
        case .account: ""
        }
    }

    @Test(arguments: contentFolders) func everyRequiredPolicyIsInATemplateOfItsOption(_ folder: String) throws {
        let model = try ModelLoader.load(contentDirectory: folder)
        let resolution = Resolver.resolve(model)
        let templates = try Templates(model)
        for option in resolution.options {
            let stacks = templates.byOption[option.id] ?? []
            for step in option.steps {
                // SCPs belong to the organization, an invoked function's policy to the function, an IAM user's to the
                // user the team creates, an AWS managed key's to AWS (the deploy notes say so).
                for requirement in step.requirements where requirement.policy.kind != .serviceControl && requirement.policy.ownerKind?.id != .lambdaFunction
                    && requirement.policy.ownerKind?.id != .iamUser && !AWSManagedKey.isManaged(Self.ownerKey(requirement.policy)) {
                    let policy = requirement.policy
                    let document = try #require(Resolver.document(of: policy, model: model))
                    let expected = try JSONSerialization.jsonObject(with: Data(document.jsonText.utf8)) as? NSDictionary
                    let found = stacks.flatMap { template in template.documents(of: policy, model: model).map { template.resolve($0) as? NSDictionary } }
                    #expect(found.contains(expected), "\(option.id) step \(step.number): \(policy.label) is in no template, or not as written")
                }
            }
        }
    }

    /// The templates leave out the policies no step of the option uses; without them every step must still be decided
    /// as the model decides it (SCPs stay: the organization attaches them).
    @Test(arguments: contentFolders) func theDeployedPoliciesDecideEveryStepAsTheModelDoes(_ folder: String) throws {
        let model = try ModelLoader.load(contentDirectory: folder)
        let resolution = Resolver.resolve(model)
        for option in resolution.options {
            let deployment = Deployment.plan(option, model: model)
            var deployed = model
            let roles = deployment.stacks.flatMap(\.roles)
            let tables = deployment.stacks.flatMap(\.tables)
            for index in deployed.roles.indices {
                let kept = roles.first { $0.key == deployed.roles[index].key }
                deployed.roles[index].policies = deployed.roles[index].policies.filter { kept?.policies.contains($0.name) ?? false }
            }
            for index in deployed.tables.indices where !(tables.first { $0.key == deployed.tables[index].key }?.policy ?? false) {
                deployed.tables[index].policy = nil
            }
            let entries = deployment.stacks.flatMap(\.entries)
            for index in deployed.resources.indices where !(entries.first { $0.key == deployed.resources[index].key }?.policy ?? false) {
                // A key always has a key policy: one not deployed would be AWS's default, which is what nil means.
                deployed.resources[index].policy = nil
            }
            let again = Resolver.resolve(try #require(deployed.option(option.id)), in: deployed)
            #expect(again.steps.map(\.decision) == option.steps.map(\.decision), "\(option.id) decides differently with only its deployed policies")
        }
    }

    @Test func theDefaultContentDeploysAccountAFirst() throws {
        let model = try ModelLoader.load(contentDirectory: defaultContent)
        let files = CloudFormation.render(model, resolution: Resolver.resolve(model))
        let readme = try #require(files.first { $0.path == "cloudformation/trusted-role/README.md" }).text
        let first = try #require(readme.range(of: "aws cloudformation deploy --stack-name trustflow-A --template-file cloudformation/trusted-role/A.json"))
        let second = try #require(readme.range(of: "aws cloudformation deploy --stack-name trustflow-B --template-file cloudformation/trusted-role/B.json"))
        #expect(first.lowerBound < second.lowerBound)
        #expect(readme.contains("--parameter-overrides AccountAId=111111111111"))
        #expect(readme.contains("--capabilities CAPABILITY_NAMED_IAM --region us-east-1 --profile B"))
        // Option 1 needs neither option 2's grant on A's role nor the table policy.
        let a = try #require(files.first { $0.path == "cloudformation/trusted-role/A.json" }).text
        let b = try #require(files.first { $0.path == "cloudformation/trusted-role/B.json" }).text
        #expect(a.contains("\"PolicyName\": \"AssumeDataRole\"") && !a.contains("OrdersTableDirect"))
        #expect(!b.contains("ResourcePolicy") && !b.contains("\"ListTables\""))
        #expect(b.contains("\"Fn::Sub\": \"arn:aws:iam::${AccountAId}:role/LambdaExecutionRole\""))
        let tablePolicy = try #require(files.first { $0.path == "cloudformation/table-policy/B.json" }).text
        #expect(tablePolicy.contains("\"ResourcePolicy\""))
    }

    @Test func aPolicyVariableIsLeftToIAM() throws {
        let folder = try GuideContentFolder(model: """
            title: Variables
            accounts:
              A: { id: "111111111111", name: A }
            roles:
              Exec:
                account: A
                trust: { Version: "2012-10-17", Statement: { Effect: Allow, Principal: { Service: lambda.amazonaws.com }, Action: "sts:AssumeRole" } }
                policies:
                  Own: { Version: "2012-10-17", Statement: { Effect: Allow, Action: "dynamodb:GetItem", Resource: ["arn:aws:dynamodb:us-east-1:111111111111:table/Tab", "arn:aws:dynamodb:us-east-1:111111111111:table/${aws:username}"] } }
            functions:
              f: { account: A, role: Exec }
            tables:
              T: { account: A, name: Tab }
            options:
              - { id: o, title: O, policyLives: x, bestFor: y, steps: [{ caller: f, action: dynamodb:GetItem, target: T }] }
            """)
        defer { folder.remove() }
        let model = try folder.load()
        let template = try #require(CloudFormation.render(model, resolution: Resolver.resolve(model)).first { $0.path == "cloudformation/o/A.json" }).text
        #expect(template.contains("\"Fn::Sub\": \"arn:aws:dynamodb:us-east-1:${AWS::AccountId}:table/${!aws:username}\""))
    }

    /// A's table policy names B's role, whose trust names A's execution role: A's two resources go into two stacks
    /// around B's. Two roles trusting each other cannot be ordered at all, and the plan says so.
    @Test func accountsThatNameEachOtherAreSplitAndTrueCyclesAreReported() throws {
        let trust = { (principal: String) in
            "{ Version: \"2012-10-17\", Statement: { Effect: Allow, Principal: { AWS: \"\(principal)\" }, Action: \"sts:AssumeRole\" } }"
        }
        let folder = try GuideContentFolder(model: """
            title: Cycles
            accounts:
              A: { id: "111111111111", name: A }
              B: { id: "222222222222", name: B }
            roles:
              Exec:
                account: A
                trust: { Version: "2012-10-17", Statement: { Effect: Allow, Principal: { Service: lambda.amazonaws.com }, Action: "sts:AssumeRole" } }
                policies:
                  Assume: { Version: "2012-10-17", Statement: { Effect: Allow, Action: "sts:AssumeRole", Resource: "arn:aws:iam::222222222222:role/Reader" } }
              Reader:
                account: B
                trust: \(trust("arn:aws:iam::111111111111:role/Exec"))
                policies:
                  Read: { Version: "2012-10-17", Statement: { Effect: Allow, Action: "dynamodb:GetItem", Resource: "arn:aws:dynamodb:us-east-1:111111111111:table/Tab" } }
              Left:
                account: A
                trust: \(trust("arn:aws:iam::222222222222:role/Right"))
              Right:
                account: B
                trust: \(trust("arn:aws:iam::111111111111:role/Left"))
            functions:
              f: { account: A, role: Exec }
            tables:
              T:
                account: A
                name: Tab
                policy: { Version: "2012-10-17", Statement: { Effect: Allow, Principal: { AWS: "arn:aws:iam::222222222222:role/Reader" }, Action: "dynamodb:GetItem", Resource: "arn:aws:dynamodb:us-east-1:111111111111:table/Tab" } }
            options:
              - id: split
                title: Split
                policyLives: x
                bestFor: y
                steps:
                  - { caller: f, action: sts:AssumeRole, target: Reader }
                  - { caller: Reader, action: dynamodb:GetItem, target: T }
              - id: cycle
                title: Cycle
                policyLives: x
                bestFor: y
                steps:
                  - { caller: f, action: sts:AssumeRole, target: Left, expect: implicitDeny }
            """)
        defer { folder.remove() }
        let model = try folder.load()
        let resolution = Resolver.resolve(model)
        let split = Deployment.plan(try #require(resolution.option("split")), model: model)
        #expect(split.stacks.map { "\($0.accountKey)\($0.part.map(String.init) ?? "")" } == ["A1", "B", "A2"])
        #expect(split.stacks[0].roles.map(\.key) == ["Exec"] && split.stacks[2].tables.map(\.key) == ["T"])
        #expect(split.stacks[1].after == [0] && split.stacks[2].after == [1])
        #expect(split.cycles.isEmpty)
        let files = CloudFormation.render(model, resolution: resolution).map(\.path)
        #expect(files.contains("cloudformation/split/A-1.json") && files.contains("cloudformation/split/A-2.json"))

        let cycle = Deployment.plan(try #require(resolution.option("cycle")), model: model)
        #expect(cycle.cycles.map { $0.map(\.key) } == [["Left", "Right"]])
        let readme = try #require(CloudFormation.plan("cycle", model: model, resolution: resolution)).notDeployed.joined(separator: " ")
        #expect(readme.contains("role Left of account A and role Right of account B name each other as principal"))
    }

    @Test func theGuideSaysHowToDeployEachOption() throws {
        let model = try ModelLoader.load(contentDirectory: defaultContent)
        let markdown = try #require(try Guide.render(GuideInputs(model: model)).first { $0.path == "guide.md" }).text
        #expect(markdown.contains("Deploy it"))
        #expect(markdown.contains("aws cloudformation deploy --stack-name trustflow-A --template-file cloudformation/table-policy/A.json"))
        #expect(markdown.contains("The Lambda function orders-api itself"))
        let page = "# T\n\n```trustflow\ndeploy nope\n```\n"
        let messages = Guide.validate(GuideInputs(model: model, pages: [GuideSource(path: "g.md", name: "index", text: page)])).map(\.description)
        #expect(messages.first?.hasPrefix("g.md:4:1: error: unknown option 'nope'") == true)
    }
}

/// The rendered templates of a model, parsed.
struct Templates {
    struct Template {
        var path: String
        var accountID: String
        var json: [String: Any]
        var parameters: [String: String]
        /// The model's ARN of each key the template creates, by logical id: `${<id>.Arn}` stands for it (KMS chooses
        /// the deployed id).
        var keyARNs: [String: String] = [:]

        var resources: [(String, [String: Any])] {
            ((json["Resources"] as? [String: Any]) ?? [:]).sorted { $0.key < $1.key }.compactMap { key, value in (value as? [String: Any]).map { (key, $0) } }
        }

        /// A value with its `Fn::Sub`s worked out as CloudFormation would with the parameters' defaults.
        func resolve(_ value: Any) -> Any {
            if let object = value as? [String: Any] {
                if object.count == 1, let text = object["Fn::Sub"] as? String {
                    var out = text.replacingOccurrences(of: "${AWS::AccountId}", with: accountID)
                    for (name, id) in parameters { out = out.replacingOccurrences(of: "${\(name)}", with: id) }
                    for (id, arn) in keyARNs { out = out.replacingOccurrences(of: "${\(id).Arn}", with: arn) }
                    return out.replacingOccurrences(of: "${!", with: "${")
                }
                return object.mapValues { resolve($0) } as NSDictionary
            }
            if let array = value as? [Any] { return array.map { resolve($0) } as NSArray }
            return value
        }

        func logicalID(ofRole role: Role) -> String? {
            resources.first { _, resource in
                let properties = resource["Properties"] as? [String: Any] ?? [:]
                return resource["Type"] as? String == "AWS::IAM::Role" && properties["RoleName"] as? String == role.name && properties["Path"] as? String == role.path
            }?.0
        }

        /// The policy document of `entry` a template resource holds, if it is that entry's policy resource.
        func entryDocument(_ entry: Resource, type: String, properties: [String: Any]) -> Any? {
            func names(_ value: Any?) -> Bool {
                guard let reference = (value as? [String: Any])?["Ref"] as? String,
                      let created = (json["Resources"] as? [String: Any])?[reference] as? [String: Any] else { return false }
                let props = created["Properties"] as? [String: Any] ?? [:]
                return [props["BucketName"], props["QueueName"], props["TopicName"], props["Name"]].contains { $0 as? String == entry.name }
            }
            switch type {
            case "AWS::KMS::Key": return Templates.describes(properties["Description"] as? String ?? "", key: entry.key) ? properties["KeyPolicy"] : nil
            case "AWS::S3::BucketPolicy": return names(properties["Bucket"]) ? properties["PolicyDocument"] : nil
            case "AWS::SQS::QueuePolicy": return names((properties["Queues"] as? [Any])?.first) ? properties["PolicyDocument"] : nil
            case "AWS::SNS::TopicPolicy": return names((properties["Topics"] as? [Any])?.first) ? properties["PolicyDocument"] : nil
            case "AWS::SecretsManager::ResourcePolicy": return names(properties["SecretId"]) ? properties["ResourcePolicy"] : nil
            case "AWS::Events::EventBus": return properties["Name"] as? String == entry.name ? properties["Policy"] : nil
            default: return nil
            }
        }

        func createsRole(_ role: Role) -> Bool { logicalID(ofRole: role) != nil && role.arn.contains(":\(accountID):") }

        /// The documents a template holds for an applied policy.
        func documents(of policy: AppliedPolicy, model: Model) -> [Any] {
            var found: [Any] = []
            var busStatements: [Any] = []
            for (_, resource) in resources {
                let properties = resource["Properties"] as? [String: Any] ?? [:]
                switch (policy.kind, policy.owner) {
                case (.identity, .role(let key)), (.trust, .role(let key)), (.boundary, .role(let key)):
                    guard let role = model.role(key), resource["Type"] as? String == "AWS::IAM::Role", properties["RoleName"] as? String == role.name,
                          role.arn.contains(":\(accountID):") else { continue }
                    if policy.kind == .trust, let document = properties["AssumeRolePolicyDocument"] { found.append(document) }
                    if policy.kind == .identity {
                        for inline in properties["Policies"] as? [[String: Any]] ?? [] where inline["PolicyName"] as? String == policy.name {
                            if let document = inline["PolicyDocument"] { found.append(document) }
                        }
                    }
                    if policy.kind == .boundary, let reference = (properties["PermissionsBoundary"] as? [String: Any])?["Ref"] as? String,
                       let boundary = (json["Resources"] as? [String: Any])?[reference] as? [String: Any],
                       let document = (boundary["Properties"] as? [String: Any])?["PolicyDocument"] {
                        found.append(document)
                    }
                case (.tablePolicy, .table(let key)):
                    guard let table = model.table(key), resource["Type"] as? String == "AWS::DynamoDB::Table", properties["TableName"] as? String == table.name,
                          let document = (properties["ResourcePolicy"] as? [String: Any])?["PolicyDocument"] else { continue }
                    found.append(document)
                case (.resourcePolicy, .resource(let key, _)), (.keyPolicy, .resource(let key, _)):
                    guard let entry = model.resources.first(where: { $0.key == key }), model.account(entry.accountKey)?.id == accountID else { continue }
                    if resource["Type"] as? String == "AWS::Events::EventBusPolicy", properties["EventBusName"] as? String == entry.name,
                       let statement = properties["Statement"] {
                        busStatements.append(statement)  // the default bus: one resource per statement
                    } else if let document = entryDocument(entry, type: resource["Type"] as? String ?? "", properties: properties) {
                        found.append(document)
                    }
                default:
                    break
                }
            }
            if !busStatements.isEmpty { found.append(["Version": "2012-10-17", "Statement": busStatements]) }
            return found
        }
    }

    var all: [Template] = []
    /// Each option's templates in deploy order (as its deploy-order.json lists them).
    var byOption: [String: [Template]] = [:]

    init(_ model: Model) throws {
        let files = CloudFormation.render(model, resolution: Resolver.resolve(model))
        let texts = Dictionary(files.map { ($0.path, $0.text) }, uniquingKeysWith: { first, _ in first })
        for option in model.options {
            let order = try #require(texts["cloudformation/\(option.id)/deploy-order.json"])
            let plan = try #require(try JSONSerialization.jsonObject(with: Data(order.utf8)) as? [String: Any])
            for stack in plan["stacks"] as? [[String: Any]] ?? [] {
                let path = try #require(stack["template"] as? String)
                let text = try #require(texts[path])
                let json = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
                var parameters: [String: String] = [:]
                for (name, value) in json["Parameters"] as? [String: [String: Any]] ?? [:] { parameters[name] = value["Default"] as? String }
                var template = Template(path: path, accountID: try #require(stack["accountId"] as? String), json: json, parameters: parameters)
                for (id, resource) in template.resources where resource["Type"] as? String == "AWS::KMS::Key" {
                    let description = (resource["Properties"] as? [String: Any])?["Description"] as? String ?? ""
                    template.keyARNs[id] = model.resources.first { $0.kind == .kmsKey && Templates.describes(description, key: $0.key) }?.arn
                }
                all.append(template)
                byOption[option.id, default: []].append(template)
            }
        }
        // Every template file is in some deploy order.
        let listed = Set(all.map(\.path))
        for file in files where file.path.hasSuffix(".json") && !file.path.hasSuffix("/deploy-order.json") {
            #expect(listed.contains(file.path), "\(file.path) is in no deploy-order.json")
        }
    }

    /// Whether a key's description (`Trustflow key <key>` and its alias) names the model key `key`: KMS chooses the
    /// id, so the description is what ties a template's key to the model.
    static func describes(_ description: String, key: String) -> Bool {
        description == "Trustflow key \(key)" || description.hasPrefix("Trustflow key \(key) (")
    }

    /// The `AWS` principals of a resolved policy document.
    static func principals(_ document: Any) -> [String] {
        guard let document = document as? [String: Any] else { return [] }
        let statements = (document["Statement"] as? [Any]) ?? [document["Statement"] as Any]
        var found: [String] = []
        for case let statement as [String: Any] in statements {
            for key in ["Principal", "NotPrincipal"] {
                guard let principal = statement[key] as? [String: Any], let aws = principal["AWS"] else { continue }
                if let one = aws as? String { found.append(one) } else if let many = aws as? [String] { found += many }
            }
        }
        return found
    }

    /// The model role a principal ARN names: the role, or one of its sessions.
    static func role(namedBy principal: String, model: Model) -> Role? {
        if let role = model.roles.first(where: { $0.arn == principal }) { return role }
        guard let arn = ARN(principal), arn.service == "sts", arn.resource.hasPrefix("assumed-role/") else { return nil }
        let name = arn.resource.split(separator: "/")[1]
        return model.roles.first { $0.name == name && model.account($0.accountKey)?.id == arn.account }
    }
}
