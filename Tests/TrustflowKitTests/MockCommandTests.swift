import Foundation
import Testing

@Suite struct MockCommandTests {
    @Test func badArgumentsExitTwo() throws {
        let port = try Binary.run(["mock", "--port", "70000"])
        #expect(port.status == 2)
        #expect(port.stderr.contains("--port must be between 0 and 65535"))
        let function = try Binary.run(["mock", "--port", "0", "--function", "nope"])
        #expect(function.status == 2)
        #expect(function.stderr.contains("no function 'nope' in the model (functions: ordersFunction)"))
    }

    /// The environment file appears once the server listens, names a loopback endpoint, and SIGTERM stops the server
    /// cleanly (exit 0).
    @Test func writesTheEnvironmentAndStopsOnSIGTERM() throws {
        let file = NSTemporaryDirectory() + "trustflow-mock-\(UUID().uuidString).env"
        defer { try? FileManager.default.removeItem(atPath: file) }
        let process = Process()
        process.executableURL = Binary.executable
        process.arguments = ["mock", "--port", "0", "--function", "ordersFunction", "--env-file", file]
        process.currentDirectoryURL = Binary.repositoryRoot
        process.standardOutput = Pipe()
        process.standardError = Pipe()
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        var waited = 0
        while !FileManager.default.fileExists(atPath: file), process.isRunning, waited < 600 {
            Thread.sleep(forTimeInterval: 0.1)
            waited += 1
        }
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(text.contains("# ordersFunction: arn:aws:sts::111111111111:assumed-role/LambdaExecutionRole/orders-api\n"))
        for name in ["AWS_ACCESS_KEY_ID=ASIA", "AWS_SECRET_ACCESS_KEY=", "AWS_SESSION_TOKEN=", "AWS_REGION=us-east-1", "AWS_DEFAULT_REGION=us-east-1"] {
            #expect(text.contains("export \(name)"), "\(name)")
        }
        #expect(text.contains("export AWS_ENDPOINT_URL=http://127.0.0.1:"))
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 0)
    }

    /// An IAM user's long-term keys are in the environment too, as comments (sourcing the file keeps a function's).
    @Test func theEnvironmentNamesEveryUsersKeys() throws {
        let file = NSTemporaryDirectory() + "trustflow-mock-\(UUID().uuidString).env"
        defer { try? FileManager.default.removeItem(atPath: file) }
        let process = Process()
        process.executableURL = Binary.executable
        process.arguments = ["mock", "--content", "examples/lambda-to-secret", "--port", "0", "--env-file", file]
        process.currentDirectoryURL = Binary.repositoryRoot
        process.standardOutput = Pipe()
        process.standardError = Pipe()
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        var waited = 0
        while !FileManager.default.fileExists(atPath: file), process.isRunning, waited < 600 {
            Thread.sleep(forTimeInterval: 0.1)
            waited += 1
        }
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(text.contains("# user rotationJob: arn:aws:iam::622222222222:user/ci/secret-rotation-check\n"))
        #expect(text.contains("# export AWS_ACCESS_KEY_ID=AKIA"))
        #expect(text.contains("export AWS_ACCESS_KEY_ID=ASIA"))
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 0)
    }
}
