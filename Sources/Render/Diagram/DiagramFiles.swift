public import Graphviz

/// Turns diagrams into files: `diagrams/<name>.dot`, `.svg`, `.png` (2x) and `.pdf`, rendered in-process by libgvc.
public enum DiagramFiles {
    public static let folder = "diagrams"
    /// The formats every diagram is written in, and the PNG scale (2x: crisp on a projector).
    public static let extensions = ["dot", "svg", "png", "pdf"]
    public static let pngScale = 2

    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var diagram: String
        public var graphviz: Graphviz.Failure
        public var description: String { "diagram '\(diagram)': \(graphviz)" }
    }

    /// Something Graphviz, cairo or Pango reported while drawing a diagram, or a PNG drawn smaller than asked.
    public struct Warning: Sendable, Hashable, CustomStringConvertible {
        public var diagram: String
        public var message: String
        public var description: String { "diagram '\(diagram)': \(message)" }
    }

    /// How many diagrams the last call rendered and how many it reused from the previous output.
    public struct Counts: Sendable, Hashable {
        public var rendered = 0
        public var reused = 0
        public init(rendered: Int = 0, reused: Int = 0) {
            self.rendered = rendered
            self.reused = reused
        }
    }

    /// Every file of `diagrams`, sorted by path. `previous` reads a file of the previous output (path relative to the
    /// output folder): when a diagram's `.dot` there equals the new DOT text and its `.svg`, `.png` and `.pdf` exist,
    /// their bytes are reused instead of rendered again (the DOT text is the content hash of everything drawn).
    /// `progress` hears the name of each diagram before it is rendered (a deadline names what was running).
    public static func render(
        _ diagrams: [Diagram], previous: (@Sendable (String) -> [UInt8]?)? = nil, progress: (String) -> Void = { _ in }
    ) throws(Failure) -> (files: [OutputFile], counts: Counts, warnings: [Warning]) {
        var files: [OutputFile] = []
        var tally = Counts()
        var warnings: [Warning] = []
        for diagram in diagrams {
            let dot = diagram.dot
            let base = "\(folder)/\(diagram.name)"
            if let previous, previous(base + ".dot") == Array(dot.utf8),
               let svg = previous(base + ".svg"), let png = previous(base + ".png"), let pdf = previous(base + ".pdf"),
               !svg.isEmpty, !png.isEmpty, !pdf.isEmpty {
                files += [
                    OutputFile(path: base + ".dot", text: dot), OutputFile(path: base + ".svg", bytes: svg),
                    OutputFile(path: base + ".png", bytes: png), OutputFile(path: base + ".pdf", bytes: pdf),
                ]
                tally.reused += 1
                continue
            }
            progress(diagram.name)
            let (rendered, notes) = try render(diagram, dot: dot, formats: [.svg, .png, .pdf])
            warnings += notes
            files += [
                OutputFile(path: base + ".dot", text: dot), OutputFile(path: base + ".svg", bytes: rendered[0]),
                OutputFile(path: base + ".png", bytes: rendered[1]), OutputFile(path: base + ".pdf", bytes: rendered[2]),
            ]
            tally.rendered += 1
        }
        return (files.sorted { $0.path < $1.path }, tally, warnings)
    }

    /// One diagram in one format (`.layoutDOT` is not offered: `dot` means the DOT text Trustflow wrote).
    public static func bytes(_ diagram: Diagram, format: Format) throws(Failure) -> [UInt8] {
        try rendering(diagram, format: format).bytes
    }

    /// One diagram in one format, and what was reported while drawing it.
    public static func rendering(_ diagram: Diagram, format: Format) throws(Failure) -> (bytes: [UInt8], warnings: [Warning]) {
        let graphvizFormat: Graphviz.Format
        switch format {
        case .dot: return (Array(diagram.dot.utf8), [])
        case .svg: graphvizFormat = .svg
        case .png: graphvizFormat = .png
        case .pdf: graphvizFormat = .pdf
        }
        let (outputs, warnings) = try render(diagram, dot: diagram.dot, formats: [graphvizFormat])
        return (outputs[0], warnings)
    }

    /// One diagram in several formats from one layout (the deck's SVG and PDF of a slide), and what was reported
    /// while drawing it.
    public static func rendering(_ diagram: Diagram, formats: [Graphviz.Format]) throws(Failure) -> (outputs: [[UInt8]], warnings: [Warning]) {
        try render(diagram, dot: diagram.dot, formats: formats)
    }

    /// The formats of the `diagram` command.
    public enum Format: String, Sendable, CaseIterable {
        case svg, png, pdf, dot
    }

    private static func render(_ diagram: Diagram, dot: String, formats: [Graphviz.Format]) throws(Failure) -> ([[UInt8]], [Warning]) {
        let outputs = formats.map { Graphviz.Output($0, scale: $0 == .png ? pngScale : 1) }
        do {
            let rendering = try Graphviz.rendering(dot: dot, outputs: outputs, aspectRatio: diagram.aspectRatio)
            var results = rendering.outputs
            for (index, format) in formats.enumerated() where format == .svg {
                results[index] = SVGAccessibility.addTitle(to: results[index], id: diagram.name, title: diagram.title, description: diagram.summary)
            }
            return (results, rendering.warnings.map { Warning(diagram: diagram.name, message: $0) })
        } catch {
            throw Failure(diagram: diagram.name, graphviz: error)
        }
    }
}

/// Gives Graphviz's SVG an accessible name: `role="img"`, and a `<title>` and `<desc>` as the first children of
/// `<svg>`, referenced by `aria-labelledby`. The one place that writes XML text for diagrams.
enum SVGAccessibility {
    static func addTitle(to svg: [UInt8], id: String, title: String, description: String) -> [UInt8] {
        var text = String(decoding: svg, as: UTF8.self)
        guard let open = text.range(of: "<svg"), let close = text[open.upperBound...].firstIndex(of: ">") else { return svg }
        let titleID = HTML.escape(id + "-title"), descID = HTML.escape(id + "-desc")
        let inserted = "\n<title id=\"\(titleID)\">\(HTML.escape(title))</title>\n<desc id=\"\(descID)\">\(HTML.escape(description))</desc>"
        text.insert(contentsOf: inserted, at: text.index(after: close))
        text.insert(contentsOf: " role=\"img\" aria-labelledby=\"\(titleID) \(descID)\"", at: close)
        return Array(text.utf8)
    }
}
