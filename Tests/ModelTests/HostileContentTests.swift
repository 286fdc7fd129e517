import Foundation
@testable import Model
import Policy
import Source
import TestSupport
import Testing

/// Content strangers wrote cannot hurt the machine that checks it: every input the hostile-content issue names gets a
/// located error, and nothing is built in proportion to an attacker's expansion. Bounds are checked by counting
/// (values built, bytes read), never by timing.
@Suite struct HostileContentTests {
    func errors(_ model: String, files: [String: String] = [:]) throws -> [String] {
        let content = try TemporaryContent(model: model, files: files)
        defer { content.remove() }
        return content.errors()
    }

    /// Ten anchors, each a list of ten aliases of the previous one: 10⁹ nodes once expanded.
    static let aliasBomb = """
        bomb:
          a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]
        """ + (1..<10).map { level in
            "\n  a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]"
        }.joined()

    @Test func anAliasBombStopsAtTheAliasBudget() throws {
        let reading = YAMLReader.read(validModel + "\n" + Self.aliasBomb + "\n", file: "model.yml")
        // a0 holds 11 values, a1 111, a2 1,111, a3 11,111: the 7th alias of a4 takes the aliases (and the 17,000
        // values they already added) past 100,000 values.
        #expect(reading.diagnostics.map(\.description) == [
            "model.yml:39:\(11 + 6 * 6): error: the aliases of model.yml expand to more than 100,000 values, the limit (see README, 'Limits'); write a policy used in many places to a file and name its path"
        ])
        #expect(reading.value == nil)
        // What was built is bounded by the budget, not by the expansion (10⁹).
        #expect(reading.valueCount < 120_000, "\(reading.valueCount)")
        let errors = try errors(validModel + "\n" + Self.aliasBomb + "\n")
        #expect(errors.count == 1 && errors[0].contains("expand to more than 100,000 values"), "\(errors)")
    }

    @Test func anAliasAsAMappingKeyIsNeverHashed() {
        // Yams would hash the whole expanded key to find duplicates.
        let text = "a0: &a0 [x, x]\nkeys:\n  ? *a0\n  : x\n"
        let reading = YAMLReader.read(text, file: "model.yml")
        #expect(reading.diagnostics.map(\.description) == ["model.yml:3:5: error: mapping keys must be plain text"])
    }

    @Test func aliasesAreCopiesOfTheirAnchorsWithTheAnchorsLocations() throws {
        let reading = YAMLReader.read("a: &x { k: 1 }\nb: *x\nc: *y\n", file: "model.yml")
        #expect(reading.diagnostics.map(\.description) == ["model.yml:3:4: error: undefined alias '*y': no anchor '&y' comes before it"])
        let value = try #require(reading.value)
        #expect(value["b"] == value["a"])
        #expect(value["b"]?.location == SourceLocation(file: "model.yml", line: 1, column: 4))
        // The root; a and {k: 1} (k and 1 included: 3); b and its copy (3); c (an undefined alias adds nothing).
        #expect(reading.valueCount == 1 + 4 + 4 + 1)
    }

    @Test func theValueBudgetStopsReadingAtTheFirstValuePastIt() {
        let text = "list: [" + Array(repeating: "1", count: 10_000).joined(separator: ", ") + "]\n"
        let reading = YAMLReader.read(text, file: "model.yml", limits: ReadLimits(depth: 64, stringBytes: 100, values: 500))
        #expect(reading.value == nil)
        #expect(reading.valueCount == 501)
        #expect(reading.diagnostics.map(\.description) == ["model.yml:1:\(8 + 3 * 497): error: more than 500 values: the limit for one content (see README, 'Limits')"])
    }

    @Test func deepNestingIsSkippedUnread() {
        let text = String(repeating: "[", count: 100) + String(repeating: "]", count: 100) + "\n"
        let reading = YAMLReader.read(text, file: "model.yml")
        #expect(reading.diagnostics.map(\.description) == ["model.yml:1:65: error: nesting deeper than 64 levels (see README, 'Limits')"])
        #expect(reading.valueCount == 65)
    }

    @Test func aTwoHundredThousandCharacterTitleIsLocated() throws {
        let errors = try errors(validModel.replacingOccurrences(of: "title: Test", with: "title: " + String(repeating: "Words", count: 40_000)))
        #expect(errors == ["model.yml:1:8: error: a string of 200,000 bytes, longer than 16 KiB, the limit for one string (see README, 'Limits')"])
    }

    @Test func oneHundredThousandStepsAreLocatedAtTheFirstPastTheLimit() throws {
        let step = "      - { caller: fn, action: dynamodb:GetItem, target: T1 }\n"
        let model = validModel + "\n  - id: many\n    title: Many\n    steps:\n" + String(repeating: step, count: 100_000)
        let errors = try errors(model)
        // The limit (10,000) counts the 2 steps of option 'one' too: the 9,999th step of 'many' is the one past it.
        #expect(errors == ["model.yml:\(36 + 9_999):9: error: 100,002 steps in all the options: more than 10,000, the limit for one model (see README, 'Limits')"])
    }

    @Test func aTenMegabytePolicyFileIsRefusedAfterItsLimit() throws {
        let statement = #"{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "arn:aws:iam::222222222222:role/Data"}"#
        var policy = #"{"Version": "2012-10-17", "Statement": ["#
        while policy.utf8.count < 10_000_000 { policy += statement + ", " }
        policy += statement + "]}"
        let model = validModel.replacingOccurrences(
            of: "      Assume:\n        Version: \"2012-10-17\"\n        Statement: { Effect: Allow, Action: sts:AssumeRole, Resource: \"arn:aws:iam::222222222222:role/Data\" }",
            with: "      Assume: policies/big.json")
        var read: [Int] = []
        // Counts what the loader asked the file reader for: never more than the limit and one byte.
        do {
            _ = try ModelLoader.load(yaml: model, file: "model.yml", contentDirectory: ".", readFile: { path in
                read.append(policy.utf8.count)
                return path.hasSuffix("big.json") ? policy : nil
            })
            Issue.record("expected an error")
        } catch {
            #expect(error.diagnostics.map(\.description) == [
                "model.yml:13:15: error: policy file 'policies/big.json' is larger than 2 MiB, the limit for one policy document (see README, 'Limits'; AWS accepts at most 20 KB); nothing was read past it"
            ])
        }
        let content = try TemporaryContent(model: model, files: ["policies/big.json": policy])
        defer { content.remove() }
        #expect(content.errors() == [
            "model.yml:13:15: error: policy file 'policies/big.json' is larger than 2 MiB, the limit for one policy document (see README, 'Limits'; AWS accepts at most 20 KB); nothing was read past it"
        ])
        #expect(ContentFile.read(atPath: content.directory + "/policies/big.json", limit: 1000) == .failure(.tooLarge))
    }

    @Test func aLargeInlinePolicyIsRefused() throws {
        let resources = (0..<60_000).map { "\"arn:aws:iam::222222222222:role/R\($0)\"" }.joined(separator: ", ")
        let errors = try errors(validModel.replacingOccurrences(of: "Resource: \"arn:aws:iam::222222222222:role/Data\" }", with: "Resource: [\(resources)] }"))
        #expect(errors.count == 1 && errors[0].hasPrefix("model.yml:14:9: error: this policy is ") && errors[0].contains("larger than 2 MiB"), "\(errors)")
    }

    @Test func entityCountsAreCheckedBeforeAnyEntityIsRead() throws {
        var limits = ContentLimits()
        limits.roles = 1
        do {
            _ = try ModelLoader.load(yaml: validModel, file: "model.yml", contentDirectory: ".", limits: limits)
            Issue.record("expected an error")
        } catch {
            #expect(error.diagnostics.map(\.description) == ["model.yml:16:3: error: 2 roles: more than 1, the limit for one model (see README, 'Limits')"])
        }
    }

    @Test func theContentByteBudgetCountsAFileEachTimeItIsNamed() throws {
        var limits = ContentLimits()
        let policy = #"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}}"#
        let model = validModel.replacingOccurrences(
            of: "      Assume:\n        Version: \"2012-10-17\"\n        Statement: { Effect: Allow, Action: sts:AssumeRole, Resource: \"arn:aws:iam::222222222222:role/Data\" }",
            with: "      Assume: p.json\n      Again: p.json")
        // Room for the model and one copy of the policy file, not two.
        limits.totalBytes = model.utf8.count + policy.utf8.count + 10
        do {
            _ = try ModelLoader.load(yaml: model, file: "model.yml", contentDirectory: ".", readFile: { _ in policy }, limits: limits)
            Issue.record("expected an error")
        } catch {
            #expect(error.diagnostics.map(\.description).contains {
                $0.hasPrefix("model.yml:14:14: error: the content is larger than") && $0.contains("'p.json' was not read")
            }, "\(error.diagnostics)")
        }
    }

    @Test func errorsStopAtTheLimitAsCompilersDo() throws {
        var limits = ContentLimits()
        limits.errors = 5
        let steps = (0..<50).map { "      - { caller: nobody\($0), action: dynamodb:GetItem, target: T1 }\n" }.joined()
        let model = validModel + "\n  - id: many\n    title: Many\n    steps:\n" + steps
        do {
            _ = try ModelLoader.load(yaml: model, file: "model.yml", contentDirectory: ".", limits: limits)
            Issue.record("expected an error")
        } catch {
            #expect(error.diagnostics.count == 6)
            #expect(error.diagnostics.last?.message == "stopped after 5 errors; fix these and run again")
        }
    }

    @Test func yamlTypesAreResolvedAsYamsResolvesThem() throws {
        let reading = YAMLReader.read("a: yes\nb: ~\nc: 012\nd: 1.5e3\ne: text\nf: '12'\ng: 2001-12-14\nh: null\ni: Off\nj:\n", file: "m.yml")
        let value = try #require(reading.value)
        #expect(value["a"]?.kind == .bool(true))
        #expect(value["b"]?.kind == .null)
        #expect(value["c"]?.kind == .string("012"))  // an octal int to YAML, not a JSON number: text (FuzzRegressionTests)
        #expect(value["d"]?.kind == .number("1.5e3"))
        #expect(value["e"]?.kind == .string("text"))
        #expect(value["f"]?.kind == .string("12"))
        #expect(value["g"]?.kind == .string("2001-12-14"))
        #expect(value["h"]?.kind == .null)
        #expect(value["i"]?.kind == .bool(false))
        #expect(value["j"]?.kind == .null)
    }

    @Test func duplicateKeysAreEachReported() {
        let reading = YAMLReader.read("a: 1\nb: 2\na: 3\nb: 4\n", file: "m.yml")
        #expect(reading.diagnostics.map(\.description) == [
            "m.yml:3:1: error: duplicate key 'a' in one mapping (first at line 1)",
            "m.yml:4:1: error: duplicate key 'b' in one mapping (first at line 2)",
        ])
    }
}
