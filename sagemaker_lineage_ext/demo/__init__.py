"""The embedded demo account: a moto-backed AWS account with realistic SageMaker data.

Every front door uses it when no AWS credentials are found, or when forced with
``SAGEMAKER_LINEAGE_DEMO=1`` / ``--demo``. Clients are real botocore clients;
moto answers what it implements and the hooks in :mod:`.hooks` the rest.
"""

from .account import DemoAccount, demo_config, demo_gateway, demo_service

__all__ = ["DemoAccount", "demo_config", "demo_gateway", "demo_service"]
