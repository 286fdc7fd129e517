import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
import Darwin
private let systemWrite = Darwin.write
#endif
import Model
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
        // Never more than the limit of one input is read, from a file or from standard input.
        let limit = ContentLimits.standard.modelFileBytes
        let text: String
        switch ContentFile.read(atPath: input == "-" ? "/dev/stdin" : input, limit: limit) {
        case .success(let bytes):
            text = String(decoding: bytes, as: UTF8.self)
        case .failure(.tooLarge):
            Report.error("\(input == "-" ? "standard input" : input) is larger than \(ContentLimits.size(limit)), the limit for one input (see README, 'Limits')")
            throw unusableInput
        case .failure(.unreadable):
            Report.error("cannot read \(input)")
            throw unusableInput
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
        var failed = false
        SimulateStream.write(request, now: Date().timeIntervalSince1970.rounded(.down)) { chunk in
            failed = failed || !StandardOutput.write(chunk)
        }
        if failed {
            Report.error("could not write the results to standard output")
            throw ExitCode(1)
        }
    }
}

/// Writes straight to file descriptor 1, without copying each chunk into a `Data`.
enum StandardOutput {
    static func write(_ chunk: UnsafeBufferPointer<UInt8>) -> Bool {
        guard var pointer = chunk.baseAddress else { return true }
        var remaining = chunk.count
        while remaining > 0 {
            let written = systemWrite(1, pointer, remaining)
            if written < 0 {
                if errno == EINTR { continue }
                return false
            }
            pointer += written
            remaining -= written
        }
        return true
    }
}
