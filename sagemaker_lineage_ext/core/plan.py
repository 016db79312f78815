"""The read plan of one lineage request: which AWS reads, in which dependent rounds.

    1  DescribePipeline | ListPipelineExecutions (or DescribePipelineExecution)
    2  ListTags | DescribePipelineExecution | DescribePipelineDefinitionForExecution
       | ListPipelineParametersForExecution | ListPipelineExecutionSteps (page 1)
    3  next step pages | job describes and model packages of the steps already listed
       | posture of the buckets the definition names
    4  best training job of a tuning job | posture of buckets only the jobs named
       | evaluation reports (GetObject)

:class:`LineageRead` reads the pipeline, its execution and definition;
:class:`StepReads` what each step ran (jobs, model packages, reports);
:class:`PostureReads` each bucket's posture. What to read lives in ``aws.py``; how
to turn it into the answer in the pure modules (``graph.py``, ``views.py``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeoutError
from dataclasses import replace
from datetime import datetime, timezone
from typing import Any

from .aws import FINAL_EXECUTION, POSTURE_OPERATIONS, After, AwsGateway
from .config import LineageConfig
from .dataflow import Dataflow, result_or_warning
from .definition import PipelineDefinition, parse_definition
from .domain import domain_matches
from .errors import DeadlineError, LineageError, NotFoundError
from .graph import assemble_graph, definition_buckets, io_buckets, resolve_io, split_s3_uri
from .jsonsafe import MAX_DEPTH, json_depth
from .locations import JOB_STEP_TYPES, StepIO, job_io, merge_io, metadata_io, property_file_outputs
from .models import AnswerWarning, Execution, LineageResponse, Posture, Run
from .posture import Outcome, bucket_posture
from .references import ResolutionContext, describe_conditions, json_path
from .request import ExecutionsRequest, LineageRequest
from .views import (
    build_run,
    build_summary,
    describable,
    execution_variables,
    execution_view,
    iso,
    iteration_runs,
    pipeline_view,
    step_resource_arn,
    step_type_from_metadata,
)

Progress = Callable[[str], None]
#: Pages of ListPipelineExecutionSteps read at most (100 steps each): an endpoint that
#: never stops paging (a repeating or endless NextToken) ends here, with a warning.
MAX_STEP_PAGES = 1000
#: How long assembling the answer may run past the deadline when the reads used all
#: of it (the doors keep a margin for this and for sending the answer).
CPU_GRACE_S = 0.5


def _quiet(_: str) -> None:
    return None


def found_pipeline(
    wait_for: Callable[[Future[Any]], Any],
    future: Future[Any],
    request: LineageRequest | ExecutionsRequest,
) -> dict[str, Any]:
    """The DescribePipeline answer, or a NotFoundError that says what was not found."""
    try:
        pipeline: dict[str, Any] = wait_for(future)
    except NotFoundError:
        raise NotFoundError(
            f"no pipeline named {request.pipeline_name!r} in {request.region}"
        ) from None
    arn = request.pipeline_arn
    if arn and pipeline["PipelineArn"].lower() != arn.lower():
        raise NotFoundError(f"{arn} is not in this account")  # same name, another account
    return pipeline


def check_domain(
    tags: dict[str, str], request: LineageRequest | ExecutionsRequest, keys: tuple[str, ...]
) -> None:
    if request.domain and not domain_matches(tags, request.domain, keys):
        raise NotFoundError(
            f"pipeline {request.pipeline_name!r} is not tagged with domain {request.domain!r}"
        )


def wait_until(future: Future[Any], deadline: float | None) -> Any:
    """A read the answer cannot do without: its result; its errors end the request."""
    timeout = None if deadline is None else max(0.0, deadline - time.monotonic())
    try:
        return future.result(timeout=timeout)
    except (TimeoutError, FutureTimeoutError):  # distinct classes before Python 3.11
        raise DeadlineError() from None


class PostureReads:
    """Each bucket's posture: five S3 reads per bucket, or the gateway's cached outcomes."""

    def __init__(
        self, flow: Dataflow, gateway: AwsGateway, region: str, enabled: bool, fresh: bool = False
    ) -> None:
        self.flow, self.gw, self.region, self.enabled = flow, gateway, region, enabled
        #: Read every bucket again, whatever the cache holds (``fresh=true``, Refresh).
        self.fresh = fresh
        self.outcomes: dict[str, dict[str, Outcome]] = {}
        #: bucket -> when its posture was read (ISO-8601; from the cache: when first read)
        self.read_at: dict[str, str] = {}
        #: bucket -> the answer's ``s3`` block, and the warnings its reads raised
        self.posture: dict[str, Posture] = {}
        self.warnings: dict[str, list[AnswerWarning]] = {}

    def read(self, buckets: Iterable[str]) -> None:
        if not self.enabled:
            return
        for bucket in sorted(set(buckets) - set(self.outcomes)):
            cached = None if self.fresh else self.gw.cached_posture(bucket, self.region)
            self.outcomes[bucket] = dict(cached[0]) if cached else {}
            if cached:
                self.read_at[bucket] = cached[1]
                self._done(bucket)
                continue
            for operation in POSTURE_OPERATIONS:
                self.flow.start(
                    self._handler(bucket, operation),
                    self.gw.posture_read,
                    operation,
                    bucket,
                    self.region,
                )

    def _handler(self, bucket: str, operation: str) -> Callable[[Future[Any]], None]:
        def on_posture(f: Future[Any]) -> None:
            outcomes = self.outcomes[bucket]
            outcomes[operation] = f.result()  # posture_read never raises
            if len(outcomes) == len(POSTURE_OPERATIONS):
                self.read_at[bucket] = _now()
                self.gw.store_posture(bucket, self.region, outcomes, self.read_at[bucket])
                self._done(bucket)

        return on_posture

    def _done(self, bucket: str) -> None:
        posture, self.warnings[bucket] = bucket_posture(bucket, self.outcomes[bucket])
        posture["readAt"] = self.read_at.get(bucket) or _now()
        self.posture[bucket] = posture

    def cut_off(self) -> None:
        """Buckets whose reads the deadline cut off: what is missing is Unknown (Timeout)."""
        for bucket, outcomes in self.outcomes.items():
            if bucket not in self.posture:
                for operation in POSTURE_OPERATIONS:
                    outcomes.setdefault(operation, Outcome(error="Timeout"))
                self._done(bucket)

    def all_warnings(self, shown: set[str]) -> list[AnswerWarning]:
        """The warnings about the buckets in ``shown`` (a bucket read for the pipeline's
        current definition that the execution did not use is not in the answer)."""
        return [w for bucket in sorted(self.warnings.keys() & shown) for w in self.warnings[bucket]]


class StepReads:
    """What each listed step ran: its job or model package, a tuning job's best training
    job, and the evaluation reports (property files) its job wrote."""

    def __init__(
        self,
        flow: Dataflow,
        gateway: AwsGateway,
        config: LineageConfig,
        region: str,
        warnings: list[AnswerWarning],
        posture: PostureReads,
    ) -> None:
        self.flow, self.gw, self.config, self.region = flow, gateway, config, region
        self.warnings, self.posture = warnings, posture
        self.exec_arn: str | None = None
        self.definition: PipelineDefinition | None = None
        #: step name -> its ListPipelineExecutionSteps entry (the latest attempt)
        self.summaries: dict[str, dict[str, Any]] = {}
        #: step name -> the ARN of the job or package its kept attempt names
        self.kept: dict[str, str] = {}
        self.listed: list[dict[str, Any]] = []
        #: entries of steps inside a ForEach body (one per item; IterationContext)
        self.iterations: list[dict[str, Any]] = []
        self.complete = False
        #: Whether reading the step list failed (a warning says why), as opposed to
        #: being cut off by the deadline.
        self.listing_failed = False
        #: NextTokens of the step list seen so far (a repeating one ends the listing)
        self.tokens: set[str] = set()
        #: What was read about each job or model package, by its ARN: a retried
        #: step lists several, and only the attempt kept in ``summaries`` counts.
        self.described: dict[str, dict[str, Any]] = {}
        self.resource_io: dict[str, StepIO] = {}
        self.best_jobs: dict[str, dict[str, Any]] = {}
        self.reports: dict[str, dict[str, Any]] = {}
        self._requested: set[str] = set()
        self._reports_started: set[str] = set()
        #: job or package ARN -> its reads whose handler has not run yet
        self._open: dict[str, int] = {}

    def arrived(self, steps: list[dict[str, Any]]) -> None:
        """A page of ListPipelineExecutionSteps: describe what its steps ran."""
        changed = []
        for summary in steps:
            self.listed.append(summary)
            if isinstance(summary.get("IterationContext"), dict):
                # One item of a ForEach body: not an attempt of its step (views.iteration_runs)
                self.iterations.append(summary)
                continue
            name = summary.get("StepName", "")
            previous = self.summaries.get(name)
            # A retried step can be listed more than once: keep its latest attempt.
            if previous is None or _started(summary) >= _started(previous):
                self.summaries[name] = summary
                changed.append(name)
        for name in changed:
            resource = _resource(self.summaries[name])
            if resource is None:
                self.kept.pop(name, None)
                continue
            kind, arn, check, check_metadata = resource
            self.kept[name] = arn
            if arn in self._requested:
                continue
            self._requested.add(arn)
            if kind == "RegisterModel":
                self._read(
                    arn,
                    self._package_handler(arn),
                    self.gw.describe_model_package,
                    self.region,
                    arn,
                )
            else:
                handler = self._job_handler(name, arn, kind, check, check_metadata)
                finished = self.gw.cached_job(self.region, arn)
                if finished is not None:  # read before by this process: no read to wait for
                    handler(_done(finished))
                else:
                    self._read(arn, handler, self.gw.describe_job, self.region, kind, arn)

    def _read(
        self, about: str, handler: Callable[[Future[Any]], None], fn: Callable[..., Any], *args: Any
    ) -> None:
        """Start a read about the job or package ``about``: until its handler has run (a
        read the deadline cut off never runs it), that job's step is not fully read."""
        self._open[about] = self._open.get(about, 0) + 1

        def settled(f: Future[Any]) -> None:
            self._open[about] -= 1
            handler(f)

        self.flow.start(settled, fn, *args)

    def unfinished(self) -> list[str]:
        """Listed steps whose job, package, best training job or reports were not read
        because the deadline came first, in the order they were listed."""
        return [name for name, arn in self.kept.items() if self._open.get(arn)]

    def actual_io(self) -> dict[str, StepIO]:
        """Step name -> what its kept job actually read and wrote, and what its step
        metadata names (an EMR step's log, an Athena query's results, output parameters)."""
        io = {s: self.resource_io[r] for s, r in self.kept.items() if r in self.resource_io}
        for name, summary in self.summaries.items():
            named = metadata_io(summary.get("Metadata") or {})
            if named.inputs or named.outputs or named.properties:
                io[name] = merge_io(io[name], named) if name in io else named
        return io

    def _package_handler(self, arn: str) -> Callable[[Future[Any]], None]:
        def on_package(f: Future[Any]) -> None:
            package = result_or_warning(f, self.warnings, arn, "the model package")
            if package:
                self.described[arn] = package
                self.resource_io[arn] = job_io("RegisterModel", package)
                self.posture.read(io_buckets(self.resource_io[arn]))

        return on_package

    def _job_handler(
        self,
        step: str,
        arn: str,
        kind: str,
        check: str | None,
        check_metadata: dict[str, Any] | None,
    ) -> Callable[[Future[Any]], None]:
        def on_job(f: Future[Any]) -> None:
            job = result_or_warning(f, self.warnings, step, f"the {kind} of step {step}")
            if not job:
                return
            self.described[arn] = job
            described = dict(job, CheckMetadata=check_metadata) if check else job
            self.resource_io[arn] = job_io(check or JOB_STEP_TYPES[kind], described)
            self.posture.read(io_buckets(self.resource_io[arn]))
            best = (job.get("BestTrainingJob") or {}).get("TrainingJobArn")
            if best:
                self._read(
                    arn,
                    self._best_job_handler(arn, best),
                    self.gw.describe_job,
                    self.region,
                    "TrainingJob",
                    best,
                )
            self.start_reports((step,))

        return on_job

    def _best_job_handler(self, tuning_arn: str, arn: str) -> Callable[[Future[Any]], None]:
        def on_best(f: Future[Any]) -> None:
            described = result_or_warning(
                f, self.warnings, arn, "the tuning job's best training job"
            )
            if described:
                self.best_jobs[tuning_arn] = described

        return on_best

    def start_reports(self, steps: Iterable[str]) -> None:
        """Read the property files (evaluation reports) of ``steps`` whose job and
        definition are both in (each step is looked at once per arrival: no scans)."""
        if not self.config.read_reports or self.definition is None:
            return
        for name in steps:
            step = self.definition.step(name)
            arn = self.kept.get(name)
            if (
                step is None
                or not step.property_files
                or arn is None
                or arn not in self.resource_io
                or arn in self._reports_started
            ):
                continue
            self._reports_started.add(arn)
            finished = self.described[arn].get("ProcessingJobStatus") == "Completed"
            for pf, location in property_file_outputs(step, self.resource_io[arn]):
                bucket, key = split_s3_uri(location.uri)
                if bucket and key and self._report_allowed(location.uri):
                    self._read(
                        arn,
                        self._report_handler(arn, pf.name, location.uri),
                        self.gw.read_report,
                        self.region,
                        bucket,
                        key,
                        # a finished job's report belongs to this execution; cache it so
                        self.exec_arn if finished else None,
                    )

    def _report_handler(self, arn: str, name: str, uri: str) -> Callable[[Future[Any]], None]:
        def on_report(f: Future[Any]) -> None:
            document = result_or_warning(f, self.warnings, uri, "the evaluation report")
            if document is not None and json_depth(document) > MAX_DEPTH:
                self.warnings.append(
                    {
                        "code": "ReportTooDeep",
                        "target": uri,
                        "message": f"the evaluation report is nested more than {MAX_DEPTH} "
                        "levels deep: not shown",
                    }
                )
            elif document is not None:
                self.reports.setdefault(arn, {})[name] = document

        return on_report

    def _report_allowed(self, uri: str) -> bool:
        scopes = self.config.report_scopes
        return not scopes or any(
            uri == scope or uri.startswith(scope.rstrip("/") + "/") for scope in scopes
        )

    def report_value(self, step: str, property_file: str, path: str) -> Any:
        """A value of a step's evaluation report (``Std:JsonGet``), or None if unread."""
        resource = self.kept.get(step)
        document = self.reports.get(resource, {}).get(property_file) if resource else None
        return None if document is None else json_path(document, path)

    def runs(self, now: datetime) -> dict[str, Run]:
        """Each listed step's ``run`` block (a ForEach body step's from its iterations)."""
        runs: dict[str, Run] = {}
        for name, summary in self.summaries.items():
            resource = self.kept.get(name)
            described = self.described.get(resource) if resource else None
            is_package = bool((summary.get("Metadata") or {}).get("RegisterModel"))
            runs[name] = build_run(
                summary,
                now=now,
                job=None if is_package else described,
                package=described if is_package else None,
                best_job=self.best_jobs.get(resource) if resource else None,
                reports=self.reports.get(resource) if resource else None,
                execution_arn=self.exec_arn,
            )
        bodies = self.definition.bodies if self.definition else {}
        runs.update(iteration_runs(self.iterations, bodies, now, self.exec_arn))
        return runs

    def step_type(self, name: str) -> str:
        """The type of a step that ran but is not in the definition, from its metadata."""
        summary = self.summaries.get(name) or next(
            (e for e in self.iterations if e.get("StepName") == name), {}
        )
        return step_type_from_metadata(summary)

    def step_ends(self) -> list[Any]:
        """Every listed step's EndTime (the end of an execution whose own is unknown)."""
        return [s.get("EndTime") for s in self.listed if isinstance(s.get("EndTime"), datetime)]


