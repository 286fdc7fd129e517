import ArgumentParser
import Foundation
import Model
import Policy
import Render
import TrustflowKit
import Source

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build, serve the site on 127.0.0.1, and rebuild when the content changes.",
        discussion: """
            Serves <output>/site over HTTP on 127.0.0.1 only. The content folder is polled once a second; on a change
            the site is rebuilt (a build with errors prints them and keeps serving the last good site).

            Example:
              trustflow serve --port 8000     # then open http://127.0.0.1:8000/
            """
    )

    @OptionGroup var contentOptions: ContentOptions

    @Option(name: .long, help: ArgumentHelp("The output folder.", valueName: "dir"))
    var output: String = "output"

    @Option(name: .long, help: "The port on 127.0.0.1 (0 picks a free one).")
    var port: UInt16 = 8000

    func run() async throws {
        build()
        let site: StaticSite
        do {
            site = try StaticSite(root: (output as NSString).appendingPathComponent("site"), port: port)
        } catch {
            Report.error("\(error)")
            throw ExitCode(1)
        }
        site.start()
        say("serving \(output)/site at http://127.0.0.1:\(site.port)/ (Ctrl-C to stop); watching \(contentOptions.content)/")
        var fingerprint = FolderFingerprint.of(contentOptions.content)
        while true {
            try await Task.sleep(for: .seconds(1))
            let now = FolderFingerprint.of(contentOptions.content)
            if now != fingerprint {
                fingerprint = now
                build()
            }
        }
    }

    private func build() {
        // Unchanged diagrams reuse the previous renders, so an edit to prose rebuilds in milliseconds.
        let directory = OutputDirectory(path: output)
        let pipeline = Pipeline(options: .init(previous: directory))
        do {
            let model = try pipeline.load(contentDirectory: contentOptions.content)
            let generated = try pipeline.generateWithCounts(model)
            for warning in generated.warnings { Report.warning(warning.description) }
            let files = generated.files
            guard try directory.writeIfChanged(files) else { return }
            say("built \(files.count) files into \(output)/")
        } catch let list as DiagnosticList {
            for diagnostic in list.diagnostics { FileHandle.standardError.write(Data((diagnostic.description + "\n").utf8)) }
            Report.error("the build failed; still serving the last good site")
        } catch {
            Report.error("\(error); still serving the last good site")
        }
    }

    /// Unbuffered, so the messages show up at once when the output is a pipe.
    private func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
