"""The whole read path on the demo account: real botocore clients, moto, the hooks."""

from __future__ import annotations

import pytest
from tests_support import observed

from sagemaker_lineage_ext.core import (
    CallLog,
    LineageConfig,
    NotFoundError,
    parse_lineage_request,
    parse_list_request,
)
from sagemaker_lineage_ext.demo import demo_service as make_demo_service
from sagemaker_lineage_ext.demo.seed import REGION

DATA = "s3://my-mlops-dev2-v2-main-data"
DEFAULT = "s3://sagemaker-ap-northeast-2-123456789012"


def lineage(service, log=None, **params):
    request = parse_lineage_request(params, service.config)
    return observed(service, log)(request) if log is not None else service.lineage(request)


def node(response: dict, name: str) -> dict:
    return next(n for n in response["graph"]["nodes"] if n["id"] == name)


def artifact(response: dict, artifact_id: int) -> dict:
    return next(a for a in response["graph"]["artifacts"] if a["id"] == artifact_id)


def executions(demo_account, pipeline: str) -> list[str]:
    """Execution ARNs of a demo pipeline, oldest first."""
    records = demo_account.step_records
    arns = [arn for arn in records if f":pipeline/{pipeline}/execution/" in arn]
    return sorted(arns, key=lambda arn: min(s["StartTime"] for s in records[arn]))


def test_lineage_mlops_latest_execution_is_enriched(demo_service, demo_account, validate_lineage):
    response = validate_lineage(lineage(demo_service, pipeline="mlops-pipeline"))
    latest = executions(demo_account, "mlops-pipeline")[-1]
    execution_id = latest.rsplit("/", 1)[-1]

    assert response["execution"]["arn"] == latest
    assert response["execution"]["status"] == "Succeeded"
    assert response["execution"]["parameters"]["InputData"] == f"{DATA}/abalone/abalone-dataset.csv"
    assert response["summary"]["overallStatus"] == "Succeeded"
    assert response["summary"]["nodeStatus"] == {"Succeeded": 6, "NotStarted": 1}
    assert response["pipeline"]["tags"]["domain-name"] == "mlops-studio"

    preprocess, train = node(response, "Preprocess"), node(response, "Train")
    # Preprocess was a cache hit: SageMaker reused the previous run's job, so its
    # outputs (a Join with that run's execution id) are that run's, and Train read them.
    previous = executions(demo_account, "mlops-pipeline")[-2]
    assert preprocess["run"]["cacheHit"] is True
    assert preprocess["run"]["cacheSource"] == previous
    assert f"-{previous.rsplit('/', 1)[-1]}-preprocess-" in preprocess["run"]["jobArn"]
    train_uri = f"{DATA}/abalone/{previous.rsplit('/', 1)[-1]}/train"
    assert {"name": "train", "uri": train_uri} in [
        {"name": o["name"], "uri": o["uri"]} for o in preprocess["outputs"]
    ]
    assert train_uri in [i["uri"] for i in train["inputs"]]
    assert train["run"]["metrics"] == {"train:rmse": 1.712, "validation:rmse": 2.078}
    assert train["run"]["jobArn"].endswith(
        f":training-job/{train['run']['jobArn'].rsplit('/', 1)[-1]}"
    )
    assert ":training-job/pipelines-" in train["run"]["jobArn"]

    model = train["outputs"][0]["uri"]
    assert model.startswith(f"{DEFAULT}/mlops-pipeline/models/pipelines-{execution_id}-train-")
    assert model.endswith("/output/model.tar.gz")
    evaluate = node(response, "Evaluate")
    assert model in [i["uri"] for i in evaluate["inputs"]]
    assert (
        evaluate["run"]["reports"]["EvaluationReport"]["regression_metrics"]["mse"]["value"]
        == 4.316
    )

    assert node(response, "CheckMSE")["run"]["conditionOutcome"] == "True"
    registry = node(response, "RegisterAbalone-RegisterModel")["run"]["registry"]
    assert registry["modelPackageGroup"] == "abalone-models"
    assert registry["approvalStatus"] == "PendingManualApproval"
    assert ":model-package/abalone-models/" in registry["modelPackageArn"]
    assert node(response, "MSEFail")["run"]["status"] == "NotStarted"


