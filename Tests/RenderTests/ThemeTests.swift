import Foundation
import Model
import Policy
import Render
import Resolution
import Testing

@Suite struct ThemeTests {
    @Test func theModelAcceptsExactlyTheThemesRenderShips() {
        #expect(Theme.Name.allCases.map(\.rawValue) == Model.diagramThemes)
    }

    @Test func everyThemeSetsItsFontExplicitly() throws {
        let model = try Fixtures.defaultModel()
        for name in Theme.Name.allCases {
            let dot = Diagrams.overview(model, resolution: Resolver.resolve(model), theme: Theme.named(name)).dot
            #expect(dot.contains("\"fontname\"=\"DejaVu Sans\""))
            #expect(!dot.contains("ortho"))
        }
    }

    @Test func commandLineOverridesTheContentWhichOverridesTheDefault() throws {
        var model = try Fixtures.defaultModel()
        #expect(try Theme.resolve(commandLine: nil, model: model).name == .light)
        model.theme = "dark"
        #expect(try Theme.resolve(commandLine: nil, model: model).name == .dark)
        #expect(try Theme.resolve(commandLine: "slide", model: model).name == .slide)
        #expect(throws: Theme.Unknown.self) { try Theme.resolve(commandLine: "neon", model: model) }
    }

    @Test func anUnknownThemeInModelYmlIsAnErrorAtItsKey() throws {
        let folder = NSTemporaryDirectory() + "trustflow-theme-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let original = try String(contentsOfFile: Fixtures.content + "/model.yml", encoding: .utf8)
        try FileManager.default.copyItem(atPath: Fixtures.content + "/policies", toPath: folder + "/policies")
        let text = original.replacingOccurrences(of: "region: us-east-1\n", with: "region: us-east-1\ntheme: drak\n")
        try text.write(toFile: folder + "/model.yml", atomically: true, encoding: .utf8)
        let line = text.components(separatedBy: "\n").firstIndex { $0.hasPrefix("theme:") }.map { $0 + 1 }
        do {
            _ = try ModelLoader.load(contentDirectory: folder)
            Issue.record("expected an error")
        } catch {
            let messages = error.diagnostics.map(\.description)
            #expect(messages.count == 1)
            let message = messages.first ?? ""
            #expect(message.contains("model.yml:\(line ?? 0):8: error: unknown theme 'drak'; did you mean 'dark'?; themes: light, dark, slide"), "\(message)")
        }
    }
}
