import AWSMock
import Foundation
public import Model
import Policy
import Render
import Resolution

/// The consistency property: for every step of every option, every output says what the resolution decides, and the
/// cause it states names what really decided. Each output is read as a user reads it — the diagrams' DOT documents,
/// `guide.md`, the snippet package's Swift sources, the mock's answers — not through the values they were made from.
public enum ConsistencyCheck {
    public struct Report: Sendable {
        /// Steps checked.
        public var steps: Int
        /// What disagreed, the worst first (the mock allowing what the resolution denies).
        public var violations: [String]
        /// How often each kind of check ran (decisions, causes, the perturbations tried), so a run can show that the
        /// generator reaches every case.
        public var tallies: [String: Int]
    }

    /// The violations of `model`; empty when every output agrees.
    public static func check(_ model: Model) -> [String] { run(model).violations }

    /// Whether each option's generated snippet test would pass exactly when `check` passes for the calls the snippet
    /// makes, run in the abstract against the mock as the simulator runs it: without the step's `context:` keys (no
    /// client call can set them), and with a session whose AssumeRole was refused failing every later call that
    /// needs it, as `AssumedRoleCredentials` retries and fails. Kept apart from `run`: its disagreements are known
    /// and wait on a decision (see the property tests).
    public static func snippetRuns(_ model: Model) -> [String] {
        var checker = Checker(model: model)
        checker.checkSnippetRuns()
        return checker.violations
    }

    /// The mock's part alone: each step, and each KMS call a step implies, asked of the simulator's authorizer as the
    /// simulator asks it, decides as the resolution decides (the worst first).
    public static func mock(_ model: Model) -> [String] {
        var checker = Checker(model: model)
        checker.checkMock()
        return checker.worst + checker.violations
    }

    public static func run(_ model: Model) -> Report {
        var checker = Checker(model: model)
        checker.checkDiagrams()
        checker.checkGuide()
        checker.checkSnippets()
        checker.checkMock()
        checker.checkCauses()
        return Report(
            steps: checker.resolution.options.reduce(0) { $0 + $1.steps.count }, violations: checker.worst + checker.violations, tallies: checker.tallies)
    }
}

struct Checker {
    let model: Model
    let resolution: ModelResolution
    var violations: [String] = []
    /// The mock allowing a step the resolution denies: a simulator that lets through what AWS refuses.
    var worst: [String] = []
    var tallies: [String: Int] = [:]

    init(model: Model) {
        self.model = model
        resolution = Resolver.resolve(model)
    }

    var steps: [StepResolution] { resolution.options.flatMap(\.steps) }

    func name(_ step: StepResolution) -> String {
        let target = step.step.target.key + (step.step.index.map { "/index/\($0)" } ?? "")
        return "option \(step.optionID) step \(step.number) (\(step.step.caller.key) \(step.action) \(target), \(step.decision.rawValue))"
    }

    mutating func fail(_ step: StepResolution, _ property: String, _ detail: String) {
        violations.append("\(name(step)): \(property): \(detail)")
    }

    // MARK: - Diagrams

    /// The architecture and flow diagrams draw each step's edges dashed exactly when it is denied, with the cause's
    /// label; and the diagrams drawn one at a time (`trustflow diagram`) are the ones `build` writes.
    mutating func checkDiagrams() {
        let all = Diagrams.all(model, resolution: resolution, theme: .light)
        var oneByOne = [Diagrams.overview(model, resolution: resolution, theme: .light)]
        for option in model.options {
            oneByOne.append(Diagrams.architecture(model, option: option, resolution: resolution, theme: .light))
            oneByOne.append(Diagrams.flow(model, option: option, resolution: resolution, theme: .light))
            oneByOne += Diagrams.stepFrames(model, option: option, resolution: resolution, theme: .light)
        }
        if all.map(\.name) != oneByOne.map(\.name) {
            violations.append("diagram = build: `build` writes \(all.map(\.name)), `diagram` draws \(oneByOne.map(\.name))")
        }
        for (built, drawn) in zip(all, oneByOne) where built.dot != drawn.dot {
            let builtLines = built.dot.split(separator: "\n", omittingEmptySubsequences: false)
            let drawnLines = drawn.dot.split(separator: "\n", omittingEmptySubsequences: false)
            let first = zip(builtLines, drawnLines).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(builtLines.count, drawnLines.count)
            violations.append("diagram = build: \(built.name).dot differs at line \(first + 1): build \(builtLines.dropFirst(first).first ?? "<end>") / diagram \(drawnLines.dropFirst(first).first ?? "<end>")")
        }
        for option in model.options {
            let stem = Diagrams.stem(option)
            for view in ["architecture", "flow"] {
                guard let diagram = all.first(where: { $0.name == "\(stem)-\(view)" }) else {
                    violations.append("diagram verdict: no \(stem)-\(view) diagram")
                    continue
                }
                for step in resolution.option(option.id)?.steps ?? [] { checkEdges(diagram, step: step, view: view) }
            }
        }
    }

