"""S3 inputs and outputs: declared by the definition (definition_io) and used by a job (job_io)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from conftest import load_definition

from sagemaker_lineage_ext.core.definition import PipelineDefinition, parse_definition
from sagemaker_lineage_ext.core.locations import Location, StepIO, definition_io, job_io
from sagemaker_lineage_ext.core.references import ResolutionContext

DATA = "s3://lineage-fixtures-data"
XGB_MODEL = f"{DATA}/models/xgboost/{{Steps.TrainXGBoost.TrainingJobName}}/output/model.tar.gz"
TRAIN_SPLIT = f"{DATA}/processed/{{Execution.PipelineExecutionId}}/train"
MLOPS_DATA = "s3://my-mlops-dev2-v2-main-data"
MLOPS_MODEL = (
    "s3://sagemaker-ap-northeast-2-123456789012/mlops-pipeline/models/"
    "{Steps.Train.TrainingJobName}/output/model.tar.gz"
)


def declared_io(definition: PipelineDefinition, ctx: ResolutionContext) -> dict[str, StepIO]:
    """definition_io of every step, with other steps' properties known (two passes, as in a run)."""
    first = {s.name: definition_io(s, ctx) for s in definition.steps}
    known = {(n, p): v for n, io in first.items() for p, v in io.properties.items()}
    ctx = replace(ctx, properties=lambda step, path: known.get((step, path)))
    return {s.name: definition_io(s, ctx) for s in definition.steps}


def pairs(locations: list[Location]) -> list[tuple[str, str]]:
    return [(loc.name, loc.uri) for loc in locations]


@pytest.fixture(scope="module")
def all_types_io() -> dict[str, StepIO]:
    definition = parse_definition(load_definition("all-step-types"))
    return declared_io(definition, ResolutionContext.from_definition(definition))


# --- definition_io: one row per step type of all-step-types.json ------------------------


@pytest.mark.parametrize(
    ("step", "direction", "name", "uri"),
    [
        # input-1 is {"Get": "Parameters.InputData"}: its default value
        ("Preprocess", "in", "input-1", f"{DATA}/raw/customers.csv"),
        ("Preprocess", "in", "lookup", f"{DATA}/reference/lookup-tables/"),
        ("Preprocess", "out", "validation", f"{DATA}/processed/validation"),
        (
            "Preprocess",
            "out",
            "default-location",
            "s3://sagemaker-ap-northeast-2-123456789012/all-step-types/"
            "{Execution.PipelineExecutionId}/Preprocess/output/default-location",
        ),
        ("TrainPyTorch", "in", "training", TRAIN_SPLIT),
        ("TrainPyTorch", "out", "checkpoints", f"{DATA}/checkpoints/pytorch"),
        (
            "TrainPyTorch",
            "out",
            "model_artifacts",
            f"{DATA}/models/pytorch/{{Steps.TrainPyTorch.TrainingJobName}}/output/model.tar.gz",
        ),
        ("TuneXGBoost", "in", "validation", f"{DATA}/processed/validation"),
        (
            "TuneXGBoost",
            "out",
            "best_model",
            f"{DATA}/models/tuning/{{Steps.TuneXGBoost.TrainingJobSummaries[0].TrainingJobName}}/output/model.tar.gz",
        ),
        # Evaluate's Std:Join ["s3:/", bucket, "models/tuning", <best job>, ...] meets the tuning output
        (
            "Evaluate",
            "in",
            "input-1",
            f"{DATA}/models/tuning/{{Steps.TuneXGBoost.TrainingJobSummaries[0].TrainingJobName}}/output/model.tar.gz",
        ),
        ("BatchScore", "in", "data", f"{DATA}/processed/test"),
        ("BatchScore", "out", "transform_output", f"{DATA}/batch-output"),
        (
            "CreateServingModel-CreateModel",
            "in",
            "model_data",
            "s3://sagemaker-ap-northeast-2-123456789012/pytorch-inference-2024-01-01-00-00-00-000/"
            "{Steps.CreateServingModel-RepackModel-0.TrainingJobName}/output/model.tar.gz",
        ),
        ("RegisterCandidate-RegisterModel", "in", "model_data", XGB_MODEL),
        (
            "RegisterCandidate-RegisterModel",
            "in",
            "ModelMetrics.ModelQuality.Statistics",
            f"{DATA}/evaluation/evaluation.json",
        ),
        ("DataQualityCheck", "in", "baseline_dataset_input", TRAIN_SPLIT),
        (
            "DataQualityCheck",
            "in",
            "SuppliedBaselineStatistics",
            f"{DATA}/monitoring/baseline/statistics.json",
        ),
        ("DataQualityCheck", "out", "quality_check_output", f"{DATA}/monitoring/data-quality"),
        ("ModelQualityCheck", "in", "baseline_dataset_input", f"{DATA}/batch-output"),
        (
            "DataBiasCheck",
            "in",
            "analysis_config",
            f"{DATA}/clarify/data-bias/analysis_config.json",
        ),
        (
            "DataBiasCheck",
            "in",
            "SuppliedBaselineConstraints",
            f"{DATA}/clarify/baseline/bias-constraints.json",
        ),
        ("DataBiasCheck", "out", "analysis_result", f"{DATA}/clarify/data-bias"),
        ("NotifyEvaluation", "in", "report_uri", f"{DATA}/evaluation/evaluation.json"),
        ("NotifyEvaluation", "in", "model_artifacts", XGB_MODEL),
        ("WaitForManualSignOff", "in", "evaluation_uri", f"{DATA}/evaluation/evaluation.json"),
        ("WaitForManualSignOff", "in", "train_uri", TRAIN_SPLIT),
        ("SparkFeatureJob", "in", "StepConfig.HadoopJarStep.Args[5]", f"{DATA}/raw/customers.csv"),
        ("SparkFeatureJob", "out", "StepConfig.HadoopJarStep.Args[7]", f"{DATA}/emr/features/"),
        ("AutoMLChurn", "in", "training", f"{DATA}/automl/input/train.csv"),
        ("AutoMLChurn", "out", "automl_output", f"{DATA}/automl/output"),
        ("CreateEndpointConfig", "out", "data_capture", f"{DATA}/data-capture"),
        ("RecordLineage", "in", "Artifacts[0].Source.SourceUri", XGB_MODEL),
        ("RecordLineage", "in", "Artifacts[1].Source.SourceUri", f"{DATA}/raw/customers.csv"),
        (
            "RunReportNotebook",
            "out",
            "model_artifacts",
            f"{DATA}/notebook-jobs/all-step-types/{{Execution.PipelineExecutionId}}/RunReportNotebook/"
            "{Steps.RunReportNotebook.TrainingJobName}/output/model.tar.gz",
        ),
    ],
)
def test_definition_io_reads_what_each_step_type_declares(all_types_io, step, direction, name, uri):
    io = all_types_io[step]

    assert (name, uri) in pairs(io.inputs if direction == "in" else io.outputs)


