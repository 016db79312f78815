"""Tornado handlers: parse the query, read off the event loop, answer the route's JSON.

Every route of the route table (``core/routes.py``) is served through the core's
``answer_query``, the same one the Lambda uses, so the Jupyter API and the REST API
cannot drift.
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

from ..core.http import handle_query

if TYPE_CHECKING:
    from .app import LineageExtensionApp


class LineageHandler(ExtensionHandlerMixin, APIHandler):
    """``GET /sagemaker-lineage/<route>``: one of the read-only queries."""

    @tornado.web.authenticated
    async def get(self, route: str | None) -> None:
        params = {name: self.get_arguments(name) for name in self.request.arguments}
        request_id = uuid.uuid4().hex
        app = cast("LineageExtensionApp", self.extensionapp)
        # The request's wait in the queue counts: the deadline starts now.
        deadline = time.monotonic() + app.setting("request_timeout_s")
        # AWS reads block for up to seconds: never on the event loop, so the rest
        # of Jupyter (kernels, contents, the UI) keeps answering meanwhile.
        status, body = await asyncio.get_running_loop().run_in_executor(
            app.executor,
            lambda: handle_query(
                app.account, route or "", params, request_id=request_id, deadline=deadline
            ),
        )
        self.set_status(status)
        self.set_header("Cache-Control", "no-store")
        await self.finish(json.dumps(body))


#: The handler's URL pattern; ExtensionApp puts the server's ``base_url`` in front.
#: Every path under the namespace: one that is not a route gets the API's JSON 404 from
#: ``answer_query``, as on the REST API, not Jupyter's HTML page.
ROUTE_PATTERN = r"/sagemaker-lineage(?:/(.*?))?/?"
