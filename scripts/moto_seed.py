#!/usr/bin/env python3
"""Seeds a moto server on loopback with the accounts of output/model.json, as scripts/moto-test.sh needs them.

moto (docs: /work/shared/design/MOTO.md) checks signatures, session tokens and identity policies at the action level
(and the Resource of sts:AssumeRole), but not trust or table policies, and it authorizes DynamoDB calls against
Resource "*". So each account gets the model's roles and identity policies, with DynamoDB statements widened to
Resource "*"; a user in the function's account stands in for the Lambda service (moto cannot act as a service), and
the function's execution role trusts it. Prints the function's session credentials as shell assignments.

Usage: moto_seed.py ENDPOINT OUTPUT_DIR FUNCTION_KEY
"""
import json
import sys

from moto_common import client_factory, for_moto, moto_api

endpoint, output, function_key = sys.argv[1], sys.argv[2], sys.argv[3]
model = json.load(open(f"{output}/model.json"))
samples = json.load(open(f"{output}/snippets/sample-data.json"))
region = model["region"]
accounts = {a["key"]: a["id"] for a in model["accounts"]}


client = client_factory(endpoint, region)


function = next(f for f in model["functions"] if f["key"] == function_key)
function_account = accounts[function["account"]]
runtime_user = "trustflow-lambda-runtime"
runtime_user_arn = f"arn:aws:iam::{function_account}:user/{runtime_user}"

for role in model["roles"]:
    account = accounts[role["account"]]
    iam = client("iam", account)
    trust = json.load(open(f"{output}/{role['trust']}"))
    if role["key"] == function["role"]:
        # moto answers 500 to a trust statement naming only a Service: name the user standing in for Lambda next to it.
        statements = trust["Statement"] if isinstance(trust["Statement"], list) else [trust["Statement"]]
        for statement in statements:
            principal = statement.get("Principal")
            if isinstance(principal, dict) and "AWS" not in principal:
                principal["AWS"] = runtime_user_arn
        trust["Statement"] = statements
    path = role["arn"].split(":role", 1)[1].rsplit("/", 1)[0] + "/"
    iam.create_role(RoleName=role["name"], Path=path, AssumeRolePolicyDocument=json.dumps(trust))
    for policy_file in role.get("policies", []):
        name = policy_file.rsplit("-policy-", 1)[1].removesuffix(".json")
        document = for_moto(json.load(open(f"{output}/{policy_file}")))
        iam.put_role_policy(RoleName=role["name"], PolicyName=name, PolicyDocument=json.dumps(document))

execution_role = next(r for r in model["roles"] if r["key"] == function["role"])
iam = client("iam", function_account)
iam.create_user(UserName=runtime_user)
iam.put_user_policy(UserName=runtime_user, PolicyName="ActAsLambda", PolicyDocument=json.dumps({
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": execution_role["arn"]}]}))
key = iam.create_access_key(UserName=runtime_user)["AccessKey"]

for table in samples["tables"]:
    dynamodb = client("dynamodb", table["accountID"])
    attributes = {table["partitionKey"]} | ({table["sortKey"]} if table.get("sortKey") else set())
    attributes |= {index["partitionKey"] for index in table["indexes"]}
    schema = [{"AttributeName": table["partitionKey"], "KeyType": "HASH"}]
    if table.get("sortKey"):
        schema.append({"AttributeName": table["sortKey"], "KeyType": "RANGE"})
    arguments = dict(TableName=table["name"], KeySchema=schema, BillingMode="PAY_PER_REQUEST",
                     AttributeDefinitions=[{"AttributeName": a, "AttributeType": "S"} for a in sorted(attributes)])
    if table["indexes"]:
        arguments["GlobalSecondaryIndexes"] = [
            {"IndexName": index["name"], "KeySchema": [{"AttributeName": index["partitionKey"], "KeyType": "HASH"}],
             "Projection": {"ProjectionType": "ALL"}} for index in table["indexes"]]
    dynamodb.create_table(**arguments)
    for item in table["items"]:
        dynamodb.put_item(TableName=table["name"], Item={k: {"S": v} for k, v in item.items()})

# Authentication on: from now on moto checks signatures, tokens and identity policies.
moto_api(endpoint, "reset-auth", b"0")

# The function's session, as Lambda would hand it over: the execution role assumed with the function's name.
sts = client("sts", None, key=key["AccessKeyId"], secret=key["SecretAccessKey"])
session = sts.assume_role(RoleArn=execution_role["arn"], RoleSessionName=function["name"])["Credentials"]
print(f"AWS_ACCESS_KEY_ID={session['AccessKeyId']}")
print(f"AWS_SECRET_ACCESS_KEY={session['SecretAccessKey']}")
print(f"AWS_SESSION_TOKEN={session['SessionToken']}")
