#!/usr/bin/env bash
# `make test`: the site in headless Chromium. Tests output/site (what is committed, with its real diagrams),
# proves the harness can fail on a broken copy of it, validates the HTML; screenshots land in artifacts/ (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
site="${1:-output/site}"
mkdir -p artifacts
options=$(python3 -c 'import json,sys; print(json.dumps([o["id"] for o in json.load(open(sys.argv[1]))["options"]]))' "$(dirname "$site")/model.json")

python3 scripts/browser_test.py "$site" "$options"

# The harness must be able to fail: a site with a missing diagram, a dead link and a foreign script is rejected.
rm -rf artifacts/broken-site && cp -r "$site" artifacts/broken-site
rm artifacts/broken-site/diagrams/overview.svg
sed -i 's|href="summary.html"|href="missing.html"|; s|</main>|<script>console.error("boom")</script></main>|' artifacts/broken-site/index.html
if python3 scripts/browser_test.py artifacts/broken-site "$options" broken-index 2>artifacts/broken-site.log; then
  echo "browser test: the harness accepted a broken site" >&2
  exit 1
fi
for expected in "diagrams/overview.svg is not visible" "link missing.html leads nowhere" "log error"; do
  grep -q "$expected" artifacts/broken-site.log || { echo "browser test: harness missed: $expected" >&2; cat artifacts/broken-site.log >&2; exit 1; }
done
echo "browser test: a broken site is rejected (missing diagram, dead link, blocked inline script)"

python3 scripts/validate_html.py "$site"/*.html
