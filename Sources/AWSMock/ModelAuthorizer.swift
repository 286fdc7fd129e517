// The adapter over the policy engine's `Prover.authorize` (branch `policy`, Sources/Model/Proof/Prover.swift).
// Guarded until that branch is merged: build with `-Xswiftc -DTRUSTFLOW_PROVER`, or delete the `#if` lines at merge.
#if TRUSTFLOW_PROVER
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
                context: request.context
            )
            return AuthorizationDecision(allowed: decision.decision == .allowed, message: decision.message ?? "")
        }
    }
#endif