def test_lineage_artifacts_carry_producers_consumers_and_posture(demo_service, validate_lineage):
    response = validate_lineage(lineage(demo_service, pipeline="mlops-pipeline"))
    by_uri = {a["uri"]: a for a in response["graph"]["artifacts"]}
    assert len(by_uri) == len(response["graph"]["artifacts"]), "one artifact per URI"

    test_set = by_uri[f"{DATA}/abalone/processed/test"]
    assert test_set["producers"] == ["Preprocess"]
    assert test_set["consumers"] == ["Evaluate"]
    assert test_set["bucket"] == "my-mlops-dev2-v2-main-data"
    assert test_set["key"] == "abalone/processed/test"
    assert test_set["s3"]["encryption"] == "aws:kms"
    assert test_set["s3"]["versioning"] == "Enabled"
    assert test_set["s3"]["publicAccess"] == "Blocked"
    assert test_set["s3"]["tags"]["Env"] == "development"
    assert test_set["s3"]["findings"] == []

    code = next(a for uri, a in by_uri.items() if uri.startswith(f"{DEFAULT}/mlops-pipeline/code/"))
    assert code["s3"]["encryption"] == "AES256"
    assert code["s3"]["versioning"] == "Suspended"
    assert code["s3"]["publicAccess"] == "Partial"
    assert set(code["s3"]["findings"]) == {"VersioningOff", "PublicAccessPartiallyBlocked"}

    # Every input/output points at an artifact that lists the step on the right side.
    for n in response["graph"]["nodes"]:
        for loc in n["inputs"]:
            assert n["id"] in artifact(response, loc["artifactId"])["consumers"]
        for loc in n["outputs"]:
            assert n["id"] in artifact(response, loc["artifactId"])["producers"]


def test_lineage_unconfigured_bucket_reads_as_none_not_unknown(demo_service, validate_lineage):
    response = validate_lineage(lineage(demo_service, pipeline="churn-pipeline"))
    raw = next(
        a for a in response["graph"]["artifacts"] if a["bucket"] == "mlops-scratch-unconfigured"
    )
    assert raw["s3"]["encryption"] == "None"
    assert raw["s3"]["versioning"] == "Disabled"
    assert raw["s3"]["publicAccess"] == "NotBlocked"
    assert raw["s3"]["tags"] == {}
    assert not [w for w in response["warnings"] if "mlops-scratch-unconfigured" in w["target"]]


def test_lineage_denied_bucket_is_unknown_with_warnings(demo_service, validate_lineage):
    response = validate_lineage(lineage(demo_service, pipeline="fraud-detection-pipeline"))
    audit = [
        a for a in response["graph"]["artifacts"] if a["bucket"] == "mlops-restricted-audit-logs"
    ]
    assert audit, "the fraud pipeline writes its quality reports to the restricted bucket"
    for item in audit:
        assert item["s3"]["encryption"] == "Unknown"
        assert item["s3"]["publicAccess"] == "Unknown"
        assert "PostureUnknown" in item["s3"]["findings"]
    denied = [w for w in response["warnings"] if w["target"] == "s3://mlops-restricted-audit-logs"]
    assert {w["code"] for w in denied} == {"AccessDenied"}
    messages = " ".join(w["message"] for w in denied)
    assert "s3:GetEncryptionConfiguration" in messages
    assert "s3:GetBucketPublicAccessBlock" in messages


