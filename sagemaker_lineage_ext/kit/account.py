"""Which account a front door reads, its settings, and the service on them: decided once.

Starting the embedded demo account turns moto on for the whole process (every
botocore client in it is then answered by moto), so a process that has started it
reads nothing else; one that reads real AWS never starts it. The demo account is
chosen when forced (``--demo``, a trait), when ``SAGEMAKER_LINEAGE_DEMO`` says so,
or when no AWS credentials are found and the ``demo`` extra (moto) is installed.
"""

from __future__ import annotations

import importlib.util
import os
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

from ..core.aws import credentials_found
from ..core.config import SETTINGS_BY_NAME, LineageConfig
from ..core.errors import CredentialsError, LineageError, ServiceError
from ..core.http import Outcome, answer_query, new_request_id
from ..core.plan import Progress
from ..core.service import LineageService, configured

INSTALL_DEMO = "pip install 'sagemaker-lineage-ext[demo]'"
CONFIGURE = "configure AWS credentials (aws configure, AWS_PROFILE, or a role)"

_lock = threading.Lock()
_demo_started = False


class DemoUnavailableError(ServiceError):
    """The demo account was asked for, but its extra (moto) is not installed."""

    def __init__(self) -> None:
        super().__init__(f"the embedded demo account is not installed: {INSTALL_DEMO}")


def demo_reason(environ: Mapping[str, str] | None = None, forced: bool | None = None) -> str | None:
    """Why the demo account is to be read (``"forced"``, ``"SAGEMAKER_LINEAGE_DEMO"``,
    ``"no AWS credentials found"``), or None for real AWS. A bad
    ``SAGEMAKER_LINEAGE_DEMO`` raises ``ConfigurationError`` naming it."""
    if forced is not None:
        return "forced" if forced else None
    env = os.environ if environ is None else environ
    setting = SETTINGS_BY_NAME["demo"]
    if env.get("SAGEMAKER_LINEAGE_DEMO", "").strip():
        chosen = setting.parse(env["SAGEMAKER_LINEAGE_DEMO"], "SAGEMAKER_LINEAGE_DEMO")
        return "SAGEMAKER_LINEAGE_DEMO" if chosen else None
    return None if credentials_found() else "no AWS credentials found"


def demo_installed() -> bool:
    """Whether the ``demo`` extra (moto) can be imported."""
    try:
        return importlib.util.find_spec("moto") is not None
    except (ImportError, ValueError):
        return False


