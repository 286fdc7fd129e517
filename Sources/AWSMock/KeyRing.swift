import AWSClient
import Crypto
import Foundation
import Model
import Policy
import Resolution

/// The model's KMS keys — each key of `resources:` and each AWS managed key a service of an account uses
/// (`aws/secretsmanager`) — with symmetric key material made for this simulator (AES-256-GCM). A ciphertext names its
/// key, as KMS's do, so `Decrypt` finds the key without being told; the encryption context is authenticated data, so
/// a different context fails as KMS fails it (`InvalidCiphertextException`).
final class KeyRing: Sendable {
    struct Key: Sendable {
        /// The model reference (a key of `resources:`, or `AWSManagedKey.reference`).
        let reference: String
        let resource: Resource
        let arn: String
        let accountID: String
        let isAWSManaged: Bool
        /// 32 random bytes (kept as bytes: `SymmetricKey` is not `Sendable`).
        let material: [UInt8]
        var symmetricKey: SymmetricKey { SymmetricKey(data: material) }
    }

    let keys: [Key]
    let region: String

    init(model: Model) {
        region = model.region
        var keys: [Key] = []
        for resource in model.resources where resource.kind == .kmsKey {
            keys.append(Key(
                reference: resource.key, resource: resource, arn: resource.arn, accountID: model.account(resource.accountKey)?.id ?? "",
                isAWSManaged: false, material: RandomIdentifiers.bytes(32)))
        }
        for account in model.accounts {
            for kind in ResourceKind.all where kind.awsManagedKeyAlias != nil {
                let reference = AWSManagedKey.reference(account.key, kind)
                guard let resource = AWSManagedKey.resource(reference, model: model) else { continue }
                keys.append(Key(
                    reference: reference, resource: resource, arn: resource.arn, accountID: account.id, isAWSManaged: true,
                    material: RandomIdentifiers.bytes(32)))
            }
        }
        self.keys = keys
    }

    func key(arn: String) -> Key? { keys.first { $0.arn == arn } }
    func key(reference: String) -> Key? { keys.first { $0.reference == reference } }

    /// The key ARN a `KeyId` names for a caller — a key id or alias name (`alias/orders`) in the caller's account, a
    /// key ARN or an alias ARN — and the key when the model has it. An alias that names no key keeps its alias ARN
    /// (authorized, then not found).
    func resolve(_ keyID: String, callerAccountID: String) -> (arn: String, key: Key?) {
        if keyID.hasPrefix("arn:") {
            if let key = key(arn: keyID) { return (keyID, key) }
            if let parsed = ARN(keyID), parsed.resource.hasPrefix("alias/"),
                let key = keys.first(where: { $0.accountID == parsed.account && $0.resource.alias == parsed.resource }) {
                return (key.arn, key)
            }
            return (keyID, nil)
        }
        if keyID.hasPrefix("alias/") {
            if let key = keys.first(where: { $0.accountID == callerAccountID && $0.resource.alias == keyID }) { return (key.arn, key) }
            return ("arn:aws:kms:\(region):\(callerAccountID):\(keyID)", nil)
        }
        let arn = "arn:aws:kms:\(region):\(callerAccountID):key/\(keyID)"
        return (arn, key(arn: arn))
    }

    private static let magic: [UInt8] = Array("TFK1".utf8)

    /// The encryption context as authenticated data: its pairs sorted by key, each `key=value` and a zero byte.
    private static func associatedData(_ context: [String: String]) -> [UInt8] {
        context.keys.sorted().flatMap { Array(($0 + "=" + context[$0]!).utf8) + [0] }
    }

    func encrypt(_ plaintext: [UInt8], with key: Key, context: [String: String]) -> [UInt8] {
        // Sealing with a fresh random nonce cannot fail for a 256-bit key.
        let sealed = try! AES.GCM.seal(plaintext, using: key.symmetricKey, authenticating: Self.associatedData(context))
        let arn = Array(key.arn.utf8)
        return Self.magic + [UInt8(arn.count >> 8), UInt8(arn.count & 0xFF)] + arn + Array(sealed.combined!)
    }

    /// The key a ciphertext names, if it is one of this ring's; nil for anything else.
    func keyOf(_ blob: [UInt8]) -> Key? {
        guard blob.count > 6, Array(blob.prefix(4)) == Self.magic else { return nil }
        let length = Int(blob[4]) << 8 | Int(blob[5])
        guard blob.count > 6 + length else { return nil }
        return key(arn: String(decoding: blob[6..<(6 + length)], as: UTF8.self))
    }

    /// The plaintext, or nil when the ciphertext is not one of this ring's or the context differs.
    func decrypt(_ blob: [UInt8], context: [String: String]) -> [UInt8]? {
        guard let key = keyOf(blob) else { return nil }
        let start = 6 + (Int(blob[4]) << 8 | Int(blob[5]))
        guard let box = try? AES.GCM.SealedBox(combined: blob[start...]),
            let opened = try? AES.GCM.open(box, using: key.symmetricKey, authenticating: Self.associatedData(context))
        else { return nil }
        return Array(opened)
    }
}
