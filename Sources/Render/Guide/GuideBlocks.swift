internal import CommonMark
internal import Foundation
internal import Model
internal import Policy

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
            let table = SummaryTable(model, proof: inputs.proof)
            return [.raw(target == .site ? table.html(link: optionLink) : table.markdown(link: optionLink))]
        case .options:
            return [.list(ordered: true, items: model.options.map { option in
                let title: GeneratedInline = optionLink(option.id).map { .link(destination: $0, [.text(option.title)]) } ?? .text(option.title)
                var inlines: [GeneratedInline] = [.strong([title])]
                if let summary = option.summary { inlines += [.text(": "), .text(summary)] }
                return [.paragraph(inlines)]
            })]
        case .diagramOverview:
            return figure("overview.svg", alt: "Overview of \(model.title): the accounts, roles, function and table", caption: "Overview")
        case .diagram(let id):
            let option = model.option(id)
            return figure("\(id)-architecture.svg", alt: "Architecture of \(option?.title ?? id)", caption: "Architecture: \(option?.title ?? id)")
        case .diagramFlow(let id):
            let option = model.option(id)
            return figure("\(id)-flow.svg", alt: "Call flow of \(option?.title ?? id), step by step", caption: "Call flow: \(option?.title ?? id)")
        case .frames(let id):
            guard let option = model.option(id) else { return [] }
            return StepFacts.all(model, option: option, proof: inputs.proof).flatMap { fact in
                figure("\(id)-step-\(fact.number).svg", alt: "Step \(fact.number): \(sentence(fact))", caption: "Step \(fact.number): \(sentence(fact))")
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
        case .snippet(let id):
            if let text = inputs.snippets?[id] { return [.codeBlock(language: "swift", code: text)] }
            return [note("The Swift snippet for this option is not part of this build: the snippets renderer did not provide one for '\(id)'.")]
        case .check(let id):
            return check(id)
        case .steps(let id):
            guard let option = model.option(id) else { return [] }
            return [.list(ordered: true, items: StepFacts.all(model, option: option, proof: inputs.proof).map { fact in
                var inlines: [GeneratedInline] = [.text(fact.callerName + " calls "), .code(fact.step.action), .text(" on " + fact.targetName)]
                if let index = fact.step.index { inlines += [.text(" (index "), .code(index), .text(")")] }
                inlines += [.text(" — expected "), .strong([.text(expectation(fact.step.expect))]), .text(".")]
                if !fact.requirements.isEmpty {
                    let lead = fact.step.expect == .allowed ? "Must allow it: " : "Nothing grants it, as intended; it would take: "
                    inlines += [.lineBreak, .text(lead + fact.requirements.map { "\($0.description) in \(accountName($0.accountKey))" }.joined(separator: "; ") + ".")]
                }
                inlines += [.lineBreak, .text("Caller "), .code(fact.callerARN), .text(", resource "), .code(fact.resourceARN), .text(".")]
                return [.paragraph(inlines)]
            })]
        case .failure(let id, let number):
            return failure(id, number)
        }
    }

    // MARK: - Pieces

    func sentence(_ fact: StepFacts) -> String {
        "\(fact.callerName) calls \(fact.step.action) on \(fact.targetName)\(fact.step.index.map { " (index \($0))" } ?? "")"
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

    func policy(_ policy: NamedPolicy, caption: String, account: String, path: String) -> [GeneratedBlock] {
        [.paragraph([.strong([.text(caption)]), .text(" — in \(accountName(account)), written to "), .code(path), .text(":")]),
         .codeBlock(language: "json", code: policy.document.jsonText)]
    }

    func check(_ id: String) -> [GeneratedBlock] {
        guard let option = model.option(id) else { return [] }
        guard let result = inputs.proof?.option(id) else {
            return [note("Not checked: this build has no verdict from the policy engine for '\(option.id)'.")]
        }
        let summary = SummaryTable.check(option, proof: inputs.proof)
        return [
            .paragraph([.strong([.text("Checked by the policy engine:")]), .text(" " + summary)]),
            .list(ordered: false, items: result.steps.map { step in
                [.paragraph([.text(step.ok ? "✓ " : "✗ "), .text("Step \(step.index): "), .code(step.action), .text(" on "), .code(step.resourceARN),
                             .text(" → \(step.decision.rawValue) (expected \(step.expected.rawValue))")])]
            }),
        ]
    }

    func failure(_ id: String, _ number: Int) -> [GeneratedBlock] {
        guard let option = model.option(id) else { return [] }
        let fact = StepFacts.facts(model, option: option, number: number, proof: inputs.proof?.option(id)?.steps.first { $0.index == number })
        var blocks: [GeneratedBlock] = []
        if fact.step.expect != .allowed {
            let proofMessage = inputs.proof?.option(id)?.steps.first { $0.index == number }?.message
            blocks.append(.paragraph([.text("Step \(number) is meant to fail: \(sentence(fact)). AWS answers \(fact.deniedStatus):")]))
            blocks.append(.codeBlock(language: "text", code: proofMessage ?? fact.requirements.first?.message ?? ""))
            return blocks
        }
        for requirement in fact.requirements {
            blocks.append(.paragraph([.text("If \(requirement.description) in \(accountName(requirement.accountKey)) does not allow "),
                                      .code(fact.step.action), .text(", step \(number) fails with \(fact.deniedStatus):")]))
            blocks.append(.codeBlock(language: "text", code: requirement.message))
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
