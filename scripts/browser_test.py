#!/usr/bin/env python3
"""Tests output/site in headless Chromium through the DevTools protocol over a pipe (standard library only).

Checks every page: no console errors or failed loads, the summary table has one row per option, every diagram
image is loaded and has a non-zero size, every relative link resolves to a file (and its #anchor to an element).
Saves a screenshot of index.html (light and dark) into artifacts/. Exit 1 with a list of problems on failure.
"""
import base64, json, os, pathlib, re, shutil, subprocess, sys, tempfile, time

ROOT = pathlib.Path(__file__).resolve().parent.parent


class Browser:
    def __init__(self, chromium):
        self.profile = tempfile.mkdtemp(prefix="trustflow-chromium-")
        self.log = open(os.path.join(self.profile, "chromium.log"), "wb")
        to_chrome_r, to_chrome_w = os.pipe()
        from_chrome_r, from_chrome_w = os.pipe()
        args = [chromium, "--headless=new", "--remote-debugging-pipe", "--no-first-run", "--no-default-browser-check",
                "--disable-gpu", "--disable-extensions", "--disable-background-networking", "--disable-sync",
                "--hide-scrollbars", "--mute-audio", f"--user-data-dir={self.profile}", "about:blank"]
        if os.geteuid() == 0:
            args.insert(1, "--no-sandbox")

        def wire():  # Chromium reads commands on fd 3 and writes replies on fd 4.
            read_end, write_end = os.dup(to_chrome_r), os.dup(from_chrome_w)  # above 4, so dup2 cannot clobber them
            os.dup2(read_end, 3)
            os.dup2(write_end, 4)
            os.set_inheritable(3, True)
            os.set_inheritable(4, True)

        # close_fds=False: subprocess would otherwise close fds 3 and 4 after `wire` ran.
        self.process = subprocess.Popen(args, close_fds=False, preexec_fn=wire,
                                        stdout=subprocess.DEVNULL, stderr=self.log)
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self.out = os.fdopen(to_chrome_w, "wb", buffering=0)
        self.inp = os.fdopen(from_chrome_r, "rb", buffering=0)
        self.buffer = b""
        self.next_id = 0
        self.events = []
        self.session = None

    def _read_message(self):
        while b"\0" not in self.buffer:
            chunk = self.inp.read(1 << 16)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe")
            self.buffer += chunk
        raw, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(raw)

    def call(self, method, params=None, session=True):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        self.out.write(json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read_message()
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method):
        for index, event in enumerate(self.events):
            if event.get("method") == method:
                del self.events[index]
                return event
        while True:
            event = self._read_message()
            if event.get("method") == method:
                return event
            self.events.append(event)

    def open(self):
        targets = self.call("Target.getTargets", session=False)["targetInfos"]
        page = next(t for t in targets if t["type"] == "page")
        self.session = self.call("Target.attachToTarget", {"targetId": page["targetId"], "flatten": True}, session=False)["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(f"{domain}.enable")
        self.call("Emulation.setDeviceMetricsOverride", {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False})

    def navigate(self, url):
        self.events = [e for e in self.events if e.get("method") != "Page.loadEventFired"]
        self.call("Page.navigate", {"url": url})
        self.wait_for("Page.loadEventFired")
        # Let deferred scripts run, then collect what the page reported.
        self.evaluate("new Promise(r => setTimeout(r, 50))", await_promise=True)

    def evaluate(self, expression, await_promise=False):
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": await_promise})
        if "exceptionDetails" in result:
            raise RuntimeError(f"evaluate failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    def problems(self):
        found = []
        for event in self.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                found.append("console error: " + " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", [])))
            elif method == "Runtime.exceptionThrown":
                found.append("exception: " + params["exceptionDetails"].get("text", ""))
            elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
                found.append("log error: " + params["entry"].get("text", "") + " " + params["entry"].get("url", ""))
            elif method == "Network.loadingFailed":
                found.append("failed load: " + params.get("errorText", "") + " " + str(params.get("blockedReason", "")))
        self.events = []
        return found

    def screenshot(self, path):
        height = self.evaluate("Math.min(document.documentElement.scrollHeight, 2400)")
        self.call("Emulation.setDeviceMetricsOverride", {"width": 1280, "height": int(height), "deviceScaleFactor": 1, "mobile": False})
        data = self.call("Page.captureScreenshot", {"format": "png"})["data"]
        path.write_bytes(base64.b64decode(data))
        self.call("Emulation.setDeviceMetricsOverride", {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False})

    def close(self):
        try:
            self.call("Browser.close", session=False)
        except Exception:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        shutil.rmtree(self.profile, ignore_errors=True)


