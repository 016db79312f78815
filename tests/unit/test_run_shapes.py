"""Every shape SageMaker answers with, read right (pure modules, small hand-built inputs).

Each group is a kind of fault of issue 10: ForEach bodies and iterations, the execution
read from its ListPipelineExecutions summary, every condition type, selective execution,
every kind of step metadata (checked against botocore's own service model), every S3
URI a step names, property files read by any step, deep definitions, one answer per
location, linear work and a deadline that bounds it, strict JSON.
"""

from __future__ import annotations

import json
import math
from datetime import datetime, timedelta, timezone

import pytest
from botocore.loaders import Loader

from sagemaker_lineage_ext.core.definition import KNOWN_STEP_TYPES, parse_definition
from sagemaker_lineage_ext.core.errors import DefinitionError
from sagemaker_lineage_ext.core.graph import ArtifactTable, resolve_io
from sagemaker_lineage_ext.core.jsonsafe import strict
from sagemaker_lineage_ext.core.locations import Location, definition_io, metadata_io
from sagemaker_lineage_ext.core.references import (
    ResolutionContext,
    Resolved,
    describe_conditions,
    resolve_value,
)
from sagemaker_lineage_ext.core.service import preview_lineage
from sagemaker_lineage_ext.core.views import (
    STEP_METADATA,
    TERMINAL_EXECUTION,
    build_run,
    build_summary,
    execution_view,
    iteration_runs,
    metrics_from_job,
    step_resource_arn,
)

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)
ACCOUNT = "arn:aws:sagemaker:eu-west-1:111122223333"
EXECUTION = f"{ACCOUNT}:pipeline/p/execution/abc123"
SOURCE = f"{ACCOUNT}:pipeline/p/execution/older1"
BUCKET = "s3://team-bucket"

SAGEMAKER = Loader().load_service_model("sagemaker", "service-2")["shapes"]


def node_of(response: dict, name: str) -> dict:
    return next(n for n in response["graph"]["nodes"] if n["id"] == name)


def locations(response: dict, name: str) -> dict[str, set[tuple[str, str, str]]]:
    node = node_of(response, name)
    return {
        side: {(loc["name"], loc["uri"], loc["role"]) for loc in node[side]}
        for side in ("inputs", "outputs")
    }


# -- 1. ForEach: body steps are nodes under their ForEach step -------------------------

FOR_EACH = {
    "Version": "2020-12-01",
    "Parameters": [{"Name": "Regions", "Type": "String", "DefaultValue": '["eu", "us"]'}],
    "Steps": [
        {
            "Name": "Fan",
            "Type": "ForEach",
            "Arguments": {
                "IterableItems": {"Get": "Parameters.Regions"},
                "MaxConcurrency": 2,
                "ForEachBody": [
                    {
                        "Name": "TrainRegion",
                        "Type": "Training",
                        "Arguments": {
                            "OutputDataConfig": {"S3OutputPath": f"{BUCKET}/models"},
                            "InputDataConfig": [
                                {
                                    "ChannelName": "train",
                                    "DataSource": {
                                        "S3DataSource": {
                                            "S3Uri": {
                                                "Std:Join": {
                                                    "On": "/",
                                                    "Values": [
                                                        f"{BUCKET}/data",
                                                        {"Get": "ForEach.CurrentItem"},
                                                    ],
                                                }
                                            }
                                        }
                                    },
                                }
                            ],
                        },
                    }
                ],
            },
        },
        {
            "Name": "Report",
            "Type": "Lambda",
            "FunctionArn": "arn:aws:lambda:eu-west-1:111122223333:function:report",
            "Arguments": {"count": {"Get": "Steps.Fan.SucceededStepCount"}},
        },
    ],
}


def test_parse_definition_keeps_the_steps_of_a_for_each_body():
    definition = parse_definition(FOR_EACH)
    assert [s.name for s in definition.steps] == ["Fan", "TrainRegion", "Report"]
    assert definition.step("TrainRegion").parent == ("Fan", "body")
    assert definition.bodies == {"Fan": ("TrainRegion",)}


