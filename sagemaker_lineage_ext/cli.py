"""``sagemaker-lineage``: the answers of docs/api.md as JSON on the command line.

Exit codes: 0 success, 2 invalid input or configuration (``graph``: also a definition
SageMaker would reject, whose graph is still written), 3 not found, 1 anything else.
Errors and ``graph``'s warnings are one line each on stderr, never a traceback; text
from AWS never reaches the terminal with its control characters. Each command ends
within ``REQUEST_TIMEOUT_S`` (120 s), whatever AWS does.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from . import __version__
from .core.http import answer_call, explain, new_request_id
from .core.jsonsafe import printable
from .core.request import PARAMETERS, spelling
from .core.routes import ROUTES
from .kit import outputs
from .kit.account import Account, region_hint
from .kit.arguments import add_demo_option, add_parameters, parse_command_line, query

PROG = "sagemaker-lineage"
#: Subcommand -> the route it answers (``graph`` reads a file, no AWS).
COMMANDS = {"dump": "lineage", "list": "pipelines", "executions": "executions",
            "compare": "compare", "artifact": "artifact",
            "openlineage": "openlineage", "check": "check"}  # fmt: skip


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=PROG, description="Lineage of Amazon SageMaker "
                                     "Pipelines as frontend-ready JSON (docs/api.md).")  # fmt: skip
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command, route in COMMANDS.items():
        command_parser = sub.add_parser(command, help=ROUTES[route].summary)
        add_parameters(command_parser, ROUTES[route].parameters, "cli")
        add_demo_option(command_parser)
        outputs.add_options(command, command_parser)
    graph = sub.add_parser("graph", help="the graph of a definition file, with no AWS access")
    graph.add_argument("--definition", required=True, help=PARAMETERS["definition"].help)
    outputs.add_options("graph", graph)
    return parser


def _say(message: str) -> None:
    sys.stderr.write(f"\r\033[K{message}…")
    sys.stderr.flush()


def _line(message: str) -> None:
    sys.stderr.write(f"{PROG}: {printable(message)}\n")


def run(argv: list[str] | None = None) -> int:
    """The command line ``argv``, answered; returns the exit code."""
    args = parse_command_line(build_parser(), argv)
    # Without -v nothing is logged, the libraries' retries (urllib3's) included: the
    # outcome is one line. run() is also called in-process (tests, embedding): restored.
    root, core = logging.getLogger(), logging.getLogger("sagemaker_lineage_ext")
    levels = root.level, core.level
    root.setLevel(root.level if args.verbose else logging.CRITICAL)
    core.setLevel(logging.DEBUG if args.verbose else logging.CRITICAL)
    try:
        return _run(args)
    finally:
        root.setLevel(levels[0])
        core.setLevel(levels[1])


def _run(args: argparse.Namespace) -> int:
    interactive = sys.stderr.isatty()
    say = _say if interactive else None
    request_id = new_request_id()
    account = None
    if args.command == "graph":
        outcome = answer_call(lambda: outputs.graph_answer(args), request_id)
    else:
        route = COMMANDS[args.command]
        account = Account(demo=args.demo, announce=say)
        outcome = answer_call(lambda: outputs.extra_query(route, args), request_id)
        if outcome.status == 200:
            params = {**query(args, route), **outcome.body}
            outcome = account.answer(route, params, request_id=request_id, progress=say)
    if interactive:
        sys.stderr.write("\r\033[K")
    notice = account.notice() if account is not None else None
    hint = region_hint(outcome.body) if outcome.status == 200 else None  # an empty listing
    for line in (notice, None if notice and "its pipelines are in" in notice else hint):
        if line:
            _line(line)
    if outcome.status == 200:  # what the command writes (or sends) from the answer
        body = outcome.body
        outcome = answer_call(lambda: outputs.render(args.command, body, args, account), request_id)
    if outcome.status != 200:
        _line(explain(outcome, spelling("cli")))
        return outcome.error.exit_code if outcome.error else 1
    if outcome.body["text"] is not None:
        try:
            _write(outcome.body["text"], args.out)
        except OSError as exc:  # permissions, a full disk: --out as typed was fine
            _line(f"--out cannot be written: {args.out}: {exc.strerror or exc}")
            return 1
    for note in outcome.body["notes"]:
        _line(note)
    return int(outcome.body["code"])


def _write(text: str, out: str | None) -> None:
    if not out:
        sys.stdout.write(text + "\n")
        return
    Path(out).write_text(text + "\n", encoding="utf-8")
    if sys.stderr.isatty():
        sys.stderr.write(f"Wrote {out}\n")


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    code = run()
    sys.stdout.flush()
    sys.stderr.flush()
    # A read the deadline gave up on may still hang in a worker thread (an unreachable
    # endpoint); the answer is out, so do not wait for it at exit.
    os._exit(code)


if __name__ == "__main__":
    main()
