import Foundation
import Source
import Testing

/// parliament (an IAM linter on the same Service Authorization Reference data) was run on every policy of the
/// findings corpus by `scripts/parliament-compare.py`; wherever it reports a real problem, the corpus's expected
/// Trustflow findings (which CorpusTests checks against the analyzer) must include a matching code.
@Suite struct ParliamentTests {
    @Test func trustflowReportsWhatParliamentReports() throws {
        let folder = try #require(Bundle.module.url(forResource: "Parliament", withExtension: nil))
        let text = try String(contentsOf: folder.appendingPathComponent("findings.json"), encoding: .utf8)
        let root = try #require(JSONReader.parse(text, file: "findings.json").value)
        var mapping: [String: [String]] = [:]
        for member in root["mapping"]?.members ?? [] { mapping[member.key] = member.value.elements?.compactMap(\.string) ?? [] }
        let expected = Dictionary(CorpusCase.all().filter { $0.findings != nil }.map { ($0.name, $0.findings ?? []) }, uniquingKeysWith: { a, _ in a })
        let records = try #require(root["cases"]?.elements)
        #expect(records.count == expected.count)
        for record in records {
            let name = record["name"]?.string ?? "?"
            let ours = try #require(expected[name], "\(name) is no longer in the findings corpus: re-run scripts/parliament-compare.py")
            // A difference made on purpose carries its reason.
            if record["accepted"]?.string?.isEmpty == false { continue }
            for issue in record["parliament"]?.elements?.compactMap(\.string) ?? [] {
                guard let codes = mapping[issue] else { continue }
                #expect(!Set(codes).isDisjoint(with: ours), "\(name): parliament reports \(issue), Trustflow none of \(codes)")
            }
        }
    }
}
