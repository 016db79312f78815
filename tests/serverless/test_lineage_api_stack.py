"""LineageApiStack, synthesized: resources, least privilege, CORS, throttling, cdk-nag, cfn-lint.

Each template is synthesized once per module (a synth costs seconds). The
settings cover the default deployment and the context options that change it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk.assertions import Match, Template
from cdk_nag import AwsSolutionsChecks
from serverless_support import SERVERLESS  # also puts serverless/ on sys.path
from stacks.lineage_api_stack import (
    FUNCTION_NAME,
    ApiSettings,
    LineageApiStack,
    build_lambda_asset,
)

from sagemaker_lineage_ext.core.permissions import ALL_ACTIONS, SAGEMAKER_ACTIONS
from sagemaker_lineage_ext.core.routes import ROUTES, no_route_message

#: The feature flags of serverless/cdk.json: every synth here uses them, as ``cdk synth`` does.
FEATURE_FLAGS = {
    name: value
    for name, value in json.loads((SERVERLESS / "cdk.json").read_text())["context"].items()
    if name.startswith("@")
}
NARROWED = {
    "s3Buckets": "ml-data-bucket,ml-models-bucket",
    # a leading "/" and no trailing one: normalised to the folder ml-models-bucket/evaluation/
    "s3ReportPrefixes": "/ml-models-bucket/evaluation",
    "regions": "ap-northeast-2,us-east-1",
    "corsOrigins": "https://lineage.example.com,https://ops.example.com",
    "auth": "iam",
    "throttleRateLimit": "20",
    "throttleBurstLimit": "40",
    "defaultRegion": "ap-northeast-2",
    "logRetentionDays": "90",
}
KEYED = {"auth": "apiKey", "cacheTtlSeconds": "300", "corsOrigins": "https://lineage.example.com"}
#: Caching in front of a list of origins; no bucket posture, no reports.
LEAN = {
    "cacheTtlSeconds": "60",
    "corsOrigins": "https://lineage.example.com,https://ops.example.com",
    "enableS3Meta": "false",
    "readReports": "false",
}


def synth_stack(
    tmp: Path, context: dict[str, Any], *, bare: bool = False, **stack_kwargs: Any
) -> LineageApiStack:
    """The stack in a new app (cdk.json's feature flags on); ``bare`` leaves out its
    cdk-nag acknowledgements."""
    app = cdk.App(outdir=str(tmp / "cdk.out"), context={**FEATURE_FLAGS, **context})
    cls = _Unacknowledged if bare else LineageApiStack
    return cls(app, "LineageApiStack", asset_dir=build_lambda_asset(tmp / "asset"), **stack_kwargs)


class _Unacknowledged(LineageApiStack):
    def _acknowledge_findings(self) -> None:
        """Nothing acknowledged: cdk-nag reports every finding."""


@pytest.fixture(scope="module")
def default(tmp_path_factory) -> Template:
    return Template.from_stack(synth_stack(tmp_path_factory.mktemp("default"), {}))


@pytest.fixture(scope="module")
def narrowed(tmp_path_factory) -> Template:
    return Template.from_stack(synth_stack(tmp_path_factory.mktemp("narrowed"), NARROWED))


@pytest.fixture(scope="module")
def keyed(tmp_path_factory) -> Template:
    return Template.from_stack(synth_stack(tmp_path_factory.mktemp("keyed"), KEYED))


@pytest.fixture(scope="module")
def lean(tmp_path_factory) -> Template:
    return Template.from_stack(synth_stack(tmp_path_factory.mktemp("lean"), LEAN))


def only(template: Template, kind: str, props: dict | None = None) -> dict:
    found = template.find_resources(kind, {"Properties": props} if props else None)
    assert len(found) == 1, f"{len(found)} {kind}"
    return next(iter(found.values()))["Properties"]


def render(value: Any) -> Any:
    """A template value with the pseudo parameters written out (``Fn::Join`` flattened)."""
    if isinstance(value, dict) and "Fn::Join" in value:
        sep, parts = value["Fn::Join"]
        return sep.join(str(render(p)) for p in parts)
    if isinstance(value, dict) and "Ref" in value:
        ref = value["Ref"]
        return f"<{ref[5:]}>" if ref.startswith("AWS::") else f"${{{ref}}}"
    if isinstance(value, list):
        return [render(v) for v in value]
    return value


def role_statements(template: Template) -> list[dict]:
    role = only(template, "AWS::IAM::Role", {"RoleName": Match.absent()} | _lambda_trust())
    return [
        statement
        for policy in role["Policies"]
        for statement in policy["PolicyDocument"]["Statement"]
    ]


def _lambda_trust() -> dict:
    return {
        "AssumeRolePolicyDocument": Match.object_like(
            {"Statement": [Match.object_like({"Principal": {"Service": "lambda.amazonaws.com"}})]}
        )
    }


def actions_of(statement: dict) -> list[str]:
    actions = statement["Action"]
    return [actions] if isinstance(actions, str) else list(actions)


def resources_of(statement: dict) -> list[str]:
    resources = statement["Resource"]
    return [render(r) for r in (resources if isinstance(resources, list) else [resources])]


# -- the function ------------------------------------------------------------------


def test_stack_function_is_python_arm64_sized_for_concurrent_reads(default):
    fn = only(default, "AWS::Lambda::Function")
    assert fn["FunctionName"] == FUNCTION_NAME
    assert fn["Runtime"].startswith("python3.") and int(fn["Runtime"].split(".")[1]) >= 12
    assert fn["Architectures"] == ["arm64"]
    assert fn["Handler"] == "sagemaker_lineage_ext.lambda_handler.handler"
    assert fn["MemorySize"] >= 1024
    assert 10 <= fn["Timeout"] < 29, "must answer before API Gateway's 29 s integration timeout"
    assert fn["LoggingConfig"]["LogFormat"] == "JSON"
    assert fn["LoggingConfig"]["ApplicationLogLevel"] == "INFO"


def test_stack_function_environment_is_spec_config(default, narrowed):
    env = only(default, "AWS::Lambda::Function")["Environment"]["Variables"]
    assert env == {
        "DEFAULT_REGION": {"Ref": "AWS::Region"},
        "ENABLE_S3_META": "true",
        "S3_TIMEOUT_MS": "3000",
        "CORS_ALLOW_ORIGINS": "*",
    }
    env = only(narrowed, "AWS::Lambda::Function")["Environment"]["Variables"]
    assert env["DEFAULT_REGION"] == "ap-northeast-2"
    assert env["ALLOWED_REGIONS"] == "ap-northeast-2,us-east-1"
    assert env["REPORT_S3_SCOPES"] == "s3://ml-models-bucket/evaluation/"
    assert env["CORS_ALLOW_ORIGINS"] == "https://lineage.example.com,https://ops.example.com"


def test_stack_function_logs_to_its_named_group_with_retention(default, narrowed):
    groups = default.find_resources(
        "AWS::Logs::LogGroup", {"Properties": {"LogGroupName": "/aws/lambda/LineageApiFn"}}
    )
    ((logical_id, group),) = groups.items()
    assert group["Properties"]["RetentionInDays"] == 30
    fn = only(default, "AWS::Lambda::Function")
    assert fn["LoggingConfig"]["LogGroup"] == {"Ref": logical_id}
    narrowed.has_resource_properties(
        "AWS::Logs::LogGroup", {"LogGroupName": "/aws/lambda/LineageApiFn", "RetentionInDays": 90}
    )


# -- least privilege ------------------------------------------------------------------


@pytest.mark.parametrize("name", ["default", "narrowed", "keyed", "lean"])
def test_stack_role_grants_exactly_specs_actions(request, name):
    statements = role_statements(request.getfixturevalue(name))
    granted = [a for s in statements for a in actions_of(s) if not a.startswith("logs:")]
    # enableS3Meta=false / readReports=false: the S3 reads the function never makes are not granted
    expected = ALL_ACTIONS if name != "lean" else SAGEMAKER_ACTIONS
    assert sorted(granted) == sorted(expected), "each action once, nothing else"
    assert all(s["Effect"] == "Allow" for s in statements)
    logs = [s for s in statements if any(a.startswith("logs:") for a in actions_of(s))]
    assert [sorted(actions_of(s)) for s in logs] == [["logs:CreateLogStream", "logs:PutLogEvents"]]


@pytest.mark.parametrize("name", ["default", "narrowed", "keyed", "lean"])
def test_stack_no_wildcard_action_anywhere(request, name):
    template = request.getfixturevalue(name).to_json()
    for resource in template["Resources"].values():
        props = resource.get("Properties", {})
        documents = [p["PolicyDocument"] for p in props.get("Policies", [])]
        if "PolicyDocument" in props:
            documents.append(props["PolicyDocument"])
        for document in documents:
            for statement in document["Statement"]:
                assert all("*" not in a for a in actions_of(statement)), statement


def test_stack_s3_reads_cover_all_buckets_when_none_are_given(default):
    by_sid = {s["Sid"]: s for s in role_statements(default) if "Sid" in s}
    assert resources_of(by_sid["ReadBucketPosture"]) == ["arn:<Partition>:s3:::*"]
    assert resources_of(by_sid["ReadEvaluationReports"]) == ["arn:<Partition>:s3:::*/*"]
    # (the minimizePolicies feature flag sorts actions)
    assert sorted(actions_of(by_sid["ReadBucketPosture"])) == [
        "s3:GetBucketLocation",
        "s3:GetBucketPublicAccessBlock",
        "s3:GetBucketTagging",
        "s3:GetBucketVersioning",
        "s3:GetEncryptionConfiguration",
    ]


def test_stack_s3_reads_follow_context_buckets_and_prefixes(narrowed, tmp_path):
    by_sid = {s["Sid"]: s for s in role_statements(narrowed) if "Sid" in s}
    assert resources_of(by_sid["ReadBucketPosture"]) == [
        "arn:<Partition>:s3:::ml-data-bucket",
        "arn:<Partition>:s3:::ml-models-bucket",
    ]
    assert resources_of(by_sid["ReadEvaluationReports"]) == [
        "arn:<Partition>:s3:::ml-models-bucket/evaluation/*"
    ]
    # Buckets without prefixes: reports anywhere in those buckets only.
    settings = ApiSettings.from_context({"s3Buckets": "a-bucket,b-bucket"})
    assert settings.report_scopes == ("a-bucket/", "b-bucket/")


def test_stack_sagemaker_reads_follow_context_regions(default, narrowed):
    by_sid = {s["Sid"]: s for s in role_statements(default) if "Sid" in s}
    assert resources_of(by_sid["ListPipelines"]) == ["*"]
    assert actions_of(by_sid["ListPipelines"]) == ["sagemaker:ListPipelines"]
    assert "arn:<Partition>:sagemaker:*:<AccountId>:pipeline/*" in resources_of(
        by_sid["ReadPipelinesRunsJobsModels"]
    )
    narrowed_resources = resources_of(
        {s["Sid"]: s for s in role_statements(narrowed) if "Sid" in s}[
            "ReadPipelinesRunsJobsModels"
        ]
    )
    assert {r.split(":")[3] for r in narrowed_resources} == {"ap-northeast-2", "us-east-1"}
    assert "arn:<Partition>:sagemaker:us-east-1:<AccountId>:model-package/*" in (narrowed_resources)


# -- the API ------------------------------------------------------------------


def test_stack_api_routes_are_lambda_proxy_gets(default):
    resources = {
        logical: r["Properties"]["PathPart"]
        for logical, r in default.find_resources("AWS::ApiGateway::Resource").items()
    }
    assert sorted(resources.values()) == sorted(ROUTES)  # every route of the route table
    fn_id = next(iter(default.find_resources("AWS::Lambda::Function")))
    for logical in resources:
        method = only(
            default,
            "AWS::ApiGateway::Method",
            {"HttpMethod": "GET", "ResourceId": {"Ref": logical}},
        )
        assert method["AuthorizationType"] == "NONE"
        assert method["Integration"]["Type"] == "AWS_PROXY"
        assert fn_id in json.dumps(method["Integration"]["Uri"])


def test_stack_stage_prod_throttled_and_logged(default, narrowed):
    stage = only(default, "AWS::ApiGateway::Stage")
    assert stage["StageName"] == "prod"
    (settings,) = stage["MethodSettings"]
    assert settings["ThrottlingRateLimit"] == 50 and settings["ThrottlingBurstLimit"] == 100
    assert settings["LoggingLevel"] == "ERROR" and settings["DataTraceEnabled"] is False
    assert "$context.integration.requestId" in stage["AccessLogSetting"]["Format"]
    assert "CacheClusterEnabled" not in stage or stage["CacheClusterEnabled"] is False
    (settings,) = only(narrowed, "AWS::ApiGateway::Stage")["MethodSettings"]
    assert settings["ThrottlingRateLimit"] == 20 and settings["ThrottlingBurstLimit"] == 40


def test_stack_api_gzips_answers_above_one_kib(default, narrowed):
    # A 200-step lineage is ~270 KB of JSON and ~17 KB gzipped: API Gateway compresses
    # answers above minimumCompressionSize for clients that send Accept-Encoding: gzip.
    for template in (default, narrowed):
        assert only(template, "AWS::ApiGateway::RestApi")["MinimumCompressionSize"] == 1024


def test_stack_cors_preflight_and_gateway_errors(default, narrowed):
    options = default.find_resources(
        "AWS::ApiGateway::Method", {"Properties": {"HttpMethod": "OPTIONS"}}
    )
    assert len(options) == 1 + len(ROUTES)  # the root and every route
    for method in options.values():
        props = method["Properties"]
        assert props["AuthorizationType"] == "NONE"
        (response,) = props["Integration"]["IntegrationResponses"]
        assert (
            response["ResponseParameters"]["method.response.header.Access-Control-Allow-Origin"]
            == "'*'"
        )
    for kind in ("DEFAULT_4XX", "DEFAULT_5XX"):
        default.has_resource_properties(
            "AWS::ApiGateway::GatewayResponse",
            {
                "ResponseType": kind,
                "ResponseParameters": {"gatewayresponse.header.Access-Control-Allow-Origin": "'*'"},
            },
        )
    # Several origins: the preflight picks the caller's origin when it is listed.
    preflight = json.dumps(
        narrowed.find_resources(
            "AWS::ApiGateway::Method", {"Properties": {"HttpMethod": "OPTIONS"}}
        )
    )
    assert "https://ops.example.com" in preflight and "'*'" not in preflight
    assert not narrowed.find_resources(
        "AWS::ApiGateway::GatewayResponse", {"Properties": {"ResponseType": "DEFAULT_4XX"}}
    )


def test_stack_unknown_path_is_specs_404_unless_iam_auth(default, narrowed, keyed):
    for template in (default, keyed):
        response = only(
            template,
            "AWS::ApiGateway::GatewayResponse",
            {"ResponseType": "MISSING_AUTHENTICATION_TOKEN"},
        )
        assert response["StatusCode"] == "404"
        body = json.loads(response["ResponseTemplates"]["application/json"])
        assert body == {"message": no_route_message()}  # which routes there are
    assert only(
        default,
        "AWS::ApiGateway::GatewayResponse",
        {"ResponseType": "MISSING_AUTHENTICATION_TOKEN"},
    )["ResponseParameters"] == {"gatewayresponse.header.Access-Control-Allow-Origin": "'*'"}
    # With IAM auth the same response also means "unsigned request": it stays a 403.
    assert not narrowed.find_resources("AWS::ApiGateway::GatewayResponse")


def test_stack_auth_is_off_by_default_and_iam_or_api_key_by_context(default, narrowed, keyed):
    for template, auth, key in (
        (default, "NONE", False),
        (narrowed, "AWS_IAM", False),
        (keyed, "NONE", True),
    ):
        gets = template.find_resources(
            "AWS::ApiGateway::Method", {"Properties": {"HttpMethod": "GET"}}
        )
        assert len(gets) == len(ROUTES)
        for method in gets.values():
            assert method["Properties"]["AuthorizationType"] == auth
            assert method["Properties"].get("ApiKeyRequired", False) is key
    for template in (narrowed, keyed):  # a browser's preflight carries no credentials
        preflights = template.find_resources(
            "AWS::ApiGateway::Method", {"Properties": {"HttpMethod": "OPTIONS"}}
        )
        for method in preflights.values():
            assert method["Properties"]["AuthorizationType"] == "NONE"
            assert method["Properties"].get("ApiKeyRequired", False) is False
    for template in (default, narrowed):
        template.resource_count_is("AWS::ApiGateway::ApiKey", 0)
        template.resource_count_is("AWS::ApiGateway::UsagePlan", 0)
    keyed.resource_count_is("AWS::ApiGateway::ApiKey", 1)
    keyed.resource_count_is("AWS::ApiGateway::UsagePlanKey", 1)
    keyed.has_resource_properties(
        "AWS::ApiGateway::UsagePlan", {"Throttle": {"RateLimit": 50, "BurstLimit": 100}}
    )


def test_stack_caching_by_context_keys_on_every_query_parameter(default, keyed):
    stage = only(keyed, "AWS::ApiGateway::Stage")
    assert stage["CacheClusterEnabled"] is True and stage["CacheClusterSize"] == "0.5"
    (settings,) = stage["MethodSettings"]
    assert settings["CachingEnabled"] is True and settings["CacheTtlInSeconds"] == 300
    assert settings["CacheDataEncrypted"] is True
    lineage_keys = {
        "method.request.querystring.pipeline",
        "method.request.querystring.region",
        "method.request.querystring.includeLatestExec",
        "method.request.querystring.executionArn",
        "method.request.querystring.domain",
        "method.request.querystring.includeCrossPipeline",
        "method.request.querystring.fresh",
    }
    keys = [
        set(m["Properties"]["Integration"].get("CacheKeyParameters", []))
        for m in keyed.find_resources(
            "AWS::ApiGateway::Method", {"Properties": {"HttpMethod": "GET"}}
        ).values()
    ]
    # one listed origin: an unlisted caller's answer (no Allow-Origin) must not be replayed
    origin = "method.request.header.Origin"
    assert lineage_keys | {origin} in keys, "a cached lineage must differ per pipeline, region, ..."
    for method in default.find_resources(
        "AWS::ApiGateway::Method", {"Properties": {"HttpMethod": "GET"}}
    ).values():
        assert "CacheKeyParameters" not in method["Properties"]["Integration"]


def test_stack_outputs_the_endpoint_once(default, keyed):
    outputs = default.to_json()["Outputs"]
    assert list(outputs) == ["LineageApiEndpoint"]
    url = render(outputs["LineageApiEndpoint"]["Value"])
    api_id = next(iter(default.find_resources("AWS::ApiGateway::RestApi")))
    stage_id = next(iter(default.find_resources("AWS::ApiGateway::Stage")))
    assert url == f"https://${{{api_id}}}.execute-api.<Region>.<URLSuffix>/${{{stage_id}}}/"
    assert only(default, "AWS::ApiGateway::Stage")["StageName"] == "prod"
    assert set(keyed.to_json()["Outputs"]) == {"LineageApiEndpoint", "LineageApiKeyId"}


@pytest.mark.parametrize(
    ("context", "message"),
    [
        ({"auth": "oauth"}, "auth"),
        ({"throttleRateLimit": "fast"}, "throttleRateLimit"),
        ({"throttleBurstLimit": "0"}, "throttleBurstLimit"),
        ({"corsOrigins": "lineage.example.com"}, "corsOrigins"),
        ({"regions": "Seoul"}, "regions"),
        ({"s3Buckets": "arn:aws:s3:::bucket"}, "s3Buckets"),
        ({"logRetentionDays": "10"}, "logRetentionDays"),
        ({"timeoutSeconds": "60"}, "timeoutSeconds"),
        ({"enableS3Meta": "yes"}, "enableS3Meta"),
    ],
)
def test_stack_bad_context_stops_synth_naming_the_option(context, message):
    with pytest.raises(ValueError, match=message):
        ApiSettings.from_context(context)


def test_stack_context_lists_accept_json_lists_and_commas():
    from_json = ApiSettings.from_context({"s3Buckets": ["a-bucket", "b-bucket"]})
    from_cli = ApiSettings.from_context({"s3Buckets": "a-bucket, b-bucket"})
    assert from_json.s3_buckets == from_cli.s3_buckets == ("a-bucket", "b-bucket")
    assert ApiSettings.from_context({"s3Buckets": ""}).s3_buckets == ()


# -- cdk-nag ------------------------------------------------------------------


def nag_findings(stack: LineageApiStack) -> list[str]:
    """Synthesize with cdk-nag's AwsSolutions pack; the ids of its findings (empty: it passed)."""
    app = stack.node.root
    assert isinstance(app, cdk.App)
    cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app))
    try:
        app.synth()
    except RuntimeError as failure:
        assert str(failure).startswith("ValidationFailed")
        report = json.loads((Path(app.outdir) / "validation-report.json").read_text())
        return sorted(v["ruleName"] for r in report["pluginReports"] for v in r["violations"])
    return []


