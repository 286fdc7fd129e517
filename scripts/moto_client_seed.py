#!/usr/bin/env python3
"""Seeds moto for scripts/moto-client-test.sh: a bucket, a KMS key, a queue, a topic and a secret, and an IAM user
whose access key the AWSClient integration tests sign with; then switches moto's authentication on, so moto checks
every signature the client sends (MOTO.md: the SigV4 signature over the signed headers and the body hash, the key).
Prints the tests' environment as shell assignments.

Usage: moto_client_seed.py ENDPOINT
"""
import json
import sys

from moto_common import client_factory, moto_api

endpoint = sys.argv[1]
region = "us-east-1"
client = client_factory(endpoint, region)

iam = client("iam", None)
iam.create_user(UserName="awsclient-tests")
iam.put_user_policy(UserName="awsclient-tests", PolicyName="Everything", PolicyDocument=json.dumps({
    "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
key = iam.create_access_key(UserName="awsclient-tests")["AccessKey"]

client("s3", None).create_bucket(Bucket="awsclient-tests")
kms_key = client("kms", None).create_key(Description="AWSClient integration tests")["KeyMetadata"]["Arn"]
client("sqs", None).create_queue(QueueName="awsclient-tests")
topic = client("sns", None).create_topic(Name="awsclient-tests")["TopicArn"]
client("secretsmanager", None).create_secret(Name="awsclient/tests", SecretString='{"password":"EXAMPLE-PASSWORD"}')

moto_api(endpoint, "reset-auth", b"0")

for name, value in [
    ("TRUSTFLOW_MOTO_ENDPOINT", endpoint), ("AWS_ACCESS_KEY_ID", key["AccessKeyId"]), ("AWS_SECRET_ACCESS_KEY", key["SecretAccessKey"]),
    ("AWS_REGION", region), ("TRUSTFLOW_MOTO_BUCKET", "awsclient-tests"), ("TRUSTFLOW_MOTO_KMS_KEY", kms_key),
    ("TRUSTFLOW_MOTO_QUEUE", "awsclient-tests"), ("TRUSTFLOW_MOTO_TOPIC", topic), ("TRUSTFLOW_MOTO_SECRET", "awsclient/tests"),
]:
    print(f"{name}={value}")
