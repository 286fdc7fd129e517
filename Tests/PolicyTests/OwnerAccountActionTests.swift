import Policy
import Testing

/// SQS ignores a queue policy's grant of its queue-management actions to another account (Amazon SQS Developer Guide,
/// "Limitations of Amazon SQS custom policies"): the engine used to allow them when both sides allowed.
@Suite struct OwnerAccountActionTests {
    static let queue = "arn:aws:sqs:us-east-2:123456789012:queue1"

    /// The caller's identity policy allows every SQS action, and the queue policy grants `sqs:*` to both accounts.
    func policies() -> CompiledPolicySet {
        let identity = PolicyParser.parse(
            json: #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sqs:*", "Resource": "*"}]}"#,
            file: "identity", kind: .identity
        ).document!
        let queuePolicy = PolicyParser.parse(
            json: #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": ["111122223333", "123456789012"]}, "Action": "sqs:*", "Resource": "\#(Self.queue)"}]}"#,
            file: "queue", kind: .resource
        ).document!
        return CompiledPolicySet(PolicySet(
            identity: [NamedDocument(name: "identity", document: identity)], resource: NamedDocument(name: "queue", document: queuePolicy)))
    }

    func request(_ action: String, account: String) -> Request {
        var request = Request(
            principalARN: "arn:aws:sts::\(account):assumed-role/role1/s", principalAccount: account, principalType: .assumedRole,
            roleARN: "arn:aws:iam::\(account):role/role1", action: action, resourceARN: Self.queue, resourceAccount: "123456789012")
        ContextDerivation().apply(to: &request)
        return request
    }

    @Test(arguments: ["sqs:SetQueueAttributes", "sqs:AddPermission", "SQS:DeleteQueue", "sqs:tagqueue", "sqs:ListMessageMoveTasks"])
    func anotherAccountIsRefused(_ action: String) {
        let evaluation = policies().evaluate(request(action, account: "111122223333"))
        #expect(evaluation.decision == .implicitDeny)
        #expect(evaluation.reason == .noAllow(.resource))
        #expect(policies().decide(request(action, account: "111122223333")) == .implicitDeny)
    }

    @Test(arguments: ["sqs:SetQueueAttributes", "sqs:DeleteQueue"])
    func theQueuesOwnAccountIsAllowed(_ action: String) {
        #expect(policies().decide(request(action, account: "123456789012")) == .allowed)
    }

    @Test(arguments: ["sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"])
    func sharedActionsStayGrantable(_ action: String) {
        #expect(policies().decide(request(action, account: "111122223333")) == .allowed)
    }

    @Test func anotherAccountsRootUserIsRefusedToo() {
        var request = Request(
            principalARN: "arn:aws:iam::111122223333:root", principalAccount: "111122223333", principalType: .account,
            action: "sqs:SetQueueAttributes", resourceARN: Self.queue, resourceAccount: "123456789012")
        ContextDerivation().apply(to: &request)
        #expect(policies().decide(request) == .implicitDeny)
        request.action = "sqs:SendMessage"
        #expect(policies().decide(request) == .allowed)
    }
}
