"""The CLI's and the magic's options, built from the route and parameter tables.

Each door names the query parameters its own way (``core/request.py``,
``PARAMETERS``); the values go to the core as they were typed, and the core
validates them, so a mistake is reported once, in the door's own words.
"""

from __future__ import annotations

import argparse
import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..core.request import PARAMETERS, Door, spelling
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


def parse_command_line(parser: argparse.ArgumentParser, argv: list[str] | None) -> Any:
    """``parser.parse_args(argv)``, but an option a subcommand does not know is that
    subcommand's error: its usage, and the nearest option it has (argparse would give
    the top-level usage and "unrecognized arguments", as if the command were wrong)."""
    args, extras = parser.parse_known_args(argv)
    command = getattr(args, "command", None)
    if not extras:
        return args
    subparsers = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    sub = subparsers[0].choices.get(command) if subparsers and command else None
    if sub is None:
        parser.error(f"unrecognized arguments: {' '.join(extras)}")
    known = [o for action in sub._actions for o in action.option_strings if o.startswith("--")]
    wrong = next((e for e in extras if e.startswith("-")), extras[0]).split("=", 1)[0]
    near = difflib.get_close_matches(wrong, known, n=1, cutoff=0.6)
    hint = f" (did you mean {near[0]}?)" if near and wrong.startswith("-") else ""
    sub.error(f"unrecognized arguments: {' '.join(extras)}{hint}")


def add_demo_option(
    parser: argparse.ArgumentParser, help: str = "read the embedded demo account"
) -> None:
    """``--demo``: parsed as True when given, else None, which lets the door kit's
    ``Account`` decide from the environment (``Account(demo=args.demo)``)."""
    parser.add_argument("--demo", action="store_true", default=None, help=help)


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


@dataclass(frozen=True)
class Modes:
    """A door's modes: options that each pick a route other than ``default`` (the
    magic's ``--list`` picks ``pipelines``), and the door's own options beyond the query
    parameters, each with the routes it goes with (the magic's ``--json``).

    A mode's option sets :meth:`dest`: the parameter it carries when it spells one
    (``--artifact`` is ``uri``), else ``mode_<route>``. Mistakes are OptionErrors whose
    one line names the options as ``door`` spells them.
    """

    door: Door
    default: str
    #: Route -> the option that picks it.
    flags: Mapping[str, str]
    #: Option (its ``dest``, spelled ``--<dest>``) -> the routes it goes with.
    extras: Mapping[str, tuple[str, ...]]

    def dest(self, route: str) -> str:
        """Where the parsed options hold whether (or with what) ``route``'s option was given."""
        spell = spelling(self.door)
        carried = [n for n in ROUTES[route].parameters if spell(n) == self.flags[route]]
        return carried[0] if carried else f"mode_{route}"

    def route(self, args: argparse.Namespace) -> str:
        """The route the options pick: ``default``, or the one mode given; two modes is an
        OptionError naming both (never the last one silently)."""
        given = [r for r in self.flags if getattr(args, self.dest(r)) not in (None, False)]
        if len(given) > 1:
            first, second = self.flags[given[0]], self.flags[given[1]]
            raise OptionError(f"{first} and {second} cannot be combined")
        return given[0] if given else self.default

    def refuse_others(self, args: argparse.Namespace, route: str) -> None:
        """An OptionError when an option was given that ``route`` does not take: it names
        the first such option and what the mode takes instead, or (for ``default``) the
        modes the option goes with."""
        spell = spelling(self.door)
        own = [name for name, routes in self.extras.items() if route in routes]
        allowed = {*ROUTES[route].parameters, *own}
        wrong = [name for name, value in vars(args).items()
                 if _given(name, value) and name not in allowed]  # fmt: skip
        if not wrong:
            return
        option = f"--{wrong[0]}" if wrong[0] in self.extras else spell(wrong[0])
        if route != self.default:
            flag = self.flags[route]
            takes = [spell(n) for n in ROUTES[route].parameters
                     if " " not in spell(n) and spell(n) != flag]  # fmt: skip
            takes += [f"--{name}" for name in own]
            raise OptionError(f"{flag} takes only {', '.join(takes)}; not {option}")
        modes = [flag for r, flag in self.flags.items()
                 if wrong[0] in ROUTES[r].parameters or r in self.extras.get(wrong[0], ())]  # fmt: skip
        raise OptionError(f"{option} goes with {' or '.join(modes)}")


def _given(name: str, value: object) -> bool:
    """Whether an option was typed: a parameter set to anything (the magic's ``--no-exec``
    sets ``includeLatestExec`` to False), another option set to other than False;
    a mode's own option does not count (:meth:`Modes.route` reads it)."""
    if name.startswith("mode_"):
        return False
    return value is not None and (value is not False or name in PARAMETERS)
