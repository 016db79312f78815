"""Header, legend and detail-pane HTML (no widgets)."""

from __future__ import annotations

from tests_support import demo_run_name

from sagemaker_lineage_ext.widget.panes import (
    artifact_detail_html,
    graph_css,
    legend_html,
    step_detail_html,
    summary_html,
)

EVIL = '<img src=x onerror="alert(1)">'


def test_summary_html_shows_status_counts_elapsed_and_last_scanned(responses):
    html = summary_html(responses["mlops-pipeline"])
    assert "mlops-pipeline" in html and demo_run_name("nightly", 3) in html
    assert ">Succeeded</span> 6" in html and ">NotStarted</span> 1" in html
    assert "10 min 36 s" in html
    last = responses["mlops-pipeline"]["summary"]["lastScanned"]
    assert f"{last[:10]} {last[11:19]} UTC" in html
    assert "warning" not in html


def test_summary_html_lists_warnings_and_failure(responses):
    html = summary_html(responses["fraud-detection-pipeline"])
    assert "5 warnings about s3://mlops-restricted-audit-logs" in html  # one bucket: say which
    assert "s3:GetEncryptionConfiguration" in html
    # the failed step's own reason, as the side panel shows it, not SageMaker's
    # "Step failure: One or multiple steps failed."
    assert (
        "<b>CheckDataQuality</b> failed: ClientError: Access Denied (403) writing the "
        "data-quality report to s3://mlops-restricted-audit-logs/fraud/data-quality/reports: "
        "the execution role lacks s3:PutObject"
    ) in html
    assert "One or multiple steps failed" not in html


def test_summary_html_without_execution_says_so(responses):
    html = summary_html(responses["mlops-pipeline/no-exec"])
    assert "NotExecuted" in html and "no execution read" in html


def test_step_detail_html_shows_training_run(responses):
    html = step_detail_html(responses["mlops-pipeline"], "Train")
    run = next(n for n in responses["mlops-pipeline"]["graph"]["nodes"] if n["id"] == "Train")[
        "run"
    ]
    assert run["jobArn"] in html
    assert "validation:rmse" in html and "2.078" in html
    assert "6 min 11 s" in html
    assert "cache hit</td><td>no" in html
    assert "model_artifacts" in html  # its output


def test_step_detail_html_shows_cache_registry_condition_and_reports(responses):
    mlops = responses["mlops-pipeline"]
    assert "cache hit</td><td>yes — from" in step_detail_html(mlops, "Preprocess")
    register = step_detail_html(mlops, "RegisterAbalone-RegisterModel")
    assert "abalone-models" in register and "v2" in register and "PendingManualApproval" in register
    check = step_detail_html(mlops, "CheckMSE")
    assert ">True</span>" in check and "4.316 LessThanOrEqualTo 6.0" in check
    assert "regression_metrics" in step_detail_html(mlops, "Evaluate")
    assert "in the <b>else</b> branch of CheckMSE" in step_detail_html(mlops, "MSEFail")


def test_step_detail_html_shows_failure_reason(responses):
    html = step_detail_html(responses["fraud-detection-pipeline"], "CheckDataQuality")
    assert 'class="lineage-failure"' in html
    assert "the execution role lacks s3:PutObject" in html


def test_step_detail_html_badges_posture_problems(responses):
    churn = step_detail_html(responses["churn-pipeline"], "PreprocessChurnData")
    # unencrypted and public: solid red badges, and the artifact marked as a problem
    assert "background:#c62828;color:#fff" in churn
    assert "encryption: None" in churn and "public access: NotBlocked" in churn
    assert "lineage-posture-bad" in churn
    fraud = step_detail_html(responses["fraud-detection-pipeline"], "CheckDataQuality")
    assert "encryption: Unknown" in fraud and "tags: Unknown" in fraud
    mlops = step_detail_html(responses["mlops-pipeline"], "Train")
    assert (
        "encryption: aws:kms" in mlops
        and "versioning: Enabled" in mlops
        and "public access: Blocked" in mlops
    )
    assert "Project=<i>abalone</i>" in mlops


def test_step_detail_html_without_execution(responses):
    html = step_detail_html(responses["mlops-pipeline/no-exec"], "Preprocess")
    assert "No execution read" in html
    assert "resolved at run time" in html  # the output under {Execution.PipelineExecutionId}


def test_step_detail_html_escapes_what_aws_returns(responses):
    response = responses["mlops-pipeline"]
    node = next(n for n in response["graph"]["nodes"] if n["id"] == "Train")
    node["id"] = EVIL
    node["run"]["failureReason"] = EVIL
    node["run"]["metrics"] = {EVIL: 1}
    response["graph"]["artifacts"][2]["s3"]["tags"] = {EVIL: EVIL}
    response["pipeline"]["name"] = EVIL
    response["warnings"] = [{"code": "X", "target": EVIL, "message": EVIL}]
    html = step_detail_html(response, EVIL) + summary_html(response)
    assert "<img" not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html


def test_step_detail_html_unknown_step(responses):
    assert "No step named <b>&lt;x&gt;</b>" in step_detail_html(responses["mlops-pipeline"], "<x>")


def test_artifact_detail_html_shows_producers_consumers_and_posture(responses):
    html = artifact_detail_html(responses["mlops-pipeline"], 6)
    assert "produced by</td><td>Train" in html
    assert "Evaluate, RegisterAbalone-RegisterModel, CreateAbaloneModel-CreateModel" in html
    assert "PublicAccessPartiallyBlocked, VersioningOff" in html
    assert "No artifact 99" in artifact_detail_html(responses["mlops-pipeline"], 99)


def test_legend_html_names_every_status_and_edge_style():
    html = legend_html()
    for word in (
        "Succeeded",
        "Executing",
        "Failed",
        "Stopped",
        "NotStarted",
        "no run",
        "dependsOn",
        "ref:Get",
        "condition:if",
        "condition:else",
        "artifact",
    ):
        assert word in html
    assert 'stroke-dasharray="4 3"' in html  # dependsOn dashed


def test_graph_css_sets_height_on_scoped_custom_widget():
    css = graph_css("sagemaker-lineage-abc", 560)
    assert css.startswith("<style>.sagemaker-lineage-abc.custom-widget {")
    assert "height: 560px" in css


def test_step_detail_html_without_s3_metadata(responses):
    response = responses["mlops-pipeline"]
    for artifact in response["graph"]["artifacts"]:
        artifact["s3"] = None  # ENABLE_S3_META=false
    html = step_detail_html(response, "Train")
    assert "posture not read" in html and "encryption:" not in html
    assert "posture not read" in artifact_detail_html(response, 6)


def test_summary_html_counts_the_resources_warnings_are_about(responses):
    response = dict(responses["fraud-detection-pipeline"])
    response["warnings"] = [
        {"code": "AccessDenied", "target": "s3://a", "message": "m"},
        {"code": "Timeout", "target": "request", "message": "m"},
    ]
    assert "2 warnings about s3://a<" in summary_html(response)  # the request is no resource
    response["warnings"].append({"code": "AccessDenied", "target": "s3://b", "message": "m"})
    assert "3 warnings about 2 resources" in summary_html(response)


def test_summary_html_says_demo_account_or_the_region(responses):
    demo = responses["mlops-pipeline"]
    assert demo["demo"] is True
    assert "demo account" in summary_html(demo)
    real = {k: v for k, v in demo.items() if k != "demo"}
    html = summary_html(real)
    assert "demo account" not in html
    assert f"<small>{demo['pipeline']['region']}</small>" in html
