#!/usr/bin/env python3
"""boto3's S3 client against `trustflow mock` serving an S3 model (examples/lambda-to-s3-kms): every S3 step of every
option runs as the function would run it — GetObject, PutObject and ListObjectsV2, path-style on the mock's address —
and must end as `trustflow check --format json` says: allowed, or refused with S3's AccessDenied and check's exact
message (for an SSE-KMS object whose key policy leaves the caller out, KMS's refusal of the implied kms:Decrypt).
Started by scripts/mock-test.sh, which starts and stops the server.

Usage: mock_s3.py CHECK_JSON ENV_FILE
"""
import json
import sys

import boto3
import botocore.config
import botocore.exceptions

check = json.load(open(sys.argv[1]))
environment = {}
for line in open(sys.argv[2]):
    if line.startswith("export "):
        name, _, value = line[len("export "):].rstrip("\n").partition("=")
        environment[name] = value

s3 = boto3.client(
    "s3", region_name=environment["AWS_REGION"], endpoint_url=environment["AWS_ENDPOINT_URL"],
    aws_access_key_id=environment["AWS_ACCESS_KEY_ID"], aws_secret_access_key=environment["AWS_SECRET_ACCESS_KEY"],
    aws_session_token=environment["AWS_SESSION_TOKEN"], config=botocore.config.Config(s3={"addressing_style": "path"}))
failures = []
checked = 0
for option in check["options"]:
    for step in option["steps"]:
        action = step["action"].lower()
        if not action.startswith("s3:"):
            continue
        bucket, _, key = step["resource"][len("arn:aws:s3:::"):].partition("/")
        label = f"{option['id']} {step['index']}: {step['action']} on {step['resource']}"
        try:
            if action == "s3:getobject":
                body = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
                if not body:
                    raise SystemExit(f"mock-s3: {label}: an empty object")
            elif action == "s3:putobject":
                s3.put_object(Bucket=bucket, Key=key, Body=b"written by boto3\n")
            elif action == "s3:listbucket":
                s3.list_objects_v2(Bucket=bucket)
            else:
                print(f"mock-s3: - {label}: no boto3 call for it")
                continue
            outcome = ("allowed", None)
        except botocore.exceptions.ClientError as error:
            outcome = (error.response["Error"]["Code"], error.response["Error"]["Message"])
        checked += 1
        expected = ("allowed", None) if step["decision"] == "allowed" else ("AccessDenied", step["message"])
        ok = outcome == expected
        print(f"mock-s3: {'✓' if ok else '✗'} {label}: {outcome[0]}{': ' + outcome[1] if outcome[1] else ''}")
        if not ok:
            failures.append(f"{label}: expected {expected}, got {outcome}")

print(f"mock-s3: {checked - len(failures)} passed, {len(failures)} failed")
sys.exit(1 if failures or checked == 0 else 0)
