"""The domain filter: a Studio domain ARN, its id, or a domain-name tag."""

from __future__ import annotations

import pytest

from sagemaker_lineage_ext.core.config import DEFAULT_DOMAIN_TAG_KEYS
from sagemaker_lineage_ext.core.domain import domain_matches

ARN = "arn:aws:sagemaker:ap-northeast-2:123456789012:domain/d-abc123def456"
STUDIO_TAGS = {"sagemaker:domain-arn": ARN, "domain-name": "mlops-studio", "Env": "dev"}


@pytest.mark.parametrize(
    ("domain", "expected"),
    [
        (ARN, True),
        ("d-abc123def456", True),
        ("mlops-studio", True),
        ("d-abc123", False),  # a prefix of the id is not the id
        ("arn:aws:sagemaker:ap-northeast-2:123456789012:domain/d-other", False),
        ("MLOPS-STUDIO", False),  # names compare exactly
        ("dev", False),  # other tags' values do not count
    ],
)
def test_domain_matches_studio_tags(domain, expected):
    assert domain_matches(STUDIO_TAGS, domain, DEFAULT_DOMAIN_TAG_KEYS) is expected


def test_domain_matches_tag_keys_case_insensitively():
    assert domain_matches({"SageMaker:Domain-Name": "risk"}, "risk", DEFAULT_DOMAIN_TAG_KEYS)


def test_domain_matches_only_the_configured_name_keys():
    tags = {"team-domain": "fraud"}
    assert not domain_matches(tags, "fraud", DEFAULT_DOMAIN_TAG_KEYS)
    assert domain_matches(tags, "fraud", ("team-domain",))


def test_domain_untagged_pipeline_matches_nothing():
    assert not domain_matches({}, "mlops-studio", DEFAULT_DOMAIN_TAG_KEYS)
