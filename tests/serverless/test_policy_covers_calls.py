"""The synthesized role allows every AWS call the function really makes.

GIVEN a template synthesized with some context, WHEN the core, configured with
exactly the environment that template gives the function, reads full lineages
and the listing on the demo account, THEN every SageMaker and S3 call it made
targets a resource the role's policy grants that action on. Each call's target
ARN is built from the call's own parameters (botocore's
``before-parameter-build`` event), the way IAM would see it; a policy whose
narrowing is wrong (a resource type, a region, a bucket ARN, a report prefix)
fails here instead of as AccessDenied after a deploy.
"""

from __future__ import annotations

import fnmatch
from typing import Any

import pytest
from serverless_support import SERVERLESS  # noqa: F401 - puts serverless/ on sys.path
from test_lineage_api_stack import (
    actions_of,
    only,
    render,
    role_statements,
    synth_stack,
)

from sagemaker_lineage_ext.core.aws import AwsGateway
from sagemaker_lineage_ext.core.config import LineageConfig
from sagemaker_lineage_ext.core.http import handle_query
from sagemaker_lineage_ext.core.permissions import iam_action
from sagemaker_lineage_ext.core.service import LineageService
from sagemaker_lineage_ext.demo.seed import BUCKETS, REGION

ACCOUNT = "123456789012"
#: Full reads of pipelines with processing, training, model registration and an
#: evaluation report (mlops), batch transform (churn) and tuning (fraud detection).
QUERIES = [
    ("lineage", {"pipeline": "mlops-pipeline"}),
    ("lineage", {"pipeline": "churn-pipeline"}),
    ("lineage", {"pipeline": "fraud-detection-pipeline", "region": REGION}),
    ("pipelines", {}),
    ("compare", {"pipeline": "mlops-pipeline"}),
    ("artifact", {"uri": "s3://my-mlops-dev2-v2-main-data/features/customers"}),
    ("lineage", {"pipeline": "customer-ltv-pipeline", "includeCrossPipeline": "true"}),
]
#: SageMaker name parameters -> the resource type of their ARN.
NAMED = {
    "PipelineName": "pipeline",
    "ProcessingJobName": "processing-job",
    "TrainingJobName": "training-job",
    "TransformJobName": "transform-job",
    "HyperParameterTuningJobName": "hyper-parameter-tuning-job",
    "ModelPackageName": "model-package",
}
ARN_PARAMETERS = ("PipelineExecutionArn", "PipelineArn", "ResourceArn")


def target_arn(service: str, operation: str, region: str, params: dict[str, Any]) -> str:
    """The resource IAM authorises ``operation`` against, from the call's parameters."""
    if service == "s3":
        bucket = params["Bucket"]
        return (
            f"arn:aws:s3:::{bucket}/{params['Key']}"
            if "Key" in params
            else (f"arn:aws:s3:::{bucket}")
        )
    if operation == "ListPipelines":
        return "*"
    for name in ARN_PARAMETERS:
        if name in params:
            return params[name]
    for name, kind in NAMED.items():
        if name in params:
            value = params[name]
            if value.startswith("arn:"):
                return value
            return f"arn:aws:sagemaker:{region}:{ACCOUNT}:{kind}/{value.lower()}"
    raise AssertionError(f"no ARN rule for sagemaker {operation}({sorted(params)}): add one")


def recording_service(config: LineageConfig, calls: list[tuple[str, str, str]]) -> LineageService:
    """A service on the demo account that records (action, target ARN, call) of every call."""
    from sagemaker_lineage_ext.demo.account import DemoAccount

    account = DemoAccount.get()

    def factory(service: str, region: str, botocore_config: Any) -> Any:
        client = account.client(service, region, botocore_config)

        def record(params: dict, model: Any, **_: Any) -> None:
            arn = target_arn(service, model.name, region, params)
            calls.append((iam_action(service, model.name), arn, f"{service}.{model.name}"))

        client.meta.events.register("before-parameter-build", record)
        return client

    return LineageService(config, AwsGateway(config, client_factory=factory))


def function_config(template) -> LineageConfig:
    """The core's configuration from the environment the template gives the function."""
    env = only(template, "AWS::Lambda::Function")["Environment"]["Variables"]
    values = {
        name: (REGION if value == {"Ref": "AWS::Region"} else value) for name, value in env.items()
    }
    assert all(isinstance(v, str) for v in values.values()), values
    return LineageConfig.from_env(values)


