import Graphviz
import Testing

/// A drawing too large for a raster fails loudly or is drawn smaller with a warning — never a PNG of a few pixels
/// of blur — and what Graphviz, cairo and Pango report comes back as warnings instead of reaching the terminal.
@Suite(.serialized) struct RasterLimitTests {
    /// A PNG's width and height, from its IHDR chunk.
    func pngSize(_ bytes: [UInt8]) -> (width: Int, height: Int) {
        func word(_ at: Int) -> Int { bytes[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
        return (word(16), word(20))
    }

    @Test func aDrawingTooLargeForCairoIsAnErrorNotABlur() {
        // One label of 200,000 characters: about 1.4 million points wide, past cairo's 32,767 pixels even at 24 dpi.
        let dot = "digraph G { a [label=\"\(String(repeating: "Word ", count: 40_000))\"] }"
        do {
            _ = try Graphviz.rendering(dot: dot, outputs: [Graphviz.Output(.png, scale: 2)])
            Issue.record("expected a failure")
        } catch {
            #expect(error.stage == "render (png)")
            #expect(error.message.contains("even at 24 dpi"), "\(error.message)")
        }
    }

    @Test func aLargeDrawingIsDrawnSmallerWithAWarning() throws {
        // 400 nodes in a row: about 40,000 points wide, so 2× (192 dpi) would be over 100,000 pixels.
        let nodes = (0..<400).map { "n\($0)" }.joined(separator: " -> ")
        let rendering = try Graphviz.rendering(dot: "digraph G { rankdir=LR; \(nodes) }", outputs: [Graphviz.Output(.png, scale: 2), Graphviz.Output(.svg)])
        let size = pngSize(rendering.outputs[0])
        #expect(size.width <= Graphviz.RasterLimit.standard.maximumSide && size.height <= Graphviz.RasterLimit.standard.maximumSide)
        #expect(size.width * size.height <= Graphviz.RasterLimit.standard.maximumPixels)
        // Still a drawing, not a strip: its shape is kept.
        #expect(size.height >= 10)
        #expect(rendering.warnings.contains { $0.contains("drawn at") && $0.contains("instead") }, "\(rendering.warnings)")
        // The SVG is full size.
        #expect(String(decoding: rendering.outputs[1], as: UTF8.self).contains("<svg"))
    }

    @Test func aSmallDrawingHasNoWarnings() throws {
        let rendering = try Graphviz.rendering(dot: "digraph G { a -> b }", outputs: [Graphviz.Output(.png, scale: 2), Graphviz.Output(.svg), Graphviz.Output(.pdf)])
        #expect(rendering.warnings.isEmpty, "\(rendering.warnings)")
    }

    @Test func graphvizMessagesAreWarningsNotTerminalOutput() throws {
        // An unknown colour: Graphviz warns through its error callback.
        let rendering = try Graphviz.rendering(dot: "digraph G { a [color=\"no-such-colour\"] }", outputs: [Graphviz.Output(.svg)])
        #expect(rendering.warnings.contains { $0.contains("no-such-colour") }, "\(rendering.warnings)")
    }

    @Test func pangoMessagesComeBackAsWarnings() throws {
        // A 200,000-character line is more than Pango lays out: it says so through GLib's log ("Pango-CRITICAL: …"),
        // which the wrapper captures instead of letting it reach the terminal.
        let dot = "digraph G { a [label=\"\(String(repeating: "Word ", count: 40_000))\"] }"
        let rendering = try Graphviz.rendering(dot: dot, outputs: [Graphviz.Output(.pdf)])
        #expect(rendering.warnings.contains { $0.hasPrefix("Pango-CRITICAL: ") }, "\(rendering.warnings)")
    }

    @Test func fittingResolution() throws {
        let limit = Graphviz.RasterLimit.standard
        #expect(Graphviz.fittingDPI((1000, 1000), dpi: 192, limit: limit) == nil)
        let wide = try #require(Graphviz.fittingDPI((40_000, 1000), dpi: 192, limit: limit))
        #expect(wide < 192 * 16_384 / 40_000 + 0.01)
        let large = try #require(Graphviz.fittingDPI((10_000, 10_000), dpi: 192, limit: limit))
        #expect(Double(10_000) * large / 192 * Double(10_000) * large / 192 <= Double(limit.maximumPixels))
    }
}
