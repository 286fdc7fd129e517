// S3, KMS, Secrets Manager, SQS, SNS and Lambda through the real client against the simulator over the real engine,
// on the example models: what the resolution allows succeeds, what it refuses comes back in the service's own error
// shape with the resolution's own message, and the implied KMS calls decide as `check` says.
import AWSClient
import AWSMock
import Foundation
import Model
import Policy
import Resolution
import Testing
import TestSupport

@Suite struct ServiceSimulatorTests {
    static func simulator(_ model: Model) -> AWSSimulator { AWSSimulator(model: model, authorizer: ModelAuthorizer(model: model)) }

    static func step(_ model: Model, option: String, number: Int) throws -> StepResolution {
        try #require(Resolver.resolve(model).options.first { $0.id == option }?.steps[number - 1])
    }

    /// Every step of every example the client can make: the wire answer is the resolution's decision, and a denial
    /// carries the service's denial code (`ServiceRules`) and the resolution's message — implied KMS refusals included.
    /// Every allow the simulator gives is one the engine gives.
    @Test(arguments: Examples.services)
    func everyStepAnswersAsTheResolutionDecides(_ example: String) async throws {
        let model = try Examples.load(example)
        let simulator = Self.simulator(model)
        var made = 0
        for step in Resolver.resolve(model).options.flatMap(\.steps) {
            guard let aws = try simulator.configuration(for: step.step.caller), let outcome = await simulator.call(step, model: model, configuration: aws)
            else { continue }
            made += 1
            let label = "\(example) \(step.optionID) step \(step.number) \(step.action)"
            if step.decision == .allowed {
                #expect(outcome == .allowed, "\(label): \(outcome)")
            } else {
                let denial = ServiceRules.denial(service: step.step.service)
                #expect(outcome == Outcome(allowed: false, code: denial.code, status: denial.httpStatus, message: step.message), "\(label): \(outcome)")
            }
        }
        #expect(made > 0)
        // Each request the simulator authorized decides as the same request given with its whole context at once.
        let authorizer = ModelAuthorizer(model: model)
        for request in simulator.requestLog {
            let whole = AuthorizationRequest(principalARN: request.principalARN, action: request.action, resourceARN: request.resourceARN, context: request.context)
            #expect(authorizer.authorize(request) == authorizer.authorize(whole), "\(request.action) on \(request.resourceARN)")
        }
    }

    // MARK: S3 and KMS

    @Test func s3ReadsWritesListsAndHeadsAnSSEKMSBucket() async throws {
        let model = try Examples.load("lambda-to-s3-kms")
        let simulator = Self.simulator(model)
        let s3 = S3(configuration: try simulator.configuration(forFunction: "reports"))
        let keyARN = "arn:aws:kms:eu-central-1:602222222222:key/0d5c8f3e-1a2b-4c3d-9e8f-7a6b5c4d3e2f"
        let read = try await s3.getObject(bucket: "acme-data-reports", key: "reports/2026/q1.csv")
        #expect(read.body == AWSSimulator.sampleObjectBody(bucket: "acme-data-reports", key: "reports/2026/q1.csv"))
        #expect(read.info.encryption?.algorithm == "aws:kms" && read.info.encryption?.kmsKeyID == keyARN)
        #expect(read.info.requestID?.count == 16)
        #expect(read.info.lastModified == Date(timeIntervalSince1970: Resolver.requestTime))  // seeded objects are the model's
        let put = try await s3.putObject(bucket: "acme-data-reports", key: "reports/2026/q3 draft.csv", body: Array("a,b\n".utf8), contentType: "text/csv")
        #expect(put.encryption?.kmsKeyID == keyARN)
        #expect(try await s3.getObject(bucket: "acme-data-reports", key: "reports/2026/q3 draft.csv").body == Array("a,b\n".utf8))
        let head = try await s3.headObject(bucket: "acme-data-reports", key: "reports/2026/q3 draft.csv")
        #expect(head.contentLength == 4 && head.contentType == "text/csv" && head.eTag == put.eTag)
        let listed = try await s3.listObjectsV2(bucket: "acme-data-reports", prefix: "reports/2026/", delimiter: nil, maxKeys: 2)
        #expect(listed.objects.map(\.key) == ["reports/2026/q1.csv", "reports/2026/q2.csv"] && listed.isTruncated)
        let rest = try await s3.listObjectsV2(bucket: "acme-data-reports", prefix: "reports/2026/", continuationToken: listed.nextContinuationToken)
        #expect(rest.objects.map(\.key) == ["reports/2026/q3 draft.csv"] && !rest.isTruncated)
        #expect(try await s3.listObjectsV2(bucket: "acme-data-reports", delimiter: "/").commonPrefixes == ["reports/"])
        // The implied calls were authorized on the key, for the function's session, with S3's keys.
        let decrypt = try #require(simulator.requestLog.first { $0.action == "kms:Decrypt" })
        #expect(decrypt.resourceARN == keyARN && decrypt.principalARN == "arn:aws:sts::601111111111:assumed-role/ReportsFunctionRole/reports-api")
        #expect(decrypt.context["kms:ViaService"] == ["s3.eu-central-1.amazonaws.com"])
        #expect(decrypt.context["kms:EncryptionContext:aws:s3:arn"] == ["arn:aws:s3:::acme-data-reports/reports/2026/q1.csv"])
        #expect(simulator.requestLog.contains { $0.action == "kms:GenerateDataKey" && $0.resourceARN == keyARN })
    }

