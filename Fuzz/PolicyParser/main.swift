import Foundation
import Policy
import Source
import FuzzDriver

/// Requests every parsed policy is evaluated against: same account and across accounts, a role session, a user.
let requests: [Request] = [
    Request(
        principalARN: "arn:aws:sts::111111111111:assumed-role/Exec/fn", principalAccount: "111111111111", principalType: .assumedRole,
        roleARN: "arn:aws:iam::111111111111:role/Exec", action: "dynamodb:GetItem", resourceARN: "arn:aws:dynamodb:us-east-1:222222222222:table/Orders",
        resourceAccount: "222222222222"),
    Request(
        principalARN: "arn:aws:iam::111111111111:user/alice", principalAccount: "111111111111", principalType: .user,
        action: "sts:AssumeRole", resourceARN: "arn:aws:iam::111111111111:role/Data"),
]

let knowledge = Knowledge(
    accountIDs: ["111111111111", "222222222222"], roleARNs: ["arn:aws:iam::111111111111:role/Exec", "arn:aws:iam::222222222222:role/Data"],
    tableARNs: ["arn:aws:dynamodb:us-east-1:222222222222:table/Orders"], indexes: ["arn:aws:dynamodb:us-east-1:222222222222:table/Orders": ["ByStatus"]])

/// A policy document as each of the six kinds: what parses is analyzed, compiled and evaluated; `evaluate` (with its
/// trace) and `decide` must agree.
func fuzzPolicyParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let reading = JSONReader.read(text, file: "policy.json", limits: ReadLimits(depth: 64, stringBytes: 4096, values: 20_000))
    guard let tree = reading.value else { return 0 }
    for kind in PolicyKind.allCases {
        let (document, _) = PolicyParser.parse(tree, kind: kind)
        guard let document else { continue }
        let named = NamedDocument(name: "P", document: document)
        _ = Analyzer.analyze(named, knowledge: knowledge)
        let set: PolicySet
        switch kind {
        case .identity: set = PolicySet(identity: [named])
        case .resource, .trust: set = PolicySet(identity: [named], resource: named)
        case .boundary: set = PolicySet(identity: [named], boundary: named)
        case .session: set = PolicySet(identity: [named], sessions: [named])
        case .serviceControl: set = PolicySet(identity: [named], serviceControlPolicies: [named])
        }
        let compiled = CompiledPolicySet(set)
        for request in requests {
            let evaluation = compiled.evaluate(request, trace: true, collectMissing: true)
            precondition(evaluation.decision == compiled.decide(request), "evaluate and decide disagree for \(kind)")
        }
    }
    return 0
}

exit(TrustflowFuzz(CommandLine.argc, CommandLine.unsafeArgv, fuzzPolicyParser))
