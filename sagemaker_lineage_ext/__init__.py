"""sagemaker-lineage-ext: lineage of Amazon SageMaker Pipelines for notebooks, JupyterLab and REST.

Importing the package is cheap: the Jupyter server extension and the IPython
extension are found through the hooks below and imported only when loaded.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.2.0"


def _jupyter_server_extension_points() -> list[dict[str, Any]]:
    from .server import LineageExtensionApp

    return [{"module": "sagemaker_lineage_ext.server", "app": LineageExtensionApp}]


def _jupyter_labextension_paths() -> list[dict[str, str]]:
    """Where the prebuilt side panel is (``jupyter labextension develop`` links it)."""
    return [{"src": "labextension", "dest": "sagemaker-lineage-ext"}]


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext sagemaker_lineage_ext``: registers the ``%lineage`` magic."""
    from .magic import LineageMagics

    ipython.register_magics(LineageMagics)
