import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Graphviz
import Model
import Render
import Resolution
import Testing

@Suite(.serialized) struct DiagramFilesTests {
    static let themes: [Theme] = Theme.Name.allCases.map { Theme.named($0) }

    @Test(arguments: Theme.Name.allCases, DiagramFiles.Format.allCases)
    func everyThemeInEveryFormat(themeName: Theme.Name, format: DiagramFiles.Format) throws {
        let model = try Fixtures.defaultModel()
        let theme = Theme.named(themeName)
        let diagram = Diagrams.architecture(model, option: model.options[0], resolution: Resolver.resolve(model), theme: theme)
        let bytes = try DiagramFiles.bytes(diagram, format: format)
        switch format {
        case .svg:
            let svg = String(decoding: bytes, as: UTF8.self)
            #expect(svg.contains("<svg"))
            #expect(svg.contains("font-family=\"DejaVu Sans"))
            #expect(svg.contains(theme.background.lowercased()) || svg.contains(theme.background))
        case .png: #expect(bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        case .pdf: #expect(bytes.starts(with: Array("%PDF".utf8)))
        case .dot: #expect(String(decoding: bytes, as: UTF8.self) == diagram.dot)
        }
        // Identical on a second render: no timestamps, no random ids.
        #expect(try DiagramFiles.bytes(diagram, format: format) == bytes)
    }

    @Test func pdfsCarryAFixedCreationDate() throws {
        let model = try Fixtures.defaultModel()
        let pdf = try DiagramFiles.bytes(Diagrams.overview(model, resolution: Resolver.resolve(model), theme: .light), format: .pdf)
        let text = String(decoding: pdf, as: UTF8.self)
        #expect(text.contains("/CreationDate (\(Graphviz.fixedPDFDate))"))
    }

    @Test func pngsAreTwiceTheSizeOfTheDrawing() throws {
        let model = try Fixtures.defaultModel()
        let diagram = Diagrams.flow(model, option: model.options[0], resolution: Resolver.resolve(model), theme: .light)
        let png = try DiagramFiles.bytes(diagram, format: .png)
        let svg = String(decoding: try DiagramFiles.bytes(diagram, format: .svg), as: UTF8.self)
        let width = png[16..<20].reduce(0) { $0 << 8 | Int($1) }
        // The SVG is in points (1/72 in); the PNG at 2x is 192 dpi: 192/72 pixels per point.
        let points = try #require(Double(svg.firstMatch(of: /width="([0-9.]+)pt"/).map { String($0.1) } ?? ""))
        #expect(abs(Double(width) - points * 192 / 72) < 4)
    }

    @Test func slidesAreSixteenByNine() throws {
        let model = try Fixtures.defaultModel()
        for diagram in Diagrams.all(model, resolution: Resolver.resolve(model), theme: .slide) where diagram.name.hasSuffix("-flow") || diagram.name == "overview" || diagram.name.hasSuffix("-architecture") {
            let svg = String(decoding: try DiagramFiles.bytes(diagram, format: .svg), as: UTF8.self)
            let match = try #require(svg.firstMatch(of: /viewBox="0.00 0.00 ([0-9.]+) ([0-9.]+)"/))
            let ratio = try #require(Double(String(match.1))) / #require(Double(String(match.2)))
            #expect(abs(ratio - 16.0 / 9.0) < 0.01, "\(diagram.name): \(ratio)")
        }
    }

    @Test func svgsHaveAnAccessibleTitleAndDescription() throws {
        let model = try Fixtures.hostileModel()
        let diagram = Diagrams.flow(model, option: model.options[1], resolution: Resolver.resolve(model), theme: .light)
        let svg = String(decoding: try DiagramFiles.bytes(diagram, format: .svg), as: UTF8.self)
        #expect(svg.contains("role=\"img\""))
        #expect(svg.contains("aria-labelledby=\"\(diagram.name)-title \(diagram.name)-desc\""))
        let title = try #require(svg.firstMatch(of: /<title id="[^"]*-title">([^<]*)<\/title>/))
        #expect(title.1.contains("Option A&quot;b\\c"))
        let desc = try #require(svg.firstMatch(of: /<desc id="[^"]*-desc">([^<]*)<\/desc>/))
        #expect(desc.1.contains("Step 1:"))
        // Still well-formed XML.
        #expect(XMLParser(data: Data(svg.utf8)).parse())
    }

