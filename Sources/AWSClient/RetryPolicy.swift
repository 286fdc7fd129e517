import Foundation

/// botocore's "standard" retry mode: which errors to retry, how long to wait, how many attempts, and a retry quota.
///
/// - Retried: throttling codes and HTTP 429, transient errors (no answer, an attempt timeout, `RequestTimeout`,
///   `PriorRequestNotComplete`, HTTP 500/502/503/504); never access errors (see `AWSError.isRetryable`).
/// - The delay before retry `n` (1-based) is a random fraction of `min(maxDelay, baseDelay × 2^(n-1))`
///   ("full jitter"; 1 s base and 20 s cap as botocore).
/// - 3 attempts in total by default.
/// - A retry quota shared by every client made from one policy value: 500 tokens, a retry costs 5 (10 after a
///   timeout), a success refunds what its retries cost (or adds 1 when it needed none). An empty quota stops
///   retrying, so a failing dependency is not hammered by every request at once.
///
/// `sleep` and `random` are injectable so tests neither wait nor depend on chance.
public struct RetryPolicy: Sendable {
    /// Attempts in total, including the first. 1 disables retries.
    public var maxAttempts: Int
    public var baseDelay: Duration
    public var maxDelay: Duration
    public var sleep: @Sendable (Duration) async throws -> Void
    /// Returns a value in `0...1`; the jitter factor.
    public var random: @Sendable () -> Double
    /// The token bucket retries draw from; shared by copies of this policy (and so by clients made from one configuration).
    public var quota: RetryQuota

    public init(
        maxAttempts: Int = 3, baseDelay: Duration = .seconds(1), maxDelay: Duration = .seconds(20),
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        random: @escaping @Sendable () -> Double = { Double.random(in: 0...1) },
        quota: RetryQuota = RetryQuota()
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.sleep = sleep
        self.random = random
        self.quota = quota
    }

    /// No retries at all.
    public static var none: RetryPolicy { RetryPolicy(maxAttempts: 1) }

    /// The jittered delay before retry number `retry` (1 for the first retry).
    public func delay(beforeRetry retry: Int) -> Duration {
        let exponent = min(max(retry - 1, 0), 30)
        let ceiling = min(maxDelay, baseDelay * (1 << exponent))
        let factor = min(max(random(), 0), 1)
        return ceiling * factor
    }
}

/// botocore's retry quota: a token bucket that retries draw from and successes refill.
public final class RetryQuota: @unchecked Sendable {  // `tokens` only under `lock`
    /// Tokens when full (and at the start).
    public let capacity: Int
    /// What a retry costs.
    public let retryCost: Int
    /// What a retry after a timeout (or a connection that never answered) costs.
    public let timeoutRetryCost: Int
    /// What a success that needed no retry adds back.
    public let noRetryIncrement: Int
    private let lock = NSLock()
    private var tokens: Int

    public init(capacity: Int = 500, retryCost: Int = 5, timeoutRetryCost: Int = 10, noRetryIncrement: Int = 1) {
        self.capacity = capacity
        self.retryCost = retryCost
        self.timeoutRetryCost = timeoutRetryCost
        self.noRetryIncrement = noRetryIncrement
        tokens = capacity
    }

    /// Tokens left.
    public var available: Int { lock.withLock { tokens } }

    /// Takes the cost of retrying after `error`; `nil` when the quota cannot pay (do not retry).
    public func acquire(after error: AWSError) -> Int? {
        let cost = error.kind == .timeout || error.kind == .transport ? timeoutRetryCost : retryCost
        return lock.withLock {
            guard tokens >= cost else { return nil }
            tokens -= cost
            return cost
        }
    }

    /// A call succeeded: refunds what its retries took, or adds `noRetryIncrement` when it took nothing.
    public func release(_ spent: Int) {
        lock.withLock { tokens = min(capacity, tokens + (spent > 0 ? spent : noRetryIncrement)) }
    }
}

/// How long one attempt and one whole call may take. A hung connection otherwise eats the function's own timeout.
public struct Timeouts: Sendable {
    /// The longest one attempt may wait for an answer; it then fails with `AttemptTimeout` (retryable). `nil`: no limit.
    public var attempt: Duration?
    /// The longest a call may take, attempts and backoff together; it then fails with `DeadlineExceeded`. `nil`: no limit.
    public var total: Duration?
    /// Waits a duration; the timer of `attempt`. Inject one that returns at once to fire every timeout in a test.
    public var sleep: @Sendable (Duration) async throws -> Void

    public init(
        attempt: Duration? = .seconds(10), total: Duration? = .seconds(30),
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.attempt = attempt
        self.total = total
        self.sleep = sleep
    }

    /// No limits (the transport's own timeouts only).
    public static var none: Timeouts { Timeouts(attempt: nil, total: nil) }
}
