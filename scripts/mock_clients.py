#!/usr/bin/env python3
"""Real AWS clients (boto3 and the AWS CLI, from PyPI) against `trustflow mock` on loopback.

Every step of every option of a content folder runs with boto3 exactly as the guide's Python does it (AssumeRole,
then DynamoDB with the temporary credentials): an allowed step must succeed, a denied one must fail with AWS's error
code and the exact message `trustflow check --format json` gives for it, as botocore parses them. The AWS CLI then
runs the first option's calls and one denial. Started by scripts/mock-test.sh, which starts and stops the server.

Usage: mock_clients.py CHECK_JSON SAMPLE_DATA_JSON ENV_FILE
"""
import json
import os
import subprocess
import sys

import boto3
import botocore.exceptions

check = json.load(open(sys.argv[1]))
samples = {t["arn"]: t for t in json.load(open(sys.argv[2]))["tables"]}
environment = {}
for line in open(sys.argv[3]):
    if line.startswith("export "):
        name, _, value = line[len("export "):].rstrip("\n").partition("=")
        environment[name] = value
endpoint = environment["AWS_ENDPOINT_URL"]
region = environment["AWS_REGION"]
failures = []
checked = 0


def client(service, credentials):
    # What the guide's code does: a client from the environment (the function's own session) or from the
    # AssumeRole answer. The endpoint and region come from the environment, as any SDK reads them.
    return boto3.client(service, region_name=region, endpoint_url=endpoint, aws_access_key_id=credentials["AccessKeyId"],
                        aws_secret_access_key=credentials["SecretAccessKey"], aws_session_token=credentials["SessionToken"])


def key_of(table, item_number=1):
    key = {table["partitionKey"]: {"S": f"{stem(table['partitionKey'])}-1"}}
    if table.get("sortKey"):
        key[table["sortKey"]] = {"S": f"{stem(table['sortKey'])}-{item_number}"}
    return key


def stem(attribute):
    for suffix in ("Id", "ID", "_id", "Key"):
        if attribute.endswith(suffix) and len(attribute) > len(suffix):
            return attribute[: -len(suffix)]
    return attribute


def call(step, credentials):
    """Makes the step's call with boto3; returns a short description of the answer."""
    action = step["action"].split(":", 1)[1]
    resource = step["resource"]
    if action == "AssumeRole":
        answer = client("sts", credentials).assume_role(RoleArn=resource, RoleSessionName=step["session"], **({"ExternalId": step["externalId"]} if step.get("externalId") else {}))
        return answer["Credentials"], answer["AssumedRoleUser"]["Arn"]
    dynamodb = client("dynamodb", credentials)
    if action == "ListTables":
        return None, dynamodb.list_tables()["TableNames"]
    table_arn = resource.split("/index/")[0]
    table = samples[table_arn]
    caller_account = step["caller"].split(":")[4]
    name = table["name"] if table["accountID"] == caller_account else table_arn
    if action == "GetItem":
        return None, dynamodb.get_item(TableName=name, Key=key_of(table)).get("Item")
    if action == "PutItem":
        return None, dynamodb.put_item(TableName=name, Item={**key_of(table, 2), "note": {"S": "written by boto3"}})
    if action == "DeleteItem":
        return None, dynamodb.delete_item(TableName=name, Key=key_of(table, 2))
    if action in ("Query", "Scan") and "/index/" in resource:
        index_name = resource.split("/index/")[1]
        index = next(i for i in table["indexes"] if i["name"] == index_name)
        item = table["items"][0]
        if action == "Scan":
            return None, dynamodb.scan(TableName=name, IndexName=index_name)["Items"]
        return None, dynamodb.query(TableName=name, IndexName=index_name, KeyConditionExpression="#k = :v",
                                    ExpressionAttributeNames={"#k": index["partitionKey"]},
                                    ExpressionAttributeValues={":v": {"S": item[index["partitionKey"]]}})["Items"]
    if action == "Query":
        return None, dynamodb.query(TableName=name, KeyConditionExpression="#k = :v", ExpressionAttributeNames={"#k": table["partitionKey"]},
                                    ExpressionAttributeValues={":v": key_of(table)[table["partitionKey"]]})["Items"]
    if action == "Scan":
        return None, dynamodb.scan(TableName=name)["Items"]
    if action == "DescribeTable":
        return None, dynamodb.describe_table(TableName=name)["Table"]["TableName"]
    raise SystemExit(f"mock-clients: no boto3 call for {step['action']}")


function_credentials = {"AccessKeyId": environment["AWS_ACCESS_KEY_ID"], "SecretAccessKey": environment["AWS_SECRET_ACCESS_KEY"],
                        "SessionToken": environment["AWS_SESSION_TOKEN"]}


def the_guides_own_python(role_arn):
    """The seed guide's Python as printed, run unchanged: the clients read the mock's environment like any SDK."""
    import boto3

    sts_client = boto3.client("sts")

    # Assume role in Account B
    assumed_role = sts_client.assume_role(
        RoleArn=role_arn,
        RoleSessionName="LambdaSession"
    )

    # Use temporary credentials
    dynamodb = boto3.client(
        "dynamodb",
        aws_access_key_id=assumed_role['Credentials']['AccessKeyId'],
        aws_secret_access_key=assumed_role['Credentials']['SecretAccessKey'],
        aws_session_token=assumed_role['Credentials']['SessionToken']
    )

    # Query DynamoDB table in Account B
    response = dynamodb.list_tables()
    return response


