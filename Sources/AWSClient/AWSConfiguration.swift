public import Foundation

/// A service this client speaks, by its SigV4 signing name.
public enum AWSService: String, Sendable, Hashable, CaseIterable {
    case sts
    case dynamodb
    case s3
    case kms
    case sqs
    case sns
    case secretsmanager
    case lambda

    /// The suffix of its `AWS_ENDPOINT_URL_<SERVICE>` variable (the service id, upper-cased, spaces as `_`).
    public var environmentSuffix: String {
        switch self {
        case .sts: "STS"
        case .dynamodb: "DYNAMODB"
        case .s3: "S3"
        case .kms: "KMS"
        case .sqs: "SQS"
        case .sns: "SNS"
        case .secretsmanager: "SECRETS_MANAGER"
        case .lambda: "LAMBDA"
        }
    }

    /// `https://<signing name>.<region>.amazonaws.com`: `https://sts.us-east-1.amazonaws.com`, `https://s3.us-east-1.amazonaws.com`.
    public func defaultEndpoint(region: String) -> URL {
        URL(string: "https://\(rawValue).\(region).amazonaws.com")!
    }
}

/// Region, credentials, endpoints, transport and retry rules: everything a service client needs, as one value.
///
/// ```swift
/// let aws = try AWSConfiguration.fromEnvironment()
/// let dynamoDB = DynamoDB(configuration: aws)
/// ```
public struct AWSConfiguration: Sendable {
    public var region: String
    public var credentials: any CredentialsProvider
    public var transport: any Transport
    /// Endpoint overrides per service (`AWS_ENDPOINT_URL_STS`, …); a service not listed uses `defaultEndpoint`.
    public var endpoints: [AWSService: URL]
    /// Overrides every service not in `endpoints` (`AWS_ENDPOINT_URL`).
    public var defaultEndpoint: URL?
    public var retry: RetryPolicy
    /// S3 addressing: `true` puts the bucket in the path (`https://s3.<region>.amazonaws.com/<bucket>/<key>`) for
    /// every bucket. S3 also uses path style whenever its endpoint is overridden (a local emulator, as the SDKs do
    /// for custom endpoints) and for bucket names that cannot be a host label; otherwise the bucket is the first
    /// label of the host (virtual-hosted style).
    public var s3PathStyle = false
    /// How long one attempt and one call may take: by default 10 s and 30 s over `URLSessionTransport`, no limits
    /// over other transports (in-process simulators and fakes, where a timer only adds flakiness under load).
    public var timeouts: Timeouts
    /// The one clock of this configuration: signing time, deadlines, and (by default) credential expiry in the
    /// providers made from it. Inject a fixed clock in tests.
    public var clock: @Sendable () -> Date

    public init(
        region: String, credentials: any CredentialsProvider, transport: any Transport = URLSessionTransport(),
        endpoints: [AWSService: URL] = [:], defaultEndpoint: URL? = nil, retry: RetryPolicy = RetryPolicy(),
        clock: @escaping @Sendable () -> Date = { Date() }, timeouts: Timeouts? = nil
    ) {
        // Timeouts guard against the network; an in-process transport (the simulator, a test fake) has none unless given.
        self.timeouts = timeouts ?? (transport is URLSessionTransport ? Timeouts() : .none)
        self.region = region
        self.credentials = credentials
        self.transport = transport
        self.endpoints = endpoints
        self.defaultEndpoint = defaultEndpoint
        self.retry = retry
        self.clock = clock
    }

