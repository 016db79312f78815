"""The demo account's data: buckets, pipelines, executions, jobs, models, reports.

Pipeline definitions are the JSON the real SageMaker Python SDK wrote
(``definitions/``, from ``scripts/generate_definitions.py``). Executions are
simulated step by step in topological order: each job a step would start is
created in moto through the real API with the step's arguments resolved for
that execution, then given the status, times and metrics the scenario calls
for. The step records SageMaker would list (moto does not) are kept for the
``ListPipelineExecutionSteps`` hook.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from importlib import resources
from typing import Any

from ..core.definition import PipelineDefinition, Step, parse_definition
from ..core.locations import job_io
from ..core.references import ResolutionContext, Resolved, build_edges, resolve_value

REGION = "ap-northeast-2"
ACCOUNT = "123456789012"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/service-role/AmazonSageMaker-ExecutionRole-demo"
KMS_KEY_ARN = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/4f1c2b7e-8d3a-4c55-9b1e-2a6f0d9c7e10"
DENIED_BUCKETS = frozenset({"mlops-restricted-audit-logs"})


def domain_arn(domain_id: str) -> str:
    return f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:domain/{domain_id}"


@dataclass(frozen=True)
class BucketSeed:
    name: str
    encryption: str | None = None  # "aws:kms" | "AES256" | None
    versioning: str | None = None  # "Enabled" | "Suspended" | None
    public_block: str | None = None  # "all" | "partial" | None
    tags: Mapping[str, str] = field(default_factory=dict)


BUCKETS = [
    BucketSeed(
        "my-mlops-dev2-v2-main-data", "aws:kms", "Enabled", "all",
        {"Env": "development", "Project": "abalone", "Owner": "mlops-team"},
    ),
    BucketSeed(
        f"sagemaker-{REGION}-{ACCOUNT}", "AES256", "Suspended", "partial", {"ManagedBy": "sagemaker"}
    ),
    BucketSeed("mlops-scratch-unconfigured"),
    BucketSeed("mlops-restricted-audit-logs", "aws:kms", "Enabled", "all", {"Env": "production"}),
] + [
    BucketSeed(
        f"lineage-bench-{i:02d}",
        ("aws:kms", "AES256", None, "aws:kms")[i % 4],
        ("Enabled", "Suspended", None, "Enabled")[i % 4],
        ("all", "partial", None, "all")[i % 4],
        {"Env": "benchmark", "Shard": str(i)} if i % 4 != 2 else {},
    )
    for i in range(20)
]  # fmt: skip


@dataclass(frozen=True)
class ExecutionSeed:
    status: str  # Succeeded | Failed | Executing | Stopped
    started_hours_ago: float
    #: ``{date}`` becomes the start date (``nightly-{date}`` started that day), ``{run}``
    #: the number of an advancing execution's run (``live.py``)
    display_name: str
    parameters: Mapping[str, str] = field(default_factory=dict)
    fail_step: str | None = None
    failure_reason: str | None = None
    running_step: str | None = None
    condition_outcomes: Mapping[str, bool] = field(default_factory=dict)
    metrics: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    reports: Mapping[str, Any] = field(default_factory=dict)
    cache_hits: frozenset[str] = frozenset()
    #: step name -> seconds it ran (else a stable pseudo-random share of DURATION_S)
    durations: Mapping[str, float] = field(default_factory=dict)
    #: the definition file (``definitions/<name>.json``) this execution ran; None: the
    #: pipeline's current one. An execution naming another one runs before an
    #: UpdatePipeline, as on SageMaker, so DescribePipelineDefinitionForExecution differs.
    definition: str | None = None
    #: An execution that advances in wall-clock time (``live.py``): simulated to its end
    #: with step times that lie ahead of the seeding, then shown as of each answer's time.
    advancing: bool = False


@dataclass(frozen=True)
class PipelineSeed:
    name: str
    description: str
    tags: Mapping[str, str]
    executions: tuple[ExecutionSeed, ...] = ()
    #: the definition file to use, when it is another pipeline's
    definition: str | None = None


ABALONE_REPORT = {"regression_metrics": {"mse": {"value": 4.316, "standard_deviation": 2.074}}}

PIPELINES = [
    PipelineSeed(
        "mlops-pipeline",
        "Abalone age regression: preprocess, train XGBoost, evaluate, register if MSE is low enough.",
        {
            "sagemaker:domain-arn": domain_arn("d-mlopsdemo0001"),
            "domain-name": "mlops-studio",
            "Env": "development",
            "Team": "mlops",
        },
        (
            ExecutionSeed(
                "Failed", 50, "nightly-{date}",
                definition="mlops-pipeline.v1",
                fail_step="Train",
                failure_reason=(
                    "AlgorithmError: framework error: Unable to parse the training data: "
                    "expected 9 columns, found 8 (exit code 1)"
                ),
            ),
            ExecutionSeed(
                "Succeeded", 27, "nightly-{date}",
                definition="mlops-pipeline.v1",
                metrics={"Train": {"train:rmse": 1.744, "validation:rmse": 2.131}},
                reports={"Evaluate": {"regression_metrics": {"mse": {"value": 5.02, "standard_deviation": 2.24}}}},
                durations={"Train": 548},
            ),
            # After an UpdatePipeline (caching on for Preprocess and Train, max_depth 5 -> 6),
            # on a larger training instance: Preprocess is a cache hit, Train a miss (its
            # hyperparameters changed), and Train runs faster with better metrics.
            ExecutionSeed(
                "Succeeded", 3, "nightly-{date}",
                parameters={
                    "ModelApprovalStatus": "PendingManualApproval",
                    "TrainingInstanceType": "ml.m5.2xlarge",
                },
                metrics={"Train": {"train:rmse": 1.712, "validation:rmse": 2.078}},
                reports={"Evaluate": ABALONE_REPORT},
                cache_hits=frozenset({"Preprocess"}),
                durations={"Train": 371},
            ),
        ),
    ),
    PipelineSeed(
        "churn-pipeline",
        "Customer churn: features, training, batch scoring of this week's customers.",
        {"Env": "development", "Team": "growth"},
        (
            ExecutionSeed("Succeeded", 30, "weekly-{date}", metrics={"TrainChurnModel": {"validation:auc": 0.874, "train:auc": 0.921}}),
            ExecutionSeed("Executing", 0.4, "weekly-{date}", running_step="TrainChurnModel"),
        ),
    ),
    PipelineSeed(
        "fraud-detection-pipeline",
        "Fraud detection: tuned XGBoost with a data-quality gate before registration.",
        {"sagemaker:domain-arn": domain_arn("d-riskteam0002"), "domain-name": "risk-studio", "Env": "production"},
        (
            ExecutionSeed(
                "Failed", 6, "daily-{date}",
                fail_step="CheckDataQuality",
                failure_reason=(
                    "ClientError: Access Denied (403) writing the data-quality report to "
                    "s3://mlops-restricted-audit-logs/fraud/data-quality/reports: the execution role lacks s3:PutObject"
                ),
                metrics={"TuneFraudModel": {"validation:auc": 0.962, "train:auc": 0.988}},
            ),
        ),
    ),
    # Two pipelines joined by an S3 prefix: one writes customer features, the other trains on them.
    PipelineSeed(
        "customer-features-pipeline",
        "Customer features: raw CRM exports to train/validation feature sets.",
        {"Env": "development", "Team": "growth"},
        (ExecutionSeed("Succeeded", 8, "daily-{date}"),),
    ),
    PipelineSeed(
        "customer-ltv-pipeline",
        "Customer lifetime value: trains on customer-features-pipeline's features, registers the model.",
        {"Env": "development", "Team": "growth"},
        (
            ExecutionSeed(
                "Succeeded", 6, "daily-{date}",
                metrics={"TrainLtvModel": {"train:rmse": 41.2, "validation:rmse": 47.9}},
            ),
        ),
    ),
    PipelineSeed(
        "live-retrain-pipeline",
        "Abalone retraining whose execution advances while you watch: it started with the demo "
        "account and its steps start and finish over about two minutes.",
        {"Env": "development", "Team": "mlops", "Demo": "advancing"},
        (
            ExecutionSeed(
                "Succeeded", 8 / 3600, "retrain-live-{run}",
                reports={"Evaluate": ABALONE_REPORT},
                durations={
                    "Preprocess": 20, "Train": 45, "Evaluate": 25, "CheckMSE": 2,
                    "RegisterAbalone-RegisterModel": 12, "CreateAbaloneModel-CreateModel": 16,
                },
                advancing=True,
            ),
        ),
        definition="mlops-pipeline",
    ),
    *(
        PipelineSeed(
            f"large-pipeline-{n}",
            f"Generated layered pipeline of {n} steps over many buckets (benchmarks).",
            {"Purpose": "benchmark"},
            (ExecutionSeed("Succeeded", 12, f"bench-{n}"),),
        )
        for n in (10, 50, 200)
    ),
    # Defined, never run: the side panel's largest graph (SageMaker takes a definition
    # over 1 MB from S3, PipelineDefinitionS3Location; DescribePipeline returns it whole).
    PipelineSeed(
        "large-pipeline-1000",
        "Generated layered pipeline of 1000 steps, never executed (the side panel's largest graph).",
        {"Purpose": "benchmark"},
    ),
]  # fmt: skip

DURATION_S = {
    "Processing": 190, "Training": 430, "Tuning": 1500, "Transform": 260, "Model": 8,
    "RegisterModel": 4, "Condition": 1, "Fail": 1, "QualityCheck": 240, "ClarifyCheck": 300,
}  # fmt: skip


def load_definition_text(name: str) -> str:
    return (resources.files(__package__) / "definitions" / f"{name}.json").read_text("utf-8")


def _stable_number(*parts: str) -> float:
    digest = hashlib.sha256("/".join(parts).encode()).digest()
    return int.from_bytes(digest[:4], "big") / 2**32


def _job_name(execution_id: str, step: str) -> str:
    suffix = hashlib.sha256(f"{execution_id}/{step}".encode()).hexdigest()[:6]
    core = "".join(ch if ch.isalnum() or ch == "-" else "-" for ch in step)[: 63 - 10 - 13 - 7]
    return f"pipelines-{execution_id}-{core}-{suffix}".lower()


def resolve_deep(value: Any, ctx: ResolutionContext) -> Any:
    """Every expression inside ``value`` replaced by its value for this execution."""
    if isinstance(value, dict):
        if len(value) == 1 and next(iter(value)) in ("Get", "Std:Join", "Std:JsonGet"):
            return resolve_value(value, ctx).value
        return {k: resolve_deep(v, ctx) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve_deep(v, ctx) for v in value]
    return value


def topological_order(definition: PipelineDefinition) -> list[Step]:
    edges, _ = build_edges(definition)
    incoming: dict[str, set[str]] = {s.name: set() for s in definition.steps}
    for edge in edges:
        incoming[edge.target].add(edge.source)
    order: list[Step] = []
    done: set[str] = set()
    remaining = list(definition.steps)
    while remaining:
        ready = [s for s in remaining if incoming[s.name] <= done]
        if not ready:  # a cycle would be a broken definition; keep the rest in file order
            ready = remaining[:1]
        for step in ready:
            order.append(step)
            done.add(step.name)
        remaining = [s for s in remaining if s.name not in done]
    return order


class ExecutionSimulator:
    """Runs one seeded execution against moto, step by step."""

    def __init__(self, sm: Any, s3: Any, backend: Any, definition: PipelineDefinition, pipeline: str,
                 exec_arn: str, seed: ExecutionSeed, start: datetime, now: datetime) -> None:  # fmt: skip
        self.sm, self.s3, self.backend = sm, s3, backend
        self.definition, self.pipeline, self.exec_arn = definition, pipeline, exec_arn
        self.seed, self.start, self.now = seed, start, now
        self.execution_id = exec_arn.rsplit("/", 1)[-1]
        #: step name -> what an earlier execution of this pipeline ran (for cache hits)
        self.previous: dict[str, dict] = {}
        #: step name -> what this execution ran successfully (the next one's cache)
        self.completed: dict[str, dict] = {}
        self.properties: dict[tuple[str, str], Resolved] = {}
        self.reports: dict[tuple[str, str], Any] = {}
        self.records: list[dict] = []
        parameters = {p.name: p.default for p in definition.parameters.values()}
        parameters.update(seed.parameters)
        self.parameters = parameters
        self.ctx = ResolutionContext(
            parameters=parameters,
            execution={
                "PipelineExecutionId": self.execution_id,
                "PipelineExecutionArn": exec_arn,
                "PipelineName": pipeline,
                "StartDateTime": start.isoformat(),
                "CurrentDateTime": start.isoformat(),
            },
            properties=lambda step, path: self.properties.get((step, path)),
            reports=self._report_value,
        )

    def _report_value(self, step: str, property_file: str, path: str) -> Any:
        from ..core.references import json_path

        document = self.reports.get((step, property_file))
        return None if document is None else json_path(document, path)

    def run(self) -> list[dict]:
        edges, _ = build_edges(self.definition)
        upstream: dict[str, list[str]] = {}
        for edge in edges:
            upstream.setdefault(edge.target, []).append(edge.source)
        ends: dict[str, datetime] = {}
        status: dict[str, str] = {}
        for step in topological_order(self.definition):
            parents = upstream.get(step.name, [])
            if any(status.get(p) != "Succeeded" for p in parents):
                continue  # blocked: SageMaker never lists it
            if step.parent and not self._branch_taken(step.parent, status):
                continue
            ready = max([e for e in (ends.get(p) for p in parents) if e] or [self.start])
            started = _ms(ready + timedelta(seconds=4))
            if started >= self.now:
                continue
            state = "Succeeded"
            if step.name == self.seed.fail_step or step.type == "Fail":
                state = "Failed"
            elif step.name == self.seed.running_step:
                state = "Executing"
            duration = self.seed.durations.get(step.name) or DURATION_S.get(step.type, 60) * (
                0.7 + 0.6 * _stable_number(self.exec_arn, step.name)
            )
            if step.name in self.seed.cache_hits:
                duration = 2  # a cache hit reuses an earlier run's job: done in seconds
            ended = None
            if state != "Executing":
                ended = _ms(min(started + timedelta(seconds=duration), self.now))
            record = self._run_step(step, state, started, ended)
            self.records.append(record)
            if state == "Succeeded":
                self.completed[step.name] = {
                    "ExecutionArn": self.exec_arn,
                    "Metadata": record["Metadata"],
                    "Properties": {k: v for k, v in self.properties.items() if k[0] == step.name},
                }
            status[step.name] = state
            if ended is not None:
                ends[step.name] = ended
        return self.records

    def _branch_taken(self, parent: tuple[str, str], status: Mapping[str, str]) -> bool:
        condition, branch = parent
        if status.get(condition) != "Succeeded":
            return False
        outcome = self._outcomes.get(condition)
        return outcome is not None and (branch == "if") == outcome

    @property
    def _outcomes(self) -> dict[str, bool]:
        return self.__dict__.setdefault("_outcome_cache", {})

    def _run_step(self, step: Step, state: str, started: datetime, ended: datetime | None) -> dict:
        record: dict[str, Any] = {
            "StepName": step.name,
            "StepDisplayName": step.display_name or step.name,
            "StartTime": started,
            "StepStatus": state,
            "AttemptCount": 1,
            "Metadata": {},
        }
        if ended is not None:
            record["EndTime"] = ended
        if state == "Failed" and step.type != "Fail":
            record["FailureReason"] = self.seed.failure_reason or "ClientError: step failed"
        source = self.previous.get(step.name) if step.name in self.seed.cache_hits else None
        if source is not None:
            # SageMaker lists the earlier execution's job and learns its properties.
            record["CacheHitResult"] = {"SourcePipelineExecutionArn": source["ExecutionArn"]}
            record["Metadata"] = source["Metadata"]
            for (owner, path), value in source["Properties"].items():
                self.properties[(owner, path)] = value
            return record
        args = resolve_deep(dict(step.arguments), self.ctx)
        name = _job_name(self.execution_id, step.name)
        creator = getattr(self, f"_create_{step.type.lower()}", None)
        if creator is not None:
            creator(step, args, name, record, state, started, ended)
        return record

    # -- one creator per step type the demo pipelines use ------------------------

    def _job_times(
        self, job: Any, prefix: str, state: str, started: datetime, ended: datetime | None
    ) -> None:
        job.creation_time = started
        job.last_modified_time = ended or self.now
        setattr(job, f"{prefix}_start_time", started)
        setattr(job, f"{prefix}_end_time", ended)
        if state == "Failed":
            job.failure_reason = self.seed.failure_reason

    def _learn(self, step: Step, step_type: str, described: dict) -> None:
        for path, value in job_io(step_type, described).properties.items():
            self.properties[(step.name, path)] = value

    def _create_processing(self, step, args, name, record, state, started, ended) -> None:  # noqa: ANN001
        args.pop("ProcessingJobName", None)
        self.sm.create_processing_job(ProcessingJobName=name, **_only(args, PROCESSING_KEYS))
        job = self.backend.processing_jobs[name]
        job.processing_job_status = JOB_STATUS[state]
        self._job_times(job, "processing", state, started, ended)
        described = self.sm.describe_processing_job(ProcessingJobName=name)
        self._learn(step, "Processing", described)
        record["Metadata"] = {"ProcessingJob": {"Arn": described["ProcessingJobArn"]}}
        if state == "Succeeded":
            self._write_reports(step, described)

    def _create_qualitycheck(self, step, args, name, record, state, started, ended) -> None:  # noqa: ANN001
        self._create_processing(step, args, name, record, state, started, ended)
        arn = record["Metadata"].pop("ProcessingJob")["Arn"]
        outputs = {
            o.name: o.uri
            for o in job_io(
                "Processing", self.sm.describe_processing_job(ProcessingJobName=name)
            ).outputs
        }
        report_prefix = next(iter(outputs.values()), "")
        record["Metadata"]["QualityCheck"] = {
            "CheckType": str(step.raw.get("CheckType") or "DATA_QUALITY"),
            "CheckJobArn": arn,
            **(
                {
                    "CalculatedBaselineStatistics": f"{report_prefix}/statistics.json",
                    "CalculatedBaselineConstraints": f"{report_prefix}/constraints.json",
                }
                if report_prefix and state == "Succeeded"
                else {}
            ),
            **{
                used: resolve_value(step.raw[supplied], self.ctx).text
                for supplied, used in (
                    ("SuppliedBaselineStatistics", "BaselineUsedForDriftCheckStatistics"),
                    ("SuppliedBaselineConstraints", "BaselineUsedForDriftCheckConstraints"),
                )
                if step.raw.get(supplied)
            },
            "SkipCheck": self._flag(step.raw.get("SkipCheck")),
            "RegisterNewBaseline": self._flag(step.raw.get("RegisterNewBaseline")),
            "ModelPackageGroupName": str(step.raw.get("ModelPackageGroupName", "")),
        }

    def _flag(self, value: Any) -> bool:
        """A boolean step setting, possibly a pipeline parameter ("False" is false)."""
        resolved = resolve_value(value, self.ctx).value
        return str(resolved).strip().lower() in ("true", "1")

    def _create_training(self, step, args, name, record, state, started, ended) -> None:  # noqa: ANN001
        self.sm.create_training_job(TrainingJobName=name, **_only(args, TRAINING_KEYS))
        job = self.backend.training_jobs[name]
        job.training_job_status = job.secondary_status = JOB_STATUS[state]
        self._job_times(job, "training", state, started, ended)
        job.secondary_status_transitions = []
        job.final_metric_data_list = (
            self._metrics(step.name, ended or self.now) if state == "Succeeded" else []
        )
        if state != "Succeeded":
            job.model_artifacts = {"S3ModelArtifacts": ""}
        described = self.sm.describe_training_job(TrainingJobName=name)
        self._learn(step, "Training", described)
        record["Metadata"] = {"TrainingJob": {"Arn": described["TrainingJobArn"]}}

    def _metrics(self, step: str, when: datetime) -> list[dict]:
        values = self.seed.metrics.get(step) or {
            "validation:rmse": round(1.5 + _stable_number(self.exec_arn, step, "v"), 3),
            "train:rmse": round(1.0 + _stable_number(self.exec_arn, step, "t"), 3),
        }
        return [{"MetricName": k, "Value": float(v), "Timestamp": when} for k, v in values.items()]

    def _create_tuning(self, step, args, name, record, state, started, ended) -> None:  # noqa: ANN001
        tuning_name = name[:32].rstrip("-")
        self.sm.create_hyper_parameter_tuning_job(
            HyperParameterTuningJobName=tuning_name, **_only(args, TUNING_KEYS)
        )
        definition = (
            args.get("TrainingJobDefinition") or (args.get("TrainingJobDefinitions") or [{}])[0]
        )
        best = f"{tuning_name}-003-{hashlib.sha256(name.encode()).hexdigest()[:8]}"
        training_args = {
            "AlgorithmSpecification": _only(definition.get("AlgorithmSpecification", {}), ("TrainingImage", "TrainingInputMode", "AlgorithmName")),
            "RoleArn": definition.get("RoleArn", ROLE_ARN),
            "InputDataConfig": definition.get("InputDataConfig", []),
            "OutputDataConfig": definition.get("OutputDataConfig", {}),
            "ResourceConfig": definition.get("ResourceConfig", {"InstanceType": "ml.m5.xlarge", "InstanceCount": 1, "VolumeSizeInGB": 30}),
            "StoppingCondition": definition.get("StoppingCondition", {"MaxRuntimeInSeconds": 3600}),
            "HyperParameters": {**definition.get("StaticHyperParameters", {}), "eta": "0.17", "max_depth": "6"},
        }  # fmt: skip
        self.sm.create_training_job(TrainingJobName=best, **training_args)
        trained = self.backend.training_jobs[best]
        self._job_times(trained, "training", "Succeeded", started, ended)
        trained.final_metric_data_list = self._metrics(step.name, ended or self.now)
        tuning = self.backend.hyper_parameter_tuning_jobs[tuning_name]
        tuning.hyper_parameter_tuning_job_status = "Completed"
        tuning.creation_time = started
        tuning.hyper_parameter_tuning_end_time = ended
        tuning.last_modified_time = ended or self.now
        objective = next(iter(self.seed.metrics.get(step.name, {"validation:auc": 0.95}).items()))
        tuning.best_training_job = {
            "TrainingJobName": best,
            "TrainingJobArn": trained.arn,
            "CreationTime": started,
            "TrainingStartTime": started,
            "TrainingEndTime": ended,
            "TrainingJobStatus": "Completed",
            "TunedHyperParameters": {"eta": "0.17", "max_depth": "6"},
            "FinalHyperParameterTuningJobObjectiveMetric": {
                "MetricName": objective[0],
                "Value": float(objective[1]),
            },
            "ObjectiveStatus": "Succeeded",
        }
        tuning.OverallBestTrainingJob = tuning.best_training_job
        described = self.sm.describe_hyper_parameter_tuning_job(
            HyperParameterTuningJobName=tuning_name
        )
        self._learn(step, "Tuning", described)
        record["Metadata"] = {"TuningJob": {"Arn": described["HyperParameterTuningJobArn"]}}

    def _create_transform(self, step, args, name, record, state, started, ended) -> None:  # noqa: ANN001
        self.sm.create_transform_job(TransformJobName=name, **_only(args, TRANSFORM_KEYS))
        job = self.backend.transform_jobs[name]
        job.transform_job_status = JOB_STATUS[state]
        self._job_times(job, "transform", state, started, ended)
        described = self.sm.describe_transform_job(TransformJobName=name)
        self._learn(step, "Transform", described)
        record["Metadata"] = {"TransformJob": {"Arn": described["TransformJobArn"]}}

    def _create_model(self, step, args, name, record, state, started, ended) -> None:  # noqa: ANN001
        model_name = name.replace("pipelines-", "model-", 1)
        answer = self.sm.create_model(
            ModelName=model_name,
            **_only(args, ("ExecutionRoleArn", "PrimaryContainer", "Containers")),
        )
        self.properties[(step.name, "ModelName")] = Resolved(model_name)
        record["Metadata"] = {"Model": {"Arn": answer["ModelArn"]}}

    def _create_registermodel(self, step, args, name, record, state, started, ended) -> None:  # noqa: ANN001
        group = args.get("ModelPackageGroupName") or f"{self.pipeline}-models"
        try:
            self.sm.create_model_package_group(ModelPackageGroupName=group)
        except self.sm.exceptions.ClientError:
            pass  # the group already exists (an earlier execution made it)
        spec = args.get("InferenceSpecification") or {}
        containers = [
            _only(c, ("Image", "ModelDataUrl", "Environment")) for c in spec.get("Containers", [])
        ]
        answer = self.sm.create_model_package(
            ModelPackageGroupName=group,
            ModelPackageDescription=f"Registered by {self.pipeline} execution {self.execution_id}",
            ModelApprovalStatus=str(args.get("ModelApprovalStatus") or "PendingManualApproval"),
            InferenceSpecification={
                "Containers": containers,
                "SupportedContentTypes": spec.get("SupportedContentTypes", ["text/csv"]),
                "SupportedResponseMIMETypes": spec.get("SupportedResponseMIMETypes", ["text/csv"]),
            },
            **(
                {"ModelMetrics": _clean_metrics(args["ModelMetrics"])}
                if _clean_metrics(args.get("ModelMetrics"))
                else {}
            ),
        )
        arn = answer["ModelPackageArn"]
        package = next(p for p in self.backend.model_packages.values() if p.arn == arn)
        package.creation_time = package.last_modified_time = ended or started
        self.properties[(step.name, "ModelPackageArn")] = Resolved(arn)
        record["Metadata"] = {"RegisterModel": {"Arn": arn}}

    def _create_condition(self, step, args, name, record, state, started, ended) -> None:  # noqa: ANN001
        outcome = self.seed.condition_outcomes.get(step.name)
        if outcome is None:
            outcome = all(self._evaluate(c) for c in step.arguments.get("Conditions") or [])
        self._outcomes[step.name] = outcome
        record["Metadata"] = {"Condition": {"Outcome": "True" if outcome else "False"}}

    def _evaluate(self, condition: Mapping[str, Any]) -> bool:
        left = resolve_value(condition.get("LeftValue"), self.ctx)
        right = resolve_value(condition.get("RightValue"), self.ctx)
        if not (left.resolved and right.resolved):
            return True
        try:
            a, b = float(left.value), float(right.value)
        except (TypeError, ValueError):
            return left.value == right.value
        return {
            "LessThanOrEqualTo": a <= b, "LessThan": a < b, "GreaterThan": a > b,
            "GreaterThanOrEqualTo": a >= b, "Equals": a == b,
        }.get(str(condition.get("Type")), True)  # fmt: skip

    def _create_fail(self, step, args, name, record, state, started, ended) -> None:  # noqa: ANN001
        message = resolve_value(step.arguments.get("ErrorMessage"), self.ctx).text
        record["Metadata"] = {"Fail": {"ErrorMessage": message}}
        record["FailureReason"] = message

    def _report_for(self, step: Step, property_file: str) -> dict:
        """A report holding every path the pipeline's conditions read from it."""
        document: dict = {}
        ref = f"Steps.{step.name}.PropertyFiles.{property_file}"
        for other in self.definition.steps:
            for condition in other.arguments.get("Conditions") or []:
                for side in ("LeftValue", "RightValue"):
                    spec = (
                        (condition.get(side) or {}).get("Std:JsonGet")
                        if isinstance(condition, dict)
                        else None
                    )
                    if (
                        isinstance(spec, dict)
                        and (spec.get("PropertyFile") or {}).get("Get") == ref
                    ):
                        level = document
                        *parents, leaf = str(spec.get("Path", "value")).split(".")
                        for part in parents:
                            level = level.setdefault(part, {})
                        level[leaf] = round(
                            0.8 + 0.19 * _stable_number(self.exec_arn, step.name), 3
                        )
        return document or {"metrics": {"accuracy": {"value": 0.9}}}

    def _write_reports(self, step: Step, described: dict) -> None:
        outputs = {
            o["OutputName"]: o["S3Output"]["S3Uri"]
            for o in (described.get("ProcessingOutputConfig") or {}).get("Outputs", [])
        }
        for pf in step.property_files:
            uri = outputs.get(pf.output_name)
            if not uri:
                continue
            document = self.seed.reports.get(step.name) or self._report_for(step, pf.name)
            bucket, _, prefix = uri[5:].partition("/")
            key = f"{prefix.rstrip('/')}/{pf.file_path}".lstrip("/")
            self.s3.put_object(Bucket=bucket, Key=key, Body=json.dumps(document).encode())
            self.reports[(step.name, pf.name)] = document


