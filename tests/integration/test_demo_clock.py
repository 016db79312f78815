"""The demo account's clock is one shared thing for processes started together
(demo/clock.py): every time of the demo is relative to ``SAGEMAKER_LINEAGE_DEMO_EPOCH``,
so a Jupyter server and its kernels (or two CLI runs) show the same times."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta

import pytest

from sagemaker_lineage_ext.core.errors import ConfigurationError
from sagemaker_lineage_ext.demo.clock import EPOCH_ENV, demo_epoch, parse_epoch, share_epoch

EPOCH = "2026-11-29T17:00:00.000Z"


def dump(pipeline: str, env: dict[str, str]) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "sagemaker_lineage_ext", "dump", "--demo", "--pipeline-name",
         pipeline, "--region", "ap-northeast-2"],
        env=env, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    answer = json.loads(done.stdout)
    for artifact in answer["graph"]["artifacts"]:
        if artifact["s3"]:
            artifact["s3"].pop("readAt")  # when this process read the posture: its own
    return answer


def test_demo_clock_processes_sharing_an_epoch_show_the_same_times():
    # GIVEN two processes started one after the other with the same epoch
    env = dict(os.environ, **{EPOCH_ENV: EPOCH})
    first = dump("fraud-detection-pipeline", env)
    second = dump("fraud-detection-pipeline", env)
    # THEN they answer the same, to the millisecond, dated from that epoch
    assert first == second
    started = datetime.fromisoformat(first["execution"]["startTime"].replace("Z", "+00:00"))
    assert started == parse_epoch(EPOCH) - timedelta(hours=6)
    assert first["execution"]["displayName"] == f"daily-{started:%Y-%m-%d}"


def test_demo_clock_epoch_is_shared_once_and_checked():
    env: dict[str, str] = {}
    value = share_epoch(env)
    assert env[EPOCH_ENV] == value and share_epoch(env) == value  # set once, then kept
    assert demo_epoch(env) == parse_epoch(value)
    with pytest.raises(ConfigurationError, match=EPOCH_ENV):
        demo_epoch({EPOCH_ENV: "yesterday"})
    with pytest.raises(ConfigurationError, match="offset"):
        parse_epoch("2026-11-29T17:00:00")  # no offset: whose 17:00?
