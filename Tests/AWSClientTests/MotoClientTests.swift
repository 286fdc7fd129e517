import AWSClient
import Foundation
import Testing

/// The new operations against moto over HTTP, with moto's authentication on (every signature checked), run by
/// scripts/moto-client-test.sh, which seeds the resources and sets the environment. Skipped when
/// `TRUSTFLOW_MOTO_ENDPOINT` is not set (a plain `swift test`); the script fails if it was skipped.
private let motoEnvironment = ProcessInfo.processInfo.environment

@Suite(.enabled(if: motoEnvironment["TRUSTFLOW_MOTO_ENDPOINT"] != nil, "needs scripts/moto-client-test.sh"))
struct MotoClientTests {
    static let environment = motoEnvironment
    let configuration: AWSConfiguration
    let bucket = Self.environment["TRUSTFLOW_MOTO_BUCKET"] ?? ""
    let kmsKey = Self.environment["TRUSTFLOW_MOTO_KMS_KEY"] ?? ""

    init() throws {
        var environment = Self.environment
        environment["AWS_ENDPOINT_URL"] = environment["TRUSTFLOW_MOTO_ENDPOINT"]
        configuration = try AWSConfiguration.fromEnvironment(environment)
    }

    @Test func s3PutGetHeadListWithAKeyThatNeedsEncoding() async throws {
        let s3 = S3(configuration: configuration)
        // A space and a tilde: encoded once (a second encoding would fail moto's signature check). moto's S3 check
        // rejects `+`, `(` and non-ASCII keys even from boto3, so those are left to the unit tests' vectors.
        let key = "integration/plain/a b~c.txt"
        let body = Array("hello from AWSClient\n".utf8)
        let put = try await s3.putObject(bucket: bucket, key: key, body: body, contentType: "text/plain", metadata: ["source": "tests"])
        #expect(put.eTag?.isEmpty == false)
        #expect(put.encryption == nil || put.encryption?.algorithm == "AES256")

        let object = try await s3.getObject(bucket: bucket, key: key)
        #expect(object.body == body)
        #expect(object.info.contentType == "text/plain")
        #expect(object.info.metadata == ["source": "tests"])

        let ranged = try await s3.getObject(bucket: bucket, key: key, range: "bytes=0-4")
        #expect(ranged.body == Array("hello".utf8))

        let head = try await s3.headObject(bucket: bucket, key: key)
        #expect(head.contentLength == body.count)
        #expect(head.eTag == put.eTag)
        #expect(head.lastModified != nil)

        // A prefix without `/`: moto's signature check fails a `%2F` in the query (boto3's requests too).
        let page = try await s3.listObjectsV2(bucket: bucket, prefix: "integration", maxKeys: 100)
        let listed = try #require(page.objects.first { $0.key == key })
        #expect(listed.size == body.count)
        #expect(listed.eTag == put.eTag)
        #expect(page.prefix == "integration")
        #expect(!page.isTruncated)
    }

