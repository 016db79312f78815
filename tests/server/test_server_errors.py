"""Every answer under ``/sagemaker-lineage/`` is docs/api.md's JSON, and Jupyter's
authorization applies to it like to Jupyter's own APIs.

GIVEN a real Jupyter server with the extension, WHEN a client sends what a browser or a
script might (an unknown sub-route, a query that is not UTF-8, a POST), THEN the body is
the JSON error of the contract; and GIVEN an Authorizer that denies everything, THEN
the extension answers 403 like Jupyter's contents API does.
"""

from __future__ import annotations

import json

import pytest
from jupyter_server.auth.authorizer import Authorizer
from tornado.httpclient import AsyncHTTPClient, HTTPClientError

from sagemaker_lineage_ext.server.handlers import AUTH_RESOURCE


class DenyLineage(Authorizer):
    """Denies this extension's resource (and records what it was asked)."""

    asked: list[tuple[str, str]] = []

    def is_authorized(self, handler, user, action, resource) -> bool:
        DenyLineage.asked.append((action, resource))
        return resource != AUTH_RESOURCE


class DenyAll(Authorizer):
    def is_authorized(self, handler, user, action, resource) -> bool:
        return False


@pytest.fixture
def jp_server_config(demo_account, request):
    config = {
        "ServerApp": {"jpserver_extensions": {"sagemaker_lineage_ext": True}},
        "LineageExtensionApp": {"demo": True},
    }
    authorizer = getattr(request, "param", None)
    if authorizer is not None:
        config["ServerApp"]["authorizer_class"] = authorizer
    return config


async def failure(jp_fetch, *path: str, **kwargs) -> tuple[int, dict, dict]:
    """(status, JSON body, headers) of a request that must fail."""
    with pytest.raises(HTTPClientError) as caught:
        await jp_fetch("sagemaker-lineage", *path, **kwargs)
    response = caught.value.response
    assert response is not None
    assert response.headers["Content-Type"].startswith("application/json"), response.body[:200]
    return caught.value.code, json.loads(response.body), dict(response.headers)


@pytest.mark.parametrize("path", [("steps",), ("lineage", "extra"), ("a", "b", "c"), ("",)])
async def test_server_unknown_sub_route_is_a_json_404(jp_fetch, validate_error, path):
    status, body, _ = await failure(jp_fetch, *path, params={"pipeline": "mlops-pipeline"})
    assert status == 404
    validate_error(404, body)


async def test_server_query_that_is_not_utf8_is_a_json_400_naming_it(
    jp_fetch, jp_http_port, jp_base_url, jp_auth_header, validate_error
):
    # GIVEN a query string whose region value is Latin-1 bytes, not UTF-8 (jp_fetch
    # would escape the %, so the URL is sent as written)
    url = (
        f"http://127.0.0.1:{jp_http_port}{jp_base_url}sagemaker-lineage/lineage"
        "?pipeline=mlops-pipeline&region=%E9t%E9"
    )
    response = await AsyncHTTPClient().fetch(url, headers=jp_auth_header, raise_error=False)
    assert response.code == 400
    assert response.headers["Content-Type"].startswith("application/json")
    body = validate_error(400, json.loads(response.body))
    assert body["message"] == "region is not valid UTF-8 text"


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
async def test_server_other_methods_are_a_json_405(jp_fetch, method):
    kwargs = {"body": "{}"} if method != "DELETE" else {}
    status, body, headers = await failure(
        jp_fetch, "lineage", method=method, params={"pipeline": "mlops-pipeline"}, **kwargs
    )
    assert status == 405
    assert body == {"message": f"method {method} not allowed: use GET"}
    assert headers["Allow"] == "GET"


@pytest.mark.parametrize("jp_server_config", [DenyAll], indirect=True)
@pytest.mark.parametrize("route", ["lineage", "pipelines", "executions"])
async def test_server_authorizer_that_denies_everything_is_a_403(jp_fetch, route):
    # Jupyter's own API answers 403 under this Authorizer ...
    with pytest.raises(HTTPClientError) as jupyter:
        await jp_fetch("api", "contents")
    assert jupyter.value.code == 403
    # ... and so does every route of the extension, with a JSON body
    status, body, _ = await failure(jp_fetch, route, params={"pipeline": "mlops-pipeline"})
    assert status == 403
    assert set(body) == {"message"} and "pipeline" not in body["message"]


@pytest.mark.parametrize("jp_server_config", [DenyLineage], indirect=True)
async def test_server_authorizer_is_asked_to_read_this_extensions_resource(jp_fetch):
    DenyLineage.asked.clear()
    # contents stay readable under an Authorizer that denies only lineage
    assert (await jp_fetch("api", "contents")).code == 200
    status, _, _ = await failure(jp_fetch, "pipelines")
    assert status == 403
    assert ("read", AUTH_RESOURCE) in DenyLineage.asked
