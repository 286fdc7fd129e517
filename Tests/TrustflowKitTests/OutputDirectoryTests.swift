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

    func snapshot(_ path: String) throws -> [String: String] { try Folder.snapshot(path) }

    func siblings(of path: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: (path as NSString).deletingLastPathComponent).sorted()
    }

    func write(_ text: String, to path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: false, encoding: .utf8)
    }

    /// The bug this guards: a folder with no manifest (here, a content folder) held a file where a generated one goes;
    /// the build overwrote it, listed it in the manifest, and the next build deleted it.
    @Test func refusesToOverwriteAFileItDidNotWrite() throws {
        let path = try temporaryFolder()
        try write("my policy", to: path + "/policies/a/p.json")
        try write("notes", to: path + "/notes.txt")
        let before = try snapshot(path)
        let error = #expect(throws: OutputDirectory.WriteError.self) {
            try OutputDirectory(path: path).write([OutputFile(path: "policies/a/p.json", text: "generated"), OutputFile(path: "model.json", text: "{}")])
        }
        #expect(error?.kind == .unusableOutput)
        #expect(error?.message.contains("\(path)/policies/a/p.json was not written by Trustflow") == true)
        #expect(try snapshot(path) == before)
        #expect(try siblings(of: path) == ["output"])
    }

    /// A file the user added after a build, at a path a later build starts to write, is just as much the user's.
    @Test func refusesEveryFileInTheWayAfterABuild() throws {
        let path = try temporaryFolder()
        let directory = OutputDirectory(path: path)
        try directory.write([OutputFile(path: "a.txt", text: "1")])
        try write("mine", to: path + "/b.txt")
        try write("mine too", to: path + "/c/d.txt")
        try write("a file where a folder goes", to: path + "/e")
        let before = try snapshot(path)
        let error = #expect(throws: OutputDirectory.WriteError.self) {
            try directory.write([
                OutputFile(path: "a.txt", text: "2"), OutputFile(path: "b.txt", text: "2"), OutputFile(path: "c", text: "a file where a folder is"),
                OutputFile(path: "e/f.txt", text: "2"),
            ])
        }
        #expect(error?.kind == .unusableOutput)
        #expect(error?.message.contains("3 entries of \(path) were not written by Trustflow") == true)
        for entry in ["b.txt", "c/", "e"] { #expect(error?.message.contains("  \(path)/\(entry)\n") == true, "\(entry)") }
        #expect(try snapshot(path) == before)
        #expect(try siblings(of: path) == ["output"])
    }

    /// The previous build wrote a file at `x`; the user replaced it with a folder. The folder is the user's.
    @Test func keepsAFolderWhereThePreviousBuildWroteAFile() throws {
        let path = try temporaryFolder()
        let directory = OutputDirectory(path: path)
        try directory.write([OutputFile(path: "x", text: "generated"), OutputFile(path: "y.txt", text: "1")])
        try FileManager.default.removeItem(atPath: path + "/x")
        try write("mine", to: path + "/x/notes.txt")
        try directory.write([OutputFile(path: "y.txt", text: "2")])
        #expect(directory.read("x/notes.txt") == Array("mine".utf8))
        #expect(directory.read("y.txt") == Array("2".utf8))
        #expect(try siblings(of: path) == ["output"])
    }

    /// A symbolic link of the user's is carried over as a link: the folder it names is neither moved nor emptied.
    @Test func carriesSymbolicLinksWithoutFollowingThem() throws {
        let path = try temporaryFolder()
        let elsewhere = (path as NSString).deletingLastPathComponent + "-elsewhere"
        defer { try? FileManager.default.removeItem(atPath: elsewhere) }
        try write("outside", to: elsewhere + "/kept.txt")
        let directory = OutputDirectory(path: path)
        try directory.write([OutputFile(path: "a.txt", text: "1")])
        try FileManager.default.createSymbolicLink(atPath: path + "/link", withDestinationPath: elsewhere)
        try directory.write([OutputFile(path: "b.txt", text: "2")])
        #expect(try snapshot(path) == [".trustflow-manifest": Folder.manifest(["b.txt"]), "b.txt": "2", "link": "-> " + elsewhere])
        #expect(try snapshot(elsewhere) == ["kept.txt": "outside"])
    }

    /// A file of the user's that cannot be moved into the new output (its path there is longer than the system allows;
    /// root cannot get past that either): the build fails, the file moved before it comes back, the output is as it was.
    @Test func aFileThatCannotBeMovedLeavesTheOutputAsItWas() throws {
        let path = try temporaryFolder()
        let directory = OutputDirectory(path: path)
        // Folders deep enough that a file below them fits the path limit in `output/` but not in the staging folder,
        // whose name is longer than `output`.
        let limit = Int(PATH_MAX) - 1, target = limit - 5
        var folders: [String] = []
        var length = path.count
        let fileName = String(repeating: "f", count: 200)
        while length + 1 + 200 + 1 + fileName.count < target { folders.append(String(repeating: "d", count: 200)); length += 201 }
        folders.append(String(repeating: "e", count: target - length - 2 - fileName.count))
        let deep = folders.joined(separator: "/")
        try directory.write([OutputFile(path: deep + "/ours.txt", text: "generated"), OutputFile(path: "top.txt", text: "1")])
        try write("moves first", to: path + "/a-notes.txt")
        try write("cannot move", to: path + "/" + deep + "/" + fileName)
        #expect((path + "/" + deep + "/" + fileName).count == target)
        let before = try snapshot(path)

        let error = #expect(throws: OutputDirectory.WriteError.self) {
            try directory.write([OutputFile(path: "top.txt", text: "2")])
        }
        #expect(error?.kind == .unusableOutput)
        #expect(error?.message.contains("cannot carry \(path)/\(deep)/\(fileName), which Trustflow did not write") == true)
        #expect(error?.message.contains("Nothing was changed") == true)
        #expect(try snapshot(path) == before)
        #expect(try siblings(of: path) == ["output"])
    }

    @Test func refusesAnOutputThatOverlapsTheContent() throws {
        let root = (try temporaryFolder() as NSString).deletingLastPathComponent
        let content = root + "/content"
        try write("title: x", to: content + "/model.yml")
        try FileManager.default.createSymbolicLink(atPath: root + "/link", withDestinationPath: content)
        for output in [content, content + "/", root + "/link", content + "/output", content + "/new/deeper", root, root + "/output/../content", "/"] {
            let error = #expect(throws: OutputDirectory.WriteError.self, "\(output)") {
                try OutputDirectory(path: output).checkSeparate(fromContent: content)
            }
            #expect(error?.kind == .unusableOutput)
        }
        // Relative paths too, resolved against the current folder.
        #expect(throws: OutputDirectory.WriteError.self) {
            try OutputDirectory(path: ".").checkSeparate(fromContent: FileManager.default.currentDirectoryPath + "/content")
        }
        try OutputDirectory(path: root + "/output").checkSeparate(fromContent: content)
        try OutputDirectory(path: root + "/content-output").checkSeparate(fromContent: content)
        try OutputDirectory(path: root + "/link-out").checkSeparate(fromContent: root + "/link")
    }

    @Test func refusesAnOutputThatCannotBeAFolder() throws {
        let root = (try temporaryFolder() as NSString).deletingLastPathComponent
        try write("a file", to: root + "/file")
        for output in [root + "/file", root + "/file/output", root + "/file/a/b"] {
            let error = #expect(throws: OutputDirectory.WriteError.self, "\(output)") {
                try OutputDirectory(path: output).write([OutputFile(path: "a.txt", text: "1")])
            }
            #expect(error?.kind == .unusableOutput)
        }
        #expect(try snapshot(root) == ["file": "a file", "output": "<folder>"])
        try OutputDirectory(path: root + "/new/output").checkUsable()
    }
}

/// Folder contents for comparing before and after.
enum Folder {
    /// Every entry under `path` (relative), a folder as "<folder>", a symbolic link as "-> destination".
    static func snapshot(_ path: String) throws -> [String: String] {
        var tree: [String: String] = [:]
        let fm = FileManager.default
        for entry in try fm.subpathsOfDirectory(atPath: path) {
            let full = path + "/" + entry
            let type = try fm.attributesOfItem(atPath: full)[.type] as? FileAttributeType
            tree[entry] = switch type {
            case .typeDirectory: "<folder>"
            case .typeSymbolicLink: "-> " + (try fm.destinationOfSymbolicLink(atPath: full))
            default: String(decoding: try Data(contentsOf: URL(fileURLWithPath: full)), as: UTF8.self)
            }
        }
        return tree
    }

    static func manifest(_ paths: [String]) -> String {
        "# Files written by `trustflow build`; others in this folder are left alone.\n" + paths.joined(separator: "\n") + "\n"
    }
}
