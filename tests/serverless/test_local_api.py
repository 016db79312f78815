"""The local stand-in for API Gateway: real HTTP in, the Lambda handler's answers out."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request

import pytest
from serverless_support import EVENTS

from sagemaker_lineage_ext.core.errors import NOT_FOUND_MESSAGE
from sagemaker_lineage_ext.core.routes import no_route_message
from sagemaker_lineage_ext.demo import demo_service
from sagemaker_lineage_ext.lambda_handler import build_handler
from sagemaker_lineage_ext.local_api import make_server, proxy_event


@pytest.fixture(scope="module")
def api_url(demo_account):
    service = demo_service()
    server = make_server(build_handler(lambda: service), port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    service.gateway.close()


def call(url: str, method: str = "GET") -> tuple[int, dict, str]:
    request = urllib.request.Request(
        url, method=method, headers={"Origin": "http://localhost:5173"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def test_local_api_lineage_200_with_or_without_the_stage(api_url, validate_lineage):
    for path in ("/prod/lineage", "/lineage"):
        status, headers, body = call(f"{api_url}{path}?pipeline=mlops-pipeline")
        assert status == 200
        assert headers["Access-Control-Allow-Origin"] == "*"
        assert validate_lineage(json.loads(body))["pipeline"]["name"] == "mlops-pipeline"


@pytest.mark.parametrize(
    ("path", "status", "message"),
    [
        ("/prod/lineage", 400, "pipeline is required"),
        ("/prod/lineage?pipeline=no-such-pipeline", 404, NOT_FOUND_MESSAGE),
        ("/prod/execution?pipeline=mlops-pipeline", 404, no_route_message("/execution")),
        (
            "/prod/pipelines?regoin=us-east-1",
            400,
            "regoin is not a parameter of /pipelines; did you mean region? "
            "(/pipelines takes region, domain, prefix)",
        ),
    ],
)
def test_local_api_errors_are_specs_with_cors(api_url, path, status, message):
    code, headers, body = call(f"{api_url}{path}")
    assert (code, json.loads(body)) == (status, {"message": message})
    assert headers["Access-Control-Allow-Origin"] == "*"


def test_local_api_preflight(api_url):
    status, headers, body = call(f"{api_url}/prod/lineage", method="OPTIONS")
    assert status == 204 and body == ""
    assert "GET" in headers["Access-Control-Allow-Methods"]


def test_local_api_event_has_the_shape_api_gateway_sends():
    recorded = json.loads((EVENTS / "lineage-get.json").read_text())
    event = proxy_event("GET", "/prod/lineage?pipeline=a&pipeline=b&region=", {"Origin": "x"})
    assert set(event) == set(recorded)
    assert set(event["requestContext"]) <= set(recorded["requestContext"])
    assert event["resource"] == event["path"] == "/lineage"
    assert event["multiValueQueryStringParameters"] == {"pipeline": ["a", "b"], "region": [""]}
    assert event["queryStringParameters"] == {"pipeline": "b", "region": ""}


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
def test_local_api_other_methods_are_a_json_405_with_cors(api_url, method):
    status, headers, body = call(f"{api_url}/prod/lineage?pipeline=mlops-pipeline", method)
    assert status == 405
    assert headers["Content-Type"] == "application/json"
    assert json.loads(body) == {"message": f"method {method} not allowed: use GET"}
    assert headers["Access-Control-Allow-Origin"] == "*"


def test_local_api_head_has_the_headers_and_no_body(api_url):
    status, headers, body = call(f"{api_url}/prod/lineage?pipeline=mlops-pipeline", "HEAD")
    assert status == 405 and body == ""
    assert headers["Access-Control-Allow-Origin"] == "*"


def test_local_api_unknown_path_with_another_method_is_a_json_404(api_url):
    status, headers, body = call(f"{api_url}/prod/nothing", "POST")
    assert (status, json.loads(body)) == (404, {"message": no_route_message("/nothing")})
    assert headers["Access-Control-Allow-Origin"] == "*"


def test_local_api_says_when_it_reads_the_demo_account(tmp_path):
    """No credentials, no --demo: the demo account answers, and the console says so."""
    import subprocess
    import sys
    import urllib.request

    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "AWS_CONFIG_FILE": str(tmp_path / "none"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "none"),
        "AWS_EC2_METADATA_DISABLED": "true",
        "PYTHONUNBUFFERED": "1",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "sagemaker_lineage_ext.local_api", "--port", "0"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        url = process.stdout.readline().split(" on ", 1)[1].split(" ", 1)[0]
        with urllib.request.urlopen(url.split("/lineage?")[0] + "/pipelines", timeout=120) as r:
            assert json.loads(r.read())["demo"] is True
    finally:
        process.kill()
        console, _ = process.communicate(timeout=30)
    assert "embedded demo account" in console


@pytest.mark.parametrize(
    ("url", "status", "message"),
    [
        ("/prod/artifact?uri=s3://bucket/" + "a" * 70_000, 414, "request-uri too long"),
        ("/prod/check?pipeline=mlops-pipeline", 431, "request header fields too large"),
    ],
)
def test_local_api_refusals_of_http_server_itself_are_json_with_cors(api_url, url, status, message):
    # GIVEN what http.server refuses before the handler sees it (a request line or a
    # header past its 64 KiB limit): it answered its own HTML page, without CORS
    headers = {"Origin": "http://localhost:5173"}
    if status == 431:
        headers["X-Long"] = "a" * 70_000
    request = urllib.request.Request(f"{api_url}{url}", headers=headers)
    with pytest.raises(urllib.error.HTTPError) as raised:
        urllib.request.urlopen(request, timeout=30)
    assert raised.value.code == status
    assert raised.value.headers["Content-Type"] == "application/json"
    assert raised.value.headers["Access-Control-Allow-Origin"] == "*"
    assert json.loads(raised.value.read()) == {"message": message}
