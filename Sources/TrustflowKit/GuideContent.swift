internal import Foundation
import Model
import Policy
public import Render
public import Source

/// Reads the prose of the guide: `<content>/guide/*.md`, sorted by file name. `nil` when the folder is missing
/// (the guide is then written from the model alone).
public enum GuideContent {
    /// Within `limits`: at most `guidePages` pages of at most `guidePageBytes` each, each read no further than that.
    public static func load(contentDirectory: String, limits: ContentLimits = .standard) throws(DiagnosticList) -> [GuideSource]? {
        let folder = (contentDirectory as NSString).appendingPathComponent("guide")
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else { return nil }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".md") && !$0.hasPrefix(".") }.sorted()
        } catch {
            throw DiagnosticList([.error("cannot read the guide folder: \(error.localizedDescription)", at: SourceLocation(file: folder, line: 1, column: 1))])
        }
        if names.count > limits.guidePages {
            let path = (folder as NSString).appendingPathComponent(names[limits.guidePages])
            throw DiagnosticList([.error(
                "the guide has \(ContentLimits.grouped(names.count)) pages, more than \(ContentLimits.grouped(limits.guidePages)), the limit (see README, 'Limits')",
                at: SourceLocation(file: path, line: 1, column: 1))])
        }
        var pages: [GuideSource] = []
        var problems: [Diagnostic] = []
        for name in names {
            let path = (folder as NSString).appendingPathComponent(name)
            let data: [UInt8]
            switch ContentFile.read(atPath: path, limit: limits.guidePageBytes) {
            case .success(let bytes):
                data = bytes
            case .failure(.tooLarge):
                problems.append(.error(
                    "this page is larger than \(ContentLimits.size(limits.guidePageBytes)), the limit for one guide page (see README, 'Limits'); nothing was read past it",
                    at: SourceLocation(file: path, line: 1, column: 1)))
                continue
            case .failure(.unreadable):
                problems.append(.error("cannot read this file", at: SourceLocation(file: path, line: 1, column: 1)))
                continue
            }
            guard let text = String(bytes: data, encoding: .utf8) else {
                problems.append(.error("the file is not UTF-8 text", at: SourceLocation(file: path, line: 1, column: 1)))
                continue
            }
            pages.append(GuideSource(path: path, name: pages.isEmpty ? "index" : GuideSource.pageName(fileName: name), text: text))
        }
        if !problems.isEmpty { throw DiagnosticList(problems) }
        return pages
    }
}
