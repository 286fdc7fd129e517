import Foundation
import Model
import Render
import Resolution
import Testing

/// The templates of the kinds `resources:` declares — buckets, keys, queues, topics, secrets, event buses — read back
/// as JSON: the resources each kind becomes, the key policy a key gets when the model writes none, the order of the
/// stacks, and what the deploy notes leave to the team.
@Suite struct CloudFormationKindsTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized.path

    func templates(_ folder: String) throws -> (Model, Templates, [OutputFile]) {
        let model = try ModelLoader.load(contentDirectory: folder)
        return (model, try Templates(model), CloudFormation.render(model, resolution: Resolver.resolve(model)))
    }

    func template(_ templates: Templates, _ path: String) throws -> Templates.Template {
        try #require(templates.all.first { $0.path == path }, "no \(path)")
    }

    static func getAtt(_ id: String) -> NSDictionary { ["Fn::GetAtt": [id, "Arn"]] }

    @Test func everyKindBecomesItsResourcesWithItsPolicy() throws {
        let (_, templates, _) = try templates(CloudFormationTests.everyKind)
        let b = try template(templates, "cloudformation/across/B.json")
        let resources = Dictionary(uniqueKeysWithValues: b.resources)
        let types = resources.mapValues { $0["Type"] as? String ?? "" }
        #expect(types == [
            "WorkerRole": "AWS::IAM::Role", "DataKey": "AWS::KMS::Key", "DataKeyAlias": "AWS::KMS::Alias",
            "Bucket": "AWS::S3::Bucket", "BucketPolicy": "AWS::S3::BucketPolicy", "Queue": "AWS::SQS::Queue", "QueuePolicy": "AWS::SQS::QueuePolicy",
            "Topic": "AWS::SNS::Topic", "TopicPolicy": "AWS::SNS::TopicPolicy", "Secret": "AWS::SecretsManager::Secret",
            "SecretPolicy": "AWS::SecretsManager::ResourcePolicy", "BusEventBus": "AWS::Events::EventBus", "DefaultBusEventBusPolicy": "AWS::Events::EventBusPolicy",
        ])
        func properties(_ id: String) -> [String: Any] { resources[id]?["Properties"] as? [String: Any] ?? [:] }

        // The bucket: its name, SSE-KMS with the template's key (no bucket key: the model's context is the object's ARN),
        // owner-enforced objects, every public access blocked, and its policy as a BucketPolicy on it.
        let bucket = properties("Bucket")
        #expect(bucket["BucketName"] as? String == "tf-every-kind")
        let sse = (((bucket["BucketEncryption"] as? [String: Any])?["ServerSideEncryptionConfiguration"] as? [[String: Any]])?.first)
        let byDefault = sse?["ServerSideEncryptionByDefault"] as? [String: Any]
        #expect(byDefault?["SSEAlgorithm"] as? String == "aws:kms")
        #expect(byDefault?["KMSMasterKeyID"] as? NSDictionary == Self.getAtt("DataKey"))
        #expect(sse?["BucketKeyEnabled"] as? Bool == false)
        #expect((((bucket["OwnershipControls"] as? [String: Any])?["Rules"] as? [[String: Any]])?.first?["ObjectOwnership"] as? String) == "BucketOwnerEnforced")
        let block = bucket["PublicAccessBlockConfiguration"] as? [String: Bool] ?? [:]
        #expect(block == ["BlockPublicAcls": true, "BlockPublicPolicy": true, "IgnorePublicAcls": true, "RestrictPublicBuckets": true])
        #expect(properties("BucketPolicy")["Bucket"] as? NSDictionary == ["Ref": "Bucket"])
        #expect(Templates.principals(b.resolve(properties("BucketPolicy")["PolicyDocument"] as Any)) == ["arn:aws:iam::111111111111:role/Exec"])

        // The key with the model's key policy and its alias; queue, topic and secret encrypted with it.
        #expect(Templates.principals(b.resolve(properties("DataKey")["KeyPolicy"] as Any)) == ["arn:aws:iam::222222222222:root", "arn:aws:iam::111111111111:role/Exec"])
        #expect(properties("DataKeyAlias")["AliasName"] as? String == "alias/every-kind")
        #expect(properties("DataKeyAlias")["TargetKeyId"] as? NSDictionary == ["Ref": "DataKey"])
        #expect(properties("Queue")["QueueName"] as? String == "every-kind-queue")
        #expect(properties("Queue")["KmsMasterKeyId"] as? NSDictionary == Self.getAtt("DataKey"))
        #expect(properties("QueuePolicy")["Queues"] as? NSArray == [["Ref": "Queue"]])
        #expect(properties("Topic")["TopicName"] as? String == "every-kind-topic")
        #expect(properties("Topic")["KmsMasterKeyId"] as? NSDictionary == Self.getAtt("DataKey"))
        #expect(properties("TopicPolicy")["Topics"] as? NSArray == [["Ref": "Topic"]])
        #expect(properties("Secret")["Name"] as? String == "every-kind-secret")
        #expect(properties("Secret")["KmsKeyId"] as? NSDictionary == Self.getAtt("DataKey"))
        #expect(properties("Secret")["GenerateSecretString"] != nil)
        #expect(properties("SecretPolicy")["SecretId"] as? NSDictionary == ["Ref": "Secret"])
        #expect(Templates.principals(b.resolve(properties("SecretPolicy")["ResourcePolicy"] as Any)) == ["arn:aws:iam::111111111111:role/Exec"])

        // A bus takes its whole policy; the default bus exists already and gets one EventBusPolicy per statement.
        #expect(properties("BusEventBus")["Name"] as? String == "every-kind-bus")
        #expect(Templates.principals(b.resolve(properties("BusEventBus")["Policy"] as Any)) == ["arn:aws:iam::111111111111:role/Exec"])
        #expect(properties("DefaultBusEventBusPolicy")["EventBusName"] as? String == "default")
        #expect(properties("DefaultBusEventBusPolicy")["StatementId"] as? String == "AppPutsOnDefault")

        // Outputs: the deployed ARNs (a topic's and a secret's Ref is its ARN); the default bus is not created.
        let outputs = (b.json["Outputs"] as? [String: [String: Any]] ?? [:]).mapValues { $0["Value"] as? NSDictionary }
        #expect(outputs["DataKeyArn"] == Self.getAtt("DataKey") && outputs["BucketArn"] == Self.getAtt("Bucket"))
        #expect(outputs["TopicArn"] == ["Ref": "Topic"] && outputs["SecretArn"] == ["Ref": "Secret"])
        #expect(outputs["DefaultBusEventBusArn"] == nil)
        // The invoked function is the team's code: no Lambda resource, its role only.
        #expect(!types.values.contains { $0.hasPrefix("AWS::Lambda::") })
    }

    /// A key comes before what it encrypts (the template's resources and CloudFormation's `Fn::GetAtt` both say so),
    /// and a stack whose policies name another account's role comes after that account's stack.
    @Test func keysComeFirstAndPoliciesWaitForTheirPrincipals() throws {
        let model = try ModelLoader.load(contentDirectory: CloudFormationTests.everyKind)
        let resolution = Resolver.resolve(model)
        let deployment = Deployment.plan(try #require(resolution.option("across")), model: model)
        #expect(deployment.stacks.map(\.accountKey) == ["A", "B"])
        #expect(deployment.stacks[1].after == [0])
        #expect(deployment.stacks[1].entries.map(\.key) == ["dataKey", "bucket", "queue", "topic", "secret", "bus", "defaultBus"])
        #expect(deployment.stacks[1].entries.allSatisfy { $0.policy })
        let exec = Deployment.Resource(kind: .role, key: "Exec", accountKey: "A")
        let bucket = Deployment.Resource(kind: .entry, key: "bucket", accountKey: "B")
        let key = Deployment.Resource(kind: .entry, key: "dataKey", accountKey: "B")
        #expect(deployment.principals[bucket] == [exec] && deployment.principals[key] == [exec])
        #expect(deployment.encryptionKeys[bucket] == key)
        #expect(deployment.invokedFunctions == ["worker"])
        #expect(deployment.functions == ["f", "worker"])

        let text = try #require(CloudFormation.render(model, resolution: resolution).first { $0.path == "cloudformation/across/B.json" }).text
        let keyAt = try #require(text.range(of: "\"DataKey\": {"))
        for dependent in ["\"Bucket\": {", "\"Queue\": {", "\"Topic\": {", "\"Secret\": {"] {
            #expect(try #require(text.range(of: dependent)).lowerBound > keyAt.lowerBound, "\(dependent) before the key")
        }
        let plan = try #require(CloudFormation.plan("across", model: model, resolution: resolution))
        #expect(plan.stacks[1].reasons.contains("the bucket policy of bucket tf-every-kind names role Exec of account A as principal"))
        #expect(plan.stacks[1].reasons.contains("the key policy of key alias/every-kind names role Exec of account A as principal"))
    }

    /// CloudFormation's KeyPolicy is optional and defaults to AWS's default key policy; the template writes that policy
    /// out, so the deployed key policy is the one the engine decided with. A role of the same template names the key
    /// by its deployed ARN.
    @Test func aKeyWithoutAPolicyGetsTheDefaultKeyPolicyWrittenOut() throws {
        let (_, templates, files) = try templates(CloudFormationTests.everyKind)
        let a = try template(templates, "cloudformation/local/A.json")
        let resources = Dictionary(uniqueKeysWithValues: a.resources)
        let key = try #require(resources["LocalKey"]?["Properties"] as? [String: Any])
        let expected: NSDictionary = [
            "Version": "2012-10-17",
            "Statement": [["Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": ["AWS": "arn:aws:iam::111111111111:root"], "Action": "kms:*", "Resource": "*"]],
        ]
        #expect(a.resolve(key["KeyPolicy"] as Any) as? NSDictionary == expected)
        #expect((resources["LocalQueue"]?["Properties"] as? [String: Any])?["KmsMasterKeyId"] as? NSDictionary == Self.getAtt("LocalKey"))
        let text = try #require(files.first { $0.path == "cloudformation/local/A.json" }).text
        #expect(text.contains("\"Fn::Sub\": \"${LocalKey.Arn}\""))
        #expect(!text.contains("66666666-7777-4888-9999-000000000000\""), "the model's stand-in key ARN is left in the template")
        let readme = try #require(files.first { $0.path == "cloudformation/local/README.md" }).text
        #expect(readme.contains("key localKey, with AWS's default key policy"))
    }

    @Test func theNotesSayWhatTheTemplatesLeaveToTheTeam() throws {
        let model = try ModelLoader.load(contentDirectory: CloudFormationTests.everyKind)
        let plan = try #require(CloudFormation.plan("across", model: model, resolution: Resolver.resolve(model)))
        let notes = plan.notDeployed.joined(separator: "\n")
        #expect(notes.contains("KMS gives the key CloudFormation creates an id of its own, not the model's 11111111-2222-4333-8444-555555555555"))
        #expect(notes.contains("stack trustflow-B outputs it as DataKeyArn"))
        #expect(notes.contains("the identity policy UseEverything of role Exec (stack trustflow-A)"))
        #expect(notes.contains("The resource-based policy of function every-kind-worker (policies/B/lambda-function-every-kind-worker-policy.json)"))
        #expect(notes.contains("AWS::Lambda::Permission"))
        #expect(notes.contains("arn:aws:secretsmanager:us-east-1:222222222222:secret:every-kind-secret-??????"))
    }

    /// A key whose policy names a role of its own stack waits for it (DependsOn), so that role's policy keeps the
    /// model's key ARN as text (a `${Key.Arn}` would be a circular dependency) and the notes say to change it. A bucket
    /// encrypted with another account's key is deployed after the key's stack, naming it as text too.
    @Test func keysNamedAcrossStacksOrInACycleStayTextWithANote() throws {
        let folder = try GuideContentFolder(model: """
            title: Keys
            accounts:
              A: { id: "111111111111", name: A }
              C: { id: "333333333333", name: C }
            roles:
              Exec:
                account: A
                trust: { Version: "2012-10-17", Statement: { Effect: Allow, Principal: { Service: lambda.amazonaws.com }, Action: "sts:AssumeRole" } }
                policies:
                  Use:
                    Version: "2012-10-17"
                    Statement:
                      - { Effect: Allow, Action: [s3:GetObject], Resource: "arn:aws:s3:::tf-keys-bucket/*" }
                      - { Effect: Allow, Action: [kms:Decrypt], Resource: ["arn:aws:kms:us-east-1:111111111111:key/aaaaaaaa-1111-4222-8333-444444444444", "arn:aws:kms:us-east-1:333333333333:key/cccccccc-1111-4222-8333-444444444444"] }
            functions:
              f: { account: A, role: Exec }
            resources:
              ownKey:
                kind: kms-key
                account: A
                name: aaaaaaaa-1111-4222-8333-444444444444
                policy: { Version: "2012-10-17", Statement: [{ Effect: Allow, Principal: { AWS: "arn:aws:iam::111111111111:root" }, Action: "kms:*", Resource: "*" }, { Effect: Allow, Principal: { AWS: "arn:aws:iam::111111111111:role/Exec" }, Action: "kms:Decrypt", Resource: "*" }] }
              otherKey:
                kind: kms-key
                account: C
                name: cccccccc-1111-4222-8333-444444444444
                policy: { Version: "2012-10-17", Statement: [{ Effect: Allow, Principal: { AWS: "arn:aws:iam::333333333333:root" }, Action: "kms:*", Resource: "*" }, { Effect: Allow, Principal: { AWS: "arn:aws:iam::111111111111:role/Exec" }, Action: "kms:Decrypt", Resource: "*" }] }
              bucket:
                kind: s3-bucket
                account: A
                name: tf-keys-bucket
                key: otherKey
            options:
              - id: o
                title: O
                policyLives: x
                bestFor: y
                steps:
                  - { caller: f, action: kms:Decrypt, target: ownKey }
                  - { caller: f, action: s3:GetObject, target: bucket, object: a.csv }
            """)
        defer { folder.remove() }
        let model = try folder.load()
        let resolution = Resolver.resolve(model)
        #expect(resolution.ok)
        let deployment = Deployment.plan(try #require(resolution.option("o")), model: model)
        // C's key names A's role, and A's bucket needs C's key: A's role, then C's key, then A's bucket.
        #expect(deployment.stacks.map { "\($0.accountKey)\($0.part.map(String.init) ?? "")" } == ["A1", "C", "A2"])
        #expect(deployment.stacks[2].entries.map(\.key) == ["bucket"] && deployment.stacks[2].after == [1])
        let plan = try #require(CloudFormation.plan("o", model: model, resolution: resolution))
        #expect(plan.stacks[2].reasons.isEmpty && plan.stacks[2].keyReasons == ["bucket tf-keys-bucket is encrypted with key otherKey of account C"])

        let files = CloudFormation.render(model, resolution: resolution)
        let first = try #require(files.first { $0.path == "cloudformation/o/A-1.json" }).text
        let json = try #require(try JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any])
        let resources = json["Resources"] as? [String: [String: Any]] ?? [:]
        #expect(resources["OwnKey"]?["DependsOn"] as? [String] == ["ExecRole"])
        #expect(!first.contains(".Arn}"))
        #expect(first.contains("arn:aws:kms:us-east-1:${AWS::AccountId}:key/aaaaaaaa-1111-4222-8333-444444444444"))
        let last = try #require(files.first { $0.path == "cloudformation/o/A-2.json" }).text
        let lastJSON = try #require(try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any])
        let bucket = ((lastJSON["Resources"] as? [String: [String: Any]])?["Bucket"]?["Properties"] as? [String: Any]) ?? [:]
        let sse = ((bucket["BucketEncryption"] as? [String: Any])?["ServerSideEncryptionConfiguration"] as? [[String: Any]])?.first
        let keyID = (sse?["ServerSideEncryptionByDefault"] as? [String: Any])?["KMSMasterKeyID"] as? NSDictionary
        #expect(keyID == ["Fn::Sub": "arn:aws:kms:us-east-1:${AccountCId}:key/cccccccc-1111-4222-8333-444444444444"])
        let notes = plan.notDeployed.joined(separator: "\n")
        #expect(notes.contains("Key ownKey of account A") && notes.contains("the identity policy Use of role Exec (stack trustflow-A-1)"))
        #expect(notes.contains("Key otherKey of account C") && notes.contains("the encryption settings of bucket tf-keys-bucket (stack trustflow-A-2)"))
    }

    /// A topic delivering to a queue calls as its service: both are deployed, the queue with the policy that lets the
    /// service in, the topic without the policy no step uses.
    @Test func aServiceCallersResourceIsDeployedToo() throws {
        let folder = try GuideContentFolder(model: """
            title: Delivery
            accounts:
              B: { id: "222222222222", name: B }
            resources:
              topic:
                kind: sns-topic
                account: B
                name: tf-orders
                policy: { Version: "2012-10-17", Statement: { Effect: Allow, Principal: { AWS: "arn:aws:iam::222222222222:root" }, Action: sns:Publish, Resource: "arn:aws:sns:us-east-1:222222222222:tf-orders" } }
              queue:
                kind: sqs-queue
                account: B
                name: tf-orders-queue
                policy:
                  Version: "2012-10-17"
                  Statement:
                    - Effect: Allow
                      Principal: { Service: sns.amazonaws.com }
                      Action: sqs:SendMessage
                      Resource: "arn:aws:sqs:us-east-1:222222222222:tf-orders-queue"
                      Condition: { ArnEquals: { "aws:SourceArn": "arn:aws:sns:us-east-1:222222222222:tf-orders" } }
            options:
              - { id: o, title: O, policyLives: x, bestFor: y, steps: [{ caller: topic, action: sqs:SendMessage, target: queue }] }
            """)
        defer { folder.remove() }
        let model = try folder.load()
        let resolution = Resolver.resolve(model)
        #expect(resolution.ok)
        let deployment = Deployment.plan(try #require(resolution.option("o")), model: model)
        #expect(deployment.stacks.map(\.accountKey) == ["B"])
        #expect(deployment.stacks[0].entries.map { "\($0.key):\($0.policy)" } == ["topic:false", "queue:true"])
        let text = try #require(CloudFormation.render(model, resolution: resolution).first { $0.path == "cloudformation/o/B.json" }).text
        #expect(text.contains("\"AWS::SNS::Topic\"") && text.contains("\"AWS::SQS::QueuePolicy\"") && !text.contains("\"AWS::SNS::TopicPolicy\""))
    }

    /// The new kinds change nothing for content without them: the seed content's templates are the committed ones, byte
    /// for byte.
    @Test func theSeedTemplatesAreTheCommittedOnes() throws {
        let model = try ModelLoader.load(contentDirectory: defaultContent)
        let files = CloudFormation.render(model, resolution: Resolver.resolve(model))
        let committed = Self.repository + "/output/"
        var paths: [String] = []
        let enumerator = FileManager.default.enumerator(atPath: committed + CloudFormation.directory)
        while let path = enumerator?.nextObject() as? String {
            if path.hasSuffix(".json") || path.hasSuffix(".md") { paths.append(CloudFormation.directory + "/" + path) }
        }
        #expect(paths.sorted() == files.map(\.path))
        for file in files {
            let text = try String(contentsOfFile: committed + file.path, encoding: .utf8)
            #expect(text == file.text, "\(file.path) differs from the committed one")
        }
    }
}
