"""Assemble SPEC's response from parsed parts (pure: no I/O, no clock).

Takes the parsed definition, each step's inputs/outputs, each step's run and each
bucket's posture, and returns plain JSON-ready dicts with SPEC's camelCase keys.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import datetime, timezone
from typing import Any

from .definition import PipelineDefinition
from .locations import StepIO, definition_io, merge_io, property_file_outputs
from .references import Edge, ResolutionContext, Resolved, build_edges

RUNNING_STEP = frozenset({"Starting", "Executing", "Stopping"})
TERMINAL_EXECUTION = frozenset({"Succeeded", "Failed", "Stopped"})


def iso(value: Any) -> str | None:
    """ISO-8601 in UTC with milliseconds (``2026-11-26T00:48:58.306Z``), as AWS keeps them.

    One fixed width, so these strings sort in time order. Strings pass through.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        text = value.astimezone(timezone.utc).isoformat(timespec="milliseconds")
        return text.replace("+00:00", "Z")
    return str(value)


def seconds_between(start: Any, end: Any) -> int | None:
    if isinstance(start, datetime) and isinstance(end, datetime):
        if start.tzinfo is None:
            start = start.replace(tzinfo=timezone.utc)
        if end.tzinfo is None:
            end = end.replace(tzinfo=timezone.utc)
        return max(0, round((end - start).total_seconds()))
    return None


def split_s3_uri(uri: str) -> tuple[str | None, str | None]:
    """``s3://bucket/key`` -> (bucket, key); a bucket that is still a placeholder gives (None, None)."""
    if not uri.startswith("s3://"):
        return None, None
    bucket, _, key = uri[5:].partition("/")
    if not bucket or "{" in bucket:
        return None, None
    return bucket, key


def metrics_from_job(job: Mapping[str, Any] | None) -> dict[str, float]:
    """Training metrics: ``FinalMetricDataList`` as ``{name: value}``."""
    metrics: dict[str, float] = {}
    for item in (job or {}).get("FinalMetricDataList") or []:
        if "MetricName" in item and "Value" in item:
            metrics[str(item["MetricName"])] = float(item["Value"])
    return metrics


