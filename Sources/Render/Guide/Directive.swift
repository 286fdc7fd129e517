public import Model
internal import Foundation
import Policy
internal import Resolution
public import Source

/// A block-level instruction in the prose: a fenced code block with the info string `trustflow` whose body names
/// what to insert, e.g. `diagram trusted-role flow`.
public enum Directive: Sendable, Hashable {
    case summaryTable
    case options
    case diagramOverview
    case diagram(option: String)
    case diagramFlow(option: String)
    case frames(option: String)
    case policyTrust(role: String)
    case policyIdentity(role: String, name: String)
    case policyBoundary(role: String)
    case policyTable(table: String)
    case policyServiceControl(account: String, name: String)
    /// A resource's policy: a bucket, queue, topic, secret, event bus or function policy, or a key's key policy (AWS's
    /// default one when the model gives none, or an AWS managed key's).
    case policyResource(resource: String)
    /// An IAM user's identity policy, or its boundary (`name == nil`).
    case policyUser(user: String, name: String?)
    case snippet(option: String)
    case check(option: String)
    case steps(option: String)
    case failure(option: String, step: Int)
    case deploy(option: String)

    /// The info string that marks a directive block.
    public static let infoString = "trustflow"

    /// The directives and their arguments, for error messages and the documentation.
    public static let grammar = [
        "summary-table", "options", "diagram overview", "diagram <option-id>", "diagram <option-id> flow",
        "frames <option-id>", "policy trust <role-key>", "policy identity <role-key> <policy-name>",
        "policy boundary <role-key>", "policy table <table-key>", "policy scp <account-key> <scp-name>", "policy resource <resource-key>",
        "snippet <option-id>", "check <option-id>",
        "steps <option-id>", "failure <option-id> <step-number>", "deploy <option-id>",
    ]

