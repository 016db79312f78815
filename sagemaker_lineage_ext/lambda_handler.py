"""AWS Lambda front door: API Gateway REST proxy events in, the answers of docs/api.md out.

A thin adapter over the core's ``handle_query``, the same validation, reads and
error mapping the Jupyter server extension uses, for every route of the route table
(``GET /<route>``). The Lambda asset holds this module, the door kit's account and
the core (boto3 comes with the Lambda runtime). The service is built on the first
request and reused by every later one in the same container, so its clients,
threads and caches stay warm.

Configuration is the settings table's environment variables (``DEFAULT_REGION``,
``ENABLE_S3_META``, ...; docs/api.md, "Configuration") plus ``CORS_ALLOW_ORIGINS``:
``*`` (the default) or a comma-separated list of origins, of which the request's
``Origin`` is echoed.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable, Mapping
from typing import Any

from .core.config import SETTINGS_BY_NAME
from .core.errors import http_error_body
from .core.http import (
    ServiceFactory,
    ServiceSource,
    answer_call,
    cors_headers,
    handle_query,
    service_source,
)
from .core.jsonsafe import dumps
from .core.request import parse_openlineage_request
from .core.routes import ROUTES as ROUTE_TABLE
from .kit.account import Account

log = logging.getLogger("sagemaker_lineage_ext.lambda")

#: API resource -> the core's route. Anything else is a 404.
ROUTES = {f"/{name}": name for name in ROUTE_TABLE}
#: Time kept back from the Lambda's remaining time to assemble, serialise and
#: return a partial answer, so a slow AWS read ends in a 200 with warnings
#: instead of a Lambda timeout (which API Gateway turns into a 502).
DEADLINE_MARGIN_S = 1.0
#: Below this, the margin shrinks to a quarter of what remains.
MIN_MARGIN_S = 0.05
#: The most a synchronously invoked Lambda function may return (6 MB, the JSON of the
#: whole proxy response): over it, Lambda fails the invocation and API Gateway answers a
#: bare 502 without CORS. An /openlineage answer reaches it at about 600 steps.
MAX_RESPONSE_BYTES = 6 * 1024 * 1024
#: The EventBridge event SageMaker sends when a pipeline execution changes status; the
#: stack routes it here only with the ``datazoneDomain`` context (DATAZONE_DOMAIN_ID).
PIPELINE_STATUS_EVENT = "SageMaker Model Building Pipeline Execution Status Change"

Handler = Callable[[Mapping[str, Any], Any], dict]


def query_params(event: Mapping[str, Any]) -> dict[str, list[str]]:
    """The query string of a proxy event, each name with all its values in order.

    ``multiValueQueryStringParameters`` keeps every value (the core uses the
    first); ``queryStringParameters`` only the last, so it is the fallback. A value
    where a list belongs (a hand-made or test event) is one value, never read
    character by character; anything that is not an object is no query at all.
    """
    multi = event.get("multiValueQueryStringParameters")
    if isinstance(multi, Mapping) and multi:
        return {str(k): _values(vs) for k, vs in multi.items()}
    single = event.get("queryStringParameters")
    if not isinstance(single, Mapping):
        return {}
    return {str(k): [str(v)] for k, v in single.items() if v is not None}


def _values(values: Any) -> list[str]:
    if values is None:
        return []
    if isinstance(values, (list, tuple)):
        return [str(v) for v in values if v is not None]
    return [str(values)]


def deadline_for(remaining_ms: int, now: float) -> float:
    """The ``time.monotonic()`` value after which the lineage returns what it has."""
    remaining = max(0.0, remaining_ms / 1000.0)
    margin = DEADLINE_MARGIN_S if remaining > 4 * DEADLINE_MARGIN_S else remaining / 4
    return now + remaining - max(MIN_MARGIN_S, margin)


def _header(event: Any, name: str) -> str | None:
    headers = event.get("headers") if isinstance(event, Mapping) else None
    for key, value in headers.items() if isinstance(headers, Mapping) else ():
        if str(key).lower() == name.lower():
            return str(value)
    return None


def _respond(status: int, text: str | None, headers: dict[str, str]) -> dict:
    """The proxy response; ``text`` is the serialised JSON body (``None``: no body)."""
    response_headers = dict(headers)
    if text is not None:
        response_headers["Content-Type"] = "application/json"
    return {
        "statusCode": status,
        "headers": response_headers,
        "body": text if text is not None else "",
        "isBase64Encoded": False,
    }


def build_handler(source: ServiceSource | ServiceFactory | None = None) -> Handler:
    """A Lambda handler reading through ``source`` (default: the door kit's Account,
    i.e. the environment's settings and boto3's credentials), built on first use."""
    account = Account() if source is None else service_source(source)

    def handle(event: Any, context: Any) -> dict:
        started = time.monotonic()
        request_id = str(getattr(context, "aws_request_id", "") or "")
        cors = cors_headers(os.environ.get("CORS_ALLOW_ORIGINS", "*"), _header(event, "Origin"))
        if not isinstance(event, Mapping):
            # Not a proxy event (a test invocation, a misrouted trigger): a JSON 400.
            log.warning("not a proxy event", extra={"requestId": request_id})
            body = {"message": "the event is not an API Gateway proxy event (a JSON object)"}
            return _respond(400, dumps(body), cors)
        resource = str(event.get("resource") or event.get("path") or "")
        path = resource.rstrip("/") or resource
        route = ROUTES.get(path, path.lstrip("/"))  # not a route: a 404 that names it
        if event.get("detail-type") == PIPELINE_STATUS_EVENT:
            return send_lineage(account, event, request_id, context)
        method = str(event.get("httpMethod") or "GET").upper()
        if method == "OPTIONS":
            # API Gateway answers preflight itself; this covers a proxied OPTIONS.
            return _respond(204, None, cors)
        if method != "GET":
            body = http_error_body(405, method=method)
            return _respond(405, dumps(body), {**cors, "Allow": "GET,OPTIONS"})
        warnings = 0
        try:
            deadline = deadline_for(context.get_remaining_time_in_millis(), started)
            status, body = handle_query(
                account, route, query_params(event), request_id=request_id, deadline=deadline
            )
            warnings = len(body.get("warnings") or []) if status == 200 else 0
            # Serialised here, so a value JSON cannot hold is a 500 with the request id,
            # not an exception out of the handler (which API Gateway answers with a bare 502).
            text = dumps(body)  # strict: allow_nan=False
            size = len(json.dumps(_respond(status, text, cors)).encode("utf-8"))
            if size > MAX_RESPONSE_BYTES:
                log.error(
                    "the answer is %d bytes, over the %d a Lambda function may return: "
                    "read it with the CLI or the Jupyter extension",
                    size, MAX_RESPONSE_BYTES, extra={"requestId": request_id},
                )  # fmt: skip
                status, warnings = 500, 0
                text = dumps(http_error_body(500, request_id=request_id))
        except Exception:
            # handle_query maps everything it sees; this catches what happens
            # around it, such as a configuration the service cannot be built from.
            log.exception("internal error", extra={"requestId": request_id})
            status, warnings = 500, 0
            text = dumps(http_error_body(500, request_id=request_id))
        log.info(
            "request",
            extra={
                "requestId": request_id,
                "method": method,
                "resource": resource,
                "status": status,
                "durationMs": round((time.monotonic() - started) * 1000),
                "warnings": warnings,
            },
        )
        return _respond(status, text, cors)

    return handle


def send_lineage(
    account: ServiceSource, event: Mapping[str, Any], request_id: str, context: Any
) -> dict:
    """An execution's status changed (EventBridge): post its OpenLineage events (docs/api.md,
    "GET /openlineage") to the DataZone domain ``DATAZONE_DOMAIN_ID`` of this region.

    Returns ``{"status", "sent", ...}``; a failure the service could not help (a 500:
    throttling, DataZone down) is raised after it is logged, so Lambda's retries of
    asynchronous invocations apply; a 400 or 404 (the pipeline is gone) is not retried.
    """
    detail = event.get("detail")
    if not isinstance(detail, Mapping):  # not SageMaker's: a 400 below, never retried
        detail = {}
    deadline = deadline_for(context.get_remaining_time_in_millis(), time.monotonic())

    def work() -> dict:
        setting = SETTINGS_BY_NAME["datazone_domain"]
        domain = setting.parse(os.environ.get("DATAZONE_DOMAIN_ID", ""), "DATAZONE_DOMAIN_ID")
        query = {
            "pipeline": detail.get("pipelineArn"),
            "executionArn": detail.get("pipelineExecutionArn"),
        }
        request = parse_openlineage_request(query, account.config())
        region = os.environ.get("AWS_REGION") or request.region
        sent = account.service().send_to_datazone(request, domain, region, deadline=deadline)
        return {"sent": sent, "execution": request.execution_arn, "domain": domain}

    outcome = answer_call(work, request_id)
    log.info(
        "lineage to DataZone",
        extra={"requestId": request_id, "status": outcome.status, "outcome": outcome.body},
    )
    if outcome.status >= 500:
        raise RuntimeError(f"sending lineage to DataZone failed (requestId {request_id})")
    return {"status": outcome.status, **outcome.body}


#: The function Lambda calls (``sagemaker_lineage_ext.lambda_handler.handler``).
handler = build_handler()
