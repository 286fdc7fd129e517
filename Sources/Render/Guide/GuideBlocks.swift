internal import CommonMark
internal import Foundation
internal import Model
internal import Policy
internal import Resolution

/// Turns one directive into generated cmark blocks, for one output format.
struct GuideBlocks {
    enum Target {
        /// `output/guide.md`: pipe tables, fenced code, images as relative links.
        case markdown
        /// `output/site/*.html`: HTML tables and figures as custom blocks (they survive safe mode).
        case site
    }

    var inputs: GuideInputs
    var target: Target
    /// Where an option is explained: `trusted-role.html` in the site, `#…` in the Markdown; `nil` when nowhere.
    var optionLink: (String) -> String?

    var model: Model { inputs.model }

    func blocks(for directive: Directive) -> [GeneratedBlock] {
        switch directive {
        case .summaryTable:
            let table = SummaryTable(model, resolution: inputs.resolution)
            return [.raw(target == .site ? table.html(link: optionLink) : table.markdown(link: optionLink))]
        case .options:
            return [.list(ordered: true, items: model.options.map { option in
                let title: GeneratedInline = optionLink(option.id).map { .link(destination: $0, [.text(option.title)]) } ?? .text(option.title)
                var inlines: [GeneratedInline] = [.strong([title])]
                if let summary = option.summary { inlines += [.text(": "), .text(summary)] }
                return [.paragraph(inlines)]
            })]
        case .diagramOverview:
            var callers: [String] = []
            for noun in model.functions.map(\.resourceKind.noun) where !callers.contains(noun) { callers.append(noun) }
            let who = callers.isEmpty ? "function" : callers.joined(separator: ", ")
            return figure("overview.svg", alt: "Overview of \(model.title): the accounts, roles, \(who) and table", caption: "Overview")
        case .diagram(let id):
            let option = model.option(id)
            return figure("\(id)-architecture.svg", alt: "Architecture of \(option?.title ?? id)", caption: "Architecture: \(option?.title ?? id)")
        case .diagramFlow(let id):
            let option = model.option(id)
            return figure("\(id)-flow.svg", alt: "Call flow of \(option?.title ?? id), step by step", caption: "Call flow: \(option?.title ?? id)")
        case .frames(let id):
            return steps(id).flatMap { step in
                figure("\(id)-step-\(step.number).svg", alt: "Step \(step.number): \(sentence(step))", caption: "Step \(step.number): \(sentence(step))")
            }
        case .policyTrust(let key):
            guard let role = model.role(key) else { return [] }
            return policy(role.trust, caption: "Trust policy of role \(role.name)", account: role.accountKey, path: PolicyFiles.path(forRole: role, policy: role.trust))
        case .policyBoundary(let key):
            guard let role = model.role(key), let boundary = role.boundary else { return [] }
            return policy(boundary, caption: "Permissions boundary of role \(role.name)", account: role.accountKey, path: PolicyFiles.path(forRole: role, policy: boundary))
        case .policyIdentity(let key, let name):
            guard let role = model.role(key), let named = role.policies.first(where: { $0.name == name }) else { return [] }
            return policy(named, caption: "Identity policy \(name) of role \(role.name)", account: role.accountKey, path: PolicyFiles.path(forRole: role, policy: named))
        case .policyTable(let key):
            guard let table = model.table(key), let named = table.policy else { return [] }
            return policy(named, caption: "Resource-based policy of table \(table.name)", account: table.accountKey, path: PolicyFiles.path(forTable: table))
        case .policyServiceControl(let key, let name):
            guard let account = model.account(key), let named = account.serviceControlPolicies.first(where: { $0.name == name }) else { return [] }
            return policy(
                named, caption: "Service control policy \(name) of account \(account.key)", account: account.key,
                path: PolicyFiles.path(forServiceControlPolicy: named, account: account))
        case .policyUser(let key, let name):
            guard let user = model.user(key) else { return [] }
            if let name {
                guard let named = user.policies.first(where: { $0.name == name }) else { return [] }
                return policy(named, caption: "Identity policy \(name) of user \(user.name)", account: user.accountKey, path: PolicyFiles.path(forUser: user, policy: named))
            }
            guard let boundary = user.boundary else { return [] }
            return policy(boundary, caption: "Permissions boundary of user \(user.name)", account: user.accountKey, path: PolicyFiles.path(forUser: user, policy: boundary))
        case .policyResource(let key):
            guard let resource = model.resolvedResource(key) else { return [] }
            let kind = resource.resourceKind
            let noun = (kind.policyNoun ?? "resource-based policy")
            let name = resource.alias ?? resource.name
            if let named = resource.policy {
                let managed = AWSManagedKey.isManaged(key)
                let caption = managed ? "Key policy of the AWS managed key \(name) (AWS writes it; it cannot be changed)"
                    : noun.prefix(1).uppercased() + noun.dropFirst() + " of \(kind.noun) \(name)"
                return policy(named, caption: caption, account: resource.accountKey, path: managed ? nil : PolicyFiles.path(forResource: resource))
            }
            guard let document = AWSManagedKey.defaultKeyPolicy(accountID: model.account(resource.accountKey)?.id ?? "") else { return [] }
            let named = NamedPolicy(name: "default key policy", document: document, origin: .inline, location: resource.location)
            return policy(named, caption: "Key policy of key \(name): the model writes none, so AWS's default key policy applies", account: resource.accountKey,
                          path: nil)
        case .snippet(let id):
            return snippet(id)
        case .check(let id):
            return check(id)
        case .steps(let id):
            return [.list(ordered: true, items: steps(id).map { step in
                let wording = CauseWording(step, model: model)
                var inlines: [GeneratedInline] = [
                    .text(step.caller.displayName + " calls "), .code(step.step.action), .text(" on " + step.target.displayName),
                    .text(" — expected "), .strong([.text(expectation(step.step.expect))]), .text(", "),
                    .text(step.decision == .allowed ? "allowed" : wording.verdict), .text("."),
                ]
                if step.decision == .allowed {
                    let grants = statements(step)
                    if !grants.isEmpty { inlines += [.lineBreak, .text("Allowed by " + grants.joined(separator: " and ") + ".")] }
                } else if let sentence = wording.sentence {
                    inlines += [.lineBreak, .text(sentence)]
                    if step.decision == .implicitDeny, let remedy = wording.remedy {
                        inlines += [.lineBreak, .text((step.step.expect == .allowed ? "To fix it: " : "It would take: ") + remedy)]
                    }
                }
                for note in step.notes { inlines += [.lineBreak, .text("Note: " + note.text(model: model) + ".")] }
                inlines += [.lineBreak, .text("Caller "), .code(step.callerARN), .text(", resource "), .code(step.resourceARN), .text(".")]
                return [.paragraph(inlines)]
            })]
        case .failure(let id, let number):
            return failure(id, number)
        case .deploy(let id):
            return deploy(id)
        }
    }

