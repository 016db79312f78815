"""``%lineage --check``, ``--openlineage`` and the result's exports, in a bare IPython shell.

GIVEN the magic on the demo account, WHEN a user runs the posture gate, asks for the
OpenLineage events or exports the graph, THEN the results carry the same answers as the
REST API, and mistakes are one line naming the magic's options.
"""

from __future__ import annotations

import pytest
from IPython.core.interactiveshell import InteractiveShell
from tests_support import demo_run_name

from sagemaker_lineage_ext.kit.account import Account
from sagemaker_lineage_ext.magic import LineageMagics
from sagemaker_lineage_ext.result import CheckReport, OpenLineageEvents


@pytest.fixture
def shell(demo_service):
    ip = InteractiveShell.instance()
    ip.extension_manager.load_extension("sagemaker_lineage_ext")
    LineageMagics.account = Account.of(demo_service)
    yield ip
    LineageMagics.account = None


def error_line(shell, capsys, line: str) -> str:
    result = shell.run_cell(line)
    err = [x for x in capsys.readouterr().err.splitlines() if x.strip()]
    assert not result.success and len(err) == 1 and "Traceback" not in err[0]
    return err[0]


def test_magic_check_returns_the_gate_report(shell, validate_against, tmp_path):
    report = shell.run_line_magic("lineage", "mlops-pipeline --check")
    assert isinstance(report, CheckReport) and report.passed is False
    validate_against("check-response.schema.json", report.to_dict())
    assert repr(report).startswith(
        f"mlops-pipeline, execution {demo_run_name('nightly', 3)} (Succeeded): FAILED"
    )
    assert "border-left:4px solid #c62828" in report._repr_html_()
    assert report.to_sarif()["version"] == "2.1.0"
    assert report.to_junit().startswith('<?xml version="1.0" encoding="utf-8"?>\n<testsuites')
    policy = tmp_path / "p.toml"
    policy.write_text(
        '[[exceptions]]\nbucket = "sagemaker-*"\nreason = "platform bucket"\n', "utf-8"
    )
    excepted = shell.run_line_magic("lineage", f"mlops-pipeline --check --policy {policy}")
    assert excepted.passed is True and excepted.to_dict()["counts"]["excepted"] == 4


def test_magic_check_allow_unknown(shell):
    report = shell.run_line_magic("lineage", "fraud-detection-pipeline --check --allow-unknown")
    assert report.to_dict()["policy"]["unknown"] == "allow"


def test_magic_openlineage_returns_the_events(shell, validate_against):
    events = shell.run_line_magic("lineage", "mlops-pipeline --openlineage")
    assert isinstance(events, OpenLineageEvents)
    validate_against("openlineage-response.schema.json", events.to_dict())
    assert events.rows()[0]["eventType"] == "START" and events.rows()[0]["job"] == "mlops-pipeline"
    assert "<caption>14 OpenLineage events of arn:aws:sagemaker:" in events._repr_html_()


def test_magic_result_exports_mermaid_dot_and_risks(shell):
    result = shell.run_line_magic("lineage", "mlops-pipeline")
    assert result.to_mermaid().startswith('---\ntitle: "mlops-pipeline · Succeeded')
    assert "model.tar.gz" in result.to_mermaid(artifacts=True)
    assert result.to_dot().startswith("digraph lineage {")
    assert [r["artifactId"] for r in result.risks] == [2, 6, 8]


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ("mlops-pipeline --policy p.toml", "UsageError: --policy goes with --check"),
        ("mlops-pipeline --allow-unknown", "UsageError: --allow-unknown goes with --check"),
        (
            "--list --allow-unknown",
            "UsageError: --list takes only --region, --domain, --prefix; not --allow-unknown",
        ),
        (
            "mlops-pipeline --openlineage --json",
            "UsageError: --openlineage takes only pipeline, --region, --execution-arn, --domain; not --json",
        ),
        (
            "mlops-pipeline --check --policy /no/such.toml",
            "UsageError: --policy file not found: /no/such.toml",
        ),
        (
            "mlops-pipeline --check --execution-arn x",
            "UsageError: --execution-arn is not a SageMaker pipeline execution ARN",
        ),
    ],
)
def test_magic_feature_mistakes_are_one_line(shell, capsys, line, says):
    assert error_line(shell, capsys, f"%lineage {line}") == says
