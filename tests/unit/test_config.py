"""The settings table, LineageConfig.from_sources, and the boolean rule of every door."""

from __future__ import annotations

import dataclasses

import pytest

from sagemaker_lineage_ext.core.config import (
    SETTINGS,
    LineageConfig,
    core_field_names,
    parse_bool,
    report_scope,
    settings,
)
from sagemaker_lineage_ext.core.errors import ConfigurationError


def test_from_env_defaults_without_variables():
    config = LineageConfig.from_env({})

    assert config.default_region == "ap-northeast-2"
    assert config.enable_s3_meta is True
    assert config.s3_timeout_ms == 3000
    assert config.allowed_regions == ()


def test_from_env_reads_the_documented_variables():
    config = LineageConfig.from_env(
        {"DEFAULT_REGION": " us-west-2 ", "ENABLE_S3_META": "FALSE", "S3_TIMEOUT_MS": "1500"}
    )

    assert (config.default_region, config.enable_s3_meta, config.s3_timeout_ms) == (
        "us-west-2",
        False,
        1500,
    )


def test_from_env_reads_optional_variables():
    config = LineageConfig.from_env(
        {
            "ALLOWED_REGIONS": "ap-northeast-2, us-east-1,,",
            "READ_REPORTS": "0",
            "REPORT_S3_SCOPES": "s3://my-mlops-dev2-v2-main-data/abalone/evaluation",
            "DOMAIN_TAG_KEYS": "team-domain",
            "MAX_CONCURRENCY": "8",
            "POSTURE_TTL_S": "0.5",
        }
    )

    assert config.allowed_regions == ("ap-northeast-2", "us-east-1")
    assert config.read_reports is False
    # a report scope is a folder: never a name prefix of a sibling ("evaluation-old")
    assert config.report_scopes == ("s3://my-mlops-dev2-v2-main-data/abalone/evaluation/",)
    assert config.domain_tag_keys == ("team-domain",)
    assert config.max_concurrency == 8
    assert config.posture_ttl_s == 0.5


def test_from_env_treats_empty_values_as_unset():
    config = LineageConfig.from_env(
        {"DEFAULT_REGION": "", "ENABLE_S3_META": " ", "S3_TIMEOUT_MS": ""}
    )

    assert config == LineageConfig()


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"S3_TIMEOUT_MS": "0"}, "S3_TIMEOUT_MS must be from 100 to 20,000, not '0'"),
        ({"S3_TIMEOUT_MS": "3s"}, "S3_TIMEOUT_MS must be a whole number, not '3s'"),
        ({"S3_TIMEOUT_MS": "٣٠٠٠"}, "S3_TIMEOUT_MS must be a whole number"),
        ({"S3_TIMEOUT_MS": "9" * 5000}, "S3_TIMEOUT_MS must be a whole number"),
        ({"MAX_CONCURRENCY": "-4"}, "MAX_CONCURRENCY must be from 1 to 1,024"),
        ({"POSTURE_TTL_S": "nan"}, "POSTURE_TTL_S must be a number"),
        ({"DEFAULT_REGION": "Seoul"}, "DEFAULT_REGION 'Seoul' is not an AWS region name"),
        ({"ALLOWED_REGIONS": "us-east-1,moon"}, "ALLOWED_REGIONS 'moon' is not an AWS region"),
        ({"ENABLE_S3_META": "maybe"}, "ENABLE_S3_META must be true, false, 1 or 0"),
        ({"REPORT_S3_SCOPES": "s3://Bad_Bucket/x"}, "REPORT_S3_SCOPES has 's3://Bad_Bucket/x/'"),
        ({"AWS_REGION": "eu west 1"}, "AWS_REGION 'eu west 1' is not an AWS region name"),
        # one region, never a list (the message must not be Python's unpacking error)
        (
            {"DEFAULT_REGION": "us-east-1,eu-west-1"},
            "DEFAULT_REGION 'us-east-1,eu-west-1' is not an AWS region name",
        ),
        ({"AWS_REGION": "eu-west-1,"}, "AWS_REGION 'eu-west-1,' is not an AWS region name"),
    ],
)
def test_from_env_errors_name_the_variable(environ, message):
    with pytest.raises(ConfigurationError) as caught:
        LineageConfig.from_env(environ)
    assert message in str(caught.value)
    assert str(caught.value).startswith("invalid configuration: ")


def test_configuration_error_is_a_value_error_for_callers_that_catch_those():
    with pytest.raises(ValueError):
        LineageConfig.from_env({"ENABLE_S3_META": "enabled"})


@pytest.mark.parametrize(
    ("environ", "sdk_region", "expected"),
    [
        ({"DEFAULT_REGION": "us-west-2", "AWS_REGION": "eu-west-1"}, "us-east-1", "us-west-2"),
        ({"AWS_REGION": "eu-west-1"}, "us-east-1", "eu-west-1"),
        ({}, "us-east-1", "us-east-1"),
        ({"AWS_REGION": " "}, None, "ap-northeast-2"),
    ],
)
def test_from_sources_default_region_order(environ, sdk_region, expected):
    """DEFAULT_REGION, else AWS_REGION (Lambda, Studio), else the SDK's, else the fallback."""
    assert LineageConfig.from_sources(environ, sdk_region=sdk_region).default_region == expected


def test_from_sources_overrides_win_over_the_environment_and_are_checked():
    env = {"DEFAULT_REGION": "eu-west-1", "S3_TIMEOUT_MS": "1234"}
    config = LineageConfig.from_sources(env, {"default_region": "us-east-1", "read_reports": None})
    assert (config.default_region, config.s3_timeout_ms, config.read_reports) == (
        "us-east-1",
        1234,
        True,
    )
    with pytest.raises(ConfigurationError, match="max_concurrency must be from 1 to 1,024"):
        LineageConfig.from_sources({}, {"max_concurrency": 0})


def test_from_sources_refuses_a_default_region_outside_the_allowed_ones():
    with pytest.raises(ConfigurationError, match="not one of ALLOWED_REGIONS"):
        LineageConfig.from_sources({"ALLOWED_REGIONS": "us-east-1"}, sdk_region="eu-west-1")


def test_from_env_reads_os_environ_by_default(monkeypatch):
    monkeypatch.setenv("DEFAULT_REGION", "eu-central-1")

    assert LineageConfig.from_env().default_region == "eu-central-1"


def test_settings_table_core_rows_are_exactly_the_config_fields():
    assert [s.name for s in settings("core")] == list(core_field_names())
    defaults = {f.name: f.default for f in dataclasses.fields(LineageConfig)}
    for setting in settings("core"):
        if setting.default is not None:
            assert defaults[setting.name] == setting.default, setting.name


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.name)
def test_settings_table_every_default_passes_its_own_check(setting):
    if setting.default is not None:
        assert setting.parse(setting.default, setting.name) == setting.default


@pytest.mark.parametrize("column", ["name", "env", "trait", "context"])
def test_settings_table_names_are_unique(column):
    names = [getattr(s, column) for s in SETTINGS if getattr(s, column)]
    assert len(names) == len(set(names))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("ml-models", "s3://ml-models/"),
        ("/ml-models/eval", "s3://ml-models/eval/"),
        ("s3://ml-models/eval/", "s3://ml-models/eval/"),
    ],
)
def test_report_scope_is_a_folder(value, expected):
    assert report_scope(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("true", True), ("True", True), (" 1 ", True), ("FALSE", False), ("0", False), (True, True)],
)
def test_parse_bool(value, expected):
    assert parse_bool(value, "flag") is expected
