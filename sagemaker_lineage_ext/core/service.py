"""The use cases of the lineage core: what every front door asks for.

:class:`LineageService` answers a validated request (``request.py``) with a JSON-ready
answer (``models.py``; docs/api.md). Each use case takes a ``deadline`` (a
``time.monotonic()`` value): reads still running then are dropped and the answer
says so with a ``Timeout`` warning, rather than the caller timing out. How the reads
are planned is in ``plan.py``; the AWS calls are in ``aws.py``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime, timezone
from typing import Any, TypeVar, cast

from .aws import AwsGateway, sdk_region
from .compare_read import CompareRead
from .config import LineageConfig
from .crosspipeline import link_artifacts
from .dataflow import timeout_warning, warning_for
from .definition import parse_definition
from .domain import domain_matches
from .errors import DeadlineError, LineageError, NotFoundError
from .export import to_dot, to_mermaid
from .graph import assemble_graph, resolve_io
from .models import (
    AnswerWarning,
    ArtifactResponse,
    CheckResponse,
    CompareResponse,
    ExecutionsResponse,
    ExportResponse,
    LineageResponse,
    OpenLineageResponse,
    PipelinesResponse,
)
from .openlineage import client_token, event_json, run_events
from .plan import LineageRead, Progress, check_domain, found_pipeline, wait_until
from .policy import DEFAULT_POLICY, evaluate_check
from .references import ResolutionContext
from .region_scan import RegionScan
from .request import (
    ArtifactRequest,
    CheckRequest,
    CompareRequest,
    ExecutionsRequest,
    ExportRequest,
    LineageRequest,
    ListRequest,
    OpenLineageRequest,
)
from .views import build_summary, execution_summary_view, pipeline_summary_view

log = logging.getLogger("sagemaker_lineage_ext")
Answer = TypeVar(
    "Answer",
    LineageResponse,
    PipelinesResponse,
    ExecutionsResponse,
    CompareResponse,
    ArtifactResponse,
    OpenLineageResponse,
    CheckResponse,
    ExportResponse,
)


def preview_lineage(definition_source: Any) -> LineageResponse:
    """The graph of a definition document alone: no AWS access, no ``run``.

    Parameters take their default values; whatever only a run can know stays a
    ``{...}`` placeholder. Raises ``DefinitionError`` for a document that is not a
    pipeline definition.
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


def configured(
    environ: Mapping[str, str] | None = None, overrides: Mapping[str, object] | None = None
) -> LineageConfig:
    """The settings every door reads: ``environ`` (default ``os.environ``), then
    ``overrides`` (``LineageConfig.from_sources``), the default region resolved as
    ``DEFAULT_REGION``, else ``AWS_REGION``, else the AWS SDK's region
    (``AWS_DEFAULT_REGION``, the profile's), else the fallback. Raises ``ConfigurationError``."""
    return LineageConfig.from_sources(environ, overrides, sdk_region())