@pytest.mark.parametrize(
    "step", ["CheckAccuracy", "AccuracyTooLow", "DeployEndpoint", "DeployInferenceComponent"]
)
def test_definition_io_control_and_hosting_steps_touch_no_s3(all_types_io, step):
    assert (all_types_io[step].inputs, all_types_io[step].outputs) == ([], [])


def test_definition_io_training_debugger_and_profiler_paths_are_debug_outputs(all_types_io):
    # TrainXGBoost's DebugHookConfig/ProfilerConfig point at s3://.../models/xgboost: where
    # the job writes tensors and profiles, next to (not instead of) its model
    outputs = all_types_io["TrainXGBoost"].outputs
    assert [(loc.name, loc.uri, loc.role) for loc in outputs] == [
        ("model_artifacts", XGB_MODEL, "model"),
        ("debug_hook", f"{DATA}/models/xgboost", "debug"),
        ("profiler", f"{DATA}/models/xgboost", "debug"),
    ]
    assert pairs(all_types_io["TrainXGBoost"].inputs) == [
        ("train", TRAIN_SPLIT),
        ("validation", f"{DATA}/processed/validation"),
    ]


# --- definition_io on mlops-pipeline ----------------------------------------------------


@pytest.fixture(scope="module")
def mlops() -> PipelineDefinition:
    return parse_definition(load_definition("mlops-pipeline"))


def test_definition_io_without_execution_leaves_the_execution_id_as_a_placeholder(mlops):
    io = declared_io(mlops, ResolutionContext.from_definition(mlops))

    assert io["Preprocess"].outputs == [
        Location("train", f"{MLOPS_DATA}/abalone/{{Execution.PipelineExecutionId}}/train", False),
        Location("validation", f"{MLOPS_DATA}/abalone/processed/validation", True),
        Location("test", f"{MLOPS_DATA}/abalone/processed/test", True),
    ]
    assert pairs(io["Preprocess"].inputs) == [
        ("input-1", f"{MLOPS_DATA}/abalone/abalone-dataset.csv"),
        (
            "code",
            "s3://sagemaker-ap-northeast-2-123456789012/mlops-pipeline/code/"
            "0a29aa49a0dfb320fa3a3757afe2362b9432d9e69a8d277fd03891b8761a331a/preprocess.py",
        ),
    ]


