public import Model
public import Resolution
internal import Foundation

/// The deck `trustflow build` writes: `deck/index.html`, one self-contained HTML file (inline CSS and script, every
/// slide's SVG inlined as a data URI, no network, works from `file://`) and `deck.pdf`, one 16:9 page per slide made
/// by libgvc's cairo PDF renderer and joined in process. Both from the same slides (`DeckSlides`).
public enum Deck {
    public static let htmlPath = "deck/index.html"
    public static let pdfPath = "deck.pdf"

    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// The deck's files, and what Graphviz, cairo or Pango reported while drawing its slides.
    public static func render(_ model: Model, resolution: ModelResolution) throws(Failure) -> (files: [OutputFile], warnings: [DiagramFiles.Warning]) {
        let slides = DeckSlides.all(model, resolution: resolution)
        var svgs: [[UInt8]] = []
        var pdfs: [[UInt8]] = []
        var warnings: [DiagramFiles.Warning] = []
        for slide in slides {
            do {
                let rendered = try DiagramFiles.rendering(slide.diagram, formats: [.svg, .pdf])
                svgs.append(rendered.outputs[0])
                pdfs.append(rendered.outputs[1])
                warnings += rendered.warnings
            } catch {
                throw Failure(description: "deck: \(error)")
            }
        }
        let pdf: [UInt8]
        do {
            pdf = try PDFPages.join(pdfs, title: model.title)
        } catch {
            throw Failure(description: "\(error)")
        }
        let html = DeckHTML.page(model, resolution: resolution, slides: slides, svgs: svgs)
        return ([OutputFile(path: htmlPath, text: html), OutputFile(path: pdfPath, bytes: pdf)], warnings)
    }
}

