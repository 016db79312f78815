"""The extension app: builds the lineage service once and serves it to the handlers."""

from __future__ import annotations

import dataclasses
import logging
import os
import threading
from concurrent.futures import ThreadPoolExecutor

from jupyter_server.extension.application import ExtensionApp
from traitlets import Bool, Float, Int, TraitError, Unicode, validate

from ..core import LineageConfig, LineageService
from ..core.config import REGION_RE


class LineageExtensionApp(ExtensionApp):
    """SageMaker Pipelines lineage for JupyterLab and SageMaker Studio.

    Settings come from SPEC's environment variables; the traits below override
    them (``c.LineageExtensionApp.default_region = "us-east-1"`` in a Jupyter
    config file, or ``--LineageExtensionApp.demo=True`` on the command line).
    """

    name = "sagemaker_lineage_ext"
    load_other_extensions = True

    default_region = Unicode(
        None, allow_none=True, config=True, help="Region used when a request names none."
    )
    enable_s3_meta = Bool(
        None, allow_none=True, config=True, help="Read the S3 posture of each bucket."
    )
    demo = Bool(
        None,
        allow_none=True,
        config=True,
        help="Serve the embedded demo account (True), real AWS (False), or decide from "
        "SAGEMAKER_LINEAGE_DEMO and whether AWS credentials exist (unset).",
    )
    demo_latency_ms = Float(
        0.0, config=True, help="Added latency per AWS call on the demo account, to try slow reads."
    )
    request_threads = Int(
        8, min=1, config=True, help="Lineage requests read at the same time; more wait their turn."
    )
    request_timeout_s = Float(
        120.0,
        min=1.0,
        config=True,
        help="Seconds a lineage read may take; then it answers with what it has and a "
        "Timeout warning (the request's own wait in the queue counts too).",
    )

    @validate("default_region")
    def _valid_region(self, proposal: dict) -> str | None:
        region = proposal["value"]
        if region is not None and not REGION_RE.fullmatch(region):
            raise TraitError(f"default_region {region!r} is not an AWS region name")
        return region

    def initialize_settings(self) -> None:
        # The core logs request ids and AWS failures: into the server's own log,
        # where the README sends a user looking for a requestId.
        core_log = logging.getLogger("sagemaker_lineage_ext")
        for handler in self.log.handlers:
            if handler not in core_log.handlers:
                core_log.addHandler(handler)
        core_log.setLevel(logging.INFO)
        core_log.propagate = False
        self._config_error: str | None = None
        try:
            config = LineageConfig.from_env()
        except ValueError as exc:  # a bad SPEC variable: every request says so in the log
            self.log.error("sagemaker-lineage: invalid configuration: %s", exc)
            self._config_error = str(exc)
            config = LineageConfig()
        overrides: dict = {}
        if self.default_region:
            overrides["default_region"] = self.default_region
        if self.enable_s3_meta is not None:
            overrides["enable_s3_meta"] = self.enable_s3_meta
        self.lineage_config = dataclasses.replace(config, **overrides)
        if self.demo:
            # kernels this server starts follow it: %lineage there reads the demo too
            os.environ["SAGEMAKER_LINEAGE_DEMO"] = "1"
        self.executor = ThreadPoolExecutor(self.request_threads, thread_name_prefix="lineage")
        self._service: LineageService | None = None
        self._service_lock = threading.Lock()

    def service(self) -> LineageService:
        """The process's lineage service, built on first use (starting the demo
        account takes seconds, and a server that never shows lineage should not pay it).
        Raises when the configuration is invalid; the handler turns that into a 500."""
        if self._config_error:
            raise ValueError(f"invalid configuration: {self._config_error}")
        with self._service_lock:
            if self._service is None:
                from ..service import demo_active, make_service

                self._service = make_service(self.lineage_config, self.demo, self.demo_latency_ms)
                account = "the embedded demo account" if demo_active() else "AWS"
                self.log.info(
                    "sagemaker-lineage: reading %s, default region %s",
                    account,
                    self.lineage_config.default_region,
                )
            return self._service

    def initialize_handlers(self) -> None:
        from .handlers import ROUTE_PATTERN, LineageHandler

        self.handlers.append((ROUTE_PATTERN, LineageHandler))

    async def stop_extension(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)
