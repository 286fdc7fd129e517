import AWSClient
import AWSMock
import Foundation
import Model
import Testing

@Suite struct SimulatorValidationTests {
    let clock = ManualClock()
    let simulator: AWSSimulator

    init() throws {
        let clock = self.clock
        let model = try DefaultContent.load()
        simulator = AWSSimulator(model: model, authorizer: ModelAuthorizer(model: model), clock: { clock.now })
    }

    func dataRoleDynamoDB(_ transform: ((any Transport) -> any Transport)? = nil, clockOffset: TimeInterval = 0) async throws -> DynamoDB {
        let aws = try simulator.configuration(forFunction: "ordersFunction")
        let session = try await STS(configuration: aws).assumeRole(roleARN: DefaultContent.dataRoleARN, sessionName: "orders-api")
        var configuration = aws.with(credentials: session.credentials)
        if let transform { configuration = configuration.with(transport: transform(simulator)) }
        let clock = self.clock
        configuration.clock = { clock.now.addingTimeInterval(clockOffset) }
        return DynamoDB(configuration: configuration)
    }

    @Test(arguments: [
        (["customerId": AttributeValue.s("c-1")], "missing sort key"),
        (["customerId": "c-1", "orderId": "o-1", "status": "x"], "extra attribute"),
        (["orderId": "o-1", "customer": "c-1"], "wrong names"),
    ])
    func keysAreValidatedLikeDynamoDB(_ key: Item, _ label: String) async throws {
        let dynamoDB = try await dataRoleDynamoDB()
        let error = await awsError { _ = try await dynamoDB.getItem(table: DefaultContent.tableARN, key: key) }
        #expect(error?.summary == "400 ValidationException", "\(label)")
        #expect(error?.message == "The provided key element does not match the schema")
    }

    @Test func putItemNeedsTheKeyAttributes() async throws {
        let dynamoDB = try await dataRoleDynamoDB()
        let error = await awsError { try await dynamoDB.putItem(table: "Orders", item: ["customerId": "c-1"]) }
        #expect(error?.code == "ValidationException")
        #expect(error?.message == "One or more parameter values were invalid: Missing the key orderId in the item")
    }

    @Test func unknownTablesAndIndexes() async throws {
        let dynamoDB = try await dataRoleDynamoDB()
        let missing = await awsError { _ = try await dynamoDB.describeTable(table: "arn:aws:dynamodb:us-east-1:222222222222:table/Nope") }
        // The grant table only covers Orders, so IAM denies first, exactly as AWS does for a resource you may not touch.
        #expect(missing?.code == "AccessDeniedException")
        let allowAll = AWSSimulator(model: simulator.model, authorizer: AllowAllAuthorizer(), clock: { clock.now })
        let open = DynamoDB(configuration: try allowAll.configuration(forFunction: "ordersFunction"))
        let notFound = await awsError { _ = try await open.describeTable(table: "arn:aws:dynamodb:us-east-1:222222222222:table/Nope") }
        #expect(notFound?.summary == "400 ResourceNotFoundException")
        #expect(notFound?.message == "Requested resource not found: Table: Nope not found")
        let index = await awsError { _ = try await open.query(table: DefaultContent.tableARN, index: "Nope", keyCondition: "a = :a", values: [":a": "x"]) }
        #expect(index?.message == "The table does not have the specified index: Nope")
        let badName = await awsError { _ = try await open.getItem(table: "no spaces allowed", key: ["a": "b"]) }
        #expect(badName?.code == "ValidationException")
    }

    @Test func tamperedBodiesFailTheSignature() async throws {
        let dynamoDB = try await dataRoleDynamoDB { target in
            TamperingTransport(target: target) { request in
                request.body = Array(String(decoding: request.body, as: UTF8.self).replacingOccurrences(of: "o-1", with: "o-2").utf8)
            }
        }
        let error = await awsError { _ = try await dynamoDB.getItem(table: DefaultContent.tableARN, key: ["customerId": "c-1", "orderId": "o-1"]) }
        #expect(error?.summary == "400 InvalidSignatureException")
        #expect(error?.message.hasPrefix("The request signature we calculated does not match the signature you provided.") == true)
    }