def test_preview_lineage_for_each_body_is_a_node_with_its_parent_and_a_for_each_edge(
    validate_lineage,
):
    response = validate_lineage(preview_lineage(FOR_EACH))
    body = node_of(response, "TrainRegion")
    assert body["parent"] == {"step": "Fan", "branch": "body"}
    assert {"from": "Fan", "to": "TrainRegion", "via": "forEach"} in response["graph"]["edges"]
    # the item is only known per iteration: a placeholder in the definition's notation
    assert (
        "train",
        f"{BUCKET}/data/{{ForEach.CurrentItem}}",
        "data",
    ) in locations(response, "TrainRegion")["inputs"]


def iteration(index: int, status: str, *, name: str = "TrainRegion", minutes: int = 0, **extra):
    entry = {
        "StepName": name,
        "StepStatus": status,
        "StartTime": T0 + timedelta(minutes=minutes),
        "AttemptCount": 1,
        "Metadata": {"TrainingJob": {"Arn": f"{ACCOUNT}:training-job/train-{index}"}},
        "IterationContext": {"ParentStepName": "Fan", "Index": index, "Item": f"item-{index}"},
    }
    if status not in ("Executing", "Starting"):
        entry["EndTime"] = T0 + timedelta(minutes=minutes + 5)
    entry.update(extra)
    return entry


def test_iteration_runs_a_failed_iteration_fails_its_node_and_is_not_hidden():
    entries = [
        iteration(0, "Succeeded"),
        iteration(1, "Failed", minutes=1, FailureReason="OOM"),
        iteration(2, "Succeeded", minutes=2),
    ]
    run = iteration_runs(entries, {"Fan": ("TrainRegion",)}, T0)["TrainRegion"]
    assert run["status"] == "Failed"
    assert [(i["index"], i["status"]) for i in run["iterations"]] == [
        (0, "Succeeded"),
        (1, "Failed"),
        (2, "Succeeded"),
    ]
    assert run["failureReason"] == "iteration 1: OOM"
    assert run["iterations"][1]["jobArn"] == f"{ACCOUNT}:training-job/train-1"
    # the node spans its iterations; a job ARN belongs to one iteration, not the node
    assert (run["startTime"], run["endTime"]) == (
        "2026-03-01T09:00:00.000Z",
        "2026-03-01T09:07:00.000Z",
    )
    assert run["jobArn"] is None and run["attempts"] == 1


def test_iteration_runs_children_named_body_dash_index_meet_their_body_step():
    entries = [iteration(i, "Succeeded", name=f"TrainRegion-{i}") for i in range(3)]
    runs = iteration_runs(entries, {"Fan": ("TrainRegion",)}, T0)
    assert list(runs) == ["TrainRegion"]
    assert [i["index"] for i in runs["TrainRegion"]["iterations"]] == [0, 1, 2]


def test_iteration_runs_a_retried_iteration_counts_once_with_its_latest_attempt():
    entries = [
        iteration(0, "Failed", minutes=0, AttemptCount=1),
        iteration(0, "Succeeded", minutes=10, AttemptCount=2),
        iteration(1, "Succeeded", minutes=1),
    ]
    run = iteration_runs(entries, {"Fan": ("TrainRegion",)}, T0)["TrainRegion"]
    assert [(i["index"], i["status"]) for i in run["iterations"]] == [
        (0, "Succeeded"),
        (1, "Succeeded"),
    ]
    assert (run["status"], run["attempts"]) == ("Succeeded", 2)


def test_iteration_runs_a_running_iteration_keeps_the_node_running():
    entries = [iteration(0, "Succeeded"), iteration(1, "Executing", minutes=3)]
    run = iteration_runs(entries, {"Fan": ("TrainRegion",)}, T0 + timedelta(minutes=13))[
        "TrainRegion"
    ]
    assert (run["status"], run["endTime"], run["elapsedSec"]) == ("Executing", None, 780)


# -- 2. The execution when DescribePipelineExecution cannot be read ---------------------

SUMMARY = {
    "PipelineExecutionArn": EXECUTION,
    "StartTime": T0,
    "PipelineExecutionStatus": "Failed",
    "PipelineExecutionFailureReason": "Step Train failed: AlgorithmError",
}


def test_execution_view_from_the_listing_keeps_the_failure_reason_and_ends_with_its_steps():
    ends = [T0 + timedelta(minutes=3), T0 + timedelta(minutes=9), None]
    view = execution_view(None, SUMMARY, EXECUTION, {}, T0 + timedelta(days=273), ends)
    assert view["failureReason"] == "Step Train failed: AlgorithmError"
    assert (view["endTime"], view["elapsedSec"]) == ("2026-03-01T09:09:00.000Z", 540)


