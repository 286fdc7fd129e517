#!/usr/bin/env python3
"""The same boto3 script against `trustflow mock` and moto (moto[server]), side by side.

Both servers run on loopback with the content of scripts/compare-content (moto seeded by scripts/moto_seed.py with
that content's roles, policies and table). Each scenario is one call with boto3; its outcome is "allowed" or the
error code botocore parses. Where both enforce (signatures, tokens, action-level identity policies) the outcomes must
agree with each other and with AWS; where moto does not (trust policies, resource policies, conditions, session
policies, cross-account calls, request time, credential scope) trustflow must still answer as AWS, and the table
records what moto answered. Prints the table as Markdown (the README's comparison comes from it).

Usage: mock_compare.py --trustflow BINARY [--table FILE]
"""
import argparse
import datetime
import json
import os
import re
import subprocess
import sys
import tempfile

import boto3
import botocore.auth
import botocore.exceptions
from botocore.config import Config

from loopback import Servers, credentials

arguments = argparse.ArgumentParser()
arguments.add_argument("--trustflow", required=True)
arguments.add_argument("--table")
options = arguments.parse_args()
here = os.path.dirname(os.path.abspath(__file__))
content = os.path.join(here, "compare-content")
region = "us-east-1"
table_arn = "arn:aws:dynamodb:us-east-1:222222222222:table/Orders"
last_body = [b""]


def client(service, endpoint, credentials, **extra):
    made = boto3.client(service, region_name=region, endpoint_url=endpoint, aws_access_key_id=credentials["AccessKeyId"],
                        aws_secret_access_key=credentials["SecretAccessKey"], aws_session_token=credentials.get("SessionToken"),
                        config=Config(retries={"max_attempts": 1}), **extra)

    def keep(response_dict=None, **_):
        if response_dict is not None:
            last_body[0] = response_dict.get("body", b"")

    made.meta.events.register("before-parse.*.*", keep)
    return made


def outcome(body):
    try:
        body()
        return "allowed"
    except botocore.exceptions.ClientError as error:
        code = error.response["Error"]["Code"]
        if not code or code.isdigit():
            # moto answers auth failures with an XML body even for DynamoDB (JSON), which botocore cannot parse.
            found = re.search(rb"<Code>([^<]+)</Code>", last_body[0])
            code = f"{found.group(1).decode()} (HTTP {error.response['ResponseMetadata'].get('HTTPStatusCode')}, XML)" if found else "?"
        return code


def assume(endpoint, credentials, role, **extra):
    answer = client("sts", endpoint, credentials).assume_role(RoleArn=f"arn:aws:iam::222222222222:role/{role}", RoleSessionName="orders-api", **extra)
    return answer["Credentials"]


KEY = {"customerId": {"S": "customer-1"}, "orderId": {"S": "order-1"}}