    @Test func tamperedSignedHeadersFailTheSignature() async throws {
        let dynamoDB = try await dataRoleDynamoDB { target in
            TamperingTransport(target: target) { request in
                request.headers = request.headers.map { $0.name == "X-Amz-Target" ? (name: $0.name, value: "DynamoDB_20120810.Scan") : $0 }
            }
        }
        let error = await awsError { _ = try await dynamoDB.getItem(table: DefaultContent.tableARN, key: ["customerId": "c-1", "orderId": "o-1"]) }
        #expect(error?.code == "InvalidSignatureException")
    }

    @Test func aWrongSecretFailsTheSignature() async throws {
        let aws = try simulator.configuration(forFunction: "ordersFunction")
        var credentials = try simulator.credentials(forFunction: "ordersFunction")
        credentials.secretAccessKey = "not-the-secret"
        let error = await awsError { _ = try await STS(configuration: aws.with(credentials: credentials)).getCallerIdentity() }
        #expect(error?.summary == "403 SignatureDoesNotMatch")
    }

    @Test func unknownKeysAndWrongTokensAreRejected() async throws {
        let aws = try simulator.configuration(forFunction: "ordersFunction")
        let unknown = AWSCredentials(accessKeyID: "ASIAUNKNOWN", secretAccessKey: "x", sessionToken: "y")
        let stsError = await awsError { _ = try await STS(configuration: aws.with(credentials: unknown)).getCallerIdentity() }
        #expect(stsError?.summary == "403 InvalidClientTokenId")
        let dynamoError = await awsError { _ = try await DynamoDB(configuration: aws.with(credentials: unknown)).listTables() }
        #expect(dynamoError?.summary == "400 UnrecognizedClientException")

        var wrongToken = try simulator.credentials(forFunction: "ordersFunction")
        wrongToken.sessionToken = "forged"
        let tokenError = await awsError { _ = try await STS(configuration: aws.with(credentials: wrongToken)).getCallerIdentity() }
        #expect(tokenError?.code == "InvalidClientTokenId")
        var noToken = wrongToken
        noToken.sessionToken = nil
        let missing = await awsError { _ = try await STS(configuration: aws.with(credentials: noToken)).getCallerIdentity() }
        #expect(missing?.code == "InvalidClientTokenId")
    }

    @Test func clockSkewOverFiveMinutesIsRejected() async throws {
        let ahead = try await dataRoleDynamoDB(clockOffset: 301)
        let error = await awsError { _ = try await ahead.listTables() }
        #expect(error?.summary == "400 InvalidSignatureException")
        // AWS's words for a request from the future, with the bound it broke.
        #expect(error?.message.hasPrefix("Signature not yet current: ") == true)
        #expect(error?.message.hasSuffix(" + 5 min.)") == true)
        let behind = try await dataRoleDynamoDB(clockOffset: -301)
        let late = await awsError { _ = try await behind.listTables() }
        #expect(late?.code == "InvalidSignatureException")
        #expect(late?.message.hasPrefix("Signature expired: ") == true)
        #expect(late?.message.hasSuffix(" - 5 min.)") == true)
        let close = try await dataRoleDynamoDB(clockOffset: 299)
        #expect(try await close.listTables().tableNames == ["Orders"])
    }