    // MARK: - Pieces

    /// The resolved steps of an option.
    func steps(_ id: String) -> [StepResolution] { inputs.resolution.option(id)?.steps ?? [] }

    func sentence(_ step: StepResolution) -> String {
        "\(step.caller.displayName) calls \(step.step.action) on \(step.target.displayName)"
    }

    /// The statements that grant an allowed step, with their policies: "the identity policy AssumeDataRole of role
    /// LambdaExecutionRole (Sid AssumeRoleInB)". Boundaries and SCPs never grant: they are named as the limits the
    /// step stays within.
    func statements(_ step: StepResolution) -> [String] {
        var grants: [String] = []
        var limits: [String] = []
        for statement in step.matched where statement.effect == .allow {
            guard let policy = step.policy(for: statement) else { continue }
            let text = "the \(policy.label)" + (statement.sid.map { " (Sid \($0))" } ?? "")
            if policy.slot == .identity || policy.slot == .resource {
                if !grants.contains(text) { grants.append(text) }
            } else if !limits.contains(text) {
                limits.append(text)
            }
        }
        guard !grants.isEmpty else { return [] }
        if limits.isEmpty { return grants }
        return grants.dropLast() + [grants.last! + ", within " + limits.joined(separator: " and ")]
    }

    func expectation(_ expect: Expectation) -> String {
        switch expect {
        case .allowed: "allowed"
        case .implicitDeny: "denied (no policy allows it)"
        case .explicitDeny: "denied (an explicit Deny)"
        }
    }

    func accountName(_ key: String) -> String {
        guard let account = model.account(key) else { return key }
        return "\(account.name) (\(account.id))"
    }

    func note(_ text: String) -> GeneratedBlock {
        switch target {
        case .site: .raw("<p class=\"note\">\(HTML.escape(text))</p>")
        case .markdown: .blockQuote([.paragraph([.emphasis([.text(text)])])])
        }
    }

