public import ArgumentParser
import Foundation
import Model
import Policy
import Render
import Source

/// `--content DIR`, shared by every command that reads content.
struct ContentOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The content folder holding model.yml.", valueName: "dir"))
    var content: String = "content"

    /// Loads the content, or reports every problem and exits 2. With `json` the problems are also printed on
    /// standard output as a JSON document, so a program reading `--format json` learns why there is no report.
    func loadModel(reportingJSON json: Bool = false) throws -> Model {
        do {
            return try ModelLoader.load(contentDirectory: content)
        } catch {
            if json { print(Report.json(error), terminator: "") }
            Report.diagnostics(error)
            throw unusableInput
        }
    }
}

/// Prints diagnostics the compiler way on standard error.
enum Report {
    static func diagnostics(_ list: DiagnosticList, action: String = "nothing was written") {
        for diagnostic in list.diagnostics {
            FileHandle.standardError.write(Data((diagnostic.description + "\n").utf8))
        }
        let errors = list.diagnostics.filter { $0.severity == .error }.count
        FileHandle.standardError.write(Data("\(errors) error\(errors == 1 ? "" : "s"); \(action).\n".utf8))
    }

    /// The diagnostics as JSON: `{"ok": false, "error", "diagnostics": [{"file", "line", "column", "severity",
    /// "code", "message"}]}`.
    static func json(_ list: DiagnosticList, action: String = "nothing was checked") -> String {
        let diagnostics = list.diagnostics.map { diagnostic in
            JSON.object([
                ("file", JSON.string(diagnostic.location.file)),
                ("line", JSON.number(diagnostic.location.line)),
                ("column", JSON.number(diagnostic.location.column)),
                ("severity", JSON.string(diagnostic.severity.rawValue)),
                ("code", JSON.optional(diagnostic.code) ?? JSON.null),
                ("message", JSON.string(diagnostic.message)),
            ])
        }
        let errors = list.diagnostics.filter { $0.severity == .error }.count
        return JSONWriter.write(JSON.object([
            ("ok", JSON.bool(false)),
            ("error", JSON.string("the content cannot be loaded: \(errors) error\(errors == 1 ? "" : "s"); \(action).")),
            ("diagnostics", JSON.array(diagnostics)),
        ]), pretty: true)
    }

    static func error(_ message: String) {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    }

    static func warning(_ message: String) {
        FileHandle.standardError.write(Data("warning: \(message)\n".utf8))
    }
}

/// Exit code 2: the input cannot be used.
let unusableInput = ExitCode(2)

/// `--theme light|dark|slide`; the help lists the choices.
extension Theme.Name: ExpressibleByArgument {}

/// `--format svg|png|pdf|dot`.
extension DiagramFiles.Format: ExpressibleByArgument {}
