"""Fault injection for the integration tests: answers put in place of an HTTP response."""

from __future__ import annotations

import json
import subprocess
import sys

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


#: What neither the core nor the Lambda asset may import: Jupyter, widgets, the demo's moto.
NOT_IN_CORE = (
    "jupyter_server",
    "jupyterlab",
    "tornado",
    "ipywidgets",
    "ipycytoscape",
    "IPython",
    "moto",
)


def imported_after(statement: str, python: str = sys.executable) -> set[str]:
    """Every module name a fresh interpreter (``python``) has loaded after ``statement``."""
    code = (
        "import sys, json\n"
        "before = set(sys.modules)\n"
        f"{statement}\n"
        "print(json.dumps(sorted(set(sys.modules) - before)))\n"
    )
    out = subprocess.run([python, "-c", code], capture_output=True, text=True, check=True)
    return set(json.loads(out.stdout))


def packages_after(statement: str) -> set[str]:
    """The top-level packages a fresh interpreter has loaded after ``statement``."""
    return {name.split(".")[0] for name in imported_after(statement)}


#: Invalid /lineage queries and the start of the 400 message for each: every HTTP
#: front door (the core's mapping, the Lambda) is tested with the same table.
INVALID_LINEAGE_QUERIES = [
    ({}, "pipeline is required"),
    ({"pipeline": ""}, "pipeline is required"),
    ({"pipeline": "bad_name"}, "pipeline must be"),
    ({"pipeline": "mlops-pipeline", "region": "not-a-region"}, "region is not a valid"),
    ({"pipeline": "mlops-pipeline", "includeLatestExec": "yes"}, "includeLatestExec must be"),
    ({"pipeline": "mlops-pipeline", "executionArn": "arn:aws:s3:::x"}, "executionArn is not"),
    ({"pipeline": "mlops-pipeline", "domain": "bad domain!"}, "domain is not"),
]
INVALID_LINEAGE_IDS = [
    "missing", "empty", "pipeline", "region", "includeLatestExec", "executionArn", "domain",
]  # fmt: skip


def observed(service, log):
    """``service.lineage`` that hands every AWS call it makes to ``log`` (a CallLog)."""

    def lineage(request, **kwargs):
        service.gateway.observe(log)
        try:
            return service.lineage(request, **kwargs)
        finally:
            service.gateway.unobserve(log)

    return lineage


def demo_run_name(prefix: str, hours_ago: float) -> str:
    """The display name the demo account gives a run that started ``hours_ago`` before its
    epoch (``nightly-{date}``: names and start dates agree, demo/seed.py)."""
    from datetime import timedelta

    from sagemaker_lineage_ext.demo import DemoAccount

    return f"{prefix}-{DemoAccount.get().epoch - timedelta(hours=hours_ago):%Y-%m-%d}"
