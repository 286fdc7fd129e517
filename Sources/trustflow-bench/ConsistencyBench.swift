import Foundation
import TestSupport

/// The consistency property at scale (`make fuzz`): `count` random models of run `seed` (default 20,000 and the run
/// 1), each checked as the property test checks its 500 — every output against the resolution, and each stated
/// cause against what really decides. Prints the figures and the first violations with the model that shows them;
/// exits 1 when any output disagrees, or when a model's snippet tests would not pass exactly when `check` does.
@Sendable func runConsistencyBench(_ arguments: [String]) async throws {
    let count = arguments.first.flatMap { Int($0) } ?? 20_000
    let seedText = arguments.count > 1 ? arguments[1] : "1"
    guard let seed = seedText.hasPrefix("0x") ? UInt64(seedText.dropFirst(2), radix: 16) : UInt64(seedText) else {
        print("consistency: the seed must be a number (decimal or 0x…), found \(seedText)")
        exit(2)
    }
    let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)

    struct Part: Sendable {
        var steps = 0
        var failing: [(index: Int, violations: [String])] = []
        var snippetRuns = 0
        var tallies: [String: Int] = [:]
    }
    let clock = ContinuousClock()
    let start = clock.now
    let cpuStart = processCPUSeconds()
    let parts = await withTaskGroup(of: Part.self) { group in
        for worker in 0..<workers {
            group.addTask {
                var part = Part()
                for index in stride(from: worker, to: count, by: workers) {
                    let model = ModelGenerator.model(seed: seed, index: index)
                    let report = ConsistencyCheck.run(model)
                    part.steps += report.steps
                    part.tallies.merge(report.tallies, uniquingKeysWith: +)
                    if !report.violations.isEmpty { part.failing.append((index, report.violations)) }
                    if !ConsistencyCheck.snippetRuns(model).isEmpty { part.snippetRuns += 1 }
                }
                return part
            }
        }
        var parts: [Part] = []
        for await part in group { parts.append(part) }
        return parts
    }
    let elapsed = clock.now - start
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    let cpu = processCPUSeconds() - cpuStart

    let steps = parts.reduce(0) { $0 + $1.steps }
    let failing = parts.flatMap(\.failing).sorted { $0.index < $1.index }
    let violations = failing.reduce(0) { $0 + $1.violations.count }
    let mockAllows = failing.reduce(0) { $0 + $1.violations.filter { $0.contains("MOCK ALLOWS") }.count }
    let snippetRuns = parts.reduce(0) { $0 + $1.snippetRuns }
    var tallies: [String: Int] = [:]
    for part in parts { tallies.merge(part.tallies, uniquingKeysWith: +) }
    func tally(_ prefix: String) -> String {
        tallies.filter { $0.key.hasPrefix(prefix) }.sorted { $0.key < $1.key }.map { "\($0.key.dropFirst(prefix.count)) \($0.value)" }.joined(separator: ", ")
    }

    // Wall clock and CPU time: on a shared machine the figure per CPU-second is the one that compares between runs.
    print("consistency: seed \(seed), \(count) models, \(steps) steps checked in \(String(format: "%.1f", seconds)) s on \(workers) cores: "
        + String(format: "%.1f models/s wall, %.1f models per CPU-second (%.1f ms each), %.0f steps/s wall", Double(count) / seconds, Double(count) / cpu, cpu / Double(count) * 1000, Double(steps) / seconds))
    print("consistency: decisions: \(tally("decision "))")
    print("consistency: causes: \(tally("cause "))")
    print("consistency: failed conditions met by changing the request or the caller's organization: \(tally("perturbed condition: "))")
    print("consistency: failed conditions on who the caller is, left as they are: \(tally("unperturbed condition: "))")
    print("consistency: \(tallies["snippet broken variant"] ?? 0) snippet broken-variant tests checked")
    print("consistency: \(violations) violations in \(failing.count) models (\(mockAllows) where the mock allows a denied step)")
    print("consistency: \(snippetRuns) models whose snippet tests would disagree with check")
    for (index, list) in failing.prefix(10) {
        print("  seed \(seed) model \(index): " + list.prefix(3).joined(separator: "\n    "))
    }
    if !failing.isEmpty || snippetRuns > 0 { exit(1) }
}
