"""The demo's canned answers are checked against botocore's own output shapes."""

from __future__ import annotations

from datetime import datetime, timezone

import botocore.session
import pytest

from sagemaker_lineage_ext.demo.hooks import CannedResponseError, validate_output

MODEL = botocore.session.get_session().get_service_model("sagemaker")
STEPS = MODEL.operation_model("ListPipelineExecutionSteps")
WHEN = datetime(2026, 11, 26, tzinfo=timezone.utc)


def test_validate_output_accepts_a_well_formed_step_list():
    step = {
        "StepName": "Train",
        "StartTime": WHEN,
        "StepStatus": "Succeeded",
        "Metadata": {
            "TrainingJob": {"Arn": "arn:aws:sagemaker:ap-northeast-2:123456789012:training-job/x"}
        },
    }
    validate_output(STEPS, {"PipelineExecutionSteps": [step], "ResponseMetadata": {}})


@pytest.mark.parametrize(
    ("step", "problem"),
    [
        ({"StepName": "A", "StepStatus": "Done"}, "is not one of"),  # enum botocore does not check
        ({"StepName": "A", "StartTime": "yesterday"}, "StartTime"),
        ({"StepName": "A", "Metadata": {"TrainingJob": {"Arn": 5}}}, "Arn"),
        ({"StepName": "A", "Metadata": {"Condition": {"Outcome": "Maybe"}}}, "is not one of"),
        ({"StepName": "A", "NoSuchKey": 1}, "NoSuchKey"),
    ],
)
def test_validate_output_rejects_what_botocore_would_not_return(step, problem):
    with pytest.raises(CannedResponseError, match=problem):
        validate_output(STEPS, {"PipelineExecutionSteps": [step]})
