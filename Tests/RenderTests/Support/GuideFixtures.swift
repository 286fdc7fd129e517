import Foundation
import Model
import Policy

/// A content folder in a temporary directory: `model.yml`, policy files and guide pages.
struct GuideContentFolder {
    let directory: String

    init(model: String, files: [String: String] = [:]) throws {
        directory = NSTemporaryDirectory() + "trustflow-guide-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try model.write(toFile: directory + "/model.yml", atomically: true, encoding: .utf8)
        for (path, text) in files {
            let full = directory + "/" + path
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: full, atomically: true, encoding: .utf8)
        }
    }

    func load() throws -> Model { try ModelLoader.load(contentDirectory: directory) }
    func remove() { try? FileManager.default.removeItem(atPath: directory) }
}

/// The repository's default content folder.
let defaultContent = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../content").standardized.path

/// A model whose every name, title and string tries to inject HTML or script.
func hostileModel(unsafeHTML: Bool = false) -> String {
    """
    title: "<script>alert('title')</script> \\"><img src=x onerror=alert(1)>"
    region: us-east-1
    unsafeHTML: \(unsafeHTML)
    accounts:
      A: { id: "111111111111", name: "<script>alert('account')</script>" }
      B: { id: "222222222222", name: "\\"><img src=x onerror=alert(2)>" }
    roles:
      Exec:
        account: A
        trust: { Version: "2012-10-17", Statement: { Effect: Allow, Principal: { Service: lambda.amazonaws.com }, Action: "sts:AssumeRole" } }
        policies:
          Use: { Version: "2012-10-17", Statement: { Effect: Allow, Action: "dynamodb:GetItem", Resource: "arn:aws:dynamodb:us-east-1:222222222222:table/Tbl" } }
    functions:
      fn: { account: A, name: "fn", role: Exec }
    tables:
      Tbl:
        account: B
        policy: { Version: "2012-10-17", Statement: { Effect: Allow, Principal: { AWS: "arn:aws:iam::111111111111:role/Exec" }, Action: "dynamodb:GetItem", Resource: "arn:aws:dynamodb:us-east-1:222222222222:table/Tbl" } }
    options:
      - id: direct
        title: "\\"><img src=x onerror=alert(3)> [click](javascript:alert(4))"
        policyLives: "<script>alert('lives')</script>"
        bestFor: "javascript:alert(5)"
        summary: "<iframe src=javascript:alert(6)></iframe> *x*"
        steps:
          - { caller: fn, action: dynamodb:GetItem, target: Tbl }
    """
}
