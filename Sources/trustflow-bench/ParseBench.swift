import Foundation
import Model
import Policy
import Resolution
import Source

/// Parsing at scale, which must be linear: a 4,000-statement policy passed as a JSON string (simulate's input), and
/// the content with one policy file grown to 500 KB and to 1 MB, checked in-process (load, prove, findings) — the
/// size-limit finding must say that AWS would reject it.
@Sendable func runParseBench(_ arguments: [String]) async throws {
    let content = arguments.first ?? "content"
    func statement(_ index: Int) -> String {
        #"{"Sid": "S\#(index)", "Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:Query"], "Resource": "arn:aws:dynamodb:us-east-1:333333333333:table/T\#(index)"}"#
    }
    for count in [1_000, 4_000] {
        let policy = #"{"Version": "2012-10-17", "Statement": ["# + (0..<count).map(statement).joined(separator: ", ") + "]}"
        let request = #"{"CallerArn": "arn:aws:iam::333333333333:user/alice", "ActionNames": ["dynamodb:GetItem"], "ResourceArns": ["arn:aws:dynamodb:us-east-1:333333333333:table/T1"], "PolicyInputList": ["# + JSONWriter.quote(policy) + "]}"
        let ms = try Bench.bestMilliseconds(repeats: 3) { _ = try SimulateRequest.parse(json: request, file: "bench.json") }
        print(String(format: "parse: a %d-statement policy as a JSON string (%d KB) read by simulate in %.1f ms", count, policy.utf8.count / 1024, ms))
    }
    let root = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("trustflow-parse-bench-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: root) }
    for kilobytes in [500, 1_000] {
        let folder = root.appendingPathComponent("content-\(kilobytes)")
        try FileManager.default.copyItem(at: URL(fileURLWithPath: content), to: folder)
        var statements: [String] = [], size = 0, index = 0
        while size < kilobytes * 1024 {
            let text = "    " + statement(index)
            statements.append(text)
            size += text.utf8.count + 2
            index += 1
        }
        let policy = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n" + statements.joined(separator: ",\n") + "\n  ]\n}\n"
        try policy.write(to: folder.appendingPathComponent("policies/b-orders-table-access.json"), atomically: true, encoding: .utf8)
        var limitFinding = ""
        let ms = try Bench.bestMilliseconds(repeats: 3) {
            let model = try ModelLoader.load(contentDirectory: folder.path)
            let resolution = Resolver.resolve(model)
            limitFinding = resolution.findings.first { $0.code == Analyzer.Code.sizeLimit.rawValue }?.message ?? "no size-limit finding"
        }
        print(String(format: "parse: check of the content with a %d KB policy file (%d statements) in %.0f ms", policy.utf8.count / 1024, index, ms))
        print("parse:   \(limitFinding)")
    }
}
