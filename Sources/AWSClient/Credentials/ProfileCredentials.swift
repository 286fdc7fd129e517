import Foundation

/// Credentials a shared-config profile describes: static keys, or `role_arn` assumed with credentials from
/// `source_profile` (which may itself assume a role: a role chain), from `credential_source` (`Environment`,
/// `Ec2InstanceMetadata`, `EcsContainer`), or with `web_identity_token_file`. `external_id`, `role_session_name`
/// and `duration_seconds` are passed to `AssumeRole`.
public enum ProfileCredentials {
    /// True when the profile exists and has keys, a role, or a token file.
    public static func isConfigured(_ profile: [String: String]?) -> Bool {
        guard let profile else { return false }
        return profile["aws_access_key_id"] != nil || profile["role_arn"] != nil
    }

    /// The provider for `name`. `base` supplies region, endpoints, transport, retries and clock for the STS calls;
    /// `environment` is what `credential_source` reads. Role chains are resolved once: each role keeps its own cache.
    public static func provider(
        profile name: String, files: SharedConfigFiles, base: AWSConfiguration, environment: [String: String]
    ) throws -> any CredentialsProvider {
        try resolve(name, files: files, base: base, environment: environment, visited: [])
    }

    private static func resolve(
        _ name: String, files: SharedConfigFiles, base: AWSConfiguration, environment: [String: String], visited: [String]
    ) throws -> any CredentialsProvider {
        func failure(_ message: String) -> AWSError {
            AWSError(kind: .missingCredentials, code: AWSError.Code.missingCredentials, message: "profile \(name): \(message)")
        }
        guard let profile = files.profiles[name] else {
            let places = [files.configPath, files.credentialsPath].compactMap { $0 }.joined(separator: " or ")
            throw failure("not found\(places.isEmpty ? "" : " in \(places)")")
        }
        guard let roleARN = nonEmpty(profile["role_arn"]) else {
            return try staticKeys(profile, failure)
        }
        let sts = STS(configuration: base)
        let sessionName = nonEmpty(profile["role_session_name"])
        if let tokenFile = nonEmpty(profile["web_identity_token_file"]) {
            return WebIdentityCredentials.provider(sts: sts, tokenFile: tokenFile, roleARN: roleARN, sessionName: sessionName)
        }
        let source: any CredentialsProvider
        if let sourceProfile = nonEmpty(profile["source_profile"]) {
            if sourceProfile == name {
                source = try staticKeys(profile, failure)  // a profile may assume a role with its own keys
            } else if visited.contains(sourceProfile) {
                throw failure("source_profile chain loops: \((visited + [name, sourceProfile]).joined(separator: " → "))")
            } else {
                source = try resolve(sourceProfile, files: files, base: base, environment: environment, visited: visited + [name])
            }
        } else if let credentialSource = nonEmpty(profile["credential_source"]) {
            switch credentialSource {
            case "Environment": source = EnvironmentCredentials(environment: environment)
            case "Ec2InstanceMetadata":
                source = try InstanceMetadataCredentials.provider(
                    environment: environment, transport: base.transport, clock: base.clock, sleep: base.timeouts.sleep)
            case "EcsContainer":
                source = ContainerCredentials.provider(environment: environment, transport: base.transport, clock: base.clock, sleep: base.timeouts.sleep)
            default:
                throw failure("credential_source \(credentialSource) is not Environment, Ec2InstanceMetadata or EcsContainer")
            }
        } else {
            throw failure("role_arn needs source_profile, credential_source or web_identity_token_file")
        }
        let duration = try nonEmpty(profile["duration_seconds"]).map { text in
            guard let seconds = Int(text) else { throw failure("duration_seconds \(text) is not a number") }
            return seconds
        }
        let clock = base.clock
        return AssumedRoleCredentials(
            sts: STS(configuration: base.with(credentials: source)), roleARN: roleARN,
            sessionName: sessionName ?? defaultSessionName(clock()), durationSeconds: duration, externalID: nonEmpty(profile["external_id"])
        )
    }

    private static func staticKeys(_ profile: [String: String], _ failure: (String) -> AWSError) throws -> AWSCredentials {
        guard let key = nonEmpty(profile["aws_access_key_id"]), let secret = nonEmpty(profile["aws_secret_access_key"]) else {
            throw failure("has neither aws_access_key_id with aws_secret_access_key nor role_arn")
        }
        return AWSCredentials(accessKeyID: key, secretAccessKey: secret, sessionToken: nonEmpty(profile["aws_session_token"]))
    }
}
