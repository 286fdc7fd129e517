#!/usr/bin/env python3
"""Deploys one option's CloudFormation templates into a moto server, in the order output/cloudformation/<option>/
deploy-order.json states, one account at a time (the x-moto-account-id header), and gets the accounts ready for the
option's snippet, as scripts/moto-cloudformation-test.sh needs them.

What moto's CloudFormation does (moto 5.x; see also MOTO.md in the design notes): it creates IAM roles with their
RoleName, Path, MaxSessionDuration, trust policy, inline Policies and PermissionsBoundary, managed policies, and
DynamoDB tables with their key schema and global secondary indexes; it ignores a table's ResourcePolicy (moto never
evaluates resource-based policies anyway) and it never refuses a Principal that does not exist. So this script checks
AWS's rule itself: before each stack, every principal the stack's policies name must exist (deploy-order.json lists
them) — the "Invalid principal in policy" AWS would answer otherwise. After every stack it checks that the stack
created every ARN the model derives for it.

The new kinds (resources: of the model): moto's CloudFormation creates KMS keys with their KeyPolicy, aliases, S3
buckets with their BucketEncryption, SQS queues and SNS topics with their KmsMasterKeyId, and EventBridge buses (it
ignores a bus's Policy, a bucket's OwnershipControls and public access block). It does not know
AWS::S3::BucketPolicy, AWS::SQS::QueuePolicy, AWS::SNS::TopicPolicy, AWS::SecretsManager::Secret,
AWS::SecretsManager::ResourcePolicy or AWS::Events::EventBusPolicy: it skips them and still completes the stack, so
this script names each one it skipped. KMS chooses a key's id, so a key's output is checked to be a key of the stack's
account, the key policy moto holds to be the model's (or AWS's default one), and every encrypted bucket, queue and
topic to name the deployed key.

Then, for moto's limits only (the templates stay as generated): moto authorizes DynamoDB calls against Resource "*",
so each deployed inline DynamoDB statement is put again with Resource "*"; a user in the function's account stands in
for the Lambda service and is added to the execution role's trust policy. The sample items are written, moto's
authentication is switched on, and the function's session is printed as shell assignments.

Usage: moto_deploy.py ENDPOINT OUTPUT_DIR OPTION_ID FUNCTION_KEY   (FUNCTION_KEY "-": deploy and check the stacks only)
"""
import ast
import json
import sys
import time
import urllib.parse

from moto_common import client_factory, for_moto, moto_api

endpoint, output, option_id, function_key = sys.argv[1:5]
model = json.load(open(f"{output}/model.json"))
samples = json.load(open(f"{output}/snippets/sample-data.json"))
plan = json.load(open(f"{output}/cloudformation/{option_id}/deploy-order.json"))
region = model["region"]
accounts = {a["key"]: a["id"] for a in model["accounts"]}
client = client_factory(endpoint, region)


def read_policy(document):
    """A policy as moto returns it: a mapping, URL-encoded JSON, or — for an inline policy its CloudFormation created —
    the Python text of a dict, which moto's own authorizer cannot read either (putting it again as JSON fixes that)."""
    if isinstance(document, dict):
        return document
    text = urllib.parse.unquote(document)
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return ast.literal_eval(text)


def log(message):
    print(f"moto-deploy: {message}", file=sys.stderr)


def same_document(a, b):
    """Whether two policy documents say the same (moto returns a key policy as a mapping or as JSON text)."""
    def normal(value):
        value = read_policy(value) if isinstance(value, str) else value
        return json.loads(json.dumps(value, sort_keys=True))
    return normal(a) == normal(b)


