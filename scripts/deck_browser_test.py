#!/usr/bin/env python3
"""The HTML deck in headless Chromium from file://: no console errors or loads, the first slide shows, the arrow
keys, space and a click move with the progress indicator following, P toggles the presenter view with the speaker
notes, #slide-N opens slide N, and print media shows every slide. Screenshots land in artifacts/deck/."""
import json, pathlib, shutil, sys
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from browser_test import Browser, ROOT

STATE = """(() => {
  const current = document.querySelectorAll('.slide.current');
  const notes = current.length ? current[0].querySelector('.notes') : null;
  return {count: document.querySelectorAll('.slide').length, current: current.length,
          id: current.length ? current[0].id : '', position: document.getElementById('position').textContent,
          bar: document.querySelector('.progress .bar').style.width,
          presenter: document.body.classList.contains('presenter'),
          notesVisible: !!notes && notes.getBoundingClientRect().width > 0,
          notes: notes ? notes.textContent : '',
          image: (() => { const i = current.length ? current[0].querySelector('img') : null;
                          return i ? {complete: i.complete, natural: i.naturalWidth, width: i.getBoundingClientRect().width} : null; })()};
})()"""


def key(browser, name, code=None):
    for kind in ("keyDown", "keyUp"):
        browser.call("Input.dispatchKeyEvent", {"type": kind, "key": name, "code": code or name,
                                                "windowsVirtualKeyCode": {"ArrowRight": 39, "ArrowLeft": 37, " ": 32, "p": 80}.get(name, 0)})
    browser.evaluate("new Promise(r => setTimeout(r, 30))", await_promise=True)


def main():
    deck = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "output" / "deck" / "index.html").resolve()
    artifacts = ROOT / "artifacts" / "deck"
    artifacts.mkdir(parents=True, exist_ok=True)
    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if not chromium:
        print("deck browser test: chromium is not installed (scripts/setup.sh test installs it)", file=sys.stderr)
        return 1
    problems = []
    browser = Browser(chromium)
    try:
        browser.open()
        browser.call("Emulation.setDeviceMetricsOverride", {"width": 1600, "height": 900, "deviceScaleFactor": 1, "mobile": False})
        browser.navigate(deck.as_uri())
        first = browser.evaluate(STATE)
        count = first["count"]
        if count < 3 or first["current"] != 1 or first["id"] != "slide-1" or first["position"] != "1":
            problems.append(f"the first slide is not shown alone: {first}")
        browser.call("Page.captureScreenshot", {"format": "png"})
        key(browser, "ArrowRight")
        second = browser.evaluate(STATE)
        if second["id"] != "slide-2" or second["position"] != "2" or not second["bar"]:
            problems.append(f"ArrowRight did not move to slide 2: {second}")
        if not second["image"] or not second["image"]["complete"] or second["image"]["natural"] == 0 or second["image"]["width"] <= 0:
            problems.append(f"slide 2's drawing is not visible: {second['image']}")
        key(browser, " ", "Space")
        if browser.evaluate(STATE)["id"] != "slide-3":
            problems.append("space did not move to slide 3")
        key(browser, "ArrowLeft")
        if browser.evaluate(STATE)["id"] != "slide-2":
            problems.append("ArrowLeft did not move back to slide 2")
        browser.call("Input.dispatchMouseEvent", {"type": "mousePressed", "x": 1000, "y": 450, "button": "left", "clickCount": 1})
        browser.call("Input.dispatchMouseEvent", {"type": "mouseReleased", "x": 1000, "y": 450, "button": "left", "clickCount": 1})
        browser.evaluate("new Promise(r => setTimeout(r, 30))", await_promise=True)
        if browser.evaluate(STATE)["id"] != "slide-3":
            problems.append("a click did not move to slide 3")
        if browser.evaluate(STATE)["notesVisible"]:
            problems.append("speaker notes are visible outside the presenter view")
        key(browser, "p", "KeyP")
        presenter = browser.evaluate(STATE)
        if not presenter["presenter"] or not presenter["notesVisible"] or "AWS answers" not in presenter["notes"]:
            problems.append(f"P did not show the presenter view with the step's notes: {presenter['notes'][:200]!r}")
        import base64
        (artifacts / "presenter.png").write_bytes(base64.b64decode(browser.call("Page.captureScreenshot", {"format": "png"})["data"]))
        browser.evaluate(f"location.hash = '#slide-{count}'")
        browser.evaluate("new Promise(r => setTimeout(r, 50))", await_promise=True)
        last = browser.evaluate(STATE)
        if last["id"] != f"slide-{count}" or last["bar"] != "100%":
            problems.append(f"#slide-{count} did not open the last slide with a full progress bar: {last}")
        (artifacts / "summary.png").write_bytes(base64.b64decode(browser.call("Page.captureScreenshot", {"format": "png"})["data"]))
        browser.call("Emulation.setEmulatedMedia", {"media": "print"})
        shown = browser.evaluate("Array.from(document.querySelectorAll('.slide')).filter(s => s.getBoundingClientRect().height > 0).length")
        if shown != count:
            problems.append(f"print media shows {shown} of {count} slides")
        browser.call("Emulation.setEmulatedMedia", {"media": ""})
        problems += browser.problems()
    finally:
        browser.close()
    if problems:
        for problem in problems:
            print("  " + problem, file=sys.stderr)
        print("deck browser test: FAILED", file=sys.stderr)
        return 1
    print(f"deck browser test: {count} slides; keys, click, progress, presenter notes, #slide-N and print all work (file://)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
