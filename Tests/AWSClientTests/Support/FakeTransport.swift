import AWSClient
import Foundation

/// A transport that answers from a script, one response per request, and records what it was sent.
final class ScriptedTransport: Transport, @unchecked Sendable {
    private let lock = NSLock()
    private var responses: [HTTPResponse]
    private(set) var requests: [HTTPRequest] = []

    init(_ responses: [HTTPResponse]) {
        self.responses = responses
    }

    var sent: [HTTPRequest] { lock.withLock { requests } }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        try lock.withLock {
            requests.append(request)
            guard !responses.isEmpty else { throw URLError(.cannotConnectToHost) }
            return responses.removeFirst()
        }
    }
}

/// Records the delays a retry policy asked for, without waiting.
final class RecordingSleeper: @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [Duration] = []
    var delays: [Duration] { lock.withLock { recorded } }
    func sleep(_ duration: Duration) async throws { lock.withLock { recorded.append(duration) } }
}

/// A clock the test moves by hand.
final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date
    init(_ start: Date) { current = start }
    var now: Date { lock.withLock { current } }
    func advance(_ seconds: TimeInterval) { lock.withLock { current = current.addingTimeInterval(seconds) } }
}

enum Responses {
    static func xml(_ text: String, status: Int = 200, requestID: String = "req-1") -> HTTPResponse {
        HTTPResponse(status: status, headers: [("Content-Type", "text/xml"), ("x-amzn-RequestId", requestID)], body: Array(text.utf8))
    }

    static func json(_ text: String, status: Int = 200, requestID: String = "req-1") -> HTTPResponse {
        HTTPResponse(status: status, headers: [("Content-Type", "application/x-amz-json-1.0"), ("x-amzn-RequestId", requestID)], body: Array(text.utf8))
    }

    static func assumeRole(expiration: String = "2026-11-29T05:00:00Z", keyID: String = "ASIAEXAMPLE") -> HTTPResponse {
        xml("""
            <AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
              <AssumeRoleResult>
                <AssumedRoleUser>
                  <AssumedRoleId>AROA3XFRBF535PLBIFPI4:orders-api</AssumedRoleId>
                  <Arn>arn:aws:sts::222222222222:assumed-role/DynamoDBAccessRole/orders-api</Arn>
                </AssumedRoleUser>
                <Credentials>
                  <AccessKeyId>\(keyID)</AccessKeyId>
                  <SecretAccessKey>secret/with+chars&amp;</SecretAccessKey>
                  <SessionToken>token</SessionToken>
                  <Expiration>\(expiration)</Expiration>
                </Credentials>
              </AssumeRoleResult>
              <ResponseMetadata><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ResponseMetadata>
            </AssumeRoleResponse>
            """)
    }
}

func testConfiguration(_ transport: any Transport, retry: RetryPolicy = .none, clock: @escaping @Sendable () -> Date = { Date(timeIntervalSince1970: 1_795_000_000) }) -> AWSConfiguration {
    AWSConfiguration(
        region: "us-east-1", credentials: AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "secret", sessionToken: "session"),
        transport: transport, retry: retry, clock: clock
    )
}
