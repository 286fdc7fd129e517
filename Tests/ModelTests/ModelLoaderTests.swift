import Foundation
import Model
import TestSupport
import Policy
import Testing

@Suite struct ModelLoaderTests {
    @Test func loadsAValidModelAndDerivesARNs() throws {
        let content = try TemporaryContent(model: validModel)
        defer { content.remove() }
        let model = try content.load()
        #expect(model.accounts.map(\.key) == ["A", "B"])
        #expect(model.role("Data")?.arn == "arn:aws:iam::222222222222:role/app/Data")
        #expect(model.role("Exec")?.arn == "arn:aws:iam::111111111111:role/Exec")
        #expect(model.function("fn")?.arn == "arn:aws:lambda:us-east-1:111111111111:function:fn")
        #expect(model.function("fn")?.sessionARN == "arn:aws:sts::111111111111:assumed-role/Exec/fn")
        #expect(model.table("T1")?.arn == "arn:aws:dynamodb:us-east-1:222222222222:table/Things")
        #expect(model.table("T1")?.indexARN("ByKind") == "arn:aws:dynamodb:us-east-1:222222222222:table/Things/index/ByKind")
        #expect(model.table("T1")?.partitionKey == "pk")
        #expect(model.role("Data")?.sessionARN(accountID: "222222222222", session: "s1") == "arn:aws:sts::222222222222:assumed-role/Data/s1")
        let steps = model.options[0].steps
        #expect(steps[0].caller == .function("fn"))
        #expect(steps[1].caller == .role("Data"))
        #expect(steps[1].target == .table("T1"))
        #expect(steps[1].expect == .allowed)
    }

    @Test func loadsTheDefaultContent() throws {
        let content = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../content").standardized.path
        let model = try ModelLoader.load(contentDirectory: content)
        #expect(model.options.count == 3)
        #expect(model.table("Orders")?.policy != nil)
        #expect(model.role("DynamoDBAccessRole")?.trust.document.statements.first?.sid == "TrustLambdaExecutionRoleInA")
    }

    @Test func policiesFromFilesCarryTheirLocation() throws {
        let model = validModel.replacingOccurrences(
            of: "    policies:\n      Assume:\n        Version: \"2012-10-17\"\n        Statement: { Effect: Allow, Action: sts:AssumeRole, Resource: \"arn:aws:iam::222222222222:role/Data\" }",
            with: "    policies:\n      Assume: policies/assume.json")
        let content = try TemporaryContent(model: model, files: ["policies/assume.json": """
            {
              "Version": "2012-10-17",
              "Statement": [{ "Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "arn:aws:iam::222222222222:role/app/Data" }]
            }
            """])
        defer { content.remove() }
        let loaded = try content.load()
        let policy = try #require(loaded.role("Exec")?.policies.first)
        #expect(policy.origin == .file("policies/assume.json"))
        #expect(policy.document.statements[0].location.line == 3)
        #expect(policy.document.statements[0].location.file.hasSuffix("policies/assume.json"))
    }

    @Test func reportsEveryProblemAtOnceWithLocations() throws {
        let broken = validModel
            .replacingOccurrences(of: "id: \"111111111111\"", with: "id: \"1111\"")
            .replacingOccurrences(of: "bestFor: tests", with: "bestFor: tests\n    bestfor: typo")
        let content = try TemporaryContent(model: broken)
        defer { content.remove() }
        let errors = content.errors()
        #expect(errors.contains("model.yml:4:12: error: account 'A': id \"1111\" is not 12 digits"))
        #expect(errors.contains { $0.hasPrefix("model.yml:31:5: error: unknown key 'bestfor' in an option; did you mean 'bestFor'?") })
        #expect(errors.count == 2)
    }

    /// A step's `context:` takes IAM condition keys (with their colon and slashes), typed as the engine reads them.
    @Test func stepContextTakesConditionKeys() throws {
        let yaml = validModel.replacingOccurrences(
            of: "- { caller: Data, action: dynamodb:Query, target: T1, index: ByKind }",
            with: "- { caller: Data, action: dynamodb:Query, target: T1, index: ByKind, context: { aws:SourceVpce: vpce-1a2b, aws:PrincipalTag/team: [a, b] } }")
        let content = try TemporaryContent(model: yaml)
        defer { content.remove() }
        let step = try #require(try content.load().options.first?.steps.last)
        #expect(step.context == ["aws:SourceVpce": ["vpce-1a2b"], "aws:PrincipalTag/team": ["a", "b"]])

        let bad = try TemporaryContent(model: validModel.replacingOccurrences(
            of: "target: T1, index: ByKind }", with: "target: T1, index: ByKind, context: { SourceVpce: x } }"))
        defer { bad.remove() }
        #expect(bad.errors().contains { $0.contains("context key 'SourceVpce' must be a condition key") })
    }

    /// An index may declare its key attributes; the plain name keeps loading as before.
    @Test func indexesDeclareTheirKeysOrAreNames() throws {
        let content = try TemporaryContent(model: validModel.replacingOccurrences(
            of: "T1: { account: B, name: Things, indexes: [ByKind] }",
            with: "T1: { account: B, name: Things, indexes: [ByKind, { name: ByOwner, partitionKey: owner, sortKey: createdAt }] }"))
        defer { content.remove() }
        let table = try #require(try content.load().tables.first)
        #expect(table.indexes == ["ByKind", "ByOwner"])
        #expect(table.indexKey("ByKind") == nil)
        #expect(table.indexKey("ByOwner") == TableIndex(name: "ByOwner", partitionKey: "owner", sortKey: "createdAt"))

        let bad = try TemporaryContent(model: validModel.replacingOccurrences(
            of: "indexes: [ByKind]", with: "indexes: [{ name: ByOwner, sortkey: x }]"))
        defer { bad.remove() }
        let errors = bad.errors()
        #expect(errors.contains { $0.contains("unknown key 'sortkey' in an index of table 'T1'; did you mean 'sortKey'?") })
        #expect(errors.contains { $0.contains("index 'ByOwner' needs 'partitionKey'") })
    }
}
