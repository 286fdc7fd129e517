// End-to-end against the real policy engine (Sources/AWSMock/ModelAuthorizer.swift over Prover.authorize).
import AWSClient
import AWSMock
import Testing

@Suite struct ModelAuthorizerTests {
    @Test func theDefaultContentBehavesAsTheGuideSays() async throws {
        let model = try DefaultContent.load()
        let simulator = AWSSimulator(model: model, authorizer: ModelAuthorizer(model: model))
        try simulator.put(["customerId": "c-1", "orderId": "o-1", "status": "SHIPPED"], inTable: "Orders")
        let aws = try simulator.configuration(forFunction: "ordersFunction")
        let dataRole = AssumedRoleCredentials(sts: STS(configuration: aws), roleARN: DefaultContent.dataRoleARN, sessionName: "orders-api")
        let viaRole = DynamoDB(configuration: aws.with(credentials: dataRole))
        #expect(try await viaRole.getItem(table: DefaultContent.tableARN, key: ["customerId": "c-1", "orderId": "o-1"]) != nil)
        #expect(try await viaRole.listTables().tableNames == ["Orders"])
        let direct = DynamoDB(configuration: aws)
        #expect(try await direct.getItem(table: DefaultContent.tableARN, key: ["customerId": "c-1", "orderId": "o-1"]) != nil)
        let denied = await awsError { try await direct.deleteItem(table: DefaultContent.tableARN, key: ["customerId": "c-1", "orderId": "o-1"]) }
        #expect(denied?.summary == "400 AccessDeniedException")
    }
}
