"""A pipeline execution as OpenLineage RunEvents (spec 2-0-2), as plain JSON (pure).

The execution is the parent run (job ``<pipeline>``); each step that ran is a child run
(job ``<pipeline>.<step>``) with a ``parent`` facet naming the execution's run. Jobs live
in the namespace ``arn:<partition>:sagemaker:<region>:<account>`` (the pipeline ARN's
prefix: SageMaker is the scheduler). Datasets follow OpenLineage's S3 naming: namespace
``s3://<bucket>``, name the key.

Run ids are UUIDv7, made stable from the run's start time and its ARN with the
algorithm of the OpenLineage client's ``generate_static_uuid`` (the time part is the
start time; the rest comes from a SHA-1 of the time and the ARN): sending the same
execution twice gives the same ids, and ids sort by start time as the spec recommends.

Events: ``START`` at the run's start time; ``COMPLETE`` (Succeeded), ``FAIL`` (Failed,
with an ``errorMessage`` facet), ``ABORT`` (Stopped) at its end time; a run still going
(Starting, Executing, Stopping) gets a ``RUNNING`` event at the time of the read
instead. Steps that did not run (NotStarted, Unknown) get none.

Facets: standard ``parent``, ``jobType``, ``errorMessage``, ``executionParameters``
(the execution's pipeline parameters), ``jobDependencies`` (the step's edges),
``ownership`` and ``tags`` (the bucket's tags); and two of this project's own, each with
a JSON Schema in ``schema/facets/``: the run facet ``sagemakerLineage_stepRun`` (job
ARN and status, cache hit and its source, attempts, model registry) and the dataset
facet ``sagemakerLineage_bucketPosture``. Every object is shaped exactly as the
OpenLineage Python client serialises its own models (tests build them with it), so the
HTTP transport and DataZone receive the same JSON either way.

Standard library only: the Lambda serves ``/openlineage`` without the client.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any

from .. import __version__
from .models import (
    Artifact,
    Execution,
    LineageResponse,
    Node,
    OpenLineageDataset,
    OpenLineageEventType,
    OpenLineageResponse,
    OpenLineageRunEvent,
)

SPEC = "https://openlineage.io/spec/2-0-2/OpenLineage.json"
PRODUCER = f"https://pypi.org/project/sagemaker-lineage-ext/{__version__}/"
#: Where this project's facet schemas are published (``schema/facets/<name>.json``).
FACETS_BASE = "https://github.com/sagemaker-lineage-ext/schema/facets"
STEP_RUN_FACET = "sagemakerLineage_stepRun"
BUCKET_POSTURE_FACET = "sagemakerLineage_bucketPosture"
#: The standard facets used, with the schema version the client (and spec) name.
FACET_SCHEMAS = {
    "parent": "https://openlineage.io/spec/facets/1-2-0/ParentRunFacet.json#/$defs/ParentRunFacet",
    "jobType": "https://openlineage.io/spec/facets/2-0-4/JobTypeJobFacet.json#/$defs/JobTypeJobFacet",
    "errorMessage": "https://openlineage.io/spec/facets/1-0-1/ErrorMessageRunFacet.json#/$defs/ErrorMessageRunFacet",
    "executionParameters": "https://openlineage.io/spec/facets/1-0-0/ExecutionParametersRunFacet.json#/$defs/ExecutionParametersRunFacet",
    "jobDependencies": "https://openlineage.io/spec/facets/1-0-1/JobDependenciesRunFacet.json#/$defs/JobDependenciesRunFacet",
    "ownership": "https://openlineage.io/spec/facets/1-0-1/OwnershipDatasetFacet.json#/$defs/OwnershipDatasetFacet",
    "tags": "https://openlineage.io/spec/facets/1-0-0/TagsDatasetFacet.json#/$defs/TagsDatasetFacet",
    STEP_RUN_FACET: f"{FACETS_BASE}/SageMakerStepRunFacet.json#/$defs/SageMakerStepRunFacet",
    BUCKET_POSTURE_FACET: f"{FACETS_BASE}/S3BucketPostureDatasetFacet.json#/$defs/S3BucketPostureDatasetFacet",
}  # fmt: skip
#: Bucket tag keys that name an owner (the ``ownership`` facet; the key is the owner type).
OWNER_TAGS = ("Owner", "owner", "Team", "team")
#: Final status -> event type; anything else still runs (RUNNING).
FINAL_EVENT: dict[str, OpenLineageEventType] = {
    "Succeeded": "COMPLETE",
    "Failed": "FAIL",
    "Stopped": "ABORT",
    "CompletedWithFailures": "FAIL",
}
NOT_RUN = frozenset({"NotStarted", "Unknown"})


def static_run_id(instant: datetime, data: bytes) -> str:
    """A UUIDv7 for ``instant`` whose other 74 bits come from SHA-1(``instant`` as
    ISO-8601 in UTC + ``data``): the OpenLineage client's ``generate_static_uuid``."""
    utc = instant.astimezone(timezone.utc)
    node = int(hashlib.sha1(utc.isoformat().encode() + data).hexdigest(), 16) >> 84  # noqa: S324
    value = ((int(utc.timestamp() * 1000) & 0xFFFFFFFFFFFF) << 80) | (node & (2**80 - 1))
    value &= ~(0xF000 << 64)
    value |= 7 << 76  # version 7
    value &= ~(0xC000 << 48)
    value |= 2 << 62  # the RFC 9562 variant
    return str(uuid.UUID(int=value))