    @Test func theKeyPolicyLeftOutRefusesTheReadWithKMSsMessage() async throws {
        let model = try Examples.load("lambda-to-s3-kms")
        let simulator = Self.simulator(model)
        let s3 = S3(configuration: try simulator.configuration(forFunction: "reports"))
        let expected = try Self.step(model, option: "key-policy-left-out", number: 1)
        #expect(expected.decision != .allowed && expected.message?.contains("kms:Decrypt") == true)
        let error = await awsError { _ = try await s3.getObject(bucket: "acme-data-archive", key: "archive/2025/q4.csv") }
        #expect(error?.summary == "403 AccessDenied")
        #expect(error?.message == expected.message)
        // HEAD has no error document: its status is all there is.
        let head = await awsError { _ = try await s3.headObject(bucket: "acme-data-archive", key: "archive/2025/q4.csv") }
        #expect(head?.summary == "403 Forbidden")
    }

    @Test func missingKeysAndBucketsAreAnsweredAsS3Does() async throws {
        let model = try Examples.load("lambda-to-s3-kms")
        let simulator = Self.simulator(model)
        let s3 = S3(configuration: try simulator.configuration(forFunction: "reports"))
        // The role may list the reports bucket: a missing key is NoSuchKey. It may not list the archive: AccessDenied.
        #expect(await awsError { _ = try await s3.getObject(bucket: "acme-data-reports", key: "reports/none.csv") }?.summary == "404 NoSuchKey")
        #expect(await awsError { _ = try await s3.getObject(bucket: "acme-data-archive", key: "archive/none.csv") }?.summary == "403 AccessDenied")
        #expect(await awsError { _ = try await s3.getObject(bucket: "no-such-bucket-here", key: "x") }?.summary == "404 NoSuchBucket")
        #expect(await awsError { _ = try await s3.headObject(bucket: "acme-data-reports", key: "reports/none.csv") }?.summary == "404 NotFound")
        // Outside the granted prefix: the engine's refusal.
        #expect(await awsError { _ = try await s3.getObject(bucket: "acme-data-reports", key: "private/x.csv") }?.summary == "403 AccessDenied")
    }

