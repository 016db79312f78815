"""Input validation (invalid input is a 400 naming the parameter) and the error tree."""

from __future__ import annotations

import pytest

from sagemaker_lineage_ext.core.config import LineageConfig
from sagemaker_lineage_ext.core.errors import (
    AccessDeniedError,
    AwsReadError,
    CredentialsError,
    DeadlineError,
    InternalError,
    InvalidInputError,
    NotFoundError,
    ThrottledError,
    error_response,
)
from sagemaker_lineage_ext.core.request import (
    ArtifactRequest,
    CompareRequest,
    ExportRequest,
    LineageRequest,
    ListRequest,
    parse_artifact_request,
    parse_compare_request,
    parse_executions_request,
    parse_export_request,
    parse_lineage_request,
    parse_list_request,
    spelling,
)

CONFIG = LineageConfig()
PIPELINE_ARN = "arn:aws:sagemaker:us-west-2:123456789012:pipeline/mlops-pipeline"
EXEC_ARN = (
    "arn:aws:sagemaker:ap-northeast-2:123456789012:pipeline/mlops-pipeline/execution/abc123def456"
)


def rejects(
    params: dict, parameter: str, config: LineageConfig = CONFIG, parse=parse_lineage_request
):
    """Assert ``params`` is a 400 naming ``parameter``; return the error."""
    with pytest.raises(InvalidInputError) as caught:
        parse(params, config)
    error = caught.value
    assert error.parameter == parameter
    assert error.status == 400
    body = error.to_body()
    assert list(body) == ["message"]
    assert body["message"].startswith(parameter + " ")
    return error


def test_parse_lineage_request_defaults():
    assert parse_lineage_request({"pipeline": "mlops-pipeline"}, CONFIG) == LineageRequest(
        pipeline="mlops-pipeline",
        region="ap-northeast-2",
        include_latest_exec=True,
        execution_arn=None,
        domain=None,
    )


def test_parse_lineage_request_takes_the_first_of_repeated_query_values():
    request = parse_lineage_request(
        {"pipeline": ["churn-pipeline", "other"], "region": [b"us-east-1"]}, CONFIG
    )

    assert (request.pipeline, request.region) == ("churn-pipeline", "us-east-1")


@pytest.mark.parametrize("params", [{}, {"pipeline": ""}, {"pipeline": "   "}, {"pipeline": []}])
def test_parse_lineage_request_requires_pipeline(params):
    error = rejects(params, "pipeline")

    assert error.to_body() == {"message": "pipeline is required"}


@pytest.mark.parametrize(
    "name",
    [
        "-leading-hyphen",
        "trailing-hyphen-",
        "under_score",
        "has space",
        "dot.name",
        "a/b",
        "ünïcode",
    ],
)
def test_parse_lineage_request_rejects_bad_pipeline_names(name):
    rejects({"pipeline": name}, "pipeline")


def test_parse_lineage_request_accepts_a_256_character_name():
    name = "p" * 256

    assert parse_lineage_request({"pipeline": name}, CONFIG).pipeline == name


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("p" * 257, id="257-alnum"),
        # The regex alone admits any number of hyphens between characters; SageMaker
        # also caps PipelineName at 256 characters, so this never exists in AWS.
        pytest.param("a" + "-" * 300 + "b", id="302-with-hyphens"),
        pytest.param("a-" * 128 + "b", id="257-with-hyphens"),
    ],
)
def test_parse_lineage_request_rejects_names_over_256_characters(name):
    rejects({"pipeline": name}, "pipeline")


def test_parse_lineage_request_takes_the_region_from_a_pipeline_arn():
    request = parse_lineage_request({"pipeline": PIPELINE_ARN}, CONFIG)

    assert request.region == "us-west-2"
    assert request.pipeline_name == "mlops-pipeline"


def test_parse_lineage_request_rejects_a_region_other_than_the_arn_region():
    rejects({"pipeline": PIPELINE_ARN, "region": "ap-northeast-2"}, "region")


def test_parse_lineage_request_checks_the_name_inside_an_arn():
    rejects({"pipeline": "arn:aws:sagemaker:us-west-2:123456789012:pipeline/bad_name"}, "pipeline")


@pytest.mark.parametrize(
    "region", ["us-east-1", "eu-central-1", "us-gov-west-1", "us-isob-east-1", "cn-north-1"]
)
def test_parse_lineage_request_accepts_region_names(region):
    assert parse_lineage_request({"pipeline": "p", "region": region}, CONFIG).region == region


@pytest.mark.parametrize(
    "region", ["US-EAST-1", "us-east", "useast1", "us-east-1a", "us-east-1;rm"]
)
def test_parse_lineage_request_rejects_malformed_regions(region):
    rejects({"pipeline": "p", "region": region}, "region")


