import Foundation
import Policy
import Source
import FuzzDriver

/// A `simulate` request: every action × resource is evaluated; the streamed answer (what `trustflow simulate`
/// prints) must equal the tree written out, and `evaluate` and `decide` must agree on every request.
func fuzzSimulateInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    var limits = ContentLimits()
    limits.values = 20_000
    guard let request = try? SimulateRequest.parse(json: text, file: "request.json", limits: limits),
        request.actionNames.count * request.resourceARNs.count <= 200  // each pair is a result: keep an input fast
    else { return 0 }
    let now = 1_767_225_600.0
    let results = request.run(now: now)
    precondition(results.count == request.actionNames.count * request.resourceARNs.count, "one result per action × resource")
    // `trustflow simulate` streams its answer: the same text, byte for byte, as the tree written out.
    var streamed: [UInt8] = []
    SimulateStream.write(request, now: now) { streamed.append(contentsOf: $0) }
    precondition(String(decoding: streamed, as: UTF8.self) == JSONWriter.write(SimulateRequest.json(results), pretty: true), "the streamed answer differs")
    let (policies, requests) = request.prepared(now: now)
    for (index, prepared) in requests.enumerated() where index < results.count {
        precondition(policies.decide(prepared) == results[index].evaluation.decision, "evaluate and decide disagree")
    }
    return 0
}

exit(TrustflowFuzz(CommandLine.argc, CommandLine.unsafeArgv, fuzzSimulateInput))
