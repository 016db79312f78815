"""A local stand-in for API Gateway, to develop a web frontend against the REST API.

    python -m sagemaker_lineage_ext.local_api --demo        # http://127.0.0.1:3000/prod/lineage?pipeline=mlops-pipeline

Each HTTP request becomes the REST proxy event API Gateway would send, and the
Lambda handler answers it: the same code path as the deployed function, on the
demo account (``--demo``) or on your AWS credentials. Paths may carry the stage
(``/prod/lineage``) or not (``/lineage``). Like the deployed stack, paths other
than the routes of the route table get a 404 and ``OPTIONS`` gets the CORS preflight.
Standard library only; not a production server.
"""

from __future__ import annotations

import argparse
import os
import time
import uuid
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from .core.errors import http_error_body
from .core.http import cors_headers
from .core.jsonsafe import dumps
from .kit.account import Account
from .kit.arguments import add_demo_option
from .lambda_handler import ROUTES, Handler, build_handler

STAGE = "prod"
#: The deployed function's timeout: the remaining time each local request starts with.
TIMEOUT_MS = 25_000


class _Context:
    """The two things the handler reads from Lambda's context object."""

    def __init__(self) -> None:
        self.aws_request_id = str(uuid.uuid4())
        self._ends = time.monotonic() + TIMEOUT_MS / 1000

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._ends - time.monotonic()) * 1000))


def proxy_event(method: str, target: str, headers: Mapping[str, str]) -> dict[str, Any]:
    """The API Gateway REST proxy event for ``method target`` (a path with its query)."""
    url = urlsplit(target)
    path = url.path
    if path == f"/{STAGE}" or path.startswith(f"/{STAGE}/"):
        path = path[len(STAGE) + 1 :] or "/"
    multi: dict[str, list[str]] = {}
    for name, value in parse_qsl(url.query, keep_blank_values=True):
        multi.setdefault(name, []).append(value)
    return {
        "resource": path,
        "path": path,
        "httpMethod": method,
        "headers": dict(headers),
        "multiValueHeaders": {k: [v] for k, v in headers.items()},
        "queryStringParameters": {k: v[-1] for k, v in multi.items()} or None,
        "multiValueQueryStringParameters": multi or None,
        "pathParameters": None,
        "stageVariables": None,
        "requestContext": {
            "resourcePath": path,
            "httpMethod": method,
            "path": f"/{STAGE}{path}",
            "stage": STAGE,
            "requestId": str(uuid.uuid4()),
            "identity": {"sourceIp": "127.0.0.1"},
        },
        "body": None,
        "isBase64Encoded": False,
    }


def make_server(handler: Handler, host: str = "127.0.0.1", port: int = 3000) -> ThreadingHTTPServer:
    """An HTTP server answering like the deployed API (``port=0`` picks a free port)."""

    class LocalApi(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            event = proxy_event(self.command, self.path, dict(self.headers.items()))
            if event["resource"].rstrip("/") not in ROUTES:
                # API Gateway answers unknown paths itself (the stack maps them to the API's 404).
                self._send(404, self._cors(), http_error_body(404, path=event["resource"]))
                return
            response = handler(event, _Context())
            self._send(response["statusCode"], response["headers"], response["body"])

        # http.server's naming. Every method is answered like GET's, by the handler (a JSON
        # 405 for all but GET), never with http.server's HTML 501 page.
        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _answer

        def do_OPTIONS(self) -> None:  # noqa: N802
            # API Gateway's CORS preflight (a mock integration in the stack).
            self._send(204, {**self._cors(), "Access-Control-Max-Age": "3600"}, "")

        def send_error(
            self, code: int, message: str | None = None, explain: str | None = None
        ) -> None:
            # http.server's own refusals, before any handler (a request line or a header
            # past 64 KiB, bad syntax): the API's JSON body with CORS, not its HTML page
            self.close_connection = True
            self._send(code, self._cors(), http_error_body(code))

        def _cors(self) -> dict[str, str]:
            headers = getattr(self, "headers", None)  # none yet when the request line failed
            origin = headers.get("Origin") if headers is not None else None
            return cors_headers(os.environ.get("CORS_ALLOW_ORIGINS", "*"), origin)

        def _send(self, status: int, headers: Mapping[str, str], body: str | dict) -> None:
            data = (dumps(body) if isinstance(body, dict) else body).encode("utf-8")
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            if isinstance(body, dict):
                self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass  # the handler logs each request itself

    return ThreadingHTTPServer((host, port), LocalApi)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="The REST API locally, as API Gateway + Lambda.")
    add_demo_option(parser, help="answer from the demo account")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=3000)
    args = parser.parse_args(argv)
    # Without --demo and without credentials it reads the demo account: say so, once.
    account = Account(demo=args.demo, announce=lambda line: print(line, flush=True))
    server = make_server(build_handler(account), args.host, args.port)
    url = f"http://{args.host}:{server.server_port}/{STAGE}/lineage?pipeline=mlops-pipeline"
    print(f"Lineage API on {url} (Ctrl-C stops)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