def test_definition_io_consumer_meets_the_producer_on_the_same_uri(mlops):
    io = declared_io(mlops, ResolutionContext.from_definition(mlops))

    # Train's "train" channel is a Get on Preprocess's "train" output
    assert io["Train"].inputs[0] == io["Preprocess"].outputs[0]
    assert io["Train"].inputs[0].name == "train"
    # The model goes under the output path, keyed by the (run-time) training job name
    assert io["Train"].outputs[0] == Location("model_artifacts", MLOPS_MODEL, False)
    assert ("input-1", MLOPS_MODEL) in pairs(io["Evaluate"].inputs)
    assert pairs(io["CreateAbaloneModel-CreateModel"].inputs) == [("model_data", MLOPS_MODEL)]
    assert pairs(io["RegisterAbalone-RegisterModel"].inputs) == [
        ("model_data", MLOPS_MODEL),
        (
            "ModelMetrics.ModelQuality.Statistics",
            f"{MLOPS_DATA}/abalone/evaluation/evaluation.json",
        ),
    ]


def test_definition_io_with_an_execution_id_resolves_producer_and_consumer(mlops):
    ctx = ResolutionContext.from_definition(mlops, execution={"PipelineExecutionId": "abc123"})

    io = declared_io(mlops, ctx)

    expected = Location("train", f"{MLOPS_DATA}/abalone/abc123/train", True)
    assert io["Preprocess"].outputs[0] == expected
    assert io["Train"].inputs[0] == expected


def test_definition_io_uses_the_execution_parameter_values(mlops):
    ctx = ResolutionContext.from_definition(
        mlops, parameters={"InputData": f"{MLOPS_DATA}/abalone/2024-06.csv"}
    )

    io = definition_io(mlops.step("Preprocess"), ctx)

    assert io.inputs[0] == Location("input-1", f"{MLOPS_DATA}/abalone/2024-06.csv", True)


# --- job_io on Describe* responses (shaped like botocore's) -----------------------------

ARN = "arn:aws:sagemaker:ap-northeast-2:123456789012"


def test_job_io_processing_job():
    job = {
        "ProcessingJobName": "pipelines-abc123-Preprocess-x1y2",
        "ProcessingJobArn": f"{ARN}:processing-job/pipelines-abc123-preprocess-x1y2",
        "ProcessingJobStatus": "Completed",
        "ProcessingInputs": [
            {
                "InputName": "input-1",
                "AppManaged": False,
                "S3Input": {
                    "S3Uri": f"{MLOPS_DATA}/abalone/abalone-dataset.csv",
                    "LocalPath": "/opt/ml/processing/input",
                    "S3DataType": "S3Prefix",
                    "S3InputMode": "File",
                },
            },
            {"InputName": "athena", "DatasetDefinition": {"AthenaDatasetDefinition": {}}},
        ],
        "ProcessingOutputConfig": {
            "Outputs": [
                {
                    "OutputName": "train",
                    "S3Output": {
                        "S3Uri": f"{MLOPS_DATA}/abalone/abc123/train",
                        "LocalPath": "/opt/ml/processing/train",
                        "S3UploadMode": "EndOfJob",
                    },
                    "AppManaged": False,
                }
            ]
        },
    }

    io = job_io("Processing", job)

    assert io.inputs == [Location("input-1", f"{MLOPS_DATA}/abalone/abalone-dataset.csv")]
    assert io.outputs == [Location("train", f"{MLOPS_DATA}/abalone/abc123/train")]
    prop = io.properties["ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri"]
    assert (prop.text, prop.resolved) == (f"{MLOPS_DATA}/abalone/abc123/train", True)