class LineageService:
    """The lineage core's entry point, shared by every front door (thread-safe)."""

    def __init__(
        self,
        config: LineageConfig | None = None,
        gateway: AwsGateway | None = None,
        *,
        demo: bool = False,
    ) -> None:
        self.config = config or (gateway.config if gateway else configured())
        self.gateway = gateway or AwsGateway(self.config)
        #: Whether it reads the embedded demo account: every answer then says ``"demo": true``.
        self.demo = demo

    def _mark(self, answer: Answer) -> Answer:
        """``answer`` with ``"demo": true`` first when it was read from the demo account."""
        return cast(Answer, {"demo": True, **answer}) if self.demo else answer

    def lineage(
        self,
        request: LineageRequest,
        *,
        deadline: float | None = None,
        progress: Progress | None = None,
    ) -> LineageResponse:
        """A pipeline's lineage (docs/api.md, "GET /lineage").

        Raises ``NotFoundError`` (no such pipeline or execution, or the domain tag does
        not match), ``AccessDeniedError``/``CredentialsError``/``ThrottledError`` (the
        pipeline itself could not be read) or ``DeadlineError`` (not even the pipeline
        was read in time). Anything less is a warning in the answer.
        """
        read = LineageRead(self.config, self.gateway, request, deadline, progress)
        if not request.include_cross_pipeline:
            try:
                return self._mark(read.run())
            finally:
                read.close()
        # The region's other pipelines are read at the same time as this one.
        scan = self._scan(request.region, request.domain, deadline)
        try:
            with ThreadPoolExecutor(1, thread_name_prefix="lineage-scan") as pool:
                f_index = pool.submit(scan.run)
                try:
                    answer = read.run()
                except BaseException:
                    scan.stop()  # no answer to link: the scan starts no more reads
                    raise
                index = f_index.result()
        finally:
            read.close()
        link_artifacts(answer, index)
        answer["warnings"].extend(scan.warnings)
        return self._mark(answer)

    def artifact(
        self,
        request: ArtifactRequest,
        *,
        deadline: float | None = None,
        progress: Progress | None = None,
    ) -> ArtifactResponse:
        """The pipelines of a region that write or read an S3 URI or prefix (docs/api.md,
        "GET /artifact"): a scan of the region's pipelines (``region_scan.py``), matched
        by ``crosspipeline.py``. A pipeline that cannot be read is a warning."""
        if progress:
            progress(f"Reading the pipelines of {request.region}")
        scan = self._scan(request.region, request.domain, deadline)
        index = scan.run()
        producers, consumers = index.find(request.uri)
        names = sorted({use["pipeline"] for use in producers + consumers})
        answer: ArtifactResponse = {
            "region": request.region,
            "uri": request.uri,
            "producers": producers,
            "consumers": consumers,
            "pipelines": [
                {
                    "name": name,
                    "arn": index.pipelines[name].arn,
                    "lastModifiedTime": index.pipelines[name].last_modified,
                    "latestExecution": index.pipelines[name].latest,
                }
                for name in names
            ],
            "scanned": scan.scanned,
            "warnings": scan.warnings,
        }
        return self._mark(answer)

    def _scan(self, region: str, domain: str | None, deadline: float | None) -> RegionScan:
        return RegionScan(
            self.gateway,
            region,
            domain=domain,
            domain_keys=self.config.domain_tag_keys,
            deadline=deadline,
        )

    def openlineage(
        self,
        request: OpenLineageRequest,
        *,
        deadline: float | None = None,
        progress: Progress | None = None,
    ) -> OpenLineageResponse:
        """An execution (the latest by default) as OpenLineage RunEvents (docs/api.md,
        "GET /openlineage"): the lineage's reads, then ``core/openlineage.py``. Raises
        what :meth:`lineage` raises, and ``NotFoundError`` when the pipeline never ran."""
        lineage = self.lineage(request.lineage, deadline=deadline, progress=progress)
        if lineage["execution"] is None:
            # past the domain check of the lineage read: nothing to hide
            raise NotFoundError(
                f"pipeline {request.pipeline_name!r} has no execution to describe", public=True
            )
        return self._mark(run_events(lineage, datetime.now(timezone.utc)))

    def send_to_datazone(
        self,
        request: OpenLineageRequest,
        domain: str,
        region: str,
        *,
        deadline: float | None = None,
        progress: Progress | None = None,
    ) -> int:
        """:meth:`openlineage`'s events posted to the DataZone domain ``domain`` in
        ``region`` (DataZone ``PostLineageEvent``, idempotent per event); how many were
        sent. The REST API's function does this for its EventBridge rule."""
        answer = self.openlineage(request, deadline=deadline, progress=progress)
        for event in answer["events"]:
            self.gateway.post_lineage_event(region, domain, event_json(event), client_token(event))
        return len(answer["events"])

    def check(
        self,
        request: CheckRequest,
        *,
        deadline: float | None = None,
        progress: Progress | None = None,
    ) -> CheckResponse:
        """The posture gate on an execution's S3 data (docs/api.md, "GET /check"): the
        lineage's reads, then ``core/policy.py`` with the request's policy (default: every
        rule, Unknown fails unless ``allowUnknown``)."""
        lineage = self.lineage(request.lineage, deadline=deadline, progress=progress)
        policy = request.policy or DEFAULT_POLICY
        return self._mark(evaluate_check(lineage, policy, request.allow_unknown))

    def export(
        self,
        request: ExportRequest,
        *,
        deadline: float | None = None,
        progress: Progress | None = None,
    ) -> ExportResponse:
        """An execution's lineage (the latest by default) drawn as text (docs/api.md,
        "GET /export"): the lineage's reads, then ``core/export.py``'s Mermaid flowchart
        or Graphviz digraph, the drawing the CLI's ``dump --format`` writes. Raises what
        :meth:`lineage` raises."""
        lineage = self.lineage(request.lineage, deadline=deadline, progress=progress)
        draw = to_dot if request.format == "dot" else to_mermaid
        pipeline, execution = lineage["pipeline"], lineage["execution"]
        answer: ExportResponse = {
            "pipeline": pipeline["name"] if pipeline else request.pipeline_name,
            "region": pipeline["region"] if pipeline else request.region,
            "execution": execution["arn"] if execution else None,
            "format": "dot" if request.format == "dot" else "mermaid",
            "artifacts": request.artifacts,
            "text": draw(lineage, artifacts=request.artifacts),
            "warnings": lineage["warnings"],
        }
        return self._mark(answer)

    def list_executions(
        self,
        request: ExecutionsRequest,
        *,
        deadline: float | None = None,
        progress: Progress | None = None,
    ) -> ExecutionsResponse:
        """A pipeline's recent executions, newest first (docs/api.md, "GET /executions"):
        DescribePipeline, and one ListPipelineExecutions page of ``request.limit``."""
        gw, region, name = self.gateway, request.region, request.pipeline_name
        f_pipeline = gw.submit(gw.describe_pipeline, region, name)
        f_executions = gw.submit(gw.recent_executions, region, name, request.limit)
        try:
            pipeline = found_pipeline(lambda f: wait_until(f, deadline), f_pipeline, request)
            if request.domain:
                f_tags = gw.submit(gw.list_tags, region, pipeline["PipelineArn"])
                check_domain(wait_until(f_tags, deadline), request, self.config.domain_tag_keys)
            executions = wait_until(f_executions, deadline)
        except LineageError:
            f_executions.cancel()
            raise
        answer: ExecutionsResponse = {
            "pipeline": pipeline["PipelineName"],
            "region": region,
            "executions": [execution_summary_view(e) for e in executions],
            "warnings": [],
        }
        return self._mark(answer)

    def list_pipelines(
        self,
        request: ListRequest,
        *,
        deadline: float | None = None,
        progress: Progress | None = None,
    ) -> PipelinesResponse:
        """The pipelines of a region with their latest execution (docs/api.md,
        "GET /pipelines"): ListPipelines, then ListTags (only with a domain filter) and
        one ListPipelineExecutions per pipeline, concurrently. A pipeline whose reads
        fail or miss the deadline is listed with ``latestExecution: null`` and a warning
        (with a domain filter, one whose tags cannot be read is left out, with a warning).
        """
        gw, region = self.gateway, request.region
        summaries = wait_until(gw.submit(gw.list_pipelines, region, request.prefix), deadline)
        if request.prefix:
            summaries = [s for s in summaries if s["PipelineName"].startswith(request.prefix)]
        warnings: list[AnswerWarning] = []
        late = 0

        def settled(future: Future[Any], target: str, what: str) -> Any:
            nonlocal late
            try:
                return wait_until(future, deadline)
            except DeadlineError:
                future.cancel()
                late += 1
                return None
            except Exception as exc:
                if not isinstance(exc, LineageError):
                    log.exception("lineage: reading %s of %s failed", what, target)
                warnings.append(warning_for(exc, target, what))
                return None

        if request.domain:
            tags = {
                s["PipelineArn"]: gw.submit(gw.list_tags, region, s["PipelineArn"])
                for s in summaries
            }
            summaries = [
                s
                for s in summaries
                if domain_matches(
                    settled(tags[s["PipelineArn"]], s["PipelineArn"], "its tags") or {},
                    request.domain,
                    self.config.domain_tag_keys,
                )
            ]
        latest = {
            s["PipelineArn"]: gw.submit(gw.latest_execution, region, s["PipelineName"])
            for s in summaries
        }
        pipelines = [
            pipeline_summary_view(
                s, settled(latest[s["PipelineArn"]], s["PipelineArn"], "its executions")
            )
            for s in summaries
        ]
        if late:
            warnings.append(timeout_warning(late))
        answer: PipelinesResponse = {"region": region, "pipelines": pipelines, "warnings": warnings}
        return self._mark(answer)

    def compare(
        self,
        request: CompareRequest,
        *,
        deadline: float | None = None,
        progress: Progress | None = None,
    ) -> CompareResponse:
        """What changed between two executions of a pipeline (docs/api.md, "GET
        /compare"): the reads of ``/lineage`` for each (``compare_read.py``), compared
        by ``compare.py``. Raises what ``lineage`` raises, ``NotFoundError`` when the
        pipeline has fewer than two executions, and ``InvalidInputError`` (``base``)
        when only ``base`` was named and it is the latest execution."""
        read = CompareRead(self.config, self.gateway, request, deadline, progress)
        return self._mark(read.run())
