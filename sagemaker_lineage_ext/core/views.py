"""Pure views: AWS answers turned into the JSON blocks of the answers (docs/api.md).

Each function takes what an AWS API returned (the field names in the docstrings are
the API's) and returns plain JSON-ready dicts with camelCase keys. No I/O; the only
time they know is the ``now`` they are given.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from typing import Any, cast

from .models import (
    CheckMetadata,
    EmrRun,
    Execution,
    ExecutionSummary,
    Iteration,
    Node,
    Pipeline,
    PipelineSummary,
    Registry,
    Run,
    StepStatus,
    Summary,
)

RUNNING_STEP = frozenset({"Starting", "Executing", "Stopping"})
#: Execution statuses that no longer change (PipelineExecutionStatus).
TERMINAL_EXECUTION = frozenset({"Succeeded", "Failed", "Stopped", "CompletedWithFailures"})


def iso(value: Any) -> str | None:
    """ISO-8601 in UTC with milliseconds (``2026-11-26T00:48:58.306Z``), as AWS keeps them.

    One fixed width, so these strings sort in time order. Strings pass through.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=timezone.utc)
        text = moment.astimezone(timezone.utc).isoformat(timespec="milliseconds")
        return text.replace("+00:00", "Z")
    return str(value)


def seconds_between(start: Any, end: Any) -> int | None:
    """Whole seconds from ``start`` to ``end`` (datetimes; naive ones are UTC), never
    negative; None unless both are datetimes."""
    if isinstance(start, datetime) and isinstance(end, datetime):
        first = start if start.tzinfo else start.replace(tzinfo=timezone.utc)
        last = end if end.tzinfo else end.replace(tzinfo=timezone.utc)
        return max(0, round((last - first).total_seconds()))
    return None


