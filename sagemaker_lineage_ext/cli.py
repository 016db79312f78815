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
import uuid
from pathlib import Path
from typing import Any

from . import __version__
from .core.errors import InvalidInputError
from .core.graph import REJECTED_BY_SAGEMAKER
from .core.http import answer_call, answer_query, explain
from .core.jsonsafe import dumps, printable
from .core.request import PARAMETERS, spelling
from .core.routes import ROUTES
from .core.service import preview_lineage
from .kit import outputs
from .kit.account import Account
from .kit.arguments import add_parameters, query

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
        command_parser.add_argument(
            "--demo", action="store_true", default=None, help="read the embedded demo account"
        )
        outputs.add_options(command, command_parser)
        _output_options(command_parser)
    graph = sub.add_parser("graph", help="the graph of a definition file, with no AWS access")
    graph.add_argument("--definition", required=True, help=PARAMETERS["definition"].help)
    outputs.add_options("graph", graph)
    _output_options(graph)
    return parser


def _output_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", help="write the JSON here instead of stdout")
    parser.add_argument("--compact", action="store_true", help="no indentation")
    parser.add_argument("-v", "--verbose", action="store_true", help="log unexpected errors")


def _say(message: str) -> None:
    sys.stderr.write(f"\r\033[K{message}…")
    sys.stderr.flush()


def _line(message: str) -> None:
    sys.stderr.write(f"{PROG}: {printable(message)}\n")


def run(argv: list[str] | None = None) -> int:
    """The command line ``argv``, answered; returns the exit code."""
    args = build_parser().parse_args(argv)
    core_log = logging.getLogger("sagemaker_lineage_ext")
    level = core_log.level
    core_log.setLevel(logging.DEBUG if args.verbose else logging.CRITICAL)
    try:
        return _run(args)
    finally:
        core_log.setLevel(level)  # run() is also called in-process (tests, embedding)


def _run(args: argparse.Namespace) -> int:
    interactive = sys.stderr.isatty()
    say = _say if interactive else None
    request_id = uuid.uuid4().hex[:12]
    account = None
    if args.command == "graph":
        outcome = answer_call(
            lambda: preview_lineage(_read_definition(args.definition)), request_id
        )
    else:
        route = COMMANDS[args.command]
        account = Account(demo=args.demo, announce=say)
        outcome = answer_call(lambda: outputs.extra_query(route, args), request_id)
        if outcome.status == 200:
            params = {**query(args, route), **outcome.body}
            outcome = answer_query(account, route, params, request_id=request_id,
                                   deadline=account.deadline(), progress=say)  # fmt: skip
    if interactive:
        sys.stderr.write("\r\033[K")
    if account is not None and account.notice():
        _line(str(account.notice()))
    if outcome.status == 200:  # what the command writes (or sends) from the answer
        body = outcome.body
        outcome = answer_call(lambda: outputs.render(args.command, body, args, account), request_id)
    if outcome.status != 200:
        _line(explain(outcome, spelling("cli")))
        return outcome.error.exit_code if outcome.error else 1
    text, code, note = outcome.body["text"], outcome.body["code"], outcome.body["note"]
    try:
        if text != "":
            _write(body if text is None else text, args.out, args.compact)
    except OSError as exc:
        _line(f"cannot write {args.out}: {exc.strerror or exc}")
        return 1
    if note:
        _line(note)
    if args.command == "graph":  # what SageMaker would say of the definition
        for w in body["warnings"]:
            _line(f"warning {w['code']} ({w['target']}): {w['message']}")
        if {w["code"] for w in body["warnings"]} & REJECTED_BY_SAGEMAKER:
            return 2
    return int(code)


def _write(document: Any, out: str | None, compact: bool) -> None:
    text = (
        printable(document)
        if isinstance(document, str)
        else dumps(document, indent=None if compact else 2, ensure_ascii=False)
    )
    if out:
        Path(out).write_text(text + "\n", encoding="utf-8")
        if sys.stderr.isatty():
            sys.stderr.write(f"Wrote {out}\n")
    else:
        sys.stdout.write(text + "\n")


def _read_definition(path: str) -> str:
    if path != "-":
        return outputs.read_text_file(path, "definition")
    try:
        return sys.stdin.buffer.read().decode("utf-8-sig")  # a BOM is not part of the JSON
    except UnicodeDecodeError:
        raise InvalidInputError("definition", "is not UTF-8 text") from None


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
