"""An execution of the demo account that advances in wall-clock time, run after run.

The seeding simulates it to its end with step times that lie ahead (``seed.py``,
``ExecutionSeed.advancing``). These views show it as SageMaker would at the moment
of each call, from the clock alone: a step is listed once its start time has
passed, and is ``Executing`` until its end time; the execution is ``Executing``
until its last step ends, then takes its final status; a job is ``InProgress``
until the step that runs it ends. :class:`Restarts` then starts a fresh execution
(a new ARN, as a schedule would) :data:`PAUSE_S` seconds after each run ends, so
whenever one looks, a run is under way or has just finished. Run ``n`` starts at
``first start + (n - 1) * period``: the same moment after the account's epoch always
gives the same answers, and a client polling the lineage watches steps start and finish.

Every rewritten answer is validated against botocore's output shape for the
operation (``hooks.validate_fields``), as the other canned answers are.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from .hooks import validate_fields

Clock = Callable[[], datetime]

#: Describe operation -> (status key, in-progress status, end-time keys to drop)
JOB_OPERATIONS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "DescribeTrainingJob": ("TrainingJobStatus", "InProgress", ("TrainingEndTime",)),
    "DescribeProcessingJob": ("ProcessingJobStatus", "InProgress", ("ProcessingEndTime",)),
    "DescribeTransformJob": ("TransformJobStatus", "InProgress", ("TransformEndTime",)),
    "DescribeHyperParameterTuningJob": (
        "HyperParameterTuningJobStatus",
        "InProgress",
        ("HyperParameterTuningEndTime",),
    ),
}
ARN_KEYS = {
    "DescribeTrainingJob": "TrainingJobArn",
    "DescribeProcessingJob": "ProcessingJobArn",
    "DescribeTransformJob": "TransformJobArn",
    "DescribeHyperParameterTuningJob": "HyperParameterTuningJobArn",
}


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(frozen=True)
class AdvancingExecution:
    """One execution's whole run, to be shown as of a moment."""

    arn: str
    #: the step records of the complete run (StartTime/EndTime may lie ahead)
    records: tuple[dict, ...]
    #: the execution's status once every step has ended
    final_status: str
    #: the pipeline it belongs to, and when it started
    pipeline: str = ""
    start: datetime | None = None

    @property
    def end(self) -> datetime | None:
        ends = [r["EndTime"] for r in self.records if r.get("EndTime")]
        return max(ends) if ends else None

    def status_at(self, now: datetime) -> str:
        """``Executing`` until the last step ends, then the final status."""
        end = self.end
        return self.final_status if end is not None and now >= end else "Executing"

    def steps_at(self, now: datetime) -> list[dict]:
        """The step records ListPipelineExecutionSteps gives at ``now``."""
        listed = []
        for record in self.records:
            if record["StartTime"] > now:
                continue
            if record.get("EndTime") and record["EndTime"] > now:
                running = {
                    k: v
                    for k, v in record.items()
                    if k not in ("EndTime", "FailureReason", "CacheHitResult")
                }
                running["StepStatus"] = "Executing"
                if "Condition" in (running.get("Metadata") or {}):
                    running["Metadata"] = {}  # the outcome is known once it ends
                listed.append(running)
            else:
                listed.append(record)
        return listed

    def jobs(self) -> Iterator[tuple[str, datetime | None]]:
        """(job ARN, the end of the step that runs it) for every job of the run."""
        for record in self.records:
            for entry in (record.get("Metadata") or {}).values():
                if isinstance(entry, Mapping) and str(entry.get("Arn", "")).startswith("arn:"):
                    yield str(entry["Arn"]), record.get("EndTime")


class StepRecordsAt(Mapping[str, list[dict]]):
    """The seeded step records per execution ARN, advancing ones as of the clock's time
    (what ``hooks.steps_handler`` serves ListPipelineExecutionSteps from)."""

    def __init__(
        self,
        records: Mapping[str, list[dict]],
        advancing: Mapping[str, AdvancingExecution],
        clock: Clock = utcnow,
    ) -> None:
        self._records, self._advancing, self._clock = records, advancing, clock

    def __getitem__(self, arn: str) -> list[dict]:
        if arn in self._advancing:
            return self._advancing[arn].steps_at(self._clock())
        return self._records[arn]

    def __iter__(self) -> Iterator[str]:
        return iter(self._records)

    def __len__(self) -> int:
        return len(self._records)


def execution_handler(advancing: Mapping[str, AdvancingExecution], clock: Clock) -> Callable:
    """``after-call`` for DescribePipelineExecution: the advancing execution's status now."""

    def handle(parsed: dict, model: Any, **_: Any) -> None:
        execution = advancing.get(parsed.get("PipelineExecutionArn", ""))
        if execution is None:
            return
        now = clock()
        parsed["PipelineExecutionStatus"] = execution.status_at(now)
        end = execution.end
        parsed["LastModifiedTime"] = min(now, end) if end else now
        validate_fields(model, parsed, ("PipelineExecutionStatus", "LastModifiedTime"))

    return handle


