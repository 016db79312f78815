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

Everything here is orchestration; what to read lives in ``aws.py``, how to turn
it into SPEC's JSON in the pure modules.
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

from .aws import FINAL_EXECUTION, JOB_DESCRIBES, POSTURE_OPERATIONS, After, AwsGateway, CallLog
from .config import LineageConfig
from .definition import PipelineDefinition, parse_definition
from .domain import domain_matches
from .errors import (
    AccessDeniedError,
    AwsReadError,
    CredentialsError,
    DeadlineError,
    LineageError,
    NotFoundError,
    ThrottledError,
)
from .graph import (
    assemble_graph,
    build_run,
    build_summary,
    definition_buckets,
    execution_variables,
    execution_view,
    io_buckets,
    iso,
    pipeline_view,
    resolve_io,
    split_s3_uri,
)
from .locations import JOB_STEP_TYPES, StepIO, job_io, property_file_outputs
from .posture import Outcome, bucket_posture
from .references import ResolutionContext, describe_conditions, json_path
from .request import ExecutionsRequest, LineageRequest, ListRequest

log = logging.getLogger("sagemaker_lineage_ext")
Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    return None


def warning_for(exc: BaseException, target: str, what: str) -> dict:
    """A SPEC warning for a read the answer could do without."""
    if isinstance(exc, AwsReadError):
        code = exc.code
    elif isinstance(exc, LineageError):
        code = {
            AccessDeniedError: "AccessDenied",
            NotFoundError: "NotFound",
            ThrottledError: "Throttled",
            CredentialsError: "Credentials",
            DeadlineError: "Timeout",
        }.get(type(exc), "Error")
    else:
        code = "InternalError"
    if isinstance(exc, NotFoundError):
        detail = "it does not exist (any more)"
    elif isinstance(exc, LineageError):
        detail = exc.user_message
    else:
        detail = "see the server log"
    return {"code": code, "target": target, "message": f"could not read {what}: {detail}"}


class _Dataflow:
    """Futures with a handler each; handlers may start more reads.

    A failing handler never takes the request down: it is logged and becomes a
    warning. Past the deadline no read starts, and ``close()`` cancels whatever
    is still queued.
    """

    def __init__(
        self, gateway: AwsGateway, deadline: float | None, log_: CallLog, warnings: list[dict]
    ) -> None:
        self.gateway = gateway
        self.deadline = deadline
        self.log = log_
        self.warnings = warnings
        self.pending: dict[Future, Callable[[Future], None]] = {}
        #: What reads started now depend on (for round counting).
        self.after: After = None
        #: Reads the deadline cut off (never started, or still running at it).
        self.skipped = 0

    def start(self, handler: Callable[[Future], None], fn: Callable[..., Any], *args: Any) -> None:
        if self.expired:
            self.skipped += 1  # past the deadline: not worth starting
            return
        self.pending[self.gateway.submit(fn, *args, after=self.after, log=self.log)] = handler

    @property
    def expired(self) -> bool:
        return self.deadline is not None and time.monotonic() >= self.deadline

    def run(self) -> None:
        """Run until nothing is pending or the deadline passes."""
        while self.pending:
            timeout = None if self.deadline is None else self.deadline - time.monotonic()
            if timeout is not None and timeout <= 0:
                break
            done, _ = wait(list(self.pending), timeout=timeout, return_when=FIRST_COMPLETED)
            for future in done:
                handler = self.pending.pop(future)
                self.after = future
                try:
                    handler(future)
                except Exception as exc:  # a bug in one handler must not lose the whole graph
                    log.exception("lineage: a read's handler failed")
                    self.warnings.append(warning_for(exc, "request", "part of the lineage"))
        self.skipped += len(self.pending)
        self.close()

    def timeout_warning(self) -> dict | None:
        """One warning for every read the deadline cut off, if any was."""
        if not self.skipped:
            return None
        return {
            "code": "Timeout",
            "target": "request",
            "message": f"{self.skipped} AWS reads did not finish before the deadline; "
            "what they would have told is Unknown or missing",
        }

    def close(self) -> None:
        for future in self.pending:
            future.cancel()
        self.pending.clear()


def preview_lineage(definition_source: Any) -> dict:
    """The graph of a definition document alone: no AWS access, no ``run``.

    Parameters take their default values; whatever only a run can know stays a
    ``{...}`` placeholder.
    """
    definition = parse_definition(definition_source)
    io = resolve_io(definition, ResolutionContext.from_definition(definition), {})
    graph, warnings = assemble_graph(definition, io, None, {})
    return {
        "pipeline": None,
        "execution": None,
        "summary": build_summary(None, graph["nodes"], None),
        "graph": graph,
        "warnings": warnings,
    }


