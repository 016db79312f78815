"""/openlineage and /check through a real Jupyter server (jp_fetch): schema-valid answers,
and the same 400/404 rules as /lineage.

GIVEN the server extension on the demo account, WHEN a client asks for an execution's
OpenLineage events or the posture gate, THEN the answers validate against their schemas,
a bad parameter is a 400 naming it, an unknown pipeline or execution a 404.
"""

from __future__ import annotations

import json

import pytest
from tornado.httpclient import HTTPClientError

REGION = "ap-northeast-2"
NOT_FOUND = {"message": "pipeline not found or domain filter mismatched"}
MISSING_EXECUTION = (
    f"arn:aws:sagemaker:{REGION}:123456789012:pipeline/mlops-pipeline/execution/abcdef123456"
)


@pytest.fixture
def jp_server_config(demo_account):
    return {
        "ServerApp": {"jpserver_extensions": {"sagemaker_lineage_ext": True}},
        "LineageExtensionApp": {"demo": True},
    }


@pytest.fixture
def get(jp_fetch):
    async def fetch(route: str, **params: str):
        try:
            response = await jp_fetch("sagemaker-lineage", route, params=params)
        except HTTPClientError as exc:
            assert exc.response is not None
            return exc.code, json.loads(exc.response.body)
        return response.code, json.loads(response.body)

    return fetch


async def test_server_openlineage_answers_the_events(get, validate_against):
    status, body = await get("openlineage", pipeline="mlops-pipeline")
    assert status == 200
    validate_against("openlineage-response.schema.json", body)
    assert [e["eventType"] for e in body["events"]][:: len(body["events"]) - 1] == [
        "START",
        "COMPLETE",
    ]


async def test_server_check_answers_the_verdict(get, validate_against):
    status, body = await get("check", pipeline="fraud-detection-pipeline", allowUnknown="1")
    assert status == 200
    validate_against("check-response.schema.json", body)
    assert (body["passed"], body["policy"]["unknown"], body["counts"]["unknown"]) == (
        False,
        "allow",
        5,
    )
    # HTTP cannot name a policy file: a policy parameter is a 400 naming it, never read
    status, refused = await get("check", pipeline="fraud-detection-pipeline", policy="/etc/passwd")
    assert status == 400 and refused["message"].startswith("policy is not a parameter of /check")


@pytest.mark.parametrize("route", ["openlineage", "check"])
@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({}, "pipeline"),
        ({"pipeline": "bad_name!"}, "pipeline"),
        ({"pipeline": "mlops-pipeline", "region": "mars-1"}, "region"),
        ({"pipeline": "mlops-pipeline", "executionArn": "arn:nope"}, "executionArn"),
        ({"pipeline": "mlops-pipeline", "domain": ""}, "domain"),
    ],
)
async def test_server_bad_parameter_is_400_naming_it(get, route, params, named):
    status, body = await get(route, **params)
    assert status == 400 and set(body) == {"message"}
    assert body["message"].startswith(f"{named} ")


async def test_server_check_allow_unknown_must_be_a_boolean(get):
    status, body = await get("check", pipeline="mlops-pipeline", allowUnknown="maybe")
    assert (status, body) == (400, {"message": "allowUnknown must be true, false, 1 or 0"})


@pytest.mark.parametrize("route", ["openlineage", "check"])
@pytest.mark.parametrize(
    "params",
    [
        {"pipeline": "no-such-pipeline"},
        {"pipeline": "mlops-pipeline", "executionArn": MISSING_EXECUTION},
        {"pipeline": "mlops-pipeline", "domain": "risk-studio"},
    ],
    ids=["unknown-pipeline", "unknown-execution", "domain-mismatch"],
)
async def test_server_not_found_is_404(get, route, params):
    assert await get(route, **params) == (404, NOT_FOUND)
