"""Tornado handlers: parse the query, read off the event loop, answer the route's JSON.

Every route of the route table (``core/routes.py``) is served through the core's
``answer_query``, the same one the Lambda uses, so the Jupyter API and the REST API
cannot drift. Every request is authenticated and authorized like Jupyter's own APIs
(``jupyter_server``'s ``authorized``, resource :data:`AUTH_RESOURCE`, action
``read``), and every answer under ``/sagemaker-lineage/`` is JSON, errors included:
an unknown sub-route, a query that is not UTF-8, a method other than GET, a denial.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import TYPE_CHECKING, Any, cast

import tornado.web
from jupyter_server.auth.decorator import authorized
from jupyter_server.base.handlers import APIHandler
from jupyter_server.extension.handler import ExtensionHandlerMixin

from ..core.errors import http_error_body
from ..core.http import handle_query
from ..core.jsonsafe import dumps

if TYPE_CHECKING:
    from .app import LineageExtensionApp

#: The resource an Authorizer is asked about (``is_authorized(handler, user, "read",
#: AUTH_RESOURCE)``): this extension's own, so a deployment can allow or deny lineage
#: apart from Jupyter's contents, kernels and terminals.
AUTH_RESOURCE = "sagemaker_lineage"
#: Query parameters Jupyter itself takes on every request (the token, the XSRF token): not
#: the route's, and not a mistake.
JUPYTER_QUERY = frozenset({"token", "_xsrf"})


class LineageHandler(ExtensionHandlerMixin, APIHandler):
    """``GET /sagemaker-lineage/<route>``: one of the read-only queries (any other path
    under ``/sagemaker-lineage/`` is a JSON 404)."""

    auth_resource = AUTH_RESOURCE

    @tornado.web.authenticated
    @authorized
    async def get(self, route: str | None = None) -> None:
        # The raw bytes of each value: the core decodes them and answers a 400 naming
        # the parameter when they are not UTF-8 (tornado would answer its own HTML 400).
        params = dict(self.request.query_arguments)
        request_id = uuid.uuid4().hex
        app = cast("LineageExtensionApp", self.extensionapp)
        # The request's wait in the queue counts: the deadline starts now
        # (request_timeout_s: the trait, else REQUEST_TIMEOUT_S, else 120 s).
        deadline = app.account.deadline()
        # AWS reads block for up to seconds: never on the event loop, so the rest
        # of Jupyter (kernels, contents, the UI) keeps answering meanwhile.
        status, body = await asyncio.get_running_loop().run_in_executor(
            app.executor,
            lambda: handle_query(
                app.account,
                route or "",
                params,
                request_id=request_id,
                deadline=deadline,
                foreign=JUPYTER_QUERY,
            ),  # fmt: skip
        )
        self._json(status, body)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        """Every error under ``/sagemaker-lineage/`` as docs/api.md's JSON body: a bare
        ``{"message": ...}`` (a 500: ``internal error`` and a request id), never HTML
        and never a traceback."""
        request_id = uuid.uuid4().hex
        if status_code >= 500:
            self.log.error(
                "sagemaker-lineage requestId=%s internal error", request_id,
                exc_info=kwargs.get("exc_info"),
            )  # fmt: skip
        if status_code == 405:
            self.set_header("Allow", "GET")
        method = str(self.request.method)
        self._json(status_code, http_error_body(status_code, method=method, request_id=request_id))

    def _json(self, status: int, body: dict[str, Any]) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.set_header("Cache-Control", "no-store")
        self._compress()
        self.finish(dumps(body))

    def _compress(self) -> None:
        """gzip the answer when the client accepts it (a 200-step lineage: ~270 KB, ~17 KB
        gzipped), with tornado's own transform: what ``compress_response`` turns on for a
        whole server, here for this handler only (Jupyter's other APIs stay as they are).
        The transform leaves small, non-JSON or already encoded bodies alone."""
        if not (self.settings.get("compress_response") or self.settings.get("gzip")):
            self._transforms.append(tornado.web.GZipContentEncoding(self.request))


#: The handler's URL pattern; ExtensionApp puts the server's ``base_url`` in front.
#: Every path under ``/sagemaker-lineage`` reaches the handler: a route of the table
#: (``core/routes.py``) is answered, anything else is the JSON 404 of docs/api.md,
#: never Jupyter's HTML page.
ROUTE_PATTERN = r"/sagemaker-lineage(?:/(.*?))?/?"