def test_parse_lineage_request_enforces_the_region_allow_list():
    config = LineageConfig(allowed_regions=("ap-northeast-2", "us-east-1"))

    assert (
        parse_lineage_request({"pipeline": "p", "region": "us-east-1"}, config).region
        == "us-east-1"
    )
    rejects({"pipeline": "p", "region": "eu-west-1"}, "region", config)


def test_parse_lineage_request_uses_the_configured_default_region():
    config = LineageConfig(default_region="eu-west-1")

    assert parse_lineage_request({"pipeline": "p"}, config).region == "eu-west-1"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("true", True), ("TRUE", True), ("1", True), ("False", False), ("0", False), (False, False)],
)
def test_parse_lineage_request_reads_include_latest_exec(value, expected):
    request = parse_lineage_request({"pipeline": "p", "includeLatestExec": value}, CONFIG)

    assert request.include_latest_exec is expected


@pytest.mark.parametrize("value", ["yes", "no", "2", "tru"])
def test_parse_lineage_request_rejects_other_booleans(value):
    rejects({"pipeline": "p", "includeLatestExec": value}, "includeLatestExec")


def test_parse_lineage_request_accepts_an_execution_of_the_pipeline():
    request = parse_lineage_request(
        {"pipeline": "mlops-pipeline", "executionArn": EXEC_ARN}, CONFIG
    )

    assert request.execution_arn == EXEC_ARN


@pytest.mark.parametrize(
    "arn",
    [
        pytest.param("abc123def456", id="bare-id"),
        pytest.param(EXEC_ARN.replace(":123456789012:", ":1234:"), id="short-account"),
        pytest.param(EXEC_ARN.replace("/execution/", "/executions/"), id="wrong-resource"),
        pytest.param(EXEC_ARN.replace("mlops-pipeline", "churn-pipeline"), id="other-pipeline"),
        pytest.param(EXEC_ARN.replace("ap-northeast-2", "us-east-1"), id="other-region"),
    ],
)
def test_parse_lineage_request_rejects_execution_arns_that_do_not_fit(arn):
    rejects({"pipeline": "mlops-pipeline", "executionArn": arn}, "executionArn")


@pytest.mark.parametrize(
    "domain",
    [
        "ml-team",
        "d-abcd1234efgh",
        "arn:aws:sagemaker:ap-northeast-2:123456789012:domain/d-abcd1234efgh",
    ],
)
def test_parse_lineage_request_accepts_domains(domain):
    assert parse_lineage_request({"pipeline": "p", "domain": domain}, CONFIG).domain == domain


@pytest.mark.parametrize("domain", ["-team", "ml team", "<script>", "x" * 1025])
def test_parse_lineage_request_rejects_bad_domains(domain):
    rejects({"pipeline": "p", "domain": domain}, "domain")


def test_parse_list_request():
    request = parse_list_request(
        {"region": "us-east-1", "prefix": "mlops-", "domain": "ml-team"}, CONFIG
    )

    assert request == ListRequest(region="us-east-1", domain="ml-team", prefix="mlops-")
    assert parse_list_request({}, CONFIG) == ListRequest(region="ap-northeast-2")


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"prefix": "mlops_"}, "prefix"),
        ({"prefix": "a" * 257}, "prefix"),
        ({"region": "Seoul"}, "region"),
        ({"domain": "bad domain"}, "domain"),
    ],
)
def test_parse_list_request_rejects(params, parameter):
    rejects(params, parameter, parse=parse_list_request)


# --- the error tree mapped to (status, body) -------------------------------------


def test_error_response_maps_an_unexpected_exception_to_a_bare_500():
    secret = RuntimeError("botocore said arn:aws:iam::123456789012:role/secret, request id 42")

    status, body = error_response(secret, request_id="req-7f3a")

    assert status == 500
    assert body == {"message": "internal error", "requestId": "req-7f3a"}


def test_error_response_access_denied_names_the_iam_action():
    status, body = error_response(AccessDeniedError("sagemaker:ListPipelines"), "req-2")

    # the one 500 that says why: the missing permission is documented, not internal
    assert (status, body) == (
        500,
        {
            "message": "access denied: the AWS role cannot call sagemaker:ListPipelines",
            "requestId": "req-2",
            "code": "AccessDenied",
            "action": "sagemaker:ListPipelines",
        },
    )


