"""Configuration read from the environment (same names in every front door)."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

FALLBACK_REGION = "ap-northeast-2"
REGION_RE = re.compile(r"^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]+$")
TRUE_WORDS = frozenset({"true", "1"})
FALSE_WORDS = frozenset({"false", "0"})

#: Tag keys that may carry a Studio domain name (checked in this order, case-insensitively).
DEFAULT_DOMAIN_TAG_KEYS = ("sagemaker:domain-name", "domain-name", "DomainName", "domain")


def parse_bool(value: object, name: str) -> bool:
    """SPEC's boolean rule: true/false/1/0, case-insensitive; anything else raises ValueError."""
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(f"{name} must be true, false, 1 or 0")


def _positive_int(env: Mapping[str, str], name: str) -> int:
    try:
        value = int(env[name].strip())
    except ValueError:
        raise ValueError(f"{name} must be a whole number, not {env[name]!r}") from None
    if value < 1:
        raise ValueError(f"{name} must be at least 1")
    return value


def _csv(value: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (value or "").split(",") if part.strip())


@dataclass(frozen=True)
class LineageConfig:
    """Everything a deployment can tune. Build it with :meth:`from_env` or directly."""

    default_region: str = FALLBACK_REGION
    enable_s3_meta: bool = True
    s3_timeout_ms: int = 3000
    #: Regions a request may name; empty means any well-formed region.
    allowed_regions: tuple[str, ...] = ()
    #: Read evaluation reports (property files) with s3:GetObject.
    read_reports: bool = True
    #: ``s3://bucket/prefix`` scopes GetObject may read; empty means any.
    report_scopes: tuple[str, ...] = ()
    #: Largest report read, in bytes.
    report_max_bytes: int = 1_000_000
    domain_tag_keys: tuple[str, ...] = DEFAULT_DOMAIN_TAG_KEYS
    #: Threads (and HTTP connections per client) for concurrent AWS reads.
    max_concurrency: int = 128
    #: Attempts per SageMaker call (botocore adaptive retries, for throttling).
    max_attempts: int = 5
    #: Seconds a bucket's posture is reused.
    posture_ttl_s: float = 300.0
    extra: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> LineageConfig:
        """Read SPEC's variables (and our optional ones) from ``environ``."""
        env = os.environ if environ is None else environ
        config = cls()
        updates: dict = {}
        if env.get("DEFAULT_REGION"):
            region = env["DEFAULT_REGION"].strip()
            if not REGION_RE.fullmatch(region):
                raise ValueError(f"DEFAULT_REGION {region!r} is not an AWS region name")
            updates["default_region"] = region
        if env.get("ENABLE_S3_META"):
            updates["enable_s3_meta"] = parse_bool(env["ENABLE_S3_META"], "ENABLE_S3_META")
        if env.get("S3_TIMEOUT_MS"):
            updates["s3_timeout_ms"] = _positive_int(env, "S3_TIMEOUT_MS")
        if env.get("ALLOWED_REGIONS"):
            updates["allowed_regions"] = _csv(env["ALLOWED_REGIONS"])
        if env.get("READ_REPORTS"):
            updates["read_reports"] = parse_bool(env["READ_REPORTS"], "READ_REPORTS")
        if env.get("REPORT_S3_SCOPES"):
            updates["report_scopes"] = _csv(env["REPORT_S3_SCOPES"])
        if env.get("DOMAIN_TAG_KEYS"):
            updates["domain_tag_keys"] = _csv(env["DOMAIN_TAG_KEYS"])
        if env.get("MAX_CONCURRENCY"):
            updates["max_concurrency"] = _positive_int(env, "MAX_CONCURRENCY")
        return replace(config, **updates)
