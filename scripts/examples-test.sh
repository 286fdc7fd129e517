#!/usr/bin/env bash
# Every model in examples/ as a user in another repository would use it: `check` agrees with every expectation,
# `build` writes into a folder outside this checkout (twice, in two processes, byte for byte the same), its
# CloudFormation templates pass cfn-lint with no errors, and the generated snippet package builds there and passes
# its tests against the simulator. The snippet packages share one
# build folder, so Trustflow and swift-crypto compile once for all of them.
#   scripts/examples-test.sh [trustflow-binary]
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-.build/debug/trustflow}"
root="$(pwd)"
# The same build folder as make test uses for output/snippets: Trustflow and swift-crypto compile once.
scratch="$root/.build/snippets"
work="$(mktemp -d "${TMPDIR:-/tmp}/trustflow-examples.XXXXXX")"
trap 'rm -rf "$work"' EXIT

passed=0
failed=0
for dir in examples/*/; do
  name="$(basename "$dir")"
  [ -f "$dir/model.yml" ] || continue
  echo "== examples/$name"
  if ! "$bin" check --content "$dir" > "$work/$name-check.txt"; then
    cat "$work/$name-check.txt"
    echo "FAIL examples/$name: check"
    failed=$((failed + 1))
    continue
  fi
  tail -1 "$work/$name-check.txt"
  if ! "$bin" build --content "$dir" --output "$work/$name/a" > "$work/$name-build-a.txt" 2>&1 \
    || ! "$bin" build --content "$dir" --output "$work/$name/b" > "$work/$name-build-b.txt" 2>&1; then
    cat "$work/$name-build-a.txt" "$work/$name-build-b.txt" 2>/dev/null | tail -20
    echo "FAIL examples/$name: build"
    failed=$((failed + 1))
    continue
  fi
  if ! diff -r "$work/$name/a" "$work/$name/b" > "$work/$name-diff.txt"; then
    head -20 "$work/$name-diff.txt"
    echo "FAIL examples/$name: two builds differ"
    failed=$((failed + 1))
    continue
  fi
  if ! bash scripts/cfn-lint.sh "$work/$name/a" > "$work/$name-cfn-lint.txt" 2>&1; then
    cat "$work/$name-cfn-lint.txt"
    echo "FAIL examples/$name: cfn-lint"
    failed=$((failed + 1))
    continue
  fi
  tail -1 "$work/$name-cfn-lint.txt"
  package="$work/$name/a/snippets"
  if [ ! -f "$package/Package.swift" ]; then
    # No option of this model has calls the AWS client can make: no snippets (the guide says so per option).
    echo "examples/$name: no snippets (no option's calls are code the AWS client can make)"
    passed=$((passed + 1))
    continue
  fi
  if ! python3 -m pyflakes "$package/python" > "$work/$name-pyflakes.txt" 2>&1; then
    cat "$work/$name-pyflakes.txt"
    echo "FAIL examples/$name: pyflakes on the Python twins"
    failed=$((failed + 1))
    continue
  fi
  if swift build --build-tests --package-path "$package" --scratch-path "$scratch" > "$work/$name-build.txt" 2>&1 \
    && swift test --skip-build --package-path "$package" --scratch-path "$scratch" > "$work/$name-test.txt" 2>&1; then
    grep -E "Test run with" "$work/$name-test.txt" | tail -1 || true
    passed=$((passed + 1))
  else
    tail -40 "$work/$name-build.txt" "$work/$name-test.txt" 2>/dev/null || true
    echo "FAIL examples/$name: snippets"
    failed=$((failed + 1))
  fi
done
echo "examples: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
