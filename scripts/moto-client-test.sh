#!/usr/bin/env bash
# The AWSClient operations (S3, KMS, SQS, SNS, Secrets Manager, Lambda) against moto on loopback, with moto's
# authentication on, so every request's SigV4 signature is checked by a real endpoint: Tests/AWSClientTests/
# MotoClientTests.swift, which runs only when TRUSTFLOW_MOTO_ENDPOINT is set. Started by `make test` (after
# `swift build --build-tests`); never calls the internet; stops the moto process it started.
#
#   scripts/moto-client-test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
swift="${SWIFT:-swift}"
source scripts/moto-lib.sh

moto_install moto-client
trap moto_stop EXIT
moto_start moto-client

environment="$(PYTHONPATH=scripts python3 scripts/moto_client_seed.py "$moto_endpoint")"
set +e
result="$(env $environment "$swift" test --skip-build --filter 'AWSClientTests.MotoClientTests' 2>&1)"
status=$?
set -e
grep -E '^(✔|✘|➜|􀟈|􁁛|􀢄).*(Test |Suite )' <<<"$result" | grep -v 'started\.$' | sed 's/^/    /' || true
# The suite must have run (not been skipped for a missing environment) and passed.
if [ "$status" -ne 0 ] || ! grep -q 'Suite MotoClientTests passed' <<<"$result" || grep -q 'skipped' <<<"$result"; then
  echo "moto-client: ✗ the AWSClient operations against moto (exit $status)"
  sed 's/^/    /' <<<"$result" | tail -60
  exit 1
fi
echo "moto-client: ✓ the AWSClient operations against moto"
