import AWSClient
import Foundation
import Testing

@Suite struct LambdaClientTests {
    static let functionARN = "arn:aws:lambda:us-east-1:222222222222:function:orders-api"

    @Test func invokeByARNEncodesTheNameInThePath() async throws {
        let transport = ScriptedTransport([
            HTTPResponse(
                status: 200,
                headers: [
                    ("Content-Type", "application/json"), ("X-Amz-Function-Error", "Unhandled"), ("X-Amz-Executed-Version", "$LATEST"),
                    ("X-Amz-Log-Result", Data("START RequestId: r\nEND\n".utf8).base64EncodedString()), ("x-amzn-RequestId", "R-L"),
                ],
                body: Array(#"{"errorMessage":"boom","errorType":"Error"}"#.utf8))
        ])
        let payload = Array(#"{"orderId":"o-1"}"#.utf8)
        let invocation = try await Lambda(configuration: testConfiguration(transport)).invoke(
            functionName: Self.functionARN, payload: payload, qualifier: "live", tailLog: true)
        let request = try #require(transport.sent.first)
        #expect(request.method == "POST")
        #expect(
            request.wireURL
                == "https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A222222222222%3Afunction%3Aorders-api/invocations?Qualifier=live"
        )
        #expect(request.body == payload)
        #expect(
            request.wireHeaders == [
                "Host: lambda.us-east-1.amazonaws.com", "Content-Type: application/octet-stream", "X-Amz-Invocation-Type: RequestResponse", "X-Amz-Log-Type: Tail", "Content-Length: 17",
                "X-Amz-Date: \(TestSigning.timestamp)", "X-Amz-Security-Token: session",
                TestSigning.authorization("lambda", "content-length;content-type;host;x-amz-date;x-amz-invocation-type;x-amz-log-type;x-amz-security-token"),
            ])
        // Lambda is not S3: its canonical URI encodes the already encoded name a second time.
        let signer = SigV4Signer(credentials: AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "secret", sessionToken: "session"), region: "us-east-1", service: "lambda")
        var unsigned = request
        unsigned.headers.removeAll { $0.name == "Authorization" }
        let parts = signer.signature(for: unsigned, at: Date(timeIntervalSince1970: 1_795_000_000))
        #expect(parts.canonicalRequest.hasPrefix("POST\n/2015-03-31/functions/arn%253Aaws%253Alambda%253Aus-east-1%253A222222222222%253Afunction%253Aorders-api/invocations\nQualifier=live\n"))
        #expect(request.header("authorization") == parts.authorization)

        #expect(invocation.statusCode == 200)
        #expect(invocation.functionError == "Unhandled")
        #expect(invocation.executedVersion == "$LATEST")
        #expect(invocation.logResult == "START RequestId: r\nEND\n")
        #expect(invocation.payload == Array(#"{"errorMessage":"boom","errorType":"Error"}"#.utf8))
        #expect(invocation.requestID == "R-L")
    }

    @Test(arguments: ["orders-api", "222222222222:function:orders-api", "orders-api:live"])
    func namesAndPartialARNs(_ name: String) async throws {
        let transport = ScriptedTransport([HTTPResponse(status: 202, headers: [], body: [])])
        let invocation = try await Lambda(configuration: testConfiguration(transport)).invoke(functionName: name, invocationType: .event)
        #expect(transport.sent.first?.wireURL == "https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/\(SigV4Signer.uriEncode(name))/invocations")
        #expect(transport.sent.first?.header("x-amz-invocation-type") == "Event")
        #expect(invocation.statusCode == 202)
        #expect(invocation.functionError == nil)
    }

    static func restJSONError(_ type: String, status: Int, message: String) -> HTTPResponse {
        HTTPResponse(
            status: status, headers: [("Content-Type", "application/json"), ("x-amzn-ErrorType", type), ("x-amzn-RequestId", "R-ERR")],
            body: Array(#"{"Type":"User","Message":"\#(message)"}"#.utf8))
    }

    @Test func resourceNotFoundIsNamedByTheErrorTypeHeader() async throws {
        let transport = ScriptedTransport([
            Self.restJSONError("ResourceNotFoundException:http://internal.amazon.com/coral/com.amazonaws.lambda/", status: 404, message: "Function not found: \(Self.functionARN)")
        ])
        let error = try #require(await awsError { _ = try await Lambda(configuration: testConfiguration(transport)).invoke(functionName: Self.functionARN) })
        #expect(error.kind == .service)
        #expect(error.code == "ResourceNotFoundException")
        #expect(error.message == "Function not found: \(Self.functionARN)")
        #expect(error.status == 404)
        #expect(error.requestID == "R-ERR")
        #expect(error.service == "lambda")
        #expect(error.operation == "Invoke")
    }

    @Test func accessDeniedException() async throws {
        let message = "User: arn:aws:sts::111111111111:assumed-role/LambdaExecutionRole/orders-api is not authorized to perform: lambda:InvokeFunction on resource: \(Self.functionARN) because no resource-based policy allows the lambda:InvokeFunction action"
        let transport = ScriptedTransport([Self.restJSONError("AccessDeniedException", status: 403, message: message)])
        let lambda = Lambda(configuration: testConfiguration(transport, retry: RetryPolicy(sleep: { _ in })))
        let error = try #require(await awsError { _ = try await lambda.invoke(functionName: Self.functionARN) })
        #expect(error.code == "AccessDeniedException")
        #expect(error.message == message)
        #expect(error.isAccessError)
        #expect(transport.sent.count == 1)
    }

    @Test func anEmptyNameIsRefusedBeforeSending() async throws {
        let transport = ScriptedTransport([])
        #expect(await awsError { _ = try await Lambda(configuration: testConfiguration(transport)).invoke(functionName: "") }?.kind == .invalidParameter)
        #expect(transport.sent.isEmpty)
    }
}
