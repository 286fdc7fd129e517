public import Foundation

/// An access key pair, with the session token and expiry of temporary credentials.
public struct AWSCredentials: Sendable, Hashable, CustomStringConvertible {
    public var accessKeyID: String
    public var secretAccessKey: String
    /// Present for temporary credentials (a Lambda execution-role session, an assumed role); signed as `x-amz-security-token`.
    public var sessionToken: String?
    /// When temporary credentials stop working; `nil` for long-term keys.
    public var expiration: Date?

    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil, expiration: Date? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.expiration = expiration
    }

    /// Never prints the secret or the token.
    public var description: String {
        "AWSCredentials(accessKeyID: \(accessKeyID), secret: <redacted>\(sessionToken == nil ? "" : ", session token: <redacted>"))"
    }
}

/// Anything that can hand out credentials for the next request. Called once per request (including each retry),
/// so providers cache and refresh themselves.
public protocol CredentialsProvider: Sendable {
    func credentials() async throws -> AWSCredentials
    /// Forgets cached credentials: the service said the token expired, so the next `credentials()` fetches anew.
    func invalidate() async
}

extension CredentialsProvider {
    /// Providers without a cache have nothing to forget.
    public func invalidate() async {}
}

/// Fixed credentials are their own provider.
extension AWSCredentials: CredentialsProvider {
    public func credentials() async throws -> AWSCredentials { self }
}

/// Credentials from the standard environment variables, as the Lambda runtime sets them:
/// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN` (the execution-role session).
public struct EnvironmentCredentials: CredentialsProvider {
    public let environment: [String: String]

    /// Reads the process environment at each call (so a runtime that rotates the variables is followed).
    public init() { environment = [:]; readsProcess = true }
    /// Reads the given variables instead of the process environment (tests, explicit configuration).
    public init(environment: [String: String]) { self.environment = environment; readsProcess = false }

    private let readsProcess: Bool

    public func credentials() async throws -> AWSCredentials {
        try Self.read(readsProcess ? ProcessInfo.processInfo.environment : environment)
    }

    /// The credentials the variables describe, or `AWSError` `MissingCredentials` naming what is missing.
    public static func read(_ environment: [String: String]) throws -> AWSCredentials {
        let key = environment["AWS_ACCESS_KEY_ID"].flatMap { $0.isEmpty ? nil : $0 }
        let secret = environment["AWS_SECRET_ACCESS_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        guard let key, let secret else {
            let missing = [key == nil ? "AWS_ACCESS_KEY_ID" : nil, secret == nil ? "AWS_SECRET_ACCESS_KEY" : nil].compactMap { $0 }
            throw AWSError(
                kind: .missingCredentials, code: AWSError.Code.missingCredentials,
                message: "no AWS credentials: \(missing.joined(separator: " and ")) \(missing.count == 1 ? "is" : "are") not set "
                    + "(set AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and, for temporary credentials, AWS_SESSION_TOKEN)"
            )
        }
        let token = environment["AWS_SESSION_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        return AWSCredentials(accessKeyID: key, secretAccessKey: secret, sessionToken: token)
    }
}