def test_lineage_failed_execution_reports_failing_step(demo_service, validate_lineage):
    response = validate_lineage(lineage(demo_service, pipeline="fraud-detection-pipeline"))
    assert response["summary"]["overallStatus"] == "Failed"
    check = node(response, "CheckDataQuality")
    assert check["run"]["status"] == "Failed"
    assert "Access Denied" in check["run"]["failureReason"]
    assert check["run"]["check"]["checkType"] == "DATA_QUALITY"
    assert node(response, "RegisterFraudModel-RegisterModel")["run"]["status"] == "NotStarted"
    tune = node(response, "TuneFraudModel")
    assert tune["run"]["metrics"]["validation:auc"] == 0.962
    assert tune["run"]["bestTrainingJob"]
    best_model = next(o["uri"] for o in tune["outputs"] if o["name"] == "best_model")
    assert tune["run"]["bestTrainingJob"] in best_model
    assert best_model in [i["uri"] for i in node(response, "EvaluateBestModel")["inputs"]]


def test_lineage_executing_execution_shows_running_step(demo_service, validate_lineage):
    response = validate_lineage(lineage(demo_service, pipeline="churn-pipeline"))
    assert response["summary"]["overallStatus"] == "Executing"
    assert response["execution"]["endTime"] is None
    train = node(response, "TrainChurnModel")
    assert train["run"]["status"] == "Executing"
    assert train["run"]["endTime"] is None
    assert train["run"]["elapsedSec"] > 0
    assert node(response, "BatchTransformChurn")["run"]["status"] == "NotStarted"
    assert response["summary"]["nodeStatus"] == {"Succeeded": 1, "Executing": 1, "NotStarted": 3}


def test_lineage_explicit_execution_arn_reads_that_execution(
    demo_service, demo_account, validate_lineage
):
    older = executions(demo_account, "mlops-pipeline")[0]
    response = validate_lineage(
        lineage(demo_service, pipeline="mlops-pipeline", executionArn=older)
    )
    assert response["execution"]["arn"] == older
    assert response["execution"]["status"] == "Failed"
    train = node(response, "Train")
    assert train["run"]["status"] == "Failed"
    assert train["run"]["failureReason"].startswith("AlgorithmError")
    assert train["run"]["metrics"] == {}
    # outputs are where a step writes, or was to write: run.status says it failed
    assert train["outputs"][0]["uri"].endswith(
        f"/{train['run']['jobArn'].rsplit('/', 1)[-1]}/output/model.tar.gz"
    )
    assert node(response, "Evaluate")["run"]["status"] == "NotStarted"


def test_lineage_without_execution_draws_definition(demo_service, validate_lineage):
    response = validate_lineage(
        lineage(demo_service, pipeline="mlops-pipeline", includeLatestExec="false")
    )
    assert response["execution"] is None
    assert response["summary"]["overallStatus"] == "NotExecuted"
    assert response["summary"]["lastScanned"] == response["pipeline"]["lastModifiedTime"]
    assert all("run" not in n for n in response["graph"]["nodes"])
    preprocess = node(response, "Preprocess")
    train_out = next(o for o in preprocess["outputs"] if o["name"] == "train")
    assert train_out["uri"] == f"{DATA}/abalone/{{Execution.PipelineExecutionId}}/train"
    assert train_out["resolved"] is False
    assert train_out["uri"] in [i["uri"] for i in node(response, "Train")["inputs"]]
    # Posture is read even before any run: the bucket is known.
    assert artifact(response, train_out["artifactId"])["s3"]["encryption"] == "aws:kms"


def test_lineage_pipeline_by_arn(demo_service, validate_lineage):
    arn = f"arn:aws:sagemaker:{REGION}:123456789012:pipeline/mlops-pipeline"
    response = validate_lineage(lineage(demo_service, pipeline=arn))
    assert response["pipeline"]["arn"] == arn


