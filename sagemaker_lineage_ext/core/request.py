"""Input validation: every front door turns its input into a typed request here.

Nothing reaches AWS before it has passed these checks: invalid input is a 400 that
names the parameter (docs/api.md, "Parameters"). :data:`PARAMETERS` is the one
table of how each door spells each parameter, so an error names what the user typed
(``region`` over HTTP, ``--region`` on the CLI, ``--no-exec`` in the magic).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from .config import REGION_RE, LineageConfig, parse_bool
from .errors import InvalidInputError

PIPELINE_NAME_RE = re.compile(r"^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,255}$")
PIPELINE_ARN_RE = re.compile(
    r"^arn:aws[a-z-]*:sagemaker:(?P<region>[a-z0-9-]+):(?P<account>[0-9]{12}):pipeline/(?P<name>[^/]+)$"
)
EXECUTION_ARN_RE = re.compile(
    r"^arn:aws[a-z-]*:sagemaker:(?P<region>[a-z0-9-]+):(?P<account>[0-9]{12}):"
    r"pipeline/(?P<pipeline>[a-zA-Z0-9-]{1,256})/execution/(?P<id>[a-z0-9]{1,64})$"
)
DOMAIN_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:/-]{0,1023}$")
PREFIX_RE = re.compile(r"^[a-zA-Z0-9-]{0,256}$")

Door = Literal["http", "cli", "magic"]


@dataclass(frozen=True)
class Parameter:
    """A query parameter and how each door spells it."""

    name: str
    cli: str
    magic: str
    help: str


#: Every query parameter of every route (names as HTTP takes them), and ``definition``.
PARAMETERS: dict[str, Parameter] = {
    p.name: p
    for p in (
        Parameter("pipeline", "--pipeline-name", "pipeline", "SageMaker pipeline name or ARN"),
        Parameter("region", "--region", "--region",
                  "AWS region (default: DEFAULT_REGION, else AWS_REGION, else the SDK's region)"),
        Parameter("includeLatestExec", "--include-latest-exec", "--no-exec",
                  "enrich with an execution (default: yes)"),
        Parameter("executionArn", "--execution-arn", "--execution-arn",
                  "enrich with this execution instead of the latest"),
        Parameter("domain", "--domain", "--domain",
                  "only if the pipeline carries this Studio domain tag"),
        Parameter("prefix", "--prefix", "--prefix", "only pipelines whose name starts with this"),
        Parameter("limit", "--limit", "--limit", "how many executions (1-100, default 20)"),
        Parameter("allowUnknown", "--allow-unknown", "--allow-unknown",
                  "a posture value that could not be read does not fail the check"),
        Parameter("includeCrossPipeline", "--include-cross-pipeline", "--cross-pipeline",
                  "give each artifact the other pipelines of the region that write or read it"),
        Parameter("base", "--base", "--compare BASE",
                  "execution ARN to compare from (default: the one before head)"),
        Parameter("head", "--head", "--compare HEAD",
                  "execution ARN to compare to (default: the latest)"),
        Parameter("uri", "URI", "--artifact", "an s3:// URI or prefix"),
        Parameter("fresh", "--fresh", "--fresh",
                  "read every bucket's posture again, not from the cache (default: no)"),
        # /export: the CLI's dump --format and --artifacts; the magic's result draws itself
        # (a spelling with a space is no option of that door's parser).
        Parameter("format", "--format", ".to_mermaid() or .to_dot()",
                  "the drawing: mermaid (default) or dot (Graphviz)"),
        Parameter("artifacts", "--artifacts", ".to_mermaid(artifacts=True)",
                  "draw the S3 artifacts between the steps too (default: no)"),
        # Not a query parameter: the document of preview_lineage (the CLI's graph).
        Parameter("definition", "--definition", "definition",
                  "a pipeline definition JSON file, or - (stdin)"),
    )
}  # fmt: skip
#: Parameters with a value, as the doors that take them as flags spell them.
_VALUE_SPELLINGS = {
    "includeLatestExec=false": {"cli": "--no-include-latest-exec", "magic": "--no-exec"},
}
#: An S3 URI or prefix: a bucket name as S3 allows it, then any key (no placeholders).
S3_URI_RE = re.compile(
    r"^s3://(?P<bucket>[a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:/(?P<key>[^{}\x00-\x1f\x7f]*))?$"
)
MAX_URI_LENGTH = 1100  # "s3://" + a 63-character bucket + "/" + a 1,024-byte key


#: Query parameters every HTTP door ignores: ``_``, the cache-buster some HTTP clients
#: add (jQuery's ``cache: false``). A door's platform may add its own (Jupyter's ``token``).
#: JupyterLab's own cache-buster, a bare ``?1732900000000`` (the time in milliseconds,
#: no value: ``ServerConnection.makeRequest`` with ``cache: "no-store"``), is ignored too.
IGNORED_QUERY = frozenset({"_"})


def check_query(
    route: str,
    parameters: Collection[str],
    params: Mapping[str, object],
    foreign: Collection[str] = (),
) -> None:
    """An HTTP query's names, checked before any value: a name that is not one of the
    route's ``parameters`` (nor ``foreign``: what the door's platform adds, nor
    :data:`IGNORED_QUERY`) is a 400 naming it and the nearest parameter; a parameter
    given more than once is a 400 (which value was meant cannot be known)."""
    for name, value in params.items():
        if name in parameters:
            if isinstance(value, (list, tuple)) and len(value) > 1:
                raise InvalidInputError(name, f"is given {len(value)} times: give it once")
        elif name not in foreign and name not in IGNORED_QUERY and not _cache_buster(name, value):
            raise InvalidInputError(_printable(name), _unknown(name, route, parameters))


def _cache_buster(name: str, value: object) -> bool:
    """A bare number with no value: JupyterLab's ``?<milliseconds>`` cache-buster."""
    values = value if isinstance(value, (list, tuple)) else [value]
    return name.isascii() and name.isdigit() and all(v in (None, "", b"") for v in values)