#: Step status in the scenario -> the job status SageMaker reports for it.
JOB_STATUS = {"Succeeded": "Completed", "Failed": "Failed", "Executing": "InProgress"}

PROCESSING_KEYS = ("ProcessingInputs", "ProcessingOutputConfig", "ProcessingResources", "StoppingCondition",
                   "AppSpecification", "Environment", "NetworkConfig", "RoleArn", "ExperimentConfig")  # fmt: skip
TRAINING_KEYS = ("HyperParameters", "AlgorithmSpecification", "RoleArn", "InputDataConfig", "OutputDataConfig",
                 "ResourceConfig", "StoppingCondition", "Environment", "CheckpointConfig")  # fmt: skip
TUNING_KEYS = ("HyperParameterTuningJobConfig", "TrainingJobDefinition", "TrainingJobDefinitions")
TRANSFORM_KEYS = ("ModelName", "TransformInput", "TransformOutput", "TransformResources", "MaxPayloadInMB",
                  "BatchStrategy", "Environment", "DataProcessing", "MaxConcurrentTransforms")  # fmt: skip


def _ms(moment: datetime) -> datetime:
    """AWS timestamps carry milliseconds."""
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def _only(args: Mapping[str, Any], keys: tuple[str, ...]) -> dict:
    return {k: args[k] for k in keys if k in args and args[k] not in (None, {}, [])}


