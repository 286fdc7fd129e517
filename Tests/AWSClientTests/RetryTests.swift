import AWSClient
import Foundation
import Testing

/// botocore's standard retry mode, the retry quota, attempt and total timeouts, refresh-and-retry on ExpiredToken.
/// Nothing here waits: sleeps are recorded, timers return at once, and a hanging transport is abandoned by the race.
@Suite(.timeLimit(.minutes(5))) struct RetryTests {
    static let listTablesOK = Responses.json(#"{"TableNames":["Orders"]}"#)

    enum Failure: String, CaseIterable, CustomStringConvertible {
        case connectionRefused, http429, requestTimeout, priorRequestNotComplete, http502, http503, http504, throttling, transactionInProgress
        var description: String { rawValue }
        func respond() throws -> HTTPResponse {
            switch self {
            case .connectionRefused: throw URLError(.cannotConnectToHost)
            case .http429: return HTTPResponse(status: 429, body: Array("Too Many Requests".utf8))
            case .requestTimeout: return Responses.stsError("RequestTimeout", status: 400)
            case .priorRequestNotComplete: return Responses.stsError("PriorRequestNotComplete", status: 400)
            case .http502: return HTTPResponse(status: 502)
            case .http503: return HTTPResponse(status: 503)
            case .http504: return HTTPResponse(status: 504)
            case .throttling: return Responses.json(#"{"__type":"com.amazon.coral.service#ThrottlingException"}"#, status: 400)
            case .transactionInProgress: return Responses.json(#"{"__type":"com.amazonaws.dynamodb.v20120810#TransactionInProgressException"}"#, status: 400)
            }
        }
    }

    @Test(arguments: Failure.allCases)
    func transientAndThrottlingErrorsAreRetried(_ failure: Failure) async throws {
        let first = Counter()
        let transport = ClosureTransport { _ in
            if first.next() == 0 { return try failure.respond() }
            return Self.listTablesOK
        }
        let sleeper = RecordingSleeper()
        let dynamoDB = DynamoDB(configuration: testConfiguration(transport, retry: RetryPolicy(sleep: sleeper.sleep, random: { 1 })))
        #expect(try await dynamoDB.listTables().tableNames == ["Orders"])
        #expect(transport.sent.count == 2)
        #expect(sleeper.delays == [.seconds(1)])
    }

    @Test(arguments: ["ValidationException", "AccessDeniedException", "ConditionalCheckFailedException", "ResourceNotFoundException"])
    func clientErrorsAreNotRetried(_ code: String) async {
        let transport = ScriptedTransport([Responses.json(#"{"__type":"com.amazon.coral.service#\#(code)"}"#, status: 400), Self.listTablesOK])
        let sleeper = RecordingSleeper()
        let dynamoDB = DynamoDB(configuration: testConfiguration(transport, retry: RetryPolicy(sleep: sleeper.sleep)))
        await #expect { _ = try await dynamoDB.listTables() } throws: { ($0 as? AWSError)?.code == code }
        #expect(transport.sent.count == 1)
        #expect(sleeper.delays.isEmpty)
    }

    @Test func defaultsAreBotocoreStandard() {
        let policy = RetryPolicy(random: { 1 })
        #expect(policy.maxAttempts == 3)
        #expect(policy.delay(beforeRetry: 1) == .seconds(1))
        #expect(policy.delay(beforeRetry: 2) == .seconds(2))
        #expect(policy.delay(beforeRetry: 5) == .seconds(16))
        #expect(policy.delay(beforeRetry: 6) == .seconds(20), "capped at 20 s")
        #expect(RetryPolicy(random: { 0.25 }).delay(beforeRetry: 3) == .seconds(1), "full jitter: a fraction of the ceiling")
        let quota = RetryQuota()
        #expect(quota.capacity == 500 && quota.retryCost == 5 && quota.timeoutRetryCost == 10)
    }

    @Test func anEmptyQuotaStopsRetryingAndSuccessRefundsIt() async throws {
        let quota = RetryQuota(capacity: 10)
        let throttled = Responses.json(#"{"__type":"com.amazon.coral.service#ThrottlingException"}"#, status: 400)
        let transport = ScriptedTransport([throttled, throttled, throttled, throttled, throttled, Self.listTablesOK])
        let sleeper = RecordingSleeper()
        let dynamoDB = DynamoDB(configuration: testConfiguration(transport, retry: RetryPolicy(sleep: sleeper.sleep, random: { 0 }, quota: quota)))
        await #expect(throws: AWSError.self) { _ = try await dynamoDB.listTables() }
        #expect(transport.sent.count == 3)
        #expect(quota.available == 0)
        // The quota is spent: the next failure is not retried.
        await #expect(throws: AWSError.self) { _ = try await dynamoDB.listTables() }
        #expect(transport.sent.count == 4)
        #expect(quota.available == 0)
        // A retry that succeeds gives back what it cost; a success without retries adds 1.
        quota.release(5)
        #expect(quota.available == 5)
        #expect(try await dynamoDB.listTables().tableNames == ["Orders"])
        #expect(quota.available == 5, "took 5 for the retry, refunded 5 on success")
        quota.release(0)
        #expect(quota.available == 6)
    }

    @Test func aTimeoutCostsTwiceAsMuch() {
        let quota = RetryQuota()
        #expect(quota.acquire(after: AWSError(kind: .timeout, code: AWSError.Code.attemptTimeout, message: "")) == 10)
        #expect(quota.acquire(after: AWSError(kind: .service, code: "ThrottlingException", message: "", status: 400)) == 5)
        #expect(quota.available == 485)
    }

    @Test func aHungConnectionTimesOutEachAttemptAndIsRetried() async {
        let transport = HangingTransport()
        let timerLimits = RecordingSleeper()
        let sleeper = RecordingSleeper()
        var aws = testConfiguration(transport, retry: RetryPolicy(sleep: sleeper.sleep, random: { 0 }))
        aws.timeouts = Timeouts(attempt: .seconds(5), total: nil, sleep: timerLimits.sleep)  // the timer fires at once
        await #expect {
            _ = try await STS(configuration: aws).getCallerIdentity()
        } throws: { error in
            guard let error = error as? AWSError else { return false }
            return error.kind == .timeout && error.code == "AttemptTimeout" && error.operation == "GetCallerIdentity"
        }
        #expect(transport.calls == 3, "an attempt timeout is transient: retried up to max attempts")
        #expect(timerLimits.delays == [.seconds(5), .seconds(5), .seconds(5)])
    }

    @Test func theTotalDeadlineCutsTheBackoff() async {
        let (entered, backoff) = AsyncStream<Void>.makeStream()
        let transport = ScriptedTransport([HTTPResponse(status: 503), HTTPResponse(status: 503)])
        // The backoff never ends by itself; the deadline's timer fires once the call is in it.
        let retry = RetryPolicy(sleep: { _ in backoff.yield(); try await Task.sleep(for: .seconds(3600)) })
        let timerLimits = RecordingSleeper()
        var aws = testConfiguration(transport, retry: retry)
        aws.timeouts = Timeouts(attempt: nil, total: .seconds(3)) { limit in
            try await timerLimits.sleep(limit)
            for await _ in entered { return }
        }
        await #expect {
            _ = try await DynamoDB(configuration: aws).listTables()
        } throws: { error in
            guard let error = error as? AWSError else { return false }
            return error.kind == .timeout && error.code == "DeadlineExceeded" && error.operation == "ListTables"
        }
        #expect(transport.sent.count == 1)
        #expect(timerLimits.delays == [.seconds(3)])
    }

    @Test func aHungConnectionIsCutByTheDeadline() async {
        let transport = HangingTransport()
        var aws = testConfiguration(transport, retry: RetryPolicy(sleep: { _ in }))
        aws.timeouts = Timeouts(attempt: nil, total: .seconds(3), sleep: { _ in })
        await #expect {
            _ = try await DynamoDB(configuration: aws).listTables()
        } throws: { ($0 as? AWSError)?.code == "DeadlineExceeded" }
        #expect(transport.calls <= 1, "a deadline is not retried")
    }

    @Test func timeoutsDefaultToTheNetworkOnly() {
        let network = AWSConfiguration(region: "us-east-1", credentials: AWSCredentials(accessKeyID: "A", secretAccessKey: "s"))
        #expect(network.timeouts.attempt == .seconds(10) && network.timeouts.total == .seconds(30))
        let inProcess = testConfiguration(ScriptedTransport([]))
        #expect(inProcess.timeouts.attempt == nil && inProcess.timeouts.total == nil)
    }

    @Test(arguments: ["ExpiredToken", "ExpiredTokenException"])
    func anExpiredTokenRefreshesTheCredentialsAndRetriesOnce(_ code: String) async throws {
        let provider = CountingProvider()
        let transport = ScriptedTransport([Responses.stsError(code, status: 400), Responses.json(#"{"TableNames":[]}"#)])
        let sleeper = RecordingSleeper()
        let aws = testConfiguration(transport, retry: RetryPolicy(sleep: sleeper.sleep)).with(credentials: provider)
        _ = try await DynamoDB(configuration: aws).listTables()
        #expect(await provider.invalidations == 1)
        #expect(transport.sent.count == 2)
        #expect(transport.sent[1].header("Authorization")?.contains("ASIAKEY2/") == true, "signed with the refreshed credentials")
        #expect(sleeper.delays.isEmpty, "no backoff: the token, not the service, was the problem")
    }

    @Test func aSecondExpiredTokenIsReported() async {
        let provider = CountingProvider()
        let expired = Responses.stsError("ExpiredToken", status: 400)
        let transport = ScriptedTransport([expired, expired, Self.listTablesOK])
        let aws = testConfiguration(transport, retry: RetryPolicy(sleep: { _ in })).with(credentials: provider)
        await #expect { _ = try await STS(configuration: aws).getCallerIdentity() } throws: { ($0 as? AWSError)?.errorCode == .expiredToken }
        #expect(transport.sent.count == 2)
        #expect(await provider.invalidations == 1)
    }
}

/// Counts calls from concurrent code.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func next() -> Int { lock.withLock { defer { value += 1 }; return value } }
}
