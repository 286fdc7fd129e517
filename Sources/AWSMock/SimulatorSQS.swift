import AWSClient
import Crypto
import Foundation
import Model

extension AWSSimulator {
    static let sqsOperations: Set<String> = ["GetQueueUrl", "SendMessage", "ReceiveMessage", "DeleteMessage"]
    static let sqsContentType = "application/x-amz-json-1.0"

    /// SQS over AWS JSON 1.0 (`AmazonSQS.<Operation>`): `GetQueueUrl`, `SendMessage`, `ReceiveMessage`,
    /// `DeleteMessage` on the model's queues, each authorized on the queue's ARN; an SSE-KMS queue's send and receive
    /// also need the KMS calls SQS makes with the caller's credentials. Receiving does not wait (no long polling).
    func handleSQS(_ request: HTTPRequest, session: Session, region: String, requestID: String) -> Result<HTTPResponse, WireError> {
        let operation: String
        let body: JSONValue
        switch jsonRequest(request, prefix: "AmazonSQS", operations: Self.sqsOperations) {
        case .failure(let error): return .failure(error)
        case .success(let parsed): (operation, body) = parsed
        }
        do throws(WireError) {
            let answer: [(String, JSONValue)]
            if operation == "GetQueueUrl" {
                let name = try Self.required(body, "QueueName", code: "InvalidParameterValue")
                let owner = body["QueueOwnerAWSAccountId"]?.string ?? session.accountID
                let arn = "arn:aws:sqs:\(region):\(owner):\(name)"
                try authorizeCall(.session(session), action: "sqs:GetQueueUrl", resourceARN: arn)
                guard withLock({ $0.queues[arn] != nil }) else { throw Self.noSuchQueue }
                answer = [("QueueUrl", .string(Self.queueURL(region: region, account: owner, name: name, request: request)))]
            } else {
                let url = try Self.required(body, "QueueUrl", code: "InvalidParameterValue")
                let arn = try Self.queueARN(url, region: region)
                let action = "sqs:" + operation
                try authorizeCall(.session(session), action: action, resourceARN: arn)
                guard let queue = withLock({ $0.queues[arn]?.resource }) else { throw Self.noSuchQueue }
                switch operation {
                case "SendMessage":
                    try authorizeKeyCalls(.session(session), action: action, encrypted: queue, targetARN: arn)
                    let text = try Self.required(body, "MessageBody", code: "MissingParameter")
                    let id = enqueue(text, queueARN: arn, senderID: session.principalARN)
                    answer = [("MD5OfMessageBody", .string(Self.md5(text))), ("MessageId", .string(id))]
                case "ReceiveMessage":
                    try authorizeKeyCalls(.session(session), action: action, encrypted: queue, targetARN: arn)
                    answer = try receive(body, queueARN: arn)
                default:
                    let handle = try Self.required(body, "ReceiptHandle", code: "MissingParameter")
                    let removed = withLock { state in
                        guard let index = state.queues[arn]?.messages.firstIndex(where: { $0.receiptHandle == handle }) else { return false }
                        state.queues[arn]!.messages.remove(at: index)
                        return true
                    }
                    guard removed else { throw .of(400, "ReceiptHandleIsInvalid", "The input receipt handle \"\(handle)\" is not a valid receipt handle.") }
                    answer = []
                }
            }
            return .success(jsonAnswer(answer, contentType: Self.sqsContentType, requestID: requestID))
        } catch {
            return .failure(error)
        }
    }

    static let noSuchQueue = WireError.of(400, "QueueDoesNotExist", "The specified queue does not exist.")

    static func md5(_ text: String) -> String { Hex.string(Insecure.MD5.hash(data: Array(text.utf8))) }

    /// A queue's URL: AWS's (`https://sqs.<region>.amazonaws.com/<account>/<name>`) on AWS's endpoint, the custom
    /// endpoint's own address otherwise (as LocalStack answers), so a client that dials it reaches this simulator.
    static func queueURL(region: String, account: String, name: String, request: HTTPRequest) -> String {
        let host = request.header("host") ?? request.url.host ?? ""
        if namesAWSEndpoint(host) || host.isEmpty { return "https://sqs.\(region).amazonaws.com/\(account)/\(name)" }
        return "\(request.url.scheme ?? "http")://\(host)/\(account)/\(name)"
    }

    /// The queue a `QueueUrl` names: its last two path segments, the account and the name.
    static func queueARN(_ url: String, region: String) throws(WireError) -> String {
        let path = URL(string: url)?.path ?? ""
        let parts = path.split(separator: "/").map(String.init)
        guard parts.count >= 2, parts[parts.count - 2].count == 12, parts[parts.count - 2].allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw .of(400, "InvalidAddress", "The address \(url) is not valid for this endpoint.")
        }
        return "arn:aws:sqs:\(region):\(parts[parts.count - 2]):\(parts[parts.count - 1])"
    }

    /// Adds a message to a queue (already authorized); its id.
    func enqueue(_ body: String, queueARN: String, senderID: String) -> String {
        let id = Self.uuid()
        let now = clock()
        withLock { state in
            state.queues[queueARN]?.messages.append(
                QueuedMessage(id: id, body: body, sentAt: now, visibleAt: now, senderID: senderID, attributes: [:]))
        }
        return id
    }

    private func receive(_ body: JSONValue, queueARN: String) throws(WireError) -> [(String, JSONValue)] {
        var count = 1
        if case .number(let text)? = body["MaxNumberOfMessages"] {
            guard let value = Int(text), (1...10).contains(value) else {
                throw .of(400, "InvalidParameterValue", "Value \(text) for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.")
            }
            count = value
        }
        var timeout = 30
        if case .number(let text)? = body["VisibilityTimeout"], let value = Int(text) { timeout = max(0, min(value, 43200)) }
        let wanted = Set(((body["MessageSystemAttributeNames"] ?? body["AttributeNames"])?.array ?? []).compactMap(\.string))
        let now = clock()
        let received: [QueuedMessage] = withLock { state in
            guard var queue = state.queues[queueARN] else { return [] }
            var out: [QueuedMessage] = []
            for index in queue.messages.indices where out.count < count && queue.messages[index].visibleAt <= now {
                queue.messages[index].receiveCount += 1
                queue.messages[index].visibleAt = now.addingTimeInterval(Double(timeout))
                queue.messages[index].receiptHandle = Data(RandomIdentifiers.bytes(48)).base64EncodedString()
                out.append(queue.messages[index])
            }
            state.queues[queueARN] = queue
            return out
        }
        guard !received.isEmpty else { return [] }
        return [("Messages", .array(received.map { message in
            var members: [(String, JSONValue)] = [
                ("MessageId", .string(message.id)), ("ReceiptHandle", .string(message.receiptHandle ?? "")), ("MD5OfBody", .string(Self.md5(message.body))),
                ("Body", .string(message.body)),
            ]
            var attributes: [(String, JSONValue)] = []
            let all = wanted.contains("All")
            if all || wanted.contains("SenderId") { attributes.append(("SenderId", .string(message.senderID))) }
            if all || wanted.contains("SentTimestamp") {
                attributes.append(("SentTimestamp", .string(String(Int(message.sentAt.timeIntervalSince1970 * 1000)))))
            }
            if all || wanted.contains("ApproximateReceiveCount") { attributes.append(("ApproximateReceiveCount", .string(String(message.receiveCount)))) }
            if !attributes.isEmpty { members.append(("Attributes", .object(attributes))) }
            return .object(members)
        }))]
    }
}
