"""``%lineage``: a pipeline's lineage in a notebook.

``%load_ext sagemaker_lineage_ext`` registers it. The magic parses its line into
SPEC's query parameters, lets the core validate and read them, and returns a
:class:`~sagemaker_lineage_ext.result.LineageResult` — displayed once by IPython
as the graph widget (or JSON), and usable as data when assigned. A user mistake
is one ``UsageError`` line, never a traceback.
"""

from __future__ import annotations

import html
import logging
import time
import uuid
from collections.abc import Callable
from typing import Any

from IPython.core.error import UsageError
from IPython.core.magic import Magics, line_magic, magics_class
from IPython.core.magic_arguments import argument, magic_arguments, parse_argstring

from .core import LineageConfig, LineageService
from .core.errors import InvalidInputError, LineageError
from .core.request import (
    LineageRequest,
    parse_executions_request,
    parse_lineage_request,
    parse_list_request,
)
from .result import ExecutionList, LineageResult, PipelineList

log = logging.getLogger("sagemaker_lineage_ext")


@magics_class
class LineageMagics(Magics):
    """The ``%lineage`` line magic."""

    _service: LineageService | None = None

    def service(self) -> LineageService:
        """The kernel's lineage service: real AWS through the boto3 credential chain, or
        the demo account when ``SAGEMAKER_LINEAGE_DEMO`` is set or no credentials exist."""
        if LineageMagics._service is None:
            from .service import make_service

            LineageMagics._service = make_service(LineageConfig.from_env())
        return LineageMagics._service

    @magic_arguments()
    @argument("pipeline", nargs="?", help="SageMaker pipeline name or ARN")
    @argument("--region", help="region of the pipeline (default: DEFAULT_REGION)")
    @argument(
        "--no-exec",
        action="store_true",
        help="the definition only: no execution, statuses or metrics",
    )
    @argument("--execution-arn", help="show this execution instead of the latest")
    @argument("--domain", help="only if the pipeline carries this Studio domain tag")
    @argument("--json", action="store_true", help="show the JSON response, not the graph")
    @argument("--list", action="store_true", help="list the region's pipelines instead")
    @argument("--prefix", help="with --list: only pipelines whose name starts with this")
    @argument(
        "--executions",
        action="store_true",
        help="list the pipeline's recent executions instead (for --execution-arn)",
    )
    @line_magic
    def lineage(self, line: str) -> LineageResult | PipelineList | ExecutionList:
        """Show a SageMaker pipeline's lineage: steps, runs, metrics, models, S3 posture.

        Examples::

            %lineage mlops-pipeline
            result = %lineage mlops-pipeline --region us-east-1 --json
            result.to_frame("nodes")
            %lineage --list --prefix mlops-
            %lineage mlops-pipeline --executions
        """
        args = parse_argstring(self.lineage, line)
        for option in ("pipeline", "region", "execution_arn", "domain", "prefix"):
            # IPython keeps quotes in magic arguments: 'mlops-pipeline' means mlops-pipeline
            setattr(args, option, _unquote(getattr(args, option)))
        if args.list:
            return self._list(args)
        if args.executions:
            return self._executions(args)
        if args.prefix:
            raise UsageError("--prefix goes with --list")
        params: dict[str, Any] = {
            "pipeline": args.pipeline,
            "region": args.region,
            "includeLatestExec": "false" if args.no_exec else None,
            "executionArn": args.execution_arn,
            "domain": args.domain,
        }
        request = self._validated(parse_lineage_request, params)
        status = _Status()
        service = self._service_with_status(status)
        started = time.perf_counter()
        response = read_lineage(service, request, status.say)
        status.done(response, time.perf_counter() - started, service.demo)
        return LineageResult(
            response, refresh=lambda: read_lineage(service, request), as_json=args.json
        )

    def _validated(self, parse: Callable[..., Any], params: dict[str, Any]) -> Any:
        """SPEC's validation of the options, before anything is read: one line if wrong."""
        try:
            config = self._service.config if self._service else LineageConfig.from_env()
            # None is "not given"; anything given, even empty, is the core's to judge
            return parse({k: v for k, v in params.items() if v is not None}, config)
        except ValueError as exc:  # configuration from the environment
            raise UsageError(f"invalid configuration: {exc}") from None
        except LineageError as exc:
            raise UsageError(_in_magic_terms(exc)) from None

    def _list(self, args: Any) -> PipelineList:
        if args.pipeline or args.execution_arn or args.no_exec or args.json:
            raise UsageError("--list takes only --region, --domain and --prefix")
        params = {"region": args.region, "domain": args.domain, "prefix": args.prefix}
        request = self._validated(parse_list_request, params)
        service = self._service_with_status(_Status())
        return PipelineList(answer(lambda: service.list_pipelines(request)))

    def _executions(self, args: Any) -> ExecutionList:
        if args.execution_arn or args.no_exec or args.prefix or args.json:
            raise UsageError("--executions takes only a pipeline, --region and --domain")
        params = {"pipeline": args.pipeline, "region": args.region, "domain": args.domain}
        request = self._validated(parse_executions_request, params)
        service = self._service_with_status(_Status())
        return ExecutionList(answer(lambda: service.list_executions(request)))

    def _service_with_status(self, status: _Status) -> LineageService:
        try:
            if LineageMagics._service is None:
                from .service import demo_chosen

                if demo_chosen():
                    status.say("Starting the embedded demo account (no AWS account is used)")
            return self.service()
        except ValueError as exc:  # e.g. SAGEMAKER_LINEAGE_DEMO=yes
            raise UsageError(f"invalid configuration: {exc}") from None
        except LineageError as exc:  # e.g. no credentials and no demo installed
            raise UsageError(exc.explanation) from None


