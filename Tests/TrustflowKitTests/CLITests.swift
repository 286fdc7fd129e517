import Foundation
import Testing

@Suite struct CLITests {
    @Test func versionAndHelp() throws {
        let version = try Binary.run(["--version"])
        #expect(version.status == 0)
        #expect(version.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").count == 3)
        let help = try Binary.run(["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("build"))
        #expect(help.stdout.contains("Exit codes"))
    }

    @Test func unusableContentExitsTwoAndLeavesOutputAlone() throws {
        let root = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("trustflow-cli-\(UUID().uuidString)")
        let content = root.appendingPathComponent("content"), output = root.appendingPathComponent("output")
        try FileManager.default.createDirectory(at: content, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        try "previous".write(to: output.appendingPathComponent("model.json"), atomically: true, encoding: .utf8)
        try "title: x\naccounts:\n  A: { id: \"12\" }\n  B: { id: 5 }\nroles: 3\n".write(to: content.appendingPathComponent("model.yml"), atomically: true, encoding: .utf8)

        let result = try Binary.run(["build", "--content", content.path, "--output", output.path])
        #expect(result.status == 2)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines.contains("\(content.path)/model.yml:3:12: error: account 'A': id \"12\" is not 12 digits"))
        #expect(lines.contains { $0.hasPrefix("\(content.path)/model.yml:4:") })
        #expect(lines.contains("\(content.path)/model.yml:5:8: error: 'roles' must be a mapping of keys to entries, found a number"))
        #expect(try String(contentsOf: output.appendingPathComponent("model.json"), encoding: .utf8) == "previous")
        #expect(try FileManager.default.contentsOfDirectory(atPath: output.path) == ["model.json"])
    }

    @Test func missingContentFolderIsAClearError() throws {
        let result = try Binary.run(["build", "--content", "/nonexistent/trustflow-content", "--output", "/nonexistent/out"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("/nonexistent/trustflow-content/model.yml:1:1: error: no model file here"))
    }

    @Test func buildThenCheckIsFreshAndDetectsEdits() throws {
        let root = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("trustflow-cli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let output = root.appendingPathComponent("output")
        let content = Binary.repositoryRoot.appendingPathComponent("content").path
        #expect(try Binary.run(["build", "--content", content, "--output", output.path]).status == 0)
        let fresh = try Binary.run(["build", "--check", "--content", content, "--output", output.path])
        #expect(fresh.status == 0)
        try "edited".write(to: output.appendingPathComponent("model.json"), atomically: true, encoding: .utf8)
        let stale = try Binary.run(["build", "--check", "--content", content, "--output", output.path])
        #expect(stale.status == 1)
        #expect(stale.stdout.contains("  model.json"))
    }

    @Test func unknownOptionIsAUsageError() throws {
        let result = try Binary.run(["build", "--no-such-flag"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("Unknown option"))
    }
}
