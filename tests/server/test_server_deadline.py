"""A slow account: the server answers within its request timeout, with what it read.

GIVEN 300 ms per AWS call and ``request_timeout_s=1``, WHEN the 200-step
pipeline is read, THEN the answer is a 200 with a Timeout warning, not a hang.
"""

from __future__ import annotations

import json
import time

import pytest


@pytest.fixture
def jp_server_config(demo_account):
    return {
        "ServerApp": {"jpserver_extensions": {"sagemaker_lineage_ext": True}},
        "LineageExtensionApp": {
            "demo": True,
            "demo_latency_ms": 300.0,
            "request_timeout_s": 1.0,
        },
    }


async def test_server_slow_read_ends_at_the_request_timeout(jp_fetch, validate_lineage):
    started = time.monotonic()
    response = await jp_fetch(
        "sagemaker-lineage", "lineage", params={"pipeline": "large-pipeline-200"}
    )
    took = time.monotonic() - started
    body = validate_lineage(json.loads(response.body))
    assert response.code == 200
    request_timeouts = [w for w in body["warnings"] if w["target"] == "request"]
    assert [w["code"] for w in request_timeouts] == ["Timeout"]
    assert "did not finish before the deadline" in request_timeouts[0]["message"]
    # what was not read is Unknown, with its own warning, never a guess
    unknown = [a for a in body["graph"]["artifacts"] if "Unknown" in (a["s3"] or {}).values()]
    assert unknown
    assert took < 10, "without the deadline this read takes about 5 s at 300 ms per call"
