#!/usr/bin/env python3
"""Generate SageMaker Pipeline definition documents with the real SageMaker Python SDK.

The JSON files this script writes are committed; the SDK itself is *not* a
dependency of the package or of its tests.  Run this script only when the
definitions need to change (new fixture, new SDK version).

What it writes
--------------
* ``sagemaker_lineage_ext/demo/definitions/<pipeline-name>.json`` -- the
  pipelines of the demo account: ``mlops-pipeline`` (abalone pattern; its earlier
  definition is ``mlops-pipeline.v1.json``), ``churn-pipeline``,
  ``fraud-detection-pipeline``, ``customer-features-pipeline`` and
  ``customer-ltv-pipeline`` (joined by an S3 prefix) and the generated
  benchmarks ``large-pipeline-10``, ``large-pipeline-50``, ``large-pipeline-200`` and
  ``large-pipeline-1000`` (the side panel's largest; defined, never executed).
* ``tests/fixtures/definitions/<name>.json`` -- parser fixtures that together
  cover every step ``Type`` the SDK emits, and ``tests/fixtures/definitions/README.md``
  (SDK version + a table of the fixtures).

Each file is the document returned by ``Pipeline.definition()``, parsed and
dumped again with ``json.dumps(doc, indent=1, sort_keys=False)``.

How to run
----------
The SDK is heavy (~400 MB of venv with its dependencies), so it lives in its own
virtual environment, never in the project's or the system's Python::

    python3 -m venv /work/sdkvenv
    /work/sdkvenv/bin/pip install "sagemaker>=2.200,<3" "moto[s3]"
    /work/sdkvenv/bin/python scripts/generate_definitions.py

Options: ``--check`` builds everything and compares it with the files on disk
instead of writing (exit status 1 on any difference); ``--only NAME`` (may be
repeated) limits the run to some documents (and skips the README); ``--quiet``
skips the summary table (file, step count including steps nested in Condition
branches, distinct S3 buckets, step Types).  The run also fails if
``large-pipeline-N`` does not have exactly N steps or ``large-pipeline-200`` does
not use exactly 20 buckets.

Nothing reaches AWS: the whole build runs inside moto's ``mock_aws`` with fake
credentials (account 123456789012, region ap-northeast-2), so the code files
that steps upload land in moto's in-memory S3.  The SDK's telemetry call is
disabled.  The output is deterministic: the code files are written with fixed
content under fixed relative paths (the SDK's code-upload path is a hash of
path + content), and the SDK's timestamp helper is pinned, so two runs give
byte-identical files.  The only things that follow the generating environment
are the ``@step`` function step's client Python/SDK versions in its container
arguments.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import tempfile
import warnings
from pathlib import Path

REGION = "ap-northeast-2"
ACCOUNT = "123456789012"
DEFAULT_BUCKET = f"sagemaker-{REGION}-{ACCOUNT}"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/service-role/AmazonSageMaker-ExecutionRole-demo"
DATA_BUCKET = "my-mlops-dev2-v2-main-data"
SCRATCH_BUCKET = "mlops-scratch-unconfigured"
AUDIT_BUCKET = "mlops-restricted-audit-logs"
FIXTURE_BUCKET = "lineage-fixtures-data"
PINNED_TIMESTAMP = "2024-01-01-00-00-00-000"

REPO_ROOT = Path(__file__).resolve().parent.parent
DEMO_DIR = REPO_ROOT / "sagemaker_lineage_ext" / "demo" / "definitions"
FIXTURE_DIR = REPO_ROOT / "tests" / "fixtures" / "definitions"

# Small, fixed source files the steps "upload".  Their content and relative path
# feed the SDK's code hash, so keep them stable.
CODE_FILES = {
    "code/preprocess.py": (
        '"""Split a CSV data set into train/validation/test."""\n'
        "import argparse\n\n"
        "if __name__ == '__main__':\n"
        "    parser = argparse.ArgumentParser()\n"
        "    parser.add_argument('--input-data')\n"
        "    parser.parse_args()\n"
    ),
    "code/evaluate.py": (
        '"""Evaluate a model and write evaluation.json."""\n'
        "import json\n\n"
        "if __name__ == '__main__':\n"
        "    report = {'regression_metrics': {'mse': {'value': 4.2, 'standard_deviation': 0.3}}}\n"
        "    with open('/opt/ml/processing/evaluation/evaluation.json', 'w') as f:\n"
        "        json.dump(report, f)\n"
    ),
    "code/inference.py": (
        '"""Inference handler for the repacked model."""\n\n'
        "def model_fn(model_dir):\n"
        "    return model_dir\n"
    ),
    "code/train.py": (
        '"""Framework training entry point."""\n\nif __name__ == \'__main__\':\n    pass\n'
    ),
    "code/requirements.txt": "sagemaker>=2.256.0,<3.0.0\n",
    "notebooks/report.ipynb": json.dumps(
        {
            "cells": [
                {
                    "cell_type": "code",
                    "execution_count": None,
                    "metadata": {"tags": ["parameters"]},
                    "outputs": [],
                    "source": ["input_uri = 's3://lineage-fixtures-data/reports/input'"],
                }
            ],
            "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
            "nbformat": 4,
            "nbformat_minor": 5,
        },
        indent=1,
    )
    + "\n",
}


# --------------------------------------------------------------------------- #
# Environment
# --------------------------------------------------------------------------- #


def _fake_aws_environment() -> None:
    os.environ.update(
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_SECURITY_TOKEN="testing",
        AWS_SESSION_TOKEN="testing",
        AWS_DEFAULT_REGION=REGION,
        SAGEMAKER_SUPPRESS_V2_WARNING="1",
    )
    for var in ("AWS_PROFILE", "AWS_ENDPOINT_URL"):
        os.environ.pop(var, None)
    os.environ["AWS_CONFIG_FILE"] = os.devnull
    os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull


def _patch_sdk() -> None:
    """Disable telemetry and pin the timestamps the SDK puts into S3 paths."""
    import sagemaker.telemetry.telemetry_logging as telemetry_logging
    import sagemaker.utils as sm_utils
    import sagemaker.workflow._steps_compiler as steps_compiler

    telemetry_logging._send_telemetry_request = lambda *args, **kwargs: None
    sm_utils.sagemaker_timestamp = lambda: PINNED_TIMESTAMP
    steps_compiler.sagemaker_timestamp = lambda: PINNED_TIMESTAMP


class Env:
    """Everything the pipeline builders share: the session and image URIs."""

    def __init__(self):
        import boto3
        from sagemaker import image_uris
        from sagemaker.workflow.pipeline_context import PipelineSession

        boto_session = boto3.Session(region_name=REGION)
        s3 = boto_session.client("s3")
        for bucket in (DEFAULT_BUCKET, DATA_BUCKET, SCRATCH_BUCKET, AUDIT_BUCKET, FIXTURE_BUCKET):
            s3.create_bucket(
                Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION}
            )
        self.boto_session = boto_session
        self.session = PipelineSession(boto_session=boto_session, default_bucket=DEFAULT_BUCKET)
        self.role = ROLE

        def retrieve(framework, version, **kwargs):
            try:
                return image_uris.retrieve(framework, REGION, version, **kwargs)
            except Exception:  # pragma: no cover - fallback for SDKs without the entry
                return None

        self.xgboost_image = retrieve("xgboost", "1.7-1") or (
            f"366743142698.dkr.ecr.{REGION}.amazonaws.com/sagemaker-xgboost:1.7-1"
        )
        self.sklearn_image = retrieve("sklearn", "1.2-1", instance_type="ml.m5.xlarge") or (
            f"366743142698.dkr.ecr.{REGION}.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3"
        )
        self.pytorch_image = retrieve(
            "pytorch",
            "2.1",
            py_version="py310",
            instance_type="ml.m5.xlarge",
            image_scope="training",
        ) or (f"763104351884.dkr.ecr.{REGION}.amazonaws.com/pytorch-training:2.1-cpu-py310")
        self.spark_image = f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/lineage-spark-runner:3.5"
        self.notebook_image = (
            f"548073614880.dkr.ecr.{REGION}.amazonaws.com/sagemaker-distribution-prod:1-cpu"
        )
        self.function_image = f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/lineage-step-runtime:py311"


# --------------------------------------------------------------------------- #
# Small builders shared by several pipelines
# --------------------------------------------------------------------------- #


def _sklearn_processor(env, instance_type="ml.m5.xlarge", base_job_name=None):
    from sagemaker.sklearn.processing import SKLearnProcessor

    return SKLearnProcessor(
        framework_version="1.2-1",
        role=env.role,
        instance_type=instance_type,
        instance_count=1,
        base_job_name=base_job_name,
        sagemaker_session=env.session,
    )


def _script_processor(env, image_uri, instance_type="ml.m5.xlarge", base_job_name=None):
    from sagemaker.processing import ScriptProcessor

    return ScriptProcessor(
        image_uri=image_uri,
        command=["python3"],
        role=env.role,
        instance_type=instance_type,
        instance_count=1,
        base_job_name=base_job_name,
        sagemaker_session=env.session,
    )


def _xgboost_estimator(env, output_path, instance_type="ml.m5.xlarge", base_job_name=None, **hp):
    from sagemaker.estimator import Estimator

    est = Estimator(
        image_uri=env.xgboost_image,
        role=env.role,
        instance_type=instance_type,
        instance_count=1,
        output_path=output_path,
        base_job_name=base_job_name,
        sagemaker_session=env.session,
    )
    params = dict(objective="reg:squarederror", num_round=50, max_depth=5, eta=0.2)
    params.update(hp)
    est.set_hyperparameters(**params)
    return est


def _processing_output_uri(step, output_name):
    return step.properties.ProcessingOutputConfig.Outputs[output_name].S3Output.S3Uri


# --------------------------------------------------------------------------- #
# Demo account pipelines
# --------------------------------------------------------------------------- #


def build_mlops_pipeline(env, version=2):
    """The classic abalone pattern.

    ``version`` 2 is the current definition; 1 is the one the demo's earlier
    executions ran: no step caching, and ``max_depth`` 5 instead of 6. Version 2
    turns caching on for Preprocess and Train (30 days), so the demo shows a
    definition change, a cache hit and a cache miss with its reason.
    """
    from sagemaker.inputs import TrainingInput
    from sagemaker.model import Model
    from sagemaker.model_metrics import MetricsSource, ModelMetrics
    from sagemaker.processing import ProcessingInput, ProcessingOutput
    from sagemaker.workflow.condition_step import ConditionStep
    from sagemaker.workflow.conditions import ConditionLessThanOrEqualTo
    from sagemaker.workflow.execution_variables import ExecutionVariables
    from sagemaker.workflow.fail_step import FailStep
    from sagemaker.workflow.functions import Join, JsonGet
    from sagemaker.workflow.model_step import ModelStep
    from sagemaker.workflow.parameters import ParameterFloat, ParameterString
    from sagemaker.workflow.pipeline import Pipeline
    from sagemaker.workflow.properties import PropertyFile
    from sagemaker.workflow.steps import CacheConfig, ProcessingStep, TrainingStep

    name = "mlops-pipeline"
    cache = CacheConfig(enable_caching=True, expire_after="P30D") if version >= 2 else None
    processing_instance_type = ParameterString(
        "ProcessingInstanceType", default_value="ml.m5.xlarge"
    )
    training_instance_type = ParameterString("TrainingInstanceType", default_value="ml.m5.xlarge")
    model_approval_status = ParameterString(
        "ModelApprovalStatus", default_value="PendingManualApproval"
    )
    input_data = ParameterString(
        "InputData", default_value=f"s3://{DATA_BUCKET}/abalone/abalone-dataset.csv"
    )
    mse_threshold = ParameterFloat("MseThreshold", default_value=6.0)

    processor = _sklearn_processor(env, processing_instance_type, "mlops-abalone-preprocess")
    step_process = ProcessingStep(
        name="Preprocess",
        step_args=processor.run(
            inputs=[ProcessingInput(source=input_data, destination="/opt/ml/processing/input")],
            outputs=[
                ProcessingOutput(
                    output_name="train",
                    source="/opt/ml/processing/train",
                    destination=Join(
                        on="/",
                        values=[
                            f"s3://{DATA_BUCKET}",
                            "abalone",
                            ExecutionVariables.PIPELINE_EXECUTION_ID,
                            "train",
                        ],
                    ),
                ),
                ProcessingOutput(
                    output_name="validation",
                    source="/opt/ml/processing/validation",
                    destination=f"s3://{DATA_BUCKET}/abalone/processed/validation",
                ),
                ProcessingOutput(
                    output_name="test",
                    source="/opt/ml/processing/test",
                    destination=f"s3://{DATA_BUCKET}/abalone/processed/test",
                ),
            ],
            code="code/preprocess.py",
            arguments=["--input-data", input_data],
        ),
        cache_config=cache,
    )

    estimator = _xgboost_estimator(
        env,
        f"s3://{DEFAULT_BUCKET}/mlops-pipeline/models",
        instance_type=training_instance_type,
        base_job_name="mlops-abalone-train",
        max_depth=6 if version >= 2 else 5,
    )
    step_train = TrainingStep(
        name="Train",
        step_args=estimator.fit(
            inputs={
                "train": TrainingInput(
                    s3_data=_processing_output_uri(step_process, "train"), content_type="text/csv"
                ),
                "validation": TrainingInput(
                    s3_data=_processing_output_uri(step_process, "validation"),
                    content_type="text/csv",
                ),
            }
        ),
        cache_config=cache,
    )

    evaluation_report = PropertyFile(
        name="EvaluationReport", output_name="evaluation", path="evaluation.json"
    )
    eval_processor = _script_processor(
        env, env.xgboost_image, processing_instance_type, "mlops-abalone-eval"
    )
    step_eval = ProcessingStep(
        name="Evaluate",
        step_args=eval_processor.run(
            inputs=[
                ProcessingInput(
                    source=step_train.properties.ModelArtifacts.S3ModelArtifacts,
                    destination="/opt/ml/processing/model",
                ),
                ProcessingInput(
                    source=_processing_output_uri(step_process, "test"),
                    destination="/opt/ml/processing/test",
                ),
            ],
            outputs=[
                ProcessingOutput(
                    output_name="evaluation",
                    source="/opt/ml/processing/evaluation",
                    destination=f"s3://{DATA_BUCKET}/abalone/evaluation",
                )
            ],
            code="code/evaluate.py",
        ),
        property_files=[evaluation_report],
    )

    model_metrics = ModelMetrics(
        model_statistics=MetricsSource(
            s3_uri=Join(
                on="/",
                values=[_processing_output_uri(step_eval, "evaluation"), "evaluation.json"],
            ),
            content_type="application/json",
        )
    )
    model = Model(
        image_uri=env.xgboost_image,
        model_data=step_train.properties.ModelArtifacts.S3ModelArtifacts,
        role=env.role,
        sagemaker_session=env.session,
    )
    step_register = ModelStep(
        name="RegisterAbalone",
        step_args=model.register(
            content_types=["text/csv"],
            response_types=["text/csv"],
            inference_instances=["ml.t2.medium", "ml.m5.large"],
            transform_instances=["ml.m5.large"],
            model_package_group_name="abalone-models",
            approval_status=model_approval_status,
            model_metrics=model_metrics,
        ),
    )
    step_create = ModelStep(
        name="CreateAbaloneModel",
        step_args=model.create(instance_type="ml.m5.large"),
    )
    step_fail = FailStep(
        name="MSEFail",
        error_message=Join(on=" ", values=["Execution failed due to MSE >", mse_threshold]),
    )
    step_cond = ConditionStep(
        name="CheckMSE",
        conditions=[
            ConditionLessThanOrEqualTo(
                left=JsonGet(
                    step_name=step_eval.name,
                    property_file=evaluation_report,
                    json_path="regression_metrics.mse.value",
                ),
                right=mse_threshold,
            )
        ],
        if_steps=[step_register, step_create],
        else_steps=[step_fail],
    )
    return Pipeline(
        name=name,
        parameters=[
            processing_instance_type,
            training_instance_type,
            model_approval_status,
            input_data,
            mse_threshold,
        ],
        steps=[step_process, step_train, step_eval, step_cond],
        sagemaker_session=env.session,
    )


def build_churn_pipeline(env):
    """Processing -> Training -> Model (create) -> Transform -> Model (register)."""
    from sagemaker.inputs import TrainingInput
    from sagemaker.model import Model
    from sagemaker.processing import ProcessingInput, ProcessingOutput
    from sagemaker.transformer import Transformer
    from sagemaker.workflow.model_step import ModelStep
    from sagemaker.workflow.parameters import ParameterString
    from sagemaker.workflow.pipeline import Pipeline
    from sagemaker.workflow.steps import ProcessingStep, TrainingStep, TransformStep

    out = f"s3://{DEFAULT_BUCKET}/churn"
    input_data = ParameterString("InputData", default_value=f"s3://{SCRATCH_BUCKET}/churn/raw/")
    approval = ParameterString("ModelApprovalStatus", default_value="PendingManualApproval")

    processor = _sklearn_processor(env, base_job_name="churn-preprocess")
    step_process = ProcessingStep(
        name="PreprocessChurnData",
        step_args=processor.run(
            inputs=[ProcessingInput(source=input_data, destination="/opt/ml/processing/input")],
            outputs=[
                ProcessingOutput(
                    output_name=split,
                    source=f"/opt/ml/processing/{split}",
                    destination=f"{out}/processed/{split}",
                )
                for split in ("train", "validation", "test")
            ],
            code="code/preprocess.py",
            arguments=["--input-data", input_data],
        ),
    )
    estimator = _xgboost_estimator(
        env, f"{out}/models", base_job_name="churn-train", objective="binary:logistic"
    )
    step_train = TrainingStep(
        name="TrainChurnModel",
        step_args=estimator.fit(
            inputs={
                split: TrainingInput(
                    s3_data=_processing_output_uri(step_process, split), content_type="text/csv"
                )
                for split in ("train", "validation")
            }
        ),
    )
    model = Model(
        image_uri=env.xgboost_image,
        model_data=step_train.properties.ModelArtifacts.S3ModelArtifacts,
        role=env.role,
        sagemaker_session=env.session,
    )
    step_create = ModelStep(
        name="CreateChurnModel", step_args=model.create(instance_type="ml.m5.large")
    )
    transformer = Transformer(
        model_name=step_create.properties.ModelName,
        instance_type="ml.m5.xlarge",
        instance_count=1,
        output_path=f"{out}/batch-transform",
        accept="text/csv",
        assemble_with="Line",
        sagemaker_session=env.session,
    )
    step_transform = TransformStep(
        name="BatchTransformChurn",
        step_args=transformer.transform(
            data=_processing_output_uri(step_process, "test"),
            content_type="text/csv",
            split_type="Line",
            input_filter="$[1:]",
            join_source="Input",
        ),
    )
    step_register = ModelStep(
        name="RegisterChurnModel",
        step_args=model.register(
            content_types=["text/csv"],
            response_types=["text/csv"],
            inference_instances=["ml.m5.large"],
            transform_instances=["ml.m5.xlarge"],
            model_package_group_name="churn-models",
            approval_status=approval,
        ),
        depends_on=[step_transform],
    )
    return Pipeline(
        name="churn-pipeline",
        parameters=[input_data, approval],
        steps=[step_process, step_train, step_create, step_transform, step_register],
        sagemaker_session=env.session,
    )


def build_fraud_pipeline(env):
    """Processing -> Tuning -> Processing (evaluate best model) -> QualityCheck -> Register."""
    from sagemaker.drift_check_baselines import DriftCheckBaselines
    from sagemaker.inputs import TrainingInput
    from sagemaker.model import Model
    from sagemaker.model_metrics import MetricsSource, ModelMetrics
    from sagemaker.model_monitor.dataset_format import DatasetFormat
    from sagemaker.processing import ProcessingInput, ProcessingOutput
    from sagemaker.tuner import ContinuousParameter, HyperparameterTuner, IntegerParameter
    from sagemaker.workflow.check_job_config import CheckJobConfig
    from sagemaker.workflow.model_step import ModelStep
    from sagemaker.workflow.parameters import ParameterBoolean, ParameterString
    from sagemaker.workflow.pipeline import Pipeline
    from sagemaker.workflow.properties import PropertyFile
    from sagemaker.workflow.quality_check_step import DataQualityCheckConfig, QualityCheckStep
    from sagemaker.workflow.steps import ProcessingStep, TuningStep

    data = f"s3://{DATA_BUCKET}/fraud"
    audit = f"s3://{AUDIT_BUCKET}/fraud"
    input_data = ParameterString("InputData", default_value=f"{data}/raw/transactions.csv")
    skip_check = ParameterBoolean("SkipDataQualityCheck", default_value=False)
    register_baseline = ParameterBoolean("RegisterNewDataQualityBaseline", default_value=False)
    approval = ParameterString("ModelApprovalStatus", default_value="PendingManualApproval")

    processor = _sklearn_processor(env, base_job_name="fraud-preprocess")
    step_process = ProcessingStep(
        name="PreprocessTransactions",
        step_args=processor.run(
            inputs=[ProcessingInput(source=input_data, destination="/opt/ml/processing/input")],
            outputs=[
                ProcessingOutput(
                    output_name=split,
                    source=f"/opt/ml/processing/{split}",
                    destination=f"{data}/processed/{split}",
                )
                for split in ("train", "validation", "test")
            ],
            code="code/preprocess.py",
        ),
    )
    estimator = _xgboost_estimator(
        env, f"{data}/tuning", base_job_name="fraud-xgb", objective="binary:logistic"
    )
    tuner = HyperparameterTuner(
        estimator=estimator,
        objective_metric_name="validation:auc",
        objective_type="Maximize",
        hyperparameter_ranges={
            "eta": ContinuousParameter(0.05, 0.5),
            "max_depth": IntegerParameter(3, 10),
            "min_child_weight": ContinuousParameter(1, 10),
        },
        max_jobs=6,
        max_parallel_jobs=2,
        base_tuning_job_name="fraud-hpo",
    )
    step_tuning = TuningStep(
        name="TuneFraudModel",
        step_args=tuner.fit(
            inputs={
                split: TrainingInput(
                    s3_data=_processing_output_uri(step_process, split), content_type="text/csv"
                )
                for split in ("train", "validation")
            }
        ),
    )
    best_model = step_tuning.get_top_model_s3_uri(
        top_k=0, s3_bucket=DATA_BUCKET, prefix="fraud/tuning"
    )

    evaluation_report = PropertyFile(
        name="FraudEvaluationReport", output_name="evaluation", path="evaluation.json"
    )
    eval_processor = _script_processor(env, env.xgboost_image, base_job_name="fraud-eval")
    step_eval = ProcessingStep(
        name="EvaluateBestModel",
        step_args=eval_processor.run(
            inputs=[
                ProcessingInput(source=best_model, destination="/opt/ml/processing/model"),
                ProcessingInput(
                    source=_processing_output_uri(step_process, "test"),
                    destination="/opt/ml/processing/test",
                ),
            ],
            outputs=[
                ProcessingOutput(
                    output_name="evaluation",
                    source="/opt/ml/processing/evaluation",
                    destination=f"{data}/evaluation",
                )
            ],
            code="code/evaluate.py",
        ),
        property_files=[evaluation_report],
    )
    check_job_config = CheckJobConfig(
        role=env.role,
        instance_count=1,
        instance_type="ml.m5.xlarge",
        volume_size_in_gb=60,
        sagemaker_session=env.session,
    )
    step_quality = QualityCheckStep(
        name="CheckDataQuality",
        quality_check_config=DataQualityCheckConfig(
            baseline_dataset=_processing_output_uri(step_process, "train"),
            dataset_format=DatasetFormat.csv(header=False, output_columns_position="START"),
            output_s3_uri=f"{audit}/data-quality/reports",
        ),
        check_job_config=check_job_config,
        skip_check=skip_check,
        register_new_baseline=register_baseline,
        supplied_baseline_statistics=f"{audit}/data-quality/baseline/statistics.json",
        supplied_baseline_constraints=f"{audit}/data-quality/baseline/constraints.json",
        model_package_group_name="fraud-models",
        depends_on=[step_eval],
    )
    model_metrics = ModelMetrics(
        model_data_statistics=MetricsSource(
            s3_uri=step_quality.properties.CalculatedBaselineStatistics,
            content_type="application/json",
        ),
        model_data_constraints=MetricsSource(
            s3_uri=step_quality.properties.CalculatedBaselineConstraints,
            content_type="application/json",
        ),
        model_statistics=MetricsSource(
            s3_uri=f"{data}/evaluation/evaluation.json", content_type="application/json"
        ),
    )
    drift_check_baselines = DriftCheckBaselines(
        model_data_statistics=MetricsSource(
            s3_uri=step_quality.properties.BaselineUsedForDriftCheckStatistics,
            content_type="application/json",
        ),
        model_data_constraints=MetricsSource(
            s3_uri=step_quality.properties.BaselineUsedForDriftCheckConstraints,
            content_type="application/json",
        ),
    )
    model = Model(
        image_uri=env.xgboost_image,
        model_data=best_model,
        role=env.role,
        sagemaker_session=env.session,
    )
    step_register = ModelStep(
        name="RegisterFraudModel",
        step_args=model.register(
            content_types=["text/csv"],
            response_types=["text/csv"],
            inference_instances=["ml.m5.large"],
            transform_instances=["ml.m5.xlarge"],
            model_package_group_name="fraud-models",
            approval_status=approval,
            model_metrics=model_metrics,
            drift_check_baselines=drift_check_baselines,
        ),
    )
    return Pipeline(
        name="fraud-detection-pipeline",
        parameters=[input_data, skip_check, register_baseline, approval],
        steps=[step_process, step_tuning, step_eval, step_quality, step_register],
        sagemaker_session=env.session,
    )


def build_customer_features_pipeline(env):
    """Writes customer features under one S3 prefix that another pipeline trains on
    (``customer-ltv-pipeline``): lineage across pipelines."""
    from sagemaker.processing import ProcessingInput, ProcessingOutput
    from sagemaker.workflow.parameters import ParameterString
    from sagemaker.workflow.pipeline import Pipeline
    from sagemaker.workflow.steps import ProcessingStep

    raw = ParameterString("RawCustomers", default_value=f"s3://{DATA_BUCKET}/raw/customers/")
    features = f"s3://{DATA_BUCKET}/features/customers"
    processor = _sklearn_processor(env, base_job_name="customer-features")
    step = ProcessingStep(
        name="BuildCustomerFeatures",
        step_args=processor.run(
            inputs=[ProcessingInput(source=raw, destination="/opt/ml/processing/input")],
            outputs=[
                ProcessingOutput(
                    output_name=split,
                    source=f"/opt/ml/processing/{split}",
                    destination=f"{features}/{split}",
                )
                for split in ("train", "validation")
            ],
            code="code/preprocess.py",
            arguments=["--input-data", raw],
        ),
    )
    return Pipeline(
        name="customer-features-pipeline",
        parameters=[raw],
        steps=[step],
        sagemaker_session=env.session,
    )


def build_customer_ltv_pipeline(env):
    """Trains on the features ``customer-features-pipeline`` writes: the training
    channel is that pipeline's output prefix, the validation channel a file inside
    its other output prefix."""
    from sagemaker.inputs import TrainingInput
    from sagemaker.model import Model
    from sagemaker.workflow.model_step import ModelStep
    from sagemaker.workflow.parameters import ParameterString
    from sagemaker.workflow.pipeline import Pipeline
    from sagemaker.workflow.steps import TrainingStep

    features = f"s3://{DATA_BUCKET}/features/customers"
    train = ParameterString("TrainFeatures", default_value=f"{features}/train")
    approval = ParameterString("ModelApprovalStatus", default_value="PendingManualApproval")
    estimator = _xgboost_estimator(
        env, f"s3://{DEFAULT_BUCKET}/customer-ltv/models", base_job_name="customer-ltv-train"
    )
    step_train = TrainingStep(
        name="TrainLtvModel",
        step_args=estimator.fit(
            inputs={
                "train": TrainingInput(s3_data=train, content_type="text/csv"),
                "validation": TrainingInput(
                    s3_data=f"{features}/validation/validation.csv", content_type="text/csv"
                ),
            }
        ),
    )
    model = Model(
        image_uri=env.xgboost_image,
        model_data=step_train.properties.ModelArtifacts.S3ModelArtifacts,
        role=env.role,
        sagemaker_session=env.session,
    )
    step_register = ModelStep(
        name="RegisterLtvModel",
        step_args=model.register(
            content_types=["text/csv"],
            response_types=["text/csv"],
            inference_instances=["ml.m5.large"],
            transform_instances=["ml.m5.xlarge"],
            model_package_group_name="customer-ltv-models",
            approval_status=approval,
        ),
    )
    return Pipeline(
        name="customer-ltv-pipeline",
        parameters=[train, approval],
        steps=[step_train, step_register],
        sagemaker_session=env.session,
    )


# --------------------------------------------------------------------------- #
# Generated large pipelines
# --------------------------------------------------------------------------- #


_CONDITION_VARIANTS = (
    (["P", "P"], ["F"]),
    (["P", "T"], ["P"]),
    (["P", "P"], []),
    (["P"], ["P"]),
    (["P", "P", "P"], ["P"]),
)


def plan_large_pipeline(total):
    """Lay ``total`` steps out in layers.

    Returns a list of layers; each layer is a list of units: ``"P"`` (processing),
    ``"T"`` (training), ``"F"`` (fail) or ``("C", if_kinds, else_kinds)`` (a condition
    step whose branches hold ``P``/``T``/``F`` steps).  A condition unit counts
    itself plus its nested steps, so the sum over all units is exactly ``total``.
    Layers are ``width`` steps wide (10, or 3 for small pipelines); every fourth
    layer starting with the third holds a condition; there is one fail step.
    """
    width = 10 if total >= 50 else 3
    layers, count, n_conditions, fail_placed = [], 0, 0, False
    while count < total:
        index = len(layers)
        layer, layer_steps = [], 0
        while layer_steps < width and count < total:
            remaining = total - count
            slot = len(layer)
            unit, size = "P", 1
            if index % 4 == 2 and slot == 0:
                if width < 10:
                    if_kinds, else_kinds = ["P"], ["F" if not fail_placed else "P"]
                else:
                    if_kinds, else_kinds = _CONDITION_VARIANTS[
                        n_conditions % len(_CONDITION_VARIANTS)
                    ]
                    if "F" in else_kinds and fail_placed:
                        else_kinds = ["P"]
                if 1 + len(if_kinds) + len(else_kinds) <= remaining:
                    unit = ("C", list(if_kinds), list(else_kinds))
                    size = 1 + len(if_kinds) + len(else_kinds)
                    fail_placed = fail_placed or "F" in else_kinds
                    n_conditions += 1
            elif index > 0 and (slot % 4 == 3 if width >= 10 else (slot == 1 and index % 2 == 1)):
                unit = "T"
            layer.append(unit)
            layer_steps += size
            count += size
        layers.append(layer)
    if not fail_placed:  # no condition fitted: make the very last step a fail step
        layers[-1][-1] = "F"
    return layers


def count_planned(layers):
    return sum(
        1 + len(u[1]) + len(u[2]) if isinstance(u, tuple) else 1 for layer in layers for u in layer
    )


def build_large_pipeline(env, total):
    """A layered DAG of exactly ``total`` steps over ``lineage-bench-NN`` buckets.

    Steps read the outputs of their previous-layer predecessors through property
    references (``ProcessingOutputConfig.Outputs['output'].S3Output.S3Uri`` or
    ``ModelArtifacts.S3ModelArtifacts``); some carry an explicit ``depends_on`` on a
    step two layers back or on the condition step of the layer before.  No step
    uploads code, so the only buckets are the ``lineage-bench-NN`` ones (20 for
    the 200-step pipeline, 10 for 50, 5 for 10).
    """
    from sagemaker.inputs import TrainingInput
    from sagemaker.processing import ProcessingInput, ProcessingOutput, Processor
    from sagemaker.workflow.condition_step import ConditionStep
    from sagemaker.workflow.conditions import (
        ConditionGreaterThanOrEqualTo,
        ConditionLessThanOrEqualTo,
    )
    from sagemaker.workflow.fail_step import FailStep
    from sagemaker.workflow.functions import Join, JsonGet
    from sagemaker.workflow.parameters import ParameterFloat, ParameterString
    from sagemaker.workflow.pipeline import Pipeline
    from sagemaker.workflow.properties import PropertyFile
    from sagemaker.workflow.steps import ProcessingStep, TrainingStep

    n_buckets = 20 if total >= 200 else (10 if total >= 50 else 5)
    instance_type = ParameterString("ProcessingInstanceType", default_value="ml.m5.large")
    quality_threshold = ParameterFloat("QualityThreshold", default_value=0.8)
    max_rmse = ParameterFloat("MaxValidationRmse", default_value=5.0)
    layers = plan_large_pipeline(total)
    assert count_planned(layers) == total, (count_planned(layers), total)
    gate_layers = {
        i - 1 for i, layer in enumerate(layers) if any(isinstance(u, tuple) for u in layer)
    }

    data_steps = [0]

    def next_bucket():
        bucket = f"lineage-bench-{data_steps[0] % n_buckets:02d}"
        data_steps[0] += 1
        return bucket

    def make_processing(step_name, layer_index, sources, depends_on=None, metrics=None):
        bucket = next_bucket()
        prefix = f"s3://{bucket}/layer-{layer_index:02d}/{step_name}"
        processor = Processor(
            image_uri=env.sklearn_image,
            entrypoint=["python3", "/opt/program/transform.py"],
            role=env.role,
            instance_type=instance_type,
            instance_count=1,
            base_job_name="bench",
            sagemaker_session=env.session,
        )
        sources = sources or [f"s3://{bucket}/raw/{step_name}/"]
        inputs = [
            ProcessingInput(
                input_name=f"input-{i}", source=src, destination=f"/opt/ml/processing/input/{i}"
            )
            for i, src in enumerate(sources)
        ]
        outputs = [
            ProcessingOutput(
                output_name="output",
                source="/opt/ml/processing/output",
                destination=f"{prefix}/output",
            )
        ]
        if metrics is not None:
            outputs.append(
                ProcessingOutput(
                    output_name="metrics",
                    source="/opt/ml/processing/metrics",
                    destination=f"{prefix}/metrics",
                )
            )
        return ProcessingStep(
            name=step_name,
            step_args=processor.run(
                inputs=inputs, outputs=outputs, arguments=["--layer", str(layer_index)]
            ),
            depends_on=depends_on,
            property_files=[metrics] if metrics is not None else None,
        )

    def make_training(step_name, layer_index, sources, depends_on=None):
        bucket = next_bucket()
        estimator = _xgboost_estimator(
            env, f"s3://{bucket}/layer-{layer_index:02d}/{step_name}/model", base_job_name="bench"
        )
        channel_names = ("train", "validation", "test")
        channels = {
            channel_names[i]: TrainingInput(s3_data=src, content_type="text/csv")
            for i, src in enumerate(sources[:3])
        }
        return TrainingStep(
            name=step_name, step_args=estimator.fit(inputs=channels), depends_on=depends_on
        )

    def output_of(step):
        if isinstance(step, TrainingStep):
            return step.properties.ModelArtifacts.S3ModelArtifacts
        return _processing_output_uri(step, "output")

    def processing_outputs(candidates):
        return [output_of(p) for p in candidates if isinstance(p, ProcessingStep)]

    steps = []
    previous, two_back = [], []  # top-level data steps of the last two layers with any
    last_condition = None
    gate = None  # (step, property file) whose metrics the next condition reads
    for layer_index, layer in enumerate(layers):
        current, condition_here = [], None
        base = f"L{layer_index:02d}"
        for slot, unit in enumerate(layer):
            preds = []
            if previous:
                stride = max(1, len(previous) // 3)
                for k in range(min(len(previous), 1 + slot % 3)):
                    preds.append(previous[(slot + stride * k) % len(previous)])
                preds = list(dict.fromkeys(preds))
            depends_on = []
            if two_back and slot % 5 == 2:
                depends_on.append(two_back[slot % len(two_back)].name)
            if last_condition is not None and slot % 3 == 0:
                depends_on.append(last_condition.name)
            depends_on = depends_on or None

            if unit == "P":
                metrics = None
                if layer_index in gate_layers and slot == 0:
                    metrics = PropertyFile(
                        name=f"{base}-QualityMetrics", output_name="metrics", path="metrics.json"
                    )
                step = make_processing(
                    f"{base}-Process-{slot:02d}",
                    layer_index,
                    [output_of(p) for p in preds],
                    depends_on,
                    metrics,
                )
                if metrics is not None:
                    gate = (step, metrics)
                current.append(step)
            elif unit == "T":
                sources = processing_outputs(preds) or processing_outputs(previous)[:1]
                step = make_training(f"{base}-Train-{slot:02d}", layer_index, sources, depends_on)
                current.append(step)
            elif unit == "F":
                step = FailStep(
                    name=f"{base}-Fail-{slot:02d}",
                    error_message=Join(on=" ", values=["Quality below", quality_threshold]),
                    depends_on=[p.name for p in preds] or depends_on,
                )
            else:
                _, if_kinds, else_kinds = unit
                sources = [output_of(p) for p in preds]
                branches = {}
                for branch, kinds in (("If", if_kinds), ("Else", else_kinds)):
                    branches[branch] = []
                    for j, kind in enumerate(kinds):
                        step_name = f"{base}-{branch}{slot:02d}-{j}"
                        if kind == "F":
                            branch_step = FailStep(
                                name=f"{base}-Fail-{slot:02d}",
                                error_message=Join(
                                    on=" ", values=["Data quality below", quality_threshold]
                                ),
                            )
                        elif kind == "T":
                            branch_step = make_training(
                                step_name + "-Train",
                                layer_index,
                                processing_outputs(preds) or processing_outputs(previous)[:1],
                            )
                        else:
                            branch_step = make_processing(step_name, layer_index, sources)
                        branches[branch].append(branch_step)
                conditions = []
                if gate is not None:
                    gate_step, gate_file = gate
                    conditions.append(
                        ConditionGreaterThanOrEqualTo(
                            left=JsonGet(
                                step_name=gate_step.name,
                                property_file=gate_file,
                                json_path="quality.score",
                            ),
                            right=quality_threshold,
                        )
                    )
                trainers = [p for p in previous if isinstance(p, TrainingStep)]
                if trainers and (not conditions or layer_index % 8 == 2):
                    conditions.append(
                        ConditionLessThanOrEqualTo(
                            left=trainers[0]
                            .properties.FinalMetricDataList["validation:rmse"]
                            .Value,
                            right=max_rmse,
                        )
                    )
                step = ConditionStep(
                    name=f"{base}-Check-{slot:02d}",
                    conditions=conditions,
                    if_steps=branches["If"],
                    else_steps=branches["Else"],
                    depends_on=depends_on,
                )
                condition_here = step
            steps.append(step)
        last_condition = condition_here
        if current:
            two_back, previous = previous, current
    return Pipeline(
        name=f"large-pipeline-{total}",
        parameters=[instance_type, quality_threshold, max_rmse],
        steps=steps,
        sagemaker_session=env.session,
    )


# --------------------------------------------------------------------------- #
# Parser fixtures
# --------------------------------------------------------------------------- #


def build_all_step_types(env):
    """One pipeline holding every step type the SDK can emit offline."""
    from sagemaker.automl.automl import AutoML, AutoMLInput
    from sagemaker.clarify import BiasConfig, DataConfig, ModelConfig, SHAPConfig
    from sagemaker.inputs import TrainingInput
    from sagemaker.lambda_helper import Lambda
    from sagemaker.lineage.action import Action
    from sagemaker.lineage.artifact import Artifact
    from sagemaker.lineage.context import Context
    from sagemaker.model import Model
    from sagemaker.model_metrics import MetricsSource, ModelMetrics
    from sagemaker.model_monitor.dataset_format import DatasetFormat
    from sagemaker.processing import ProcessingInput, ProcessingOutput
    from sagemaker.pytorch import PyTorch, PyTorchModel
    from sagemaker.transformer import Transformer
    from sagemaker.tuner import ContinuousParameter, HyperparameterTuner, IntegerParameter
    from sagemaker.workflow.automl_step import AutoMLStep
    from sagemaker.workflow.callback_step import (
        CallbackOutput,
        CallbackOutputTypeEnum,
        CallbackStep,
    )
    from sagemaker.workflow.check_job_config import CheckJobConfig
    from sagemaker.workflow.clarify_check_step import (
        ClarifyCheckStep,
        DataBiasCheckConfig,
        ModelExplainabilityCheckConfig,
    )
    from sagemaker.workflow.condition_step import ConditionStep
    from sagemaker.workflow.conditions import (
        ConditionEquals,
        ConditionGreaterThanOrEqualTo,
    )
    from sagemaker.workflow.emr_step import EMRStep, EMRStepConfig
    from sagemaker.workflow.endpoint_step import EndpointConfigStep, EndpointStep
    from sagemaker.workflow.execution_variables import ExecutionVariables
    from sagemaker.workflow.fail_step import FailStep
    from sagemaker.workflow.function_step import step as function_step
    from sagemaker.workflow.functions import Join, JsonGet
    from sagemaker.workflow.inference_component_step import InferenceComponentStep
    from sagemaker.workflow.lambda_step import LambdaOutput, LambdaOutputTypeEnum, LambdaStep
    from sagemaker.workflow.lineage_step import (
        LineageAssociation,
        LineageEntityReference,
        LineageStep,
    )
    from sagemaker.workflow.model_step import ModelStep
    from sagemaker.workflow.notebook_job_step import NotebookJobStep
    from sagemaker.workflow.parameters import (
        ParameterBoolean,
        ParameterFloat,
        ParameterInteger,
        ParameterString,
    )
    from sagemaker.workflow.pipeline import Pipeline
    from sagemaker.workflow.pipeline_experiment_config import PipelineExperimentConfig
    from sagemaker.workflow.properties import PropertyFile
    from sagemaker.workflow.quality_check_step import (
        DataQualityCheckConfig,
        ModelQualityCheckConfig,
        QualityCheckStep,
    )
    from sagemaker.workflow.retry import (
        SageMakerJobExceptionTypeEnum,
        SageMakerJobStepRetryPolicy,
        StepExceptionTypeEnum,
        StepRetryPolicy,
    )
    from sagemaker.workflow.steps import (
        CacheConfig,
        ProcessingStep,
        TrainingStep,
        TransformStep,
        TuningStep,
    )

    bucket = f"s3://{FIXTURE_BUCKET}"
    input_data = ParameterString("InputData", default_value=f"{bucket}/raw/customers.csv")
    instance_type = ParameterString("InstanceType", default_value="ml.m5.xlarge")
    approval = ParameterString("ModelApprovalStatus", default_value="PendingManualApproval")
    accuracy_threshold = ParameterFloat("AccuracyThreshold", default_value=0.75)
    epochs = ParameterInteger("Epochs", default_value=10)
    run_checks = ParameterBoolean("RunChecks", default_value=True)
    cache = CacheConfig(enable_caching=True, expire_after="P30D")
    check_job_config = CheckJobConfig(
        role=env.role, instance_count=1, instance_type="ml.m5.xlarge", sagemaker_session=env.session
    )

    # -- Processing ---------------------------------------------------------
    processor = _sklearn_processor(env, instance_type, "fixture-preprocess")
    step_process = ProcessingStep(
        name="Preprocess",
        display_name="Preprocess raw customers",
        description="Split the raw data set",
        step_args=processor.run(
            inputs=[
                ProcessingInput(source=input_data, destination="/opt/ml/processing/input"),
                ProcessingInput(
                    input_name="lookup",
                    source=f"{bucket}/reference/lookup-tables/",
                    destination="/opt/ml/processing/lookup",
                ),
            ],
            outputs=[
                ProcessingOutput(
                    output_name="train",
                    source="/opt/ml/processing/train",
                    destination=Join(
                        on="/",
                        values=[
                            bucket,
                            "processed",
                            ExecutionVariables.PIPELINE_EXECUTION_ID,
                            "train",
                        ],
                    ),
                ),
                ProcessingOutput(
                    output_name="validation",
                    source="/opt/ml/processing/validation",
                    destination=f"{bucket}/processed/validation",
                ),
                ProcessingOutput(
                    output_name="test",
                    source="/opt/ml/processing/test",
                    destination=f"{bucket}/processed/test",
                ),
                ProcessingOutput(output_name="default-location", source="/opt/ml/processing/extra"),
            ],
            code="code/preprocess.py",
            arguments=["--input-data", input_data],
        ),
        cache_config=cache,
        retry_policies=[
            StepRetryPolicy(
                exception_types=[
                    StepExceptionTypeEnum.SERVICE_FAULT,
                    StepExceptionTypeEnum.THROTTLING,
                ],
                max_attempts=3,
                interval_seconds=10,
                backoff_rate=2.0,
            ),
            SageMakerJobStepRetryPolicy(
                exception_types=[SageMakerJobExceptionTypeEnum.CAPACITY_ERROR], max_attempts=2
            ),
        ],
    )
    train_uri = _processing_output_uri(step_process, "train")
    validation_uri = _processing_output_uri(step_process, "validation")
    test_uri = _processing_output_uri(step_process, "test")

    # -- Training (built-in algorithm and framework script) ------------------
    xgb = _xgboost_estimator(env, f"{bucket}/models/xgboost", instance_type, "fixture-xgb")
    step_train = TrainingStep(
        name="TrainXGBoost",
        step_args=xgb.fit(
            inputs={
                "train": TrainingInput(s3_data=train_uri, content_type="text/csv"),
                "validation": TrainingInput(s3_data=validation_uri, content_type="text/csv"),
            }
        ),
        cache_config=cache,
    )
    pytorch = PyTorch(
        entry_point="train.py",
        source_dir="code",
        framework_version="2.1",
        py_version="py310",
        role=env.role,
        instance_type="ml.m5.xlarge",
        instance_count=1,
        output_path=f"{bucket}/models/pytorch",
        checkpoint_s3_uri=f"{bucket}/checkpoints/pytorch",
        hyperparameters={"epochs": epochs, "lr": 0.01},
        base_job_name="fixture-pytorch",
        sagemaker_session=env.session,
    )
    step_train_framework = TrainingStep(
        name="TrainPyTorch",
        step_args=pytorch.fit(inputs={"training": TrainingInput(s3_data=train_uri)}),
    )

    # -- Tuning --------------------------------------------------------------
    tuner = HyperparameterTuner(
        estimator=_xgboost_estimator(env, f"{bucket}/models/tuning", instance_type, "fixture-hpo"),
        objective_metric_name="validation:rmse",
        objective_type="Minimize",
        hyperparameter_ranges={
            "eta": ContinuousParameter(0.05, 0.5),
            "max_depth": IntegerParameter(3, 9),
        },
        max_jobs=4,
        max_parallel_jobs=2,
    )
    step_tune = TuningStep(
        name="TuneXGBoost",
        step_args=tuner.fit(
            inputs={
                "train": TrainingInput(s3_data=train_uri, content_type="text/csv"),
                "validation": TrainingInput(s3_data=validation_uri, content_type="text/csv"),
            }
        ),
    )
    best_model = step_tune.get_top_model_s3_uri(
        top_k=0, s3_bucket=FIXTURE_BUCKET, prefix="models/tuning"
    )

    # -- Evaluation with a property file ------------------------------------
    evaluation_report = PropertyFile(
        name="EvaluationReport", output_name="evaluation", path="evaluation.json"
    )
    step_eval = ProcessingStep(
        name="Evaluate",
        step_args=_script_processor(env, env.xgboost_image, instance_type, "fixture-eval").run(
            inputs=[
                ProcessingInput(source=best_model, destination="/opt/ml/processing/model"),
                ProcessingInput(source=test_uri, destination="/opt/ml/processing/test"),
            ],
            outputs=[
                ProcessingOutput(
                    output_name="evaluation",
                    source="/opt/ml/processing/evaluation",
                    destination=f"{bucket}/evaluation",
                )
            ],
            code="code/evaluate.py",
        ),
        property_files=[evaluation_report],
    )
    accuracy = JsonGet(
        step_name=step_eval.name,
        property_file=evaluation_report,
        json_path="binary_classification_metrics.accuracy.value",
    )

    # -- Model (create, with a repack) and RegisterModel ---------------------
    serving_model = PyTorchModel(
        model_data=step_train_framework.properties.ModelArtifacts.S3ModelArtifacts,
        entry_point="inference.py",
        source_dir="code",
        framework_version="2.1",
        py_version="py310",
        role=env.role,
        sagemaker_session=env.session,
    )
    step_create = ModelStep(
        name="CreateServingModel",
        step_args=serving_model.create(instance_type="ml.m5.large"),
    )
    xgb_model = Model(
        image_uri=env.xgboost_image,
        model_data=step_train.properties.ModelArtifacts.S3ModelArtifacts,
        role=env.role,
        sagemaker_session=env.session,
    )
    step_register = ModelStep(
        name="RegisterCandidate",
        step_args=xgb_model.register(
            content_types=["text/csv"],
            response_types=["text/csv"],
            inference_instances=["ml.m5.large"],
            transform_instances=["ml.m5.xlarge"],
            model_package_group_name="fixture-models",
            approval_status=approval,
            model_metrics=ModelMetrics(
                model_statistics=MetricsSource(
                    s3_uri=Join(
                        on="/",
                        values=[_processing_output_uri(step_eval, "evaluation"), "evaluation.json"],
                    ),
                    content_type="application/json",
                )
            ),
        ),
    )

    # -- Transform -----------------------------------------------------------
    step_transform = TransformStep(
        name="BatchScore",
        step_args=Transformer(
            model_name=step_create.properties.ModelName,
            instance_type="ml.m5.xlarge",
            instance_count=1,
            output_path=f"{bucket}/batch-output",
            accept="text/csv",
            assemble_with="Line",
            sagemaker_session=env.session,
        ).transform(data=test_uri, content_type="text/csv", split_type="Line"),
    )

    # -- Checks --------------------------------------------------------------
    step_data_quality = QualityCheckStep(
        name="DataQualityCheck",
        quality_check_config=DataQualityCheckConfig(
            baseline_dataset=train_uri,
            dataset_format=DatasetFormat.csv(header=False),
            output_s3_uri=f"{bucket}/monitoring/data-quality",
        ),
        check_job_config=check_job_config,
        skip_check=False,
        register_new_baseline=True,
        supplied_baseline_statistics=f"{bucket}/monitoring/baseline/statistics.json",
        supplied_baseline_constraints=f"{bucket}/monitoring/baseline/constraints.json",
        model_package_group_name="fixture-models",
        cache_config=cache,
    )
    step_model_quality = QualityCheckStep(
        name="ModelQualityCheck",
        quality_check_config=ModelQualityCheckConfig(
            baseline_dataset=step_transform.properties.TransformOutput.S3OutputPath,
            dataset_format=DatasetFormat.csv(header=False),
            output_s3_uri=f"{bucket}/monitoring/model-quality",
            problem_type="Regression",
            inference_attribute="_c0",
            ground_truth_attribute="_c1",
        ),
        check_job_config=check_job_config,
        register_new_baseline=True,
        model_package_group_name="fixture-models",
    )
    data_config = DataConfig(
        s3_data_input_path=train_uri,
        s3_output_path=f"{bucket}/clarify/data-bias",
        label=0,
        dataset_type="text/csv",
    )
    step_data_bias = ClarifyCheckStep(
        name="DataBiasCheck",
        clarify_check_config=DataBiasCheckConfig(
            data_config=data_config,
            data_bias_config=BiasConfig(
                label_values_or_threshold=[1], facet_name=[8], facet_values_or_threshold=[[0.5]]
            ),
        ),
        check_job_config=check_job_config,
        skip_check=run_checks,
        register_new_baseline=True,
        model_package_group_name="fixture-models",
        supplied_baseline_constraints=f"{bucket}/clarify/baseline/bias-constraints.json",
    )
    step_explainability = ClarifyCheckStep(
        name="ModelExplainabilityCheck",
        clarify_check_config=ModelExplainabilityCheckConfig(
            data_config=DataConfig(
                s3_data_input_path=train_uri,
                s3_output_path=f"{bucket}/clarify/explainability",
                label=0,
                dataset_type="text/csv",
            ),
            model_config=ModelConfig(
                model_name=step_create.properties.ModelName,
                instance_count=1,
                instance_type="ml.m5.xlarge",
            ),
            explainability_config=SHAPConfig(
                num_samples=10, agg_method="mean_abs", save_local_shap_values=False
            ),
        ),
        check_job_config=check_job_config,
        register_new_baseline=True,
        model_package_group_name="fixture-models",
    )

    # -- Lambda and Callback -------------------------------------------------
    step_lambda = LambdaStep(
        name="NotifyEvaluation",
        lambda_func=Lambda(
            function_arn=f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:notify-evaluation",
            session=env.session,
        ),
        inputs={
            "report_uri": f"{bucket}/evaluation/evaluation.json",
            "model_artifacts": step_train.properties.ModelArtifacts.S3ModelArtifacts,
            "accuracy": accuracy,
            "execution": ExecutionVariables.PIPELINE_EXECUTION_ARN,
        },
        outputs=[
            LambdaOutput(output_name="statusCode", output_type=LambdaOutputTypeEnum.Integer),
            LambdaOutput(output_name="ticket_uri", output_type=LambdaOutputTypeEnum.String),
        ],
    )
    step_callback = CallbackStep(
        name="WaitForManualSignOff",
        sqs_queue_url=f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/lineage-signoff-queue",
        inputs={
            "evaluation_uri": f"{bucket}/evaluation/evaluation.json",
            "train_uri": train_uri,
            "ticket": step_lambda.properties.Outputs["ticket_uri"],
        },
        outputs=[
            CallbackOutput(output_name="approved", output_type=CallbackOutputTypeEnum.Boolean),
            CallbackOutput(output_name="signoff_uri", output_type=CallbackOutputTypeEnum.String),
        ],
    )

    # -- EMR (existing cluster and a cluster the step creates) ----------------
    step_emr = EMRStep(
        name="SparkFeatureJob",
        display_name="Spark feature job",
        description="Feature engineering on the shared EMR cluster",
        cluster_id="j-1ABCDEFGHIJKL",
        step_config=EMRStepConfig(
            jar="command-runner.jar",
            args=[
                "spark-submit",
                "--deploy-mode",
                "cluster",
                f"{bucket}/emr/scripts/features.py",
                "--input",
                f"{bucket}/raw/customers.csv",
                "--output",
                f"{bucket}/emr/features/",
            ],
        ),
    )
    step_emr_new_cluster = EMRStep(
        name="SparkAggregateOnNewCluster",
        display_name="Spark aggregate",
        description="Runs on a cluster the step creates",
        cluster_id=None,
        cluster_config={
            "Instances": {
                "InstanceGroups": [
                    {"InstanceRole": "MASTER", "InstanceType": "m5.xlarge", "InstanceCount": 1},
                    {"InstanceRole": "CORE", "InstanceType": "m5.xlarge", "InstanceCount": 2},
                ]
            },
            "ReleaseLabel": "emr-6.15.0",
            "Applications": [{"Name": "Spark"}],
            "LogUri": f"{bucket}/emr/logs/",
        },
        step_config=EMRStepConfig(
            jar=f"{bucket}/emr/jars/aggregate.jar",
            main_class="com.example.Aggregate",
            args=[f"{bucket}/emr/features/", f"{bucket}/emr/aggregates/"],
        ),
        depends_on=[step_emr],
    )

    # -- AutoML --------------------------------------------------------------
    automl = AutoML(
        role=env.role,
        target_attribute_name="churned",
        output_path=f"{bucket}/automl/output",
        mode="ENSEMBLING",
        max_candidates=5,
        sagemaker_session=env.session,
    )
    step_automl = AutoMLStep(
        name="AutoMLChurn",
        step_args=automl.fit(
            inputs=AutoMLInput(
                inputs=f"{bucket}/automl/input/train.csv",
                target_attribute_name="churned",
                compression=None,
                channel_type="training",
            )
        ),
    )

    # -- EndpointConfig / Endpoint / InferenceComponent ----------------------
    step_endpoint_config = EndpointConfigStep(
        name="CreateEndpointConfig",
        step_args=env.session.create_endpoint_config(
            name="fixture-endpoint-config",
            model_name=step_create.properties.ModelName,
            initial_instance_count=1,
            instance_type="ml.m5.large",
            data_capture_config_dict={
                "EnableCapture": True,
                "InitialSamplingPercentage": 20,
                "DestinationS3Uri": f"{bucket}/data-capture",
                "CaptureOptions": [{"CaptureMode": "Input"}, {"CaptureMode": "Output"}],
            },
        ),
    )
    step_endpoint = EndpointStep(
        name="DeployEndpoint",
        step_args=env.session.create_endpoint(
            endpoint_name="fixture-endpoint",
            config_name=step_endpoint_config.properties.EndpointConfigName,
        ),
    )
    step_inference_component = InferenceComponentStep(
        name="DeployInferenceComponent",
        step_args=env.session.create_inference_component(
            inference_component_name="fixture-component",
            endpoint_name=step_endpoint.properties.EndpointName,
            variant_name="AllTraffic",
            specification={
                "ModelName": step_create.properties.ModelName,
                "ComputeResourceRequirements": {
                    "NumberOfCpuCoresRequired": 1,
                    "MinMemoryRequiredInMb": 1024,
                },
            },
        ),
    )

    # -- Lineage ---------------------------------------------------------------
    step_lineage = LineageStep(
        name="RecordLineage",
        actions=[
            Action.create(
                action_name="fixture-training-run",
                source_uri=f"{bucket}/runs/training",
                source_type="S3ETag",
                action_type="ModelTraining",
                sagemaker_session=env.session,
            )
        ],
        artifacts=[
            Artifact.create(
                artifact_name="fixture-trained-model",
                source_uri=step_train.properties.ModelArtifacts.S3ModelArtifacts,
                artifact_type="Model",
                sagemaker_session=env.session,
            ),
            Artifact.create(
                artifact_name="fixture-training-data",
                source_uri=f"{bucket}/raw/customers.csv",
                artifact_type="DataSet",
                sagemaker_session=env.session,
            ),
        ],
        contexts=[
            Context.create(
                context_name="fixture-project",
                source_uri=f"{bucket}/projects/fixture",
                source_type="Project",
                context_type="Project",
                sagemaker_session=env.session,
            )
        ],
        associations=[
            LineageAssociation(
                source=LineageEntityReference(name="fixture-training-data", type="Artifact"),
                destination=LineageEntityReference(name="fixture-training-run", type="Action"),
                association_type="ContributedTo",
            ),
            LineageAssociation(
                source=LineageEntityReference(name="fixture-training-run", type="Action"),
                destination=LineageEntityReference(name="fixture-trained-model", type="Artifact"),
                association_type="Produced",
            ),
            LineageAssociation(
                source=LineageEntityReference(name="fixture-trained-model", type="Artifact"),
                destination=LineageEntityReference(
                    arn=f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:context/fixture-endpoint-context"
                ),
                association_type="AssociatedWith",
            ),
        ],
    )

    # -- Notebook job and @step function (both emit Type "Training") ---------
    step_notebook = NotebookJobStep(
        name="RunReportNotebook",
        input_notebook="notebooks/report.ipynb",
        image_uri=env.notebook_image,
        kernel_name="python3",
        role=env.role,
        s3_root_uri=f"{bucket}/notebook-jobs",
        parameters={"input_uri": f"{bucket}/evaluation/evaluation.json"},
        instance_type="ml.m5.large",
        depends_on=[step_eval],
    )

    @function_step(
        name="SummarizeRun",
        display_name="Summarize run",
        description="@step function: summarize the evaluation",
        image_uri=env.function_image,
        instance_type="ml.m5.large",
        role=env.role,
        keep_alive_period_in_seconds=0,
        dependencies="code/requirements.txt",
    )
    def summarize(report_uri, threshold):
        return {"report": report_uri, "threshold": threshold}

    step_function = summarize(f"{bucket}/evaluation/evaluation.json", accuracy_threshold)

    # -- Conditions ----------------------------------------------------------
    step_fail = FailStep(
        name="AccuracyTooLow",
        error_message=Join(
            on=" ",
            values=[
                "Accuracy below",
                accuracy_threshold,
                "in",
                ExecutionVariables.PIPELINE_EXECUTION_ID,
            ],
        ),
    )
    step_check_accuracy = ConditionStep(
        name="CheckAccuracy",
        conditions=[ConditionGreaterThanOrEqualTo(left=accuracy, right=accuracy_threshold)],
        if_steps=[step_register, step_lambda],
        else_steps=[step_fail],
    )
    step_check_flag = ConditionStep(
        name="CheckRunChecks",
        conditions=[ConditionEquals(left=run_checks, right=True)],
        if_steps=[step_data_bias],
        else_steps=[],
    )

    steps = [
        step_process,
        step_train,
        step_train_framework,
        step_tune,
        step_eval,
        step_create,
        step_transform,
        step_data_quality,
        step_model_quality,
        step_explainability,
        step_check_flag,
        step_check_accuracy,
        step_callback,
        step_emr,
        step_emr_new_cluster,
        step_automl,
        step_endpoint_config,
        step_endpoint,
        step_inference_component,
        step_lineage,
        step_notebook,
        step_function,
    ]
    return Pipeline(
        name="all-step-types",
        parameters=[input_data, instance_type, approval, accuracy_threshold, epochs, run_checks],
        pipeline_experiment_config=PipelineExperimentConfig(
            experiment_name=ExecutionVariables.PIPELINE_NAME,
            trial_name=Join(on="-", values=["trial", ExecutionVariables.PIPELINE_EXECUTION_ID]),
        ),
        steps=steps,
        sagemaker_session=env.session,
    )


def build_nested_conditions(env):
    """Conditions nested in IfSteps and ElseSteps, empty branches, every condition type."""
    from sagemaker.inputs import TrainingInput
    from sagemaker.processing import ProcessingInput, ProcessingOutput
    from sagemaker.workflow.condition_step import ConditionStep
    from sagemaker.workflow.conditions import (
        ConditionEquals,
        ConditionGreaterThan,
        ConditionGreaterThanOrEqualTo,
        ConditionIn,
        ConditionLessThan,
        ConditionLessThanOrEqualTo,
        ConditionNot,
        ConditionOr,
    )
    from sagemaker.workflow.execution_variables import ExecutionVariables
    from sagemaker.workflow.fail_step import FailStep
    from sagemaker.workflow.functions import Join, JsonGet
    from sagemaker.workflow.parameters import (
        ParameterBoolean,
        ParameterFloat,
        ParameterInteger,
        ParameterString,
    )
    from sagemaker.workflow.pipeline import Pipeline
    from sagemaker.workflow.properties import PropertyFile
    from sagemaker.workflow.steps import ProcessingStep, TrainingStep

    bucket = f"s3://{FIXTURE_BUCKET}/nested"
    mode = ParameterString("Mode", default_value="full", enum_values=["full", "fast", "skip"])
    threshold = ParameterFloat("Threshold", default_value=0.7)
    max_retries = ParameterInteger("MaxRetries", default_value=2)
    enabled = ParameterBoolean("Enabled", default_value=True)

    def processing(name, sources, dest, property_file=None, depends_on=None):
        processor = _sklearn_processor(env, base_job_name="nested")
        outputs = [
            ProcessingOutput(
                output_name="output", source="/opt/ml/processing/output", destination=dest
            )
        ]
        if property_file is not None:
            outputs.append(
                ProcessingOutput(
                    output_name="stats",
                    source="/opt/ml/processing/stats",
                    destination=f"{dest}/stats",
                )
            )
        return ProcessingStep(
            name=name,
            step_args=processor.run(
                inputs=[
                    ProcessingInput(source=src, destination=f"/opt/ml/processing/input/{i}")
                    for i, src in enumerate(sources)
                ],
                outputs=outputs,
                code="code/preprocess.py",
            ),
            property_files=[property_file] if property_file is not None else None,
            depends_on=depends_on,
        )

    stats = PropertyFile(name="PrepareStats", output_name="stats", path="stats.json")
    step_prepare = processing("Prepare", [f"{bucket}/raw/"], f"{bucket}/prepared", stats)
    prepared = _processing_output_uri(step_prepare, "output")
    score = JsonGet(step_name=step_prepare.name, property_file=stats, json_path="quality.score")

    estimator = _xgboost_estimator(env, f"{bucket}/models", base_job_name="nested-train")
    step_train = TrainingStep(
        name="TrainInBranch",
        step_args=estimator.fit(
            inputs={"train": TrainingInput(s3_data=prepared, content_type="text/csv")}
        ),
    )
    step_inner_process = processing(
        "ScoreInBranch",
        [step_train.properties.ModelArtifacts.S3ModelArtifacts, prepared],
        Join(on="/", values=[bucket, "scores", ExecutionVariables.PIPELINE_EXECUTION_ID]),
    )
    step_deep = processing(
        "DeepestProcess",
        [_processing_output_uri(step_inner_process, "output")],
        f"{bucket}/deepest",
    )
    step_innermost = ConditionStep(
        name="InnermostCheck",
        conditions=[ConditionLessThan(left=max_retries, right=3)],
        if_steps=[step_deep],
        else_steps=[],
    )
    step_inner_fail = FailStep(
        name="InnerFail", error_message=Join(on=" ", values=["Mode", mode, "is not allowed"])
    )
    step_inner = ConditionStep(
        name="InnerCheck",
        conditions=[
            ConditionOr(
                conditions=[
                    ConditionIn(value=mode, in_values=["full", "fast"]),
                    ConditionNot(expression=ConditionEquals(left=enabled, right=False)),
                ]
            )
        ],
        if_steps=[step_inner_process, step_innermost],
        else_steps=[step_inner_fail],
    )
    step_outer = ConditionStep(
        name="OuterCheck",
        conditions=[
            ConditionEquals(left=mode, right="full"),
            ConditionGreaterThan(left=score, right=threshold),
        ],
        if_steps=[step_train, step_inner],
        else_steps=[],
    )

    step_else_process = processing("ElseBranchProcess", [prepared], f"{bucket}/else-branch")
    step_else_fail = FailStep(name="ElseFail", error_message="Score too low for the fallback path")
    step_else_check = ConditionStep(
        name="ElseCheck",
        conditions=[ConditionGreaterThanOrEqualTo(left=score, right=0.5)],
        if_steps=[step_else_process],
        else_steps=[step_else_fail],
    )
    step_guard = ConditionStep(
        name="GuardCheck",
        conditions=[ConditionLessThanOrEqualTo(left=score, right=threshold)],
        if_steps=[],
        else_steps=[step_else_check],
    )
    step_after = processing(
        "AfterConditions", [prepared], f"{bucket}/after", depends_on=["OuterCheck", step_guard]
    )
    return Pipeline(
        name="nested-conditions",
        parameters=[mode, threshold, max_retries, enabled],
        # listed out of topological order on purpose
        steps=[step_after, step_outer, step_prepare, step_guard],
        sagemaker_session=env.session,
    )


def build_step_collections(env):
    """Step collections and legacy constructors: how names expand."""
    from sagemaker.inputs import CreateModelInput, TrainingInput, TransformInput
    from sagemaker.model import Model
    from sagemaker.model_monitor.dataset_format import DatasetFormat
    from sagemaker.pipeline import PipelineModel
    from sagemaker.processing import ProcessingInput, ProcessingOutput
    from sagemaker.pytorch import PyTorch, PyTorchModel
    from sagemaker.sklearn.model import SKLearnModel
    from sagemaker.transformer import Transformer
    from sagemaker.workflow.check_job_config import CheckJobConfig
    from sagemaker.workflow.model_step import ModelStep
    from sagemaker.workflow.monitor_batch_transform_step import MonitorBatchTransformStep
    from sagemaker.workflow.pipeline import Pipeline
    from sagemaker.workflow.quality_check_step import DataQualityCheckConfig
    from sagemaker.workflow.step_collections import EstimatorTransformer, RegisterModel
    from sagemaker.workflow.steps import CreateModelStep, ProcessingStep, TrainingStep

    bucket = f"s3://{FIXTURE_BUCKET}/collections"
    processor = _sklearn_processor(env, base_job_name="legacy-preprocess")
    # legacy constructor: processor + inputs/outputs instead of step_args
    step_process = ProcessingStep(
        name="LegacyPreprocess",
        processor=processor,
        inputs=[ProcessingInput(source=f"{bucket}/raw/", destination="/opt/ml/processing/input")],
        outputs=[
            ProcessingOutput(
                output_name="train",
                source="/opt/ml/processing/train",
                destination=f"{bucket}/train",
            ),
            ProcessingOutput(
                output_name="test", source="/opt/ml/processing/test", destination=f"{bucket}/test"
            ),
        ],
        code="code/preprocess.py",
    )
    train_uri = _processing_output_uri(step_process, "train")
    test_uri = _processing_output_uri(step_process, "test")
    pytorch = PyTorch(
        entry_point="train.py",
        source_dir="code",
        framework_version="2.1",
        py_version="py310",
        role=env.role,
        instance_type="ml.m5.xlarge",
        instance_count=1,
        output_path=f"{bucket}/models",
        sagemaker_session=env.session,
    )
    step_train = TrainingStep(
        name="LegacyTrain",
        estimator=pytorch,
        inputs={"training": TrainingInput(s3_data=train_uri)},
    )
    model_data = step_train.properties.ModelArtifacts.S3ModelArtifacts
    step_register = RegisterModel(
        name="LegacyRegister",
        estimator=pytorch,
        model_data=model_data,
        entry_point="inference.py",
        source_dir="code",
        content_types=["application/json"],
        response_types=["application/json"],
        inference_instances=["ml.m5.large"],
        transform_instances=["ml.m5.xlarge"],
        model_package_group_name="collections-models",
    )
    plain_model = Model(
        image_uri=env.xgboost_image,
        model_data=model_data,
        role=env.role,
        sagemaker_session=env.session,
    )
    step_legacy_create = CreateModelStep(
        name="LegacyCreateModel",
        model=plain_model,
        inputs=CreateModelInput(instance_type="ml.m5.large"),
    )
    step_estimator_transformer = EstimatorTransformer(
        name="ScoreWithEstimator",
        estimator=pytorch,
        model_data=model_data,
        model_inputs=CreateModelInput(instance_type="ml.m5.large"),
        instance_count=1,
        instance_type="ml.m5.xlarge",
        transform_inputs=TransformInput(data=test_uri),
        entry_point="inference.py",
        source_dir="code",
        output_path=f"{bucket}/estimator-transform",
    )
    pipeline_model = PipelineModel(
        models=[
            SKLearnModel(
                model_data=f"{bucket}/featurizer/model.tar.gz",
                entry_point="inference.py",
                source_dir="code",
                framework_version="1.2-1",
                role=env.role,
                sagemaker_session=env.session,
            ),
            PyTorchModel(
                model_data=model_data,
                entry_point="inference.py",
                source_dir="code",
                framework_version="2.1",
                py_version="py310",
                role=env.role,
                sagemaker_session=env.session,
            ),
        ],
        role=env.role,
        sagemaker_session=env.session,
    )
    step_pipeline_model = ModelStep(
        name="InferencePipelineModel",
        step_args=pipeline_model.register(
            content_types=["text/csv"],
            response_types=["text/csv"],
            inference_instances=["ml.m5.large"],
            transform_instances=["ml.m5.xlarge"],
            model_package_group_name="collections-models",
        ),
    )
    transformer = Transformer(
        model_name=step_legacy_create.properties.ModelName,
        instance_type="ml.m5.xlarge",
        instance_count=1,
        output_path=f"{bucket}/monitored-transform",
        accept="text/csv",
        sagemaker_session=env.session,
    )
    step_monitored = MonitorBatchTransformStep(
        name="MonitoredScoring",
        transform_step_args=transformer.transform(data=test_uri, content_type="text/csv"),
        monitor_configuration=DataQualityCheckConfig(
            baseline_dataset=test_uri,
            dataset_format=DatasetFormat.csv(header=False),
            output_s3_uri=f"{bucket}/monitoring",
        ),
        check_job_configuration=CheckJobConfig(
            role=env.role,
            instance_count=1,
            instance_type="ml.m5.xlarge",
            sagemaker_session=env.session,
        ),
        monitor_before_transform=True,
        supplied_baseline_statistics=f"{bucket}/baseline/statistics.json",
        supplied_baseline_constraints=f"{bucket}/baseline/constraints.json",
    )
    return Pipeline(
        name="step-collections",
        steps=[
            step_process,
            step_train,
            step_register,
            step_legacy_create,
            step_estimator_transformer,
            step_pipeline_model,
            step_monitored,
        ],
        sagemaker_session=env.session,
    )


# --------------------------------------------------------------------------- #
# Driver
# --------------------------------------------------------------------------- #

DOCUMENTS = {
    # name: (directory, builder)
    "mlops-pipeline": (DEMO_DIR, build_mlops_pipeline),
    # The definition mlops-pipeline's earlier demo executions ran (before an UpdatePipeline).
    "mlops-pipeline.v1": (DEMO_DIR, lambda env: build_mlops_pipeline(env, version=1)),
    "churn-pipeline": (DEMO_DIR, build_churn_pipeline),
    "fraud-detection-pipeline": (DEMO_DIR, build_fraud_pipeline),
    "customer-features-pipeline": (DEMO_DIR, build_customer_features_pipeline),
    "customer-ltv-pipeline": (DEMO_DIR, build_customer_ltv_pipeline),
    "large-pipeline-10": (DEMO_DIR, lambda env: build_large_pipeline(env, 10)),
    "large-pipeline-50": (DEMO_DIR, lambda env: build_large_pipeline(env, 50)),
    "large-pipeline-200": (DEMO_DIR, lambda env: build_large_pipeline(env, 200)),
    "large-pipeline-1000": (DEMO_DIR, lambda env: build_large_pipeline(env, 1000)),
    "all-step-types": (FIXTURE_DIR, build_all_step_types),
    "nested-conditions": (FIXTURE_DIR, build_nested_conditions),
    "step-collections": (FIXTURE_DIR, build_step_collections),
}

EXPECTED_STEP_COUNTS = {
    "large-pipeline-10": 10,
    "large-pipeline-50": 50,
    "large-pipeline-200": 200,
    "large-pipeline-1000": 1000,
}
EXPECTED_BUCKET_COUNTS = {"large-pipeline-200": 20, "large-pipeline-1000": 20}

FIXTURE_README = """\
# Pipeline definition fixtures

