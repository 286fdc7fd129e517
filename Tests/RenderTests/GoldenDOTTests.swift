import Foundation
import Model
import Render
import Resolution
import Testing

/// The DOT text of every diagram of the default content, compared with files stored next to this test.
/// Re-record with `TRUSTFLOW_RECORD=1 swift test --filter GoldenDOTTests`, review the diff, and run again: a recording
/// run fails on purpose, so that a CI with the variable set can never pass by rewriting what it checks.
@Suite struct GoldenDOTTests {
    static let recording = ProcessInfo.processInfo.environment["TRUSTFLOW_RECORD"] == "1"

    @Test func defaultContentMatchesTheGoldenFiles() throws {
        let model = try Fixtures.defaultModel()
        let diagrams = Diagrams.all(model, resolution: Resolver.resolve(model), theme: .light)
        let folder = Fixtures.golden
        if Self.recording {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        var stored = Set((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
        for diagram in diagrams {
            let file = "\(diagram.name).dot"
            let path = folder + "/" + file
            stored.remove(file)
            if Self.recording {
                try diagram.dot.write(toFile: path, atomically: true, encoding: .utf8)
                continue
            }
            let golden = try? String(contentsOfFile: path, encoding: .utf8)
            #expect(golden != nil, "missing golden file \(file); record with TRUSTFLOW_RECORD=1")
            if let golden { #expect(diagram.dot == golden, "\(file) differs from its golden file") }
        }
        if Self.recording {
            Issue.record("recorded \(diagrams.count) golden files in \(folder): review the diff, then run without TRUSTFLOW_RECORD")
        } else {
            #expect(stored.isEmpty, "golden files without a diagram: \(stored.sorted())")
        }
    }
}
