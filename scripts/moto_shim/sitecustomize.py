"""Loaded only by scripts/moto-test.sh (on PYTHONPATH) for the Python twins it runs against moto.

moto answers an authorization failure of a JSON-protocol service (DynamoDB) with HTTP 403 and an XML ErrorResponse,
where AWS sends HTTP 400 JSON with __type AccessDeniedException (MOTO.md). botocore's JSON parser then reports the
code "403" and the XML as the message. This shim reads such a body as AWS's error (code and message), so that the
twins — written for AWS, not for moto — see the error AWS would send. It changes nothing else.
"""
import re

import botocore.parsers

_json_error = botocore.parsers.BaseJSONParser._do_error_parse


def _do_error_parse(self, response, shape):
    body = response.get("body") or b""
    if body.lstrip().startswith(b"<?xml") and b"<Code>" in body:
        text = body.decode("utf-8", "replace")
        code = re.search(r"<Code>(.*?)</Code>", text, re.S)
        message = re.search(r"<Message>(.*?)</Message>", text, re.S)
        name = code.group(1) if code else "AccessDenied"
        return {
            "Error": {"Code": "AccessDeniedException" if name == "AccessDenied" else name, "Message": message.group(1) if message else ""},
            "ResponseMetadata": {},
        }
    return _json_error(self, response, shape)


botocore.parsers.BaseJSONParser._do_error_parse = _do_error_parse