def _unknown(name: str, route: str, parameters: Collection[str]) -> str:
    takes = ", ".join(parameters)
    lowered = {p.lower(): p for p in parameters}
    near = lowered.get(name.lower()) or next(
        iter(difflib.get_close_matches(name, list(parameters), n=1, cutoff=0.6)), None
    )
    hint = f"; did you mean {near}?" if near else ""
    return f"is not a parameter of /{route}{hint} (/{route} takes {takes})"


def _printable(name: str) -> str:
    """A name from the query, safe to quote: at most 64 characters, no control characters."""
    text = "".join(ch if ch.isprintable() else "?" for ch in str(name))
    return text if len(text) <= 64 else text[:63] + "…"


def spelling(door: Door) -> Callable[[str], str]:
    """How ``door`` names a parameter (``includeLatestExec=false`` is ``--no-exec`` in
    the magic); unknown names are returned as they are."""

    def spell(name: str) -> str:
        if door == "http":
            return name
        if name in _VALUE_SPELLINGS:
            return _VALUE_SPELLINGS[name][door]
        parameter = PARAMETERS.get(name)
        return getattr(parameter, door) if parameter else name

    return spell


class _PipelineQuery:
    """A query about one pipeline, named by name or by ARN."""

    pipeline: str
    region: str
    domain: str | None

    @property
    def pipeline_name(self) -> str:
        match = PIPELINE_ARN_RE.fullmatch(self.pipeline)
        return match.group("name") if match else self.pipeline

    @property
    def pipeline_arn(self) -> str | None:
        """The ARN when the request named the pipeline by ARN (its account must match)."""
        return self.pipeline if PIPELINE_ARN_RE.fullmatch(self.pipeline) else None


@dataclass(frozen=True)
class LineageRequest(_PipelineQuery):
    """A validated lineage query."""

    pipeline: str
    region: str
    include_latest_exec: bool = True
    execution_arn: str | None = None
    domain: str | None = None
    include_cross_pipeline: bool = False
    #: Read every bucket's posture again, bypassing the posture cache.
    fresh: bool = False