    @Test func virtualHostedRequestsAreRoutedByTheirHost() async throws {
        let model = try Examples.load("lambda-to-s3-kms")
        let simulator = Self.simulator(model)
        var aws = try simulator.configuration(forFunction: "reports")
        aws.defaultEndpoint = nil  // AWS's own endpoints: the bucket goes in the host
        let s3 = S3(configuration: aws)
        let read = try await s3.getObject(bucket: "acme-data-reports", key: "reports/2026/q1.csv")
        #expect(read.body == AWSSimulator.sampleObjectBody(bucket: "acme-data-reports", key: "reports/2026/q1.csv"))
        // Signed for another service: refused, not rerouted.
        let wrong = TamperingTransport(target: simulator) { request in
            request.headers = request.headers.map { header in
                guard header.name.lowercased() == "authorization" else { return header }
                return (name: header.name, value: header.value.replacingOccurrences(of: "/s3/aws4_request", with: "/kms/aws4_request"))
            }
        }
        let refused = await awsError { _ = try await S3(configuration: aws.with(transport: wrong)).getObject(bucket: "acme-data-reports", key: "reports/2026/q1.csv") }
        #expect(refused?.summary == "403 SignatureDoesNotMatch")
        #expect(refused?.message == "Credential should be scoped to correct service: 's3'. ")
    }