    mutating func checkEdges(_ diagram: Diagram, step: StepResolution, view: String) {
        let badge = Self.badge(step.number) + " "
        let badged = diagram.graph.edges.filter { Self.lines($0.attributes["label"]).first?.hasPrefix(badge) == true }
        // The KMS calls the service makes for the step: one edge each to the key, dashed exactly when refused.
        var edges = badged
        for implied in step.implied {
            let first = badge + implied.action + " (via "
            let found = badged.filter { Self.lines($0.attributes["label"]).first?.hasPrefix(first) == true }
            guard found.count == 1, let edge = found.first else {
                fail(step, "diagram verdict", "\(view) has \(found.count) edges for the implied \(implied.action), not one")
                return
            }
            if (edge.attributes["style"] == .text("dashed")) != (implied.decision != .allowed) {
                fail(step, "diagram verdict", "\(view) edge to the key of the implied \(implied.action) is drawn against its decision \(implied.decision.rawValue)")
            }
            edges.removeAll { $0.from == edge.from && $0.to == edge.to && $0.attributes == edge.attributes }
            tallies["implied \(implied.action) \(implied.decision.rawValue)", default: 0] += 1
        }
        let expected = step.step.isAssumeRole ? 2 : 1
        guard edges.count == expected else {
            fail(step, "diagram verdict", "\(view) has \(edges.count) edges badged \(badge)where the step makes \(expected)")
            return
        }
        let denied = step.decision != .allowed
        let wording = CauseWording(step, model: model)
        for edge in edges {
            let dashed = edge.attributes["style"] == .text("dashed")
            if dashed != denied {
                fail(step, "diagram verdict", "\(view) edge \(edge.from) → \(edge.to) is drawn \(dashed ? "denied (dashed)" : "allowed (solid)")")
            }
        }
        let text = Self.lines(edges[0].attributes["label"]).joined(separator: "\n")
        if Self.lines(edges[0].attributes["label"]).first != badge + step.action {
            fail(step, "diagram verdict", "\(view) edge \(edges[0].from) → \(edges[0].to) is labelled \(text.debugDescription), not the step's action")
        }
        if denied {
            if !text.contains("✗ " + wording.verdict) { fail(step, "diagram verdict", "\(view) label \(text.debugDescription) does not say \(wording.verdict)") }
            if let label = wording.label, !text.contains(label) {
                fail(step, "diagram verdict", "\(view) label \(text.debugDescription) does not name the cause \(label.debugDescription)")
            }
        } else if text.contains("✗") {
            fail(step, "diagram verdict", "\(view) label \(text.debugDescription) marks an allowed step as denied")
        }
    }

    /// ❶…❿, ⓫…⓴, then (21)…: the badges a step's edges carry, written out here rather than borrowed from the
    /// renderer, so that a renderer numbering two steps alike is caught.
    static func badge(_ number: Int) -> String {
        let badges = Array("❶❷❸❹❺❻❼❽❾❿⓫⓬⓭⓮⓯⓰⓱⓲⓳⓴")
        return (1...20).contains(number) ? String(badges[number - 1]) : "(\(number))"
    }

    /// A DOT label's text, line by line.
    static func lines(_ value: DOTValue?) -> [String] {
        switch value {
        case .text(let text)?: return [text]
        case .label(.lines(let lines))?: return lines.map { $0.map(\.text).joined() }
        case .label(.table(let table))?: return table.rows.flatMap { $0.flatMap { $0.runs.map { $0.map(\.text).joined() } } }
        case nil: return []
        }
    }

    // MARK: - Guide

    /// `guide.md`'s list of steps gives each step's verdict, the cause sentence of a denial and the statements that
    /// grant an allowed step; its Policies section shows every policy that decides a step or that a step needs, with
    /// the deciding statements.
    mutating func checkGuide() {
        let markdown: String
        do {
            let files = try Guide.render(GuideInputs(model: model, resolution: resolution, diagrams: [:], snippets: nil))
            guard let file = files.first(where: { $0.path == "guide.md" }) else {
                violations.append("guide verdict: the guide has no guide.md")
                return
            }
            markdown = file.text
        } catch {
            violations.append("guide verdict: the default guide does not render: \(error)")
            return
        }
        let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for option in model.options {
            let steps = resolution.option(option.id)?.steps ?? []
            guard let start = lines.firstIndex(where: { Self.unescape($0) == "## " + option.title }) else {
                violations.append("guide verdict: no page for option \(option.id)")
                continue
            }
            let end = lines[(start + 1)...].firstIndex { $0.hasPrefix("## ") } ?? lines.count
            let page = Array(lines[start..<end])
            let items = Self.listItems(Self.section(page, "### Call flow"))
            guard items.count == steps.count else {
                violations.append("guide verdict: option \(option.id) lists \(items.count) steps, the model has \(steps.count)")
                continue
            }
            let policies = Self.policyBlocks(Self.section(page, "### Policies"))
            for (step, item) in zip(steps, items) { checkGuideStep(step, item: item, policies: policies) }
        }
    }

    mutating func checkGuideStep(_ step: StepResolution, item: String, policies: [String: String]) {
        let wording = CauseWording(step, model: model)
        guard let expectedStart = item.range(of: " — expected **"), let expectedEnd = item.range(of: "**, ", range: expectedStart.upperBound..<item.endIndex) else {
            fail(step, "guide verdict", "its item does not state expectation and verdict: \(item.debugDescription)")
            return
        }
        let expectation = item[expectedStart.upperBound..<expectedEnd.lowerBound]
        if expectation.hasPrefix("allowed") != (step.expected == .allowed) {
            fail(step, "guide verdict", "the guide says it is expected \(expectation), the step expects \(step.expected.rawValue)")
        }
        let verdict = item[expectedEnd.upperBound...].prefix { $0 != "." }
        if verdict != wording.verdict { fail(step, "guide verdict", "the guide says \(verdict.debugDescription), the resolution \(wording.verdict.debugDescription)") }
        if step.decision != .allowed {
            if let sentence = wording.sentence, !item.contains(sentence) {
                fail(step, "guide verdict", "the guide does not give the cause \(sentence.debugDescription) in \(item.debugDescription)")
            }
        } else {
            for statement in step.matched where statement.effect == .allow {
                guard let policy = step.policy(for: statement) else {
                    fail(step, "guide statements", "matched statement \(statement.sid ?? "(no Sid)") of \(statement.policy) belongs to no applied policy")
                    continue
                }
                let text = "the \(policy.label)" + (statement.sid.map { " (Sid \($0))" } ?? "")
                if !item.contains(text) { fail(step, "guide statements", "the guide does not say it is allowed by \(text)") }
            }
        }
        // Every policy that decides the step or that it needs, shown with the statements that decided.
        var deciding: [(AppliedPolicy, String?)] = step.decidingPolicies.map { ($0, nil) } + step.requirements.map { ($0.policy, nil) }
        if let cause = step.cause {
            if let statement = cause.statement { deciding.append((statement.policy, statement.sid)) }
            for condition in cause.conditions { deciding.append((condition.statement.policy, condition.statement.sid)) }
        } else {
            for statement in step.matched where statement.effect == .allow {
                if let policy = step.policy(for: statement) { deciding.append((policy, statement.sid)) }
            }
        }
        for (policy, sid) in deciding {
            guard let caption = caption(policy) else {
                fail(step, "guide policies", "\(policy.label) is not in the model")
                continue
            }
            guard let block = policies[caption] else {
                fail(step, "guide policies", "the Policies section does not show \(caption.debugDescription), which decides the step")
                continue
            }
            if let sid, !block.contains("\"Sid\": \"\(sid)\"") {
                fail(step, "guide policies", "\(caption.debugDescription) is shown without its deciding statement \(sid)")
            }
        }
    }

