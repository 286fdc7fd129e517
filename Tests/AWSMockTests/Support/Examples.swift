import AWSClient
import AWSMock
import Foundation
import Model
import Resolution

/// The repository's example models (`examples/<name>`).
enum Examples {
    static let directory: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }  // Support, AWSMockTests, Tests, repo
        return url.appendingPathComponent("examples").path
    }()

    static func load(_ name: String) throws -> Model { try ModelLoader.load(contentDirectory: directory + "/" + name) }

    /// The new services' examples, each with a simulator over the real engine.
    static let services = ["lambda-to-s3-kms", "lambda-to-secret", "sns-to-sqs", "cross-account-invoke"]
}

/// The outcome of one wire call: allowed, or the code, HTTP status and message AWS's error carried.
struct Outcome: Equatable, CustomStringConvertible {
    var allowed: Bool
    var code: String?
    var status: Int?
    var message: String?

    static let allowed = Outcome(allowed: true)

    static func of(_ body: () async throws -> Void) async -> Outcome {
        do {
            try await body()
            return .allowed
        } catch let error as AWSError {
            return Outcome(allowed: false, code: error.code, status: error.status, message: error.message)
        } catch {
            return Outcome(allowed: false, code: "Unexpected", message: "\(error)")
        }
    }

    var description: String { allowed ? "allowed" : "\(status ?? 0) \(code ?? "-"): \(message ?? "")" }
}

extension AWSSimulator {
    /// The client configuration of a step's caller: a function's execution-role session or a user's keys.
    func configuration(for caller: Step.Caller) throws -> AWSConfiguration? {
        switch caller {
        case .function(let key): try configuration(forFunction: key)
        case .user(let key): try configuration(forUser: key)
        case .role, .service: nil
        }
    }

    /// Makes a step's call with the real client, as the snippets make it; nil for a call this helper does not make.
    func call(_ step: StepResolution, model: Model, configuration aws: AWSConfiguration) async -> Outcome? {
        let resource = model.resource(step.step.target.key)
        let arn = resource?.arn ?? ""
        switch step.action.lowercased() {
        case "s3:getobject":
            return await Outcome.of { _ = try await S3(configuration: aws).getObject(bucket: resource?.name ?? "", key: step.step.concreteObject ?? "x") }
        case "s3:putobject":
            return await Outcome.of {
                _ = try await S3(configuration: aws).putObject(bucket: resource?.name ?? "", key: step.step.concreteObject ?? "x", body: Array("new".utf8))
            }
        case "s3:listbucket":
            return await Outcome.of { _ = try await S3(configuration: aws).listObjectsV2(bucket: resource?.name ?? "") }
        case "secretsmanager:getsecretvalue":
            return await Outcome.of { _ = try await SecretsManager(configuration: aws).getSecretValue(secretID: arn) }
        case "secretsmanager:describesecret":
            return await Outcome.of { _ = try await SecretsManager(configuration: aws).describeSecret(secretID: arn) }
        case "sns:publish":
            return await Outcome.of { _ = try await SNS(configuration: aws).publish(to: .topic(arn: arn), message: "hello") }
        case "sqs:sendmessage":
            return await Outcome.of { _ = try await SQS(configuration: aws).sendMessage(queueURL: Self.queueURL(arn), body: "hello") }
        case "sqs:receivemessage":
            return await Outcome.of { _ = try await SQS(configuration: aws).receiveMessage(queueURL: Self.queueURL(arn)) }
        case "lambda:invokefunction":
            return await Outcome.of { _ = try await Lambda(configuration: aws).invoke(functionName: step.resourceARN, payload: Array("{}".utf8)) }
        default:
            return nil
        }
    }

    /// `https://sqs.<region>.amazonaws.com/<account>/<name>` of a queue ARN.
    static func queueURL(_ arn: String) -> String {
        let parts = arn.split(separator: ":")
        return "https://sqs.\(parts[3]).amazonaws.com/\(parts[4])/\(parts[5])"
    }
}
