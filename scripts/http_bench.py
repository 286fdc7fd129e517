#!/usr/bin/env python3
"""GetItem over HTTP on loopback with keep-alive, against `trustflow mock` and against moto's server, side by side.

Both servers get the same load from wrk (Debian's package): one signed GetItem request, replayed within its validity
window (AWS, and the mock, accept a signed request again for 5 minutes) on keep-alive connections. The request is
the data role's GetItem of the default content (AssumeRole, then the table by name), signed by botocore for each
server. Prints requests per second for each and the ratio; asserts nothing about speed (the machines are noisy), only
that every answer was a 200.

Usage: http_bench.py --trustflow BINARY [--seconds N] [--connections N]
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.request

import boto3
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from loopback import Servers, credentials

arguments = argparse.ArgumentParser()
arguments.add_argument("--trustflow", required=True)
arguments.add_argument("--output", default="output")
arguments.add_argument("--seconds", type=int, default=10)
arguments.add_argument("--connections", type=int, default=16)
options = arguments.parse_args()
here = os.path.dirname(os.path.abspath(__file__))
region = "us-east-1"
def data_role(endpoint, function):
    sts = boto3.client("sts", region_name=region, endpoint_url=endpoint, aws_access_key_id=function["AccessKeyId"],
                       aws_secret_access_key=function["SecretAccessKey"], aws_session_token=function["SessionToken"])
    return sts.assume_role(RoleArn="arn:aws:iam::222222222222:role/DynamoDBAccessRole", RoleSessionName="orders-api")["Credentials"]


def wrk_script(endpoint, credentials, path):
    """A wrk script that replays one GetItem request signed by botocore for `endpoint`."""
    body = json.dumps({"TableName": "Orders", "Key": {"customerId": {"S": "customer-1"}, "orderId": {"S": "order-1"}}})
    request = AWSRequest(method="POST", url=endpoint + "/", data=body,
                         headers={"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "DynamoDB_20120810.GetItem"})
    SigV4Auth(Credentials(credentials["AccessKeyId"], credentials["SecretAccessKey"], credentials["SessionToken"]), "dynamodb", region).add_auth(request)
    # Check it once: it must be answered 200 with the item.
    check = urllib.request.urlopen(urllib.request.Request(endpoint + "/", data=body.encode(), headers=dict(request.headers.items()), method="POST"))
    assert check.status == 200 and b"customer-1" in check.read(), "the signed GetItem was not answered with the item"
    lua = ['wrk.method = "POST"', f"wrk.body = {json.dumps(body)}"]
    for name, value in request.headers.items():
        if name.lower() != "host":
            lua.append(f"wrk.headers[{json.dumps(name)}] = {json.dumps(value)}")
    open(path, "w").write("\n".join(lua) + "\n")


def run_wrk(endpoint, script):
    result = subprocess.run(["wrk", "-t1", f"-c{options.connections}", f"-d{options.seconds}s", "-s", script, endpoint + "/"],
                            capture_output=True, text=True, check=True)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", result.stdout).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", result.stdout)
    errors = re.search(r"Socket errors:.*", result.stdout)
    if bad or errors:
        raise SystemExit(f"http-bench: not every answer was a 200 from {endpoint}:\n{result.stdout}")
    latency = re.search(r"Latency\s+(\S+)", result.stdout).group(1)
    return rate, latency


with tempfile.TemporaryDirectory() as work, Servers("http-bench", work) as servers:
    environment = servers.mock(options.trustflow)
    mock_endpoint = environment["AWS_ENDPOINT_URL"]
    wrk_script(mock_endpoint, data_role(mock_endpoint, credentials(environment)), os.path.join(work, "mock.lua"))

    moto_endpoint = servers.moto()
    seeded = subprocess.run([sys.executable, os.path.join(here, "moto_seed.py"), moto_endpoint, options.output, "ordersFunction"],
                            check=True, capture_output=True, text=True).stdout.split()
    wrk_script(moto_endpoint, data_role(moto_endpoint, credentials(dict(line.split("=", 1) for line in seeded))), os.path.join(work, "moto.lua"))

    ours, our_latency = run_wrk(mock_endpoint, os.path.join(work, "mock.lua"))
    theirs, their_latency = run_wrk(moto_endpoint, os.path.join(work, "moto.lua"))
    print(f"http: trustflow mock {ours:,.0f} GetItem/s (mean latency {our_latency}), moto {theirs:,.0f} GetItem/s (mean latency {their_latency}), "
          f"{ours / theirs:.0f}x; wrk -t1 -c{options.connections} -d{options.seconds}s, keep-alive, one signed GetItem replayed, every answer 200 "
          f"(target >= 10,000/s)")
