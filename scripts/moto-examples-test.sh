#!/usr/bin/env bash
# Runs the snippets of every example option that calls S3, KMS, SQS, SNS, Secrets Manager or Lambda against
# moto on loopback, Swift and Python twin alike: the outside check of the new services' signing and wire formats.
# moto enforces identity policies only, and finds a resource in the caller's own account, so each option runs in one of
# three modes (scripts/moto-lib.sh judges them; the README's moto limits table lists the outcomes that differ):
#   run         the calls stay in moto's reach (same account, or S3, whose buckets moto shares across accounts): exit 0
#   shape       the first call names another account's secret, function, key, queue or topic by ARN: moto looks it up
#               in the caller's account, so a signed, authorized request answered ResourceNotFoundException is the pass
#   unenforced  the option expects a refusal by a bucket, key, queue or function policy, which moto does not enforce:
#               the snippet must report that the call was allowed
#   lambda-arn  the first call invokes a function by ARN, which moto's signature check refuses (SignatureDoesNotMatch
#               for an ARN in the path, from boto3 as well): the call is covered by the simulator and the unit tests
# Each option gets a fresh moto (reset, then seeded by scripts/moto_seed.py with the caller's credentials). Started by
# `make test`; never calls the internet; stops the moto process it started.
#
#   scripts/moto-examples-test.sh [trustflow-binary]
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-.build/debug/trustflow}"
swift="${SWIFT:-swift}"
# The build folder make test builds the snippets in (and scripts/examples-test.sh): Trustflow compiles once.
scratch="${SNIPPETS_SCRATCH:-$(pwd)/.build/snippets}"
source scripts/moto-lib.sh
work="$(mktemp -d "${TMPDIR:-/tmp}/trustflow-moto-examples.XXXXXX")"

moto_install moto-examples
trap 'moto_stop; rm -rf "$work"' EXIT
moto_start moto-examples
endpoint="$moto_endpoint"

# One line per option with a snippet: "<mode> <option> <caller>", from the model the snippets were generated from.
plan() {
  python3 - "$1" <<'PY'
import csv, json, sys
output = sys.argv[1]
model = json.load(open(f"{output}/model.json"))
accounts = {a["key"]: a["id"] for a in model["accounts"]}
functions = {f["key"]: f for f in model["functions"]}
users = {u["key"]: u for u in model.get("users", [])}
resources = {r["key"]: r for r in model.get("resources", [])}
with open(f"{output}/snippets/python/options.tsv") as index:
    snippets = {row["option"] for row in csv.DictReader(index, delimiter="\t")}
for option in model["options"]:
    code = [s for s in option["steps"] if s["caller"] in functions or s["caller"] in users]
    # Only the options on the new services: moto-test.sh and examples-test.sh cover STS and DynamoDB.
    if option["id"] not in snippets or all(s["action"].split(":")[0].lower() in ("sts", "dynamodb") for s in code):
        continue
    first = code[0]
    caller = functions.get(first["caller"]) or users[first["caller"]]
    target = resources.get(first["target"]) or functions.get(first["target"])
    service = first["action"].split(":")[0].lower()
    across = target is not None and accounts[target["account"]] != accounts[caller["account"]]
    if service == "lambda":
        mode = "lambda-arn"
    elif across and service != "s3":
        mode = "shape"
    elif any(s.get("expect", "allowed") != "allowed" for s in code):
        mode = "unenforced"
    else:
        mode = "run"
    print(mode, option["id"], first["caller"])
PY
}

failed=0
for dir in examples/*/; do
  name="$(basename "$dir")"
  output="$work/$name"
  "$bin" build --content "$dir" --output "$output" >/dev/null
  package="$output/snippets"
  [ -f "$package/Package.swift" ] || continue
  options="$(plan "$output")"
  [ -n "$options" ] || continue
  echo "== examples/$name"
  "$swift" build --package-path "$package" --scratch-path "$scratch" >/dev/null
  region="$(python3 -c "import json; print(json.load(open('$output/model.json'))['region'])")"
  while read -r mode option caller; do
    # A fresh moto for each option: authentication off, every account emptied, then seeded for this caller.
    python3 -c "import sys; sys.path.insert(0, 'scripts'); from moto_common import moto_api; moto_api('$endpoint', 'reset-auth', b'inf'); moto_api('$endpoint', 'reset', b'')"
    credentials="$(PYTHONPATH=scripts python3 scripts/moto_seed.py "$endpoint" "$output" "$caller")"
    set +e
    result="$(env -u AWS_SESSION_TOKEN $credentials AWS_REGION="$region" AWS_ENDPOINT_URL="$endpoint" \
      "$swift" run --skip-build --package-path "$package" --scratch-path "$scratch" "$option" 2>&1)"
    status=$?
    set -e
    moto_judge moto-examples "$mode" "$option" "$status" "$result" || failed=1

    twin="$(awk -F '\t' -v id="$option" 'NR > 1 && $1 == id { print $2 }' "$package/python/options.tsv")"
    set +e
    result="$(env -u AWS_SESSION_TOKEN $credentials AWS_REGION="$region" AWS_ENDPOINT_URL="$endpoint" \
      PYTHONPATH="$(pwd)/scripts/moto_shim" python3 "$package/python/$twin" 2>&1)"
    status=$?
    set -e
    moto_judge "moto-examples (Python twin $twin)" "$mode" "$option" "$status" "$result" || failed=1
  done <<<"$options"
done
exit "$failed"
