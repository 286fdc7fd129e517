import Foundation
import Render
import Testing
@testable import TrustflowKit

@Suite struct SnippetOutputTests {
    static let content = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../content").standardized.path

    @Test func buildWritesTheSnippetPackageSortedByPath() throws {
        let pipeline = Pipeline()
        let files = try pipeline.generate(pipeline.load(contentDirectory: Self.content))
        #expect(files.map(\.path) == files.map(\.path).sorted())
        let snippets = files.filter { $0.path.hasPrefix("snippets/") }.map(\.path)
        #expect(snippets.contains("snippets/Package.swift"))
        #expect(snippets.contains("snippets/Sources/TablePolicy/TablePolicy.swift"))
        #expect(snippets.contains("snippets/Tests/SnippetTests/Support/Fixture.swift"))
        // The content given as an absolute path is embedded as such; the repository layout uses ../../content.
        let fixture = try #require(files.first { $0.path == "snippets/Tests/SnippetTests/Support/Fixture.swift" }).text
        #expect(fixture.contains(Self.content))
    }

    @Test func rebuildingKeepsTheSnippetPackagesBuildFolderAndResolvedFile() throws {
        let path = NSTemporaryDirectory() + "trustflow-snippets-\(UUID().uuidString)/output"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let directory = OutputDirectory(path: path)
        let files = [OutputFile(path: "snippets/Package.swift", text: "one"), OutputFile(path: "snippets/Sources/A/A.swift", text: "a")]
        try directory.write(files)
        // What `swift build --package-path output/snippets` leaves behind.
        try FileManager.default.createDirectory(atPath: path + "/snippets/.build/debug", withIntermediateDirectories: true)
        try "binary".write(toFile: path + "/snippets/.build/debug/trusted-role", atomically: true, encoding: .utf8)
        try "{}".write(toFile: path + "/snippets/Package.resolved", atomically: true, encoding: .utf8)

        try directory.write([OutputFile(path: "snippets/Package.swift", text: "two"), OutputFile(path: "snippets/Sources/B/B.swift", text: "b")])
        #expect(directory.read("snippets/Package.swift") == Array("two".utf8))
        #expect(directory.read("snippets/Sources/A/A.swift") == nil)
        #expect(directory.read("snippets/.build/debug/trusted-role") == Array("binary".utf8))
        #expect(directory.read("snippets/Package.resolved") == Array("{}".utf8))
        #expect(!directory.manifest().contains { $0.contains(".build") || $0.contains("Package.resolved") })
    }
}

@Suite struct SnippetRunnerTests {
    @Test func countsTheTestsSwiftTestingRan() {
        #expect(SnippetRunner.testsRun("◇ Test run started.\n✔ Test run with 3 tests in 1 suite passed after 0.05 seconds.\n") == 3)
        #expect(SnippetRunner.testsRun("Executed 0 tests, with 0 failures\n✔ Test run with 0 tests in 0 suites passed\n") == 0)
        #expect(SnippetRunner.testsRun("error: no tests found") == 0)
    }

    @Test func findsTheCheckoutFromTheExecutable() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized.path
        #expect(SnippetRunner.findCheckout(executablePath: root + "/.build/debug/trustflow", currentDirectory: "/") == root)
        #expect(SnippetRunner.findCheckout(executablePath: "/nonexistent/bin/trustflow", currentDirectory: root + "/Sources") == root)
    }
}
