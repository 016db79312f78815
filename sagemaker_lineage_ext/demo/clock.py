"""The demo account's epoch: the moment every demo time is relative to, shared by the
processes started together.

Each process seeds its own demo account (moto lives in the process), so a Jupyter
server and the kernels it starts would each date the demo's executions from their own
start, and a notebook and the side panel would show different times for the same run.
``SAGEMAKER_LINEAGE_DEMO_EPOCH`` (ISO-8601 UTC, e.g. ``2026-11-29T17:00:00.000Z``)
fixes the epoch: the server (``./run demo``, or a server with ``demo=True``) sets it once
for itself and every process it starts, as it sets ``SAGEMAKER_LINEAGE_DEMO=1``.
"""

from __future__ import annotations

import os
from collections.abc import MutableMapping
from datetime import datetime, timezone

from ..core.errors import ConfigurationError

EPOCH_ENV = "SAGEMAKER_LINEAGE_DEMO_EPOCH"


def _format(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_epoch(text: str) -> datetime:
    """``SAGEMAKER_LINEAGE_DEMO_EPOCH``'s value as an aware UTC datetime, whole milliseconds
    (AWS timestamps carry milliseconds); ``ConfigurationError`` naming it when malformed."""
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise ConfigurationError(
            f"{EPOCH_ENV} must be an ISO-8601 time with its offset "
            f"(like 2026-11-29T17:00:00Z), not {text.strip()[:40]!r}"
        )
    moment = moment.astimezone(timezone.utc)
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def demo_epoch(environ: MutableMapping[str, str] | None = None) -> datetime:
    """The epoch this process's demo account dates everything from: the shared one when
    set, else now."""
    env = os.environ if environ is None else environ
    text = env.get(EPOCH_ENV, "").strip()
    return parse_epoch(text) if text else parse_epoch(_format(datetime.now(timezone.utc)))


def share_epoch(environ: MutableMapping[str, str] | None = None) -> str:
    """Fix the epoch for this process and every process it starts from now on (its
    kernels): keeps one already set (checked), else sets now. Returns the value."""
    env = os.environ if environ is None else environ
    text = env.get(EPOCH_ENV, "").strip()
    if text:
        parse_epoch(text)
        return text
    env[EPOCH_ENV] = _format(datetime.now(timezone.utc))
    return env[EPOCH_ENV]