    @Test func s3WithSSEKMSUnderAMotoKey() async throws {
        let s3 = S3(configuration: configuration)
        let key = "integration/kms/receipt.json"
        let body = Array(#"{"total":12.5}"#.utf8)
        let put = try await s3.putObject(bucket: bucket, key: key, body: body, contentType: "application/json", encryption: .kms(keyID: kmsKey))
        #expect(put.encryption?.algorithm == "aws:kms")
        #expect(put.encryption?.kmsKeyID.map { kmsKey.hasSuffix($0) || $0.hasSuffix(kmsKey) || $0 == kmsKey } == true)
        let object = try await s3.getObject(bucket: bucket, key: key)
        #expect(object.body == body)
        #expect(object.info.encryption?.algorithm == "aws:kms")
        #expect(object.info.encryption?.kmsKeyID != nil)
    }

    @Test func s3UnsignedPayloadIsAccepted() async throws {
        let s3 = S3(configuration: configuration)
        let key = "integration/unsigned/blob.bin"
        let body: [UInt8] = Array(0...255)
        _ = try await s3.putObject(bucket: bucket, key: key, body: body, signsPayload: false)
        #expect(try await s3.getObject(bucket: bucket, key: key).body == body)
    }

    @Test func s3Errors() async throws {
        let s3 = S3(configuration: configuration)
        let missing = try #require(await awsError { _ = try await s3.getObject(bucket: bucket, key: "integration/missing.txt") })
        #expect(missing.code == "NoSuchKey")
        #expect(missing.status == 404)
        #expect(!missing.message.isEmpty)
        let head = try #require(await awsError { _ = try await s3.headObject(bucket: bucket, key: "integration/missing.txt") })
        #expect(head.code == "NotFound")
        #expect(head.status == 404)
        let bucketMissing = try #require(await awsError { _ = try await s3.listObjectsV2(bucket: "awsclient-no-such-bucket") })
        #expect(bucketMissing.code == "NoSuchBucket")
    }

    @Test func kmsEncryptDecryptGenerateDescribe() async throws {
        let kms = KMS(configuration: configuration)
        let plaintext = Array("card 4111".utf8)
        let encrypted = try await kms.encrypt(keyID: kmsKey, plaintext: plaintext, encryptionContext: ["purpose": "tests"])
        #expect(encrypted.ciphertextBlob != plaintext)
        #expect(encrypted.keyID == kmsKey)
        let decrypted = try await kms.decrypt(ciphertextBlob: encrypted.ciphertextBlob, encryptionContext: ["purpose": "tests"])
        #expect(decrypted.plaintext == plaintext)
        #expect(decrypted.keyID == kmsKey)

        let dataKey = try await kms.generateDataKey(keyID: kmsKey)
        #expect(dataKey.plaintext.count == 32)
        #expect(try await kms.decrypt(ciphertextBlob: dataKey.ciphertextBlob).plaintext == dataKey.plaintext)

        let metadata = try await kms.describeKey(keyID: kmsKey)
        #expect(metadata.arn == kmsKey)
        #expect(metadata.enabled == true)
        #expect(metadata.keyState == "Enabled")
        #expect(metadata.keySpec == "SYMMETRIC_DEFAULT")
        #expect(metadata.creationDate != nil)

        let missing = try #require(await awsError { _ = try await kms.describeKey(keyID: "alias/awsclient-no-such-key") })
        #expect(missing.code == "NotFoundException")
    }

    @Test func sqsSendReceiveDelete() async throws {
        let sqs = SQS(configuration: configuration)
        let url = try await sqs.getQueueURL(queueName: Self.environment["TRUSTFLOW_MOTO_QUEUE"] ?? "")
        #expect(url.hasSuffix("/awsclient-tests"))
        let sent = try await sqs.sendMessage(queueURL: url, body: "order o-1 shipped ✓", stringAttributes: ["tenant": "t-1"])
        #expect(!sent.messageID.isEmpty)
        let messages = try await sqs.receiveMessage(queueURL: url, maxNumberOfMessages: 10, waitTimeSeconds: 1, messageAttributeNames: ["All"])
        let message = try #require(messages.first { $0.messageID == sent.messageID })
        #expect(message.body == "order o-1 shipped ✓")
        #expect(message.messageAttributes == ["tenant": "t-1"])
        try await sqs.deleteMessage(queueURL: url, receiptHandle: message.receiptHandle)

        let missing = try #require(await awsError { _ = try await sqs.getQueueURL(queueName: "awsclient-no-such-queue") })
        #expect(missing.code == "AWS.SimpleQueueService.NonExistentQueue")
        #expect(missing.shapeName == "QueueDoesNotExist")
        #expect(missing.status == 400)
    }

    @Test func snsPublish() async throws {
        let sns = SNS(configuration: configuration)
        let published = try await sns.publish(
            to: .topic(arn: Self.environment["TRUSTFLOW_MOTO_TOPIC"] ?? ""), message: "order o-1 shipped & paid", subject: "Order", stringAttributes: ["tenant": "t-1"])
        #expect(!published.messageID.isEmpty)
        let missing = try #require(await awsError {
            _ = try await sns.publish(to: .topic(arn: "arn:aws:sns:us-east-1:123456789012:awsclient-no-such-topic"), message: "m")
        })
        #expect(missing.code == "NotFound")
    }

    @Test func secretsManagerGetAndDescribe() async throws {
        let manager = SecretsManager(configuration: configuration)
        let name = Self.environment["TRUSTFLOW_MOTO_SECRET"] ?? ""
        let secret = try await manager.getSecretValue(secretID: name)
        #expect(secret.name == name)
        #expect(secret.secretString == #"{"password":"EXAMPLE-PASSWORD"}"#)
        #expect(secret.versionStages.contains("AWSCURRENT"))
        let description = try await manager.describeSecret(secretID: secret.arn)
        #expect(description.arn == secret.arn)
        #expect(description.versionIDsToStages[secret.versionID ?? ""]?.contains("AWSCURRENT") == true)
        let missing = try #require(await awsError { _ = try await manager.getSecretValue(secretID: "awsclient/no-such-secret") })
        #expect(missing.code == "ResourceNotFoundException")
    }

    @Test func lambdaInvokeOfAMissingFunction() async throws {
        // moto runs functions in Docker; a missing function still checks the route, the signature and the error shape.
        let lambda = Lambda(configuration: configuration)
        // By name only: moto's signature check fails a path holding `%3A` (an ARN), boto3's requests too; the ARN's
        // path and canonical request are checked by LambdaClientTests.
        let error = try #require(await awsError {
            _ = try await lambda.invoke(functionName: "awsclient-no-such-function", payload: Array(#"{"orderId":"o-1"}"#.utf8))
        })
        #expect(error.code == "ResourceNotFoundException")
        #expect(error.message.contains("awsclient-no-such-function"))
        #expect(error.status == 404)
        #expect(error.operation == "Invoke")
    }
}
