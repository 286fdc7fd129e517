import ArgumentParser
import Foundation
import Model
import Policy
import Resolution
import TrustflowKit

struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Prove every step of every option with the IAM policy engine, and list the policy findings.",
        discussion: """
            Each step is evaluated as AWS would: an AssumeRole step's session is the caller of the later steps of
            its option. Exit 0 when every step's decision equals its `expect` (default: allowed) and no finding is
            an error; 1 otherwise; 2 when the content cannot be loaded.

            Example:
              trustflow check
              trustflow check --format json > proof.json
              trustflow check --run-snippets --content other-content   # also build and run its snippets (swift build/test)
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @OptionGroup var contentOptions: ContentOptions

    @Option(name: .long, help: "Output format: text or json.")
    var format: Format = .text

    @Flag(name: .long, help: "Also generate the content's snippet package in a temporary folder, build it and run each snippet against the AWS simulator (swift build + swift test).")
    var runSnippets = false

    @Option(name: .long, help: ArgumentHelp("The Trustflow checkout the snippets depend on (default: the one holding this executable).", valueName: "dir"))
    var trustflowPath: String?

    func run() async throws {
        let model = try contentOptions.loadModel(reportingJSON: format == .json)
        let proof = Resolver.resolve(model)
        var snippets: [SnippetRunner.Result]?
        if runSnippets { snippets = try runSnippets(model, proof: proof) }
        switch format {
        case .json: print(CheckReport.json(proof, model: model, snippets: snippets), terminator: "")
        case .text: print(CheckReport.text(proof, model: model, snippets: snippets), terminator: "")
        }
        if !proof.ok || !(snippets ?? []).allSatisfy(\.ok) { throw ExitCode(1) }
    }
}

extension Check {
    /// Builds and runs the content's snippets; progress goes to standard error so `--format json` stays clean.
    func runSnippets(_ model: Model, proof: ModelResolution) throws -> [SnippetRunner.Result] {
        let checkout = trustflowPath.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
            ?? SnippetRunner.findCheckout(executablePath: Bundle.main.executablePath, currentDirectory: FileManager.default.currentDirectoryPath)
        guard let checkout else {
            Report.error("cannot find the Trustflow checkout the snippets depend on; pass --trustflow-path DIR")
            throw unusableInput
        }
        let runner = SnippetRunner(trustflowPath: checkout, scratchPath: checkout + "/.build/run-snippets")
        do {
            return try runner.run(model, resolution: proof) { line in
                FileHandle.standardError.write(Data("snippets: \(line)\n".utf8))
            }
        } catch {
            Report.error("cannot run the snippets: \(error)")
            throw ExitCode(1)
        }
    }
}
