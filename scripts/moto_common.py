"""What the moto scripts share: boto3 clients that pick a moto account, moto's copy of a policy, moto's own API.

moto (docs: /work/shared/design/MOTO.md) authorizes calls (S3's and sts:AssumeRole aside) against Resource "*" and
evaluates no conditions,
so the policies it is given are widened by `for_moto`; every script that puts a policy into moto uses that one copy.
"""
import json
import urllib.request

import boto3


def client_factory(endpoint, region):
    """`client(service, account, key=…, secret=…, token=…)`: a boto3 client on `endpoint`, in moto account `account`
    (the x-moto-account-id header; `None` for the account of the access key)."""
    def client(service, account, **credentials):
        c = boto3.client(service, endpoint_url=endpoint, region_name=region,
                         aws_access_key_id=credentials.get("key", "testing"),
                         aws_secret_access_key=credentials.get("secret", "testing"),
                         aws_session_token=credentials.get("token"))
        if account:
            def pick_account(request, **_):
                request.headers["x-moto-account-id"] = account
            c.meta.events.register("before-sign.*.*", pick_account)
        return c
    return client


def for_moto(document):
    """The policy with its statements on Resource "*" (moto authorizes every service but S3 and sts:AssumeRole against
    "*": DynamoDB, KMS, SQS, SNS, Secrets Manager, Lambda) and no conditions."""
    document = json.loads(json.dumps(document))
    statements = document["Statement"] if isinstance(document["Statement"], list) else [document["Statement"]]
    for statement in statements:
        actions = statement.get("Action", [])
        actions = [actions] if isinstance(actions, str) else actions
        if any(not a.lower().startswith(("s3:", "sts:")) for a in actions):
            statement["Resource"] = "*"
        statement.pop("Condition", None)
    document["Statement"] = statements
    return document


def moto_api(endpoint, path, body):
    """POST to moto's own API (`reset`, `reset-auth` with b"0" to switch authentication on, b"inf" off). A form
    content type makes moto answer 500, so the body goes as text/plain."""
    request = urllib.request.Request(f"{endpoint}/moto-api/{path}", data=body, method="POST",
                                     headers={"Content-Type": "text/plain"})
    urllib.request.urlopen(request).read()
