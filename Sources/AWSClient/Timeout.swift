import Foundation

extension Duration {
    /// The duration in seconds, for `Date` arithmetic.
    var timeInterval: TimeInterval {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}

/// Runs `operation`, or throws `error` when `sleep(limit)` returns first (`limit` nil: no limit).
///
/// The operation runs in its own task and is cancelled, not awaited, when the timer wins: a transport that ignores
/// cancellation (a hung socket) cannot hold the caller past the limit.
func withTimeout<T: Sendable>(
    _ limit: Duration?, sleep: @escaping @Sendable (Duration) async throws -> Void, error: any Error & Sendable,
    _ operation: @escaping @Sendable () async throws -> T
) async throws -> T {
    guard let limit else { return try await operation() }
    let race = Race<T>()
    return try await withTaskCancellationHandler {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            race.start(continuation)
            let work = Task {
                do { race.finish(.success(try await operation())) } catch { race.finish(.failure(error)) }
            }
            let timer = Task {
                do {
                    try await sleep(limit)
                    race.finish(.failure(error))
                } catch {}  // cancelled: the operation finished first
            }
            race.track([work, timer])
        }
    } onCancel: {
        race.finish(.failure(CancellationError()))
    }
}

/// The first result wins; the losers are cancelled.
private final class Race<T: Sendable>: @unchecked Sendable {  // all state under `lock`
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T, any Error>?
    private var result: Result<T, any Error>?
    private var tasks: [Task<Void, Never>] = []
    private var done = false

    func start(_ continuation: CheckedContinuation<T, any Error>) {
        let early: Result<T, any Error>? = lock.withLock {
            if let result { return result }
            self.continuation = continuation
            return nil
        }
        if let early { continuation.resume(with: early) }
    }

    func track(_ started: [Task<Void, Never>]) {
        let cancelNow = lock.withLock {
            if done { return true }
            tasks = started
            return false
        }
        if cancelNow { started.forEach { $0.cancel() } }
    }

    func finish(_ outcome: Result<T, any Error>) {
        let (waiting, losers): (CheckedContinuation<T, any Error>?, [Task<Void, Never>]) = lock.withLock {
            guard !done else { return (nil, []) }
            done = true
            result = outcome
            let waiting = continuation
            continuation = nil
            let losers = tasks
            tasks = []
            return (waiting, losers)
        }
        losers.forEach { $0.cancel() }
        waiting?.resume(with: outcome)
    }
}