    @Test func kmsEncryptsDecryptsAndDescribesForACallerTheKeyPolicyAllows() async throws {
        var model = try Examples.load("lambda-to-s3-kms")
        let keyARN = "arn:aws:kms:eu-central-1:602222222222:key/0d5c8f3e-1a2b-4c3d-9e8f-7a6b5c4d3e2f"
        // The data account's own user, whose identity policy the key policy's root statement delegates to.
        let policy = try #require(PolicyParser.parse(json: """
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"],
             "Resource": "\(keyARN)"}]}
            """, file: "kms-user.json", kind: .identity).document)
        model.users.append(User(
            key: "keyUser", accountKey: "Data", name: "key-user", policies: [NamedPolicy(name: "UseKey", document: policy, origin: .inline, location: .synthesized("test"))],
            arn: "arn:aws:iam::602222222222:user/key-user", location: .synthesized("test")))
        let simulator = Self.simulator(model)
        let kms = KMS(configuration: try simulator.configuration(forUser: "keyUser"))
        let sealed = try await kms.encrypt(keyID: "alias/data-reports", plaintext: Array("secret".utf8), encryptionContext: ["purpose": "test"])
        #expect(sealed.keyID == keyARN)
        #expect(try await kms.decrypt(ciphertextBlob: sealed.ciphertextBlob, encryptionContext: ["purpose": "test"]).plaintext == Array("secret".utf8))
        let wrongContext = await awsError { _ = try await kms.decrypt(ciphertextBlob: sealed.ciphertextBlob, encryptionContext: ["purpose": "other"]) }
        #expect(wrongContext?.summary == "400 InvalidCiphertextException")
        let dataKey = try await kms.generateDataKey(keyID: keyARN, keySpec: .aes128)
        #expect(dataKey.plaintext.count == 16)
        #expect(try await kms.decrypt(ciphertextBlob: dataKey.ciphertextBlob).plaintext == dataKey.plaintext)
        let described = try await kms.describeKey(keyID: "0d5c8f3e-1a2b-4c3d-9e8f-7a6b5c4d3e2f")
        #expect(described.arn == keyARN && described.keyManager == "CUSTOMER" && described.keyState == "Enabled")
        #expect(await awsError { _ = try await kms.describeKey(keyID: "alias/none") }?.code == "AccessDeniedException")
        // The function's role may use the key only through S3: a direct call is refused by the key policy's condition.
        let direct = KMS(configuration: try simulator.configuration(forFunction: "reports"))
        let refused = await awsError { _ = try await direct.decrypt(ciphertextBlob: sealed.ciphertextBlob, encryptionContext: ["purpose": "test"]) }
        #expect(refused?.summary == "400 AccessDeniedException")
        #expect(refused?.message.contains("kms:Decrypt") == true)
        #expect(await awsError { _ = try await direct.decrypt(ciphertextBlob: Array("not a ciphertext".utf8)) }?.code == "InvalidCiphertextException")
    }

    // MARK: Secrets Manager

    @Test func secretsAreReadThroughTheirKeysAndTheAWSManagedKeyServesItsAccountOnly() async throws {
        let model = try Examples.load("lambda-to-secret")
        let simulator = Self.simulator(model)
        let billing = SecretsManager(configuration: try simulator.configuration(forFunction: "billing"))
        let shared = try #require(model.resource("databaseSecret"))
        let value = try await billing.getSecretValue(secretID: shared.arn)
        #expect(value.secretString == AWSSimulator.sampleSecretString(name: "prod/billing/database") && value.versionStages == ["AWSCURRENT"])
        #expect(value.arn == shared.arn && value.name == "prod/billing/database")
        // A partial ARN (without the random suffix) names the same secret.
        #expect(try await billing.getSecretValue(secretID: String(shared.arn.dropLast(7))).arn == shared.arn)
        let legacy = try #require(model.resource("legacySecret"))
        let refused = await awsError { _ = try await billing.getSecretValue(secretID: legacy.arn) }
        let expected = try Self.step(model, option: "aws-managed-key", number: 1)
        #expect(refused?.summary == "400 AccessDeniedException" && refused?.message == expected.message)
        // The AWS managed key's own policy: the implied call was on aws/secretsmanager of the shared account.
        let managed = try #require(AWSManagedKey.resource(AWSManagedKey.reference("Shared", .secret), model: model))
        #expect(simulator.requestLog.contains { $0.action == "kms:Decrypt" && $0.resourceARN == managed.arn && $0.context["kms:EncryptionContext:SecretARN"] == [legacy.arn] })
        // The user of the shared account reads it by name, with long-term keys.
        let user = SecretsManager(configuration: try simulator.configuration(forUser: "rotationJob"))
        #expect(try await user.getSecretValue(secretID: "prod/billing/legacy-database").arn == legacy.arn)
        #expect(try simulator.credentials(forUser: "rotationJob").accessKeyID.hasPrefix("AKIA"))
        #expect(try await STS(configuration: try simulator.configuration(forUser: "rotationJob")).getCallerIdentity().arn == "arn:aws:iam::622222222222:user/ci/secret-rotation-check")
        #expect(await awsError { _ = try await user.getSecretValue(secretID: "prod/none") }?.summary == "400 AccessDeniedException")
        let environment = try simulator.environment(forUser: "rotationJob")
        #expect(environment["AWS_SESSION_TOKEN"] == nil && environment["AWS_ACCESS_KEY_ID"]?.hasPrefix("AKIA") == true)
    }

    // MARK: SQS and SNS

    @Test func snsDeliversToTheQueuesItsStepsNameAndDropsWhatTheQueueRefuses() async throws {
        var model = try Examples.load("sns-to-sqs")
        // A consumer in the data account: the key policy delegates to the account, the identity policy allows reading.
        let queue = try #require(model.resource("ordersQueue"))
        let keyARN = try #require(model.resource("queueKey")).arn
        let policy = try #require(PolicyParser.parse(json: """
            {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Action": ["sqs:GetQueueUrl", "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:SendMessage"], "Resource": "\(queue.arn)"},
              {"Effect": "Allow", "Action": ["kms:Decrypt", "kms:GenerateDataKey"], "Resource": "\(keyARN)"}]}
            """, file: "consumer.json", kind: .identity).document)
        model.users.append(User(
            key: "consumer", accountKey: "Data", name: "consumer", policies: [NamedPolicy(name: "Consume", document: policy, origin: .inline, location: .synthesized("test"))],
            arn: "arn:aws:iam::612222222222:user/consumer", location: .synthesized("test")))
        let simulator = Self.simulator(model)
        let sns = SNS(configuration: try simulator.configuration(forFunction: "publisher"))
        let topic = try #require(model.resource("orderEvents"))
        let published = try await sns.publish(to: .topic(arn: topic.arn), message: "order 1 shipped", subject: "Order")
        let deliveries = simulator.deliveries
        let staging = try #require(model.resource("stagingQueue"))
        #expect(deliveries.map(\.queueARN) == [queue.arn, staging.arn])
        #expect(deliveries.map(\.delivered) == [true, false])
        #expect(deliveries.allSatisfy { $0.messageID == published.messageID })
        // The same decisions as the resolution's delivery steps, the same words for the refused one.
        #expect(try Self.step(model, option: "topic-to-queue", number: 2).decision == .allowed)
        #expect(deliveries[1].refusal == (try Self.step(model, option: "wrong-source-arn", number: 1)).message)
        let delivery = try #require(simulator.requestLog.first { $0.principalARN == "sns.amazonaws.com" && $0.action == "kms:GenerateDataKey" })
        #expect(delivery.context["aws:SourceArn"] == [topic.arn] && delivery.context["kms:EncryptionContext:aws:sqs:arn"] == [queue.arn])

        let sqs = SQS(configuration: try simulator.configuration(forUser: "consumer"))
        let url = try await sqs.getQueueURL(queueName: "order-events-inbox")
        #expect(url == AWSSimulator.queueURL(queue.arn).replacingOccurrences(of: "https://sqs.us-west-2.amazonaws.com", with: "https://aws.simulator.invalid"))
        let received = try await sqs.receiveMessage(queueURL: url, maxNumberOfMessages: 10, systemAttributeNames: ["All"])
        #expect(received.count == 1)
        let envelope = try JSONValue.parse(Array(try #require(received.first).body.utf8))
        #expect(envelope["Message"]?.string == "order 1 shipped" && envelope["TopicArn"]?.string == topic.arn)
        #expect(received.first?.attributes["SenderId"] == "sns.amazonaws.com")
        // Invisible until its timeout; deleted by its receipt handle; a stale handle is refused.
        #expect(try await sqs.receiveMessage(queueURL: url).isEmpty)
        try await sqs.deleteMessage(queueURL: url, receiptHandle: try #require(received.first).receiptHandle)
        let stale = await awsError { try await sqs.deleteMessage(queueURL: url, receiptHandle: try #require(received.first).receiptHandle) }
        #expect(stale?.code == "ReceiptHandleIsInvalid")
        let sent = try await sqs.sendMessage(queueURL: url, body: "direct")
        #expect(sent.md5OfMessageBody != nil)
        // The publisher may not send to the queue itself: SQS's denial, its legacy code as the SDKs report it.
        let publisherSQS = SQS(configuration: try simulator.configuration(forFunction: "publisher"))
        let refused = await awsError { _ = try await publisherSQS.sendMessage(queueURL: url, body: "x") }
        #expect(refused?.summary == "403 AccessDenied" && refused?.shapeName == "AccessDeniedException")
        let missing = await awsError { _ = try await sqs.getQueueURL(queueName: "order-events-inbox", ownerAccountID: "612222222222") }
        #expect(missing == nil)
        let unknown = await awsError { _ = try await publisherSQS.getQueueURL(queueName: "none") }
        #expect(unknown?.summary == "403 AccessDenied")
    }

    @Test func snsRefusesPublishersItsPoliciesDoNotAllowAsSNSDoes() async throws {
        let model = try Examples.load("sns-to-sqs")
        let simulator = Self.simulator(model)
        let topic = try #require(model.resource("orderEvents"))
        // No step publishes as the data account: an ad hoc user there has no policy.
        var withUser = model
        withUser.users.append(User(key: "nobody", accountKey: "Data", name: "nobody", policies: [], arn: "arn:aws:iam::612222222222:user/nobody", location: .synthesized("test")))
        let other = Self.simulator(withUser)
        let refused = await awsError { _ = try await SNS(configuration: try other.configuration(forUser: "nobody")).publish(to: .topic(arn: topic.arn), message: "x") }
        #expect(refused?.summary == "403 AuthorizationError")
        #expect(other.deliveries.isEmpty)
        let missing = await awsError {
            _ = try await SNS(configuration: try simulator.configuration(forFunction: "publisher")).publish(to: .topic(arn: topic.arn + "-none"), message: "x")
        }
        #expect(missing?.summary == "403 AuthorizationError")
    }

    // MARK: Hostile requests

    /// Signed requests with bodies and targets no client sends: every service answers with an error of its own, and
    /// nothing is allowed that the engine did not allow.
    @Test func malformedRequestsAreRefusedByEveryService() async throws {
        let model = try Examples.load("sns-to-sqs")
        let simulator = Self.simulator(model)
        let credentials = try simulator.credentials(forFunction: "publisher")
        let now = Date()
        func send(_ service: String, method: String = "POST", path: String = "/", headers: [(String, String)], body: String) -> HTTPResponse {
            let url = URL(string: AWSSimulator.endpoint.absoluteString + path)!
            let request = HTTPRequest(method: method, url: url, headers: headers.map { (name: $0.0, value: $0.1) }, body: Array(body.utf8))
            let signer = service == "s3"
                ? SigV4Signer.s3(credentials: credentials, region: model.region)
                : SigV4Signer(credentials: credentials, region: model.region, service: service)
            return simulator.handle(signer.sign(request, at: now))
        }
        let hostile = ["", "{", "[]", "null", #"{"QueueUrl": 7}"#, #"{"KeyId": {"a": 1}}"#, String(repeating: "\u{0}", count: 64), "Action=Publish&Version=2010-03-31"]
        for body in hostile {
            for (service, target) in [("kms", "TrentService.Decrypt"), ("sqs", "AmazonSQS.SendMessage"), ("secretsmanager", "secretsmanager.GetSecretValue"),
                                      ("kms", "TrentService.CreateKey"), ("sqs", "AmazonSQS.PurgeQueue")] {
                let answer = send(service, headers: [("Content-Type", "application/x-amz-json-1.1"), ("X-Amz-Target", target)], body: body)
                #expect((400..<500).contains(answer.status), "\(target) \(body.debugDescription): \(answer.status) \(answer.text)")
            }
            let sns = send("sns", headers: [("Content-Type", "application/x-www-form-urlencoded")], body: body + "&Version=2010-03-31")
            #expect((400..<500).contains(sns.status), "SNS \(body.debugDescription): \(sns.status) \(sns.text)")
            let lambda = send("lambda", path: "/2015-03-31/functions/%00/invocations", headers: [], body: body)
            #expect((400..<500).contains(lambda.status), "Lambda \(body.debugDescription): \(lambda.status)")
            let s3 = send("s3", method: "PUT", path: "/no-such-bucket/%2e%2e/x", headers: [], body: body)
            #expect((400..<500).contains(s3.status), "S3 \(body.debugDescription): \(s3.status)")
        }
        // Nothing above was allowed: every logged request was refused by the engine.
        let authorizer = ModelAuthorizer(model: model)
        #expect(simulator.requestLog.allSatisfy { !authorizer.authorize($0).allowed })
    }

    // MARK: Lambda

    @Test func lambdaInvokesAcrossAccountsWhenBothSidesAllow() async throws {
        let model = try Examples.load("cross-account-invoke")
        let simulator = Self.simulator(model)
        let arn = "arn:aws:lambda:eu-west-2:632222222222:function:fraud-score"
        let invocation = try await Lambda(configuration: try simulator.configuration(forFunction: "checkout")).invoke(functionName: arn, payload: Array("{}".utf8))
        #expect(invocation.statusCode == 200 && invocation.executedVersion == "$LATEST")
        #expect(try JSONValue.parse(invocation.payload)["function"]?.string == arn)
        let dryRun = try await Lambda(configuration: try simulator.configuration(forFunction: "checkout")).invoke(functionName: arn, invocationType: .dryRun)
        #expect(dryRun.statusCode == 204)
        let refused = await awsError { _ = try await Lambda(configuration: try simulator.configuration(forFunction: "receipts")).invoke(functionName: arn) }
        let expected = try Self.step(model, option: "account-grant-only", number: 1)
        #expect(refused?.summary == "403 AccessDeniedException" && refused?.message == expected.message)
    }
}

/// The simulator's authorizer, asked each step and each implied KMS call of the examples as the simulator asks them
/// (service deliveries with their confused-deputy keys), decides as the resolution does.
@Suite struct ExampleConsistencyTests {
    @Test(arguments: Examples.services + ["ecs-task-to-table", "condition-denial", "role-chain-hub", "same-account-session"])
    func theMockAgreesWithTheResolution(_ example: String) throws {
        #expect(ConsistencyCheck.mock(try Examples.load(example)) == [])
    }
}
