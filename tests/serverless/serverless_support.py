"""Helpers of the serverless tests: recorded API Gateway proxy events, a Lambda context."""

from __future__ import annotations

import copy
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EVENTS = ROOT / "tests" / "events"
SERVERLESS = ROOT / "serverless"
# The CDK app is not a package of the project: its stacks import as ``stacks.*``
# from serverless/, exactly as app.py imports them when the CDK CLI runs it.
if str(SERVERLESS) not in sys.path:
    sys.path.insert(0, str(SERVERLESS))


def proxy_event(name: str, query: dict[str, str | list[str]] | None = None, **fields) -> dict:
    """A recorded API Gateway REST proxy event from tests/events/, with another query string.

    ``query`` is set the way API Gateway sets it: every value in
    ``multiValueQueryStringParameters``, the last one in ``queryStringParameters``,
    both ``null`` when there is no query string.
    """
    event = copy.deepcopy(json.loads((EVENTS / name).read_text("utf-8")))
    if query is not None:
        multi = {k: (v if isinstance(v, list) else [v]) for k, v in query.items()}
        event["multiValueQueryStringParameters"] = multi or None
        event["queryStringParameters"] = {k: v[-1] for k, v in multi.items()} or None
    for key, value in fields.items():
        event[key] = value
    return event


class LambdaContext:
    """The attributes of the Lambda runtime's context object that the handler reads.

    The remaining time counts down for real from ``budget_ms``, as in Lambda.
    """

    def __init__(self, request_id: str = "8f3a1c2e-5b7d-4e9f-a1b2-c3d4e5f60718", budget_ms=25000):
        self.aws_request_id = request_id
        self.function_name = "LineageApiFn"
        self.memory_limit_in_mb = 1024
        self._ends = time.monotonic() + budget_ms / 1000

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._ends - time.monotonic()) * 1000))
