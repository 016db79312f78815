"""The lineage core: standard library + boto3 only, shared by every front door.

Front doors do three things: parse their input with :func:`parse_lineage_request`
(or :func:`parse_list_request`), call a :class:`LineageService`, and render the
dict it returns, mapping a :class:`LineageError` with :func:`error_response`.

Names are imported on first use, so importing a pure module such as
``sagemaker_lineage_ext.core.definition`` never loads boto3.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "AwsGateway": "aws",
    "CallLog": "aws",
    "LineageConfig": "config",
    "PipelineDefinition": "definition",
    "parse_definition": "definition",
    "AccessDeniedError": "errors",
    "DefinitionError": "errors",
    "InternalError": "errors",
    "InvalidInputError": "errors",
    "LineageError": "errors",
    "NotFoundError": "errors",
    "error_response": "errors",
    "LineageService": "lineage",
    "handle_query": "http",
    "preview_lineage": "lineage",
    "LineageRequest": "request",
    "ListRequest": "request",
    "parse_lineage_request": "request",
    "parse_list_request": "request",
    "parse_executions_request": "request",
}

__all__ = [
    "AccessDeniedError",
    "AwsGateway",
    "CallLog",
    "DefinitionError",
    "InternalError",
    "InvalidInputError",
    "LineageConfig",
    "LineageError",
    "LineageRequest",
    "LineageService",
    "ListRequest",
    "NotFoundError",
    "PipelineDefinition",
    "error_response",
    "handle_query",
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
    from .aws import AwsGateway, CallLog
    from .config import LineageConfig
    from .definition import PipelineDefinition, parse_definition
    from .errors import (
        AccessDeniedError,
        DefinitionError,
        InternalError,
        InvalidInputError,
        LineageError,
        NotFoundError,
        error_response,
    )
    from .http import handle_query
    from .lineage import LineageService, preview_lineage
    from .request import (
        LineageRequest,
        ListRequest,
        parse_executions_request,
        parse_lineage_request,
        parse_list_request,
    )
