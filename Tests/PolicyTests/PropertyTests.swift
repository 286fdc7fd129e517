import Policy
import Testing

/// A small deterministic generator (SplitMix64) so every run sees the same policies.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random but well-formed policies over a small vocabulary, so that matches are frequent.
struct PolicyGenerator {
    var random: SeededGenerator
    static let actions = ["dynamodb:GetItem", "dynamodb:Get*", "dynamodb:*", "dynamodb:PutItem", "sts:AssumeRole", "*", "dynamodb:?etItem"]
    static let resources = ["*", "arn:aws:dynamodb:us-east-1:111111111111:table/T", "arn:aws:dynamodb:us-east-1:222222222222:table/*", "arn:aws:dynamodb:*:*:table/T*"]
    static let principals = ["\"*\"", "{\"AWS\": \"111111111111\"}", "{\"AWS\": \"arn:aws:iam::111111111111:role/App\"}", "{\"AWS\": \"222222222222\"}", "{\"AWS\": \"arn:aws:sts::111111111111:assumed-role/App/s\"}"]
    static let conditions = ["", ", \"Condition\": {\"StringEquals\": {\"aws:PrincipalTag/team\": \"a\"}}", ", \"Condition\": {\"Bool\": {\"aws:SecureTransport\": \"true\"}}", ", \"Condition\": {\"StringNotEquals\": {\"aws:PrincipalAccount\": \"111111111111\"}}"]

    mutating func pick(_ list: [String]) -> String { list[Int(random.next() % UInt64(list.count))] }

    mutating func statement(effect: String? = nil, principal: Bool) -> String {
        let effect = effect ?? (random.next() % 3 == 0 ? "Deny" : "Allow")
        let principalPart = principal ? "\"Principal\": \(pick(Self.principals)), " : ""
        return "{\"Effect\": \"\(effect)\", \(principalPart)\"Action\": \"\(pick(Self.actions))\", \"Resource\": \"\(pick(Self.resources))\"\(pick(Self.conditions))}"
    }

    mutating func policy(kind: PolicyKind, effect: String? = nil, count: Int? = nil) -> NamedDocument {
        let n = count ?? Int(1 + random.next() % 3)
        let body = (0..<n).map { _ in statement(effect: effect, principal: kind == .resource) }.joined(separator: ", ")
        let text = "{\"Version\": \"2012-10-17\", \"Statement\": [\(body)]}"
        return NamedDocument(name: "generated", document: PolicyParser.parse(json: text, file: "generated", kind: kind).document!)
    }

    mutating func set() -> PolicySet {
        PolicySet(
            identity: (0..<Int(random.next() % 3)).map { _ in policy(kind: .identity) },
            resource: random.next() % 2 == 0 ? policy(kind: .resource) : nil,
            boundary: random.next() % 4 == 0 ? policy(kind: .boundary) : nil,
            serviceControlPolicies: random.next() % 4 == 0 ? [policy(kind: .serviceControl)] : [])
    }

    mutating func request() -> Request {
        let sameAccount = random.next() % 2 == 0
        var request = Request(
            principalARN: "arn:aws:sts::111111111111:assumed-role/App/s", principalAccount: "111111111111", principalType: .assumedRole,
            roleARN: "arn:aws:iam::111111111111:role/App", action: pick(["dynamodb:GetItem", "dynamodb:PutItem", "sts:AssumeRole"]),
            resourceARN: sameAccount ? "arn:aws:dynamodb:us-east-1:111111111111:table/T" : "arn:aws:dynamodb:us-east-1:222222222222:table/T",
            resourceAccount: sameAccount ? "111111111111" : "222222222222")
        if random.next() % 2 == 0 { request.context["aws:PrincipalTag/team"] = ContextValue("a") }
        ContextDerivation().apply(to: &request)
        return request
    }
}

@Suite struct PropertyTests {
    static let rounds = 600

    @Test func explicitDenyAlwaysWins() {
        var generator = PolicyGenerator(random: SeededGenerator(seed: 1))
        for _ in 0..<Self.rounds {
            var set = generator.set()
            let request = generator.request()
            set.identity.append(NamedDocument(name: "deny", document: PolicyParser.parse(json: "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Deny\", \"Action\": \"*\", \"Resource\": \"*\"}}", file: "deny", kind: .identity).document!))
            #expect(CompiledPolicySet(set).decide(request) == .explicitDeny)
        }
    }

    @Test func addingADenyNeverAllows() {
        var generator = PolicyGenerator(random: SeededGenerator(seed: 2))
        for _ in 0..<Self.rounds {
            var set = generator.set()
            let request = generator.request()
            let before = CompiledPolicySet(set).decide(request)
            set.identity.append(generator.policy(kind: .identity, effect: "Deny"))
            let after = CompiledPolicySet(set).decide(request)
            if before != .allowed { #expect(after != .allowed) }
            if before == .explicitDeny { #expect(after == .explicitDeny) }
        }
    }

    @Test func addingAnAllowNeverDenies() {
        var generator = PolicyGenerator(random: SeededGenerator(seed: 3))
        for _ in 0..<Self.rounds {
            var set = generator.set()
            let request = generator.request()
            let before = CompiledPolicySet(set).decide(request)
            set.identity.append(generator.policy(kind: .identity, effect: "Allow"))
            let after = CompiledPolicySet(set).decide(request)
            if before == .allowed { #expect(after == .allowed) }
        }
    }

    @Test func crossAccountNeedsBothSides() {
        var generator = PolicyGenerator(random: SeededGenerator(seed: 4))
        var crossAccountAllowed = 0
        for _ in 0..<Self.rounds {
            let set = generator.set()
            var request = generator.request()
            request.resourceARN = "arn:aws:dynamodb:us-east-1:222222222222:table/T"
            request.resourceAccount = "222222222222"
            let full = CompiledPolicySet(set).decide(request)
            var identityOnly = set
            identityOnly.resource = nil
            var resourceOnly = set
            resourceOnly.identity = []
            #expect(CompiledPolicySet(identityOnly).decide(request) != .allowed)
            #expect(CompiledPolicySet(resourceOnly).decide(request) != .allowed)
            if full == .allowed { crossAccountAllowed += 1 }
        }
        // The generator does produce allowed cross-account requests, so the property is not vacuous.
        #expect(crossAccountAllowed > 0)
    }
}
