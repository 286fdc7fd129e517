public import Model
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

    public init(_ model: Model, proof: ModelProof?) {
        rows = model.options.map { option in
            let facts = StepFacts.all(model, option: option, proof: proof)
            var edits: [String] = []
            for fact in facts where fact.step.expect == .allowed {
                for requirement in fact.requirements {
                    let account = model.account(requirement.accountKey)
                    let owner = requirement.kind == .table
                        ? "resource policy of table \(model.table(requirement.ownerKey)?.name ?? requirement.ownerKey)"
                        : "\(requirement.kind == .trust ? "trust" : "identity") policy of \(model.role(requirement.ownerKey)?.name ?? requirement.ownerKey)"
                    let entry = "\(account?.name ?? requirement.accountKey): \(owner)"
                    if !edits.contains(entry) { edits.append(entry) }
                }
                if fact.step.isAssumeRole, case .function(let key) = fact.step.caller {
                    let function = model.function(key)
                    let account = model.account(function?.accountKey ?? "")
                    let entry = "\(account?.name ?? key): code of \(function?.name ?? key) calls AssumeRole"
                    if !edits.contains(entry) { edits.append(entry) }
                }
            }
            var actions: [String] = []
            for step in option.steps where step.expect == .allowed && !actions.contains(step.action) { actions.append(step.action) }
            return Row(
                optionID: option.id, approach: option.title, policyLives: option.policyLives, bestFor: option.bestFor,
                edits: edits, actions: actions, check: Self.check(option, proof: proof))
        }
    }

    static func check(_ option: AccessOption, proof: ModelProof?) -> String {
        guard let result = proof?.option(option.id) else { return "not checked" }
        let good = result.steps.filter(\.ok).count
        if result.ok { return "✓ \(good)/\(result.steps.count) steps as expected" }
        let bad = result.steps.filter { !$0.ok }.map { "step \($0.index): \($0.decision.rawValue), expected \($0.expected.rawValue)" }
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
