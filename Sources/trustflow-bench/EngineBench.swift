import Foundation
import Model
import Policy
import Resolution
import TrustflowKit
import Source

/// The policy engine: decisions per second on one core over a realistic mix (every step of the model plus
/// the evaluation corpus), and the time of `check` on the content (load, prove, findings, report).
@Sendable func runEngineBench(_ arguments: [String]) async throws {
    let content = arguments.first ?? "content"
    let corpus = arguments.count > 1 ? arguments[1] : "Tests/PolicyTests/Corpus"
    let model = try ModelLoader.load(contentDirectory: content)
    // Every step of the model as the resolution evaluates it: its compiled policies and its request.
    var mix: [(policies: CompiledPolicySet, request: Request)] = Resolver.resolve(model).options.flatMap(\.steps).map { step in
        (CompiledPolicySet(Resolver.policySet(for: step, model: model)), step.request)
    }
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
        // The two arrays walked in place, without copying a request.
        let n = min(count, policies.count, requests.count)
        policies.withUnsafeBufferPointer { policies in
            requests.withUnsafeBufferPointer { requests in
                for i in 0..<n where policies[i].decide(requests[i]) == .allowed { allowed &+= 1 }
            }
        }
    }
    // Wall clock and this thread's CPU time: on a shared machine the CPU figure is the one-core figure.
    let cpuStart = threadCPUSeconds()
    var rounds = 0
    let result = Bench.measure(seconds: 2, batch: mix.count) {
        decideAll(mix.count)
        rounds += 1
    }
    let cpu = threadCPUSeconds() - cpuStart
    print(String(format: "engine: %.0f decisions/s wall, %.0f per CPU-second on one core (%.0f ns each), over %d requests (%d model steps + %d corpus)", result.perSecond, Double(rounds * mix.count) / cpu, cpu / Double(rounds * mix.count) * 1e9, mix.count, steps, mix.count - steps))
    let stepsResult = Bench.measure(seconds: 1, batch: steps) { decideAll(steps) }
    print(String(format: "engine: %.0f decisions/s on the model's %d steps alone", stepsResult.perSecond, steps))
    let ms = try Bench.bestMilliseconds(repeats: 20) {
        let loaded = try ModelLoader.load(contentDirectory: content)
        let resolution = Resolver.resolve(loaded)
        _ = CheckReport.text(resolution, model: loaded)
        _ = CheckReport.json(resolution, model: loaded)
    }
    print(String(format: "check: load + prove + findings + report of %@ in %.2f ms (best of 20)", content, ms))
    if allowed == -1 { print(allowed) }
}

/// CPU time of the calling thread, in seconds.
func threadCPUSeconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}
