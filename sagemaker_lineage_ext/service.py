"""Which AWS account the front doors read: the real one, or the embedded demo account.

Decided once per process. Starting the demo account turns moto on for the whole
process (every botocore client in it is then answered by moto), so a process
that has started it cannot also read real AWS; one that reads real AWS never
starts it.
"""

from __future__ import annotations

import importlib.util
import os
import threading

from .core import LineageConfig, LineageService
from .core.errors import CredentialsError, ServiceError

#: How to get the demo account, which the base install leaves out (it needs moto).
DEMO_INSTALL = "pip install 'sagemaker-lineage-ext[demo]'"


class DemoNotInstalledError(CredentialsError):
    """The demo account was chosen (asked for, or no AWS credentials found), but moto,
    which the ``demo`` extra installs, is not importable."""

    def __init__(self, asked_for: bool) -> None:
        if asked_for:
            message = f"the demo account is not installed: {DEMO_INSTALL}"
        else:
            message = (
                "no AWS credentials found: configure them (aws configure, AWS_PROFILE or "
                f"AWS_ACCESS_KEY_ID), or install the demo account: {DEMO_INSTALL}"
            )
        ServiceError.__init__(self, message)


_lock = threading.Lock()
_demo_started = False


def make_service(
    config: LineageConfig, demo: bool | None = None, demo_latency_ms: float = 0.0
) -> LineageService:
    """A LineageService on the demo account (forced, ``SAGEMAKER_LINEAGE_DEMO``, or no
    AWS credentials found) or on real AWS through the normal boto3 credential chain.

    ``demo_latency_ms`` slows every demo AWS call down, to try a slow account.
    Raises DemoNotInstalledError when the demo is chosen but not installed."""
    global _demo_started
    with _lock:
        if _demo_started or demo_chosen(demo):
            from .demo import demo_service

            _demo_started = True
            return demo_service(config, demo_latency_ms)
    return LineageService(config)


def demo_chosen(demo: bool | None = None) -> bool:
    """Whether the demo account is chosen: forced (``demo``, ``SAGEMAKER_LINEAGE_DEMO``),
    or no AWS credentials found.

    Raises DemoNotInstalledError when it is, but moto (the ``demo`` extra) is missing."""
    from .demo.account import demo_requested

    if not demo_requested(forced=demo):
        return False
    if importlib.util.find_spec("moto") is None:
        asked_for = demo is not None or bool(os.environ.get("SAGEMAKER_LINEAGE_DEMO"))
        raise DemoNotInstalledError(asked_for)
    return True


def demo_active() -> bool:
    """Whether this process runs on the demo account."""
    return _demo_started
