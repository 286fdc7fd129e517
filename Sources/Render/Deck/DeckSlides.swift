public import Model
public import Resolution

/// One slide of the deck: what it shows (a slide-theme diagram), its heading, and the speaker's notes.
public struct DeckSlide: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case title
        /// An option's architecture, every step drawn.
        case option(id: String)
        /// An option's step frame: steps up to `number` highlighted.
        case step(option: String, number: Int)
        case summary
    }

    public var kind: Kind
    /// The slide's name for the progress indicator and screen readers.
    public var heading: String
    /// The slide as a 16:9 Graphviz drawing in the `slide` theme (title and summary slides included, for deck.pdf).
    public var diagram: Diagram
    /// What the speaker says, one point per entry, read from the resolution.
    public var notes: [String]
}

/// The slides of the deck, in order: a title slide; per option its architecture, then one slide per step frame; a
/// closing summary table. Pure: every verdict, policy and message comes from the resolution (`StepResolution`,
/// `CauseWording`) and the summary from `SummaryTable`, as the guide shows them.
public enum DeckSlides {
    public static let theme = Theme.slide

    public static func all(_ model: Model, resolution: ModelResolution) -> [DeckSlide] {
        var slides = [title(model, resolution: resolution)]
        for (index, option) in model.options.enumerated() {
            let steps = resolution.option(option.id)?.steps ?? []
            slides.append(DeckSlide(
                kind: .option(id: option.id), heading: "Option \(index + 1): \(option.title)",
                diagram: Diagrams.architecture(model, option: option, resolution: resolution, theme: theme),
                notes: optionNotes(model, option: option, steps: steps)))
            let frames = Diagrams.stepFrames(model, option: option, resolution: resolution, theme: theme)
            for (frame, step) in zip(frames, steps) {
                slides.append(DeckSlide(
                    kind: .step(option: option.id, number: step.number),
                    heading: "\(option.title): step \(step.number) of \(steps.count), \(step.action)",
                    diagram: frame, notes: stepNotes(step, model: model)))
            }
        }
        slides.append(summary(model, resolution: resolution))
        return slides
    }

    // MARK: Notes

    /// What an option is for, and its steps' verdicts in a line each.
    static func optionNotes(_ model: Model, option: AccessOption, steps: [StepResolution]) -> [String] {
        var notes = ["\(option.title). The policy lives in \(option.policyLives). Best for: \(option.bestFor)."]
        for step in steps {
            let wording = CauseWording(step, model: model)
            notes.append("Step \(step.number): \(step.caller.displayName) calls \(step.action) on \(step.target.displayName) — \(wording.verdict).")
        }
        return notes
    }

    /// Who calls what with which credentials, which policies decide, and what AWS answers.
    static func stepNotes(_ step: StepResolution, model: Model) -> [String] {
        let wording = CauseWording(step, model: model)
        var notes: [String] = []
        notes.append("Who calls: \(step.caller.displayName), as \(step.callerARN) (account \(step.caller.accountKey), \(step.caller.accountID)).")
        let across = step.crossAccount ? "across accounts, into account \(step.target.accountKey) (\(step.target.accountID))" : "within account \(step.target.accountKey)"
        notes.append("What: \(step.action) on \(step.target.displayName), \(step.resourceARN), \(across).")
        let deciding = step.decidingPolicies.map(\.label)
        notes.append("Which policies decide: " + (deciding.isEmpty ? "none of the policies that apply allows it." : deciding.joined(separator: "; ") + "."))
        if step.decision == .allowed {
            notes.append("AWS answers: the call succeeds (allowed).")
            for requirement in step.requirements {
                notes.append("Without the \(requirement.policy.label), AWS would answer: \(requirement.message)")
            }
        } else {
            notes.append("AWS answers (\(wording.verdict)): \(step.message ?? "access denied")")
            if let sentence = wording.sentence { notes.append("Why: \(sentence)") }
            if let remedy = wording.remedy { notes.append("To allow it: \(remedy)") }
        }
        if !step.ok { notes.append("The model expects \(step.expected.rawValue), but AWS's rules give \(step.decision.rawValue): check this step.") }
        return notes
    }

    // MARK: Title and summary as drawings

