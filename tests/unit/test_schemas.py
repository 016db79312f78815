"""The JSON Schemas of the answers (core/schema/): one set of $defs, strict where we own
the keys, and readable by the tools that consume them (jsonschema here,
json-schema-to-typescript for the side panel)."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest

from sagemaker_lineage_ext.core import models

SCHEMAS = Path(models.__file__).parent / "schema"
FILES = sorted(SCHEMAS.glob("*.schema.json"))
LOADED = {path.name: json.loads(path.read_text("utf-8")) for path in FILES}
DEFS = LOADED["defs.schema.json"]["$defs"]

#: Objects whose keys AWS owns (the core copies every key it sends): left open.
OPEN_OBJECTS = {"check"}


def walk(node: object, path: str = "") -> Iterator[tuple[str, dict]]:
    """Every subschema (every dict) of a schema document, with its JSON pointer."""
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from walk(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from walk(value, f"{path}/{index}")


def test_schemas_are_the_answers_and_their_defs():
    assert sorted(LOADED) == [
        "artifact-response.schema.json",
        "check-response.schema.json",
        "compare-response.schema.json",
        "defs.schema.json",
        "error-response.schema.json",
        "executions-response.schema.json",
        "export-response.schema.json",
        "lineage-response.schema.json",
        "openlineage-response.schema.json",
        "pipelines-response.schema.json",
    ]


@pytest.mark.parametrize("name", sorted(LOADED))
def test_schemas_are_valid_2020_12_with_an_id_named_after_the_file(name):
    schema = LOADED[name]
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].rsplit("/", 1) == [
        LOADED["defs.schema.json"]["$id"].rsplit("/", 1)[0],
        name,
    ], "every $id shares one base, so relative $refs resolve between the files"


@pytest.mark.parametrize("name", sorted(set(LOADED) - {"defs.schema.json"}))
def test_schemas_answers_share_the_one_set_of_defs(name):
    schema = LOADED[name]
    assert "$defs" not in schema
    refs = [node["$ref"] for _, node in walk(schema) if "$ref" in node]
    assert refs and all(ref.startswith("defs.schema.json#/$defs/") for ref in refs)


def test_schemas_every_ref_resolves_through_the_registry(schema_registry):
    unresolved = []
    for name, schema in LOADED.items():
        resolver = schema_registry.resolver(base_uri=schema["$id"])
        for pointer, node in walk(schema):
            if "$ref" in node:
                try:
                    resolver.lookup(node["$ref"])
                except Exception as exc:  # referencing's Unresolvable and its subclasses
                    unresolved.append(f"{name}{pointer}: {exc}")
    assert unresolved == []


def test_schemas_every_def_is_used():
    refs = {
        node["$ref"].rsplit("/", 1)[-1]
        for schema in LOADED.values()
        for _, node in walk(schema)
        if "$ref" in node
    }
    assert sorted(set(DEFS) - refs) == []


def test_schemas_refs_stand_alone():
    """A keyword beside a $ref makes json-schema-to-typescript emit a new type per use
    (Time1, Time2, ...): descriptions of such fields go on the enclosing object."""
    crowded = [
        f"{name}{pointer}"
        for name, schema in LOADED.items()
        for pointer, node in walk(schema)
        if "$ref" in node and set(node) != {"$ref"}
    ]
    assert crowded == []


def test_schemas_objects_we_own_admit_no_other_key():
    loose = [
        f"{name}{pointer}"
        for name, schema in LOADED.items()
        for pointer, node in walk(schema)
        if "properties" in node
        and isinstance(node["properties"], dict)
        and node.get("type") == "object"
        and node.get("additionalProperties") is not False
        and pointer not in {f"/$defs/{d}" for d in OPEN_OBJECTS}
    ]
    assert loose == []


def test_schemas_required_keys_are_properties():
    stray = [
        f"{name}{pointer}: {key}"
        for name, schema in LOADED.items()
        for pointer, node in walk(schema)
        if isinstance(node.get("properties"), dict)
        for key in node.get("required", [])
        if key not in node["properties"]
    ]
    assert stray == []


# -- the schemas at work, on small answers built by hand ---------------------------------

ARN = "arn:aws:sagemaker:ap-northeast-2:123456789012:pipeline/p"
EXECUTION_ARN = f"{ARN}/execution/abc123"
TIME = "2026-11-26T00:48:58.306Z"
RUN = {
    "status": "Succeeded", "startTime": TIME, "endTime": TIME, "elapsedSec": 0,
    "jobArn": None, "metrics": {"validation:auc": 0.9}, "failureReason": None,
    "cacheHit": False, "attempts": 1, "registry": None,
}  # fmt: skip
LINEAGE = {
    "pipeline": {
        "name": "p", "arn": ARN, "region": "ap-northeast-2", "displayName": "p",
        "description": None, "status": "Active", "creationTime": TIME,
        "lastModifiedTime": TIME, "lastRunTime": None, "tags": {},
    },
    "execution": {
        "arn": EXECUTION_ARN, "displayName": None, "status": "Succeeded", "startTime": TIME,
        "endTime": TIME, "elapsedSec": 0, "failureReason": None, "parameters": {"X": "1"},
    },
    "summary": {
        "overallStatus": "Succeeded", "nodeStatus": {"Succeeded": 2}, "elapsedSec": 0,
        "lastScanned": TIME, "stepCount": 2, "reused": 0, "failedSteps": [],
    },
    "graph": {
        "nodes": [
            {"id": "A", "type": "Processing", "displayName": "A", "description": None,
             "parent": None, "inputs": [],
             "outputs": [{"name": "out", "uri": "s3://b/k", "artifactId": 1, "resolved": True,
                          "role": "data"}],
             "run": RUN},
            {"id": "B", "type": "Training", "displayName": "B", "description": None,
             "parent": {"step": "C", "branch": "if"},
             "inputs": [{"name": "in", "uri": "s3://b/k", "artifactId": 1, "resolved": True,
                         "role": "data"}],
             "outputs": [], "run": RUN},
        ],
        "edges": [{"from": "A", "to": "B", "via": "ref:Get"}],
        "artifacts": [
            {"id": 1, "uri": "s3://b/k", "bucket": "b", "key": "k", "resolved": True,
             "producers": ["A"], "consumers": ["B"],
             "s3": {"encryption": "aws:kms", "versioning": "Enabled", "publicAccess": "Blocked",
                    "tags": "Unknown", "region": "ap-northeast-2", "findings": ["PostureUnknown"],
                    "readAt": TIME}},
        ],
        "risks": [
            {"artifactId": 1, "uri": "s3://b/k", "findings": ["PostureUnknown"], "modelStep": "B",
             "modelPackageArn": None, "approvalStatus": None, "steps": ["B"], "artifacts": [1],
             "message": "unverified (posture unknown) output of A upstream of ..."},
        ],
    },
    "warnings": [{"code": "AccessDenied", "target": "s3://b", "message": "tags is Unknown"}],
}  # fmt: skip


def changed(path: str, value: object, document: dict = LINEAGE) -> dict:
    """``document`` with the value at ``path`` (``graph.nodes.0.run.status``) replaced;
    the value ``...`` deletes the key."""
    result = copy.deepcopy(document)
    *parents, last = path.split(".")
    node: object = result
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]  # type: ignore[index]
    if value is ...:
        del node[last]  # type: ignore[attr-defined]
    else:
        node[last] = value  # type: ignore[index]
    return result


def test_schemas_accept_the_hand_built_answer_with_every_optional_field(validate_lineage):
    validate_lineage(LINEAGE)
    later = changed("demo", True)
    later["graph"]["nodes"][0]["run"] = dict(
        RUN,
        cacheHit=True,
        cacheSource=EXECUTION_ARN,
        reusedFrom=EXECUTION_ARN,
        conditionOutcome="True",
        conditions=[
            {"type": "LessThanOrEqualTo", "left": 4.3, "right": 6.0, "outcome": True},
            {"type": "Or", "outcome": None, "conditions": [
                {"type": "In", "value": "{Parameters.Region}", "values": ["eu", 1],
                 "outcome": None},
                {"type": "Not", "outcome": False,
                 "expression": {"type": "Equals", "left": 1, "right": 2, "outcome": False}},
            ]},
        ],
        emr={"clusterId": "j-1", "stepId": "s-1", "stepName": "spark",
             "logFilePath": "s3://b/logs/"},
        outputParameters={"model_uri": "s3://b/m"},
        errorMessage="too high",
        jobStatus="Completed",
        bestTrainingJob=None,
        reports={"EvaluationReport": {"regression_metrics": {"mse": {"value": 4.3}}}},
        check={"checkType": "DATA_QUALITY", "skipCheck": False, "extraKeyFromAws": "kept"},
        iterations=[
            {"index": 0, "status": "Failed", "startTime": TIME, "endTime": None,
             "jobArn": None, "failureReason": "boom"},
        ],
        metrics={"nan": None},
    )  # fmt: skip
    later["graph"]["nodes"][1]["parent"] = {"step": "F", "branch": "body"}
    later["graph"]["nodes"][1]["inputs"][0]["role"] = "report"
    later["graph"]["edges"].append({"from": "A", "to": "B", "via": "forEach"})
    validate_lineage(later)


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("unexpected", 1),
        ("demo", False),
        ("pipeline.region", ...),
        ("pipeline.region", "Seoul"),
        ("pipeline.extra", "x"),
        ("execution.status", "Done"),
        ("summary.nodeStatus", {"Done": 1}),
        ("graph.edges.0.via", "dataflow"),
        ("graph.edges.0.label", "x"),
        ("graph.nodes.0.run.attempts", ...),
        ("graph.nodes.0.run.status", "Completed"),
        ("graph.nodes.0.run.cacheSource", "yes"),
        ("graph.nodes.0.parent", {"step": "C", "branch": "maybe"}),
        ("graph.nodes.0.outputs.0.role", "dataset"),
        ("graph.nodes.0.outputs.0.role", ...),
        ("graph.nodes.0.run.conditions", [{"type": "Equals", "left": 1, "right": 1}]),
        ("summary.reused", ...),
        ("graph.artifacts.0.s3.readAt", ...),
        ("graph.artifacts.0.s3.encryption", "SSE-S3"),
        ("graph.artifacts.0.s3.tags", "Denied"),
        ("graph.artifacts.0.s3.findings", ["Public"]),
        ("warnings.0.code", ...),
        ("summary.lastScanned", "yesterday"),
        ("graph.risks", ...),
        ("graph.risks.0.findings", []),
        ("graph.risks.0.approvalStatus", "Pending"),
        ("graph.risks.0.steps", []),
    ],
)
def test_schemas_reject_what_the_contract_does_not_say(validate_lineage, path, value):
    with pytest.raises(AssertionError):
        validate_lineage(changed(path, value))


def test_schemas_listing_and_executions_answers(validate_listing, validate_executions):
    summary = {
        "name": "p", "arn": ARN, "displayName": "p", "description": None,
        "creationTime": TIME, "lastModifiedTime": TIME, "lastExecutionTime": None,
        "latestExecution": {"arn": EXECUTION_ARN, "status": "Executing", "startTime": TIME},
    }  # fmt: skip
    listing = {"region": "eu-west-1", "pipelines": [summary], "warnings": [], "demo": True}
    validate_listing(listing)
    with pytest.raises(AssertionError):
        validate_listing(changed("warnings", [{"code": "X"}], listing))  # target, message
    executions = {
        "pipeline": "p", "region": "eu-west-1", "warnings": [],
        "executions": [{"arn": EXECUTION_ARN, "displayName": None, "status": "Failed",
                        "startTime": TIME, "failureReason": "boom"}],
    }  # fmt: skip
    validate_executions(executions)
    for path, value in [("warnings", ...), ("executions.0.status", "Done"), ("limit", 20)]:
        with pytest.raises(AssertionError):
            validate_executions(changed(path, value, executions))


@pytest.mark.parametrize(
    ("status", "body", "valid"),
    [
        (400, {"message": "pipeline is required"}, True),
        (404, {"message": "pipeline not found or domain filter mismatched"}, True),
        (500, {"message": "internal error", "requestId": "r-1"}, True),
        (400, {"message": ""}, False),
        (400, {"message": "limit is bad", "requestId": "r-1"}, False),
        (500, {"message": "internal error"}, False),
        (500, {"message": "KeyError: 'x'", "requestId": "r-1"}, False),
        (500, {"message": "internal error", "requestId": ""}, False),
        (404, {"message": "x", "detail": "y"}, False),
        (200, {"message": "x"}, False),
    ],
)
def test_schemas_error_bodies_match_their_status(validate_error, status, body, valid):
    if valid:
        assert validate_error(status, body) == body
    else:
        with pytest.raises(AssertionError):
            validate_error(status, body)