@pytest.mark.parametrize(
    "context", [{}, NARROWED, KEYED, LEAN], ids=["default", "narrowed", "keyed", "lean"]
)
def test_stack_cdk_nag_has_no_unacknowledged_finding(tmp_path, context):
    assert nag_findings(synth_stack(tmp_path, context)) == []


@pytest.mark.parametrize(
    "context", [{}, NARROWED, KEYED, LEAN], ids=["default", "narrowed", "keyed", "lean"]
)
def test_stack_cdk_nag_acknowledgements_are_exactly_the_findings(tmp_path, context):
    """None missing, none stale, each with a reason a reviewer can check."""
    bare = synth_stack(tmp_path, context, bare=True)
    findings = nag_findings(bare)
    acknowledged = bare.nag_acknowledgements()
    assert sorted({rule for rule, _ in acknowledged}) == sorted(set(findings))
    assert all(len(reason) > 80 for _, reason in acknowledged)
    if context.get("auth") != "iam":
        assert "AwsSolutions-APIG4" in findings, "an open API is a finding, accepted on purpose"


# -- cfn-lint ------------------------------------------------------------------


#: W3005 flags the DependsOn CDK always adds next to a GetAtt of the role: redundant, harmless.
CDK_NOISE = {"W3005"}


def cfn_lint(template: dict) -> list[str]:
    """cfn-lint's errors and warnings on ``template`` (informational rules left out)."""
    from cfnlint.api import lint_all

    return [
        f"{m.rule.id} {m.message}"
        for m in lint_all(json.dumps(template))
        if m.rule.id[0] in "EW" and m.rule.id not in CDK_NOISE
    ]


