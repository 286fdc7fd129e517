import Foundation
import Model
import Policy
import Resolution
import Testing
import TrustflowKit
import Source

let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized.path

@Suite struct CheckReportTests {
    func proof() throws -> (Model, ModelResolution) {
        let model = try ModelLoader.load(contentDirectory: repositoryRoot + "/content")
        return (model, Resolver.resolve(model))
    }

    @Test func jsonHasTheDocumentedShape() throws {
        let (model, proof) = try proof()
        let text = CheckReport.json(proof, model: model)
        let root = try #require(JSONReader.parse(text, file: "check.json").value)
        #expect(root["ok"]?.kind == .bool(true))
        let options = try #require(root["options"]?.elements)
        #expect(options.count == 3)
        let step = try #require(options[0]["steps"]?.elements?.first)
        #expect(step.members?.map(\.key) == [
            "index", "caller", "credentials", "action", "resource", "crossAccount", "decision", "expected", "ok", "matched", "message", "cause",
            "why", "remedy", "notes", "implied",
        ])
        #expect(step["caller"]?.string == "arn:aws:sts::111111111111:assumed-role/LambdaExecutionRole/orders-api")
        #expect(step["resource"]?.string == "arn:aws:iam::222222222222:role/DynamoDBAccessRole")
        let matched = try #require(step["matched"]?.elements)
        #expect(matched.map { $0["policy"]?.string } == ["AssumeDataRole", "trust policy of DynamoDBAccessRole"])
        #expect(matched.first?["location"]?.string?.hasSuffix("policies/a-assume-data-role.json:4:5") == true)
        let denied = try #require(options[0]["steps"]?.elements?[2])
        #expect(denied["decision"]?.string == "implicitDeny")
        #expect(denied["expected"]?.string == "implicitDeny")
        #expect(denied["ok"]?.kind == .bool(true))
        #expect(denied["message"]?.string?.contains("because no identity-based policy allows the dynamodb:DeleteItem action") == true)
        #expect(denied["cause"]?["kind"]?.string == "noStatementAllows")
        #expect(denied["cause"]?["policyType"]?.string == "identity-based policy")
        let lineage = try #require(options[0]["steps"]?.elements?[1]["credentials"]?.elements)
        #expect(lineage.first?["function"]?.string == "ordersFunction")
        #expect(lineage.last?["role"]?.string == "DynamoDBAccessRole")
        #expect(lineage.last?["step"]?.kind == .number("1"))
        #expect(root["findings"]?.elements != nil)
    }

    @Test func textMarksEveryStep() throws {
        let (model, proof) = try proof()
        let text = CheckReport.text(proof, model: model)
        #expect(text.components(separatedBy: "  ✓ ").count - 1 == 11)
        #expect(text.contains("allowed by trust policy of DynamoDBAccessRole [TrustLambdaExecutionRoleInA] at "))
        #expect(text.hasSuffix("check passed: 11 of 11 steps as expected; 0 errors, 0 warnings, 0 suggestions\n"))
    }
}

/// A few runs of the built binary, for exit codes (the libraries are tested directly above).
@Suite struct BinaryTests {
    static let binary = repositoryRoot + "/.build/debug/trustflow"

    func run(_ arguments: [String], input: String? = nil) throws -> (status: Int32, out: String, err: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: repositoryRoot)
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }

    func temporaryFile(_ text: String) throws -> String {
        let path = NSTemporaryDirectory() + "trustflow-simulate-\(UUID().uuidString).json"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func checkExitCodes() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary), "build the trustflow product first")
        #expect(try run(["check"]).status == 0)
        #expect(try run(["check", "--format", "json"]).out.hasPrefix("{\n  \"ok\": true"))
        let missing = try run(["check", "--content", "/nonexistent-content"])
        #expect(missing.status == 2)
        #expect(missing.err.contains("error:"))
    }

    @Test func simulateExitCodes() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary))
        let good = try temporaryFile(#"{"PolicyInputList": ["{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"dynamodb:GetItem\",\"Resource\":\"*\"}}"], "ActionNames": ["dynamodb:GetItem", "dynamodb:PutItem"], "CallerArn": "arn:aws:iam::111111111111:user/alice"}"#)
        let result = try run(["simulate", "--input", good])
        #expect(result.status == 0)
        #expect(result.out.contains("\"EvalDecision\": \"allowed\"") && result.out.contains("\"EvalDecision\": \"implicitDeny\""))
        let bad = try temporaryFile("{\"ActionNames\": [\"dynamodb:GetItem\"], \"ResourceArns\": [\"Orders\"]}")
        let failed = try run(["simulate", "--input", bad])
        #expect(failed.status == 2)
        #expect(failed.err.hasPrefix("\(bad):1:"))
        let malformed = try temporaryFile("{\"ActionNames\": [")
        #expect(try run(["simulate", "--input", malformed]).status == 2)
    }

    @Test func explainExitCodes() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary))
        let ok = try run(["explain", "--caller", "ordersFunction", "--action", "dynamodb:DeleteItem", "--target", "Orders"])
        #expect(ok.status == 0)
        #expect(ok.out.contains("Decision: implicitDeny"))
        #expect(try run(["explain", "--caller", "ordersFunctio", "--action", "dynamodb:GetItem", "--target", "Orders"]).err.contains("did you mean 'ordersFunction'"))
        #expect(try run(["explain", "--caller", "ordersFunction", "--action", "GetItem", "--target", "Orders"]).status == 2)
        #expect(try run(["explain", "--caller", "ordersFunction", "--action", "dynamodb:GetItem", "--target", "Orders", "--context", "novalue"]).status == 2)
    }
}