    /// The caption `guide.md` gives a policy's section.
    func caption(_ policy: AppliedPolicy) -> String? {
        switch (policy.kind, policy.owner) {
        case (.identity, .role(let key)): model.role(key).map { "Identity policy \(policy.name) of role \($0.name)" }
        case (.boundary, .role(let key)): model.role(key).map { "Permissions boundary of role \($0.name)" }
        case (.trust, .role(let key)): model.role(key).map { "Trust policy of role \($0.name)" }
        case (.tablePolicy, .table(let key)): model.table(key).map { "Resource-based policy of table \($0.name)" }
        case (.serviceControl, .account(let key)): model.account(key).map { "Service control policy \(policy.name) of account \($0.key)" }
        case (.identity, .user(let key)): model.user(key).map { "Identity policy \(policy.name) of user \($0.name)" }
        case (.boundary, .user(let key)): model.user(key).map { "Permissions boundary of user \($0.name)" }
        case (.resourcePolicy, .resource(let key, _)), (.keyPolicy, .resource(let key, _)):
            model.resolvedResource(key).map { resource in
                let name = resource.alias ?? resource.name
                if AWSManagedKey.isManaged(key) { return "Key policy of the AWS managed key \(name) (AWS writes it; it cannot be changed)" }
                if resource.policy == nil { return "Key policy of key \(name): the model writes none, so AWS's default key policy applies" }
                let noun = resource.resourceKind.policyNoun ?? "resource-based policy"
                return noun.prefix(1).uppercased() + noun.dropFirst() + " of \(resource.resourceKind.noun) \(name)"
            }
        default: nil
        }
    }

    /// The lines under a `###` heading of a page, up to the next heading of that level.
    static func section(_ page: [String], _ heading: String) -> [String] {
        guard let start = page.firstIndex(of: heading) else { return [] }
        let end = page[(start + 1)...].firstIndex { $0.hasPrefix("### ") || $0.hasPrefix("## ") } ?? page.count
        return Array(page[(start + 1)..<end])
    }

    /// The items of the ordered list in `lines`, each as its lines joined without Markdown hard breaks and escapes.
    static func listItems(_ lines: [String]) -> [String] {
        var items: [[String]] = []
        for line in lines {
            if let first = line.first, first.isNumber, let dot = line.firstIndex(of: "."), line[..<dot].allSatisfy(\.isNumber) {
                items.append([String(line[line.index(after: dot)...])])
            } else if line.hasPrefix(" "), !items.isEmpty {
                items[items.count - 1].append(line)
            }
        }
        return items.map { lines in
            unescape(lines.map { line in
                var text = line.trimmingCharacters(in: .whitespaces)
                if text.hasSuffix("\\") { text.removeLast() }
                return text
            }.joined(separator: "\n"))
        }
    }

    /// The Policies section as caption → the text that follows it (the policy's JSON), without escapes.
    static func policyBlocks(_ lines: [String]) -> [String: String] {
        var blocks: [String: String] = [:]
        var current: String?
        for line in lines {
            if line.hasPrefix("**"), let end = line.range(of: "**", range: line.index(line.startIndex, offsetBy: 2)..<line.endIndex) {
                current = unescape(String(line[line.index(line.startIndex, offsetBy: 2)..<end.lowerBound]))
                blocks[current!, default: ""] += ""
            } else if let current {
                blocks[current, default: ""] += line + "\n"
            }
        }
        return blocks
    }