    /// Parses and resolves a directive against the model; every problem is a diagnostic at `location`.
    public static func parse(_ body: String, model: Model, at location: SourceLocation) -> Result<Directive, Diagnostic> {
        let lines = body.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard lines.count == 1, let line = lines.first else {
            return .failure(.error("a trustflow block holds exactly one directive, found \(lines.count); one of: \(grammar.joined(separator: ", "))", at: location))
        }
        let words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        func fail(_ message: String) -> Result<Directive, Diagnostic> { .failure(.error(message, at: location)) }
        func option(_ id: String) -> Diagnostic? {
            model.option(id) == nil ? .error("unknown option '\(id)'\(Spelling.didYouMean(id, among: model.options.map(\.id)))", at: location) : nil
        }
        func role(_ key: String) -> Diagnostic? {
            model.role(key) == nil ? .error("unknown role '\(key)'\(Spelling.didYouMean(key, among: model.roles.map(\.key)))", at: location) : nil
        }
        func usage(_ form: String) -> Result<Directive, Diagnostic> { fail("'\(words[0])' expects: \(form)") }

        switch words[0] {
        case "summary-table":
            return words.count == 1 ? .success(.summaryTable) : usage("summary-table")
        case "options":
            return words.count == 1 ? .success(.options) : usage("options")
        case "diagram":
            if words.count == 2, words[1] == "overview" { return .success(.diagramOverview) }
            guard words.count == 2 || (words.count == 3 && words[2] == "flow") else { return usage("diagram overview | diagram <option-id> [flow]") }
            if let problem = option(words[1]) { return .failure(problem) }
            return .success(words.count == 3 ? .diagramFlow(option: words[1]) : .diagram(option: words[1]))
        case "frames", "snippet", "check", "steps", "deploy":
            guard words.count == 2 else { return usage("\(words[0]) <option-id>") }
            if let problem = option(words[1]) { return .failure(problem) }
            switch words[0] {
            case "frames": return .success(.frames(option: words[1]))
            case "snippet": return .success(.snippet(option: words[1]))
            case "check": return .success(.check(option: words[1]))
            case "deploy": return .success(.deploy(option: words[1]))
            default: return .success(.steps(option: words[1]))
            }
        case "failure":
            guard words.count == 3, let number = Int(words[2]) else { return usage("failure <option-id> <step-number>") }
            if let problem = option(words[1]) { return .failure(problem) }
            let count = model.option(words[1])?.steps.count ?? 0
            guard (1...max(1, count)).contains(number), count > 0 else {
                return fail("option '\(words[1])' has \(count) step\(count == 1 ? "" : "s"); there is no step \(number)")
            }
            return .success(.failure(option: words[1], step: number))
        case "policy":
            guard words.count >= 3 else { return usage("policy trust|identity|boundary <role-key> [<policy-name>] | policy table <table-key> | policy scp <account-key> <scp-name> | policy resource <resource-key>") }
            switch words[1] {
            case "identity" where words.count == 4 && model.role(words[2]) == nil && model.user(words[2]) != nil:
                let names = model.user(words[2])?.policies.map(\.name) ?? []
                guard names.contains(words[3]) else {
                    return fail("user '\(words[2])' has no identity policy '\(words[3])'\(Spelling.didYouMean(words[3], among: names))")
                }
                return .success(.policyUser(user: words[2], name: words[3]))
            case "boundary" where words.count == 3 && model.role(words[2]) == nil && model.user(words[2]) != nil:
                if model.user(words[2])?.boundary == nil { return fail("user '\(words[2])' has no permissions boundary") }
                return .success(.policyUser(user: words[2], name: nil))
            case "trust", "boundary":
                guard words.count == 3 else { return usage("policy \(words[1]) <role-key>") }
                if let problem = role(words[2]) { return .failure(problem) }
                if words[1] == "boundary", model.role(words[2])?.boundary == nil { return fail("role '\(words[2])' has no permissions boundary") }
                return .success(words[1] == "trust" ? .policyTrust(role: words[2]) : .policyBoundary(role: words[2]))
            case "identity":
                guard words.count == 4 else { return usage("policy identity <role-key> <policy-name>") }
                if let problem = role(words[2]) { return .failure(problem) }
                let names = model.role(words[2])?.policies.map(\.name) ?? []
                guard names.contains(words[3]) else {
                    return fail("role '\(words[2])' has no identity policy '\(words[3])'\(Spelling.didYouMean(words[3], among: names))")
                }
                return .success(.policyIdentity(role: words[2], name: words[3]))
            case "table":
                guard words.count == 3 else { return usage("policy table <table-key>") }
                guard let table = model.table(words[2]) else {
                    return fail("unknown table '\(words[2])'\(Spelling.didYouMean(words[2], among: model.tables.map(\.key)))")
                }
                guard table.policy != nil else { return fail("table '\(words[2])' has no resource-based policy") }
                return .success(.policyTable(table: words[2]))
            case "scp":
                guard words.count == 4 else { return usage("policy scp <account-key> <scp-name>") }
                guard let account = model.account(words[2]) else {
                    return fail("unknown account '\(words[2])'\(Spelling.didYouMean(words[2], among: model.accounts.map(\.key)))")
                }
                let names = account.serviceControlPolicies.map(\.name)
                guard names.contains(words[3]) else {
                    return fail("account '\(words[2])' has no SCP '\(words[3])'\(Spelling.didYouMean(words[3], among: names))")
                }
                return .success(.policyServiceControl(account: words[2], name: words[3]))
            case "resource":
                guard words.count == 3 else { return usage("policy resource <resource-key>") }
                guard let resource = model.resolvedResource(words[2]) else {
                    let keys = model.resources.map(\.key) + model.functions.filter { $0.kind == .lambdaFunction }.map(\.key)
                    return fail("unknown resource '\(words[2])'\(Spelling.didYouMean(words[2], among: keys))")
                }
                guard resource.policy != nil || resource.kind == .kmsKey else {
                    return fail("\(resource.resourceKind.noun) '\(words[2])' has no \(resource.resourceKind.policyNoun ?? "resource-based policy")")
                }
                return .success(.policyResource(resource: words[2]))
            default:
                return fail("unknown policy kind '\(words[1])'; one of: trust, identity, boundary, table, scp, resource")
            }
        default:
            return fail("unknown directive '\(words[0])'\(Spelling.didYouMean(words[0], among: grammar.map { String($0.split(separator: " ")[0]) }))")
        }
    }
}
