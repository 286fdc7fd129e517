#!/usr/bin/env bash
# Runs the snippets of output/snippets against moto, a local AWS emulator, on loopback: the outside check of SigV4
# signing, the STS/DynamoDB wire formats and credential handling (the simulator in `swift test` checks authorization).
# Started by `make test`; never calls the internet. What moto checks and what it does not: see MOTO.md in the design notes.
#
#   scripts/moto-test.sh [OUTPUT_DIR]      (default: output; needs a built output/snippets package)
#
# Options whose snippet starts with sts:AssumeRole run for real and must exit 0, printing the assumed-role session.
# Options calling another account's table by ARN with the function's own credentials (the table-policy option) are
# checked for request shape only: moto looks up tables in the caller's account, so the signed, authorized request must
# get ResourceNotFoundException (not a signature, token or access error).
set -euo pipefail
cd "$(dirname "$0")/.."
output="${1:-output}"
package="$output/snippets"
swift="${SWIFT:-swift}"
# The build folder make test builds the snippets in, so they are not compiled a second time.
scratch="${SNIPPETS_SCRATCH:-.build/snippets}"
source scripts/moto-lib.sh

moto_install moto-test
trap moto_stop EXIT
moto_start moto-test
endpoint="$moto_endpoint"

# Which options to run, and as which function: from the model the snippets were generated from.
plan="$(moto_plan "$output")"

"$swift" build --package-path "$package" --scratch-path "$scratch" >/dev/null
failed=0
seeded=""
while read -r mode option function; do
  if [ "$mode" = "skip" ]; then
    echo "moto-test: $option skipped (its first call is not made by a function)"
    continue
  fi
  if [ -z "$seeded" ]; then
    credentials="$(python3 scripts/moto_seed.py "$endpoint" "$output" "$function")"
    seeded=1
  fi
  set +e
  result="$(env $credentials AWS_REGION="$(python3 -c "import json; print(json.load(open('$output/model.json'))['region'])")" \
    AWS_ENDPOINT_URL="$endpoint" "$swift" run --skip-build --package-path "$package" --scratch-path "$scratch" "$option" 2>&1)"
  status=$?
  set -e
  moto_judge moto-test "$mode" "$option" "$status" "$result" || failed=1

  # The Python twin of the same option, with boto3, under the same credentials and the same expectations.
  twin="$(awk -F '\t' -v id="$option" 'NR > 1 && $1 == id { print $2 }' "$package/python/options.tsv")"
  if [ -n "$twin" ]; then
    set +e
    result="$(env $credentials AWS_REGION="$(python3 -c "import json; print(json.load(open('$output/model.json'))['region'])")" \
      AWS_ENDPOINT_URL="$endpoint" PYTHONPATH="$(pwd)/scripts/moto_shim" python3 "$package/python/$twin" 2>&1)"
    status=$?
    set -e
    moto_judge "moto-test (Python twin $twin)" "$mode" "$option" "$status" "$result" || failed=1
  fi
done <<<"$plan"
exit "$failed"
