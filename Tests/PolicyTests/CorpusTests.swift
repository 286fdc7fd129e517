import Foundation
import Policy
import Testing
import Source

/// One case of the evaluation corpus, following one AWS page (`doc` names the guide and page, `url` the page):
///
/// - a `simulate` request and the decisions AWS's documented logic gives (`expect`, with `message`,
///   `missingContextValues` and `warnings` when given);
/// - or a request AWS rejects (`errors`: a piece of each message and the JSON pointer of the value it must point at);
/// - or one policy (`policy`, or `policyText` as written) of a `kind`, with the codes the analyzer must find
///   (`findings`), under AWS's size limit for where it is attached (`limit`).
struct CorpusCase: CustomTestStringConvertible, Sendable {
    struct Expected: Sendable {
        var contains: String
        var pointer: String
    }

    var file: String
    var name: String
    var doc: String
    var url: String
    var item: LocatedValue

    var testDescription: String { "\(file): \(name)" }
    var input: LocatedValue? { item["input"] }
    var expect: [String]? { item["expect"]?.elements?.compactMap(\.string) }
    var message: String? { item["message"]?.string }
    var missing: [String]? { item["missingContextValues"]?.elements?.compactMap(\.string) }
    var errors: [Expected]? { Self.expected(item["errors"]) }
    var warnings: [Expected]? { Self.expected(item["warnings"]) }
    var findings: [String]? { item["findings"]?.elements?.compactMap(\.string) }

    static func expected(_ value: LocatedValue?) -> [Expected]? {
        value?.elements?.map { Expected(contains: $0["contains"]?.string ?? "", pointer: $0["at"]?.string ?? "") }
    }

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
                    file: name, name: item["name"]?.string ?? "?", doc: item["doc"]?.string ?? "", url: item["url"]?.string ?? "", item: item))
            }
        }
        return cases
    }

    /// The value a JSON pointer (RFC 6901) names inside `root`.
    static func resolve(_ pointer: String, in root: LocatedValue) -> LocatedValue? {
        var value = root
        for token in pointer.split(separator: "/", omittingEmptySubsequences: false).dropFirst() {
            let key = token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            if let elements = value.elements, let index = Int(key), elements.indices.contains(index) {
                value = elements[index]
            } else if let member = value[key] {
                value = member
            } else {
                return nil
            }
        }
        return value
    }
}

@Suite struct CorpusTests {
    static let cases = CorpusCase.all()

    static let guides = [
        "IAM User Guide: ", "AWS KMS Developer Guide: ", "AWS STS API Reference: ", "AWS Organizations User Guide: ",
        "DynamoDB Developer Guide: ", "Service Authorization Reference: ", "Amazon S3 User Guide: ",
        "Amazon SQS Developer Guide: ", "Amazon SNS Developer Guide: ", "AWS Secrets Manager User Guide: ",
        "AWS Lambda Developer Guide: ", "AWS Step Functions Developer Guide: ", "Amazon EventBridge User Guide: ",
    ]

    @Test func corpusIsLargeAndDocumented() {
        #expect(Self.cases.count >= 350)
        for item in Self.cases {
            #expect(Self.guides.contains { item.doc.hasPrefix($0) }, "\(item.name) names no documentation page")
            #expect(item.url.hasPrefix("https://docs.aws.amazon.com/"), "\(item.name) cites no AWS page")
        }
        let files = Set(Self.cases.map(\.file))
        #expect(files.isSuperset(of: ["cross-account.json", "same-account.json", "conditions.json", "multivalued.json", "principals.json", "kms.json", "s3.json", "validation.json", "findings.json",
            "sqs.json", "sns.json", "secretsmanager.json", "lambda.json", "events.json"]))
    }

    @Test(arguments: CorpusTests.cases)
    func evaluatesAsAWSDocuments(_ item: CorpusCase) throws {
        if let codes = item.findings {
            #expect(analyze(item) == codes.sorted(), "\(item.name) (\(item.doc))")
            return
        }
        let input = try #require(item.input)
        if let errors = item.errors {
            do {
                _ = try SimulateRequest.parse(input, file: item.file)
                Issue.record("\(item.name): the request was accepted")
            } catch {
                expect(error.diagnostics.filter { $0.severity == .error }, errors, in: input, item: item)
            }
            return
        }
        // The same path as `trustflow simulate`: parse the request, run it, print the JSON.
        let request = try SimulateRequest.parse(input, file: item.file)
        let results = request.run()
        #expect(results.map { $0.evaluation.decision.rawValue } == item.expect, "\(item.name) (\(item.doc))")
        if let message = item.message {
            #expect(results.first?.evaluation.message == message)
        }
        if let missing = item.missing {
            #expect(results.first?.evaluation.missingContextKeys == missing)
        }
        expect(request.warnings, item.warnings ?? [], in: input, item: item)
        let json = JSONWriter.write(SimulateRequest.json(results), pretty: false)
        #expect(json.hasPrefix("{\"EvaluationResults\":["))
        // `trustflow simulate` streams: the same text, byte for byte, as the tree written out.
        var streamed: [UInt8] = []
        SimulateStream.write(request, now: ContextDerivation().now) { streamed.append(contentsOf: $0) }
        #expect(String(decoding: streamed, as: UTF8.self) == JSONWriter.write(SimulateRequest.json(results), pretty: true))
    }

    /// Each expected diagnostic is reported, at the line and column of the value its pointer names, and nothing else.
    func expect(_ diagnostics: [Diagnostic], _ expected: [CorpusCase.Expected], in input: LocatedValue, item: CorpusCase) {
        #expect(diagnostics.count == expected.count, "\(item.name): \(diagnostics.map(\.description))")
        for want in expected {
            let target = CorpusCase.resolve(want.pointer, in: input)
            #expect(target != nil, "\(item.name): no value at \(want.pointer)")
            let hit = diagnostics.contains { $0.message.contains(want.contains) && $0.location.line == target?.location.line && $0.location.column == target?.location.column }
            #expect(hit, "\(item.name): no diagnostic containing '\(want.contains)' at \(target?.location.description ?? "?"): \(diagnostics.map(\.description))")
        }
    }

    /// The codes the parser (an unknown action stops it) and the analyzer report for a findings case.
    func analyze(_ item: CorpusCase) -> [String] {
        let kind = PolicyKind(rawValue: item.item["kind"]?.string ?? "identity") ?? .identity
        let parsed: (document: PolicyDocument?, diagnostics: [Diagnostic])
        if let text = item.item["policyText"]?.string {
            parsed = PolicyParser.parse(json: text, file: item.file, kind: kind)
        } else {
            parsed = PolicyParser.parse(item.item["policy"]!, kind: kind)
        }
        guard let document = parsed.document else { return parsed.diagnostics.compactMap(\.code).sorted() }
        let limits: [String: Analyzer.SizeLimit] = [
            "inlineRolePolicy": .inlineRolePolicy, "managedPolicy": .managedPolicy, "trustPolicy": .trustPolicy,
            "serviceControlPolicy": .serviceControlPolicy, "dynamoDBResourcePolicy": .dynamoDBResourcePolicy,
        ]
        let limit = item.item["limit"]?.string.flatMap { limits[$0] }
        let codes = parsed.diagnostics.filter { $0.severity == .error }.compactMap(\.code) + Analyzer.analyze(NamedDocument(name: "P", document: document), limit: limit).compactMap(\.code)
        return codes.sorted()
    }
}
