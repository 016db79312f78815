"""The route table: every query the front doors serve, stated once.

Each :class:`Route` names its query parameters (as HTTP takes them; ``request.py``
spells them for the CLI and the magic), the function that validates them, the use
case that answers, and the JSON Schema of its answer. The Jupyter server extension,
the Lambda function (and the API Gateway resources the stack creates), the local API,
the CLI and the magic are all built from this table (docs/api.md, "Routes").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .config import LineageConfig
from .request import (
    parse_artifact_request,
    parse_check_request,
    parse_compare_request,
    parse_executions_request,
    parse_export_request,
    parse_lineage_request,
    parse_list_request,
    parse_openlineage_request,
)


@dataclass(frozen=True)
class Route:
    """One read-only query: ``GET /<name>?<parameters>``."""

    name: str
    parameters: tuple[str, ...]
    parse: Callable[[Mapping[str, object], LineageConfig], Any]
    #: The LineageService method that answers (``service.<answer>(request, deadline=,
    #: progress=)``); named, so this table stays pure (the CDK app imports it).
    answer: str
    #: File name of its answer's JSON Schema in ``core/schema/``.
    schema: str
    summary: str


ROUTES: dict[str, Route] = {
    route.name: route
    for route in (
        Route(
            "lineage",
            (
                "pipeline",
                "region",
                "includeLatestExec",
                "executionArn",
                "domain",
                "includeCrossPipeline",
                "fresh",
            ),
            parse_lineage_request,
            "lineage",
            "lineage-response.schema.json",
            "a pipeline's lineage: steps, runs, artifacts and their buckets' posture",
        ),
        Route(
            "pipelines",
            ("region", "domain", "prefix"),
            parse_list_request,
            "list_pipelines",
            "pipelines-response.schema.json",
            "the pipelines of a region, with their latest execution",
        ),
        Route(
            "executions",
            ("pipeline", "region", "domain", "limit"),
            parse_executions_request,
            "list_executions",
            "executions-response.schema.json",
            "a pipeline's recent executions, newest first",
        ),
        Route(
            "compare",
            ("pipeline", "region", "domain", "base", "head"),
            parse_compare_request,
            "compare",
            "compare-response.schema.json",
            "what changed between two executions of a pipeline (default: the latest two)",
        ),
        Route(
            "artifact",
            ("uri", "region", "domain"),
            parse_artifact_request,
            "artifact",
            "artifact-response.schema.json",
            "the pipelines of a region that write or read an S3 URI or prefix",
        ),
        Route(
            "openlineage",
            ("pipeline", "region", "executionArn", "domain"),
            parse_openlineage_request,
            "openlineage",
            "openlineage-response.schema.json",
            "an execution as OpenLineage RunEvents (spec 2-0-2)",
        ),
        Route(
            "check",
            ("pipeline", "region", "executionArn", "domain", "allowUnknown"),
            parse_check_request,
            "check",
            "check-response.schema.json",
            "the posture gate: whether the S3 data of an execution breaks the policy",
        ),
        Route(
            "export",
            ("pipeline", "region", "executionArn", "domain", "format", "artifacts"),
            parse_export_request,
            "export",
            "export-response.schema.json",
            "an execution's lineage drawn as a Mermaid flowchart or a Graphviz digraph",
        ),
    )
}


#: A path quoted in a 404 as it is: letters, digits and ``/_.-`` only (anything else, a
#: ``<script>`` say, is never echoed back).
_PLAIN_PATH = re.compile(r"/[A-Za-z0-9/_.-]{0,99}")


def no_route_message(path: str | None = None) -> str:
    """The 404 message for a path that is no route: which path (when it is plain text),
    and the routes there are (docs/api.md, "Errors")."""
    routes = ", ".join(f"/{name}" for name in ROUTES)
    where = f"no route {path}" if path and _PLAIN_PATH.fullmatch(path) else "no such route"
    return f"{where}: the routes are {routes}"
