"""The extension's settings: the settings' environment variables, overridden by traitlets.

GIVEN ``DEFAULT_REGION=eu-west-1`` in the environment and the traits
``default_region=us-east-1`` / ``enable_s3_meta=False``, WHEN requests name no
region, THEN the trait wins over the variable, and posture is not read.
"""

from __future__ import annotations

import json
import os
from datetime import datetime, timezone

import pytest


@pytest.fixture
def jp_server_config(demo_account, monkeypatch):
    monkeypatch.setenv("DEFAULT_REGION", "eu-west-1")
    monkeypatch.setenv("S3_TIMEOUT_MS", "1234")
    return {
        "ServerApp": {"jpserver_extensions": {"sagemaker_lineage_ext": True}},
        "LineageExtensionApp": {
            "demo": True,
            "default_region": "us-east-1",
            "enable_s3_meta": False,
        },
    }


@pytest.fixture
def extension(jp_serverapp):
    (app,) = jp_serverapp.extension_manager.extension_apps["sagemaker_lineage_ext"]
    return app


async def test_server_config_traits_override_environment(jp_fetch, extension):
    config = extension.account.config()
    assert config.default_region == "us-east-1"  # the trait, not DEFAULT_REGION
    assert config.s3_timeout_ms == 1234  # the environment, where no trait says otherwise
    assert config.enable_s3_meta is False
    body = json.loads((await jp_fetch("sagemaker-lineage", "pipelines")).body)
    assert body["region"] == "us-east-1" and body["pipelines"] == []


async def test_server_config_demo_server_shares_its_demo_clock_with_its_kernels(extension):
    # a server on the demo account fixes the demo's epoch for the kernels it starts (they
    # inherit its environment), so %lineage there shows the times the side panel shows
    from sagemaker_lineage_ext.demo.clock import EPOCH_ENV, parse_epoch

    assert extension.account is not None
    assert parse_epoch(os.environ[EPOCH_ENV]) <= datetime.now(timezone.utc)


async def test_server_config_s3_meta_off_reads_no_posture(jp_fetch):
    response = await jp_fetch(
        "sagemaker-lineage",
        "lineage",
        params={"pipeline": "mlops-pipeline", "region": "ap-northeast-2"},
    )
    artifacts = json.loads(response.body)["graph"]["artifacts"]
    assert artifacts and all(a["s3"] is None for a in artifacts)


def test_server_config_rejects_a_bad_region():
    from traitlets import TraitError

    from sagemaker_lineage_ext.server import LineageExtensionApp

    with pytest.raises(TraitError, match="'mars' is not an AWS region name"):
        LineageExtensionApp(default_region="mars")


def test_server_config_traits_are_the_settings_table():
    """Every core and server setting with a trait is a configurable trait, documented by
    the table's doc line, and checked by the table's own parser."""
    from traitlets import TraitError

    from sagemaker_lineage_ext.core.config import SETTINGS
    from sagemaker_lineage_ext.server import LineageExtensionApp

    traits = LineageExtensionApp.class_traits(config=True)
    for setting in SETTINGS:
        if setting.trait and setting.scope in ("core", "server"):
            assert setting.trait in traits, setting.name
            assert traits[setting.trait].help.startswith(setting.doc)
    with pytest.raises(TraitError, match="s3_timeout_ms must be from 100 to 20,000, not 5"):
        LineageExtensionApp(s3_timeout_ms=5)
    with pytest.raises(TraitError, match="report_scopes has 's3://Not_A_Bucket/'"):
        LineageExtensionApp(report_scopes=["Not_A_Bucket"])
