#!/usr/bin/env python3
"""Seed corpora for the libFuzzer targets (scripts/fuzz.sh): one folder per target, one input per file.

Seeds come from what the project already holds: content/ and examples/ (models, policy files), the engine's test
corpus (Tests/PolicyTests/Corpus: simulate requests and their policies and conditions), the SigV4 test vectors'
Authorization headers, and a few simulator requests written here. Every seed is named by the hash of its bytes,
so running this again adds nothing twice.
"""
import glob
import hashlib
import json
import os
import re
import sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, ".build-fuzz", "corpus")


def seed(target, data):
    if isinstance(data, str):
        data = data.encode()
    folder = os.path.join(out, target)
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "seed-" + hashlib.sha1(data).hexdigest()[:16])
    if not os.path.exists(path):
        with open(path, "wb") as f:
            f.write(data)


def read(path):
    with open(path, "rb") as f:
        return f.read()


# Models and policy files.
for path in [os.path.join(root, "content", "model.yml")] + sorted(glob.glob(os.path.join(root, "examples", "*", "model.yml"))):
    seed("YAMLLoader", read(path))
policy_files = sorted(glob.glob(os.path.join(root, "content", "policies", "*.json")) + glob.glob(os.path.join(root, "examples", "*", "policies", "*.json")))
for path in policy_files:
    seed("PolicyParser", read(path))
    seed("JSONReader", read(path))

# The engine's corpus: simulate requests, their policies, their conditions.
for path in sorted(glob.glob(os.path.join(root, "Tests", "PolicyTests", "Corpus", "*.json"))):
    seed("JSONReader", read(path))
    for case in json.load(open(path))["cases"]:
        # Findings cases hold one policy (as an object, or as text when its layout matters).
        if "policy" in case:
            seed("PolicyParser", json.dumps(case["policy"], indent=2))
        if isinstance(case.get("policyText"), str):
            seed("PolicyParser", case["policyText"])
        if "input" not in case:
            continue
        request = case["input"]
        seed("SimulateInput", json.dumps(request, indent=2))
        types = {entry.get("ContextKeyName", ""): entry.get("ContextKeyType", "string") for entry in request.get("ContextEntries", [])}
        values = {entry.get("ContextKeyName", ""): entry.get("ContextKeyValues", []) for entry in request.get("ContextEntries", [])}
        policies = []
        for key in ["PolicyInputList", "PermissionsBoundaryPolicyInputList", "SessionPolicyInputList", "ServiceControlPolicyInputList"]:
            policies += request.get(key, [])
        if "ResourcePolicy" in request:
            policies.append(request["ResourcePolicy"])
        for policy in policies:
            if isinstance(policy, str):
                try:
                    policy = json.loads(policy)
                except ValueError:
                    continue
            text = json.dumps(policy, indent=2)
            seed("PolicyParser", text)
            statements = policy.get("Statement", [])
            for statement in statements if isinstance(statements, list) else [statements]:
                for operator, keys in (statement.get("Condition") or {}).items():
                    for key, wanted in keys.items():
                        wanted = wanted if isinstance(wanted, list) else [wanted]
                        given = values.get(key, [])
                        lines = [operator, key, types.get(key, "string")] + [str(v) for v in wanted] + ["=" + str(v) for v in given]
                        seed("ConditionEvaluator", "\n".join(lines))

# Authorization headers: the SigV4 test vectors', and the shape the simulator expects (AKIDFUZZ stands for the key
# the simulator issues).
vectors = read(os.path.join(root, "Tests", "AWSClientTests", "Support", "SigV4Vectors.swift")).decode()
for header in sorted(set(re.findall(r"Authorization:(AWS4-HMAC-SHA256 [^\n]+)", vectors))):
    seed("SigV4Authorization", header)
seed("SigV4Authorization", "AWS4-HMAC-SHA256 Credential=AKIDFUZZ/20260101/us-east-1/sts/aws4_request, "
     "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, Signature=" + "0123456789abcdef" * 4)
seed("SigV4Authorization", "Action=AssumeRole&RoleArn=arn%3Aaws%3Aiam%3A%3A222222222222%3Arole%2FDynamoDBAccessRole&RoleSessionName=s+1&Version=2011-06-15")

