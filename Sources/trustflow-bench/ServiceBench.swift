import AWSClient
import AWSMock
import Foundation
import Model
import Policy

/// One operation of each service beyond STS and DynamoDB through the simulator on one core, over the real engine, on
/// the example models: the client signs, the simulator verifies, authorizes (the implied KMS calls and SNS's
/// delivery included) and executes, the client decodes. Figures only; nothing is asserted.
func runServiceBench(examples: String) async throws {
    func load(_ name: String) throws -> Model { try ModelLoader.load(contentDirectory: examples + "/" + name) }
    func simulator(_ model: Model) -> AWSSimulator { AWSSimulator(model: model, authorizer: ModelAuthorizer(model: model), recordsRequests: false) }
    /// `model` with a user of `account` whose one policy is `json` (a caller the examples do not have).
    func adding(user: String, account: String, accountID: String, policy json: String, to model: Model) throws -> Model {
        guard let document = PolicyParser.parse(json: json, file: user, kind: .identity).document else { throw SimulatorError("bench policy for \(user)") }
        var model = model
        model.users.append(User(
            key: user, accountKey: account, name: user, policies: [NamedPolicy(name: user, document: document, origin: .inline, location: .synthesized("bench"))],
            arn: "arn:aws:iam::\(accountID):user/\(user)", location: .synthesized("bench")))
        return model
    }

    let s3Model = try load("lambda-to-s3-kms")
    let keyARN = s3Model.resource("reportsKey")?.arn ?? ""
    let kmsModel = try adding(
        user: "bench", account: "Data", accountID: "602222222222",
        policy: #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["kms:Encrypt", "kms:Decrypt"], "Resource": "\#(keyARN)"}]}"#, to: s3Model)
    let kmsSimulator = simulator(kmsModel)
    let kms = KMS(configuration: try kmsSimulator.configuration(forUser: "bench"))
    let sealed = try await kms.encrypt(keyID: keyARN, plaintext: Array("bench".utf8)).ciphertextBlob
    let s3 = S3(configuration: try simulator(s3Model).configuration(forFunction: "reports"))

    let queueModel = try load("sns-to-sqs")
    let queueARN = queueModel.resource("ordersQueue")?.arn ?? ""
    let queueKeyARN = queueModel.resource("queueKey")?.arn ?? ""
    let sender = try adding(
        user: "bench", account: "Data", accountID: "612222222222",
        policy: #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "\#(queueARN)"}, {"Effect": "Allow", "Action": ["kms:GenerateDataKey", "kms:Decrypt"], "Resource": "\#(queueKeyARN)"}]}"#,
        to: queueModel)
    let sqs = SQS(configuration: try simulator(sender).configuration(forUser: "bench"))
    let parts = queueARN.split(separator: ":")
    let queueURL = "https://sqs.\(parts[3]).amazonaws.com/\(parts[4])/\(parts[5])"
    let sns = SNS(configuration: try simulator(queueModel).configuration(forFunction: "publisher"))
    let topicARN = queueModel.resource("orderEvents")?.arn ?? ""

    let secretModel = try load("lambda-to-secret")
    let secrets = SecretsManager(configuration: try simulator(secretModel).configuration(forFunction: "billing"))
    let secretARN = secretModel.resource("databaseSecret")?.arn ?? ""

    let invokeModel = try load("cross-account-invoke")
    let lambda = Lambda(configuration: try simulator(invokeModel).configuration(forFunction: "checkout"))
    let functionARN = invokeModel.function("fraudScore")?.arn ?? ""

    let operations: [(String, String, @Sendable () async throws -> Void)] = [
        ("S3 GetObject", "an SSE-KMS object across accounts, with its implied kms:Decrypt", {
            _ = try await s3.getObject(bucket: "acme-data-reports", key: "reports/2026/q1.csv")
        }),
        ("KMS Decrypt", "a 5-byte ciphertext by a user of the key's account", { _ = try await kms.decrypt(ciphertextBlob: sealed) }),
        ("SQS SendMessage", "to an SSE-KMS queue, with its implied kms:GenerateDataKey and kms:Decrypt", {
            _ = try await sqs.sendMessage(queueURL: queueURL, body: "bench")
        }),
        ("SNS Publish", "and its delivery to two queues as sns.amazonaws.com (one with KMS calls, one refused)", {
            _ = try await sns.publish(to: .topic(arn: topicARN), message: "bench")
        }),
        ("GetSecretValue", "across accounts, with its implied kms:Decrypt", { _ = try await secrets.getSecretValue(secretID: secretARN) }),
        ("Lambda Invoke", "across accounts (function policy and identity policy)", { _ = try await lambda.invoke(functionName: functionARN, payload: Array("{}".utf8)) }),
    ]
    for (name, what, call) in operations {
        let (count, elapsed, cpu) = try await Task.detached { () async throws -> (Int, Duration, Double) in
            let clock = ContinuousClock()
            for _ in 0..<500 { try await call() }  // warm up caches
            var count = 0
            let cpuStart = processCPUSeconds()
            let start = clock.now
            var elapsed = Duration.zero
            repeat {
                for _ in 0..<200 { try await call() }
                count += 200
                elapsed = clock.now - start
            } while elapsed < .seconds(1)
            return (count, elapsed, processCPUSeconds() - cpuStart)
        }.value
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print(String(
            format: "simulator: %.0f %@/s wall clock, %.0f per CPU-second (%.1f µs CPU each), %@; authorizer: policy engine (the step resolution)",
            Double(count) / seconds, name, Double(count) / cpu, cpu / Double(count) * 1e6, what))
    }
}
