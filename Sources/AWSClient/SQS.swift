import Foundation
internal import Crypto

/// Amazon SQS over its JSON protocol (AWS JSON 1.0, `X-Amz-Target: AmazonSQS.<Operation>`, as current SDKs speak
/// it): `GetQueueUrl`, `SendMessage`, `ReceiveMessage`, `DeleteMessage`.
///
/// SQS was a Query service: its errors carry the legacy code in `x-amzn-query-error`, and `AWSError.code` is that
/// code (`AWS.SimpleQueueService.NonExistentQueue`) with the JSON shape name (`QueueDoesNotExist`) in
/// `AWSError.shapeName`. Message bodies are checked against the MD5 digests SQS returns, as the SDKs do.
public struct SQS: Sendable {
    public let configuration: AWSConfiguration
    private var json: JSONCall {
        JSONCall(
            call: ServiceCall(configuration: configuration, service: .sqs, wire: .json10), targetPrefix: "AmazonSQS",
            extraHeaders: [(name: "x-amzn-query-mode", value: "true")]
        )
    }

    public init(configuration: AWSConfiguration) {
        self.configuration = configuration
    }

    /// What `SendMessage` returns.
    public struct SentMessage: Sendable, Hashable {
        public var messageID: String
        public var md5OfMessageBody: String?
        /// FIFO queues only.
        public var sequenceNumber: String?
    }

    /// A received message: delete it with `receiptHandle` once handled, or it comes back after the visibility timeout.
    public struct Message: Sendable, Hashable {
        public var messageID: String
        public var receiptHandle: String
        public var body: String
        public var md5OfBody: String?
        /// System attributes asked for (`SentTimestamp`, `ApproximateReceiveCount`, …).
        public var attributes: [String: String]
        /// String and number message attributes asked for, by name (binary ones are left out).
        public var messageAttributes: [String: String]
    }

    /// `sqs:GetQueueUrl`: the URL every other call takes. `ownerAccountID` for another account's queue.
    public func getQueueURL(queueName: String, ownerAccountID: String? = nil) async throws -> String {
        var body: [(String, JSONValue)] = [("QueueName", .string(queueName))]
        if let ownerAccountID { body.append(("QueueOwnerAWSAccountId", .string(ownerAccountID))) }
        let (response, answer) = try await json.send("GetQueueUrl", body)
        return try json.string(answer, "QueueUrl", response, operation: "GetQueueUrl")
    }

    /// `sqs:SendMessage`. `stringAttributes` become message attributes of type `String`; FIFO queues need
    /// `messageGroupID` (and `deduplicationID` unless content-based deduplication is on).
    public func sendMessage(
        queueURL: String, body: String, delaySeconds: Int? = nil, stringAttributes: [String: String] = [:], messageGroupID: String? = nil,
        deduplicationID: String? = nil
    ) async throws -> SentMessage {
        let operation = "SendMessage"
        var request: [(String, JSONValue)] = [("QueueUrl", .string(queueURL)), ("MessageBody", .string(body))]
        if let delaySeconds { request.append(("DelaySeconds", .number(String(delaySeconds)))) }
        if !stringAttributes.isEmpty {
            request.append((
                "MessageAttributes",
                .object(stringAttributes.keys.sorted().map { ($0, .object([("DataType", .string("String")), ("StringValue", .string(stringAttributes[$0]!))])) })
            ))
        }
        if let messageGroupID { request.append(("MessageGroupId", .string(messageGroupID))) }
        if let deduplicationID { request.append(("MessageDeduplicationId", .string(deduplicationID))) }
        let (response, answer) = try await json.send(operation, request)
        let md5 = answer["MD5OfMessageBody"]?.string
        if let md5, md5.lowercased() != Self.md5Hex(body) {
            throw json.call.malformed(response, operation: operation, "MD5OfMessageBody \(md5) is not the MD5 of the body sent")
        }
        return SentMessage(
            messageID: try json.string(answer, "MessageId", response, operation: operation), md5OfMessageBody: md5,
            sequenceNumber: answer["SequenceNumber"]?.string
        )
    }

    /// `sqs:ReceiveMessage`: up to `maxNumberOfMessages` (1–10) messages, waiting up to `waitTimeSeconds` (0–20,
    /// long polling) for the first. An empty array when none arrived.
    public func receiveMessage(
        queueURL: String, maxNumberOfMessages: Int? = nil, waitTimeSeconds: Int? = nil, visibilityTimeout: Int? = nil,
        systemAttributeNames: [String] = [], messageAttributeNames: [String] = []
    ) async throws -> [Message] {
        let operation = "ReceiveMessage"
        var request: [(String, JSONValue)] = [("QueueUrl", .string(queueURL))]
        if let maxNumberOfMessages { request.append(("MaxNumberOfMessages", .number(String(maxNumberOfMessages)))) }
        if let waitTimeSeconds { request.append(("WaitTimeSeconds", .number(String(waitTimeSeconds)))) }
        if let visibilityTimeout { request.append(("VisibilityTimeout", .number(String(visibilityTimeout)))) }
        if !systemAttributeNames.isEmpty { request.append(("MessageSystemAttributeNames", .array(systemAttributeNames.map { .string($0) }))) }
        if !messageAttributeNames.isEmpty { request.append(("MessageAttributeNames", .array(messageAttributeNames.map { .string($0) }))) }
        let (response, answer) = try await json.send(operation, request)
        var messages: [Message] = []
        for message in answer["Messages"]?.array ?? [] {
            let body = try json.string(message, "Body", response, operation: operation)
            let md5 = message["MD5OfBody"]?.string
            if let md5, md5.lowercased() != Self.md5Hex(body) {
                throw json.call.malformed(response, operation: operation, "MD5OfBody \(md5) is not the MD5 of the body received")
            }
            var attributes: [String: String] = [:]
            for (name, value) in message["Attributes"]?.members ?? [] { attributes[name] = value.string }
            var messageAttributes: [String: String] = [:]
            for (name, value) in message["MessageAttributes"]?.members ?? [] { messageAttributes[name] = value["StringValue"]?.string }
            messages.append(Message(
                messageID: try json.string(message, "MessageId", response, operation: operation),
                receiptHandle: try json.string(message, "ReceiptHandle", response, operation: operation), body: body, md5OfBody: md5,
                attributes: attributes, messageAttributes: messageAttributes
            ))
        }
        return messages
    }

    /// `sqs:DeleteMessage`: removes a received message by its receipt handle.
    public func deleteMessage(queueURL: String, receiptHandle: String) async throws {
        _ = try await json.send("DeleteMessage", [("QueueUrl", .string(queueURL)), ("ReceiptHandle", .string(receiptHandle))])
    }

    /// Lower-case hex MD5 of the UTF-8 text (SQS's integrity digest, not a security measure).
    static func md5Hex(_ text: String) -> String {
        SigV4Signer.hex(Insecure.MD5.hash(data: Array(text.utf8)))
    }
}