    @Test func malformedRequestsAreAnsweredAsDynamoDBDoes() async throws {
        let credentials = try simulator.credentials(forFunction: "ordersFunction")
        let signer = SigV4Signer(credentials: credentials, region: "us-east-1", service: "dynamodb")
        func send(target: String, body: String, contentType: String = "application/x-amz-json-1.0") async throws -> (Int, String) {
            let request = signer.sign(
                HTTPRequest(
                    method: "POST", url: AWSSimulator.endpoint, headers: [("Content-Type", contentType), ("X-Amz-Target", target)],
                    body: Array(body.utf8)), at: clock.now)
            let response = try await simulator.send(request)
            return (response.status, String(decoding: response.body, as: UTF8.self))
        }
        let unknown = try await send(target: "DynamoDB_20120810.DropEverything", body: "{}")
        #expect(unknown.0 == 400)
        #expect(unknown.1 == #"{"__type":"com.amazon.coral.service#UnknownOperationException"}"#)
        let badJSON = try await send(target: "DynamoDB_20120810.GetItem", body: #"{"TableName":"#)
        #expect(badJSON.0 == 400)
        #expect(badJSON.1.hasPrefix(#"{"__type":"com.amazon.coral.service#SerializationException","message":"#))
        let badValue = try await send(target: "DynamoDB_20120810.GetItem", body: #"{"TableName":"Orders","Key":{"customerId":{"X":"1"}}}"#)
        #expect(badValue.1.contains("SerializationException"))

        let unsigned = try await simulator.send(
            HTTPRequest(method: "POST", url: AWSSimulator.endpoint, headers: [("X-Amz-Target", "DynamoDB_20120810.ListTables")], body: Array("{}".utf8)))
        #expect(unsigned.status == 400)
        #expect(String(decoding: unsigned.body, as: UTF8.self).contains("MissingAuthenticationTokenException"))
    }

    @Test func stsRejectsUnknownActionsAndBadParameters() async throws {
        let credentials = try simulator.credentials(forFunction: "ordersFunction")
        let signer = SigV4Signer(credentials: credentials, region: "us-east-1", service: "sts")
        func send(_ form: String) async throws -> HTTPResponse {
            try await simulator.send(
                signer.sign(
                    HTTPRequest(
                        method: "POST", url: AWSSimulator.endpoint, headers: [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")],
                        body: Array(form.utf8)), at: clock.now))
        }
        let unknown = try await send("Action=DeleteEverything&Version=2011-06-15")
        #expect(unknown.status == 400)
        #expect(String(decoding: unknown.body, as: UTF8.self).contains("<Code>InvalidAction</Code>"))
        let badName = try await send("Action=AssumeRole&Version=2011-06-15&RoleArn=\(DefaultContent.dataRoleARN)&RoleSessionName=a%20b")
        #expect(badName.status == 400)
        #expect(String(decoding: badName.body, as: UTF8.self).contains("<Code>ValidationError</Code>"))
    }

    @Test func hostileBodiesNeverCrash() async throws {
        let credentials = try simulator.credentials(forFunction: "ordersFunction")
        let signer = SigV4Signer(credentials: credentials, region: "us-east-1", service: "dynamodb")
        let bodies = [
            "", "null", "[]", String(repeating: "[", count: 10_000), #"{"TableName":"Orders","KeyConditionExpression":"(((("}"#,
            #"{"TableName":"Orders","KeyConditionExpression":"\#(String(repeating: "(", count: 2000))a = :a\#(String(repeating: ")", count: 2000))","FilterExpression":"\#(String(repeating: "NOT ", count: 1000))a = :a","UpdateExpression":"SET a = \#(String(repeating: "if_not_exists(a, ", count: 500)):a"}"#,
            #"{"TableName":"Orders","KeyConditionExpression":"customerId = :c","ExpressionAttributeValues":{":c":{"M":{"a":{"M":{"b":{"L":[]}}}}}}}"#,
            #"{"TableName":"Orders","Key":{"customerId":{"N":"1e999999"},"orderId":{"S":""}}}"#,
        ]
        for body in bodies {
            for target in ["GetItem", "Query", "Scan", "UpdateItem", "PutItem"] {
                let request = signer.sign(
                    HTTPRequest(
                        method: "POST", url: AWSSimulator.endpoint,
                        headers: [("Content-Type", "application/x-amz-json-1.0"), ("X-Amz-Target", "DynamoDB_20120810.\(target)")], body: Array(body.utf8)),
                    at: clock.now)
                let response = try await simulator.send(request)
                #expect((400...499).contains(response.status), "\(target) \(body.prefix(40))")
            }
        }
    }
}