class LineageRead:
    """One lineage request: the reads it plans, and the answer they make."""

    def __init__(
        self,
        config: LineageConfig,
        gateway: AwsGateway,
        request: LineageRequest,
        deadline: float | None,
        say: Progress | None,
    ) -> None:
        self.config, self.gw, self.request = config, gateway, request
        self.region = request.region
        self.deadline = deadline
        self.say = say or _quiet
        self.now = datetime.now(timezone.utc)
        self.warnings: list[AnswerWarning] = []
        self.flow = Dataflow(gateway, deadline, self.warnings)
        self.posture = PostureReads(
            self.flow, gateway, self.region, config.enable_s3_meta, request.fresh
        )
        self.steps = StepReads(self.flow, gateway, config, self.region, self.warnings, self.posture)
        self.started: list[Future[Any]] = []
        self.tags: dict[str, str] = {}
        self.pipeline: dict[str, Any] = {}
        self.execution: dict[str, Any] | None = None
        self.summary: dict[str, Any] | None = None
        self.exec_arn: str | None = None
        self.definition_text: str | None = None
        self.parameters: dict[str, str] | None = None
        #: the pipeline's current definition (DescribePipeline), parsed while the execution is read
        self.current: PipelineDefinition | None = None
        #: After run() with an execution: the definition it ran, and what resolves its
        #: expressions as it ran (parameters, execution variables, the properties and
        #: reports its jobs gave); ``compare.py`` diffs two executions with them.
        self.ran: tuple[PipelineDefinition, ResolutionContext] | None = None

    def run(self) -> LineageResponse:
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

        self.pipeline = found_pipeline(self._wait, f_pipeline, request)
        self.flow.after = [f for f in (f_pipeline, f_execution, f_latest) if f]
        if request.domain:
            f_tags = self._submit(
                gw.list_tags, region, self.pipeline["PipelineArn"], after=f_pipeline
            )
            self.tags = self._wait(f_tags)
            check_domain(self.tags, request, self.config.domain_tag_keys)
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

    def _definition_only(self) -> LineageResponse:
        definition = self._parse(self.pipeline["PipelineDefinition"], self.pipeline["PipelineArn"])
        ctx = ResolutionContext.from_definition(definition)
        self.say("Reading bucket posture")
        self.posture.read(definition_buckets(definition, ctx, self._stop))
        self.flow.run()
        self.posture.cut_off()
        io = resolve_io(definition, ctx, {}, self._cpu_stop())
        return self._answer(definition, io, None, None)

    def _with_execution(self, arn: str) -> LineageResponse:
        gw, region = self.gw, self.region
        self.steps.exec_arn = arn
        self.say("Reading execution and steps")
        status = (self.execution or self.summary or {}).get("PipelineExecutionStatus")
        final = status in FINAL_EXECUTION
        if self.execution is None:
            self.flow.start(self._on_execution, gw.describe_execution, region, arn)
        self.flow.start(self._on_definition, gw.definition_for_execution, region, arn)
        self.flow.start(self._on_parameters, gw.execution_parameters, region, arn, final)
        cached = gw.cached_steps(arn) if final else None
        if cached is not None:
            self.steps.arrived(cached)
            self.steps.complete = True
        else:
            self.flow.start(
                self._page_handler(final),
                gw.execution_steps_page,
                region,
                arn,
                None,
                critical=True,
            )
        self._read_current_posture()
        self.flow.run()

        self.say("Resolving inputs and outputs")
        definition = self.steps.definition or self._parse(
            self.definition_text or self.pipeline["PipelineDefinition"], arn
        )
        ctx = self._context(definition, arn)
        actual = self.steps.actual_io()
        # Buckets only a resolved reference revealed: one more round if there are any.
        self.flow.after = self.flow.deepest
        io = resolve_io(definition, ctx, actual, self._cpu_stop())
        self.posture.read(set().union(*(io_buckets(step_io) for step_io in io.values())))
        self.flow.run()
        self.posture.cut_off()

        runs = self.steps.runs(self.now)
        known_properties = {
            (step, path): value
            for step, step_io in actual.items()
            for path, value in step_io.properties.items()
        }
        condition_ctx = replace(
            ctx, properties=lambda step, path: known_properties.get((step, path))
        )
        self.ran = (definition, condition_ctx)
        for step in definition.steps:
            if step.type == "Condition" and step.name in runs:
                conditions = step.arguments.get("Conditions")
                runs[step.name]["conditions"] = describe_conditions(conditions, condition_ctx)
        if not self.steps.complete:
            # Steps missing from an incomplete list may have run: say so, not NotStarted.
            for step in definition.steps:
                runs.setdefault(step.name, {**build_run(None), "status": "Unknown"})
        unfinished = self.steps.unfinished()
        if not self.steps.complete and not self.steps.listing_failed:
            listed = set(self.steps.summaries) | {i.get("StepName") for i in self.steps.iterations}
            unfinished += [s.name for s in definition.steps if s.name not in listed]
        known = definition.step_names
        extra = [(n, self.steps.step_type(n)) for n in runs if n not in known]
        view = execution_view(
            self.execution, self.summary, arn, self.parameters, self.now, self.steps.step_ends()
        )
        return self._answer(definition, io, runs, view, extra, unfinished)

    def _read_current_posture(self) -> None:
        """The posture of the buckets the pipeline's current definition names (with its
        default parameters), read while the execution is: usually that is the definition
        the execution ran, so these reads leave a round earlier than its own definition
        allows, and the round of the job describes is narrower. The execution's definition
        and parameters add the buckets only they name (``_definition_ready``)."""
        if not self.config.enable_s3_meta:
            return
        try:
            self.current = parse_definition(self.pipeline["PipelineDefinition"])
        except LineageError:
            return  # the definition the execution ran is the one that counts
        ctx = ResolutionContext.from_definition(self.current)
        self.posture.read(definition_buckets(self.current, ctx, self._stop))

    def _parse(self, text: str, target: str) -> PipelineDefinition:
        """A stored definition SageMaker accepted but we cannot read: say so, draw nothing."""
        if self.current is not None and text == self.pipeline.get("PipelineDefinition"):
            return self.current  # the execution ran the current definition: parsed already
        try:
            return parse_definition(text)
        except LineageError as exc:
            self.warnings.append(
                {"code": "InvalidDefinition", "target": target, "message": exc.user_message}
            )
            return PipelineDefinition(version=None, parameters={}, steps=())

    def _answer(
        self,
        definition: PipelineDefinition,
        io: dict[str, StepIO],
        runs: dict[str, Run] | None,
        execution: Execution | None,
        extra_steps: list[tuple[str, str]] | None = None,
        unfinished: list[str] | None = None,
    ) -> LineageResponse:
        graph, graph_warnings = assemble_graph(
            definition, io, runs, self.posture.posture, extra_steps or ()
        )
        timeout = self.flow.timeout_warning()
        warnings = self.warnings + graph_warnings + ([timeout] if timeout else [])
        warnings.extend(
            self.posture.all_warnings({a["bucket"] for a in graph["artifacts"] if a["bucket"]})
        )
        summary = build_summary(execution, graph["nodes"], self.pipeline.get("LastModifiedTime"))
        if unfinished:
            summary["incomplete"] = len(unfinished)
            warnings.append(incomplete_warning(unfinished))
        return {
            "pipeline": pipeline_view(self.pipeline, self.tags, self.region),
            "execution": execution,
            "summary": summary,
            "graph": graph,
            "warnings": warnings,
        }

    def close(self) -> None:
        """Cancel reads this request started and no longer needs."""
        self.flow.close()
        for future in self.started:
            future.cancel()

    # -- plumbing ----------------------------------------------------------------

    def _submit(self, fn: Callable[..., Any], *args: Any, after: After = None) -> Future[Any]:
        future = self.gw.submit(fn, *args, after=after)
        self.started.append(future)
        return future

    def _wait(self, future: Future[Any]) -> Any:
        return wait_until(future, self.deadline)

    def _stop(self) -> bool:
        """Whether CPU work (reading S3 locations) must stop: the deadline has passed."""
        return self.deadline is not None and time.monotonic() >= self.deadline

    def _cpu_stop(self) -> Callable[[], bool] | None:
        """A stop for assembling the answer: the deadline, or a short grace when the
        reads used all of it (assembling then still gets to show what was read)."""
        if self.deadline is None:
            return None
        ends = max(self.deadline, time.monotonic() + CPU_GRACE_S)
        return lambda: time.monotonic() >= ends

    def _context(self, definition: PipelineDefinition, arn: str) -> ResolutionContext:
        return ResolutionContext.from_definition(
            definition,
            parameters=self.parameters or {},
            execution=execution_variables(arn, self.execution, self.pipeline),
            reports=self.steps.report_value,
        )

    # -- handlers ----------------------------------------------------------------

    def _on_tags(self, f: Future[Any]) -> None:
        target = self.pipeline["PipelineArn"]
        self.tags = result_or_warning(f, self.warnings, target, "the pipeline's tags") or {}

    def _on_execution(self, f: Future[Any]) -> None:
        self.execution = result_or_warning(f, self.warnings, str(self.exec_arn), "the execution")

    def _on_definition(self, f: Future[Any]) -> None:
        what = "the definition the execution ran"
        text = result_or_warning(f, self.warnings, str(self.exec_arn), what)
        self.definition_text = text or self.pipeline["PipelineDefinition"]
        self._definition_ready()

    def _on_parameters(self, f: Future[Any]) -> None:
        what = "the execution's parameters"
        self.parameters = result_or_warning(f, self.warnings, str(self.exec_arn), what) or {}
        self._definition_ready()

    def _page_handler(self, final: bool) -> Callable[[Future[Any]], None]:
        def on_page(f: Future[Any]) -> None:
            what = "the execution's steps"
            result = result_or_warning(f, self.warnings, str(self.exec_arn), what)
            if result is None:
                self.steps.listing_failed = True
                return
            steps, token = result
            cut = bool(token) and (
                token in self.steps.tokens or len(self.steps.tokens) >= MAX_STEP_PAGES
            )
            if token and not cut:
                # The next page first: it is the critical path, the describes are leaves.
                self.steps.tokens.add(token)
                self.flow.start(
                    on_page,
                    self.gw.execution_steps_page,
                    self.region,
                    self.exec_arn,
                    token,
                    critical=True,
                )
            self.steps.arrived(steps)
            if cut:
                # Asking again would not help: a warning says why, not ``Incomplete``.
                self.steps.listing_failed = True
                self.warnings.append(
                    {
                        "code": "RepeatedNextToken"
                        if token in self.steps.tokens
                        else "TooManyPages",
                        "target": str(self.exec_arn),
                        "message": "ListPipelineExecutionSteps kept answering with more pages "
                        f"after {len(self.steps.tokens) + 1}: the step list was read no further",
                    }
                )
                return
            if token:
                return
            self.steps.complete = True
            if final:
                self.gw.store_steps(str(self.exec_arn), self.steps.listed)

        return on_page

    def _definition_ready(self) -> None:
        """Once the definition and the parameters are in: posture of the buckets it names."""
        if (
            self.definition_text is None
            or self.parameters is None
            or self.steps.definition is not None
        ):
            return
        definition = self.steps.definition = self._parse(self.definition_text, str(self.exec_arn))
        ctx = self._context(definition, str(self.exec_arn))
        defaults = ResolutionContext.from_definition(definition).parameters
        if definition is not self.current or ctx.parameters != defaults:
            # Otherwise _read_current_posture has read these buckets already (a bucket
            # named through an Execution variable waits for the last round).
            self.posture.read(definition_buckets(definition, ctx, self._stop))
        self.steps.start_reports(self.steps.kept)


