"""The posture gate's answer as a person, a code-scanning UI or a CI server reads it (pure).

:func:`check_text` is the CLI's default report; :func:`check_sarif` is SARIF 2.1.0 (one
result per rule an artifact breaks, an exception as a suppression with its reason) for
GitHub code scanning and other SARIF viewers; :func:`check_junit` is JUnit XML (one test
case per artifact and rule: a failure, or skipped when excepted or an allowed Unknown)
for CI test reports. Each takes the ``check`` answer (``core/policy.py``).
"""

from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as ET
from typing import Any
from urllib.parse import quote

from .. import __version__
from .export import plural
from .models import ArtifactCheck, CheckResponse, RuleCheck

SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
INFORMATION_URI = "https://pypi.org/project/sagemaker-lineage-ext/"
RULE_TEXT = {
    "encryption": (
        "BucketDefaultEncryption",
        "S3 data of the pipeline is in a bucket without default encryption",
        "GetBucketEncryption finds no default encryption rule: objects written without "
        "their own encryption settings are stored unencrypted. Turn on SSE-S3 or SSE-KMS "
        "default encryption on the bucket.",
    ),
    "public-access": (
        "BucketPublicAccessBlocked",
        "S3 data of the pipeline is in a bucket whose public access is not fully blocked",
        "GetPublicAccessBlock: not all four Block Public Access flags (BlockPublicAcls, "
        "IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets) are on, so a policy or "
        "ACL can make the data public. Turn all four on.",
    ),
    "versioning": (
        "BucketVersioningEnabled",
        "S3 data of the pipeline is in a bucket without versioning",
        "GetBucketVersioning is not Enabled (never enabled, or Suspended): an overwritten or "
        "deleted input cannot be recovered, and a run cannot be reproduced from the data it "
        "read. Enable versioning.",
    ),
}
LABEL = {"pass": "PASS", "fail": "FAIL", "unknown": "UNKNOWN", "excepted": "EXCEPTED"}
#: What XML 1.0 cannot hold at all (escaping does not help): S3 keys may contain it.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _counts(check: CheckResponse) -> bool:
    return check["policy"]["unknown"] == "fail"


def _who(result: ArtifactCheck) -> str:
    parts = []
    if result["producers"]:
        parts.append(f"written by {', '.join(result['producers'])}")
    if result["consumers"]:
        parts.append(f"read by {', '.join(result['consumers'])}")
    return "; ".join(parts)


def _execution_text(check: CheckResponse) -> str:
    execution = check["execution"]
    if execution is None:
        return "no execution (the definition's data)"
    name = execution["displayName"] or execution["arn"].rsplit("/", 1)[-1]
    return f"execution {name} ({execution['status']})"


def check_text(check: CheckResponse) -> str:
    """A few lines for a terminal or a CI log: the verdict, each artifact that does not
    pass with its rules, and the risk paths."""
    counts, policy = check["counts"], check["policy"]
    verdict = "PASSED" if check["passed"] else "FAILED"
    unknown = "Unknown is allowed" if policy["unknown"] == "allow" else "Unknown fails"
    rules = ", ".join(policy["rules"]) or "no rules"
    lines = [
        f"{check['pipeline']['name']}, {_execution_text(check)}: {verdict}",
        f"  policy {policy['source']}: {rules}; {unknown}; "
        f"{plural(len(policy['exceptions']), 'exception')}",
        f"  {plural(counts['artifacts'], 'artifact')}: {counts['passed']} pass, {counts['failed']} fail, "
        f"{counts['unknown']} unknown, {counts['excepted']} excepted",
    ]
    for result in check["results"]:
        if result["outcome"] == "pass":
            continue
        lines.append(f"  {LABEL[result['outcome']]:<9} {result['uri']}")
        for rule in result["checks"]:
            if rule["outcome"] != "pass":
                mark = " (excepted)" if rule["outcome"] == "excepted" else ""
                lines.append(f"            {rule['rule']}: {rule['message']}{mark}")
        reasons = dict.fromkeys(r["reason"] for r in result["checks"] if r["reason"])
        lines += [f"            excepted: {reason}" for reason in reasons]
        who = _who(result)
        if who:
            lines.append(f"            {who}")
    if check["risks"]:
        lines.append(f"  risk paths to registered models ({len(check['risks'])}):")  # a title
        lines += [f"    {risk['message']}" for risk in check["risks"]]
    for warning in check["warnings"]:
        lines.append(f"  warning {warning['code']}: {warning['message']}")
    return "\n".join(lines) + "\n"


# -- SARIF 2.1.0 ----------------------------------------------------------------------


_URI_SAFE = "/-._~!$&'()*+,;=:@"


def sarif_uri(uri: str) -> str:
    """An S3 URI as a valid URI reference: the key percent-encoded (spaces, ``{...}``
    placeholders, non-ASCII), its slashes kept."""
    scheme, sep, rest = uri.partition("://")
    if not sep:
        return quote(uri, safe="/")
    return f"{scheme}://{quote(rest, safe=_URI_SAFE)}"


