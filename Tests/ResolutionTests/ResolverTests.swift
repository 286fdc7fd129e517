import Foundation
import Model
import Policy
import Resolution
import TestSupport
import Testing

@Suite struct ResolverTests {
    @Test func defaultContentChecksAsExpected() throws {
        let model = try ModelLoader.load(contentDirectory: DefaultContent.directory)
        let proof = Resolver.resolve(model)
        #expect(proof.ok)
        #expect(proof.findings.filter { $0.severity == .error }.isEmpty)
        let decisions = proof.options.map { ($0.id, $0.steps.map(\.decision)) }
        #expect(decisions.map(\.0) == ["trusted-role", "table-policy", "assume-role-code"])
        #expect(decisions[0].1 == [.allowed, .allowed, .implicitDeny])
        #expect(decisions[1].1 == [.allowed, .allowed, .allowed, .implicitDeny])
        #expect(decisions[2].1 == [.allowed, .allowed, .allowed, .allowed])
        // Every allowed step names the statements that grant it; cross-account steps name both sides.
        for step in proof.options.flatMap(\.steps) where step.decision == .allowed {
            #expect(!step.matched.isEmpty)
        }
        let assume = try #require(proof.option("trusted-role")?.steps.first)
        #expect(assume.callerARN == "arn:aws:sts::111111111111:assumed-role/LambdaExecutionRole/orders-api")
        #expect(assume.resourceARN == "arn:aws:iam::222222222222:role/DynamoDBAccessRole")
        #expect(Set(assume.matched.map(\.policy)) == ["AssumeDataRole", "trust policy of DynamoDBAccessRole"])
        let query = try #require(proof.option("table-policy")?.steps[1])
        #expect(query.resourceARN == "arn:aws:dynamodb:us-east-1:222222222222:table/Orders/index/ByStatus")
        #expect(query.matched.count == 2)
        let session = try #require(proof.option("trusted-role")?.steps[1])
        #expect(session.callerARN == "arn:aws:sts::222222222222:assumed-role/DynamoDBAccessRole/orders-api")
        let list = try #require(proof.option("assume-role-code")?.steps[3])
        #expect(list.resourceARN == "arn:aws:dynamodb:us-east-1:222222222222:table/*")
        let delete = try #require(proof.option("trusted-role")?.steps[2])
        #expect(delete.message == "User: arn:aws:sts::222222222222:assumed-role/DynamoDBAccessRole/orders-api is not authorized to perform: dynamodb:DeleteItem on resource: arn:aws:dynamodb:us-east-1:222222222222:table/Orders because no identity-based policy allows the dynamodb:DeleteItem action")
    }

    /// Breaks one piece and returns the failed steps' causes in words.
    func failures(_ edits: [String: [(String, String)]]) throws -> (ok: Bool, blames: [String], failed: [String]) {
        let content = try DefaultContent.copy(editing: edits)
        defer { content.remove() }
        let model = try content.load()
        let proof = Resolver.resolve(model)
        let failed = proof.options.flatMap(\.steps).filter { !$0.ok }
        return (proof.ok, failed.compactMap { CauseWording($0, model: model).sentence }, failed.map { "\($0.optionID)#\($0.number)" })
    }

    @Test func brokenTrustPolicyFailsNamingIt() throws {
        let result = try failures(["model.yml": [("Principal: { AWS: \"arn:aws:iam::111111111111:role/LambdaExecutionRole\" }", "Principal: { Service: ec2.amazonaws.com }")]])
        #expect(!result.ok)
        #expect(result.failed.contains("trusted-role#1") && result.failed.contains("assume-role-code#1"))
        #expect(result.blames.allSatisfy { $0.contains("trust policy of role DynamoDBAccessRole") })
    }

    @Test func stepsAfterADeniedAssumeRoleSayTheSessionDoesNotExist() throws {
        let content = try DefaultContent.copy(editing: ["model.yml": [("Principal: { AWS: \"arn:aws:iam::111111111111:role/LambdaExecutionRole\" }", "Principal: { Service: ec2.amazonaws.com }")]])
        defer { content.remove() }
        let model = try content.load()
        let proof = Resolver.resolve(model)
        let steps = try #require(proof.option("trusted-role")?.steps)
        #expect(steps[0].decision == .implicitDeny)
        #expect(steps[1].notes == [.sessionFromDeniedStep(role: "DynamoDBAccessRole", step: 1)])
        #expect(steps[1].notes.first?.text(model: model).hasPrefix("the session of DynamoDBAccessRole does not exist: step 1 (sts:AssumeRole) is denied") == true)
    }

    @Test func brokenAssumeDataRoleFailsNamingIt() throws {
        let result = try failures(["policies/a-assume-data-role.json": [("\"arn:aws:iam::222222222222:role/DynamoDBAccessRole\"", "\"arn:aws:iam::222222222222:role/SomethingElse*\"")]])
        #expect(!result.ok)
        // The later calls of the chain are never made: their session cannot be had.
        #expect(result.failed == ["trusted-role#1", "trusted-role#2", "assume-role-code#1", "assume-role-code#2", "assume-role-code#3", "assume-role-code#4"])
        #expect(result.blames.allSatisfy { $0.contains("AssumeDataRole") && $0.contains("sts:AssumeRole") })
    }