@pytest.mark.parametrize("status", sorted(TERMINAL_EXECUTION))
def test_execution_view_a_finished_execution_never_ends_now(status):
    summary = dict(SUMMARY, PipelineExecutionStatus=status)
    view = execution_view(None, summary, EXECUTION, {}, T0 + timedelta(days=273), [])
    assert (view["endTime"], view["elapsedSec"]) == (None, None)


def test_execution_view_completed_with_failures_is_finished():
    assert "CompletedWithFailures" in TERMINAL_EXECUTION
    described = {
        "PipelineExecutionStatus": "CompletedWithFailures",
        "CreationTime": T0,
        "LastModifiedTime": T0 + timedelta(minutes=2),
    }
    view = execution_view(described, None, EXECUTION, {}, T0 + timedelta(days=1))
    assert (view["endTime"], view["elapsedSec"]) == ("2026-03-01T09:02:00.000Z", 120)


def test_execution_view_a_running_execution_counts_up_to_now():
    summary = dict(SUMMARY, PipelineExecutionStatus="Executing")
    view = execution_view(None, summary, EXECUTION, {}, T0 + timedelta(minutes=4), [])
    assert (view["endTime"], view["elapsedSec"]) == (None, 240)


# -- 3. Conditions: every type, resolved operands, outcome, nesting ---------------------


def cond(kind: str, left, right) -> dict:
    return {"Type": kind, "LeftValue": left, "RightValue": right}


CTX = ResolutionContext(
    parameters={"Threshold": 0.7, "Region": "eu-west-1", "Allowed": "eu-west-1"},
    reports=lambda step, name, path: {"metrics.auc": 0.82}.get(path),
)
AUC = {
    "Std:JsonGet": {
        "PropertyFile": {"Get": "Steps.Evaluate.PropertyFiles.Report"},
        "Path": "metrics.auc",
    }
}


@pytest.mark.parametrize(
    ("kind", "left", "right", "outcome"),
    [
        ("Equals", {"Get": "Parameters.Region"}, "eu-west-1", True),
        ("NotEquals", {"Get": "Parameters.Region"}, "eu-west-1", False),
        ("GreaterThan", AUC, {"Get": "Parameters.Threshold"}, True),
        ("GreaterThanOrEqualTo", AUC, 0.82, True),
        ("LessThan", AUC, {"Get": "Parameters.Threshold"}, False),
        ("LessThanOrEqualTo", 0.5, AUC, True),
        ("GreaterThan", "10", 9, True),  # a numeric string compares as a number
        ("LessThan", "text", 9, None),  # text against a number: no outcome
    ],
)
def test_describe_conditions_comparisons_show_resolved_operands_and_outcome(
    kind, left, right, outcome
):
    (check,) = describe_conditions([cond(kind, left, right)], CTX)
    assert check["type"] == kind
    assert check["outcome"] is outcome
    assert check["left"] == resolve_value(left, CTX).value


def test_describe_conditions_in_reads_the_sdk_and_the_schema_spelling():
    sdk = {
        "Type": "In",
        "QueryValue": {"Get": "Parameters.Region"},
        "Values": ["us-east-1", {"Get": "Parameters.Allowed"}],
    }
    schema = {"Type": "NotIn", "Value": "ap-south-1", "In": ["eu-west-1", "us-east-1"]}
    first, second = describe_conditions([sdk, schema], CTX)
    assert first == {
        "type": "In",
        "value": "eu-west-1",
        "values": ["us-east-1", "eu-west-1"],
        "outcome": True,
    }
    assert (second["value"], second["values"], second["outcome"]) == (
        "ap-south-1",
        ["eu-west-1", "us-east-1"],
        True,
    )


