import ArgumentParser
import Foundation
import Model
import Policy
import Render
import Resolution
import TrustflowKit
import Source

struct DiagramCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diagram",
        abstract: "Render one diagram of the model (in-process, through libgvc).",
        discussion: """
            Choose the diagram with --overview, or --option ID with --flow (the call as a chain) or --step N (the
            architecture with steps 1…N highlighted); --option alone gives the option's architecture view.
            `-o -` (the default) writes to standard output.

            Examples:
              trustflow diagram --option trusted-role --format svg -o trusted-role.svg
              trustflow diagram --option table-policy --step 2 --theme slide --format png -o step2.png
              trustflow diagram --overview --format dot | dot -Tsvg > overview.svg
            """
    )

    @OptionGroup var contentOptions: ContentOptions

    @Option(name: .long, help: ArgumentHelp("The option (access pattern) to draw, by its id.", valueName: "id"))
    var option: String?

    @Option(name: .long, help: ArgumentHelp("Draw the step frame N of the option (1-based).", valueName: "n"))
    var step: Int?

    @Flag(name: .long, help: "Draw the option's flow: one box per hop, left to right.")
    var flow = false

    @Flag(name: .long, help: "Draw the overview of the whole model.")
    var overview = false

    @Option(name: .long, help: ArgumentHelp("Output format.", valueName: "format"))
    var format: DiagramFiles.Format = .svg

    @Option(name: .long, help: ArgumentHelp("Diagram theme (default: the content's 'theme:', else light).", valueName: "theme"))
    var theme: Theme.Name?

    @Option(name: .shortAndLong, help: ArgumentHelp("The file to write; '-' for standard output.", valueName: "file"))
    var output: String = "-"

    func validate() throws {
        if overview {
            if option != nil || step != nil || flow { throw ValidationError("--overview draws the whole model; do not combine it with --option, --step or --flow.") }
        } else {
            guard option != nil else { throw ValidationError("Name a diagram: --option ID (with --flow or --step N), or --overview.") }
        }
        if step != nil && flow { throw ValidationError("--step and --flow draw different diagrams; choose one.") }
        if let step, step < 1 { throw ValidationError("--step counts from 1.") }
    }

    func run() async throws {
        let model = try contentOptions.loadModel()
        let chosenTheme: Theme
        do {
            chosenTheme = try Theme.resolve(commandLine: theme?.rawValue, model: model)
        } catch {
            Report.error("\(error)")
            throw unusableInput
        }
        // The same resolution `build` draws from, so this diagram is byte for byte the one `build` writes.
        let resolution = Resolver.resolve(model)
        let diagram: Diagram
        if overview {
            diagram = Diagrams.overview(model, resolution: resolution, theme: chosenTheme)
        } else {
            let id = option ?? ""
            guard let accessOption = model.option(id) else {
                let ids = model.options.map(\.id)
                Report.error("no option '\(id)'\(Spelling.didYouMean(id, among: ids)); options: \(ids.joined(separator: ", "))")
                throw unusableInput
            }
            if let step {
                let frames = Diagrams.stepFrames(model, option: accessOption, resolution: resolution, theme: chosenTheme)
                guard step <= frames.count else {
                    Report.error("option '\(id)' has \(frames.count) step\(frames.count == 1 ? "" : "s"); --step must be 1…\(frames.count)")
                    throw unusableInput
                }
                diagram = frames[step - 1]
            } else if flow {
                diagram = Diagrams.flow(model, option: accessOption, resolution: resolution, theme: chosenTheme)
            } else {
                diagram = Diagrams.architecture(model, option: accessOption, resolution: resolution, theme: chosenTheme)
            }
        }
        let bytes: [UInt8]
        do {
            let rendering = try DiagramFiles.rendering(diagram, format: format)
            bytes = rendering.bytes
            for warning in rendering.warnings { Report.warning(warning.description) }
        } catch {
            Report.error("\(error)")
            throw ExitCode(1)
        }
        if output == "-" {
            FileHandle.standardOutput.write(Data(bytes))
            return
        }
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: output), options: .atomic)
        } catch {
            Report.error("cannot write \(output): \(error.localizedDescription)")
            throw ExitCode(1)
        }
    }
}
