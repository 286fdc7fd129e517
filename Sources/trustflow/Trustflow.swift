import ArgumentParser
import Foundation

@main
struct Trustflow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trustflow",
        abstract: "One model of AWS accounts, roles, policies and a call flow → diagrams, a guide, runnable snippets, and a proof of every step.",
        discussion: """
            Content lives in a folder (default: content/) holding model.yml and, optionally, guide/*.md.
            Exit codes: 0 success, 1 a check failed, 2 the content or the arguments cannot be used.
            """,
        version: TrustflowVersion.current,
        subcommands: [Build.self, Check.self, Explain.self, Simulate.self, DiagramCommand.self, Serve.self, Mock.self]
    )

    /// Runs the command; usage errors exit 2 (unusable input) rather than ArgumentParser's 64, as documented.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}

enum TrustflowVersion {
    static let current = "0.1.0"
}