@pytest.mark.parametrize(
    "params",
    [
        {"pipeline": "no-such-pipeline"},
        {"pipeline": "mlops-pipeline", "domain": "another-studio"},
        {"pipeline": "mlops-pipeline", "domain": "d-riskteam0002"},
        {"pipeline": "churn-pipeline", "domain": "mlops-studio"},
        {
            "pipeline": "mlops-pipeline",
            "executionArn": f"arn:aws:sagemaker:{REGION}:123456789012:pipeline/mlops-pipeline/execution/zzzzzzzzzzzz",
        },
    ],
    ids=[
        "unknown-pipeline",
        "domain-name-mismatch",
        "domain-id-mismatch",
        "untagged",
        "unknown-execution",
    ],
)
def test_lineage_not_found(demo_service, params):
    with pytest.raises(NotFoundError) as caught:
        lineage(demo_service, **params)
    assert caught.value.status == 404
    assert caught.value.user_message == "pipeline not found or domain filter mismatched"


@pytest.mark.parametrize(
    "domain",
    [
        "mlops-studio",
        "d-mlopsdemo0001",
        f"arn:aws:sagemaker:{REGION}:123456789012:domain/d-mlopsdemo0001",
    ],
    ids=["name", "id", "arn"],
)
def test_lineage_domain_filter_matches(demo_service, domain, validate_lineage):
    response = validate_lineage(lineage(demo_service, pipeline="mlops-pipeline", domain=domain))
    assert response["pipeline"]["name"] == "mlops-pipeline"


def test_lineage_large_pipeline_all_steps_across_pages(demo_service, validate_lineage):
    log = CallLog()
    response = validate_lineage(lineage(demo_service, log, pipeline="large-pipeline-200"))
    assert len(response["graph"]["nodes"]) == 200
    listed = sum(n for s, n in response["summary"]["nodeStatus"].items() if s != "NotStarted")
    assert listed > 100, "more steps ran than one ListPipelineExecutionSteps page holds"
    assert log.by_operation()["ListPipelineExecutionSteps"] == 2
    assert len({a["bucket"] for a in response["graph"]["artifacts"]}) == 20
    assert not response["warnings"]


def test_list_pipelines_with_latest_status(demo_service, validate_listing):
    listing = validate_listing(
        demo_service.list_pipelines(parse_list_request({}, demo_service.config))
    )
    statuses = {p["name"]: (p["latestExecution"] or {}).get("status") for p in listing["pipelines"]}
    assert statuses["mlops-pipeline"] == "Succeeded"
    assert statuses["churn-pipeline"] == "Executing"
    assert statuses["fraud-detection-pipeline"] == "Failed"


@pytest.mark.parametrize(
    ("params", "names"),
    [
        (
            {"prefix": "large-"},
            {"large-pipeline-10", "large-pipeline-50", "large-pipeline-200", "large-pipeline-1000"},
        ),
        ({"domain": "risk-studio"}, {"fraud-detection-pipeline"}),
        ({"domain": "d-mlopsdemo0001"}, {"mlops-pipeline"}),
        ({"prefix": "pipeline"}, set()),
    ],
)
def test_list_pipelines_filters(demo_service, params, names, validate_listing):
    listing = validate_listing(
        demo_service.list_pipelines(parse_list_request(params, demo_service.config))
    )
    assert {p["name"] for p in listing["pipelines"]} == names


def test_lineage_s3_meta_disabled_reads_no_bucket(demo_account, validate_lineage):
    service = make_demo_service(LineageConfig(enable_s3_meta=False))
    log = CallLog()
    response = validate_lineage(lineage(service, log, pipeline="mlops-pipeline"))
    assert all(a["s3"] is None for a in response["graph"]["artifacts"])
    assert not any(op.startswith("GetBucket") for op in log.by_operation())


def test_lineage_reports_disabled_reads_no_object(demo_account):
    service = make_demo_service(LineageConfig(read_reports=False))
    log = CallLog()
    response = lineage(service, log, pipeline="mlops-pipeline")
    assert "reports" not in node(response, "Evaluate")["run"]
    assert "GetObject" not in log.by_operation()


