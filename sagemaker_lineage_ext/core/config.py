"""Configuration: one table of settings, and the :class:`LineageConfig` the core reads.

Every setting is stated once in :data:`SETTINGS` — its name, type, default, bounds,
environment variable, Jupyter server trait, CDK context name and a doc line — and
parsed in one place (:meth:`Setting.parse`), whatever it came from. The environment
reader below, the server extension's traits (``server/app.py``), the REST API stack's
context (``serverless/stacks``) and the settings tables in ``docs/api.md`` and the
README are derived from this table (``scripts/sync_settings_docs.py`` writes the
tables; a test checks they are current).

Pure: no boto3, no I/O. The AWS SDK's own configured region (a profile's ``region``)
is read by ``aws.sdk_region()`` and handed in by the caller.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any, Literal

from .errors import ConfigurationError

FALLBACK_REGION = "ap-northeast-2"
REGION_RE = re.compile(r"^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]+$")
TRUE_WORDS = frozenset({"true", "1"})
FALSE_WORDS = frozenset({"false", "0"})
ORIGIN_RE = re.compile(r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?$")
BUCKET_RE = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
#: An Amazon DataZone domain id (botocore's DomainId pattern).
DATAZONE_DOMAIN_RE = re.compile(r"^dzd[-_][a-zA-Z0-9_-]{1,36}$")

#: Tag keys that may carry a Studio domain name (checked in this order, case-insensitively).
DEFAULT_DOMAIN_TAG_KEYS = ("sagemaker:domain-name", "domain-name", "DomainName", "domain")

Kind = Literal[
    "bool", "int", "float", "region", "regions", "words", "origins", "buckets", "scopes",
    "choice", "datazone",
]  # fmt: skip
#: Who reads a setting: the core (a LineageConfig field), the Jupyter server extension
#: only, the Lambda function only, or the CDK stack only (deploy time).
Scope = Literal["core", "server", "lambda", "stack"]


def parse_bool(value: object, name: str) -> bool:
    """The boolean rule of every door: true/false/1/0, case-insensitive; else ValueError."""
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(f"{name} must be true, false, 1 or 0")


def report_scope(value: str) -> str:
    """A report scope as ``s3://bucket/prefix/``: a folder, never a name prefix.

    Accepts ``s3://bucket/prefix``, ``bucket/prefix`` or ``/bucket/prefix``; ``bucket``
    alone is the whole bucket (``s3://bucket/``), and ``bucket/eval`` is the folder
    ``eval/`` (never ``evaluation-old/``). The stack grants ``s3:GetObject`` on the same
    scopes and the core reads reports under them only.
    """
    scope = value.strip()
    if scope.startswith("s3://"):
        scope = scope[len("s3://") :]
    scope = scope.lstrip("/")
    return f"s3://{scope if scope.endswith('/') else scope + '/'}"


@dataclass(frozen=True)
class Setting:
    """One tunable: where it can be set and how its value is checked."""

    name: str
    kind: Kind
    default: Any
    doc: str
    scope: Scope = "core"
    env: str | None = None
    trait: str | None = None
    context: str | None = None
    low: float | None = None
    high: float | None = None
    choices: tuple[Any, ...] = ()

    def parse(self, raw: object, source: str) -> Any:
        """``raw`` (a string from the environment or a command line, or a typed value
        from a config file or cdk.json) as this setting's type. Raises
        ``ConfigurationError`` naming ``source`` (the variable, trait or context name)."""
        try:
            return self._parse(raw)
        except ValueError as exc:
            raise ConfigurationError(f"{source} {exc}") from None

    def _parse(self, raw: object) -> Any:
        kind = self.kind
        if kind == "bool":
            return raw if isinstance(raw, bool) else _bool(raw)
        if kind in ("int", "float"):
            return self._number(raw)
        if kind == "choice":
            return _choice(raw, self.choices)
        if kind == "datazone":
            domain = str(raw).strip()
            if not DATAZONE_DOMAIN_RE.fullmatch(domain):
                raise ValueError(f"must be a DataZone domain id (dzd_...), not {raw!r}")
            return domain
        if kind == "region":
            return _region(str(raw).strip())
        items = _words(raw)
        if kind == "regions":
            return tuple(_region(r) for r in items)
        if kind == "origins":
            for origin in items:
                if origin != "*" and not ORIGIN_RE.fullmatch(origin):
                    raise ValueError(f"has {origin!r}, which is not * or an http(s) origin")
            return items
        if kind == "buckets":
            for bucket in items:
                if not BUCKET_RE.fullmatch(bucket):
                    raise ValueError(f"has {bucket!r}, which is not an S3 bucket name")
            return items
        if kind == "scopes":
            scopes = tuple(report_scope(item) for item in items)
            for scope in scopes:
                if not BUCKET_RE.fullmatch(scope[len("s3://") :].split("/", 1)[0]):
                    raise ValueError(f"has {scope!r}, whose bucket is not an S3 bucket name")
            return scopes
        return items  # words

    def _number(self, raw: object) -> int | float:
        try:
            if isinstance(raw, bool):
                raise ValueError
            text = str(raw).strip()
            if self.kind == "int":
                if not (text.isascii() and text.lstrip("-").isdigit()) or len(text) > 12:
                    raise ValueError
                value: int | float = int(text)
            else:
                value = float(text)
                if value != value or value in (float("inf"), float("-inf")):
                    raise ValueError
        except ValueError:
            kind = "a whole number" if self.kind == "int" else "a number"
            raise ValueError(f"must be {kind}, not {raw!r}") from None
        if self.low is not None and self.high is not None and not self.low <= value <= self.high:
            low, high = _number_text(self.low), _number_text(self.high)
            raise ValueError(f"must be from {low} to {high}, not {raw!r}")
        return value

    @property
    def values_text(self) -> str:
        """What values it takes, as the docs show them."""
        if self.choices:
            return ", ".join(f"`{c}`" for c in self.choices)
        if self.low is not None and self.high is not None:
            return f"{_number_text(self.low)}–{_number_text(self.high)}"
        return {
            "bool": "`true`, `false`, `1`, `0`",
            "region": "a region name",
            "regions": "region names, comma-separated",
            "words": "comma-separated",
            "origins": "`*` or http(s) origins, comma-separated",
            "buckets": "bucket names, comma-separated",
            "scopes": "`bucket/prefix` folders, comma-separated",
            "datazone": "a DataZone domain id (`dzd_...`)",
        }.get(self.kind, "")

    @property
    def default_text(self) -> str:
        """The default as the docs show it."""
        if self.default is None:
            return "unset"
        if isinstance(self.default, bool):
            return "`true`" if self.default else "`false`"
        if isinstance(self.default, tuple):
            return f"`{','.join(self.default)}`" if self.default else "any"
        if isinstance(self.default, float) and self.default.is_integer():
            return f"`{int(self.default)}`"
        return f"`{self.default}`"


def _number_text(value: float) -> str:
    """``50000000`` as ``50,000,000``; ``0.5`` as it is."""
    return f"{int(value):,}" if float(value).is_integer() else f"{value:g}"


def _bool(raw: object) -> bool:
    word = str(raw).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(f"must be true, false, 1 or 0, not {raw!r}")


def _choice(raw: object, choices: tuple[Any, ...]) -> Any:
    for choice in choices:
        if str(raw).strip() == str(choice):
            return choice
    raise ValueError(f"must be one of {', '.join(map(str, choices))}, not {raw!r}")


def _words(raw: object) -> tuple[str, ...]:
    """A list: a JSON list (cdk.json, a config file) or a comma-separated string."""
    items = raw if isinstance(raw, (list, tuple)) else str(raw).split(",")
    return tuple(str(item).strip() for item in items if str(item).strip())


def _region(region: str) -> str:
    if not REGION_RE.fullmatch(region):
        raise ValueError(f"{region!r} is not an AWS region name")
    return region


#: Every setting of every door. ``scope="core"`` settings are LineageConfig fields.
SETTINGS: tuple[Setting, ...] = (
    Setting("default_region", "region", None,
            "Region used when a request names none. Unset: `AWS_REGION`, else the AWS SDK's "
            f"region (`AWS_DEFAULT_REGION`, the profile's `region`), else `{FALLBACK_REGION}`.",
            env="DEFAULT_REGION", trait="default_region", context="defaultRegion"),
    Setting("enable_s3_meta", "bool", True,
            "Read each bucket's posture (encryption, versioning, public access, tags); `false`: "
            "every `s3` is `null`, and the stack grants no bucket reads.",
            env="ENABLE_S3_META", trait="enable_s3_meta", context="enableS3Meta"),
    Setting("s3_timeout_ms", "int", 3000,
            "Connect and read timeout of the S3 posture and report reads, in milliseconds.",
            env="S3_TIMEOUT_MS", trait="s3_timeout_ms", context="s3TimeoutMs", low=100,
            high=20000),
    Setting("allowed_regions", "regions", (),
            "Regions a request may name; empty: any. The default region must be one of them. "
            "The stack narrows the role's SageMaker ARNs to them and, being "
            "environment-agnostic, then needs `defaultRegion` too.",
            env="ALLOWED_REGIONS", trait="allowed_regions", context="regions"),
    Setting("read_reports", "bool", True,
            "Read evaluation reports (a step's property files) with `s3:GetObject`; `false` "
            "also drops the stack's `s3:GetObject` grant.",
            env="READ_REPORTS", trait="read_reports", context="readReports"),
    Setting("report_scopes", "scopes", (),
            "S3 folders evaluation reports may be read from; empty: any. Each is a folder: "
            "`ml-models/eval` is `ml-models/eval/` (never `ml-models/evaluation-old/`), a bare "
            "bucket the whole bucket. The stack grants `s3:GetObject` on exactly these (else "
            "on `s3Buckets`, else on every bucket).",
            env="REPORT_S3_SCOPES", trait="report_scopes", context="s3ReportPrefixes"),
    Setting("report_max_bytes", "int", 1_000_000,
            "Largest evaluation report read, in bytes.",
            env="REPORT_MAX_BYTES", trait="report_max_bytes", low=1, high=50_000_000),
    Setting("domain_tag_keys", "words", DEFAULT_DOMAIN_TAG_KEYS,
            "Pipeline tag keys that carry a Studio domain, for the `domain` filter.",
            env="DOMAIN_TAG_KEYS", trait="domain_tag_keys"),
    Setting("max_concurrency", "int", 128,
            "Most AWS reads under way at once per service (SageMaker, S3); threads and HTTP "
            "connections open as reads need them. A lineage read's widest round is a page of "
            "100 job describes and 5 posture reads per bucket; more at once would only meet "
            "throttling sooner (which slows sending further: botocore's adaptive retries).",
            env="MAX_CONCURRENCY", trait="max_concurrency", low=1, high=1024),
    Setting("max_attempts", "int", 5,
            "Attempts per SageMaker call (botocore's adaptive retries, for throttling).",
            env="MAX_ATTEMPTS", trait="max_attempts", low=1, high=20),
    Setting("request_timeout_s", "float", 120.0,
            "Seconds a request of the server, a CLI command or a `%lineage` call may take; "
            "then it answers with what it has and a `Timeout` warning (a server request's "
            "wait in the queue counts too). The Lambda function uses its own remaining time.",
            env="REQUEST_TIMEOUT_S", trait="request_timeout_s", low=1, high=3600),
    Setting("posture_ttl_s", "float", 300.0,
            "Seconds a bucket's posture is reused before it is read again.",
            env="POSTURE_TTL_S", trait="posture_ttl_s", low=0, high=86400),
    # -- the Jupyter server extension ---------------------------------------------------
    Setting("demo", "bool", None,
            "Read the embedded demo account (true) or AWS (false). Unset: the demo account "
            "when no AWS credentials are found.",
            scope="server", env="SAGEMAKER_LINEAGE_DEMO", trait="demo"),
    Setting("demo_latency_ms", "float", 0.0,
            "Added latency per AWS call on the demo account, in milliseconds, to try slow reads.",
            scope="server", trait="demo_latency_ms", low=0, high=60000),
    Setting("request_threads", "int", 8,
            "Requests read at the same time; more wait their turn.",
            scope="server", trait="request_threads", low=1, high=256),
    # -- the REST API (Lambda function and CDK stack) ------------------------------------
    Setting("cors_origins", "origins", ("*",),
            "Allowed origins: `*`, or a list of which the caller's `Origin` is echoed.",
            scope="lambda", env="CORS_ALLOW_ORIGINS", context="corsOrigins"),
    Setting("datazone_domain", "datazone", None,
            "Amazon DataZone domain the function sends each pipeline execution's OpenLineage "
            "events to, on every status change (an EventBridge rule on SageMaker's pipeline "
            "execution events); the role may then call `datazone:PostLineageEvent` on that "
            "domain only. Unset: no rule, no DataZone permission.",
            scope="lambda", env="DATAZONE_DOMAIN_ID", context="datazoneDomain"),
    Setting("throttle_rate_limit", "float", 50.0,
            "Stage throttling: requests per second; excess gets `429`.",
            scope="stack", context="throttleRateLimit", low=1, high=10000),
    Setting("throttle_burst_limit", "int", 100,
            "Stage throttling: burst.", scope="stack", context="throttleBurstLimit", low=1,
            high=5000),
    Setting("cache_ttl_seconds", "int", 0,
            "API Gateway response cache TTL in seconds (0: off; a 0.5 GB cluster, billed "
            "hourly), keyed on every query parameter, and on `Origin` unless origins are `*`.",
            scope="stack", context="cacheTtlSeconds", low=0, high=3600),
    Setting("s3_buckets", "buckets", (),
            "Buckets whose posture the role may read; others show `Unknown` with an "
            "`AccessDenied` warning. Empty: all buckets.", scope="stack", context="s3Buckets"),
    Setting("auth", "choice", "none",
            "`iam`: callers sign with SigV4 (`execute-api:Invoke`); `apiKey`: an API key and "
            "usage plan (output `LineageApiKeyId`); `none`: public.",
            scope="stack", context="auth", choices=("none", "iam", "apiKey")),
    Setting("memory_mb", "int", 1024, "Memory of the function, in MB (its CPU grows with it).",
            scope="stack", context="memoryMb", low=256, high=10240),
    Setting("timeout_seconds", "int", 25,
            "Timeout of the function, in seconds (API Gateway ends requests at 29 s).",
            scope="stack", context="timeoutSeconds", low=5, high=28),
    Setting("log_retention_days", "choice", 30,
            "Days the function's and the access logs are kept.", scope="stack",
            context="logRetentionDays",
            choices=(1, 3, 7, 14, 30, 60, 90, 180, 365, 731, 1827, 3653)),
)  # fmt: skip
SETTINGS_BY_NAME = {s.name: s for s in SETTINGS}


def settings(scope: Scope) -> tuple[Setting, ...]:
    return tuple(s for s in SETTINGS if s.scope == scope)


@dataclass(frozen=True)
class LineageConfig:
    """What the core reads: the ``scope="core"`` rows of :data:`SETTINGS`, typed.

    Build it with :meth:`from_sources` (environment, then overrides) or directly.
    ``default_region`` here is always resolved to a region name.
    """

    default_region: str = FALLBACK_REGION
    enable_s3_meta: bool = True
    s3_timeout_ms: int = 3000
    allowed_regions: tuple[str, ...] = ()
    read_reports: bool = True
    report_scopes: tuple[str, ...] = ()
    report_max_bytes: int = 1_000_000
    domain_tag_keys: tuple[str, ...] = DEFAULT_DOMAIN_TAG_KEYS
    max_concurrency: int = 128
    max_attempts: int = 5
    request_timeout_s: float = 120.0
    posture_ttl_s: float = 300.0

    @classmethod
    def from_sources(
        cls,
        environ: Mapping[str, str] | None = None,
        overrides: Mapping[str, object] | None = None,
        sdk_region: str | None = None,
    ) -> LineageConfig:
        """The environment's settings (``environ``, default ``os.environ``), then
        ``overrides`` (setting name -> value, e.g. from server traits; ``None`` = not set).

        ``sdk_region`` is the region the AWS SDK is configured with (``aws.sdk_region()``).
        Raises ``ConfigurationError`` naming the variable or setting that is wrong.
        """
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for setting in settings("core"):
            if setting.env and env.get(setting.env, "").strip():
                values[setting.name] = setting.parse(env[setting.env], setting.env)
        for name, raw in (overrides or {}).items():
            if raw is not None:
                values[name] = SETTINGS_BY_NAME[name].parse(raw, name)
        if values.get("default_region") is None:
            values["default_region"] = _configured_region(env, sdk_region)
        config = replace(cls(), **values)
        if config.allowed_regions and config.default_region not in config.allowed_regions:
            raise ConfigurationError(
                f"the default region {config.default_region} is not one of ALLOWED_REGIONS "
                f"({', '.join(config.allowed_regions)}): a request naming no region would fail"
            )
        return config

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> LineageConfig:
        """:meth:`from_sources` with the environment alone (no SDK profile region)."""
        return cls.from_sources(environ)


def _configured_region(env: Mapping[str, str], sdk_region: str | None) -> str:
    """``AWS_REGION`` (Lambda, SageMaker Studio), else the SDK's region, else the fallback."""
    for name, value in (("AWS_REGION", env.get("AWS_REGION")), ("AWS SDK region", sdk_region)):
        if value and value.strip():
            return SETTINGS_BY_NAME["default_region"].parse(value.strip(), name)  # type: ignore[no-any-return]
    return FALLBACK_REGION


Table = Literal["environment", "traits", "context"]


def settings_table(table: Table) -> str:
    """The settings as a Markdown table, for docs/api.md (``environment``) and the README
    (``traits``: the server extension; ``context``: the REST API stack). Written into
    the docs by ``scripts/sync_settings_docs.py``; a test checks they are current."""
    column = {"environment": "env", "traits": "trait", "context": "context"}[table]
    head = {
        "environment": "| variable | default | values | meaning |\n|---|---|---|---|",
        "traits": "| trait | variable | default | values | meaning |\n|---|---|---|---|---|",
        "context": "| context | default | values | sets | meaning |\n|---|---|---|---|---|",
    }[table]
    rows = [head]
    for s in SETTINGS:
        name = getattr(s, column)
        if not name or (table == "traits" and s.scope not in ("core", "server")):
            continue
        cells = [f"`{name if table != 'traits' else 'LineageExtensionApp.' + name}`"]
        if table == "traits":
            cells.append(f"`{s.env}`" if s.env else "")
        cells += [s.default_text, s.values_text]
        if table == "context":
            cells.append(f"`{s.env}`" if s.env else "(the stack)")
        cells.append(s.doc)
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows) + "\n"


def core_field_names() -> tuple[str, ...]:
    """LineageConfig's settings fields (a test checks they are the core rows of SETTINGS)."""
    return tuple(f.name for f in fields(LineageConfig))
