import CommonMark
import Testing

@Suite struct CommonMarkTreeTests {
    static let source = """
        # Title

        Before.

        ```trustflow
        table one
        ```

        After.

        ```swift
        let x = 1
        ```

        """

    @Test func replacesDirectiveBlocksWithGeneratedNodes() throws {
        let html = try CommonMark.render(Self.source, format: .html, directive: "trustflow") { block in
            #expect(block.body == "table one\n")
            return [.heading(level: 2, [.text("Generated <b>")]), .paragraph([.strong([.text("bold")]), .code("a<b")])]
        }.text
        #expect(html.contains("<h2><a class=\"anchor\" href=\"#generated-b\" id=\"generated-b\">#</a> Generated &lt;b&gt;</h2>"))
        #expect(html.contains("<p><strong>bold</strong><code>a&lt;b</code></p>"))
        #expect(!html.contains("table one"))
        #expect(html.contains("<code class=\"language-swift\">let x = 1"))
    }

    @Test func rendersCommonMarkWithGeneratedCodeBlocks() throws {
        let markdown = try CommonMark.render(Self.source, format: .commonmark, directive: "trustflow") { _ in
            [.codeBlock(language: "json", code: "{\"a\": 1}")]
        }.text
        #expect(markdown.contains("``` json\n{\"a\": 1}\n```"))
        #expect(markdown.hasPrefix("# Title\n"))
        #expect(!markdown.contains("trustflow"))
    }

    @Test func customBlocksSurviveSafeModeButAuthorHTMLDoesNot() throws {
        let source = "<script>alert(1)</script>\n\n[x](javascript:alert(1))\n\n```trustflow\nx\n```\n"
        let html = try CommonMark.render(source, format: .html, directive: "trustflow") { _ in [.raw("<table class=\"t\"></table>")] }.text
        #expect(html.contains("<table class=\"t\"></table>"))
        #expect(!html.contains("<script>"))
        #expect(!html.contains("javascript:"))
        let unsafe = try CommonMark.render(source, format: .html, options: .unsafe).text
        #expect(unsafe.contains("<script>alert(1)</script>"))
    }

    @Test func reportsWhereEachDirectiveIs() throws {
        let blocks = try CommonMark.fencedBlocks(Self.source, directive: "trustflow")
        #expect(blocks.count == 1)
        #expect(blocks.first?.line == 5)
        #expect(blocks.first?.column == 1)
        #expect(try CommonMark.fencedBlocks("    indented\n", directive: "trustflow").isEmpty)
    }

    @Test func headingsGetUniqueAnchorsAndCanShift() throws {
        let document = try CommonMark.render("# A *b*\n\n## Steps\n\n## Steps\n", format: .html, shiftHeadings: 1)
        #expect(document.headings.map(\.anchor) == ["a-b", "steps", "steps-2"])
        #expect(document.headings.map(\.level) == [2, 3, 3])
        #expect(document.text.contains("<h3><a class=\"anchor\" href=\"#steps-2\" id=\"steps-2\">#</a> Steps</h3>"))
    }

    @Test func headingsAreInDocumentOrderWithGeneratedOnesInTheirPlace() throws {
        let source = "# Intro\n\n```trustflow\nx\n```\n\n## Steps\n"
        let document = try CommonMark.render(source, format: .html, directive: "trustflow") { _ in
            [.heading(level: 2, [.text("Steps")]), .blockQuote([.markdown("### Details")])]
        }
        #expect(document.headings.map(\.text) == ["Intro", "Steps", "Details", "Steps"])
        #expect(document.headings.map(\.anchor) == ["intro", "steps", "details", "steps-2"])
        let first = try #require(document.text.range(of: "id=\"steps\""))
        let second = try #require(document.text.range(of: "id=\"steps-2\""))
        #expect(first.lowerBound < second.lowerBound)
    }

    @Test func anchorsStayUniqueWhenATitleLooksNumbered() throws {
        let document = try CommonMark.render("# A 2\n\n# A\n\n# A\n", format: .html)
        #expect(document.headings.map(\.anchor) == ["a-2", "a", "a-3"])
    }

    @Test func headingShiftsStayWithinOneToSix() throws {
        let up = try CommonMark.render("# A\n\n## B\n", format: .html, shiftHeadings: -1)
        #expect(up.headings.map(\.level) == [1, 1])
        #expect(up.text.contains("<h1><a class=\"anchor\" href=\"#b\" id=\"b\">#</a> B</h1>"))
        #expect(try CommonMark.render("# A\n", format: .commonmark, shiftHeadings: 9).text == "###### A\n")
    }

    @Test func splicesParsedMarkdownFragments() throws {
        let html = try CommonMark.render("```trustflow\nx\n```\n", format: .html, directive: "trustflow") { _ in
            [.markdown("## Sub\n\n- one\n- two\n"), .list(ordered: true, items: [[.paragraph([.text("a")])], [.markdown("*b*")]])]
        }
        #expect(html.headings.map(\.text) == ["Sub"])
        #expect(html.text.contains("<li>one</li>"))
        #expect(html.text.contains("<ol>\n<li>a</li>\n<li>"))
        #expect(html.text.contains("<em>b</em>"))
    }

    @Test func slugsAreStable() throws {
        #expect(CommonMark.slug("Option 1: a role in B!") == "option-1-a-role-in-b")
        #expect(CommonMark.slug("<script>") == "script")
        #expect(CommonMark.slug("✓") == "section")
    }
}
