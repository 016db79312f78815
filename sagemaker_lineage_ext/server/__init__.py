"""The Jupyter server extension: the HTTP API of docs/api.md under ``{base_url}/sagemaker-lineage/``."""

from .app import LineageExtensionApp

__all__ = ["LineageExtensionApp"]