def finite(value: Any) -> float | None:
    """A number as a JSON number: ``None`` for NaN, an infinity, or anything not a number."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        number = float(value)
    except (ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def metrics_from_job(job: Mapping[str, Any] | None) -> dict[str, float | None]:
    """Training metrics: ``FinalMetricDataList`` as ``{name: value}`` (``None`` for a
    value that is not a finite number)."""
    metrics: dict[str, float | None] = {}
    for item in (job or {}).get("FinalMetricDataList") or []:
        if isinstance(item, Mapping) and "MetricName" in item and "Value" in item:
            metrics[str(item["MetricName"])] = finite(item["Value"])
    return metrics


def registry_from_package(package: Mapping[str, Any] | None) -> Registry | None:
    if not package:
        return None
    registry: Registry = {
        "modelPackageArn": str(package.get("ModelPackageArn") or ""),
        "modelPackageGroup": package.get("ModelPackageGroupName"),
        "version": package.get("ModelPackageVersion"),
        "approvalStatus": package.get("ModelApprovalStatus"),
        "packageStatus": package.get("ModelPackageStatus"),
        "creationTime": iso(package.get("CreationTime")),
    }
    return registry


#: Every member of ListPipelineExecutionSteps' ``Metadata`` (botocore's
#: ``PipelineExecutionStepMetadata``): the definition's step ``Type`` it belongs to, and
#: the field naming the resource the step ran or created (``None``: it has none; EMR
#: and EMR Serverless name theirs by id, see :func:`step_resource_arn`).
#: ``tests/unit/test_views.py`` fails when botocore gains a member this table lacks.
STEP_METADATA: dict[str, tuple[str, str | None]] = {
    "TrainingJob": ("Training", "Arn"),
    "ProcessingJob": ("Processing", "Arn"),
    "TransformJob": ("Transform", "Arn"),
    "TuningJob": ("Tuning", "Arn"),
    "AutoMLJob": ("AutoML", "Arn"),
    "Model": ("Model", "Arn"),
    "RegisterModel": ("RegisterModel", "Arn"),
    "Lambda": ("Lambda", "Arn"),
    "Endpoint": ("Endpoint", "Arn"),
    "EndpointConfig": ("EndpointConfig", "Arn"),
    "InferenceComponent": ("InferenceComponent", "Arn"),
    "Job": ("Job", "Arn"),
    "BedrockCustomModel": ("BedrockCustomModel", "Arn"),
    "BedrockCustomModelDeployment": ("BedrockCustomModelDeployment", "Arn"),
    "BedrockProvisionedModelThroughput": ("BedrockProvisionedModelThroughput", "Arn"),
    "BedrockModelImport": ("BedrockModelImport", "Arn"),
    "QualityCheck": ("QualityCheck", "CheckJobArn"),
    "ClarifyCheck": ("ClarifyCheck", "CheckJobArn"),
    "HubContent": ("HubContent", "HubContentArn"),
    "EMR": ("EMR", "ClusterId"),
    "EMRServerless": ("EMRServerless", "JobRunId"),
    # No single resource: a query execution has no ARN, a Lineage step makes several
    # (ActionArns, ArtifactArns, ContextArns), the others run nothing of their own.
    "Athena": ("Athena", None),
    "Lineage": ("Lineage", None),
    "Condition": ("Condition", None),
    "Fail": ("Fail", None),
    "Callback": ("Callback", None),
    "Cleanup": ("Cleanup", None),
    "ForEach": ("ForEach", None),
}
#: The SageMaker job kinds a step's ARN can name, by the ARN's resource type, and the
#: step-metadata key the read plan describes them as (``JOB_DESCRIBES`` in ``aws.py``).
DESCRIBABLE = {
    "processing-job": "ProcessingJob",
    "training-job": "TrainingJob",
    "transform-job": "TransformJob",
    "hyper-parameter-tuning-job": "TuningJob",
}
_ARN_RE = re.compile(
    r"^arn:(?P<partition>[a-z-]+):[a-z0-9-]+:(?P<region>[a-z0-9-]*):(?P<account>\d*):"
)


def _arn_parts(arn: str | None) -> tuple[str, str, str] | None:
    match = _ARN_RE.match(arn or "")
    return (match["partition"], match["region"], match["account"]) if match else None


def step_resource_arn(metadata: Mapping[str, Any], execution_arn: str | None = None) -> str | None:
    """The ARN of what a step ran or created, from its ``Metadata`` (:data:`STEP_METADATA`).

    EMR names a cluster and EMR Serverless a job run by id: their ARNs are built in the
    execution's partition, region and account (``execution_arn``), else None.
    """
    for key, value in metadata.items():
        kind = STEP_METADATA.get(str(key))
        if kind is None or kind[1] is None or not isinstance(value, Mapping):
            continue
        field = value.get(kind[1])
        if not isinstance(field, str) or not field:
            continue
        if key in ("EMR", "EMRServerless"):
            parts = _arn_parts(execution_arn)
            if parts is None:
                continue
            partition, region, account = parts
            if key == "EMR":
                return f"arn:{partition}:elasticmapreduce:{region}:{account}:cluster/{field}"
            application = value.get("ApplicationId")
            if not isinstance(application, str):
                continue
            return (
                f"arn:{partition}:emr-serverless:{region}:{account}:"
                f"/applications/{application}/jobruns/{field}"
            )
        return field
    return None


def describable(arn: str) -> str | None:
    """The step-metadata key to describe ``arn`` as (``TrainingJob``, ...), if it names a
    SageMaker job a Describe* call reads."""
    resource = arn.split(":", 5)[-1] if arn.count(":") >= 5 else ""
    return DESCRIBABLE.get(resource.split("/", 1)[0])


def _lower_camel(metadata: Mapping[str, Any]) -> dict[str, Any]:
    return {str(k)[0].lower() + str(k)[1:]: v for k, v in metadata.items() if str(k)}


def build_run(
    summary: Mapping[str, Any] | None,
    *,
    now: datetime | None = None,
    job: Mapping[str, Any] | None = None,
    best_job: Mapping[str, Any] | None = None,
    package: Mapping[str, Any] | None = None,
    reports: Mapping[str, Any] | None = None,
    execution_arn: str | None = None,
) -> Run:
    """A node's ``run`` from its ListPipelineExecutionSteps entry and what was read for it
    (``execution_arn``: the execution read, to name EMR resources by ARN)."""
    if summary is None:
        return {
            "status": "NotStarted", "startTime": None, "endTime": None, "elapsedSec": None,
            "jobArn": None, "metrics": {}, "failureReason": None, "cacheHit": False,
            "attempts": 0, "registry": None,
        }  # fmt: skip
    status = summary.get("StepStatus", "Unknown")
    start, end = summary.get("StartTime"), summary.get("EndTime")
    metadata = summary.get("Metadata") or {}
    if not isinstance(metadata, Mapping):
        metadata = {}
    elapsed = seconds_between(start, end if end else (now if status in RUNNING_STEP else None))
    metrics = metrics_from_job(job)
    if best_job is not None:
        metrics = metrics_from_job(best_job) or metrics
    if job and "BestTrainingJob" in job:
        objective = job["BestTrainingJob"].get("FinalHyperParameterTuningJobObjectiveMetric") or {}
        if "MetricName" in objective and "Value" in objective:
            metrics.setdefault(str(objective["MetricName"]), finite(objective["Value"]))
    run: Run = {
        "status": status,
        "startTime": iso(start),
        "endTime": iso(end),
        "elapsedSec": elapsed,
        "jobArn": step_resource_arn(metadata, execution_arn),
        "metrics": metrics,
        "failureReason": summary.get("FailureReason"),
        "cacheHit": bool((summary.get("CacheHitResult") or {}).get("SourcePipelineExecutionArn")),
        "attempts": summary.get("AttemptCount", 1),
        "registry": registry_from_package(package),
    }
    if run["cacheHit"]:
        run["cacheSource"] = summary["CacheHitResult"]["SourcePipelineExecutionArn"]
    reused = (summary.get("SelectiveExecutionResult") or {}).get("SourcePipelineExecutionArn")
    if reused:
        # A selective execution took this step's result from another execution: the
        # job (and its ARN) are that execution's, not this one's.
        run["reusedFrom"] = str(reused)
    condition = metadata.get("Condition")
    if condition and "Outcome" in condition:
        run["conditionOutcome"] = condition["Outcome"]
    if metadata.get("Fail", {}).get("ErrorMessage"):
        run["errorMessage"] = metadata["Fail"]["ErrorMessage"]
    if job:
        run["jobStatus"] = next(
            (job[k] for k in job if k.endswith("JobStatus") and isinstance(job[k], str)), None
        )
    if best_job:
        run["bestTrainingJob"] = best_job.get("TrainingJobName")
    if reports:
        run["reports"] = dict(reports)
    for key in ("QualityCheck", "ClarifyCheck"):
        if isinstance(metadata.get(key), Mapping):
            # AWS's keys, lower-camel (any key AWS adds is kept too)
            run["check"] = cast(CheckMetadata, _lower_camel(metadata[key]))
    for key in ("EMR", "EMRServerless"):
        if isinstance(metadata.get(key), Mapping):
            run["emr"] = cast(
                EmrRun,
                {k: v for k, v in _lower_camel(metadata[key]).items() if isinstance(v, str)},
            )
    for key in ("Lambda", "Callback"):
        parameters = (
            metadata.get(key, {}).get("OutputParameters")
            if isinstance(metadata.get(key), Mapping)
            else None
        )
        if isinstance(parameters, list):
            run["outputParameters"] = {
                str(p["Name"]): str(p.get("Value", ""))
                for p in parameters
                if isinstance(p, Mapping) and "Name" in p
            }
    return run


#: How iterations add up to their node's status: the first that any iteration has.
_ITERATION_PRECEDENCE = ("Failed", "Executing", "Starting", "Stopping", "Stopped", "Succeeded")


def iteration_runs(
    entries: Iterable[Mapping[str, Any]],
    bodies: Mapping[str, tuple[str, ...]],
    now: datetime | None = None,
    execution_arn: str | None = None,
) -> dict[str, Run]:
    """The ``run`` of each step inside a ForEach body, from the ListPipelineExecutionSteps
    entries that carry an ``IterationContext`` (one per item, maybe several attempts).

    An entry belongs to the body step of its ``IterationContext.ParentStepName`` that it
    names (``StepName``, or ``<body step>-<Index>`` as the service names children). The
    node's ``run.iterations`` lists each item's latest attempt by ``Index``; its status
    is ``Failed`` if any iteration failed, else running while one runs, else
    ``Stopped`` if one was stopped, else ``Succeeded``; its times span all iterations;
    ``jobArn``, metrics and the like belong to single iterations and stay in
    ``iterations`` (the node's ``jobArn`` is set only for a single item).
    """
    latest: dict[str, dict[int, Mapping[str, Any]]] = {}
    for entry in entries:
        context = entry.get("IterationContext")
        if not isinstance(context, Mapping):
            continue
        index = context.get("Index")
        if isinstance(index, bool) or not isinstance(index, int):
            continue
        name = _body_step(str(entry.get("StepName", "")), index, context, bodies)
        previous = latest.setdefault(name, {}).get(index)
        if previous is None or _started(entry) >= _started(previous):
            latest[name][index] = entry
    runs: dict[str, Run] = {}
    for name, by_index in latest.items():
        indexes = sorted(by_index)
        items = [by_index[i] for i in indexes]
        iterations: list[Iteration] = []
        for index, entry in zip(indexes, items, strict=True):
            metadata = entry.get("Metadata") if isinstance(entry.get("Metadata"), Mapping) else {}
            iterations.append(
                {
                    "index": index,
                    "status": entry.get("StepStatus", "Unknown"),
                    "startTime": iso(entry.get("StartTime")),
                    "endTime": iso(entry.get("EndTime")),
                    "jobArn": step_resource_arn(metadata or {}, execution_arn),
                    "failureReason": entry.get("FailureReason"),
                }
            )
        statuses = {it["status"] for it in iterations}
        status = next((s for s in _ITERATION_PRECEDENCE if s in statuses), "Unknown")
        starts = [e["StartTime"] for e in items if isinstance(e.get("StartTime"), datetime)]
        ends = [e["EndTime"] for e in items if isinstance(e.get("EndTime"), datetime)]
        running = bool(statuses & RUNNING_STEP)
        failed = next((it for it in iterations if it["status"] == "Failed"), None)
        hits = [(e.get("CacheHitResult") or {}).get("SourcePipelineExecutionArn") for e in items]
        summary: dict[str, Any] = {
            "StepStatus": status,
            "StartTime": min(starts, key=_aware) if starts else None,
            "EndTime": max(ends, key=_aware) if ends and not running else None,
            "FailureReason": (
                f"iteration {failed['index']}: {failed['failureReason']}"
                if failed and failed["failureReason"]
                else None
            ),
            "AttemptCount": max(
                (int(e["AttemptCount"]) for e in items if isinstance(e.get("AttemptCount"), int)),
                default=1,
            ),
            "Metadata": items[0].get("Metadata") if len(items) == 1 else {},
        }
        if hits and all(hits) and len(set(hits)) == 1:
            summary["CacheHitResult"] = {"SourcePipelineExecutionArn": hits[0]}
        run = build_run(summary, now=now, execution_arn=execution_arn)
        run["iterations"] = iterations
        runs[name] = run
    return runs


def _body_step(
    step_name: str, index: int, context: Mapping[str, Any], bodies: Mapping[str, tuple[str, ...]]
) -> str:
    """The body step an iteration entry belongs to (its own name when no body matches)."""
    candidates = bodies.get(str(context.get("ParentStepName", "")), ())
    if step_name in candidates:
        return step_name
    suffix = f"-{index}"
    if step_name.endswith(suffix) and step_name[: -len(suffix)] in candidates:
        return step_name[: -len(suffix)]
    if len(candidates) == 1:
        return candidates[0]
    return step_name[: -len(suffix)] if step_name.endswith(suffix) else step_name


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def _started(summary: Mapping[str, Any]) -> datetime:
    """When an attempt started (attempts without a time sort first)."""
    value = summary.get("StartTime")
    if isinstance(value, datetime):
        return _aware(value)
    return datetime.min.replace(tzinfo=timezone.utc)


def build_summary(
    execution: Mapping[str, Any] | None, nodes: list[Node], pipeline_modified: Any
) -> Summary:
    """The answer's ``summary`` block: nodeStatus counts each node's ``run.status``, but
    a step a selective execution reused from another execution (``run.reusedFrom``) is
    counted in ``reused`` instead; ``failedSteps`` names the Failed nodes."""
    counts: dict[StepStatus, int] = {}
    ends: list[str] = []
    reused = 0
    failed: list[str] = []
    for node in nodes:
        run = node.get("run")
        if run:
            if run.get("reusedFrom"):
                reused += 1
            else:
                counts[run["status"]] = counts.get(run["status"], 0) + 1
            if run["status"] == "Failed":
                failed.append(node["id"])
            end = run.get("endTime")
            if end:
                ends.append(end)
    return {
        "overallStatus": (execution or {}).get("status") or "NotExecuted",
        "nodeStatus": counts,
        "elapsedSec": (execution or {}).get("elapsedSec"),
        "lastScanned": max(ends) if ends else iso(pipeline_modified),
        "stepCount": len(nodes),
        "reused": reused,
        "failedSteps": failed,
    }


def pipeline_view(pipeline: Mapping[str, Any], tags: Mapping[str, str], region: str) -> Pipeline:
    """The answer's ``pipeline`` block from a DescribePipeline answer and ListTags."""
    return {
        "name": str(pipeline["PipelineName"]),
        "arn": str(pipeline["PipelineArn"]),
        "region": region,
        "displayName": str(pipeline.get("PipelineDisplayName") or pipeline["PipelineName"]),
        "description": pipeline.get("PipelineDescription"),
        "status": pipeline.get("PipelineStatus"),
        "creationTime": iso(pipeline.get("CreationTime")),
        "lastModifiedTime": iso(pipeline.get("LastModifiedTime")),
        "lastRunTime": iso(pipeline.get("LastRunTime")),
        "tags": dict(tags),
    }


def execution_view(
    execution: Mapping[str, Any] | None,
    summary: Mapping[str, Any] | None,
    arn: str,
    parameters: Mapping[str, str] | None,
    now: datetime,
    step_ends: Iterable[Any] = (),
) -> Execution:
    """The answer's ``execution`` block from DescribePipelineExecution, or, when that
    could not be read, from the ListPipelineExecutions summary (``StartTime``,
    ``PipelineExecutionFailureReason``; it has no end time, so a finished execution
    ends at the latest of ``step_ends``, the steps' EndTime, or is null). A running
    execution's ``elapsedSec`` counts up to ``now``; a finished one's never does."""
    source = execution or summary or {}
    status = source.get("PipelineExecutionStatus")
    start = source.get("CreationTime") or source.get("StartTime")
    terminal = status in TERMINAL_EXECUTION
    end = None
    if terminal and execution is not None:
        end = execution.get("LastModifiedTime")
    elif terminal:
        ends = [_aware(e) for e in step_ends if isinstance(e, datetime)]
        end = max(ends) if ends else None
    reason = source.get("FailureReason") or source.get("PipelineExecutionFailureReason")
    return {
        "arn": arn,
        "displayName": source.get("PipelineExecutionDisplayName"),
        "status": status,
        "startTime": iso(start),
        "endTime": iso(end),
        "elapsedSec": seconds_between(start, end if terminal else now),
        "failureReason": reason or None,
        "parameters": dict(parameters or {}),
    }


def execution_variables(
    arn: str, execution: Mapping[str, Any] | None, pipeline: Mapping[str, Any] | None
) -> dict[str, Any]:
    """The values of ``Execution.*`` references for one execution."""
    variables: dict[str, Any] = {
        "PipelineExecutionArn": arn,
        "PipelineExecutionId": arn.rsplit("/", 1)[-1],
        "PipelineName": arn.split(":pipeline/", 1)[-1].split("/", 1)[0],
    }
    if pipeline:
        variables["PipelineName"] = pipeline.get("PipelineName")
        variables["PipelineArn"] = pipeline.get("PipelineArn")
    start = (execution or {}).get("CreationTime") or (execution or {}).get("StartTime")
    if start:
        variables["StartDateTime"] = iso(start)
    return variables


def execution_summary_view(summary: Mapping[str, Any]) -> ExecutionSummary:
    """One ``executions[]`` entry from a ListPipelineExecutions ``PipelineExecutionSummary``."""
    return {
        "arn": summary["PipelineExecutionArn"],
        "displayName": summary.get("PipelineExecutionDisplayName"),
        "status": summary.get("PipelineExecutionStatus"),
        "startTime": iso(summary.get("StartTime")),
        "failureReason": summary.get("PipelineExecutionFailureReason") or None,
    }


def pipeline_summary_view(
    summary: Mapping[str, Any], latest: Mapping[str, Any] | None
) -> PipelineSummary:
    """One ``pipelines[]`` entry from a ListPipelines ``PipelineSummary`` and the newest
    ListPipelineExecutions summary of that pipeline (None: it never ran, or unread)."""
    name = summary["PipelineName"]
    return {
        "name": name,
        "arn": summary["PipelineArn"],
        "displayName": summary.get("PipelineDisplayName") or name,
        "description": summary.get("PipelineDescription"),
        "creationTime": iso(summary.get("CreationTime")),
        "lastModifiedTime": iso(summary.get("LastModifiedTime")),
        "lastExecutionTime": iso(summary.get("LastExecutionTime")),
        "latestExecution": {
            "arn": latest["PipelineExecutionArn"],
            "status": latest.get("PipelineExecutionStatus"),
            "startTime": iso(latest.get("StartTime")),
        }
        if latest
        else None,
    }


def step_type_from_metadata(summary: Mapping[str, Any]) -> str:
    """The step type of a step that ran but is not in the definition, from its
    ListPipelineExecutionSteps ``Metadata`` key (``TrainingJob`` -> ``Training``)."""
    metadata = summary.get("Metadata")
    for key in metadata if isinstance(metadata, Mapping) else {}:
        return STEP_METADATA.get(str(key), (str(key), None))[0]
    return "Unknown"
