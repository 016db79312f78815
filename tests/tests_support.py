"""Fault injection for the integration tests: answers put in place of an HTTP response."""

from __future__ import annotations

import json

from botocore.awsrequest import AWSResponse


class _Body:
    def __init__(self, data: bytes) -> None:
        self._data = data

    def stream(self, **_):
        yield self._data


def json_error(status: int, code: str, message: str) -> AWSResponse:
    body = json.dumps({"__type": code, "message": message}).encode()
    headers = {"Content-Type": "application/x-amz-json-1.1", "x-amzn-RequestId": "test-request"}
    return AWSResponse("https://api.sagemaker.invalid/", status, headers, _Body(body))