    @Test func brokenOrdersTableDirectFailsNamingIt() throws {
        let result = try failures(["policies/a-orders-table-direct.json": [("\"dynamodb:PutItem\",", "")]])
        #expect(!result.ok)
        #expect(result.failed == ["table-policy#3"])
        #expect(result.blames.first?.contains("OrdersTableDirect") == true)
    }

    @Test func brokenTablePolicyFailsNamingIt() throws {
        let result = try failures(["policies/b-orders-table-policy.json": [("arn:aws:iam::111111111111:role/LambdaExecutionRole", "arn:aws:iam::333333333333:role/LambdaExecutionRole")]])
        #expect(!result.ok)
        #expect(result.failed == ["table-policy#1", "table-policy#2", "table-policy#3"])
        #expect(result.blames.allSatisfy { $0.contains("resource-based policy of table Orders") })
    }

    @Test func missingListTablesFailsNamingIt() throws {
        let result = try failures(["model.yml": [("      ListTables:\n        Version: \"2012-10-17\"\n        Statement:\n          - Sid: ListTablesHasNoResourceLevelPermissions\n            Effect: Allow\n            Action: dynamodb:ListTables\n            Resource: \"*\"\n", "")]])
        #expect(!result.ok)
        #expect(result.failed == ["assume-role-code#4"])
        #expect(result.blames.first?.contains("role DynamoDBAccessRole") == true)
        #expect(result.blames.first?.contains("dynamodb:ListTables") == true)
    }

    @Test func explicitDenyIsReportedWithItsStatement() throws {
        let result = try failures(["policies/b-orders-table-policy.json": [("\"Statement\": [", "\"Statement\": [{\"Sid\": \"NoWrites\", \"Effect\": \"Deny\", \"Principal\": \"*\", \"Action\": \"dynamodb:PutItem\", \"Resource\": \"*\"},")]])
        #expect(result.failed == ["table-policy#3", "assume-role-code#3"])
        #expect(result.blames.allSatisfy { $0.contains("NoWrites") })
    }

    @Test func roleStepWithoutSessionUsesDefaultSessionName() throws {
        let content = try DefaultContent.copy(editing: ["model.yml": [("target: DynamoDBAccessRole, session: orders-api }\n      - { caller: DynamoDBAccessRole, action: dynamodb:GetItem", "target: DynamoDBAccessRole }\n      - { caller: DynamoDBAccessRole, action: dynamodb:GetItem")]])
        defer { content.remove() }
        let proof = Resolver.resolve(try content.load())
        #expect(proof.option("trusted-role")?.steps[1].callerARN == "arn:aws:sts::222222222222:assumed-role/DynamoDBAccessRole/\(Step.defaultSession)")
    }

    @Test func authorizeResolvesByARN() throws {
        let model = try ModelLoader.load(contentDirectory: DefaultContent.directory)
        func authorize(_ principal: String, _ action: String, _ resource: String) -> Evaluation {
            Authorization(model: model, principalARN: principal, resourceARN: resource).evaluate(action: action, context: RequestContext())
        }
        let function = "arn:aws:sts::111111111111:assumed-role/LambdaExecutionRole/orders-api"
        #expect(authorize(function, "sts:AssumeRole", "arn:aws:iam::222222222222:role/DynamoDBAccessRole").decision == .allowed)
        #expect(authorize(function, "dynamodb:Query", "arn:aws:dynamodb:us-east-1:222222222222:table/Orders/index/ByStatus").decision == .allowed)
        let delete = authorize(function, "dynamodb:DeleteItem", "arn:aws:dynamodb:us-east-1:222222222222:table/Orders")
        #expect(delete.decision == .implicitDeny)
        #expect(delete.message?.hasPrefix("User: \(function) is not authorized to perform: dynamodb:DeleteItem") == true)
        #expect(authorize("arn:aws:sts::333333333333:assumed-role/X/y", "sts:AssumeRole", "arn:aws:iam::222222222222:role/DynamoDBAccessRole").decision == .implicitDeny)
        #expect(authorize("lambda.amazonaws.com", "sts:AssumeRole", "arn:aws:iam::111111111111:role/LambdaExecutionRole").decision == .allowed)
    }

    /// The ARN-level entry the mock uses and the step resolution agree on every step of the default content.
    @Test func authorizationAgreesWithEveryStep() throws {
        let model = try ModelLoader.load(contentDirectory: DefaultContent.directory)
        for step in Resolver.resolve(model).options.flatMap(\.steps) {
            var context = RequestContext()
            if step.step.isAssumeRole {
                context = TypedContext.context(["sts:RoleSessionName": [step.step.session ?? Step.defaultSession]])
            }
            let evaluation = Authorization(model: model, principalARN: step.callerARN, resourceARN: step.resourceARN)
                .evaluate(action: step.action, context: context)
            #expect(evaluation.decision == step.decision, "\(step.optionID)#\(step.number)")
            #expect(evaluation.message == step.message, "\(step.optionID)#\(step.number)")
        }
    }

    @Test func findingsUseTheModelAsKnowledge() throws {
        let content = try DefaultContent.copy(editing: ["policies/a-orders-table-direct.json": [("table/Orders\",", "table/Order\","), ("\"dynamodb:Query\"", "\"dynamodb:Querry*\"")]])
        defer { content.remove() }
        let proof = Resolver.resolve(try content.load())
        let codes = Set(proof.findings.compactMap(\.code))
        #expect(codes.isSuperset(of: ["TF-WRN-003", "TF-ERR-003"]))
        #expect(!proof.ok)
    }
}