/// The deck as one HTML page. Every model string goes through `HTML.escape`.
enum DeckHTML {
    static func page(_ model: Model, resolution: ModelResolution, slides: [DeckSlide], svgs: [[UInt8]]) -> String {
        var out = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(HTML.escape(model.title)) — slides</title>
            <style>
            \(css)</style>
            </head>
            <body>
            <main id="deck" aria-live="polite">

            """
        for (index, slide) in slides.enumerated() {
            let number = index + 1
            out += "<section class=\"slide\" id=\"slide-\(number)\" data-heading=\"\(HTML.escape(slide.heading))\" aria-label=\"Slide \(number) of \(slides.count): \(HTML.escape(slide.heading))\">\n"
            out += "<div class=\"frame\">"
            switch slide.kind {
            case .title:
                out += "<div class=\"title-slide\"><h1>\(HTML.escape(model.title))</h1>"
                out += "<p class=\"sub\">\(model.options.count) option\(model.options.count == 1 ? "" : "s") · "
                    + HTML.escape(model.accounts.map { "\($0.name) (\($0.key))" }.joined(separator: ", ")) + "</p><ol>"
                for option in model.options {
                    let check = SummaryTable.check(option, resolution: resolution)
                    out += "<li>\(HTML.escape(option.title)) <span class=\"\(check.hasPrefix("✓") ? "ok" : "fail")\">\(HTML.escape(check))</span></li>"
                }
                out += "</ol><p class=\"hint\">→ / Space / click: next · ←: back · P: presenter view · F: full screen</p></div>"
            case .summary:
                out += "<div class=\"summary-slide\"><h2>Summary</h2>"
                out += SummaryTable(model, resolution: resolution).html { id in
                    slides.firstIndex { $0.kind == .option(id: id) }.map { "#slide-\($0 + 1)" }
                }
                out += "</div>"
            case .option, .step:
                let data = Data(svgs[index]).base64EncodedString()
                out += "<img src=\"data:image/svg+xml;base64,\(data)\" alt=\"\(HTML.escape(slide.diagram.title + ". " + slide.diagram.summary))\">"
            }
            out += "</div>\n<aside class=\"notes\"><h2>Notes · slide \(number) of \(slides.count)</h2><ul>"
            out += slide.notes.map { "<li>\(HTML.escape($0))</li>" }.joined()
            out += "</ul></aside>\n</section>\n"
        }
        out += """
            </main>
            <div class="progress" aria-hidden="true"><div class="bar"></div></div>
            <div class="counter" aria-hidden="true"><span id="position">1</span> / \(slides.count)</div>
            <script>
            \(script)</script>
            </body>
            </html>

            """
        return out
    }

    static let css = """
        html, body { margin: 0; height: 100%; background: #1b1f24; color: #16191F; font-family: "DejaVu Sans", system-ui, sans-serif; }
        #deck { height: 100vh; display: flex; align-items: center; justify-content: center; }
        .slide { display: none; }
        .slide.current { display: flex; gap: 1.5vw; align-items: center; justify-content: center; width: 100%; height: 100%; }
        .frame {
          width: min(100vw, 177.78vh); height: min(56.25vw, 100vh); background: #FFFFFF; display: flex;
          align-items: center; justify-content: center; overflow: hidden; cursor: pointer;
        }
        .frame img { width: 100%; height: 100%; object-fit: contain; }
        .title-slide, .summary-slide { padding: 4% 6%; max-height: 100%; overflow: auto; }
        .title-slide h1 { font-size: min(4.2vw, 7.5vh); line-height: 1.15; margin: 0 0 .6em; }
        .title-slide .sub { color: #545B64; font-size: min(2vw, 3.6vh); }
        .title-slide ol { font-size: min(1.8vw, 3.2vh); line-height: 1.6; }
        .title-slide .hint { color: #545B64; font-size: min(1.2vw, 2.2vh); margin-top: 2em; }
        .summary-slide h2 { font-size: min(3vw, 5.4vh); margin: 0 0 .5em; }
        table.summary { border-collapse: collapse; font-size: min(1.15vw, 2.05vh); width: 100%; }
        table.summary th, table.summary td { border: 1px solid #D5DBDB; padding: .4em .5em; vertical-align: top; text-align: left; }
        table.summary thead th { background: #EEF1FD; }
        table.summary ul { margin: 0; padding-left: 1em; }
        .ok, .check.ok { color: #1D8102; font-weight: bold; }
        .fail, .check.fail { color: #D13212; font-weight: bold; }
        .notes { display: none; }
        .progress { position: fixed; left: 0; right: 0; bottom: 0; height: 6px; background: rgba(255, 255, 255, .15); }
        .progress .bar { height: 100%; width: 0; background: #ED7100; transition: width .2s; }
        .counter { position: fixed; right: 12px; bottom: 12px; color: #AAB7B8; font-size: 14px; }
        body.presenter .slide.current { justify-content: flex-start; padding: 2vh 2vw; box-sizing: border-box; }
        body.presenter .frame { width: 62vw; height: 34.875vw; flex: 0 0 auto; }
        body.presenter .notes {
          display: block; flex: 1 1 auto; align-self: stretch; overflow: auto; background: #F2F3F3; color: #16191F;
          padding: 1em 1.5em; font-size: 18px; line-height: 1.5; border-radius: 6px;
        }
        body.presenter .notes h2 { font-size: 16px; color: #545B64; margin-top: 0; }
        body.presenter .notes li { margin-bottom: .6em; overflow-wrap: anywhere; }
        @media print {
          @page { size: 16in 9in; margin: 0; }
          html, body { background: #FFFFFF; height: auto; }
          #deck { display: block; height: auto; }
          .slide, .slide.current { display: block; width: 16in; height: 9in; break-after: page; page-break-after: always; padding: 0; }
          .frame, body.presenter .frame { width: 16in; height: 9in; }
          .notes, body.presenter .notes, .progress, .counter, .hint { display: none !important; }
        }

        """

    static let script = """
        "use strict";
        (function () {
          var slides = Array.prototype.slice.call(document.querySelectorAll(".slide"));
          var bar = document.querySelector(".progress .bar");
          var position = document.getElementById("position");
          var current = 0;
          function fromHash() {
            var hash = location.hash.replace(/^#/, "");
            if (hash === "presenter" || /(^|&)presenter($|&)/.test(hash)) { document.body.classList.add("presenter"); }
            var match = /slide-(\\d+)/.exec(hash);
            return match ? Math.min(Math.max(parseInt(match[1], 10) - 1, 0), slides.length - 1) : current;
          }
          function show(index) {
            current = Math.min(Math.max(index, 0), slides.length - 1);
            slides.forEach(function (slide, i) { slide.classList.toggle("current", i === current); });
            bar.style.width = ((current + 1) / slides.length * 100) + "%";
            position.textContent = String(current + 1);
            document.title = document.title.replace(/^\\(\\d+\\/\\d+\\) /, "");
            document.title = "(" + (current + 1) + "/" + slides.length + ") " + document.title;
            var wanted = "#slide-" + (current + 1) + (document.body.classList.contains("presenter") ? "&presenter" : "");
            if (location.hash !== wanted) { history.replaceState(null, "", wanted); }
          }
          document.addEventListener("keydown", function (event) {
            if (event.altKey || event.ctrlKey || event.metaKey) { return; }
            switch (event.key) {
              case "ArrowRight": case "ArrowDown": case "PageDown": case " ": case "Enter": case "n":
                show(current + (event.shiftKey && event.key === " " ? -1 : 1)); break;
              case "ArrowLeft": case "ArrowUp": case "PageUp": case "Backspace":
                show(current - 1); break;
              case "Home": show(0); break;
              case "End": show(slides.length - 1); break;
              case "p": case "P":
                document.body.classList.toggle("presenter"); show(current); break;
              case "f": case "F":
                if (document.fullscreenElement) { document.exitFullscreen(); }
                else if (document.documentElement.requestFullscreen) { document.documentElement.requestFullscreen(); }
                break;
              default: return;
            }
            event.preventDefault();
          });
          document.addEventListener("click", function (event) {
            if (event.target.closest("a, .notes")) { return; }
            if (!event.target.closest(".frame")) { return; }
            show(current + (event.clientX < window.innerWidth / 4 ? -1 : 1));
          });
          window.addEventListener("hashchange", function () { show(fromHash()); });
          show(fromHash());
        })();

        """
}
