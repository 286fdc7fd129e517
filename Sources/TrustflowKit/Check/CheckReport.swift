public import Model
import Policy
internal import Render
public import Resolution
import Source

/// `trustflow check`'s output, as JSON and as text. Pure: the resolution in, text out; every verdict, cause and message
/// is the resolution's, worded by `CauseWording` as the guide and the diagrams word it.
public enum CheckReport {
    /// The JSON document: `{"ok", "options": [{"id", "ok", "steps": [...]}], "findings": [...]}`, and with
    /// `--run-snippets` `"snippets": [{"option", "ok", "output", "error"}]` (then `ok` also needs every snippet).
    public static func json(_ proof: ModelResolution, model: Model, snippets: [SnippetRunner.Result]? = nil) -> String {
        let options = proof.options.map { option in
            JSON.object([
                ("id", JSON.string(option.id)),
                ("ok", JSON.bool(option.ok)),
                ("steps", JSON.array(option.steps.map { step($0, model: model) })),
            ])
        }
        let findings = proof.findings.map { finding in
            JSON.object([
                ("severity", JSON.string(finding.severity.rawValue)),
                ("code", JSON.optional(finding.code) ?? JSON.null),
                ("message", JSON.string(finding.message)),
                ("location", JSON.string(finding.location.description)),
            ])
        }
        var members: [(String, LocatedValue?)] = [
            ("ok", JSON.bool(proof.ok && (snippets ?? []).allSatisfy(\.ok))),
            ("options", JSON.array(options)),
            ("findings", JSON.array(findings)),
        ]
        if let snippets {
            members.append(("snippets", JSON.array(snippets.map { result in
                JSON.object([
                    ("option", JSON.string(result.option)),
                    ("ok", JSON.bool(result.ok)),
                    ("output", JSON.string(result.output)),
                    ("error", JSON.optional(result.error) ?? JSON.null),
                ])
            })))
        }
        let document = JSON.object(members)
        return JSONWriter.write(document, pretty: true) + "\n"
    }

    static func step(_ step: StepResolution, model: Model) -> LocatedValue {
        let wording = CauseWording(step, model: model)
        return JSON.object([
            ("index", JSON.number(step.number)),
            ("caller", JSON.string(step.callerARN)),
            ("credentials", JSON.array(credentials(step.caller.credentials))),
            ("action", JSON.string(step.action)),
            ("resource", JSON.string(step.resourceARN)),
            ("crossAccount", JSON.bool(step.crossAccount)),
            ("decision", JSON.string(step.decision.rawValue)),
            ("expected", JSON.string(step.expected.rawValue)),
            ("ok", JSON.bool(step.ok)),
            ("matched", JSON.array(step.matched.map(matched))),
            ("message", JSON.optional(step.message) ?? JSON.null),
            ("cause", step.cause.map(cause) ?? JSON.null),
            ("why", JSON.optional(wording.sentence) ?? JSON.null),
            ("remedy", JSON.optional(wording.remedy) ?? JSON.null),
            ("notes", JSON.array(step.notes.map { JSON.string($0.text(model: model)) })),
            ("implied", JSON.array(step.implied.map { implied in
                JSON.object([
                    ("action", JSON.string(implied.action)),
                    ("resource", JSON.string(implied.resourceARN)),
                    ("decision", JSON.string(implied.decision.rawValue)),
                    ("matched", JSON.array(implied.matched.map(matched))),
                    ("message", JSON.optional(implied.message) ?? JSON.null),
                    ("cause", implied.cause.map(cause) ?? JSON.null),
                ])
            })),
        ])
    }

    /// The lineage of a caller's credentials, from the function to the session that calls.
    static func credentials(_ source: CredentialSource) -> [LocatedValue] {
        var out: [LocatedValue] = []
        if let function = source.rootFunction { out.append(JSON.object([("function", JSON.string(function))])) }
        for hop in source.hops {
            guard case .session(let role, let session, let externalID, let step, _) = hop else { continue }
            out.append(JSON.object([
                ("role", JSON.string(role)), ("session", JSON.string(session)), ("externalId", JSON.optional(externalID) ?? JSON.null),
                ("step", step.map { JSON.number($0) } ?? JSON.null),
            ]))
        }
        return out
    }

