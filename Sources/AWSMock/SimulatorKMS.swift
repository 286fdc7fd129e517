import AWSClient
import Crypto
import Foundation
import Model

enum SHA256Digest {
    static func of(_ text: String) -> [UInt8] { Array(SHA256.hash(data: Array(text.utf8))) }
}

extension AWSSimulator {
    static let kmsOperations: Set<String> = ["Encrypt", "Decrypt", "GenerateDataKey", "DescribeKey"]
    static let kmsContentType = "application/x-amz-json-1.1"

    /// KMS over AWS JSON 1.1 (`TrentService.<Operation>`): `Encrypt`, `Decrypt`, `GenerateDataKey`, `DescribeKey` on
    /// the model's keys, each authorized on the key's ARN with the request's encryption context as
    /// `kms:EncryptionContext:<key>` and `kms:EncryptionContextKeys`.
    func handleKMS(_ request: HTTPRequest, session: Session, region: String, requestID: String) -> Result<HTTPResponse, WireError> {
        let operation: String
        let body: JSONValue
        switch jsonRequest(request, prefix: "TrentService", operations: Self.kmsOperations) {
        case .failure(let error): return .failure(error)
        case .success(let parsed): (operation, body) = parsed
        }
        do throws(WireError) {
            let answer: [(String, JSONValue)] =
                switch operation {
                case "Encrypt": try kmsEncrypt(body, session: session)
                case "Decrypt": try kmsDecrypt(body, session: session)
                case "GenerateDataKey": try kmsGenerateDataKey(body, session: session)
                default: try kmsDescribeKey(body, session: session)
                }
            return .success(jsonAnswer(answer, contentType: Self.kmsContentType, requestID: requestID))
        } catch {
            return .failure(error)
        }
    }

    /// The request's `EncryptionContext` (string to string), or KMS's `ValidationException`.
    private static func encryptionContext(_ body: JSONValue) throws(WireError) -> [String: String] {
        guard let members = body["EncryptionContext"]?.members else { return [:] }
        var context: [String: String] = [:]
        for (key, value) in members {
            guard let text = value.string else { throw .of(400, "ValidationException", "EncryptionContext values must be strings") }
            context[key] = text
        }
        return context
    }

    /// The condition keys of an encryption context (AWS KMS Developer Guide, "kms:EncryptionContext:context-key").
    private static func contextKeys(_ context: [String: String]) -> [String: [String]] {
        var keys: [String: [String]] = [:]
        for (key, value) in context { keys["kms:EncryptionContext:" + key] = [value] }
        if !context.isEmpty { keys["kms:EncryptionContextKeys"] = context.keys.sorted() }
        return keys
    }

    /// The key `KeyId` names, authorized for `action`; `NotFoundException` (after authorization) when the model has none.
    private func authorizedKey(_ body: JSONValue, action: String, session: Session, extra: [String: [String]] = [:]) throws(WireError) -> KeyRing.Key {
        let keyID = try Self.required(body, "KeyId")
        let (arn, key) = kms.resolve(keyID, callerAccountID: session.accountID)
        try authorizeCall(.session(session), action: action, resourceARN: arn, extra: extra)
        guard let key else { throw .of(400, "NotFoundException", "Key '\(arn)' does not exist") }
        return key
    }

    private func blob(_ body: JSONValue, _ member: String) throws(WireError) -> [UInt8] {
        let text = try Self.required(body, member)
        guard let bytes = Data(base64Encoded: text) else { throw .of(400, "SerializationException", "\(member) is not valid base64") }
        return Array(bytes)
    }

    private func kmsEncrypt(_ body: JSONValue, session: Session) throws(WireError) -> [(String, JSONValue)] {
        let context = try Self.encryptionContext(body)
        let plaintext = try blob(body, "Plaintext")
        guard (1...4096).contains(plaintext.count) else {
            throw .of(400, "ValidationException", "1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member must have length less than or equal to 4096")
        }
        let key = try authorizedKey(body, action: "kms:Encrypt", session: session, extra: Self.contextKeys(context))
        return [
            ("CiphertextBlob", .string(Data(kms.encrypt(plaintext, with: key, context: context)).base64EncodedString())), ("KeyId", .string(key.arn)),
            ("EncryptionAlgorithm", .string("SYMMETRIC_DEFAULT")),
        ]
    }

