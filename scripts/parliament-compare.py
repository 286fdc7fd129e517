#!/usr/bin/env python3
"""Runs parliament (an IAM linter built on the same Service Authorization Reference data) on every policy of the
findings corpus (Tests/PolicyTests/Corpus/findings.json) and records what it reports next to what Trustflow must
report, in Tests/PolicyTests/Parliament/findings.json. ParliamentTests then checks that wherever parliament reports a
real problem, Trustflow's expected findings include the matching code; the README lists the differences.

    python3 -m pip install parliament==1.6.4
    python3 scripts/parliament-compare.py
"""
import json
import os

from parliament import analyze_policy_string

here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "PolicyTests")
# parliament's issue → the Trustflow codes that report the same problem (any one of them).
REAL = {
    "UNKNOWN_ACTION": ["TF-ERR-001", "TF-WRN-003"],
    "UNKNOWN_PREFIX": ["TF-ERR-001"],
    "RESOURCE_MISMATCH": ["TF-WRN-001", "TF-ERR-005"],
    "UNKNOWN_CONDITION_FOR_ACTION": ["TF-WRN-002"],
    "NO_VERSION": ["TF-SUG-001", "TF-WRN-004"],
    "OLD_VERSION": ["TF-WRN-004"],
}
# Where parliament's real-problem report and Trustflow's differ on purpose (the README's table says why).
ACCEPTED = {
    "a wildcard action: only when none of its actions apply":
        "parliament expands dynamodb:Get* and flags the Get actions that act on streams or the account; Trustflow "
        "reports a wildcard only when none of the actions it matches can apply to the statement's resources",
}
cases = json.load(open(os.path.join(here, "Corpus", "findings.json"), encoding="utf-8"))["cases"]
records = []
for case in cases:
    text = case.get("policyText") or json.dumps(case["policy"])
    kind = case.get("kind", "identity")
    try:
        policy = analyze_policy_string(text, include_community_auditors=False, ignore_private_auditors=True,
                                       private_auditors_custom_path=None)
        issues = sorted({finding.issue for finding in policy.findings})
    except Exception as error:  # parliament fails on some shapes (a trust policy without Resource)
        issues = [f"EXCEPTION: {type(error).__name__}"]
    record = {"name": case["name"], "kind": kind, "parliament": issues, "trustflow": case["findings"]}
    if case["name"] in ACCEPTED:
        record["accepted"] = ACCEPTED[case["name"]]
    records.append(record)
out = os.path.join(here, "Parliament", "findings.json")
with open(out, "w", encoding="utf-8") as handle:
    json.dump({"mapping": REAL, "cases": records}, handle, indent=2)
    handle.write("\n")
both = differ = 0
for record in records:
    real = [i for i in record["parliament"] if i in REAL]
    missing = [i for i in real if not set(REAL[i]) & set(record["trustflow"])]
    extra_tf = [c for c in record["trustflow"] if not any(c in REAL.get(i, []) for i in record["parliament"])]
    if missing or extra_tf or [i for i in record["parliament"] if i not in REAL]:
        differ += 1
        print(f"- {record['name']}: parliament {record['parliament'] or '[]'}, trustflow {record['trustflow'] or '[]'}")
    else:
        both += 1
print(f"{len(records)} policies: {both} reported alike, {differ} differ (listed above)")