    /// Markdown text without backslash escapes of ASCII punctuation.
    static func unescape(_ text: String) -> String {
        var out = ""
        var escaped = false
        for character in text {
            if escaped {
                if !(character.isASCII && character.isPunctuation || character.isASCII && character.isSymbol) { out.append("\\") }
                out.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else {
                out.append(character)
            }
        }
        if escaped { out.append("\\") }
        return out
    }

    // MARK: - Snippets

    /// DynamoDB calls the snippets' client makes (the brief's list, kept here independently of the writer).
    static let snippetDynamoDBCalls: Set<String> = ["getitem", "query", "scan", "putitem", "deleteitem", "updateitem", "describetable", "listtables"]

    /// The calls on resources the snippets' client makes, by service (kept here independently of the writer, from the
    /// client's operations): S3 objects and listings, KMS without Decrypt (which needs a ciphertext a snippet cannot
    /// make up), SQS, SNS, Secrets Manager, Lambda.
    static let snippetResourceCalls: [String: Set<String>] = [
        "s3": ["getobject", "putobject", "listbucket"], "kms": ["encrypt", "generatedatakey", "describekey"],
        "sqs": ["getqueueurl", "sendmessage", "receivemessage"], "sns": ["publish"], "secretsmanager": ["getsecretvalue", "describesecret"],
        "lambda": ["invokefunction"],
    ]

    /// Whether the generated snippet makes the step's call at all (a service's delivery is no code).
    static func snippetCalls(_ step: StepResolution) -> Bool {
        if case .service = step.step.caller { return false }
        if step.step.isAssumeRole, case .role = step.step.target { return true }
        if case .resource = step.step.target { return snippetResourceCalls[step.step.service]?.contains(step.step.actionName.lowercased()) ?? false }
        return step.step.service == "dynamodb" && snippetDynamoDBCalls.contains(step.step.actionName.lowercased())
    }

    /// An expected-denied call is wrapped so that only AWS's refusal lets the snippet go on; each broken-variant test
    /// expects the message of the first step the snippet makes that fails without the policy; and every policy whose
    /// removal makes such a step fail has its test.
    mutating func checkSnippets() {
        let files = Snippets.package(model, resolution: resolution, location: .inRepository(contentDirectory: model.contentDirectory))
        let texts = Dictionary(files.map { ($0.path, $0.text) }, uniquingKeysWith: { first, _ in first })
        for (option, names) in zip(Snippets.options(model), Snippets.names(model)) {
            guard let resolved = resolution.option(option.id) else { continue }
            guard let source = texts["Sources/\(names.module)/\(names.module).swift"], let tests = texts["Tests/SnippetTests/\(names.module)Tests.swift"] else {
                violations.append("snippet expectation: option \(option.id) has no snippet or no tests (module \(names.module))")
                continue
            }
            checkSnippetSource(source, steps: resolved.steps)
            checkBrokenVariants(tests, option: option, resolved: resolved)
        }
    }

    mutating func checkSnippetSource(_ source: String, steps: [StepResolution]) {
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // The calls are the body of the handler's `handle()`, one comment "// Step N: …" before each.
        guard let body = lines.firstIndex(where: { $0.hasPrefix("    public func handle() async throws {") }) else {
            violations.append("snippet expectation: option \(steps.first?.optionID ?? "?") has no handle function")
            return
        }
        let bodyEnd = lines[body...].firstIndex(of: "    }") ?? lines.count
        let starts = steps.map { step in lines[body..<bodyEnd].firstIndex { $0.hasPrefix("        // Step \(step.number): ") } }
        for (offset, step) in steps.enumerated() {
            guard let start = starts[offset] else {
                fail(step, "snippet expectation", "the snippet has no comment for the step")
                continue
            }
            let end = starts[(offset + 1)...].compactMap { $0 }.first ?? bodyEnd
            let block = lines[start..<end].joined(separator: "\n")
            let wrapped = block.contains("throw UnexpectedlyAllowed(")
            if Self.snippetCalls(step) {
                if wrapped != (step.expected != .allowed) {
                    fail(step, "snippet expectation", "expected \(step.expected.rawValue), but the call is \(wrapped ? "" : "not ")wrapped to expect a refusal")
                }
            } else if case .service = step.step.caller {
                if wrapped || !block.contains("own delivery") {
                    fail(step, "snippet expectation", "a delivery is no code of the user's, but the step's block does not say so")
                }
            } else if wrapped || !block.contains("This client has no call") && !block.contains("kms:Decrypt") {
                fail(step, "snippet expectation", "the snippet client makes no \(step.action) call, but the step's code does not say so")
            }
        }
    }

    /// The policy a broken-variant test empties, read from the fixture helper it calls, and the model it makes.
    func brokenModel(_ lines: [String]) -> (AppliedPolicy.Kind, owner: String, name: String?, model: Model)? {
        /// The string literals of the line that calls `helper`, in order.
        func arguments(_ helper: String) -> [String]? {
            guard let line = lines.first(where: { $0.contains("Fixture.\(helper)(") }) else { return nil }
            return line.split(separator: "\"", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
        }
        var model = model
        /// The model without the applied policy of `kind` on `owner` (named `name`, when given) that a step or an
        /// implied call of the model applies.
        func emptied(_ kind: AppliedPolicy.Kind, _ owner: AppliedPolicy.Owner, name: String? = nil) -> Model? {
            let applied = resolution.options.flatMap(\.steps).flatMap { [$0] + $0.implied }.flatMap(\.policies)
            guard let policy = applied.first(where: { $0.kind == kind && $0.owner == owner && (name == nil || $0.name == name) }) else { return nil }
            return model.emptying(policy)
        }
        let forUser = lines.contains { $0.contains("Fixture.empty") && $0.contains("ofUser:") }
        if forUser, let arguments = arguments("emptyIdentityPolicy"), arguments.count == 2,
           let changed = emptied(.identity, .user(key: arguments[1]), name: arguments[0]) {
            return (.identity, arguments[1], arguments[0], changed)
        }
        if forUser, let owner = arguments("emptyBoundary")?.first, let changed = emptied(.boundary, .user(key: owner)) {
            return (.boundary, owner, nil, changed)
        }
        if let owner = arguments("emptyResourcePolicy")?.first {
            let applied = resolution.options.flatMap(\.steps).flatMap { [$0] + $0.implied }.flatMap(\.policies)
            let policy = applied.first { policy in
                guard policy.kind == .resourcePolicy, case .resource(let key, _) = policy.owner else { return false }
                return key == owner
            }
            if let policy { return (.resourcePolicy, owner, nil, model.emptying(policy)) }
        }
        if let owner = arguments("emptyKeyPolicy")?.first, let changed = emptied(.keyPolicy, .resource(key: owner, kind: .kmsKey)) {
            return (.keyPolicy, owner, nil, changed)
        }
        if let arguments = arguments("emptyIdentityPolicy"), arguments.count == 2,
           let role = model.roles.firstIndex(where: { $0.key == arguments[1] }),
           let policy = model.roles[role].policies.firstIndex(where: { $0.name == arguments[0] }) {
            model.roles[role].policies[policy].document.statements = []
            return (.identity, arguments[1], arguments[0], model)
        }
        if let arguments = arguments("emptyBoundary"), let owner = arguments.first, let role = model.roles.firstIndex(where: { $0.key == owner }) {
            model.roles[role].boundary?.document.statements = []
            return (.boundary, owner, nil, model)
        }
        if let arguments = arguments("emptyTrustPolicy"), let owner = arguments.first, let role = model.roles.firstIndex(where: { $0.key == owner }) {
            model.roles[role].trust.document.statements = []
            return (.trust, owner, nil, model)
        }
        if let arguments = arguments("emptyTablePolicy"), let owner = arguments.first, let table = model.tables.firstIndex(where: { $0.key == owner }) {
            model.tables[table].policy?.document.statements = []
            return (.tablePolicy, owner, nil, model)
        }
        if let arguments = arguments("emptySCP"), arguments.count == 2,
           let account = model.accounts.firstIndex(where: { $0.key == arguments[1] }),
           let scp = model.accounts[account].serviceControlPolicies.firstIndex(where: { $0.name == arguments[0] }) {
            model.accounts[account].serviceControlPolicies[scp].document.statements = []
            return (.serviceControl, arguments[1], arguments[0], model)
        }
        return nil
    }

    /// The first step the snippet makes whose outcome surprises it, in `model`.
    static func firstSurprise(_ option: AccessOption, in model: Model) -> StepResolution? {
        Resolver.resolve(option, in: model).steps.first { !$0.ok && snippetCalls($0) }
    }

    mutating func checkBrokenVariants(_ tests: String, option: AccessOption, resolved: OptionResolution) {
        let lines = tests.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let starts = lines.indices.filter { lines[$0].hasPrefix("    @Test(\"fails with ") }
        var tested: Set<String> = []
        for (offset, start) in starts.enumerated() {
            let test = Array(lines[start..<(offset + 1 < starts.count ? starts[offset + 1] : lines.count)])
            tallies["snippet broken variant", default: 0] += 1
            let title = test[0]
            guard let broken = brokenModel(test) else {
                violations.append("snippet broken variant: option \(option.id): cannot tell which policy \(title) empties")
                continue
            }
            tested.insert("\(broken.0) \(broken.owner) \(broken.name ?? "")")
            guard let expectedMessage = test.first(where: { $0.contains("#expect(error.message == ") }).flatMap({ Self.swiftLiteral(after: "#expect(error.message == ", in: $0) }),
                  let expectedCode = test.first(where: { $0.contains("#expect(error.code == ") }).flatMap({ Self.swiftLiteral(after: "#expect(error.code == ", in: $0) })
            else {
                violations.append("snippet broken variant: option \(option.id): \(title) expects no code or message")
                continue
            }
            guard let first = Self.firstSurprise(option, in: broken.model) else {
                violations.append("snippet broken variant: option \(option.id): \(title) expects a failure, but every step the snippet makes still goes as expected")
                continue
            }
            let code = ServiceRules.denialCode(service: first.step.service)
            if !title.contains("at step \(first.number) without") || first.message != expectedMessage || code != expectedCode {
                violations.append(
                    "snippet broken variant: option \(option.id): \(title) expects \(expectedCode) \(expectedMessage.debugDescription), "
                        + "but the snippet first fails at step \(first.number) (\(first.decision.rawValue), expected \(first.expected.rawValue)) with \(code) \((first.message ?? "no error").debugDescription)")
            }
        }
        // Every policy an expected-allowed step needs, whose removal makes the snippet fail with an AWS error, has its test.
        for step in resolved.steps where step.expected == .allowed {
            for requirement in step.requirements {
                let policy = requirement.policy
                let key: String
                switch (policy.kind, policy.owner) {
                case (.identity, .role(let owner)), (.serviceControl, .account(let owner)): key = "\(policy.kind) \(owner) \(policy.name)"
                case (.boundary, .role(let owner)), (.trust, .role(let owner)), (.tablePolicy, .table(let owner)): key = "\(policy.kind) \(owner) "
                default: continue
                }
                guard !tested.contains(key), let first = Self.firstSurprise(option, in: model.emptying(policy)), first.expected == .allowed, first.message != nil else { continue }
                fail(step, "snippet broken variant", "no test shows the snippet failing at step \(first.number) without the \(policy.label)")
                tested.insert(key)
            }
        }
    }

    /// The Swift string literal that follows `marker` on `line`, decoded.
    static func swiftLiteral(after marker: String, in line: String) -> String? {
        guard let range = line.range(of: marker) else { return nil }
        var iterator = line[range.upperBound...].makeIterator()
        guard iterator.next() == "\"" else { return nil }
        var out = ""
        while let character = iterator.next() {
            switch character {
            case "\"": return out
            case "\\":
                switch iterator.next() {
                case "n"?: out.append("\n")
                case "t"?: out.append("\t")
                case "r"?: out.append("\r")
                case "0"?: out.append("\0")
                case "u"?:
                    var hex = ""
                    _ = iterator.next()  // {
                    while let digit = iterator.next(), digit != "}" { hex.append(digit) }
                    if let value = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(value) { out.unicodeScalars.append(scalar) }
                case let other?: out.append(other)
                case nil: return nil
                }
            default: out.append(character)
            }
        }
        return nil
    }

    mutating func checkSnippetRuns() {
        // A model whose steps make one call with different context keys is warned about (TF-WARN-CONTEXT): the
        // simulator cannot tell those calls apart, and says so instead of guessing; nothing to compare.
        if resolution.findings.contains(where: { $0.code == "TF-WARN-CONTEXT" }) {
            tallies["snippet run: ambiguous context, warned", default: 0] += 1
            return
        }
        let authorizer = ModelAuthorizer(model: model)
        for option in resolution.options {
            var refused: [CredentialSource: String] = [:]  // a session whose AssumeRole failed → the error every use of it gets
            var checkFails: StepResolution?
            var runFails: (step: StepResolution, why: String)?
            for step in option.steps where Self.snippetCalls(step) {
                // The snippet tells allowed from denied; which kind of denial it is, only `check` can say.
                if (step.decision == .allowed) != (step.expected == .allowed) && checkFails == nil { checkFails = step }
                guard runFails == nil else { continue }
                var answer: (denied: Bool, message: String)
                if let message = step.caller.credentials.hops.lazy.compactMap({ refused[$0] }).first {
                    answer = (true, message)
                } else {
                    var context: [String: [String]] = [:]
                    if step.step.isAssumeRole {
                        context["sts:RoleSessionName"] = [step.step.session ?? Step.defaultSession]
                        if let id = step.step.externalId { context["sts:ExternalId"] = [id] }
                    }
                    let decision = authorizer.authorize(AuthorizationRequest(principalARN: step.callerARN, action: step.action, resourceARN: step.resourceARN, context: context))
                    answer = (!decision.allowed, decision.message)
                    // The KMS calls the service then makes with the same credentials, as the simulator asks them: the
                    // first refused one refuses the call.
                    if decision.allowed, let refused = step.implied.lazy.map({ implied in
                        authorizer.authorize(AuthorizationRequest(
                            principalARN: implied.callerARN, action: implied.action, resourceARN: implied.resourceARN, context: implied.step.context))
                    }).first(where: { !$0.allowed }) {
                        answer = (true, refused.message)
                    }
                }
                if step.step.isAssumeRole, answer.denied, case .role(let key) = step.step.target {
                    refused[.session(role: key, session: step.step.session ?? Step.defaultSession, externalID: step.step.externalId, step: step.number, by: step.caller.credentials)] = answer.message
                }
                if answer.denied != (step.expected != .allowed) {
                    runFails = (step, answer.denied ? "AWS refuses it: \(answer.message)" : "AWS allows it, so the snippet throws UnexpectedlyAllowed")
                }
            }
            switch (checkFails, runFails) {
            case (nil, let run?):
                let cause = run.step.caller.credentials.hops.contains { refused[$0] != nil } ? "its caller's session was refused at an earlier step"
                    : run.step.step.context.isEmpty ? "the simulator decides otherwise" : "the simulator cannot send the step's context \(run.step.step.context)"
                fail(run.step, "snippet run", "check passes every call the snippet makes, but the snippet test fails here (\(cause)): \(run.why)")
            case (let check?, nil):
                let cause = check.caller.credentials.hops.contains { refused[$0] != nil } ? "its caller's session was refused at an earlier step"
                    : check.step.context.isEmpty ? "the simulator decides otherwise" : "the simulator cannot send the step's context \(check.step.context)"
                fail(check, "snippet run", "check fails this step (\(check.decision.rawValue), expected \(check.expected.rawValue)), but the snippet test passes (\(cause))")
            default:
                break
            }
        }
    }

    // MARK: - Mock

    /// The mock, asked the step's request as the simulator would ask it, answers as the resolution decides, with the
    /// same message.
    mutating func checkMock() {
        let authorizer = ModelAuthorizer(model: model)
        for listed in steps {
            let step = listed.refusedSession?.resolution ?? listed
            var context: [String: [String]] = [:]
            if step.step.isAssumeRole {
                context["sts:RoleSessionName"] = [step.step.session ?? Step.defaultSession]
                if let id = step.step.externalId { context["sts:ExternalId"] = [id] }
            }
            for (key, values) in step.step.context { context[key] = values }
            // A service acting for a resource: the confused-deputy keys the simulator gives its deliveries.
            if case .service(let key) = step.step.caller, let caller = Resolver.serviceCaller(for: key, model: model) {
                context.merge(caller.context) { own, _ in own }
            }
            // The KMS calls the step implies, asked as the simulator asks them.
            if listed.refusedSession == nil {
                for implied in step.implied {
                    var keys = implied.step.context
                    if case .service(let key) = implied.step.caller, let caller = Resolver.serviceCaller(for: key, model: model) {
                        keys.merge(caller.context) { own, _ in own }
                    }
                    let answer = authorizer.authorize(
                        AuthorizationRequest(principalARN: implied.callerARN, action: implied.action, resourceARN: implied.resourceARN, context: keys))
                    tallies["implied decision \(implied.decision.rawValue)", default: 0] += 1
                    if answer.allowed && implied.decision != .allowed {
                        worst.append("\(name(step)): MOCK ALLOWS A DENIED IMPLIED \(implied.action) on \(implied.resourceARN): \(implied.message ?? "")")
                    } else if !answer.allowed && implied.decision == .allowed {
                        fail(step, "mock answer", "the mock denies the allowed implied \(implied.action) on \(implied.resourceARN): \(answer.message)")
                    } else if !answer.allowed && answer.message != implied.message {
                        fail(step, "mock answer", "the mock's message for the implied \(implied.action) \(answer.message.debugDescription) is not the resolution's \((implied.message ?? "").debugDescription)")
                    }
                }
            }
            let answer = authorizer.authorize(AuthorizationRequest(principalARN: step.callerARN, action: step.action, resourceARN: step.resourceARN, context: context))
            // A step refused by the KMS call it implies: its own call is allowed, the implied one (checked above) refuses.
            if let denied = step.deniedImplied, listed.refusedSession == nil, step.decision == denied.decision, step.message == denied.message {
                tallies["decision \(step.decision.rawValue)", default: 0] += 1
                if !answer.allowed { fail(step, "mock answer", "the mock denies the call whose implied \(denied.action) refuses it: \(answer.message)") }
                continue
            }
            let allowed = step.decision == .allowed
            tallies["decision \(step.decision.rawValue)", default: 0] += 1
            if answer.allowed && !allowed {
                worst.append("\(name(step)): MOCK ALLOWS A DENIED STEP: the resolution says \(step.message ?? step.decision.rawValue)")
            } else if !answer.allowed && allowed {
                fail(step, "mock answer", "the mock denies an allowed step: \(answer.message)")
            } else if !answer.allowed && answer.message != step.message {
                fail(step, "mock answer", "the mock's message \(answer.message.debugDescription) is not the resolution's \((step.message ?? "").debugDescription)")
            }
        }
    }

    // MARK: - Causes

    /// The cause of each denial names what really decided: changing that element (and nothing else) changes the
    /// outcome the way the cause says it would.
    mutating func checkCauses() {
        // A step whose session cannot be had carries its refused AssumeRole's cause, checked at that step.
        for listed in steps where listed.decision != .allowed && listed.refusedSession == nil {
            // A step refused by the KMS call its service makes: that call's cause, checked on that call.
            let step = listed.deniedImplied ?? listed
            if AWSManagedKey.isManaged(step.target.key) {
                // An AWS managed key's policy is AWS's: no change to the model can grant or take away.
                tallies["cause on an AWS managed key: not perturbed", default: 0] += 1
                continue
            }
            guard let cause = step.cause else {
                fail(step, "cause", "a denied step has no cause")
                continue
            }
            tallies["cause \(cause.kind) \(cause.slot)", default: 0] += 1
            switch cause.kind {
            case .explicitDeny: checkExplicitDeny(step, cause)
            case .conditionFailed: checkConditionFailed(step, cause)
            case .noStatementAllows, .noPolicy: checkNoAllow(step, cause)
            }
        }
    }

    /// The step again, in `model` changed by `change`.
    func again(_ step: StepResolution, _ change: (inout Model) -> Void) -> StepResolution? {
        var changed = model
        change(&changed)
        guard let option = changed.option(step.optionID) else { return nil }
        let parent = Resolver.resolve(option, in: changed).step(step.number)
        guard step.isImplied else { return parent }
        return parent?.implied.first { $0.action == step.action && $0.target.key == step.target.key }
    }

    func describe(_ result: StepResolution?) -> String {
        guard let result else { return "no such step" }
        guard let cause = result.cause else { return result.decision.rawValue }
        return "\(result.decision.rawValue), \(cause.kind) in the \(cause.slot) slot" + (cause.statement.map { " by \($0.policy.label) Sid \($0.sid ?? "-")" } ?? "")
    }

    mutating func checkExplicitDeny(_ step: StepResolution, _ cause: Cause) {
        guard let statement = cause.statement else {
            fail(step, "cause", "an explicit Deny that names no statement")
            return
        }
        if !step.policies.contains(statement.policy) { fail(step, "cause", "the deny is in \(statement.policy.label), which does not apply to the step") }
        let result = again(step) { $0 = $0.emptying(statement.policy) }
        if result?.decision == .explicitDeny && result?.cause?.statement == statement {
            fail(step, "cause", "without \(statement.policy.label) the step is still denied by its statement \(statement.sid ?? "(no Sid)")")
        }
    }

    mutating func checkConditionFailed(_ step: StepResolution, _ cause: Cause) {
        guard let condition = cause.conditions.first else {
            fail(step, "cause", "a failed condition that names no condition")
            return
        }
        let key = condition.key.lowercased()
        let base = ConditionOperator(parsing: condition.operator)?.base
        let change: String
        let result: StepResolution?
        if key == "aws:principalorgid", base == .stringEquals, let organization = condition.expected.first, organization.hasPrefix("o-") {
            // A fact of the caller's account, not of the request: the account joins the organization named.
            change = "the caller's account in organization \(organization)"
            result = again(step) { model in
                guard let index = model.accounts.firstIndex(where: { $0.key == step.caller.accountKey }) else { return }
                model.accounts[index].organization = organization
            }
        } else if key.hasPrefix("aws:principal") {
            // The other derived keys of the principal name who calls: no request can carry other values.
            tallies["unperturbed condition: \(condition.operator) \(condition.key)", default: 0] += 1
            return
        } else if base == .null, condition.expected == ["true"] {
            // The key must be absent: only a key the step's own context adds can be taken away.
            guard step.step.context.keys.contains(where: { $0.lowercased() == key }) else {
                tallies["unperturbed condition: \(condition.operator) \(condition.key)", default: 0] += 1
                return
            }
            change = "no \(condition.key) in the request"
            result = again(step) { model in
                guard let option = model.options.firstIndex(where: { $0.id == step.optionID }) else { return }
                model.options[option].steps[step.number - 1].context = model.options[option].steps[step.number - 1].context.filter { $0.key.lowercased() != key }
            }
        } else if let value = Self.satisfying(condition) {
            change = "\(condition.key) = \(value) in the request"
            result = again(step) { model in
                guard let option = model.options.firstIndex(where: { $0.id == step.optionID }) else { return }
                var context = model.options[option].steps[step.number - 1].context.filter { $0.key.lowercased() != key }
                context[condition.key] = [value]
                model.options[option].steps[step.number - 1].context = context
            }
        } else {
            tallies["unperturbed condition: \(condition.operator) \(condition.key)", default: 0] += 1
            return
        }
        tallies["perturbed condition: \(condition.key)", default: 0] += 1
        let still = result?.deniedImplied != nil ? false : result?.cause?.conditions.contains {
            $0.statement == condition.statement && $0.key.lowercased() == key && $0.operator == condition.operator
        }
        if still == true {
            fail(step, "cause", "with \(change), statement \(condition.statement.sid ?? "(no Sid)") of \(condition.statement.policy.label) still fails \(condition.operator) \(condition.key) \(condition.expected)")
        }
    }

    /// A value for the failed condition's key that makes the condition true, if one is easy to name.
    static func satisfying(_ condition: FailedCondition) -> String? {
        guard let operatorName = ConditionOperator(parsing: condition.operator), operatorName.qualifier == nil, let expected = condition.expected.first else { return nil }
        let isIP = condition.key.lowercased() == "aws:sourceip"
        switch operatorName.base {
        case .stringEquals, .stringEqualsIgnoreCase, .arnEquals, .bool, .numericEquals, .dateEquals: return expected
        case .stringLike, .arnLike:
            return String(expected.map { $0 == "*" || $0 == "?" ? "x" : $0 })
        case .ipAddress: return String(expected.prefix { $0 != "/" })
        case .notIpAddress:
            let ranges = condition.expected.compactMap(CIDR.init)
            return ["198.51.100.77", "10.9.8.7", "203.0.113.9", "192.0.2.44"].first { candidate in
                guard let address = CIDR(candidate) else { return false }
                return !ranges.contains { $0.contains(address) }
            }
        case .stringNotEquals, .stringNotEqualsIgnoreCase, .stringNotLike, .arnNotEquals, .arnNotLike:
            return isIP ? nil : "trustflow-property-other-value"
        case .null:
            return expected == "false" ? (isIP ? "198.51.100.77" : "trustflow-property-value") : nil
        default: return nil
        }
    }

    mutating func checkNoAllow(_ step: StepResolution, _ cause: Cause) {
        let callerRoleARN = step.caller.role?.arn ?? step.callerARN
        // How a resource-side grant names the caller: its role (or user), or the service it is.
        let principal = step.caller.callerKind.principalType == .service ? #"{"Service": "\#(step.callerARN)"}"# : #"{"AWS": "\#(callerRoleARN)"}"#
        let result: StepResolution?
        switch cause.slot {
        case .identity:
            guard let role = step.caller.role?.key else {
                fail(step, "cause", "the identity side decided, but the caller has no role")
                return
            }
            let allowAll = Self.policy(#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}"#, name: "PropertyAllowAll", kind: .identity)
            result = again(step) { model in
                guard let index = model.roles.firstIndex(where: { $0.key == role }) else { return }
                model.roles[index].policies.append(allowAll)
            }
        case .resource:
            switch step.target.kind {
            case .role(let key):
                let grant = Self.policy(
                    #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": \#(principal), "Action": "\#(step.action)"}]}"#,
                    name: "grant", kind: .trust)
                result = again(step) { model in
                    guard let index = model.roles.firstIndex(where: { $0.key == key }) else { return }
                    model.roles[index].trust.document.statements += grant.document.statements
                }
            case .table(let key), .index(let key, _):
                let grant = Self.policy(
                    #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": \#(principal), "Action": "\#(step.action)", "Resource": "*"}]}"#,
                    name: "table policy", kind: .resource)
                result = again(step) { model in
                    guard let index = model.tables.firstIndex(where: { $0.key == key }) else { return }
                    if model.tables[index].policy == nil {
                        model.tables[index].policy = grant
                    } else {
                        model.tables[index].policy!.document.statements += grant.document.statements
                    }
                }
            case .accountTables:
                fail(step, "cause", "the resource side decided a call on every table of an account, which no resource policy covers")
                return
            case .resource(let key, _):
                let grant = Self.policy(
                    #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": \#(principal), "Action": "\#(step.action)", "Resource": "*"}]}"#,
                    name: "resource policy", kind: .resource)
                result = again(step) { model in
                    if let index = model.resources.firstIndex(where: { $0.key == key }) {
                        if model.resources[index].policy == nil {
                            model.resources[index].policy = grant
                        } else {
                            model.resources[index].policy!.document.statements += grant.document.statements
                        }
                    } else if let index = model.functions.firstIndex(where: { $0.key == key }) {
                        if model.functions[index].policy == nil {
                            model.functions[index].policy = grant
                        } else {
                            model.functions[index].policy!.document.statements += grant.document.statements
                        }
                    }
                }
            }
        case .boundary:
            guard let role = step.caller.role?.key else { return }
            let allowAll = Self.policy(#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}"#, name: "boundary", kind: .boundary)
            result = again(step) { model in
                guard let index = model.roles.firstIndex(where: { $0.key == role }) else { return }
                model.roles[index].boundary?.document.statements += allowAll.document.statements
            }
        case .serviceControl:
            let account = step.caller.accountKey
            let allowAll = Self.policy(#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}"#, name: "PropertyAllowAll", kind: .serviceControl)
            result = again(step) { model in
                guard let index = model.accounts.firstIndex(where: { $0.key == account }) else { return }
                model.accounts[index].serviceControlPolicies.append(allowAll)
            }
        case .session:
            return
        }
        guard let result else {
            fail(step, "cause", "the step disappeared when its \(cause.slot) slot was granted")
            return
        }
        // Still refused by a KMS call its service makes (a key on the target) is another call's refusal: the step's
        // own policies now allow it.
        if let after = result.cause, after.slot == cause.slot, after.kind != .explicitDeny, result.deniedImplied == nil {
            fail(step, "cause", "granting the step in the \(cause.slot) slot that the cause names leaves it \(describe(result))")
        }
    }

    static func policy(_ json: String, name: String, kind: PolicyKind) -> NamedPolicy {
        let (document, diagnostics) = PolicyParser.parse(json: json, file: "<property>", kind: kind)
        guard let document else { fatalError("the property's own policy does not parse: \(diagnostics)") }
        return NamedPolicy(name: name, document: document, origin: .inline, location: .synthesized("property"))
    }
}
