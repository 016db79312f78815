"""Watching the AWS calls of the core: for tests and benchmarks, off the production path.

``AwsGateway.observe(observer)`` hands each finished AWS call to ``observer`` as a
:class:`CallRecord`; :class:`CallLog` is the observer the tests and benchmarks use
to count calls and dependent rounds. A gateway with no observer makes no records.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class CallRecord:
    operation: str
    start: float
    end: float
    #: Dependent round of the plan this call belongs to (1 = needs nothing read before it).
    depth: int = 0


class CallLog:
    """An observer that records every AWS call (thread-safe), to count calls and rounds.

    Attach it to a gateway with ``gateway.observe(log)`` (tests and benchmarks do);
    a gateway without observers records nothing.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.records: list[CallRecord] = []

    def __call__(self, record: CallRecord) -> None:
        with self._lock:
            self.records.append(record)

    def reset(self) -> None:
        with self._lock:
            self.records = []

    @property
    def calls(self) -> int:
        return len(self.records)

    def rounds(self) -> int:
        """Length of the longest chain of calls where each began after the previous ended.

        With a fixed per-call latency this is the number of dependent rounds the
        reads really took, however the work was scheduled.
        """
        records = sorted(self.records, key=lambda r: r.start)
        depth: list[int] = []
        for i, rec in enumerate(records):
            before = [depth[j] for j in range(i) if records[j].end <= rec.start]
            depth.append(1 + max(before, default=0))
        return max(depth, default=0)

    def max_in_flight(self) -> int:
        """Most calls that were under way at the same moment."""
        events = sorted([(r.start, 1) for r in self.records] + [(r.end, -1) for r in self.records])
        current = peak = 0
        for _, change in events:
            current += change
            peak = max(peak, current)
        return peak

    def depth(self) -> int:
        """Dependent rounds as planned: the longest chain of reads that needed the one before."""
        return max((r.depth for r in self.records), default=0)

    def by_operation(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for rec in self.records:
            counts[rec.operation] = counts.get(rec.operation, 0) + 1
        return counts


#: What ``AwsGateway.observe`` accepts.
CallObserver = Callable[[CallRecord], None]
