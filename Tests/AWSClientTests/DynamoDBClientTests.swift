import AWSClient
import Foundation
import Testing

@Suite struct DynamoDBClientTests {
    @Test func getItemSendsJSON10AndDecodesEveryType() async throws {
        let transport = ScriptedTransport([
            Responses.json(#"""
                {"Item":{"customerId":{"S":"c-1"},"total":{"N":"12.50"},"blob":{"B":"AAEC"},"paid":{"BOOL":true},"note":{"NULL":true},
                "address":{"M":{"city":{"S":"Zürich \"Z\""}}},"lines":{"L":[{"N":"1"},{"S":"x"}]},"tags":{"SS":["a","b"]},"sizes":{"NS":["1","2"]},
                "blobs":{"BS":["AA=="]}}}
                """#)
        ])
        let dynamoDB = DynamoDB(configuration: testConfiguration(transport))
        let item = try #require(
            try await dynamoDB.getItem(table: "arn:aws:dynamodb:us-east-1:222222222222:table/Orders", key: ["customerId": "c-1", "orderId": .s("o-1")])
        )
        #expect(item["customerId"] == .s("c-1"))
        #expect(item["total"] == .n("12.50"))
        #expect(item["blob"] == .b([0, 1, 2]))
        #expect(item["paid"] == .bool(true))
        #expect(item["note"] == .null)
        #expect(item["address"] == .m(["city": .s("Zürich \"Z\"")]))
        #expect(item["lines"] == .l([.n("1"), .s("x")]))
        #expect(item["tags"] == .ss(["a", "b"]))
        #expect(item["sizes"] == .ns(["1", "2"]))
        #expect(item["blobs"] == .bs([[0]]))

        let request = try #require(transport.sent.first)
        #expect(request.header("x-amz-target") == "DynamoDB_20120810.GetItem")
        #expect(request.header("content-type") == "application/x-amz-json-1.0")
        #expect(request.url.absoluteString == "https://dynamodb.us-east-1.amazonaws.com")
        #expect(
            String(decoding: request.body, as: UTF8.self)
                == #"{"TableName":"arn:aws:dynamodb:us-east-1:222222222222:table/Orders","Key":{"customerId":{"S":"c-1"},"orderId":{"S":"o-1"}}}"#
        )
    }

    @Test func getItemWithoutItemIsNil() async throws {
        let dynamoDB = DynamoDB(configuration: testConfiguration(ScriptedTransport([Responses.json("{}")])))
        #expect(try await dynamoDB.getItem(table: "Orders", key: ["customerId": "c-1"]) == nil)
    }

    @Test func queryOnAnIndexSendsExpressionsAndReadsThePage() async throws {
        let transport = ScriptedTransport([
            Responses.json(#"{"Count":1,"Items":[{"status":{"S":"SHIPPED"}}],"ScannedCount":1,"LastEvaluatedKey":{"customerId":{"S":"c-1"}}}"#)
        ])
        let dynamoDB = DynamoDB(configuration: testConfiguration(transport))
        let page = try await dynamoDB.query(
            table: "Orders", index: "ByStatus", keyCondition: "#s = :s", names: ["#s": "status"], values: [":s": .s("SHIPPED")], limit: 10
        )
        #expect(page.items == [["status": .s("SHIPPED")]])
        #expect(page.lastEvaluatedKey == ["customerId": .s("c-1")])
        #expect(
            String(decoding: transport.sent[0].body, as: UTF8.self)
                == ##"{"TableName":"Orders","IndexName":"ByStatus","KeyConditionExpression":"#s = :s","Limit":10,"ExpressionAttributeNames":{"#s":"status"},"ExpressionAttributeValues":{":s":{"S":"SHIPPED"}}}"##
        )
    }

    @Test func accessDeniedExceptionLosesItsNamespace() async {
        let transport = ScriptedTransport([
            Responses.json(
                #"{"__type":"com.amazon.coral.service#AccessDeniedException","message":"User: arn:aws:sts::111111111111:assumed-role/LambdaExecutionRole/orders-api is not authorized to perform: dynamodb:DeleteItem on resource: arn:aws:dynamodb:us-east-1:222222222222:table/Orders because no identity-based policy allows the dynamodb:DeleteItem action"}"#,
                status: 400, requestID: "RID-1")
        ])
        let sleeper = RecordingSleeper()
        let dynamoDB = DynamoDB(configuration: testConfiguration(transport, retry: RetryPolicy(sleep: sleeper.sleep)))
        do {
            try await dynamoDB.deleteItem(table: "Orders", key: ["customerId": "c-1", "orderId": "o-1"])
            Issue.record("expected AccessDeniedException")
        } catch let error as AWSError {
            #expect(error.code == "AccessDeniedException")
            #expect(error.status == 400)
            #expect(error.requestID == "RID-1")
            #expect(error.message.hasSuffix("because no identity-based policy allows the dynamodb:DeleteItem action"))
            #expect(error.operation == "DeleteItem")
        } catch {
            Issue.record("unexpected \(error)")
        }
        #expect(transport.sent.count == 1)
        #expect(sleeper.delays.isEmpty)
    }

    @Test func throttlingAndServerErrorsAreRetriedWithJitteredBackoff() async throws {
        let throttled = Responses.json(#"{"__type":"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException","message":"slow down"}"#, status: 400)
        let unavailable = Responses.json(#"{"__type":"com.amazon.coral.service#InternalFailure"}"#, status: 500)
        let transport = ScriptedTransport([throttled, unavailable, Responses.json(#"{"TableNames":["Orders"]}"#)])
        let sleeper = RecordingSleeper()
        let retry = RetryPolicy(maxAttempts: 4, baseDelay: .milliseconds(100), maxDelay: .seconds(1), sleep: sleeper.sleep, random: { 0.5 })
        let tables = try await DynamoDB(configuration: testConfiguration(transport, retry: retry)).listTables()
        #expect(tables.tableNames == ["Orders"])
        #expect(transport.sent.count == 3)
        #expect(sleeper.delays == [.milliseconds(50), .milliseconds(100)])
        // Each attempt is signed afresh.
        #expect(transport.sent.allSatisfy { $0.headers.filter { $0.name == "Authorization" }.count == 1 })
    }

    @Test func retriesStopAtMaxAttempts() async {
        let throttled = Responses.json(#"{"__type":"com.amazon.coral.service#ThrottlingException","message":"Rate exceeded"}"#, status: 400)
        let transport = ScriptedTransport([throttled, throttled, throttled])
        let sleeper = RecordingSleeper()
        let dynamoDB = DynamoDB(configuration: testConfiguration(transport, retry: RetryPolicy(maxAttempts: 3, sleep: sleeper.sleep, random: { 1 })))
        await #expect(throws: AWSError.self) { _ = try await dynamoDB.listTables() }
        #expect(transport.sent.count == 3)
        #expect(sleeper.delays == [.seconds(1), .seconds(2)], "botocore's standard base: 1 s, doubling")
    }

    @Test func backoffIsCappedAndJittered() {
        let policy = RetryPolicy(baseDelay: .milliseconds(100), maxDelay: .milliseconds(250), random: { 0.25 })
        #expect(policy.delay(beforeRetry: 1) == .milliseconds(25))
        #expect(policy.delay(beforeRetry: 2) == .milliseconds(50))
        #expect(policy.delay(beforeRetry: 3) == .microseconds(62_500))
        #expect(policy.delay(beforeRetry: 40) == .microseconds(62_500))
    }

    @Test(arguments: [
        ("truncated JSON", Responses.json(#"{"Item":{"customerId":{"S":"c-"#)),
        ("wrong content type", HTTPResponse(status: 200, headers: [("Content-Type", "text/plain")], body: Array("OK".utf8))),
        ("bad attribute", Responses.json(#"{"Item":{"customerId":{"Q":"c-1"}}}"#)),
        ("two type keys", Responses.json(#"{"Item":{"customerId":{"S":"c-1","N":"1"}}}"#)),
        ("array body", Responses.json("[]")),
        ("HTML error page", HTTPResponse(status: 503, headers: [("Content-Type", "text/html")], body: Array("<html>Service Unavailable</html>".utf8))),
    ])
    func malformedAnswersAreTypedErrors(_ label: String, _ response: HTTPResponse) async {
        let dynamoDB = DynamoDB(configuration: testConfiguration(ScriptedTransport([response])))
        await #expect {
            _ = try await dynamoDB.getItem(table: "Orders", key: ["customerId": "c-1"])
        } throws: { error in
            guard let error = error as? AWSError else { return false }
            return error.kind == .malformedResponse && error.operation == "GetItem" && !error.message.isEmpty
        }
    }

    @Test func listTablesWithoutTableNamesIsMalformed() async {
        let dynamoDB = DynamoDB(configuration: testConfiguration(ScriptedTransport([Responses.json("{}")])))
        await #expect(throws: AWSError.self) { _ = try await dynamoDB.listTables() }
    }

    @Test func xmlAuthFailureFromDynamoDBIsStillReadable() async {
        // moto (and some front ends) answer DynamoDB auth failures in XML.
        let response = HTTPResponse(
            status: 403, headers: [("Content-Type", "text/xml")],
            body: Array("<ErrorResponse><Error><Code>InvalidClientTokenId</Code><Message>The security token included in the request is invalid.</Message></Error><RequestId>x</RequestId></ErrorResponse>".utf8)
        )
        let dynamoDB = DynamoDB(configuration: testConfiguration(ScriptedTransport([response])))
        await #expect {
            _ = try await dynamoDB.listTables()
        } throws: { error in
            (error as? AWSError)?.code == "InvalidClientTokenId" && (error as? AWSError)?.isAccessError == true
        }
    }
}
