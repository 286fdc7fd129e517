#!/usr/bin/env python3
"""Seeds a moto server on loopback with the accounts of output/model.json, as scripts/moto-test.sh needs them.

moto (docs: /work/shared/design/MOTO.md) checks signatures, session tokens and identity policies at the action level
(and the Resource of sts:AssumeRole), but not trust or table policies, and it authorizes DynamoDB calls against
Resource "*". So each account gets the model's roles and identity policies, with DynamoDB statements widened to
Resource "*"; a user in the function's account stands in for the Lambda service (moto cannot act as a service), and
the function's execution role trusts it. The model's IAM users get their identity policies, and the resources of
sample-data.json (buckets with the objects the steps name, keys, queues, topics, secrets) are made in their owners'
accounts; moto enforces none of their policies (the limits table of the README). Prints the caller's credentials as
shell assignments: the function's session, or a user's long-term keys when CALLER_KEY names a user.

Usage: moto_seed.py ENDPOINT OUTPUT_DIR CALLER_KEY
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


users = {u["key"]: u for u in model.get("users", [])}
caller_user = users.get(function_key)
function = None if caller_user else next(f for f in model["functions"] if f["key"] == function_key)
function_account = accounts[(caller_user or function)["account"]]
runtime_user = "trustflow-lambda-runtime"
runtime_user_arn = f"arn:aws:iam::{function_account}:user/{runtime_user}"

for role in model["roles"]:
    account = accounts[role["account"]]
    iam = client("iam", account)
    trust = json.load(open(f"{output}/{role['trust']}"))
    if function and role["key"] == function["role"]:
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

for user in users.values():
    iam = client("iam", accounts[user["account"]])
    path = user["arn"].split(":user", 1)[1].rsplit("/", 1)[0] + "/"
    iam.create_user(UserName=user["name"], Path=path)
    for policy_file in user.get("policies", []):
        name = policy_file.rsplit("-policy-", 1)[1].removesuffix(".json")
        document = for_moto(json.load(open(f"{output}/{policy_file}")))
        iam.put_user_policy(UserName=user["name"], PolicyName=name, PolicyDocument=json.dumps(document))

if function:
    execution_role = next(r for r in model["roles"] if r["key"] == function["role"])
    iam = client("iam", function_account)
    iam.create_user(UserName=runtime_user)
    iam.put_user_policy(UserName=runtime_user, PolicyName="ActAsLambda", PolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": execution_role["arn"]}]}))
    key = iam.create_access_key(UserName=runtime_user)["AccessKey"]
else:
    key = client("iam", function_account).create_access_key(UserName=caller_user["name"])["AccessKey"]

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

# The resources of resources:, in their owners' accounts. moto cannot take a key id, so a KMS key gets moto's own id
# (and the model's alias); a secret keeps the model's ARN suffix (moto's _custom_id_ tag).
key_ids = {}
for resource in sorted(samples.get("resources", []), key=lambda r: r["kind"] != "kms-key"):
    account = resource["accountID"]
    kind = resource["kind"]
    if kind == "kms-key":
        kms = client("kms", account)
        key_ids[resource["arn"]] = kms.create_key(Description=f"Trustflow snippets: {resource['key']}")["KeyMetadata"]["KeyId"]
        if resource.get("alias"):
            kms.create_alias(AliasName=resource["alias"], TargetKeyId=key_ids[resource["arn"]])
    elif kind == "s3-bucket":
        s3 = client("s3", account)
        arguments = {} if region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": region}}
        s3.create_bucket(Bucket=resource["name"], **arguments)
        for item in resource.get("objects", []):
            s3.put_object(Bucket=resource["name"], Key=item["key"], Body=item["body"].encode())
    elif kind == "sqs-queue":
        client("sqs", account).create_queue(QueueName=resource["name"])
    elif kind == "sns-topic":
        client("sns", account).create_topic(Name=resource["name"])
    elif kind == "secret":
        arguments = {"Tags": [{"Key": "_custom_id_", "Value": resource["arn"].rsplit("-", 1)[1]}]}
        if resource.get("keyARN") in key_ids:
            arguments["KmsKeyId"] = key_ids[resource["keyARN"]]
        client("secretsmanager", account).create_secret(Name=resource["name"], SecretString=resource["secretString"], **arguments)

# Authentication on: from now on moto checks signatures, tokens and identity policies.
moto_api(endpoint, "reset-auth", b"0")

if not function:
    # An IAM user's long-term keys, as the default credential chain would find them.
    print(f"AWS_ACCESS_KEY_ID={key['AccessKeyId']}")
    print(f"AWS_SECRET_ACCESS_KEY={key['SecretAccessKey']}")
    sys.exit(0)

# The function's session, as Lambda would hand it over: the execution role assumed with the function's name.
sts = client("sts", None, key=key["AccessKeyId"], secret=key["SecretAccessKey"])
session = sts.assume_role(RoleArn=execution_role["arn"], RoleSessionName=function["name"])["Credentials"]
print(f"AWS_ACCESS_KEY_ID={session['AccessKeyId']}")
print(f"AWS_SECRET_ACCESS_KEY={session['SecretAccessKey']}")
print(f"AWS_SESSION_TOKEN={session['SessionToken']}")