    /// The configuration the standard environment describes.
    ///
    /// - Credentials: the default chain (`DefaultCredentials`), in the SDKs' order: `AWS_ACCESS_KEY_ID`/
    ///   `AWS_SECRET_ACCESS_KEY`/`AWS_SESSION_TOKEN` (read at each request, as the Lambda runtime sets them), web
    ///   identity, the `AWS_PROFILE` profile of the shared files, container credentials, IMDSv2.
    /// - Region: `AWS_REGION`, else `AWS_DEFAULT_REGION`, else the profile's `region`.
    /// - Endpoints: `AWS_ENDPOINT_URL_<SERVICE>` (`STS`, `DYNAMODB`, `S3`, `KMS`, `SQS`, `SNS`, `SECRETS_MANAGER`,
    ///   `LAMBDA`), else `AWS_ENDPOINT_URL`, else AWS's regional endpoints.
    ///
    /// Throws `AWSError` (`MissingRegion`, `MissingCredentials`, `InvalidEndpoint`) when the environment cannot work.
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment,
        transport: any Transport = URLSessionTransport()
    ) throws -> AWSConfiguration {
        var region = [environment["AWS_REGION"], environment["AWS_DEFAULT_REGION"]].compactMap { $0 }.first { !$0.isEmpty }
        var files: SharedConfigFiles?
        if region == nil {
            files = try SharedConfigFiles.load(environment)
            region = files?.profiles[SharedConfigFiles.profileName(environment)]?["region"].flatMap { $0.isEmpty ? nil : $0 }
        }
        guard let region else {
            throw AWSError(
                kind: .invalidConfiguration, code: AWSError.Code.missingRegion,
                message: "no AWS region: set AWS_REGION (or AWS_DEFAULT_REGION, or region in the profile), e.g. AWS_REGION=us-east-1"
            )
        }
        var endpoints: [AWSService: URL] = [:]
        for service in AWSService.allCases {
            let name = "AWS_ENDPOINT_URL_\(service.environmentSuffix)"
            if let value = environment[name], !value.isEmpty { endpoints[service] = try endpointURL(value, variable: name) }
        }
        var fallback: URL?
        if let value = environment["AWS_ENDPOINT_URL"], !value.isEmpty { fallback = try endpointURL(value, variable: "AWS_ENDPOINT_URL") }
        let base = AWSConfiguration(
            region: region, credentials: EnvironmentCredentials(environment: [:]), transport: transport, endpoints: endpoints, defaultEndpoint: fallback)
        let credentials = try DefaultCredentials.resolve(
            environment: environment, base: base, readsProcessEnvironment: environment == ProcessInfo.processInfo.environment)
        return base.with(credentials: credentials)
    }

    /// The same configuration with other credentials, e.g. an `AssumedRoleCredentials` for another account's role.
    public func with(credentials: any CredentialsProvider) -> AWSConfiguration {
        var copy = self
        copy.credentials = credentials
        return copy
    }

    /// The same configuration over another transport (the simulator in tests).
    public func with(transport: any Transport) -> AWSConfiguration {
        var copy = self
        copy.transport = transport
        return copy
    }

    /// Where requests for `service` go.
    public func endpoint(for service: AWSService) -> URL {
        endpoints[service] ?? defaultEndpoint ?? service.defaultEndpoint(region: region)
    }

    /// Whether `service`'s endpoint is overridden (`endpoints` or `defaultEndpoint`) rather than AWS's own.
    public func hasEndpointOverride(for service: AWSService) -> Bool {
        endpoints[service] != nil || defaultEndpoint != nil
    }

    /// Whether `url` is an absolute `http`/`https` URL with a host (what `endpointURL` accepts).
    static func isValidEndpoint(_ url: URL) -> Bool {
        // ASCII folding: a parsed URL's scheme is ASCII, and no other character lower-cases to these letters.
        guard let scheme = url.scheme, asciiCaseInsensitiveEquals(scheme, "http") || asciiCaseInsensitiveEquals(scheme, "https"),
            let host = url.host
        else { return false }
        return !host.isEmpty
    }

    /// Checks that an endpoint is an absolute `http`/`https` URL with a host.
    public static func endpointURL(_ text: String, variable: String? = nil) throws -> URL {
        let source = variable.map { "\($0)=\(text)" } ?? text
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased() else {
            throw AWSError(kind: .invalidConfiguration, code: AWSError.Code.invalidEndpoint, message: "endpoint \(source) is not a URL")
        }
        guard scheme == "http" || scheme == "https", let host = url.host, !host.isEmpty else {
            throw AWSError(
                kind: .invalidConfiguration, code: AWSError.Code.invalidEndpoint,
                message: "endpoint \(source) must be an http:// or https:// URL with a host"
            )
        }
        return url
    }
}
