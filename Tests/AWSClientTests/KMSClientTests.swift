import AWSClient
import Foundation
import Testing

@Suite struct KMSClientTests {
    static let keyARN = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"

    static func kmsAnswer(_ json: String, status: Int = 200) -> HTTPResponse {
        HTTPResponse(status: status, headers: [("Content-Type", "application/x-amz-json-1.1"), ("x-amzn-RequestId", "R-KMS")], body: Array(json.utf8))
    }

    static func wire(_ operation: String, _ length: Int) -> [String] {
        [
            "Host: kms.us-east-1.amazonaws.com", "Content-Type: application/x-amz-json-1.1", "X-Amz-Target: TrentService.\(operation)",
            "Content-Length: \(length)", "X-Amz-Date: \(TestSigning.timestamp)", "X-Amz-Security-Token: session",
            TestSigning.authorization("kms", "content-length;content-type;host;x-amz-date;x-amz-security-token;x-amz-target"),
        ]
    }

    @Test func encryptSendsBase64AndReadsTheCiphertext() async throws {
        let transport = ScriptedTransport([
            Self.kmsAnswer(#"{"CiphertextBlob":"AQIDBA==","EncryptionAlgorithm":"SYMMETRIC_DEFAULT","KeyId":"\#(Self.keyARN)"}"#)
        ])
        let encrypted = try await KMS(configuration: testConfiguration(transport)).encrypt(
            keyID: "alias/orders", plaintext: Array("hello".utf8), encryptionContext: ["tenant": "t-1", "purpose": "receipt"])
        let request = try #require(transport.sent.first)
        let body = #"{"KeyId":"alias/orders","Plaintext":"aGVsbG8=","EncryptionContext":{"purpose":"receipt","tenant":"t-1"}}"#
        #expect(request.method == "POST")
        #expect(request.wireURL == "https://kms.us-east-1.amazonaws.com")
        #expect(request.bodyText == body)
        #expect(request.wireHeaders == Self.wire("Encrypt", body.utf8.count))
        #expect(encrypted.ciphertextBlob == [1, 2, 3, 4])
        #expect(encrypted.keyID == Self.keyARN)
        #expect(encrypted.encryptionAlgorithm == "SYMMETRIC_DEFAULT")
    }

    @Test func decryptReadsThePlaintext() async throws {
        let transport = ScriptedTransport([
            Self.kmsAnswer(#"{"EncryptionAlgorithm":"SYMMETRIC_DEFAULT","KeyId":"\#(Self.keyARN)","Plaintext":"aGVsbG8="}"#)
        ])
        let decrypted = try await KMS(configuration: testConfiguration(transport)).decrypt(ciphertextBlob: [1, 2, 3, 4], keyID: Self.keyARN)
        let body = #"{"CiphertextBlob":"AQIDBA==","KeyId":"\#(Self.keyARN)"}"#
        #expect(transport.sent.first?.bodyText == body)
        #expect(transport.sent.first?.wireHeaders == Self.wire("Decrypt", body.utf8.count))
        #expect(decrypted.plaintext == Array("hello".utf8))
        #expect(decrypted.keyID == Self.keyARN)
    }

    @Test func generateDataKeyAsksForAES256ByDefault() async throws {
        let plaintext = [UInt8](repeating: 7, count: 32)
        let transport = ScriptedTransport([
            Self.kmsAnswer(
                #"{"CiphertextBlob":"AQEDAHg=","KeyId":"\#(Self.keyARN)","Plaintext":"\#(Data(plaintext).base64EncodedString())"}"#)
        ])
        let key = try await KMS(configuration: testConfiguration(transport)).generateDataKey(keyID: "alias/orders")
        let body = #"{"KeyId":"alias/orders","KeySpec":"AES_256"}"#
        #expect(transport.sent.first?.bodyText == body)
        #expect(transport.sent.first?.wireHeaders == Self.wire("GenerateDataKey", body.utf8.count))
        #expect(key.plaintext == plaintext)
        #expect(key.ciphertextBlob == [1, 1, 3, 0, 120])
        #expect(key.keyID == Self.keyARN)
    }

    @Test func generateDataKeyByLength() async throws {
        let transport = ScriptedTransport([Self.kmsAnswer(#"{"CiphertextBlob":"AA==","KeyId":"k","Plaintext":"AAAA"}"#)])
        _ = try await KMS(configuration: testConfiguration(transport)).generateDataKey(keyID: "k", numberOfBytes: 3, encryptionContext: ["a": "b"])
        #expect(transport.sent.first?.bodyText == #"{"KeyId":"k","EncryptionContext":{"a":"b"},"NumberOfBytes":3}"#)
    }

    @Test func describeKeyReadsTheDocumentedMetadata() async throws {
        let transport = ScriptedTransport([
            Self.kmsAnswer(
                #"{"KeyMetadata":{"AWSAccountId":"111111111111","Arn":"\#(Self.keyARN)","CreationDate":1.795000000123E9,"CustomerMasterKeySpec":"SYMMETRIC_DEFAULT","Description":"orders receipts","Enabled":true,"EncryptionAlgorithms":["SYMMETRIC_DEFAULT"],"KeyId":"1234abcd-12ab-34cd-56ef-1234567890ab","KeyManager":"CUSTOMER","KeySpec":"SYMMETRIC_DEFAULT","KeyState":"Enabled","KeyUsage":"ENCRYPT_DECRYPT","MultiRegion":false,"Origin":"AWS_KMS"}}"#
            )
        ])
        let metadata = try await KMS(configuration: testConfiguration(transport)).describeKey(keyID: "alias/orders")
        #expect(transport.sent.first?.bodyText == #"{"KeyId":"alias/orders"}"#)
        #expect(transport.sent.first?.header("x-amz-target") == "TrentService.DescribeKey")
        #expect(metadata.keyID == "1234abcd-12ab-34cd-56ef-1234567890ab")
        #expect(metadata.arn == Self.keyARN)
        #expect(metadata.awsAccountID == "111111111111")
        #expect(metadata.enabled == true)
        #expect(metadata.keyState == "Enabled")
        #expect(metadata.keyUsage == "ENCRYPT_DECRYPT")
        #expect(metadata.keySpec == "SYMMETRIC_DEFAULT")
        #expect(metadata.keyManager == "CUSTOMER")
        #expect(metadata.description == "orders receipts")
        #expect(abs((metadata.creationDate?.timeIntervalSince1970 ?? 0) - 1_795_000_000.123) < 0.001)
    }

    @Test func accessDeniedExceptionFromJSON11() async throws {
        let message =
            "User: arn:aws:sts::111111111111:assumed-role/LambdaExecutionRole/orders-api is not authorized to perform: kms:Decrypt on resource: \(Self.keyARN) because no identity-based policy allows the kms:Decrypt action"
        let transport = ScriptedTransport([Self.kmsAnswer(#"{"__type":"AccessDeniedException","message":"\#(message)"}"#, status: 400)])
        let kms = KMS(configuration: testConfiguration(transport, retry: RetryPolicy(sleep: { _ in })))
        let error = try #require(await awsError { _ = try await kms.decrypt(ciphertextBlob: [1]) })
        #expect(error.kind == .service)
        #expect(error.code == "AccessDeniedException")
        #expect(error.message == message)
        #expect(error.status == 400)
        #expect(error.requestID == "R-KMS")
        #expect(error.service == "kms")
        #expect(error.operation == "Decrypt")
        #expect(error.isAccessError)
        #expect(transport.sent.count == 1)
    }

    @Test func notFoundExceptionKeepsItsName() async throws {
        let transport = ScriptedTransport([
            Self.kmsAnswer(#"{"__type":"NotFoundException","message":"Alias arn:aws:kms:us-east-1:111111111111:alias/nope is not found."}"#, status: 400)
        ])
        let error = try #require(await awsError { _ = try await KMS(configuration: testConfiguration(transport)).describeKey(keyID: "alias/nope") })
        #expect(error.code == "NotFoundException")
    }

    @Test func ciphertextThatIsNotBase64IsMalformed() async throws {
        let transport = ScriptedTransport([Self.kmsAnswer(#"{"CiphertextBlob":"not base64!","KeyId":"k"}"#)])
        let error = try #require(await awsError { _ = try await KMS(configuration: testConfiguration(transport)).encrypt(keyID: "k", plaintext: [1]) })
        #expect(error.kind == .malformedResponse)
        #expect(error.message.contains("CiphertextBlob"))
    }
}