@dataclass(frozen=True)
class CompareRequest(_PipelineQuery):
    """A validated comparison of two executions of one pipeline (None: the default:
    ``head`` the latest execution, ``base`` the one before ``head``)."""

    pipeline: str
    region: str
    base: str | None = None
    head: str | None = None
    domain: str | None = None


@dataclass(frozen=True)
class ArtifactRequest:
    """A validated query for the pipelines that write or read an S3 URI or prefix."""

    uri: str
    region: str
    domain: str | None = None


@dataclass(frozen=True)
class ExecutionsRequest(_PipelineQuery):
    """A validated query for a pipeline's recent executions."""

    pipeline: str
    region: str
    domain: str | None = None
    limit: int = 20


@dataclass(frozen=True)
class OpenLineageRequest(_PipelineQuery):
    """A validated query for an execution as OpenLineage events (the latest by default)."""

    pipeline: str
    region: str
    execution_arn: str | None = None
    domain: str | None = None

    @property
    def lineage(self) -> LineageRequest:
        return LineageRequest(self.pipeline, self.region, True, self.execution_arn, self.domain)


@dataclass(frozen=True)
class CheckRequest(_PipelineQuery):
    """A validated posture-gate query. ``policy`` is a ``core.policy.Policy`` the CLI or
    the magic read from a file (never a query parameter); None: the default policy."""

    pipeline: str
    region: str
    execution_arn: str | None = None
    domain: str | None = None
    allow_unknown: bool = False
    policy: Any = None

    @property
    def lineage(self) -> LineageRequest:
        return LineageRequest(self.pipeline, self.region, True, self.execution_arn, self.domain)


@dataclass(frozen=True)
class ExportRequest(_PipelineQuery):
    """A validated query for an execution's lineage drawn as text (the latest by default):
    ``format`` ``mermaid`` or ``dot``; ``artifacts``: the S3 artifacts drawn too."""

    pipeline: str
    region: str
    execution_arn: str | None = None
    domain: str | None = None
    format: str = "mermaid"
    artifacts: bool = False

    @property
    def lineage(self) -> LineageRequest:
        return LineageRequest(self.pipeline, self.region, True, self.execution_arn, self.domain)


#: The drawings of GET /export (core/export.py).
EXPORT_FORMATS = ("mermaid", "dot")


@dataclass(frozen=True)
class ListRequest:
    """A validated pipeline-listing query."""

    region: str
    domain: str | None = None
    prefix: str | None = None


def _raw(params: Mapping[str, object], name: str) -> object:
    """A parameter's value as given: the first of several, bytes decoded as UTF-8
    (anything else is a 400 naming the parameter)."""
    value = params.get(name)
    if isinstance(value, (list, tuple)):
        value = value[0] if value else None
    if isinstance(value, (bytes, bytearray)):
        try:
            value = bytes(value).decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidInputError(name, "is not valid UTF-8 text") from None
    return value


def _text(params: Mapping[str, object], name: str, *, may_be_empty: bool = False) -> str | None:
    """A text parameter, stripped; None when not given. Given but empty is a 400 unless
    ``may_be_empty``: an empty value must never silently mean "the default"."""
    value = _raw(params, name)
    if value is None:
        return None
    text = str(value).strip()
    if not text and not may_be_empty:
        raise InvalidInputError(name, "must not be empty when given")
    return text or None


def validate_region(region: str | None, config: LineageConfig) -> str:
    """Return the region to use, or raise ``InvalidInputError`` naming ``region``."""
    chosen = region or config.default_region
    if not REGION_RE.fullmatch(chosen):
        raise InvalidInputError("region", "is not a valid AWS region name")
    if config.allowed_regions and chosen not in config.allowed_regions:
        raise InvalidInputError("region", "is not one of the allowed regions")
    return chosen


def _domain(params: Mapping[str, object]) -> str | None:
    """The domain filter. Given but empty is a 400: a filter must never be dropped silently."""
    return validate_domain(_text(params, "domain"))