def _clean_metrics(metrics: Any) -> dict:
    if not isinstance(metrics, Mapping):
        return {}
    return {
        group: {
            kind: ref
            for kind, ref in kinds.items()
            if isinstance(ref, Mapping) and ref.get("S3Uri")
        }
        for group, kinds in metrics.items()
        if isinstance(kinds, Mapping)
        and any(isinstance(r, Mapping) and r.get("S3Uri") for r in kinds.values())
    }


def seed_account(
    sm: Any, s3: Any, backend: Any, now: datetime | None = None
) -> tuple[dict[str, list[dict]], dict[str, str], dict[str, tuple[str, datetime, str]]]:
    """Create every demo bucket, pipeline, execution and job, as of ``now`` (the
    account's epoch: every time is relative to it).

    Returns the step records per execution (for ListPipelineExecutionSteps), the
    failure reason per failed execution (moto's describe leaves it empty) and, for
    each execution that advances in wall-clock time (``live.py``), its pipeline, start
    and final status.
    """
    now = _ms(now or datetime.now(timezone.utc))
    for bucket in BUCKETS:
        _seed_bucket(s3, bucket)
    records: dict[str, list[dict]] = {}
    reasons: dict[str, str] = {}
    advancing: dict[str, tuple[str, datetime, str]] = {}
    for pipeline in PIPELINES:
        # the definition file the pipeline has now (another pipeline's, for one that reuses it)
        base = pipeline.definition or pipeline.name
        texts = {
            name: load_definition_text(name)
            for name in {base, *(e.definition or base for e in pipeline.executions)}
        }
        definitions = {name: parse_definition(text) for name, text in texts.items()}
        _check_seed_names(pipeline, definitions)
        ordered = sorted(pipeline.executions, key=lambda e: -e.started_hours_ago)
        if ordered and (ordered[-1].definition or base) != base:
            raise ValueError(
                f"{pipeline.name}: the latest execution must run the current definition"
            )
        current = (ordered[0].definition or base) if ordered else base
        sm.create_pipeline(
            PipelineName=pipeline.name,
            PipelineDefinition=texts[current],
            PipelineDescription=pipeline.description,
            RoleArn=ROLE_ARN,
            Tags=[{"Key": k, "Value": v} for k, v in pipeline.tags.items()],
        )
        fake = backend.pipelines[pipeline.name]
        first_start = now - timedelta(
            hours=max([e.started_hours_ago for e in pipeline.executions] or [1]) + 24
        )
        fake.creation_time = fake.last_modified_time = first_start
        cache: dict[str, dict] = {}
        for seed in ordered:
            start = now - timedelta(hours=seed.started_hours_ago)
            ran = seed.definition or base
            if ran != current:  # the pipeline was updated before this execution started
                sm.update_pipeline(PipelineName=pipeline.name, PipelineDefinition=texts[ran])
                fake.last_modified_time = _ms(start - timedelta(hours=2))
                current = ran
            # an advancing execution is simulated to its end; live.py shows it as of "now"
            horizon = now + timedelta(days=1) if seed.advancing else now
            arn, steps, simulator = run_execution(
                sm, s3, backend, pipeline.name, definitions[ran], seed, start, horizon, cache
            )
            if seed.advancing:
                advancing[arn] = (pipeline.name, start, seed.status)
            cache = {**cache, **simulator.completed}
            records[arn] = steps
            if seed.status == "Failed":
                reasons[arn] = "Step failure: One or multiple steps failed."
                fake.pipeline_executions[arn].pipeline_execution_failure_reason = reasons[arn]
    return records, reasons, advancing


