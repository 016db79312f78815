"""The posture gate (core/policy.py): policy files and their verdicts, on answers built by
hand so every outcome is known."""

from __future__ import annotations

import copy

import pytest

from sagemaker_lineage_ext.core.errors import InvalidInputError
from sagemaker_lineage_ext.core.policy import DEFAULT_POLICY, evaluate_check
from sagemaker_lineage_ext.kit.outputs import parse_policy

OK = {"encryption": "aws:kms", "versioning": "Enabled", "publicAccess": "Blocked",
      "tags": {}, "region": "eu-west-1", "findings": []}  # fmt: skip
OPEN = {"encryption": "None", "versioning": "Suspended", "publicAccess": "Partial", "tags": {},
        "region": "eu-west-1", "findings": ["NotEncrypted", "PublicAccessPartiallyBlocked",
                                            "VersioningOff"]}  # fmt: skip
DENIED = {"encryption": "Unknown", "versioning": "Unknown", "publicAccess": "Unknown",
          "tags": "Unknown", "region": "Unknown", "findings": ["PostureUnknown"]}  # fmt: skip


def artifact(aid, bucket, key, s3, producers=(), consumers=("Train",)):
    uri = f"s3://{bucket}/{key}" if bucket else f"s3://{{bucket}}/{key}"
    return {"id": aid, "uri": uri, "bucket": bucket, "key": key if bucket else None,
            "resolved": bucket is not None, "producers": list(producers),
            "consumers": list(consumers), "s3": s3}  # fmt: skip


LINEAGE = {
    "pipeline": {
        "name": "p",
        "arn": "arn:aws:sagemaker:eu-west-1:123456789012:pipeline/p",
        "region": "eu-west-1",
        "displayName": "p",
        "description": None,
        "status": "Active",
        "creationTime": None,
        "lastModifiedTime": None,
        "lastRunTime": None,
        "tags": {},
    },  # fmt: skip
    "execution": None,
    "graph": {
        "nodes": [
            {"id": "Train", "type": "Training", "inputs": [], "outputs": []},
            {"id": "Register", "type": "RegisterModel", "inputs": [], "outputs": []},
        ],
        "edges": [{"from": "Train", "to": "Register", "via": "ref:Get"}],
        "artifacts": [
            artifact(1, "clean", "in/data.csv", OK),
            artifact(2, "open-bucket", "scratch/tmp.csv", OPEN),
            artifact(3, "audit", "logs/x", DENIED),
            artifact(4, "unread", "k", None),
            artifact(5, None, "k", None),
        ],
        "risks": [],
    },
    "warnings": [{"code": "AccessDenied", "target": "s3://audit", "message": "..."}],
}


def outcomes(check):
    return {
        r["artifactId"]: {c["rule"]: c["outcome"] for c in r["checks"]} for r in check["results"]
    }


def test_policy_default_fails_each_broken_rule_and_every_unknown(validate_against):
    check = evaluate_check(LINEAGE)
    body = validate_against("check-response.schema.json", check)
    assert body["passed"] is False
    assert outcomes(check) == {
        1: {"encryption": "pass", "public-access": "pass", "versioning": "pass"},
        2: {"encryption": "fail", "public-access": "fail", "versioning": "fail"},
        3: {"encryption": "unknown", "public-access": "unknown", "versioning": "unknown"},
        4: {"encryption": "unknown", "public-access": "unknown", "versioning": "unknown"},
        5: {"encryption": "unknown", "public-access": "unknown", "versioning": "unknown"},
    }
    assert check["counts"] == {
        "artifacts": 5,
        "passed": 1,
        "failed": 1,
        "unknown": 3,
        "excepted": 0,
    }
    messages = {r["artifactId"]: r["checks"][0]["message"] for r in check["results"]}
    assert messages[2] == "the bucket has no default encryption (encryption is None)"
    assert messages[3] == "encryption could not be read (see the warnings)"
    assert messages[4] == "the bucket's posture was not read (ENABLE_S3_META=false)"
    assert messages[5] == "its bucket is not known (the URI is still a placeholder)"
    assert check["policy"] == {"source": "default", "rules": ["encryption", "public-access",
                               "versioning"], "unknown": "fail", "exceptions": []}  # fmt: skip
    assert check["warnings"] == LINEAGE["warnings"]


