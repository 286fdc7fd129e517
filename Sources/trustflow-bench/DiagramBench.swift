import Foundation
import Model
import Render
import Resolution
import TrustflowKit

/// Diagrams: all diagrams of the content rendered in-process (libgvc: svg, png at 2x, pdf) against the `dot` command
/// rendering the same .dot files with one process per diagram per format (`dot -Tsvg -o x.svg x.dot`,
/// `dot -Tpng -Gdpi=192 …`, `dot -Tpdf …`, the same outputs); then a no-change rebuild that reuses unchanged renders.
@Sendable func runDiagramBench(_ arguments: [String]) async throws {
    let content = arguments.first ?? "content"
    let model = try ModelLoader.load(contentDirectory: content)
    let diagrams = Diagrams.all(model, resolution: Resolver.resolve(model), theme: .light)
    let renders = diagrams.count * 3

    // Warm up the plugins and fonts once, as a build would before its first diagram.
    _ = try DiagramFiles.render([diagrams[0]])
    let inProcess = try Bench.bestMilliseconds(repeats: 3) { _ = try DiagramFiles.render(diagrams) }

    let folder = NSTemporaryDirectory() + "trustflow-diagram-bench-\(ProcessInfo.processInfo.processIdentifier)"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    for diagram in diagrams {
        try diagram.dot.write(toFile: "\(folder)/\(diagram.name).dot", atomically: true, encoding: .utf8)
    }
    let dotPath = "/usr/bin/dot"
    var command: Double?
    if FileManager.default.isExecutableFile(atPath: dotPath) {
        command = try Bench.bestMilliseconds(repeats: 2) {
            for diagram in diagrams {
                let base = "\(folder)/\(diagram.name)"
                for arguments in [["-Tsvg"], ["-Tpng", "-Gdpi=192"], ["-Tpdf"]] {
                    let process = Process()
                    process.executableURL = URL(fileURLWithPath: dotPath)
                    process.arguments = arguments + ["-o", base + "." + arguments[0].dropFirst(2), base + ".dot"]
                    try process.run()
                    process.waitUntilExit()
                    guard process.terminationStatus == 0 else { throw BenchError(message: "dot failed on \(diagram.name)") }
                }
            }
        }
    }

    print(String(format: "diagrams: %d diagrams × svg+png(2x)+pdf = %d renders", diagrams.count, renders))
    print(String(format: "  in-process (libgvc, one layout per diagram and scale): %8.1f ms  (%.1f ms per diagram)", inProcess, inProcess / Double(diagrams.count)))
    if let command {
        print(String(format: "  dot command (one process per diagram per format):     %8.1f ms  (%.1f ms per diagram)", command, command / Double(diagrams.count)))
        print(String(format: "  ratio dot / in-process: %.2fx", command / inProcess))
    } else {
        print("  dot command: not installed (/usr/bin/dot); no comparison")
    }

    // No-change rebuild, as `trustflow build` does it: load, generate (reusing every render whose DOT text is unchanged),
    // compare with the output folder and write nothing when it is fresh.
    let output = folder + "/output"
    let first = Pipeline(options: .init(previous: OutputDirectory(path: output)))
    try OutputDirectory(path: output).write(try first.generate(model))
    var counts = DiagramFiles.Counts()
    let rebuild = try Bench.bestMilliseconds(repeats: 10) {
        let pipeline = Pipeline(options: .init(previous: OutputDirectory(path: output)))
        let model = try pipeline.load(contentDirectory: content)
        let result = try pipeline.generateWithCounts(model)
        counts = result.diagrams
        try OutputDirectory(path: output).writeIfChanged(result.files)
    }
    let generateOnly = try Bench.bestMilliseconds(repeats: 10) {
        _ = try Pipeline(options: .init(previous: OutputDirectory(path: output))).generateWithCounts(model)
    }
    print(String(format: "  no-change rebuild (load + generate + compare, nothing written): %.1f ms (target < 50 ms); generate alone %.1f ms; %d reused, %d rendered",
                 rebuild, generateOnly, counts.reused, counts.rendered))

    // The deck (rendered whole on every build: its slides choose their layout by laying candidates out).
    let resolution = Resolver.resolve(model)
    let slides = DeckSlides.all(model, resolution: resolution).count
    let layouts = try Bench.bestMilliseconds(repeats: 3) { _ = DeckSlides.all(model, resolution: resolution) }
    let deck = try Bench.bestMilliseconds(repeats: 3) { _ = try Deck.render(model, resolution: resolution) }
    print(String(format: "  deck: %d slides, deck/index.html + deck.pdf in %.1f ms (of which choosing the slides' layouts %.1f ms)", slides, deck, layouts))
}

struct BenchError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
