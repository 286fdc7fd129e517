import Foundation
import Graphviz
import Model
import Render
import Testing

@Suite struct DOTEscapingTests {
    @Test func quotedStringsEscapeQuotesBackslashesAndLineBreaks() {
        #expect(DOTWriter.escape("plain", as: .quoted) == "\"plain\"")
        #expect(DOTWriter.escape("a\"b", as: .quoted) == "\"a\\\"b\"")
        #expect(DOTWriter.escape("a\\b", as: .quoted) == "\"a\\\\b\"")
        #expect(DOTWriter.escape("a\nb", as: .quoted) == "\"a\\nb\"")
        #expect(DOTWriter.escape("a\r\nb", as: .quoted) == "\"a\\nb\"")
        #expect(DOTWriter.escape("{a|b}<c>", as: .quoted) == "\"{a|b}<c>\"")
        #expect(DOTWriter.escape("é 日本", as: .quoted) == "\"é 日本\"")
        #expect(DOTWriter.escape("bell\u{07}", as: .quoted) == "\"bell\"")
    }

    @Test func htmlTextEscapesMarkupAndBreaksLines() {
        #expect(DOTWriter.escape("<B>&\"'", as: .htmlText) == "&lt;B&gt;&amp;&quot;&#39;")
        #expect(DOTWriter.escape("a\nb", as: .htmlText) == "a<BR/>b")
        #expect(DOTWriter.escape("{|}\\", as: .htmlText) == "{|}\\")
        #expect(DOTWriter.escape("x\"y", as: .htmlAttribute) == "\"x&quot;y\"")
        #expect(DOTWriter.escape("x\ny", as: .htmlAttribute) == "\"x y\"")
    }

    /// A graph whose every name is hostile text: the writer's output parses (library and `dot` command) and the
    /// drawing holds exactly one node per node written, with the text shown literally.
    @Test func hostileTextStaysText() throws {
        let hostile = Fixtures.hostile
        var graph = DOTGraph(name: hostile, attributes: ["label": .text(hostile), "tooltip": .text(hostile)])
        graph.clusters = [DOTCluster(id: hostile, attributes: ["label": .text(hostile)], nodes: [DOTNode(id: hostile, attributes: ["label": .text(hostile)])])]
        graph.nodes = [DOTNode(id: "second " + hostile, attributes: ["label": .label(.lines([[DOTRun(hostile, color: "#123456", bold: true)]]))])]
        graph.edges = [DOTEdge(from: hostile, to: "second " + hostile, attributes: ["label": .text(hostile), "xlabel": .label(.lines([[DOTRun(hostile)]]))])]
        let dot = DOTWriter.write(graph)

        let svg = String(decoding: try Graphviz.render(dot: dot, format: .svg), as: UTF8.self)
        #expect(svg.components(separatedBy: "class=\"node\"").count - 1 == 2)
        #expect(svg.components(separatedBy: "class=\"edge\"").count - 1 == 1)
        #expect(svg.components(separatedBy: "class=\"cluster\"").count - 1 == 1)
        #expect(!svg.contains("<e>"))
        #expect(svg.contains("d&lt;e&gt;f{g}h|i&amp;j"))
        #expect(svg.contains("日本"))
        // The backslash is drawn as a backslash, the DOT-looking text as text.
        #expect(svg.contains("b\\c"))
        #expect(svg.contains("node x [label=&lt;B&gt;\\N&lt;/B&gt;]"))

        if let result = try Fixtures.runDot(dot) {
            #expect(result.status == 0, "dot rejected the text: \(result.errors)")
            #expect(!result.errors.contains("syntax error"))
        }
    }
}
