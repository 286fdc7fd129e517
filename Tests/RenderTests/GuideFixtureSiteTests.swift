import Foundation
import Graphviz
import Model
import Policy
import Render
import Testing

/// The default content's site with real Graphviz diagrams in every slot the guide has, so the browser test can
/// check figures before the diagrams renderer lands. `scripts/browser-test.sh` sets `TRUSTFLOW_FIXTURE_SITE` to
/// a folder under artifacts/ and tests the site written there.
@Suite struct GuideFixtureSiteTests {
    @Test func siteWithDiagramsInEverySlot() throws {
        let model = try ModelLoader.load(contentDirectory: defaultContent)
        var diagrams: [String: [UInt8]] = [:]
        diagrams["overview.svg"] = try Graphviz.render(dot: Self.dot(model, title: "Overview", steps: []), format: .svg)
        for option in model.options {
            diagrams["\(option.id).svg"] = try Graphviz.render(dot: Self.dot(model, title: option.id, steps: []), format: .svg)
            diagrams["\(option.id)-flow.svg"] = try Graphviz.render(dot: Self.dot(model, title: option.id, steps: option.steps), format: .svg)
            for number in option.steps.indices {
                diagrams["\(option.id)-step-\(number + 1).svg"] = try Graphviz.render(dot: Self.dot(model, title: option.id, steps: [option.steps[number]]), format: .svg)
            }
        }
        let pages = try GuideTests.pages(defaultContent)
        let files = try Guide.render(GuideInputs(model: model, diagrams: diagrams, pages: pages))
        let option = try #require(files.first { $0.path == "site/trusted-role.html" }).text
        #expect(option.contains("<img src=\"diagrams/trusted-role-flow.svg\""))
        #expect(option.contains("<img src=\"diagrams/trusted-role-step-1.svg\""))
        #expect(!option.contains("is not part of this build"))
        guard let folder = ProcessInfo.processInfo.environment["TRUSTFLOW_FIXTURE_SITE"] else { return }
        for file in files where file.path.hasPrefix("site/") {
            let path = folder + "/" + file.path.dropFirst("site/".count)
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(file.bytes).write(to: URL(fileURLWithPath: path))
        }
    }

    static func dot(_ model: Model, title: String, steps: [Step]) -> String {
        func id(_ text: String) -> String { "\"" + text.replacingOccurrences(of: "\"", with: "'") + "\"" }
        var dot = "digraph G { rankdir=LR; fontname=\"DejaVu Sans\"; node [fontname=\"DejaVu Sans\", shape=box, style=rounded]; edge [fontname=\"DejaVu Sans\"]; label=\(id(title));\n"
        for account in model.accounts {
            dot += "subgraph \(id("cluster_" + account.key)) { label=\(id(account.name + " " + account.id));\n"
            for role in model.roles where role.accountKey == account.key { dot += "\(id(role.key));\n" }
            for function in model.functions where function.accountKey == account.key { dot += "\(id(function.key)) [shape=component];\n" }
            for table in model.tables where table.accountKey == account.key { dot += "\(id(table.key)) [shape=cylinder];\n" }
            dot += "}\n"
        }
        for step in steps { dot += "\(id(step.caller.key)) -> \(id(step.target.key)) [label=\(id(step.action))];\n" }
        return dot + "}\n"
    }
}
