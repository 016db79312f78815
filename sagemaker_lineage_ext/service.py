"""Which AWS account the front doors read: the real one, or the embedded demo account.

Decided once per process. Starting the demo account turns moto on for the whole
process (every botocore client in it is then answered by moto), so a process
that has started it cannot also read real AWS; one that reads real AWS never
starts it.
"""

from __future__ import annotations

import threading

from .core import LineageConfig, LineageService

_lock = threading.Lock()
_demo_started = False


def make_service(
    config: LineageConfig, demo: bool | None = None, demo_latency_ms: float = 0.0
) -> LineageService:
    """A LineageService on the demo account (forced, ``SAGEMAKER_LINEAGE_DEMO``, or no
    AWS credentials found) or on real AWS through the normal boto3 credential chain.

    ``demo_latency_ms`` slows every demo AWS call down, to try a slow account."""
    global _demo_started
    from .demo.account import demo_requested

    with _lock:
        if _demo_started or demo_requested(forced=demo):
            from .demo import demo_service

            _demo_started = True
            return demo_service(config, demo_latency_ms)
    return LineageService(config)


def demo_active() -> bool:
    """Whether this process runs on the demo account."""
    return _demo_started
