import AWSClient
import AWSMock
import ArgumentParser
import Foundation
import Model
import Render
import Server

struct Mock: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the AWS simulator (STS, DynamoDB, S3, KMS, SQS, SNS, Secrets Manager, Lambda) for a content folder on 127.0.0.1.",
        discussion: """
            Every request is checked as AWS checks it (SigV4 signature, credential scope, session token, expiry, clock
            skew) and authorized by the policy engine over the model, exactly as `trustflow check` decides; answers and
            errors come in each service's own wire format. The tables start with the items the snippets read; every
            bucket, queue, topic, secret and function of the model exists, with the objects the steps name.

            When it listens, it prints the environment of each function of the model — its execution-role session, as
            Lambda would set it — and of each IAM user (its access keys), so that any SDK or the AWS CLI runs against
            it unchanged. Ctrl-C (SIGINT) or SIGTERM
            stops it after the requests in flight are answered.

            Example:
              trustflow mock --port 4566 --function ordersFunction --env-file mock.env &
              . ./mock.env   # once the file exists
              aws sts get-caller-identity
              aws dynamodb get-item --table-name arn:aws:dynamodb:us-east-1:222222222222:table/Orders \\
                --key '{"customerId": {"S": "customer-1"}, "orderId": {"S": "order-1"}}'
            """
    )

    @OptionGroup var contentOptions: ContentOptions

    @Option(name: .long, help: "The port on 127.0.0.1 (0 picks a free one; the environment names the one chosen).")
    var port: Int = 4566

    @Option(name: .long, help: ArgumentHelp("Only this function's environment (a function key or name); default: every function's.", valueName: "function"))
    var function: String?

    @Option(name: .long, help: ArgumentHelp("Also write the environment to this file (shell `export` lines), once the server listens.", valueName: "file"))
    var envFile: String?

    @Flag(name: .long, help: "Start with empty tables instead of the snippets' sample items.")
    var empty = false

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
    }

    func run() async throws {
        let model = try contentOptions.loadModel()
        let functions: [Function]
        if let function {
            guard let found = model.function(function) ?? model.functions.first(where: { $0.name == function }) else {
                Report.error("no function '\(function)' in the model (functions: \(model.functions.map(\.key).joined(separator: ", ")))")
                throw unusableInput
            }
            functions = [found]
        } else {
            functions = model.functions
        }
        let simulator = AWSSimulator(model: model, authorizer: ModelAuthorizer(model: model), recordsRequests: false)
        if !empty {
            for table in model.tables {
                let sample = SampleData(table: table)
                try simulator.put(Dictionary(uniqueKeysWithValues: sample.seedItem.map { ($0.name, AttributeValue.s($0.value)) }), inTable: table.key)
            }
        }
        let server = LoopbackServer(port: port, handler: SimulatorEndpoint(simulator: simulator))
        let envFile = self.envFile
        do {
            try await server.run { port in
                let endpoint = URL(string: "http://127.0.0.1:\(port)")!
                var text = ""
                for function in functions {
                    let environment: [String: String]
                    do {
                        environment = try simulator.environment(forFunction: function.key, endpoint: endpoint)
                    } catch {
                        Report.error("no environment for function '\(function.key)': \(error)")
                        continue
                    }
                    text += "# \(function.key): \(function.sessionARN)\n"
                    for name in AWSSimulator.environmentNames { if let value = environment[name] { text += "export \(name)=\(value)\n" } }
                }
                // The users' long-term keys, after the functions (a script sourcing the file gets the first function's).
                for user in self.function == nil ? model.users : [] {
                    let environment: [String: String]
                    do {
                        environment = try simulator.environment(forUser: user.key, endpoint: endpoint)
                    } catch {
                        Report.error("no environment for user '\(user.key)': \(error)")
                        continue
                    }
                    text += "# user \(user.key): \(user.arn)\n"
                    for name in AWSSimulator.environmentNames { if let value = environment[name] { text += "# export \(name)=\(value)\n" } }
                }
                if let envFile {
                    do {
                        // Written whole under a temporary name and renamed, so a script waiting for it never reads half.
                        let temporary = envFile + ".tmp-\(getpid())"
                        try Data(text.utf8).write(to: URL(fileURLWithPath: temporary))
                        _ = rename(temporary, envFile)
                    } catch {
                        Report.error("cannot write \(envFile): \(error)")
                    }
                }
                FileHandle.standardError.write(Data("trustflow mock: STS, DynamoDB, S3, KMS, SQS, SNS, Secrets Manager and Lambda for \(model.title) at \(endpoint.absoluteString) (Ctrl-C to stop)\n".utf8))
                FileHandle.standardOutput.write(Data(text.utf8))
            }
        } catch {
            Report.error("the mock server stopped: \(error)")
            throw ExitCode(1)
        }
    }
}