def test_policy_allow_unknown_passes_when_only_unknowns_remain():
    lineage = copy.deepcopy(LINEAGE)
    del lineage["graph"]["artifacts"][1]
    assert evaluate_check(lineage)["passed"] is False
    allowed = evaluate_check(lineage, allow_unknown=True)
    assert allowed["passed"] is True and allowed["policy"]["unknown"] == "allow"
    file_allowed = evaluate_check(lineage, parse_policy('[rules]\nunknown = "allow"\n', "p.toml"))
    assert file_allowed["passed"] is True


def test_policy_exceptions_by_bucket_pattern_and_prefix_carry_their_reason():
    policy = parse_policy(
        """
[[exceptions]]
bucket = "open-*"
prefix = "scratch/"
rules = ["versioning", "public-access"]
reason = "scratch space, deleted nightly"

[[exceptions]]
bucket = "audit"
reason = "owned by the audit team; we may not read its configuration"
""",
        "policy.toml",
    )
    check = evaluate_check(LINEAGE, policy)
    assert outcomes(check)[2] == {"encryption": "fail", "public-access": "excepted",
                                  "versioning": "excepted"}  # fmt: skip
    assert outcomes(check)[3] == dict.fromkeys(
        ("encryption", "public-access", "versioning"), "excepted"
    )
    reasons = {c["reason"] for r in check["results"] for c in r["checks"] if c["reason"]}
    assert reasons == {"scratch space, deleted nightly",
                       "owned by the audit team; we may not read its configuration"}  # fmt: skip
    # the encryption rule is not excepted: artifact 2 still fails, and its outcome says so
    assert [r["outcome"] for r in check["results"]] == [
        "pass",
        "fail",
        "excepted",
        "unknown",
        "unknown",
    ]
    other_prefix = copy.deepcopy(LINEAGE)
    other_prefix["graph"]["artifacts"][1]["key"] = "keep/tmp.csv"
    assert outcomes(evaluate_check(other_prefix, policy))[2]["versioning"] == "fail"


@pytest.mark.parametrize(
    ("prefix", "key", "excepted"),
    [
        ("ml/eval", "ml/eval/report.json", True),
        ("ml/eval", "ml/eval", True),  # the folder itself (an output prefix)
        ("ml/eval", "ml/eval/", True),
        ("ml/eval/", "ml/eval", True),
        ("ml/eval/", "ml/eval/2026/x", True),
        ("ml/eval", "ml/evaluation-old/report.json", False),  # a longer name, not a folder
        ("ml/eval", "ml/evaluation-old", False),
        ("ml/eval/", "ml/evaluation-old/x", False),
        ("ml/eval", "ml", False),  # the parent holds more than the exception covers
        ("ml/eval", "xml/eval/x", False),
    ],
)
def test_policy_prefix_exception_matches_whole_key_segments(prefix, key, excepted):
    # GIVEN an exception for the prefix ml/eval, WHEN an artifact's key merely starts
    # with the same letters (ml/evaluation-old), THEN it is not excepted: a prefix is a
    # folder of the bucket, as in the lineage's own prefix matching
    policy = parse_policy(
        f'[[exceptions]]\nbucket = "open-bucket"\nprefix = "{prefix}"\nreason = "eval"\n',
        "p.toml",
    )
    lineage = copy.deepcopy(LINEAGE)
    lineage["graph"]["artifacts"][1]["key"] = key
    lineage["graph"]["artifacts"][1]["uri"] = f"s3://open-bucket/{key}"
    expected = "excepted" if excepted else "fail"
    assert set(outcomes(evaluate_check(lineage, policy))[2].values()) == {expected}


@pytest.mark.parametrize(
    "cut",
    [
        {"summary": {"incomplete": 3}},  # job describes the deadline cut off
        {"warnings": [{"code": "Timeout", "target": "request", "message": "5 AWS reads..."}]},
        # the S3 locations of steps were still being read at the deadline
        {"warnings": [{"code": "Timeout", "target": "Train", "message": "the deadline..."}]},
    ],
)
def test_policy_a_read_cut_short_by_the_time_limit_never_passes(cut):
    # GIVEN an answer whose every artifact passes (or is an allowed Unknown), but whose
    # reads the request's time limit cut short: what was not read may break the policy
    lineage = copy.deepcopy(LINEAGE)
    lineage["graph"]["artifacts"] = lineage["graph"]["artifacts"][:1]
    assert evaluate_check(lineage)["passed"] is True
    lineage.update(copy.deepcopy(cut))
    check = evaluate_check(lineage, allow_unknown=True)
    # THEN the gate fails, and says why
    assert check["passed"] is False
    (why,) = [w for w in check["warnings"] if w["target"] == "check"]
    assert why["code"] == "Incomplete" and "cannot pass" in why["message"]


