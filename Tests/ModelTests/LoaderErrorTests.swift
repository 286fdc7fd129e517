import Foundation
import Model
import TestSupport
import Policy
import Testing

/// Every kind of bad input the foundation issue lists gets a `path:line:column: error:` message.
@Suite struct LoaderErrorTests {
    /// Loads `model` (a modified `validModel`) and returns its error lines.
    func errors(_ model: String, files: [String: String] = [:]) throws -> [String] {
        let content = try TemporaryContent(model: model, files: files)
        defer { content.remove() }
        return content.errors()
    }

    func replacing(_ old: String, _ new: String) -> String {
        precondition(validModel.contains(old), "fixture text not found: \(old)")
        return validModel.replacingOccurrences(of: old, with: new)
    }

    @Test func yamlSyntaxError() throws {
        let errors = try errors(replacing("title: Test", "title: [unclosed"))
        #expect(errors.count == 1, "\(errors)")
        #expect(errors[0].hasPrefix("model.yml:2:"))
        #expect(errors[0].contains("error: invalid YAML"))
    }

    @Test func tabIndentationIsReportedAtTheTab() throws {
        #expect(try errors(replacing("  A: {", "\tA: {")) == ["model.yml:4:1: error: tabs cannot indent YAML"])
        // After spaces, in front of a nested key.
        #expect(try errors(replacing("    account: B\n    path: /app/", "    account: B\n  \t  path: /app/")) == ["model.yml:18:3: error: tabs cannot indent YAML"])
    }

