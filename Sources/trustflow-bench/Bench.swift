import Foundation
import TestSupport

/// The registry of benchmark areas. Add an entry per area: `"engine": runEngineBench`.
enum Bench {
    static let areas: [String: @Sendable ([String]) async throws -> Void] = [
        "load": runLoadBench,
        "engine": runEngineBench,
        "parse": runParseBench,
        "site": runSiteBench,
        "simulator": runSimulatorBench,
        "diagrams": runDiagramBench,
        "consistency": runConsistencyBench,
        // Not a measurement: writes generated model <index> of run <seed> as model.yml, to reproduce a violation.
        "model": { arguments in
            guard arguments.count == 2, let seed = UInt64(arguments[0]), let index = Int(arguments[1]) else {
                print("usage: trustflow-bench model <seed> <index>   (prints the model as model.yml)")
                exit(2)
            }
            print(ModelGenerator.yaml(ModelGenerator.model(seed: seed, index: index)), terminator: "")
        },
    ]

    /// Runs `body` repeatedly for at least `seconds`, returns operations per second and the per-op time.
    static func measure(seconds: Double = 1.0, batch: Int = 1, _ body: () throws -> Void) rethrows -> (perSecond: Double, nanosecondsPerOp: Double) {
        let clock = ContinuousClock()
        var operations = 0
        let start = clock.now
        var elapsed = Duration.zero
        repeat {
            try body()
            operations += batch
            elapsed = clock.now - start
        } while elapsed < .seconds(seconds)
        let total = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return (Double(operations) / total, total / Double(operations) * 1e9)
    }

    /// Milliseconds of one run of `body` (best of `repeats`).
    static func bestMilliseconds(repeats: Int = 5, _ body: () throws -> Void) rethrows -> Double {
        let clock = ContinuousClock()
        var best = Double.infinity
        for _ in 0..<repeats {
            let start = clock.now
            try body()
            let elapsed = clock.now - start
            best = min(best, Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
        }
        return best
    }
}
