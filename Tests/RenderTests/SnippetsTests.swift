import Foundation
import Model
import Policy
@testable import Render
import Resolution
import Testing

@Suite struct SnippetsTests {
    static let content = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../content").standardized.path

    func model() throws -> Model { try ModelLoader.load(contentDirectory: Self.content) }

    @Test func packageHasOneExecutablePerOptionAndDependsOnTrustflowByPath() throws {
        let model = try model()
        let files = Snippets.package(model, resolution: Resolver.resolve(model), location: .inRepository())
        #expect(files.map(\.path) == files.map(\.path).sorted())
        let manifest = try #require(files.first { $0.path == "Package.swift" }).text
        #expect(manifest.hasPrefix("// swift-tools-version: 6.0\n"))
        #expect(manifest.contains(".package(name: \"Trustflow\", path: \"../..\")"))
        for option in model.options {
            #expect(manifest.contains(".executable(name: \"\(option.id)\""))
        }
        #expect(files.contains { $0.path == "Sources/TrustedRole/TrustedRole.swift" })
        #expect(files.contains { $0.path == "Sources/TrustedRoleCommand/main.swift" })
        #expect(files.contains { $0.path == "Tests/SnippetTests/TrustedRoleTests.swift" })
        let fixture = try #require(files.first { $0.path == "Tests/SnippetTests/Support/Fixture.swift" }).text
        #expect(fixture.contains("\"../../content\""))
        #expect(fixture.contains("try simulator.put([\"customerId\": \"customer-1\", \"orderId\": \"order-1\", \"status\": \"SHIPPED\"], inTable: \"Orders\")"))
    }

    @Test func theGuideGetsExactlyTheTextThePackageCompiles() throws {
        let model = try model()
        let proof = Resolver.resolve(model)
        let files = Snippets.package(model, resolution: proof, location: .inRepository())
        let sources = Snippets.sources(model, resolution: proof)
        #expect(sources.keys.sorted() == model.options.map(\.id).sorted())
        for (option, names) in zip(model.options, Snippets.names(model)) {
            let file = try #require(files.first { $0.path == "Sources/\(names.module)/\(names.module).swift" })
            #expect(sources[option.id] == file.text)
            #expect(Snippets.source(for: option.id, model: model, resolution: proof) == file.text)
        }
    }

    @Test func snippetsUseTheModelsNamesAndTheRightTableForm() throws {
        let model = try model()
        let sources = Snippets.sources(model, resolution: Resolver.resolve(model))
        let trusted = try #require(sources["trusted-role"])
        #expect(trusted.contains("let dynamoDBAccessRoleARN = \"arn:aws:iam::222222222222:role/DynamoDBAccessRole\""))
        #expect(trusted.contains("AssumedRoleCredentials(sts: sts, roleARN: dynamoDBAccessRoleARN, sessionName: \"orders-api\")"))
        #expect(trusted.contains("DynamoDB(configuration: aws.with(credentials: dynamoDBAccessRole))"))
        // B's session is in the table's account: the name is enough.
        #expect(trusted.contains("let ordersTable = \"Orders\""))
        // The step expected to be denied is shown as a call that must fail with AccessDenied.
        #expect(trusted.contains("throw UnexpectedlyAllowed(action: \"dynamodb:DeleteItem\")"))
        #expect(trusted.contains("catch let error as AWSError where error.code.hasPrefix(\"AccessDenied\")"))
        #expect(!trusted.contains("import AWSMock"))

        let direct = try #require(sources["table-policy"])
        // The function's own credentials, across accounts: the full table ARN.
        #expect(direct.contains("let ordersTableARN = \"arn:aws:dynamodb:us-east-1:222222222222:table/Orders\""))
        #expect(direct.contains("let dynamoDB = DynamoDB(configuration: aws)"))
        #expect(direct.contains("index: \"ByStatus\", keyCondition: \"#status = :status\""))
        #expect(!direct.contains("AssumedRoleCredentials"))

        let code = try #require(sources["assume-role-code"])
        #expect(code.contains("let tables = try await dynamoDB.listTables()"))
        #expect(code.contains("print(\"ListTables:\", tables.tableNames)"))
    }

