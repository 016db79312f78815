"""What every HTTP door answers alike, at the core's level: the bodies of failures that
come before or around a route's answer (``core/errors.py``), the CORS headers of the
Lambda and the local API, the service source a door reads through and the request ids
of the CLI and the magic (``core/http.py``).
"""

from __future__ import annotations

import logging
import re
import threading

import pytest

from sagemaker_lineage_ext.core.config import LineageConfig
from sagemaker_lineage_ext.core.errors import http_error_body
from sagemaker_lineage_ext.core.http import cors_headers, new_request_id, service_source
from sagemaker_lineage_ext.core.routes import ROUTES, no_route_message
from sagemaker_lineage_ext.core.service import LineageService


def test_http_error_body_404_names_the_path_and_the_routes():
    body = http_error_body(404, path="/nothing-here")
    routes = ", ".join(f"/{name}" for name in ROUTES)
    assert body == {"message": f"no route /nothing-here: the routes are {routes}"}
    assert "/lineage, /pipelines, /executions" in body["message"]
    assert http_error_body(404, path="/<img onerror=x>")["message"].startswith("no such route:")


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (404, {"message": no_route_message()}),
        (405, {"message": "method DELETE not allowed: use GET"}),
        (403, {"message": "forbidden: not authenticated, or not authorized to read lineage"}),
        (500, {"message": "internal error", "requestId": "req-1"}),
        (502, {"message": "internal error", "requestId": "req-1"}),
        (400, {"message": "bad request"}),
        (414, {"message": "request-uri too long"}),
        (499, {"message": "bad request"}),  # no phrase for it
    ],
)
def test_http_error_body_is_the_same_sentence_on_every_door(status, body, validate_against):
    assert http_error_body(status, method="DELETE", request_id="req-1") == body
    validate_against("error-response.schema.json", body)


def test_cors_headers_allow_every_origin_by_default():
    for allowed in ("*", ""):
        headers = cors_headers(allowed, "https://a.example")
        assert headers["Access-Control-Allow-Origin"] == "*"
        assert "Vary" not in headers and headers["Access-Control-Allow-Methods"] == "GET,OPTIONS"


def test_cors_headers_echo_a_listed_origin_only():
    allowed = "https://a.example, https://b.example"
    assert cors_headers(allowed, "https://b.example")["Access-Control-Allow-Origin"] == (
        "https://b.example"
    )
    refused = cors_headers(allowed, "https://evil.example")
    assert "Access-Control-Allow-Origin" not in refused and refused["Vary"] == "Origin"


def test_cors_headers_malformed_setting_allows_no_origin_and_is_logged(caplog):
    with caplog.at_level(logging.ERROR, logger="sagemaker_lineage_ext"):
        headers = cors_headers("not an origin", "not an origin")
    assert "Access-Control-Allow-Origin" not in headers
    assert "CORS_ALLOW_ORIGINS" in caplog.text


def test_service_source_builds_a_factory_once_on_first_use():
    built: list[LineageService] = []

    def factory() -> LineageService:
        built.append(LineageService(LineageConfig(default_region="eu-west-1")))
        return built[-1]

    source = service_source(factory)
    assert built == [], "nothing is built before it is used"
    threads = [threading.Thread(target=source.service) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(built) == 1 and source.service() is built[0]
    assert source.config().default_region == "eu-west-1"


def test_service_source_keeps_a_ready_service_and_a_source_as_they_are():
    service = LineageService(LineageConfig())
    assert service_source(service).service() is service
    ready = service_source(service)
    assert service_source(ready) is ready


def test_new_request_id_is_twelve_fresh_hex_digits():
    ids = {new_request_id() for _ in range(100)}
    assert len(ids) == 100 and all(re.fullmatch(r"[0-9a-f]{12}", i) for i in ids)
