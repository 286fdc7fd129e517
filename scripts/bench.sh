#!/usr/bin/env bash
# `make bench`: every figure the issues ask for, from one run, side by side with its peer.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.build/release
echo "== Trustflow benchmarks ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores) =="
"$bin/trustflow-bench" load content
"$bin/trustflow-bench" simulator content
