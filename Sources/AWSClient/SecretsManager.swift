public import Foundation

/// AWS Secrets Manager over AWS JSON 1.1 (`X-Amz-Target: secretsmanager.<Operation>`): `GetSecretValue` and
/// `DescribeSecret`. `secretID` takes a secret's name or ARN (another account's secret needs its full ARN).
public struct SecretsManager: Sendable {
    public let configuration: AWSConfiguration
    private var json: JSONCall {
        JSONCall(call: ServiceCall(configuration: configuration, service: .secretsmanager, wire: .json11), targetPrefix: "secretsmanager")
    }

    public init(configuration: AWSConfiguration) {
        self.configuration = configuration
    }

    /// One version of a secret: its text or its bytes (whichever it was stored as).
    public struct SecretValue: Sendable, Hashable {
        public var arn: String
        public var name: String
        public var versionID: String?
        public var secretString: String?
        public var secretBinary: [UInt8]?
        /// `AWSCURRENT`, `AWSPREVIOUS`, `AWSPENDING` or custom labels.
        public var versionStages: [String]
        public var createdDate: Date?
    }

    /// What `DescribeSecret` tells about a secret (never its value).
    public struct SecretDescription: Sendable, Hashable {
        public var arn: String
        public var name: String
        public var description: String?
        /// The KMS key that encrypts the secret; `nil` for the account's `aws/secretsmanager` key.
        public var kmsKeyID: String?
        public var rotationEnabled: Bool
        public var rotationLambdaARN: String?
        /// Version id → its stage labels.
        public var versionIDsToStages: [String: [String]]
        public var tags: [String: String]
        public var createdDate: Date?
        public var lastChangedDate: Date?
        public var lastAccessedDate: Date?
        /// Set when the secret is scheduled for deletion.
        public var deletedDate: Date?
    }

    /// `secretsmanager:GetSecretValue`: the `AWSCURRENT` version, or the one `versionID` or `versionStage` names.
    public func getSecretValue(secretID: String, versionID: String? = nil, versionStage: String? = nil) async throws -> SecretValue {
        let operation = "GetSecretValue"
        var body: [(String, JSONValue)] = [("SecretId", .string(secretID))]
        if let versionID { body.append(("VersionId", .string(versionID))) }
        if let versionStage { body.append(("VersionStage", .string(versionStage))) }
        let (response, answer) = try await json.send(operation, body)
        return SecretValue(
            arn: try json.string(answer, "ARN", response, operation: operation), name: try json.string(answer, "Name", response, operation: operation),
            versionID: answer["VersionId"]?.string, secretString: answer["SecretString"]?.string,
            secretBinary: try json.optionalBlob(answer, "SecretBinary", response, operation: operation),
            versionStages: (answer["VersionStages"]?.array ?? []).compactMap(\.string), createdDate: JSONCall.date(answer["CreatedDate"])
        )
    }

    /// `secretsmanager:DescribeSecret`: the secret's metadata, versions and tags.
    public func describeSecret(secretID: String) async throws -> SecretDescription {
        let operation = "DescribeSecret"
        let (response, answer) = try await json.send(operation, [("SecretId", .string(secretID))])
        var stages: [String: [String]] = [:]
        for (version, labels) in answer["VersionIdsToStages"]?.members ?? [] { stages[version] = (labels.array ?? []).compactMap(\.string) }
        var tags: [String: String] = [:]
        for tag in answer["Tags"]?.array ?? [] {
            if let key = tag["Key"]?.string { tags[key] = tag["Value"]?.string ?? "" }
        }
        return SecretDescription(
            arn: try json.string(answer, "ARN", response, operation: operation), name: try json.string(answer, "Name", response, operation: operation),
            description: answer["Description"]?.string, kmsKeyID: answer["KmsKeyId"]?.string, rotationEnabled: answer["RotationEnabled"]?.bool ?? false,
            rotationLambdaARN: answer["RotationLambdaARN"]?.string, versionIDsToStages: stages, tags: tags,
            createdDate: JSONCall.date(answer["CreatedDate"]), lastChangedDate: JSONCall.date(answer["LastChangedDate"]),
            lastAccessedDate: JSONCall.date(answer["LastAccessedDate"]), deletedDate: JSONCall.date(answer["DeletedDate"])
        )
    }
}