def test_describe_conditions_not_and_or_nest_and_say_why():
    nested = {
        "Type": "Or",
        "Conditions": [
            cond("LessThan", AUC, 0.5),
            {"Type": "Not", "Expression": {"Type": "In", "QueryValue": "x", "Values": ["x", "y"]}},
            cond("Equals", {"Get": "Steps.Train.TrainingJobName"}, "job"),
        ],
    }
    (check,) = describe_conditions([nested], CTX)
    assert check["type"] == "Or" and check["outcome"] is None  # one operand is unknown
    less, negation, unknown = check["conditions"]
    assert (less["left"], less["outcome"]) == (0.82, False)
    assert negation == {
        "type": "Not",
        "outcome": False,
        "expression": {"type": "In", "value": "x", "values": ["x", "y"], "outcome": True},
    }
    assert (unknown["left"], unknown["outcome"]) == ("{Steps.Train.TrainingJobName}", None)


def test_describe_conditions_or_with_one_true_operand_is_true_even_with_unknowns():
    (check,) = describe_conditions(
        [
            {
                "Type": "Or",
                "Conditions": [cond("Equals", 1, 1), cond("Equals", {"Get": "Steps.X.Y"}, 2)],
            }
        ],
        CTX,
    )
    assert check["outcome"] is True


def test_describe_conditions_deeply_nested_nots_do_not_recurse_out_of_stack():
    condition: dict = cond("Equals", 1, 1)
    for _ in range(120):  # 240 JSON levels: within what a definition may hold
        condition = {"Type": "Not", "Expression": condition}
    (check,) = describe_conditions([condition], CTX)
    assert check["outcome"] is True  # an even number of negations


# -- 4. Selective execution ---------------------------------------------------------


def test_build_run_step_reused_by_a_selective_execution_says_from_where():
    summary = {
        "StepName": "Train",
        "StepStatus": "Succeeded",
        "StartTime": T0,
        "EndTime": T0 + timedelta(minutes=1),
        "Metadata": {"TrainingJob": {"Arn": f"{ACCOUNT}:training-job/old-job"}},
        "SelectiveExecutionResult": {"SourcePipelineExecutionArn": SOURCE},
    }
    run = build_run(summary, now=T0)
    assert run["reusedFrom"] == SOURCE
    assert run["cacheHit"] is False


def test_build_summary_counts_reused_steps_apart():
    nodes = [
        {"id": "Prepare", "run": {"status": "Succeeded", "reusedFrom": SOURCE, "endTime": None}},
        {"id": "Train", "run": {"status": "Succeeded", "endTime": None}},
        {"id": "Deploy", "run": {"status": "Failed", "endTime": None}},
    ]
    summary = build_summary({"status": "Failed"}, nodes, None)
    assert summary["nodeStatus"] == {"Succeeded": 1, "Failed": 1}
    assert summary["reused"] == 1
    assert summary["failedSteps"] == ["Deploy"]


# -- 5. Step metadata: every member botocore knows -----------------------------------


def test_step_metadata_maps_every_member_of_botocores_pipeline_execution_step_metadata():
    shapes = SAGEMAKER["PipelineExecutionStepMetadata"]["members"]
    assert set(shapes) - set(STEP_METADATA) == set(), "botocore has metadata this code does not map"
    assert set(STEP_METADATA) - set(shapes) == set(), "mapped metadata botocore does not have"
    for member, (step_type, field) in STEP_METADATA.items():
        # the field named is one of the member's, and its step type one the reader knows
        assert field is None or field in SAGEMAKER[shapes[member]["shape"]]["members"], member
        assert step_type in KNOWN_STEP_TYPES, member


def _example(member: str) -> dict:
    """A metadata member as botocore shapes it, every string field filled."""
    shape = SAGEMAKER[SAGEMAKER["PipelineExecutionStepMetadata"]["members"][member]["shape"]]
    return {
        field: f"{ACCOUNT}:thing/{member}-{field}" if "Arn" in field else f"{member}-{field}"
        for field, spec in shape["members"].items()
        if SAGEMAKER[spec["shape"]]["type"] == "string"
    }


@pytest.mark.parametrize("member", sorted(m for m, (_, f) in STEP_METADATA.items() if f))
def test_step_resource_arn_names_what_every_kind_of_step_ran(member):
    arn = step_resource_arn({member: _example(member)}, EXECUTION)
    assert arn is not None and arn.startswith("arn:aws:"), arn