    private func kmsDecrypt(_ body: JSONValue, session: Session) throws(WireError) -> [(String, JSONValue)] {
        let context = try Self.encryptionContext(body)
        let ciphertext = try blob(body, "CiphertextBlob")
        // The ciphertext names its key; one that is not this simulator's cannot be decrypted by anyone.
        guard let key = kms.keyOf(ciphertext) else { throw .of(400, "InvalidCiphertextException", "") }
        try authorizeCall(.session(session), action: "kms:Decrypt", resourceARN: key.arn, extra: Self.contextKeys(context))
        if let keyID = body["KeyId"]?.string, kms.resolve(keyID, callerAccountID: session.accountID).arn != key.arn {
            throw .of(400, "IncorrectKeyException", "The key ID in the request does not identify a CMK that can perform this operation.")
        }
        guard let plaintext = kms.decrypt(ciphertext, context: context) else { throw .of(400, "InvalidCiphertextException", "") }
        return [
            ("KeyId", .string(key.arn)), ("Plaintext", .string(Data(plaintext).base64EncodedString())), ("EncryptionAlgorithm", .string("SYMMETRIC_DEFAULT")),
        ]
    }

    private func kmsGenerateDataKey(_ body: JSONValue, session: Session) throws(WireError) -> [(String, JSONValue)] {
        let context = try Self.encryptionContext(body)
        var length = 32
        switch (body["KeySpec"]?.string, body["NumberOfBytes"]) {
        case (nil, nil), ("AES_256", nil): length = 32
        case ("AES_128", nil): length = 16
        case (nil, .number(let text)?):
            guard let count = Int(text), (1...1024).contains(count) else {
                throw .of(400, "ValidationException", "1 validation error detected: Value '\(text)' at 'numberOfBytes' failed to satisfy constraint: Member must have value between 1 and 1024")
            }
            length = count
        case (let spec?, nil):
            throw .of(400, "ValidationException", "1 validation error detected: Value '\(spec)' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: [AES_256, AES_128]")
        default:
            throw .of(400, "ValidationException", "Please specify either number of bytes or key spec.")
        }
        let key = try authorizedKey(body, action: "kms:GenerateDataKey", session: session, extra: Self.contextKeys(context))
        let plaintext = RandomIdentifiers.bytes(length)
        return [
            ("CiphertextBlob", .string(Data(kms.encrypt(plaintext, with: key, context: context)).base64EncodedString())),
            ("Plaintext", .string(Data(plaintext).base64EncodedString())), ("KeyId", .string(key.arn)),
        ]
    }

    private func kmsDescribeKey(_ body: JSONValue, session: Session) throws(WireError) -> [(String, JSONValue)] {
        let key = try authorizedKey(body, action: "kms:DescribeKey", session: session)
        let metadata: [(String, JSONValue)] = [
            ("AWSAccountId", .string(key.accountID)), ("KeyId", .string(key.resource.name)), ("Arn", .string(key.arn)),
            ("CreationDate", Self.jsonDate(Date(timeIntervalSince1970: 1_767_225_600))), ("Enabled", .bool(true)),
            ("Description", .string(key.isAWSManaged ? "Default key that protects my \(key.resource.alias ?? "") secrets when no other key is defined" : "")),
            ("KeyUsage", .string("ENCRYPT_DECRYPT")), ("KeyState", .string("Enabled")), ("Origin", .string("AWS_KMS")),
            ("KeyManager", .string(key.isAWSManaged ? "AWS" : "CUSTOMER")), ("CustomerMasterKeySpec", .string("SYMMETRIC_DEFAULT")),
            ("KeySpec", .string("SYMMETRIC_DEFAULT")), ("EncryptionAlgorithms", .array([.string("SYMMETRIC_DEFAULT")])), ("MultiRegion", .bool(false)),
        ]
        return [("KeyMetadata", .object(metadata))]
    }
}
