import Foundation
import Policy
import Source
import FuzzDriver

/// One condition block from lines: the operator (`ForAnyValue:StringLikeIfExists`), the context key, the key's type
/// (`StringList`, `Numeric`…), then values: `=value` lines are what the request carries, other lines what the policy
/// wants. A block that parses is compiled into an Allow statement and evaluated with the key as given, absent, and
/// of every type; with the key absent the decision must follow IAM's documented missing-key rules.
func fuzzConditionEvaluator(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    guard lines.count >= 3, lines.count <= 200 else { return 0 }
    let operatorText = lines.removeFirst(), key = lines.removeFirst(), typeText = lines.removeFirst()
    let requestValues = lines.filter { $0.hasPrefix("=") }.map { String($0.dropFirst()) }
    let policyValues = lines.filter { !$0.hasPrefix("=") }
    let here = SourceLocation(file: "condition", line: 1, column: 1)
    func string(_ text: String) -> LocatedValue { LocatedValue(.string(text), at: here) }
    func member(_ key: String, _ value: LocatedValue) -> LocatedValue.Member { .init(key: key, keyLocation: here, value: value) }
    let condition = LocatedValue(.object([member(operatorText, LocatedValue(.object([member(key, LocatedValue(.array(policyValues.map(string)), at: here))]), at: here))]), at: here)
    let statement = LocatedValue(.object([
        member("Effect", string("Allow")), member("Action", string("dynamodb:GetItem")), member("Resource", string("*")), member("Condition", condition),
    ]), at: here)
    let tree = LocatedValue(.object([member("Version", string("2012-10-17")), member("Statement", statement)]), at: here)
    guard let document = PolicyParser.parse(tree, kind: .identity).document, let clause = document.statements.first?.conditions.first else { return 0 }
    let compiled = CompiledPolicySet(PolicySet(identity: [NamedDocument(name: "P", document: document)]))

    func request(_ context: RequestContext) -> Request {
        Request(
            principalARN: "arn:aws:sts::111111111111:assumed-role/Exec/fn", principalAccount: "111111111111", principalType: .assumedRole,
            roleARN: "arn:aws:iam::111111111111:role/Exec", action: "dynamodb:GetItem", resourceARN: "arn:aws:dynamodb:us-east-1:111111111111:table/T",
            context: context)
    }
    let types = [ContextKeyType(rawValue: typeText) ?? .string] + ContextKeyType.allCases
    for type in types {
        var context = RequestContext()
        context[key] = ContextValue(type.isList ? requestValues : Array(requestValues.prefix(1)), type: type)
        let present = request(context)
        let evaluation = compiled.evaluate(present, trace: true, collectMissing: true)
        precondition(evaluation.decision == compiled.decide(present), "evaluate and decide disagree")
    }

    // The key absent (IAM User Guide, "Condition operators" and "...IfExists"): Null is true when the policy says
    // "true"; IfExists is true; ForAllValues is true (no value fails), ForAnyValue false (no value matches); a plain
    // operator is false unless it is a negated one. Policy variables do not change any of it.
    let op = clause.operator
    let expected: Bool
    if op.base == .null {
        expected = clause.values.contains { $0.value.lowercased() == "true" }
    } else if op.ifExists {
        expected = true
    } else if let qualifier = op.qualifier {
        expected = qualifier == .forAllValues
    } else {
        expected = op.base.isNegated
    }
    let decision = compiled.decide(request(RequestContext()))
    precondition(decision == (expected ? .allowed : .implicitDeny), "\(op) with \(key) absent: \(decision), expected \(expected ? "allowed" : "implicitDeny")")
    return 0
}

exit(TrustflowFuzz(CommandLine.argc, CommandLine.unsafeArgv, fuzzConditionEvaluator))
