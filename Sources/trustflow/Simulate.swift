import ArgumentParser
import Foundation
import Policy
import Source

struct Simulate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate an `aws iam simulate-custom-policy --cli-input-json` request offline.",
        discussion: """
            The input takes PolicyInputList, PermissionsBoundaryPolicyInputList, ResourcePolicy, ResourceOwner,
            CallerArn (any principal ARN, an assumed-role session included), ActionNames, ResourceArns and
            ContextEntries, plus SessionPolicyInputList and ServiceControlPolicyInputList. Policies may be JSON
            strings (as AWS takes them) or objects. Prints {"EvaluationResults": [...]}, one result per action and
            resource, as AWS does (plus DenialMessage, the text AWS would return).

            Example:
              trustflow simulate --input request.json
            """
    )

    @Option(name: .long, help: ArgumentHelp("The request file (JSON); '-' reads standard input.", valueName: "file"))
    var input: String

    func run() async throws {
        let text: String
        if input == "-" {
            text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        } else {
            guard let data = FileManager.default.contents(atPath: input) else {
                Report.error("cannot read \(input)")
                throw unusableInput
            }
            text = String(decoding: data, as: UTF8.self)
        }
        let request: SimulateRequest
        do {
            request = try SimulateRequest.parse(json: text, file: input == "-" ? "<stdin>" : input)
        } catch {
            Report.diagnostics(error, action: "nothing was simulated")
            throw unusableInput
        }
        for warning in request.warnings {
            FileHandle.standardError.write(Data((warning.description + "\n").utf8))
        }
        // AWS evaluates at the time of the call: aws:CurrentTime and aws:EpochTime are now (unless ContextEntries set
        // them). The results are written as they are decided, in chunks, so memory does not grow with their number.
        let standardOutput = FileHandle.standardOutput
        SimulateStream.write(request, now: Date().timeIntervalSince1970.rounded(.down)) { chunk in
            standardOutput.write(Data(buffer: chunk))
        }
    }
}
