"""Bucket posture verdicts from raw S3 answers (s3.* values and their warnings, docs/api.md)."""

from __future__ import annotations

import pytest

from sagemaker_lineage_ext.core.posture import Outcome, bucket_posture, posture_findings

BUCKET = "my-mlops-dev2-v2-main-data"
ALL_FLAGS = {
    "BlockPublicAcls": True,
    "IgnorePublicAcls": True,
    "BlockPublicPolicy": True,
    "RestrictPublicBuckets": True,
}


def sse(algorithm: str) -> Outcome:
    return Outcome(
        {
            "ServerSideEncryptionConfiguration": {
                "Rules": [
                    {
                        "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": algorithm},
                        "BucketKeyEnabled": True,
                    }
                ]
            }
        }
    )


def posture_of(operation: str, outcome: Outcome) -> tuple[dict, list[dict]]:
    return bucket_posture(BUCKET, {operation: outcome})


@pytest.mark.parametrize(
    ("outcome", "expected"),
    [
        (sse("aws:kms"), "aws:kms"),
        (sse("aws:kms:dsse"), "aws:kms:dsse"),
        (sse("AES256"), "AES256"),
        (Outcome(error="ServerSideEncryptionConfigurationNotFoundError"), "None"),
        (Outcome({"ServerSideEncryptionConfiguration": {"Rules": []}}), "None"),
    ],
)
def test_bucket_posture_encryption(outcome, expected):
    s3, warnings = posture_of("GetBucketEncryption", outcome)

    assert s3["encryption"] == expected
    assert warnings == []


@pytest.mark.parametrize(
    ("response", "expected"),
    [({"Status": "Enabled"}, "Enabled"), ({"Status": "Suspended"}, "Suspended"), ({}, "Disabled")],
)
def test_bucket_posture_versioning(response, expected):
    s3, warnings = posture_of("GetBucketVersioning", Outcome(response))

    assert (s3["versioning"], warnings) == (expected, [])


@pytest.mark.parametrize(
    ("outcome", "expected"),
    [
        (Outcome({"PublicAccessBlockConfiguration": ALL_FLAGS}), "Blocked"),
        (
            Outcome(
                {"PublicAccessBlockConfiguration": dict(ALL_FLAGS, RestrictPublicBuckets=False)}
            ),
            "Partial",
        ),
        (Outcome({"PublicAccessBlockConfiguration": {"BlockPublicAcls": True}}), "Partial"),
        (
            Outcome({"PublicAccessBlockConfiguration": dict.fromkeys(ALL_FLAGS, False)}),
            "NotBlocked",
        ),
        (Outcome(error="NoSuchPublicAccessBlockConfiguration"), "NotBlocked"),
    ],
)
def test_bucket_posture_public_access(outcome, expected):
    s3, warnings = posture_of("GetPublicAccessBlock", outcome)

    assert (s3["publicAccess"], warnings) == (expected, [])


@pytest.mark.parametrize(
    ("outcome", "expected"),
    [
        (
            Outcome(
                {"TagSet": [{"Key": "Env", "Value": "development"}, {"Key": "Team", "Value": "ml"}]}
            ),
            {"Env": "development", "Team": "ml"},
        ),
        (Outcome(error="NoSuchTagSet"), {}),
    ],
)
def test_bucket_posture_tags(outcome, expected):
    s3, warnings = posture_of("GetBucketTagging", outcome)

    assert (s3["tags"], warnings) == (expected, [])


@pytest.mark.parametrize(
    ("constraint", "expected"),
    [(None, "us-east-1"), ("EU", "eu-west-1"), ("ap-northeast-2", "ap-northeast-2")],
)
def test_bucket_posture_region_from_location_constraint(constraint, expected):
    s3, _ = posture_of("GetBucketLocation", Outcome({"LocationConstraint": constraint}))

    assert s3["region"] == expected


@pytest.mark.parametrize(
    ("operation", "field", "action"),
    [
        ("GetBucketEncryption", "encryption", "s3:GetEncryptionConfiguration"),
        ("GetBucketVersioning", "versioning", "s3:GetBucketVersioning"),
        ("GetPublicAccessBlock", "publicAccess", "s3:GetBucketPublicAccessBlock"),
        ("GetBucketTagging", "tags", "s3:GetBucketTagging"),
        ("GetBucketLocation", "region", "s3:GetBucketLocation"),
    ],
)
def test_bucket_posture_access_denied_is_unknown_with_a_warning_naming_the_iam_action(
    operation, field, action
):
    s3, warnings = posture_of(operation, Outcome(error="AccessDenied"))

    assert s3[field] == "Unknown"
    assert len(warnings) == 1
    assert warnings[0]["code"] == "AccessDenied"
    assert warnings[0]["target"] == f"s3://{BUCKET}"
    assert action in warnings[0]["message"]
    assert field in warnings[0]["message"]


def test_bucket_posture_timeout_is_unknown_with_a_timeout_warning():
    s3, warnings = posture_of("GetBucketVersioning", Outcome(error="Timeout"))

    assert s3["versioning"] == "Unknown"
    assert [w["code"] for w in warnings] == ["Timeout"]
    assert "timed out" in warnings[0]["message"]


def test_bucket_posture_missing_bucket_gives_one_warning_not_one_per_read():
    outcomes = {
        op: Outcome(error="NoSuchBucket")
        for op in (
            "GetBucketEncryption",
            "GetBucketVersioning",
            "GetPublicAccessBlock",
            "GetBucketTagging",
        )
    }

    s3, warnings = bucket_posture("gone-bucket", outcomes)

    assert [s3[k] for k in ("encryption", "versioning", "publicAccess", "tags")] == ["Unknown"] * 4
    assert [(w["code"], w["target"]) for w in warnings] == [("NoSuchBucket", "s3://gone-bucket")]


def test_bucket_posture_full_answer_and_its_findings():
    s3, warnings = bucket_posture(
        BUCKET,
        {
            "GetBucketEncryption": sse("aws:kms"),
            "GetBucketVersioning": Outcome({"Status": "Enabled"}),
            "GetPublicAccessBlock": Outcome({"PublicAccessBlockConfiguration": ALL_FLAGS}),
            "GetBucketTagging": Outcome({"TagSet": [{"Key": "Env", "Value": "development"}]}),
            "GetBucketLocation": Outcome({"LocationConstraint": "ap-northeast-2"}),
        },
    )

    assert warnings == []
    assert s3 == {
        "encryption": "aws:kms",
        "versioning": "Enabled",
        "publicAccess": "Blocked",
        "tags": {"Env": "development"},
        "region": "ap-northeast-2",
        "findings": [],
    }


@pytest.mark.parametrize(
    ("s3", "findings"),
    [
        (
            {
                "encryption": "None",
                "versioning": "Disabled",
                "publicAccess": "NotBlocked",
                "tags": {},
            },
            ["NotEncrypted", "PublicAccessNotBlocked", "VersioningOff"],
        ),
        (
            {
                "encryption": "AES256",
                "versioning": "Suspended",
                "publicAccess": "Partial",
                "tags": {},
            },
            ["PublicAccessPartiallyBlocked", "VersioningOff"],
        ),
        (
            {
                "encryption": "Unknown",
                "versioning": "Enabled",
                "publicAccess": "Blocked",
                "tags": {},
            },
            ["PostureUnknown"],
        ),
    ],
)
def test_posture_findings(s3, findings):
    assert posture_findings(s3) == findings
