"""The reads behind lineage across pipelines: a bounded scan of a region's pipelines.

    1  ListPipelines (its pages one after another)
    2  per pipeline, at the same time: DescribePipeline (its current definition) |
       ListPipelineExecutions (its latest execution) | ListTags (only with a domain)
    3  per pipeline: ListPipelineParametersForExecution of that execution

DescribePipeline is reused while the pipeline's LastModifiedTime stays the same, the
latest execution while its LastExecutionTime does, and an execution's parameters
never change (``aws.py``'s caches): a second scan of an unchanged region is
ListPipelines alone. What the locations are and how they match is ``crosspipeline.py``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from .aws import AwsGateway
from .crosspipeline import PipelineUses, UsageIndex, pipeline_uses
from .dataflow import Dataflow, result_or_warning, warning_for
from .domain import domain_matches
from .errors import LineageError
from .models import AnswerWarning, LatestExecution
from .views import iso

log = logging.getLogger("sagemaker_lineage_ext")


class RegionScan:
    """Read the S3 locations of every pipeline of a region (in ``domain``, when given).

    :meth:`run` blocks until everything is read or the deadline passes; what the
    deadline cut off is missing, with a ``Timeout`` warning.
    """

    def __init__(
        self,
        gateway: AwsGateway,
        region: str,
        *,
        domain: str | None = None,
        domain_keys: tuple[str, ...] = (),
        deadline: float | None = None,
    ) -> None:
        self.gw, self.region = gateway, region
        self.domain, self.domain_keys = domain, domain_keys
        self.warnings: list[AnswerWarning] = []
        self.flow = Dataflow(gateway, deadline, self.warnings)
        #: How many pipelines the region (or the domain) has: what was scanned.
        self.scanned = 0
        self._parts: dict[str, dict[str, Any]] = {}
        self._done: list[PipelineUses] = []
        self._stopped = threading.Event()

    def run(self) -> UsageIndex:
        """Scan, and return the index of every location that was read."""
        self._start(self._on_pipelines, self.gw.list_pipelines, self.region, None)
        try:
            self.flow.run()
        finally:
            self.flow.close()
        timeout = self.flow.timeout_warning()
        if timeout:
            self.warnings.append(timeout)
        return UsageIndex(sorted(self._done, key=lambda p: p.name))

    def stop(self) -> None:
        """From any thread: start no more reads (those under way still finish)."""
        self._stopped.set()

    def _start(
        self, handler: Callable[[Future[Any]], None], fn: Callable[..., Any], *args: Any
    ) -> None:
        if not self._stopped.is_set():
            self.flow.start(handler, fn, *args)

    # -- handlers -----------------------------------------------------------------

    def _on_pipelines(self, f: Future[Any]) -> None:
        summaries = result_or_warning(f, self.warnings, self.region, "the region's pipelines")
        if summaries is None:
            return
        if self.domain is None:
            self.scanned = len(summaries)
        for summary in summaries:
            arn = summary["PipelineArn"]
            self._parts[arn] = {"summary": summary}
            if self.domain is not None:
                self._start(self._on_tags(summary), self.gw.list_tags, self.region, arn)
            else:
                self._read(summary)

    def _on_tags(self, summary: dict[str, Any]) -> Callable[[Future[Any]], None]:
        def on_tags(f: Future[Any]) -> None:
            arn = summary["PipelineArn"]
            tags = result_or_warning(f, self.warnings, arn, "its tags")
            if tags is not None and domain_matches(tags, str(self.domain), self.domain_keys):
                self.scanned += 1
                self._read(summary)

        return on_tags

    def _read(self, summary: dict[str, Any]) -> None:
        gw, region, arn = self.gw, self.region, summary["PipelineArn"]
        self._start(self._on_definition(arn), gw.current_definition, region, summary)
        self._start(self._on_latest(arn), gw.latest_execution_of, region, summary)

    def _on_definition(self, arn: str) -> Callable[[Future[Any]], None]:
        def on_definition(f: Future[Any]) -> None:
            text = result_or_warning(f, self.warnings, arn, "its current definition")
            self._parts[arn]["definition"] = text
            self._ready(arn)

        return on_definition

    def _on_latest(self, arn: str) -> Callable[[Future[Any]], None]:
        def on_latest(f: Future[Any]) -> None:
            parts = self._parts[arn]
            try:
                latest = f.result()
            except Exception as exc:  # without it the defaults stand: still scanned
                self._warn(exc, arn, "its latest execution")
                latest = None
            parts["latest"] = latest
            if latest is None:
                parts["parameters"] = {}
                self._ready(arn)
                return
            self._start(
                self._on_parameters(arn),
                self.gw.execution_parameters,
                self.region,
                latest["PipelineExecutionArn"],
                True,  # an execution's parameters never change once it started
            )

        return on_latest

    def _on_parameters(self, arn: str) -> Callable[[Future[Any]], None]:
        def on_parameters(f: Future[Any]) -> None:
            parts = self._parts[arn]
            what = "its latest execution's parameters"
            parts["parameters"] = result_or_warning(f, self.warnings, arn, what) or {}
            self._ready(arn)

        return on_parameters

    def _ready(self, arn: str) -> None:
        """Once a pipeline's definition and parameters are in: its locations."""
        parts = self._parts[arn]
        if "definition" not in parts or "parameters" not in parts:
            return
        summary, text = parts["summary"], parts["definition"]
        if text is None:
            return  # unreadable: the warning says so
        try:
            uses = pipeline_uses(text, parts["parameters"])
        except LineageError as exc:
            self.warnings.append(
                {"code": "InvalidDefinition", "target": arn, "message": exc.user_message}
            )
            return
        self._done.append(
            PipelineUses(
                name=summary["PipelineName"],
                arn=arn,
                last_modified=iso(summary.get("LastModifiedTime")),
                latest=_latest_view(parts.get("latest")),
                uses=uses,
            )
        )

    def _warn(self, exc: BaseException, target: str, what: str) -> None:
        if not isinstance(exc, LineageError):
            log.exception("lineage: reading %s of %s failed", what, target)
        self.warnings.append(warning_for(exc, target, what))


def _latest_view(summary: dict[str, Any] | None) -> LatestExecution | None:
    if not summary:
        return None
    return {
        "arn": summary["PipelineExecutionArn"],
        "status": summary.get("PipelineExecutionStatus"),
        "startTime": iso(summary.get("StartTime")),
    }