def validate_domain(domain: str | None) -> str | None:
    if domain is not None and not DOMAIN_RE.fullmatch(domain):
        raise InvalidInputError("domain", "is not a valid domain name, id or ARN")
    return domain


def _pipeline_and_region(
    params: Mapping[str, object], config: LineageConfig
) -> tuple[str, str, str, re.Match[str] | None]:
    """The pipeline (as given), its name, the region, and the ARN match if it was an ARN."""
    pipeline = _text(params, "pipeline", may_be_empty=True)
    if pipeline is None:
        raise InvalidInputError("pipeline", "is required")
    region = _text(params, "region")
    arn = PIPELINE_ARN_RE.fullmatch(pipeline)
    if arn:
        name = arn.group("name")
        if region and region != arn.group("region"):
            raise InvalidInputError("region", "does not match the region of the pipeline ARN")
        region = region or arn.group("region")
    else:
        name = pipeline
    if len(name) > 256 or not PIPELINE_NAME_RE.fullmatch(name):
        raise InvalidInputError(
            "pipeline", "must be a SageMaker pipeline name (letters, digits, hyphens) or ARN"
        )
    return pipeline, name, validate_region(region, config), arn


def _boolean(params: Mapping[str, object], name: str, default: bool) -> bool:
    """A boolean parameter: ``true``, ``false``, ``1``, ``0`` in any case (or a bool)."""
    raw = _raw(params, name)
    if raw is None:
        return default
    try:
        return parse_bool(raw, name)
    except ValueError:
        raise InvalidInputError(name, "must be true, false, 1 or 0") from None


def _execution_arn(
    params: Mapping[str, object], parameter: str, name: str, region: str,
    arn: re.Match[str] | None,
) -> str | None:  # fmt: skip
    """An execution ARN parameter: of this pipeline, in its region (and account, when the
    pipeline was named by ARN)."""
    execution_arn = _text(params, parameter)
    if execution_arn is None:
        return None
    match = EXECUTION_ARN_RE.fullmatch(execution_arn)
    if not match:
        raise InvalidInputError(parameter, "is not a SageMaker pipeline execution ARN")
    if match.group("pipeline").lower() != name.lower():
        raise InvalidInputError(parameter, "does not belong to this pipeline")
    if match.group("region") != region:
        raise InvalidInputError(parameter, "is in another region than the pipeline")
    if arn and match.group("account") != arn.group("account"):
        raise InvalidInputError(parameter, "is in another account than the pipeline")
    return execution_arn


def parse_lineage_request(params: Mapping[str, object], config: LineageConfig) -> LineageRequest:
    """Validate the query parameters of GET /lineage (strings, or typed values from the CLI and magic)."""
    pipeline, name, region, arn = _pipeline_and_region(params, config)
    include = _boolean(params, "includeLatestExec", True)
    if _text(params, "executionArn") is not None and not include:
        raise InvalidInputError(
            "executionArn",
            "cannot be combined with {includeLatestExec=false} (it asks for no execution)",
        )
    execution_arn = _execution_arn(params, "executionArn", name, region, arn)
    cross = _boolean(params, "includeCrossPipeline", False)
    domain = _domain(params)
    return LineageRequest(
        pipeline=pipeline,
        region=region,
        include_latest_exec=include,
        execution_arn=execution_arn,
        domain=domain,
        include_cross_pipeline=cross,
        fresh=_boolean(params, "fresh", False),
    )


def _execution_query(params: Mapping[str, object], config: LineageConfig) -> LineageRequest:
    """``pipeline``, ``region``, ``executionArn``, ``domain`` by the rules of /lineage."""
    taken = ("pipeline", "region", "executionArn", "domain")
    return parse_lineage_request({k: v for k, v in params.items() if k in taken}, config)


def parse_openlineage_request(
    params: Mapping[str, object], config: LineageConfig
) -> OpenLineageRequest:
    """Validate GET /openlineage: ``pipeline``, ``region``, ``executionArn``, ``domain``."""
    q = _execution_query(params, config)
    return OpenLineageRequest(q.pipeline, q.region, q.execution_arn, q.domain)


