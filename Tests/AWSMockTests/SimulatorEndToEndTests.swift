import AWSClient
import AWSMock
import Foundation
import Model
import Policy
import Testing

@Suite struct SimulatorEndToEndTests {
    let model: Model
    let clock = ManualClock()
    let simulator: AWSSimulator

    init() throws {
        // The default content, with B's role also allowed the operations these wire tests exercise (UpdateItem, Scan,
        // DescribeTable): the real engine decides every call.
        var model = try DefaultContent.load()
        let role = try #require(model.roles.firstIndex { $0.key == "DynamoDBAccessRole" })
        let extra = try #require(PolicyParser.parse(json: """
            {"Version": "2012-10-17", "Statement": [{"Sid": "WireTests", "Effect": "Allow",
             "Action": ["dynamodb:UpdateItem", "dynamodb:Scan", "dynamodb:DescribeTable"],
             "Resource": ["\(DefaultContent.tableARN)", "\(DefaultContent.tableARN)/index/*"]}]}
            """, file: "wire-tests.json", kind: .identity).document)
        model.roles[role].policies.append(NamedPolicy(name: "WireTests", document: extra, origin: .inline, location: .synthesized("test")))
        self.model = model
        let clock = self.clock
        simulator = AWSSimulator(model: model, authorizer: ModelAuthorizer(model: model), clock: { clock.now })
        try simulator.put(["customerId": "c-1", "orderId": "o-1", "status": "SHIPPED", "total": .n("12.5")], inTable: "Orders")
        try simulator.put(["customerId": "c-1", "orderId": "o-2", "status": "PENDING"], inTable: "Orders")
        try simulator.put(["customerId": "c-2", "orderId": "o-3", "status": "SHIPPED"], inTable: "Orders")
    }

    @Test func theFunctionRunsAsItsExecutionRoleSession() async throws {
        let aws = try simulator.configuration(forFunction: "ordersFunction")
        let identity = try await STS(configuration: aws).getCallerIdentity()
        #expect(identity.arn == DefaultContent.functionSession)
        #expect(identity.account == "111111111111")
    }

    @Test func theStandardEnvironmentReachesTheSimulator() async throws {
        let environment = try simulator.environment(forFunction: "ordersFunction")
        #expect(environment["AWS_REGION"] == "us-east-1")
        #expect(environment["AWS_SESSION_TOKEN"]?.isEmpty == false)
        var aws = try AWSConfiguration.fromEnvironment(environment, transport: simulator)
        aws.clock = { clock.now }  // the simulator runs on the test's clock
        #expect(try await STS(configuration: aws).getCallerIdentity().arn == DefaultContent.functionSession)
    }

    @Test func assumeRoleThenReadAndWriteTheTableAndQueryTheIndex() async throws {
        let aws = try simulator.configuration(forFunction: "ordersFunction")
        let dataRole = AssumedRoleCredentials(
            sts: STS(configuration: aws), roleARN: DefaultContent.dataRoleARN, sessionName: "orders-api", clock: { clock.now })
        let session = try await dataRole.session()
        #expect(session.assumedRoleARN == "arn:aws:sts::222222222222:assumed-role/DynamoDBAccessRole/orders-api")
        #expect(session.credentials.expiration == clock.now.addingTimeInterval(3600))

        let dynamoDB = DynamoDB(configuration: aws.with(credentials: dataRole))
        let item = try await dynamoDB.getItem(table: DefaultContent.tableARN, key: ["customerId": "c-1", "orderId": "o-1"])
        #expect(item?["total"] == .n("12.5"))

        try await dynamoDB.putItem(table: DefaultContent.tableARN, item: ["customerId": "c-3", "orderId": "o-9", "status": "SHIPPED"])
        let shipped = try await dynamoDB.query(
            table: DefaultContent.tableARN, index: "ByStatus", keyCondition: "#s = :s", names: ["#s": "status"], values: [":s": "SHIPPED"])
        #expect(shipped.items.map { $0["orderId"] } == [.s("o-1"), .s("o-3"), .s("o-9")])

        // B's role works in B: the bare name means B's own table, and ListTables lists B's tables.
        let byName = try await dynamoDB.query(table: "Orders", keyCondition: "customerId = :c AND begins_with(orderId, :p)", values: [":c": "c-1", ":p": "o-"])
        #expect(byName.count == 2)
        #expect(try await dynamoDB.listTables().tableNames == ["Orders"])

        let described = try await dynamoDB.describeTable(table: "Orders")
        #expect(described.tableARN == DefaultContent.tableARN)
        #expect(described.keySchema.map(\.attributeName) == ["customerId", "orderId"])
        #expect(described.globalSecondaryIndexes.map(\.name) == ["ByStatus"])

        // What the authorizer was asked: the session, the action, the index ARN.
        let query = try #require(simulator.requestLog.first { $0.action == "dynamodb:Query" })
        #expect(query.principalARN == "arn:aws:sts::222222222222:assumed-role/DynamoDBAccessRole/orders-api")
        #expect(query.resourceARN == DefaultContent.tableARN + "/index/ByStatus")
        // The principal's keys are not the simulator's to invent: the resolution derives them, as for `check`.
        #expect(query.context["aws:PrincipalArn"] == nil)
        #expect(query.context["aws:CurrentTime"] != nil)
        let assume = try #require(simulator.requestLog.first { $0.action == "sts:AssumeRole" })
        #expect(assume.principalARN == DefaultContent.functionSession)
        #expect(assume.resourceARN == DefaultContent.dataRoleARN)
    }

    @Test func directAccessNeedsTheTableARN() async throws {
        let dynamoDB = DynamoDB(configuration: try simulator.configuration(forFunction: "ordersFunction"))
        let item = try await dynamoDB.getItem(table: DefaultContent.tableARN, key: ["customerId": "c-2", "orderId": "o-3"])
        #expect(item?["status"] == .s("SHIPPED"))
        // A bare name from A means a table in A: there is none.
        let error = await awsError { _ = try await dynamoDB.getItem(table: "Orders", key: ["customerId": "c-2", "orderId": "o-3"]) }
        #expect(error?.summary == "400 AccessDeniedException")
        #expect(error?.message.contains("on resource: arn:aws:dynamodb:us-east-1:111111111111:table/Orders ") == true)
        // ListTables in A lists A's tables, not B's (and A has no permission for it here).
        let list = await awsError { _ = try await dynamoDB.listTables() }
        #expect(list?.code == "AccessDeniedException")
    }

    @Test func deniedCallsComeBackAsAWSSendsThem() async throws {
        let aws = try simulator.configuration(forFunction: "ordersFunction")
        let dynamoDB = DynamoDB(configuration: aws)
        let denied = await awsError { try await dynamoDB.deleteItem(table: DefaultContent.tableARN, key: ["customerId": "c-1", "orderId": "o-1"]) }
        #expect(denied?.summary == "400 AccessDeniedException")
        #expect(
            denied?.message
                == "User: \(DefaultContent.functionSession) is not authorized to perform: dynamodb:DeleteItem on resource: \(DefaultContent.tableARN) because no identity-based policy allows the dynamodb:DeleteItem action"
        )
        #expect(denied?.requestID?.isEmpty == false)
        #expect(simulator.items(inTable: "Orders").count == 3, "a denied delete deletes nothing")

        let sts = STS(configuration: aws)
        let assume = await awsError { _ = try await sts.assumeRole(roleARN: "arn:aws:iam::222222222222:role/SomethingElse", sessionName: "x1") }
        #expect(assume?.summary == "403 AccessDenied")
        #expect(assume?.message.hasPrefix("User: \(DefaultContent.functionSession) is not authorized to perform: sts:AssumeRole") == true)
    }

    @Test func roleChainingIsCappedAtOneHour() async throws {
        let sts = STS(configuration: try simulator.configuration(forFunction: "ordersFunction"))
        let error = await awsError { _ = try await sts.assumeRole(roleARN: DefaultContent.dataRoleARN, sessionName: "orders-api", durationSeconds: 7200) }
        #expect(error?.summary == "400 ValidationError")
        #expect(error?.message.contains("role chaining") == true)
        let short = try await sts.assumeRole(roleARN: DefaultContent.dataRoleARN, sessionName: "orders-api", durationSeconds: 900)
        #expect(short.credentials.expiration == clock.now.addingTimeInterval(900))
    }

    @Test func expiredSessionsAreRejectedAndTheProviderRefreshes() async throws {
        let aws = try simulator.configuration(forFunction: "ordersFunction")
        let sts = STS(configuration: aws)
        let session = try await sts.assumeRole(roleARN: DefaultContent.dataRoleARN, sessionName: "orders-api", durationSeconds: 900)
        let stale = DynamoDB(configuration: aws.with(credentials: session.credentials))
        clock.advance(901)
        let error = await awsError { _ = try await stale.getItem(table: DefaultContent.tableARN, key: ["customerId": "c-1", "orderId": "o-1"]) }
        #expect(error?.summary == "400 ExpiredTokenException")
        #expect(error?.message == "The security token included in the request is expired")

        // The caching provider renews before expiry, so the same code keeps working across the hour.
        let provider = AssumedRoleCredentials(sts: sts, roleARN: DefaultContent.dataRoleARN, sessionName: "orders-api", clock: { clock.now })
        let dynamoDB = DynamoDB(configuration: aws.with(credentials: provider))
        _ = try await dynamoDB.getItem(table: DefaultContent.tableARN, key: ["customerId": "c-1", "orderId": "o-1"])
        clock.advance(3500)
        _ = try await dynamoDB.getItem(table: DefaultContent.tableARN, key: ["customerId": "c-1", "orderId": "o-1"])
        #expect(simulator.requestLog.filter { $0.action == "sts:AssumeRole" }.count == 3)
    }

    @Test func updateConditionScanAndDelete() async throws {
        let aws = try simulator.configuration(forFunction: "ordersFunction")
        let role = AssumedRoleCredentials(sts: STS(configuration: aws), roleARN: DefaultContent.dataRoleARN, sessionName: "orders-api", clock: { clock.now })
        let dynamoDB = DynamoDB(configuration: aws.with(credentials: role))
        let key: Item = ["customerId": "c-1", "orderId": "o-1"]
        let updated = try await dynamoDB.updateItem(
            table: "Orders", key: key, update: "SET #s = :s, #t = #t + :d REMOVE note", condition: "attribute_exists(customerId)",
            names: ["#s": "status", "#t": "total"], values: [":s": "DELIVERED", ":d": .n("0.5")], returnValues: .allNew)
        #expect(updated?["status"] == .s("DELIVERED"))
        #expect(updated?["total"] == .n("13"))

        let conflict = await awsError {
            try await dynamoDB.putItem(table: "Orders", item: ["customerId": "c-1", "orderId": "o-1"], condition: "attribute_not_exists(orderId)")
        }
        #expect(conflict?.summary == "400 ConditionalCheckFailedException")

        let page = try await dynamoDB.scan(table: "Orders", filter: "#s = :s", names: ["#s": "status"], values: [":s": "SHIPPED"], limit: 2)
        #expect(page.scannedCount == 2)
        #expect(page.lastEvaluatedKey != nil)
        let rest = try await dynamoDB.scan(table: "Orders", filter: "#s = :s", names: ["#s": "status"], values: [":s": "SHIPPED"], startKey: page.lastEvaluatedKey)
        #expect(page.items.count + rest.items.count == 1)

        // The data role may not delete (least privilege in the content).
        let delete = await awsError { try await dynamoDB.deleteItem(table: "Orders", key: key) }
        #expect(delete?.code == "AccessDeniedException")
    }
}
