import Foundation
import Render
import Testing
import TrustflowKit

@Suite struct OutputDirectoryTests {
    func temporaryFolder() throws -> String {
        let path = NSTemporaryDirectory() + "trustflow-out-\(UUID().uuidString)/output"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func writesAndKeepsFilesItDidNotWrite() throws {
        let path = try temporaryFolder()
        let directory = OutputDirectory(path: path)
        try "mine".write(toFile: path + "/notes.txt", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: path + "/snippets/.build", withIntermediateDirectories: true)
        try "cache".write(toFile: path + "/snippets/.build/x", atomically: true, encoding: .utf8)

        try directory.write([OutputFile(path: "a/one.txt", text: "1"), OutputFile(path: "snippets/Package.swift", text: "p")])
        #expect(directory.read("a/one.txt") == Array("1".utf8))
        #expect(directory.read("notes.txt") == Array("mine".utf8))
        #expect(directory.read("snippets/.build/x") == Array("cache".utf8))

        // A second build drops what the first wrote and no longer produces, and still keeps the user's files.
        try directory.write([OutputFile(path: "b/two.txt", text: "2")])
        #expect(directory.read("a/one.txt") == nil)
        #expect(directory.read("b/two.txt") == Array("2".utf8))
        #expect(directory.read("notes.txt") == Array("mine".utf8))
        #expect(directory.read("snippets/.build/x") == Array("cache".utf8))
        // No staging folder is left behind.
        let siblings = try FileManager.default.contentsOfDirectory(atPath: (path as NSString).deletingLastPathComponent)
        #expect(siblings == ["output"])
    }

    @Test func staleFilesListsChangedMissingAndRemoved() throws {
        let path = try temporaryFolder()
        let directory = OutputDirectory(path: path)
        try directory.write([OutputFile(path: "a.txt", text: "1"), OutputFile(path: "b.txt", text: "2")])
        #expect(directory.staleFiles(comparedWith: [OutputFile(path: "a.txt", text: "1"), OutputFile(path: "b.txt", text: "2")]).isEmpty)
        let stale = directory.staleFiles(comparedWith: [OutputFile(path: "a.txt", text: "changed"), OutputFile(path: "c.txt", text: "3")])
        #expect(stale == ["a.txt", "b.txt (no longer generated)", "c.txt"])
    }

    @Test func refusesPathsOutsideTheFolder() throws {
        let path = try temporaryFolder()
        #expect(throws: OutputDirectory.WriteError.self) {
            try OutputDirectory(path: path).write([OutputFile(path: "../escape.txt", text: "x")])
        }
        #expect(!FileManager.default.fileExists(atPath: (path as NSString).deletingLastPathComponent + "/escape.txt"))
    }
}
