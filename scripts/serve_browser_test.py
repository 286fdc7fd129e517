#!/usr/bin/env python3
"""`trustflow serve` in headless Chromium: live reload and the build-error overlay.

Copies content/ to a temporary folder, starts `trustflow serve` on 127.0.0.1 (a free port), opens the guide, then:
edits the model's title and sees the open page change without a manual reload; breaks the model and sees the overlay
with the located error (path:line:column: error: …) over the last good page; fixes it and sees the page again.
Checks that the built site on disk has no live-reload script. Stops the server it started."""
import pathlib, re, shutil, signal, subprocess, sys, tempfile, time
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from browser_test import Browser, ROOT

OVERLAY = """(() => { const o = document.getElementById('trustflow-build-errors');
  return {title: document.title, overlay: o ? o.textContent : null,
          visible: !!o && o.getBoundingClientRect().height > 0}; })()"""


def wait(browser, predicate, what, timeout=40):
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        try:
            last = browser.evaluate(OVERLAY)
            if predicate(last):
                return last
        except RuntimeError:
            pass  # the page is reloading
        time.sleep(0.2)
    raise AssertionError(f"{what}: not seen in {timeout}s (last state {last})")


def main():
    trustflow = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / ".build" / "debug" / "trustflow").resolve()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if not chromium:
        print("serve browser test: chromium is not installed (scripts/setup.sh test installs it)", file=sys.stderr)
        return 1
    work = pathlib.Path(tempfile.mkdtemp(prefix="trustflow-serve-"))
    content, output = work / "content", work / "output"
    shutil.copytree(ROOT / "content", content)
    model = content / "model.yml"
    original = model.read_text()
    server = subprocess.Popen([str(trustflow), "serve", "--content", str(content), "--output", str(output), "--port", "0"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    browser = None
    try:
        url = None
        deadline = time.time() + 120
        while time.time() < deadline and url is None:
            line = server.stdout.readline()
            if not line:
                raise AssertionError(f"serve ended early: {server.stderr.read()}")
            match = re.search(r"at (http://127\.0\.0\.1:\d+/)", line)
            url = match.group(1) if match else None
        if url is None:
            raise AssertionError("serve did not say where it listens")
        built = (output / "site" / "index.html").read_text()
        if "_trustflow" in built:
            raise AssertionError("the built site holds the live-reload script")

        browser = Browser(chromium)
        browser.open()
        browser.navigate(url + "index.html")
        first = browser.evaluate(OVERLAY)
        if not first["title"] or first["overlay"] is not None:
            raise AssertionError(f"the page did not load cleanly: {first}")
        if not browser.evaluate("!!document.querySelector('script[src=\"/_trustflow/live.js\"]')"):
            raise AssertionError("serve did not add the live-reload script")
        browser.evaluate("window.__notReloaded = true")

        # 1. An edit to the model reloads the open page with the new title.
        edited = original.replace("\ntitle: ", "\ntitle: Live reload check — ", 1)
        model.write_text(edited)
        state = wait(browser, lambda s: s["title"].startswith("Live reload check"), "the edited title after live reload")
        if browser.evaluate("window.__notReloaded === true"):
            raise AssertionError("the title changed without a reload?")
        print(f"serve browser test: live reload showed the edited title ({state['title'][:60]}…)")

        # 2. A broken model: the overlay lists the located error over the last good page.
        broken = re.sub(r"(\n  LambdaExecutionRole:\n    account: )A", r"\1Nowhere", edited, count=1)
        if broken == edited:
            raise AssertionError("could not break the model (its layout changed?)")
        model.write_text(broken)
        state = wait(browser, lambda s: s["visible"] and s["overlay"] and re.search(r"model\.yml:\d+:\d+: error: ", s["overlay"]),
                     "the overlay with a located error")
        located = re.search(r"[^\s]*model\.yml:\d+:\d+: error: [^\n]*", state["overlay"]).group(0)
        print(f"serve browser test: the overlay shows {located[-100:]}")
        if not state["title"].startswith("Live reload check"):
            raise AssertionError("the last good page is not under the overlay")
        (ROOT / "artifacts").mkdir(exist_ok=True)
        import base64
        (ROOT / "artifacts" / "serve-overlay.png").write_bytes(base64.b64decode(browser.call("Page.captureScreenshot", {"format": "png"})["data"]))

        # 3. Fixed: the overlay goes and the page comes back.
        model.write_text(original)
        state = wait(browser, lambda s: s["overlay"] is None and not s["title"].startswith("Live reload check"), "the fixed page")
        # Chromium asks for /favicon.ico on its own; the site has none.
        problems = [p for p in browser.problems() if "favicon.ico" not in p]
        if problems:
            raise AssertionError("page problems: " + "; ".join(problems))
        print("serve browser test: fixed, the overlay is gone and the page shows the original title")
    except AssertionError as error:
        print(f"serve browser test: FAILED: {error}", file=sys.stderr)
        return 1
    finally:
        if browser:
            browser.close()
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
