#!/usr/bin/env python3
"""The CDK app: ``npx cdk deploy LineageApiStack`` (README "Deploy the REST API").

It stages the Lambda code from this repository (the core and the handler, no
Docker), checks the stack with cdk-nag's AwsSolutions rules (an unacknowledged
finding stops synth) and synthesizes ``LineageApiStack``.
"""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
# The stack reads the core's IAM action list from this checkout (pure modules, no boto3).
sys.path.insert(0, str(HERE.parent))

import aws_cdk as cdk  # noqa: E402
from cdk_nag import AwsSolutionsChecks  # noqa: E402
from stacks.lineage_api_stack import LineageApiStack, build_lambda_asset  # noqa: E402

app = cdk.App()
LineageApiStack(
    app,
    "LineageApiStack",
    asset_dir=build_lambda_asset(HERE / "build" / "lambda"),
    description="sagemaker-lineage-ext: read-only lineage of SageMaker Pipelines over REST",
)
cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app))
app.synth()