def registry_from_package(package: Mapping[str, Any] | None) -> dict | None:
    if not package:
        return None
    return {
        "modelPackageArn": package.get("ModelPackageArn"),
        "modelPackageGroup": package.get("ModelPackageGroupName"),
        "version": package.get("ModelPackageVersion"),
        "approvalStatus": package.get("ModelApprovalStatus"),
        "packageStatus": package.get("ModelPackageStatus"),
        "creationTime": iso(package.get("CreationTime")),
    }


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
) -> dict:
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
    run: dict[str, Any] = {
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
            run["check"] = {k[0].lower() + k[1:]: v for k, v in metadata[key].items()}
    return run


class ArtifactTable:
    """One artifact per distinct URI, ids in order of first appearance (1, 2, ...)."""

    def __init__(self) -> None:
        self._by_uri: dict[str, dict] = {}

    def link(self, uri: str, step: str, role: str) -> int:
        artifact = self._by_uri.get(uri)
        if artifact is None:
            bucket, key = split_s3_uri(uri)
            artifact = {
                "id": len(self._by_uri) + 1, "uri": uri, "bucket": bucket, "key": key,
                "resolved": "{" not in uri, "producers": [], "consumers": [], "s3": None,
            }  # fmt: skip
            self._by_uri[uri] = artifact
        names = artifact["producers" if role == "out" else "consumers"]
        if step not in names:
            names.append(step)
        return artifact["id"]

    def to_list(self, posture: Mapping[str, dict]) -> list[dict]:
        """The artifacts, each with its bucket's posture (``None`` without a bucket)."""
        return [
            dict(a, producers=list(a["producers"]), consumers=list(a["consumers"]),
                 s3=posture.get(a["bucket"]) if a["bucket"] else None)
            for a in self._by_uri.values()
        ]  # fmt: skip


def build_nodes(
    definition: PipelineDefinition,
    io: Mapping[str, StepIO],
    runs: Mapping[str, dict] | None,
    table: ArtifactTable,
    extra_steps: Iterable[tuple[str, str]] = (),
) -> list[dict]:
    """Nodes in definition order (then steps that ran but are not in the definition)."""
    nodes = []
    steps = [(s.name, s.type, s) for s in definition.steps] + [(n, t, None) for n, t in extra_steps]
    for name, step_type, step in steps:
        step_io = io.get(name) or StepIO()
        node: dict[str, Any] = {
            "id": name,
            "type": step_type,
            "displayName": (step.display_name if step else None) or name,
            "description": step.description if step else None,
            "parent": {"step": step.parent[0], "branch": step.parent[1]} if step and step.parent else None,
            "inputs": [
                {"name": loc.name, "uri": loc.uri, "artifactId": table.link(loc.uri, name, "in"), "resolved": loc.resolved}
                for loc in step_io.inputs
            ],
            "outputs": [
                {"name": loc.name, "uri": loc.uri, "artifactId": table.link(loc.uri, name, "out"), "resolved": loc.resolved}
                for loc in step_io.outputs
            ],
        }  # fmt: skip
        if runs is not None:
            node["run"] = runs.get(name) or build_run(None)
        nodes.append(node)
    return nodes


def build_summary(
    execution: Mapping[str, Any] | None, nodes: list[dict], pipeline_modified: Any
) -> dict:
    """SPEC's summary block."""
    counts: dict[str, int] = {}
    ends = []
    for node in nodes:
        run = node.get("run")
        if run:
            counts[run["status"]] = counts.get(run["status"], 0) + 1
            if run.get("endTime"):
                ends.append(run["endTime"])
    return {
        "overallStatus": (execution or {}).get("status") or "NotExecuted",
        "nodeStatus": counts,
        "elapsedSec": (execution or {}).get("elapsedSec"),
        "lastScanned": max(ends) if ends else iso(pipeline_modified),
        "stepCount": len(nodes),
    }


def edges_to_list(edges: Iterable[Edge]) -> list[dict]:
    return [edge.to_dict() for edge in edges]


def io_buckets(io: StepIO) -> set[str]:
    """Buckets a step's resolved locations name."""
    return {b for b in (split_s3_uri(loc.uri)[0] for loc in io.inputs + io.outputs) if b}


def definition_buckets(definition: PipelineDefinition, ctx: ResolutionContext) -> set[str]:
    """Buckets the definition names once resolved against ``ctx``."""
    buckets: set[str] = set()
    for step in definition.steps:
        buckets |= io_buckets(definition_io(step, ctx))
    return buckets


def resolve_io(
    definition: PipelineDefinition, ctx: ResolutionContext, actual: Mapping[str, StepIO]
) -> dict[str, StepIO]:
    """Each step's inputs and outputs: what its job actually used where one ran, plus
    the definition resolved against everything known (parameters, the execution, and
    the properties of the other steps, read from their jobs where they ran)."""
    properties: dict[tuple[str, str], Resolved] = {}
    first_pass = {step.name: definition_io(step, ctx) for step in definition.steps}
    for source in (first_pass, actual):
        for step_name, step_io in source.items():
            for path, value in step_io.properties.items():
                properties[(step_name, path)] = value
    # Property files (evaluation reports) are properties too: a Condition reads them.
    for step in definition.steps:
        base = first_pass[step.name]
        if step.name in actual:
            base = merge_io(actual[step.name], base)
        for pf, location in property_file_outputs(step, base):
            properties[(step.name, f"PropertyFiles.{pf.name}")] = Resolved(
                location.uri, location.resolved
            )
    ctx = replace(ctx, properties=lambda step, path: properties.get((step, path)))
    io: dict[str, StepIO] = {}
    for step in definition.steps:
        declared = definition_io(step, ctx)
        ran = actual.get(step.name)
        merged = merge_io(ran, declared) if ran else declared
        merged.outputs.extend(loc for _, loc in property_file_outputs(step, merged))
        io[step.name] = merged
    return io


def assemble_graph(
    definition: PipelineDefinition,
    io: Mapping[str, StepIO],
    runs: Mapping[str, dict] | None,
    posture: Mapping[str, dict],
    extra_steps: Iterable[tuple[str, str]] = (),
) -> tuple[dict, list[dict]]:
    """SPEC's ``graph`` and the warnings the definition itself raises."""
    table = ArtifactTable()
    nodes = build_nodes(definition, io, runs, table, extra_steps)
    edges, warnings = build_edges(definition)
    warnings += definition_warnings(definition, edges)
    graph = {"nodes": nodes, "edges": edges_to_list(edges), "artifacts": table.to_list(posture)}
    return graph, warnings


def pipeline_view(pipeline: Mapping[str, Any], tags: Mapping[str, str]) -> dict:
    """SPEC's ``pipeline`` block from a DescribePipeline answer."""
    return {
        "name": pipeline.get("PipelineName"),
        "arn": pipeline.get("PipelineArn"),
        "displayName": pipeline.get("PipelineDisplayName") or pipeline.get("PipelineName"),
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
) -> dict:
    """SPEC's ``execution`` block from DescribePipelineExecution (or, failing that,
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


def definition_warnings(definition: PipelineDefinition, edges: list[Edge]) -> list[dict]:
    """What a reader of the graph should know about the definition itself."""
    warnings = [
        {
            "code": "UnknownStepType",
            "target": step.name,
            "message": f"step {step.name} has type {step.type!r}, unknown to this version: "
            "its S3 locations were found by scanning its arguments",
        }
        for step in definition.steps
        if not step.known_type
    ]
    incoming = {step.name: 0 for step in definition.steps}
    outgoing: dict[str, list[str]] = {}
    for edge in edges:
        incoming[edge.target] += 1
        outgoing.setdefault(edge.source, []).append(edge.target)
    ready = [name for name, count in incoming.items() if count == 0]
    while ready:
        for target in outgoing.get(ready.pop(), []):
            incoming[target] -= 1
            if incoming[target] == 0:
                ready.append(target)
    cycle = sorted(name for name, count in incoming.items() if count > 0)
    if cycle:
        warnings.append(
            {
                "code": "DependencyCycle",
                "target": cycle[0],
                "message": "these steps depend on each other in a cycle (SageMaker would reject "
                f"the definition): {', '.join(cycle)}",
            }
        )
    return warnings