def check_entries(stack, account, outputs):
    """The keys of the model the stack created hold the model's key policy (or AWS's default one), and the buckets,
    queues and topics it created name the deployed key, found by its alias."""
    entries = [r for r in model.get("resources", []) if accounts[r["account"]] == account]
    kms = client("kms", account)
    aliases = {a["AliasName"]: a.get("TargetKeyId") for a in kms.list_aliases()["Aliases"]}
    deployed_keys = {}
    for entry in entries:
        if entry["kind"] != "kms-key" or entry.get("alias") not in aliases:
            continue
        key_id = aliases[entry["alias"]]
        # ListKeys, not DescribeKey: moto answers 500 to DescribeKey on a key its CloudFormation created with a KeyPolicy.
        deployed_keys[entry["key"]] = next(k["KeyArn"] for k in kms.list_keys()["Keys"] if k["KeyId"] == key_id)
        if deployed_keys[entry["key"]] not in outputs.values():
            raise SystemExit(f"moto-deploy: stack {stack['stackName']} does not output the ARN of key {entry['alias']}")
        held = kms.get_key_policy(KeyId=key_id, PolicyName="default")["Policy"]
        wanted = json.load(open(f"{output}/{entry['policy']}")) if entry.get("policy") else {
            "Version": "2012-10-17", "Statement": [{"Sid": "Enable IAM User Permissions", "Effect": "Allow",
                                                    "Principal": {"AWS": f"arn:aws:iam::{account}:root"}, "Action": "kms:*", "Resource": "*"}]}
        if not same_document(held, wanted):
            raise SystemExit(f"moto-deploy: key {entry['alias']} holds {held}, not the model's key policy")
        log(f"   key {entry['alias']}: {deployed_keys[entry['key']]}, with the model's key policy")
    for entry in entries:
        key = entry.get("encryptionKey")
        if key not in deployed_keys:
            continue
        if entry["kind"] == "s3-bucket":
            rules = client("s3", account).get_bucket_encryption(Bucket=entry["name"])["ServerSideEncryptionConfiguration"]["Rules"]
            named = rules[0]["ApplyServerSideEncryptionByDefault"].get("KMSMasterKeyID")
        elif entry["kind"] == "sqs-queue":
            sqs = client("sqs", account)
            url = sqs.get_queue_url(QueueName=entry["name"])["QueueUrl"]
            named = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["KmsMasterKeyId"])["Attributes"].get("KmsMasterKeyId")
        elif entry["kind"] == "sns-topic":
            named = client("sns", account).get_topic_attributes(TopicArn=entry["arn"])["Attributes"].get("KmsMasterKeyId")
        else:
            continue
        if named != deployed_keys[key]:
            raise SystemExit(f"moto-deploy: {entry['kind']} {entry['name']} is encrypted with {named}, not the deployed key {deployed_keys[key]}")
        log(f"   {entry['kind']} {entry['name']}: encrypted with the deployed key")


# A fresh pair of accounts for every option: authentication off, then every resource of every account wiped.
moto_api(endpoint, "reset-auth", b"inf")
moto_api(endpoint, "reset", b"")

deployed_roles = []   # (account id, role name)
for stack in plan["stacks"]:
    account = stack["accountId"]
    iam = client("iam", account)
    # AWS refuses a policy whose Principal names a role that does not exist yet; moto does not, so check it here.
    for arn in stack["principals"]:
        owner = arn.split(":")[4]
        name = arn.rsplit("/", 1)[1]
        try:
            found = client("iam", owner).get_role(RoleName=name)["Role"]["Arn"]
        except Exception as error:  # noqa: BLE001 - any failure means the principal is missing
            raise SystemExit(f"moto-deploy: stack {stack['stackName']} names {arn} as principal before it exists: {error}")
        if found != arn:
            raise SystemExit(f"moto-deploy: stack {stack['stackName']} names {arn}, but the role is {found}")
    cloudformation = client("cloudformation", account)
    template = open(f"{output}/{stack['template']}").read()
    cloudformation.create_stack(
        StackName=stack["stackName"], TemplateBody=template, Capabilities=["CAPABILITY_NAMED_IAM"],
        Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in stack["parameters"].items()])
    for _ in range(100):
        description = cloudformation.describe_stacks(StackName=stack["stackName"])["Stacks"][0]
        if not description["StackStatus"].endswith("_IN_PROGRESS"):
            break
        time.sleep(0.1)
    if description["StackStatus"] != "CREATE_COMPLETE":
        events = cloudformation.describe_stack_events(StackName=stack["stackName"])["StackEvents"]
        reasons = [e.get("ResourceStatusReason", "") for e in events if e.get("ResourceStatusReason")]
        raise SystemExit(f"moto-deploy: stack {stack['stackName']} in {account}: {description['StackStatus']} {reasons}")
    outputs = {o["OutputKey"]: o["OutputValue"] for o in description.get("Outputs", [])}
    expected = {r["arn"] for r in model["roles"] if accounts[r["account"]] == account}
    expected |= {t["arn"] for t in model["tables"] if accounts[t["account"]] == account}
    expected |= {r["arn"] for r in model.get("resources", []) if accounts[r["account"]] == account and r["kind"] not in ("kms-key", "secret")}
    key_prefix = f"arn:aws:kms:{region}:{account}:key/"
    for key, value in outputs.items():
        # KMS chooses a key's id: its output is a key of this account, not the model's stand-in ARN.
        if value not in expected and not value.startswith(key_prefix):
            raise SystemExit(f"moto-deploy: stack {stack['stackName']} output {key} = {value}, not an ARN of the model")
    resources = cloudformation.describe_stack_resources(StackName=stack["stackName"])["StackResources"]
    for resource in resources:
        if resource.get("ResourceType") == "AWS::IAM::Role":
            deployed_roles.append((account, resource["PhysicalResourceId"]))
    log(f"{stack['position']}. {stack['stackName']} in account {stack['account']} ({account}): CREATE_COMPLETE, "
        + ", ".join(sorted(outputs.values())))
    # The resources moto's CloudFormation skipped (types it does not know): named, so that nobody reads them as checked.
    created = {resource.get("LogicalResourceId") for resource in resources}
    for logical_id, resource in json.loads(template)["Resources"].items():
        if logical_id not in created:
            log(f"   moto's CloudFormation does not create {resource['Type']} ({logical_id}): not checked")
    check_entries(stack, account, outputs)

