import Policy
import Testing

@Suite struct SimulateInputTests {
    func errors(_ text: String) -> [String] {
        do {
            _ = try SimulateRequest.parse(json: text, file: "in.json")
            return []
        } catch {
            return error.diagnostics.map(\.description)
        }
    }

    @Test func malformedJSON() {
        let found = errors("{\"ActionNames\": [\"dynamodb:GetItem\"")
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("in.json:1:") == true)
    }

    @Test func unknownOperatorInsidePolicyString() {
        let text = #"{"PolicyInputList": ["{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"StringEqual\":{\"a:b\":\"c\"}}}}"], "ActionNames": ["dynamodb:GetItem"]}"#
        let found = errors(text)
        #expect(found.contains { $0.contains("unknown condition operator 'StringEqual'") && $0.contains("did you mean 'StringEquals'") })
        #expect(found.allSatisfy { $0.hasPrefix("in.json[PolicyInputList.1]:1:") })
    }

    @Test func nonARNResource() {
        let found = errors(#"{"ActionNames": ["dynamodb:GetItem"], "ResourceArns": ["table/Orders"]}"#)
        #expect(found == ["in.json:1:56: error: resource \"table/Orders\" is not an ARN (arn:partition:service:region:account:resource) or \"*\""])
    }

    @Test func unknownKeys() {
        let found = errors(#"{"ActionName": ["dynamodb:GetItem"], "ContextEntries": [{"ContextKeyName": "a:b", "ContextKeyValues": ["x"], "ContextKeyType": "strin"}]}"#)
        #expect(found.contains { $0.contains("unknown key 'ActionName'") && $0.contains("did you mean 'ActionNames'") })
        #expect(found.contains { $0.contains("unknown ContextKeyType \"strin\"") })
    }

    @Test func badCaller() {
        let found = errors(#"{"ActionNames": ["s3:GetObject"], "CallerArn": "alice"}"#)
        #expect(found.contains { $0.contains("'CallerArn' must be") })
    }

    @Test func hostileInputNeverCrashes() {
        for text in ["", "[]", "null", "{\"ActionNames\": 3}", "{\"PolicyInputList\": [1, null, {}]}", "{\"ResourcePolicy\": \"{\"}", String(repeating: "[", count: 10_000),
            "{\"ContextEntries\": [1, {\"ContextKeyName\": 2}]}", "{\"ActionNames\": [\"*\"]}"]
        {
            #expect(!errors(text).isEmpty, "\(text.prefix(40))")
        }
    }

    @Test func policiesAsObjectsOrStrings() throws {
        let object = try SimulateRequest.parse(json: #"{"PolicyInputList": [{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}}], "ActionNames": ["s3:GetObject"]}"#, file: "a")
        let string = try SimulateRequest.parse(json: #"{"PolicyInputList": ["{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"*\"}}"], "ActionNames": ["s3:GetObject"]}"#, file: "a")
        #expect(object.run().map(\.evaluation.decision) == [.allowed])
        #expect(string.run().map(\.evaluation.decision) == [.allowed])
    }

    // MARK: - Bounded input (the hostile-content issue)

    @Test func aPolicyStringPastThePolicyLimitIsRefused() {
        let statement = #"{\"Effect\": \"Allow\", \"Action\": \"dynamodb:GetItem\", \"Resource\": \"*\"}"#
        let policy = #"{\"Version\": \"2012-10-17\", \"Statement\": ["# + Array(repeating: statement, count: 40_000).joined(separator: ", ") + "]}"
        let found = errors(#"{"ActionNames": ["dynamodb:GetItem"], "PolicyInputList": [""# + policy + #""]}"#)
        #expect(found == ["in.json:1:59: error: a string longer than 2 MiB, the limit for one string (see README, 'Limits')"])
    }

    @Test func aPolicyObjectPastThePolicyLimitIsRefused() {
        let statement = #"{"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "*"}"#
        let policy = #"{"Version": "2012-10-17", "Statement": ["# + Array(repeating: statement, count: 40_000).joined(separator: ", ") + "]}"
        let found = errors(#"{"ActionNames": ["dynamodb:GetItem"], "PolicyInputList": ["# + policy + "]}")
        #expect(found.count == 1 && found[0].hasPrefix("in.json:1:59: error: PolicyInputList.1 is ") && found[0].contains("larger than 2 MiB"), "\(found)")
    }
}
