#!/usr/bin/env bash
# Lints every CloudFormation template Trustflow wrote under the given output folders with cfn-lint (PyPI), which
# checks them against AWS's resource specifications and IAM policy grammar. Fails on any error; warnings and
# informational findings are printed, not fatal. Installs cfn-lint when it is missing.
#   scripts/cfn-lint.sh OUTPUT_DIR...
set -euo pipefail
[ "$#" -gt 0 ] || { echo "usage: scripts/cfn-lint.sh OUTPUT_DIR..." >&2; exit 2; }
if ! python3 -c 'import cfnlint' >/dev/null 2>&1; then
  echo "cfn-lint: installing cfn-lint from PyPI"
  python3 -m pip install -q cfn-lint
fi
templates=()
while IFS= read -r file; do templates+=("$file"); done < <(
  for dir in "$@"; do
    [ -d "$dir/cloudformation" ] && find "$dir/cloudformation" -name '*.json' ! -name deploy-order.json
  done | sort)
if [ "${#templates[@]}" -eq 0 ]; then
  echo "cfn-lint: no templates under $*" >&2
  exit 1
fi
# The installed console script, or the same entry point through python3 when pip put it off the PATH.
lint() {
  if command -v cfn-lint >/dev/null 2>&1; then cfn-lint "$@"; else python3 -c 'import sys; from cfnlint.runner import main; sys.exit(main())' "$@"; fi
}
set +e
lint -- "${templates[@]}"
status=$?
set -e
# cfn-lint's exit status is a bit mask: 1 a failure of its own, 2 errors, 4 warnings, 8 informational findings.
if (( status & 3 )); then
  echo "cfn-lint: errors in the templates above (exit $status)" >&2
  exit 1
fi
echo "cfn-lint $(lint --version 2>&1 | awk '{print $2}'): ${#templates[@]} templates, no errors$( (( status & 4 )) && echo ' (warnings above)')"
