#!/usr/bin/env bash
# The whole path from the guide to working code, on loopback: for each option of the content, deploy its
# CloudFormation templates into moto in the order output/cloudformation/<option>/deploy-order.json states (one
# account at a time), then run the option's snippet against what was deployed. Started by `make test`; never calls
# the internet; stops the moto process it started.
#
#   scripts/moto-cloudformation-test.sh [OUTPUT_DIR]   (default: output; needs a built OUTPUT/snippets package)
#
# scripts/moto_deploy.py does the deploying and says what moto's CloudFormation creates and what this test adds for
# moto's limits (a user standing in for Lambda, DynamoDB statements on Resource "*"); before each stack it checks
# AWS's "Invalid principal in policy" rule itself, since moto does not. The verdict on each snippet run is the same as
# scripts/moto-test.sh's: options that start with sts:AssumeRole must succeed; an option reaching another account's
# table by ARN with the function's own credentials is checked for its request shape (ResourceNotFoundException).
# Then the new kinds: the templates of examples/lambda-to-s3-kms (KMS keys, SSE-KMS buckets and their policies) are
# built with $TRUSTFLOW (default .build/debug/trustflow) and deployed in order, each option into fresh accounts, and
# checked (the key policy moto holds, the bucket naming the deployed key); no snippet runs for them.
set -euo pipefail
cd "$(dirname "$0")/.."
output="${1:-output}"
trustflow="${TRUSTFLOW:-.build/debug/trustflow}"
package="$output/snippets"
swift="${SWIFT:-swift}"
scratch="${SNIPPETS_SCRATCH:-.build/snippets}"
source scripts/moto-lib.sh

moto_install moto-cloudformation
trap moto_stop EXIT
moto_start moto-cloudformation

region="$(python3 -c "import json, sys; print(json.load(open(sys.argv[1]))['region'])" "$output/model.json")"
plan="$(moto_plan "$output")"
"$swift" build --package-path "$package" --scratch-path "$scratch" >/dev/null
failed=0
while read -r mode option function; do
  if [ "$mode" = "skip" ]; then
    echo "moto-cloudformation: $option skipped (its first call is not made by a function)"
    continue
  fi
  # Every option gets fresh accounts: moto_deploy.py resets moto, deploys, prints the function's session.
  if ! credentials="$(python3 scripts/moto_deploy.py "$moto_endpoint" "$output" "$option" "$function" 2> >(sed 's/^/    /' >&2))"; then
    echo "moto-cloudformation: ✗ $option (the templates did not deploy)"
    failed=1
    continue
  fi
  set +e
  result="$(env $credentials AWS_REGION="$region" AWS_ENDPOINT_URL="$moto_endpoint" \
    "$swift" run --skip-build --package-path "$package" --scratch-path "$scratch" "$option" 2>&1)"
  status=$?
  set -e
  moto_judge moto-cloudformation "$mode" "$option" "$status" "$result" || failed=1
done <<<"$plan"

kinds="$(mktemp -d "${TMPDIR:-/tmp}/trustflow-moto-kinds.XXXXXX")"
trap 'moto_stop; rm -rf "$kinds"' EXIT
"$trustflow" build --content examples/lambda-to-s3-kms --output "$kinds" >/dev/null
for option in $(python3 -c "import json, sys; print(' '.join(o['id'] for o in json.load(open(sys.argv[1]))['options']))" "$kinds/model.json"); do
  if python3 scripts/moto_deploy.py "$moto_endpoint" "$kinds" "$option" - 2> >(sed 's/^/    /' >&2); then
    echo "moto-cloudformation: ✓ lambda-to-s3-kms $option (deployed in order and checked; what moto skips is named above)"
  else
    echo "moto-cloudformation: ✗ lambda-to-s3-kms $option (the templates did not deploy)"
    failed=1
  fi
done
exit "$failed"
