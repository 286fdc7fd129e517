public import Foundation

/// AWS Key Management Service over AWS JSON 1.1 (`X-Amz-Target: TrentService.<Operation>`): `Encrypt`, `Decrypt`,
/// `GenerateDataKey`, `DescribeKey`. Blobs are bytes here and base64 on the wire.
///
/// Every `keyID` takes a key id, a key ARN, an alias name (`alias/orders`) or an alias ARN; another account's key
/// needs its key or alias ARN.
public struct KMS: Sendable {
    public let configuration: AWSConfiguration
    private var json: JSONCall { JSONCall(call: ServiceCall(configuration: configuration, service: .kms, wire: .json11), targetPrefix: "TrentService") }

    public init(configuration: AWSConfiguration) {
        self.configuration = configuration
    }

    /// What `Encrypt` returns.
    public struct Encrypted: Sendable, Hashable {
        public var ciphertextBlob: [UInt8]
        /// The ARN of the key that encrypted.
        public var keyID: String
        public var encryptionAlgorithm: String?
    }

    /// What `Decrypt` returns.
    public struct Decrypted: Sendable, Hashable {
        public var plaintext: [UInt8]
        /// The ARN of the key that decrypted.
        public var keyID: String
        public var encryptionAlgorithm: String?
    }

    /// A data key from `GenerateDataKey`: use `plaintext` and forget it; store `ciphertextBlob` with the data.
    public struct DataKey: Sendable, Hashable {
        public var plaintext: [UInt8]
        public var ciphertextBlob: [UInt8]
        public var keyID: String
    }

    /// The length of a data key: `AES_256` (32 bytes) or `AES_128` (16 bytes).
    public enum DataKeySpec: String, Sendable, Hashable, CaseIterable {
        case aes256 = "AES_256"
        case aes128 = "AES_128"
    }

    /// What `DescribeKey` tells about a key.
    public struct KeyMetadata: Sendable, Hashable {
        public var keyID: String
        public var arn: String?
        public var awsAccountID: String?
        public var description: String?
        public var enabled: Bool?
        /// `Enabled`, `Disabled`, `PendingDeletion`, …
        public var keyState: String?
        /// `ENCRYPT_DECRYPT`, `SIGN_VERIFY`, …
        public var keyUsage: String?
        /// `SYMMETRIC_DEFAULT`, `RSA_2048`, …
        public var keySpec: String?
        /// `CUSTOMER` or `AWS`.
        public var keyManager: String?
        public var creationDate: Date?
    }

    /// `kms:Encrypt`: encrypts up to 4096 bytes under a symmetric or RSA key. The same `encryptionContext` must
    /// be given to `decrypt`.
    public func encrypt(
        keyID: String, plaintext: [UInt8], encryptionContext: [String: String] = [:], encryptionAlgorithm: String? = nil
    ) async throws -> Encrypted {
        var body: [(String, JSONValue)] = [("KeyId", .string(keyID)), ("Plaintext", JSONCall.base64(plaintext))]
        if !encryptionContext.isEmpty { body.append(("EncryptionContext", JSONCall.stringMap(encryptionContext))) }
        if let encryptionAlgorithm { body.append(("EncryptionAlgorithm", .string(encryptionAlgorithm))) }
        let (response, answer) = try await json.send("Encrypt", body)
        return Encrypted(
            ciphertextBlob: try json.blob(answer, "CiphertextBlob", response, operation: "Encrypt"),
            keyID: try json.string(answer, "KeyId", response, operation: "Encrypt"), encryptionAlgorithm: answer["EncryptionAlgorithm"]?.string
        )
    }

    /// `kms:Decrypt`. `keyID` is optional for symmetric keys (the ciphertext names its key) and required for
    /// asymmetric ones; giving it also refuses a ciphertext made under another key.
    public func decrypt(
        ciphertextBlob: [UInt8], encryptionContext: [String: String] = [:], keyID: String? = nil, encryptionAlgorithm: String? = nil
    ) async throws -> Decrypted {
        var body: [(String, JSONValue)] = [("CiphertextBlob", JSONCall.base64(ciphertextBlob))]
        if !encryptionContext.isEmpty { body.append(("EncryptionContext", JSONCall.stringMap(encryptionContext))) }
        if let keyID { body.append(("KeyId", .string(keyID))) }
        if let encryptionAlgorithm { body.append(("EncryptionAlgorithm", .string(encryptionAlgorithm))) }
        let (response, answer) = try await json.send("Decrypt", body)
        return Decrypted(
            plaintext: try json.blob(answer, "Plaintext", response, operation: "Decrypt"),
            keyID: try json.string(answer, "KeyId", response, operation: "Decrypt"), encryptionAlgorithm: answer["EncryptionAlgorithm"]?.string
        )
    }

    /// `kms:GenerateDataKey`: a fresh data key, in plaintext and encrypted under `keyID`. Give `keySpec` or
    /// `numberOfBytes` (1–1024), not both; `keySpec` defaults to `AES_256`.
    public func generateDataKey(
        keyID: String, keySpec: DataKeySpec? = nil, numberOfBytes: Int? = nil, encryptionContext: [String: String] = [:]
    ) async throws -> DataKey {
        var body: [(String, JSONValue)] = [("KeyId", .string(keyID))]
        if !encryptionContext.isEmpty { body.append(("EncryptionContext", JSONCall.stringMap(encryptionContext))) }
        if let numberOfBytes {
            body.append(("NumberOfBytes", .number(String(numberOfBytes))))
        } else {
            body.append(("KeySpec", .string((keySpec ?? .aes256).rawValue)))
        }
        let (response, answer) = try await json.send("GenerateDataKey", body)
        return DataKey(
            plaintext: try json.blob(answer, "Plaintext", response, operation: "GenerateDataKey"),
            ciphertextBlob: try json.blob(answer, "CiphertextBlob", response, operation: "GenerateDataKey"),
            keyID: try json.string(answer, "KeyId", response, operation: "GenerateDataKey")
        )
    }

    /// `kms:DescribeKey`: the key's ARN, state, usage and spec (an alias is resolved to its key).
    public func describeKey(keyID: String) async throws -> KeyMetadata {
        let (response, answer) = try await json.send("DescribeKey", [("KeyId", .string(keyID))])
        guard let metadata = answer["KeyMetadata"] else {
            throw json.call.malformed(response, operation: "DescribeKey", "DescribeKey answer lacks KeyMetadata")
        }
        return KeyMetadata(
            keyID: try json.string(metadata, "KeyId", response, operation: "DescribeKey"), arn: metadata["Arn"]?.string,
            awsAccountID: metadata["AWSAccountId"]?.string, description: metadata["Description"]?.string, enabled: metadata["Enabled"]?.bool,
            keyState: metadata["KeyState"]?.string, keyUsage: metadata["KeyUsage"]?.string, keySpec: metadata["KeySpec"]?.string,
            keyManager: metadata["KeyManager"]?.string, creationDate: JSONCall.date(metadata["CreationDate"])
        )
    }
}
