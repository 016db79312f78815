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
    assert [w["code"] for w in request_timeouts] == ["Timeout", "Incomplete"]
    assert "did not finish before the deadline" in request_timeouts[0]["message"]
    # what was not read is said to be missing, never a guess: 200 steps need 4 rounds of
    # 300 ms, so jobs were still undescribed at 1 s; the answer counts and names them
    incomplete = body["summary"]["incomplete"]
    assert incomplete > 0
    assert f"{incomplete} steps are not fully read yet" in request_timeouts[1]["message"]
    assert took < 10, "without the deadline this read takes about 5 s at 300 ms per call"