    static func title(_ model: Model, resolution: ModelResolution) -> DeckSlide {
        let style = DiagramStyle(theme: theme)
        var lines = DiagramStyle.wrap(model.title, width: 34).map { [DOTRun($0, size: theme.titleSize + 8, color: theme.text, bold: true)] }
        lines.append([DOTRun(" ", size: theme.fontSize)])
        let accounts = model.accounts.map { "\($0.name) (\($0.key))" }.joined(separator: ", ")
        lines += DiagramStyle.wrap("\(model.options.count) option\(model.options.count == 1 ? "" : "s") · \(accounts)", width: 60)
            .map { [DOTRun($0, size: theme.fontSize, color: theme.mutedText)] }
        lines.append([DOTRun(" ", size: theme.fontSize)])
        for (index, option) in model.options.enumerated() {
            let check = SummaryTable.check(option, resolution: resolution)
            lines.append([
                DOTRun("Option \(index + 1) · ", size: theme.fontSize, color: theme.optionColor(index), bold: true),
                DOTRun(option.title + "   ", size: theme.fontSize, color: theme.text),
                DOTRun(check, size: theme.detailSize, color: check.hasPrefix("✓") ? theme.allowed : theme.denied),
            ])
        }
        var graph = style.graph(name: "deck-title", label: nil)
        graph.nodes = [DOTNode(id: "title", attributes: ["shape": "plain", "label": .label(.table(DOTTable(rows: [[DOTTable.Cell(lines)]], cellPadding: 4, cellSpacing: 0)))])]
        let diagram = Diagram(
            name: "deck-title", title: model.title, summary: "\(model.options.count) options: " + model.options.map(\.title).joined(separator: "; "),
            graph: graph, aspectRatio: theme.aspectRatio)
        return DeckSlide(
            kind: .title, heading: model.title, diagram: diagram,
            notes: ["\(model.title)."] + model.options.enumerated().map { "Option \($0.offset + 1): \($0.element.title) — policy lives in \($0.element.policyLives)." })
    }

    static func summary(_ model: Model, resolution: ModelResolution) -> DeckSlide {
        let style = DiagramStyle(theme: theme)
        let table = SummaryTable(model, resolution: resolution)
        let size = theme.detailSize
        func cell(_ texts: [String], width: Int, bold: Bool = false, color: String? = nil, background: String? = nil) -> DOTTable.Cell {
            let lines = texts.flatMap { DiagramStyle.wrap($0, width: width) }.map { [DOTRun($0, size: size, color: color ?? theme.text, bold: bold)] }
            return DOTTable.Cell(lines.isEmpty ? [[DOTRun(" ", size: size)]] : lines, background: background)
        }
        let widths = [22, 18, 22, 30, 16, 18]
        var rows: [[DOTTable.Cell]] = [zip(SummaryTable.headers, widths).map { cell([$0.0], width: $0.1, bold: true, background: theme.accountFills[1]) }]
        for (index, row) in table.rows.enumerated() {
            let background = index % 2 == 0 ? theme.background : theme.fadedFill
            rows.append([
                cell([row.approach], width: widths[0], bold: true, color: theme.optionColor(index), background: background),
                cell([row.policyLives], width: widths[1], background: background),
                cell([row.bestFor], width: widths[2], background: background),
                cell(row.edits, width: widths[3], background: background),
                cell([row.actions.joined(separator: " ")], width: widths[4], background: background),
                cell([row.check], width: widths[5], color: row.check.hasPrefix("✓") ? theme.allowed : theme.denied, background: background),
            ])
        }
        var graph = style.graph(name: "deck-summary", label: style.block(style.title("Summary", subtitle: model.title)))
        graph.nodes = [DOTNode(id: "summary", attributes: ["shape": "plain", "label": .label(.table(DOTTable(rows: rows, cellPadding: 8, cellSpacing: 2)))])]
        let diagram = Diagram(
            name: "deck-summary", title: "Summary: \(model.title)",
            summary: table.rows.map { "\($0.approach): policy lives in \($0.policyLives); \($0.check)." }.joined(separator: " "),
            graph: graph, aspectRatio: theme.aspectRatio)
        let notes = table.rows.map { "\($0.approach): \($0.check). Who edits what: \($0.edits.joined(separator: "; "))." }
        return DeckSlide(kind: .summary, heading: "Summary", diagram: diagram, notes: notes)
    }
}