# Simulator requests: the first byte picks the operation (0-7 DynamoDB, 8 STS form, 9 STS query).
table = "arn:aws:dynamodb:us-east-1:222222222222:table/Orders"
operations = ["GetItem", "PutItem", "DeleteItem", "UpdateItem", "Query", "Scan", "DescribeTable", "ListTables"]
bodies = {
    "GetItem": {"TableName": table, "Key": {"customerId": {"S": "c-1"}, "orderId": {"S": "o-1"}}, "ProjectionExpression": "#s, total", "ExpressionAttributeNames": {"#s": "status"}},
    "PutItem": {"TableName": table, "Item": {"customerId": {"S": "c-1"}, "orderId": {"S": "o-2"}, "status": {"S": "NEW"}, "total": {"N": "12.5"}, "tags": {"SS": ["a", "b"]}, "lines": {"L": [{"M": {"sku": {"S": "x"}}}]}},
                "ConditionExpression": "attribute_not_exists(orderId)"},
    "DeleteItem": {"TableName": table, "Key": {"customerId": {"S": "c-1"}, "orderId": {"S": "o-1"}}, "ReturnValues": "ALL_OLD"},
    "UpdateItem": {"TableName": table, "Key": {"customerId": {"S": "c-1"}, "orderId": {"S": "o-1"}},
                   "UpdateExpression": "SET #s = :s, total = total + :t REMOVE note ADD tags :tags", "ConditionExpression": "#s <> :s AND size(tags) < :n",
                   "ExpressionAttributeNames": {"#s": "status"}, "ExpressionAttributeValues": {":s": {"S": "PAID"}, ":t": {"N": "1"}, ":tags": {"SS": ["c"]}, ":n": {"N": "5"}},
                   "ReturnValues": "UPDATED_NEW"},
    "Query": {"TableName": table, "IndexName": "ByStatus", "KeyConditionExpression": "#s = :s AND begins_with(orderId, :p)", "FilterExpression": "total BETWEEN :a AND :b OR contains(tags, :t)",
              "ExpressionAttributeNames": {"#s": "status"}, "ExpressionAttributeValues": {":s": {"S": "NEW"}, ":p": {"S": "o-"}, ":a": {"N": "1"}, ":b": {"N": "100"}, ":t": {"S": "a"}},
              "Limit": 10, "ScanIndexForward": False},
    "Scan": {"TableName": table, "FilterExpression": "attribute_exists(total) AND NOT (#s IN (:a, :b))", "ExpressionAttributeNames": {"#s": "status"},
             "ExpressionAttributeValues": {":a": {"S": "X"}, ":b": {"S": "Y"}}, "Limit": 5, "ExclusiveStartKey": {"customerId": {"S": "c-1"}, "orderId": {"S": "o-0"}}},
    "DescribeTable": {"TableName": table},
    "ListTables": {"Limit": 3, "ExclusiveStartTableName": "A"},
}
for index, operation in enumerate(operations):
    seed("SimulatorRequests", bytes([index]) + json.dumps(bodies[operation]).encode())
for form in ["Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A222222222222%3Arole%2FDynamoDBAccessRole&RoleSessionName=orders-api&DurationSeconds=3600&ExternalId=abc",
             "Action=GetCallerIdentity&Version=2011-06-15"]:
    seed("SimulatorRequests", bytes([8]) + form.encode())
    seed("SimulatorRequests", bytes([9]) + form.encode())


# Raw HTTP/1.1 as SDKs send it to `trustflow mock` (one request, two pipelined, chunked, a query-string STS call);
# the first byte's low bit asks the target to re-sign each request with the function's session.
get_item = json.dumps({"TableName": "arn:aws:dynamodb:us-east-1:222222222222:table/Orders", "Key": {"orderId": {"S": "o-1"}}})
dynamodb = ("POST / HTTP/1.1\r\nHost: 127.0.0.1:4566\r\nContent-Type: application/x-amz-json-1.0\r\n"
            "X-Amz-Target: DynamoDB_20120810.GetItem\r\nAuthorization: AWS4-HMAC-SHA256 Credential=AKIDFUZZ/20260101/"
            "us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=00\r\nX-Amz-Date: 20260101T000000Z\r\n"
            "Content-Length: %d\r\n\r\n%s" % (len(get_item), get_item))
form = "Action=AssumeRole&RoleArn=arn%3Aaws%3Aiam%3A%3A222222222222%3Arole%2FDynamoDBAccessRole&RoleSessionName=s1&Version=2011-06-15"
sts = ("POST / HTTP/1.1\r\nHost: sts.us-east-1.amazonaws.com\r\nContent-Type: application/x-www-form-urlencoded\r\n"
       "Content-Length: %d\r\n\r\n%s" % (len(form), form))
chunked = ("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\nX-Amz-Target: DynamoDB_20120810.ListTables\r\n"
           "Content-Type: application/x-amz-json-1.0\r\n\r\n2\r\n{}\r\n0\r\n\r\n")
query = "GET /?" + form + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
for first in (0, 1, 0x21):
    for text in (dynamodb, sts, chunked, query, dynamodb + sts):
        seed("MockHTTP", bytes([first]) + text.encode())
