"""Answering a query, once, for every front door.

:func:`answer_query` validates a query against the route table (``routes.py``), gets
the service, reads, and maps every outcome to a status and a JSON body
(docs/api.md, "Errors"). It is the one place that turns an unexpected error into a
message: logged with the request id, answered with a bare ``{"message": "internal
error", "requestId": ...}``. HTTP doors send ``status`` and ``body``; the CLI and the
magic show :func:`explain` of a failure, in their own option names; the Lambda and the
local API add :func:`cors_headers`.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any, Protocol, cast

from .config import SETTINGS_BY_NAME, LineageConfig
from .errors import ConfigurationError, InternalError, LineageError, NotFoundError
from .jsonsafe import strict
from .plan import Progress
from .request import check_query
from .routes import ROUTES, no_route_message
from .service import LineageService

log = logging.getLogger("sagemaker_lineage_ext")

#: The request headers a browser may send across origins (API Gateway's preflight allows the same).
ALLOW_HEADERS = "Content-Type,Authorization,X-Amz-Date,X-Api-Key,X-Amz-Security-Token"


class ServiceSource(Protocol):
    """Where a door's configuration and service come from (the door kit's ``Account``).

    Both may raise ``LineageError`` (a bad setting, no credentials and no demo)."""

    def config(self) -> LineageConfig: ...

    def service(self) -> LineageService: ...


#: A function that builds a service (a door's own, a test's demo service).
ServiceFactory = Callable[[], LineageService]


class _Built:
    """A service factory as a ServiceSource: built on first use, once (thread-safe)."""

    def __init__(self, factory: ServiceFactory) -> None:
        self._factory = factory
        self._service: LineageService | None = None
        self._lock = threading.Lock()

    def service(self) -> LineageService:
        with self._lock:
            if self._service is None:
                self._service = self._factory()
            return self._service

    def config(self) -> LineageConfig:
        return self.service().config


def service_source(source: ServiceSource | LineageService | ServiceFactory) -> ServiceSource:
    """``source`` as a ServiceSource: a ServiceSource as it is, a ready service around
    itself, a factory called on the first use only."""
    if isinstance(source, LineageService):
        return _Built(lambda: source)
    if callable(source) and not hasattr(source, "service"):
        return _Built(source)
    return cast(ServiceSource, source)


@dataclass(frozen=True)
class Outcome:
    """What a query came to: the status and body to send, and the error behind a
    non-200 (``None`` for success, an ``InternalError`` for an unexpected failure)."""

    status: int
    body: dict[str, Any]
    request_id: str
    error: LineageError | None = None


def answer_query(
    source: ServiceSource | LineageService,
    route: str,
    params: Mapping[str, object],
    *,
    request_id: str,
    deadline: float | None = None,
    progress: Progress | None = None,
    foreign: Collection[str] | None = None,
) -> Outcome:
    """Answer ``GET /<route>?<params>``.

    ``params`` maps a query parameter to its value: a string, a list of strings (an
    HTTP query's values), or a typed value (a bool) from the CLI and the magic.
    ``deadline`` is a ``time.monotonic()`` value after which the answer is what was read.
    ``foreign``: for an HTTP door, the query parameters its platform adds that are not
    the route's (Jupyter's ``token``); every other unknown or repeated name is then a 400
    (``request.check_query``). None: the door built ``params`` from the route's own
    parameters (the CLI, the magic), nothing to check.
    """
    ready = service_source(source)
    config, service = ready.config, ready.service

    def work() -> Any:
        found = ROUTES.get(route)
        if found is None:
            raise NotFoundError(no_route_message(f"/{route}"), public=True)
        if foreign is not None:  # an HTTP query: every name must be the route's, once
            check_query(found.name, found.parameters, params, foreign)
        # Validated before the service starts: a typo never waits for the demo account.
        request = found.parse(params, config())
        answer = getattr(service(), found.answer)
        return answer(request, deadline=deadline, progress=progress)

    return answer_call(work, request_id)


def new_request_id() -> str:
    """A fresh request id short enough to read out as a reference: 12 hex digits."""
    return uuid.uuid4().hex[:12]


def answer_call(work: Callable[[], Any], request_id: str) -> Outcome:
    """``work()`` as an Outcome: 200 with its answer, or the status and body of its error.

    The one place an unexpected error becomes a message: logged with ``request_id``,
    answered with a bare 500 body that carries only the request id. And the one place
    an answer is made valid JSON for every door: a non-finite number becomes ``null``
    and a lone surrogate U+FFFD, each with a warning (``jsonsafe.strict``).
    """
    try:
        return Outcome(200, _strict(work()), request_id)
    except LineageError as exc:
        if exc.status >= 500:
            log.error("requestId=%s %s: %s", request_id, type(exc).__name__, exc.user_message)
        return Outcome(exc.status, exc.to_body(request_id), request_id, exc)
    except Exception:
        log.exception("requestId=%s internal error", request_id)
        error = InternalError()
        return Outcome(error.status, error.to_body(request_id), request_id, error)


def _strict(answer: Any) -> Any:
    """``answer`` as strict JSON; what had to change is said in its ``warnings``."""
    fixed, warnings = strict(answer)
    if warnings and isinstance(fixed, dict):
        if isinstance(fixed.get("warnings"), list):
            fixed["warnings"] = fixed["warnings"] + warnings
        else:
            log.warning("an answer without warnings held values JSON cannot carry: %s", warnings)
    return fixed


def handle_query(
    source: ServiceSource | LineageService,
    route: str,
    params: Mapping[str, object],
    *,
    request_id: str,
    deadline: float | None = None,
    foreign: Collection[str] = (),
) -> tuple[int, dict[str, Any]]:
    """:func:`answer_query` of an HTTP query as ``(status, body)``, for HTTP doors
    (``foreign``: the parameters their platform adds)."""
    outcome = answer_query(
        source, route, params, request_id=request_id, deadline=deadline, foreign=foreign
    )
    return outcome.status, outcome.body


def explain(outcome: Outcome, spell: Callable[[str], str]) -> str:
    """A failed outcome as one line for a person (the CLI, the magic), naming
    parameters as ``spell`` does; an unexpected error gives only a reference."""
    if outcome.error is None or isinstance(outcome.error, InternalError):
        return f"internal error (reference {outcome.request_id}); the log has the details"
    return outcome.error.in_terms(spell)


def cors_headers(allowed: str, origin: str | None) -> dict[str, str]:
    """CORS headers for a response to a request from ``origin`` (the Lambda's, and the
    local API's that stands in for API Gateway).

    ``allowed`` is ``*`` or a comma-separated list of origins (``CORS_ALLOW_ORIGINS``,
    checked by the settings table's parser). With a list, the request's origin is
    echoed when it is listed and omitted otherwise (the browser then refuses the
    answer), and ``Vary: Origin`` keeps caches apart. A malformed value allows no
    origin (and is logged): a typo must not open the API to every site.
    """
    headers = {
        "Access-Control-Allow-Headers": ALLOW_HEADERS,
        "Access-Control-Allow-Methods": "GET,OPTIONS",
    }
    try:
        origins = SETTINGS_BY_NAME["cors_origins"].parse(allowed or "*", "CORS_ALLOW_ORIGINS")
    except ConfigurationError as exc:
        log.error("%s", exc.user_message)
        origins = ()
    if "*" in origins:
        headers["Access-Control-Allow-Origin"] = "*"
    else:
        headers["Vary"] = "Origin"
        if origin is not None and origin in origins:
            headers["Access-Control-Allow-Origin"] = origin
    return headers
