"""Edges between steps, and the evaluation of definition expressions."""

from __future__ import annotations

from dataclasses import replace

import pytest
from conftest import load_definition

from sagemaker_lineage_ext.core.definition import parse_definition
from sagemaker_lineage_ext.core.references import (
    ResolutionContext,
    Resolved,
    build_edges,
    json_path,
    resolve_value,
    split_step_ref,
)

FIXTURES = [
    "all-step-types",
    "nested-conditions",
    "step-collections",
    "mlops-pipeline",
    "churn-pipeline",
    "fraud-detection-pipeline",
    "large-pipeline-10",
    "large-pipeline-50",
    "large-pipeline-200",
]


def edge_set(name_or_doc) -> set[tuple[str, str, str]]:
    document = load_definition(name_or_doc) if isinstance(name_or_doc, str) else name_or_doc
    edges, _ = build_edges(parse_definition(document))
    return {(e.source, e.target, e.via) for e in edges}


def mlops_step(name: str) -> dict:
    """A raw step of mlops-pipeline.json, wherever it is nested."""
    pending = list(load_definition("mlops-pipeline")["Steps"])
    while pending:
        step = pending.pop()
        if step["Name"] == name:
            return step
        pending += step["Arguments"].get("IfSteps", []) + step["Arguments"].get("ElseSteps", [])
    raise KeyError(name)


# --- edges ------------------------------------------------------------------------------


def test_build_edges_mlops_pipeline_is_exactly_the_hand_listed_set():
    # Read off mlops-pipeline.json: no DependsOn; Gets on step properties; the
    # Std:JsonGet on Evaluate's property file feeds CheckMSE; CheckMSE's branches.
    assert edge_set("mlops-pipeline") == {
        ("Preprocess", "Train", "ref:Get"),
        ("Preprocess", "Evaluate", "ref:Get"),
        ("Train", "Evaluate", "ref:Get"),
        ("Evaluate", "CheckMSE", "ref:Get"),
        ("Evaluate", "RegisterAbalone-RegisterModel", "ref:Get"),
        ("Train", "RegisterAbalone-RegisterModel", "ref:Get"),
        ("Train", "CreateAbaloneModel-CreateModel", "ref:Get"),
        ("CheckMSE", "RegisterAbalone-RegisterModel", "condition:if"),
        ("CheckMSE", "CreateAbaloneModel-CreateModel", "condition:if"),
        ("CheckMSE", "MSEFail", "condition:else"),
    }


def test_build_edges_nested_conditions_has_condition_edges_at_every_depth():
    assert edge_set("nested-conditions") == {
        ("OuterCheck", "AfterConditions", "dependsOn"),
        ("GuardCheck", "AfterConditions", "dependsOn"),
        ("Prepare", "AfterConditions", "ref:Get"),
        ("Prepare", "OuterCheck", "ref:Get"),
        ("OuterCheck", "TrainInBranch", "condition:if"),
        ("OuterCheck", "InnerCheck", "condition:if"),
        ("Prepare", "TrainInBranch", "ref:Get"),
        ("InnerCheck", "ScoreInBranch", "condition:if"),
        ("InnerCheck", "InnermostCheck", "condition:if"),
        ("InnerCheck", "InnerFail", "condition:else"),
        ("TrainInBranch", "ScoreInBranch", "ref:Get"),
        ("Prepare", "ScoreInBranch", "ref:Get"),
        ("InnermostCheck", "DeepestProcess", "condition:if"),
        ("ScoreInBranch", "DeepestProcess", "ref:Get"),
        ("Prepare", "GuardCheck", "ref:Get"),
        ("GuardCheck", "ElseCheck", "condition:else"),
        ("Prepare", "ElseCheck", "ref:Get"),
        ("ElseCheck", "ElseBranchProcess", "condition:if"),
        ("ElseCheck", "ElseFail", "condition:else"),
        ("Prepare", "ElseBranchProcess", "ref:Get"),
    }


@pytest.mark.parametrize(
    "edge",
    [
        ("SparkFeatureJob", "SparkAggregateOnNewCluster", "dependsOn"),
        ("Evaluate", "RunReportNotebook", "dependsOn"),
        ("Evaluate", "CheckAccuracy", "ref:Get"),  # Std:JsonGet on EvaluationReport
        ("TuneXGBoost", "Evaluate", "ref:Get"),  # Std:Join with TrainingJobSummaries[0]
        ("NotifyEvaluation", "WaitForManualSignOff", "ref:Get"),  # Lambda OutputParameters
        ("CreateEndpointConfig", "DeployEndpoint", "ref:Get"),
        ("CheckRunChecks", "DataBiasCheck", "condition:if"),
        ("CheckAccuracy", "AccuracyTooLow", "condition:else"),
    ],
)
def test_build_edges_all_step_types_contains(edge):
    assert edge in edge_set("all-step-types")


def test_build_edges_follows_a_get_on_final_metric_data_list():
    assert ("L01-Train-01", "L02-Check-00", "ref:Get") in edge_set("large-pipeline-10")