first_assume = next((s for o in check["options"] for s in o["steps"] if s["action"].lower() == "sts:assumerole" and len(s["credentials"]) == 1), None)
if first_assume:
    os.environ.update(environment)
    label = f"the guide's Python: AssumeRole {first_assume['resource']}, then ListTables with the temporary credentials"
    checked += 1
    try:
        tables = the_guides_own_python(first_assume["resource"])["TableNames"]
        allowed = first_assume["decision"] == "allowed"
        print(f"mock-clients: {'✓' if allowed else '✗'} {label}: {tables}")
        if not allowed:
            failures.append(f"{label}: allowed, but check says {first_assume['decision']}")
    except botocore.exceptions.ClientError as error:
        got = (error.response["Error"]["Code"], error.response["Error"]["Message"])
        # The guide's session name is LambdaSession; AWS's message does not depend on it.
        expected = ("AccessDenied", first_assume["message"])
        ok = first_assume["decision"] != "allowed" and got == expected or (first_assume["decision"] == "allowed" and got[0] == "AccessDeniedException"
                                                                           and "ListTables" in got[1])
        print(f"mock-clients: {'✓' if ok else '✗'} {label}: {got[0]}: {got[1]}")
        if not ok:
            failures.append(f"{label}: {got}")


def session_made_by(option, number):
    """The session name and ExternalId step `number` assumes with, as the later steps' lineage records them."""
    for step in option["steps"]:
        for entry in step["credentials"]:
            if entry.get("step") == number:
                return entry["session"], entry.get("externalId")
    return "LambdaSession", None


for option in check["options"]:
    sessions = {}  # AssumeRole step number -> the credentials it returned
    for step in option["steps"]:
        made_by = step["credentials"][-1]
        if "function" in made_by:
            credentials = function_credentials
        elif made_by.get("step") in sessions:
            credentials = sessions[made_by["step"]]
        else:
            print(f"mock-clients: - {option['id']} {step['index']}: {step['action']} skipped (no allowed step made its session)")
            continue
        label = f"{option['id']} {step['index']}: {step['action']} on {step['resource']}"
        if step["action"].lower() == "sts:assumerole":
            session, external_id = session_made_by(option, step["index"])
            step = {**step, "session": session, "externalId": external_id}
        try:
            new_credentials, _ = call(step, credentials)
            outcome = ("allowed", None)
            if new_credentials:
                sessions[step["index"]] = new_credentials
        except botocore.exceptions.ClientError as error:
            outcome = (error.response["Error"]["Code"], error.response["Error"]["Message"])
        checked += 1
        if step["decision"] == "allowed":
            if outcome[0] != "allowed":
                failures.append(f"{label}: expected allowed, got {outcome[0]}: {outcome[1]}")
                print(f"mock-clients: ✗ {label}: {outcome[0]}: {outcome[1]}")
            else:
                print(f"mock-clients: ✓ {label}: allowed")
        else:
            expected_code = "AccessDenied" if step["action"].lower().startswith("sts:") else "AccessDeniedException"
            if outcome != (expected_code, step["message"]):
                failures.append(f"{label}: expected {expected_code}: {step['message']}, got {outcome[0]}: {outcome[1]}")
                print(f"mock-clients: ✗ {label}: got {outcome[0]}: {outcome[1]}")
            else:
                print(f"mock-clients: ✓ {label}: {outcome[0]}: {outcome[1]}")

# The AWS CLI, unchanged, from the same environment: who am I, an AssumeRole, and a denial's exact words.
cli_environment = {**os.environ, **environment}
cli_environment.pop("AWS_PROFILE", None)


def aws(*arguments, env=None):
    return subprocess.run(["aws", *arguments, "--output", "json"], env=env or cli_environment, capture_output=True, text=True)


identity = aws("sts", "get-caller-identity")
checked += 1
if identity.returncode != 0 or json.loads(identity.stdout)["Arn"] != check["options"][0]["steps"][0]["caller"]:
    failures.append(f"aws sts get-caller-identity: {identity.returncode} {identity.stdout} {identity.stderr}")
    print(f"mock-clients: ✗ aws sts get-caller-identity: {identity.stderr.strip()}")
else:
    print(f"mock-clients: ✓ aws sts get-caller-identity: {json.loads(identity.stdout)['Arn']}")
denied = next((s for o in check["options"] for s in o["steps"] if s["decision"] != "allowed" and len(s["credentials"]) == 1
               and s["action"].lower().startswith("dynamodb:") and s["action"].split(":")[1] in ("DeleteItem", "GetItem", "PutItem")), None)
if denied:
    table = samples[denied["resource"].split("/index/")[0]]
    operation = {"DeleteItem": "delete-item", "GetItem": "get-item", "PutItem": "put-item"}[denied["action"].split(":")[1]]
    argument = ["--item", json.dumps(key_of(table, 2))] if operation == "put-item" else ["--key", json.dumps(key_of(table, 2))]
    result = aws("dynamodb", operation, "--table-name", table["arn"], *argument)
    expected = f"An error occurred (AccessDeniedException) when calling the {denied['action'].split(':')[1]} operation: {denied['message']}"
    checked += 1
    if result.returncode == 0 or expected not in result.stderr:
        failures.append(f"aws dynamodb {operation}: expected {expected!r}, got {result.returncode} {result.stderr.strip()!r}")
        print(f"mock-clients: ✗ aws dynamodb {operation}: {result.stderr.strip()}")
    else:
        print(f"mock-clients: ✓ aws dynamodb {operation}: {result.stderr.strip()}")

print(f"mock-clients: {checked - len(failures)} passed, {len(failures)} failed")
sys.exit(1 if failures else 0)
