"""``sagemaker-lineage``: the lineage JSON on the command line (the "local dump").

Exit codes: 0 success, 2 invalid input, 3 not found, 1 anything else. Errors are
one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import __version__
from .core import (
    LineageConfig,
    LineageError,
    LineageService,
    parse_executions_request,
    parse_lineage_request,
    parse_list_request,
    preview_lineage,
)
from .core.errors import InvalidInputError
from .service import make_service

log = logging.getLogger("sagemaker_lineage_ext.cli")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sagemaker-lineage",
        description="Lineage of Amazon SageMaker Pipelines as frontend-ready JSON.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    dump = sub.add_parser("dump", help="the lineage JSON of a pipeline (SPEC response)")
    dump.add_argument(
        "--pipeline-name", "--pipeline", dest="pipeline", required=True, help="pipeline name or ARN"
    )
    dump.add_argument("--region", help="AWS region (default: DEFAULT_REGION, else ap-northeast-2)")
    dump.add_argument(
        "--include-latest-exec",
        dest="include",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="enrich with the latest execution (default: yes)",
    )
    dump.add_argument("--execution-arn", help="enrich with this execution instead of the latest")
    dump.add_argument("--domain", help="only answer if the pipeline carries this Studio domain tag")
    _common(dump)

    graph = sub.add_parser("graph", help="the graph of a definition file, with no AWS access")
    graph.add_argument("--definition", required=True, help="a definition JSON file, or - for stdin")
    graph.add_argument("--out", help="write the JSON here instead of stdout")
    graph.add_argument("--compact", action="store_true", help="no indentation")
    graph.add_argument(
        "-v", "--verbose", action="store_true", help="log details of unexpected errors"
    )

    runs = sub.add_parser("executions", help="a pipeline's recent executions, newest first")
    runs.add_argument("--pipeline-name", "--pipeline", dest="pipeline", required=True)
    runs.add_argument("--region")
    runs.add_argument("--domain")
    runs.add_argument("--limit", type=int, default=20, help="how many (1-100, default 20)")
    _common(runs)

    listing = sub.add_parser("list", help="pipelines in a region, with their latest execution")
    listing.add_argument("--region")
    listing.add_argument("--domain")
    listing.add_argument("--prefix", help="only pipelines whose name starts with this")
    _common(listing)
    return parser


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="log details of unexpected errors"
    )
    parser.add_argument(
        "--demo", action="store_true", default=None, help="use the embedded demo account"
    )
    parser.add_argument("--out", help="write the JSON here instead of stdout")
    parser.add_argument("--compact", action="store_true", help="no indentation")


def _service(demo: bool | None, config: LineageConfig, interactive: bool) -> LineageService:
    from .service import demo_chosen

    if not demo and demo_chosen():
        # Chosen because no AWS credentials were found: never let fake data pass for real.
        sys.stderr.write(
            "sagemaker-lineage: no AWS credentials found: reading the embedded DEMO account "
            "(set SAGEMAKER_LINEAGE_DEMO=0 to refuse, or configure credentials)\n"
        )
    if interactive and demo_chosen(True if demo else None):
        _progress(True)("Starting the demo account")
    return make_service(config, True if demo else None)


def _progress(enabled: bool) -> Any:
    if not enabled:
        return None

    def say(message: str) -> None:
        sys.stderr.write(f"\r\033[K{message}…")
        sys.stderr.flush()

    return say


def _clear_progress() -> None:
    if sys.stderr.isatty():
        sys.stderr.write("\r\033[K")


def _write(document: Any, out: str | None, compact: bool) -> None:
    text = json.dumps(document, indent=None if compact else 2, ensure_ascii=False)
    if out:
        Path(out).write_text(text + "\n", encoding="utf-8")
        if sys.stderr.isatty():
            sys.stderr.write(f"Wrote {out}\n")
    else:
        sys.stdout.write(text + "\n")


def run(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.getLogger("sagemaker_lineage_ext").setLevel(
        logging.DEBUG if args.verbose else logging.CRITICAL
    )
    try:
        config = LineageConfig.from_env()
    except ValueError as exc:
        sys.stderr.write(f"sagemaker-lineage: invalid configuration: {exc}\n")
        return 2
    try:
        if args.command == "graph":
            source = sys.stdin.read() if args.definition == "-" else _read_file(args.definition)
            _write(preview_lineage(source), args.out, args.compact)
            return 0
        # Validate before anything starts: a typo must not wait for the demo account.
        query, answer = _query(args, config)
        interactive = sys.stderr.isatty()
        result = answer(_service(args.demo, config, interactive), query, _progress(interactive))
        _clear_progress()
        _write(result, args.out, args.compact)
        return 0
    except LineageError as exc:
        _clear_progress()
        sys.stderr.write(f"sagemaker-lineage: {exc.explanation}\n")
        return exc.exit_code
    except OSError as exc:
        sys.stderr.write(
            f"sagemaker-lineage: {exc.strerror or exc}: {getattr(exc, 'filename', '')}\n"
        )
        return 1
    except Exception:  # anything unexpected: log it, show one line with a reference
        _clear_progress()
        reference = uuid.uuid4().hex[:12]
        log.exception("unexpected error (reference %s)", reference)
        sys.stderr.write(
            f"sagemaker-lineage: internal error (reference {reference}); -v shows details\n"
        )
        return 1


Answer = Callable[[LineageService, Any, Any], dict]


def _query(args: argparse.Namespace, config: LineageConfig) -> tuple[Any, Answer]:
    """The validated query of an AWS-reading command, and how the service answers it."""
    if args.command == "executions":
        params = {"pipeline": args.pipeline, "region": args.region, "domain": args.domain,
                  "limit": str(args.limit)}  # fmt: skip
        return (
            parse_executions_request(params, config),
            lambda service, query, _: service.list_executions(query),
        )
    if args.command == "list":
        params = {"region": args.region, "domain": args.domain, "prefix": args.prefix}
        return (
            parse_list_request(params, config),
            lambda service, query, _: service.list_pipelines(query),
        )
    params = {
        "pipeline": args.pipeline,
        "region": args.region,
        "includeLatestExec": args.include,
        "executionArn": args.execution_arn,
        "domain": args.domain,
    }
    return (
        parse_lineage_request(params, config),
        lambda service, query, say: service.lineage(query, progress=say),
    )


def _read_file(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InvalidInputError("--definition", f"file not found: {path}") from None
    except IsADirectoryError:
        raise InvalidInputError("--definition", f"is a directory, not a file: {path}") from None
    except PermissionError:
        raise InvalidInputError(
            "--definition", f"cannot be read (permission denied): {path}"
        ) from None
    except UnicodeDecodeError:
        raise InvalidInputError("--definition", "is not a UTF-8 text file") from None


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    sys.exit(run())


if __name__ == "__main__":
    main()
