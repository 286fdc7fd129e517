#!/usr/bin/env bash
# `make test`: the site in headless Chromium. Tests output/site (what is committed) and a fixture site with real
# Graphviz diagrams in every slot; validates the HTML; screenshots land in artifacts/ (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
site="${1:-output/site}"
mkdir -p artifacts
options=$(python3 -c 'import json,sys; print(json.dumps([o["id"] for o in json.load(open(sys.argv[1]))["options"]]))' "$(dirname "$site")/model.json")

python3 scripts/browser_test.py "$site" "$options"

rm -rf artifacts/fixture-site
TRUSTFLOW_FIXTURE_SITE="$PWD/artifacts/fixture-site" swift test --skip-build --filter GuideFixtureSiteTests >/dev/null
python3 scripts/browser_test.py artifacts/fixture-site "$options" fixture-index

python3 scripts/validate_html.py "$site"/*.html
