"""Response assembly: artifacts, runs, summary (pure, clock passed in)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from sagemaker_lineage_ext.core.graph import ArtifactTable, split_s3_uri
from sagemaker_lineage_ext.core.views import build_run, build_summary, iso

KST = timezone(timedelta(hours=9))
T0 = datetime(2024, 6, 1, 10, 0, 0, tzinfo=timezone.utc)
ARN = "arn:aws:sagemaker:ap-northeast-2:123456789012"
EVAL_DIR = "s3://my-mlops-dev2-v2-main-data/abalone/evaluation"


# --- small helpers ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime(2024, 6, 1, 10, 0, 0), "2024-06-01T10:00:00.000Z"),  # naive = UTC
        (datetime(2024, 6, 1, 19, 0, 0, tzinfo=KST), "2024-06-01T10:00:00.000Z"),
        ("2024-06-01T10:00:00Z", "2024-06-01T10:00:00Z"),
        (None, None),
    ],
)
def test_iso(value, expected):
    assert iso(value) == expected


@pytest.mark.parametrize(
    ("uri", "expected"),
    [
        (
            f"{EVAL_DIR}/evaluation.json",
            ("my-mlops-dev2-v2-main-data", "abalone/evaluation/evaluation.json"),
        ),
        ("s3://bucket-only", ("bucket-only", "")),
        ("s3://{Parameters.Bucket}/data/train", (None, None)),
        ("{Steps.DataQualityCheck.CalculatedBaselineStatistics}", (None, None)),
        ("https://example.com/x", (None, None)),
    ],
)
def test_split_s3_uri(uri, expected):
    assert split_s3_uri(uri) == expected


# --- ArtifactTable ----------------------------------------------------------------------


def test_artifact_table_ids_follow_first_appearance_and_one_artifact_per_uri():
    table = ArtifactTable()
    train = "s3://my-mlops-dev2-v2-main-data/abalone/abc123/train"

    ids = [
        table.link(
            "s3://my-mlops-dev2-v2-main-data/abalone/abalone-dataset.csv", "Preprocess", "in"
        ),
        table.link(train, "Preprocess", "out"),
        table.link(train, "Train", "in"),
        table.link(train, "Train", "in"),
        table.link(
            "s3://sagemaker-ap-northeast-2-123456789012/mlops-pipeline/models/m.tar.gz",
            "Train",
            "out",
        ),
    ]

    assert ids == [1, 2, 2, 2, 3]
    artifacts = table.to_list({})
    assert [a["id"] for a in artifacts] == [1, 2, 3]
    assert (artifacts[1]["producers"], artifacts[1]["consumers"]) == (["Preprocess"], ["Train"])
    assert (artifacts[1]["bucket"], artifacts[1]["key"]) == (
        "my-mlops-dev2-v2-main-data",
        "abalone/abc123/train",
    )


def test_artifact_table_attaches_the_bucket_posture():
    table = ArtifactTable()
    table.link(f"{EVAL_DIR}/evaluation.json", "Register", "in")
    table.link("s3://{Parameters.Bucket}/x", "Register", "in", resolved=False)
    posture = {"my-mlops-dev2-v2-main-data": {"encryption": "aws:kms", "versioning": "Enabled"}}

    known, placeholder = table.to_list(posture)

    assert known["s3"] == {"encryption": "aws:kms", "versioning": "Enabled"}
    assert (placeholder["bucket"], placeholder["s3"], placeholder["resolved"]) == (
        None,
        None,
        False,
    )


def test_artifact_table_never_guesses_producers_from_prefixes():
    # GIVEN Evaluate writes the prefix .../evaluation and Register reads a file under it
    table = ArtifactTable()
    table.link(EVAL_DIR, "Evaluate", "out")
    table.link(f"{EVAL_DIR}/evaluation.json", "RegisterAbalone-RegisterModel", "in")

    _, report = table.to_list({})

    # THEN the file is its own artifact; only an explicit output (the property
    # file, see locations.property_file_outputs) makes Evaluate its producer
    assert report["producers"] == []
    assert report["consumers"] == ["RegisterAbalone-RegisterModel"]


# --- build_run --------------------------------------------------------------------------


def test_build_run_for_a_step_that_did_not_run():
    assert build_run(None) == {
        "status": "NotStarted",
        "startTime": None,
        "endTime": None,
        "elapsedSec": None,
        "jobArn": None,
        "metrics": {},
        "failureReason": None,
        "cacheHit": False,
        "attempts": 0,
        "registry": None,
    }


def test_build_run_for_a_finished_training_step():
    summary = {
        "StepName": "Train",
        "StepStatus": "Succeeded",
        "StartTime": T0,
        "EndTime": T0 + timedelta(seconds=170),
        "AttemptCount": 1,
        "Metadata": {"TrainingJob": {"Arn": f"{ARN}:training-job/pipelines-abc123-train-9f8e"}},
    }
    job = {
        "TrainingJobStatus": "Completed",
        "FinalMetricDataList": [
            {"MetricName": "validation:auc", "Value": 0.63, "Timestamp": T0},
            {"MetricName": "train:auc", "Value": 0.72, "Timestamp": T0},
        ],
    }

    run = build_run(summary, job=job)

    assert run["startTime"] == "2024-06-01T10:00:00.000Z"
    assert run["endTime"] == "2024-06-01T10:02:50.000Z"
    assert run["elapsedSec"] == 170
    assert run["jobArn"] == f"{ARN}:training-job/pipelines-abc123-train-9f8e"
    assert run["metrics"] == {"validation:auc": 0.63, "train:auc": 0.72}
    assert (run["cacheHit"], run["jobStatus"], run["failureReason"]) == (False, "Completed", None)


def test_build_run_executing_step_counts_elapsed_time_up_to_now():
    summary = {"StepName": "Train", "StepStatus": "Executing", "StartTime": T0}

    run = build_run(summary, now=T0 + timedelta(minutes=5, seconds=3))

    assert (run["status"], run["endTime"], run["elapsedSec"]) == ("Executing", None, 303)


def test_build_run_cache_hit_points_to_the_source_execution():
    source = f"{ARN}:pipeline/mlops-pipeline/execution/0ld3x3cut10n"
    summary = {
        "StepName": "Preprocess",
        "StepStatus": "Succeeded",
        "StartTime": T0,
        "EndTime": T0,
        "CacheHitResult": {"SourcePipelineExecutionArn": source},
    }

    run = build_run(summary)

    assert (run["cacheHit"], run["cacheSource"], run["elapsedSec"]) == (True, source, 0)


def test_build_run_reports_the_condition_outcome_and_fail_message():
    condition = build_run(
        {
            "StepName": "CheckMSE",
            "StepStatus": "Succeeded",
            "Metadata": {"Condition": {"Outcome": "False"}},
        }
    )
    fail = build_run(
        {
            "StepName": "MSEFail",
            "StepStatus": "Failed",
            "FailureReason": "Execution failed due to MSE > 6.0",
            "Metadata": {"Fail": {"ErrorMessage": "Execution failed due to MSE > 6.0"}},
        }
    )

    assert condition["conditionOutcome"] == "False"
    assert (fail["failureReason"], fail["errorMessage"]) == (
        "Execution failed due to MSE > 6.0",
        "Execution failed due to MSE > 6.0",
    )


def test_build_run_tuning_step_takes_the_best_training_job_metrics():
    tuning_job = {
        "HyperParameterTuningJobStatus": "Completed",
        "TrainingJobStatusCounters": {"Completed": 4},
        "BestTrainingJob": {
            "TrainingJobName": "uf3pbkfsc3uh-003-5d6e7f",
            "FinalHyperParameterTuningJobObjectiveMetric": {
                "Type": "Maximize",
                "MetricName": "validation:auc",
                "Value": 0.91,
            },
        },
    }
    best_job = {
        "TrainingJobName": "uf3pbkfsc3uh-003-5d6e7f",
        "FinalMetricDataList": [{"MetricName": "train:auc", "Value": 0.95}],
    }
    summary = {
        "StepName": "TuneFraudModel",
        "StepStatus": "Succeeded",
        "Metadata": {"TuningJob": {"Arn": f"{ARN}:hyper-parameter-tuning-job/uf3pbkfsc3uh"}},
    }

    run = build_run(summary, job=tuning_job, best_job=best_job)

    assert run["metrics"] == {"train:auc": 0.95, "validation:auc": 0.91}
    assert run["bestTrainingJob"] == "uf3pbkfsc3uh-003-5d6e7f"
    assert run["jobStatus"] == "Completed"
    assert run["jobArn"] == f"{ARN}:hyper-parameter-tuning-job/uf3pbkfsc3uh"


def test_build_run_register_step_carries_the_registry_entry():
    package = {
        "ModelPackageArn": f"{ARN}:model-package/abalone-models/3",
        "ModelPackageGroupName": "abalone-models",
        "ModelPackageVersion": 3,
        "ModelApprovalStatus": "PendingManualApproval",
        "ModelPackageStatus": "Completed",
        "CreationTime": T0,
    }
    summary = {
        "StepName": "RegisterAbalone-RegisterModel",
        "StepStatus": "Succeeded",
        "Metadata": {"RegisterModel": {"Arn": package["ModelPackageArn"]}},
    }

    run = build_run(summary, package=package)

    assert run["jobArn"] == f"{ARN}:model-package/abalone-models/3"
    assert run["registry"] == {
        "modelPackageArn": f"{ARN}:model-package/abalone-models/3",
        "modelPackageGroup": "abalone-models",
        "version": 3,
        "approvalStatus": "PendingManualApproval",
        "packageStatus": "Completed",
        "creationTime": "2024-06-01T10:00:00.000Z",
    }


# --- build_summary ----------------------------------------------------------------------


def node(status: str, end: str | None = None) -> dict:
    return {"id": status, "run": {"status": status, "endTime": end}}


def test_build_summary_counts_statuses_and_takes_the_latest_end_time():
    nodes = [
        node("Succeeded", "2024-06-01T10:02:50Z"),
        node("Succeeded", "2024-06-01T10:13:03Z"),
        node("Failed", "2024-06-01T10:05:00Z"),
        node("NotStarted"),
    ]
    execution = {"status": "Failed", "elapsedSec": 783}

    summary = build_summary(execution, nodes, T0 - timedelta(days=1))

    assert summary == {
        "overallStatus": "Failed",
        "nodeStatus": {"Succeeded": 2, "Failed": 1, "NotStarted": 1},
        "elapsedSec": 783,
        "lastScanned": "2024-06-01T10:13:03Z",
        "stepCount": 4,
        "reused": 0,
        "failedSteps": ["Failed"],
    }


def test_build_summary_without_execution_falls_back_to_pipeline_modified_time():
    nodes = [{"id": "Preprocess"}, {"id": "Train"}]

    summary = build_summary(None, nodes, datetime(2024, 5, 31, 23, 0, 0, tzinfo=timezone.utc))

    assert summary["overallStatus"] == "NotExecuted"
    assert summary["nodeStatus"] == {}
    assert summary["lastScanned"] == "2024-05-31T23:00:00.000Z"


def test_build_summary_last_scanned_compares_times_not_strings():
    # End times within the same second must still order by time, not by string shape.
    earlier = iso(datetime(2024, 6, 1, 10, 0, 0, tzinfo=timezone.utc))
    later = iso(datetime(2024, 6, 1, 10, 0, 0, 500000, tzinfo=timezone.utc))

    summary = build_summary(
        {"status": "Succeeded"}, [node("Succeeded", earlier), node("Succeeded", later)], None
    )

    assert summary["lastScanned"] == later == "2024-06-01T10:00:00.500Z"


def test_preview_warns_about_unknown_types_and_cycles():
    from sagemaker_lineage_ext.core import preview_lineage

    response = preview_lineage(
        {
            "Steps": [
                {
                    "Name": "A",
                    "Type": "Bogus",
                    "DependsOn": ["B"],
                    "Arguments": {"data": "s3://b/in"},
                },
                {"Name": "B", "Type": "Fail", "DependsOn": ["A"]},
                {"Name": "C", "Type": "Fail"},
            ]
        }
    )
    codes = {(w["code"], w["target"]) for w in response["warnings"]}
    assert codes == {("UnknownStepType", "A"), ("DependencyCycle", "A")}
    assert "A, B" in next(
        w["message"] for w in response["warnings"] if w["code"] == "DependencyCycle"
    )
    a = next(n for n in response["graph"]["nodes"] if n["id"] == "A")
    assert [i["uri"] for i in a["inputs"]] == ["s3://b/in"], (
        "an unknown type's S3 URIs are still found"
    )
