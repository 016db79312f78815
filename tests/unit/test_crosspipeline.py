"""Lineage across pipelines (core/crosspipeline.py, pure): locations of SDK-written
definitions, how a location relates to a URI, and the index that finds them."""

from __future__ import annotations

import fnmatch
import json
import random
import subprocess
import sys

import pytest
from conftest import load_definition

from sagemaker_lineage_ext.core.crosspipeline import (
    PipelineUses,
    UsageIndex,
    Use,
    link_artifacts,
    pipeline_uses,
    relation,
    segments,
)
from sagemaker_lineage_ext.core.errors import DefinitionError

DATA = "s3://my-mlops-dev2-v2-main-data"


def uses_of(name: str, **parameters: str):
    return pipeline_uses(json.dumps(load_definition(name)), parameters)


def pipeline(name: str, **parameters: str) -> PipelineUses:
    arn = f"arn:aws:sagemaker:ap-northeast-2:123456789012:pipeline/{name}"
    return PipelineUses(name, arn, None, None, uses_of(name, **parameters))


def test_segments_cut_a_uri_with_placeholders_as_holes():
    assert segments("s3://b/a/c/") == ("b", "a", "c")
    assert segments("s3://b") == ("b",)
    assert segments("s3://b/x/{Execution.PipelineExecutionId}/train") == ("b", "x", "\x00", "train")
    assert segments("s3://b/{JsonGet s3://x/y:path}/z") == ("b", "\x00", "z")
    assert segments("{Steps.Train.ModelArtifacts.S3ModelArtifacts}") is None
    assert segments("s3://{Parameters.Bucket}/x") is None
    assert segments("file:///tmp/x") is None


@pytest.mark.parametrize(
    ("location", "uri", "expected"),
    [
        ("s3://b/features/train", "s3://b/features/train", "exact"),
        ("s3://b/features/train/", "s3://b/features/train", "exact"),
        ("s3://b/features/validation", "s3://b/features/validation/validation.csv", "contains"),
        ("s3://b/features/train", "s3://b/features", "within"),
        ("s3://b/features/train", "s3://b", "within"),
        ("s3://b/features-old/train", "s3://b/features", None),
        ("s3://b/features", "s3://b/features-old/x", None),
        ("s3://b/features/train", "s3://other/features/train", None),
        ("s3://b/abalone/{Execution.PipelineExecutionId}/train", "s3://b/abalone/84onnrc0z2mv/train", "exact"),
        ("s3://b/abalone/{Execution.PipelineExecutionId}/train", "s3://b/abalone", "within"),
        ("s3://b/abalone/{Execution.PipelineExecutionId}/train", "s3://b/abalone/x/test", None),
        ("s3://b/models/pipelines-{id}-train-{n}/output", "s3://b/models/pipelines-a1-train-f8/output/model.tar.gz", "contains"),
        ("s3://b/models/pipelines-{id}-train-{n}/output", "s3://b/models/pipelines-a1-eval-f8/output", None),
    ],
)  # fmt: skip
def test_relation_of_a_location_to_a_uri(location, uri, expected):
    assert relation(segments(location), segments(uri)) == expected


