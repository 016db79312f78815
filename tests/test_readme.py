"""The README's "real output" blocks are what the real commands print on the demo account
(dates aside: the demo's times are relative to when it starts), and its lists of routes
and parameters are the tables'."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from sagemaker_lineage_ext.cli import run
from sagemaker_lineage_ext.core.errors import InvalidInputError
from sagemaker_lineage_ext.core.request import parse_list_request, spelling
from sagemaker_lineage_ext.core.routes import ROUTES
from sagemaker_lineage_ext.result import ArtifactUsage

README = (Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8")
CHECK = '$ sagemaker-lineage check --demo --pipeline-name mlops-pipeline; echo "exit $?"\n'
CHECK_POLICY = (
    "$ sagemaker-lineage check --demo --pipeline-name mlops-pipeline --policy "
    'docs/posture-policy.toml; echo "exit $?"\n'
)


def undated(text: str) -> str:
    """``text`` with its dates and times replaced (they follow the demo's epoch)."""
    text = re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", "<time>", text)
    return re.sub(r"\d{4}-\d\d-\d\d", "<date>", text)


def block(start: str, end: str = "```") -> str:
    i = README.index(start) + len(start)
    return README[i : README.index(end, i)]


def cli(capsys, *argv: str) -> str:
    run([*argv, "--demo"])
    return capsys.readouterr().out


@pytest.fixture(autouse=True)
def _demo_region(demo_account, monkeypatch):
    monkeypatch.setenv("DEFAULT_REGION", "ap-northeast-2")


def test_readme_mermaid_example_is_the_real_output(capsys):
    real = cli(capsys, "dump", "--pipeline-name", "mlops-pipeline", "--format", "mermaid")
    assert undated(block("```mermaid\n")) == undated(real)


def test_readme_check_examples_are_the_real_output(capsys):
    real = cli(capsys, "check", "--pipeline-name", "mlops-pipeline")
    assert undated(block(CHECK, "exit 1\n")) == undated(real)
    real = cli(
        capsys, "check", "--pipeline-name", "mlops-pipeline", "--policy", "docs/posture-policy.toml"
    )
    shown = block(CHECK_POLICY, "  ...\nexit 0\n")
    assert undated(shown) == undated("\n".join(real.splitlines()[:8]) + "\n")


def test_readme_artifact_example_is_the_real_output(capsys):
    real = cli(capsys, "artifact", "s3://my-mlops-dev2-v2-main-data/features/customers")
    shown = block(
        "as text; in a notebook it shows as an HTML table of the same rows):\n\n```text\n"
    )
    assert shown == repr(ArtifactUsage(json.loads(real))) + "\n"


def test_readme_abridged_dump_has_every_field_of_the_real_answer(capsys):
    real = json.loads(cli(capsys, "dump", "--pipeline-name", "mlops-pipeline"))
    shown = json.loads(block("node, three edges, one artifact and one risk path):\n\n```json\n"))

    def same_keys(a: dict, b: dict, where: str) -> None:
        assert a.keys() == b.keys(), where

    same_keys(shown, real, "answer")
    for part in ("pipeline", "execution", "summary"):
        same_keys(shown[part], real[part], part)
    assert shown["graph"].keys() == real["graph"].keys()
    train = next(n for n in real["graph"]["nodes"] if n["id"] == "Train")
    (shown_train,) = shown["graph"]["nodes"]
    same_keys(shown_train, train, "node")
    same_keys(shown_train["run"], train["run"], "run")
    assert shown_train["run"]["elapsedSec"] == train["run"]["elapsedSec"]
    assert shown_train["run"]["metrics"] == train["run"]["metrics"]
    (artifact,) = shown["graph"]["artifacts"]
    real_artifact = next(a for a in real["graph"]["artifacts"] if a["id"] == artifact["id"])
    same_keys(artifact, real_artifact, "artifact")
    same_keys(artifact["s3"], real_artifact["s3"], "s3")
    same_keys(shown["graph"]["risks"][0], real["graph"]["risks"][0], "risk")
    assert shown["graph"]["edges"] == real["graph"]["edges"][:3]


def test_readme_magic_error_is_the_magics_own_wording():
    with pytest.raises(InvalidInputError) as caught:
        parse_list_request({"region": "nowhere"}, _config())
    said = f"UsageError: {caught.value.in_terms(spelling('magic'))}"
    assert f"`{said}`" in README


def test_readme_deploy_section_names_every_route():
    deploy = block("## Deploy the REST API\n", "**Prerequisites:**")
    assert [f"`GET /{name}`" in deploy for name in ROUTES] == [True] * len(ROUTES)


def test_readme_says_each_development_paragraph_once():
    assert README.count("**The side panel** (`labextension/`): TypeScript built with") == 1


def _config():
    from sagemaker_lineage_ext.core.config import LineageConfig

    return LineageConfig()
