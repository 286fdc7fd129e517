public import Model
public import Policy
import Source

/// The KMS keys AWS creates and manages for a service in each account (`aws/secretsmanager`), and the key policy AWS
/// gives a customer managed key created without one. Neither is written in the model; both decide steps: a secret
/// without `key:` is encrypted with its account's `aws/secretsmanager`, whose key policy serves callers of that account
/// only (AWS KMS Developer Guide, "AWS managed keys"; AWS Secrets Manager User Guide, "Secret encryption and
/// decryption").
public enum AWSManagedKey {
    public static let prefix = "aws-managed-key:"
    /// Whether a reference names an AWS managed key.
    public static func isManaged(_ reference: String) -> Bool { reference.hasPrefix(prefix) }

    /// The reference an implied step names the AWS managed key of `kind`'s service in `accountKey` by.
    public static func reference(_ accountKey: String, _ kind: ResourceKind) -> String {
        prefix + accountKey + ":" + kind.id.rawValue
    }

    /// The AWS managed key a reference names, with the key policy AWS gives it; nil for anything else.
    public static func resource(_ reference: String, model: Model) -> Resource? {
        guard reference.hasPrefix(prefix) else { return nil }
        let parts = reference.dropFirst(prefix.count).split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, let account = model.account(parts[0]), let kindID = ResourceKind.ID(rawValue: parts[1]),
              let alias = ResourceKind.of(kindID).awsManagedKeyAlias else { return nil }
        let kind = ResourceKind.of(kindID)
        let id = stableKeyID(account.id + "/" + alias)
        let location = SourceLocation(file: model.file, line: 1, column: 1)
        let policy = document("""
            {"Version": "2012-10-17", "Statement": [
              {"Sid": "AllowAccessThroughTheServiceForPrincipalsOfTheAccount", "Effect": "Allow", "Principal": {"AWS": "*"},
               "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant", "kms:DescribeKey"],
               "Resource": "*",
               "Condition": {"StringEquals": {"kms:ViaService": "\(kind.service).\(model.region).amazonaws.com", "kms:CallerAccount": "\(account.id)"}}},
              {"Sid": "AllowDirectAccessToKeyMetadataToTheAccount", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::\(account.id):root"},
               "Action": ["kms:Describe*", "kms:Get*", "kms:List*", "kms:RevokeGrant"], "Resource": "*"}]}
            """, name: "AWS managed key policy of alias/\(alias)")
        return Resource(
            key: reference, kind: .kmsKey, accountKey: account.key, name: id,
            policy: policy.map { NamedPolicy(name: "AWS managed key policy", document: $0, origin: .inline, location: location) },
            alias: "alias/" + alias, arn: ResourceKind.kmsKey.arn(region: model.region, account: account.id, name: id), location: location)
    }

    /// The key policy AWS gives a key created without one: the account's root may do everything, which delegates the
    /// key's use to the account's identity policies (AWS KMS Developer Guide, "Default key policy").
    public static func defaultKeyPolicy(accountID: String) -> PolicyDocument? {
        document("""
            {"Version": "2012-10-17", "Statement": [
              {"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::\(accountID):root"},
               "Action": "kms:*", "Resource": "*"}]}
            """, name: "default key policy")
    }

    static func document(_ json: String, name: String) -> PolicyDocument? {
        PolicyParser.parse(json: json, file: name, kind: .resource).document
    }

    /// A key id (a UUID's shape) that stays the same for the same account and alias.
    static func stableKeyID(_ seed: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        var hex = ""
        var round: UInt8 = 0
        while hex.count < 32 {
            for byte in Array(seed.utf8) + [round] {
                hash ^= UInt64(byte)
                hash = hash &* 0x0000_0100_0000_01b3
            }
            let text = String(hash, radix: 16)
            hex += String(repeating: "0", count: 16 - text.count) + text
            round &+= 1
        }
        let digits = Array(hex.prefix(32))
        return [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(digits[$0]) }.joined(separator: "-")
    }
}

extension Model {
    /// A resource a step can name: one of `resources:`, a function invoked, or the AWS managed key an implied step
    /// uses.
    public func resolvedResource(_ key: String) -> Resource? { resource(key) ?? AWSManagedKey.resource(key, model: self) }
}
