import Foundation
public import Model
import Policy
public import Source

/// A content folder in a temporary directory, with `model.yml` and any policy files.
public struct TemporaryContent {
    public let directory: String

    public init(model: String, files: [String: String] = [:]) throws {
        directory = NSTemporaryDirectory() + "trustflow-model-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try model.write(toFile: directory + "/model.yml", atomically: true, encoding: .utf8)
        for (path, text) in files {
            let full = directory + "/" + path
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: full, atomically: true, encoding: .utf8)
        }
    }

    public func load() throws(DiagnosticList) -> Model { try ModelLoader.load(contentDirectory: directory) }

    /// The diagnostics of a load that must fail, with paths made relative to the content folder.
    public func errors() -> [String] {
        do {
            _ = try load()
            return []
        } catch {
            return error.diagnostics.map { $0.description.replacingOccurrences(of: directory + "/", with: "") }
        }
    }

    public func remove() { try? FileManager.default.removeItem(atPath: directory) }
}

/// A small valid model; tests replace parts of it.
public let validModel = """
    title: Test
    region: us-east-1
    accounts:
      A: { id: "111111111111", name: App }
      B: { id: "222222222222", name: Data, organization: o-a1b2c3d4e5 }
    roles:
      Exec:
        account: A
        trust:
          Version: "2012-10-17"
          Statement: { Effect: Allow, Principal: { Service: lambda.amazonaws.com }, Action: sts:AssumeRole }
        policies:
          Assume:
            Version: "2012-10-17"
            Statement: { Effect: Allow, Action: sts:AssumeRole, Resource: "arn:aws:iam::222222222222:role/Data" }
      Data:
        account: B
        path: /app/
        trust:
          Version: "2012-10-17"
          Statement: { Effect: Allow, Principal: { AWS: "arn:aws:iam::111111111111:role/Exec" }, Action: sts:AssumeRole }
    functions:
      fn: { account: A, role: Exec }
    tables:
      T1: { account: B, name: Things, indexes: [ByKind] }
    options:
      - id: one
        title: One
        policyLives: B
        bestFor: tests
        steps:
          - { caller: fn, action: sts:AssumeRole, target: Data, session: s1 }
          - { caller: Data, action: dynamodb:Query, target: T1, index: ByKind }
    """
