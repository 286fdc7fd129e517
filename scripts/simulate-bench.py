#!/usr/bin/env python3
"""`make bench`: `trustflow simulate` end to end on one request of 200 actions x 500 resources (100,000 decisions),
as a user runs it (a process, a file in, JSON out), with its wall time and peak memory; then the same with 4 times
the resources, to show memory stays flat in the number of results.

    python3 scripts/simulate-bench.py .build/release/trustflow
"""
import json, os, subprocess, sys, tempfile

binary = sys.argv[1] if len(sys.argv) > 1 else ".build/release/trustflow"
catalog = os.path.join(os.path.dirname(__file__), "..", "Sources", "Policy", "Catalog", "service-authorization.txt")

def actions(count):
    names, service = [], None
    for line in open(catalog, encoding="utf-8"):
        if line.startswith("@"):
            service = line[1:].split("\t")[0]
        elif line.startswith("a\t") and service in ("dynamodb", "s3", "sqs", "kms", "lambda"):
            names.append(f"{service}:{line.split(chr(9))[1]}")
    return names[:count]

def request(n_actions, n_resources):
    account = "111111111111"
    tables = [f"arn:aws:dynamodb:us-east-1:{account}:table/T{i}" for i in range(n_resources)]
    identity = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["dynamodb:Get*", "dynamodb:Query", "dynamodb:PutItem"], "Resource": f"arn:aws:dynamodb:us-east-1:{account}:table/T1*"},
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*"},
        {"Effect": "Deny", "Action": "dynamodb:DeleteTable", "Resource": "*"},
        {"Effect": "Allow", "Action": "dynamodb:Scan", "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalTag/team": "data"}}},
    ]}
    return {"CallerArn": f"arn:aws:sts::{account}:assumed-role/App/s1", "ActionNames": actions(n_actions), "ResourceArns": tables,
            "PolicyInputList": [json.dumps(identity)],
            "PermissionsBoundaryPolicyInputList": [{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}]}

def run(n_actions, n_resources):
    """Best of 5, the JSON discarded (as hyperfine does: writing 77 MB into a file costs the file system more CPU than
    Trustflow spends deciding): wall time, CPU time (user + system, the one-core figure on a shared machine) and peak
    memory. One more run, untimed, counts the bytes."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(request(n_actions, n_resources), handle)
        path = handle.name
    wall = cpu = float("inf")
    peak = 0
    for _ in range(5):
        timed = subprocess.run(["/usr/bin/time", "-f", "%e %U %S %M", binary, "simulate", "--input", path], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if timed.returncode != 0:
            sys.exit(f"simulate failed: {timed.stderr[-400:]}")
        seconds, user, system, kilobytes = timed.stderr.strip().splitlines()[-1].split()
        wall, cpu, peak = min(wall, float(seconds)), min(cpu, float(user) + float(system)), max(peak, int(kilobytes))
    size = 0
    with subprocess.Popen([binary, "simulate", "--input", path], stdout=subprocess.PIPE) as counted:
        for chunk in iter(lambda: counted.stdout.read(1 << 20), b""):
            size += len(chunk)
    os.unlink(path)
    decisions = n_actions * n_resources
    print(f"simulate: {decisions:,} decisions ({n_actions} actions x {n_resources} resources, {size / 1e6:.0f} MB of JSON) through `trustflow simulate`: "
          f"{decisions / max(wall, 0.01):,.0f}/s wall ({wall:.2f} s), {decisions / max(cpu, 0.01):,.0f} per CPU-second ({cpu:.2f} s), peak {peak / 1024:.0f} MB "
          f"(best of 5; target >= 1,000,000/s)")


if len(sys.argv) > 2 and sys.argv[2] == "--write-request":  # the request alone, to profile by hand
    json.dump(request(200, 500), open(sys.argv[3], "w"))
    sys.exit(0)
run(200, 500)
run(200, 2000)
