"""Comparing two executions (core/compare.py, pure): on the definitions the real SDK wrote
for the demo's mlops-pipeline before (v1) and after (v2) an UpdatePipeline, and on
hand-made step comparisons for the verdicts and the cache explanations."""

from __future__ import annotations

import copy

import pytest
from conftest import load_definition

from sagemaker_lineage_ext.core.compare import (
    Side,
    cache_reason,
    compare_executions,
    diff_definitions,
    in_cache_key,
    location_changes,
    number_change,
    significant,
    verdict,
)
from sagemaker_lineage_ext.core.definition import parse_definition
from sagemaker_lineage_ext.core.references import ResolutionContext
from sagemaker_lineage_ext.core.service import preview_lineage

V1 = parse_definition(load_definition("mlops-pipeline.v1"))
V2 = parse_definition(load_definition("mlops-pipeline"))
ARN = "arn:aws:sagemaker:ap-northeast-2:123456789012:pipeline/mlops-pipeline/execution/"


def context(definition, execution_id: str, **parameters) -> ResolutionContext:
    return ResolutionContext.from_definition(
        definition,
        parameters=parameters,
        execution={"PipelineExecutionId": execution_id, "PipelineExecutionArn": ARN + execution_id},
    )


def by_path(changes: list[dict]) -> dict[str, dict]:
    return {change["path"]: change for change in changes}


def test_diff_definitions_finds_the_sdk_update_with_its_causes():
    base, head = context(V1, "aaaa"), context(V2, "bbbb", TrainingInstanceType="ml.m5.2xlarge")
    changes = by_path(diff_definitions(V1.step("Train"), V2.step("Train"), base, head))
    assert changes["Arguments.HyperParameters.max_depth"] == {
        "path": "Arguments.HyperParameters.max_depth", "kind": "changed", "before": "5",
        "after": "6", "cause": "definition", "source": None, "cacheKey": True,
    }  # fmt: skip
    assert changes["CacheConfig"]["kind"] == "added"
    assert changes["CacheConfig"]["after"] == {"Enabled": True, "ExpireAfter": "P30D"}
    instance = changes["Arguments.ResourceConfig.InstanceType"]
    assert (instance["before"], instance["after"]) == ("ml.m5.xlarge", "ml.m5.2xlarge")
    assert (instance["cause"], instance["source"], instance["cacheKey"]) == (
        "parameter",
        "TrainingInstanceType",
        False,  # ResourceConfig is not in a training step's cache key
    )
    assert set(changes) == {
        "Arguments.HyperParameters.max_depth",
        "Arguments.ResourceConfig.InstanceType",
        "CacheConfig",
    }


def test_diff_definitions_blames_the_execution_variable_of_a_join():
    changes = diff_definitions(
        V2.step("Preprocess"), V2.step("Preprocess"), context(V2, "aaaa"), context(V2, "bbbb")
    )
    (change,) = changes
    assert change["path"] == "Arguments.ProcessingOutputConfig.Outputs[0].S3Output.S3Uri"
    assert change["before"].endswith("/abalone/aaaa/train")
    assert change["after"].endswith("/abalone/bbbb/train")
    assert (change["cause"], change["source"]) == ("execution", "PipelineExecutionId")
    assert change["cacheKey"] is False  # outputs are not a processing step's cache key


def test_diff_definitions_blames_an_upstream_property():
    def properties(model: str):
        return lambda step, path: (
            model if (step, path) == ("Train", "ModelArtifacts.S3ModelArtifacts") else None
        )

    base = context(V2, "aaaa")
    head = context(V2, "aaaa")
    base.properties, head.properties = (
        properties("s3://b/m1.tar.gz"),
        properties("s3://b/m2.tar.gz"),
    )
    changes = by_path(diff_definitions(V2.step("Evaluate"), V2.step("Evaluate"), base, head))
    change = changes["Arguments.ProcessingInputs[0].S3Input.S3Uri"]
    assert (change["before"], change["after"]) == ("s3://b/m1.tar.gz", "s3://b/m2.tar.gz")
    assert (change["cause"], change["source"], change["cacheKey"]) == ("upstream", "Train", True)


def test_diff_definitions_of_identical_runs_is_empty_and_skips_condition_branches():
    ctx = context(V2, "aaaa")
    assert diff_definitions(V2.step("Train"), V2.step("Train"), ctx, ctx) == []
    # the Condition's IfSteps hold other steps: changing them is not a change of CheckMSE
    changed = copy.deepcopy(load_definition("mlops-pipeline"))
    condition = next(s for s in changed["Steps"] if s["Name"] == "CheckMSE")
    condition["Arguments"]["IfSteps"] = []
    other = parse_definition(changed)
    assert diff_definitions(V2.step("CheckMSE"), other.step("CheckMSE"), ctx, ctx) == []


def with_environment(environment: dict):
    raw = copy.deepcopy(load_definition("mlops-pipeline"))
    next(s for s in raw["Steps"] if s["Name"] == "Train")["Arguments"]["Environment"] = environment
    return parse_definition(raw).step("Train")