    @Test func allFilesAreDeterministicAndSorted() throws {
        let model = try Fixtures.defaultModel()
        let diagrams = Diagrams.all(model, resolution: Resolver.resolve(model), theme: .light)
        let first = try DiagramFiles.render(diagrams)
        let second = try DiagramFiles.render(diagrams)
        #expect(first.files == second.files)
        #expect(first.files.map(\.path) == first.files.map(\.path).sorted())
        #expect(first.files.count == diagrams.count * 4)
        #expect(first.counts.rendered == diagrams.count)
        #expect(first.files.allSatisfy { !$0.bytes.isEmpty })
    }

    @Test func unchangedDiagramsAreReusedFromThePreviousOutput() throws {
        let model = try Fixtures.defaultModel()
        let diagrams = Diagrams.all(model, resolution: Resolver.resolve(model), theme: .light)
        let built = try DiagramFiles.render(diagrams).files
        let previous = Dictionary(uniqueKeysWithValues: built.map { ($0.path, $0.bytes) })
        let again = try DiagramFiles.render(diagrams) { previous[$0] }
        #expect(again.counts.reused == diagrams.count)
        #expect(again.counts.rendered == 0)
        #expect(again.files == built)

        // A changed diagram, or a missing render, is rendered again.
        var changed = previous
        changed["diagrams/overview.dot"] = Array("digraph old {}".utf8)
        changed["diagrams/\(diagrams[1].name).png"] = nil
        let stale = changed
        let partly = try DiagramFiles.render(diagrams) { stale[$0] }
        #expect(partly.counts.rendered == 2)
        #expect(partly.files == built)
    }

    /// What the SVG carries beyond the drawing (its title and description) is part of the reuse key: a diagram whose
    /// picture is unchanged but whose description changed is rendered again, so reuse never keeps stale bytes.
    @Test func aChangedDescriptionIsNotReused() throws {
        let model = try Fixtures.defaultModel()
        var diagram = Diagrams.overview(model, resolution: Resolver.resolve(model), theme: .light)
        let built = try DiagramFiles.render([diagram]).files
        let previous = Dictionary(uniqueKeysWithValues: built.map { ($0.path, $0.bytes) })
        diagram.summary = "A different description."
        let again = try DiagramFiles.render([diagram]) { previous[$0] }
        #expect(again.counts.rendered == 1)
        #expect(again.counts.reused == 0)
        let svg = try #require(again.files.first { $0.path == "diagrams/overview.svg" }).text
        #expect(svg.contains("<desc id=\"overview-desc\">A different description.</desc>"))
    }

    /// Graphviz's own message reaches the caller as a Swift error; nothing is written.
    @Test func graphvizErrorsSurfaceWithTheirMessage() throws {
        var graph = DOTGraph(name: "broken")
        // A cluster name that is not a cluster, fine; an HTML label Graphviz rejects is only a warning, so break
        // the layout itself: the engine name is the one thing the document cannot make safe.
        graph.nodes = [DOTNode(id: "a")]
        let diagram = Diagram(name: "broken", title: "Broken", summary: "", graph: graph)
        do {
            _ = try Graphviz.render(dot: diagram.dot, outputs: [Graphviz.Output(.svg)], engine: "no-such-engine")
            Issue.record("expected a failure")
        } catch {
            #expect(error.stage == "layout")
            #expect(error.message.contains("no-such-engine"))
        }
    }
}