@pytest.mark.parametrize("name", ["default", "narrowed", "keyed", "lean"])
def test_stack_template_is_cfn_lint_clean(request, name):
    assert cfn_lint(request.getfixturevalue(name).to_json()) == []


def test_stack_cfn_lint_would_catch_an_api_name_used_as_iam_action(default):
    """The trap docs/api.md warns of: s3:GetBucketEncryption grants nothing, and W3037 says so."""
    text = json.dumps(default.to_json())
    assert '"s3:GetEncryptionConfiguration"' in text
    wrong = json.loads(text.replace('"s3:GetEncryptionConfiguration"', '"s3:GetBucketEncryption"'))
    assert any(finding.startswith("W3037") for finding in cfn_lint(wrong))


class _ReadRecorder(dict):
    """Query parameters that note every name the parser looks up."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.read: set[str] = set()

    def get(self, key, default=None):
        self.read.add(key)
        return super().get(key, default)

    def __getitem__(self, key):
        self.read.add(key)
        return super().__getitem__(key)

    def __contains__(self, key) -> bool:
        self.read.add(key)
        return super().__contains__(key)


EXECUTION_PREFIX = "arn:aws:sagemaker:ap-northeast-2:123456789012:pipeline/mlops-pipeline/execution"


@pytest.mark.parametrize(
    ("route", "params"),
    [
        ("lineage", {"pipeline": "mlops-pipeline", "includeLatestExec": "true"}),
        ("pipelines", {"prefix": "mlops"}),
        ("executions", {"pipeline": "mlops-pipeline", "limit": "5"}),
        (
            "compare",
            {
                "pipeline": "mlops-pipeline",
                "base": f"{EXECUTION_PREFIX}/aaaaaaaaaaaa",
                "head": f"{EXECUTION_PREFIX}/bbbbbbbbbbbb",
                "domain": "d",
            },
        ),
        ("artifact", {"uri": "s3://bucket/prefix", "region": "eu-west-1", "domain": "d"}),
        ("lineage", {"pipeline": "p", "includeCrossPipeline": "true"}),
        ("export", {"pipeline": "p", "format": "dot", "artifacts": "true", "domain": "d"}),
    ],
)
def test_stack_cache_key_holds_every_parameter_the_core_reads(route, params):
    """A parameter the core reads but the cache ignores would serve one answer for two queries."""
    from sagemaker_lineage_ext.core import LineageConfig

    recorder = _ReadRecorder(params)
    ROUTES[route].parse(recorder, LineageConfig())
    assert recorder.read and recorder.read <= set(ROUTES[route].parameters)


# -- review fixes: cache key, regions, report scopes, least privilege, feature flags -------


def test_stack_cache_with_listed_origins_keys_on_the_origin(lean, default):
    """A cached answer carries the Allow-Origin of the caller it was made for: key on Origin."""
    stage = only(lean, "AWS::ApiGateway::Stage")
    assert stage["MethodSettings"][0]["CachingEnabled"] is True
    gets = lean.find_resources("AWS::ApiGateway::Method", {"Properties": {"HttpMethod": "GET"}})
    assert len(gets) == len(ROUTES)
    for method in gets.values():
        props = method["Properties"]
        assert "method.request.header.Origin" in props["Integration"]["CacheKeyParameters"]
        assert props["RequestParameters"]["method.request.header.Origin"] is False
    # CORS "*": the answer is the same for every origin, the key holds the query only.
    for method in default.find_resources(
        "AWS::ApiGateway::Method", {"Properties": {"HttpMethod": "GET"}}
    ).values():
        assert "method.request.header.Origin" not in method["Properties"]["RequestParameters"]


def test_stack_without_s3_meta_or_reports_grants_no_s3_and_says_so(lean):
    by_sid = {s["Sid"]: s for s in role_statements(lean) if "Sid" in s}
    assert "ReadBucketPosture" not in by_sid and "ReadEvaluationReports" not in by_sid
    env = only(lean, "AWS::Lambda::Function")["Environment"]["Variables"]
    assert env["ENABLE_S3_META"] == "false"
    assert env["READ_REPORTS"] == "false"
    assert "REPORT_S3_SCOPES" not in env
    text = json.dumps(lean.to_json())
    assert "s3:Get" not in text and ":s3:::" not in text


def test_stack_reads_reports_by_default(default):
    env = only(default, "AWS::Lambda::Function")["Environment"]["Variables"]
    assert "READ_REPORTS" not in env  # the core's default: true
    assert ApiSettings.from_context({"readReports": "false"}).report_scopes == ()
    with pytest.raises(ValueError, match="readReports"):
        ApiSettings.from_context({"readReports": "maybe"})


@pytest.mark.parametrize(
    ("given", "scope"),
    [
        ("ml-models/evaluation/", "ml-models/evaluation/"),
        ("ml-models/evaluation", "ml-models/evaluation/"),  # not ml-models/evaluation-old/...
        ("/ml-models/evaluation", "ml-models/evaluation/"),
        ("ml-models", "ml-models/"),  # a bucket alone: the whole bucket, not ml-models-2
        ("s3://ml-models/reports", "ml-models/reports/"),
    ],
)
def test_stack_report_prefixes_are_normalised_to_folders(given, scope):
    assert ApiSettings.from_context({"s3ReportPrefixes": given}).report_scopes == (scope,)


@pytest.mark.parametrize("given", ["/", "*/reports", "arn:aws:s3:::b/reports"])
def test_stack_bad_report_prefix_stops_synth(given):
    with pytest.raises(ValueError, match="s3ReportPrefixes"):
        ApiSettings.from_context({"s3ReportPrefixes": given})


def test_stack_report_prefix_policy_and_scope_agree(narrowed):
    """The policy grants <scope>*, the core reads under s3://<scope>: the same folder."""
    by_sid = {s["Sid"]: s for s in role_statements(narrowed) if "Sid" in s}
    (resource,) = resources_of(by_sid["ReadEvaluationReports"])
    env = only(narrowed, "AWS::Lambda::Function")["Environment"]["Variables"]
    assert resource == "arn:<Partition>:s3:::ml-models-bucket/evaluation/*"
    assert env["REPORT_S3_SCOPES"] == "s3://ml-models-bucket/evaluation/"


