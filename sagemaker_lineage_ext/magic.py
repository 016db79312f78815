"""``%lineage``: a pipeline's lineage in a notebook.

``%load_ext sagemaker_lineage_ext`` registers it. The magic turns its line into the
query of a route (docs/api.md) and returns a
:class:`~sagemaker_lineage_ext.result.LineageResult` — displayed once by IPython as
the graph widget (or JSON), and usable as data when assigned. A user mistake is one
``UsageError`` line naming the magic's own options, never a traceback.
"""

from __future__ import annotations

import shlex
from typing import Any, ClassVar

from IPython.core.error import UsageError
from IPython.core.magic import Magics, line_magic, magics_class

from .core.errors import LineageError
from .core.http import explain
from .core.plan import Progress
from .core.request import spelling
from .core.routes import ROUTES
from .kit.account import Account
from .kit.arguments import Modes, OptionError, Parser, add_parameters, query, route_parameters
from .kit.outputs import extra_query
from .result import (
    ArtifactUsage,
    CheckReport,
    ComparisonResult,
    ExecutionList,
    LineageResult,
    OpenLineageEvents,
    PipelineList,
    StatusLine,
)

#: The magic's modes: the option that picks a route other than ``lineage``
#: (``--compare [BASE [HEAD]]`` and ``--artifact URI`` carry values); ``--json`` shows
#: the JSON of the routes drawn as a widget instead, ``--policy`` goes with ``--check``.
MODES = Modes("magic", "lineage", {"pipelines": "--list", "executions": "--executions",
              "check": "--check", "openlineage": "--openlineage", "compare": "--compare",
              "artifact": "--artifact"}, extras={"json": ("lineage", "compare"),
              "policy": ("check",)})  # fmt: skip
#: What the modes that neither draw nor compare return.
RESULTS = {"pipelines": PipelineList, "executions": ExecutionList, "artifact": ArtifactUsage,
           "check": CheckReport, "openlineage": OpenLineageEvents}  # fmt: skip
SPELL = spelling("magic")


def build_parser() -> Parser:
    parser = Parser(prog="%lineage", add_help=False)
    add_parameters(parser, route_parameters(ROUTES), "magic")
    parser.add_argument("--json", action="store_true", help="show the JSON, not the graph")
    for route in ("pipelines", "executions", "check", "openlineage"):
        parser.add_argument(MODES.flags[route], dest=MODES.dest(route), action="store_true")
    parser.add_argument("--policy", help="--check: a TOML policy file")
    parser.add_argument("--compare", dest=MODES.dest("compare"), nargs="*", metavar="ARN",
                        help="BASE [HEAD] executions")  # fmt: skip
    return parser


@magics_class
class LineageMagics(Magics):
    """The ``%lineage`` line magic."""

    #: The kernel's account: real AWS through the boto3 credential chain, or the demo
    #: account (SAGEMAKER_LINEAGE_DEMO, or no credentials). Decided at the first use.
    account: ClassVar[Account | None] = None
    _status: ClassVar[StatusLine | None] = None

    @line_magic
    def lineage(self, line: str) -> Any:
        """Show a SageMaker pipeline's lineage: steps, runs, metrics, models, S3 posture.

        ``%lineage NAME [--region R] [--no-exec] [--execution-arn ARN] [--domain D]
        [--cross-pipeline] [--json]``, ``%lineage --list [--region R] [--domain D] [--prefix P]``,
        ``%lineage NAME --executions [--limit N]``, ``%lineage NAME --compare [BASE [HEAD]]``,
        ``%lineage --artifact s3://bucket/prefix``, ``%lineage NAME --check [--policy FILE]
        [--allow-unknown]``, ``%lineage NAME --openlineage``. Example:
        ``result = %lineage mlops-pipeline``.
        """
        try:
            args = build_parser().parse_args(shlex.split(line))
            route = MODES.route(args)
            MODES.refuse_others(args, route)
        except (OptionError, ValueError) as exc:  # ValueError: shlex, unbalanced quotes
            raise UsageError(str(exc)) from None
        if route == "compare" and len(args.mode_compare) > 2:
            raise UsageError("--compare takes at most two execution ARNs: BASE [HEAD]")
        try:
            params = {**query(args, route), **extra_query(route, args)}  # the parsed --policy
        except LineageError as exc:
            raise UsageError(exc.in_terms(SPELL)) from None
        if route == "compare":
            params.update(zip(("base", "head"), args.mode_compare, strict=False))
        if route in RESULTS:
            return RESULTS[route](self._ask(route, params))
        status = LineageMagics._status = StatusLine()
        response = self._ask(route, params, status.say)
        status.done(response)
        if route == "compare":
            return ComparisonResult(response, as_json=args.json)
        return LineageResult(
            response,
            # Refresh reads the buckets' posture again too, not from the cache.
            refresh=lambda: self._ask(route, {**params, "fresh": True}),
            as_json=args.json,
            open_pipeline=lambda name: self._ask(route, _other_pipeline(params, name)),
        )

    def _ask(self, route: str, params: dict[str, object], say: Progress | None = None) -> Any:
        """The answer, or a UsageError whose one line says what went wrong (the widget's
        Refresh button shows that line)."""
        if LineageMagics.account is None:
            LineageMagics.account = Account(announce=_announce)
        outcome = LineageMagics.account.answer(route, params, progress=say)
        if outcome.status != 200:
            raise UsageError(explain(outcome, SPELL).replace("the log has", "the kernel log has"))
        return outcome.body


def _announce(message: str) -> None:
    if LineageMagics._status is not None:
        LineageMagics._status.say(message)


def _other_pipeline(params: dict[str, object], name: str) -> dict[str, object]:
    """The same query about pipeline ``name`` (its latest execution)."""
    return {**{k: v for k, v in params.items() if k != "executionArn"}, "pipeline": name}
