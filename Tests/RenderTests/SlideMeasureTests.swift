import Foundation
import Model
import Render
import Resolution
import Testing

/// The slide theme at 1920×1080, measured from the SVG every deck slide gets (content/ and every model of examples/):
/// each label's font size times the SVG's scale to 1920×1080, and the drawing's bounding box against the viewBox.
@Suite(.serialized) struct SlideMeasureTests {
    static let folders: [String] = {
        let examples = Fixtures.testsFolder.appendingPathComponent("../../examples").standardized.path
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: examples)) ?? []).filter {
            FileManager.default.fileExists(atPath: examples + "/" + $0 + "/model.yml")
        }.sorted()
        return [Fixtures.content] + names.map { examples + "/" + $0 }
    }()

    @Test func examplesAreFound() {
        #expect(Self.folders.count >= 6, "\(Self.folders)")
    }

    @Test(arguments: folders)
    func everyFrameReadsFromTheBackOfTheRoom(folder: String) throws {
        let model = try ModelLoader.load(contentDirectory: folder)
        let slides = DeckSlides.all(model, resolution: Resolver.resolve(model))
        var summary = SlideMeasure.Figures()
        for slide in slides {
            let svg = String(decoding: try DiagramFiles.bytes(slide.diagram, format: .svg), as: UTF8.self)
            let figures = try #require(SlideMeasure(svg: svg), "\(slide.diagram.name): the SVG cannot be measured")
            switch slide.kind {
            case .option, .step:
                #expect(figures.label >= 22, "\(slide.diagram.name): a label of \(figures.label) px")
                #expect(figures.stepLabel >= 28, "\(slide.diagram.name): a step label of \(figures.stepLabel) px")
                #expect(figures.title >= 44, "\(slide.diagram.name): a title of \(figures.title) px")
                #expect(figures.fill >= 0.6, "\(slide.diagram.name): the drawing fills \(figures.fill) of the slide")
                summary.merge(figures)
            case .title, .summary:
                // Drawn for deck.pdf: readable, but tables are measured as labels only.
                #expect(figures.label >= 16, "\(slide.diagram.name): a label of \(figures.label) px")
            }
        }
        let name = (folder as NSString).lastPathComponent
        print("slide measure \(name): frames \(slides.count - 2), min label \(f(summary.label)) px, min step label \(f(summary.stepLabel)) px, "
            + "min title \(f(summary.title)) px, min fill \(f(summary.fill * 100)) %")
    }

    @Test func theMeasureSeesSmallText() throws {
        let svg = """
            <svg width="1920pt" height="1080pt" viewBox="0.00 0.00 3840.00 2160.00" xmlns="http://www.w3.org/2000/svg">
            <g id="graph0" class="graph" transform="scale(1 1) rotate(0) translate(4 2156)">
            <polygon fill="white" stroke="transparent" points="-4,4 -4,-2156 3836,-2156 3836,4 -4,4"/>
            <text text-anchor="start" x="10" y="-2000" font-family="DejaVu Sans" font-weight="bold" font-size="48.00">Title</text>
            <g id="edge1" class="edge"><text text-anchor="start" x="100" y="-1000" font-weight="bold" font-size="30.00">GetItem</text>
            <text text-anchor="start" x="100" y="-900" font-size="24.00">policy X</text></g>
            </g></svg>
            """
        let figures = try #require(SlideMeasure(svg: svg))
        #expect(figures.title == 24)
        #expect(figures.stepLabel == 15)
        #expect(figures.label == 12)
    }

    private func f(_ value: Double) -> String { String(format: "%.1f", value) }
}

/// Figures of one SVG at 1920×1080: the smallest label, step label and title in pixels, and the share of the slide's
/// width or height (the larger) that the drawing fills.
struct SlideMeasure {
    struct Figures {
        var label = Double.infinity, stepLabel = Double.infinity, title = Double.infinity, fill = Double.infinity
        mutating func merge(_ other: SlideMeasure) {
            label = min(label, other.label)
            stepLabel = min(stepLabel, other.stepLabel)
            title = min(title, other.title)
            fill = min(fill, other.fill)
        }
    }

    var label = Double.infinity
    var stepLabel = Double.infinity
    var title = Double.infinity
    var fill = 0.0