def test_stack_regions_without_default_region_stop_synth(tmp_path):
    """An env-agnostic stack's region is a token: with regions, defaultRegion is required."""
    with pytest.raises(ValueError, match="defaultRegion"):
        synth_stack(tmp_path, {"regions": "us-east-1,eu-west-1"})


def test_stack_regions_must_hold_the_default_region(tmp_path):
    with pytest.raises(ValueError, match="leaves out the default region 'ap-northeast-2'"):
        synth_stack(tmp_path, {"regions": "us-east-1", "defaultRegion": "ap-northeast-2"})
    # A stack pinned to a region: that region is the default, and must be listed.
    with pytest.raises(ValueError, match="leaves out the default region 'eu-west-1'"):
        synth_stack(
            tmp_path / "pinned",
            {"regions": "us-east-1"},
            env=cdk.Environment(account="123456789012", region="eu-west-1"),
        )
    stack = synth_stack(
        tmp_path / "listed",
        {"regions": "us-east-1,eu-west-1"},
        env=cdk.Environment(account="123456789012", region="eu-west-1"),
    )
    env = only(Template.from_stack(stack), "AWS::Lambda::Function")["Environment"]["Variables"]
    assert env["DEFAULT_REGION"] == "eu-west-1"
    assert env["ALLOWED_REGIONS"] == "us-east-1,eu-west-1"