def scenarios(endpoint, function):
    """(scenario, what AWS does, who enforces it, the call) — the one script run against each server."""
    data = lambda **extra: assume(endpoint, function, "DataRole", **extra)
    ddb = lambda credentials, **extra: client("dynamodb", endpoint, credentials, **extra)

    def old_request():
        dynamodb = ddb(data())
        real = botocore.auth.get_current_datetime
        botocore.auth.get_current_datetime = lambda: real() - datetime.timedelta(minutes=10)
        try:
            dynamodb.list_tables()
        finally:
            botocore.auth.get_current_datetime = real

    def scoped_to_s3():
        dynamodb = ddb(data())
        dynamodb._request_signer._signing_name = "s3"
        dynamodb.list_tables()

    def other_sessions_token():
        first, second = data(), data()
        ddb({**first, "SessionToken": second["SessionToken"]}).list_tables()

    both = "both"
    return [
        ("GetCallerIdentity with the function's session", "allowed", both, lambda: client("sts", endpoint, function).get_caller_identity()),
        ("AssumeRole allowed by A's identity policy and B's trust policy", "allowed", both, lambda: data()),
        ("GetItem allowed by the role's identity policy", "allowed", both, lambda: ddb(data()).get_item(TableName="Orders", Key=KEY)),
        ("DeleteItem no identity policy allows", "AccessDeniedException", both, lambda: ddb(data()).delete_item(TableName="Orders", Key=KEY)),
        ("UpdateItem under an explicit Deny", "AccessDeniedException", both,
         lambda: ddb(data()).update_item(TableName="Orders", Key=KEY, UpdateExpression="SET note = :n", ExpressionAttributeValues={":n": {"S": "x"}})),
        ("AssumeRole on a role A's identity policy does not name", "AccessDenied", both,
         lambda: client("sts", endpoint, function).assume_role(RoleArn="arn:aws:iam::222222222222:role/NotNamed", RoleSessionName="orders-api")),
        ("Wrong secret key (bad signature)", "InvalidSignatureException", both,
         lambda: ddb({**data(), "SecretAccessKey": "x" * 40}).list_tables()),
        ("Unknown access key", "UnrecognizedClientException", both,
         lambda: ddb({"AccessKeyId": "ASIAXXXXXXXXXXXXXXXX", "SecretAccessKey": "x" * 40, "SessionToken": "nope"}).list_tables()),
        ("Another session's token", "UnrecognizedClientException", both, other_sessions_token),
        ("AssumeRole: B's trust policy does not name the caller", "AccessDenied", "trust policies", lambda: assume(endpoint, function, "Untrusted")),
        ("AssumeRole with the wrong ExternalId (trust condition)", "AccessDenied", "conditions",
         lambda: assume(endpoint, function, "Guarded", ExternalId="wrong-id")),
        ("GetItem of another partition (dynamodb:LeadingKeys)", "AccessDeniedException", "conditions",
         lambda: ddb(data()).get_item(TableName="Orders", Key={"customerId": {"S": "customer-2"}, "orderId": {"S": "order-1"}})),
        ("Scan granted by the table's resource policy", "allowed", "resource-based policies", lambda: ddb(data()).scan(TableName="Orders")),
        ("GetItem across accounts by table ARN (identity + table policy)", "allowed", "cross-account access",
         lambda: ddb(function).get_item(TableName=table_arn, Key=KEY)),
        ("GetItem with a session policy that allows only Query", "AccessDeniedException", "session policies",
         lambda: ddb(data(Policy=json.dumps({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "dynamodb:Query", "Resource": "*"}})))
         .get_item(TableName="Orders", Key=KEY)),
        ("Request signed 10 minutes ago", "InvalidSignatureException", "request time", old_request),
        ("Credentials scoped to s3 sent to DynamoDB", "InvalidSignatureException", "credential scope", scoped_to_s3),
    ]


exit_code = 1
with tempfile.TemporaryDirectory() as work, Servers("mock-compare", work) as servers:
    output = os.path.join(work, "out")
    subprocess.run([options.trustflow, "build", "--content", content, "--output", output], check=True, stdout=subprocess.DEVNULL)
    # moto, seeded with the same accounts, roles, policies and table; authentication on.
    moto_endpoint = servers.moto()
    seeded = subprocess.run([sys.executable, os.path.join(here, "moto_seed.py"), moto_endpoint, output, "fn"], check=True, capture_output=True, text=True)
    moto_function = credentials(dict(line.split("=", 1) for line in seeded.stdout.split()))
    # trustflow mock, with the same content.
    environment = servers.mock(options.trustflow, content)
    mock_function = credentials(environment)

    rows = []
    failures = []
    trustflow_runs = scenarios(environment["AWS_ENDPOINT_URL"], mock_function)
    moto_runs = scenarios(moto_endpoint, moto_function)
    for (name, aws, enforcer, run), (_, _, _, moto_run) in zip(trustflow_runs, moto_runs):
        ours, theirs = outcome(run), outcome(moto_run)
        refused = lambda code: code != "allowed"
        if ours != aws:
            failures.append(f"{name}: AWS answers {aws}, trustflow mock answered {ours}")
        if enforcer == "both" and refused(ours) != refused(theirs):
            failures.append(f"{name}: both enforce this, but trustflow answered {ours} and moto {theirs}")
        if enforcer == "both":
            note = "both enforce"
        elif refused(ours) != refused(theirs):
            note = f"moto does not check {enforcer}"
        else:
            note = f"both refuse; moto does not check {enforcer} (it refuses for another reason)"
        rows.append((name, aws, ours, theirs, note))
    table = ["| Scenario | AWS | trustflow mock | moto | |", "|---|---|---|---|---|"]
    table += [f"| {name} | {aws} | {ours} | {theirs} | {note} |" for name, aws, ours, theirs, note in rows]
    text = "\n".join(table)
    print(f"mock-compare: moto {__import__('moto').__version__} and trustflow mock, the same boto3 calls:")
    print(text)
    if options.table:
        open(options.table, "w").write(text + "\n")
    print(f"mock-compare: {len(rows) - len(failures)} passed, {len(failures)} failed")
    for failure in failures:
        print(f"mock-compare: ✗ {failure}")
    exit_code = 1 if failures else 0
sys.exit(exit_code)
