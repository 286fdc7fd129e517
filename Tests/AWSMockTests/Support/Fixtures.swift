import AWSClient
import AWSMock
import Foundation
import Model

/// The repository's default content, loaded once.
enum DefaultContent {
    static let directory: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }  // Support, AWSMockTests, Tests, repo
        return url.appendingPathComponent("content").path
    }()

    static func load() throws -> Model { try ModelLoader.load(contentDirectory: directory) }

    static let tableARN = "arn:aws:dynamodb:us-east-1:222222222222:table/Orders"
    static let dataRoleARN = "arn:aws:iam::222222222222:role/DynamoDBAccessRole"
    static let functionSession = "arn:aws:sts::111111111111:assumed-role/LambdaExecutionRole/orders-api"
}


/// A clock the test moves by hand.
final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date
    init(_ start: Date = Date(timeIntervalSince1970: 1_795_924_800)) { current = start }  // 2026-11-29T04:00:00Z
    var now: Date { lock.withLock { current } }
    func advance(_ seconds: TimeInterval) { lock.withLock { current = current.addingTimeInterval(seconds) } }
}

/// A transport that lets a test change a signed request before the simulator sees it.
struct TamperingTransport: Transport {
    let target: any Transport
    let change: @Sendable (inout HTTPRequest) -> Void

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        var changed = request
        change(&changed)
        return try await target.send(changed)
    }
}

extension AWSError {
    var summary: String { "\(status ?? 0) \(code)" }
}

/// Runs `body` and returns the AWSError it threw (or nil).
func awsError(_ body: () async throws -> Void) async -> AWSError? {
    do {
        try await body()
        return nil
    } catch let error as AWSError {
        return error
    } catch {
        return AWSError(kind: .transport, code: "Unexpected", message: "\(error)")
    }
}
