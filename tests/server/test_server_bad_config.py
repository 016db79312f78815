"""A bad setting does not take the server down: requests get the 500 body.

GIVEN ``S3_TIMEOUT_MS=soon``, WHEN a lineage is requested, THEN the answer is
``{"message": "internal error", "requestId": ...}`` and the log names the variable.
"""

from __future__ import annotations

import json
import logging

import pytest
from tornado.httpclient import HTTPClientError


@pytest.fixture
def jp_server_config(demo_account, monkeypatch):
    monkeypatch.setenv("S3_TIMEOUT_MS", "soon")
    return {
        "ServerApp": {"jpserver_extensions": {"sagemaker_lineage_ext": True}},
        "LineageExtensionApp": {"demo": True},
    }


async def test_server_bad_configuration_is_500_with_request_id(jp_fetch, caplog):
    with caplog.at_level(logging.ERROR):
        with pytest.raises(HTTPClientError) as caught:
            await jp_fetch("sagemaker-lineage", "lineage", params={"pipeline": "mlops-pipeline"})
    assert caught.value.code == 500
    body = json.loads(caught.value.response.body)
    assert set(body) == {"message", "requestId"} and body["message"] == "internal error"
    assert "S3_TIMEOUT_MS" in caplog.text and body["requestId"] in caplog.text
