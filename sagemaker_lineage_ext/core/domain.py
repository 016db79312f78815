"""The domain filter (pure): does a pipeline's tag set belong to a Studio domain?"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

DOMAIN_ARN_TAG = "sagemaker:domain-arn"


def domain_matches(tags: Mapping[str, str], domain: str, name_keys: Iterable[str]) -> bool:
    """True when ``domain`` (a domain ARN, a domain id such as ``d-abc123`` or a
    domain name) matches the ``sagemaker:domain-arn`` tag or a domain-name tag."""
    lowered = {key.lower(): value for key, value in tags.items()}
    arn = lowered.get(DOMAIN_ARN_TAG)
    if arn:
        if domain == arn or domain == arn.rsplit("/", 1)[-1]:
            return True
    for key in name_keys:
        value = lowered.get(key.lower())
        if value is not None and value == domain:
            return True
    return False
