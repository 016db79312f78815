"""LineageConfig.from_env and SPEC's boolean rule."""

from __future__ import annotations

import pytest

from sagemaker_lineage_ext.core.config import LineageConfig, parse_bool


def test_from_env_defaults_without_variables():
    config = LineageConfig.from_env({})

    assert config.default_region == "ap-northeast-2"
    assert config.enable_s3_meta is True
    assert config.s3_timeout_ms == 3000
    assert config.allowed_regions == ()


def test_from_env_reads_spec_variables():
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
        }
    )

    assert config.allowed_regions == ("ap-northeast-2", "us-east-1")
    assert config.read_reports is False
    assert config.report_scopes == ("s3://my-mlops-dev2-v2-main-data/abalone/evaluation",)
    assert config.domain_tag_keys == ("team-domain",)
    assert config.max_concurrency == 8


def test_from_env_treats_empty_values_as_unset():
    config = LineageConfig.from_env(
        {"DEFAULT_REGION": "", "ENABLE_S3_META": "", "S3_TIMEOUT_MS": ""}
    )

    assert config == LineageConfig()


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"S3_TIMEOUT_MS": "0"}, "S3_TIMEOUT_MS must be at least 1"),
        ({"S3_TIMEOUT_MS": "3s"}, "S3_TIMEOUT_MS must be a whole number"),
        ({"MAX_CONCURRENCY": "-4"}, "MAX_CONCURRENCY must be at least 1"),
        ({"DEFAULT_REGION": "Seoul"}, "DEFAULT_REGION 'Seoul' is not an AWS region name"),
    ],
)
def test_from_env_errors_name_the_variable(environ, message):
    with pytest.raises(ValueError, match=message):
        LineageConfig.from_env(environ)


@pytest.mark.parametrize(
    "environ",
    [{"ENABLE_S3_META": "yes"}, {"ENABLE_S3_META": "enabled"}, {"S3_TIMEOUT_MS": "3s"}],
)
def test_from_env_rejects_bad_values(environ):
    with pytest.raises(ValueError):
        LineageConfig.from_env(environ)


def test_from_env_names_the_bad_boolean_variable():
    with pytest.raises(ValueError, match="ENABLE_S3_META"):
        LineageConfig.from_env({"ENABLE_S3_META": "maybe"})


def test_from_env_reads_os_environ_by_default(monkeypatch):
    monkeypatch.setenv("DEFAULT_REGION", "eu-central-1")

    assert LineageConfig.from_env().default_region == "eu-central-1"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("true", True), ("True", True), (" 1 ", True), ("FALSE", False), ("0", False), (True, True)],
)
def test_parse_bool(value, expected):
    assert parse_bool(value, "flag") is expected
