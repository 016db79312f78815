"""The lineage service: plans the AWS reads as a dependency graph and assembles the answer.

Reads start as soon as what they depend on has arrived (a small dataflow loop
over futures), so wall time is set by the number of dependent rounds, not by the
number of steps or buckets:

    1  DescribePipeline | ListPipelineExecutions (or DescribePipelineExecution)
    2  ListTags | DescribePipelineExecution | DescribePipelineDefinitionForExecution
       | ListPipelineParametersForExecution | ListPipelineExecutionSteps (page 1)
    3  next step pages | job describes and model packages of the steps already listed
       | posture of the buckets the definition names
    4  best training job of a tuning job | posture of buckets only the jobs named
       | evaluation reports (GetObject)
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, wait
from concurrent.futures import TimeoutError as FutureTimeoutError
from dataclasses import replace
from datetime import datetime, timezone
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from .aws import (
    JOB_DESCRIBES,
    POSTURE_OPERATIONS,
    TERMINAL_EXECUTION,
    After,
    AwsGateway,
    CallLog,
    error_code,
)
from .config import LineageConfig
from .definition import PipelineDefinition, parse_definition
from .domain import domain_matches
from .errors import DeadlineError, LineageError, NotFoundError
from .graph import (
    ArtifactTable,
    build_nodes,
    build_run,
    build_summary,
    edges_to_list,
    iso,
    seconds_between,
    split_s3_uri,
)
from .locations import StepIO, definition_io, job_io
from .posture import bucket_posture
from .references import ResolutionContext, Resolved, build_edges, json_path
from .request import LineageRequest, ListRequest

log = logging.getLogger("sagemaker_lineage_ext")
Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    return None


class _Dataflow:
    """Futures with a handler each; handlers may start more reads."""

    def __init__(
        self, gateway: AwsGateway, deadline: float | None, after: list[Future | None], log: CallLog
    ) -> None:
        self.gateway = gateway
        self.deadline = deadline
        self.log = log
        self.pending: dict[Future, Callable[[Future], None]] = {}
        #: What the reads started now depend on: the read whose handler is running.
        self.after: After = [f for f in after if f is not None]

    def start(self, handler: Callable[[Future], None], fn: Callable[..., Any], *args: Any) -> None:
        self.pending[self.gateway.submit(fn, *args, after=self.after, log=self.log)] = handler

    def run(self) -> int:
        """Run until nothing is pending or the deadline passes; returns reads left unfinished."""
        while self.pending:
            timeout = None if self.deadline is None else self.deadline - time.monotonic()
            if timeout is not None and timeout <= 0:
                break
            done, _ = wait(list(self.pending), timeout=timeout, return_when=FIRST_COMPLETED)
            for future in done:
                handler = self.pending.pop(future)
                self.after = future
                handler(future)
        left = len(self.pending)
        for future in self.pending:
            future.cancel()
        self.pending.clear()
        return left


def _warning(code: str, target: str, message: str) -> dict:
    return {"code": code, "target": target, "message": message}


def _secondary(future: Future, warnings: list[dict], target: str, what: str) -> Any:
    """The result of a read the answer can do without; a failure becomes a warning."""
    try:
        return future.result()
    except (ClientError, BotoCoreError) as exc:
        code = error_code(exc)
        warnings.append(_warning(code, target, f"could not read {what} ({code})"))
    except LineageError as exc:
        warnings.append(
            _warning(
                type(exc).__name__.replace("Error", ""),
                target,
                f"could not read {what}: {exc.user_message}",
            )
        )
    except ValueError as exc:
        warnings.append(_warning("InvalidContent", target, f"could not read {what}: {exc}"))
    return None


def preview_lineage(definition_source: Any) -> dict:
    """The graph of a definition document alone: no AWS access, no ``run``.

    Parameters take their default values; whatever only a run can know stays a
    ``{...}`` placeholder.
    """
    definition = parse_definition(definition_source)
    graph, warnings, _ = _graph(
        definition, ResolutionContext.from_definition(definition), {}, None, {}
    )
    return {
        "pipeline": None,
        "execution": None,
        "summary": build_summary(None, graph["nodes"], None),
        "graph": graph,
        "warnings": warnings,
    }


class LineageService:
    """The lineage core's entry point, shared by every front door."""

    def __init__(
        self, config: LineageConfig | None = None, gateway: AwsGateway | None = None
    ) -> None:
        self.config = config or (gateway.config if gateway else LineageConfig.from_env())
        self.gateway = gateway or AwsGateway(self.config)
        #: The call log of the most recent request (benchmarks and tests read it).
        self.last_log = CallLog()

    # -- lineage -----------------------------------------------------------------

    def lineage(
        self,
        request: LineageRequest,
        *,
        deadline: float | None = None,
        progress: Progress | None = None,
        log: CallLog | None = None,
    ) -> dict:
        """SPEC's response for ``request``.

        ``deadline`` is a ``time.monotonic()`` value: reads still running then
        are dropped with a warning and the rest is returned. Every AWS call is
        recorded in ``log`` (a new one if not given), kept as ``last_log``.
        """
        say = progress or _quiet
        log = log if log is not None else CallLog()
        self.last_log = log
        gw = self.gateway
        region, name = request.region, request.pipeline_name
        now = datetime.now(timezone.utc)
        warnings: list[dict] = []

        say(f"Reading pipeline {name} ({region})")
        f_pipeline = gw.submit(gw.describe_pipeline, region, name, log=log)
        f_execution = f_latest = None
        if request.execution_arn:
            f_execution = gw.submit(gw.describe_execution, region, request.execution_arn, log=log)
        elif request.include_latest_exec:
            f_latest = gw.submit(gw.latest_execution, region, name, log=log)
        if self.config.enable_s3_meta:
            gw.prepare(region, ("sagemaker", "s3"))
        pipeline = self._primary(f_pipeline, deadline)
        flow = _Dataflow(gw, deadline, [f_pipeline, f_execution, f_latest], log)
        state: dict[str, Any] = {"tags": {}}

        def on_tags(f: Future) -> None:
            state["tags"] = (
                _secondary(f, warnings, pipeline["PipelineArn"], "the pipeline's tags") or {}
            )

        if request.domain:
            f_tags = gw.submit(
                gw.list_tags, region, pipeline["PipelineArn"], after=f_pipeline, log=log
            )
            tags = self._primary(f_tags, deadline)
            flow.after = [f_tags, f_execution, f_latest]
            if not domain_matches(tags, request.domain, self.config.domain_tag_keys):
                raise NotFoundError()
            state["tags"] = tags
        else:
            flow.start(on_tags, gw.list_tags, region, pipeline["PipelineArn"])

        execution: dict | None = None
        exec_arn: str | None = None
        if f_execution is not None:
            try:
                execution = self._primary(f_execution, deadline)
            except NotFoundError:
                raise NotFoundError("pipeline execution not found") from None
            exec_arn = request.execution_arn
            if execution.get("PipelineArn") and execution["PipelineArn"] != pipeline["PipelineArn"]:
                raise NotFoundError("pipeline execution not found")
        elif f_latest is not None:
            latest = self._primary(f_latest, deadline)
            exec_arn = latest["PipelineExecutionArn"] if latest else None
            state["latest"] = latest

        if exec_arn is None:
            definition = parse_definition(pipeline["PipelineDefinition"])
            ctx = ResolutionContext.from_definition(definition)
            self._read_posture(flow, _buckets_of(definition, ctx), state, region)
            say("Reading bucket posture")
            self._run(flow, warnings)
            graph, graph_warnings, _ = _graph(definition, ctx, {}, None, state.get("posture", {}))
            return self._answer(pipeline, state, None, graph, warnings + graph_warnings, now)

        say("Reading execution and steps")
        finished = (execution or state.get("latest") or {}).get(
            "PipelineExecutionStatus"
        ) in TERMINAL_EXECUTION
        run_state = _RunState()

        def on_execution(f: Future) -> None:
            nonlocal execution
            execution = _secondary(f, warnings, exec_arn, "the execution")

        def on_definition(f: Future) -> None:
            text = _secondary(f, warnings, exec_arn, "the definition used by the execution")
            run_state.definition_text = text or pipeline["PipelineDefinition"]
            self._definition_ready(flow, run_state, state, region, exec_arn, execution, warnings)

        def on_parameters(f: Future) -> None:
            run_state.parameters = (
                _secondary(f, warnings, exec_arn, "the execution's parameters") or {}
            )
            self._definition_ready(flow, run_state, state, region, exec_arn, execution, warnings)

        def on_page(f: Future) -> None:
            result = _secondary(f, warnings, exec_arn, "the execution's steps")
            if result is None:
                run_state.steps_failed = True
                return
            steps, token = result
            self._steps_arrived(flow, run_state, steps, region, warnings, state)
            if token:
                flow.start(on_page, gw.execution_steps_page, region, exec_arn, token)
            elif finished:
                gw.store_steps(exec_arn, run_state.step_list)

        if execution is None:
            flow.start(on_execution, gw.describe_execution, region, exec_arn)
        flow.start(on_definition, gw.definition_for_execution, region, exec_arn)
        flow.start(on_parameters, gw.execution_parameters, region, exec_arn, finished)
        cached_steps = gw.cached_steps(exec_arn)
        if cached_steps is not None:
            self._steps_arrived(flow, run_state, cached_steps, region, warnings, state)
        else:
            flow.start(on_page, gw.execution_steps_page, region, exec_arn, None)
        self._run(flow, warnings)
        flow.after = log.depth()

        say("Resolving inputs and outputs")
        definition = run_state.definition or parse_definition(pipeline["PipelineDefinition"])
        ctx = run_state.context(definition, exec_arn, execution, pipeline)
        # Buckets only a resolved reference revealed: one more round if there are any.
        self._read_posture(
            flow, _buckets_of(definition, ctx, run_state.job_io.values()), state, region
        )
        self._run(flow, warnings)

        runs = {
            step: build_run(
                summary,
                now=now,
                job=run_state.jobs.get(step),
                best_job=run_state.best_jobs.get(step),
                package=run_state.packages.get(step),
                reports=run_state.reports.get(step),
            )
            for step, summary in run_state.summaries.items()
        }
        if run_state.steps_failed:
            for step in definition.steps:
                runs.setdefault(step.name, dict(build_run(None), status="Unknown"))
        graph, graph_warnings, _ = _graph(
            definition,
            ctx,
            run_state.job_io,
            runs,
            state.get("posture", {}),
            run_state.extra_steps(definition),
        )
        exec_view = _execution_view(
            execution, state.get("latest"), exec_arn, run_state.parameters, now
        )
        return self._answer(pipeline, state, exec_view, graph, warnings + graph_warnings, now)

    # -- listing -----------------------------------------------------------------

    def list_pipelines(self, request: ListRequest) -> dict:
        """Pipelines of a region for pickers: ARN, last modified time, latest execution status."""
        gw = self.gateway
        summaries = gw.list_pipelines(request.region, request.prefix)
        if request.prefix:
            summaries = [s for s in summaries if s["PipelineName"].startswith(request.prefix)]
        latest = {
            s["PipelineName"]: gw.submit(gw.latest_execution, request.region, s["PipelineName"])
            for s in summaries
        }
        tags = (
            {
                s["PipelineName"]: gw.submit(gw.list_tags, request.region, s["PipelineArn"])
                for s in summaries
            }
            if request.domain
            else {}
        )
        warnings: list[dict] = []
        pipelines = []
        for summary in summaries:
            name = summary["PipelineName"]
            if request.domain:
                tag_set = (
                    _secondary(tags[name], warnings, summary["PipelineArn"], "the pipeline's tags")
                    or {}
                )
                if not domain_matches(tag_set, request.domain, self.config.domain_tag_keys):
                    continue
            execution = _secondary(
                latest[name], warnings, summary["PipelineArn"], "the latest execution"
            )
            pipelines.append(
                {
                    "name": name,
                    "arn": summary["PipelineArn"],
                    "displayName": summary.get("PipelineDisplayName") or name,
                    "description": summary.get("PipelineDescription"),
                    "creationTime": iso(summary.get("CreationTime")),
                    "lastModifiedTime": iso(summary.get("LastModifiedTime")),
                    "lastExecutionTime": iso(summary.get("LastExecutionTime")),
                    "latestExecution": {
                        "arn": execution["PipelineExecutionArn"],
                        "status": execution.get("PipelineExecutionStatus"),
                        "startTime": iso(execution.get("StartTime")),
                    }
                    if execution
                    else None,
                }
            )
        return {"region": request.region, "pipelines": pipelines, "warnings": warnings}

    # -- steps of the plan -------------------------------------------------------

    def _primary(self, future: Future, deadline: float | None) -> Any:
        timeout = None if deadline is None else max(0.0, deadline - time.monotonic())
        try:
            return future.result(timeout=timeout)
        except (TimeoutError, FutureTimeoutError):  # distinct classes before Python 3.11
            raise DeadlineError() from None

    def _run(self, flow: _Dataflow, warnings: list[dict]) -> None:
        left = flow.run()
        if left:
            warnings.append(
                _warning(
                    "Timeout",
                    "request",
                    f"{left} AWS reads did not finish before the deadline; their values are missing",
                )
            )

    def _read_posture(self, flow: _Dataflow, buckets: set[str], state: dict, region: str) -> None:
        if not self.config.enable_s3_meta:
            return
        posture = state.setdefault("posture_outcomes", {})
        for bucket in sorted(buckets - set(posture)):
            cached = self.gateway.cached_posture(bucket)
            posture[bucket] = dict(cached) if cached else {}
            if cached:
                self._posture_done(bucket, state)
                continue
            for operation in POSTURE_OPERATIONS:
                flow.start(
                    self._posture_handler(bucket, operation, state),
                    self.gateway.posture_read,
                    operation,
                    bucket,
                    region,
                )

    def _posture_handler(
        self, bucket: str, operation: str, state: dict
    ) -> Callable[[Future], None]:
        def handle(f: Future) -> None:
            outcomes = state["posture_outcomes"][bucket]
            outcomes[operation] = f.result()
            if len(outcomes) == len(POSTURE_OPERATIONS):
                self.gateway.store_posture(bucket, outcomes)
                self._posture_done(bucket, state)

        return handle

    def _posture_done(self, bucket: str, state: dict) -> None:
        s3, bucket_warnings = bucket_posture(bucket, state["posture_outcomes"][bucket])
        state.setdefault("posture", {})[bucket] = s3
        state.setdefault("posture_warnings", {})[bucket] = bucket_warnings

    def _definition_ready(
        self, flow: _Dataflow, run_state: _RunState, state: dict, region: str,
        exec_arn: str, execution: dict | None, warnings: list[dict],
    ) -> None:  # fmt: skip
        """Once the definition and the parameters are in: posture of the buckets it names."""
        if (
            run_state.definition_text is None
            or run_state.parameters is None
            or run_state.definition
        ):
            return
        try:
            run_state.definition = parse_definition(run_state.definition_text)
        except LineageError as exc:
            warnings.append(_warning("InvalidDefinition", exec_arn, exc.user_message))
            return
        ctx = ResolutionContext.from_definition(
            run_state.definition,
            parameters=run_state.parameters,
            execution=_execution_variables(exec_arn, execution, None),
        )
        self._read_posture(flow, _buckets_of(run_state.definition, ctx), state, region)
        self._start_reports(flow, run_state, region, warnings)

    def _steps_arrived(
        self, flow: _Dataflow, run_state: _RunState, steps: list[dict], region: str,
        warnings: list[dict], state: dict,
    ) -> None:  # fmt: skip
        gw = self.gateway
        for summary in steps:
            run_state.add_summary(summary)
            name = summary.get("StepName", "")
            metadata = summary.get("Metadata") or {}
            for kind in JOB_DESCRIBES:
                arn = (metadata.get(kind) or {}).get("Arn")
                if arn:
                    flow.start(
                        self._job_handler(flow, run_state, name, kind, region, warnings, state),
                        gw.describe_job,
                        region,
                        kind,
                        arn,
                    )
            for check in ("QualityCheck", "ClarifyCheck"):
                arn = (metadata.get(check) or {}).get("CheckJobArn")
                if arn and ":processing-job/" in arn:
                    handler = self._job_handler(
                        flow,
                        run_state,
                        name,
                        "ProcessingJob",
                        region,
                        warnings,
                        state,
                        check,
                        metadata[check],
                    )
                    flow.start(handler, gw.describe_job, region, "ProcessingJob", arn)
            package_arn = (metadata.get("RegisterModel") or {}).get("Arn")
            if package_arn:

                def on_package(f: Future, step: str = name, arn: str = package_arn) -> None:
                    package = _secondary(f, warnings, arn, "the model package")
                    if package:
                        run_state.packages[step] = package
                        run_state.job_io[step] = job_io("RegisterModel", package)
                        self._read_posture(flow, _io_buckets(run_state.job_io[step]), state, region)

                flow.start(on_package, gw.describe_model_package, region, package_arn)

    def _job_handler(
        self, flow: _Dataflow, run_state: _RunState, step: str, kind: str, region: str,
        warnings: list[dict], state: dict, check: str | None = None, check_metadata: dict | None = None,
    ) -> Callable[[Future], None]:  # fmt: skip
        def handle(f: Future) -> None:
            job = _secondary(f, warnings, step, f"the {kind} of step {step}")
            if not job:
                return
            run_state.jobs[step] = job
            step_type = check or JOB_STEP_TYPES[kind]
            described = dict(job, CheckMetadata=check_metadata) if check else job
            run_state.job_io[step] = job_io(step_type, described)
            self._read_posture(flow, _io_buckets(run_state.job_io[step]), state, region)
            best = (job.get("BestTrainingJob") or {}).get("TrainingJobName")
            if best:

                def on_best(g: Future) -> None:
                    described = _secondary(g, warnings, best, "the tuning job's best training job")
                    if described:
                        run_state.best_jobs[step] = described

                flow.start(on_best, self.gateway.describe_job, region, "TrainingJob", best)
            self._start_reports(flow, run_state, region, warnings)

        return handle

    def _start_reports(
        self, flow: _Dataflow, run_state: _RunState, region: str, warnings: list[dict]
    ) -> None:
        """Property files (evaluation reports) of steps whose job and definition are both in."""
        if not self.config.read_reports or run_state.definition is None:
            return
        for step in run_state.definition.steps:
            job = run_state.jobs.get(step.name)
            if not step.property_files or not job or step.name in run_state.reports_started:
                continue
            run_state.reports_started.add(step.name)
            outputs = {o.name: o.uri for o in run_state.job_io[step.name].outputs}
            for pf in step.property_files:
                if pf.output_name not in outputs:
                    continue
                uri = outputs[pf.output_name].rstrip("/") + "/" + pf.file_path.lstrip("/")
                bucket, key = split_s3_uri(uri)
                if not bucket or not key or not self._report_allowed(uri):
                    continue

                def on_report(
                    f: Future, s: str = step.name, name: str = pf.name, target: str = uri
                ) -> None:
                    document = _secondary(f, warnings, target, "the evaluation report")
                    if document is not None:
                        run_state.reports.setdefault(s, {})[name] = document

                flow.start(on_report, self.gateway.read_json_object, region, bucket, key, True)

    def _report_allowed(self, uri: str) -> bool:
        scopes = self.config.report_scopes
        return not scopes or any(
            uri.startswith(scope.rstrip("/") + "/") or uri == scope for scope in scopes
        )

    def _answer(
        self,
        pipeline: dict,
        state: dict,
        execution: dict | None,
        graph: dict,
        warnings: list[dict],
        now: datetime,
    ) -> dict:
        for bucket in sorted(state.get("posture_warnings", {})):
            warnings.extend(state["posture_warnings"][bucket])
        return {
            "pipeline": {
                "name": pipeline.get("PipelineName"),
                "arn": pipeline.get("PipelineArn"),
                "displayName": pipeline.get("PipelineDisplayName") or pipeline.get("PipelineName"),
                "description": pipeline.get("PipelineDescription"),
                "status": pipeline.get("PipelineStatus"),
                "creationTime": iso(pipeline.get("CreationTime")),
                "lastModifiedTime": iso(pipeline.get("LastModifiedTime")),
                "lastRunTime": iso(pipeline.get("LastRunTime")),
                "tags": state.get("tags") or {},
            },
            "execution": execution,
            "summary": build_summary(execution, graph["nodes"], pipeline.get("LastModifiedTime")),
            "graph": graph,
            "warnings": warnings,
        }