    @Test func everyOptionHasABrokenVariantThatFailsWithTheGuidesError() throws {
        let model = try model()
        let files = Snippets.package(model, resolution: Resolver.resolve(model), location: .inRepository())
        for names in Snippets.names(model) {
            let tests = try #require(files.first { $0.path == "Tests/SnippetTests/\(names.module)Tests.swift" }).text
            #expect(tests.contains("func succeeds()"))
            #expect(tests.contains("try await Fixture.denial(model) { simulator in"), "no broken variant for \(names.product)")
        }
        let trusted = try #require(files.first { $0.path == "Tests/SnippetTests/TrustedRoleTests.swift" }).text
        #expect(trusted.contains("try Fixture.emptyTrustPolicy(ofRole: \"DynamoDBAccessRole\", in: &model)"))
        #expect(trusted.contains("#expect(error.code == \"AccessDenied\")"))
        // STS words a denied AssumeRole without the reason.
        #expect(trusted.contains("is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::222222222222:role/DynamoDBAccessRole\")"))
        #expect(!trusted.contains("allows the sts:AssumeRole action"))
        let direct = try #require(files.first { $0.path == "Tests/SnippetTests/TablePolicyTests.swift" }).text
        #expect(direct.contains("try Fixture.emptyTablePolicy(of: \"Orders\", in: &model)"))
        #expect(direct.contains("try Fixture.emptyIdentityPolicy(\"OrdersTableDirect\", ofRole: \"LambdaExecutionRole\", in: &model)"))
        #expect(direct.contains("#expect(error.code == \"AccessDeniedException\")"))
        #expect(direct.contains("because no identity-based policy allows the dynamodb:GetItem action"))
    }