#: SPEC's parameter names as the magic's options, for messages about them.
_OPTIONS = {
    "executionArn": "--execution-arn",
    "includeLatestExec": "--no-exec",
    "region": "--region",
    "domain": "--domain",
    "prefix": "--prefix",
}


def _in_magic_terms(exc: LineageError) -> str:
    """An invalid-input message that names the magic's option, not the REST parameter."""
    message = exc.explanation
    if isinstance(exc, InvalidInputError) and exc.parameter in _OPTIONS:
        message = _OPTIONS[exc.parameter] + message[len(exc.parameter) :]
    return message.replace("includeLatestExec=false", "--no-exec")


def read_lineage(
    service: LineageService, request: LineageRequest, say: Callable[[str], None] | None = None
) -> dict:
    """The response, or a UsageError whose one line says what went wrong (used by the
    magic and by the widget's Refresh button, which shows the line)."""
    return answer(lambda: service.lineage(request, progress=say))


def answer(read: Callable[[], dict]) -> dict:
    """``read()``, with every failure turned into one UsageError line."""
    try:
        return read()
    except LineageError as exc:
        raise UsageError(exc.explanation) from None
    except Exception:
        reference = uuid.uuid4().hex[:12]
        log.exception("%%lineage failed (reference %s)", reference)
        raise UsageError(
            f"internal error (reference {reference}); the kernel log has the details"
        ) from None


class _Status:
    """One line under the cell that says what is being read, then what was read."""

    def __init__(self) -> None:
        self._handle: Any = None

    def _show(self, text: str) -> None:
        from IPython.display import display

        body = {
            "text/plain": text,
            "text/html": f'<span class="sagemaker-lineage-status">{html.escape(text)}</span>',
        }
        if self._handle is None:
            self._handle = display(body, raw=True, display_id=True)
        else:
            self._handle.update(body, raw=True)

    def say(self, message: str) -> None:
        self._show(f"{message}…")

    def done(self, response: dict, seconds: float, demo: bool) -> None:
        s = response["summary"]
        where = "demo account" if demo else response["pipeline"]["arn"].split(":")[3]
        self._show(
            f"{response['pipeline']['name']} ({where}): {s['overallStatus']}, "
            f"{len(response['graph']['nodes'])} steps, read in {seconds:.1f} s"
        )


def _unquote(value: str | None) -> str | None:
    if value and len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value