class _RunState:
    """What has been read about one execution so far."""

    def __init__(self) -> None:
        self.definition_text: str | None = None
        self.definition: PipelineDefinition | None = None
        self.parameters: dict[str, str] | None = None
        self.summaries: dict[str, dict] = {}
        self.step_list: list[dict] = []
        self.steps_failed = False
        self.jobs: dict[str, dict] = {}
        self.best_jobs: dict[str, dict] = {}
        self.packages: dict[str, dict] = {}
        self.job_io: dict[str, StepIO] = {}
        self.reports: dict[str, dict] = {}
        self.reports_started: set[str] = set()

    def add_summary(self, summary: dict) -> None:
        self.step_list.append(summary)
        name = summary.get("StepName", "")
        previous = self.summaries.get(name)
        # A retried step can be listed more than once: keep its latest attempt.
        if previous is None or str(summary.get("StartTime") or "") >= str(
            previous.get("StartTime") or ""
        ):
            self.summaries[name] = summary

    def extra_steps(self, definition: PipelineDefinition) -> list[tuple[str, str]]:
        known = definition.step_names
        return [
            (name, _type_from_metadata(s))
            for name, s in self.summaries.items()
            if name not in known
        ]

    def context(
        self, definition: PipelineDefinition, exec_arn: str, execution: dict | None, pipeline: dict
    ) -> ResolutionContext:
        def report_value(step: str, property_file: str, path: str) -> Any:
            document = self.reports.get(step, {}).get(property_file)
            return None if document is None else json_path(document, path)

        return ResolutionContext.from_definition(
            definition,
            parameters=self.parameters or {},
            execution=_execution_variables(exec_arn, execution, pipeline),
            reports=report_value,
        )