PAGE_FACTS = """(() => {
  const rows = Array.from(document.querySelectorAll('table.summary tbody tr')).map(r => r.dataset.option);
  const images = Array.from(document.querySelectorAll('main img')).map(i => ({
    src: i.getAttribute('src'), alt: i.getAttribute('alt'), complete: i.complete,
    natural: i.naturalWidth, width: i.getBoundingClientRect().width, height: i.getBoundingClientRect().height}));
  const svgs = Array.from(document.querySelectorAll('main svg')).map(s => ({
    width: s.getBoundingClientRect().width, height: s.getBoundingClientRect().height}));
  const links = Array.from(document.querySelectorAll('a[href]')).map(a => a.getAttribute('href'));
  const ids = Array.from(document.querySelectorAll('[id]')).map(e => e.id);
  const scripts = Array.from(document.querySelectorAll('script')).map(s => s.getAttribute('src'));
  const live = document.querySelectorAll('[onerror], [onclick], [onload], a[href^="javascript:"]').length;
  const copyButtons = document.querySelectorAll('button.copy').length;
  const codeBlocks = document.querySelectorAll('pre > code').length;
  return {title: document.title, rows, images, svgs, links, ids, scripts, live, copyButtons, codeBlocks,
          h1: (document.querySelector('h1') || {}).textContent || ''};
})()"""


SEARCH = """(() => {
  const box = document.getElementById('search'), input = document.getElementById('search-input');
  if (!box || !input) { return {error: 'no search box'}; }
  input.value = QUERY;
  input.dispatchEvent(new Event('input'));
  const results = document.getElementById('search-results');
  return {visible: !box.hidden && box.getBoundingClientRect().height > 0,
          links: Array.from(results.querySelectorAll('a')).map(a => a.getAttribute('href')),
          none: results.querySelectorAll('li.none').length};
})()"""


def check_search(browser, site):
    """The search box works from file://: a word of the model finds sections whose links resolve; nonsense finds none."""
    problems = []
    found = browser.evaluate(SEARCH.replace("QUERY", json.dumps("DynamoDBAccessRole trust")))
    if found.get("error") or not found["visible"]:
        return [f"search box not shown: {found}"]
    if not found["links"]:
        problems.append("search for 'DynamoDBAccessRole trust' found nothing")
    for href in found["links"]:
        path, _, anchor = href.partition("#")
        target = site / path
        if not target.exists() or (anchor and f'id="{anchor}"' not in target.read_text()):
            problems.append(f"search result {href} leads nowhere")
    nothing = browser.evaluate(SEARCH.replace("QUERY", json.dumps("zzqxv-no-such-word")))
    if nothing["links"] or nothing["none"] != 1:
        problems.append(f"search for nonsense did not say it found nothing: {nothing}")
    browser.evaluate(SEARCH.replace("QUERY", json.dumps("")))
    return problems