    func figure(_ name: String, alt: String, caption: String) -> [GeneratedBlock] {
        let path = "diagrams/\(name)"
        guard let svg = inputs.diagrams[name] else {
            return [note("Diagram \(path) is not part of this build.")]
        }
        switch target {
        case .markdown:
            return [.paragraph([.image(source: path, title: caption, alt: [.text(alt)])])]
        case .site:
            let size = SVGSize(svg)
            let dimensions = size.map { " width=\"\($0.width)\" height=\"\($0.height)\"" } ?? ""
            return [.raw("<figure class=\"diagram\"><a href=\"\(HTML.escape(path))\"><img src=\"\(HTML.escape(path))\" alt=\"\(HTML.escape(alt))\"\(dimensions)></a><figcaption>\(HTML.escape(caption))</figcaption></figure>")]
        }
    }

    /// `path == nil`: a policy AWS writes (a default or AWS managed key policy), which no file of the output holds.
    func policy(_ policy: NamedPolicy, caption: String, account: String, path: String?) -> [GeneratedBlock] {
        let place: [GeneratedInline] = path.map { [.text(" — in \(accountName(account)), written to "), .code($0), .text(":")] }
            ?? [.text(" — in \(accountName(account)); AWS writes it, so no file of the output holds it:")]
        return [.paragraph([.strong([.text(caption)])] + place), .codeBlock(language: "json", code: policy.document.jsonText)]
    }

    /// The option's Swift snippet and its Python twin: tabs on the site (radio buttons and CSS, no script), one after
    /// the other in the Markdown.
    func snippet(_ id: String) -> [GeneratedBlock] {
        if let option = model.option(id), !Snippets.covers(option) {
            let code = option.steps.filter(Snippets.isCode)
            let services = Set(code.map(\.service)).subtracting(Snippets.clientServices).sorted()
            let users = Set(code.compactMap { step -> String? in
                if case .user(let key) = step.caller { return key }
                return nil
            })
            let functions = code.contains { if case .function = $0.caller { return true } else { return false } }
            var reasons: [String] = []
            if code.isEmpty { reasons.append("its only calls are a service's own delivery, which is configuration, not code") }
            if users.count > 1 || (!users.isEmpty && functions) {
                reasons.append("its calls start from several sets of credentials (IAM users' keys and functions' sessions), which no single program holds")
            }
            if !services.isEmpty { reasons.append("Trustflow's AWS client has no \(services.joined(separator: ", ")) operations yet") }
            return [note("No code for this option: " + reasons.joined(separator: ", and ") + ". The steps above are proven by the policy engine all the same.")]
        }
        guard let swift = inputs.snippets?[id] else {
            return [note("The Swift snippet for this option is not part of this build: the snippets renderer did not provide one for '\(id)'.")]
        }
        guard let python = inputs.pythonSnippets?[id] else { return [.codeBlock(language: "swift", code: swift)] }
        switch target {
        case .markdown:
            return [
                .paragraph([.strong([.text("Swift")]), .text(" (Trustflow's AWSClient):")]), .codeBlock(language: "swift", code: swift),
                .paragraph([.strong([.text("Python")]), .text(" (boto3), the same calls:")]), .codeBlock(language: "python", code: python),
            ]
        case .site:
            let group = "snippet-" + GuideSource.safeName(id)
            let tabs = "<div class=\"tabs\">"
                + "<input type=\"radio\" name=\"\(HTML.escape(group))\" id=\"\(HTML.escape(group))-swift\" checked>"
                + "<label for=\"\(HTML.escape(group))-swift\">Swift</label>"
                + "<input type=\"radio\" name=\"\(HTML.escape(group))\" id=\"\(HTML.escape(group))-python\">"
                + "<label for=\"\(HTML.escape(group))-python\">Python</label>"
                + "<div class=\"tab\">"
            return [.raw(tabs), .codeBlock(language: "swift", code: swift), .raw("</div><div class=\"tab\">"),
                    .codeBlock(language: "python", code: python), .raw("</div></div>")]
        }
    }

    func check(_ id: String) -> [GeneratedBlock] {
        guard let option = model.option(id), let result = inputs.resolution.option(id) else { return [] }
        let summary = SummaryTable.check(option, resolution: inputs.resolution)
        return [
            .paragraph([.strong([.text("Checked by the policy engine:")]), .text(" " + summary)]),
            .list(ordered: false, items: result.steps.map { step in
                [.paragraph([.text(step.ok ? "✓ " : "✗ "), .text("Step \(step.number): "), .code(step.action), .text(" on "), .code(step.resourceARN),
                             .text(" → \(step.decision.rawValue) (expected \(step.expected.rawValue))")])]
            }),
        ]
    }

