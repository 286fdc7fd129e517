#!/usr/bin/env bash
# `make bench`: every figure the issues ask for, from one run, side by side with its peer.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.build/release
echo "== Trustflow benchmarks ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores) =="
"$bin/trustflow-bench" load content
"$bin/trustflow-bench" engine content Tests/PolicyTests/Corpus
# simulate end to end (a process, JSON in and out) and parsing at scale, which must be linear.
python3 scripts/simulate-bench.py "$bin/trustflow"
"$bin/trustflow-bench" parse content
# Hostile content (the alias bomb, a 10 MB policy, 100,000 steps, a 200,000-character title): time and peak memory.
python3 scripts/hostile-bench.py "$bin/trustflow"
# The corpus through Trustflow and through PMapper's local authorization, side by side.
python3 scripts/peer-compare.py "$bin/trustflow" Tests/PolicyTests/Corpus

# The guide: Trustflow's in-process site build against `mkdocs build` of the same guide.md (what most guide
# authors would otherwise run). Both write a complete static site; best of several runs each.
site_out=$("$bin/trustflow-bench" site content)
echo "$site_out" | grep -v '^site-ms'
trustflow_ms=$(echo "$site_out" | awk '/^site-ms/ {print $2}')
if python3 -c 'import mkdocs' >/dev/null 2>&1; then
  work=$(mktemp -d)
  mkdir -p "$work/docs"
  cp output/guide.md "$work/docs/index.md"
  [ -d output/diagrams ] && cp -r output/diagrams "$work/docs/diagrams"
  printf 'site_name: Trustflow guide\nuse_directory_urls: false\n' > "$work/mkdocs.yml"
  mkdocs_ms=$(cd "$work" && python3 - <<'PY'
import subprocess, sys, time
best = float("inf")
for _ in range(5):
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", "site"], check=True)
    best = min(best, (time.perf_counter() - start) * 1000)
print(f"{best:.1f}")
PY
)
  rm -rf "$work"
  python3 -c "import sys; t, m = float(sys.argv[1]), float(sys.argv[2]); print(f'site vs mkdocs: trustflow {t:.2f} ms, mkdocs build {m:.1f} ms (best of 5) -> {m / t:.0f}x faster (target >= 10x)')" "$trustflow_ms" "$mkdocs_ms"
else
  echo "site vs mkdocs: mkdocs is not installed (scripts/setup.sh bench installs it)"
fi
"$bin/trustflow-bench" simulator content
"$bin/trustflow-bench" diagrams content
"$bin/trustflow-bench" consistency 2000

# The mock over HTTP: GetItem on loopback with keep-alive (wrk), against moto's server with the same load; then the
# side-by-side of what each enforces (the README's table comes from this output).
if command -v wrk >/dev/null 2>&1 && python3 -c 'import boto3, moto' >/dev/null 2>&1; then
  python3 scripts/http_bench.py --trustflow "$bin/trustflow"
  python3 scripts/mock_compare.py --trustflow "$bin/trustflow"
else
  echo "http: wrk, boto3 or moto is missing (scripts/setup.sh bench installs them)"
fi