@pytest.mark.parametrize(
    "error",
    [
        InternalError(),
        ThrottledError(),
        DeadlineError(),
        CredentialsError("AWS rejected the credentials (ExpiredToken)"),
        AwsReadError("DescribePipeline", "InternalFailure"),
    ],
    ids=lambda e: type(e).__name__,
)
def test_error_response_service_errors_are_bare_500s(error):
    status, body = error_response(error, "req-1")

    # the API answers 400, 404 and 500; the reason is for the log and the CLI, not the body
    assert (status, body) == (500, {"message": "internal error", "requestId": "req-1"})
    assert error.user_message != "internal error" or isinstance(error, InternalError)


@pytest.mark.parametrize(
    ("error", "status", "message"),
    [
        (
            InvalidInputError("region", "is not a valid AWS region name"),
            400,
            "region is not a valid AWS region name",
        ),
        (NotFoundError(), 404, "pipeline not found or domain filter mismatched"),
    ],
)
def test_error_response_maps_lineage_errors(error, status, message):
    assert error_response(error, "req-1") == (status, {"message": message})


# -- /compare, /artifact, includeCrossPipeline (issue 11) --------------------------------

OTHER_EXEC = EXEC_ARN.replace("abc123def456", "0123456789ab")


def test_parse_compare_request_takes_optional_base_and_head():
    request = parse_compare_request(
        {"pipeline": "mlops-pipeline", "base": EXEC_ARN, "head": OTHER_EXEC}, CONFIG
    )
    assert request == CompareRequest("mlops-pipeline", "ap-northeast-2", EXEC_ARN, OTHER_EXEC)
    bare = parse_compare_request({"pipeline": "mlops-pipeline", "domain": "d-1"}, CONFIG)
    assert (bare.base, bare.head, bare.domain) == (None, None, "d-1")


@pytest.mark.parametrize(
    ("params", "parameter", "problem"),
    [
        ({}, "pipeline", "is required"),
        ({"pipeline": "mlops-pipeline", "base": "arn:aws:s3:::x"}, "base", "is not a SageMaker"),
        (
            {"pipeline": "churn-pipeline", "head": EXEC_ARN},
            "head",
            "does not belong to this pipeline",
        ),
        (
            {"pipeline": "mlops-pipeline", "region": "us-east-1", "base": EXEC_ARN},
            "base",
            "is in another region",
        ),
        (
            {"pipeline": "mlops-pipeline", "base": EXEC_ARN, "head": EXEC_ARN},
            "head",
            "is the same execution as base",
        ),
        ({"pipeline": "mlops-pipeline", "domain": ""}, "domain", "must not be empty"),
    ],
)
def test_parse_compare_request_rejects_what_lineage_rejects(params, parameter, problem):
    error = rejects(params, parameter, parse=parse_compare_request)
    assert problem in error.user_message


def test_parse_compare_request_names_other_parameters_in_each_doors_words():
    error = rejects(
        {"pipeline": "mlops-pipeline", "base": EXEC_ARN, "head": EXEC_ARN},
        "head",
        parse=parse_compare_request,
    )
    assert error.in_terms(spelling("cli")) == (
        "--head is the same execution as --base: name two executions"
    )
    assert error.in_terms(spelling("magic")).startswith(
        "--compare HEAD is the same execution as --compare BASE"
    )


@pytest.mark.parametrize(
    "uri",
    [
        "s3://my-bucket",
        "s3://my-bucket/",
        "s3://my.bucket-1/features/customers/train",
        "s3://abc/a key with spaces/and=signs",
    ],
)
def test_parse_artifact_request_accepts_s3_uris_and_prefixes(uri):
    request = parse_artifact_request({"uri": f"  {uri} "}, CONFIG)
    assert request == ArtifactRequest(uri=uri, region="ap-northeast-2")


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (None, "is required"),
        ("", "is required"),
        ("my-bucket/key", "must be an S3 URI"),
        ("s3://", "must be an S3 URI"),
        ("s3://ab/key", "must be an S3 URI"),  # a bucket name has 3-63 characters
        ("s3://UPPER/key", "must be an S3 URI"),
        ("s3://bucket/{Execution.PipelineExecutionId}/x", "must be an S3 URI"),
        ("s3://bucket/a\x00b", "must be an S3 URI"),
        ("s3://bucket/" + "k" * 1100, "must be an S3 URI"),
        ("https://bucket.s3.amazonaws.com/key", "must be an S3 URI"),
    ],
)
def test_parse_artifact_request_rejects_what_is_not_an_s3_uri(value, problem):
    params = {} if value is None else {"uri": value}
    error = rejects(params, "uri", parse=parse_artifact_request)
    assert problem in error.user_message
    assert error.in_terms(spelling("cli")).startswith("URI ")
    assert error.in_terms(spelling("magic")).startswith("--artifact ")


