import Foundation
import Model
import Render
import TrustflowKit

/// The guide: `guide.md` and the whole site from the content, in process, written to a temporary folder — the
/// same work `mkdocs build` does for the guide, which scripts/bench.sh times beside it.
@Sendable func runSiteBench(_ arguments: [String]) async throws {
    let content = arguments.first ?? "content"
    let folder = NSTemporaryDirectory() + "trustflow-site-bench-\(ProcessInfo.processInfo.processIdentifier)"
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let pipeline = Pipeline()
    var fileCount = 0
    let render = try Bench.bestMilliseconds(repeats: 20) {
        let model = try pipeline.load(contentDirectory: content)
        let pages = try GuideContent.load(contentDirectory: content)
        fileCount = try Guide.render(GuideInputs(model: model, pages: pages)).count
    }
    let total = try Bench.bestMilliseconds(repeats: 20) {
        let model = try pipeline.load(contentDirectory: content)
        let pages = try GuideContent.load(contentDirectory: content)
        let files = try Guide.render(GuideInputs(model: model, pages: pages))
        try OutputDirectory(path: folder).write(files)
    }
    print(String(format: "site: load + guide.md + site (%d files) in %.2f ms, written to disk in %.2f ms (best of 20)", fileCount, render, total))
    print(String(format: "site-ms %.3f", total))
}