    /// Titles: the bold text of the graph's own label (direct children of the drawing). Step labels: the action line of
    /// each step edge (bold edge text, the denial's reason aside) and the rows of a frame's step list. Labels: all text.
    /// Whitespace-only text (spacer lines) is not a label.
    init?(svg: String) {
        guard let box = svg.firstMatch(of: /viewBox="([-0-9.]+) ([-0-9.]+) ([0-9.]+) ([0-9.]+)"/),
              let width = Double(box.3), let height = Double(box.4), width > 0, height > 0,
              let transform = svg.firstMatch(of: /class="graph" transform="scale\(([0-9.]+) ([0-9.]+)\) rotate\(0\) translate\(([-0-9.]+) ([-0-9.]+)\)"/),
              let scale = Double(transform.1), let tx = Double(transform.3), let ty = Double(transform.4)
        else { return nil }
        let pixels = min(1920 / width, 1080 / height) * scale
        var minX = Double.infinity, maxX = -Double.infinity, minY = Double.infinity, maxY = -Double.infinity
        func extend(_ x: Double, _ y: Double) {
            minX = min(minX, x); maxX = max(maxX, x); minY = min(minY, y); maxY = max(maxY, y)
        }
        var depth = 0
        var inEdge = false
        var edgeDepth = 0
        var sawBackground = false
        for line in svg.split(separator: "\n") {
            let text = String(line)
            if text.hasPrefix("<g ") {
                depth += 1
                if text.contains("class=\"edge\"") { inEdge = true; edgeDepth = depth }
            }
            if text.hasPrefix("<polygon") || text.hasPrefix("<path") || text.hasPrefix("<polyline") {
                guard let points = text.firstMatch(of: /(?:points|d)="([^"]*)"/) else { continue }
                if text.hasPrefix("<polygon") && !sawBackground { sawBackground = true; continue }
                let numbers = points.1.split { !"-0123456789.".contains($0) }.compactMap { Double($0) }
                for pair in stride(from: 0, to: numbers.count - 1, by: 2) { extend(numbers[pair], numbers[pair + 1]) }
            }
            if text.hasPrefix("<ellipse"), let e = text.firstMatch(of: /cx="([-0-9.]+)" cy="([-0-9.]+)" rx="([0-9.]+)" ry="([0-9.]+)"/),
               let cx = Double(e.1), let cy = Double(e.2), let rx = Double(e.3), let ry = Double(e.4) {
                extend(cx - rx, cy - ry); extend(cx + rx, cy + ry)
            }
            for match in text.matches(of: /<text([^>]*)>([^<]*)<\/text>/) {
                let attributes = String(match.1), content = String(match.2)
                guard let size = attributes.firstMatch(of: /font-size="([0-9.]+)"/).flatMap({ Double($0.1) }) else { continue }
                if let x = attributes.firstMatch(of: /x="([-0-9.]+)"/).flatMap({ Double($0.1) }),
                   let y = attributes.firstMatch(of: /y="([-0-9.]+)"/).flatMap({ Double($0.1) }) {
                    let approximateWidth = 0.6 * size * Double(content.count)
                    let start = attributes.contains("text-anchor=\"start\"") ? x : attributes.contains("text-anchor=\"end\"") ? x - approximateWidth : x - approximateWidth / 2
                    extend(start, y - size * 0.8); extend(start + approximateWidth, y + size * 0.2)
                }
                guard content.contains(where: { !$0.isWhitespace && $0 != "\u{A0}" }) && content != "&#160;" else { continue }
                let px = size * pixels
                let bold = attributes.contains("font-weight=\"bold\"")
                label = min(label, px)
                if depth == 1 && bold { title = min(title, px) }
                if (inEdge && bold && !content.hasPrefix("✗")) || (depth == 1 && content.contains("→") && !bold) { stepLabel = min(stepLabel, px) }
            }
            if text.hasPrefix("</g>") {
                if inEdge && depth == edgeDepth { inEdge = false }
                depth -= 1
            }
        }
        guard minX.isFinite else { return nil }
        let drawnWidth = (maxX - minX) * scale, drawnHeight = (maxY - minY) * scale
        _ = (tx, ty)
        // Text extents are estimated (0.6 em a character), so the share is capped at the whole canvas.
        fill = min(1, max(drawnWidth / width, drawnHeight / height))
    }
}