def main():
    site = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "output" / "site").resolve()
    model_options = json.loads(sys.argv[2]) if len(sys.argv) > 2 else None
    shot = sys.argv[3] if len(sys.argv) > 3 else "index"
    artifacts = ROOT / "artifacts"
    artifacts.mkdir(exist_ok=True)
    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if not chromium:
        print("browser test: chromium is not installed (scripts/setup.sh test installs it)", file=sys.stderr)
        return 1
    pages = sorted(site.glob("*.html"))
    if not (site / "index.html").exists():
        print(f"browser test: {site}/index.html is missing; run trustflow build", file=sys.stderr)
        return 1
    problems, facts = [], {}
    browser = Browser(chromium)
    try:
        browser.open()
        for page in pages:
            browser.navigate(page.as_uri())
            page_facts = browser.evaluate(PAGE_FACTS)
            (artifacts / shot).mkdir(exist_ok=True)
            browser.screenshot(artifacts / shot / (page.stem + ".png"))
            facts[page.name] = page_facts
            problems += [f"{page.name}: {p}" for p in browser.problems()]
            if page_facts["live"]:
                problems.append(f"{page.name}: {page_facts['live']} live event-handler attributes or javascript: links")
            if page_facts["codeBlocks"] and page_facts["copyButtons"] != page_facts["codeBlocks"]:
                problems.append(f"{page.name}: copy.js did not run ({page_facts['copyButtons']} buttons for {page_facts['codeBlocks']} code blocks)")
            if page.name == "index.html" and (site / "search.js").exists():
                problems += [f"{page.name}: {p}" for p in check_search(browser, site)]
            for image in page_facts["images"]:
                if not image["alt"]:
                    problems.append(f"{page.name}: image {image['src']} has no alt text")
                if not image["complete"] or image["natural"] == 0 or image["width"] <= 0 or image["height"] <= 0:
                    problems.append(f"{page.name}: diagram {image['src']} is not visible ({image['width']}x{image['height']})")
            for svg in page_facts["svgs"]:
                if svg["width"] <= 0 or svg["height"] <= 0:
                    problems.append(f"{page.name}: an inline SVG has zero size")
            for href in page_facts["links"]:
                if re.match(r"^[a-z][a-z0-9+.-]*:", href, re.I) or href.startswith("//") or href.startswith("/"):
                    problems.append(f"{page.name}: link {href} is not relative")
                    continue
                path, _, anchor = href.partition("#")
                target = (page.parent / path).resolve() if path else page
                if not target.exists():
                    problems.append(f"{page.name}: link {href} leads nowhere")
                elif anchor and target.suffix == ".html":
                    target_ids = facts[target.name]["ids"] if target.name in facts else None
                    if target_ids is None:
                        target_ids = re.findall(r'id="([^"]+)"', target.read_text())
                    if anchor not in target_ids:
                        problems.append(f"{page.name}: link {href} names a missing anchor")
        index = facts["index.html"]
        tables = [(name, f["rows"]) for name, f in facts.items() if f["rows"]]
        if not tables:
            problems.append("no page holds the summary table")
        for name, rows in tables:
            if model_options is not None and rows != model_options:
                problems.append(f"{name}: summary rows {rows} differ from the model's options {model_options}")
            if len(rows) != len(set(rows)):
                problems.append(f"{name}: summary table repeats an option")
        browser.navigate((site / "index.html").as_uri())
        browser.screenshot(artifacts / f"{shot}.png")
        browser.call("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": "dark"}]})
        browser.navigate((site / "index.html").as_uri())
        browser.screenshot(artifacts / f"{shot}-dark.png")
        problems += [f"index.html (dark): {p}" for p in browser.problems()]
    finally:
        browser.close()
    diagrams = sum(len(f["images"]) for f in facts.values())
    rows = tables[0][1] if tables else []
    print(f"browser test: {len(pages)} pages, {len(rows)} summary rows, {diagrams} diagrams, "
          f"{sum(len(f['links']) for f in facts.values())} links checked; screenshots in artifacts/{shot}.png, artifacts/{shot}-dark.png")
    for problem in problems:
        print("  FAIL " + problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
