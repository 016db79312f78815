"""The lineage core: standard library + boto3 only, shared by every front door.

- use cases: :class:`LineageService` (``service.py``) and :func:`preview_lineage`;
- the read plans and their engine: ``plan.py`` (one lineage), ``compare_read.py`` (two
  executions), ``region_scan.py`` (a region's pipelines), ``dataflow.py``; every AWS
  call: ``aws.py``;
- pure modules: ``definition``, ``references``, ``locations``, ``graph``, ``views``,
  ``compare`` (what changed between two executions), ``crosspipeline`` (which
  pipelines share a URI), ``posture``, ``request`` (validation and the parameter table), ``config`` (the
  settings table), ``errors``, ``models`` (the answers' types; schemas in ``schema/``);
- the contract once for every door: ``routes.py`` (the route table) and ``http.py``
  (:func:`answer_query`: validate, read, map errors; the HTTP doors' CORS headers).

Front doors parse their input into a route's query, call :func:`answer_query` and
render what it returns (docs/api.md). Names are imported on first use, so importing
a pure module such as ``sagemaker_lineage_ext.core.definition`` never loads boto3.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "AwsGateway": "aws",
    "CallLog": "observe",
    "LineageConfig": "config",
    "PipelineDefinition": "definition",
    "parse_definition": "definition",
    "AccessDeniedError": "errors",
    "ConfigurationError": "errors",
    "DefinitionError": "errors",
    "InternalError": "errors",
    "InvalidInputError": "errors",
    "LineageError": "errors",
    "NotFoundError": "errors",
    "error_response": "errors",
    "LineageService": "service",
    "preview_lineage": "service",
    "answer_query": "http",
    "handle_query": "http",
    "ROUTES": "routes",
    "LineageRequest": "request",
    "ListRequest": "request",
    "ExecutionsRequest": "request",
    "parse_lineage_request": "request",
    "parse_list_request": "request",
    "parse_executions_request": "request",
    "CompareRequest": "request",
    "ArtifactRequest": "request",
    "parse_compare_request": "request",
    "parse_artifact_request": "request",
}

__all__ = [
    "AccessDeniedError",
    "ArtifactRequest",
    "AwsGateway",
    "CallLog",
    "CompareRequest",
    "ConfigurationError",
    "DefinitionError",
    "ExecutionsRequest",
    "InternalError",
    "InvalidInputError",
    "LineageConfig",
    "LineageError",
    "LineageRequest",
    "LineageService",
    "ListRequest",
    "NotFoundError",
    "PipelineDefinition",
    "ROUTES",
    "answer_query",
    "error_response",
    "handle_query",
    "parse_artifact_request",
    "parse_compare_request",
    "parse_definition",
    "parse_executions_request",
    "parse_lineage_request",
    "parse_list_request",
    "preview_lineage",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


if TYPE_CHECKING:
    from .aws import AwsGateway
    from .config import LineageConfig
    from .definition import PipelineDefinition, parse_definition
    from .errors import (
        AccessDeniedError,
        ConfigurationError,
        DefinitionError,
        InternalError,
        InvalidInputError,
        LineageError,
        NotFoundError,
        error_response,
    )
    from .http import answer_query, handle_query
    from .observe import CallLog
    from .request import (
        ArtifactRequest,
        CompareRequest,
        ExecutionsRequest,
        LineageRequest,
        ListRequest,
        parse_artifact_request,
        parse_compare_request,
        parse_executions_request,
        parse_lineage_request,
        parse_list_request,
    )
    from .routes import ROUTES
    from .service import LineageService, preview_lineage