Generated by `scripts/generate_definitions.py` with the real SageMaker Python SDK
(`sagemaker=={version}`), offline under moto's `mock_aws` (account 123456789012,
region ap-northeast-2). Do not edit by hand: change the generator and regenerate.

Each file is the document `Pipeline.definition()` returns, re-dumped with `indent=1`.

| file | steps (incl. nested) | step types |
| --- | --- | --- |
{table}

Regenerate (the SDK stays in its own venv, never in the project's dependencies):

```
python3 -m venv /work/sdkvenv
/work/sdkvenv/bin/pip install "sagemaker>=2.200,<3" "moto[s3]"
/work/sdkvenv/bin/python scripts/generate_definitions.py          # write
/work/sdkvenv/bin/python scripts/generate_definitions.py --check  # compare only
```

The same run writes the demo account's definitions to
`sagemaker_lineage_ext/demo/definitions/`.
"""


def iter_steps(steps):
    """Yield every step dict, descending into Condition IfSteps/ElseSteps."""
    for step in steps:
        yield step
        if step.get("Type") == "Condition":
            args = step.get("Arguments", {})
            yield from iter_steps(args.get("IfSteps", []))
            yield from iter_steps(args.get("ElseSteps", []))


def s3_buckets(node, found=None):
    """Bucket names in literal ``s3://bucket/...`` strings and in ``Std:Join`` values
    that start ``["s3:/", "bucket", ...]`` (the form the SDK builds for default
    output locations and ``get_top_model_s3_uri``)."""
    import re

    found = set() if found is None else found
    if isinstance(node, str):
        found.update(re.findall(r"s3://([a-z0-9][a-z0-9.\-]*[a-z0-9])", node))
    elif isinstance(node, list):
        for item in node:
            s3_buckets(item, found)
    elif isinstance(node, dict):
        join = node.get("Std:Join")
        if isinstance(join, dict):
            values = join.get("Values") or []
            if len(values) > 1 and values[0] == "s3:/" and isinstance(values[1], str):
                found.add(values[1].split("/")[0])
        for value in node.values():
            s3_buckets(value, found)
    return found


def summarize(doc):
    steps = list(iter_steps(doc["Steps"]))
    types = sorted({s["Type"] for s in steps})
    buckets = sorted(s3_buckets(doc))
    names = [s["Name"] for s in steps]
    assert len(names) == len(set(names)), "duplicate step names"
    return {"steps": len(steps), "types": types, "buckets": buckets}


def render(pipeline):
    return json.dumps(json.loads(pipeline.definition()), indent=1, sort_keys=False) + "\n"


def build_all(names):
    """Build the named documents; returns {name: json_text}."""
    _fake_aws_environment()
    from moto import mock_aws

    results = {}
    with tempfile.TemporaryDirectory(prefix="sm-defs-") as workdir, mock_aws():
        _patch_sdk()
        cwd = os.getcwd()
        os.chdir(workdir)
        try:
            for rel, content in CODE_FILES.items():
                Path(rel).parent.mkdir(parents=True, exist_ok=True)
                Path(rel).write_text(content)
            env = Env()
            for name in names:
                _, builder = DOCUMENTS[name]
                results[name] = render(builder(env))
        finally:
            os.chdir(cwd)
    return results


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare with the files on disk")
    parser.add_argument(
        "--only", action="append", choices=sorted(DOCUMENTS), help="build only NAME"
    )
    parser.add_argument("--quiet", action="store_true", help="no summary table")
    args = parser.parse_args(argv)
    names = args.only or list(DOCUMENTS)

    _fake_aws_environment()
    warnings.filterwarnings("ignore")
    logging.disable(logging.WARNING)
    import sagemaker  # noqa: F401  (version for the README)

    results = build_all(names)
    failures = []
    rows = []
    for name in names:
        directory, _ = DOCUMENTS[name]
        path = directory / f"{name}.json"
        text = results[name]
        info = summarize(json.loads(text))
        if name in EXPECTED_STEP_COUNTS and info["steps"] != EXPECTED_STEP_COUNTS[name]:
            failures.append(f"{name}: {info['steps']} steps, expected {EXPECTED_STEP_COUNTS[name]}")
        if name in EXPECTED_BUCKET_COUNTS and len(info["buckets"]) != EXPECTED_BUCKET_COUNTS[name]:
            failures.append(
                f"{name}: {len(info['buckets'])} buckets, expected {EXPECTED_BUCKET_COUNTS[name]}"
            )
        if args.check:
            if not path.exists() or path.read_text() != text:
                failures.append(f"{path.relative_to(REPO_ROOT)} differs from a fresh build")
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
        rows.append((name, path, info))

    if not args.only:
        fixture_rows = "\n".join(
            f"| `{path.name}` | {info['steps']} | {', '.join(info['types'])} |"
            for name, path, info in rows
            if path.parent == FIXTURE_DIR
        )
        readme = FIXTURE_README.format(version=sagemaker.__version__, table=fixture_rows)
        readme_path = FIXTURE_DIR / "README.md"
        if args.check:
            if not readme_path.exists() or readme_path.read_text() != readme:
                failures.append(f"{readme_path.relative_to(REPO_ROOT)} differs from a fresh build")
        else:
            readme_path.write_text(readme)

    if not args.quiet:
        print(f"sagemaker=={sagemaker.__version__}")
        print(f"{'file':<70} {'steps':>5} {'buckets':>7}  types")
        for _name, path, info in rows:
            print(
                f"{str(path.relative_to(REPO_ROOT)):<70} {info['steps']:>5} "
                f"{len(info['buckets']):>7}  {', '.join(info['types'])}"
            )
    for failure in failures:
        print(f"FAIL: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
