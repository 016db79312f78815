"""SPEC's HTTP contract, once, for every HTTP front door.

The Jupyter server extension and the Lambda handler both turn a request into
``(status, body)`` here: validate the query, call the service, and map every
outcome to SPEC's bodies. Unexpected errors are logged with the request id and
answered with a bare ``{"message": "internal error", "requestId": ...}``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from .errors import LineageError, NotFoundError, error_response
from .lineage import LineageService
from .request import parse_executions_request, parse_lineage_request, parse_list_request

log = logging.getLogger("sagemaker_lineage_ext")


def handle_query(
    service: LineageService,
    route: str,
    params: Mapping[str, object],
    *,
    request_id: str,
    deadline: float | None = None,
) -> tuple[int, dict]:
    """Answer ``GET /<route>?<params>`` (``lineage``, ``pipelines``, ``executions``) with
    SPEC's status and JSON body.

    ``params`` maps a query parameter to its value (a string, or a list of
    strings of which the first counts). ``deadline`` is a ``time.monotonic()``
    value after which the lineage returns what it has.
    """
    try:
        if route == "lineage":
            request = parse_lineage_request(params, service.config)
            return 200, service.lineage(request, deadline=deadline)
        if route == "pipelines":
            return 200, service.list_pipelines(parse_list_request(params, service.config))
        if route == "executions":
            return 200, service.list_executions(parse_executions_request(params, service.config))
        raise NotFoundError()
    except LineageError as exc:
        if exc.status >= 500:
            log.warning("requestId=%s %s: %s", request_id, type(exc).__name__, exc.user_message)
        return error_response(exc, request_id)
    except Exception:
        log.exception("requestId=%s internal error", request_id)
        return error_response(RuntimeError(), request_id)
