// End-to-end against the real policy engine, through the step resolution (Sources/AWSMock/ModelAuthorizer.swift).
import AWSClient
import AWSMock
import Foundation
import Model
import Policy
import Resolution
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

    /// A DynamoDB call's own keys are made only when an authorizer reads them; read, they are the keys of that call
    /// (its partition key, its Select, the time it arrived), the same on every read.
    @Test func aCallsKeysAreItsOwnWhenRead() async throws {
        let model = try DefaultContent.load()
        let now = Date(timeIntervalSince1970: 1_767_225_600)
        let simulator = AWSSimulator(model: model, authorizer: ModelAuthorizer(model: model), clock: { now })
        try simulator.put(["customerId": "c-1", "orderId": "o-1", "status": "SHIPPED"], inTable: "Orders")
        try simulator.put(["customerId": "c-2", "orderId": "o-1", "status": "NEW"], inTable: "Orders")
        let direct = DynamoDB(configuration: try simulator.configuration(forFunction: "ordersFunction"))
        _ = try await direct.getItem(table: DefaultContent.tableARN, key: ["customerId": "c-1", "orderId": "o-1"])
        _ = try await direct.getItem(table: DefaultContent.tableARN, key: ["customerId": "c-2", "orderId": "o-1"], projection: "#s", names: ["#s": "status"])
        let calls = simulator.requestLog.filter { $0.action == "dynamodb:GetItem" }
        try #require(calls.count == 2)
        #expect(calls[0].context["dynamodb:LeadingKeys"] == ["c-1"])
        #expect(calls[0].context["dynamodb:Select"] == ["ALL_ATTRIBUTES"])
        #expect(calls[0].context["dynamodb:Attributes"] == nil)
        #expect(calls[1].context["dynamodb:LeadingKeys"] == ["c-2"])
        #expect(calls[1].context["dynamodb:Select"] == ["SPECIFIC_ATTRIBUTES"])
        #expect(calls[1].context["dynamodb:Attributes"] == ["customerId", "orderId", "status"])
        for call in calls {
            #expect(call.context["aws:EpochTime"] == ["1767225600"])
            #expect(call.context["aws:CurrentTime"] == ["2026-01-01T00:00:00Z"])
            #expect(call.context == call.context)
        }
    }

    /// The mock asks the engine for the decision alone (no matched statements, no denial text) and evaluates in full
    /// only what it denies: for every caller, resource, action and context, the decision must be the evaluation's.
    @Test func theDecisionAloneIsTheEvaluationsDecision() throws {
        var model = try DefaultContent.load()
        // A condition on a key the calls below set or leave out, so that contexts change some decisions.
        let conditional = #"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "dynamodb:GetItem", "Resource": "*", "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-1"}}}]}"#
        let document = try #require(PolicyParser.parse(json: conditional, file: "deny.json", kind: .identity).document)
        let index = try #require(model.roles.firstIndex { $0.key == "LambdaExecutionRole" })
        model.roles[index].policies.append(NamedPolicy(name: "DenyFromVpce", document: document, origin: .inline, location: .synthesized("test")))
        let principals = [
            DefaultContent.functionSession, "arn:aws:sts::222222222222:assumed-role/DynamoDBAccessRole/orders-api",
            "arn:aws:sts::333333333333:assumed-role/Stranger/s", "arn:aws:iam::111111111111:root",
        ]
        let resources = [DefaultContent.tableARN, DefaultContent.tableARN + "/index/byStatus", "arn:aws:dynamodb:us-east-1:222222222222:table/Other"]
        let actions = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:Query", "dynamodb:ListTables"]
        let contexts: [[String: ContextValue]] = [[:], ["aws:SourceVpce": ContextValue("vpce-1")], ["aws:SourceVpce": ContextValue("vpce-2")]]
        var allowed = 0, denied = 0
        for principal in principals {
            for resource in resources {
                let authorization = Authorization(model: model, principalARN: principal, resourceARN: resource)
                for action in actions {
                    for entries in contexts {
                        var context = RequestContext()
                        for (key, value) in entries { context[key] = value }
                        let evaluation = authorization.evaluate(action: action, context: context)
                        #expect(authorization.decide(action: action, context: context) == evaluation.decision, "\(principal) \(action) \(resource)")
                        let derived = authorization.derivedContext(with: context)
                        #expect(
                            authorization.decide(action: action, derivedContext: derived)
                                == authorization.evaluate(action: action, derivedContext: derived).decision, "\(principal) \(action) \(resource)")
                        if evaluation.decision == .allowed { allowed += 1 } else { denied += 1 }
                    }
                }
            }
        }
        // Both outcomes occur, so the comparison covers each.
        #expect(allowed > 0 && denied > 0)
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