class LineageService:
    """The lineage core's entry point, shared by every front door (thread-safe)."""

    #: True when it reads the embedded demo account, so front doors can say so.
    demo = False

    def __init__(
        self, config: LineageConfig | None = None, gateway: AwsGateway | None = None
    ) -> None:
        self.config = config or (gateway.config if gateway else LineageConfig.from_env())
        self.gateway = gateway or AwsGateway(self.config)

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
        recorded in ``log`` when one is given (benchmarks and tests read it).
        """
        read = _LineageRead(self, request, deadline, progress or _quiet, log or CallLog())
        try:
            return read.run()
        finally:
            read.close()

    def list_executions(self, request: ExecutionsRequest) -> dict:
        """A pipeline's recent executions, newest first (to pick one for ``executionArn``)."""
        gw, region, name = self.gateway, request.region, request.pipeline_name
        f_pipeline = gw.submit(gw.describe_pipeline, region, name)
        f_executions = gw.submit(gw.recent_executions, region, name, request.limit)
        try:
            pipeline = _found_pipeline(Future.result, f_pipeline, request)
            if request.domain:
                tags = gw.list_tags(region, pipeline["PipelineArn"])
                _check_domain(tags, request, self.config.domain_tag_keys)
        except LineageError:
            f_executions.cancel()
            raise
        return {
            "pipeline": pipeline["PipelineName"],
            "region": region,
            "executions": [
                {
                    "arn": e["PipelineExecutionArn"],
                    "displayName": e.get("PipelineExecutionDisplayName"),
                    "status": e.get("PipelineExecutionStatus"),
                    "startTime": iso(e.get("StartTime")),
                    "failureReason": e.get("PipelineExecutionFailureReason") or None,
                }
                for e in f_executions.result()
            ],
        }

    def list_pipelines(self, request: ListRequest) -> dict:
        """Pipelines of a region for pickers: ARN, last modified time, latest execution status."""
        gw = self.gateway
        summaries = gw.list_pipelines(request.region, request.prefix)
        if request.prefix:
            summaries = [s for s in summaries if s["PipelineName"].startswith(request.prefix)]
        warnings: list[dict] = []
        if request.domain:
            tags = {
                s["PipelineArn"]: gw.submit(gw.list_tags, request.region, s["PipelineArn"])
                for s in summaries
            }
            summaries = [
                s
                for s in summaries
                if domain_matches(
                    _result(tags[s["PipelineArn"]], warnings, s["PipelineArn"], "its tags") or {},
                    request.domain,
                    self.config.domain_tag_keys,
                )
            ]
        latest = {
            s["PipelineName"]: gw.submit(gw.latest_execution, request.region, s["PipelineName"])
            for s in summaries
        }
        pipelines = []
        for summary in summaries:
            name = summary["PipelineName"]
            execution = _result(latest[name], warnings, summary["PipelineArn"], "its executions")
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


def _found_pipeline(
    wait_for: Callable[[Future], Any], future: Future, request: LineageRequest | ExecutionsRequest
) -> dict:
    """The DescribePipeline answer, or a NotFoundError that says what was not found."""
    try:
        pipeline = wait_for(future)
    except NotFoundError:
        raise NotFoundError(
            f"no pipeline named {request.pipeline_name!r} in {request.region}"
        ) from None
    arn = request.pipeline_arn
    if arn and pipeline["PipelineArn"].lower() != arn.lower():
        raise NotFoundError(f"{arn} is not in this account")  # same name, another account
    return pipeline


def _check_domain(
    tags: dict[str, str], request: LineageRequest | ExecutionsRequest, keys: tuple[str, ...]
) -> None:
    if request.domain and not domain_matches(tags, request.domain, keys):
        raise NotFoundError(
            f"pipeline {request.pipeline_name!r} is not tagged with domain {request.domain!r}"
        )


def _result(future: Future, warnings: list[dict], target: str, what: str) -> Any:
    """A read the answer can do without: its result, or ``None`` and a warning."""
    try:
        return future.result()
    except Exception as exc:
        if not isinstance(exc, LineageError):
            log.exception("lineage: reading %s of %s failed", what, target)
        warnings.append(warning_for(exc, target, what))
        return None