def test_stack_default_region_is_allowed_by_the_function_itself(narrowed):
    """The configuration the function gets accepts a request that names no region."""
    from sagemaker_lineage_ext.core import LineageConfig
    from sagemaker_lineage_ext.core.request import parse_lineage_request

    env = only(narrowed, "AWS::Lambda::Function")["Environment"]["Variables"]
    config = LineageConfig.from_env({k: v for k, v in env.items() if isinstance(v, str)})
    request = parse_lineage_request({"pipeline": "mlops-pipeline"}, config)
    assert request.region == "ap-northeast-2"


def test_stack_cdk_json_sets_the_recommended_feature_flags():
    """`cdk init` writes these for the locked CLI; cdk.json keeps them (synths here use them)."""
    recommended = json.loads(
        (
            SERVERLESS / "node_modules/aws-cdk/lib/init-templates/.recommended-feature-flags.json"
        ).read_text()
    )
    assert FEATURE_FLAGS == recommended


def test_stack_api_settings_defaults_are_the_settings_tables():
    """ApiSettings repeats each context option's default: it must be the table's."""
    import dataclasses

    from stacks.lineage_api_stack import CONTEXT_SETTINGS

    renamed = {"allowed_regions": "regions", "report_scopes": "s3_report_prefixes"}
    defaults = {f.name: f.default for f in dataclasses.fields(ApiSettings)}
    assert set(defaults) == {renamed.get(s.name, s.name) for s in CONTEXT_SETTINGS}
    for setting in CONTEXT_SETTINGS:
        assert defaults[renamed.get(setting.name, setting.name)] == setting.default, setting.name
