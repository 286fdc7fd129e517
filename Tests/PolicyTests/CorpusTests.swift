import Foundation
import Policy
import Testing
import Source

/// One case of the evaluation corpus: a `simulate` request, the decisions AWS's documented logic gives, and
/// the IAM User Guide page the case follows.
struct CorpusCase: CustomTestStringConvertible, Sendable {
    var file: String
    var name: String
    var doc: String
    var input: LocatedValue
    var expect: [String]
    var message: String?
    var missing: [String]?

    var testDescription: String { "\(file): \(name)" }

    static func all() -> [CorpusCase] {
        guard let folder = Bundle.module.url(forResource: "Corpus", withExtension: nil),
            let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path)
        else { return [] }
        var cases: [CorpusCase] = []
        for name in names.sorted() where name.hasSuffix(".json") {
            let path = folder.appendingPathComponent(name).path
            guard let text = try? String(contentsOfFile: path, encoding: .utf8), let root = JSONReader.parse(text, file: name).value,
                let list = root["cases"]?.elements
            else { continue }
            for item in list {
                cases.append(CorpusCase(
                    file: name, name: item["name"]?.string ?? "?", doc: item["doc"]?.string ?? "",
                    input: item["input"]!, expect: item["expect"]?.elements?.compactMap(\.string) ?? [],
                    message: item["message"]?.string, missing: item["missingContextValues"]?.elements?.compactMap(\.string)))
            }
        }
        return cases
    }
}

@Suite struct CorpusTests {
    static let cases = CorpusCase.all()

    @Test func corpusIsLargeAndDocumented() {
        #expect(Self.cases.count >= 150)
        for item in Self.cases {
            #expect(item.doc.hasPrefix("IAM User Guide: "), "\(item.name) names no documentation page")
        }
        let files = Set(Self.cases.map(\.file))
        #expect(files.isSuperset(of: ["cross-account.json", "same-account.json", "conditions.json", "multivalued.json", "principals.json"]))
    }

    @Test(arguments: CorpusTests.cases)
    func evaluatesAsAWSDocuments(_ item: CorpusCase) throws {
        // The same path as `trustflow simulate`: parse the request, run it, print the JSON.
        let request = try SimulateRequest.parse(item.input, file: item.file)
        let results = request.run()
        #expect(results.map { $0.evaluation.decision.rawValue } == item.expect, "\(item.name) (\(item.doc))")
        if let message = item.message {
            #expect(results.first?.evaluation.message == message)
        }
        if let missing = item.missing {
            #expect(results.first?.evaluation.missingContextKeys == missing)
        }
        let json = JSONWriter.write(SimulateRequest.json(results), pretty: false)
        #expect(json.hasPrefix("{\"EvaluationResults\":["))
    }
}
