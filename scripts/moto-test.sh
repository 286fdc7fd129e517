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

if ! python3 -c 'import moto, flask, flask_cors, boto3' >/dev/null 2>&1; then
  echo "moto-test: installing moto[server] from PyPI"
  python3 -m pip install -q 'moto[server]'
fi

port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
endpoint="http://127.0.0.1:$port"
log="$(mktemp)"
python3 -m moto.server -H 127.0.0.1 -p "$port" >"$log" 2>&1 &
moto_pid=$!
cleanup() {
  kill "$moto_pid" 2>/dev/null || true
  wait "$moto_pid" 2>/dev/null || true
  rm -f "$log"
}
trap cleanup EXIT

ready=""
for _ in $(seq 1 100); do
  if python3 -c "import urllib.request, sys; sys.exit(0 if urllib.request.urlopen('$endpoint/moto-api/data.json', timeout=1).status == 200 else 1)" 2>/dev/null; then
    ready=1
    break
  fi
  if ! kill -0 "$moto_pid" 2>/dev/null; then break; fi
  sleep 0.2
done
if [ -z "$ready" ]; then
  echo "moto-test: moto did not start on $endpoint:" >&2
  cat "$log" >&2
  exit 1
fi
echo "moto-test: moto $(python3 -c 'import moto; print(moto.__version__)') on $endpoint (pid $moto_pid)"

# Which options to run, and as which function: from the model the snippets were generated from.
plan="$(python3 - "$output/model.json" <<'PY'
import json, sys
model = json.load(open(sys.argv[1]))
tables = {t["key"]: t for t in model["tables"]}
functions = {f["key"]: f for f in model["functions"]}
accounts = {a["key"]: a["id"] for a in model["accounts"]}
for option in model["options"]:
    steps = option["steps"]
    first = steps[0] if steps else None
    if not first or first["caller"] not in functions:
        print(f"skip {option['id']} -")
        continue
    function = functions[first["caller"]]
    if first["action"].lower() == "sts:assumerole":
        print(f"run {option['id']} {first['caller']}")
    elif first["target"] in tables and accounts[tables[first["target"]]["account"]] != accounts[function["account"]]:
        print(f"shape {option['id']} {first['caller']}")
    else:
        print(f"run {option['id']} {first['caller']}")
PY
)"

"$swift" build --package-path "$package" >/dev/null
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
    AWS_ENDPOINT_URL="$endpoint" "$swift" run --skip-build --package-path "$package" "$option" 2>&1)"
  status=$?
  set -e
  if [ "$mode" = "run" ]; then
    if [ "$status" -eq 0 ] && grep -q "AssumeRole: acting as arn:aws:sts::" <<<"$result"; then
      echo "moto-test: ✓ $option"
    elif [ "$status" -eq 0 ] && ! grep -q "AssumeRole" <<<"$result"; then
      echo "moto-test: ✓ $option"
    else
      echo "moto-test: ✗ $option (exit $status)"; failed=1
    fi
  else
    if [ "$status" -ne 0 ] && grep -q "ResourceNotFoundException" <<<"$result"; then
      echo "moto-test: ✓ $option (request shape only: signed and authorized; moto cannot reach another account's table by ARN)"
    else
      echo "moto-test: ✗ $option (expected ResourceNotFoundException from moto, exit $status)"; failed=1
    fi
  fi
  sed 's/^/    /' <<<"$result"

  # The Python twin of the same option, with boto3, under the same credentials and the same expectations.
  twin="$(awk -F '\t' -v id="$option" 'NR > 1 && $1 == id { print $2 }' "$package/python/options.tsv")"
  if [ -n "$twin" ]; then
    set +e
    result="$(env $credentials AWS_REGION="$(python3 -c "import json; print(json.load(open('$output/model.json'))['region'])")" \
      AWS_ENDPOINT_URL="$endpoint" PYTHONPATH="$(pwd)/scripts/moto_shim" python3 "$package/python/$twin" 2>&1)"
    status=$?
    set -e
    if [ "$mode" = "run" ] && [ "$status" -eq 0 ]; then
      echo "moto-test: ✓ $option (Python twin $twin)"
    elif [ "$mode" = "shape" ] && [ "$status" -ne 0 ] && grep -q "ResourceNotFoundException" <<<"$result"; then
      echo "moto-test: ✓ $option (Python twin $twin, request shape only)"
    else
      echo "moto-test: ✗ $option (Python twin $twin, exit $status)"; failed=1
    fi
    sed 's/^/    /' <<<"$result" | tail -8
  fi
done <<<"$plan"
exit "$failed"