def test_diff_definitions_quotes_keys_that_are_not_plain_and_adds_whole_subtrees():
    ctx = context(V2, "aaaa")
    before, after = with_environment({"A.B": "0"}), with_environment({"A.B": "1", "C": "2"})
    changes = diff_definitions(before, after, ctx, ctx)
    assert [(c["path"], c["kind"], c["cacheKey"]) for c in changes] == [
        ('Arguments.Environment["A.B"]', "changed", True),
        ("Arguments.Environment.C", "added", True),
    ]
    (added,) = diff_definitions(V2.step("Train"), after, ctx, ctx)
    assert (added["path"], added["kind"], added["after"]) == (
        "Arguments.Environment",
        "added",
        {"A.B": "1", "C": "2"},
    )


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("Arguments.Environment", True),
        ("Arguments.Environment.A", True),
        ("Arguments.ProcessingInputs[2].S3Input.S3Uri", True),
        ("Arguments.EnvironmentVariables", False),
        ("Arguments.ProcessingOutputConfig.Outputs[0]", False),
        ("CacheConfig.Enabled", False),
    ],
)
def test_in_cache_key_matches_whole_attributes(path, expected):
    keys = ("Arguments.AppSpecification", "Arguments.Environment", "Arguments.ProcessingInputs")
    assert in_cache_key(path, keys) is expected


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        (548, 371, {"before": 548, "after": 371, "delta": -177, "percent": -32.3}),
        (1.744, 1.712, {"before": 1.744, "after": 1.712, "delta": -0.032, "percent": -1.8}),
        (0, 5, {"before": 0, "after": 5, "delta": 5, "percent": None}),
        (None, 5, {"before": None, "after": 5, "delta": None, "percent": None}),
        (5, None, {"before": 5, "after": None, "delta": None, "percent": None}),
        (0, 0, {"before": 0, "after": 0, "delta": 0, "percent": None}),
        # a metric below zero (a log-likelihood, an R² of a bad model) that rose by 1 rose
        # by 50 % of its size: the sign of the percentage is the sign of the change
        (-2.0, -1.0, {"before": -2.0, "after": -1.0, "delta": 1.0, "percent": 50.0}),
        (-0.5, -1.5, {"before": -0.5, "after": -1.5, "delta": -1.0, "percent": -200.0}),
    ],
)
def test_number_change_has_delta_and_one_decimal_percent(before, after, expected):
    assert number_change(before, after) == expected


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [(100, 111, True), (100, 109, False), (20, 24, False), (20, 25, True), (0, 6, True)],
)
def test_significant_needs_ten_percent_and_five_seconds(before, after, expected):
    assert significant(number_change(before, after)) is expected


def step(before="Succeeded", after="Succeeded", seconds=(100, 100), **extra) -> dict:
    return {
        "step": "S", "type": "Processing", "verdict": "unchanged",
        "status": {"before": before, "after": after},
        "durationSec": number_change(*seconds), "metrics": [], "arguments": [],
        "inputs": [], "outputs": [], "cache": None, **extra,
    }  # fmt: skip


@pytest.mark.parametrize(
    ("compared", "in_base", "in_head", "expected"),
    [
        (step(before=None), False, True, "added"),
        (step(after=None), True, False, "removed"),
        (step(after="Failed", seconds=(100, 300)), True, True, "newlyFailing"),
        (step(before="Failed"), True, True, "newlyPassing"),
        (step(before="NotStarted", seconds=(None, 50)), True, True, "newlyPassing"),
        (step(seconds=(100, 200)), True, True, "slower"),
        (step(seconds=(200, 100), arguments=[{"path": "x"}]), True, True, "faster"),
        (step(arguments=[{"path": "x"}]), True, True, "changed"),
        (
            step(metrics=[{"name": "m", "before": 1.0, "after": 2.0, "delta": 1.0, "percent": 100.0}]),
            True, True, "changed",
        ),
        (step(seconds=(100, 103)), True, True, "unchanged"),
        (step(before="Failed", after="Failed"), True, True, "unchanged"),
    ],
)  # fmt: skip
def test_verdict_picks_the_most_telling_change(compared, in_base, in_head, expected):
    assert verdict(compared, in_base, in_head) == expected


def test_location_changes_pair_inputs_by_name_and_order():
    before = [
        {"name": "code", "uri": "s3://b/c.py", "artifactId": 1, "resolved": True},
        {"name": "input", "uri": "s3://b/1", "artifactId": 2, "resolved": True},
        {"name": "input", "uri": "s3://b/2", "artifactId": 3, "resolved": True},
        {"name": "old", "uri": "s3://b/o", "artifactId": 4, "resolved": True},
    ]
    after = [
        {"name": "code", "uri": "s3://b/c.py", "artifactId": 1, "resolved": True},
        {"name": "input", "uri": "s3://b/1", "artifactId": 2, "resolved": True},
        {"name": "input", "uri": "s3://b/3", "artifactId": 3, "resolved": True},
        {"name": "new", "uri": "s3://b/n", "artifactId": 5, "resolved": True},
    ]
    assert location_changes(before, after) == [
        {"name": "input", "before": "s3://b/2", "after": "s3://b/3"},
        {"name": "new", "before": None, "after": "s3://b/n"},
        {"name": "old", "before": "s3://b/o", "after": None},
    ]


