import Graphviz
import Testing

@Suite struct GraphvizLinkTests {
    @Test func rendersDOTToSVGInMemory() throws {
        let svg = try Graphviz.render(dot: "digraph G { a -> b }", format: .svg)
        let text = String(decoding: svg, as: UTF8.self)
        #expect(text.contains("<svg"))
        #expect(text.contains("<title>a</title>"))
        #expect(text.contains("<title>a&#45;&gt;b</title>"))
    }

    @Test func rendersSeveralFormatsFromOneLayout() throws {
        let outputs = try Graphviz.render(dot: "digraph G { a -> b }", formats: [.svg, .png, .pdf])
        #expect(outputs.count == 3)
        #expect(outputs[1].starts(with: [0x89, 0x50, 0x4E, 0x47]))  // PNG signature
        #expect(outputs[2].starts(with: Array("%PDF".utf8)))
    }

    @Test func syntaxErrorsBecomeSwiftErrorsWithGraphvizMessage() {
        do {
            _ = try Graphviz.render(dot: "digraph G { a -> }", format: .svg)
            Issue.record("expected a failure")
        } catch {
            #expect(error.stage == "parse")
            #expect(error.message.contains("syntax error"))
        }
    }

    @Test func unknownLayoutEngineIsAnError() {
        #expect(throws: Graphviz.Failure.self) {
            _ = try Graphviz.render(dot: "digraph G { a }", format: .svg, engine: "no-such-engine")
        }
    }
}