def test_policy_a_bucket_read_that_timed_out_is_an_unknown_value_not_a_cut_read():
    lineage = copy.deepcopy(LINEAGE)
    lineage["graph"]["artifacts"] = lineage["graph"]["artifacts"][:1]
    lineage["warnings"] = [{"code": "Timeout", "target": "s3://clean", "message": "..."}]
    assert evaluate_check(lineage)["passed"] is True


def test_policy_rules_switched_off_are_not_checked():
    policy = parse_policy("[rules]\nencryption = false\nversioning = false\n", "p.toml")
    check = evaluate_check(LINEAGE, policy)
    assert {rule for r in outcomes(check).values() for rule in r} == {"public-access"}
    assert check["policy"]["rules"] == ["public-access"]


def test_policy_risks_are_the_paths_of_failing_artifacts_only():
    lineage = copy.deepcopy(LINEAGE)
    lineage["graph"]["artifacts"][1]["consumers"] = ["Train"]
    lineage["graph"]["artifacts"][2]["consumers"] = ["Register"]
    risks = evaluate_check(lineage)["risks"]
    assert [(r["artifactId"], r["findings"]) for r in risks] == [
        (2, ["NotEncrypted", "PublicAccessPartiallyBlocked", "VersioningOff"]),
        (3, ["PostureUnknown"]),
        (4, ["PostureUnknown"]),
        (5, ["PostureUnknown"]),
    ]
    assert [r["steps"] for r in risks] == [
        ["Train", "Register"],
        ["Register"],
        ["Train", "Register"],
        ["Train", "Register"],
    ]
    excepted = parse_policy('[[exceptions]]\nbucket = "open-bucket"\nreason = "accepted"\n', "p")
    allowed = evaluate_check(lineage, excepted, allow_unknown=True)
    assert allowed["risks"] == []


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("rules = [", "policy.toml: is not TOML:"),
        ("[rule]\nencryption = true", "policy.toml: has an unknown key 'rule'"),
        ("[rules]\nencrypt = true", "[rules] has an unknown rule 'encrypt'"),
        ('[rules]\nversioning = "yes"', "rules.versioning must be true or false"),
        ('[rules]\nunknown = "ignore"', 'rules.unknown must be "fail" or "allow"'),
        ("exceptions = 1", "exceptions must be an array of tables"),
        ('[[exceptions]]\nreason = "r"', "exception 1 needs a bucket"),
        ('[[exceptions]]\nbucket = "b"', "exception 1 (b) needs a reason"),
        ('[[exceptions]]\nbucket = "b"\nreason = " "', "exception 1 (b) needs a reason"),
        ('[[exceptions]]\nbucket = "b"\nreason = "r"\nrules = ["tags"]', "rules must list some of"),
        ('[[exceptions]]\nbucket = "b"\nreason = "r"\nprefix = ""', "prefix must be a non-empty"),
        (
            '[[exceptions]]\nbucket = "b"\nreason = "r"\nprefix = "/"',
            "prefix must name a key prefix",
        ),
        ('[[exceptions]]\nbucket = "b"\nreason = "r"\nuntil = 2027-01-01', "unknown key 'until'"),
    ],
)
def test_policy_file_mistakes_name_the_policy_and_what_is_wrong(text, says):
    with pytest.raises(InvalidInputError) as caught:
        parse_policy(text, "policy.toml")
    assert caught.value.parameter == "policy"
    assert says in caught.value.user_message
    assert caught.value.in_terms(lambda name: "--policy").startswith("--policy policy.toml: ")


def test_policy_empty_file_is_the_default_policy():
    assert parse_policy("", "empty.toml").rules == DEFAULT_POLICY.rules
    assert parse_policy("", "empty.toml").source == "empty.toml"
