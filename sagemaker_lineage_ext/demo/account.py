"""Lifecycle of the demo account: start moto once per process, seed it, hand out clients."""

from __future__ import annotations

import contextlib
import gc
import os
import random
import threading
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from ..core.aws import AwsGateway
from ..core.config import LineageConfig
from ..core.service import LineageService, configured
from . import hooks, live
from .clock import demo_epoch
from .seed import DENIED_BUCKETS, REGION, start_live_run

_FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "demo",
    "AWS_SECRET_ACCESS_KEY": "demo",
    "AWS_SESSION_TOKEN": "demo",
}


class DemoAccount:
    """One moto account per process, seeded on first use (thread-safe)."""

    _instance: DemoAccount | None = None
    _lock = threading.Lock()

    def __init__(self) -> None:
        from moto import mock_aws  # imported here: only the demo needs moto

        # moto would otherwise put fake AWS_* credentials into os.environ, and every
        # process started from here on (a Jupyter server's kernels) would inherit them
        # and stop looking for real ones. Our clients carry their own fake credentials.
        self._mock = mock_aws(config={"core": {"mock_credentials": False}})
        self._mock.start()
        import boto3
        from moto.sagemaker.models import sagemaker_backends

        from .seed import ACCOUNT, seed_account

        self.region = REGION
        self.backend = sagemaker_backends[ACCOUNT][REGION]
        session = boto3.session.Session(region_name=REGION, **_session_credentials())
        self._seed_sm = session.client("sagemaker")
        self._seed_s3 = session.client("s3")
        #: execution ARN -> the step records ListPipelineExecutionSteps serves
        #: every time of the demo is relative to it (shared with the processes started
        #: together: ``clock.py``)
        self.epoch = demo_epoch()
        with _seeded_random(20261126):
            self.step_records, self.failure_reasons, advancing = seed_account(
                self._seed_sm, self._seed_s3, self.backend, self.epoch
            )
        #: executions that advance in wall-clock time, and the step records as of now
        self.advancing = {
            arn: live.AdvancingExecution(arn, tuple(self.step_records[arn]), status, name, start)
            for arn, (name, start, status) in advancing.items()
        }
        #: a fresh run of each advancing pipeline whenever the one before has ended
        self.restarts = [
            live.Restarts(execution, self._start_live_run, self.advancing, self.step_records)
            for execution in list(self.advancing.values())
        ]
        self.clock: live.Clock = live.utcnow
        self.records_now = live.StepRecordsAt(self.step_records, self.advancing, self._now)
        # moto's seeded state is a large, long-lived heap: keep the garbage
        # collector from walking it on every full collection (measured: 200+ ms
        # pauses in the middle of a request).
        gc.collect()
        gc.freeze()
        self._session = session
        self._session_lock = threading.Lock()

    @classmethod
    def get(cls) -> DemoAccount:
        with cls._lock:
            if cls._instance is None:
                cls._instance = cls()
            return cls._instance

    def client(self, service: str, region: str, config: Any = None, latency_s: float = 0.0) -> Any:
        """A real botocore client on the demo account, with the hooks moto needs."""
        with self._session_lock:  # boto3 sessions are not thread-safe
            client = self._session.client(service, region_name=region, config=config)
        empty = service == "sagemaker" and not _moto_knows(service, region)
        if client.meta.service_model.service_name == "sagemaker":
            client.meta.events.register("before-call.sagemaker", self._advance)
            live.install(client, self.advancing, self._now)
        return hooks.install(
            client, self.records_now, DENIED_BUCKETS, latency_s, self.failure_reasons, empty
        )

    def _now(self) -> datetime:
        return self.clock()

    def _advance(self, **_: Any) -> None:
        """Before every SageMaker call: start the advancing pipelines' runs that are due."""
        now = self._now()
        for restarts in self.restarts:
            restarts.advance(now)

    def _start_live_run(self, pipeline: str, start: datetime, run: int) -> tuple[str, list, str]:
        # moto draws the execution id from ``random``: seeded by the run, so every process
        # sharing the epoch gives run n the same ARN
        with _seeded_random(20261126 + run):
            return start_live_run(self._seed_sm, self._seed_s3, self.backend, pipeline, start, run)


@contextlib.contextmanager
def _seeded_random(seed: int) -> Iterator[None]:
    """moto draws ids from the global ``random``: seed it for the seeding only, so the
    demo's ids are the same every run, then put it back."""
    state = random.getstate()
    random.seed(seed)
    try:
        yield
    finally:
        random.setstate(state)


def _moto_knows(service: str, region: str) -> bool:
    """Whether moto has a ``service`` backend for ``region`` (it raises KeyError inside
    a call for a region it has never heard of)."""
    from moto.backends import get_backend

    from .seed import ACCOUNT

    try:
        get_backend(service)[ACCOUNT][region]  # type: ignore[call-overload]
    except KeyError:
        return False
    return True


def _session_credentials() -> dict[str, str]:
    return {
        "aws_access_key_id": _FAKE_CREDENTIALS["AWS_ACCESS_KEY_ID"],
        "aws_secret_access_key": _FAKE_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        "aws_session_token": _FAKE_CREDENTIALS["AWS_SESSION_TOKEN"],
    }


def demo_gateway(config: LineageConfig | None = None, latency_ms: float = 0.0) -> AwsGateway:
    """An AwsGateway whose clients talk to the demo account."""
    account = DemoAccount.get()
    latency = latency_ms / 1000.0

    def factory(service: str, region: str, botocore_config: Any) -> Any:
        return account.client(service, region, botocore_config, latency)

    return AwsGateway(config or demo_config(), client_factory=factory)


def demo_config() -> LineageConfig:
    """The environment's settings for code that reads the demo account directly (tests,
    benchmarks, scripts), the default region ``DEFAULT_REGION``, else the demo's own: the
    machine's AWS region is about a real account. (The doors' Account follows the AWS
    region for the demo account too, and says where its pipelines are.)"""
    default_region = os.environ.get("DEFAULT_REGION", "").strip() or REGION
    return configured({**os.environ, "DEFAULT_REGION": default_region})


def demo_service(config: LineageConfig | None = None, latency_ms: float = 0.0) -> LineageService:
    """A LineageService on the demo account."""
    gateway = demo_gateway(config, latency_ms)
    return LineageService(gateway.config, gateway, demo=True)
