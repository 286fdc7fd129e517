public import Foundation

/// Credentials of an assumed role, cached and refreshed a margin before they expire.
///
/// One `AssumeRole` call serves every request until `refreshMargin` before `Expiration`; concurrent callers during
/// a refresh share one call. A refresh that fails while the cached credentials are still valid (inside the margin)
/// is not an error: the cached credentials keep serving and the next call tries again. Role chaining (a Lambda assuming another role) caps sessions at one hour, so keep one
/// instance per role for the life of the process rather than assuming the role per request.
///
/// ```swift
/// let dataRole = AssumedRoleCredentials(sts: STS(configuration: aws), roleARN: "arn:aws:iam::222222222222:role/DynamoDBAccessRole", sessionName: "orders-api")
/// let dynamoDB = DynamoDB(configuration: aws.with(credentials: dataRole))
/// ```
public actor AssumedRoleCredentials: CredentialsProvider {
    public nonisolated let roleARN: String
    public nonisolated let sessionName: String
    public nonisolated let durationSeconds: Int?
    public nonisolated let externalID: String?
    public nonisolated let refreshMargin: TimeInterval
    private let sessions: ExpiringValue<STS.AssumedRole>

    /// - Parameters:
    ///   - sts: the client whose credentials call `AssumeRole` (the function's execution-role session).
    ///   - refreshMargin: how long before `Expiration` to fetch new credentials (default 5 minutes).
    ///   - clock: the current time; by default the clock of `sts`'s configuration, so expiry and signing agree.
    public init(
        sts: STS, roleARN: String, sessionName: String, durationSeconds: Int? = nil, externalID: String? = nil,
        refreshMargin: TimeInterval = 300, clock: (@Sendable () -> Date)? = nil
    ) {
        self.roleARN = roleARN
        self.sessionName = sessionName
        self.durationSeconds = durationSeconds
        self.externalID = externalID
        self.refreshMargin = refreshMargin
        sessions = ExpiringValue(
            refreshMargin: refreshMargin, clock: clock ?? sts.configuration.clock, expiration: \.credentials.expiration
        ) {
            try await sts.assumeRole(roleARN: roleARN, sessionName: sessionName, durationSeconds: durationSeconds, externalID: externalID)
        }
    }

    public func credentials() async throws -> AWSCredentials {
        try await session().credentials
    }

    /// The current session (ARN, credentials), assuming the role if none is cached or it is about to expire.
    public func session() async throws -> STS.AssumedRole {
        try await sessions.value()
    }

    /// Forgets the cached credentials (e.g. after an `ExpiredToken` error); the next call assumes the role again.
    public func invalidate() async {
        await sessions.invalidate()
    }
}
