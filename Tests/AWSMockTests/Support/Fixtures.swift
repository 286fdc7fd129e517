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

/// Grants written out by hand from content/policies (what the engine will decide once it is merged): a role's
/// sessions may call an action on a resource (a trailing `*` matches any suffix). Anything else is denied with
/// AWS's message. Tests that need the real engine use `ModelAuthorizer` (guarded until branch `policy` is merged).
struct GrantTable: Authorizer {
    struct Grant {
        var roleARN: String
        var actions: [String]
        var resources: [String]
    }

    var grants: [Grant]
    var name: String { "test grant table" }

    static let defaultContent = GrantTable(grants: [
        Grant(roleARN: "arn:aws:iam::111111111111:role/LambdaExecutionRole", actions: ["sts:AssumeRole"], resources: [DefaultContent.dataRoleARN]),
        Grant(
            roleARN: "arn:aws:iam::111111111111:role/LambdaExecutionRole", actions: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"],
            resources: [DefaultContent.tableARN, DefaultContent.tableARN + "/index/*"]
        ),
        Grant(
            roleARN: DefaultContent.dataRoleARN,
            actions: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem", "dynamodb:Scan", "dynamodb:DescribeTable"],
            resources: [DefaultContent.tableARN, DefaultContent.tableARN + "/index/*"]
        ),
        Grant(roleARN: DefaultContent.dataRoleARN, actions: ["dynamodb:ListTables"], resources: ["*"]),
    ])

    func authorize(_ request: AuthorizationRequest) -> AuthorizationDecision {
        let role = request.context["aws:PrincipalArn"]?.first ?? ""
        let allowed = grants.contains { grant in
            grant.roleARN == role && grant.actions.contains(request.action)
                && grant.resources.contains { $0.hasSuffix("*") ? request.resourceARN.hasPrefix(String($0.dropLast())) : $0 == request.resourceARN }
        }
        if allowed { return .allow }
        return AuthorizationDecision(
            allowed: false,
            message:
                "User: \(request.principalARN) is not authorized to perform: \(request.action) on resource: \(request.resourceARN) because no identity-based policy allows the \(request.action) action"
        )
    }
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
