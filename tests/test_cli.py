"""The ``sagemaker-lineage`` command: output, exit codes, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sagemaker_lineage_ext.cli import run

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "definitions"


def test_cli_dump_demo_writes_spec_json(demo_account, tmp_path, validate_lineage, capsys):
    out = tmp_path / "lineage.json"
    code = run(["dump", "--demo", "--pipeline-name", "mlops-pipeline", "--out", str(out)])
    assert code == 0
    response = validate_lineage(json.loads(out.read_text()))
    assert response["pipeline"]["name"] == "mlops-pipeline"
    assert response["summary"]["overallStatus"] == "Succeeded"
    assert capsys.readouterr().out == "", "--out writes the file, not stdout"


def test_cli_dump_to_stdout_without_execution(demo_account, capsys, validate_lineage):
    code = run(
        ["dump", "--demo", "--pipeline", "churn-pipeline", "--no-include-latest-exec", "--compact"]
    )
    captured = capsys.readouterr()
    assert code == 0
    response = validate_lineage(json.loads(captured.out))
    assert response["execution"] is None and response["demo"] is True
    # no progress when stderr is not a terminal; the demo account is named once
    assert captured.err == "sagemaker-lineage: reading the embedded demo account, not AWS\n"


@pytest.mark.parametrize(
    ("argv", "exit_code", "message"),
    [
        (
            ["dump", "--demo", "--pipeline-name", "bad name!"],
            2,
            "--pipeline-name must be a SageMaker pipeline name",
        ),
        (
            ["dump", "--demo", "--pipeline-name", "mlops-pipeline", "--region", "moon-1"],
            2,
            "--region is not a valid",
        ),
        (
            ["dump", "--demo", "--pipeline-name", "mlops-pipeline", "--execution-arn", "arn:nope"],
            2,
            "--execution-arn is not a SageMaker pipeline execution ARN",
        ),
        (
            ["dump", "--demo", "--pipeline-name", "no-such-pipeline"],
            3,
            "pipeline not found or domain filter mismatched: no pipeline named 'no-such-pipeline' in ap-northeast-2",
        ),
        (
            [
                "dump",
                "--demo",
                "--pipeline-name",
                "mlops-pipeline",
                "--no-include-latest-exec",
                "--execution-arn",
                "arn:aws:sagemaker:ap-northeast-2:123456789012:pipeline/mlops-pipeline/execution/abc",
            ],
            2,
            "--execution-arn cannot be combined with --no-include-latest-exec",
        ),
        (
            ["executions", "--demo", "--pipeline-name", "mlops-pipeline", "--limit", "0"],
            2,
            "--limit must be",
        ),
        (["graph", "--definition", "/"], 2, "--definition is a directory"),
        (
            ["compare", "--demo", "--pipeline-name", "mlops-pipeline", "--base", "arn:nope"],
            2,
            "--base is not a SageMaker pipeline execution ARN",
        ),
        (
            ["compare", "--demo", "--pipeline-name", "fraud-detection-pipeline"],
            3,
            "pipeline not found or domain filter mismatched: pipeline 'fraud-detection-pipeline' "
            "has only one execution: a comparison needs two",
        ),
        (["artifact", "--demo"], 2, "URI is required"),
        (["artifact", "--demo", "my-bucket/features"], 2, "URI must be an S3 URI or prefix"),
        (
            ["dump", "--demo", "--pipeline-name", "mlops-pipeline", "--domain", "other"],
            3,
            "domain filter",
        ),
        (["list", "--demo", "--prefix", "bad prefix"], 2, "--prefix must contain only"),
    ],
)
def test_cli_errors_are_one_line_with_exit_code(demo_account, capsys, argv, exit_code, message):
    code = run(argv)
    lines = capsys.readouterr().err.splitlines()
    assert code == exit_code
    # one line for the error (after the demo account's notice, once it has started)
    assert message in lines[-1] and "Traceback" not in lines[-1]
    assert lines[:-1] in ([], ["sagemaker-lineage: reading the embedded demo account, not AWS"])


def test_cli_graph_needs_no_aws(tmp_path, capsys, validate_lineage):
    code = run(["graph", "--definition", str(FIXTURES / "nested-conditions.json")])
    response = validate_lineage(json.loads(capsys.readouterr().out))
    assert code == 0
    assert response["pipeline"] is None
    assert response["summary"]["stepCount"] == 13
    assert {e["via"] for e in response["graph"]["edges"]} >= {"condition:if", "condition:else"}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "definition is not valid JSON"),
        ('{"Version": "2020-12-01"}', "definition has no Steps"),
    ],
)
def test_cli_graph_rejects_malformed_definition(tmp_path, capsys, content, message):
    path = tmp_path / "definition.json"
    path.write_text(content)
    assert run(["graph", "--definition", str(path)]) == 2
    # named as the user typed it, like every other option
    assert capsys.readouterr().err.startswith(f"sagemaker-lineage: --{message}")


def test_cli_graph_missing_file(capsys):
    assert run(["graph", "--definition", "/no/such/file.json"]) == 2
    assert "file not found" in capsys.readouterr().err


def test_cli_list_demo(demo_account, capsys, validate_listing):
    assert run(["list", "--demo", "--domain", "mlops-studio"]) == 0
    listing = validate_listing(json.loads(capsys.readouterr().out))
    assert [p["name"] for p in listing["pipelines"]] == ["mlops-pipeline"]


def test_cli_console_script_runs_in_a_fresh_process(tmp_path):
    """The installed ``sagemaker-lineage`` entry point, end to end, in its own process."""
    script = Path(sys.executable).parent / "sagemaker-lineage"
    assert script.exists(), "the package is installed with its console script (./run does it)"
    out = subprocess.run(
        [str(script), "dump", "--demo", "--pipeline-name", "mlops-pipeline"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["graph"]["nodes"][0]["id"] == "Preprocess"


def test_cli_invalid_input_fails_before_any_aws_or_demo_start():
    """Validation runs first: a fresh process answers a typo without seeding moto."""
    code = (
        "import sys\n"
        "from sagemaker_lineage_ext.cli import run\n"
        "rc = run(['dump', '--demo', '--pipeline-name', 'bad name!'])\n"
        "assert 'moto' not in sys.modules, 'the demo account was started'\n"
        "sys.exit(rc)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 2, out.stderr
    assert out.stderr.startswith("sagemaker-lineage: --pipeline-name must be a SageMaker")


def test_cli_executions_lists_newest_first(demo_account, capsys):
    assert run(["executions", "--demo", "--pipeline-name", "mlops-pipeline"]) == 0
    listing = json.loads(capsys.readouterr().out)
    statuses = [e["status"] for e in listing["executions"]]
    assert statuses == ["Succeeded", "Succeeded", "Failed"]
    starts = [e["startTime"] for e in listing["executions"]]
    assert starts == sorted(starts, reverse=True)
    assert (
        listing["executions"][-1]["failureReason"] == "Step failure: One or multiple steps failed."
    )


def without_credentials(home, **extra):
    """An environment in which boto3 finds no AWS credentials at all."""
    return {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "AWS_CONFIG_FILE": str(home / "none"),
        "AWS_SHARED_CREDENTIALS_FILE": str(home / "none"),
        "AWS_EC2_METADATA_DISABLED": "true",
        **extra,
    }


def test_cli_without_credentials_says_it_reads_the_demo_account(tmp_path):
    """No credentials anywhere: the demo is used, and stderr says so (fake data never passes for real)."""
    env = without_credentials(tmp_path)
    out = subprocess.run(
        [sys.executable, "-m", "sagemaker_lineage_ext.cli", "list", "--compact"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert out.returncode == 0, out.stderr
    assert out.stderr == (
        "sagemaker-lineage: reading the embedded demo account, not AWS (no AWS credentials "
        "found; set SAGEMAKER_LINEAGE_DEMO=0 to refuse it, or configure AWS credentials "
        "(aws configure, AWS_PROFILE, or a role))\n"
    )
    assert "mlops-pipeline" in out.stdout


def test_cli_demo_in_another_default_region_says_where_its_pipelines_are(
    demo_account, capsys, monkeypatch
):
    """AWS_REGION moves the default region for the demo account too (issue 8); an empty
    answer must not leave the user guessing why."""
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    assert run(["list", "--demo", "--compact"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["region"] == "eu-west-1"
    assert captured.err == (
        "sagemaker-lineage: reading the embedded demo account, not AWS; its pipelines are in "
        "ap-northeast-2, and a read without a region reads eu-west-1 "
        "(set DEFAULT_REGION=ap-northeast-2)\n"
    )


def test_cli_demo_refused_without_credentials_is_a_clear_error(tmp_path):
    env = without_credentials(tmp_path, SAGEMAKER_LINEAGE_DEMO="0")
    out = subprocess.run(
        [sys.executable, "-m", "sagemaker_lineage_ext.cli", "list"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert out.returncode == 1
    assert out.stderr.strip() == (
        "sagemaker-lineage: no AWS credentials found; configure AWS credentials (aws configure, "
        "AWS_PROFILE, or a role), or read the demo account (SAGEMAKER_LINEAGE_DEMO=1)"
    )


def test_cli_compare_demo_answers_the_latest_two(demo_account, capsys, validate_against):
    assert run(["compare", "--demo", "--pipeline-name", "mlops-pipeline", "--compact"]) == 0
    answer = validate_against("compare-response.schema.json", json.loads(capsys.readouterr().out))
    assert answer["head"]["displayName"] == "nightly-2026-11-26"
    assert answer["base"]["displayName"] == "nightly-2026-11-25"
    assert answer["summary"]["parametersChanged"] == ["TrainingInstanceType"]


def test_cli_compare_named_executions(demo_account, capsys):
    assert run(["executions", "--demo", "--pipeline-name", "mlops-pipeline", "--compact"]) == 0
    latest, _, oldest = (e["arn"] for e in json.loads(capsys.readouterr().out)["executions"])
    argv = ["compare", "--demo", "--pipeline", "mlops-pipeline", "--base", oldest, "--head", latest]
    assert run(argv) == 0
    answer = json.loads(capsys.readouterr().out)
    assert (answer["base"]["arn"], answer["head"]["arn"]) == (oldest, latest)
    assert answer["summary"]["newlyPassing"][0] == "Train"


def test_cli_artifact_takes_the_uri_as_its_argument(demo_account, capsys, validate_against):
    uri = "s3://my-mlops-dev2-v2-main-data/features/customers/train"
    assert run(["artifact", "--demo", uri, "--compact"]) == 0
    answer = validate_against("artifact-response.schema.json", json.loads(capsys.readouterr().out))
    assert [u["pipeline"] for u in answer["producers"]] == ["customer-features-pipeline"]
    assert [u["pipeline"] for u in answer["consumers"]] == ["customer-ltv-pipeline"]


def test_cli_dump_include_cross_pipeline(demo_account, capsys, validate_lineage):
    argv = [
        "dump",
        "--demo",
        "--pipeline-name",
        "customer-ltv-pipeline",
        "--include-cross-pipeline",
    ]
    assert run([*argv, "--compact"]) == 0
    answer = validate_lineage(json.loads(capsys.readouterr().out))
    linked = [a for a in answer["graph"]["artifacts"] if a["upstreamPipelines"]]
    assert {u["pipeline"] for a in linked for u in a["upstreamPipelines"]} == {
        "customer-features-pipeline"
    }