class _LineageRead:
    """One lineage request: the reads it plans, and what they returned."""

    def __init__(
        self,
        service: LineageService,
        request: LineageRequest,
        deadline: float | None,
        say: Progress,
        log_: CallLog,
    ) -> None:
        self.config = service.config
        self.gw = service.gateway
        self.request = request
        self.region = request.region
        self.deadline = deadline
        self.say = say
        self.log = log_
        self.now = datetime.now(timezone.utc)
        self.warnings: list[dict] = []
        self.flow = _Dataflow(self.gw, deadline, log_, self.warnings)
        self.started: list[Future] = []
        self.tags: dict[str, str] = {}
        self.pipeline: dict = {}
        self.execution: dict | None = None
        self.summary: dict | None = None
        self.exec_arn: str | None = None
        self.definition_text: str | None = None
        self.definition: PipelineDefinition | None = None
        self.parameters: dict[str, str] | None = None
        #: step name -> its ListPipelineExecutionSteps entry (the latest attempt)
        self.summaries: dict[str, dict] = {}
        self.step_list: list[dict] = []
        self.steps_complete = False
        #: What was read about each job or model package, by its ARN: a retried
        #: step lists several, and only the attempt kept in ``summaries`` counts.
        self.described: dict[str, dict] = {}
        self.resource_io: dict[str, StepIO] = {}
        self.best_jobs: dict[str, dict] = {}
        self.reports: dict[str, dict] = {}
        self.requested: set[str] = set()
        self.reports_started: set[str] = set()
        self.outcomes: dict[str, dict] = {}
        self.posture: dict[str, dict] = {}
        self.posture_warnings: dict[str, list[dict]] = {}

    # -- the plan ----------------------------------------------------------------

    def run(self) -> dict:
        gw, region, request = self.gw, self.region, self.request
        name = request.pipeline_name
        self.say(f"Reading pipeline {name} ({region})")
        f_pipeline = self._submit(gw.describe_pipeline, region, name)
        f_execution = f_latest = None
        if request.execution_arn:
            f_execution = self._submit(gw.describe_execution, region, request.execution_arn)
        elif request.include_latest_exec:
            f_latest = self._submit(gw.latest_execution, region, name)
        if self.config.enable_s3_meta:
            gw.prepare(region, ("sagemaker", "s3"))

        self.pipeline = _found_pipeline(self._wait, f_pipeline, request)
        self.flow.after = [f for f in (f_pipeline, f_execution, f_latest) if f]
        if request.domain:
            f_tags = self._submit(
                gw.list_tags, region, self.pipeline["PipelineArn"], after=f_pipeline
            )
            self.tags = self._wait(f_tags)
            _check_domain(self.tags, request, self.config.domain_tag_keys)
            self.flow.after = [f for f in (f_tags, f_execution, f_latest) if f]
        else:
            self.flow.start(self._on_tags, gw.list_tags, region, self.pipeline["PipelineArn"])

        if f_execution is not None:
            missing = f"no execution {request.execution_arn} of pipeline {name!r}"
            try:
                self.execution = self._wait(f_execution)
            except NotFoundError:
                raise NotFoundError(missing) from None
            self.exec_arn = request.execution_arn
            if self.execution.get("PipelineArn") != self.pipeline["PipelineArn"]:
                raise NotFoundError(missing)
        elif f_latest is not None:
            self.summary = self._wait(f_latest)
            self.exec_arn = self.summary["PipelineExecutionArn"] if self.summary else None

        if self.exec_arn is None:
            return self._definition_only()
        return self._with_execution(self.exec_arn)

    def _definition_only(self) -> dict:
        definition = self._parse(self.pipeline["PipelineDefinition"], self.pipeline["PipelineArn"])
        ctx = ResolutionContext.from_definition(definition)
        self.say("Reading bucket posture")
        self._read_posture(definition_buckets(definition, ctx))
        self.flow.run()
        self._posture_deadline()
        io = resolve_io(definition, ctx, {})
        return self._answer(definition, io, None, None)

    def _with_execution(self, arn: str) -> dict:
        gw, region = self.gw, self.region
        self.say("Reading execution and steps")
        status = (self.execution or self.summary or {}).get("PipelineExecutionStatus")
        final = status in FINAL_EXECUTION
        if self.execution is None:
            self.flow.start(self._on_execution, gw.describe_execution, region, arn)
        self.flow.start(self._on_definition, gw.definition_for_execution, region, arn)
        self.flow.start(self._on_parameters, gw.execution_parameters, region, arn, final)
        cached = gw.cached_steps(arn) if final else None
        if cached is not None:
            self._steps_arrived(cached)
            self.steps_complete = True
        else:
            self.flow.start(self._page_handler(final), gw.execution_steps_page, region, arn, None)
        self.flow.run()

        self.say("Resolving inputs and outputs")
        definition = self.definition or self._parse(
            self.definition_text or self.pipeline["PipelineDefinition"], arn
        )
        ctx = self._context(definition, arn)
        kept = self._kept_resources()
        actual = {step: self.resource_io[r] for step, r in kept.items() if r in self.resource_io}
        # Buckets only a resolved reference revealed: one more round if there are any.
        self.flow.after = self.log.depth()
        io = resolve_io(definition, ctx, actual)
        self._read_posture(set().union(*(io_buckets(step_io) for step_io in io.values())))
        self.flow.run()
        self._posture_deadline()

        runs: dict[str, dict] = {}
        for name, summary in self.summaries.items():
            resource = kept.get(name)
            described = self.described.get(resource) if resource else None
            is_package = bool((summary.get("Metadata") or {}).get("RegisterModel"))
            runs[name] = build_run(
                summary,
                now=self.now,
                job=None if is_package else described,
                package=described if is_package else None,
                best_job=self.best_jobs.get(resource) if resource else None,
                reports=self.reports.get(resource) if resource else None,
            )
        known_properties = {
            (step, path): value
            for step, step_io in actual.items()
            for path, value in step_io.properties.items()
        }
        condition_ctx = replace(
            ctx, properties=lambda step, path: known_properties.get((step, path))
        )
        for step in definition.steps:
            if step.type == "Condition" and step.name in runs:
                conditions = step.arguments.get("Conditions")
                runs[step.name]["conditions"] = describe_conditions(conditions, condition_ctx)
        if not self.steps_complete:
            # Steps missing from an incomplete list may have run: say so, not NotStarted.
            for step in definition.steps:
                runs.setdefault(step.name, dict(build_run(None), status="Unknown"))
        known = definition.step_names
        extra = [(n, _type_from_metadata(s)) for n, s in self.summaries.items() if n not in known]
        view = execution_view(self.execution, self.summary, arn, self.parameters, self.now)
        return self._answer(definition, io, runs, view, extra)

    def _parse(self, text: str, target: str) -> PipelineDefinition:
        """A stored definition SageMaker accepted but we cannot read: say so, draw nothing."""
        try:
            return parse_definition(text)
        except LineageError as exc:
            self.warnings.append(
                {"code": "InvalidDefinition", "target": target, "message": exc.user_message}
            )
            return PipelineDefinition(version=None, parameters={}, steps=())

    def _posture_deadline(self) -> None:
        """Buckets whose reads the deadline cut off: what is missing is Unknown (Timeout)."""
        for bucket, outcomes in self.outcomes.items():
            if bucket not in self.posture:
                for operation in POSTURE_OPERATIONS:
                    outcomes.setdefault(operation, Outcome(error="Timeout"))
                self._posture_done(bucket)

    def _answer(
        self,
        definition: PipelineDefinition,
        io: dict[str, StepIO],
        runs: dict[str, dict] | None,
        execution: dict | None,
        extra_steps: list[tuple[str, str]] | None = None,
    ) -> dict:
        graph, graph_warnings = assemble_graph(
            definition, io, runs, self.posture, extra_steps or ()
        )
        timeout = self.flow.timeout_warning()
        warnings = self.warnings + graph_warnings + ([timeout] if timeout else [])
        for bucket in sorted(self.posture_warnings):
            warnings.extend(self.posture_warnings[bucket])
        return {
            "pipeline": pipeline_view(self.pipeline, self.tags),
            "execution": execution,
            "summary": build_summary(
                execution, graph["nodes"], self.pipeline.get("LastModifiedTime")
            ),
            "graph": graph,
            "warnings": warnings,
        }

    def close(self) -> None:
        """Cancel reads this request started and no longer needs."""
        self.flow.close()
        for future in self.started:
            future.cancel()

    # -- plumbing ----------------------------------------------------------------

    def _submit(self, fn: Callable[..., Any], *args: Any, after: After = None) -> Future:
        future = self.gw.submit(fn, *args, after=after, log=self.log)
        self.started.append(future)
        return future

    def _wait(self, future: Future) -> Any:
        """A read the answer cannot do without: its errors end the request."""
        timeout = None if self.deadline is None else max(0.0, self.deadline - time.monotonic())
        try:
            return future.result(timeout=timeout)
        except (TimeoutError, FutureTimeoutError):  # distinct classes before Python 3.11
            raise DeadlineError() from None

    def _context(self, definition: PipelineDefinition, arn: str) -> ResolutionContext:
        def report_value(step: str, property_file: str, path: str) -> Any:
            resource = self._kept_resources().get(step)
            document = self.reports.get(resource, {}).get(property_file) if resource else None
            return None if document is None else json_path(document, path)

        return ResolutionContext.from_definition(
            definition,
            parameters=self.parameters or {},
            execution=execution_variables(arn, self.execution, self.pipeline),
            reports=report_value,
        )

    # -- handlers ----------------------------------------------------------------

    def _on_tags(self, f: Future) -> None:
        self.tags = (
            _result(f, self.warnings, self.pipeline["PipelineArn"], "the pipeline's tags") or {}
        )

    def _on_execution(self, f: Future) -> None:
        self.execution = _result(f, self.warnings, str(self.exec_arn), "the execution")

    def _on_definition(self, f: Future) -> None:
        text = _result(f, self.warnings, str(self.exec_arn), "the definition the execution ran")
        self.definition_text = text or self.pipeline["PipelineDefinition"]
        self._definition_ready()

    def _on_parameters(self, f: Future) -> None:
        self.parameters = (
            _result(f, self.warnings, str(self.exec_arn), "the execution's parameters") or {}
        )
        self._definition_ready()

    def _page_handler(self, final: bool) -> Callable[[Future], None]:
        def on_page(f: Future) -> None:
            result = _result(f, self.warnings, str(self.exec_arn), "the execution's steps")
            if result is None:
                return
            steps, token = result
            self._steps_arrived(steps)
            if token:
                self.flow.start(
                    on_page, self.gw.execution_steps_page, self.region, self.exec_arn, token
                )
                return
            self.steps_complete = True
            if final:
                self.gw.store_steps(str(self.exec_arn), self.step_list)

        return on_page

    def _definition_ready(self) -> None:
        """Once the definition and the parameters are in: posture of the buckets it names."""
        if self.definition_text is None or self.parameters is None or self.definition is not None:
            return
        self.definition = self._parse(self.definition_text, str(self.exec_arn))
        ctx = self._context(self.definition, str(self.exec_arn))
        self._read_posture(definition_buckets(self.definition, ctx))
        self._start_reports()

    def _steps_arrived(self, steps: list[dict]) -> None:
        for summary in steps:
            self.step_list.append(summary)
            name = summary.get("StepName", "")
            previous = self.summaries.get(name)
            # A retried step can be listed more than once: keep its latest attempt.
            if previous is None or _started(summary) >= _started(previous):
                self.summaries[name] = summary
        for name, summary in self.summaries.items():
            resource = _resource(summary)
            if resource is None or resource[1] in self.requested:
                continue
            kind, arn, check, check_metadata = resource
            self.requested.add(arn)
            if kind == "RegisterModel":
                self.flow.start(
                    self._package_handler(arn), self.gw.describe_model_package, self.region, arn
                )
            else:
                handler = self._job_handler(name, arn, kind, check, check_metadata)
                self.flow.start(handler, self.gw.describe_job, self.region, kind, arn)

    def _kept_resources(self) -> dict[str, str]:
        """Step name -> the ARN of the job or package its kept attempt names."""
        return {
            name: resource[1]
            for name, summary in self.summaries.items()
            if (resource := _resource(summary)) is not None
        }

    def _package_handler(self, arn: str) -> Callable[[Future], None]:
        def on_package(f: Future) -> None:
            package = _result(f, self.warnings, arn, "the model package")
            if package:
                self.described[arn] = package
                self.resource_io[arn] = job_io("RegisterModel", package)
                self._read_posture(io_buckets(self.resource_io[arn]))

        return on_package

    def _job_handler(
        self, step: str, arn: str, kind: str, check: str | None, check_metadata: dict | None
    ) -> Callable[[Future], None]:
        def on_job(f: Future) -> None:
            job = _result(f, self.warnings, step, f"the {kind} of step {step}")
            if not job:
                return
            self.described[arn] = job
            described = dict(job, CheckMetadata=check_metadata) if check else job
            self.resource_io[arn] = job_io(check or JOB_STEP_TYPES[kind], described)
            self._read_posture(io_buckets(self.resource_io[arn]))
            best = (job.get("BestTrainingJob") or {}).get("TrainingJobArn")
            if best:
                self.flow.start(
                    self._best_job_handler(arn, best),
                    self.gw.describe_job,
                    self.region,
                    "TrainingJob",
                    best,
                )
            self._start_reports()

        return on_job

    def _best_job_handler(self, tuning_arn: str, arn: str) -> Callable[[Future], None]:
        def on_best(f: Future) -> None:
            described = _result(f, self.warnings, arn, "the tuning job's best training job")
            if described:
                self.best_jobs[tuning_arn] = described

        return on_best

    def _start_reports(self) -> None:
        """Property files (evaluation reports) of steps whose job and definition are both in."""
        if not self.config.read_reports or self.definition is None:
            return
        kept = self._kept_resources()
        for step in self.definition.steps:
            arn = kept.get(step.name)
            if (
                not step.property_files
                or arn not in self.resource_io
                or arn in self.reports_started
            ):
                continue
            self.reports_started.add(arn)
            finished = self.described[arn].get("ProcessingJobStatus") == "Completed"
            for pf, location in property_file_outputs(step, self.resource_io[arn]):
                bucket, key = split_s3_uri(location.uri)
                if bucket and key and self._report_allowed(location.uri):
                    self.flow.start(
                        self._report_handler(arn, pf.name, location.uri),
                        self.gw.read_report,
                        self.region,
                        bucket,
                        key,
                        # a finished job's report belongs to this execution; cache it so
                        self.exec_arn if finished else None,
                    )

    def _report_handler(self, arn: str, name: str, uri: str) -> Callable[[Future], None]:
        def on_report(f: Future) -> None:
            document = _result(f, self.warnings, uri, "the evaluation report")
            if document is not None:
                self.reports.setdefault(arn, {})[name] = document

        return on_report

    def _report_allowed(self, uri: str) -> bool:
        scopes = self.config.report_scopes
        return not scopes or any(uri == s or uri.startswith(s.rstrip("/") + "/") for s in scopes)

    def _read_posture(self, buckets: set[str]) -> None:
        if not self.config.enable_s3_meta:
            return
        for bucket in sorted(buckets - set(self.outcomes)):
            cached = self.gw.cached_posture(bucket, self.region)
            self.outcomes[bucket] = dict(cached) if cached else {}
            if cached:
                self._posture_done(bucket)
                continue
            for operation in POSTURE_OPERATIONS:
                self.flow.start(
                    self._posture_handler(bucket, operation),
                    self.gw.posture_read,
                    operation,
                    bucket,
                    self.region,
                )

    def _posture_handler(self, bucket: str, operation: str) -> Callable[[Future], None]:
        def on_posture(f: Future) -> None:
            outcomes = self.outcomes[bucket]
            outcomes[operation] = f.result()  # posture_read never raises
            if len(outcomes) == len(POSTURE_OPERATIONS):
                self.gw.store_posture(bucket, self.region, outcomes)
                self._posture_done(bucket)

        return on_posture

    def _posture_done(self, bucket: str) -> None:
        self.posture[bucket], self.posture_warnings[bucket] = bucket_posture(
            bucket, self.outcomes[bucket]
        )


def _started(summary: dict) -> datetime:
    """When an attempt started (attempts without a time sort first)."""
    value = summary.get("StartTime")
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    return datetime.min.replace(tzinfo=timezone.utc)


def _resource(summary: dict) -> tuple[str, str, str | None, dict | None] | None:
    """What to describe for a step: (kind, ARN, check type, check metadata), or None."""
    metadata = summary.get("Metadata") or {}
    for kind in JOB_DESCRIBES:
        arn = (metadata.get(kind) or {}).get("Arn")
        if arn:
            return kind, arn, None, None
    for check in ("QualityCheck", "ClarifyCheck"):
        arn = (metadata.get(check) or {}).get("CheckJobArn")
        if arn and ":processing-job/" in arn:
            return "ProcessingJob", arn, check, metadata[check]
    arn = (metadata.get("RegisterModel") or {}).get("Arn")
    return ("RegisterModel", arn, None, None) if arn else None


def _type_from_metadata(summary: dict) -> str:
    for key in summary.get("Metadata") or {}:
        return JOB_STEP_TYPES.get(key, key)
    return "Unknown"