def executions_handler(advancing: Mapping[str, AdvancingExecution], clock: Clock) -> Callable:
    """``after-call`` for ListPipelineExecutions: advancing executions' status now."""

    def handle(parsed: dict, model: Any, **_: Any) -> None:
        summaries = parsed.get("PipelineExecutionSummaries") or []
        touched = False
        for summary in summaries:
            execution = advancing.get(summary.get("PipelineExecutionArn", ""))
            if execution is not None:
                summary["PipelineExecutionStatus"] = execution.status_at(clock())
                touched = True
        if touched:
            validate_fields(model, parsed, ("PipelineExecutionSummaries",))

    return handle


def job_handler(advancing: Mapping[str, AdvancingExecution], clock: Clock) -> Callable:
    """``after-call`` for the Describe*Job calls: a job whose step has not ended yet is
    ``InProgress``, without an end time or final metrics."""

    def handle(parsed: dict, model: Any, **_: Any) -> None:
        ends: dict[str, datetime | None] = {}
        for execution in list(advancing.values()):  # runs are added while serving
            ends.update(execution.jobs())
        operation = model.name
        arn = parsed.get(ARN_KEYS.get(operation, ""), "")
        end = ends.get(arn)
        now = clock()
        if arn not in ends or (end is not None and now >= end):
            return
        status_key, status, end_keys = JOB_OPERATIONS[operation]
        parsed[status_key] = status
        for key in end_keys:
            parsed.pop(key, None)
        if operation == "DescribeTrainingJob":
            parsed["SecondaryStatus"] = "Training"
            parsed.pop("FinalMetricDataList", None)
        if "LastModifiedTime" in parsed:
            parsed["LastModifiedTime"] = now
        validate_fields(
            model,
            parsed,
            (status_key, *end_keys, "LastModifiedTime")
            + (
                ("SecondaryStatus", "FinalMetricDataList")
                if operation == "DescribeTrainingJob"
                else ()
            ),
        )

    return handle


def install(client: Any, advancing: Mapping[str, AdvancingExecution], clock: Clock) -> None:
    """Register the advancing views on a SageMaker client (no-op without advancing runs)."""
    if not advancing:
        return
    events = client.meta.events
    events.register(
        "after-call.sagemaker.DescribePipelineExecution", execution_handler(advancing, clock)
    )
    events.register(
        "after-call.sagemaker.ListPipelineExecutions", executions_handler(advancing, clock)
    )
    handler = job_handler(advancing, clock)
    for operation in JOB_OPERATIONS:
        events.register(f"after-call.sagemaker.{operation}", handler)


#: Seconds a finished run stays the latest before the next one starts.
PAUSE_S = 30
#: The most runs started at once when the clock jumped past several (older ones are skipped).
CATCH_UP = 3

#: Starts a fresh run of an advancing pipeline at a moment: (pipeline, start, run number)
#: -> (execution ARN, step records, final status).
StartRun = Callable[[str, datetime, int], tuple[str, list[dict], str]]


class Restarts:
    """Fresh runs of an advancing execution's pipeline, one per period, started when due.

    The period is the first run's length plus :data:`PAUSE_S`; run ``n`` starts at
    ``first.start + (n - 1) * period``. :meth:`advance` (called before every SageMaker
    call of the demo account) starts the runs that are due, at most :data:`CATCH_UP`
    at once, and adds them to ``advancing`` and ``records``: the same mappings the
    views above and ``hooks.steps_handler`` serve from.
    """

    def __init__(
        self,
        first: AdvancingExecution,
        start_run: StartRun,
        advancing: MutableMapping[str, AdvancingExecution],
        records: MutableMapping[str, list[dict]],
    ) -> None:
        assert first.start is not None and first.end is not None
        self.first_start: datetime = first.start
        self.period = (first.end - first.start) + timedelta(seconds=PAUSE_S)
        self.pipeline = first.pipeline
        self._start_run, self._advancing, self._records = start_run, advancing, records
        self._runs = 1
        self._lock = threading.Lock()

    def due(self, now: datetime) -> int:
        """How many runs have started by ``now`` (at least the first)."""
        return max(1, int((now - self.first_start) / self.period) + 1)

    def advance(self, now: datetime) -> None:
        """Start the runs due by ``now`` that have not started yet."""
        if self.due(now) <= self._runs:
            return
        with self._lock:
            due = self.due(now)
            for run in range(max(self._runs + 1, due - CATCH_UP + 1), due + 1):
                start = self.first_start + (run - 1) * self.period
                arn, steps, status = self._start_run(self.pipeline, start, run)
                self._records[arn] = steps
                self._advancing[arn] = AdvancingExecution(
                    arn, tuple(steps), status, self.pipeline, start
                )
            self._runs = max(self._runs, due)
