"""The reads of one comparison: which two executions, then one lineage read of each.

    1  ListPipelineExecutions (which executions, unless both were named; with only
       ``head`` named, DescribePipelineExecution of it, then ListPipelineExecutions
       with CreatedBefore)
    2  the read plan of ``/lineage`` (``plan.LineageRead``) for the head and for the
       base, at the same time, without bucket posture (a comparison shows none)

So a comparison costs one listing plus the reads of two lineages, in about the wall
time of one. What changed between them is worked out by the pure ``compare.py``.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Any

from .aws import AwsGateway
from .compare import Side, compare_executions
from .config import LineageConfig
from .definition import PipelineDefinition
from .errors import InvalidInputError, NotFoundError
from .models import CompareResponse
from .plan import LineageRead, Progress, wait_until
from .references import ResolutionContext
from .request import CompareRequest, LineageRequest


class CompareRead:
    """One ``/compare`` request: pick the executions, read both, compare."""

    def __init__(
        self,
        config: LineageConfig,
        gateway: AwsGateway,
        request: CompareRequest,
        deadline: float | None,
        say: Progress | None,
    ) -> None:
        # Bucket posture is not part of a comparison: neither read asks for it.
        self.config = replace(config, enable_s3_meta=False)
        self.gw, self.request, self.deadline = gateway, request, deadline
        self.say = say

    def run(self) -> CompareResponse:
        base_arn, head_arn = self.executions()
        reads = {
            side: LineageRead(
                self.config,
                self.gw,
                LineageRequest(
                    self.request.pipeline,
                    self.request.region,
                    execution_arn=arn,
                    domain=self.request.domain,
                ),
                self.deadline,
                self._progress(side),
            )
            for side, arn in (("base", base_arn), ("head", head_arn))
        }
        try:
            # The base on a thread of its own, the head here. Should the head fail, the
            # base (as bounded by the deadline as the head) ends before the error is raised.
            with ThreadPoolExecutor(1, thread_name_prefix="lineage-compare") as pool:
                f_base = pool.submit(reads["base"].run)
                head = reads["head"].run()
                base = f_base.result()
        finally:
            for read in reads.values():
                read.close()
        if self.say:
            self.say("Comparing the executions")
        return compare_executions(_side(base, reads["base"]), _side(head, reads["head"]))

    def executions(self) -> tuple[str, str]:
        """(base, head) execution ARNs: as named, else head the latest and base the
        execution that started before head."""
        request, gw = self.request, self.gw
        name, region = request.pipeline_name, request.region
        if request.base and request.head:
            return request.base, request.head
        if self.say:
            self.say(f"Finding the executions of {name} to compare")
        if request.head:
            head = self._wait(gw.submit(gw.describe_execution, region, request.head), request.head)
            before = self._wait(
                gw.submit(
                    gw.execution_before, region, name, request.head, head.get("CreationTime")
                ),
                None,
            )
            if before is None:
                raise NotFoundError(
                    f"no execution of pipeline {name!r} started before {request.head}",
                    public=request.domain is None,
                )
            return before["PipelineExecutionArn"], request.head
        recent = self._wait(gw.submit(gw.recent_executions, region, name, 2), None)
        if request.base:
            if not recent:
                raise NotFoundError(
                    f"pipeline {name!r} has no execution", public=request.domain is None
                )
            latest = recent[0]["PipelineExecutionArn"]
            if latest == request.base:
                raise InvalidInputError(
                    "base",
                    "is the latest execution: there is none after it to compare it with "
                    "(name an earlier {base}, or a {head})",
                )
            return request.base, latest
        if len(recent) < 2:
            count = "no execution" if not recent else "only one execution"
            # Said in the body too, unless a domain filter is to be checked yet (the
            # executions are listed before the lineage reads check the domain tag).
            raise NotFoundError(
                f"pipeline {name!r} has {count}: a comparison needs two",
                public=request.domain is None,
            )
        return recent[1]["PipelineExecutionArn"], recent[0]["PipelineExecutionArn"]

    def _wait(self, future: Any, execution: str | None) -> Any:
        try:
            return wait_until(future, self.deadline)
        except NotFoundError:
            name = self.request.pipeline_name
            if execution:
                raise NotFoundError(f"no execution {execution} of pipeline {name!r}") from None
            raise NotFoundError(f"no pipeline named {name!r} in {self.request.region}") from None

    def _progress(self, side: str) -> Progress | None:
        say = self.say
        if say is None:
            return None
        return lambda message: say(f"{side}: {message}")


def _side(answer: Any, read: LineageRead) -> Side:
    definition, context = read.ran or (
        PipelineDefinition(version=None, parameters={}, steps=()),
        ResolutionContext(),
    )
    return Side(answer, definition, context)
