internal import CommonMark
internal import Foundation
internal import Model
import Policy
public import Source

/// The guide: `guide.md` (one Markdown file for GitHub) and `site/` (a static HTML site), from the prose pages
/// and the model, through libcmark's node tree. Pure: inputs in, files out, byte-identical for the same inputs.
public enum Guide {
    /// Checks every directive of every page against the model; all problems at once.
    public static func validate(_ inputs: GuideInputs) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        var names: [String: String] = [:]
        for page in sources(inputs) {
            if let other = names[page.name] {
                diagnostics.append(.error("page name '\(page.name)' is also the name of \(other); rename one file", at: SourceLocation(file: page.path, line: 1, column: 1)))
            }
            names[page.name] = page.path
            let blocks: [FencedBlock]
            do {
                blocks = try CommonMark.fencedBlocks(page.text, directive: Directive.infoString)
            } catch {
                diagnostics.append(.error("libcmark failed on this page: \(error)", at: SourceLocation(file: page.path, line: 1, column: 1)))
                continue
            }
            for block in blocks {
                if case .failure(let diagnostic) = Directive.parse(block.body, model: inputs.model, at: location(page, block)) {
                    diagnostics.append(diagnostic)
                }
            }
        }
        return diagnostics
    }

    /// Every file of the guide, sorted by path. Throws the directive errors of `validate`.
    public static func render(_ inputs: GuideInputs) throws(DiagnosticList) -> [OutputFile] {
        let problems = validate(inputs)
        if !problems.isEmpty { throw DiagnosticList(problems) }
        let pages = sources(inputs)
        let options: CommonMark.Options = inputs.model.unsafeHTML ? [.smart, .unsafe] : [.smart]
        let pageNames = Set(pages.map(\.name))

        // The site: one HTML page per source page.
        let siteBlocks = GuideBlocks(inputs: inputs, target: .site) { id in pageNames.contains(GuideSource.safeName(id)) ? "\(GuideSource.safeName(id)).html" : nil }
        let rendered = try pages.map { page throws(DiagnosticList) in
            try cmark(page) { () throws(CommonMarkError) -> RenderedDocument in
                try CommonMark.render(page.text, format: .html, options: options, directive: Directive.infoString) { block in
                    directive(block, page: page, model: inputs.model).map { siteBlocks.blocks(for: $0) }
                }
            }
        }
        let titles = zip(pages, rendered).map { page, document in
            document.headings.first { $0.level == 1 }?.text ?? page.name
        }
        var files: [OutputFile] = []
        for (index, page) in pages.enumerated() {
            let site = SitePage(
                title: titles[index], siteTitle: inputs.model.title, body: rendered[index].text, headings: rendered[index].headings,
                pages: zip(pages, titles).map { ($0.name, $1) }, current: index)
            files.append(OutputFile(path: "site/\(page.name).html", text: site.html))
        }
        files.append(OutputFile(path: "site/style.css", text: SiteAssets.css + SiteSearch.css))
        let searchEntries = pages.indices.flatMap { index in
            SiteSearch.entries(page: "\(pages[index].name).html", title: titles[index], body: rendered[index].text)
        }
        files.append(OutputFile(path: "site/search-index.js", text: SiteSearch.index(searchEntries)))
        files.append(OutputFile(path: "site/search.js", text: SiteSearch.script))
        files.append(OutputFile(path: "site/copy.js", text: SiteAssets.script))
        for (name, svg) in inputs.diagrams where name.hasSuffix(".svg") {
            files.append(OutputFile(path: "site/diagrams/\(name)", bytes: svg))
        }

        // The Markdown: every page in order; pages after the first nest one heading level down.
        let anchors = Dictionary(zip(pages.map(\.name), titles.map(githubSlug)), uniquingKeysWith: { first, _ in first })
        let markdownBlocks = GuideBlocks(inputs: inputs, target: .markdown) { id in anchors[GuideSource.safeName(id)].map { "#\($0)" } }
        let markdown = try pages.enumerated().map { index, page throws(DiagnosticList) in
            try cmark(page) { () throws(CommonMarkError) -> RenderedDocument in
                try CommonMark.render(
                    page.text, format: .commonmark, options: options.subtracting(.smart), directive: Directive.infoString,
                    shiftHeadings: index == 0 ? 0 : 1
                ) { block in
                    directive(block, page: page, model: inputs.model).map { markdownBlocks.blocks(for: $0) }
                }
            }.text
        }
        files.append(OutputFile(path: "guide.md", text: markdown.joined(separator: "\n")))
        return files.sorted { $0.path < $1.path }
    }

    /// A libcmark failure on a page, as a located error of that page.
    static func cmark<T>(_ page: GuideSource, _ body: () throws(CommonMarkError) -> T) throws(DiagnosticList) -> T {
        do {
            return try body()
        } catch {
            throw DiagnosticList([.error("libcmark failed on this page: \(error)", at: SourceLocation(file: page.path, line: 1, column: 1))])
        }
    }

    static func sources(_ inputs: GuideInputs) -> [GuideSource] {
        guard var pages = inputs.pages, !pages.isEmpty else { return DefaultGuide.pages(inputs.model, resolution: inputs.resolution) }
        for index in pages.indices { pages[index].name = index == 0 ? "index" : GuideSource.safeName(pages[index].name) }
        return pages
    }

    static func location(_ page: GuideSource, _ block: FencedBlock) -> SourceLocation {
        // The directive itself sits on the line after the opening fence.
        SourceLocation(file: page.path, line: block.line + 1, column: block.column)
    }

    static func directive(_ block: FencedBlock, page: GuideSource, model: Model) -> Directive? {
        try? Directive.parse(block.body, model: model, at: location(page, block)).get()
    }

    /// The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as `-`.
    static func githubSlug(_ text: String) -> String {
        var slug = ""
        for character in text.lowercased() {
            if character.isLetter || character.isNumber || character == "-" || character == "_" {
                slug.append(character)
            } else if character == " " {
                slug.append("-")
            }
        }
        return slug
    }
}
