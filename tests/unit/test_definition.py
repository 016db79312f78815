"""parse_definition on definitions the real SageMaker SDK wrote (tests/fixtures, demo)."""

from __future__ import annotations

import copy
import json

import pytest
from conftest import load_definition

from sagemaker_lineage_ext.core.definition import PropertyFile, parse_definition
from sagemaker_lineage_ext.core.errors import DefinitionError, InvalidInputError
from sagemaker_lineage_ext.core.references import build_edges


@pytest.mark.parametrize(
    ("name", "steps"),
    [
        ("all-step-types", 27),
        ("nested-conditions", 13),
        ("step-collections", 12),
        ("mlops-pipeline", 7),
        ("churn-pipeline", 5),
        ("fraud-detection-pipeline", 5),
        ("large-pipeline-10", 10),
        ("large-pipeline-50", 50),
        ("large-pipeline-200", 200),
    ],
)
def test_parse_definition_counts_every_step_including_nested(name, steps):
    definition = parse_definition(load_definition(name))

    assert len(definition.steps) == steps
    assert len(definition.step_names) == steps
    assert definition.version == "2020-12-01"


def test_parse_definition_keeps_every_sdk_step_type():
    definition = parse_definition(load_definition("all-step-types"))

    assert {s.name: s.type for s in definition.steps} == {
        "Preprocess": "Processing",
        "TrainXGBoost": "Training",
        "TrainPyTorch": "Training",
        "TuneXGBoost": "Tuning",
        "Evaluate": "Processing",
        "CreateServingModel-RepackModel-0": "Training",
        "CreateServingModel-CreateModel": "Model",
        "BatchScore": "Transform",
        "DataQualityCheck": "QualityCheck",
        "ModelQualityCheck": "QualityCheck",
        "ModelExplainabilityCheck": "ClarifyCheck",
        "CheckRunChecks": "Condition",
        "DataBiasCheck": "ClarifyCheck",
        "CheckAccuracy": "Condition",
        "RegisterCandidate-RegisterModel": "RegisterModel",
        "NotifyEvaluation": "Lambda",
        "AccuracyTooLow": "Fail",
        "WaitForManualSignOff": "Callback",
        "SparkFeatureJob": "EMR",
        "SparkAggregateOnNewCluster": "EMR",
        "AutoMLChurn": "AutoML",
        "CreateEndpointConfig": "EndpointConfig",
        "DeployEndpoint": "Endpoint",
        "DeployInferenceComponent": "InferenceComponent",
        "RecordLineage": "Lineage",
        "RunReportNotebook": "Training",
        "SummarizeRun": "Training",
    }
    assert all(s.known_type for s in definition.steps)


def test_parse_definition_records_the_branch_of_steps_nested_at_any_depth():
    definition = parse_definition(load_definition("nested-conditions"))

    assert {s.name: s.parent for s in definition.steps} == {
        "AfterConditions": None,
        "OuterCheck": None,
        "TrainInBranch": ("OuterCheck", "if"),
        "InnerCheck": ("OuterCheck", "if"),
        "ScoreInBranch": ("InnerCheck", "if"),
        "InnermostCheck": ("InnerCheck", "if"),
        "DeepestProcess": ("InnermostCheck", "if"),
        "InnerFail": ("InnerCheck", "else"),
        "Prepare": None,
        "GuardCheck": None,
        "ElseCheck": ("GuardCheck", "else"),
        "ElseBranchProcess": ("ElseCheck", "if"),
        "ElseFail": ("ElseCheck", "else"),
    }


def test_parse_definition_lists_only_direct_children_per_branch():
    definition = parse_definition(load_definition("nested-conditions"))

    assert definition.branches == {
        "OuterCheck": (("TrainInBranch", "InnerCheck"), ()),
        "InnerCheck": (("ScoreInBranch", "InnermostCheck"), ("InnerFail",)),
        "InnermostCheck": (("DeepestProcess",), ()),
        "GuardCheck": ((), ("ElseCheck",)),
        "ElseCheck": (("ElseBranchProcess",), ("ElseFail",)),
    }


def test_parse_definition_reads_parameters_with_type_and_default():
    definition = parse_definition(load_definition("mlops-pipeline"))

    params = definition.parameters
    assert list(params) == [
        "ProcessingInstanceType",
        "TrainingInstanceType",
        "ModelApprovalStatus",
        "InputData",
        "MseThreshold",
    ]
    assert params["InputData"].default == (
        "s3://my-mlops-dev2-v2-main-data/abalone/abalone-dataset.csv"
    )
    assert (params["MseThreshold"].type, params["MseThreshold"].default) == ("Float", 6.0)