TRAINING_JOB = {
    "TrainingJobName": "pipelines-abc123-Train-9f8e",
    "TrainingJobArn": f"{ARN}:training-job/pipelines-abc123-train-9f8e",
    "TrainingJobStatus": "Completed",
    "InputDataConfig": [
        {
            "ChannelName": "train",
            "DataSource": {
                "S3DataSource": {
                    "S3DataType": "S3Prefix",
                    "S3Uri": f"{MLOPS_DATA}/abalone/abc123/train",
                }
            },
            "ContentType": "text/csv",
        },
        {
            "ChannelName": "validation",
            "DataSource": {
                "S3DataSource": {
                    "S3DataType": "S3Prefix",
                    "S3Uri": f"{MLOPS_DATA}/abalone/processed/validation",
                }
            },
        },
    ],
    "OutputDataConfig": {
        "S3OutputPath": "s3://sagemaker-ap-northeast-2-123456789012/mlops-pipeline/models"
    },
    "ModelArtifacts": {
        "S3ModelArtifacts": "s3://sagemaker-ap-northeast-2-123456789012/mlops-pipeline/models/"
        "pipelines-abc123-Train-9f8e/output/model.tar.gz"
    },
    "FinalMetricDataList": [
        {"MetricName": "validation:rmse", "Value": 2.1},
        {"MetricName": "train:rmse", "Value": 1.9},
    ],
}


def test_job_io_training_job_reads_channels_and_model_but_not_metrics():
    io = job_io("Training", TRAINING_JOB)

    model = TRAINING_JOB["ModelArtifacts"]["S3ModelArtifacts"]
    assert pairs(io.inputs) == [
        ("train", f"{MLOPS_DATA}/abalone/abc123/train"),
        ("validation", f"{MLOPS_DATA}/abalone/processed/validation"),
    ]
    assert io.outputs == [Location("model_artifacts", model)]
    assert io.properties["ModelArtifacts.S3ModelArtifacts"].text == model
    assert io.properties["TrainingJobName"].text == "pipelines-abc123-Train-9f8e"


def test_job_io_training_job_still_running_expects_the_model_under_the_output_path():
    running = {k: v for k, v in TRAINING_JOB.items() if k != "ModelArtifacts"}

    io = job_io("Training", dict(running, TrainingJobStatus="InProgress"))

    assert pairs(io.outputs) == [
        (
            "model_artifacts",
            "s3://sagemaker-ap-northeast-2-123456789012/mlops-pipeline/models/"
            "pipelines-abc123-Train-9f8e/output/model.tar.gz",
        )
    ]


def test_job_io_transform_job():
    job = {
        "TransformJobName": "pipelines-abc123-BatchScore-1",
        "TransformJobArn": f"{ARN}:transform-job/pipelines-abc123-batchscore-1",
        "TransformJobStatus": "Completed",
        "TransformInput": {
            "DataSource": {
                "S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": f"{DATA}/processed/test"}
            },
            "ContentType": "text/csv",
        },
        "TransformOutput": {"S3OutputPath": f"{DATA}/batch-output", "AssembleWith": "Line"},
        "DataCaptureConfig": {"DestinationS3Uri": f"{DATA}/batch-capture"},
    }

    io = job_io("Transform", job)

    assert pairs(io.inputs) == [("data", f"{DATA}/processed/test")]
    assert pairs(io.outputs) == [
        ("transform_output", f"{DATA}/batch-output"),
        ("data_capture", f"{DATA}/batch-capture"),
    ]
    assert io.properties["TransformOutput.S3OutputPath"].text == f"{DATA}/batch-output"


TUNING_JOB = {
    "HyperParameterTuningJobName": "uf3pbkfsc3uh-TuneFra-1a2b3c",
    "HyperParameterTuningJobArn": f"{ARN}:hyper-parameter-tuning-job/uf3pbkfsc3uh-tunefra-1a2b3c",
    "HyperParameterTuningJobStatus": "Completed",
    "TrainingJobDefinition": {
        "OutputDataConfig": {"S3OutputPath": f"{MLOPS_DATA}/fraud/tuning"},
        "InputDataConfig": [
            {
                "ChannelName": "train",
                "DataSource": {"S3DataSource": {"S3Uri": f"{MLOPS_DATA}/fraud/processed/train"}},
            }
        ],
    },
    "BestTrainingJob": {
        "TrainingJobName": "uf3pbkfsc3uh-003-5d6e7f",
        "FinalHyperParameterTuningJobObjectiveMetric": {
            "MetricName": "validation:auc",
            "Value": 0.91,
        },
    },
}


def test_job_io_tuning_job_writes_the_best_model():
    io = job_io("Tuning", TUNING_JOB)

    assert pairs(io.inputs) == [("train", f"{MLOPS_DATA}/fraud/processed/train")]
    assert io.outputs == [
        Location(
            "best_model",
            f"{MLOPS_DATA}/fraud/tuning/uf3pbkfsc3uh-003-5d6e7f/output/model.tar.gz",
            True,
        )
    ]
    assert (
        io.properties["TrainingJobSummaries[0].TrainingJobName"].text == "uf3pbkfsc3uh-003-5d6e7f"
    )
    assert io.properties["BestTrainingJob.TrainingJobName"].text == "uf3pbkfsc3uh-003-5d6e7f"


