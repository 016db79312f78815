"""The extension app: one :class:`~sagemaker_lineage_ext.kit.account.Account` for the
server process, and its settings as traits.

Every trait comes from the settings table (``core/config.py``, ``SETTINGS``): the
core's settings override their environment variables
(``c.LineageExtensionApp.default_region = "us-east-1"`` in a Jupyter config file,
``--LineageExtensionApp.demo=True`` on the command line), and are checked by the
same parser as the variables.
"""

from __future__ import annotations

import logging
import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from jupyter_server.extension.application import ExtensionApp
from traitlets import Bool, Float, Int, List, TraitError, TraitType, Unicode, validate

from ..core.config import SETTINGS, Setting, settings
from ..core.errors import ConfigurationError
from ..core.service import LineageService
from ..kit.account import Account

#: The settings the server takes as traits: the core's and its own.
TRAIT_SETTINGS = {s.trait: s for s in SETTINGS if s.trait and s.scope in ("core", "server")}


def _trait(setting: Setting) -> TraitType:
    """A trait for ``setting``: unset (None) unless configured."""
    help_ = setting.doc + (f" Overrides {setting.env}." if setting.env else "")
    kind = setting.kind
    if kind == "bool":
        return Bool(None, allow_none=True, config=True, help=help_)
    if kind == "int":
        return Int(None, allow_none=True, config=True, help=help_)
    if kind == "float":
        return Float(None, allow_none=True, config=True, help=help_)
    if kind in ("region", "choice"):
        return Unicode(None, allow_none=True, config=True, help=help_)
    return List(Unicode(), default_value=None, allow_none=True, config=True, help=help_)


class _ServerAccount(Account):
    """The server's account: says in the server log, once, which account it reads."""

    def __init__(self, app: LineageExtensionApp, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._app = app
        self._told = False

    def service(self) -> LineageService:
        service = super().service()
        if not self._told:
            self._told = True
            where = self.notice() or "reading AWS through the default credential chain"
            self._app.log.info(
                "sagemaker-lineage: %s; default region %s", where, self.config().default_region
            )
        return service


class LineageExtensionApp(ExtensionApp):
    """SageMaker Pipelines lineage for JupyterLab and SageMaker Studio:
    ``{base_url}/sagemaker-lineage/<route>`` for every route of ``core/routes.py``."""

    name = "sagemaker_lineage_ext"
    load_other_extensions = True
    locals().update({name: _trait(setting) for name, setting in TRAIT_SETTINGS.items()})

    @validate(*TRAIT_SETTINGS)
    def _valid_setting(self, proposal: dict[str, Any]) -> Any:
        value, name = proposal["value"], proposal["trait"].name
        if value is not None:
            try:
                TRAIT_SETTINGS[name].parse(value, name)
            except ConfigurationError as exc:
                raise TraitError(exc.problem) from None
        return value

    def setting(self, name: str) -> Any:
        """A trait's value, or its setting's default when it is not set."""
        value = getattr(self, name)
        return TRAIT_SETTINGS[name].default if value is None else value

    def initialize_settings(self) -> None:
        # The core logs request ids and AWS failures: into the server's own log,
        # where the README sends a user looking for a requestId.
        core_log = logging.getLogger("sagemaker_lineage_ext")
        for handler in self.log.handlers:
            if handler not in core_log.handlers:
                core_log.addHandler(handler)
        core_log.setLevel(logging.INFO)
        core_log.propagate = False
        overrides = {s.name: getattr(self, s.trait) for s in settings("core") if s.trait}
        demo = self.setting("demo")
        self.account = _ServerAccount(
            self,
            demo=demo,
            overrides=overrides,
            demo_latency_ms=self.setting("demo_latency_ms"),
        )
        if demo:
            # kernels this server starts follow it: %lineage there reads the demo too
            os.environ["SAGEMAKER_LINEAGE_DEMO"] = "1"
        if demo is not False:
            # ... on the same demo clock: their runs show the times the server's show
            from ..demo.clock import share_epoch

            share_epoch()
        threads = self.setting("request_threads")
        self.executor = ThreadPoolExecutor(threads, thread_name_prefix="lineage")

    def service(self) -> LineageService:
        """The process's lineage service, built on first use (starting the demo account
        takes seconds, and a server that never shows lineage should not pay it)."""
        return self.account.service()

    def initialize_handlers(self) -> None:
        from .handlers import ROUTE_PATTERN, LineageHandler

        self.handlers.append((ROUTE_PATTERN, LineageHandler))

    async def stop_extension(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)
