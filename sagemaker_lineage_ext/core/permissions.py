"""The whole of the core's AWS permissions, as IAM action names (pure).

What the core reads, in one place (docs/api.md, "IAM"): the serverless stack grants exactly these
actions, and a test checks that every call the core makes is one of them. IAM
names are not always API names (``GetBucketEncryption`` is authorised by
``s3:GetEncryptionConfiguration``); :data:`posture.IAM_ACTION` holds that map.
"""

from __future__ import annotations

from .posture import IAM_ACTION

#: Every SageMaker read (the IAM action is ``sagemaker:<ApiName>``).
SAGEMAKER_OPERATIONS = (
    "ListPipelines",
    "DescribePipeline",
    "DescribePipelineDefinitionForExecution",
    "ListPipelineExecutions",
    "DescribePipelineExecution",
    "ListPipelineExecutionSteps",
    "ListPipelineParametersForExecution",
    "DescribeProcessingJob",
    "DescribeTrainingJob",
    "DescribeTransformJob",
    "DescribeHyperParameterTuningJob",
    "DescribeModelPackage",
    "ListTags",
)
SAGEMAKER_ACTIONS = tuple(f"sagemaker:{operation}" for operation in SAGEMAKER_OPERATIONS)

#: Bucket-level reads behind an artifact's ``s3`` posture.
S3_BUCKET_ACTIONS = tuple(IAM_ACTION.values())

#: Object reads: only evaluation reports (a step's property file).
S3_OBJECT_ACTIONS = ("s3:GetObject",)

#: S3 API call -> the IAM action that authorises it.
S3_IAM_ACTION = {**IAM_ACTION, "GetObject": "s3:GetObject"}

ALL_ACTIONS = SAGEMAKER_ACTIONS + S3_BUCKET_ACTIONS + S3_OBJECT_ACTIONS

#: The one write, never part of the read-only role: sending OpenLineage events to Amazon
#: DataZone (``sagemaker-lineage openlineage --datazone-domain``; the stack grants it only
#: with the ``datazoneDomain`` context).
DATAZONE_ACTIONS = ("datazone:PostLineageEvent",)


def iam_action(service: str, operation: str) -> str:
    """The IAM action that authorises ``operation`` (an API name) of ``service``."""
    if service == "s3":
        return S3_IAM_ACTION[operation]
    return f"{service}:{operation}"