def test_parse_definition_reads_depends_on_property_files_and_display_names():
    definition = parse_definition(load_definition("all-step-types"))

    assert definition.step("SparkAggregateOnNewCluster").depends_on == ("SparkFeatureJob",)
    assert definition.step("RunReportNotebook").depends_on == ("Evaluate",)
    assert definition.step("Evaluate").property_files == (
        PropertyFile(
            name="EvaluationReport", output_name="evaluation", file_path="evaluation.json"
        ),
    )
    preprocess = definition.step("Preprocess")
    assert preprocess.display_name == "Preprocess raw customers"
    assert preprocess.description == "Split the raw data set"
    assert definition.step("NoSuchStep") is None


def test_parse_definition_does_not_depend_on_steps_order():
    # GIVEN the same definition with its Steps (and every branch) in reverse order
    document = load_definition("nested-conditions")
    reversed_doc = copy.deepcopy(document)

    def reverse(steps):
        steps.reverse()
        for step in steps:
            if step["Type"] == "Condition":
                reverse(step["Arguments"]["IfSteps"])
                reverse(step["Arguments"]["ElseSteps"])

    reverse(reversed_doc["Steps"])
    assert [s["Name"] for s in reversed_doc["Steps"]] != [s["Name"] for s in document["Steps"]]

    # WHEN both are parsed
    original, shuffled = parse_definition(document), parse_definition(reversed_doc)

    # THEN they have the same steps (type, parent, dependencies) and the same edges
    def steps(d):
        return {(s.name, s.type, s.parent, s.depends_on) for s in d.steps}

    assert steps(shuffled) == steps(original)
    assert set(build_edges(shuffled)[0]) == set(build_edges(original)[0])


def test_parse_definition_keeps_a_step_of_unknown_type_as_a_node():
    definition = parse_definition(
        {
            "Steps": [
                {"Name": "Quantum", "Type": "QuantumAnneal", "Arguments": {"x": 1}},
                {"Name": "Untyped"},
            ]
        }
    )

    assert [(s.name, s.type, s.known_type) for s in definition.steps] == [
        ("Quantum", "QuantumAnneal", False),
        ("Untyped", "Unknown", False),
    ]
    assert definition.step("Untyped").arguments == {}


@pytest.mark.parametrize(
    "wrap",
    [
        pytest.param(lambda doc: {"PipelineDefinition": json.dumps(doc)}, id="describe-pipeline"),
        pytest.param(json.dumps, id="json-text"),
        pytest.param(lambda doc: json.dumps(doc).encode(), id="json-bytes"),
    ],
)
def test_parse_definition_accepts_describe_responses_and_json_text(wrap):
    document = load_definition("mlops-pipeline")

    definition = parse_definition(wrap(document))

    assert [s.name for s in definition.steps] == [
        "Preprocess",
        "Train",
        "Evaluate",
        "CheckMSE",
        "RegisterAbalone-RegisterModel",
        "CreateAbaloneModel-CreateModel",
        "MSEFail",
    ]


@pytest.mark.parametrize(
    ("source", "fragment"),
    [
        pytest.param("{not json", "not valid JSON", id="not-json"),
        pytest.param({"Version": "2020-12-01"}, "no Steps", id="no-steps"),
        pytest.param(
            {"Steps": {"Name": "A"}}, "Steps value that is not an array", id="steps-not-list"
        ),
        pytest.param({"Steps": [{"Type": "Processing"}]}, "Name", id="step-without-name"),
        pytest.param({"Steps": [{"Name": ""}]}, "Name", id="step-with-empty-name"),
        pytest.param('[{"Name": "A"}]', "JSON object", id="json-array"),
        pytest.param({"PipelineDefinition": "{oops"}, "not valid JSON", id="describe-bad-json"),
        pytest.param(
            {"Steps": [{"Name": "C", "Type": "Condition", "Arguments": {"IfSteps": {}}}]},
            "IfSteps",
            id="ifsteps-not-list",
        ),
    ],
)
def test_parse_definition_rejects_malformed_documents(source, fragment):
    with pytest.raises(DefinitionError) as caught:
        parse_definition(source)

    error = caught.value
    assert isinstance(error, InvalidInputError)
    assert error.status == 400
    assert error.parameter == "definition"
    assert fragment in error.user_message
    assert error.to_body() == {"message": error.user_message}


def test_parse_definition_rejects_duplicate_names_even_across_branches():
    document = {
        "Steps": [
            {"Name": "Train", "Type": "Training"},
            {
                "Name": "Gate",
                "Type": "Condition",
                "Arguments": {"IfSteps": [{"Name": "Train", "Type": "Fail"}], "ElseSteps": []},
            },
        ]
    }

    with pytest.raises(DefinitionError, match="two steps named 'Train'"):
        parse_definition(document)
