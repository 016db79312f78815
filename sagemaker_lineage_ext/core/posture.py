"""Security posture of a bucket from its raw S3 answers (pure).

Each S3 read arrives as an :class:`Outcome` (the response, or the error code).
Error codes that mean "not configured" are verdicts, not failures; anything
else (denied, timed out, no such bucket) makes that value ``Unknown`` and adds a
warning naming the IAM action that failed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast

from .models import AnswerWarning, Posture

UNKNOWN = "Unknown"

#: API call -> IAM action behind it (API names are not always IAM names: docs/api.md, "IAM").
IAM_ACTION = {
    "GetBucketLocation": "s3:GetBucketLocation",
    "GetBucketEncryption": "s3:GetEncryptionConfiguration",
    "GetBucketVersioning": "s3:GetBucketVersioning",
    "GetPublicAccessBlock": "s3:GetBucketPublicAccessBlock",
    "GetBucketTagging": "s3:GetBucketTagging",
}

NOT_CONFIGURED = {
    "GetBucketEncryption": "ServerSideEncryptionConfigurationNotFoundError",
    "GetPublicAccessBlock": "NoSuchPublicAccessBlockConfiguration",
    "GetBucketTagging": "NoSuchTagSet",
}

PUBLIC_ACCESS_FLAGS = (
    "BlockPublicAcls",
    "IgnorePublicAcls",
    "BlockPublicPolicy",
    "RestrictPublicBuckets",
)


@dataclass(frozen=True)
class Outcome:
    """One AWS read: its response, or the error code (``Timeout`` for timeouts)."""

    response: Mapping[str, Any] | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def _failure(bucket: str, operation: str, error: str, field: str) -> AnswerWarning:
    action = IAM_ACTION[operation]
    if error in ("AccessDenied", "AccessDeniedException", "AllAccessDisabled"):
        why = f"the reading role lacks {action}"
        code = "AccessDenied"
    elif error == "Timeout":
        why = f"{operation} timed out"
        code = "Timeout"
    elif error == "NoSuchBucket":
        why = "the bucket does not exist"
        code = "NoSuchBucket"
    else:
        why = f"{operation} failed with {error}"
        code = error
    return {"code": code, "target": f"s3://{bucket}", "message": f"{field} is Unknown: {why}"}


def encryption_verdict(outcome: Outcome) -> str | None:
    if outcome.error == NOT_CONFIGURED["GetBucketEncryption"]:
        return "None"
    if not outcome.ok:
        return None
    rules = (outcome.response or {}).get("ServerSideEncryptionConfiguration", {}).get("Rules") or []
    for rule in rules:
        algorithm = (rule.get("ApplyServerSideEncryptionByDefault") or {}).get("SSEAlgorithm")
        if algorithm:
            return str(algorithm)
    return "None"


def versioning_verdict(outcome: Outcome) -> str | None:
    if not outcome.ok:
        return None
    status = (outcome.response or {}).get("Status")
    return status if status in ("Enabled", "Suspended") else "Disabled"


def public_access_verdict(outcome: Outcome) -> str | None:
    if outcome.error == NOT_CONFIGURED["GetPublicAccessBlock"]:
        return "NotBlocked"
    if not outcome.ok:
        return None
    config = (outcome.response or {}).get("PublicAccessBlockConfiguration") or {}
    flags = [bool(config.get(flag)) for flag in PUBLIC_ACCESS_FLAGS]
    if all(flags):
        return "Blocked"
    return "Partial" if any(flags) else "NotBlocked"


def tags_verdict(outcome: Outcome) -> dict[str, str] | None:
    if outcome.error == NOT_CONFIGURED["GetBucketTagging"]:
        return {}
    if not outcome.ok:
        return None
    return {t["Key"]: t.get("Value", "") for t in (outcome.response or {}).get("TagSet") or []}


def region_verdict(outcome: Outcome) -> str | None:
    if not outcome.ok:
        return None
    # S3 answers None (or "EU") for the two oldest regions.
    constraint = (outcome.response or {}).get("LocationConstraint")
    return {None: "us-east-1", "": "us-east-1", "EU": "eu-west-1"}.get(constraint, constraint)


def posture_findings(s3: Mapping[str, Any]) -> list[str]:
    """Short problem codes a UI can badge: what a reviewer would flag on this bucket."""
    findings = []
    if s3.get("encryption") == "None":
        findings.append("NotEncrypted")
    if s3.get("publicAccess") in ("NotBlocked", "Partial"):
        findings.append(
            "PublicAccessNotBlocked"
            if s3["publicAccess"] == "NotBlocked"
            else "PublicAccessPartiallyBlocked"
        )
    if s3.get("versioning") in ("Disabled", "Suspended"):
        findings.append("VersioningOff")
    if any(s3.get(key) == UNKNOWN for key in ("encryption", "versioning", "publicAccess", "tags")):
        findings.append("PostureUnknown")
    return findings


def bucket_posture(
    bucket: str, outcomes: Mapping[str, Outcome]
) -> tuple[Posture, list[AnswerWarning]]:
    """The answer's ``s3`` object for ``bucket`` and the warnings for values that are Unknown.

    ``outcomes`` maps an S3 operation name (``GetBucketEncryption``, ...) to its Outcome.
    """
    warnings: list[AnswerWarning] = []
    fields = (
        ("encryption", "GetBucketEncryption", encryption_verdict),
        ("versioning", "GetBucketVersioning", versioning_verdict),
        ("publicAccess", "GetPublicAccessBlock", public_access_verdict),
        ("tags", "GetBucketTagging", tags_verdict),
        ("region", "GetBucketLocation", region_verdict),
    )
    s3: dict[str, Any] = {}
    missing_bucket = any(o.error == "NoSuchBucket" for o in outcomes.values())
    for field, operation, verdict in fields:
        outcome = outcomes.get(operation)
        if outcome is None:
            continue
        value = verdict(outcome)
        if value is None:
            value = UNKNOWN
            if not (missing_bucket and warnings):
                warnings.append(_failure(bucket, operation, outcome.error or "Unknown", field))
        s3[field] = value
    s3["findings"] = posture_findings(s3)
    # built field by field above; every field is set from its own verdict's values
    return cast(Posture, s3), warnings