    /// The cause as data: what decided, and with which statement or condition.
    static func cause(_ cause: Cause) -> LocatedValue {
        let kind: String = switch cause.kind {
        case .explicitDeny: "explicitDeny"
        case .conditionFailed: "conditionFailed"
        case .noStatementAllows: "noStatementAllows"
        case .noPolicy: "noPolicy"
        }
        return JSON.object([
            ("kind", JSON.string(kind)),
            ("policyType", JSON.string(cause.slot.wording)),
            ("crossAccount", JSON.bool(cause.crossAccount)),
            ("policies", JSON.array(cause.policies.map { JSON.object([("policy", JSON.string($0.label)), ("location", JSON.string($0.location.description))]) })),
            ("statement", cause.statement.map { JSON.object([("sid", JSON.optional($0.sid) ?? JSON.null), ("location", JSON.string($0.location.description))]) } ?? JSON.null),
            ("conditions", JSON.array(cause.conditions.map { condition in
                JSON.object([
                    ("policy", JSON.string(condition.statement.policy.label)),
                    ("sid", JSON.optional(condition.statement.sid) ?? JSON.null),
                    ("location", JSON.string(condition.statement.location.description)),
                    ("operator", JSON.string(condition.operator)), ("key", JSON.string(condition.key)),
                    ("expected", JSON.array(condition.expected.map { JSON.string($0) })),
                    ("actual", JSON.array(condition.actual.map { JSON.string($0) })),
                ])
            })),
        ])
    }

    static func matched(_ statement: MatchedStatement) -> LocatedValue {
        JSON.object([
            ("policy", JSON.string(statement.policy)),
            ("sid", JSON.optional(statement.sid) ?? JSON.null),
            ("effect", JSON.string(statement.effect.rawValue)),
            ("location", JSON.string(statement.location.description)),
        ])
    }

    /// Readable text: ✓/✗ per step, the statements that decide it with file:line, then the findings, then (with
    /// `--run-snippets`) ✓/✗ per snippet with the test output of the failing ones.
    public static func text(_ proof: ModelResolution, model: Model, snippets: [SnippetRunner.Result]? = nil) -> String {
        var out = ""
        for option in proof.options {
            let title = model.option(option.id)?.title ?? option.id
            out += "\(option.ok ? "✓" : "✗") \(option.id): \(title)\n"
            for step in option.steps {
                let verdict = step.decision == .allowed ? "allowed" : step.decision.rawValue
                let expectation = step.ok ? (step.expected == .allowed ? "" : " (as expected)") : " — expected \(step.expected.rawValue)"
                out += "  \(step.ok ? "✓" : "✗") \(step.number). \(step.action) on \(step.resourceARN)\n"
                out += "       by \(step.callerARN)\n"
                out += "       → \(verdict)\(expectation)\n"
                for statement in step.matched {
                    let verb = statement.effect == .allow ? "allowed by" : "denied by"
                    out += "       \(verb) \(statement.policy)\(statement.sid.map { " [\($0)]" } ?? "") at \(statement.location)\n"
                }
                // The KMS calls the service makes with the same credentials, each decided like a step.
                for implied in step.implied {
                    let verdict = implied.decision == .allowed ? "allowed" : implied.decision.rawValue
                    out += "       + \(implied.action) on \(implied.resourceARN) (made by \(step.step.service) for this call) → \(verdict)\n"
                    for statement in implied.matched {
                        let verb = statement.effect == .allow ? "allowed by" : "denied by"
                        out += "         \(verb) \(statement.policy)\(statement.sid.map { " [\($0)]" } ?? "") at \(statement.location)\n"
                    }
                }
                let wording = CauseWording(step, model: model)
                if let message = step.message { out += "       AWS: \(message)\n" }
                if let why = wording.sentence { out += "       why: \(why)\n" }
                if !step.ok, let remedy = wording.remedy { out += "       to fix: \(remedy)\n" }
                for note in step.notes { out += "       note: \(note.text(model: model))\n" }
            }
        }
        if !proof.findings.isEmpty {
            out += "\nFindings:\n"
            for finding in proof.findings { out += "  \(finding.description)\n" }
        }
        if let snippets {
            out += "\nSnippets (built and run against the AWS simulator loaded with the content):\n"
            for result in snippets {
                out += "  \(result.ok ? "✓" : "✗") \(result.option)\(result.error.map { ": \($0)" } ?? "")\n"
                if !result.ok {
                    for line in result.output.split(separator: "\n", omittingEmptySubsequences: false) { out += "      \(line)\n" }
                }
            }
            let failed = snippets.filter { !$0.ok }.count
            if failed > 0 { out += "  \(failed) of \(snippets.count) snippets FAILED\n" }
        }
        let steps = proof.options.flatMap(\.steps)
        let failed = steps.filter { !$0.ok }.count
        let errors = proof.findings.filter { $0.severity == .error }.count
        let warnings = proof.findings.filter { $0.severity == .warning }.count
        let suggestions = proof.findings.filter { $0.severity == .suggestion }.count
        out += "\n\(proof.ok ? "check passed" : "check FAILED"): \(steps.count - failed) of \(steps.count) steps as expected; "
        out += "\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s"), \(suggestions) suggestion\(suggestions == 1 ? "" : "s")\n"
        return out
    }
}

