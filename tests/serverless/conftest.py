"""Fixtures of the serverless front door."""

from __future__ import annotations

import pytest
from serverless_support import LambdaContext


@pytest.fixture
def lambda_context() -> LambdaContext:
    return LambdaContext()
