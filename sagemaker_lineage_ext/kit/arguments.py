"""The CLI's and the magic's options, built from the route and parameter tables.

Each door names the query parameters its own way (``core/request.py``,
``PARAMETERS``); the values go to the core as they were typed, and the core
validates them, so a mistake is reported once, in the door's own words.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from typing import Any

from ..core.request import PARAMETERS, Door
from ..core.routes import ROUTES


class OptionError(Exception):
    """A command line that cannot be parsed; the message is one line for the user."""


class Parser(argparse.ArgumentParser):
    """An ArgumentParser that raises :class:`OptionError` instead of exiting."""

    def error(self, message: str) -> Any:  # argparse's hook; never returns
        raise OptionError(message)


#: Boolean parameters, as the magic's flag sets them (the CLI has --X / --no-X).
_MAGIC_FLAGS = {
    "includeLatestExec": (False, "the definition only: no execution, statuses or metrics"),
    "includeCrossPipeline": (True, None),
    "fresh": (True, None),
}


def add_parameters(parser: argparse.ArgumentParser, names: Iterable[str], door: Door) -> None:
    """An option per query parameter, spelled for ``door`` (``dest`` is the parameter).

    A spelling without a leading ``-`` is a positional argument (the magic's pipeline,
    the CLI's ``artifact URI``); one with a space is a value of another option, which
    the door parses itself (the magic's ``--compare BASE HEAD``)."""
    for name in names:
        parameter = PARAMETERS[name]
        spelled = getattr(parameter, door)
        if " " in spelled:
            continue
        if name in _MAGIC_FLAGS:
            if door == "cli":
                parser.add_argument(
                    spelled, dest=name, action=argparse.BooleanOptionalAction, default=None,
                    help=parameter.help,
                )  # fmt: skip
            else:
                const, text = _MAGIC_FLAGS[name]
                parser.add_argument(
                    spelled, dest=name, action="store_const", const=const, default=None,
                    help=text or parameter.help,
                )  # fmt: skip
        elif name == "allowUnknown":  # a flag on both doors: given means true
            parser.add_argument(
                spelled, dest=name, action="store_const", const=True, default=None,
                help=parameter.help,
            )  # fmt: skip
        elif not spelled.startswith("-"):
            parser.add_argument(name, nargs="?", metavar=spelled, help=parameter.help)
        else:
            flags = [spelled] + (["--pipeline"] if name == "pipeline" else [])
            parser.add_argument(*flags, dest=name, help=parameter.help)


def route_parameters(routes: Iterable[str]) -> list[str]:
    """The parameters of ``routes``, each once, in table order."""
    names: list[str] = []
    for route in routes:
        names += [n for n in ROUTES[route].parameters if n not in names]
    return names


def query(args: argparse.Namespace, route: str) -> dict[str, object]:
    """The query of ``route`` from parsed options: the parameters that were given."""
    return {
        name: getattr(args, name)
        for name in ROUTES[route].parameters
        if getattr(args, name, None) is not None
    }
