"""Pure views: AWS answers turned into the JSON blocks of the answers (docs/api.md).

Each function takes what an AWS API returned (the field names in the docstrings are
the API's) and returns plain JSON-ready dicts with camelCase keys. No I/O; the only
time they know is the ``now`` they are given.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any, cast

from .locations import JOB_STEP_TYPES
from .models import (
    CheckMetadata,
    Execution,
    ExecutionSummary,
    Node,
    Pipeline,
    PipelineSummary,
    Registry,
    Run,
    StepStatus,
    Summary,
)

RUNNING_STEP = frozenset({"Starting", "Executing", "Stopping"})
TERMINAL_EXECUTION = frozenset({"Succeeded", "Failed", "Stopped"})


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


def metrics_from_job(job: Mapping[str, Any] | None) -> dict[str, float | None]:
    """Training metrics: ``FinalMetricDataList`` as ``{name: value}``."""
    metrics: dict[str, float | None] = {}
    for item in (job or {}).get("FinalMetricDataList") or []:
        if "MetricName" in item and "Value" in item:
            metrics[str(item["MetricName"])] = float(item["Value"])
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


#: Step-metadata keys whose ``Arn`` names what the step ran or created.
METADATA_ARN_KEYS = (
    "TrainingJob", "ProcessingJob", "TransformJob", "TuningJob", "AutoMLJob", "Model",
    "RegisterModel", "Lambda", "Endpoint", "EndpointConfig", "InferenceComponent",
)  # fmt: skip


def step_resource_arn(metadata: Mapping[str, Any]) -> str | None:
    for key in METADATA_ARN_KEYS:
        arn = (metadata.get(key) or {}).get("Arn")
        if arn:
            return str(arn)
    for key in ("QualityCheck", "ClarifyCheck"):
        arn = (metadata.get(key) or {}).get("CheckJobArn")
        if arn:
            return str(arn)
    return None


def build_run(
    summary: Mapping[str, Any] | None,
    *,
    now: datetime | None = None,
    job: Mapping[str, Any] | None = None,
    best_job: Mapping[str, Any] | None = None,
    package: Mapping[str, Any] | None = None,
    reports: Mapping[str, Any] | None = None,
) -> Run:
    """A node's ``run`` from its ListPipelineExecutionSteps entry and what was read for it."""
    if summary is None:
        return {
            "status": "NotStarted", "startTime": None, "endTime": None, "elapsedSec": None,
            "jobArn": None, "metrics": {}, "failureReason": None, "cacheHit": False,
            "attempts": 0, "registry": None,
        }  # fmt: skip
    status = summary.get("StepStatus", "Unknown")
    start, end = summary.get("StartTime"), summary.get("EndTime")
    metadata = summary.get("Metadata") or {}
    elapsed = seconds_between(start, end if end else (now if status in RUNNING_STEP else None))
    metrics = metrics_from_job(job)
    if best_job is not None:
        metrics = metrics_from_job(best_job) or metrics
    if job and "BestTrainingJob" in job:
        objective = job["BestTrainingJob"].get("FinalHyperParameterTuningJobObjectiveMetric") or {}
        if "MetricName" in objective and "Value" in objective:
            metrics.setdefault(str(objective["MetricName"]), float(objective["Value"]))
    run: Run = {
        "status": status,
        "startTime": iso(start),
        "endTime": iso(end),
        "elapsedSec": elapsed,
        "jobArn": step_resource_arn(metadata),
        "metrics": metrics,
        "failureReason": summary.get("FailureReason"),
        "cacheHit": bool(summary.get("CacheHitResult", {}).get("SourcePipelineExecutionArn")),
        "attempts": summary.get("AttemptCount", 1),
        "registry": registry_from_package(package),
    }
    if run["cacheHit"]:
        run["cacheSource"] = summary["CacheHitResult"]["SourcePipelineExecutionArn"]
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
        if key in metadata:
            # AWS's keys, lower-camel (any key AWS adds is kept too)
            run["check"] = cast(
                CheckMetadata, {k[0].lower() + k[1:]: v for k, v in metadata[key].items()}
            )
    return run


def build_summary(
    execution: Mapping[str, Any] | None, nodes: list[Node], pipeline_modified: Any
) -> Summary:
    """The answer's ``summary`` block (nodeStatus counts from each node's ``run.status``)."""
    counts: dict[StepStatus, int] = {}
    ends: list[str] = []
    for node in nodes:
        run = node.get("run")
        if run:
            counts[run["status"]] = counts.get(run["status"], 0) + 1
            end = run.get("endTime")
            if end:
                ends.append(end)
    return {
        "overallStatus": (execution or {}).get("status") or "NotExecuted",
        "nodeStatus": counts,
        "elapsedSec": (execution or {}).get("elapsedSec"),
        "lastScanned": max(ends) if ends else iso(pipeline_modified),
        "stepCount": len(nodes),
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
) -> Execution:
    """The answer's ``execution`` block from DescribePipelineExecution (or, failing that,
    the ListPipelineExecutions summary)."""
    source = execution or summary or {}
    status = source.get("PipelineExecutionStatus")
    start = source.get("CreationTime") or source.get("StartTime")
    end = source.get("LastModifiedTime") if status in TERMINAL_EXECUTION else None
    return {
        "arn": arn,
        "displayName": source.get("PipelineExecutionDisplayName"),
        "status": status,
        "startTime": iso(start),
        "endTime": iso(end),
        "elapsedSec": seconds_between(start, end or now),
        "failureReason": source.get("FailureReason") or None,
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
    if execution and execution.get("CreationTime"):
        variables["StartDateTime"] = iso(execution["CreationTime"])
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
    for key in summary.get("Metadata") or {}:
        return JOB_STEP_TYPES.get(str(key), str(key))
    return "Unknown"
