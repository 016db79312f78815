"""The core's permission list (what the serverless role grants) covers every call it makes."""

from __future__ import annotations

import botocore.session
import pytest

from sagemaker_lineage_ext.core import (
    parse_executions_request,
    parse_lineage_request,
    parse_list_request,
)
from sagemaker_lineage_ext.core.permissions import (
    ALL_ACTIONS,
    S3_BUCKET_ACTIONS,
    SAGEMAKER_OPERATIONS,
    iam_action,
)
from sagemaker_lineage_ext.core.posture import IAM_ACTION
from sagemaker_lineage_ext.demo.seed import REGION


def test_permissions_name_real_api_operations():
    session = botocore.session.get_session()
    sagemaker = set(session.get_service_model("sagemaker").operation_names)
    s3 = set(session.get_service_model("s3").operation_names)
    assert set(SAGEMAKER_OPERATIONS) <= sagemaker
    assert {*IAM_ACTION, "GetObject"} <= s3


def test_permissions_use_iam_names_not_api_names():
    """GetBucketEncryption and GetPublicAccessBlock are authorised by other names."""
    assert "s3:GetEncryptionConfiguration" in S3_BUCKET_ACTIONS
    assert "s3:GetBucketPublicAccessBlock" in S3_BUCKET_ACTIONS
    assert not {"s3:GetBucketEncryption", "s3:GetPublicAccessBlock"} & set(ALL_ACTIONS)
    assert len(ALL_ACTIONS) == len(set(ALL_ACTIONS)) == 19
    assert all("*" not in action for action in ALL_ACTIONS)


@pytest.mark.parametrize(
    "pipeline", ["mlops-pipeline", "churn-pipeline", "fraud-detection-pipeline"]
)
def test_permissions_cover_every_call_the_core_makes(demo_service, pipeline):
    calls: set[tuple[str, str]] = set()

    def record(model, **_):
        calls.add((model.service_model.service_name, model.name))

    for service in ("sagemaker", "s3"):
        demo_service.gateway.client(service, REGION).meta.events.register(
            f"before-call.{service}", record
        )
    config = demo_service.config
    demo_service.lineage(parse_lineage_request({"pipeline": pipeline}, config))
    demo_service.list_pipelines(parse_list_request({}, config))
    demo_service.list_executions(parse_executions_request({"pipeline": pipeline}, config))

    assert ("sagemaker", "DescribePipeline") in calls and ("s3", "GetBucketEncryption") in calls
    not_granted = {call for call in calls if iam_action(*call) not in ALL_ACTIONS}
    assert not not_granted, f"calls the role would be denied: {sorted(not_granted)}"
