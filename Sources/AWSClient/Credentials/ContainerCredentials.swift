public import Foundation

/// ECS/EKS Pod Identity container credentials: `GET http://169.254.170.2$AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`, or
/// `GET $AWS_CONTAINER_CREDENTIALS_FULL_URI` with `Authorization` from `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE`
/// (read at each fetch, it rotates) or `AWS_CONTAINER_AUTHORIZATION_TOKEN`.
public enum ContainerCredentials {
    /// The ECS agent's address for relative URIs.
    public static let ecsHost = "http://169.254.170.2"

    /// True when the environment names a container endpoint.
    public static func isConfigured(_ environment: [String: String]) -> Bool {
        nonEmpty(environment["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"]) != nil || nonEmpty(environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"]) != nil
    }

    /// The request the environment describes. A full URI must be `https`, or `http` to loopback or to the ECS / EKS
    /// agent addresses (169.254.170.2, 169.254.170.23, fd00:ec2::23), as the SDKs require.
    public static func request(_ environment: [String: String]) throws -> HTTPRequest {
        func invalid(_ message: String) -> AWSError {
            AWSError(kind: .invalidConfiguration, code: AWSError.Code.invalidEndpoint, message: message)
        }
        let url: URL
        if let relative = nonEmpty(environment["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"]) {
            guard let parsed = URL(string: ecsHost + (relative.hasPrefix("/") ? relative : "/" + relative)) else {
                throw invalid("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI=\(relative) is not a path")
            }
            url = parsed
        } else if let full = nonEmpty(environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"]) {
            guard let parsed = URL(string: full), let scheme = parsed.scheme?.lowercased(), let host = parsed.host?.lowercased() else {
                throw invalid("AWS_CONTAINER_CREDENTIALS_FULL_URI=\(full) is not a URL")
            }
            let trimmedHost = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
            let allowedHTTP =
                trimmedHost == "localhost" || trimmedHost.hasPrefix("127.") || trimmedHost == "::1" || trimmedHost == "169.254.170.2"
                || trimmedHost == "169.254.170.23" || trimmedHost == "fd00:ec2::23"
            guard scheme == "https" || (scheme == "http" && allowedHTTP) else {
                throw invalid(
                    "AWS_CONTAINER_CREDENTIALS_FULL_URI=\(full) must be https, or http to loopback, 169.254.170.2, 169.254.170.23 or fd00:ec2::23")
            }
            url = parsed
        } else {
            throw AWSError(
                kind: .missingCredentials, code: AWSError.Code.missingCredentials,
                message: "neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor AWS_CONTAINER_CREDENTIALS_FULL_URI is set"
            )
        }
        var request = HTTPRequest(method: "GET", url: url, headers: [(name: "Accept", value: "application/json")])
        var token = nonEmpty(environment["AWS_CONTAINER_AUTHORIZATION_TOKEN"])
        if let path = nonEmpty(environment["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"]) {
            do {
                token = try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            } catch {
                throw AWSError(
                    kind: .missingCredentials, code: AWSError.Code.missingCredentials,
                    message: "cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=\(path): \(error.localizedDescription)"
                )
            }
        }
        if let token {
            guard !token.contains("\r"), !token.contains("\n") else { throw invalid("the container authorization token contains a line break") }
            request.headers.append((name: "Authorization", value: token))
        }
        return request
    }

    /// A cached provider over the container endpoint; each fetch rebuilds the request (the token file rotates).
    public static func provider(
        environment: [String: String], transport: any Transport, clock: @escaping @Sendable () -> Date,
        timeout: Duration = .seconds(2), sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) -> RefreshingCredentials {
        RefreshingCredentials(name: "container credentials", clock: clock) {
            let built = try Self.request(environment)
            let response = try await fetchCredentialsDocument(built, transport: transport, limit: timeout, sleep: sleep, source: "the container credentials endpoint")
            return try credentialsDocument(response.body, from: "the container credentials endpoint")
        }
    }
}

func nonEmpty(_ value: String?) -> String? {
    guard let value, !value.isEmpty else { return nil }
    return value
}
