import AWSClient
import Foundation
import Testing

@Suite struct SNSClientTests {
    static let topicARN = "arn:aws:sns:us-east-1:111111111111:orders"

    @Test func publishSendsTheQueryFormAndReadsTheMessageID() async throws {
        let transport = ScriptedTransport([
            Responses.xml("""
                <PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">
                  <PublishResult>
                    <MessageId>567910cd-659e-55d4-8ccb-5aaf14679dc0</MessageId>
                  </PublishResult>
                  <ResponseMetadata>
                    <RequestId>d74b8436-ae13-5ab4-a9ff-ce54dfea72a0</RequestId>
                  </ResponseMetadata>
                </PublishResponse>
                """, requestID: "d74b8436-ae13-5ab4-a9ff-ce54dfea72a0")
        ])
        let published = try await SNS(configuration: testConfiguration(transport)).publish(
            to: .topic(arn: Self.topicARN), message: "order o-1 shipped & paid", subject: "Order update", stringAttributes: ["tenant": "t-1"])
        let request = try #require(transport.sent.first)
        let body =
            "Action=Publish&Version=2010-03-31&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A111111111111%3Aorders&Message=order+o-1+shipped+%26+paid&Subject=Order+update&MessageAttributes.entry.1.Name=tenant&MessageAttributes.entry.1.Value.DataType=String&MessageAttributes.entry.1.Value.StringValue=t-1"
        #expect(request.method == "POST")
        #expect(request.wireURL == "https://sns.us-east-1.amazonaws.com")
        #expect(request.bodyText == body)
        #expect(
            request.wireHeaders == [
                "Host: sns.us-east-1.amazonaws.com", "Content-Type: application/x-www-form-urlencoded; charset=utf-8", "Content-Length: \(body.utf8.count)",
                "X-Amz-Date: \(TestSigning.timestamp)", "X-Amz-Security-Token: session",
                TestSigning.authorization("sns", "content-length;content-type;host;x-amz-date;x-amz-security-token"),
            ])
        #expect(published.messageID == "567910cd-659e-55d4-8ccb-5aaf14679dc0")
        #expect(published.requestID == "d74b8436-ae13-5ab4-a9ff-ce54dfea72a0")
        #expect(published.sequenceNumber == nil)
    }

    @Test func phoneNumbersAndTargets() async throws {
        let ok = Responses.xml("<PublishResponse><PublishResult><MessageId>m</MessageId><SequenceNumber>1</SequenceNumber></PublishResult></PublishResponse>")
        let transport = ScriptedTransport([ok, ok])
        let sns = SNS(configuration: testConfiguration(transport))
        _ = try await sns.publish(to: .phoneNumber("+15555550100"), message: "m")
        let published = try await sns.publish(to: .target(arn: "arn:aws:sns:us-east-1:111111111111:endpoint/APNS/app/e"), message: "m", messageGroupID: "g")
        #expect(transport.sent[0].bodyText == "Action=Publish&Version=2010-03-31&PhoneNumber=%2B15555550100&Message=m")
        #expect(
            transport.sent[1].bodyText
                == "Action=Publish&Version=2010-03-31&TargetArn=arn%3Aaws%3Asns%3Aus-east-1%3A111111111111%3Aendpoint%2FAPNS%2Fapp%2Fe&Message=m&MessageGroupId=g")
        #expect(published.sequenceNumber == "1")
    }

    @Test func authorizationErrorIsReadFromTheQueryErrorDocument() async throws {
        let message = "User: arn:aws:sts::111111111111:assumed-role/LambdaExecutionRole/orders-api is not authorized to perform: SNS:Publish on resource: \(Self.topicARN) because no identity-based policy allows the SNS:Publish action"
        let transport = ScriptedTransport([
            Responses.xml("""
                <ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">
                  <Error><Type>Sender</Type><Code>AuthorizationError</Code><Message>\(message)</Message></Error>
                  <RequestId>9b9b3a54-3e4f-5f1c-9a3b-2c1f0e7f1a11</RequestId>
                </ErrorResponse>
                """, status: 403, requestID: "9b9b3a54-3e4f-5f1c-9a3b-2c1f0e7f1a11")
        ])
        let sns = SNS(configuration: testConfiguration(transport, retry: RetryPolicy(sleep: { _ in })))
        let error = try #require(await awsError { _ = try await sns.publish(to: .topic(arn: Self.topicARN), message: "m") })
        #expect(error.kind == .service)
        #expect(error.code == "AuthorizationError")
        #expect(error.message == message)
        #expect(error.status == 403)
        #expect(error.requestID == "9b9b3a54-3e4f-5f1c-9a3b-2c1f0e7f1a11")
        #expect(error.service == "sns")
        #expect(error.operation == "Publish")
        #expect(transport.sent.count == 1)
    }

    @Test func anAnswerWithoutAMessageIDIsMalformed() async throws {
        let transport = ScriptedTransport([Responses.xml("<PublishResponse><PublishResult/></PublishResponse>")])
        let error = try #require(await awsError { _ = try await SNS(configuration: testConfiguration(transport)).publish(to: .topic(arn: Self.topicARN), message: "m") })
        #expect(error.kind == .malformedResponse)
    }
}
