/// Writes a `DOTGraph` as DOT text. The one writer of DOT in Trustflow.
///
/// Every identifier and every value is written quoted (or as an HTML-like label), through `escape(_:as:)`,
/// so a name from the model containing quotes, backslashes, newlines, `<`, `>`, `{`, `}`, `|` or any other
/// character is drawn as the text it is and never read as DOT syntax.
public enum DOTWriter {
    public static func write(_ graph: DOTGraph) -> String {
        var out = "digraph \(escape(graph.name, as: .quoted)) {\n"
        writeAttributes(graph.attributes, into: &out, indent: "  ")
        if !graph.nodeDefaults.isEmpty { out += "  node \(list(graph.nodeDefaults));\n" }
        if !graph.edgeDefaults.isEmpty { out += "  edge \(list(graph.edgeDefaults));\n" }
        for cluster in graph.clusters { write(cluster, into: &out, indent: "  ") }
        for node in graph.nodes { write(node, into: &out, indent: "  ") }
        for group in graph.sameRank {
            out += "  { rank=\"same\"; " + group.map { escape($0, as: .quoted) + "; " }.joined() + "}\n"
        }
        for edge in graph.edges {
            out += "  \(escape(edge.from, as: .quoted)) -> \(escape(edge.to, as: .quoted))"
            out += edge.attributes.isEmpty ? ";\n" : " \(list(edge.attributes));\n"
        }
        out += "}\n"
        return out
    }

    private static func write(_ cluster: DOTCluster, into out: inout String, indent: String) {
        out += "\(indent)subgraph \(escape("cluster_" + cluster.id, as: .quoted)) {\n"
        let inner = indent + "  "
        writeAttributes(cluster.attributes, into: &out, indent: inner)
        for child in cluster.clusters { write(child, into: &out, indent: inner) }
        for node in cluster.nodes { write(node, into: &out, indent: inner) }
        out += "\(indent)}\n"
    }

    private static func write(_ node: DOTNode, into out: inout String, indent: String) {
        out += "\(indent)\(escape(node.id, as: .quoted))"
        out += node.attributes.isEmpty ? ";\n" : " \(list(node.attributes));\n"
    }

    private static func writeAttributes(_ attributes: DOTAttributes, into out: inout String, indent: String) {
        for (key, value) in attributes.entries {
            out += "\(indent)\(escape(key, as: .quoted))=\(self.value(value));\n"
        }
    }

    private static func list(_ attributes: DOTAttributes) -> String {
        "[" + attributes.entries.map { "\(escape($0.key, as: .quoted))=\(value($0.value))" }.joined(separator: ", ") + "]"
    }

    private static func value(_ value: DOTValue) -> String {
        switch value {
        case .text(let text): escape(text, as: .quoted)
        case .label(let label): "<" + html(label) + ">"
        }
    }

    // MARK: - HTML-like labels

    private static func html(_ label: DOTLabel) -> String {
        switch label {
        case .lines(let lines):
            return lines.flatMap { wrap($0) }.map { $0.map(html).joined() }.joined(separator: "<BR/>")
        case .table(let table):
            var out = "<TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLPADDING=\"\(table.cellPadding)\" CELLSPACING=\"\(table.cellSpacing)\">"
            for row in table.rows {
                out += "<TR>"
                for cell in row {
                    out += "<TD ALIGN=\(escape(cell.align, as: .htmlAttribute)) BALIGN=\(escape(cell.align, as: .htmlAttribute))"
                    if let background = cell.background { out += " BGCOLOR=\(escape(background, as: .htmlAttribute))" }
                    if let width = cell.width { out += " WIDTH=\"\(width)\" FIXEDSIZE=\"FALSE\"" }
                    if cell.columnSpan > 1 { out += " COLSPAN=\"\(cell.columnSpan)\"" }
                    out += ">"
                    out += cell.runs.flatMap { wrap($0) }.map { $0.map(html).joined() }.joined(separator: "<BR ALIGN=\(escape(cell.align, as: .htmlAttribute))/>")
                    out += "</TD>"
                }
                out += "</TR>"
            }
            return out + "</TABLE>"
        }
    }

    /// The most characters one line of a label draws. A longer line (a long title, an account name, a denial's
    /// reason) wraps at spaces, and a word longer than this is cut, so that no text can stretch a drawing past what
    /// a raster can hold. Every line Trustflow writes for the default content is shorter.
    public static let lineWidth = 160

