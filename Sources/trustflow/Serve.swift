import ArgumentParser
import Dispatch
import Foundation
import Model
import Policy
import Render
import Server
import Source
import TrustflowKit

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build, serve the site on 127.0.0.1, and rebuild and reload the pages when the content changes.",
        discussion: """
            Serves <output>/site over HTTP on 127.0.0.1 only (the same server as `mock`: concurrent connections,
            keep-alive). The content folder is checked every 250 ms; a change is rebuilt once it has been still for
            250 ms. Open pages reload after a successful rebuild (a small script that only `serve` adds, over
            server-sent events at /_trustflow/events). A failed rebuild keeps serving the last good site and shows
            its located errors (path:line:column: error: …) over every open page until the content is fixed.

            Example:
              trustflow serve --port 8000     # then open http://127.0.0.1:8000/
            """
    )

    @OptionGroup var contentOptions: ContentOptions

    @Option(name: .long, help: ArgumentHelp("The output folder.", valueName: "dir"))
    var output: String = "output"

    @Option(name: .long, help: "The port on 127.0.0.1 (0 picks a free one).")
    var port: Int = 8000

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
    }

    func run() async throws {
        let live = LiveReload()
        build(live: live, initial: true)
        // Open event streams never end by themselves: stop at once on Ctrl-C or SIGTERM rather than wait for them.
        let signals = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { Foundation.exit(0) }
            source.resume()
            return source
        }
        defer { signals.forEach { $0.cancel() } }

        let site = (output as NSString).appendingPathComponent("site")
        let server = LoopbackServer(port: port, handler: SiteHandler(root: site, live: live))
        let content = contentOptions.content
        let output = self.output
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await server.run(handlingSignals: false) { port in
                    Self.say("serving \(output)/site at http://127.0.0.1:\(port)/ (Ctrl-C to stop); watching \(content)/")
                }
            }
            group.addTask { try await self.watch(live: live) }
            try await group.next()
            group.cancelAll()
        }
    }

    /// Polls the content folder every 250 ms; rebuilds once a change has been still for one more tick (an editor's
    /// save is often several writes).
    private func watch(live: LiveReload) async throws {
        var seen = FolderFingerprint.of(contentOptions.content)
        var pending = false
        while !Task.isCancelled {
            try await Task.sleep(for: .milliseconds(250))
            let now = FolderFingerprint.of(contentOptions.content)
            if now != seen {
                seen = now
                pending = true
            } else if pending {
                pending = false
                build(live: live, initial: false)
            }
        }
    }

    private func build(live: LiveReload, initial: Bool) {
        // Unchanged diagrams reuse the previous renders, so an edit to prose rebuilds in milliseconds.
        let directory = OutputDirectory(path: output)
        let pipeline = Pipeline(options: .init(previous: directory))
        do {
            let model = try pipeline.load(contentDirectory: contentOptions.content)
            let generated = try pipeline.generateWithCounts(model)
            for warning in generated.warnings { Report.warning(warning.description) }
            let files = generated.files
            if try directory.writeIfChanged(files) { Self.say("built \(files.count) files into \(output)/") }
            live.succeeded()
        } catch let list as DiagnosticList {
            let lines = list.diagnostics.map(\.description)
            for line in lines { FileHandle.standardError.write(Data((line + "\n").utf8)) }
            Report.error("the build failed; still serving the last good site")
            live.failed(lines)
        } catch {
            Report.error("\(error); still serving the last good site")
            live.failed(["\(error)"])
        }
    }

    /// Unbuffered, so the messages show up at once when the output is a pipe.
    private static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
