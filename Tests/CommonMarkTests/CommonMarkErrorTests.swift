@testable import CommonMark
import Testing

/// Every cmark call that can fail is checked; a refusal is a typed error naming the call, not a missing part.
@Suite struct CommonMarkErrorTests {
    @Test func aRefusedTreeEditThrowsWhatCmarkRefused() throws {
        let text = try CommonMark.makeInline(.text("x"))
        defer { CommonMark.freeNode(text) }
        // A text node holds no children; the paragraph, in no tree, is freed by the failed edit.
        let paragraph = try CommonMark.makeBlock(.paragraph([.text("y")]), options: [])
        let error = #expect(throws: CommonMarkError.self) { try CommonMark.append(paragraph, to: text) }
        #expect(error == CommonMarkError(step: .appendChild, node: "text", detail: "paragraph"))
        #expect(error?.description == "cmark_node_append_child failed: a text cannot hold a paragraph")
    }

    @Test func aRefusedSetterThrowsWithTheNode() throws {
        let item = try CommonMark.makeBlock(.thematicBreak, options: [])
        defer { CommonMark.freeNode(item) }
        let error = #expect(throws: CommonMarkError.self) { try CommonMark.check(0, .setLiteral, item) }
        #expect(error?.description == "cmark_node_set_literal failed on a thematic_break")
    }

    @Test func everyGeneratedBlockBuildsAndRenders() throws {
        let blocks: [GeneratedBlock] = [
            .paragraph([.text("t"), .code("c"), .emphasis([.strong([.text("s")])]), .link(destination: "https://a", title: "T", [.text("l")]),
                        .image(source: "i.png", alt: [.text("alt")]), .lineBreak, .raw("<br>")]),
            .heading(level: 9, [.text("H")]), .codeBlock(language: "json", code: "{}"),
            .list(ordered: true, items: [[.paragraph([.text("1")])], [.blockQuote([.thematicBreak])]]),
            .list(ordered: false, items: [[.markdown("*m*")]]), .raw("<hr>"),
        ]
        let document = try CommonMark.render("```x\n```\n", format: .html, directive: "x") { _ in blocks }
        #expect(document.headings.map(\.level) == [6])
        #expect(document.text.contains("<a href=\"https://a\" title=\"T\">l</a><img src=\"i.png\" alt=\"alt\" /><br />\n<br>"))
        #expect(document.text.contains("<ol>\n<li>1</li>\n<li>\n<blockquote>\n<hr />\n</blockquote>\n</li>\n</ol>"))
    }
}
