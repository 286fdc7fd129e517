import Foundation
import Source
import Testing
import TrustflowKit

/// The guide's pages are content strangers write too: each is read no further than its limit.
@Suite struct GuideContentLimitTests {
    func folder(_ pages: [String: String]) throws -> URL {
        let root = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("trustflow-guide-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("guide"), withIntermediateDirectories: true)
        for (name, text) in pages { try text.write(to: root.appendingPathComponent("guide/" + name), atomically: true, encoding: .utf8) }
        return root
    }

    @Test func aPageLargerThanTheLimitIsALocatedError() throws {
        let root = try folder(["01-intro.md": "# Intro\n", "02-huge.md": String(repeating: "word ", count: 300_000)])
        defer { try? FileManager.default.removeItem(at: root) }
        do {
            _ = try GuideContent.load(contentDirectory: root.path)
            Issue.record("expected an error")
        } catch {
            #expect(error.diagnostics.map(\.description) == [
                "\(root.path)/guide/02-huge.md:1:1: error: this page is larger than 1 MiB, the limit for one guide page (see README, 'Limits'); nothing was read past it"
            ])
        }
    }

    @Test func tooManyPagesAreRefusedBeforeAnyIsRead() throws {
        var limits = ContentLimits()
        limits.guidePages = 2
        let root = try folder(["a.md": "# A\n", "b.md": "# B\n", "c.md": "# C\n"])
        defer { try? FileManager.default.removeItem(at: root) }
        do {
            _ = try GuideContent.load(contentDirectory: root.path, limits: limits)
            Issue.record("expected an error")
        } catch {
            #expect(error.diagnostics.map(\.description) == ["\(root.path)/guide/c.md:1:1: error: the guide has 3 pages, more than 2, the limit (see README, 'Limits')"])
        }
    }
}
