import Foundation
import Model
import Policy
import Render
import Resolution
import Testing
import Source

@Suite struct GuideTests {
    @Test func defaultContentGivesAPageAndARowPerOption() throws {
        let model = try ModelLoader.load(contentDirectory: defaultContent)
        let files = try Guide.render(GuideInputs(model: model))
        let paths = files.map(\.path)
        #expect(paths == paths.sorted())
        #expect(paths.contains("guide.md"))
        #expect(paths.contains("site/index.html"))
        #expect(paths.contains("site/style.css"))
        for option in model.options { #expect(paths.contains("site/\(option.id).html")) }
        let index = try #require(files.first { $0.path == "site/index.html" }).text
        #expect(index.components(separatedBy: "<tr data-option=").count - 1 == model.options.count)
        let markdown = try #require(files.first { $0.path == "guide.md" }).text
        #expect(markdown.contains("| Approach | Where the policy lives | Best use case | Who edits what | Actions granted | Check |"))
        #expect(markdown.contains("``` json"))
        #expect(!markdown.contains("```trustflow"))
    }

    @Test func theOutputIsDeterministic() throws {
        let model = try ModelLoader.load(contentDirectory: defaultContent)
        let pages = try #require(try Self.pages(defaultContent))
        #expect(try Guide.render(GuideInputs(model: model, pages: pages)) == Guide.render(GuideInputs(model: model, pages: pages)))
    }

    @Test func theAuthoredGuideCarriesTheCorrections() throws {
        let model = try ModelLoader.load(contentDirectory: defaultContent)
        let pages = try #require(try Self.pages(defaultContent))
        let markdown = try #require(try Guide.render(GuideInputs(model: model, pages: pages)).first { $0.path == "guide.md" }).text
        for phrase in ["two halves of the same pattern", "full table ARN as `TableName`", "/index/*", "`ListTables` never shows B's table",
                       "AWS-managed KMS key", "PartiQL", "`CreateTable`", "pays for every request", "one hour", "role chaining",
                       "Invalid principal in policy", "execution role's identity policy", "least privilege", "## Key takeaway",
                       "From the field", "The question", "The short answer"] {
            #expect(markdown.contains(phrase), "guide.md lacks \(phrase)")
        }
        #expect(!markdown.contains("√") && !markdown.contains("‚Ä"))
    }

    @Test func directiveErrorsNameFileLineAndColumnAllAtOnce() throws {
        let model = try ModelLoader.load(contentDirectory: defaultContent)
        let text = "# T\n\n```trustflow\nsumary-table\n```\n\n```trustflow\ndiagram nope\n```\n\n  ```trustflow\n  policy identity LambdaExecutionRole Missing\n  ```\n\n```trustflow\nfailure trusted-role 9\n```\n\n```trustflow\n```\n"
        let pages = [GuideSource(path: "guide/00-index.md", name: "index", text: text)]
        #expect(throws: DiagnosticList.self) { try Guide.render(GuideInputs(model: model, pages: pages)) }
        let messages = Guide.validate(GuideInputs(model: model, pages: pages)).map(\.description)
        #expect(messages.count == 5)
        #expect(messages[0] == "guide/00-index.md:4:1: error: unknown directive 'sumary-table'; did you mean 'summary-table'?")
        #expect(messages[1].hasPrefix("guide/00-index.md:8:1: error: unknown option 'nope'"))
        #expect(messages[2].hasPrefix("guide/00-index.md:12:3: error: role 'LambdaExecutionRole' has no identity policy 'Missing'"))
        #expect(messages[3] == "guide/00-index.md:16:1: error: option 'trusted-role' has 3 steps; there is no step 9")
        #expect(messages[4].hasPrefix("guide/00-index.md:20:1: error: a trustflow block holds exactly one directive"))
    }

    @Test func hostileStringsNeverBecomeLiveHTML() throws {
        let folder = try GuideContentFolder(model: hostileModel())
        defer { folder.remove() }
        let model = try folder.load()
        let prose = "# Hello <script>alert('h1')</script>\n\n<script>alert('prose')</script>\n\n<img src=x onerror=alert(7)>\n\n[bad](javascript:alert(8)) [also](JAVASCRIPT:alert(9))\n\n```trustflow\nsummary-table\n```\n\n```trustflow\nsteps direct\n```\n\n```trustflow\noptions\n```\n"
        let pages = [GuideSource(path: "g.md", name: "index", text: prose), GuideSource(path: "d.md", name: "direct", text: "# <b>x</b>\n")]
        for inputs in [GuideInputs(model: model, pages: pages), GuideInputs(model: model)] {
            for file in try Guide.render(inputs) where file.path.hasSuffix(".html") {
                let html = file.text.lowercased()
                #expect(!html.contains("<script>alert"), "\(file.path)")
                #expect(!html.contains("<img src=x"), "\(file.path)")
                #expect(!html.contains("<iframe"), "\(file.path)")
                #expect(!html.contains("href=\"javascript:"), "\(file.path)")
                // Hostile text stays text: no element carries an event handler.
                #expect(html.range(of: "<[^>]*\\son[a-z]+=", options: .regularExpression) == nil, "\(file.path)")
                for tag in html.components(separatedBy: "<").dropFirst() {
                    let name = tag.prefix { $0.isLetter || $0.isNumber || $0 == "!" || $0 == "/" }
                    #expect(["a", "/a", "p", "/p", "h1", "/h1", "h2", "/h2", "ol", "/ol", "ul", "/ul", "li", "/li", "strong", "/strong", "em", "/em", "code", "/code",
                             "br", "!", "!doctype", "h3", "/h3", "pre", "/pre", "html", "/html", "head", "/head", "meta", "title", "/title", "link", "script", "/script", "body", "/body",
                             "header", "/header", "div", "/div", "nav", "/nav", "main", "/main", "article", "/article", "footer", "/footer", "span", "/span",
                             "table", "/table", "thead", "/thead", "tbody", "/tbody", "tr", "/tr", "th", "/th", "td", "/td", "blockquote", "/blockquote", "b", "/b",
                             "input"]
                        .contains(String(name)), "unexpected tag <\(name)> in \(file.path)")
                }
                // The only scripts are the site's own files: copy buttons, the search index and search.
                #expect(html.components(separatedBy: "<script").count - 1 == 3)
                #expect(html.contains("<script src=\"copy.js\" defer></script>"))
                #expect(html.contains("<script src=\"search-index.js\" defer></script>\n<script src=\"search.js\" defer></script>"))
            }
        }
    }

    @Test func unsafeHTMLLetsAuthorHTMLThroughButStillEscapesModelStrings() throws {
        let folder = try GuideContentFolder(model: hostileModel(unsafeHTML: true))
        defer { folder.remove() }
        let model = try folder.load()
        let pages = [GuideSource(path: "g.md", name: "index", text: "# T\n\n<div class=\"author\">ok</div>\n\n```trustflow\nsummary-table\n```\n")]
        let html = try #require(try Guide.render(GuideInputs(model: model, pages: pages)).first { $0.path == "site/index.html" }).text
        #expect(html.contains("<div class=\"author\">ok</div>"))
        #expect(!html.contains("<script>alert"))
        #expect(html.contains("&lt;script&gt;alert(&#39;lives&#39;)&lt;/script&gt;"))
    }

    @Test func pageNamesNeverLeaveTheSiteFolder() throws {
        // The loader only accepts slugs as option ids; the renderer must not rely on it.
        let folder = try GuideContentFolder(model: hostileModel())
        defer { folder.remove() }
        var model = try folder.load()
        model.options[0].id = "../../evil"
        let files = try Guide.render(GuideInputs(model: model, pages: [GuideSource(path: "a.md", name: "x", text: "# A\n"), GuideSource(path: "b.md", name: "../b", text: "# B\n")]))
        #expect(files.allSatisfy { !$0.path.contains("..") })
        let defaults = try Guide.render(GuideInputs(model: model)).map(\.path)
        #expect(defaults.contains("site/------evil.html"))
        #expect(defaults.allSatisfy { !$0.contains("..") })
    }

    @Test func escapingIsOneFunctionPerLanguage() {
        #expect(HTML.escape("<a href=\"x\" title='y'>&</a>") == "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;")
        #expect(MarkdownText.escape("a|b <c> *d*") == "a\\|b \\<c\\> \\*d\\*")
    }

    @Test func embedsDiagramsSnippetsAndProofWhenGiven() throws {
        let model = try ModelLoader.load(contentDirectory: defaultContent)
        let svg = Array("<svg width=\"120pt\" height=\"60pt\" xmlns=\"http://www.w3.org/2000/svg\"></svg>".utf8)
        var diagrams = ["overview.svg": svg]
        for option in model.options { diagrams["\(option.id)-architecture.svg"] = svg }
        let snippets = Dictionary(uniqueKeysWithValues: model.options.map { ($0.id, "// snippet for \($0.id)\nlet a = \"<b>\"\n") })
        let proof = Resolver.resolve(model)
        let files = try Guide.render(GuideInputs(model: model, resolution: proof, diagrams: diagrams, snippets: snippets))
        #expect(files.contains { $0.path == "site/diagrams/overview.svg" && $0.bytes == svg })
        let first = try #require(files.first { $0.path == "site/\(model.options[0].id).html" }).text
        #expect(first.contains("<img src=\"diagrams/\(model.options[0].id)-architecture.svg\" alt=\"Architecture of "))
        #expect(first.contains("width=\"160\" height=\"80\""))
        #expect(first.contains("// snippet for \(model.options[0].id)\nlet a = &quot;&lt;b&gt;&quot;"))
        #expect(first.contains("Checked by the policy engine"))
        let index = try #require(files.first { $0.path == "site/index.html" }).text
        #expect(index.contains("✓ 3/3 steps as expected"))
        #expect(index.contains("✓ 4/4 steps as expected"))
        let markdown = try #require(files.first { $0.path == "guide.md" }).text
        #expect(markdown.contains("![Overview of "))
        #expect(markdown.contains("](diagrams/overview.svg \"Overview\")"))
        #expect(markdown.contains("``` swift\n// snippet for \(model.options[0].id)\nlet a = \"<b>\"\n```"))
    }

    static func pages(_ content: String) throws -> [GuideSource]? {
        let folder = content + "/guide"
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".md") }.sorted()
        return try names.enumerated().map { index, name in
            GuideSource(path: folder + "/" + name, name: index == 0 ? "index" : GuideSource.pageName(fileName: name),
                        text: try String(contentsOfFile: folder + "/" + name, encoding: .utf8))
        }
    }
}
