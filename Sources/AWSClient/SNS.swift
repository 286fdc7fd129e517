import Foundation

/// Amazon SNS over the Query protocol (form POST, XML answers, as STS): `Publish`. The form is encoded as botocore
/// encodes it, spaces as `+` (a message is prose; moto checks the signature of a form re-encoded that way).
public struct SNS: Sendable {
    public let configuration: AWSConfiguration
    private var call: ServiceCall { ServiceCall(configuration: configuration, service: .sns, wire: .query) }

    public init(configuration: AWSConfiguration) {
        self.configuration = configuration
    }

    /// Where `publish` sends: a topic, a platform endpoint, or a phone number (SMS).
    public enum Destination: Sendable, Hashable {
        case topic(arn: String)
        case target(arn: String)
        case phoneNumber(String)
    }

    /// What `Publish` returns.
    public struct Published: Sendable, Hashable {
        public var messageID: String
        /// FIFO topics only.
        public var sequenceNumber: String?
        public var requestID: String?
    }

    /// `sns:Publish`. `stringAttributes` become message attributes of type `String` (filter policies match on
    /// them); FIFO topics need `messageGroupID` (and `deduplicationID` unless content-based deduplication is on).
    public func publish(
        to destination: Destination, message: String, subject: String? = nil, stringAttributes: [String: String] = [:],
        messageGroupID: String? = nil, deduplicationID: String? = nil
    ) async throws -> Published {
        let operation = "Publish"
        var parameters: [(String, String)] = [("Action", operation), ("Version", "2010-03-31")]
        switch destination {
        case .topic(let arn): parameters.append(("TopicArn", arn))
        case .target(let arn): parameters.append(("TargetArn", arn))
        case .phoneNumber(let number): parameters.append(("PhoneNumber", number))
        }
        parameters.append(("Message", message))
        if let subject { parameters.append(("Subject", subject)) }
        for (offset, name) in stringAttributes.keys.sorted().enumerated() {
            let entry = "MessageAttributes.entry.\(offset + 1)"
            parameters.append(("\(entry).Name", name))
            parameters.append(("\(entry).Value.DataType", "String"))
            parameters.append(("\(entry).Value.StringValue", stringAttributes[name]!))
        }
        if let messageGroupID { parameters.append(("MessageGroupId", messageGroupID)) }
        if let deduplicationID { parameters.append(("MessageDeduplicationId", deduplicationID)) }
        let response = try await call.send(
            operation: operation, headers: [(name: "Content-Type", value: "application/x-www-form-urlencoded; charset=utf-8")],
            body: Array(STS.formEncode(parameters, spaceAsPlus: true).utf8)
        )
        let root: XMLNode
        do {
            root = try XMLNode.parse(response.body)
        } catch {
            throw call.malformed(response, operation: operation, "unreadable XML (\(error)) in \(ServiceCall.describeBody(response))")
        }
        guard root.localName == "PublishResponse", let result = root.child("PublishResult"), let messageID = result.child("MessageId")?.text,
            !messageID.isEmpty
        else {
            throw call.malformed(response, operation: operation, "expected <PublishResponse><PublishResult><MessageId>, got <\(root.name)>")
        }
        return Published(
            messageID: messageID, sequenceNumber: result.child("SequenceNumber")?.text,
            requestID: response.header("x-amzn-RequestId") ?? root.descendant("RequestId")?.text
        )
    }
}