def test_lineage_report_scope_excludes_other_buckets(demo_account):
    service = make_demo_service(LineageConfig(report_scopes=("s3://some-other-bucket/reports",)))
    log = CallLog()
    response = lineage(service, log, pipeline="mlops-pipeline")
    assert "reports" not in node(response, "Evaluate")["run"]
    assert "GetObject" not in log.by_operation()


def test_lineage_evaluation_report_is_an_artifact_between_its_writer_and_reader(demo_service):
    response = lineage(demo_service, pipeline="mlops-pipeline")
    report = next(
        a for a in response["graph"]["artifacts"] if a["uri"].endswith("/evaluation.json")
    )
    assert report["uri"] == f"{DATA}/abalone/evaluation/evaluation.json"
    assert report["producers"] == ["Evaluate"]
    # the Condition reads it (JsonGet), and the registered model points at it
    assert report["consumers"] == ["CheckMSE", "RegisterAbalone-RegisterModel"]
    check = node(response, "CheckMSE")["run"]
    assert check["conditions"] == [
        {"type": "LessThanOrEqualTo", "left": 4.316, "right": 6.0, "outcome": True}
    ]


def test_lineage_failed_execution_carries_its_failure_reason(demo_service, demo_account):
    older = executions(demo_account, "mlops-pipeline")[0]
    response = lineage(demo_service, pipeline="mlops-pipeline", executionArn=older)
    assert response["execution"]["failureReason"] == "Step failure: One or multiple steps failed."


def test_lineage_pipeline_arn_of_another_account_is_not_found(demo_service):
    arn = f"arn:aws:sagemaker:{REGION}:999999999999:pipeline/mlops-pipeline"
    with pytest.raises(NotFoundError):
        lineage(demo_service, pipeline=arn)


def test_lineage_report_cache_is_per_execution(demo_account):
    """Each run rewrites the report at the same path: a cache keyed by path would show
    one execution's report for another."""
    import json

    bucket, key = "my-mlops-dev2-v2-main-data", "abalone/evaluation/evaluation.json"
    s3 = demo_account.client("s3", REGION)
    original = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    service = make_demo_service()
    previous = executions(demo_account, "mlops-pipeline")[-2]

    def mse(response):
        return node(response, "Evaluate")["run"]["reports"]["EvaluationReport"][
            "regression_metrics"
        ]["mse"]["value"]

    try:
        # GIVEN the previous execution's report was read (and cached) ...
        assert mse(lineage(service, pipeline="mlops-pipeline", executionArn=previous)) == 4.316
        # ... WHEN a newer run writes the same path
        s3.put_object(
            Bucket=bucket, Key=key, Body=json.dumps({"regression_metrics": {"mse": {"value": 9.9}}})
        )
        # THEN the latest execution shows what is there now, and the previous one keeps its own
        assert mse(lineage(service, pipeline="mlops-pipeline")) == 9.9
        assert mse(lineage(service, pipeline="mlops-pipeline", executionArn=previous)) == 4.316
    finally:
        s3.put_object(Bucket=bucket, Key=key, Body=original)


def test_list_executions_newest_first(demo_service, demo_account):
    from sagemaker_lineage_ext.core import parse_executions_request

    listing = demo_service.list_executions(
        parse_executions_request({"pipeline": "mlops-pipeline", "limit": "2"}, demo_service.config)
    )
    assert [e["arn"] for e in listing["executions"]] == executions(demo_account, "mlops-pipeline")[
        ::-1
    ][:2]


def test_list_executions_refuses_a_pipeline_arn_of_another_account(demo_service):
    from sagemaker_lineage_ext.core import parse_executions_request

    arn = f"arn:aws:sagemaker:{REGION}:999999999999:pipeline/mlops-pipeline"
    with pytest.raises(NotFoundError) as caught:
        demo_service.list_executions(
            parse_executions_request({"pipeline": arn}, demo_service.config)
        )
    assert caught.value.detail == f"{arn} is not in this account"