def _sarif_result(
    check: CheckResponse, result: ArtifactCheck, rule: RuleCheck, index: int
) -> dict[str, Any]:
    pipeline = check["pipeline"]["name"]
    counted = rule["outcome"] == "fail" or (rule["outcome"] == "unknown" and _counts(check))
    steps = result["producers"] + [c for c in result["consumers"] if c not in result["producers"]]
    text = f"{rule['message']}: {result['uri']}"
    who = _who(result)
    if who:
        text += f" ({who})"
    fingerprint = hashlib.sha256(f"{pipeline}\0{rule['rule']}\0{result['uri']}".encode())
    sarif: dict[str, Any] = {
        "ruleId": rule["rule"],
        "ruleIndex": index,
        "kind": "fail",
        "level": "error" if counted or rule["outcome"] == "excepted" else "warning",
        "message": {"text": text},
        "locations": [
            {
                "physicalLocation": {"artifactLocation": {"uri": sarif_uri(result["uri"])}},
                "logicalLocations": [
                    {"name": step, "fullyQualifiedName": f"{pipeline}/{step}", "kind": "function"}
                    for step in steps
                ],
            }
        ],
        "partialFingerprints": {"sagemakerLineageArtifact/v1": fingerprint.hexdigest()},
        "properties": {
            "outcome": rule["outcome"],
            "value": rule["value"],
            "bucket": result["bucket"],
            "pipeline": pipeline,
        },
    }
    if rule["outcome"] == "excepted":
        sarif["suppressions"] = [
            {"kind": "external", "status": "accepted", "justification": rule["reason"] or ""}
        ]
    return sarif


def check_sarif(check: CheckResponse) -> dict[str, Any]:
    """SARIF 2.1.0: one run of the tool ``sagemaker-lineage`` with a rule per policy rule
    and a result per (artifact, rule) that does not pass. Each result's location is the
    S3 URI, with the steps that write or read it as logical locations; an exception is
    a suppression (``external``, ``accepted``) carrying its reason."""
    rules = [
        {
            "id": rule,
            "name": RULE_TEXT[rule][0],
            "shortDescription": {"text": RULE_TEXT[rule][1]},
            "fullDescription": {"text": RULE_TEXT[rule][2]},
            "defaultConfiguration": {"level": "error"},
            "properties": {"tags": ["security", "s3", "sagemaker"]},
        }
        for rule in RULE_TEXT
    ]
    index = {rule: i for i, rule in enumerate(RULE_TEXT)}
    results = [
        _sarif_result(check, result, rule, index[rule["rule"]])
        for result in check["results"]
        for rule in result["checks"]
        if rule["outcome"] != "pass"
    ]
    execution = check["execution"]
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "sagemaker-lineage",
                        "version": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": rules,
                    }
                },
                "automationDetails": {
                    "id": f"sagemaker-lineage/check/{check['pipeline']['name']}/"
                },
                "invocations": [{"executionSuccessful": True}],
                "results": results,
                "properties": {
                    "pipeline": check["pipeline"]["arn"],
                    "execution": execution["arn"] if execution else None,
                    "passed": check["passed"],
                    "policy": check["policy"]["source"],
                },
            }
        ],
    }


# -- JUnit XML ------------------------------------------------------------------------


def _x(text: object) -> str:
    """``text`` as XML 1.0 can hold it (characters it forbids become U+FFFD)."""
    return _NOT_XML.sub("\ufffd", str(text))


def check_junit(check: CheckResponse) -> str:
    """JUnit XML: a test suite per pipeline, a test case per (artifact, rule), named
    ``<rule>: <uri>`` in class ``<pipeline>.<rule>``; a broken rule (and an Unknown
    that counts) is a ``failure``, an exception or an allowed Unknown ``skipped``."""
    pipeline = check["pipeline"]["name"]
    suite = ET.Element("testsuite", name=_x(f"{pipeline} posture"))
    properties = ET.SubElement(suite, "properties")
    execution = check["execution"]
    for name, value in (
        ("pipeline", check["pipeline"]["arn"]),
        ("execution", execution["arn"] if execution else ""),
        ("policy", check["policy"]["source"]),
        ("unknown", check["policy"]["unknown"]),
    ):
        ET.SubElement(properties, "property", name=name, value=_x(value))
    tests = failures = skipped = 0
    for result in check["results"]:
        for rule in result["checks"]:
            tests += 1
            case = ET.SubElement(
                suite,
                "testcase",
                classname=_x(f"{pipeline}.{rule['rule']}"),
                name=_x(f"{rule['rule']}: {result['uri']}"),
                time="0",
            )
            outcome = rule["outcome"]
            if outcome == "fail" or (outcome == "unknown" and _counts(check)):
                failures += 1
                failure = ET.SubElement(case, "failure", message=_x(rule["message"]), type=outcome)
                failure.text = _x(f"{rule['message']}\n{result['uri']}\n{_who(result)}".rstrip())
            elif outcome in ("excepted", "unknown"):
                skipped += 1
                why = f"excepted: {rule['reason']}" if outcome == "excepted" else rule["message"]
                ET.SubElement(case, "skipped", message=_x(why))
    totals = {"tests": tests, "failures": failures, "errors": 0, "skipped": skipped}
    for total, count in totals.items():
        suite.set(total, str(count))
    root = ET.Element(
        "testsuites", name="sagemaker-lineage check", tests=str(tests),
        failures=str(failures), errors="0", skipped=str(skipped),
    )  # fmt: skip
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
