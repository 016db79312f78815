"""Lifecycle of the demo account: start moto once per process, seed it, hand out clients."""

from __future__ import annotations

import gc
import os
import random
import threading
from datetime import datetime
from typing import Any

from ..core.aws import AwsGateway
from ..core.config import LineageConfig
from ..core.service import LineageService, configured
from . import hooks, live
from .seed import DENIED_BUCKETS, REGION

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
        # moto draws execution ids from the global ``random``: seed it for the
        # seeding only, so the demo's ids are the same every run, then put it back.
        state = random.getstate()
        random.seed(20261126)
        try:
            self.step_records, self.failure_reasons, advancing = seed_account(
                self._seed_sm, self._seed_s3, self.backend
            )
        finally:
            random.setstate(state)
        #: executions that advance in wall-clock time, and the step records as of now
        self.advancing = {
            arn: live.AdvancingExecution(arn, tuple(self.step_records[arn]), status)
            for arn, status in advancing.items()
        }
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
            live.install(client, self.advancing, self._now)
        return hooks.install(
            client, self.records_now, DENIED_BUCKETS, latency_s, self.failure_reasons, empty
        )

    def _now(self) -> datetime:
        return self.clock()


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