def start_live_run(
    sm: Any, s3: Any, backend: Any, pipeline: str, start: datetime, run: int
) -> tuple[str, list[dict], str]:
    """A fresh run of ``pipeline``'s advancing execution (``live.py``), started at
    ``start`` and simulated to its end: its ARN, step records and final status."""
    seeded = next(p for p in PIPELINES if p.name == pipeline)
    seed = next(e for e in seeded.executions if e.advancing)
    definition = parse_definition(load_definition_text(seeded.definition or seeded.name))
    horizon = start + timedelta(days=1)
    arn, steps, _ = run_execution(
        sm, s3, backend, pipeline, definition, seed, start, horizon, {}, run
    )
    return arn, steps, seed.status


def run_execution(
    sm: Any, s3: Any, backend: Any, pipeline: str, definition: PipelineDefinition,
    seed: ExecutionSeed, start: datetime, horizon: datetime, cache: Mapping[str, dict],
    run: int = 1,
) -> tuple[str, list[dict], ExecutionSimulator]:  # fmt: skip
    """Start one execution of ``pipeline`` in moto and simulate it from ``start`` up to
    ``horizon``: its ARN, its step records and the simulator (what it completed).
    ``cache`` holds the steps earlier executions completed (for cache hits)."""
    answer = sm.start_pipeline_execution(
        PipelineName=pipeline,
        PipelineExecutionDisplayName=seed.display_name.format(date=f"{start:%Y-%m-%d}", run=run),
        PipelineParameters=[{"Name": k, "Value": str(v)} for k, v in seed.parameters.items()],
    )
    arn = answer["PipelineExecutionArn"]
    simulator = ExecutionSimulator(sm, s3, backend, definition, pipeline, arn, seed, start, horizon)
    simulator.previous = dict(cache)
    steps = simulator.run()
    fake = backend.pipelines[pipeline]
    execution = fake.pipeline_executions[arn]
    execution.start_time = execution.creation_time = start
    ends = [s["EndTime"] for s in steps if s.get("EndTime")]
    execution.last_modified_time = max(ends) if ends and seed.status != "Executing" else horizon
    execution.pipeline_execution_status = seed.status
    execution.pipeline_execution_failure_reason = ""
    execution.pipeline_parameters = [
        {"Name": k, "Value": str(v)} for k, v in simulator.parameters.items() if v is not None
    ]
    fake.last_execution_time = start
    return arn, steps, simulator


