internal import Foundation
import Policy
public import Render
public import Source

/// Reads the prose of the guide: `<content>/guide/*.md`, sorted by file name. `nil` when the folder is missing
/// (the guide is then written from the model alone).
public enum GuideContent {
    public static func load(contentDirectory: String) throws(DiagnosticList) -> [GuideSource]? {
        let folder = (contentDirectory as NSString).appendingPathComponent("guide")
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else { return nil }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".md") && !$0.hasPrefix(".") }.sorted()
        } catch {
            throw DiagnosticList([.error("cannot read the guide folder: \(error.localizedDescription)", at: SourceLocation(file: folder, line: 1, column: 1))])
        }
        var pages: [GuideSource] = []
        var problems: [Diagnostic] = []
        for name in names {
            let path = (folder as NSString).appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: path) else {
                problems.append(.error("cannot read this file", at: SourceLocation(file: path, line: 1, column: 1)))
                continue
            }
            guard let text = String(data: data, encoding: .utf8) else {
                problems.append(.error("the file is not UTF-8 text", at: SourceLocation(file: path, line: 1, column: 1)))
                continue
            }
            pages.append(GuideSource(path: path, name: pages.isEmpty ? "index" : GuideSource.pageName(fileName: name), text: text))
        }
        if !problems.isEmpty { throw DiagnosticList(problems) }
        return pages
    }
}