if function_key == "-":
    sys.exit(0)

# moto's limits: DynamoDB authorized against Resource "*", and inline policies from its CloudFormation kept as Python
# text its authorizer cannot parse: each deployed inline policy is put again, as JSON, widened.
for account, name in deployed_roles:
    iam = client("iam", account)
    for policy_name in iam.list_role_policies(RoleName=name)["PolicyNames"]:
        document = read_policy(iam.get_role_policy(RoleName=name, PolicyName=policy_name)["PolicyDocument"])
        iam.put_role_policy(RoleName=name, PolicyName=policy_name, PolicyDocument=json.dumps(for_moto(document)))

# A user in the function's account stands in for the Lambda service (moto cannot act as one).
function = next(f for f in model["functions"] if f["key"] == function_key)
function_account = accounts[function["account"]]
execution_role = next(r for r in model["roles"] if r["key"] == function["role"])
runtime_user = "trustflow-lambda-runtime"
iam = client("iam", function_account)
trust = read_policy(iam.get_role(RoleName=execution_role["name"])["Role"]["AssumeRolePolicyDocument"])
statements = trust["Statement"] if isinstance(trust["Statement"], list) else [trust["Statement"]]
# moto answers 500 to a trust statement naming only a Service: the user goes next to it, in the same statement.
for statement in statements:
    principal = statement.get("Principal")
    if isinstance(principal, dict) and "AWS" not in principal:
        principal["AWS"] = f"arn:aws:iam::{function_account}:user/{runtime_user}"
trust["Statement"] = statements
iam.create_user(UserName=runtime_user)
iam.update_assume_role_policy(RoleName=execution_role["name"], PolicyDocument=json.dumps(trust))
iam.put_user_policy(UserName=runtime_user, PolicyName="ActAsLambda", PolicyDocument=json.dumps({
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": execution_role["arn"]}]}))
key = iam.create_access_key(UserName=runtime_user)["AccessKey"]

# The items the snippets read, into the tables the stacks created (a table the option does not deploy is skipped).
for table in samples["tables"]:
    dynamodb = client("dynamodb", table["accountID"])
    if table["name"] not in dynamodb.list_tables()["TableNames"]:
        continue
    for item in table["items"]:
        dynamodb.put_item(TableName=table["name"], Item={k: {"S": v} for k, v in item.items()})

moto_api(endpoint, "reset-auth", b"0")
sts = client("sts", None, key=key["AccessKeyId"], secret=key["SecretAccessKey"])
session = sts.assume_role(RoleArn=execution_role["arn"], RoleSessionName=function["name"])["Credentials"]
print(f"AWS_ACCESS_KEY_ID={session['AccessKeyId']}")
print(f"AWS_SECRET_ACCESS_KEY={session['SecretAccessKey']}")
print(f"AWS_SESSION_TOKEN={session['SessionToken']}")