def test_build_edges_gives_one_edge_per_from_to_via_and_no_warnings_on_fixtures():
    for name in FIXTURES:
        edges, warnings = build_edges(parse_definition(load_definition(name)))
        keys = [(e.source, e.target, e.via) for e in edges]
        assert len(keys) == len(set(keys)), name
        assert warnings == [], name


def test_build_edges_ignores_parameter_execution_and_experiment_config_gets():
    document = {
        "PipelineExperimentConfig": {
            "ExperimentName": {"Get": "Execution.PipelineName"},
            "TrialName": {"Std:Join": {"On": "-", "Values": ["trial", {"Get": "Steps.A.X"}]}},
        },
        "Steps": [
            {"Name": "A", "Type": "Processing"},
            {
                "Name": "B",
                "Type": "Processing",
                "Arguments": {
                    "Instance": {"Get": "Parameters.InstanceType"},
                    "Out": {
                        "Std:Join": {
                            "On": "/",
                            "Values": [{"Get": "Execution.PipelineExecutionId"}],
                        }
                    },
                },
            },
        ],
    }

    edges, warnings = build_edges(parse_definition(document))

    assert edges == []
    assert warnings == []


def test_build_edges_merges_repeated_references_but_keeps_distinct_vias():
    document = {
        "Steps": [
            {"Name": "A", "Type": "Processing"},
            {
                "Name": "B",
                "Type": "Training",
                "DependsOn": ["A", "A"],
                "Arguments": {
                    "x": {"Get": "Steps.A.ProcessingOutputConfig.Outputs['a'].S3Output.S3Uri"},
                    "y": {"Get": 'Steps.A.ProcessingOutputConfig.Outputs["b"].S3Output.S3Uri'},
                },
            },
        ]
    }

    edges, _ = build_edges(parse_definition(document))

    assert sorted(e.to_dict()["via"] for e in edges if (e.source, e.target) == ("A", "B")) == [
        "dependsOn",
        "ref:Get",
    ]
    assert len(edges) == 2


def test_build_edges_does_not_link_a_step_to_itself():
    document = {
        "Steps": [
            {
                "Name": "A",
                "Type": "Lambda",
                "Arguments": {"me": {"Get": "Steps.A.OutputParameters['x']"}},
            }
        ]
    }

    assert build_edges(parse_definition(document)) == ([], [])


@pytest.mark.parametrize(
    "step",
    [
        {"Name": "B", "Type": "Processing", "DependsOn": ["Ghost"]},
        {"Name": "B", "Type": "Processing", "Arguments": {"in": {"Get": "Steps.Ghost.Prop"}}},
    ],
    ids=["dependsOn", "get"],
)
def test_build_edges_warns_instead_of_linking_a_missing_step(step):
    edges, warnings = build_edges(parse_definition({"Steps": [step]}))

    assert edges == []
    assert len(warnings) == 1
    assert warnings[0]["code"] == "UnknownStepReference"
    assert warnings[0]["target"] == "B"
    assert "Ghost" in warnings[0]["message"]


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        (
            "Steps.Train.ModelArtifacts.S3ModelArtifacts",
            ("Train", "ModelArtifacts.S3ModelArtifacts"),
        ),
        (
            'Steps.Preprocess.ProcessingOutputConfig.Outputs["train"].S3Output.S3Uri',
            ("Preprocess", "ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri"),
        ),
        (
            "Steps.TuneXGBoost.TrainingJobSummaries[0].TrainingJobName",
            ("TuneXGBoost", "TrainingJobSummaries[0].TrainingJobName"),
        ),
        (
            "Steps.L01-Train-01.FinalMetricDataList['validation:rmse'].Value",
            ("L01-Train-01", "FinalMetricDataList['validation:rmse'].Value"),
        ),
        ("Parameters.InputData", None),
        ("Execution.PipelineExecutionId", None),
    ],
)
def test_split_step_ref(ref, expected):
    assert split_step_ref(ref) == expected


# --- resolve_value ----------------------------------------------------------------------


@pytest.fixture
def mlops_ctx() -> ResolutionContext:
    return ResolutionContext.from_definition(parse_definition(load_definition("mlops-pipeline")))


def test_resolve_value_get_parameter_uses_the_default(mlops_ctx):
    result = resolve_value({"Get": "Parameters.InputData"}, mlops_ctx)

    assert result == Resolved("s3://my-mlops-dev2-v2-main-data/abalone/abalone-dataset.csv", True)


def test_resolve_value_get_parameter_prefers_the_execution_value():
    definition = parse_definition(load_definition("mlops-pipeline"))
    ctx = ResolutionContext.from_definition(
        definition, parameters={"InputData": "s3://my-mlops-dev2-v2-main-data/abalone/2024-06.csv"}
    )

    assert resolve_value({"Get": "Parameters.InputData"}, ctx).value == (
        "s3://my-mlops-dev2-v2-main-data/abalone/2024-06.csv"
    )
    assert resolve_value({"Get": "Parameters.MseThreshold"}, ctx).value == 6.0