def test_step_resource_arn_of_emr_steps_is_built_from_their_ids():
    assert step_resource_arn({"EMR": {"ClusterId": "j-2AXXXXXXGAPLF"}}, EXECUTION) == (
        "arn:aws:elasticmapreduce:eu-west-1:111122223333:cluster/j-2AXXXXXXGAPLF"
    )
    serverless = {"EMRServerless": {"ApplicationId": "00f1", "JobRunId": "00f2"}}
    assert step_resource_arn(serverless, EXECUTION) == (
        "arn:aws:emr-serverless:eu-west-1:111122223333:/applications/00f1/jobruns/00f2"
    )


def test_build_run_emr_step_shows_cluster_step_and_log():
    metadata = {
        "EMR": {
            "ClusterId": "j-2AXXXXXXGAPLF",
            "StepId": "s-1234",
            "StepName": "spark-features",
            "LogFilePath": f"{BUCKET}/emr-logs/j-2AXXXXXXGAPLF/steps/s-1234/",
        }
    }
    run = build_run({"StepStatus": "Succeeded", "Metadata": metadata}, execution_arn=EXECUTION)
    assert run["emr"] == {
        "clusterId": "j-2AXXXXXXGAPLF",
        "stepId": "s-1234",
        "stepName": "spark-features",
        "logFilePath": f"{BUCKET}/emr-logs/j-2AXXXXXXGAPLF/steps/s-1234/",
    }
    io = metadata_io(metadata)
    assert [(loc.name, loc.uri, loc.role) for loc in io.outputs] == [
        ("log", f"{BUCKET}/emr-logs/j-2AXXXXXXGAPLF/steps/s-1234/", "debug")
    ]


def test_build_run_lambda_output_parameters_are_shown_and_resolvable():
    metadata = {
        "Lambda": {
            "Arn": "arn:aws:lambda:eu-west-1:111122223333:function:f",
            "OutputParameters": [{"Name": "model_uri", "Value": f"{BUCKET}/m.tar.gz"}],
        }
    }
    run = build_run({"StepStatus": "Succeeded", "Metadata": metadata})
    assert run["outputParameters"] == {"model_uri": f"{BUCKET}/m.tar.gz"}
    assert metadata_io(metadata).properties["OutputParameters['model_uri']"].text == (
        f"{BUCKET}/m.tar.gz"
    )


def test_metadata_io_athena_query_writes_its_output_location():
    io = metadata_io(
        {"Athena": {"QueryExecutionId": "q1", "S3OutputLocation": f"{BUCKET}/athena/"}}
    )
    assert [(loc.name, loc.uri) for loc in io.outputs] == [("query_output", f"{BUCKET}/athena/")]


# -- 6. Every S3 URI a step names is a location, with a role --------------------------


def single(step: dict) -> dict:
    return preview_lineage({"Version": "2020-12-01", "Steps": [step]})


def test_preview_lineage_job_step_uris_inside_its_json_document_are_locations(validate_lineage):
    document = {
        "dataset": {"train": f"{BUCKET}/sft/train.jsonl", "eval": f"{BUCKET}/sft/eval.jsonl"},
        "output": {"s3_output_path": f"{BUCKET}/sft/output/"},
        "reward_function": {"code": f"{BUCKET}/code/reward.py"},
    }
    step = {
        "Name": "Customize",
        "Type": "Job",
        "Arguments": {
            "JobCategory": "AgentRFT",
            "JobConfigSchemaVersion": "1.0",
            "JobConfigDocument": json.dumps(document),
        },
    }
    response = validate_lineage(single(step))
    found = locations(response, "Customize")
    assert found["inputs"] == {
        ("JobConfigDocument.dataset.train", f"{BUCKET}/sft/train.jsonl", "data"),
        ("JobConfigDocument.dataset.eval", f"{BUCKET}/sft/eval.jsonl", "data"),
        ("JobConfigDocument.reward_function.code", f"{BUCKET}/code/reward.py", "code"),
    }
    assert found["outputs"] == {
        ("JobConfigDocument.output.s3_output_path", f"{BUCKET}/sft/output/", "data")
    }
    assert response["warnings"] == []


