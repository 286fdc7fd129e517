import Foundation
import Model
import Resolution
import TestSupport
import Testing

/// The consistency property over random models: for every step, `check`'s decision, the diagrams' verdict, the
/// guide's verdict, the snippet's expectation and the mock's answer agree, and the stated cause names what decided.
@Suite struct ConsistencyPropertyTests {
    /// Fixed, so `make test` is reproducible; `make fuzz` runs many more models with any seed.
    static let seed = ModelGenerator.testSeed
    static let count = Int(ProcessInfo.processInfo.environment["TRUSTFLOW_PROPERTY_MODELS"] ?? "") ?? 500

    @Test func everyOutputAgreesWithTheResolution() async {
        // The models are independent: one worker per core keeps the run short in a debug build.
        let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let reports = await withTaskGroup(of: [(index: Int, report: ConsistencyCheck.Report)].self) { group in
            for worker in 0..<workers {
                group.addTask {
                    stride(from: worker, to: Self.count, by: workers).map { ($0, ConsistencyCheck.run(ModelGenerator.model(seed: Self.seed, index: $0))) }
                }
            }
            var all: [(index: Int, report: ConsistencyCheck.Report)] = []
            for await part in group { all += part }
            return all.sorted { $0.index < $1.index }
        }
        var failures: [String] = []
        var steps = 0
        var tallies: [String: Int] = [:]
        for (index, report) in reports {
            steps += report.steps
            tallies.merge(report.tallies, uniquingKeysWith: +)
            if !report.violations.isEmpty {
                failures.append("seed \(Self.seed) model \(index): " + report.violations.prefix(5).joined(separator: "\n    "))
            }
        }
        if ProcessInfo.processInfo.environment["TRUSTFLOW_PROPERTY_TALLIES"] != nil {
            print(tallies.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "\n"))
        }
        #expect(steps > Self.count, "the generator made too few steps: \(steps)")
        #expect(failures.isEmpty, "\(failures.count) of \(Self.count) models disagree; regenerate one with ModelGenerator.model(seed:index:)\n\(failures.prefix(8).joined(separator: "\n"))")
    }

    /// The generated snippet tests pass exactly when `check` passes the calls the snippet makes: a step whose
    /// session comes from a refused AssumeRole is decided by that refusal (the call is never made), and a step's
    /// `context:` reaches the simulator as the environment of that call.
    @Test func snippetTestsPassExactlyWhenCheckPasses() {
        var failures: [String] = []
        for index in 0..<Self.count {
            let violations = ConsistencyCheck.snippetRuns(ModelGenerator.model(seed: Self.seed, index: index))
            if !violations.isEmpty { failures.append("seed \(Self.seed) model \(index): " + violations.prefix(3).joined(separator: "\n    ")) }
        }
        #expect(failures.isEmpty, "\(failures.count) of \(Self.count) models\n\(failures.prefix(8).joined(separator: "\n"))")
    }

    /// The same property over the repository's own content.
    @Test func theDefaultContentAgrees() throws {
        let model = try ModelLoader.load(contentDirectory: DefaultContent.directory)
        #expect(ConsistencyCheck.check(model) == [])
    }
}
