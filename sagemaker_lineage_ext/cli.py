"""``sagemaker-lineage``: the answers of docs/api.md as JSON on the command line.

Exit codes: 0 success, 2 invalid input or configuration, 3 not found, 1 anything
else. Errors are one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import uuid
from pathlib import Path
from typing import Any

from . import __version__
from .core.http import answer_call, answer_query, explain
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
    sys.stderr.write(f"{PROG}: {message}\n")


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
        outcome = answer_call(lambda: outputs.extra_query(args.command, args), request_id)
        if outcome.status == 200:
            params = {**query(args, route), **outcome.body}
            outcome = answer_query(account, route, params, request_id=request_id, progress=say)
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
    return int(code)


def _write(document: Any, out: str | None, compact: bool) -> None:
    text = (
        document
        if isinstance(document, str)
        else json.dumps(document, indent=None if compact else 2, ensure_ascii=False)
    )
    if out:
        Path(out).write_text(text + "\n", encoding="utf-8")
        if sys.stderr.isatty():
            sys.stderr.write(f"Wrote {out}\n")
    else:
        sys.stdout.write(text + "\n")


def _read_definition(path: str) -> str:
    return sys.stdin.read() if path == "-" else outputs.read_text_file(path, "definition")


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    sys.exit(run())


if __name__ == "__main__":
    main()
