/// When and how long to wait before retrying: throttling and 5xx only, never access errors.
///
/// The delay before retry `n` (1-based) is a random fraction of `min(maxDelay, baseDelay × 2^(n-1))`
/// ("full jitter"). `sleep` and `random` are injectable so tests neither wait nor depend on chance.
public struct RetryPolicy: Sendable {
    /// Attempts in total, including the first. 1 disables retries.
    public var maxAttempts: Int
    public var baseDelay: Duration
    public var maxDelay: Duration
    public var sleep: @Sendable (Duration) async throws -> Void
    /// Returns a value in `0...1`; the jitter factor.
    public var random: @Sendable () -> Double

    public init(
        maxAttempts: Int = 4, baseDelay: Duration = .milliseconds(50), maxDelay: Duration = .seconds(5),
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        random: @escaping @Sendable () -> Double = { Double.random(in: 0...1) }
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.sleep = sleep
        self.random = random
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
