"""Without the demo extra, a server asked for the demo answers the 500 body and logs how
to install it.

GIVEN a server with ``demo=True`` in a process where moto cannot be imported, WHEN a
lineage is requested, THEN the answer is ``{"message": "internal error", "requestId": ...}``
and the log line under that request id says ``pip install 'sagemaker-lineage-ext[demo]'``.
(tests/test_packaging.py checks the CLI and the magic in a venv that really lacks moto.)
"""

from __future__ import annotations

import json
import logging
import sys

import pytest
from tornado.httpclient import HTTPClientError

from sagemaker_lineage_ext.kit import account


@pytest.fixture
def jp_server_config(monkeypatch):
    monkeypatch.setitem(sys.modules, "moto", None)  # import moto → ImportError, find_spec → None
    monkeypatch.setattr(account, "_demo_started", False)  # as in a process that never started it
    return {
        "ServerApp": {"jpserver_extensions": {"sagemaker_lineage_ext": True}},
        "LineageExtensionApp": {"demo": True},
    }


async def test_server_demo_not_installed_is_500_with_request_id(jp_fetch, caplog):
    with caplog.at_level(logging.ERROR):
        with pytest.raises(HTTPClientError) as caught:
            await jp_fetch("sagemaker-lineage", "pipelines")
    assert caught.value.code == 500
    body = json.loads(caught.value.response.body)
    assert set(body) == {"message", "requestId"} and body["message"] == "internal error"
    (record,) = [r for r in caplog.records if body["requestId"] in r.getMessage()]
    assert record.getMessage().endswith(
        "the embedded demo account is not installed: pip install 'sagemaker-lineage-ext[demo]'"
    )
    assert account._demo_started is False, "nothing was started"