def test_preview_lineage_code_locations_are_code_inputs():
    processing = {
        "Name": "Prep",
        "Type": "Processing",
        "Arguments": {
            "AppSpecification": {
                "ImageUri": "1234.dkr.ecr.eu-west-1.amazonaws.com/x:1",
                "ContainerEntrypoint": ["python3", f"{BUCKET}/code/prep.py"],
                "ContainerArguments": [
                    "--input",
                    f"{BUCKET}/raw/",
                    "--output-path",
                    f"{BUCKET}/clean/",
                ],
            },
            "ProcessingResources": {},
        },
    }
    found = locations(single(processing), "Prep")
    assert ("AppSpecification.ContainerEntrypoint[1]", f"{BUCKET}/code/prep.py", "code") in found[
        "inputs"
    ]
    assert ("AppSpecification.ContainerArguments[1]", f"{BUCKET}/raw/", "data") in found["inputs"]
    assert ("AppSpecification.ContainerArguments[3]", f"{BUCKET}/clean/", "data") in found[
        "outputs"
    ]

    model = {
        "Name": "Serve",
        "Type": "Model",
        "Arguments": {
            "PrimaryContainer": {
                "ModelDataUrl": f"{BUCKET}/model.tar.gz",
                "Environment": {"SAGEMAKER_SUBMIT_DIRECTORY": f"{BUCKET}/code/sourcedir.tar.gz"},
            }
        },
    }
    assert locations(single(model), "Serve")["inputs"] == {
        ("model_data", f"{BUCKET}/model.tar.gz", "model"),
        ("SAGEMAKER_SUBMIT_DIRECTORY", f"{BUCKET}/code/sourcedir.tar.gz", "code"),
    }


def test_preview_lineage_training_submit_directory_hyperparameter_is_code():
    step = {
        "Name": "Train",
        "Type": "Training",
        "Arguments": {
            "HyperParameters": {
                "sagemaker_submit_directory": json.dumps(f"{BUCKET}/code/sourcedir.tar.gz"),
                "sagemaker_program": json.dumps("train.py"),
            },
            "OutputDataConfig": {"S3OutputPath": f"{BUCKET}/models"},
            "DebugHookConfig": {"S3OutputPath": f"{BUCKET}/debug"},
            "DebugRuleConfigurations": [
                {"RuleConfigurationName": "LossNotDecreasing", "S3OutputPath": f"{BUCKET}/rules"}
            ],
            "ProfilerConfig": {"S3OutputPath": f"{BUCKET}/profiler"},
            "TensorBoardOutputConfig": {"S3OutputPath": f"{BUCKET}/tensorboard"},
            "CheckpointConfig": {"S3Uri": f"{BUCKET}/checkpoints"},
        },
    }
    found = locations(single(step), "Train")
    assert found["inputs"] == {
        ("HyperParameters.sagemaker_submit_directory", f"{BUCKET}/code/sourcedir.tar.gz", "code")
    }
    assert {(name, role) for name, _, role in found["outputs"]} == {
        ("model_artifacts", "model"),
        ("checkpoints", "model"),
        ("debug_hook", "debug"),
        ("DebugRuleConfigurations[LossNotDecreasing]", "debug"),
        ("profiler", "debug"),
        ("tensorboard", "debug"),
    }


