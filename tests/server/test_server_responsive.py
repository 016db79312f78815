"""The server stays responsive while a slow lineage is being read.

GIVEN the demo account with 100 ms per AWS call, WHEN the 200-step pipeline's
lineage is being read, THEN other Jupyter requests are answered meanwhile (the
read runs off the event loop). The figure is printed; the assertion is on order.
"""

from __future__ import annotations

import asyncio
import json
import time

import pytest


@pytest.fixture
def jp_server_config(demo_account):
    return {
        "ServerApp": {"jpserver_extensions": {"sagemaker_lineage_ext": True}},
        "LineageExtensionApp": {"demo": True, "demo_latency_ms": 100.0},
    }


async def test_server_answers_other_requests_during_a_slow_read(jp_fetch, capsys):
    started = time.perf_counter()
    lineage = asyncio.ensure_future(
        jp_fetch("sagemaker-lineage", "lineage", params={"pipeline": "large-pipeline-200"})
    )
    await asyncio.sleep(0.3)  # the read is under way
    latencies = []
    for _ in range(5):
        t0 = time.perf_counter()
        status = await jp_fetch("api", "status")
        latencies.append(time.perf_counter() - t0)
        assert status.code == 200
    assert not lineage.done(), "the lineage read finished before the other requests were tried"
    response = await lineage
    total = time.perf_counter() - started
    body = json.loads(response.body)
    assert body["summary"]["stepCount"] == 200
    with capsys.disabled():
        print(
            f"\n  /api/status during a {total:.2f} s lineage read: "
            f"max {max(latencies) * 1000:.1f} ms, median {sorted(latencies)[2] * 1000:.1f} ms"
        )
