"""The ``sagemaker-lineage`` command: output, exit codes, one-line errors."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tests_support import demo_run_name

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


@pytest.mark.parametrize(
    ("command", "out", "says"),
    [
        ("dump", "missing/lineage.json", "--out names a folder that does not exist: "),
        ("check", ".", "--out is a folder, not a file: "),
        ("graph", "missing/graph.dot", "--out names a folder that does not exist: "),
    ],
)
def test_cli_out_that_cannot_be_written_is_exit_2_before_anything_is_read(
    demo_account, tmp_path, capsys, command, out, says
):
    # GIVEN --out in a folder that does not exist, or a folder: a mistake in the command
    # line, found before the reads (a 1000-step read is not thrown away at the end)
    target = str(tmp_path / out)
    source = (["--definition", str(FIXTURES / "nested-conditions.json")] if command == "graph"
              else ["--demo", "--pipeline-name", "mlops-pipeline"])  # fmt: skip
    assert run([command, *source, "--out", target]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"sagemaker-lineage: {says}{target}"]


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
            "sagemaker-lineage: pipeline 'fraud-detection-pipeline' "
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


# -- graph: what a definition holds never breaks it, and its problems are said ------------


def graph_of(data: bytes) -> subprocess.CompletedProcess:
    """``python -m sagemaker_lineage_ext graph --definition -`` on ``data`` (stdin bytes),
    in its own process: real stdin, stdout and stderr encodings, real exit code."""
    return subprocess.run(
        [sys.executable, "-m", "sagemaker_lineage_ext", "graph", "--definition", "-"],
        input=data,
        capture_output=True,
        timeout=60,
    )


def definition(*steps: dict) -> dict:
    return {"Version": "2020-12-01", "Steps": list(steps)}


def test_cli_graph_prints_why_a_definition_would_be_rejected_and_exits_2(validate_lineage):
    # GIVEN two steps that depend on each other, one referring to a step that is not there
    document = definition(
        {"Name": "A", "Type": "Fail", "DependsOn": ["B"], "Arguments": {}},
        {"Name": "B", "Type": "Fail", "DependsOn": ["A", "Ghost"], "Arguments": {}},
    )
    out = graph_of(json.dumps(document).encode())
    # THEN the graph is still written, each warning is one line on stderr, and the exit
    # code says the definition is one SageMaker would reject
    assert out.returncode == 2
    validate_lineage(json.loads(out.stdout))
    lines = out.stderr.decode().splitlines()
    assert any(
        line.startswith("sagemaker-lineage: warning DependencyCycle (A): ") for line in lines
    )
    assert any("warning UnknownStepReference (B): step B refers to Ghost" in line for line in lines)


def test_cli_graph_other_warnings_are_printed_with_exit_0():
    out = graph_of(json.dumps(definition({"Name": "A", "Type": "Brand:New"})).encode())
    assert out.returncode == 0
    assert out.stderr.decode().startswith("sagemaker-lineage: warning UnknownStepType (A): ")


def test_cli_graph_reads_a_definition_with_a_utf8_bom(tmp_path, capsys, validate_lineage):
    path = tmp_path / "definition.json"
    path.write_bytes(
        b"\xef\xbb\xbf" + json.dumps(definition({"Name": "A", "Type": "Fail"})).encode()
    )
    assert run(["graph", "--definition", str(path)]) == 0
    assert validate_lineage(json.loads(capsys.readouterr().out))["summary"]["stepCount"] == 1


def test_cli_graph_input_that_is_not_utf8_is_exit_2_naming_the_option():
    out = graph_of('{"Steps": [{"Name": "café", "Type": "Fail"}]}'.encode("latin-1"))
    assert out.returncode == 2
    assert out.stderr.decode() == "sagemaker-lineage: --definition is not UTF-8 text\n"


def test_cli_graph_lone_surrogate_is_replaced_and_said(validate_lineage):
    # GIVEN a definition whose JSON escapes a lone surrogate (valid JSON, not Unicode)
    text = '{"Steps": [{"Name": "A", "Type": "Fail", "Description": "half \\ud800 a pair"}]}'
    out = graph_of(text.encode())
    assert out.returncode == 0, out.stderr
    response = validate_lineage(json.loads(out.stdout))
    assert response["graph"]["nodes"][0]["description"] == "half \ufffd a pair"
    assert [w["code"] for w in response["warnings"]] == ["InvalidText"]


def test_cli_graph_number_longer_than_python_converts_is_null_and_said(validate_lineage):
    text = '{"Parameters": [{"Name": "N", "Type": "Integer", "DefaultValue": %s}],' % ("9" * 4301)
    text += ' "Steps": [{"Name": "A", "Type": "Fail"}]}'
    out = graph_of(text.encode())
    assert out.returncode == 0, out.stderr
    response = validate_lineage(json.loads(out.stdout))
    assert [w["code"] for w in response["warnings"]] == ["NonFiniteNumber"]


@pytest.mark.parametrize("value", [{"a": 1}, [1, 2], 3, True])
def test_cli_graph_display_name_and_description_of_any_json_type(value, validate_lineage):
    step = {"Name": "A", "Type": "Fail", "DisplayName": value, "Description": value}
    out = graph_of(json.dumps(definition(step)).encode())
    response = validate_lineage(json.loads(out.stdout))
    node = response["graph"]["nodes"][0]
    assert (node["displayName"], node["description"]) == ("A", None)
    assert [w["code"] for w in response["warnings"]] == ["InvalidDefinitionValue"] * 2


def test_cli_output_never_carries_terminal_control_characters(tmp_path):
    # GIVEN text holding C1 controls (U+009B is a one-byte CSI) and a bidi override
    step = {"Name": "A", "Type": "Brand\u009b31mNew", "Description": "x\u009b2Jy\u202ez"}
    out = graph_of(json.dumps(definition(step), ensure_ascii=False).encode())
    # THEN neither stdout (JSON) nor stderr (the warning names the type) carries them raw
    for stream in (out.stdout.decode(), out.stderr.decode()):
        assert not any(0x7F <= ord(c) <= 0x9F or c == "\u202e" for c in stream), stream
    assert json.loads(out.stdout)["graph"]["nodes"][0]["description"] == "x\u009b2Jy\u202ez"
    assert "Brand\\x9b31mNew" in out.stderr.decode()


# -- an overall time limit, whatever AWS does -------------------------------------------


def test_cli_unresponsive_endpoint_ends_within_the_time_limit(tmp_path):
    # GIVEN an "AWS endpoint" that accepts connections and never answers
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(64)
        env = without_credentials(
            tmp_path,
            AWS_ACCESS_KEY_ID="AKIDEXAMPLE",
            AWS_SECRET_ACCESS_KEY="secret",
            AWS_ENDPOINT_URL=f"http://127.0.0.1:{silent.getsockname()[1]}",
            SAGEMAKER_LINEAGE_DEMO="0",
            REQUEST_TIMEOUT_S="2",
            **({"PYTHONPATH": os.environ["PYTHONPATH"]} if "PYTHONPATH" in os.environ else {}),
        )
        started = time.monotonic()
        out = subprocess.run(
            [sys.executable, "-m", "sagemaker_lineage_ext", "dump", "--pipeline-name", "p",
             "--region", "us-east-1"],
            capture_output=True, text=True, timeout=60, env=env,
        )  # fmt: skip
    # THEN the command gives up at its time limit, with one line, and exits at once
    # (botocore alone would wait 60 s per attempt, five attempts)
    assert out.returncode == 1, out.stderr
    assert out.stderr == "sagemaker-lineage: timed out reading the pipeline; try again\n"
    assert time.monotonic() - started < 30


def test_cli_slow_reads_end_at_the_time_limit(demo_account, capsys, monkeypatch):
    import sagemaker_lineage_ext.demo as demo

    real = demo.demo_service
    monkeypatch.setattr(demo, "demo_service", lambda config, _: real(config, 1500))
    monkeypatch.setenv("REQUEST_TIMEOUT_S", "1")
    assert run(["dump", "--demo", "--pipeline-name", "mlops-pipeline"]) == 1
    assert capsys.readouterr().err.endswith("timed out reading the pipeline; try again\n")


def test_cli_compare_demo_answers_the_latest_two(demo_account, capsys, validate_against):
    assert run(["compare", "--demo", "--pipeline-name", "mlops-pipeline", "--compact"]) == 0
    answer = validate_against("compare-response.schema.json", json.loads(capsys.readouterr().out))
    assert answer["head"]["displayName"] == demo_run_name("nightly", 3)
    assert answer["base"]["displayName"] == demo_run_name("nightly", 27)
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


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["dump", "--pipline-name", "x"],
         "sagemaker-lineage dump: error: unrecognized arguments: --pipline-name x "
         "(did you mean --pipeline-name?)"),
        (["list", "--regoin=eu-west-1"],
         "sagemaker-lineage list: error: unrecognized arguments: --regoin=eu-west-1 "
         "(did you mean --region?)"),
        (["executions", "--pipeline-name", "p", "surplus"],
         "sagemaker-lineage executions: error: unrecognized arguments: surplus"),
    ],
)  # fmt: skip
def test_cli_unknown_option_shows_the_subcommands_usage_and_the_nearest_option(capsys, argv, says):
    with pytest.raises(SystemExit) as caught:
        run(argv)
    err = capsys.readouterr().err
    assert caught.value.code == 2
    assert err.startswith(f"usage: sagemaker-lineage {argv[0]} ")  # not the top-level usage
    assert err.rstrip().splitlines()[-1] == says


@pytest.mark.parametrize("argv", [["list"], ["artifact", "s3://my-mlops-dev2-v2-main-data"]])
def test_cli_empty_listing_in_another_region_says_where_the_demo_pipelines_are(
    demo_account, capsys, argv
):
    # GIVEN the demo account read in a region where it has no pipelines
    assert run([*argv, "--demo", "--region", "eu-west-1", "--compact"]) == 0
    captured = capsys.readouterr()
    assert '"pipelines": []' in captured.out.replace('"pipelines":[]', '"pipelines": []')
    # THEN stderr says which region was read and where the pipelines are
    assert captured.err.splitlines()[-1] == (
        "sagemaker-lineage: no pipelines in eu-west-1: the demo account's pipelines are "
        "in ap-northeast-2 (--region ap-northeast-2)"
    )
    # and in their own region nothing more is said
    assert run([*argv, "--demo", "--region", "ap-northeast-2", "--compact"]) == 0
    assert "no pipelines" not in capsys.readouterr().err
