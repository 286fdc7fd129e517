import AWSClient
import Foundation
import Model

extension AWSSimulator {
    static let secretsManagerOperations: Set<String> = ["GetSecretValue", "DescribeSecret"]

    /// Secrets Manager over AWS JSON 1.1 (`secretsmanager.<Operation>`): `GetSecretValue` and `DescribeSecret` on the
    /// model's secrets, each holding one version (`AWSCURRENT`) of `sampleSecretString(name:)`. Reading the value
    /// also needs `kms:Decrypt` on the secret's key — its customer managed key or the account's `aws/secretsmanager`
    /// — with the caller's credentials, as the resolution derives it.
    func handleSecretsManager(_ request: HTTPRequest, session: Session, region: String, requestID: String) -> Result<HTTPResponse, WireError> {
        let operation: String
        let body: JSONValue
        switch jsonRequest(request, prefix: "secretsmanager", operations: Self.secretsManagerOperations) {
        case .failure(let error): return .failure(error)
        case .success(let parsed): (operation, body) = parsed
        }
        do throws(WireError) {
            let secretID = try Self.required(body, "SecretId", code: "ValidationException")
            let (arn, secret) = self.secret(secretID, callerAccountID: session.accountID, region: region)
            let action = "secretsmanager:" + operation
            try authorizeCall(.session(session), action: action, resourceARN: arn)
            guard let secret else { throw .of(400, "ResourceNotFoundException", "Secrets Manager can't find the specified secret.") }
            let versionID = Self.stableUUID(secret.arn)
            let created = Self.jsonDate(Date(timeIntervalSince1970: 1_767_225_600))
            if operation == "GetSecretValue" {
                if let asked = body["VersionId"]?.string, asked != versionID {
                    throw .of(400, "ResourceNotFoundException", "Secrets Manager can't find the specified secret value for VersionId: \(asked)")
                }
                if let stage = body["VersionStage"]?.string, stage != "AWSCURRENT" {
                    throw .of(400, "ResourceNotFoundException", "Secrets Manager can't find the specified secret value for staging label: \(stage)")
                }
                try authorizeKeyCalls(.session(session), action: action, encrypted: secret, targetARN: secret.arn)
                return .success(jsonAnswer([
                    ("ARN", .string(secret.arn)), ("Name", .string(secret.name)), ("VersionId", .string(versionID)),
                    ("SecretString", .string(Self.sampleSecretString(name: secret.name))), ("VersionStages", .array([.string("AWSCURRENT")])),
                    ("CreatedDate", created),
                ], contentType: Self.kmsContentType, requestID: requestID))
            }
            var members: [(String, JSONValue)] = [("ARN", .string(secret.arn)), ("Name", .string(secret.name))]
            // A secret under the AWS managed key has no KmsKeyId.
            if let key = secret.encryptionKey, let keyARN = model.resolvedResource(key)?.arn { members.append(("KmsKeyId", .string(keyARN))) }
            members += [
                ("RotationEnabled", .bool(false)), ("LastChangedDate", created), ("CreatedDate", created),
                ("VersionIdsToStages", .object([(versionID, .array([.string("AWSCURRENT")]))])), ("Tags", .array([])),
            ]
            return .success(jsonAnswer(members, contentType: Self.kmsContentType, requestID: requestID))
        } catch {
            return .failure(error)
        }
    }

    /// The ARN a `SecretId` names — a full ARN, a partial ARN without the random suffix, or a name in the caller's
    /// account — and the model's secret when there is one.
    private func secret(_ id: String, callerAccountID: String, region: String) -> (arn: String, secret: Resource?) {
        let secrets = model.resources.filter { $0.kind == .secret }
        if id.hasPrefix("arn:") {
            if let found = secrets.first(where: { $0.arn == id || $0.arn.hasPrefix(id + "-") && $0.arn.count == id.count + 7 }) { return (found.arn, found) }
            return (id, nil)
        }
        if let found = secrets.first(where: { $0.name == id && model.account($0.accountKey)?.id == callerAccountID }) { return (found.arn, found) }
        return ("arn:aws:secretsmanager:\(region):\(callerAccountID):secret:\(id)", nil)
    }
}
