// The adapter over the policy engine's `Prover.authorize` (branch `policy`, Sources/Model/Proof/Prover.swift).
public import Model
import Policy

/// Authorizes simulated calls with the policy engine over the model: identity policies, trust policies, table
/// policies, boundaries, SCPs and cross-account rules, exactly as `trustflow check` evaluates a step.
public struct ModelAuthorizer: Authorizer {
    public let model: Model
    public init(model: Model) { self.model = model }
    public var name: String { "policy engine (Prover.authorize)" }

    public func authorize(_ request: AuthorizationRequest) -> AuthorizationDecision {
        let decision = Prover.authorize(
            model: model, principalARN: request.principalARN, action: request.action, resourceARN: request.resourceARN,
            context: Self.context(request.context)
        )
        return AuthorizationDecision(allowed: decision.decision == .allowed, message: decision.message ?? "")
    }

    /// The simulator's context keys as the engine's typed context: the global keys AWS types as dates, numbers,
    /// booleans or IP addresses keep that type (so `DateGreaterThan aws:CurrentTime` works), keys with several
    /// values are lists, the rest strings.
    static func context(_ entries: [String: [String]]) -> RequestContext {
        var context = RequestContext()
        for (key, values) in entries.sorted(by: { $0.key < $1.key }) {
            let scalar = typedKeys[key.lowercased()] ?? .string
            let type: ContextKeyType =
                if values.count > 1 || key.lowercased() == "aws:tagkeys" {
                    ContextKeyType(rawValue: scalar.rawValue + "List") ?? .stringList
                } else {
                    scalar
                }
            context[key] = ContextValue(values, type: type)
        }
        return context
    }

    private static let typedKeys: [String: ContextKeyType] = [
        "aws:currenttime": .date, "aws:tokenissuetime": .date, "aws:epochtime": .numeric,
        "aws:multifactorauthage": .numeric, "aws:securetransport": .boolean, "aws:viaawsservice": .boolean,
        "aws:principalisawsservice": .boolean, "aws:multifactorauthpresent": .boolean, "aws:sourceip": .ip,
    ]
}
