"""LineageApiStack: the lineage core behind API Gateway (REST, stage ``prod``) and Lambda.

Everything a deployment can tune comes from CDK context (``-c name=value`` or
``cdk.json``), read once into :class:`ApiSettings`. The Lambda asset is staged
by :func:`build_lambda_asset` from the repository's own sources: the package
root, the handler, the door kit's account and the core, nothing else (boto3 comes
with the runtime).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from sagemaker_lineage_ext.core.config import SETTINGS
from sagemaker_lineage_ext.core.permissions import (
    DATAZONE_ACTIONS,
    S3_BUCKET_ACTIONS,
    S3_OBJECT_ACTIONS,
    SAGEMAKER_ACTIONS,
)
from sagemaker_lineage_ext.core.routes import ROUTES, no_route_message

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "sagemaker_lineage_ext"
FUNCTION_NAME = "LineageApiFn"
HANDLER = "sagemaker_lineage_ext.lambda_handler.handler"
#: The settings a deployment tunes through CDK context (``core/config.py``, ``SETTINGS``).
CONTEXT_SETTINGS = tuple(s for s in SETTINGS if s.context)
#: SageMaker resources the describe/list reads touch (ListPipelines has no resource level).
SAGEMAKER_RESOURCE_TYPES = (
    "pipeline/*",  # pipelines and their executions (pipeline/NAME/execution/ID)
    "processing-job/*",
    "training-job/*",
    "transform-job/*",
    "hyper-parameter-tuning-job/*",
    "model-package/*",
)
#: Log retention choices (days -> CloudWatch's enum), a subset of what CloudWatch offers.
RETENTION_DAYS = {
    1: logs.RetentionDays.ONE_DAY,
    3: logs.RetentionDays.THREE_DAYS,
    7: logs.RetentionDays.ONE_WEEK,
    14: logs.RetentionDays.TWO_WEEKS,
    30: logs.RetentionDays.ONE_MONTH,
    60: logs.RetentionDays.TWO_MONTHS,
    90: logs.RetentionDays.THREE_MONTHS,
    180: logs.RetentionDays.SIX_MONTHS,
    365: logs.RetentionDays.ONE_YEAR,
    731: logs.RetentionDays.TWO_YEARS,
    1827: logs.RetentionDays.FIVE_YEARS,
    3653: logs.RetentionDays.TEN_YEARS,
}
#: API Gateway ends every integration at 29 s: the Lambda must answer before.
MAX_TIMEOUT_S = 28


@dataclass(frozen=True)
class ApiSettings:
    """What a deployment tunes through CDK context (names in README "Deploy the REST API")."""

    cors_origins: tuple[str, ...] = ("*",)
    throttle_rate_limit: float = 50.0
    throttle_burst_limit: int = 100
    cache_ttl_seconds: int = 0
    s3_buckets: tuple[str, ...] = ()
    s3_report_prefixes: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    auth: str = "none"
    default_region: str | None = None
    enable_s3_meta: bool = True
    read_reports: bool = True
    s3_timeout_ms: int = 3000
    memory_mb: int = 1024
    timeout_seconds: int = 25
    log_retention_days: int = 30
    datazone_domain: str | None = None

    @classmethod
    def from_context(cls, context: Mapping[str, Any]) -> ApiSettings:
        """Read and check every option with the settings table's own parser (the same
        one the function's environment and the server's traits go through); a bad
        value stops synth with a message naming the option."""
        values: dict[str, Any] = {}
        for setting in CONTEXT_SETTINGS:
            raw = context.get(str(setting.context))
            if raw is not None and raw != "":
                values[setting.name] = setting.parse(raw, f"context {setting.context}")
        if "report_scopes" in values:  # s3://bucket/prefix/ -> bucket/prefix/ (IAM's form)
            values["report_scopes"] = tuple(v[len("s3://") :] for v in values["report_scopes"])
        renamed = {"allowed_regions": "regions", "report_scopes": "s3_report_prefixes"}
        return cls(**{renamed.get(name, name): value for name, value in values.items()})

    def effective_default_region(self, stack_region: str) -> str:
        """The region a request without ``region`` reads: defaultRegion, else the stack's.

        With a ``regions`` allow-list it must be in the list, or every such request
        would be a 400; an unresolved stack region (an environment-agnostic stack)
        cannot be checked, so the list then needs defaultRegion.
        """
        if self.default_region:
            region = self.default_region
        elif cdk.Token.is_unresolved(stack_region):
            if self.regions:
                raise ValueError(
                    "context regions is set but the stack's region is only known at deploy "
                    "time: set context defaultRegion to one of "
                    f"{', '.join(self.regions)} (requests without region read it)"
                )
            return stack_region
        else:
            region = stack_region
        if self.regions and region not in self.regions:
            raise ValueError(
                f"context regions ({', '.join(self.regions)}) leaves out the default region "
                f"{region!r}: every request without region would be a 400; add it to regions "
                "or set defaultRegion to one of them"
            )
        return region

    @property
    def report_scopes(self) -> tuple[str, ...]:
        """``bucket/prefix/`` scopes GetObject is granted on (``()``: every bucket)."""
        if not self.read_reports:
            return ()
        if self.s3_report_prefixes:
            return self.s3_report_prefixes
        return tuple(f"{bucket}/" for bucket in self.s3_buckets)


def build_lambda_asset(dest: Path) -> Path:
    """Stage the Lambda code in ``dest``: package root, handler, ``kit/account.py`` and
    the core modules only.

    Built by copying, without Docker or pip: the core needs nothing but the
    standard library and boto3, which the Lambda Python runtime provides.
    """
    if dest.exists():
        shutil.rmtree(dest)
    target = dest / "sagemaker_lineage_ext"
    (target / "core").mkdir(parents=True)
    (target / "kit").mkdir()
    for name in ("__init__.py", "lambda_handler.py", "kit/__init__.py", "kit/account.py"):
        shutil.copyfile(PACKAGE / name, target / name)
    for module in sorted((PACKAGE / "core").glob("*.py")):
        shutil.copyfile(module, target / "core" / module.name)
    return dest


class LineageApiStack(cdk.Stack):
    """API Gateway REST API (``GET /<route>`` for every route of ``core/routes.py``) over
    Lambda ``LineageApiFn``."""

    #: The CDK context options :class:`ApiSettings` reads.
    CONTEXT_NAMES = tuple(str(s.context) for s in CONTEXT_SETTINGS)

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        asset_dir: Path,
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        self.settings = ApiSettings.from_context(self._context())
        s = self.settings
        self.default_region = s.effective_default_region(self.region)

        self.function_log_group = logs.LogGroup(
            self,
            "LineageApiFnLogs",
            log_group_name=f"/aws/lambda/{FUNCTION_NAME}",
            retention=RETENTION_DAYS[s.log_retention_days],
            removal_policy=cdk.RemovalPolicy.DESTROY,
        )
        self.role = self._reading_role()
        self.function = lambda_.Function(
            self,
            "LineageApiFn",
            function_name=FUNCTION_NAME,
            description="Read-only lineage of SageMaker Pipelines (sagemaker-lineage-ext)",
            runtime=lambda_.Runtime.PYTHON_3_14,
            architecture=lambda_.Architecture.ARM_64,
            handler=HANDLER,
            code=lambda_.Code.from_asset(str(asset_dir)),
            # A 200-step lineage is ~300 AWS reads run on up to 128 threads; botocore's
            # parsing is CPU-bound, and CPU grows with memory (1769 MB = one vCPU).
            memory_size=s.memory_mb,
            timeout=cdk.Duration.seconds(s.timeout_seconds),
            role=self.role,
            log_group=self.function_log_group,
            logging_format=lambda_.LoggingFormat.JSON,
            application_log_level_v2=lambda_.ApplicationLogLevel.INFO,
            system_log_level_v2=lambda_.SystemLogLevel.WARN,
            environment=self._environment(),
        )
        self.api = self._rest_api()
        if s.datazone_domain:
            self._lineage_to_datazone()
        cdk.CfnOutput(
            self,
            "LineageApiEndpoint",
            value=self.api.url,
            description="Base URL of the lineage API: GET {url}lineage?pipeline=NAME",
        )
        self._acknowledge_findings()

    # -- pieces -------------------------------------------------------------------

    def _context(self) -> dict[str, Any]:
        return {name: self.node.try_get_context(name) for name in self.CONTEXT_NAMES}

    def _environment(self) -> dict[str, str]:
        s = self.settings
        env = {
            "DEFAULT_REGION": self.default_region,
            "ENABLE_S3_META": "true" if s.enable_s3_meta else "false",
            "S3_TIMEOUT_MS": str(s.s3_timeout_ms),
            "CORS_ALLOW_ORIGINS": ",".join(s.cors_origins),
        }
        if s.regions:
            env["ALLOWED_REGIONS"] = ",".join(s.regions)
        if not s.read_reports:
            env["READ_REPORTS"] = "false"
        if s.datazone_domain:
            env["DATAZONE_DOMAIN_ID"] = s.datazone_domain
        if s.report_scopes:
            # The core skips reports outside the granted scopes instead of
            # collecting AccessDenied warnings for them.
            env["REPORT_S3_SCOPES"] = ",".join(f"s3://{scope}" for scope in s.report_scopes)
        return env

    def _reading_role(self) -> iam.Role:
        s = self.settings
        partition, account = cdk.Aws.PARTITION, cdk.Aws.ACCOUNT_ID
        regions = s.regions or ("*",)
        sagemaker_resources = [
            f"arn:{partition}:sagemaker:{region}:{account}:{kind}"
            for region in regions
            for kind in SAGEMAKER_RESOURCE_TYPES
        ]
        buckets = [f"arn:{partition}:s3:::{b}" for b in s.s3_buckets] or [f"arn:{partition}:s3:::*"]
        objects = [f"arn:{partition}:s3:::{scope}*" for scope in s.report_scopes] or [
            f"arn:{partition}:s3:::*/*"
        ]
        read = iam.PolicyDocument(
            statements=[
                iam.PolicyStatement(
                    sid="ListPipelines",  # no resource-level permissions exist for it
                    actions=["sagemaker:ListPipelines"],
                    resources=["*"],
                ),
                iam.PolicyStatement(
                    sid="ReadPipelinesRunsJobsModels",
                    actions=[a for a in SAGEMAKER_ACTIONS if a != "sagemaker:ListPipelines"],
                    resources=sagemaker_resources,
                ),
            ]
        )
        # Only what the function will call: no posture reads with enableS3Meta=false,
        # no GetObject with readReports=false.
        if s.enable_s3_meta:
            read.add_statements(
                iam.PolicyStatement(
                    sid="ReadBucketPosture", actions=list(S3_BUCKET_ACTIONS), resources=buckets
                )
            )
        if s.read_reports:
            read.add_statements(
                iam.PolicyStatement(
                    sid="ReadEvaluationReports", actions=list(S3_OBJECT_ACTIONS), resources=objects
                )
            )
        logs_write = iam.PolicyDocument(
            statements=[
                iam.PolicyStatement(
                    actions=["logs:CreateLogStream", "logs:PutLogEvents"],
                    resources=[self.function_log_group.log_group_arn],
                )
            ]
        )
        policies = {"LineageRead": read, "WriteOwnLogs": logs_write}
        if s.datazone_domain:  # the one write, opt-in: only on the configured domain
            policies["SendLineageToDataZone"] = iam.PolicyDocument(
                statements=[
                    iam.PolicyStatement(
                        actions=list(DATAZONE_ACTIONS),
                        resources=[
                            f"arn:{partition}:datazone:{cdk.Aws.REGION}:{account}:domain/"
                            f"{s.datazone_domain}"
                        ],
                    )
                ]
            )
        return iam.Role(
            self,
            "LineageApiFnRole",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description="The core's SageMaker and S3 reads, its own log group"
            + (", and OpenLineage events to one DataZone domain" if s.datazone_domain else ""),
            inline_policies=policies,
        )

    def _lineage_to_datazone(self) -> events.Rule:
        """Every status change of a pipeline execution in this account and region, sent by
        SageMaker to EventBridge, invokes the function, which posts the execution's
        OpenLineage events to the ``datazoneDomain`` domain (``lambda_handler.send_lineage``)."""
        rule = events.Rule(
            self,
            "PipelineExecutionLineageToDataZone",
            description="SageMaker pipeline execution status changes -> OpenLineage events in DataZone",
            event_pattern=events.EventPattern(
                source=["aws.sagemaker"],
                detail_type=["SageMaker Model Building Pipeline Execution Status Change"],
            ),
        )
        rule.add_target(targets.LambdaFunction(self.function, retry_attempts=2))
        return rule

    def _rest_api(self) -> apigw.RestApi:
        s = self.settings
        access_logs = logs.LogGroup(
            self,
            "LineageApiAccessLogs",
            retention=RETENTION_DAYS[s.log_retention_days],
            removal_policy=cdk.RemovalPolicy.DESTROY,
        )
        caching = s.cache_ttl_seconds > 0
        api = apigw.RestApi(
            self,
            "LineageApi",
            rest_api_name="LineageApi",
            description="Read-only lineage of SageMaker Pipelines",
            endpoint_types=[apigw.EndpointType.REGIONAL],
            # Access and execution logs need the account's API Gateway logging role.
            cloud_watch_role=True,
            # A 200-step lineage is ~0.5 MB of JSON; gzip it for clients that accept it.
            min_compression_size=cdk.Size.kibibytes(1),
            default_cors_preflight_options=apigw.CorsOptions(
                allow_origins=list(s.cors_origins),
                allow_methods=["GET", "OPTIONS"],
                allow_headers=[
                    "Content-Type",
                    "Authorization",
                    "X-Amz-Date",
                    "X-Api-Key",
                    "X-Amz-Security-Token",
                ],
                max_age=cdk.Duration.hours(1),
            ),
            deploy_options=apigw.StageOptions(
                stage_name="prod",
                throttling_rate_limit=s.throttle_rate_limit,
                throttling_burst_limit=s.throttle_burst_limit,
                access_log_destination=apigw.LogGroupLogDestination(access_logs),
                access_log_format=apigw.AccessLogFormat.custom(ACCESS_LOG_FORMAT),
                logging_level=apigw.MethodLoggingLevel.ERROR,
                data_trace_enabled=False,
                metrics_enabled=True,
                caching_enabled=caching,
                cache_cluster_enabled=caching or None,
                cache_cluster_size="0.5" if caching else None,
                cache_ttl=cdk.Duration.seconds(s.cache_ttl_seconds) if caching else None,
                cache_data_encrypted=True if caching else None,
            ),
        )
        # RestApi adds its own endpoint output; LineageApiEndpoint is the one the README names.
        api.node.try_remove_child("Endpoint")

        authorization = apigw.AuthorizationType.IAM if s.auth == "iam" else None
        for route in ROUTES.values():
            keys = self.cache_key_parameters(route.parameters)
            api.root.add_resource(route.name).add_method(
                "GET",
                apigw.LambdaIntegration(
                    self.function, proxy=True, cache_key_parameters=keys if caching else None
                ),
                authorization_type=authorization,
                api_key_required=s.auth == "apiKey",
                request_parameters={key: False for key in keys},
            )
        self._gateway_responses(api)
        if s.auth == "apiKey":
            plan = api.add_usage_plan(
                "LineageApiUsagePlan",
                name="LineageApiUsagePlan",
                throttle=apigw.ThrottleSettings(
                    rate_limit=s.throttle_rate_limit, burst_limit=s.throttle_burst_limit
                ),
                api_stages=[apigw.UsagePlanPerApiStage(api=api, stage=api.deployment_stage)],
            )
            key = api.add_api_key("LineageApiKey")
            plan.add_api_key(key)
            cdk.CfnOutput(
                self,
                "LineageApiKeyId",
                value=key.key_id,
                description="aws apigateway get-api-key --include-value --api-key <this id>",
            )
        return api

    def cache_key_parameters(self, query_parameters: tuple[str, ...]) -> list[str]:
        """What one cached answer is keyed on: every query parameter the core reads, and
        the caller's ``Origin`` unless CORS allows ``*``.

        With listed origins the handler echoes the caller's origin (or none, for an
        unlisted one) in Access-Control-Allow-Origin; a cache keyed on the query
        string alone would replay the first caller's header to every other origin.
        """
        keys = [f"method.request.querystring.{p}" for p in query_parameters]
        if "*" not in self.settings.cors_origins:
            keys.append("method.request.header.Origin")
        return keys

    def _gateway_responses(self, api: apigw.RestApi) -> None:
        """API Gateway's own answers: CORS headers, and the API's 404 for a path it does not know.

        A browser shows an error without CORS headers as an opaque network
        failure. One configured origin (or ``*``) is sent as is; with several,
        these responses cannot pick one and carry none (README says so).

        Without IAM auth, "Missing Authentication Token" (403) only means "no such
        path or method", which the API answers with its 404; with IAM auth it also
        means an unsigned request, so it stays a 403.
        """
        origins = self.settings.cors_origins
        headers = {}
        if len(origins) == 1:
            headers["Access-Control-Allow-Origin"] = f"'{origins[0]}'"
            if origins[0] != "*":
                headers["Vary"] = "'Origin'"
            for name, kind in (
                ("Default4xx", apigw.ResponseType.DEFAULT_4_XX),
                ("Default5xx", apigw.ResponseType.DEFAULT_5_XX),
            ):
                api.add_gateway_response(name, type=kind, response_headers=headers)
        if self.settings.auth != "iam":
            api.add_gateway_response(
                "UnknownPathIsNotFound",
                type=apigw.ResponseType.MISSING_AUTHENTICATION_TOKEN,
                status_code="404",
                response_headers=headers or None,
                templates={"application/json": json.dumps({"message": no_route_message()})},
            )

    def nag_acknowledgements(self) -> list[tuple[str, str]]:
        """cdk-nag (AwsSolutions) findings this design accepts, each with its reason.

        Each id is one finding; a test checks that the list is exactly the set of
        findings the stack raises for its settings (none missing, none stale).
        """
        s = self.settings
        acks: list[tuple[str, str]] = [
            (
                "AwsSolutions-APIG2",
                "Request validation is done by the lineage core in the Lambda, so every front "
                "door answers the exact 400 bodies (naming the parameter); an API Gateway "
                "validator would answer different bodies. Invalid input never reaches AWS.",
            ),
            (
                "AwsSolutions-APIG3",
                "No WAF web ACL by default: the API is read-only, stage throttling bounds the "
                "request rate, and auth=iam|apiKey closes it. Attach an organisation's web ACL "
                "to the stage if policy requires one.",
            ),
            (
                "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
                "AmazonAPIGatewayPushToCloudWatchLogs]",
                "API Gateway's account-level logging role, required for the access and "
                "execution logs; this AWS-managed policy is the documented, log-only policy "
                "for exactly that role.",
            ),
            (
                "AwsSolutions-IAM5[Resource::*]",
                "sagemaker:ListPipelines supports no resource-level permissions; it is the only "
                "action granted on '*'.",
            ),
        ]
        for region in s.regions or ("*",):
            for kind in SAGEMAKER_RESOURCE_TYPES:
                acks.append(
                    (
                        f"AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:sagemaker:{region}:"
                        f"<AWS::AccountId>:{kind}]",
                        "Read-only describe/list of any pipeline, execution, job or model "
                        "package in this account: which ones a caller asks about is known only "
                        "at request time. Narrow regions with the regions context.",
                    )
                )
        if s.enable_s3_meta and not s.s3_buckets:
            acks.append(
                (
                    "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::*]",
                    "Bucket posture reads (encryption, versioning, public access, tags, "
                    "location: configuration only, no data) on any bucket, because pipelines "
                    "may use any bucket; the s3Buckets context narrows it.",
                )
            )
        for scope in (s.report_scopes or ("*/",)) if s.read_reports else ():
            acks.append(
                (
                    f"AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::{scope}*]",
                    "s3:GetObject for evaluation reports (a step's property file) under this "
                    "scope; the s3ReportPrefixes or s3Buckets context narrows it.",
                )
            )
        if s.auth != "iam":
            acks.append(
                (
                    "AwsSolutions-APIG4",
                    "The endpoint is public and read-only by default (auth=none); "
                    "auth=iam adds IAM authorisation, auth=apiKey an API key and usage plan.",
                )
            )
        acks.append(
            (
                "AwsSolutions-COG4",
                "No Cognito user pool: callers are browsers of a public read-only frontend "
                "(auth=none), AWS principals (auth=iam) or API-key holders (auth=apiKey).",
            )
        )
        return acks

    def _acknowledge_findings(self) -> None:
        cdk.Validations.of(self).acknowledge(
            *[
                cdk.Acknowledgment(id=rule, reason=reason)
                for rule, reason in self.nag_acknowledgements()
            ]
        )


ACCESS_LOG_FORMAT = (
    '{"requestId":"$context.requestId",'
    '"lambdaRequestId":"$context.integration.requestId",'
    '"ip":"$context.identity.sourceIp",'
    '"method":"$context.httpMethod",'
    '"resource":"$context.resourcePath",'
    '"status":"$context.status",'
    '"integrationStatus":"$context.integration.status",'
    '"latencyMs":"$context.responseLatency",'
    '"integrationLatencyMs":"$context.integration.latency",'
    '"responseLength":"$context.responseLength",'
    '"error":"$context.error.message",'
    '"time":"$context.requestTime"}'
)