def parse_time(text: str) -> datetime:
    """An answer's time (``2026-11-26T00:48:58.306Z``) as an aware datetime."""
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def format_time(moment: datetime) -> str:
    """ISO-8601 in UTC with milliseconds, as every answer writes times."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + (
        f"{moment.microsecond // 1000:03d}Z"
    )


def job_namespace(pipeline_arn: str) -> str:
    """``arn:aws:sagemaker:<region>:<account>`` of a pipeline ARN."""
    return pipeline_arn.split(":pipeline/", 1)[0]


def _facet(name: str, **fields: Any) -> dict[str, Any]:
    return {"_producer": PRODUCER, "_schemaURL": FACET_SCHEMAS[name], **fields}


def _dataset(artifact: Artifact, direction: str) -> OpenLineageDataset:
    facets: dict[str, dict[str, Any]] = {}
    s3 = artifact["s3"]
    if s3 is not None:
        tags = s3["tags"] if isinstance(s3["tags"], dict) else {}
        owners = [{"name": tags[k], "type": k} for k in OWNER_TAGS if tags.get(k)]
        if owners:
            facets["ownership"] = _facet("ownership", owners=owners)
        if tags:
            facets["tags"] = _facet(
                "tags", tags=[{"key": k, "value": v, "source": "S3"} for k, v in tags.items()]
            )
        facets[BUCKET_POSTURE_FACET] = _facet(
            BUCKET_POSTURE_FACET,
            encryption=s3["encryption"],
            versioning=s3["versioning"],
            publicAccess=s3["publicAccess"],
            region=s3["region"],
            findings=list(s3["findings"]),
        )
    dataset: OpenLineageDataset = {
        "namespace": f"s3://{artifact['bucket']}",
        "name": artifact["key"] or "",
        "facets": facets,
    }
    if direction == "in":
        dataset["inputFacets"] = {}
    else:
        dataset["outputFacets"] = {}
    return dataset


class _Builder:
    def __init__(self, lineage: LineageResponse, execution: Execution, now: datetime) -> None:
        pipeline = lineage["pipeline"]
        assert pipeline is not None
        self.lineage = lineage
        self.execution = execution
        self.now = format_time(now)
        self.namespace = job_namespace(pipeline["arn"])
        self.pipeline = pipeline["name"]
        start = execution["startTime"] or self.now
        self.start = start
        self.parent_id = static_run_id(parse_time(start), execution["arn"].encode())
        self.artifacts = {
            a["id"]: a
            for a in lineage["graph"]["artifacts"]
            if a["bucket"] is not None and a["resolved"]
        }
        #: step -> the steps before and after it (``graph.edges``), each once, in edge order
        self.upstream: dict[str, dict[str, None]] = {}
        self.downstream: dict[str, dict[str, None]] = {}
        for edge in lineage["graph"]["edges"]:
            self.upstream.setdefault(edge["to"], {})[edge["from"]] = None
            self.downstream.setdefault(edge["from"], {})[edge["to"]] = None
        self.step_ids: dict[str, str] = {}
        for node in lineage["graph"]["nodes"]:
            run = node.get("run")
            if run and run["status"] not in NOT_RUN:
                started = run["startTime"] or start
                data = f"{execution['arn']}/step/{node['id']}".encode()
                self.step_ids[node["id"]] = static_run_id(parse_time(started), data)

    def event(
        self,
        event_type: OpenLineageEventType,
        time: str,
        run_id: str,
        job: str,
        run_facets: dict[str, Any],
        job_facets: dict[str, Any],
        node: Node | None = None,
    ) -> OpenLineageRunEvent:
        inputs = [
            _dataset(self.artifacts[loc["artifactId"]], "in")
            for loc in (node["inputs"] if node else [])
            if loc["artifactId"] in self.artifacts
        ]
        outputs = [
            _dataset(self.artifacts[loc["artifactId"]], "out")
            for loc in (node["outputs"] if node else [])
            if loc["artifactId"] in self.artifacts
        ]
        return {
            "eventTime": time,
            "producer": PRODUCER,
            "schemaURL": "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent",
            "eventType": event_type,
            "run": {"runId": run_id, "facets": run_facets},
            "job": {"namespace": self.namespace, "name": job, "facets": job_facets},
            "inputs": inputs,
            "outputs": outputs,
        }

    def job_type(self, job_type: str) -> dict[str, Any]:
        return {
            "jobType": _facet(
                "jobType", processingType="BATCH", integration="SAGEMAKER", jobType=job_type
            )
        }

    def run_events(
        self, status: str | None, start: str, end: str | None, run_id: str, job: str,
        facets: dict[str, Any], job_facets: dict[str, Any], failure: str | None,
        node: Node | None = None,
    ) -> list[OpenLineageRunEvent]:  # fmt: skip
        events = [self.event("START", start, run_id, job, facets, job_facets, node)]
        final = FINAL_EVENT.get(status or "")
        if final is None:
            events.append(self.event("RUNNING", self.now, run_id, job, facets, job_facets, node))
            return events
        end_facets = dict(facets)
        if final == "FAIL":
            end_facets["errorMessage"] = _facet(
                "errorMessage",
                message=failure or f"{status}",
                programmingLanguage="unknown",
            )
        events.append(self.event(final, end or self.now, run_id, job, end_facets, job_facets, node))
        return events

    def dependencies(self, step: str) -> dict[str, Any]:
        def link(other: str) -> dict[str, Any]:
            dependency: dict[str, Any] = {
                "job": {"namespace": self.namespace, "name": f"{self.pipeline}.{other}"}
            }
            if other in self.step_ids:
                dependency["run"] = {"runId": self.step_ids[other]}
            return dependency

        upstream = list(self.upstream.get(step, ()))
        downstream = list(self.downstream.get(step, ()))
        if not upstream and not downstream:
            return {}
        return {
            "jobDependencies": _facet(
                "jobDependencies",
                upstream=[link(s) for s in upstream],
                downstream=[link(s) for s in downstream],
            )
        }

    def step_facet(self, node: Node) -> dict[str, Any]:
        run: Mapping[str, Any] = node.get("run") or {}
        registry = run.get("registry")
        fields: dict[str, Any] = {
            "stepName": node["id"],
            "stepType": node["type"],
            "status": run.get("status"),
            "jobArn": run.get("jobArn"),
            "jobStatus": run.get("jobStatus"),
            "cacheHit": bool(run.get("cacheHit")),
            "cacheSource": run.get("cacheSource"),
            "attempts": run.get("attempts", 0),
            "metrics": {k: v for k, v in (run.get("metrics") or {}).items() if v is not None},
        }
        if registry:
            fields["registry"] = {
                key: value
                for key, value in {
                    "modelPackageArn": registry["modelPackageArn"],
                    "modelPackageGroup": registry["modelPackageGroup"],
                    "version": registry["version"],
                    "approvalStatus": registry["approvalStatus"],
                }.items()
                if value is not None
            }
        # the client drops null fields when it serialises: so do we
        return {STEP_RUN_FACET: _facet(STEP_RUN_FACET, **_without_nulls(fields))}

    def build(self) -> list[OpenLineageRunEvent]:
        execution = self.execution
        parameters = [{"key": k, "value": v} for k, v in execution["parameters"].items()]
        parent_facets: dict[str, Any] = {}
        if parameters:
            parent_facets["executionParameters"] = _facet(
                "executionParameters", parameters=parameters
            )
        events = self.run_events(
            execution["status"], self.start, execution["endTime"], self.parent_id,
            self.pipeline, parent_facets, self.job_type("PIPELINE"), execution["failureReason"],
        )  # fmt: skip
        # the client writes the (empty) forwarded facets of the parent and root too
        parent_job = {"namespace": self.namespace, "name": self.pipeline, "facets": {}}
        parent_run = {"runId": self.parent_id, "facets": {}}
        parent = _facet(
            "parent", run=parent_run, job=parent_job, root={"run": parent_run, "job": parent_job}
        )
        steps: list[OpenLineageRunEvent] = []
        for node in self.lineage["graph"]["nodes"]:
            run = node.get("run")
            if node["id"] not in self.step_ids or not run:
                continue
            facets = {"parent": parent, **self.dependencies(node["id"]), **self.step_facet(node)}
            steps += self.run_events(
                run["status"], run["startTime"] or self.start, run["endTime"],
                self.step_ids[node["id"]], f"{self.pipeline}.{node['id']}", facets,
                self.job_type(node["type"].upper()), run["failureReason"], node,
            )  # fmt: skip
        # the parent's START first and its end last; the steps in time order between
        steps.sort(key=lambda e: e["eventTime"])
        return [events[0], *steps, *events[1:]]


def _without_nulls(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    return value


def run_events(lineage: LineageResponse, now: datetime) -> OpenLineageResponse:
    """The ``/openlineage`` answer for a lineage answer that has an execution.

    ``now`` is the time of the read (the ``RUNNING`` events' time). Raises ValueError
    without an execution (the service answers 404 first).
    """
    execution, pipeline = lineage["execution"], lineage["pipeline"]
    if execution is None or pipeline is None:
        raise ValueError("an execution is needed")
    builder = _Builder(lineage, execution, now)
    return {
        "pipeline": pipeline["name"],
        "region": pipeline["region"],
        "execution": execution["arn"],
        "namespace": builder.namespace,
        "events": builder.build(),
        "warnings": list(lineage["warnings"]),
    }


def event_json(event: Mapping[str, Any]) -> str:
    """An event as the JSON text sent to DataZone (keys sorted, as the client's Serde)."""
    return json.dumps(event, sort_keys=True, ensure_ascii=False, allow_nan=False)


def client_token(event: Mapping[str, Any]) -> str:
    """DataZone's idempotency token for an event (at most 128 printable characters): the
    same event sent twice is one event."""
    digest = hashlib.sha256(event_json(event).encode()).hexdigest()[:32]
    return f"{event['run']['runId']}-{event['eventType']}-{digest}"