class Account:
    """The account, settings and service of one door (thread-safe, built on first use).

    ``demo``: True/False forces the choice; None decides from the environment.
    ``overrides``: setting name -> value (the server's traits), over the environment.
    ``announce`` is told, in one line, when the demo account is about to start (seconds).
    """

    def __init__(
        self,
        *,
        demo: bool | None = None,
        overrides: Mapping[str, object] | None = None,
        demo_latency_ms: float = 0.0,
        environ: Mapping[str, str] | None = None,
        announce: Callable[[str], None] | None = None,
    ) -> None:
        self._announce = announce
        self._forced = demo
        self._overrides = dict(overrides or {})
        self._latency_ms = demo_latency_ms
        self._environ = environ
        self._config: LineageConfig | None = None
        self._service: LineageService | None = None
        self._lock = threading.Lock()
        #: Why the demo account is read (None: real AWS, or not decided yet).
        self.reason: str | None = None

    @classmethod
    def of(cls, service: LineageService) -> Account:
        """An account around a ready service (tests, embedding)."""
        account = cls(demo=service.demo)
        account._config, account._service = service.config, service
        account.reason = "forced" if service.demo else None
        return account

    def config(self) -> LineageConfig:
        """The settings: environment, then overrides; the default region follows
        ``DEFAULT_REGION``, ``AWS_REGION``, the SDK's region. Raises ConfigurationError."""
        with self._lock:
            if self._config is None:
                self._config = configured(self._environ, self._overrides)
            return self._config

    def deadline(self) -> float | None:
        """When a request starting now must answer (a ``time.monotonic()`` value):
        ``request_timeout_s`` from now. None when the settings are bad (the request then
        fails with the error that names the setting)."""
        try:
            return time.monotonic() + self.config().request_timeout_s
        except LineageError:
            return None

    def answer(
        self,
        route: str,
        params: Mapping[str, object],
        *,
        request_id: str | None = None,
        progress: Progress | None = None,
    ) -> Outcome:
        """``GET /<route>?<params>`` on this account (the core's ``answer_query``), within
        the :meth:`deadline` of a request starting now; ``request_id`` defaults to a fresh
        one (``new_request_id``)."""
        return answer_query(
            self, route, params, request_id=request_id or new_request_id(),
            deadline=self.deadline(), progress=progress,
        )  # fmt: skip

    def _reason(self) -> str | None:
        # Checked first, so a bad SAGEMAKER_LINEAGE_DEMO is always reported; then, once
        # moto runs in this process, every read is the demo account's whatever was chosen.
        reason = demo_reason(self._environ, self._forced)
        return reason or ("already started" if _demo_started else None)

    def service(self) -> LineageService:
        """The service, built on first use. Raises ConfigurationError, or (no credentials
        and no demo extra) a CredentialsError that says how to fix it in one line."""
        config = self.config()
        global _demo_started
        with self._lock:
            if self._service is not None:
                return self._service
            reason = self._reason()
            if reason is None:
                self._service = LineageService(config)
                return self._service
            if not demo_installed():
                if reason == "no AWS credentials found":
                    raise CredentialsError(
                        "no AWS credentials found",
                        f"{CONFIGURE}, or install the demo account: {INSTALL_DEMO}",
                    )
                raise DemoUnavailableError()
            from ..demo import demo_service

            if self._announce:
                self._announce("Starting the embedded demo account (no AWS account is used)")
            with _lock:
                self._service = demo_service(config, self._latency_ms)
                _demo_started = True
            self.reason = reason
            return self._service

    @property
    def demo(self) -> bool:
        """Whether the service (once built) reads the embedded demo account."""
        return self._service is not None and self._service.demo

    def notice(self) -> str | None:
        """One line saying the answers come from the demo account, and why (None: real AWS).

        When the default region is not the one the demo's pipelines are in (it follows
        ``AWS_REGION`` and the SDK's region like for a real account), the line says so:
        a read without a region would otherwise find nothing, with no hint why."""
        if not self.demo:
            return None
        from ..demo.seed import REGION as DEMO_REGION

        why = {
            "no AWS credentials found": " (no AWS credentials found; set "
            "SAGEMAKER_LINEAGE_DEMO=0 to refuse it, or " + CONFIGURE + ")",
            "SAGEMAKER_LINEAGE_DEMO": " (SAGEMAKER_LINEAGE_DEMO is set)",
        }.get(self.reason or "", "")
        region = self.config().default_region
        if region != DEMO_REGION:
            why += (
                f"; its pipelines are in {DEMO_REGION}, and a read without a region reads "
                f"{region} (set DEFAULT_REGION={DEMO_REGION})"
            )
        return f"reading the embedded demo account, not AWS{why}"


def region_hint(answer: Mapping[str, Any]) -> str | None:
    """For a listing that found no pipeline at all in its region (``/pipelines``, or an
    ``/artifact`` scan of none): a line saying which region was read and where to look
    instead (the demo account's pipelines are all in one region), since an empty list
    is most often the wrong region. None for anything else."""
    region = answer.get("region")
    if not region or answer.get("pipelines") != [] or answer.get("scanned", 0) != 0:
        return None
    from ..demo.seed import REGION as DEMO_REGION

    if not answer.get("demo"):
        return f"no pipelines in {region}: are yours in another region? (--region R)"
    if region == DEMO_REGION:
        return None
    return f"no pipelines in {region}: the demo account's pipelines are in {DEMO_REGION} (--region {DEMO_REGION})"