#: Step names an ``Incomplete`` warning spells out (the count covers them all).
INCOMPLETE_NAMED = 20


def incomplete_warning(steps: list[str]) -> AnswerWarning:
    """The ``Incomplete`` warning of an answer the deadline cut short: which steps are not
    fully read yet, and that asking again finishes them (finished jobs are kept)."""
    named = ", ".join(steps[:INCOMPLETE_NAMED])
    more = f" and {len(steps) - INCOMPLETE_NAMED} more" if len(steps) > INCOMPLETE_NAMED else ""
    return {
        "code": "Incomplete",
        "target": "request",
        "message": f"{len(steps)} steps are not fully read yet, because the request's time "
        f"limit came first: {named}{more}. Ask again: what was read is kept, so the next "
        "answer reads only the rest",
    }


def _done(value: Any) -> Future[Any]:
    """A future that already holds ``value`` (for a handler fed from a cache)."""
    future: Future[Any] = Future()
    future.set_result(value)
    return future


def _now() -> str:
    return str(iso(datetime.now(timezone.utc)))


def _started(summary: dict[str, Any]) -> datetime:
    """When an attempt started (attempts without a time sort first)."""
    value = summary.get("StartTime")
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    return datetime.min.replace(tzinfo=timezone.utc)


def _resource(summary: dict[str, Any]) -> tuple[str, str, str | None, dict[str, Any] | None] | None:
    """What to describe for a step: (kind, ARN, check type, check metadata), or None.

    Whatever step metadata names a SageMaker job by ARN (a Training, Processing,
    Transform or Tuning step, a ``Job`` step, a check's processing job) is described as
    the job its ARN names; a registration step's model package too.
    """
    metadata = summary.get("Metadata") or {}
    if not isinstance(metadata, dict):
        return None
    for check in ("QualityCheck", "ClarifyCheck"):
        arn = (metadata.get(check) or {}).get("CheckJobArn")
        if isinstance(arn, str) and describable(arn) == "ProcessingJob":
            return "ProcessingJob", arn, check, metadata[check]
    arn = (metadata.get("RegisterModel") or {}).get("Arn")
    if isinstance(arn, str) and arn:
        return "RegisterModel", arn, None, None
    arn = step_resource_arn(metadata)
    kind = describable(arn) if arn else None
    return (kind, str(arn), None, None) if kind else None
