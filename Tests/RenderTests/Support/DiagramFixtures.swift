import Foundation
import Model
import Policy
import Render
import Graphviz

enum Fixtures {
    static let testsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    static let content = testsFolder.appendingPathComponent("../../content").standardized.path
    static let golden = testsFolder.appendingPathComponent("Golden").path

    static func defaultModel() throws -> Model { try ModelLoader.load(contentDirectory: content) }

    /// Text that is DOT, HTML and XML syntax all at once, plus a line break, a tab and non-ASCII.
    static let hostile = "A\"b\\c\nd<e>f{g}h|i&j'k ]; node x [label=<B>\\N</B>] é 日本 -> \"//"

    /// The default model with every name a renderer draws replaced by hostile text (ARNs and keys unchanged).
    static func hostileModel() throws -> Model {
        var model = try defaultModel()
        model.title = "Title " + hostile
        for index in model.accounts.indices { model.accounts[index].name = "Account " + hostile }
        for index in model.roles.indices { model.roles[index].name = "Role" + hostile + "\(index)" }
        for index in model.functions.indices { model.functions[index].name = "fn" + hostile }
        for index in model.tables.indices {
            model.tables[index].name = "Table" + hostile
            model.tables[index].indexes = model.tables[index].indexes.map { $0 + hostile }
        }
        for index in model.options.indices {
            model.options[index].title = "Option " + hostile
            model.options[index].policyLives = "lives " + hostile
            model.options[index].steps = model.options[index].steps.map { step in
                var step = step
                step.index = step.index.map { $0 + hostile }
                step.session = step.session.map { $0 + hostile }
                return step
            }
        }
        model.options[0].id = "id" + hostile
        return model
    }

    /// Runs the `dot` command on `text`; `nil` when `/usr/bin/dot` is missing. Returns (exit status, stderr).
    static func runDot(_ text: String, format: String = "svg") throws -> (status: Int32, errors: String, output: Data)? {
        let path = "/usr/bin/dot"
        guard FileManager.default.isExecutableFile(atPath: path) else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["-T" + format]
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let writer = Thread { input.fileHandleForWriting.write(Data(text.utf8)); try? input.fileHandleForWriting.close() }
        writer.start()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: errorData, as: UTF8.self), outputData)
    }

    /// Node and edge positions from Graphviz's `-Tdot` output (`pos`, `lp`, `bb`), in order: the layout, without colours.
    static func positions(_ dot: String) throws -> [String] {
        let laidOut = String(decoding: try Graphviz.render(dot: dot, format: .layoutDOT), as: UTF8.self)
        var found: [String] = []
        for key in ["pos=\"", "lp=\"", "bb=\""] {
            var rest = laidOut[...]
            while let range = rest.range(of: key) {
                let tail = rest[range.upperBound...]
                guard let end = tail.firstIndex(of: "\"") else { break }
                found.append(key + tail[..<end])
                rest = tail[end...]
            }
        }
        return found
    }
}
