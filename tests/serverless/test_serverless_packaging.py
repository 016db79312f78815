"""What a deployer installs: the CDK CLI 2.x from package.json, the app's Python pins."""

from __future__ import annotations

import json
import re
from importlib.metadata import version
from pathlib import Path

import pytest
from serverless_support import ROOT, SERVERLESS

tomllib = pytest.importorskip("tomllib")  # Python 3.11+, which CI runs


def test_packaging_cdk_cli_is_pinned_to_major_2():
    """aws-cdk 3.0.0 is deprecated and refuses aws-cdk-lib 2.x cloud assemblies."""
    package = json.loads((SERVERLESS / "package.json").read_text())
    assert package["devDependencies"]["aws-cdk"].startswith("^2.")
    lock = json.loads((SERVERLESS / "package-lock.json").read_text())
    assert lock["packages"]["node_modules/aws-cdk"]["version"].startswith("2.")


def test_packaging_lock_file_records_no_download_addresses():
    lock = json.loads((SERVERLESS / "package-lock.json").read_text())
    assert all("resolved" not in entry for entry in lock["packages"].values())


def test_packaging_requirements_match_the_deploy_extra():
    extra = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]["deploy"]
    lines = (SERVERLESS / "requirements.txt").read_text().splitlines()
    pins = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    assert pins == extra


def test_packaging_cdk_json_runs_the_app_and_documents_every_option():
    from stacks.lineage_api_stack import LineageApiStack

    cdk_json = json.loads((SERVERLESS / "cdk.json").read_text())
    assert cdk_json["app"] == "python3 app.py"
    options = [name for name in cdk_json["context"] if not name.startswith("@")]
    assert sorted(options) == sorted(LineageApiStack.CONTEXT_NAMES)


def cli_schema_revision() -> int:
    """The newest cloud-assembly schema the locked CDK CLI reads (bundled in its code)."""
    code = (SERVERLESS / "node_modules" / "aws-cdk" / "lib" / "index.js").read_text("utf-8")
    block = code[code.index("cloud-assembly-schema/schema/version.json") :][:1000]
    match = re.search(r"revision:\s*(\d+)", block)
    assert match, "no schema revision in the CLI bundle"
    return int(match.group(1))


def test_packaging_aws_cdk_lib_is_capped_to_what_the_locked_cli_reads(tmp_path):
    """A newer aws-cdk-lib than the CLI knows fails deploys: "Cloud assembly schema version
    mismatch". The pin's range ends where the locked CLI's schema support is known to end."""
    import aws_cdk as cdk
    from packaging.requirements import Requirement

    extra = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]["deploy"]
    (lib,) = [Requirement(r) for r in extra if r.startswith("aws-cdk-lib")]
    assert lib.specifier.contains(version("aws-cdk-lib")), "the installed lib is in range"
    assert not lib.specifier.contains("2.276.0"), "not yet known to the locked CLI"
    assert not lib.specifier.contains("3.0.0")

    app = cdk.App(outdir=str(tmp_path))
    cdk.Stack(app, "Empty")
    manifest = json.loads((Path(app.synth().directory) / "manifest.json").read_text())
    written = int(manifest["version"].split(".")[0])
    assert written <= cli_schema_revision(), (
        f"aws-cdk-lib {version('aws-cdk-lib')} writes schema {written}, "
        f"the locked CLI reads up to {cli_schema_revision()}"
    )
    init = json.loads(
        (SERVERLESS / "node_modules/aws-cdk/lib/init-templates/.init-version.json").read_text()
    )
    assert lib.specifier.contains(init["aws-cdk-lib"].lstrip("^")), "the CLI's own init version"


def test_packaging_readme_documents_every_context_option():
    from stacks.lineage_api_stack import LineageApiStack

    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme[readme.index("### Context options") :]
    section = section[: section.index("### Try it")]
    missing = [name for name in LineageApiStack.CONTEXT_NAMES if f"`{name}`" not in section]
    assert missing == []