def test_resolve_value_keeps_a_false_parameter_value():
    ctx = ResolutionContext(parameters={"RunChecks": False})

    result = resolve_value({"Get": "Parameters.RunChecks"}, ctx)

    assert (result.value, result.resolved, result.text) == (False, True, "false")


@pytest.mark.parametrize(
    "ref", ["Parameters.Unknown", "Execution.PipelineExecutionId", "Steps.Train.TrainingJobName"]
)
def test_resolve_value_unknown_get_becomes_a_placeholder(ref):
    assert resolve_value({"Get": ref}, ResolutionContext()) == Resolved("{" + ref + "}", False)


def test_resolve_value_std_join_with_execution_id_unresolved_then_resolved(mlops_ctx):
    outputs = mlops_step("Preprocess")["Arguments"]["ProcessingOutputConfig"]["Outputs"]
    expr = outputs[0]["S3Output"]["S3Uri"]  # Std:Join [bucket, "abalone", ExecutionId, "train"]

    before = resolve_value(expr, mlops_ctx)
    after = resolve_value(expr, replace(mlops_ctx, execution={"PipelineExecutionId": "abc123"}))

    assert before == Resolved(
        "s3://my-mlops-dev2-v2-main-data/abalone/{Execution.PipelineExecutionId}/train", False
    )
    assert after == Resolved("s3://my-mlops-dev2-v2-main-data/abalone/abc123/train", True)


def test_resolve_value_std_join_s3_slash_form_builds_a_uri():
    # all-step-types' Preprocess "default-location": ["s3:/", bucket, ..., ExecutionId, ...]
    outputs = load_definition("all-step-types")["Steps"][0]["Arguments"]["ProcessingOutputConfig"][
        "Outputs"
    ]
    expr = outputs[3]["S3Output"]["S3Uri"]

    result = resolve_value(expr, ResolutionContext(execution={"PipelineExecutionId": "abc123"}))

    assert result == Resolved(
        "s3://sagemaker-ap-northeast-2-123456789012/all-step-types/abc123/Preprocess/output/default-location",
        True,
    )


def test_resolve_value_std_join_renders_a_float_parameter(mlops_ctx):
    message = mlops_step("MSEFail")["Arguments"]["ErrorMessage"]

    assert resolve_value(message, mlops_ctx) == Resolved("Execution failed due to MSE > 6.0", True)


def test_resolve_value_step_property_comes_from_the_properties_lookup():
    seen = []

    def properties(step, path):
        seen.append((step, path))
        return "s3://bucket/model.tar.gz"

    result = resolve_value(
        {"Get": "Steps.Train.ModelArtifacts.S3ModelArtifacts"},
        ResolutionContext(properties=properties),
    )

    assert result == Resolved("s3://bucket/model.tar.gz", True)
    assert seen == [("Train", "ModelArtifacts.S3ModelArtifacts")]


def test_resolve_value_std_json_get_without_report_is_a_placeholder(mlops_ctx):
    left = mlops_step("CheckMSE")["Arguments"]["Conditions"][0]["LeftValue"]

    assert resolve_value(left, mlops_ctx) == Resolved(
        "{Steps.Evaluate.PropertyFiles.EvaluationReport:regression_metrics.mse.value}", False
    )


def test_resolve_value_std_json_get_reads_the_report():
    left = mlops_step("CheckMSE")["Arguments"]["Conditions"][0]["LeftValue"]
    report = {"regression_metrics": {"mse": {"value": 4.2, "standard_deviation": 1.1}}}
    calls = []

    def reports(step, property_file, path):
        calls.append((step, property_file, path))
        return json_path(report, path)

    assert resolve_value(left, ResolutionContext(reports=reports)) == Resolved(4.2, True)
    assert calls == [("Evaluate", "EvaluationReport", "regression_metrics.mse.value")]


def test_resolve_value_std_json_get_on_an_s3_uri_is_a_placeholder_naming_it():
    expr = {"Std:JsonGet": {"S3Uri": "s3://bucket/eval/evaluation.json", "Path": "metrics.auc"}}

    result = resolve_value(expr, ResolutionContext())

    assert result.resolved is False
    assert "s3://bucket/eval/evaluation.json" in result.text
    assert "metrics.auc" in result.text


def test_resolve_value_plain_mapping_is_resolved_only_without_gets():
    assert resolve_value({"a": 1}, ResolutionContext()).resolved is True
    assert (
        resolve_value({"a": {"Get": "Parameters.X"}, "b": 2}, ResolutionContext()).resolved is False
    )


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("regression_metrics.mse.value", 4.2),
        ("classes[1].name", "fraud"),
        ("counts.zero", 0),
        ("regression_metrics.rmse.value", None),
        ("classes[5].name", None),
        ("regression_metrics[0]", None),
    ],
)
def test_json_path(path, expected):
    document = {
        "regression_metrics": {"mse": {"value": 4.2}},
        "classes": [{"name": "legit"}, {"name": "fraud"}],
        "counts": {"zero": 0},
    }

    assert json_path(document, path) == expected
