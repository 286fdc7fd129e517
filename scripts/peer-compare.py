#!/usr/bin/env python3
"""Runs the evaluation corpus through Trustflow (`trustflow simulate`, one process per case, as a user would) and
through PMapper's local authorization (principalmapper, the open-source engine people use for the same question),
and prints how many of the corpus's documented decisions each one reproduces.

    python3 scripts/peer-compare.py .build/release/trustflow [Tests/PolicyTests/Corpus]

PMapper decides allowed / not allowed for an IAM user or role (a role session is asked as its role); it has no
notion of root, federated-user or service callers, KMS key policies, or input validation, so those cases count as
disagreements for it ("cannot express"), listed by group.
"""
import collections
import collections.abc
import copy
import glob
import json
import os
import subprocess
import sys
import tempfile

# principalmapper 1.1.5 imports collections.Mapping, which Python 3.10 moved to collections.abc.
for name in ("Mapping", "MutableMapping", "Sequence", "Iterable"):
    if not hasattr(collections, name):
        setattr(collections, name, getattr(collections.abc, name))

try:
    from principalmapper.common import Node, Policy
    from principalmapper.querying.query_interface import local_check_authorization_full
    import logging
    logging.disable(logging.CRITICAL)
except Exception as error:  # principalmapper missing: Trustflow's figure alone
    Node = None
    pmapper_error = error

binary = sys.argv[1] if len(sys.argv) > 1 else ".build/release/trustflow"
corpus = sys.argv[2] if len(sys.argv) > 2 else "Tests/PolicyTests/Corpus"


def load_cases():
    for path in sorted(glob.glob(os.path.join(corpus, "*.json"))):
        for case in json.load(open(path, encoding="utf-8"))["cases"]:
            if "input" in case:
                yield os.path.basename(path), case


def as_doc(policy):
    return json.loads(policy) if isinstance(policy, str) else policy


def trustflow(case):
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(case["input"], handle)
        path = handle.name
    try:
        run = subprocess.run([binary, "simulate", "--input", path], capture_output=True, text=True)
    finally:
        os.unlink(path)
    if "errors" in case:
        return [] if run.returncode == 2 else None
    if run.returncode != 0:
        return None
    return [r["EvalDecision"] for r in json.loads(run.stdout)["EvaluationResults"]]


def pmapper(case):
    """PMapper's decisions as allowed/denied, or None when it cannot express the case."""
    request = case["input"]
    if "errors" in case:
        return None
    caller = request.get("CallerArn", "arn:aws:iam::123456789012:user/SimulatedUser")
    parts = caller.split(":")
    if len(parts) < 6:
        return None
    account, resource = parts[4], parts[5]
    if parts[2] == "sts" and resource.startswith("assumed-role/"):
        node_arn = f"arn:aws:iam::{account}:role/{resource.split('/')[1]}"
    elif parts[2] == "iam" and (resource.startswith("user/") or resource.startswith("role/")):
        node_arn = caller
    else:
        return None
    policies = [Policy(f"arn:aws:iam::{account}:policy/p{i}", f"p{i}", as_doc(p)) for i, p in enumerate(request.get("PolicyInputList", []))]
    boundary = None
    if request.get("PermissionsBoundaryPolicyInputList"):
        boundary = Policy(f"arn:aws:iam::{account}:policy/boundary", "boundary", as_doc(request["PermissionsBoundaryPolicyInputList"][0]))
    trust = {"Version": "2012-10-17", "Statement": []} if ":role/" in node_arn else None
    node = Node(node_arn, "AIDAEXAMPLE", policies, [], trust, None, 0, False, False, boundary, False, {})
    scps = [[Policy(f"arn:aws:organizations::{account}:policy/scp{i}", f"scp{i}", as_doc(p)) for i, p in enumerate(request.get("ServiceControlPolicyInputList", []))]] if request.get("ServiceControlPolicyInputList") else None
    sessions = request.get("SessionPolicyInputList", [])
    session = as_doc(sessions[0]) if sessions else None
    context = {}
    for entry in request.get("ContextEntries", []):
        values = entry.get("ContextKeyValues", [])
        context[entry["ContextKeyName"]] = values if entry.get("ContextKeyType", "string").endswith("List") else (values[0] if values else "")
    resource_policy = as_doc(request["ResourcePolicy"]) if "ResourcePolicy" in request else None
    decisions = []
    for action in request.get("ActionNames", []):
        for target in request.get("ResourceArns", ["*"]):
            owner = request.get("ResourceOwner", "").split(":")[4] if ":" in request.get("ResourceOwner", "") else request.get("ResourceOwner")
            if owner is None and resource_policy is not None:
                target_parts = target.split(":")
                owner = target_parts[4] if len(target_parts) > 4 and target_parts[4] else account
            try:
                allowed = local_check_authorization_full(node, action, target, copy.deepcopy(context), resource_policy, owner, scps, session)
            except Exception:
                return None
            decisions.append("allowed" if allowed else "denied")
    return decisions


def two_way(decisions):
    return ["allowed" if d == "allowed" else "denied" for d in decisions]


def main():
    totals = collections.Counter()
    misses = {"trustflow": collections.Counter(), "pmapper": collections.Counter()}
    for file, case in load_cases():
        expected = [] if "errors" in case else case["expect"]
        totals["cases"] += 1
        totals["decisions"] += max(1, len(expected))
        ours = trustflow(case)
        if ours is not None and (ours == expected):
            totals["trustflow"] += max(1, len(expected))
        elif ours is not None and len(ours) == len(expected):
            agree = sum(a == b for a, b in zip(ours, expected))
            totals["trustflow"] += agree
            misses["trustflow"][file] += len(expected) - agree
        else:
            misses["trustflow"][file] += max(1, len(expected))
        if Node is None:
            continue
        theirs = pmapper(case)
        if theirs is None:
            misses["pmapper"][file + " (cannot express)"] += max(1, len(expected))
            continue
        agree = sum(a == b for a, b in zip(theirs, two_way(expected)))
        totals["pmapper"] += agree
        if agree < len(expected):
            misses["pmapper"][file] += len(expected) - agree
    n = totals["decisions"]
    print(f"corpus: {totals['cases']} simulate cases, {n} documented decisions (input errors count as one)")
    print(f"agreement: trustflow {totals['trustflow']}/{n} ({100 * totals['trustflow'] / n:.1f} %, three-way: allowed / implicitDeny / explicitDeny, errors located)")
    if Node is None:
        print(f"agreement: pmapper not installed ({pmapper_error}); scripts/setup.sh bench installs principalmapper")
        return
    print(f"agreement: pmapper   {totals['pmapper']}/{n} ({100 * totals['pmapper'] / n:.1f} %, two-way: allowed / denied)")
    inexpressible = sum(v for k, v in misses["pmapper"].items() if k.endswith("(cannot express)"))
    print(f"agreement: pmapper   {totals['pmapper']}/{n - inexpressible} ({100 * totals['pmapper'] / max(1, n - inexpressible):.1f} %) of the decisions it can be asked (not: root, federated and service callers, input errors)")
    for who in ("trustflow", "pmapper"):
        if misses[who]:
            print(f"  {who} differs on: " + ", ".join(f"{k} {v}" for k, v in sorted(misses[who].items())))


if __name__ == "__main__":
    main()
