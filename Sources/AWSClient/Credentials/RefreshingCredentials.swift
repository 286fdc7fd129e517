public import Foundation

/// A cache in front of any source of temporary credentials (container endpoint, instance metadata, web identity).
///
/// Fetches on first use and again `refreshMargin` before `expiration`; concurrent callers share one fetch. A refresh
/// that fails while the cached credentials have not yet expired is not an error: they keep serving, and the next
/// call tries again. `invalidate()` (after `ExpiredToken`) drops them.
public actor RefreshingCredentials: CredentialsProvider {
    /// What the credentials come from, for messages (`container credentials`, `instance metadata`).
    public nonisolated let name: String
    public nonisolated let refreshMargin: TimeInterval
    private let cache: ExpiringValue<AWSCredentials>

    public init(
        name: String, refreshMargin: TimeInterval = 300, clock: @escaping @Sendable () -> Date,
        fetch: @escaping @Sendable () async throws -> AWSCredentials
    ) {
        self.name = name
        self.refreshMargin = refreshMargin
        cache = ExpiringValue(refreshMargin: refreshMargin, clock: clock, expiration: \.expiration, fetch: fetch)
    }

    public func credentials() async throws -> AWSCredentials {
        try await cache.value()
    }

    public func invalidate() async {
        await cache.invalidate()
    }
}

/// A value that expires (temporary credentials, an assumed role's session), fetched on first use and again
/// `refreshMargin` before its expiration. Concurrent callers share one fetch; a refresh that fails while the cached
/// value has not yet expired is not an error: it keeps serving, and the next call tries again.
actor ExpiringValue<Value: Sendable> {
    private let refreshMargin: TimeInterval
    private let clock: @Sendable () -> Date
    private let expiration: @Sendable (Value) -> Date?
    private let fetch: @Sendable () async throws -> Value
    private var cached: Value?
    private var refreshing: Task<Value, any Error>?

    init(
        refreshMargin: TimeInterval, clock: @escaping @Sendable () -> Date, expiration: @escaping @Sendable (Value) -> Date?,
        fetch: @escaping @Sendable () async throws -> Value
    ) {
        self.refreshMargin = refreshMargin
        self.clock = clock
        self.expiration = expiration
        self.fetch = fetch
    }

    /// The cached value while it is good for `refreshMargin` more (or has no expiration), else a fresh one.
    func value() async throws -> Value {
        if let cached, expiration(cached).map({ clock() < $0.addingTimeInterval(-refreshMargin) }) ?? true {
            return cached
        }
        let task: Task<Value, any Error>
        if let refreshing {
            task = refreshing
        } else {
            task = Task { [fetch] in try await fetch() }
            refreshing = task
        }
        do {
            let fresh = try await task.value
            if refreshing == task { refreshing = nil }
            cached = fresh
            return fresh
        } catch {
            if refreshing == task { refreshing = nil }
            if let cached, let expires = expiration(cached), clock() < expires { return cached }
            throw error
        }
    }

    /// Forgets the cached value (after `ExpiredToken`): the next call fetches.
    func invalidate() {
        cached = nil
    }
}

/// `{"AccessKeyId", "SecretAccessKey", "Token", "Expiration"}`: the document the container endpoint and the instance
/// metadata service both answer with.
func credentialsDocument(_ body: [UInt8], from source: String) throws -> AWSCredentials {
    func missing(_ what: String) -> AWSError {
        AWSError(kind: .missingCredentials, code: AWSError.Code.missingCredentials, message: "\(source) answered without \(what)")
    }
    guard let json = try? JSONValue.parse(body) else { throw missing("a JSON credentials document") }
    if let code = json["Code"]?.string, code != "Success" {
        throw AWSError(
            kind: .missingCredentials, code: AWSError.Code.missingCredentials,
            message: "\(source) answered Code \(code): \(json["Message"]?.string ?? "no message")"
        )
    }
    guard let key = json["AccessKeyId"]?.string, !key.isEmpty else { throw missing("AccessKeyId") }
    guard let secret = json["SecretAccessKey"]?.string, !secret.isEmpty else { throw missing("SecretAccessKey") }
    var expiration: Date?
    if let text = json["Expiration"]?.string {
        guard let date = STS.parseISO8601(text) else { throw missing("a readable Expiration (got \(text))") }
        expiration = date
    }
    return AWSCredentials(accessKeyID: key, secretAccessKey: secret, sessionToken: json["Token"]?.string, expiration: expiration)
}

/// Sends one request to a credentials endpoint within `limit`; any failure is a `MissingCredentials` naming the source.
func fetchCredentialsDocument(
    _ request: HTTPRequest, transport: any Transport, limit: Duration, sleep: @escaping @Sendable (Duration) async throws -> Void, source: String
) async throws -> HTTPResponse {
    let timeout = AWSError(
        kind: .missingCredentials, code: AWSError.Code.missingCredentials,
        message: "\(source) did not answer \(request.method) \(request.url.absoluteString) within \(limit.timeInterval) s"
    )
    let response: HTTPResponse
    do {
        response = try await withTimeout(limit, sleep: sleep, error: timeout) { try await transport.send(request) }
    } catch let error as AWSError where error.kind == .missingCredentials {
        throw error
    } catch {
        throw AWSError(
            kind: .missingCredentials, code: AWSError.Code.missingCredentials,
            message: "\(source) unreachable at \(request.url.absoluteString): \(error)"
        )
    }
    guard (200...299).contains(response.status) else {
        throw AWSError(
            kind: .missingCredentials, code: AWSError.Code.missingCredentials, message: "\(source) answered HTTP \(response.status) to \(request.method) \(request.url.path)",
            status: response.status
        )
    }
    return response
}