JOB_STEP_TYPES = {
    "ProcessingJob": "Processing", "TrainingJob": "Training", "TransformJob": "Transform",
    "TuningJob": "Tuning", "AutoMLJob": "AutoML",
}  # fmt: skip


def _type_from_metadata(summary: dict) -> str:
    for key in summary.get("Metadata") or {}:
        return JOB_STEP_TYPES.get(key, key)
    return "Unknown"


def _execution_variables(
    exec_arn: str, execution: dict | None, pipeline: dict | None
) -> dict[str, Any]:
    variables: dict[str, Any] = {
        "PipelineExecutionArn": exec_arn,
        "PipelineExecutionId": exec_arn.rsplit("/", 1)[-1],
        "PipelineName": exec_arn.split(":pipeline/", 1)[-1].split("/", 1)[0],
    }
    if pipeline:
        variables["PipelineName"] = pipeline.get("PipelineName")
        variables["PipelineArn"] = pipeline.get("PipelineArn")
    if execution and execution.get("CreationTime"):
        variables["StartDateTime"] = iso(execution["CreationTime"])
    return variables


def _execution_view(
    execution: dict | None, latest: dict | None, arn: str, parameters: dict | None, now: datetime
) -> dict:
    source = execution or latest or {}
    status = source.get("PipelineExecutionStatus")
    start = source.get("CreationTime") or source.get("StartTime")
    end = source.get("LastModifiedTime") if status in TERMINAL_EXECUTION else None
    return {
        "arn": arn,
        "displayName": source.get("PipelineExecutionDisplayName"),
        "status": status,
        "startTime": iso(start),
        "endTime": iso(end),
        "elapsedSec": seconds_between(start, end or now),
        "failureReason": source.get("FailureReason")
        or source.get("PipelineExecutionFailureReason"),
        "parameters": dict(parameters or {}),
    }


