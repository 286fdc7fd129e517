import Foundation
import Graphviz
import Testing

@Suite(.serialized) struct GraphvizRenderTests {
    static let clusters = """
        digraph G {
          subgraph "cluster_b" { label="B"; "b1"; "b2" }
          subgraph "cluster_a" { label="A"; "a1" }
          "zeta" -> "a1"; "a1" -> "b1"; "a1" -> "b2";
        }
        """

    private func pngWidth(_ bytes: [UInt8]) -> Int { bytes[16..<20].reduce(0) { $0 << 8 | Int($1) } }

    @Test func scaledPNGsHaveTwiceThePixels() throws {
        let outputs = try Graphviz.render(dot: Self.clusters, outputs: [Graphviz.Output(.png), Graphviz.Output(.png, scale: 2), Graphviz.Output(.svg, scale: 2)])
        let one = pngWidth(outputs[0]), two = pngWidth(outputs[1])
        #expect(abs(two - 2 * one) <= 2, "\(one) → \(two)")
        // Vector formats ignore the scale.
        let plain = try Graphviz.render(dot: Self.clusters, format: .svg)
        #expect(outputs[2] == plain)
    }

    @Test func aDPIInTheTextIsKeptForUnscaledOutput() throws {
        let withDPI = Self.clusters.replacingOccurrences(of: "digraph G {", with: "digraph G { dpi=48;")
        let outputs = try Graphviz.render(dot: withDPI, outputs: [Graphviz.Output(.png), Graphviz.Output(.png, scale: 2)])
        #expect(pngWidth(outputs[0]) * 4 <= pngWidth(outputs[1]) + 8)  // 48 dpi vs 192 dpi
    }

    /// The same text gives the same bytes, however many graphs the process rendered before (cluster order used to
    /// follow the addresses of interned names).
    @Test func rendersAreByteIdenticalAcrossCalls() throws {
        let first = try Graphviz.render(dot: Self.clusters, formats: [.svg, .pdf, .png])
        for round in 0..<5 {
            // Churn the heap with other graphs in between.
            _ = try Graphviz.render(dot: "digraph H\(round) { subgraph cluster_x\(round) { n\(round) } m -> n\(round) }", format: .svg)
            #expect(try Graphviz.render(dot: Self.clusters, formats: [.svg, .pdf, .png]) == first)
        }
        let svg = String(decoding: first[0], as: UTF8.self)
        // Names survive the custom id discipline, and clusters come out in the order written.
        #expect(svg.contains("<title>zeta</title>"))
        let b = try #require(svg.range(of: "<title>cluster_b</title>")), a = try #require(svg.range(of: "<title>cluster_a</title>"))
        #expect(b.lowerBound < a.lowerBound)
    }

    @Test func pdfCreationDateIsFixedWithoutChangingTheLength() throws {
        let pdf = try Graphviz.render(dot: Self.clusters, format: .pdf)
        let text = String(decoding: pdf, as: UTF8.self)
        #expect(text.contains("/CreationDate (\(Graphviz.fixedPDFDate))"))
        // The cross-reference table still points at objects: `startxref` names an offset where `xref` begins.
        let start = try #require(text.range(of: "startxref\n", options: .backwards))
        let offset = try #require(Int(text[start.upperBound...].prefix { $0.isNumber }))
        #expect(Array(pdf[offset..<offset + 4]) == Array("xref".utf8))
    }

    @Test func anAspectRatioPadsTheCanvas() throws {
        let svg = String(decoding: try Graphviz.render(dot: Self.clusters, outputs: [Graphviz.Output(.svg)], aspectRatio: 16.0 / 9.0)[0], as: UTF8.self)
        let match = try #require(svg.firstMatch(of: /viewBox="0.00 0.00 ([0-9.]+) ([0-9.]+)"/))
        let ratio = try #require(Double(String(match.1))) / #require(Double(String(match.2)))
        #expect(abs(ratio - 16.0 / 9.0) < 0.01)
    }

    @Test func layoutFailuresCarryGraphvizsMessage() {
        do {
            _ = try Graphviz.render(dot: "digraph G { a }", format: .svg, engine: "no-such-engine")
            Issue.record("expected a failure")
        } catch {
            #expect(error.stage == "layout")
            #expect(error.message.contains("no-such-engine"), "\(error.message)")
            #expect(error.description.hasPrefix("Graphviz layout failed: "))
        }
    }

    @Test func parseFailuresNameTheLine() {
        // A failed parse leaves text in Graphviz's lexer; the next parse must not read it (nor count its lines).
        _ = try? Graphviz.render(dot: "digraph {\n -> x\n a\n b\n c\n}\n", format: .svg)
        do {
            _ = try Graphviz.render(dot: "digraph G {\n a -> b\n c -> -> d\n}", format: .png)
            Issue.record("expected a failure")
        } catch {
            #expect(error.stage == "parse")
            #expect(error.message.contains("line 3"), "\(error.message)")
        }
    }

    @Test func aFailureLeavesGraphvizUsable() throws {
        _ = try? Graphviz.render(dot: "digraph { -> }", format: .svg)
        #expect(try Graphviz.render(dot: "digraph { a -> b }", format: .svg).count > 100)
    }
}
