/// The site's shared stylesheet and its one small script (copy buttons; the site works without it).
enum SiteAssets {
    static let css = """
        :root {
          --bg: #ffffff; --fg: #1f2328; --muted: #59636e; --border: #d1d9e0; --accent: #0a5fc2;
          --code-bg: #f3f5f8; --nav-bg: #f8f9fb; --ok: #1a7f37; --fail: #cf222e; --note-bg: #fff8e1; --note-border: #e0b400;
          color-scheme: light dark;
        }
        @media (prefers-color-scheme: dark) {
          :root {
            --bg: #0f1419; --fg: #e6edf3; --muted: #9198a1; --border: #30363d; --accent: #58a6ff;
            --code-bg: #161b22; --nav-bg: #121820; --ok: #3fb950; --fail: #f85149; --note-bg: #2a2410; --note-border: #9e7d00;
          }
          figure.diagram img { background: #ffffff; border-radius: 6px; }
        }
        * { box-sizing: border-box; }
        html { -webkit-text-size-adjust: 100%; }
        body {
          margin: 0; background: var(--bg); color: var(--fg);
          font: 16px/1.6 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif;
        }
        a { color: var(--accent); }
        .skip { position: absolute; left: -999px; }
        .skip:focus { left: 1rem; top: 1rem; background: var(--bg); padding: .5rem; z-index: 1; }
        .site-header { border-bottom: 1px solid var(--border); padding: .8rem 1.5rem; font-weight: 600; }
        .site-header a { color: var(--fg); text-decoration: none; }
        .layout { display: flex; gap: 2.5rem; max-width: 78rem; margin: 0 auto; padding: 0 1.5rem; }
        .toc {
          flex: 0 0 16rem; position: sticky; top: 0; align-self: flex-start; max-height: 100vh; overflow-y: auto;
          padding: 1.2rem 1rem; background: var(--nav-bg); border-right: 1px solid var(--border); font-size: .9rem;
        }
        .toc h2 { font-size: .8rem; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); margin: 0 0 .6rem; }
        .toc ol { list-style: none; padding-left: 0; margin: 0; }
        .toc ol ol { padding-left: .9rem; margin: .3rem 0 .5rem; border-left: 2px solid var(--border); }
        .toc li { margin: .3rem 0; }
        .toc a { color: var(--fg); text-decoration: none; }
        .toc a:hover { color: var(--accent); }
        .toc a[aria-current="page"] { color: var(--accent); font-weight: 600; }
        main { flex: 1 1 auto; min-width: 0; padding: 1rem 0 3rem; }
        article { max-width: 56rem; }
        h1 { font-size: 2rem; line-height: 1.25; margin: 1rem 0 1rem; }
        h2 { font-size: 1.45rem; margin: 2.2rem 0 .8rem; padding-bottom: .3rem; border-bottom: 1px solid var(--border); }
        h3 { font-size: 1.15rem; margin: 1.6rem 0 .6rem; }
        .anchor { color: var(--muted); text-decoration: none; font-weight: 400; float: left; margin-left: -1.1em; width: 1.1em; opacity: 0; }
        h1:hover .anchor, h2:hover .anchor, h3:hover .anchor, h4:hover .anchor, .anchor:focus { opacity: .6; }
        code { font-family: "DejaVu Sans Mono", ui-monospace, Menlo, Consolas, monospace; font-size: .88em; background: var(--code-bg); padding: .1em .3em; border-radius: 4px; overflow-wrap: anywhere; }
        pre { position: relative; background: var(--code-bg); border: 1px solid var(--border); border-radius: 6px; padding: .9rem 1rem; overflow-x: auto; line-height: 1.45; }
        pre code { background: none; padding: 0; font-size: .85rem; overflow-wrap: normal; }
        .tabs > input { position: absolute; opacity: 0; }
        .tabs > label { display: inline-block; padding: .3rem .9rem; border: 1px solid var(--border); border-bottom: none; border-radius: 6px 6px 0 0; cursor: pointer; font-size: .9rem; }
        .tabs > input:checked + label { background: var(--code-bg); font-weight: 600; }
        .tabs > input:focus-visible + label { outline: 2px solid currentColor; }
        .tabs > .tab { display: none; }
        .tabs > .tab pre { margin-top: 0; border-top-left-radius: 0; }
        .tabs > input:nth-of-type(1):checked ~ .tab:nth-of-type(1), .tabs > input:nth-of-type(2):checked ~ .tab:nth-of-type(2) { display: block; }
        button.copy {
          position: absolute; top: .4rem; right: .4rem; font: inherit; font-size: .75rem; padding: .15rem .5rem;
          border: 1px solid var(--border); border-radius: 4px; background: var(--bg); color: var(--muted); cursor: pointer;
        }
        blockquote { margin: 1rem 0; padding: .2rem 1rem; border-left: 4px solid var(--accent); color: var(--muted); }
        .note { background: var(--note-bg); border-left: 4px solid var(--note-border); padding: .6rem .9rem; border-radius: 4px; }
        figure.diagram { margin: 1.5rem 0; text-align: center; }
        figure.diagram img { max-width: 100%; height: auto; }
        figcaption { color: var(--muted); font-size: .9rem; margin-top: .4rem; }
        .table-wrap { overflow-x: auto; margin: 1rem 0; }
        table.summary { border-collapse: collapse; font-size: .88rem; width: 100%; }
        table.summary th, table.summary td { border: 1px solid var(--border); padding: .5rem .6rem; vertical-align: top; text-align: left; }
        table.summary thead th { background: var(--nav-bg); }
        table.summary th[scope="row"] { min-width: 9rem; }
        table.summary ul { margin: 0; padding-left: 1rem; }
        table.summary code { white-space: nowrap; }
        .check.ok { color: var(--ok); font-weight: 600; }
        .check.fail { color: var(--fail); font-weight: 600; }
        .check.unchecked { color: var(--muted); font-style: italic; }
        .pager { display: flex; justify-content: space-between; gap: 1rem; margin-top: 3rem; padding-top: 1rem; border-top: 1px solid var(--border); }
        .pager a { display: block; text-decoration: none; max-width: 48%; }
        .pager a span { display: block; font-size: .8rem; color: var(--muted); }
        .pager .next { margin-left: auto; text-align: right; }
        .site-footer { border-top: 1px solid var(--border); color: var(--muted); font-size: .85rem; padding: 1rem 1.5rem; text-align: center; }
        @media (max-width: 50rem) {
          .layout { display: block; }
          .toc { position: static; max-height: none; border-right: 0; border-bottom: 1px solid var(--border); }
        }
        @media print {
          :root { --bg: #ffffff; --fg: #000000; --muted: #444444; --code-bg: #f5f5f5; --border: #bbbbbb; }
          .toc, .pager, .skip, button.copy, .anchor, .site-footer { display: none !important; }
          .layout { display: block; max-width: none; padding: 0; }
          body { font-size: 11pt; }
          pre, figure, table { break-inside: avoid; }
          .tabs > .tab { display: block; }
          .tabs > input, .tabs > label { display: none; }
          pre { white-space: pre-wrap; }
          a { color: inherit; }
        }

        """

    static let script = """
        // Copy buttons for code blocks. The site works without this file.
        "use strict";
        document.addEventListener("DOMContentLoaded", function () {
          if (!navigator.clipboard) { return; }
          document.querySelectorAll("pre > code").forEach(function (code) {
            var button = document.createElement("button");
            button.type = "button";
            button.className = "copy";
            button.textContent = "Copy";
            button.addEventListener("click", function () {
              navigator.clipboard.writeText(code.textContent).then(function () {
                button.textContent = "Copied";
                setTimeout(function () { button.textContent = "Copy"; }, 1500);
              }, function () { button.textContent = "Select and copy"; });
            });
            code.parentNode.appendChild(button);
          });
        });

        """
}