def test_parse_artifact_request_checks_region_and_domain():
    rejects({"uri": "s3://bucket", "region": "mars"}, "region", parse=parse_artifact_request)
    rejects({"uri": "s3://bucket", "domain": "bad domain!"}, "domain", parse=parse_artifact_request)


@pytest.mark.parametrize(
    ("raw", "expected"), [("true", True), ("0", False), ("TRUE", True), (True, True)]
)
def test_parse_lineage_request_include_cross_pipeline(raw, expected):
    params = {"pipeline": "mlops-pipeline", "includeCrossPipeline": raw}
    assert parse_lineage_request(params, CONFIG).include_cross_pipeline is expected
    assert parse_lineage_request({"pipeline": "p"}, CONFIG).include_cross_pipeline is False


def test_parse_lineage_request_include_cross_pipeline_must_be_boolean():
    error = rejects({"pipeline": "p", "includeCrossPipeline": "yes"}, "includeCrossPipeline")
    assert error.in_terms(spelling("cli")) == "--include-cross-pipeline must be true, false, 1 or 0"


# -- given but empty, too long, not UTF-8: a 400 naming the parameter --------------------


@pytest.mark.parametrize(
    ("parse", "params", "parameter"),
    [
        (parse_lineage_request, {"pipeline": "p", "region": ""}, "region"),
        (parse_lineage_request, {"pipeline": "p", "region": ["  "]}, "region"),
        (parse_lineage_request, {"pipeline": "p", "executionArn": ""}, "executionArn"),
        (parse_list_request, {"region": ""}, "region"),
        (parse_executions_request, {"pipeline": "p", "region": ""}, "region"),
        (parse_executions_request, {"pipeline": "p", "limit": ""}, "limit"),
    ],
)
def test_parse_request_empty_value_is_a_400_never_the_default(parse, params, parameter):
    error = rejects(params, parameter, parse=parse)
    assert error.user_message == f"{parameter} must not be empty when given"


@pytest.mark.parametrize("limit", ["9" * 4301, "1" + "0" * 5000, "0" * 4400 + "5"])
def test_parse_executions_request_huge_limit_is_a_400(limit):
    # int() of more than 4,300 digits raises ValueError: it must never get that far
    error = rejects({"pipeline": "p", "limit": limit}, "limit", parse=parse_executions_request)
    assert error.user_message == "limit must be a whole number from 1 to 100"


@pytest.mark.parametrize("name", ["pipeline", "region", "domain", "executionArn", "fresh"])
def test_parse_lineage_request_value_that_is_not_utf8_is_a_400_naming_it(name):
    params: dict[str, object] = {"pipeline": [b"mlops-pipeline"], name: [b"\xe9t\xe9"]}
    error = rejects(params, name)
    assert error.user_message == f"{name} is not valid UTF-8 text"


@pytest.mark.parametrize(
    ("value", "expected"), [(None, False), ("true", True), ("0", False), (True, True)]
)
def test_parse_lineage_request_reads_fresh(value, expected):
    params = {"pipeline": "p"} | ({} if value is None else {"fresh": value})
    assert parse_lineage_request(params, CONFIG).fresh is expected


def test_parse_lineage_request_rejects_other_fresh_values():
    assert rejects({"pipeline": "p", "fresh": "yes"}, "fresh").user_message == (
        "fresh must be true, false, 1 or 0"
    )


def test_parse_export_request_defaults_to_mermaid_without_artifacts():
    request = parse_export_request({"pipeline": "mlops-pipeline"}, CONFIG)
    assert request == ExportRequest(
        "mlops-pipeline", "ap-northeast-2", None, None, "mermaid", False
    )
    dot = parse_export_request(
        {"pipeline": "mlops-pipeline", "format": "dot", "artifacts": "1", "executionArn": EXEC_ARN},
        CONFIG,
    )
    assert (dot.format, dot.artifacts, dot.lineage.execution_arn) == ("dot", True, EXEC_ARN)


@pytest.mark.parametrize(
    ("params", "parameter", "problem"),
    [
        ({"pipeline": "mlops-pipeline", "format": "svg"}, "format", "must be mermaid or dot"),
        ({"pipeline": "mlops-pipeline", "format": "Mermaid"}, "format", "must be mermaid or dot"),
        ({"pipeline": "mlops-pipeline", "format": " "}, "format", "must not be empty"),
        ({"pipeline": "mlops-pipeline", "artifacts": "yes"}, "artifacts", "must be true, false"),
        ({"pipeline": "mlops-pipeline", "executionArn": "x"}, "executionArn", "is not a SageMaker"),
        ({}, "pipeline", "is required"),
    ],
)
def test_parse_export_request_rejects_with_the_parameter_named(params, parameter, problem):
    error = rejects(params, parameter, parse=parse_export_request)
    assert problem in error.user_message