def test_relation_placeholders_between_separators_never_backtrack_for_long(tmp_path):
    """GIVEN a definition's key of placeholders joined by '-' (a Std:Join of parameters)
    and an /artifact query of a long "a-a-a-..." key: a regular expression of ".+-.+-..."
    tried every split of the query (minutes of CPU for one request, past any deadline).
    THEN it is decided at once (in a child process, ended if it hangs)."""
    script = (
        "from sagemaker_lineage_ext.core.crosspipeline import relation, segments\n"
        "loc = segments('s3://bucket/' + '-'.join('{P%d}' % i for i in range(8)) + 'x')\n"
        "uri = segments('s3://bucket/' + '-'.join(['a'] * 500))\n"
        "print(relation(loc, uri), relation(segments('s3://bucket/{A}{B}{C}{D}{E}{F}{G}x'),"
        " segments('s3://bucket/' + 'a' * 1000)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.split() == ["None", "None"]


@pytest.mark.parametrize("seed", range(30))
def test_relation_placeholder_matches_as_a_wildcard_of_one_character_or_more(seed):
    """Each placeholder is any text of at least one character, within one path segment:
    the same verdicts as fnmatch with '?*' per placeholder, on random segments."""
    rnd = random.Random(seed)
    for _ in range(200):
        parts = [rnd.choice(["", "a", "-", "ab", "b-a"]) for _ in range(rnd.randint(1, 5))]
        location = "{P}".join(parts)
        text = "".join(rnd.choice("ab-") for _ in range(rnd.randint(1, 12)))
        expected = fnmatch.fnmatchcase(text, "?*".join(glob_escape(p) for p in parts))
        got = relation(segments(f"s3://bucket/{location}"), segments(f"s3://bucket/{text}"))
        assert (got == "exact") == expected, (location, text)


def glob_escape(text: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in text)


def test_pipeline_uses_resolve_the_sdk_definition_with_the_latest_parameters():
    uses = uses_of("customer-ltv-pipeline", TrainFeatures=f"{DATA}/features/customers/v2/train")
    train = [u for u in uses if u.step == "TrainLtvModel" and u.role == "in"]
    assert {u.location: u.uri for u in train if u.location in ("train", "validation")} == {
        "train": f"{DATA}/features/customers/v2/train",  # the execution's value, not the default
        "validation": f"{DATA}/features/customers/validation/validation.csv",
    }
    defaults = {u.location: u.uri for u in uses_of("customer-ltv-pipeline") if u.role == "in"}
    assert defaults["train"] == f"{DATA}/features/customers/train"
    outputs = {(u.step, u.location): u for u in uses_of("mlops-pipeline") if u.role == "out"}
    train_split = outputs[("Preprocess", "train")]
    assert train_split.uri == f"{DATA}/abalone/{{Execution.PipelineExecutionId}}/train"
    assert train_split.resolved is False and train_split.step_type == "Processing"


def test_pipeline_uses_refuse_a_document_that_is_not_a_definition():
    with pytest.raises(DefinitionError):
        pipeline_uses("[1, 2]", {})


def test_usage_index_finds_producers_and_consumers_across_pipelines():
    index = UsageIndex([pipeline("customer-ltv-pipeline"), pipeline("customer-features-pipeline"),
                        pipeline("mlops-pipeline")])  # fmt: skip
    producers, consumers = index.find(f"{DATA}/features/customers")
    assert [(u["pipeline"], u["step"], u["location"], u["relation"]) for u in producers] == [
        ("customer-features-pipeline", "BuildCustomerFeatures", "train", "within"),
        ("customer-features-pipeline", "BuildCustomerFeatures", "validation", "within"),
    ]
    assert [(u["pipeline"], u["location"], u["relation"]) for u in consumers] == [
        ("customer-ltv-pipeline", "train", "within"),
        ("customer-ltv-pipeline", "validation", "within"),
    ]
    producers, consumers = index.find(f"{DATA}/features/customers/validation/validation.csv")
    assert [(u["step"], u["relation"]) for u in producers] == [
        ("BuildCustomerFeatures", "contains")
    ]
    assert [(u["step"], u["relation"]) for u in consumers] == [("TrainLtvModel", "exact")]
    # a placeholder in a location stands for one segment: any run's train split
    producers, consumers = index.find(f"{DATA}/abalone/84onnrc0z2mv/train")
    assert [(u["pipeline"], u["step"]) for u in producers] == [("mlops-pipeline", "Preprocess")]
    assert [(u["pipeline"], u["step"]) for u in consumers] == [("mlops-pipeline", "Train")]
    assert index.find(f"{DATA}/features/customers", exclude="customer-ltv-pipeline")[1] == []
    assert index.find("s3://nobody-uses-this/x") == ([], [])


def test_link_artifacts_gives_each_artifact_the_other_pipelines():
    index = UsageIndex([pipeline("customer-features-pipeline"), pipeline("customer-ltv-pipeline")])
    answer = {
        "pipeline": {"name": "customer-ltv-pipeline"},
        "graph": {
            "artifacts": [
                {"id": 1, "uri": f"{DATA}/features/customers/train"},
                {"id": 2, "uri": "s3://elsewhere/model.tar.gz"},
            ]
        },
    }
    link_artifacts(answer, index)  # type: ignore[arg-type]
    first, second = answer["graph"]["artifacts"]
    assert [u["pipeline"] for u in first["upstreamPipelines"]] == ["customer-features-pipeline"]
    assert first["downstreamPipelines"] == [], "the pipeline itself is not listed"
    assert second["upstreamPipelines"] == second["downstreamPipelines"] == []


def _brute_force(pipelines: list[PipelineUses], uri: str, exclude: str | None) -> set[tuple]:
    """Every (role, pipeline, step, location, uri, relation) by trying each location."""
    parts = segments(uri)
    return {
        (use.role, p.name, use.step, use.location, use.uri, related)
        for p in pipelines
        if p.name != exclude
        for use in p.uses
        if parts is not None and use.segments[0] == parts[0]
        and (related := relation(use.segments, parts)) is not None
    }  # fmt: skip


@pytest.mark.parametrize("seed", range(25))
def test_usage_index_finds_what_trying_every_location_finds(seed):
    """GIVEN random locations (literal segments, placeholders, folders and files, bare
    buckets) of a few pipelines, THEN the index finds, for random URIs (with placeholders
    too), exactly the (use, relation) pairs that relating the URI to every location finds."""
    rnd = random.Random(seed)
    words = ["a", "b", "ab", "a-b", "{P}", "x{P}", "{P}-b", "{P}{Q}"]

    def uri() -> str:
        path = "/".join(rnd.choice(words) for _ in range(rnd.randint(0, 4)))
        return f"s3://{rnd.choice(['bkt', 'other'])}" + (f"/{path}" if path else "")

    pipelines = []
    for p in range(4):
        uses = []
        for i in range(rnd.randint(0, 25)):
            location = uri()
            role = rnd.choice(["in", "out"])
            uses.append(Use(f"S{i}", "Processing", f"l{i}", location, "{" not in location,
                            role, segments(location)))  # fmt: skip
        pipelines.append(PipelineUses(f"p{p}", f"arn:p{p}", None, None, tuple(uses)))
    index = UsageIndex(pipelines)
    for _ in range(40):
        query, exclude = uri(), rnd.choice([None, "p0"])
        producers, consumers = index.find(query, exclude=exclude)
        got = {
            (role, u["pipeline"], u["step"], u["location"], u["uri"], u["relation"])
            for role, found in (("out", producers), ("in", consumers))
            for u in found
        }
        assert got == _brute_force(pipelines, query, exclude), query
        keys = [(u["pipeline"], u["step"], u["location"], u["uri"]) for u in producers]
        assert keys == sorted(keys)
