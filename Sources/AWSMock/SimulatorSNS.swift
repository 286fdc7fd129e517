import AWSClient
import Foundation
import Model
import Resolution
import Source

extension AWSSimulator {
    /// SNS over the Query protocol: `Publish` to a topic of the model, authorized on the topic's ARN (with the KMS
    /// calls an encrypted topic needs), then delivered to each queue the model subscribes to it — each queue a step
    /// whose caller is the topic sends to (`sqs:SendMessage`) — as `sns.amazonaws.com` with the topic as
    /// `aws:SourceArn`, the queue's KMS calls included. A refused delivery is dropped as SNS drops it, and recorded
    /// in `deliveries`.
    func handleSNS(_ request: HTTPRequest, session: Session, region: String, requestID: String) -> Result<HTTPResponse, WireError> {
        var parameters: [String: String] = [:]
        let form = String(decoding: request.body, as: UTF8.self) + "&" + SigV4Signer.wirePathAndQuery(request.url).query
        for pair in form.split(separator: "&") where !pair.isEmpty {
            let pieces = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = SigV4Signer.formDecode(String(pieces[0]))
            if parameters[name] == nil { parameters[name] = pieces.count > 1 ? SigV4Signer.formDecode(String(pieces[1])) : "" }
        }
        guard let action = parameters["Action"] else { return .failure(.of(400, "MissingAction", "Missing Action")) }
        guard action == "Publish" else {
            return .failure(.of(400, "InvalidAction", "Could not find operation \(action) for version \(parameters["Version"] ?? "NO_VERSION_SPECIFIED")"))
        }
        do throws(WireError) {
            guard let topicARN = parameters["TopicArn"] ?? parameters["TargetArn"] else {
                throw .of(400, "InvalidParameter", "Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter")
            }
            guard let message = parameters["Message"], !message.isEmpty else {
                throw .of(400, "InvalidParameter", "Invalid parameter: Empty message")
            }
            let topic = model.resources.first { $0.kind == .snsTopic && $0.arn == topicARN }
            try authorizeCall(.session(session), action: "sns:Publish", resourceARN: topicARN)
            guard let topic else { throw .of(404, "NotFound", "Topic does not exist") }
            try authorizeKeyCalls(.session(session), action: "sns:Publish", encrypted: topic, targetARN: topic.arn)
            let messageID = Self.uuid()
            deliver(topic: topic, messageID: messageID, message: message, subject: parameters["Subject"])
            let xml = """
                <PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">
                  <PublishResult>
                    <MessageId>\(messageID)</MessageId>
                  </PublishResult>
                  <ResponseMetadata>
                    <RequestId>\(requestID)</RequestId>
                  </ResponseMetadata>
                </PublishResponse>

                """
            return .success(HTTPResponse(
                status: 200, headers: [(name: "Content-Type", value: "text/xml"), (name: "x-amzn-RequestId", value: requestID)], body: Array(xml.utf8)))
        } catch {
            return .failure(error)
        }
    }

    /// The queues the model has a topic deliver to: the targets of its steps whose caller is the topic and whose
    /// action is `sqs:SendMessage`, each once, in the model's order.
    func subscribedQueues(of topic: Resource) -> [Resource] {
        var queues: [Resource] = []
        for step in model.options.flatMap(\.steps) {
            guard case .service(let key) = step.caller, key == topic.key, step.action.lowercased() == "sqs:sendmessage",
                case .resource(let target) = step.target, let queue = model.resource(target), queue.kind == .sqsQueue,
                !queues.contains(where: { $0.key == queue.key })
            else { continue }
            queues.append(queue)
        }
        return queues
    }

    private func deliver(topic: Resource, messageID: String, message: String, subject: String?) {
        guard let caller = Resolver.serviceCaller(for: topic.key, model: model) else { return }
        let timestamp = CivilTime.iso8601(Int(clock().timeIntervalSince1970.rounded(.down)))
        // The envelope SNS wraps a message in for an SQS subscriber (raw message delivery off).
        var envelope: [(String, JSONValue)] = [("Type", .string("Notification")), ("MessageId", .string(messageID)), ("TopicArn", .string(topic.arn))]
        if let subject { envelope.append(("Subject", .string(subject))) }
        envelope += [("Message", .string(message)), ("Timestamp", .string(timestamp)), ("SignatureVersion", .string("1"))]
        let body = String(decoding: JSONValue.object(envelope).serialized, as: UTF8.self)
        for queue in subscribedQueues(of: topic) {
            var delivery = Delivery(topicARN: topic.arn, queueARN: queue.arn, messageID: messageID, delivered: true, refusal: nil)
            do throws(WireError) {
                try authorizeCall(.service(caller), action: "sqs:SendMessage", resourceARN: queue.arn, encrypted: queue, targetARN: queue.arn)
                _ = enqueue(body, queueARN: queue.arn, senderID: caller.principalARN)
            } catch {
                delivery.delivered = false
                if case .accessDenied(let reason) = error { delivery.refusal = reason } else { delivery.refusal = "\(error)" }
            }
            // Kept only when requests are recorded (tests), so a long-running mock does not grow with every publish.
            if recordsRequests { withLock { $0.deliveries.append(delivery) } }
        }
    }
}
