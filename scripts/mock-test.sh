#!/usr/bin/env bash
# Real clients against `trustflow mock` on loopback: boto3 runs every step of every option of the content as the
# guide's Python does (allowed steps succeed; denied ones get AWS's code and check's exact message, as botocore parses
# them), the AWS CLI runs too, and the same runs against a copy of the content whose trust policy no longer names the
# caller; boto3's S3 client runs the SSE-KMS example (scripts/mock_s3.py). Then the side-by-side with moto (scripts/mock_compare.py). Started by `make test`; starts and stops every
# server it starts; never calls the internet.
#
#   scripts/mock-test.sh [TRUSTFLOW_BINARY] [OUTPUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
trustflow="${1:-.build/debug/trustflow}"
output="${2:-output}"
python3 -c 'import boto3, moto, flask, flask_cors' 2>/dev/null || python3 -m pip install -q boto3 'moto[server]'
command -v aws >/dev/null 2>&1 || python3 -m pip install -q awscli

work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# Starts `trustflow mock` for a content folder; sets mock_env to its environment file once it listens.
start_mock() {
  local content="$1" name="$2"
  mock_env="$work/$name.env"
  "$trustflow" mock --content "$content" --port 0 --env-file "$mock_env" >"$work/$name.out" 2>"$work/$name.err" &
  pids+=($!)
  local pid=$!
  for _ in $(seq 1 150); do
    [ -f "$mock_env" ] && return 0
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  echo "mock-test: trustflow mock did not start for $content:" >&2
  cat "$work/$name.err" >&2
  exit 1
}

failed=0
run_clients() {
  local content="$1" name="$2"
  set +e
  "$trustflow" check --content "$content" --format json >"$work/$name.check.json"
  set -e
  start_mock "$content" "$name"
  echo "mock-test: $content: trustflow mock at $(grep AWS_ENDPOINT_URL "$mock_env" | head -1 | cut -d= -f2)"
  if ! env -u AWS_PROFILE -u AWS_CONFIG_FILE AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null \
      python3 scripts/mock_clients.py "$work/$name.check.json" "$output/snippets/sample-data.json" "$mock_env"; then
    failed=1
  fi
}

run_clients content default

# The Python twins of the snippets (output/snippets/python), unchanged, against the same server: every option must
# run to its end (allowed calls succeed, the calls meant to be refused are refused, as the model says).
while IFS=$'\t' read -r option twin; do
  [ "$option" = "option" ] && continue
  set +e
  result="$(env -u AWS_PROFILE AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null \
    bash -c 'set -a; . "$1"; exec python3 "$2"' _ "$mock_env" "$output/snippets/python/$twin" 2>&1)"
  status=$?
  set -e
  if [ "$status" -eq 0 ]; then
    echo "mock-test: ✓ Python twin $twin ($option)"
  else
    echo "mock-test: ✗ Python twin $twin ($option), exit $status"; failed=1
  fi
  sed 's/^/    /' <<<"$result" | tail -8
done <"$output/snippets/python/options.tsv"
# The same with B's trust policy naming another account: the AssumeRole steps must now be refused with STS's words.
cp -r content "$work/broken"
sed -i 's|Principal: { AWS: "arn:aws:iam::111111111111:role/LambdaExecutionRole" }|Principal: { AWS: "arn:aws:iam::333333333333:root" }|' "$work/broken/model.yml"
grep -q 333333333333 "$work/broken/model.yml" || { echo "mock-test: could not break the trust policy" >&2; exit 1; }
run_clients "$work/broken" broken

# S3 with SSE-KMS (examples/lambda-to-s3-kms): boto3's get and put are allowed through the bucket and key policies,
# and the read of the archive, whose key policy leaves the role out, is refused with S3's AccessDenied and KMS's words.
"$trustflow" check --content examples/lambda-to-s3-kms --format json >"$work/s3.check.json" || true
start_mock examples/lambda-to-s3-kms s3
if ! env -u AWS_PROFILE AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null \
    python3 scripts/mock_s3.py "$work/s3.check.json" "$mock_env"; then
  failed=1
fi

# Side by side with moto: the same boto3 script against both servers.
if ! python3 scripts/mock_compare.py --trustflow "$trustflow" --table "$work/compare.md"; then failed=1; fi
exit "$failed"
