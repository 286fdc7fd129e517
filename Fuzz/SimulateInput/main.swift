import Foundation
import Policy
import Source
import FuzzDriver

/// A `simulate` request: every action × resource is evaluated and the answer serialized; `evaluate` and `decide`
/// must agree on every request.
func fuzzSimulateInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    var limits = ContentLimits()
    limits.values = 20_000
    limits.simulatePairs = 200
    guard let request = try? SimulateRequest.parse(json: text, file: "request.json", limits: limits) else { return 0 }
    let now = 1_767_225_600.0
    let results = request.run(now: now)
    precondition(results.count == request.actionNames.count * request.resourceARNs.count, "one result per action × resource")
    _ = JSONWriter.write(SimulateRequest.json(results), pretty: true)
    let (policies, requests) = request.prepared(now: now)
    for (index, prepared) in requests.enumerated() where index < results.count {
        precondition(policies.decide(prepared) == results[index].evaluation.decision, "evaluate and decide disagree")
    }
    return 0
}

var arguments = CommandLine.argc
var values: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&arguments, &values) { data, size in
    guard let data else { return 0 }
    return fuzzSimulateInput(data, size)
})
