import AWSClient
import Foundation
import Testing

@Suite struct STSClientTests {
    @Test func assumeRoleSendsTheQueryFormAndReadsTheCredentials() async throws {
        let transport = ScriptedTransport([Responses.assumeRole(expiration: "2026-11-29T05:00:00.123Z")])
        let sts = STS(configuration: testConfiguration(transport))
        let session = try await sts.assumeRole(
            roleARN: "arn:aws:iam::222222222222:role/DynamoDBAccessRole", sessionName: "orders-api", durationSeconds: 900,
            externalID: "ext:id/1", sourceIdentity: "alice", tags: [STS.Tag(key: "team", value: "a b")]
        )
        #expect(session.credentials.accessKeyID == "ASIAEXAMPLE")
        #expect(session.credentials.secretAccessKey == "secret/with+chars&")
        #expect(session.credentials.sessionToken == "token")
        #expect(session.assumedRoleARN == "arn:aws:sts::222222222222:assumed-role/DynamoDBAccessRole/orders-api")
        let expiration = try #require(session.credentials.expiration)
        #expect(abs(expiration.timeIntervalSince1970 - 1_795_928_400.123) < 0.0005)
        #expect(session.requestID == "req-1")

        let request = try #require(transport.sent.first)
        #expect(request.method == "POST")
        #expect(request.url.absoluteString == "https://sts.us-east-1.amazonaws.com")
        #expect(request.header("content-type") == "application/x-www-form-urlencoded; charset=utf-8")
        #expect(request.header("x-amz-security-token") == "session")
        #expect(request.header("authorization")?.contains("/us-east-1/sts/aws4_request") == true)
        #expect(
            String(decoding: request.body, as: UTF8.self)
                == "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A222222222222%3Arole%2FDynamoDBAccessRole&RoleSessionName=orders-api&DurationSeconds=900&ExternalId=ext%3Aid%2F1&SourceIdentity=alice&Tags.member.1.Key=team&Tags.member.1.Value=a%20b"
        )
    }

    @Test(arguments: [
        ("x", nil as Int?, nil as String?), ("has space", nil, nil), (String(repeating: "a", count: 65), nil, nil), ("ok-name", 899, nil),
        ("ok-name", 43201, nil), ("ok-name", nil, "x"),
    ])
    func invalidParametersFailBeforeSending(sessionName: String, duration: Int?, externalID: String?) async {
        let transport = ScriptedTransport([])
        let sts = STS(configuration: testConfiguration(transport))
        await #expect {
            _ = try await sts.assumeRole(roleARN: "arn:aws:iam::222222222222:role/R", sessionName: sessionName, durationSeconds: duration, externalID: externalID)
        } throws: { error in
            (error as? AWSError)?.kind == .invalidParameter && (error as? AWSError)?.code == "InvalidParameterValue"
        }
        #expect(transport.sent.isEmpty)
    }

    @Test func accessDeniedCarriesCodeMessageStatusAndRequestID() async {
        let denial = Responses.xml(
            """
            <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
              <Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: arn:aws:sts::111111111111:assumed-role/LambdaExecutionRole/orders-api is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::222222222222:role/DynamoDBAccessRole</Message></Error>
              <RequestId>4d2c8f4e-0000-0000-0000-000000000000</RequestId>
            </ErrorResponse>
            """, status: 403, requestID: "")
        let sleeper = RecordingSleeper()
        let transport = ScriptedTransport([HTTPResponse(status: 403, headers: [("Content-Type", "text/xml")], body: denial.body)])
        let sts = STS(configuration: testConfiguration(transport, retry: RetryPolicy(maxAttempts: 5, sleep: sleeper.sleep)))
        do {
            _ = try await sts.assumeRole(roleARN: "arn:aws:iam::222222222222:role/DynamoDBAccessRole", sessionName: "orders-api")
            Issue.record("expected AccessDenied")
        } catch let error as AWSError {
            #expect(error.kind == .service)
            #expect(error.code == "AccessDenied")
            #expect(error.status == 403)
            #expect(error.requestID == "4d2c8f4e-0000-0000-0000-000000000000")
            #expect(error.message.hasPrefix("User: arn:aws:sts::111111111111:assumed-role/LambdaExecutionRole/orders-api is not authorized"))
            #expect(error.isAccessError)
            #expect(error.description.hasPrefix("sts AssumeRole: AccessDenied (HTTP 403, request id 4d2c8f4e"))
        } catch {
            Issue.record("unexpected \(error)")
        }
        #expect(transport.sent.count == 1, "access errors are never retried")
        #expect(sleeper.delays.isEmpty)
    }

    @Test func getCallerIdentity() async throws {
        let transport = ScriptedTransport([
            Responses.xml("""
                <?xml version="1.0" encoding="UTF-8"?>
                <GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                  <GetCallerIdentityResult>
                    <Arn>arn:aws:sts::111111111111:assumed-role/LambdaExecutionRole/orders-api</Arn>
                    <UserId>AROAEXAMPLE:orders-api</UserId>
                    <Account>111111111111</Account>
                  </GetCallerIdentityResult>
                  <ResponseMetadata><RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId></ResponseMetadata>
                </GetCallerIdentityResponse>
                """)
        ])
        let identity = try await STS(configuration: testConfiguration(transport)).getCallerIdentity()
        #expect(identity.account == "111111111111")
        #expect(identity.arn == "arn:aws:sts::111111111111:assumed-role/LambdaExecutionRole/orders-api")
        #expect(String(decoding: transport.sent[0].body, as: UTF8.self) == "Action=GetCallerIdentity&Version=2011-06-15")
    }

    @Test(arguments: [
        ("truncated XML", Responses.xml("<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>AS")),
        ("HTML page", HTTPResponse(status: 200, headers: [("Content-Type", "text/html")], body: Array("<html><body>Gateway</body></html>".utf8))),
        ("missing fields", Responses.xml("<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>A</AccessKeyId></Credentials></AssumeRoleResult></AssumeRoleResponse>")),
        ("wrong root", Responses.xml("<GetCallerIdentityResponse/>")),
        ("bad expiration", Responses.assumeRole(expiration: "tomorrow")),
        ("empty body", HTTPResponse(status: 200, headers: [("Content-Type", "text/xml")], body: [])),
    ])
    func malformedAnswersAreTypedErrors(_ label: String, _ response: HTTPResponse) async {
        let sts = STS(configuration: testConfiguration(ScriptedTransport([response])))
        await #expect {
            _ = try await sts.assumeRole(roleARN: "arn:aws:iam::222222222222:role/R", sessionName: "orders-api")
        } throws: { error in
            guard let error = error as? AWSError else { return false }
            return error.kind == .malformedResponse && error.code == "MalformedResponse" && !error.message.isEmpty && error.operation == "AssumeRole"
        }
    }

    @Test func htmlErrorPageNamesWhatCameBack() async {
        let page = HTTPResponse(status: 502, headers: [("Content-Type", "text/html")], body: Array("<!DOCTYPE html><html><body>Bad gateway</body></html>".utf8))
        let sts = STS(configuration: testConfiguration(ScriptedTransport([page])))
        do {
            _ = try await sts.getCallerIdentity()
            Issue.record("expected an error")
        } catch let error as AWSError {
            #expect(error.kind == .malformedResponse)
            #expect(error.status == 502)
            #expect(error.message.contains("HTML page"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test(arguments: [
        ("2026-11-29T05:00:00Z", 1_795_928_400.0), ("2026-11-29T05:00:00.5Z", 1_795_928_400.5), ("2026-11-29T07:00:00+02:00", 1_795_928_400.0),
        ("2026-11-29T05:00:00.123456789Z", 1_795_928_400.123456789),
    ])
    func expirationParsesWithAndWithoutFractions(_ text: String, _ seconds: Double) throws {
        let date = try #require(STS.parseISO8601(text))
        #expect(abs(date.timeIntervalSince1970 - seconds) < 0.000_001)
    }

    @Test(arguments: ["", "2026-11-29", "2026-11-29T05:00:00", "2026-13-29T05:00:00Z", "2026-11-29T05:00:00.Z", "2026-11-29T05:00:00Zjunk"])
    func badTimesAreRejected(_ text: String) {
        #expect(STS.parseISO8601(text) == nil)
    }
}
