import Render
import Testing

/// Long titles and labels wrap: no text can stretch a drawing past what a raster holds (a 200,000-character title
/// made overview.png a 32767×5 strip without a word).
@Suite struct LabelWrapTests {
    @Test func shortLinesAreLeftAlone() {
        let line = [DOTRun("❶ ", size: 17), DOTRun("orders-api → sts:AssumeRole → DynamoDBAccessRole", bold: true)]
        #expect(DOTWriter.wrap(line) == [line])
    }

    @Test func longLinesWrapAtSpacesAndKeepEachRunsStyle() {
        let line = [DOTRun("Title: ", bold: true), DOTRun(String(repeating: "word ", count: 100), color: "#545B64")]
        let lines = DOTWriter.wrap(line, width: 40)
        #expect(lines.count > 10)
        for wrapped in lines {
            #expect(wrapped.reduce(0) { $0 + $1.text.count } <= 40)
        }
        // Lines end where a word does (the last keeps the text's own end).
        #expect(lines.dropLast().allSatisfy { $0.last?.text.hasSuffix(" ") == false })
        #expect(lines[0][0] == DOTRun("Title: ", bold: true))
        #expect(lines.dropFirst().allSatisfy { $0.allSatisfy { $0.color == "#545B64" } })
        // Nothing is lost but the spaces where lines break.
        #expect(lines.flatMap { $0.map(\.text) }.joined().filter { $0 != " " } == line.map(\.text).joined().filter { $0 != " " })
    }

    @Test func aWordLongerThanALineIsCut() {
        let lines = DOTWriter.wrap([DOTRun(String(repeating: "x", count: 450))], width: 100)
        #expect(lines.map { $0.map(\.text).joined().count } == [100, 100, 100, 100, 50])
    }

    @Test func aTwoHundredThousandCharacterTitleBecomesLinesOfAtMost160() {
        let title = String(repeating: "Word ", count: 40_000)
        let graph = DOTGraph(name: "g", attributes: ["label": .label(.lines([[DOTRun(title, size: 24, bold: true)]]))])
        let dot = DOTWriter.write(graph)
        let lines = dot.components(separatedBy: "<BR/>")
        #expect(lines.count >= 200_000 / DOTWriter.lineWidth)
        #expect(lines.allSatisfy { $0.replacingOccurrences(of: "<FONT POINT-SIZE=\"24\"><B>", with: "").count <= DOTWriter.lineWidth + 40 })
    }
}
