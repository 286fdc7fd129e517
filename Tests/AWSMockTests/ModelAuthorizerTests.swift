// End-to-end against the real policy engine, through the step resolution (Sources/AWSMock/ModelAuthorizer.swift).
import AWSClient
import AWSMock
import Foundation
import Model
import Policy
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

    /// A simulated session's calls take a short cut (the session's keys converted and merged with the derived ones
    /// once); each must decide exactly as the same request given with its whole context at once.
    @Test func sessionCallsDecideAsTheWholeContextDoes() async throws {
        let model = try DefaultContent.load()
        let authorizer = ModelAuthorizer(model: model)
        let simulator = AWSSimulator(model: model, authorizer: authorizer)
        try simulator.put(["customerId": "c-1", "orderId": "o-1", "status": "SHIPPED"], inTable: "Orders")
        let aws = try simulator.configuration(forFunction: "ordersFunction")
        let dataRole = AssumedRoleCredentials(sts: STS(configuration: aws), roleARN: DefaultContent.dataRoleARN, sessionName: "orders-api")
        let viaRole = DynamoDB(configuration: aws.with(credentials: dataRole))
        _ = try await viaRole.getItem(table: DefaultContent.tableARN, key: ["customerId": "c-1", "orderId": "o-1"])
        _ = try await viaRole.listTables()
        let direct = DynamoDB(configuration: aws)
        _ = try await direct.getItem(table: DefaultContent.tableARN, key: ["customerId": "c-1", "orderId": "o-1"])
        _ = await awsError { try await direct.deleteItem(table: DefaultContent.tableARN, key: ["customerId": "c-1", "orderId": "o-1"]) }
        let log = simulator.requestLog
        #expect(log.count >= 5)
        #expect(log.contains { !authorizer.authorize($0).allowed })
        for request in log {
            let whole = AuthorizationRequest(
                principalARN: request.principalARN, action: request.action, resourceARN: request.resourceARN, context: request.context)
            #expect(authorizer.authorize(request) == authorizer.authorize(whole), "\(request.action) on \(request.resourceARN)")
            #expect(request == whole)
        }
    }

    /// Date and epoch conditions see the simulator's clock (the request time), not the fixed time `check` proves at.
    @Test func timeConditionsSeeTheSimulatorsClock() async throws {
        var model = try DefaultContent.load()
        let deny = #"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "dynamodb:GetItem", "Resource": "*", "Condition": {"NumericGreaterThan": {"aws:EpochTime": "1800000000"}}}]}"#
        let document = try #require(PolicyParser.parse(json: deny, file: "deny.json", kind: .identity).document)
        let index = try #require(model.roles.firstIndex { $0.key == "LambdaExecutionRole" })
        model.roles[index].policies.append(NamedPolicy(name: "DenyAfter2027", document: document, origin: .inline, location: .synthesized("test")))
        for (year, denied) in [(2026.0, false), (2030.0, true)] {
            let now = Date(timeIntervalSince1970: (year - 1970) * 365.25 * 86400)
            let simulator = AWSSimulator(model: model, authorizer: ModelAuthorizer(model: model), clock: { now })
            try simulator.put(["customerId": "c-1", "orderId": "o-1", "status": "SHIPPED"], inTable: "Orders")
            let direct = DynamoDB(configuration: try simulator.configuration(forFunction: "ordersFunction"))
            let error = await awsError { _ = try await direct.getItem(table: DefaultContent.tableARN, key: ["customerId": "c-1", "orderId": "o-1"]) }
            #expect((error?.summary == "400 AccessDeniedException") == denied, "year \(year)")
        }
    }
}