    /// `line` as lines of at most `width` characters, each run keeping its style.
    package static func wrap(_ line: [DOTRun], width: Int = lineWidth) -> [[DOTRun]] {
        guard line.reduce(0, { $0 + $1.text.count }) > width else { return [line] }
        var lines: [[DOTRun]] = [[]]
        var used = 0
        for run in line {
            var piece = ""
            func flush() {
                guard !piece.isEmpty else { return }
                var part = run
                part.text = piece
                lines[lines.count - 1].append(part)
                piece = ""
            }
            for word in words(run.text) {
                var rest = Substring(word)
                while !rest.isEmpty {
                    let visible = rest.count - rest.reversed().prefix { $0 == " " }.count
                    if used + visible <= width {
                        piece += rest
                        used += rest.count
                        rest = ""
                    } else if used > 0 {
                        while piece.last == " " { piece.removeLast() }
                        flush()
                        lines.append([])
                        used = 0
                    } else {
                        piece += rest.prefix(width)
                        used += min(width, rest.count)
                        rest = rest.dropFirst(width)
                    }
                }
            }
            flush()
        }
        return lines.filter { !$0.isEmpty }
    }

    /// The words of `text`, each with the spaces that follow it.
    private static func words(_ text: String) -> [String] {
        var words: [String] = []
        var current = ""
        for character in text {
            if character != " ", current.last == " " {
                words.append(current)
                current = ""
            }
            current.append(character)
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    private static func html(_ run: DOTRun) -> String {
        // An empty run still needs content for Graphviz's HTML parser to keep the line.
        var out = run.text.isEmpty ? " " : escape(run.text, as: .htmlText)
        if run.italic { out = "<I>" + out + "</I>" }
        if run.bold { out = "<B>" + out + "</B>" }
        var font = ""
        if let size = run.size { font += " POINT-SIZE=" + escape(DOTValue.number(size).plainText, as: .htmlAttribute) }
        if let color = run.color { font += " COLOR=" + escape(color, as: .htmlAttribute) }
        if !font.isEmpty { out = "<FONT\(font)>" + out + "</FONT>" }
        return out
    }

    // MARK: - Escaping

    /// Where a piece of text goes in DOT.
    public enum Context: Sendable {
        /// A double-quoted DOT string: an identifier, an attribute value, a plain label.
        case quoted
        /// Text inside an HTML-like label.
        case htmlText
        /// A quoted attribute value inside an HTML-like label (`COLOR="…"`).
        case htmlAttribute
    }

    /// The one escaping function for DOT: returns `text` so that Graphviz reads it as exactly that text.
    ///
    /// - `.quoted`: wrapped in `"`; `"` and `\` are backslash-escaped (Graphviz then shows a single `\`); a line
    ///   break becomes `\n`, which a label draws as a line break and any other attribute ignores; other control
    ///   characters are dropped. `<`, `>`, `{`, `}`, `|` have no meaning in a quoted string of a non-record shape,
    ///   and Trustflow never uses record shapes.
    /// - `.htmlText`: `&`, `<`, `>`, `"`, `'` become entities; line breaks become `<BR/>`; other control characters
    ///   are dropped; everything else (non-ASCII included) is written as UTF-8.
    /// - `.htmlAttribute`: as `.htmlText` without line breaks, wrapped in `"`.
    public static func escape(_ text: String, as context: Context) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count + 2)
        if context != .htmlText { out.append("\"") }
        var previous: Unicode.Scalar = " "
        for scalar in text.unicodeScalars {
            defer { previous = scalar }
            if scalar == "\n" && previous == "\r" { continue }  // CR LF is one line break
            let isBreak = scalar == "\n" || scalar == "\r" || scalar == "\u{2028}" || scalar == "\u{2029}"
            switch context {
            case .quoted:
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                default:
                    if isBreak { out += "\\n" } else if !isControl(scalar) { out.unicodeScalars.append(scalar) }
                }
            case .htmlText, .htmlAttribute:
                switch scalar {
                case "&": out += "&amp;"
                case "<": out += "&lt;"
                case ">": out += "&gt;"
                case "\"": out += "&quot;"
                case "'": out += "&#39;"
                default:
                    if isBreak {
                        out += context == .htmlText ? "<BR/>" : " "
                    } else if !isControl(scalar) {
                        out.unicodeScalars.append(scalar)
                    }
                }
            }
        }
        if context != .htmlText { out.append("\"") }
        return out
    }
}

/// C0 and C1 control characters (and DEL): never drawable, dropped from any text.
private func isControl(_ scalar: Unicode.Scalar) -> Bool {
    scalar.value < 0x20 || scalar.value == 0x7F || (0x80..<0xA0).contains(scalar.value)
}

extension DOTValue {
    /// The text of a `.text` value (numbers are written this way).
    var plainText: String {
        if case .text(let text) = self { return text }
        return ""
    }
}
