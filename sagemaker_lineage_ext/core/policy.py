"""The posture gate: a policy over the S3 data a pipeline read and wrote (pure: no I/O).

A :class:`Policy` says which bucket rules hold (default encryption, every Block Public
Access flag on, versioning enabled), whether a value that could not be read
(``Unknown``) fails, and which buckets or key prefixes are excepted from which rules,
each exception with its reason. :func:`evaluate_check` applies it to a lineage answer
(``graph.artifacts[].s3``, read by GetBucketEncryption, GetPublicAccessBlock and
GetBucketVersioning) and answers the ``check`` route (docs/api.md, "GET /check").

A policy file is TOML (the CLI and the magic read and decode it, ``kit/outputs.py``;
:func:`policy_from_document` takes the decoded document)::

    [rules]
    encryption = true       # the bucket has default encryption (SSE-S3, SSE-KMS, DSSE-KMS)
    public-access = true    # all four Block Public Access flags are on
    versioning = true       # versioning is Enabled (Suspended counts as off)
    unknown = "fail"        # "fail" or "allow": a value that could not be read

    [[exceptions]]
    bucket = "sagemaker-*"  # a bucket name; * and ? match any characters
    prefix = "scratch"      # optional: only keys in this folder (whole path segments:
                            # "ml/eval" holds ml/eval/x, never ml/evaluation-old)
    rules = ["versioning"]  # optional: the rules it waives (default: all)
    reason = "SageMaker's scratch space; nothing in it is kept"
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import cast

from .errors import InvalidInputError
from .models import (
    Artifact,
    ArtifactCheck,
    CheckCounts,
    CheckOutcome,
    CheckResponse,
    Finding,
    LineageResponse,
    Pipeline,
    PolicyRule,
    PolicySummary,
    RuleCheck,
)
from .risks import risk_paths

RULES: tuple[PolicyRule, ...] = ("encryption", "public-access", "versioning")
#: The posture field (``s3.*``) each rule reads.
RULE_FIELD: dict[PolicyRule, str] = {
    "encryption": "encryption",
    "public-access": "publicAccess",
    "versioning": "versioning",
}
#: The outcome an artifact shows: its worst check (``excepted`` ranks below ``pass``'s
#: opposite: an artifact whose only problems are excepted shows ``excepted``).
SEVERITY: dict[CheckOutcome, int] = {"pass": 0, "excepted": 1, "unknown": 2, "fail": 3}


@dataclass(frozen=True)
class PolicyException:
    """Buckets (an fnmatch pattern) and optionally a key prefix excepted from ``rules``.

    The prefix is a folder of the bucket, matched by whole path segments (as the
    lineage's own prefix matching, ``crosspipeline.py``): ``ml/eval`` (or ``ml/eval/``)
    covers the key ``ml/eval`` and every key under ``ml/eval/``, never ``ml/evaluation-old``.
    """

    bucket: str
    reason: str
    prefix: str | None = None
    rules: tuple[PolicyRule, ...] = RULES

    def covers(self, bucket: str, key: str | None, rule: PolicyRule) -> bool:
        if rule not in self.rules or not fnmatch.fnmatchcase(bucket, self.bucket):
            return False
        return self.prefix is None or in_folder(key or "", self.prefix)


def in_folder(key: str, prefix: str) -> bool:
    """Whether ``key`` is the folder ``prefix`` or inside it (whole path segments)."""
    folder = prefix.rstrip("/")
    return key.rstrip("/") == folder or key.startswith(f"{folder}/")


@dataclass(frozen=True)
class Policy:
    """Which rules hold, what ``Unknown`` does, and the exceptions (default: everything
    on, ``Unknown`` fails, no exceptions)."""

    rules: tuple[PolicyRule, ...] = RULES
    allow_unknown: bool = False
    exceptions: tuple[PolicyException, ...] = ()
    #: Where it came from, for reports: ``default`` or the file's path.
    source: str = "default"

    def exception_for(
        self, bucket: str, key: str | None, rule: PolicyRule
    ) -> PolicyException | None:
        return next((e for e in self.exceptions if e.covers(bucket, key, rule)), None)


DEFAULT_POLICY = Policy()


def _problem(source: str, where: str, problem: str) -> InvalidInputError:
    return InvalidInputError("policy", f"{source}: {where} {problem}")


def policy_from_document(document: Mapping[str, object], source: str) -> Policy:
    """The policy of a decoded policy file (module docstring); ``source`` names it in errors.

    Raises ``InvalidInputError`` naming ``policy`` (the CLI says ``--policy``) for an
    unknown key or rule, a value of the wrong type, or an exception without a bucket or
    a reason.
    """
    unknown_keys = sorted(set(document) - {"rules", "exceptions"})
    if unknown_keys:
        raise _problem(
            source,
            f"has an unknown key {unknown_keys[0]!r};",
            "it takes [rules] and [[exceptions]]",
        )
    rules_table = document.get("rules", {})
    if not isinstance(rules_table, dict):
        raise _problem(source, "rules", "must be a table: [rules]")
    enabled: list[PolicyRule] = []
    stray = sorted(set(rules_table) - {*RULES, "unknown"})
    if stray:
        raise _problem(
            source,
            f"[rules] has an unknown rule {stray[0]!r};",
            f"the rules are {', '.join(RULES)}, unknown",
        )
    for rule in RULES:
        value = rules_table.get(rule, True)
        if not isinstance(value, bool):
            raise _problem(source, f"rules.{rule}", "must be true or false")
        if value:
            enabled.append(rule)
    unknown = rules_table.get("unknown", "fail")
    if unknown not in ("fail", "allow"):
        raise _problem(source, "rules.unknown", 'must be "fail" or "allow"')
    exceptions_list = document.get("exceptions", [])
    if not isinstance(exceptions_list, list):
        raise _problem(source, "exceptions", "must be an array of tables: [[exceptions]]")
    exceptions = tuple(
        _exception(item, source, index) for index, item in enumerate(exceptions_list, 1)
    )
    return Policy(tuple(enabled), unknown == "allow", exceptions, source)


def _exception(item: object, source: str, index: int) -> PolicyException:
    where = f"exception {index}"
    if not isinstance(item, dict):
        raise _problem(source, where, "must be a table")
    stray = sorted(set(item) - {"bucket", "prefix", "rules", "reason"})
    if stray:
        raise _problem(
            source,
            f"{where} has an unknown key {stray[0]!r};",
            "it takes bucket, prefix, rules, reason",
        )
    bucket, reason, prefix = item.get("bucket"), item.get("reason"), item.get("prefix")
    if not isinstance(bucket, str) or not bucket.strip():
        raise _problem(source, where, "needs a bucket (a name; * and ? match any characters)")
    if not isinstance(reason, str) or not reason.strip():
        raise _problem(source, where, f"({bucket}) needs a reason: say why it is accepted")
    if prefix is not None and (not isinstance(prefix, str) or not prefix):
        raise _problem(source, f"{where} ({bucket}) prefix", "must be a non-empty string")
    if prefix is not None and not prefix.rstrip("/"):
        raise _problem(
            source, f"{where} ({bucket}) prefix", "must name a key prefix (leave it out for all)"
        )
    rules = item.get("rules", list(RULES))
    if not isinstance(rules, list) or not rules or any(r not in RULES for r in rules):
        raise _problem(source, f"{where} ({bucket}) rules", f"must list some of {', '.join(RULES)}")
    return PolicyException(
        bucket.strip(), reason.strip(), prefix, tuple(cast(list[PolicyRule], rules))
    )


# -- evaluation ----------------------------------------------------------------------------

_PASSES: dict[PolicyRule, frozenset[str]] = {
    "encryption": frozenset({"AES256", "aws:kms", "aws:kms:dsse", "aws:fsx", "aws:backup"}),
    "public-access": frozenset({"Blocked"}),
    "versioning": frozenset({"Enabled"}),
}
_FAILURE: dict[PolicyRule, str] = {
    "encryption": "the bucket has no default encryption",
    "public-access": "public access is not fully blocked",
    "versioning": "versioning is not enabled",
}


def rule_finding(rule: PolicyRule, value: str | None) -> Finding:
    """The ``s3.findings`` code of a broken rule (``PostureUnknown`` for an unread value)."""
    if value in (None, "Unknown"):
        return "PostureUnknown"
    if rule == "encryption":
        return "NotEncrypted"
    if rule == "versioning":
        return "VersioningOff"
    return "PublicAccessNotBlocked" if value == "NotBlocked" else "PublicAccessPartiallyBlocked"


def _check_rule(artifact: Artifact, rule: PolicyRule, policy: Policy) -> RuleCheck:
    s3 = artifact["s3"]
    bucket = artifact["bucket"]
    value: str | None = str(s3[RULE_FIELD[rule]]) if s3 else None  # type: ignore[literal-required]
    if value in _PASSES[rule]:
        outcome: CheckOutcome = "pass"
        message = f"{RULE_FIELD[rule]} is {value}"
    elif value is None or value == "Unknown":
        outcome = "unknown"
        if bucket is None:
            message = "its bucket is not known (the URI is still a placeholder)"
        elif s3 is None:
            message = "the bucket's posture was not read (ENABLE_S3_META=false)"
        else:
            message = f"{RULE_FIELD[rule]} could not be read (see the warnings)"
    else:
        outcome = "fail"
        message = f"{_FAILURE[rule]} ({RULE_FIELD[rule]} is {value})"
    reason = None
    if outcome != "pass" and bucket is not None:
        exception = policy.exception_for(bucket, artifact["key"], rule)
        if exception is not None:
            outcome, reason = "excepted", exception.reason
    return {"rule": rule, "outcome": outcome, "value": value, "message": message, "reason": reason}


def check_artifact(artifact: Artifact, policy: Policy) -> ArtifactCheck:
    """Every rule of ``policy`` on one artifact's bucket posture."""
    checks = [_check_rule(artifact, rule, policy) for rule in policy.rules]
    worst: CheckOutcome = max(
        (c["outcome"] for c in checks), key=SEVERITY.__getitem__, default="pass"
    )
    return {
        "artifactId": artifact["id"],
        "uri": artifact["uri"],
        "bucket": artifact["bucket"],
        "key": artifact["key"],
        "producers": list(artifact["producers"]),
        "consumers": list(artifact["consumers"]),
        "outcome": worst,
        "checks": checks,
    }


def breaks_policy(check: ArtifactCheck, allow_unknown: bool) -> bool:
    """Whether an artifact's checks fail the gate (``unknown`` too, unless allowed)."""
    return check["outcome"] == "fail" or (check["outcome"] == "unknown" and not allow_unknown)


def evaluate_check(
    lineage: LineageResponse, policy: Policy = DEFAULT_POLICY, allow_unknown: bool = False
) -> CheckResponse:
    """The ``check`` answer: ``policy`` applied to every artifact of ``lineage`` that has
    an S3 URI, whether the gate passes, and the risk paths of the artifacts that break it.
    A lineage the time limit cut short never passes (:func:`read_in_full`).

    ``allow_unknown`` (``--allow-unknown``) lets ``Unknown`` pass, as the policy's
    ``unknown = "allow"`` does.
    """
    allow = allow_unknown or policy.allow_unknown
    results = [
        check_artifact(a, policy)
        for a in lineage["graph"]["artifacts"]
        if a["uri"].startswith("s3://")
    ]
    counts: CheckCounts = {
        "artifacts": len(results),
        "passed": 0,
        "failed": 0,
        "unknown": 0,
        "excepted": 0,
    }
    counted = {"pass": "passed", "fail": "failed", "unknown": "unknown", "excepted": "excepted"}
    for result in results:
        counts[counted[result["outcome"]]] += 1  # type: ignore[literal-required]
    flagged: dict[int, list[Finding]] = {}
    for result in results:
        findings = [
            rule_finding(c["rule"], c["value"])
            for c in result["checks"]
            if c["outcome"] == "fail" or (c["outcome"] == "unknown" and not allow)
        ]
        if findings:
            flagged[result["artifactId"]] = list(dict.fromkeys(findings))
    summary: PolicySummary = {
        "source": policy.source,
        "rules": list(policy.rules),
        "unknown": "allow" if allow else "fail",
        "exceptions": [
            {"bucket": e.bucket, "prefix": e.prefix, "rules": list(e.rules), "reason": e.reason}
            for e in policy.exceptions
        ],
    }
    warnings = list(lineage["warnings"])
    complete = read_in_full(lineage)
    if not complete:
        warnings.append(
            {
                "code": "Incomplete",
                "target": "check",
                "message": "the request's time limit cut the reads short, so S3 data that "
                "was not read cannot pass the gate: ask again (what was read is kept)",
            }
        )
    answer: CheckResponse = {
        "pipeline": cast(Pipeline, lineage["pipeline"]),
        "execution": lineage["execution"],
        "passed": complete and not any(breaks_policy(r, allow) for r in results),
        "policy": summary,
        "counts": counts,
        "results": results,
        "risks": risk_paths(lineage["graph"], flagged),
        "warnings": warnings,
    }
    return answer


def read_in_full(lineage: LineageResponse) -> bool:
    """Whether no read that finds S3 data was cut off: no step left unread
    (``summary.incomplete``, ``Incomplete``), no read dropped at the deadline (``Timeout``
    about the request) and none that timed out (``Timeout`` about a job, a step, or the
    S3 locations of steps). A ``Timeout`` about an ``s3://`` bucket is a posture value,
    which the rules see as ``Unknown``. A gate must not pass on what it never saw."""
    summary = lineage.get("summary") or {}
    if summary.get("incomplete"):
        return False
    return not any(
        w["code"] == "Incomplete"
        or (w["code"] == "Timeout" and not w["target"].startswith("s3://"))
        for w in lineage["warnings"]
    )


def failing(check: CheckResponse) -> Sequence[tuple[ArtifactCheck, RuleCheck]]:
    """Each (artifact, rule check) that fails the gate, in answer order."""
    allow = check["policy"]["unknown"] == "allow"
    return [
        (result, rule)
        for result in check["results"]
        for rule in result["checks"]
        if rule["outcome"] == "fail" or (rule["outcome"] == "unknown" and not allow)
    ]
