import Foundation

/// The repository's default content, copied into a temporary folder with edits applied, so that tests can
/// break one piece at a time.
public enum DefaultContent {
    public static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../content").standardized.path

    public static func read(_ relative: String) throws -> String {
        try String(contentsOfFile: directory + "/" + relative, encoding: .utf8)
    }

    /// A copy with `edits` (file → (old, new)) applied; every edit must change something.
    public static func copy(editing edits: [String: [(String, String)]] = [:]) throws -> TemporaryContent {
        var files: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory + "/policies") where name.hasSuffix(".json") {
            files["policies/" + name] = try read("policies/" + name)
        }
        var model = try read("model.yml")
        for (file, replacements) in edits {
            var text = file == "model.yml" ? model : files[file]!
            for (old, new) in replacements {
                precondition(text.contains(old), "edit of \(file) does not apply: \(old)")
                text = text.replacingOccurrences(of: old, with: new)
            }
            if file == "model.yml" { model = text } else { files[file] = text }
        }
        return try TemporaryContent(model: model, files: files)
    }
}