def _io_buckets(io: StepIO) -> set[str]:
    return {b for b in (split_s3_uri(loc.uri)[0] for loc in io.inputs + io.outputs) if b}


def _buckets_of(
    definition: PipelineDefinition, ctx: ResolutionContext, extra: Any = ()
) -> set[str]:
    buckets: set[str] = set()
    for step in definition.steps:
        buckets |= _io_buckets(definition_io(step, ctx))
    for io in extra:
        buckets |= _io_buckets(io)
    return buckets


def _merge_io(ran: StepIO, declared: StepIO) -> StepIO:
    """What the job actually used, plus what the definition declares that the job did not report."""

    def merge(actual: list, planned: list) -> list:
        names = {loc.name for loc in actual}
        return actual + [loc for loc in planned if loc.name not in names]

    return StepIO(
        merge(ran.inputs, declared.inputs), merge(ran.outputs, declared.outputs), ran.properties
    )


def _graph(
    definition: PipelineDefinition,
    ctx: ResolutionContext,
    actual: dict[str, StepIO],
    runs: dict[str, dict] | None,
    posture: dict[str, dict],
    extra_steps: list[tuple[str, str]] | None = None,
) -> tuple[dict, list[dict], ArtifactTable]:
    """Nodes, edges and artifacts: what a job actually used where one ran, else the
    definition resolved against everything known (parameters, execution, the
    properties of the other steps)."""
    properties: dict[tuple[str, str], Resolved] = {}
    first_pass = {step.name: definition_io(step, ctx) for step in definition.steps}
    for source in (first_pass, actual):
        for step_name, step_io in source.items():
            for path, value in step_io.properties.items():
                properties[(step_name, path)] = value
    ctx = replace(ctx, properties=lambda step, path: properties.get((step, path)))
    io: dict[str, StepIO] = {}
    for step in definition.steps:
        declared = definition_io(step, ctx)
        ran = actual.get(step.name)
        io[step.name] = _merge_io(ran, declared) if ran else declared
    table = ArtifactTable()
    nodes = build_nodes(definition, io, runs, table, extra_steps or ())
    edges, warnings = build_edges(definition)
    graph = {"nodes": nodes, "edges": edges_to_list(edges), "artifacts": table.to_list(posture)}
    return graph, warnings, table
