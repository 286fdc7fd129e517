import AWSClient
import Foundation
import Testing

@Suite struct SQSClientTests {
    static let queueURL = "https://sqs.us-east-1.amazonaws.com/111111111111/orders"

    static func answer(_ json: String, status: Int = 200, headers: [(String, String)] = []) -> HTTPResponse {
        HTTPResponse(
            status: status, headers: [(name: "Content-Type", value: "application/x-amz-json-1.0"), (name: "x-amzn-RequestId", value: "R-SQS")] + headers.map { (name: $0.0, value: $0.1) },
            body: Array(json.utf8))
    }

    @Test func getQueueURLSpeaksTheJSONProtocol() async throws {
        let transport = ScriptedTransport([Self.answer(#"{"QueueUrl":"\#(Self.queueURL)"}"#)])
        let url = try await SQS(configuration: testConfiguration(transport)).getQueueURL(queueName: "orders", ownerAccountID: "111111111111")
        let request = try #require(transport.sent.first)
        let body = #"{"QueueName":"orders","QueueOwnerAWSAccountId":"111111111111"}"#
        #expect(url == Self.queueURL)
        #expect(request.method == "POST")
        #expect(request.wireURL == "https://sqs.us-east-1.amazonaws.com")
        #expect(request.bodyText == body)
        #expect(
            request.wireHeaders == [
                "Host: sqs.us-east-1.amazonaws.com", "Content-Type: application/x-amz-json-1.0", "X-Amz-Target: AmazonSQS.GetQueueUrl",
                "x-amzn-query-mode: true", "Content-Length: \(body.utf8.count)", "X-Amz-Date: \(TestSigning.timestamp)", "X-Amz-Security-Token: session",
                TestSigning.authorization("sqs", "content-length;content-type;host;x-amz-date;x-amz-security-token;x-amz-target;x-amzn-query-mode"),
            ])
    }

    @Test func sendMessageChecksTheBodysMD5() async throws {
        // MD5("hello") = 5d41402abc4b2a76b9719d911017c592.
        let transport = ScriptedTransport([
            Self.answer(#"{"MD5OfMessageBody":"5d41402abc4b2a76b9719d911017c592","MessageId":"219f8380-5770-4cc2-8c3e-5c715e145f5e"}"#)
        ])
        let sent = try await SQS(configuration: testConfiguration(transport)).sendMessage(
            queueURL: Self.queueURL, body: "hello", delaySeconds: 5, stringAttributes: ["tenant": "t-1"])
        #expect(
            transport.sent.first?.bodyText
                == #"{"QueueUrl":"\#(Self.queueURL)","MessageBody":"hello","DelaySeconds":5,"MessageAttributes":{"tenant":{"DataType":"String","StringValue":"t-1"}}}"#
        )
        #expect(transport.sent.first?.header("x-amz-target") == "AmazonSQS.SendMessage")
        #expect(sent.messageID == "219f8380-5770-4cc2-8c3e-5c715e145f5e")
        #expect(sent.md5OfMessageBody == "5d41402abc4b2a76b9719d911017c592")
    }

    @Test func aWrongMD5IsAMalformedAnswer() async throws {
        let transport = ScriptedTransport([Self.answer(#"{"MD5OfMessageBody":"00000000000000000000000000000000","MessageId":"m"}"#)])
        let error = try #require(await awsError { _ = try await SQS(configuration: testConfiguration(transport)).sendMessage(queueURL: Self.queueURL, body: "hello") })
        #expect(error.kind == .malformedResponse)
    }

    @Test func receiveMessageReadsMessagesAndAttributes() async throws {
        let transport = ScriptedTransport([
            Self.answer(
                #"{"Messages":[{"Attributes":{"SentTimestamp":"1795000000000","ApproximateReceiveCount":"1"},"Body":"hello","MD5OfBody":"5d41402abc4b2a76b9719d911017c592","MessageAttributes":{"tenant":{"DataType":"String","StringValue":"t-1"}},"MessageId":"219f8380-5770-4cc2-8c3e-5c715e145f5e","ReceiptHandle":"AQEBzWwaftRI0KuVm4tP+/7q1rGgNqicHq..."}]}"#
            )
        ])
        let messages = try await SQS(configuration: testConfiguration(transport)).receiveMessage(
            queueURL: Self.queueURL, maxNumberOfMessages: 10, waitTimeSeconds: 20, systemAttributeNames: ["All"], messageAttributeNames: ["All"])
        #expect(
            transport.sent.first?.bodyText
                == #"{"QueueUrl":"\#(Self.queueURL)","MaxNumberOfMessages":10,"WaitTimeSeconds":20,"MessageSystemAttributeNames":["All"],"MessageAttributeNames":["All"]}"#
        )
        let message = try #require(messages.first)
        #expect(messages.count == 1)
        #expect(message.body == "hello")
        #expect(message.receiptHandle == "AQEBzWwaftRI0KuVm4tP+/7q1rGgNqicHq...")
        #expect(message.attributes == ["SentTimestamp": "1795000000000", "ApproximateReceiveCount": "1"])
        #expect(message.messageAttributes == ["tenant": "t-1"])
    }

    @Test func anEmptyReceiveIsNoMessages() async throws {
        let transport = ScriptedTransport([Self.answer("{}")])
        #expect(try await SQS(configuration: testConfiguration(transport)).receiveMessage(queueURL: Self.queueURL).isEmpty)
    }

    @Test func deleteMessageSendsTheReceiptHandle() async throws {
        let transport = ScriptedTransport([HTTPResponse(status: 200, headers: [("x-amzn-RequestId", "R")], body: [])])
        try await SQS(configuration: testConfiguration(transport)).deleteMessage(queueURL: Self.queueURL, receiptHandle: "AQEB+/=")
        #expect(transport.sent.first?.bodyText == #"{"QueueUrl":"\#(Self.queueURL)","ReceiptHandle":"AQEB+/="}"#)
        #expect(transport.sent.first?.header("x-amz-target") == "AmazonSQS.DeleteMessage")
    }

    @Test func theQueryErrorHeaderGivesTheLegacyCode() async throws {
        let transport = ScriptedTransport([
            Self.answer(
                #"{"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"The specified queue does not exist."}"#, status: 400,
                headers: [("x-amzn-query-error", "AWS.SimpleQueueService.NonExistentQueue;Sender")])
        ])
        let sqs = SQS(configuration: testConfiguration(transport, retry: RetryPolicy(sleep: { _ in })))
        let error = try #require(await awsError { _ = try await sqs.getQueueURL(queueName: "missing") })
        #expect(error.kind == .service)
        #expect(error.code == "AWS.SimpleQueueService.NonExistentQueue")
        #expect(error.shapeName == "QueueDoesNotExist")
        #expect(error.message == "The specified queue does not exist.")
        #expect(error.status == 400)
        #expect(error.requestID == "R-SQS")
        #expect(error.operation == "GetQueueUrl")
        #expect(transport.sent.count == 1)
    }

    @Test func withoutTheHeaderTheShapeNameIsTheCode() async throws {
        let transport = ScriptedTransport([
            Self.answer(#"{"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"The specified queue does not exist."}"#, status: 400)
        ])
        let error = try #require(await awsError { _ = try await SQS(configuration: testConfiguration(transport)).getQueueURL(queueName: "missing") })
        #expect(error.code == "QueueDoesNotExist")
        #expect(error.shapeName == nil)
    }

    @Test func aMalformedQueryErrorHeaderIsIgnored() async throws {
        let transport = ScriptedTransport([
            Self.answer(#"{"__type":"com.amazonaws.sqs#InvalidAddress","message":"m"}"#, status: 400, headers: [("x-amzn-query-error", ";Sender")])
        ])
        let error = try #require(await awsError { _ = try await SQS(configuration: testConfiguration(transport)).getQueueURL(queueName: "q") })
        #expect(error.code == "InvalidAddress")
    }
}
