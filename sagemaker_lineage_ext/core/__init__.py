"""The lineage core: standard library + boto3 only, shared by every front door.

Front doors do three things: parse their input with :func:`parse_lineage_request`
(or :func:`parse_list_request`), call a :class:`LineageService`, and render the
dict it returns, mapping a :class:`LineageError` with :func:`error_response`.
"""

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
from .lineage import LineageService, preview_lineage
from .request import LineageRequest, ListRequest, parse_lineage_request, parse_list_request

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
    "parse_definition",
    "parse_lineage_request",
    "parse_list_request",
    "preview_lineage",
]
