# Shared by the moto scripts (sourced, not run): install moto if missing, start it on a free loopback port, stop it,
# the plan of which options to run against it, and the verdict on one snippet run. What moto checks and what it does
# not: MOTO.md in the design notes.

# Installs moto[server] and boto3 from PyPI when they are missing.
moto_install() {
  if ! python3 -c 'import moto, flask, flask_cors, boto3' >/dev/null 2>&1; then
    echo "$1: installing moto[server] from PyPI"
    python3 -m pip install -q 'moto[server]'
  fi
}

# Starts moto on a free loopback port and waits until it answers; sets moto_endpoint, moto_pid and moto_log.
# The caller stops it with moto_stop (put it in an EXIT trap). moto_start PREFIX: PREFIX starts its messages.
moto_start() {
  local prefix="$1" port
  port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
  moto_endpoint="http://127.0.0.1:$port"
  moto_log="$(mktemp)"
  python3 -m moto.server -H 127.0.0.1 -p "$port" >"$moto_log" 2>&1 &
  moto_pid=$!
  local ready=""
  for _ in $(seq 1 100); do
    if python3 -c "import urllib.request, sys; sys.exit(0 if urllib.request.urlopen('$moto_endpoint/moto-api/data.json', timeout=1).status == 200 else 1)" 2>/dev/null; then
      ready=1
      break
    fi
    if ! kill -0 "$moto_pid" 2>/dev/null; then break; fi
    sleep 0.2
  done
  if [ -z "$ready" ]; then
    echo "$prefix: moto did not start on $moto_endpoint:" >&2
    cat "$moto_log" >&2
    return 1
  fi
  echo "$prefix: moto $(python3 -c 'import moto; print(moto.__version__)') on $moto_endpoint (pid $moto_pid)"
}

# Stops the moto process moto_start started (by its pid) and removes its log.
moto_stop() {
  if [ -n "${moto_pid:-}" ]; then
    kill "$moto_pid" 2>/dev/null || true
    wait "$moto_pid" 2>/dev/null || true
  fi
  rm -f "${moto_log:-}"
}

# Prints one line per option of OUTPUT/model.json: "<mode> <option> <function>". Mode "run": its snippet starts with
# sts:AssumeRole or stays in the function's account, and must succeed; "shape": its first call reaches another
# account's table by ARN with the function's own credentials, which moto cannot serve (ResourceNotFoundException
# after a signed, authorized request is the pass); "skip": its first call is not made by a function.
moto_plan() {
  python3 - "$1/model.json" <<'PY'
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
}

# The verdict on one snippet run: moto_judge PREFIX MODE OPTION STATUS OUTPUT; prints ✓/✗ and the output, and
# returns 1 when the run is not what MODE expects.
moto_judge() {
  local prefix="$1" mode="$2" option="$3" status="$4" result="$5" verdict=0
  if [ "$mode" = "run" ]; then
    if [ "$status" -eq 0 ] && grep -q "AssumeRole: acting as arn:aws:sts::" <<<"$result"; then
      echo "$prefix: ✓ $option"
    elif [ "$status" -eq 0 ] && ! grep -q "AssumeRole" <<<"$result"; then
      echo "$prefix: ✓ $option"
    else
      echo "$prefix: ✗ $option (exit $status)"; verdict=1
    fi
  elif [ "$mode" = "lambda-arn" ]; then
    if [ "$status" -ne 0 ] && grep -q "SignatureDoesNotMatch" <<<"$result"; then
      echo "$prefix: ✓ $option (moto refuses the signature of a Lambda ARN in the path, as it does boto3's; not a check of the call)"
    else
      echo "$prefix: ✗ $option (expected moto's SignatureDoesNotMatch for a Lambda ARN in the path, exit $status)"; verdict=1
    fi
  elif [ "$mode" = "unenforced" ]; then
    if [ "$status" -ne 0 ] && grep -qE "was allowed, but the policies are meant to refuse it|UnexpectedlyAllowed" <<<"$result"; then
      echo "$prefix: ✓ $option (differs from AWS, as expected: moto enforces no resource or key policy, so the call AWS refuses succeeds)"
    else
      echo "$prefix: ✗ $option (expected moto to allow the call AWS refuses, exit $status)"; verdict=1
    fi
  else
    if [ "$status" -ne 0 ] && grep -q "ResourceNotFoundException" <<<"$result"; then
      echo "$prefix: ✓ $option (request shape only: signed and authorized; moto cannot reach another account's resource by ARN)"
    else
      echo "$prefix: ✗ $option (expected ResourceNotFoundException from moto, exit $status)"; verdict=1
    fi
  fi
  sed 's/^/    /' <<<"$result"
  return "$verdict"
}
