import Foundation
import Model
import Render
import Resolution
import Testing
import TrustflowKit

@Suite struct PipelineDiagramTests {
    static let content = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../content").standardized.path

    @Test func aBuildHoldsEveryDiagramAndARebuildReusesThem() throws {
        let output = NSTemporaryDirectory() + "trustflow-pipeline-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: output) }
        let directory = OutputDirectory(path: output)
        let pipeline = Pipeline(options: .init(previous: directory))
        let model = try pipeline.load(contentDirectory: Self.content)

        let first = try pipeline.generateWithCounts(model)
        let diagrams = Diagrams.all(model, resolution: Resolver.resolve(model), theme: .light)
        #expect(first.diagrams.rendered == diagrams.count)
        for diagram in diagrams {
            for ext in DiagramFiles.extensions {
                #expect(first.files.contains { $0.path == "diagrams/\(diagram.name).\(ext)" })
            }
        }
        #expect(first.files.map(\.path) == first.files.map(\.path).sorted())
        #expect(try directory.writeIfChanged(first.files))

        let second = try pipeline.generateWithCounts(model)
        #expect(second.diagrams.reused == diagrams.count)
        #expect(second.diagrams.rendered == 0)
        #expect(second.files == first.files)
        #expect(try directory.writeIfChanged(second.files) == false)

        // Another theme changes the DOT text: everything is drawn again.
        let dark = try Pipeline(options: .init(theme: "dark", previous: directory)).generateWithCounts(model)
        #expect(dark.diagrams.rendered == diagrams.count)
    }

    @Test func anUnknownThemeOnTheCommandLineFailsTheBuild() throws {
        let pipeline = Pipeline(options: .init(theme: "neon"))
        let model = try pipeline.load(contentDirectory: Self.content)
        #expect(throws: Theme.Unknown.self) { try pipeline.generate(model) }
    }
}