def _check_seed_names(
    pipeline: PipelineSeed, definitions: Mapping[str, PipelineDefinition]
) -> None:
    """A scenario naming a step the definition lacks would silently do nothing: refuse it."""
    for seed in pipeline.executions:
        names = definitions[seed.definition or pipeline.definition or pipeline.name].step_names
        named = {
            seed.fail_step,
            seed.running_step,
            *seed.metrics,
            *seed.reports,
            *seed.condition_outcomes,
            *seed.cache_hits,
            *seed.durations,
        }
        unknown = sorted(n for n in named if n and n not in names)
        if unknown:
            raise ValueError(f"demo scenario for {pipeline.name} names unknown steps: {unknown}")


def _seed_bucket(s3: Any, bucket: BucketSeed) -> None:
    s3.create_bucket(Bucket=bucket.name, CreateBucketConfiguration={"LocationConstraint": REGION})
    if bucket.encryption:
        default: dict[str, Any] = {"SSEAlgorithm": bucket.encryption}
        if bucket.encryption.startswith("aws:kms"):
            default["KMSMasterKeyID"] = KMS_KEY_ARN
        s3.put_bucket_encryption(
            Bucket=bucket.name,
            ServerSideEncryptionConfiguration={
                "Rules": [{"ApplyServerSideEncryptionByDefault": default, "BucketKeyEnabled": True}]
            },
        )
    if bucket.versioning:
        s3.put_bucket_versioning(Bucket=bucket.name, VersioningConfiguration={"Status": "Enabled"})
        if bucket.versioning == "Suspended":
            s3.put_bucket_versioning(
                Bucket=bucket.name, VersioningConfiguration={"Status": "Suspended"}
            )
    if bucket.public_block:
        full = bucket.public_block == "all"
        s3.put_public_access_block(
            Bucket=bucket.name,
            PublicAccessBlockConfiguration={
                "BlockPublicAcls": True, "IgnorePublicAcls": True,
                "BlockPublicPolicy": full, "RestrictPublicBuckets": full,
            },
        )  # fmt: skip
    if bucket.tags:
        s3.put_bucket_tagging(
            Bucket=bucket.name,
            Tagging={"TagSet": [{"Key": k, "Value": v} for k, v in bucket.tags.items()]},
        )
