import Foundation
import Model
import Resolution
import Source
import FuzzDriver

/// Policy files of the seed content (content/ and examples/), by the path a model names them with, so that mutated
/// models that name them still load. Read once, relative to the working directory (the repository's root).
let policyFiles: [String: String] = {
    var files: [String: String] = [:]
    let folders = ["content"] + ((try? FileManager.default.contentsOfDirectory(atPath: "examples"))?.map { "examples/" + $0 } ?? [])
    for folder in folders {
        let policies = folder + "/policies"
        for name in (try? FileManager.default.contentsOfDirectory(atPath: policies)) ?? [] {
            files["policies/" + name] = try? String(contentsOfFile: policies + "/" + name, encoding: .utf8)
        }
    }
    return files
}()

/// `model.yml` text through the YAML events and the loader's walk, within small limits; a model that loads is
/// resolved step by step. A YAML tree written as JSON must read back the same.
func fuzzYAMLLoader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    var limits = ContentLimits()
    limits.values = 50_000
    limits.aliasValues = 20_000
    let (tree, diagnostics) = YAMLReader.parse(text, file: "model.yml", limits: limits.reading())
    if let tree, !diagnostics.contains(where: { $0.severity == .error }) {
        let json = JSONWriter.write(tree)
        let reading = JSONReader.read(json, file: "tree.json", limits: limits.reading(values: 1_000_000, stringBytes: 1 << 20))
        guard let again = reading.value else { fatalError("the YAML tree written as JSON does not read back: \(reading.diagnostics)") }
        precondition(again.jsonText == tree.jsonText, "the YAML tree changed when written as JSON")
    }
    let directory = FileManager.default.currentDirectoryPath + "/content"
    guard let model = try? ModelLoader.load(
        yaml: text, file: "model.yml", contentDirectory: directory,
        readFile: { path in policyFiles[String(path.dropFirst(directory.count + 1))] }, limits: limits)
    else { return 0 }
    let resolution = Resolver.resolve(model)
    precondition(resolution.options.count == model.options.count)
    return 0
}

exit(TrustflowFuzz(CommandLine.argc, CommandLine.unsafeArgv, fuzzYAMLLoader))