/// `trustflow explain`'s trace: policy by policy, statement by statement, then the decision and AWS's message.
public enum ExplainReport {
    public static func text(_ step: StepResolution, model: Model) -> String {
        let request = step.request
        var out = "Request\n"
        out += "  caller:   \(request.principalARN) (\(request.principalType.rawValue), account \(request.principalAccount))\n"
        out += "  action:   \(request.action)\n"
        out += "  resource: \(request.resourceARN) (account \(request.resourceAccount))\n"
        out += "  \(request.isCrossAccount ? "cross-account: the caller's identity policies AND the resource policy must both allow" : "same account: an identity policy or the resource policy may allow")\n"
        out += "  context:\n"
        for key in request.context.sortedKeys {
            out += "    \(key) = \(request.context[key]?.values.joined(separator: ", ") ?? "")\n"
        }
        var currentPolicy: String?
        for entry in step.trace {
            if entry.policy != currentPolicy {
                currentPolicy = entry.policy
                out += "\n\(entry.slot.wording.prefix(1).uppercased() + entry.slot.wording.dropFirst()): \(entry.policy)\n"
            }
            let name = entry.sid.map { "[\($0)]" } ?? "(no Sid)"
            let detail: String
            switch entry.outcome {
            case .matched: detail = entry.effect == .allow ? "MATCHES → Allow" : "MATCHES → explicit Deny"
            case .principalDoesNotMatch: detail = "skipped: Principal does not name the caller"
            case .actionDoesNotMatch: detail = "skipped: Action does not cover \(request.action)"
            case .resourceDoesNotMatch: detail = "skipped: Resource does not cover \(request.resourceARN)"
            case .conditionFalse(let op, let key, _, let values):
                detail = "skipped: condition \(op) on \(key) is false (request has \(values.isEmpty ? "no value" : values.joined(separator: ", ")))"
            }
            out += "  \(entry.effect.rawValue) \(name) at \(entry.location): \(detail)\(entry.grant.map { "; the principal \($0)" } ?? "")\n"
        }
        if step.trace.isEmpty { out += "\n(no policy applies to this request)\n" }
        // The calls the service makes with the same credentials to serve this one, each traced the same way.
        for implied in step.implied {
            out += "\nMade by \(step.step.service) for this call, with the caller's credentials: "
                + "\(implied.action) → \(implied.decision.rawValue)\n"
            for line in text(implied, model: model).split(separator: "\n", omittingEmptySubsequences: false) where !line.isEmpty {
                out += "  | \(line)\n"
            }
        }
        out += "\nDecision: \(step.decision.rawValue)\n"
        if let message = step.message { out += "AWS would say: \(message)\n" }
        let wording = CauseWording(step, model: model)
        if let why = wording.sentence { out += "Why: \(why)\n" }
        if let remedy = wording.remedy { out += "To allow it: \(remedy)\n" }
        return out
    }
}
