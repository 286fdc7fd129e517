import Model
import Policy
import Resolution

/// The words both snippet languages put in their comments, from the step's resolution: written once, so the Swift
/// snippet and its Python twin say the same thing.
enum SnippetProse {
    /// "Account B (Data account, 222222222222)".
    static func account(_ key: String, in model: Model) -> String {
        guard let account = model.account(key) else { return "Account \(key)" }
        return "Account \(account.key) (\(account.name), \(account.id))"
    }

    static func role(_ role: Role, in model: Model) -> String { "The role \(role.name) in \(account(role.accountKey, in: model))." }

    /// Why the table is named as it is: by name in its own account, by its full ARN across accounts.
    static func table(_ table: Table, byName: Bool, in model: Model) -> String {
        byName
            ? "The table \(table.name) in \(account(table.accountKey, in: model)), by name: the caller is in the table's own account."
            : "The table \(table.name) in \(account(table.accountKey, in: model)), by its full ARN: across accounts a bare name would mean a table in the caller's own account."
    }

    static func key(_ table: Table) -> String {
        "The key of one item of \(table.name): partition key \(table.partitionKey)" + (table.sortKey.map { ", sort key \($0)" } ?? "") + "."
    }

    /// "Allowed by the identity policy X of role R [Sid] and the trust policy of role T [Sid]." — the grants only.
    static func allowedBy(_ step: StepResolution) -> String? {
        guard step.decision == .allowed else { return nil }
        var statements: [String] = []
        for statement in step.matched where statement.effect == .allow {
            guard let policy = step.policy(for: statement), policy.slot == .identity || policy.slot == .resource else { continue }
            let text = policy.label + (statement.sid.map { " [\($0)]" } ?? "")
            if !statements.contains(text) { statements.append(text) }
        }
        guard !statements.isEmpty else { return nil }
        return "Allowed by the " + statements.joined(separator: " and the ") + "."
    }

    /// "Expected to fail with AccessDeniedException: <the cause in words>".
    static func denial(_ step: StepResolution, in model: Model) -> String {
        let code = ServiceRules.denialCode(service: step.step.service)
        return "Expected to fail with \(code): " + (CauseWording(step, model: model).sentence ?? "no policy grants it.")
    }
}