    @Test func variantsComeFromTheEngineNotFromTheDefaultContent() throws {
        // A table policy that is not needed (same-account caller) gives no variant: removing it breaks nothing.
        let model = try model()
        let option = try #require(Resolver.resolve(model).option("trusted-role"))
        let variants = BrokenVariant.variants(model: model, option: option)
        #expect(!variants.contains { $0.policy.kind == .tablePolicy })
        // Each hop: the function's AssumeDataRole and B's trust policy at step 1, B's OrdersTableAccess at step 2.
        #expect(variants.map(\.policy.label) == [
            "identity policy AssumeDataRole of role LambdaExecutionRole", "trust policy of role DynamoDBAccessRole",
            "identity policy OrdersTableAccess of role DynamoDBAccessRole",
        ])
        #expect(variants.map(\.stepNumber) == [1, 1, 2])
        #expect(variants.map(\.code) == ["AccessDenied", "AccessDenied", "AccessDeniedException"])
    }

    @Test func variantsOnlyExpectFailuresAtCallsTheSnippetMakes() throws {
        // A policy needed only by a call the client has no method for (BatchGetItem, written as a comment): without
        // it nothing the snippet runs fails, so a test expecting that failure would itself fail.
        var model = try model()
        let role = try #require(model.roles.firstIndex { $0.key == "DynamoDBAccessRole" })
        let json = #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "dynamodb:BatchGetItem", "Resource": "*"}]}"#
        let document = try #require(PolicyParser.parse(json: json, file: "batch.json", kind: .identity).document)
        model.roles[role].policies.append(NamedPolicy(name: "BatchRead", document: document, origin: .inline, location: .synthesized("test")))
        let option = try #require(model.options.firstIndex { $0.id == "trusted-role" })
        var batch = model.options[option].steps[1]
        batch.action = "dynamodb:BatchGetItem"
        batch.expect = .allowed
        model.options[option].steps.append(batch)
        let resolved = try #require(Resolver.resolve(model).option("trusted-role"))
        let last = try #require(resolved.steps.last)
        #expect(last.decision == .allowed)
        #expect(last.requirements.contains { $0.policy.name == "BatchRead" })
        let variants = BrokenVariant.variants(model: model, option: resolved)
        #expect(!variants.isEmpty)
        #expect(!variants.contains { $0.policy.name == "BatchRead" })
        #expect(!variants.contains { $0.stepNumber == last.number })
    }

    @Test func absoluteLocationForCheckRunSnippets() throws {
        let model = try model()
        let files = Snippets.package(model, resolution: Resolver.resolve(model), location: Snippets.Location(trustflowPath: "/opt/trust\"flow", contentPath: "/data/content"))
        let manifest = try #require(files.first { $0.path == "Package.swift" }).text
        #expect(manifest.contains(".package(name: \"Trustflow\", path: \"/opt/trust\\\"flow\")"))
        let fixture = try #require(files.first { $0.path == "Tests/SnippetTests/Support/Fixture.swift" }).text
        #expect(fixture.contains("static let contentDirectory = \"/data/content\""))
    }

    @Test func targetNamesAreIdentifiersAndUnique() throws {
        var model = try model()
        let template = model.options[0]
        model.options = ["1st-option", "trusted role", "trusted-role", "run", "", "über"].map { id in
            var option = template
            option.id = id
            return option
        }
        let names = Snippets.names(model)
        #expect(names.map(\.product) == model.options.map(\.id))
        #expect(Set(names.map(\.module)).count == names.count)
        for name in names {
            #expect(name.module.first!.isLetter && name.module.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }, "\(name.module)")
        }
        #expect(names[0].module == "Option1stOption")
        #expect(names[1].module == "TrustedRole")
        #expect(names[2].module == "TrustedRole2")
    }

    @Test func literalsEscapeEverything() {
        #expect(SwiftText.literal("plain") == "\"plain\"")
        #expect(SwiftText.literal("a\"b\\c\\(x)") == "\"a\\\"b\\\\c\\\\(x)\"")
        #expect(SwiftText.literal("line\nbreak\u{7}") == "\"line\\nbreak\\u{7}\"")
        #expect(SwiftText.comment("a\nb") == "a b")
        #expect(SwiftText.variableName("DynamoDBAccessRole") == "dynamoDBAccessRole")
        #expect(SwiftText.variableName("Orders") == "orders")
        #expect(SampleData.indexAttribute("ByStatus") == "status")
        #expect(SampleData.indexAttribute("customer-index") == "customer")
        #expect(SampleData.value(for: "customerId", number: 1) == "customer-1")
    }

    /// The Python twin makes the same calls from the same resolution: one Lambda handler, clients at module scope,
    /// the role assumed through botocore's refreshing credentials, the same harmless probe for a refused write.
    @Test func pythonTwinsMirrorTheSwiftSnippets() throws {
        let model = try model()
        let files = Snippets.package(model, resolution: Resolver.resolve(model), location: .inRepository())
        let index = try #require(files.first { $0.path == "python/options.tsv" }).text
        #expect(index == "option\tfile\ntrusted-role\ttrusted_role.py\ntable-policy\ttable_policy.py\nassume-role-code\tassume_role_code.py\n")
        let trusted = try #require(files.first { $0.path == "python/trusted_role.py" }).text
        #expect(trusted.contains("def handler(event, context):"))
        #expect(trusted.contains("dynamodb_access_role = AssumedRole(sts, DYNAMODB_ACCESS_ROLE_ARN, \"orders-api\")"))
        #expect(trusted.contains("dynamodb_access_role_dynamodb = dynamodb_access_role.session.client(\"dynamodb\")"))
        #expect(trusted.contains("ConditionExpression=\"attribute_exists(#key) AND attribute_not_exists(#key)\""))
        #expect(trusted.contains("from botocore.exceptions import ClientError"))
        let direct = try #require(files.first { $0.path == "python/table_policy.py" }).text
        #expect(direct.contains("ORDERS_TABLE_ARN = \"arn:aws:dynamodb:us-east-1:222222222222:table/Orders\""))
        #expect(!direct.contains("AssumedRole("))
        let code = try #require(files.first { $0.path == "python/assume_role_code.py" }).text
        #expect(!code.contains("import ClientError"))  // nothing in it is meant to be refused
        #expect(PythonText.snakeCase("DynamoDBAccessRole") == "dynamodb_access_role")
        #expect(PythonText.snakeCase("orders-api") == "orders_api")
        #expect(PythonText.snakeCase("class") == "class_")
        #expect(PythonText.literal("a\"b\\c\n\u{1}") == "\"a\\\"b\\\\c\\n\\x01\"")
    }

    // MARK: - The new kinds (examples/)

    static func example(_ name: String) throws -> Model {
        try ModelLoader.load(contentDirectory: URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../examples/\(name)").standardized.path)
    }

    static func package(_ model: Model) -> [OutputFile] { Snippets.package(model, resolution: Resolver.resolve(model), location: .inRepository()) }

    @Test func bucketCallsNameTheBucketAndTheObjectAndPassTheBucketsKeyOnPut() throws {
        let model = try Self.example("lambda-to-s3-kms")
        let sources = Snippets.sources(model, resolution: Resolver.resolve(model))
        #expect(sources.keys.sorted() == ["bucket-and-key-policies", "key-policy-left-out"])
        let both = try #require(sources["bucket-and-key-policies"])
        #expect(both.contains("let acmeDataReportsBucket = \"acme-data-reports\""))
        #expect(both.contains("let reportsQ1Key = \"reports/2026/q1.csv\""))
        #expect(both.contains("let object = try await s3.getObject(bucket: acmeDataReportsBucket, key: reportsQ1Key)"))
        #expect(both.contains("encryption: .kms(keyID: dataReportsKeyARN))"))
        #expect(both.contains("let dataReportsKeyARN = \"arn:aws:kms:eu-central-1:602222222222:key/0d5c8f3e-1a2b-4c3d-9e8f-7a6b5c4d3e2f\""))
        #expect(both.contains("try await s3.listObjectsV2(bucket: acmeDataReportsBucket, maxKeys: 25)"))
        // The implied KMS calls, in words.
        #expect(both.contains("// S3 calls kms:Decrypt on the key alias/data-reports with these credentials; the key policy must allow it"))
        #expect(both.contains("// S3 calls kms:GenerateDataKey on the key alias/data-reports"))
        let refused = try #require(sources["key-policy-left-out"])
        #expect(refused.contains("catch let error as AWSError where error.code == \"\(ServiceRules.denialCode(service: "s3"))\""))
        #expect(refused.contains("throw UnexpectedlyAllowed(action: \"s3:GetObject\")"))
        let python = Snippets.pythonSources(inPackage: Self.package(model), model: model)
        let twin = try #require(python["bucket-and-key-policies"])
        #expect(twin.contains("ServerSideEncryption=\"aws:kms\", SSEKMSKeyId=DATA_REPORTS_KEY_ARN"))
        #expect(twin.contains("s3.get_object(Bucket=ACME_DATA_REPORTS_BUCKET, Key=REPORTS_Q1_KEY)"))
    }

    @Test func brokenVariantsEmptyBucketKeyAndIdentityPoliciesWithTheServicesCode() throws {
        let model = try Self.example("lambda-to-s3-kms")
        let option = try #require(Resolver.resolve(model).option("bucket-and-key-policies"))
        let variants = BrokenVariant.variants(model: model, option: option)
        #expect(variants.map(\.policy.kind) == [.identity, .resourcePolicy, .keyPolicy])
        // S3 answers for KMS's refusal: the service's code, KMS's message.
        #expect(variants.allSatisfy { $0.service == "s3" && $0.code == ServiceRules.denialCode(service: "s3") })
        #expect(variants[2].message.contains("kms:Decrypt"))
        let tests = try #require(Self.package(model).first { $0.path == "Tests/SnippetTests/BucketAndKeyPoliciesTests.swift" }).text
        #expect(tests.contains("try Fixture.emptyResourcePolicy(of: \"reportsBucket\", in: &model)"))
        #expect(tests.contains("try Fixture.emptyKeyPolicy(of: \"reportsKey\", in: &model)"))
        #expect(tests.contains("from S3 at step 1"))
        let fixture = try #require(Self.package(model).first { $0.path == "Tests/SnippetTests/Support/Fixture.swift" }).text
        #expect(fixture.contains("import Resolution\n"))
        #expect(fixture.contains("model = model.emptying(policy)"))
        let manifest = try #require(Self.package(model).first { $0.path == "Package.swift" }).text
        #expect(manifest.contains(".product(name: \"Resolution\", package: \"Trustflow\")"))
        // The default content has no resources: its fixture and manifest stay as they were.
        let dynamo = try self.model()
        let plain = Snippets.package(dynamo, resolution: Resolver.resolve(dynamo), location: .inRepository())
        #expect(!(try #require(plain.first { $0.path == "Package.swift" }).text.contains("Resolution")))
    }

    @Test func aDeliveryIsACommentAndAnOptionOfDeliveriesOnlyHasNoSnippet() throws {
        let model = try Self.example("sns-to-sqs")
        let sources = Snippets.sources(model, resolution: Resolver.resolve(model))
        #expect(sources.keys.sorted() == ["topic-to-queue"])
        let topic = try #require(sources["topic-to-queue"])
        #expect(topic.contains("let published = try await sns.publish("))
        #expect(topic.contains("to: .topic(arn: orderEventsTopicARN), message:"))
        #expect(topic.replacingOccurrences(of: "\n        // ", with: " ").contains("sqs:SendMessage on order-events-inbox is SNS's own delivery"))
        #expect(!topic.contains("SQS("))
        #expect(!Snippets.covers(try #require(model.option("wrong-source-arn"))))
    }

    @Test func secretsByARNUsersByTheDefaultChainFunctionsByARN() throws {
        let model = try Self.example("lambda-to-secret")
        let sources = Snippets.sources(model, resolution: Resolver.resolve(model))
        #expect(sources.keys.sorted() == ["aws-managed-key", "same-account-user", "secret-with-customer-key"])
        let shared = try #require(sources["secret-with-customer-key"])
        #expect(shared.contains("getSecretValue(secretID: prodBillingDatabaseSecretARN)"))
        #expect(shared.contains("across accounts Secrets Manager needs the ARN, not the name"))
        let user = try #require(sources["same-account-user"])
        #expect(user.contains("long-term access keys of the IAM user secret-rotation-check"))
        #expect(user.contains("Prefer a role where you can"))
        let tests = try #require(Self.package(model).first { $0.path == "Tests/SnippetTests/SameAccountUserTests.swift" }).text
        #expect(tests.contains("simulator.configuration(forUser: \"rotationJob\")"))
        #expect(tests.contains("try Fixture.emptyIdentityPolicy(\"ReadLegacySecret\", ofUser: \"rotationJob\", in: &model)"))

        let invoke = try Self.example("cross-account-invoke")
        let calls = Snippets.sources(invoke, resolution: Resolver.resolve(invoke))
        let call = try #require(calls["function-policy-and-identity"])
        #expect(call.contains("let fraudScoreFunctionARN = \"arn:aws:lambda:eu-west-2:632222222222:function:fraud-score\""))
        #expect(call.contains("lambda.invoke("))
        let python = Snippets.pythonSources(inPackage: Self.package(invoke), model: invoke)
        let twin = try #require(python["function-policy-and-identity"])
        #expect(twin.contains("lambda_client.invoke("))
        #expect(twin.contains("FunctionName=FRAUD_SCORE_FUNCTION_ARN, Payload="))
    }

    @Test func sampleDataSeedsTheObjectsTheStepsNameAndTheSecrets() throws {
        let model = try Self.example("lambda-to-s3-kms")
        let sample = Snippets.sampleData(model)
        #expect(sample.contains("\"reports/2026/q1.csv\""))
        #expect(sample.contains("\"archive/2025/q4.csv\""))
        let secrets = Snippets.sampleData(try Self.example("lambda-to-secret"))
        #expect(secrets.contains("\"secretString\""))
        #expect(!Snippets.sampleData(try self.model()).contains("resources"))
    }

    @Test func longCallsWrapAtTopLevelArgumentsOnly() {
        let call = #"s3.putObject(bucket: reportsBucket, key: reportsQ2Key, body: Array("a, b (c)\n".utf8), encryption: .kms(keyID: keyARN, bucketKeyEnabled: nil))"#
        #expect(SwiftText.call(call, indent: "    ", width: 200) == ["    " + call])
        let lines = SwiftText.call(call, indent: "    ", width: 80)
        #expect(lines == [
            "    s3.putObject(",
            "        bucket: reportsBucket, key: reportsQ2Key,",
            #"        body: Array("a, b (c)\n".utf8),"#,
            "        encryption: .kms(keyID: keyARN, bucketKeyEnabled: nil))",
        ])
    }
}