def parse_check_request(params: Mapping[str, object], config: LineageConfig) -> CheckRequest:
    """Validate GET /check: those of /openlineage and ``allowUnknown`` (boolean). A
    ``policy`` entry that is a parsed policy (from the CLI or the magic) is kept; HTTP
    cannot name one (its text values are ignored, as any parameter a route lacks)."""
    from .policy import Policy

    q = _execution_query(params, config)
    policy = params.get("policy")
    return CheckRequest(
        q.pipeline, q.region, q.execution_arn, q.domain, _boolean(params, "allowUnknown", False),
        policy if isinstance(policy, Policy) else None,
    )  # fmt: skip


def parse_export_request(params: Mapping[str, object], config: LineageConfig) -> ExportRequest:
    """Validate GET /export: those of /openlineage, ``format`` (``mermaid``, the default,
    or ``dot``) and ``artifacts`` (boolean, default false)."""
    q = _execution_query(params, config)
    drawing = _text(params, "format") or "mermaid"
    if drawing not in EXPORT_FORMATS:
        raise InvalidInputError("format", "must be mermaid or dot")
    return ExportRequest(
        q.pipeline, q.region, q.execution_arn, q.domain, drawing,
        _boolean(params, "artifacts", False),
    )  # fmt: skip


def parse_compare_request(params: Mapping[str, object], config: LineageConfig) -> CompareRequest:
    """Validate GET /compare: ``pipeline``, ``region``, ``domain``, and the ``base`` and
    ``head`` execution ARNs (each optional, of this pipeline, not the same one)."""
    pipeline, name, region, arn = _pipeline_and_region(params, config)
    base = _execution_arn(params, "base", name, region, arn)
    head = _execution_arn(params, "head", name, region, arn)
    if base is not None and base == head:
        raise InvalidInputError("head", "is the same execution as {base}: name two executions")
    return CompareRequest(pipeline, region, base, head, _domain(params))


def parse_artifact_request(params: Mapping[str, object], config: LineageConfig) -> ArtifactRequest:
    """Validate GET /artifact: ``uri`` (an ``s3://bucket[/key]`` URI or prefix),
    ``region``, ``domain``."""
    uri = _text(params, "uri", may_be_empty=True)
    if uri is None:
        raise InvalidInputError("uri", "is required")
    if len(uri) > MAX_URI_LENGTH or not S3_URI_RE.fullmatch(uri) or ".." in uri[5:].split("/")[0]:
        raise InvalidInputError(
            "uri", "must be an S3 URI or prefix: s3://bucket or s3://bucket/key"
        )
    region = validate_region(_text(params, "region"), config)
    return ArtifactRequest(uri=uri, region=region, domain=_domain(params))


def parse_list_request(params: Mapping[str, object], config: LineageConfig) -> ListRequest:
    """Validate the listing query: ``region``, ``domain``, ``prefix``."""
    region = validate_region(_text(params, "region"), config)
    prefix = _text(params, "prefix", may_be_empty=True)
    if prefix is not None and not PREFIX_RE.fullmatch(prefix):
        raise InvalidInputError("prefix", "must contain only letters, digits and hyphens")
    return ListRequest(region=region, domain=_domain(params), prefix=prefix)


def parse_executions_request(
    params: Mapping[str, object], config: LineageConfig
) -> ExecutionsRequest:
    """Validate ``pipeline``, ``region``, ``domain`` and ``limit`` (1-100, default 20)."""
    pipeline, _, region, _ = _pipeline_and_region(params, config)
    limit = 20
    raw = _text(params, "limit")
    if raw is not None:
        # length first: int() of a 4,301-digit text raises before any range check
        if len(raw) > 3 or not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= 100:
            raise InvalidInputError("limit", "must be a whole number from 1 to 100")
        limit = int(raw)
    return ExecutionsRequest(pipeline, region, _domain(params), limit)
