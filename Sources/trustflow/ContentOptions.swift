public import ArgumentParser
import Foundation
import Model
import Policy
import Render

/// `--content DIR`, shared by every command that reads content.
struct ContentOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The content folder holding model.yml.", valueName: "dir"))
    var content: String = "content"

    /// Loads the content, or reports every problem and exits 2.
    func loadModel() throws -> Model {
        do {
            return try ModelLoader.load(contentDirectory: content)
        } catch {
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

    static func error(_ message: String) {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    }
}

/// Exit code 2: the input cannot be used.
let unusableInput = ExitCode(2)

/// `--theme light|dark|slide`; the help lists the choices.
extension Theme.Name: ExpressibleByArgument {}

/// `--format svg|png|pdf|dot`.
extension DiagramFiles.Format: ExpressibleByArgument {}
