"""Real lineage responses from the demo account, read once for the widget tests."""

from __future__ import annotations

import copy

import pytest

PIPELINES = (
    "mlops-pipeline",
    "churn-pipeline",
    "fraud-detection-pipeline",
    "large-pipeline-200",
)


@pytest.fixture(scope="session")
def demo_responses(demo_account) -> dict[str, dict]:
    """Each demo pipeline's response, plus ``mlops-pipeline/no-exec`` (includeLatestExec=false)."""
    from sagemaker_lineage_ext.core.request import parse_lineage_request
    from sagemaker_lineage_ext.demo import demo_service

    service = demo_service()
    try:
        out = {
            name: service.lineage(parse_lineage_request({"pipeline": name}, service.config))
            for name in PIPELINES
        }
        out["mlops-pipeline/no-exec"] = service.lineage(
            parse_lineage_request(
                {"pipeline": "mlops-pipeline", "includeLatestExec": "false"}, service.config
            )
        )
    finally:
        service.gateway.close()
    return out


@pytest.fixture
def responses(demo_responses) -> dict[str, dict]:
    """A copy a test may change."""
    return copy.deepcopy(demo_responses)
