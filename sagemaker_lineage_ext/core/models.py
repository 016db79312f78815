"""Placeholder until the contract branch lands (TypedDicts of every answer)."""

from __future__ import annotations

from typing import Any, TypedDict


class Warning(TypedDict):
    code: str
    target: str
    message: str


LineageResponse = dict[str, Any]
PipelinesResponse = dict[str, Any]
ExecutionsResponse = dict[str, Any]
