import ArgumentParser
import Foundation
import Model
import Policy
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
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @OptionGroup var contentOptions: ContentOptions

    @Option(name: .long, help: "Output format: text or json.")
    var format: Format = .text

    func run() async throws {
        let model: Model
        do {
            model = try ModelLoader.load(contentDirectory: contentOptions.content)
        } catch {
            Report.diagnostics(error)
            throw unusableInput
        }
        let proof = Prover.prove(model)
        switch format {
        case .json: print(CheckReport.json(proof), terminator: "")
        case .text: print(CheckReport.text(proof, model: model), terminator: "")
        }
        if !proof.ok { throw ExitCode(1) }
    }
}
