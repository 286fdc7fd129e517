import Model
import Policy
import TestSupport
import Testing

/// ECS tasks (`tasks:`) and EC2 instances (`instances:`) load as callers like functions, with their own ARNs and
/// session names, and their mistakes are located errors.
@Suite struct ComputeCallerTests {
    func load(_ model: String) throws -> (Model?, [String]) {
        let content = try TemporaryContent(model: model)
        defer { content.remove() }
        let errors = content.errors()
        return (errors.isEmpty ? try content.load() : nil, errors)
    }

    func withCallers(_ yaml: String) -> String {
        // The fixture's collections start at column 0; `yaml` is written indented by four spaces in the test source.
        let block = yaml.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasPrefix("    ") ? String($0.dropFirst(4)) : String($0) }
        precondition(validModel.contains("\ntables:\n"))
        return validModel.replacingOccurrences(of: "\ntables:\n", with: "\n" + block.joined(separator: "\n") + "tables:\n")
    }

    @Test func tasksAndInstancesDeriveTheirARNsAndSessions() throws {
        let (model, errors) = try load(withCallers("""
                tasks:
                  worker: { account: A, name: orders-worker, role: Exec, cluster: orders, taskId: 3f2a9c41e7b84d0c9a6e5b1d2c3f4a5b }
                  plain: { account: A, role: Exec }
                instances:
                  host: { account: A, role: Exec, instanceId: i-0abc1234def567890 }

            """))
        #expect(errors == [])
        let worker = try #require(model?.function("worker"))
        #expect(worker.kind == .ecsTask)
        #expect(worker.arn == "arn:aws:ecs:us-east-1:111111111111:task/orders/3f2a9c41e7b84d0c9a6e5b1d2c3f4a5b")
        #expect(worker.sessionARN == "arn:aws:sts::111111111111:assumed-role/Exec/3f2a9c41e7b84d0c9a6e5b1d2c3f4a5b")
        let plain = try #require(model?.function("plain"))
        #expect(plain.arn.hasPrefix("arn:aws:ecs:us-east-1:111111111111:task/default/"))
        #expect(plain.sessionName.count == 32 && plain.sessionName.allSatisfy(\.isHexDigit))
        let host = try #require(model?.function("host"))
        #expect(host.kind == .ec2Instance)
        #expect(host.arn == "arn:aws:ec2:us-east-1:111111111111:instance/i-0abc1234def567890")
        #expect(host.sessionARN == "arn:aws:sts::111111111111:assumed-role/Exec/i-0abc1234def567890")
        // Every derived ARN fits the catalog's format for its kind.
        for caller in [worker, plain, host] {
            let type = try #require(ServiceCatalog.service(caller.resourceKind.service)?.resourceTypes[caller.resourceKind.catalogType])
            #expect(ServiceCatalog.resource(caller.arn, canMatch: type), "\(caller.arn) does not fit \(type.arnFormat)")
        }
    }

    @Test func badIdsAndSharedKeysAreLocatedErrors() throws {
        let (_, errors) = try load(withCallers("""
                tasks:
                  worker: { account: A, role: Exec, taskId: NOT-AN-ID }
                  fn: { account: A, role: Exec }
                instances:
                  host: { account: A, role: Exec, instanceId: i-xyz }
                  other: { account: A, role: Data }

            """))
        #expect(errors.contains { $0.hasPrefix("model.yml:") && $0.contains("error: task 'worker': taskId \"NOT-AN-ID\" is not an ECS task id") }, "\(errors)")
        #expect(errors.contains { $0.contains("error: instance 'host': instanceId \"i-xyz\" is not an EC2 instance id") }, "\(errors)")
        #expect(errors.contains { $0.contains("error: 'fn' is both functions and tasks key") }, "\(errors)")
        #expect(errors.contains { $0.contains("its instance profile role 'Data' lives in account 'B'") }, "\(errors)")
        #expect(errors.allSatisfy { $0.range(of: #"^model\.yml:\d+:\d+: error: "#, options: .regularExpression) != nil }, "\(errors)")
    }
}
