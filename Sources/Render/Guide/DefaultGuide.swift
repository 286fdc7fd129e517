public import Model
public import Resolution

/// The guide written from the model alone, when the content has no `guide/` folder: a title page with the
/// overview diagram, the options and the summary table, and one page per option with its steps, policies,
/// diagrams, snippet, check and failure modes. It is Markdown with directives, so it goes through the same path
/// as authored prose.
public enum DefaultGuide {
    public static func pages(_ model: Model, resolution: ModelResolution) -> [GuideSource] {
        [index(model)] + model.options.map { page(model, option: $0, resolution: resolution) }
    }

    static func fence(_ directive: String) -> String { "```\(Directive.infoString)\n\(directive)\n```\n" }

    static func index(_ model: Model) -> GuideSource {
        let e = MarkdownText.escape
        let functions = model.functions.map { "\(e($0.name)) in \(e(model.account($0.accountKey)?.name ?? $0.accountKey))" }
        // What the options act on: tables and resources (not the keys and roles in between).
        var targets = model.tables.map { "\(e($0.name)) in \(e(model.account($0.accountKey)?.name ?? $0.accountKey))" }
        var seen: Set<String> = []
        for step in model.options.flatMap(\.steps) {
            guard case .resource(let key) = step.target, !seen.contains(key), let resource = model.resource(key), resource.kind != .kmsKey else { continue }
            seen.insert(key)
            targets.append("the \(resource.resourceKind.noun) \(e(resource.name)) in \(e(model.account(resource.accountKey)?.name ?? resource.accountKey))")
        }
        let tables = targets
        var text = "# \(e(model.title))\n\n"
        text += "This guide compares \(model.options.count) ways for \(functions.joined(separator: ", ")) to reach \(tables.joined(separator: ", ")). "
        text += "Every policy, diagram and check below is generated from one model, so they cannot disagree.\n\n"
        text += fence("diagram overview") + "\n## The options\n\n" + fence("options") + "\n## Summary\n\n" + fence("summary-table")
        return GuideSource(path: "\(model.contentDirectory)/guide (default)", name: "index", text: text)
    }

    static func page(_ model: Model, option: AccessOption, resolution: ModelResolution) -> GuideSource {
        let e = MarkdownText.escape
        var text = "# \(e(option.title))\n\n"
        if let summary = option.summary { text += "\(e(summary))\n\n" }
        text += "**Where the policy lives:** \(e(option.policyLives)). **Best for:** \(e(option.bestFor)).\n\n"
        text += "## Architecture\n\n" + fence("diagram \(option.id)") + "\n"
        text += "## Call flow\n\n" + fence("diagram \(option.id) flow") + "\n" + fence("steps \(option.id)") + "\n"
        text += "## Policies\n\n"
        // Every policy that decides a step: the grants and limits of allowed steps, the policies they cannot do
        // without, and the policies named by the cause of a denial (an SCP's Deny, a failed condition).
        var shown: [String] = []
        for step in resolution.option(option.id)?.steps ?? [] {
            for policy in step.decidingPolicies + step.requirements.map(\.policy) {
                let directive = directive(for: policy)
                if !shown.contains(directive) {
                    shown.append(directive)
                    text += fence(directive) + "\n"
                }
            }
        }
        text += "## Step by step\n\n" + fence("frames \(option.id)") + "\n"
        text += "## Code\n\n" + fence("snippet \(option.id)") + "\n"
        text += "## Check\n\n" + fence("check \(option.id)") + "\n"
        text += "## Deploy it\n\n" + fence("deploy \(option.id)") + "\n"
        text += "## When a step fails\n\n"
        for number in option.steps.indices {
            text += "### Step \(number + 1)\n\n" + fence("failure \(option.id) \(number + 1)") + "\n"
        }
        return GuideSource(path: "\(model.contentDirectory)/guide (default)", name: GuideSource.safeName(option.id), text: text)
    }

    /// The `policy …` directive that shows an applied policy.
    static func directive(for policy: AppliedPolicy) -> String {
        switch (policy.kind, policy.owner) {
        case (.identity, .role(let key)): "policy identity \(key) \(policy.name)"
        case (.boundary, .role(let key)): "policy boundary \(key)"
        case (.trust, .role(let key)): "policy trust \(key)"
        case (.tablePolicy, .table(let key)): "policy table \(key)"
        case (.serviceControl, .account(let key)): "policy scp \(key) \(policy.name)"
        case (.resourcePolicy, .resource(let key, _)), (.keyPolicy, .resource(let key, _)): "policy resource \(key)"
        case (.identity, .user(let key)): "policy identity \(key) \(policy.name)"
        case (.boundary, .user(let key)): "policy boundary \(key)"
        default: "policy \(policy.kind.rawValue) \(policy.name)"
        }
    }
}
