"""The read plan's engine: AWS reads as futures, each with a handler that may start more.

Reads start as soon as what they depend on has arrived, so wall time is set by the
number of dependent rounds, not by the number of steps or buckets. A read the answer
can do without becomes a warning when it fails (:func:`warning_for`); a deadline stops
new reads and cancels queued ones.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import Future
from itertools import count
from queue import Empty, PriorityQueue
from typing import Any

from .aws import After, AwsGateway, round_of
from .errors import (
    AccessDeniedError,
    AwsReadError,
    CredentialsError,
    DeadlineError,
    LineageError,
    NotFoundError,
    ThrottledError,
)
from .export import plural
from .models import AnswerWarning

log = logging.getLogger("sagemaker_lineage_ext")

_WARNING_CODES: dict[type, str] = {
    AccessDeniedError: "AccessDenied",
    NotFoundError: "NotFound",
    ThrottledError: "Throttled",
    CredentialsError: "Credentials",
    DeadlineError: "Timeout",
}


def warning_for(exc: BaseException, target: str, what: str) -> AnswerWarning:
    """A warning for a read the answer could do without (``code``: AWS's error code, or
    AccessDenied / NotFound / Throttled / Credentials / Timeout / Error / InternalError)."""
    if isinstance(exc, AwsReadError):
        code = exc.code
    elif isinstance(exc, LineageError):
        code = _WARNING_CODES.get(type(exc), "Error")
    else:
        code = "InternalError"
    if isinstance(exc, NotFoundError):
        detail = "it does not exist (any more)"
    elif isinstance(exc, LineageError):
        detail = exc.user_message
    else:
        detail = "see the server log"
    return {"code": code, "target": target, "message": f"could not read {what}: {detail}"}


def result_or_warning(
    future: Future[Any], warnings: list[AnswerWarning], target: str, what: str
) -> Any:
    """A read the answer can do without: its result, or ``None`` and a warning."""
    try:
        return future.result()
    except Exception as exc:
        if not isinstance(exc, LineageError):
            log.exception("lineage: reading %s of %s failed", what, target)
        warnings.append(warning_for(exc, target, what))
        return None


def timeout_warning(skipped: int, target: str = "request") -> AnswerWarning:
    return {
        "code": "Timeout",
        "target": target,
        "message": f"{plural(skipped, 'AWS read')} did not finish before the deadline; "
        "what they would have told is Unknown or missing",
    }


class Dataflow:
    """Futures with a handler each; handlers may start more reads.

    A failing handler never takes the request down: it is logged and becomes a
    warning. Past the deadline (a ``time.monotonic()`` value) no read starts, and
    :meth:`close` cancels whatever is still queued.
    """

    def __init__(
        self, gateway: AwsGateway, deadline: float | None, warnings: list[AnswerWarning]
    ) -> None:
        self.gateway = gateway
        self.deadline = deadline
        self.warnings = warnings
        self.pending: dict[Future[Any], Callable[[Future[Any]], None]] = {}
        #: Reads as they finish, each future putting itself here as (0 for a read on the
        #: critical path else 1, order, future): ``run`` takes them one by one, critical
        #: ones first, never waiting on every pending future again for each that finishes.
        self.finished: PriorityQueue[tuple[int, int, Future[Any]]] = PriorityQueue()
        self._order = count()
        #: What reads started now depend on (the dependent round they belong to).
        self.after: After = None
        #: The deepest round any finished read reached.
        self.deepest = 0
        #: Reads the deadline cut off (never started, or still running at it).
        self.skipped = 0

    def start(
        self,
        handler: Callable[[Future[Any]], None],
        fn: Callable[..., Any],
        *args: Any,
        critical: bool = False,
    ) -> None:
        """Start ``fn(*args)`` on the gateway's pool; ``handler`` gets its future once it
        finished. A ``critical`` read (the next step page: every later round waits for it)
        is handled before reads that finished at the same time."""
        if self.expired:
            self.skipped += 1  # past the deadline: not worth starting
            return
        future = self.gateway.submit(fn, *args, after=self.after)
        self.pending[future] = handler
        rank = 0 if critical else 1
        future.add_done_callback(lambda f: self.finished.put((rank, next(self._order), f)))

    @property
    def expired(self) -> bool:
        return self.deadline is not None and time.monotonic() >= self.deadline

    def run(self) -> None:
        """Run until nothing is pending or the deadline passes."""
        while self.pending:
            timeout = None if self.deadline is None else self.deadline - time.monotonic()
            if timeout is not None and timeout <= 0:
                break
            try:
                _, _, future = self.finished.get(timeout=timeout)
            except Empty:
                break
            handler = self.pending.pop(future, None)
            if handler is None:
                continue  # cancelled by an earlier run's close
            self.after = future
            self.deepest = max(self.deepest, round_of(future))
            try:
                handler(future)
            except Exception as exc:  # a bug in one handler must not lose the whole graph
                log.exception("lineage: a read's handler failed")
                self.warnings.append(warning_for(exc, "request", "part of the lineage"))
        self.skipped += len(self.pending)
        self.close()

    def timeout_warning(self) -> AnswerWarning | None:
        """One warning for every read the deadline cut off, if any was."""
        return timeout_warning(self.skipped) if self.skipped else None

    def close(self) -> None:
        for future in self.pending:
            future.cancel()
        self.pending.clear()
