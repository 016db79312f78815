"""Tornado handlers: parse the query, read off the event loop, answer SPEC's JSON.

Every route goes through the core's one HTTP mapping (``core.http.handle_query``),
the same one the Lambda uses, so the Jupyter API and the REST API cannot drift.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from typing import TYPE_CHECKING, cast

import tornado.web
from jupyter_server.base.handlers import APIHandler
from jupyter_server.extension.handler import ExtensionHandlerMixin

from ..core.errors import error_response
from ..core.http import handle_query, log

if TYPE_CHECKING:
    from .app import LineageExtensionApp

#: The routes under ``{base_url}/sagemaker-lineage/``.
ROUTES = ("lineage", "pipelines", "executions")


class LineageHandler(ExtensionHandlerMixin, APIHandler):
    """``GET /sagemaker-lineage/<route>``: one of SPEC's read-only queries."""

    @tornado.web.authenticated
    async def get(self, route: str) -> None:
        params = {name: self.get_arguments(name) for name in self.request.arguments}
        request_id = uuid.uuid4().hex
        app = cast("LineageExtensionApp", self.extensionapp)
        loop = asyncio.get_running_loop()
        # AWS reads block for up to seconds: never on the event loop, so the rest
        # of Jupyter (kernels, contents, the UI) keeps answering meanwhile.
        deadline = time.monotonic() + app.request_timeout_s
        status, body = await loop.run_in_executor(
            app.executor, answer, app, route, params, request_id, deadline
        )
        self.set_status(status)
        self.set_header("Cache-Control", "no-store")
        await self.finish(json.dumps(body))


def answer(
    app: LineageExtensionApp,
    route: str,
    params: dict[str, list[str]],
    request_id: str,
    deadline: float,
) -> tuple[int, dict]:
    """SPEC's status and body, also when the service itself cannot be built (a bad
    configuration, a missing AWS profile): a 500 with the request id, details in the log."""
    try:
        service = app.service()
    except Exception:
        log.exception("requestId=%s cannot start the lineage service", request_id)
        return error_response(RuntimeError(), request_id)
    return handle_query(service, route, params, request_id=request_id, deadline=deadline)


#: The handler's URL pattern; ExtensionApp puts the server's ``base_url`` in front.
ROUTE_PATTERN = r"/sagemaker-lineage/(" + "|".join(ROUTES) + r")/?"
