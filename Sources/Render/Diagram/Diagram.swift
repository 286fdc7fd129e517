public import Source
public import Model
public import Resolution
internal import Foundation

/// One diagram: its file name (without extension), its accessible title and description, and its DOT document.
public struct Diagram: Sendable, Hashable {
    /// File stem under `diagrams/`: `overview`, `<option>-architecture`, `<option>-flow`, `<option>-step-<n>`.
    public var name: String
    /// Short title for the SVG's `<title>` (screen readers, browser tooltips).
    public var title: String
    /// What the diagram shows, in sentences, for the SVG's `<desc>`.
    public var summary: String
    public var graph: DOTGraph
    /// The canvas shape the theme asks for (16/9 for `slide`); applied when rendering, by padding the drawing.
    public var aspectRatio: Double?

    public init(name: String, title: String, summary: String, graph: DOTGraph, aspectRatio: Double? = nil) {
        self.name = name
        self.title = title
        self.summary = summary
        self.graph = graph
        self.aspectRatio = aspectRatio
    }

    /// The DOT text Graphviz lays out. It also records what goes into the rendered files without being drawn by
    /// Graphviz — the SVG's title and description, the canvas shape — as attributes Graphviz ignores, so that the DOT
    /// text is the content hash of every rendered byte: an unchanged `.dot` means the previous renders can be reused.
    public var dot: String {
        var graph = self.graph
        graph.attributes["trustflow_title"] = .text(title)
        graph.attributes["trustflow_desc"] = .text(summary)
        if let aspectRatio { graph.attributes["trustflow_aspect"] = .number(aspectRatio) }
        return DOTWriter.write(graph)
    }
}

/// The diagrams of a model. Pure: the same model, resolution and theme give the same documents; every
/// verdict, label and tooltip is read from the resolution.
public enum Diagrams {
    /// Every diagram `trustflow build` writes: the overview, then per option (in model order) the architecture view,
    /// the flow, and one step frame per step.
    /// Checks, before any is drawn, that `model` makes at most `limit` diagrams (an overview, then an architecture,
    /// a flow and a frame per step of each option): every one is held in memory in four formats until the output is
    /// swapped in, about 350 KB each. The step whose frame crosses the limit is the located error.
    public static func checkCount(_ model: Model, limit: Int) throws(DiagnosticList) {
        var count = 1
        for option in model.options {
            count += 2
            for step in option.steps {
                count += 1
                if count > limit {
                    let total = 1 + model.options.reduce(0) { $0 + 2 + $1.steps.count }
                    throw DiagnosticList([.error(
                        "the options make \(ContentLimits.grouped(total)) diagrams (an overview, and an architecture, a flow and a frame per step of each option), more than \(limit), the limit for one build (see README, 'Limits'); `check` proves them without drawing",
                        at: step.location)])
                }
            }
        }
    }

    public static func all(_ model: Model, resolution: ModelResolution, theme: Theme) -> [Diagram] {
        var diagrams = [overview(model, resolution: resolution, theme: theme)]
        for option in model.options {
            diagrams.append(architecture(model, option: option, resolution: resolution, theme: theme))
            diagrams.append(flow(model, option: option, resolution: resolution, theme: theme))
            diagrams += stepFrames(model, option: option, resolution: resolution, theme: theme)
        }
        return diagrams
    }

    /// The file stem of an option's diagrams (option ids are the author's text: keep file names safe).
    public static func stem(_ option: AccessOption) -> String { PolicyFiles.safeFileName(option.id) }

    public static func overview(_ model: Model, resolution: ModelResolution, theme: Theme) -> Diagram {
        OverviewDiagram(model: model, resolution: resolution, theme: theme).diagram()
    }

    public static func architecture(_ model: Model, option: AccessOption, resolution: ModelResolution, theme: Theme) -> Diagram {
        ArchitectureDiagram.fitted(model: model, option: option, resolution: resolution, theme: theme).diagram(frame: nil)
    }

    /// `<option>-step-1` … `<option>-step-<n>`: the architecture view with steps up to N highlighted and the rest faded.
    /// Every frame holds the same nodes, edges and text; only colours change, so the layout does not move.
    public static func stepFrames(_ model: Model, option: AccessOption, resolution: ModelResolution, theme: Theme) -> [Diagram] {
        let builder = ArchitectureDiagram.fitted(model: model, option: option, resolution: resolution, theme: theme)
        return option.steps.indices.map { builder.diagram(frame: $0 + 1) }
    }

    public static func flow(_ model: Model, option: AccessOption, resolution: ModelResolution, theme: Theme) -> Diagram {
        FlowDiagram(model: model, option: option, resolution: resolution, theme: theme).diagram()
    }

    /// The step number as a badge: ❶…❿, ⓫…⓴, then (21)…
    static func badge(_ number: Int) -> String {
        switch number {
        case 1...10: String(Character(Unicode.Scalar(0x2775 + UInt32(number))!))
        case 11...20: String(Character(Unicode.Scalar(0x24EB + UInt32(number - 11))!))
        default: "(\(number))"
        }
    }

    /// One sentence per step for accessible descriptions.
    /// What a step acts on, by name: a role's, a table's (and its index), a resource's (and the object).
    static func targetName(_ step: Step, model: Model) -> String {
        let key = step.target.key
        let name = model.role(key)?.name ?? model.table(key)?.name ?? model.resource(key).map { $0.alias ?? $0.name } ?? key
        return name + (step.index.map { " (index \($0))" } ?? "") + (step.object.map { "/\($0)" } ?? "")
    }

    static func sentences(_ steps: [StepAnnotation], model: Model) -> String {
        steps.map { step in
            let target = step.step.target.key + (step.step.index.map { " (index \($0))" } ?? "") + (step.step.object.map { " (object \($0))" } ?? "")
            let verdict = step.denied ? "denied, \(step.reasonLine)" : "allowed"
            // Permissions are label text, one line per part; a description reads them as one phrase.
            let permissions = step.permissions.map { $0.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: ", ") }
            let lives = permissions.isEmpty ? "" : "; permission in " + permissions.joined(separator: " and ")
            return "Step \(step.number): \(step.step.caller.key) calls \(step.step.action) on \(target), \(verdict)\(lives)."
        }.joined(separator: " ")
    }
}
