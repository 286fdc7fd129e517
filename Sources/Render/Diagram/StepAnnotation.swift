internal import Model
internal import Policy
internal import Resolution

/// What a diagram says about one step, read from the step's resolution: who calls what, whether it is allowed, the
/// statements that grant it, or the cause of its denial in the words every other output uses (`CauseWording`).
struct StepAnnotation: Sendable, Hashable {
    var resolution: StepResolution
    var number: Int { resolution.number }
    var step: Step { resolution.step }
    var denied: Bool { resolution.decision != .allowed }
    /// "implicit deny" / "explicit deny", then on a second line what decided; `nil` when allowed.
    var reason: String?
    /// AWS's full message for a denial.
    var message: String? { resolution.message }
    /// Where the permission lives, one entry per statement ("policy AssumeDataRole\nSid AssumeRoleInB").
    var permissions: [String]

    /// The reason on one line ("implicit deny: no identity policy of R allows it").
    var reasonLine: String { (reason ?? "denied").replacingOccurrences(of: "\n", with: ": ") }

    static func annotate(_ option: AccessOption, in model: Model, resolution: ModelResolution) -> [StepAnnotation] {
        (resolution.option(option.id)?.steps ?? []).map { annotate($0, model: model) }
    }

    static func annotate(_ resolution: StepResolution, model: Model) -> StepAnnotation {
        let wording = CauseWording(resolution, model: model)
        var permissions: [String] = []
        if let cause = resolution.cause {
            if let statement = cause.statement { permissions = [describe(statement.policy, sid: statement.sid, deny: true)] }
        } else {
            // The grants: identity and resource-side Allows (boundaries and SCPs only limit).
            for statement in resolution.matched where statement.effect == .allow {
                guard let policy = resolution.policy(for: statement), policy.slot == .identity || policy.slot == .resource else { continue }
                let text = describe(policy, sid: statement.sid, deny: false)
                if !permissions.contains(text) { permissions.append(text) }
            }
        }
        let reason = wording.label.map { "\(wording.verdict)\n\($0)" }
        return StepAnnotation(resolution: resolution, reason: reason, permissions: permissions)
    }

    /// "policy AssumeDataRole\nSid AssumeRoleInB": the Sid on a line of its own keeps labels narrow.
    private static func describe(_ policy: AppliedPolicy, sid: String?, deny: Bool) -> String {
        policy.shortLabel + (deny ? " (Deny)" : "") + (sid.map { "\nSid \($0)" } ?? "")
    }
}