def test_job_io_tuning_job_without_best_job_does_not_name_the_job_as_a_step():
    # GIVEN a tuning job that has no best training job yet (running, or every trial failed)
    running = {k: v for k, v in TUNING_JOB.items() if k != "BestTrainingJob"}

    io = job_io("Tuning", dict(running, HyperParameterTuningJobStatus="InProgress"))

    # THEN no output carries a placeholder that treats the tuning *job* name as a pipeline
    # step: "{Steps.uf3pbkfsc3uh-TuneFra-1a2b3c...}" can never equal the consumers' URI,
    # which the definition writes as "{Steps.<step name>.TrainingJobSummaries[0]...}".
    assert [loc.uri for loc in io.outputs if "{Steps.uf3pbkfsc3uh-TuneFra-1a2b3c." in loc.uri] == []


def test_job_io_model_package():
    package = {
        "ModelPackageGroupName": "abalone-models",
        "ModelPackageVersion": 3,
        "ModelPackageArn": f"{ARN}:model-package/abalone-models/3",
        "ModelApprovalStatus": "PendingManualApproval",
        "InferenceSpecification": {
            "Containers": [
                {
                    "Image": "366743142698.dkr.ecr.ap-northeast-2.amazonaws.com/sagemaker-xgboost:1.7-1",
                    "ModelDataUrl": "s3://sagemaker-ap-northeast-2-123456789012/mlops-pipeline/models/"
                    "pipelines-abc123-Train-9f8e/output/model.tar.gz",
                }
            ],
            "SupportedContentTypes": ["text/csv"],
        },
        "ModelMetrics": {
            "ModelQuality": {
                "Statistics": {
                    "ContentType": "application/json",
                    "S3Uri": f"{MLOPS_DATA}/abalone/evaluation/evaluation.json",
                }
            }
        },
        "DriftCheckBaselines": {
            "ModelDataQuality": {
                "Constraints": {
                    "ContentType": "application/json",
                    "S3Uri": f"{MLOPS_DATA}/dq/constraints.json",
                }
            }
        },
    }

    io = job_io("RegisterModel", package)

    assert pairs(io.inputs) == [
        (
            "model_data",
            "s3://sagemaker-ap-northeast-2-123456789012/mlops-pipeline/models/"
            "pipelines-abc123-Train-9f8e/output/model.tar.gz",
        ),
        (
            "ModelMetrics.ModelQuality.Statistics",
            f"{MLOPS_DATA}/abalone/evaluation/evaluation.json",
        ),
        ("DriftCheckBaselines.ModelDataQuality.Constraints", f"{MLOPS_DATA}/dq/constraints.json"),
    ]
    assert io.outputs == []
    assert io.properties["ModelPackageArn"].text == f"{ARN}:model-package/abalone-models/3"


def test_job_io_quality_check_reads_the_step_metadata_baselines():
    job = {
        "ProcessingJobArn": f"{ARN}:processing-job/pipelines-abc123-dataqualitycheck",
        "ProcessingInputs": [],
        "ProcessingOutputConfig": {"Outputs": []},
        "CheckMetadata": {
            "CheckType": "DATA_QUALITY",
            "CalculatedBaselineStatistics": f"{DATA}/monitoring/data-quality/statistics.json",
            "BaselineUsedForDriftCheckStatistics": f"{DATA}/monitoring/baseline/statistics.json",
            "RegisterNewBaseline": True,
        },
    }

    io = job_io("QualityCheck", job)

    assert pairs(io.outputs) == [
        ("CalculatedBaselineStatistics", f"{DATA}/monitoring/data-quality/statistics.json")
    ]
    assert io.properties["BaselineUsedForDriftCheckStatistics"].text == (
        f"{DATA}/monitoring/baseline/statistics.json"
    )


def test_property_file_outputs_name_the_report_inside_its_output():
    from sagemaker_lineage_ext.core.locations import property_file_outputs

    definition = parse_definition(load_definition("mlops-pipeline"))
    evaluate = definition.step("Evaluate")
    io = definition_io(evaluate, ResolutionContext.from_definition(definition))

    [(pf, location)] = property_file_outputs(evaluate, io)

    assert pf.name == "EvaluationReport"
    assert location.name == "EvaluationReport"
    assert location.uri == "s3://my-mlops-dev2-v2-main-data/abalone/evaluation/evaluation.json"
    assert location.resolved is True
