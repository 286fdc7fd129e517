import ArgumentParser
import Foundation
import Model
import Policy
import Render
import Resolution
import Source
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
              trustflow check --timeout 60        # CI: stop after a minute, naming what was running

            A check that runs past --timeout (default 600 seconds, 3600 with --run-snippets) stops with exit status
            2, stopping the snippets' swift processes.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @OptionGroup var contentOptions: ContentOptions

    @OptionGroup var timeBudget: TimeBudget

    @Option(name: .long, help: "Output format: text or json.")
    var format: Format = .text

    @Flag(name: .long, help: "Also generate the content's snippet package in a temporary folder, build it and run each snippet against the AWS simulator (swift build + swift test).")
    var runSnippets = false

    @Option(name: .long, help: ArgumentHelp("The Trustflow checkout the snippets depend on (default: the one holding this executable).", valueName: "dir"))
    var trustflowPath: String?

    func run() async throws {
        let snippetActivity = SnippetRunner.Activity()
        let deadline = Deadline(seconds: timeBudget.seconds(default: runSnippets ? TimeBudget.defaultSecondsWithSnippets : TimeBudget.defaultSeconds)) {
            [format] message in
            snippetActivity.stop()
            if format == .json {
                let json = JSONWriter.write(JSON.object([("ok", JSON.bool(false)), ("error", JSON.string(message))]), pretty: true)
                FileHandle.standardOutput.write(Data(json.utf8))
            }
        }
        deadline.activity("loading \(contentOptions.content)/model.yml and its policy files")
        let model = try contentOptions.loadModel(reportingJSON: format == .json)
        deadline.activity("resolving every step of \(model.options.count) options and analyzing their policies")
        let proof = Resolver.resolve(model)
        var snippets: [SnippetRunner.Result]?
        if runSnippets { snippets = try runSnippets(model, proof: proof, deadline: deadline, activity: snippetActivity) }
        deadline.activity("writing the report")
        switch format {
        case .json: print(CheckReport.json(proof, model: model, snippets: snippets), terminator: "")
        case .text: print(CheckReport.text(proof, model: model, snippets: snippets), terminator: "")
        }
        if !proof.ok || !(snippets ?? []).allSatisfy(\.ok) { throw ExitCode(1) }
    }
}

extension Check {
    /// Builds and runs the content's snippets; progress goes to standard error so `--format json` stays clean.
    func runSnippets(_ model: Model, proof: ModelResolution, deadline: Deadline, activity: SnippetRunner.Activity) throws -> [SnippetRunner.Result] {
        let checkout = trustflowPath.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
            ?? SnippetRunner.findCheckout(executablePath: Bundle.main.executablePath, currentDirectory: FileManager.default.currentDirectoryPath)
        guard let checkout else {
            Report.error("cannot find the Trustflow checkout the snippets depend on; pass --trustflow-path DIR")
            throw unusableInput
        }
        let runner = SnippetRunner(trustflowPath: checkout, scratchPath: checkout + "/.build/run-snippets")
        do {
            return try runner.run(model, resolution: proof, progress: { line in
                deadline.activity("running the snippets: \(line)")
                FileHandle.standardError.write(Data("snippets: \(line)\n".utf8))
            }, activity: activity)
        } catch {
            Report.error("cannot run the snippets: \(error)")
            throw ExitCode(1)
        }
    }
}
