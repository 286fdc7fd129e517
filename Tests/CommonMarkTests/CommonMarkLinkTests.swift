import CommonMark
import Testing

@Suite struct CommonMarkLinkTests {
    @Test func rendersMarkdownToHTML() throws {
        #expect(try CommonMark.html("# Title\n\nSome *text*.\n") == "<h1>Title</h1>\n<p>Some <em>text</em>.</p>\n")
    }

    @Test func safeByDefault() throws {
        let html = try CommonMark.html("<script>alert(1)</script>\n\n[x](javascript:alert(1))\n")
        #expect(!html.contains("<script>"))
        #expect(!html.contains("javascript:"))
    }

    @Test func emptyInputGivesEmptyOutput() throws {
        #expect(try CommonMark.html("") == "")
    }
}
