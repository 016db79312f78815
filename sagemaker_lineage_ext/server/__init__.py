"""The Jupyter server extension: SPEC's HTTP API under ``{base_url}/sagemaker-lineage/``."""

from .app import LineageExtensionApp

__all__ = ["LineageExtensionApp"]
