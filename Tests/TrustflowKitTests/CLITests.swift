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

    /// An action that does not exist (AWS's catalog has no such action) is the same located load error, with a
    /// did-you-mean, in `build` as in `check`, and the build writes nothing.
    @Test func buildReportsUnknownActionsAsCheckDoes() throws {
        let root = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("trustflow-cli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let content = root.appendingPathComponent("content"), output = root.appendingPathComponent("output")
        try FileManager.default.copyItem(at: URL(fileURLWithPath: repositoryRoot + "/content"), to: content)
        let policy = content.appendingPathComponent("policies/a-orders-table-direct.json")
        let text = try String(contentsOf: policy, encoding: .utf8)
        try text.replacingOccurrences(of: "\"dynamodb:GetItem\"", with: "\"dynamodb:GetItems\"").write(to: policy, atomically: true, encoding: .utf8)

        let check = try Binary.run(["check", "--content", content.path])
        let build = try Binary.run(["build", "--content", content.path, "--output", output.path])
        #expect(check.status == 2)
        #expect(build.status == 2)
        let finding = try #require(check.stderr.split(separator: "\n").first { $0.contains("TF-ERR-001") }).trimmingCharacters(in: .whitespaces)
        #expect(finding.contains("dynamodb:GetItems") && finding.contains("did you mean 'dynamodb:GetItem'?"))
        #expect(build.stderr.split(separator: "\n").contains { $0 == finding })
        #expect(!FileManager.default.fileExists(atPath: output.path))
    }

    /// A policy file that never finishes reading (a named pipe nobody writes to) cannot hold CI hostage: past
    /// --timeout the command stops, naming what was running, exit 2, and the output folder is as it was. Nothing here
    /// depends on how fast the machine is: the read never ends.
    @Test func theTimeBudgetStopsAReadThatNeverEnds() throws {
        let root = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("trustflow-cli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let content = root.appendingPathComponent("content"), output = root.appendingPathComponent("output")
        try FileManager.default.copyItem(at: URL(fileURLWithPath: repositoryRoot + "/content"), to: content)
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        try "previous".write(to: output.appendingPathComponent("model.json"), atomically: true, encoding: .utf8)
        let pipe = content.appendingPathComponent("policies/b-orders-table-access.json")
        try FileManager.default.removeItem(at: pipe)
        #expect(mkfifo(pipe.path, 0o600) == 0)

        let build = try Binary.run(["build", "--timeout", "1", "--content", content.path, "--output", output.path])
        #expect(build.status == 2)
        #expect(build.stderr.contains("error: timed out after 1 s (--timeout) while loading \(content.path)/model.yml and its policy files"), "\(build.stderr)")
        #expect(build.stderr.contains("\(output.path)/ was not changed."))
        #expect(try FileManager.default.contentsOfDirectory(atPath: output.path) == ["model.json"])
        #expect(try String(contentsOf: output.appendingPathComponent("model.json"), encoding: .utf8) == "previous")
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path).sorted() == ["content", "output"])

        let check = try Binary.run(["check", "--timeout", "1", "--format", "json", "--content", content.path])
        #expect(check.status == 2)
        #expect(check.stdout.contains("\"ok\": false"))
        #expect(check.stdout.contains("timed out after 1 s (--timeout) while loading"))
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

    /// A temporary folder holding a copy of the repository's content as `content/`.
    func folderWithContent() throws -> URL {
        let root = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("trustflow-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Binary.repositoryRoot.appendingPathComponent("content"), to: root.appendingPathComponent("content"))
        return root
    }

    /// `build --content c --output c` overwrote a policy, claimed it in the manifest, and the next build deleted it.
    @Test(arguments: [
        ("content", "is the content folder"), ("content/", "is the content folder"), ("link", "is the content folder"),
        (".", "contains the content folder"), ("content/policies", "is inside the content folder"),
        ("content/not-yet/output", "is inside the content folder"), ("link/output", "is inside the content folder"),
    ])
    func buildRefusesAnOutputThatOverlapsTheContent(output: String, problem: String) throws {
        let root = try folderWithContent()
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createSymbolicLink(atPath: root.path + "/link", withDestinationPath: "content")
        let before = try Folder.snapshot(root.path)
        for arguments in [["build"], ["build", "--check"]] {
            let result = try Binary.run(arguments + ["--content", "content", "--output", output], in: root)
            #expect(result.status == 2, "\(arguments) --output \(output)")
            #expect(result.stderr.contains("Error: the output folder \(output) \(problem)"), "\(result.stderr)")
            #expect(try Folder.snapshot(root.path) == before)
        }
    }

    @Test func buildRefusesAnOutputThatCannotBeAFolder() throws {
        let root = try folderWithContent()
        defer { try? FileManager.default.removeItem(at: root) }
        try "a file".write(to: root.appendingPathComponent("file"), atomically: true, encoding: .utf8)
        let before = try Folder.snapshot(root.path)
        let under = try Binary.run(["build", "--content", "content", "--output", "file/output"], in: root)
        #expect(under.status == 2)
        #expect(under.stderr.contains("Error: cannot create the output folder file/output: \(root.resolvingSymlinksInPath().path)/file is a file, not a folder."), "\(under.stderr)")
        let itself = try Binary.run(["build", "--content", "content", "--output", "file"], in: root)
        #expect(itself.status == 2)
        #expect(itself.stderr.contains("Error: the output folder file is a file"), "\(itself.stderr)")
        #expect(try Folder.snapshot(root.path) == before)
    }

    /// An output folder with a file of the user's where a generated file goes: exit 2, the file named, nothing changed.
    @Test func buildStopsAtAFileItDidNotWrite() throws {
        let root = try folderWithContent()
        defer { try? FileManager.default.removeItem(at: root) }
        let output = root.appendingPathComponent("output")
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        try "mine".write(to: output.appendingPathComponent("model.json"), atomically: true, encoding: .utf8)
        try "notes".write(to: output.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        let before = try Folder.snapshot(root.path)
        let result = try Binary.run(["build", "--content", "content", "--output", "output"], in: root)
        #expect(result.status == 2)
        #expect(result.stderr.contains("error: output/model.json was not written by Trustflow"), "\(result.stderr)")
        #expect(try Folder.snapshot(root.path) == before)

        // Once the file is out of the way the build writes, and keeps the user's other file.
        try FileManager.default.removeItem(at: output.appendingPathComponent("model.json"))
        #expect(try Binary.run(["build", "--content", "content", "--output", "output"], in: root).status == 0)
        #expect(try String(contentsOf: output.appendingPathComponent("notes.txt"), encoding: .utf8) == "notes")
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path).sorted() == ["content", "output"])
    }

    @Test func checkJSONReportsContentThatCannotBeLoaded() throws {
        let root = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("trustflow-cli-\(UUID().uuidString)")
        let content = root.appendingPathComponent("content")
        try FileManager.default.createDirectory(at: content, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        try "title: x\naccounts:\n  A: { id: \"12\" }\nroles: 3\n".write(to: content.appendingPathComponent("model.yml"), atomically: true, encoding: .utf8)
        let before = try Folder.snapshot(root.path)

        let result = try Binary.run(["check", "--format", "json", "--content", "content"], in: root)
        #expect(result.status == 2)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(report["ok"] as? Bool == false)
        #expect((report["error"] as? String)?.hasPrefix("the content cannot be loaded: 2 errors") == true)
        let diagnostics = try #require(report["diagnostics"] as? [[String: Any]])
        #expect(diagnostics.count == 2)
        let first = try #require(diagnostics.first)
        #expect(first["file"] as? String == "content/model.yml")
        #expect(first["line"] as? Int == 3)
        #expect(first["column"] as? Int == 12)
        #expect(first["severity"] as? String == "error")
        #expect(first["message"] as? String == "account 'A': id \"12\" is not 12 digits")
        #expect(diagnostics.last?["line"] as? Int == 4)
        // The text still goes to standard error for whoever watches the terminal.
        #expect(result.stderr.contains("content/model.yml:3:12: error:"))
        #expect(try Folder.snapshot(root.path) == before)

        // Text mode prints nothing on standard output.
        let text = try Binary.run(["check", "--content", "content"], in: root)
        #expect(text.status == 2)
        #expect(text.stdout.isEmpty)
    }
}
