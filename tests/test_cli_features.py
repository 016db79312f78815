"""The CLI's posture gate and exports, as a CI job and a user run them.

GIVEN the demo account, WHEN ``sagemaker-lineage check`` runs with and without a policy
file in each format, THEN it exits 1 exactly when the gate fails (2 for a bad policy or
option), and each format is what its reader takes; WHEN ``dump``/``graph`` run with
``--format mermaid|dot``, THEN the drawing of the answer comes out (tests/render draws it).
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from tests_support import demo_run_name

from sagemaker_lineage_ext.cli import run

POLICY = """
# The demo's SageMaker default bucket is accepted for code and models, with reasons.
[rules]
unknown = "allow"

[[exceptions]]
bucket = "sagemaker-*"
prefix = "mlops-pipeline/"
rules = ["public-access", "versioning"]
reason = "SageMaker's default bucket: code and model artifacts, managed by the platform team"
"""


def test_cli_check_fails_the_default_policy_with_exit_1(demo_account, capsys):
    assert run(["check", "--demo", "--pipeline-name", "mlops-pipeline"]) == 1
    out = capsys.readouterr().out
    nightly = demo_run_name("nightly", 3)
    assert out.startswith(f"mlops-pipeline, execution {nightly} (Succeeded): FAILED\n")
    # Train's Debugger/Profiler output is one of them too (issue 10: every URI a step names)
    assert "  10 artifacts: 6 pass, 4 fail, 0 unknown, 0 excepted" in out


def test_cli_check_passes_with_the_exceptions_of_a_policy_file(demo_account, capsys, tmp_path):
    policy = tmp_path / "posture.toml"
    policy.write_text(POLICY, "utf-8")
    argv = ["check", "--demo", "--pipeline-name", "mlops-pipeline", "--policy", str(policy)]
    assert run([*argv, "--format", "json", "--compact"]) == 0
    body = json.loads(capsys.readouterr().out)
    assert body["passed"] is True and body["counts"]["excepted"] == 4
    assert body["policy"]["source"] == str(policy) and body["risks"] == []


def test_cli_check_unknown_fails_unless_allowed(demo_account, capsys):
    argv = ["check", "--demo", "--pipeline-name", "fraud-detection-pipeline", "--format", "json"]
    assert run(argv) == 1
    counted = json.loads(capsys.readouterr().out)
    assert counted["counts"]["unknown"] == 5 and counted["policy"]["unknown"] == "fail"
    assert run([*argv, "--allow-unknown"]) == 1  # still 2 real failures
    allowed = json.loads(capsys.readouterr().out)
    assert allowed["policy"]["unknown"] == "allow" and allowed["counts"]["failed"] == 2


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("[rules]\nencryption = 1\n", "rules.encryption must be true or false"),
        ("[[exceptions]]\nbucket = 'b'\n", "exception 1 (b) needs a reason"),
        ("not toml at all", "is not TOML"),
    ],
)
def test_cli_check_bad_policy_is_exit_2_naming_the_file(demo_account, capsys, tmp_path, text, says):
    policy = tmp_path / "bad.toml"
    policy.write_text(text, "utf-8")
    assert (
        run(["check", "--demo", "--pipeline-name", "mlops-pipeline", "--policy", str(policy)]) == 2
    )
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert err.startswith(f"sagemaker-lineage: --policy {policy}: ") and says in err


def test_cli_check_missing_policy_file_is_exit_2(demo_account, capsys, tmp_path):
    missing = tmp_path / "nope.toml"
    assert (
        run(["check", "--demo", "--pipeline-name", "mlops-pipeline", "--policy", str(missing)]) == 2
    )
    assert capsys.readouterr().err.strip().endswith(f"--policy file not found: {missing}")


def test_cli_check_sarif_and_junit_go_to_files_for_ci(demo_account, tmp_path, capsys):
    sarif, junit = tmp_path / "posture.sarif", tmp_path / "posture.xml"
    base = ["check", "--demo", "--pipeline-name", "mlops-pipeline"]
    assert run([*base, "--format", "sarif", "--out", str(sarif)]) == 1
    assert run([*base, "--format", "junit", "--out", str(junit)]) == 1
    assert capsys.readouterr().out == ""
    document = json.loads(sarif.read_text("utf-8"))
    assert document["version"] == "2.1.0" and len(document["runs"][0]["results"]) == 8
    import junitparser

    (suite,) = list(junitparser.JUnitXml.fromfile(str(junit)))
    assert (suite.tests, suite.failures) == (30, 8)


def test_cli_check_bad_input_is_named_as_the_cli_spells_it(demo_account, capsys):
    assert (
        run(["check", "--demo", "--pipeline-name", "mlops-pipeline", "--execution-arn", "x"]) == 2
    )
    assert (
        capsys.readouterr()
        .err.strip()
        .endswith("--execution-arn is not a SageMaker pipeline execution ARN")
    )
    assert run(["check", "--demo", "--pipeline-name", "no-such-pipeline"]) == 3


@pytest.mark.parametrize(
    ("fmt", "start"), [("mermaid", "---\ntitle: "), ("dot", "digraph lineage {")]
)
def test_cli_dump_draws_mermaid_and_dot(demo_account, capsys, fmt, start):
    assert run(["dump", "--demo", "--pipeline-name", "mlops-pipeline", "--format", fmt]) == 0
    out = capsys.readouterr().out
    assert out.startswith(start) and "RegisterAbalone-RegisterModel" in out
    assert (
        run(["dump", "--demo", "--pipeline-name", "mlops-pipeline", "--format", fmt, "--artifacts"])
        == 0
    )
    assert "model.tar.gz" in capsys.readouterr().out


def test_cli_graph_draws_a_definition_file_without_aws(tmp_path):
    from pathlib import Path

    definition = (
        Path(__file__).resolve().parents[1]
        / "sagemaker_lineage_ext" / "demo" / "definitions" / "mlops-pipeline.json"
    )  # fmt: skip
    out = subprocess.run(
        [sys.executable, "-m", "sagemaker_lineage_ext.cli", "graph", "--definition", str(definition),
         "--format", "dot"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith(
        'digraph lineage {\n  graph [rankdir=LR, label="pipeline definition"'
    )


def test_cli_check_with_the_documented_policy_passes_mlops(demo_account, capsys):
    """docs/posture-policy.toml, the README's example, is a valid policy that does what it says."""
    from pathlib import Path

    policy = Path(__file__).resolve().parents[1] / "docs" / "posture-policy.toml"
    argv = ["check", "--demo", "--pipeline-name", "mlops-pipeline", "--policy", str(policy)]
    assert run([*argv, "--format", "json", "--compact"]) == 0
    body = json.loads(capsys.readouterr().out)
    assert body["counts"] == {
        "artifacts": 10,
        "passed": 6,
        "failed": 0,
        "unknown": 0,
        "excepted": 4,
    }
    assert (
        run(
            [
                "check",
                "--demo",
                "--pipeline-name",
                "fraud-detection-pipeline",
                "--policy",
                str(policy),
            ]
        )
        == 1
    )