    @Test func everyIndentingTabIsReportedWithTheModelsOtherProblems() throws {
        // Read as one space each, these tabs indent consistently: the rest of the model is checked too.
        let model = replacing("\n  A: {", "\n\tA: {").replacingOccurrences(of: "\n  B: {", with: "\n\tB: {")
            .replacingOccurrences(of: "region: us-east-1", with: "region: useast1")
        #expect(try errors(model) == [
            "model.yml:2:9: error: 'region' must look like 'us-east-1', found \"useast1\"",
            "model.yml:4:1: error: tabs cannot indent YAML",
            "model.yml:5:1: error: tabs cannot indent YAML",
        ])
    }

    @Test func tabsInsideFlowCollectionsAndAfterAKeyAreSpaces() throws {
        let model = replacing("fn: { account: A, role: Exec }", "fn: {\taccount:\tA,\n\trole: Exec }")
        #expect(try errors(model) == [])
    }

    @Test func policyFileThatIsNotUTF8IsReportedAtThatFile() throws {
        let model = replacing("      Assume:\n        Version: \"2012-10-17\"\n        Statement: { Effect: Allow, Action: sts:AssumeRole, Resource: \"arn:aws:iam::222222222222:role/Data\" }", "      Assume: policies/x.json")
        let content = try TemporaryContent(model: model)
        defer { content.remove() }
        // Latin-1 "é" (0xE9) on line 2, after 25 characters.
        let bytes = Array("{\"Version\": \"2012-10-17\",\n\"Statement\": {\"Sid\": \"caf".utf8) + [0xE9] + Array("\", \"Effect\": \"Allow\", \"Action\": \"sts:AssumeRole\", \"Resource\": \"*\"}}".utf8)
        try FileManager.default.createDirectory(atPath: content.directory + "/policies", withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: content.directory + "/policies/x.json", contents: Data(bytes)))
        #expect(content.errors() == [
            "policies/x.json:1:1: error: policy file 'policies/x.json' is not UTF-8 text: its first invalid byte is 0xE9 at offset 51 (line 2, column 26); save it as UTF-8"
        ])
    }

    @Test func modelFileThatIsNotUTF8SaysWhere() throws {
        let content = try TemporaryContent(model: "")
        defer { content.remove() }
        #expect(FileManager.default.createFile(atPath: content.directory + "/model.yml", contents: Data(Array("title: T\nx: ".utf8) + [0xC0, 0xAF])))
        #expect(content.errors() == ["model.yml:1:1: error: the model file is not UTF-8 text: its first invalid byte is 0xC0 at offset 12 (line 2, column 4); save it as UTF-8"])
    }

    @Test func unknownKeysWithDidYouMean() throws {
        let errors = try errors(replacing("    account: A\n    trust:", "    acount: A\n    account: A\n    trust:"))
        #expect(errors == ["model.yml:8:5: error: unknown key 'acount' in role 'Exec'; did you mean 'account'?"])
    }

    @Test func unknownTopLevelKey() throws {
        let errors = try errors(replacing("region: us-east-1", "region: us-east-1\nregoin: x"))
        #expect(errors == ["model.yml:3:1: error: unknown key 'regoin' in the model; did you mean 'region'?"])
    }

    @Test(arguments: ["\"1234\"", "\"11111111111a\"", "\"1111111111111\""])
    func accountIDMustBeTwelveDigits(id: String) throws {
        let errors = try errors(replacing("id: \"111111111111\"", "id: \(id)"))
        #expect(errors.count == 1, "\(errors)")
        #expect(errors[0].hasPrefix("model.yml:4:12: error: account 'A': id"))
        #expect(errors[0].hasSuffix("is not 12 digits"))
    }

    @Test func unknownReferences() throws {
        let model = replacing("  fn: { account: A, role: Exec }", "  fn: { account: C, role: Exek }")
            .replacingOccurrences(of: "T1: { account: B, name: Things", with: "T1: { account: Bee, name: Things")
        let errors = try errors(model)
        #expect(errors.contains("model.yml:23:18: error: function 'fn': unknown account 'C'; did you mean 'A'?"))
        #expect(errors.contains("model.yml:23:27: error: function 'fn': unknown role 'Exek'; did you mean 'Exec'?"))
        #expect(errors.contains("model.yml:25:18: error: table 'T1': unknown account 'Bee'; did you mean 'B'?"))
    }

    @Test func unknownIndexAndTargets() throws {
        let errors = try errors(replacing("target: T1, index: ByKind", "target: T2, index: ByKnd"))
        #expect(errors.contains { $0.hasPrefix("model.yml:33:") && $0.contains("the target of dynamodb:Query must be a table key, found 'T2'; did you mean 'T1'?") })
        let indexErrors = try self.errors(replacing("index: ByKind }", "index: ByKnd }"))
        #expect(indexErrors.count == 1)
        #expect(indexErrors[0].contains("table 'T1' has no index 'ByKnd'; did you mean 'ByKind'?"))
    }

    @Test func functionRoleInAnotherAccount() throws {
        let errors = try errors(replacing("fn: { account: A, role: Exec }", "fn: { account: A, role: Data }"))
        #expect(errors.count == 1, "\(errors)")
        #expect(errors[0].hasPrefix("model.yml:23:27: error: function 'fn': its execution role 'Data' lives in account 'B'"))
    }

    @Test func callerRoleNotAssumedEarlier() throws {
        let errors = try errors(replacing("      - { caller: fn, action: sts:AssumeRole, target: Data, session: s1 }\n", ""))
        #expect(errors == ["model.yml:32:19: error: option 'one': caller 'Data' is a role that no earlier sts:AssumeRole step of this option assumed; add that step first, or call as a function"])
    }

    @Test func escapingAndUnreadablePolicyPaths() throws {
        let model = replacing("    policies:\n      Assume:\n        Version: \"2012-10-17\"\n        Statement: { Effect: Allow, Action: sts:AssumeRole, Resource: \"arn:aws:iam::222222222222:role/Data\" }",
                              "    policies:\n      Up: ../outside.json\n      Abs: /etc/passwd.json\n      Missing: policies/none.json\n      Text: policies/notes.txt")
        let errors = try errors(model)
        #expect(errors.contains("model.yml:13:11: error: policy path '../outside.json' leaves the content folder; keep policy files inside it"))
        #expect(errors.contains("model.yml:14:12: error: policy path '/etc/passwd.json' must be relative to the content folder"))
        #expect(errors.contains { $0.hasPrefix("model.yml:15:16: error: cannot read policy file 'policies/none.json'") })
        #expect(errors.contains("model.yml:16:13: error: policy path 'policies/notes.txt' must name a .json file (or write the policy inline)"))
        #expect(errors.count == 4)
    }

    @Test func symbolicLinkOutOfTheContentFolderIsRefused() throws {
        let outside = NSTemporaryDirectory() + "trustflow-outside-\(UUID().uuidString).json"
        try "{}".write(toFile: outside, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: outside) }
        let content = try TemporaryContent(model: replacing("      Assume:\n        Version: \"2012-10-17\"\n        Statement: { Effect: Allow, Action: sts:AssumeRole, Resource: \"arn:aws:iam::222222222222:role/Data\" }", "      Assume: link.json"))
        defer { content.remove() }
        try FileManager.default.createSymbolicLink(atPath: content.directory + "/link.json", withDestinationPath: outside)
        #expect(content.errors() == ["model.yml:13:15: error: policy path 'link.json' resolves outside the content folder (through a symbolic link)"])
    }

    @Test func duplicateKeys() throws {
        let errors = try errors(replacing("  B: { id: \"222222222222\"", "  A: { id: \"333333333333\" }\n  B: { id: \"222222222222\""))
        #expect(errors.count == 1, "\(errors)")
        #expect(errors[0].contains("error: duplicate key 'A' in one mapping"))
    }

    @Test func policyGrammarErrorsInModelAndFile() throws {
        let model = replacing("Statement: { Effect: Allow, Principal: { Service: lambda.amazonaws.com }, Action: sts:AssumeRole }",
                              "Statement: { Effect: Permit, Principal: { Service: lambda.amazonaws.com } }")
            .replacingOccurrences(of: "Statement: { Effect: Allow, Action: sts:AssumeRole, Resource: \"arn:aws:iam::222222222222:role/Data\" }",
                                  with: "Statement: { Effect: Allow, Principal: \"*\", Action: sts:AssumeRole, Resource: \"arn:aws:iam::222222222222:role/Data\" }")
        let errors = try errors(model)
        #expect(errors.contains("model.yml:11:28: error: 'Effect' must be \"Allow\" or \"Deny\", found \"Permit\""))
        #expect(errors.contains("model.yml:11:18: error: a statement needs an 'Action' (or 'NotAction')"))
        #expect(errors.contains("model.yml:15:48: error: 'Principal' is not allowed in an identity-based policy: the principal is whoever the policy is attached to"))
        #expect(errors.count == 3, "\(errors)")
    }

    @Test func policyFileErrorsPointIntoTheFile() throws {
        let model = replacing("      Assume:\n        Version: \"2012-10-17\"\n        Statement: { Effect: Allow, Action: sts:AssumeRole, Resource: \"arn:aws:iam::222222222222:role/Data\" }", "      Assume: p.json")
        let errors = try errors(model, files: ["p.json": "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"sts:AssumeRole\", \"Resource\": \"not-an-arn\",\n  \"Condition\": {\"StringEqualz\": {\"aws:PrincipalOrgID\": \"o-1\"}}}]\n}\n"])
        #expect(errors.contains("p.json:3:77: error: resource \"not-an-arn\" is not an ARN: expected \"arn:partition:service:region:account:resource\" or \"*\""))
        #expect(errors.contains("p.json:4:17: error: unknown condition operator 'StringEqualz'; did you mean 'StringEquals'?"))
        let broken = try self.errors(model, files: ["p.json": "{\"Version\": \"2012-10-17\",, }"])
        #expect(broken == ["p.json:1:26: error: invalid JSON: expected a quoted key, found ','"])
    }

    @Test func trustPolicyRules() throws {
        let model = replacing("Statement: { Effect: Allow, Principal: { AWS: \"arn:aws:iam::111111111111:role/Exec\" }, Action: sts:AssumeRole }",
                              "Statement: { Effect: Allow, Action: sts:AssumeRole, Resource: \"*\" }")
        let errors = try errors(model)
        #expect(errors.contains { $0.contains("a statement of a trust policy needs a 'Principal'") })
        #expect(errors.contains { $0.contains("'Resource' is not allowed in a trust policy") })
    }

    @Test func stepFieldRules() throws {
        let model = replacing("{ caller: fn, action: sts:AssumeRole, target: Data, session: s1 }",
                              "{ caller: fn, action: sts:AssumeRole, target: Data, session: \"bad name!\", expect: allow }")
        let errors = try errors(model)
        #expect(errors.contains { $0.contains("RoleSessionName \"bad name!\" must be 2–64 characters") })
        #expect(errors.contains { $0.contains("'expect' must be allowed, implicitDeny or explicitDeny, found \"allow\"; did you mean 'allowed'?") })
        let actionErrors = try self.errors(replacing("action: dynamodb:Query", "action: dynamodb:Qurey"))
        #expect(actionErrors.contains { $0.contains("unknown dynamodb action 'Qurey'; did you mean 'Query'?") })
    }

    @Test func hostileTextNeverCrashes() throws {
        let hostile = "\"<script>alert(1)</script> \\\" } { | \\\\ \\n ünï 🚀\""
        let model = replacing("title: Test", "title: \(hostile)").replacingOccurrences(of: "name: App", with: "name: \(hostile)")
        let content = try TemporaryContent(model: model)
        defer { content.remove() }
        let loaded = try content.load()
        #expect(loaded.title.contains("<script>"))
        #expect(loaded.account("A")?.name.contains("🚀") == true)
    }

    @Test(arguments: ["", "   \n", "- a\n- b\n", "just text", "{", "title: [1, 2]\naccounts: 3\n", "\u{0}\u{1}", "a: &x [*x]\n"])
    func garbageGivesErrorsNotCrashes(text: String) throws {
        let content = try TemporaryContent(model: text)
        defer { content.remove() }
        #expect(!content.errors().isEmpty)
    }
}
