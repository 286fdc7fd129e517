import Foundation

/// Where the default chain found credentials.
public enum CredentialSource: String, Sendable, Hashable, CaseIterable {
    /// `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` / `AWS_SESSION_TOKEN` (Lambda sets these).
    case environment
    /// `AWS_WEB_IDENTITY_TOKEN_FILE` + `AWS_ROLE_ARN` (EKS IRSA, GitHub Actions).
    case webIdentity
    /// The `AWS_PROFILE` (or `default`) profile of the shared config and credentials files.
    case profile
    /// `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` / `_FULL_URI` (ECS, EKS Pod Identity).
    case container
    /// IMDSv2 (EC2), the last resort.
    case instanceMetadata
}

/// The default credential chain, in the order the AWS SDKs use: environment, web identity, shared profile,
/// container, instance metadata. The first source that is *configured* is used, and sticks: a configured source
/// that then fails reports its own error rather than silently falling through to the next (as botocore does).
public struct DefaultCredentials: CredentialsProvider {
    public let source: CredentialSource
    public let provider: any CredentialsProvider

    public init(source: CredentialSource, provider: any CredentialsProvider) {
        self.source = source
        self.provider = provider
    }

    /// Picks the source `environment` and the shared files configure. `base` supplies region, endpoints, transport,
    /// retries, timeouts and the clock for the providers' own calls.
    public static func resolve(environment: [String: String], base: AWSConfiguration, readsProcessEnvironment: Bool = false) throws -> DefaultCredentials {
        if nonEmpty(environment["AWS_ACCESS_KEY_ID"]) != nil || nonEmpty(environment["AWS_SECRET_ACCESS_KEY"]) != nil {
            _ = try EnvironmentCredentials.read(environment)  // half-set keys are a mistake to report now
            let provider = readsProcessEnvironment ? EnvironmentCredentials() : EnvironmentCredentials(environment: environment)
            return DefaultCredentials(source: .environment, provider: provider)
        }
        if WebIdentityCredentials.isConfigured(environment) {
            return DefaultCredentials(source: .webIdentity, provider: try WebIdentityCredentials.provider(environment: environment, sts: STS(configuration: base)))
        }
        let files = try SharedConfigFiles.load(environment)
        let profile = SharedConfigFiles.profileName(environment)
        if ProfileCredentials.isConfigured(files.profiles[profile]) {
            return DefaultCredentials(
                source: .profile, provider: try ProfileCredentials.provider(profile: profile, files: files, base: base, environment: environment))
        }
        if nonEmpty(environment["AWS_PROFILE"]) != nil {
            // A named profile that does not exist is a mistake, not a reason to go on to the metadata service.
            _ = try ProfileCredentials.provider(profile: profile, files: files, base: base, environment: environment)
        }
        if ContainerCredentials.isConfigured(environment) {
            _ = try ContainerCredentials.request(environment)  // a bad URI is reported now
            return DefaultCredentials(
                source: .container,
                provider: ContainerCredentials.provider(environment: environment, transport: base.transport, clock: base.clock, sleep: base.timeouts.sleep))
        }
        guard !InstanceMetadataCredentials.isDisabled(environment) else {
            throw AWSError(
                kind: .missingCredentials, code: AWSError.Code.missingCredentials,
                message: "no AWS credentials: none in the environment (AWS_ACCESS_KEY_ID), no web identity, no profile \(profile), "
                    + "no container endpoint, and AWS_EC2_METADATA_DISABLED=true"
            )
        }
        return DefaultCredentials(
            source: .instanceMetadata,
            provider: try InstanceMetadataCredentials.provider(environment: environment, transport: base.transport, clock: base.clock, sleep: base.timeouts.sleep))
    }

    public func credentials() async throws -> AWSCredentials {
        try await provider.credentials()
    }

    public func invalidate() async {
        await provider.invalidate()
    }
}