    /// "Deploy it": the option's CloudFormation stacks in deploy order, which account each goes into and why in that
    /// order, the commands, and what the templates leave to others (the function's code, SCPs).
    func deploy(_ id: String) -> [GeneratedBlock] {
        guard let plan = CloudFormation.plan(id, model: model, resolution: inputs.resolution) else { return [] }
        var blocks: [GeneratedBlock] = [
            .paragraph([
                .text("One CloudFormation template per account, generated from the model, in "), .code(plan.folder + "/"),
                .text(" of the output folder. Deploy them in this order, each with a profile of its account:"),
            ]),
            .list(ordered: true, items: plan.stacks.map { step in
                var inlines: [GeneratedInline] = [
                    .strong([.text(step.account.name)]), .text(" (account \(step.account.key), \(step.account.id)): "), .code(step.templatePath),
                    .text(", stack "), .code(step.stackName), .text(" — " + step.contents.joined(separator: "; ") + "."),
                ]
                if !step.reasons.isEmpty {
                    inlines += [.text(" It comes after the stacks above because " + step.reasons.joined(separator: "; ") + " (\"Invalid principal in policy\" until it exists).")]
                }
                if !step.keyReasons.isEmpty {
                    inlines += [.text(" It needs the key" + (step.keyReasons.count == 1 ? "" : "s") + " of the stacks above: " + step.keyReasons.joined(separator: "; ") + ".")]
                }
                return [.paragraph(inlines)]
            }),
            .codeBlock(language: "sh", code: plan.stacks.map(\.command).joined(separator: "\n") + "\n"),
        ]
        if !plan.notDeployed.isEmpty {
            blocks.append(.paragraph([.text("Not in the templates:")]))
            blocks.append(.list(ordered: false, items: plan.notDeployed.map { [.paragraph([.text($0)])] }))
        }
        if !plan.organizationCommands.isEmpty {
            blocks.append(.paragraph([.text("In the organization's management account (profile management):")]))
            blocks.append(.codeBlock(language: "sh", code: plan.organizationCommands.joined(separator: "\n") + "\n"))
        }
        return blocks
    }

    /// What AWS answers when the step fails: for a step meant to fail, its own denial; for an allowed step, the denial
    /// without each policy it needs (the engine's verdict with that policy taken away).
    func failure(_ id: String, _ number: Int) -> [GeneratedBlock] {
        guard let step = inputs.resolution.step(id, number) else { return [] }
        let status = ServiceRules.denialStatus(service: step.step.service)
        var blocks: [GeneratedBlock] = []
        if step.decision != .allowed {
            let wording = CauseWording(step, model: model)
            let lead = step.expected == .allowed ? "Step \(number) fails" : "Step \(number) is meant to fail"
            blocks.append(.paragraph([.text("\(lead): \(sentence(step)). \(wording.sentence ?? "") AWS answers \(status):")]))
            blocks.append(.codeBlock(language: "text", code: step.message ?? ""))
            return blocks
        }
        for requirement in step.requirements {
            blocks.append(.paragraph([.text("If the \(requirement.policy.label) in \(accountName(requirement.policy.accountKey)) did not allow "),
                                      .code(step.step.action), .text(", step \(number) would fail with \(status):")]))
            blocks.append(.codeBlock(language: "text", code: requirement.message))
        }
        if step.requirements.isEmpty {
            blocks.append(.paragraph([.text("Step \(number) does not depend on any single policy: more than one statement allows it.")]))
        }
        return blocks
    }
}

/// The `width` and `height` attributes of an SVG's root element (Graphviz writes them in pt).
struct SVGSize {
    var width: String
    var height: String

    init?(_ bytes: [UInt8]) {
        let head = String(decoding: bytes.prefix(4096), as: UTF8.self)
        guard let svg = head.range(of: "<svg") else { return nil }
        let tag = head[svg.lowerBound...].prefix { $0 != ">" }
        func attribute(_ name: String) -> String? {
            guard let start = tag.range(of: " \(name)=\"") else { return nil }
            let value = tag[start.upperBound...].prefix { $0 != "\"" }
            let number = value.prefix { $0.isNumber || $0 == "." }
            guard let points = Double(number), points > 0 else { return nil }
            return value.hasSuffix("pt") ? String(Int((points * 4 / 3).rounded())) : String(Int(points.rounded()))
        }
        guard let width = attribute("width"), let height = attribute("height") else { return nil }
        self.width = width
        self.height = height
    }
}
