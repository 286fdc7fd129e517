import Foundation
import Model
import Policy
import TrustflowKit

/// The policy engine: decisions per second on one core over a realistic mix (every step of the model plus
/// the evaluation corpus), and the time of `check` on the content (load, prove, findings, report).
@Sendable func runEngineBench(_ arguments: [String]) async throws {
    let content = arguments.first ?? "content"
    let corpus = arguments.count > 1 ? arguments[1] : "Tests/PolicyTests/Corpus"
    let model = try ModelLoader.load(contentDirectory: content)
    var mix: [(policies: CompiledPolicySet, request: Request)] = Prover.preparedSteps(model)
    let steps = mix.count
    let files = (try? FileManager.default.contentsOfDirectory(atPath: corpus))?.filter { $0.hasSuffix(".json") }.sorted() ?? []
    for file in files {
        let path = corpus + "/" + file
        guard let text = try? String(contentsOfFile: path, encoding: .utf8), let root = JSONReader.parse(text, file: path).value else { continue }
        for item in root["cases"]?.elements ?? [] {
            guard let input = item["input"], let request = try? SimulateRequest.parse(input, file: path) else { continue }
            let (policies, requests) = request.prepared()
            for one in requests { mix.append((policies, one)) }
        }
    }
    // Two arrays of concrete types, iterated in place: copying (policies, request) pairs out of an array costs
    // more retains than the decision itself.
    let policies = mix.map(\.policies)
    let requests = mix.map(\.request)
    var allowed = 0
    func decideAll(_ count: Int) {
        allowed &+= CompiledPolicySet.countAllowed(policies, requests, count: count)
    }
    let result = Bench.measure(seconds: 2, batch: mix.count) { decideAll(mix.count) }
    print(String(format: "engine: %.0f decisions/s on one core (%.0f ns each) over %d requests (%d model steps + %d corpus)", result.perSecond, result.nanosecondsPerOp, mix.count, steps, mix.count - steps))
    let stepsResult = Bench.measure(seconds: 1, batch: steps) { decideAll(steps) }
    print(String(format: "engine: %.0f decisions/s on the model's %d steps alone", stepsResult.perSecond, steps))
    let ms = try Bench.bestMilliseconds(repeats: 20) {
        let loaded = try ModelLoader.load(contentDirectory: content)
        let proof = Prover.prove(loaded)
        _ = CheckReport.text(proof, model: loaded)
        _ = CheckReport.json(proof)
    }
    print(String(format: "check: load + prove + findings + report of %@ in %.2f ms (best of 20)", content, ms))
    if allowed == -1 { print(allowed) }
}
