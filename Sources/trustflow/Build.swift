import ArgumentParser
import Foundation
import Model
import Policy
import Render
import Resolution
import Source
import TrustflowKit

struct Build: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate everything from the content into the output folder.",
        discussion: """
            The build is written to a temporary folder beside the output folder and swapped in whole: a failed
            build leaves the output as it was. Files in the output folder that Trustflow did not write are kept, and
            never overwritten: a build that would write where one of them is stops, changing nothing. The output folder
            must not be the content folder, hold it or sit inside it.

            Example:
              trustflow build --content content --output output
              trustflow build --check      # exit 1 and list the files when output/ is stale
              trustflow build --theme slide  # diagrams for a projector: 16:9, larger type
              trustflow build --check --timeout 120   # CI: stop after two minutes, naming what was running

            A build that runs past --timeout (default 600 seconds) stops with exit status 2 and changes nothing in
            the output folder.
            """
    )

    @OptionGroup var contentOptions: ContentOptions

    @OptionGroup var timeBudget: TimeBudget

    @Option(name: .long, help: ArgumentHelp("The output folder.", valueName: "dir"))
    var output: String = "output"

    @Option(name: .long, help: ArgumentHelp("Diagram theme (default: the content's 'theme:', else light).", valueName: "theme"))
    var theme: Theme.Name?

    @Flag(name: .long, help: "Regenerate in memory and compare with the output folder; write nothing. Exit 1 when stale.")
    var check = false

    @Option(name: .long, help: ArgumentHelp("The Trustflow checkout the snippet package depends on (default: the one holding this executable, else the current folder's).", valueName: "dir"))
    var trustflowPath: String?

    @Option(name: .long, help: ArgumentHelp("Depend on a released Trustflow by git URL instead of a checkout (with --trustflow-version).", valueName: "url"))
    var trustflowURL: String?

    @Option(name: .long, help: ArgumentHelp("The release of --trustflow-url to depend on (from this version up to the next major).", valueName: "version"))
    var trustflowVersion: String?

    /// Refuses, before any work, an output folder that would overwrite the content or cannot be a folder.
    func validate() throws {
        if (trustflowURL == nil) != (trustflowVersion == nil) {
            throw ValidationError("--trustflow-url and --trustflow-version go together.")
        }
        let directory = OutputDirectory(path: output)
        do {
            try directory.checkSeparate(fromContent: contentOptions.content)
            if !check { try directory.checkUsable() }
        } catch {
            throw ValidationError(error.message)
        }
    }

    func run() async throws {
        // Unchanged diagrams (same DOT text) reuse the previous output's renders instead of running Graphviz again —
        // except under --check, which must prove the committed SVG, PNG and PDF files too, so it renders everything.
        let directory = OutputDirectory(path: output)
        let deadline = Deadline(seconds: timeBudget.seconds(default: TimeBudget.defaultSeconds)) { [output, check] _ in
            if !check { FileHandle.standardError.write(Data("\(output)/ was not changed.\n".utf8)) }
        }
        deadline.activity("loading \(contentOptions.content)/model.yml and its policy files")
        let model = try contentOptions.loadModel()
        deadline.activity("resolving every step of \(model.options.count) options and analyzing their policies")
        // An error finding (an action that does not exist, a resource of no model account) fails the build with the
        // same located line `check` prints, and nothing is written.
        let resolution = Resolver.resolve(model)
        let errors = resolution.findings.filter { $0.severity == .error }
        if !errors.isEmpty {
            Report.diagnostics(DiagnosticList(errors))
            throw ExitCode(1)
        }
        let pipeline = Pipeline(options: Pipeline.Options(
            theme: theme?.rawValue, previous: check ? nil : directory, resolution: resolution, snippetLocation: snippetLocation(),
            progress: { deadline.activity($0) }))
        let files: [OutputFile]
        do {
            let generated = try pipeline.generateWithCounts(model)
            files = generated.files
            for warning in generated.warnings { Report.warning(warning.description) }
        } catch let list as DiagnosticList {
            Report.diagnostics(list)
            throw unusableInput
        } catch {
            Report.error("\(error)")
            throw unusableInput
        }
        if check {
            deadline.activity("comparing \(files.count) files with \(output)/")
            let stale = directory.staleFiles(comparedWith: files)
            if stale.isEmpty {
                print("\(output)/ is fresh (\(files.count) files).")
                return
            }
            print("\(output)/ is stale; run `trustflow build` (or `make site`) and commit. Files:")
            for path in stale { print("  \(path)") }
            throw ExitCode(1)
        }
        // Writing is never interrupted: until here nothing in the output folder changed, and from here it is swapped
        // in whole.
        deadline.disarm()
        do {
            guard try directory.writeIfChanged(files) else {
                print("\(output)/ is up to date (\(files.count) files); nothing written.")
                return
            }
        } catch {
            Report.error(error.message)
            throw error.kind == .unusableOutput ? unusableInput : ExitCode(1)
        }
        print("wrote \(files.count) files to \(output)/")
    }

    /// Where `<output>/snippets/Package.swift` finds Trustflow and its tests find the content: relative paths from the
    /// real output folder to the checkout and the content, or a release by URL.
    func snippetLocation() -> Snippets.Location {
        let release = trustflowURL.flatMap { url in trustflowVersion.map { Snippets.Location.Release(url: url, version: $0) } }
        let checkout = trustflowPath
            ?? SnippetRunner.findCheckout(executablePath: Bundle.main.executablePath, currentDirectory: FileManager.default.currentDirectoryPath)
        guard let checkout else {
            if release == nil {
                Report.warning("no Trustflow checkout found for the snippet package; its Package.swift assumes ../.. (pass --trustflow-path DIR or --trustflow-url URL --trustflow-version V)")
            }
            var location = Snippets.Location.inRepository(contentDirectory: contentOptions.content)
            location.release = release
            return location
        }
        return SnippetLocation.forOutput(output, content: contentOptions.content, trustflowCheckout: checkout, release: release)
    }
}
