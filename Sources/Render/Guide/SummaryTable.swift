public import Model
public import Resolution
internal import Foundation

/// The summary table: one row per option, the seed's three columns plus what the model proves.
public struct SummaryTable: Sendable, Hashable {
    public struct Row: Sendable, Hashable {
        public var optionID: String
        public var approach: String
        public var policyLives: String
        public var bestFor: String
        /// `Account A (111111111111): identity policy of LambdaExecutionRole` …, one entry per policy to edit.
        public var edits: [String]
        /// The actions the option grants (its steps expected to be allowed), in step order, once each.
        public var actions: [String]
        /// `3/3 steps as expected`, `step 2 differs: …`, or `not checked`.
        public var check: String
    }

    public static let headers = ["Approach", "Where the policy lives", "Best use case", "Who edits what", "Actions granted", "Check"]

    public var rows: [Row]

    public init(_ model: Model, resolution: ModelResolution) {
        rows = model.options.map { option in
            let steps = resolution.option(option.id)?.steps ?? []
            var edits: [String] = []
            func add(_ entry: String) { if !edits.contains(entry) { edits.append(entry) } }
            for step in steps where step.expected == .allowed && step.decision == .allowed {
                // The policies whose statements grant the step, and any limit it cannot do without.
                var needed: [AppliedPolicy] = []
                for statement in step.matched where statement.effect == .allow {
                    if let policy = step.policy(for: statement), policy.slot == .identity || policy.slot == .resource, !needed.contains(policy) {
                        needed.append(policy)
                    }
                }
                for requirement in step.requirements where !needed.contains(requirement.policy) { needed.append(requirement.policy) }
                for policy in needed { add("\(model.account(policy.accountKey)?.name ?? policy.accountKey): \(policy.label)") }
                if step.step.isAssumeRole, case .function(let key) = step.caller.kind {
                    let function = model.function(key)
                    add("\(model.account(step.caller.accountKey)?.name ?? step.caller.accountKey): code of \(function?.name ?? key) calls AssumeRole")
                }
            }
            var actions: [String] = []
            for step in option.steps where step.expect == .allowed && !actions.contains(step.action) { actions.append(step.action) }
            return Row(
                optionID: option.id, approach: option.title, policyLives: option.policyLives, bestFor: option.bestFor,
                edits: edits, actions: actions, check: Self.check(option, resolution: resolution))
        }
    }

    static func check(_ option: AccessOption, resolution: ModelResolution) -> String {
        guard let result = resolution.option(option.id) else { return "not checked" }
        let good = result.steps.filter(\.ok).count
        if result.ok { return "✓ \(good)/\(result.steps.count) steps as expected" }
        let bad = result.steps.filter { !$0.ok }.map { "step \($0.number): \($0.decision.rawValue), expected \($0.expected.rawValue)" }
        return "✗ \(bad.joined(separator: "; "))"
    }

    /// The table as HTML; every cell through `HTML.escape`.
    public func html(link: (String) -> String?) -> String {
        var out = "<div class=\"table-wrap\"><table class=\"summary\">\n<thead><tr>"
        for header in Self.headers { out += "<th scope=\"col\">\(HTML.escape(header))</th>" }
        out += "</tr></thead>\n<tbody>\n"
        for row in rows {
            let approach = link(row.optionID).map { "<a href=\"\(HTML.escape($0))\">\(HTML.escape(row.approach))</a>" } ?? HTML.escape(row.approach)
            let checkClass = row.check.hasPrefix("✓") ? "ok" : row.check.hasPrefix("✗") ? "fail" : "unchecked"
            out += "<tr data-option=\"\(HTML.escape(row.optionID))\"><th scope=\"row\">\(approach)</th>"
            out += "<td>\(HTML.escape(row.policyLives))</td><td>\(HTML.escape(row.bestFor))</td>"
            out += "<td><ul>" + row.edits.map { "<li>\(HTML.escape($0))</li>" }.joined() + "</ul></td>"
            out += "<td>" + row.actions.map { "<code>\(HTML.escape($0))</code>" }.joined(separator: " ") + "</td>"
            out += "<td class=\"check \(checkClass)\">\(HTML.escape(row.check))</td></tr>\n"
        }
        return out + "</tbody>\n</table></div>"
    }

    /// The table as a GitHub pipe table; every cell through `MarkdownText.escape`.
    public func markdown(link: (String) -> String?) -> String {
        var lines = ["| " + Self.headers.joined(separator: " | ") + " |", "|" + String(repeating: " --- |", count: Self.headers.count)]
        for row in rows {
            let approach = link(row.optionID).map { "[\(MarkdownText.escape(row.approach))](\($0))" } ?? MarkdownText.escape(row.approach)
            let cells = [
                approach, MarkdownText.escape(row.policyLives), MarkdownText.escape(row.bestFor),
                row.edits.map(MarkdownText.escape).joined(separator: "<br>"),
                row.actions.map { "`\($0.replacingOccurrences(of: "|", with: "\\|"))`" }.joined(separator: " "),
                MarkdownText.escape(row.check),
            ]
            lines.append("| " + cells.joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