def _uris(value) -> set[str]:
    if isinstance(value, dict):
        return set().union(*(_uris(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(_uris(v) for v in value)) if value else set()
    return {value} if isinstance(value, str) and value.startswith("s3://") else set()


def test_definition_io_every_literal_s3_uri_of_a_step_is_one_of_its_locations():
    # GIVEN literal URIs anywhere in a step's arguments, for every step type known
    missed = {}
    for step_type in sorted(KNOWN_STEP_TYPES - {"Condition", "ForEach"}) + ["Brand:New"]:
        arguments = {
            "Somewhere": {"Deep": [{"Inside": f"{BUCKET}/{step_type}/a"}]},
            "OutputConfig": {"Path": f"{BUCKET}/{step_type}/out/"},
            "Args": ["--report", f"{BUCKET}/{step_type}/eval/evaluation.json"],
            "Environment": {"MODEL": f"{BUCKET}/{step_type}/model.tar.gz"},
        }
        raw = {"Steps": [{"Name": "S", "Type": step_type, "Arguments": arguments}]}
        io = definition_io(parse_definition(raw).steps[0], ResolutionContext())
        # THEN each is an input or an output of the step
        missing = _uris(arguments) - {loc.uri for loc in io.inputs + io.outputs}
        if missing:
            missed[step_type] = sorted(missing)
    assert missed == {}


# -- 7. Property files are read by any step --------------------------------------------

EVALUATE = {
    "Name": "Evaluate",
    "Type": "Processing",
    "Arguments": {
        "ProcessingOutputConfig": {
            "Outputs": [{"OutputName": "evaluation", "S3Output": {"S3Uri": f"{BUCKET}/eval"}}]
        }
    },
    "PropertyFiles": [
        {"PropertyFileName": "Report", "OutputName": "evaluation", "FilePath": "evaluation.json"}
    ],
}


def test_preview_lineage_training_reading_a_property_file_consumes_the_report():
    retrain = {
        "Name": "Retrain",
        "Type": "Training",
        "Arguments": {
            "HyperParameters": {
                "eta": {
                    "Std:JsonGet": {
                        "PropertyFile": {"Get": "Steps.Evaluate.PropertyFiles.Report"},
                        "Path": "best.eta",
                    }
                }
            },
            "OutputDataConfig": {"S3OutputPath": f"{BUCKET}/models"},
        },
    }
    response = preview_lineage({"Version": "2020-12-01", "Steps": [EVALUATE, retrain]})
    report = next(
        a for a in response["graph"]["artifacts"] if a["uri"] == f"{BUCKET}/eval/evaluation.json"
    )
    assert (report["producers"], report["consumers"]) == (["Evaluate"], ["Retrain"])
    assert ("Report", f"{BUCKET}/eval/evaluation.json", "report") in locations(response, "Retrain")[
        "inputs"
    ]


# -- 8. Depth: what SageMaker accepts is read; hostile nesting is a clear error ---------


def nested_conditions(depth: int) -> dict:
    """``depth`` Condition steps, each in the IfSteps of the one before (3 JSON levels each)."""
    innermost: dict = {"Name": f"Fail{depth}", "Type": "Fail", "Arguments": {"ErrorMessage": "x"}}
    for level in range(depth, 0, -1):
        innermost = {
            "Name": f"Check{level}",
            "Type": "Condition",
            "Arguments": {"Conditions": [cond("Equals", level, level)], "IfSteps": [innermost]},
        }
    return {"Version": "2020-12-01", "Steps": [innermost]}


@pytest.mark.parametrize("depth", [33, 100, 150])
def test_preview_lineage_reads_deeply_nested_conditions(depth, validate_lineage):
    response = validate_lineage(preview_lineage(nested_conditions(depth)))
    assert response["summary"]["stepCount"] == depth + 1
    assert node_of(response, f"Fail{depth}")["parent"] == {"step": f"Check{depth}", "branch": "if"}


@pytest.mark.parametrize("levels", [600, 100_000])
def test_parse_definition_hostile_nesting_is_a_definition_error_not_a_recursion_error(levels):
    text = '{"Steps": [], "Deep": ' + "[" * levels + "]" * levels + "}"
    with pytest.raises(DefinitionError, match="nested more than 500 levels"):
        parse_definition(text)


# -- 9. One answer per location; placeholders in the definition's notation -------------


def test_artifact_table_one_resolved_answer_for_one_uri():
    # GIVEN one literal URI named resolved by one step and unresolved by another
    table = ArtifactTable()
    nodes = [
        {"id": "A", "inputs": [], "outputs": [{"uri": "s3://b/x", "resolved": True}]},
        {"id": "B", "inputs": [{"uri": "s3://b/x", "resolved": False}], "outputs": []},
    ]
    table.link("s3://b/x", "A", "out", True)
    table.link("s3://b/x", "B", "in", False)
    table.settle(nodes)  # type: ignore[arg-type]
    (artifact,) = table.to_list({})
    assert artifact["resolved"] is False
    assert {loc["resolved"] for n in nodes for loc in n["inputs"] + n["outputs"]} == {False}


def test_artifact_table_a_literal_uri_with_braces_is_resolved():
    table = ArtifactTable()
    table.link("s3://b/{date}/x", "A", "in", True)
    assert table.to_list({})[0]["resolved"] is True


@pytest.mark.parametrize(
    "value",
    [
        {"Std:Join": {"On": "/", "Values": ["s3://b", {"Std:Unknown": {"x": 1}}]}},
        {"Std:Join": {"On": "/", "Values": "not-a-list"}},
        {"Std:Join": {"On": "/", "Values": 7}},
    ],
)
def test_resolve_value_placeholders_are_json_not_python(value):
    resolved = resolve_value(value, ResolutionContext())
    assert resolved.resolved is False
    assert "'" not in resolved.text  # a Python repr quotes with '
    assert "{" in resolved.text


# -- 10. Linear work, and a deadline that bounds it ------------------------------------


def lambda_step(count: int) -> dict:
    uris = [f"{BUCKET}/batch/part-{i:05d}.csv" for i in range(count)]
    return {"Name": "Fan", "Type": "Lambda", "Arguments": {"inputs": uris}}


def test_definition_io_compares_locations_a_linear_number_of_times(monkeypatch):
    compared = []
    original = Location.__eq__

    def counting(self, other):
        compared.append(1)
        return original(self, other)

    monkeypatch.setattr(Location, "__eq__", counting)
    step = parse_definition({"Steps": [lambda_step(4000)]}).steps[0]
    io = definition_io(step, ResolutionContext())
    assert len(io.inputs) == 4000
    assert len(compared) <= 4000, "locations are de-duplicated by a set, not by a list search"


def test_definition_io_stops_a_long_scan_when_told_and_says_so():
    asked = []

    def stop() -> bool:
        asked.append(1)
        return len(asked) > 2

    step = parse_definition({"Steps": [lambda_step(8000)]}).steps[0]
    io = definition_io(step, ResolutionContext(), stop)
    assert io.cut is True
    assert 0 < len(io.inputs) < 8000


def test_resolve_io_past_the_deadline_leaves_steps_cut_and_the_answer_says_so():
    # GIVEN a definition of 600 small steps, read after the deadline passed
    steps = [
        {"Name": f"S{i}", "Type": "Lambda", "Arguments": {"x": f"{BUCKET}/{i}"}} for i in range(600)
    ]
    definition = parse_definition({"Steps": steps})
    io = resolve_io(definition, ResolutionContext(), {}, stop=lambda: True)
    # THEN the work stops within the first few hundred steps, not at the last one
    cut = [name for name, step_io in io.items() if step_io.cut]
    assert 0 < len(cut) <= 600 - 255 and "S599" in cut
    from sagemaker_lineage_ext.core.graph import assemble_graph

    _, warnings = assemble_graph(definition, io, None, {})
    assert [w["code"] for w in warnings] == ["Timeout"]
    assert f"S3 locations of {len(cut)} step(s)" in warnings[0]["message"]


def test_resolve_io_an_ordinary_pipeline_is_never_cut_however_late():
    definition = parse_definition({"Steps": [lambda_step(10), EVALUATE]})
    io = resolve_io(definition, ResolutionContext(), {}, stop=lambda: True)
    assert not any(step_io.cut for step_io in io.values())
    assert len(io["Fan"].inputs) == 10


# -- 12. Strict JSON: non-finite numbers are null with a warning -----------------------


def test_metrics_from_job_non_finite_values_are_null():
    job = {
        "FinalMetricDataList": [
            {"MetricName": "auc", "Value": float("nan")},
            {"MetricName": "loss", "Value": float("inf")},
            {"MetricName": "acc", "Value": 0.9},
        ]
    }
    assert metrics_from_job(job) == {"auc": None, "loss": None, "acc": 0.9}


def test_preview_lineage_float_parameter_1e999_is_null_with_a_warning(validate_lineage):
    text = (
        '{"Parameters": [{"Name": "Threshold", "Type": "Float", "DefaultValue": 1e999}],'
        ' "Steps": [{"Name": "A", "Type": "Fail"}]}'
    )
    response = validate_lineage(preview_lineage(text))
    assert [w["code"] for w in response["warnings"]] == ["NonFiniteNumber"]


def test_strict_replaces_every_non_finite_number_with_a_warning_naming_its_place():
    answer = {"graph": {"nodes": [{"run": {"metrics": {"auc": math.nan}}}]}, "warnings": []}
    fixed, warnings = strict(answer)
    assert json.dumps(fixed, allow_nan=False)
    assert [w["target"] for w in warnings] == ["graph.nodes[0].run.metrics.auc"]
    assert answer["graph"]["nodes"][0]["run"]["metrics"]["auc"] is not None, "the input is kept"


def test_resolved_text_of_an_object_is_json():
    assert Resolved({"a": [1, True]}).text == '{"a":[1,true]}'
