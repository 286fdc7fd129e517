import Foundation
import Model

/// Loading and validating the content: the fixed cost of every command.
@Sendable func runLoadBench(_ arguments: [String]) async throws {
    let content = arguments.first ?? "content"
    let ms = try Bench.bestMilliseconds(repeats: 20) { _ = try ModelLoader.load(contentDirectory: content) }
    print(String(format: "load: model.yml + policy files of %@ in %.2f ms (best of 20)", content, ms))
}