def state(enabled=True, hit=False, source=None, expire="P30D") -> dict:
    return {"enabled": enabled, "expireAfter": expire, "hit": hit, "source": source}


KEY_CHANGE = {
    "path": "Arguments.HyperParameters.max_depth", "kind": "changed", "before": "5",
    "after": "6", "cause": "definition", "source": None, "cacheKey": True,
}  # fmt: skip
RAN = {"status": "Succeeded"}


@pytest.mark.parametrize(
    ("before", "after", "run_b", "run_h", "changes", "says"),
    [
        (state(False), state(hit=True, source=ARN + "base"), RAN, RAN, [],
         "cache hit: reused the base execution's run of this step"),
        (state(), state(hit=True, source=ARN + "older"), RAN, RAN, [],
         "cache hit: reused the run of execution older"),
        (state(False), state(False), RAN, RAN, [],
         "caching is off for this step (no CacheConfig with Enabled true)"),
        (state(), state(False), RAN, RAN, [], "caching was turned off for this step since the base"),
        (state(), state(), RAN, {"status": "NotStarted"}, [], "the step did not run"),
        (state(False), state(), RAN, RAN, [KEY_CHANGE],
         "cache miss: its cache key changed since the base: "
         "Arguments.HyperParameters.max_depth (changed in the definition: 5 -> 6)"),
        (state(), state(), {"status": "Failed"}, RAN, [], "the base run of this step did not succeed"),
        (state(), state(), RAN, RAN, [], "older than ExpireAfter (P30D)"),
    ],
)  # fmt: skip
def test_cache_reason_says_why_the_head_hit_or_missed(before, after, run_b, run_h, changes, says):
    assert says in cache_reason(before, after, run_b, run_h, changes, ARN + "base")


def fake_answer(definition_doc: dict, execution_id: str, statuses: dict[str, str]) -> dict:
    """A /lineage answer of a definition with runs of the given statuses (no AWS)."""
    answer = preview_lineage(definition_doc)
    for node in answer["graph"]["nodes"]:
        node["run"] = {
            "status": statuses.get(node["id"], "NotStarted"), "startTime": None,
            "endTime": None, "elapsedSec": 60 if node["id"] in statuses else None,
            "jobArn": None, "metrics": {}, "failureReason": None, "cacheHit": False,
            "attempts": 1, "registry": None,
        }  # fmt: skip
    answer["pipeline"] = {"name": "mlops-pipeline"}
    answer["execution"] = {
        "arn": ARN + execution_id, "displayName": execution_id, "status": "Succeeded",
        "startTime": None, "endTime": None, "elapsedSec": 100, "failureReason": None,
        "parameters": {"MseThreshold": "6.0" if execution_id == "base" else "5.0"},
    }  # fmt: skip
    return answer


def test_compare_executions_lists_added_and_removed_steps_and_both_edge_sets():
    base_doc = load_definition("mlops-pipeline")
    head_doc = copy.deepcopy(base_doc)
    head_doc["Steps"] = [s for s in head_doc["Steps"] if s["Name"] != "Evaluate"]
    extra = copy.deepcopy(next(s for s in base_doc["Steps"] if s["Name"] == "Preprocess"))
    extra["Name"] = "ProfileData"
    head_doc["Steps"].append(extra)
    base = Side(
        fake_answer(base_doc, "base", {"Preprocess": "Succeeded", "Train": "Failed"}),
        parse_definition(base_doc),
        context(V2, "base"),
    )
    head = Side(
        fake_answer(head_doc, "head", {"Preprocess": "Succeeded", "Train": "Succeeded",
                                       "ProfileData": "Failed"}),
        parse_definition(head_doc),
        context(V2, "head"),
    )  # fmt: skip
    answer = compare_executions(base, head)
    verdicts = {s["step"]: s["verdict"] for s in answer["steps"]}
    assert verdicts["ProfileData"] == "added" and verdicts["Evaluate"] == "removed"
    assert verdicts["Train"] == "newlyPassing"
    assert [s["step"] for s in answer["steps"]][-1] == "Evaluate", "base-only steps come last"
    summary = answer["summary"]
    assert (summary["added"], summary["removed"], summary["newlyPassing"]) == (
        ["ProfileData"],
        ["Evaluate"],
        ["Train"],
    )
    assert summary["definitionChanged"] is True
    assert answer["parameters"] == [{"name": "MseThreshold", "before": "6.0", "after": "5.0"}]
    edges = {(e["from"], e["to"]) for e in answer["edges"]}
    assert ("Train", "Evaluate") in edges, "edges of the base's definition are kept"
    removed = next(s for s in answer["steps"] if s["step"] == "Evaluate")
    assert removed["status"] == {"before": "NotStarted", "after": None}
    assert removed["arguments"] == []
