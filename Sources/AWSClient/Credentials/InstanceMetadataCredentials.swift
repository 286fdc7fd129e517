public import Foundation

/// EC2 instance role credentials over IMDSv2: `PUT /latest/api/token` (with `X-aws-ec2-metadata-token-ttl-seconds`),
/// then `GET /latest/meta-data/iam/security-credentials/` for the role name and `GET …/<role>` for the credentials,
/// both with `X-aws-ec2-metadata-token`. The endpoint is `http://169.254.169.254` unless
/// `AWS_EC2_METADATA_SERVICE_ENDPOINT` says otherwise; `AWS_EC2_METADATA_DISABLED=true` turns it off.
public enum InstanceMetadataCredentials {
    public static let defaultEndpoint = "http://169.254.169.254"
    static let tokenTTLSeconds = "21600"

    public static func isDisabled(_ environment: [String: String]) -> Bool {
        environment["AWS_EC2_METADATA_DISABLED"]?.lowercased() == "true"
    }

    /// The metadata service's base URL.
    public static func endpoint(_ environment: [String: String]) throws -> URL {
        let text = nonEmpty(environment["AWS_EC2_METADATA_SERVICE_ENDPOINT"]) ?? defaultEndpoint
        return try AWSConfiguration.endpointURL(text, variable: "AWS_EC2_METADATA_SERVICE_ENDPOINT")
    }

    /// Fetches credentials once: token, role name, role credentials. Each request is bounded by `timeout`
    /// (1 s as botocore: off EC2 nothing answers, and the chain should give up quickly).
    public static func fetch(
        endpoint: URL, transport: any Transport, timeout: Duration = .seconds(1),
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) async throws -> AWSCredentials {
        let source = "the EC2 instance metadata service"
        var base = endpoint.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        func url(_ path: String) -> URL { URL(string: base + path)! }
        let tokenRequest = HTTPRequest(
            method: "PUT", url: url("/latest/api/token"), headers: [(name: "X-aws-ec2-metadata-token-ttl-seconds", value: tokenTTLSeconds)])
        let tokenResponse = try await fetchCredentialsDocument(tokenRequest, transport: transport, limit: timeout, sleep: sleep, source: source)
        let token = String(decoding: tokenResponse.body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let header = (name: "X-aws-ec2-metadata-token", value: token)
        let rolesResponse = try await fetchCredentialsDocument(
            HTTPRequest(method: "GET", url: url("/latest/meta-data/iam/security-credentials/"), headers: [header]), transport: transport,
            limit: timeout, sleep: sleep, source: source)
        let roles = String(decoding: rolesResponse.body, as: UTF8.self).split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard let role = roles.first else {
            throw AWSError(kind: .missingCredentials, code: AWSError.Code.missingCredentials, message: "\(source) lists no instance role")
        }
        let encoded = role.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? role
        let credentialsResponse = try await fetchCredentialsDocument(
            HTTPRequest(method: "GET", url: url("/latest/meta-data/iam/security-credentials/\(encoded)"), headers: [header]), transport: transport,
            limit: timeout, sleep: sleep, source: source)
        return try credentialsDocument(credentialsResponse.body, from: source)
    }

    /// A cached provider over the metadata service.
    public static func provider(
        environment: [String: String], transport: any Transport, clock: @escaping @Sendable () -> Date, timeout: Duration = .seconds(1),
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) throws -> RefreshingCredentials {
        let base = try Self.endpoint(environment)
        return RefreshingCredentials(name: "instance metadata", clock: clock) {
            try await fetch(endpoint: base, transport: transport, timeout: timeout, sleep: sleep)
        }
    }
}