def granted_patterns(template) -> dict[str, list[str]]:
    """IAM action -> the Resource patterns the role grants it on, on the demo account."""
    granted: dict[str, list[str]] = {}
    for statement in role_statements(template):
        assert statement["Effect"] == "Allow"
        resources = statement["Resource"]
        resources = resources if isinstance(resources, list) else [resources]
        patterns = [
            str(render(r)).replace("<Partition>", "aws").replace("<AccountId>", ACCOUNT)
            for r in resources
        ]
        for action in actions_of(statement):
            granted.setdefault(action, []).extend(patterns)
    return granted


def read_everything(config: LineageConfig) -> list[tuple[str, str, str]]:
    calls: list[tuple[str, str, str]] = []
    service = recording_service(config, calls)
    try:
        for route, params in QUERIES:
            status, body = handle_query(service, route, params, request_id="policy-test")
            assert status == 200, (route, params, body)
    finally:
        service.gateway.close()
    return calls


def denied_calls(template, calls: list[tuple[str, str, str]]) -> list[str]:
    granted = granted_patterns(template)
    return [
        f"{call}: {action} on {arn}"
        for action, arn, call in calls
        if not any(fnmatch.fnmatchcase(arn, pattern) for pattern in granted.get(action, []))
    ]


@pytest.fixture(scope="module")
def default_calls(demo_account, tmp_path_factory):
    from aws_cdk.assertions import Template

    template = Template.from_stack(synth_stack(tmp_path_factory.mktemp("policy-default"), {}))
    return template, read_everything(function_config(template))


def test_policy_default_allows_every_call_of_full_reads(default_calls):
    template, calls = default_calls
    actions = {action for action, _, _ in calls}
    # the reads covered: processing, training and tuning jobs, a model package, posture, a
    # report (the demo's transform step has no job moto can describe: its ARN rule is the
    # same as the other jobs')
    assert {
        "sagemaker:ListPipelines",
        "sagemaker:DescribeProcessingJob",
        "sagemaker:DescribeTrainingJob",
        "sagemaker:DescribeHyperParameterTuningJob",
        "sagemaker:DescribeModelPackage",
        "sagemaker:ListTags",
        "s3:GetEncryptionConfiguration",
        "s3:GetObject",
    } <= actions
    assert denied_calls(template, calls) == []
    print(f"\n[policy] {len(calls)} calls of {len(actions)} actions, each allowed by the role")


def test_policy_narrowed_to_region_buckets_and_report_folders_allows_every_call(
    default_calls, tmp_path
):
    """Narrowed to the demo's region, its buckets and the folders its reports are in
    (given without a trailing "/"), the role still allows every call, and reports are
    still read (the core's scope and the policy's prefix are the same folder)."""
    from aws_cdk.assertions import Template

    _, calls = default_calls
    folders = sorted(
        {
            arn.removeprefix("arn:aws:s3:::").rsplit("/", 1)[0]
            for a, arn, _ in calls
            if a == "s3:GetObject"
        }
    )
    context = {
        "regions": REGION,
        "defaultRegion": REGION,
        "s3Buckets": ",".join(b.name for b in BUCKETS),
        "s3ReportPrefixes": ",".join(folders),
    }
    template = Template.from_stack(synth_stack(tmp_path, context))
    narrowed_calls = read_everything(function_config(template))
    assert "s3:GetObject" in {action for action, _, _ in narrowed_calls}, "reports still read"
    assert denied_calls(template, narrowed_calls) == []


def test_policy_would_catch_a_wrong_narrowing(default_calls):
    """The check itself: a resource type or bucket ARN written wrong denies real calls."""
    template, calls = default_calls
    broken = template.to_json()
    text = str(broken)
    assert "training-job/*" in text
    import json

    from aws_cdk.assertions import Template

    wrong = json.loads(
        json.dumps(broken)
        .replace("training-job/*", "trainingjob/*")
        .replace(':s3:::*/*"', ':s3:::*/reports/*"')
    )
    denied = denied_calls(Template.from_json(wrong), calls)
    assert any("DescribeTrainingJob" in d for d in denied)
    assert any("GetObject" in d for d in denied)


def test_policy_without_s3_meta_or_reports_the_core_makes_no_s3_call(tmp_path, demo_account):
    from aws_cdk.assertions import Template

    context = {"enableS3Meta": "false", "readReports": "false"}
    template = Template.from_stack(synth_stack(tmp_path, context))
    calls = read_everything(function_config(template))
    assert calls and not [c for c in calls if c[0].startswith("s3:")]
    assert denied_calls(template, calls) == []
