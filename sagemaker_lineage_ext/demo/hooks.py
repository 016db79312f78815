"""What moto does not serve, served on the same botocore client.

- ``ListPipelineExecutionSteps`` (moto does not implement it): answered from the
  seeded step records, paginated like the real API, and every answer validated
  against botocore's own output shape for the operation (plus enum values,
  which botocore's validator does not check).
- Access control (moto does not enforce IAM): the posture reads of the
  restricted demo bucket are denied with S3's real ``AccessDenied`` error.
- Regions moto has never heard of (``eu-west-99``): moto raises a KeyError from
  inside its backend, where AWS would have a region with nothing in it. Such a
  region's SageMaker answers every listing empty and everything else "not found".
- Optional per-call latency, to make benchmarks behave like a remote API.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from botocore.awsrequest import AWSResponse
from botocore.model import OperationModel, Shape
from botocore.validate import ParamValidator

from ..core.posture import IAM_ACTION

POSTURE_OPERATIONS = frozenset(IAM_ACTION)


class CannedResponseError(AssertionError):
    """A canned answer that does not match botocore's output shape."""


def _check_enums(value: Any, shape: Shape, path: str) -> None:
    if shape.type_name == "structure" and isinstance(value, Mapping):
        for key, item in value.items():
            if key in shape.members:
                _check_enums(item, shape.members[key], f"{path}.{key}")
    elif shape.type_name == "list" and isinstance(value, list):
        for i, item in enumerate(value):
            _check_enums(item, shape.member, f"{path}[{i}]")
    elif shape.type_name == "string" and shape.enum and value not in shape.enum:
        raise CannedResponseError(f"{path}: {value!r} is not one of {shape.enum}")


def validate_output(operation_model: OperationModel, parsed: Mapping[str, Any]) -> None:
    """Raise CannedResponseError unless ``parsed`` fits the operation's output shape."""
    body = {k: v for k, v in parsed.items() if k != "ResponseMetadata"}
    report = ParamValidator().validate(body, operation_model.output_shape)
    if report.has_errors():
        raise CannedResponseError(report.generate_report())
    _check_enums(body, operation_model.output_shape, operation_model.name)


def validate_fields(
    operation_model: OperationModel, parsed: Mapping[str, Any], keys: Iterable[str]
) -> None:
    """Raise CannedResponseError unless each of ``keys`` present in ``parsed`` fits its
    member of the operation's output shape, and each absent one is optional there.

    For answers moto gives and a hook rewrites in part: only the rewritten fields
    are ours to check (moto's own answers leave out some required members)."""
    shape = operation_model.output_shape
    for key in keys:
        if key not in shape.members:
            raise CannedResponseError(f"{operation_model.name}: no output member {key!r}")
        if key not in parsed:
            if key in shape.required_members:
                raise CannedResponseError(f"{operation_model.name}: {key} is required")
            continue
        member = shape.members[key]
        report = ParamValidator().validate(parsed[key], member)
        if report.has_errors():
            raise CannedResponseError(f"{operation_model.name}.{key}: {report.generate_report()}")
        _check_enums(parsed[key], member, f"{operation_model.name}.{key}")


def _ok(parsed: dict) -> tuple[AWSResponse, dict]:
    parsed.setdefault(
        "ResponseMetadata", {"HTTPStatusCode": 200, "HTTPHeaders": {}, "RetryAttempts": 0}
    )
    return AWSResponse("https://demo.invalid/", 200, {}, None), parsed


def steps_handler(records: Mapping[str, list[dict]]) -> Callable[..., Any]:
    """A ``before-call`` handler serving ListPipelineExecutionSteps from ``records``."""

    def handle(model: OperationModel, params: dict, **_: Any) -> tuple[AWSResponse, dict]:
        request = json.loads(params["body"] or b"{}")
        arn = request["PipelineExecutionArn"]
        if arn not in records:
            error = {
                "Error": {
                    "Code": "ResourceNotFound",
                    "Message": f"Pipeline execution {arn} does not exist.",
                },
                "ResponseMetadata": {"HTTPStatusCode": 400},
            }
            return AWSResponse("https://demo.invalid/", 400, {}, None), error
        steps = sorted(records[arn], key=lambda s: s["StartTime"])
        if request.get("SortOrder", "Descending") == "Descending":
            steps.reverse()
        start = int(request.get("NextToken") or 0)
        size = int(request.get("MaxResults") or 50)
        page = steps[start : start + size]
        parsed: dict[str, Any] = {"PipelineExecutionSteps": page}
        if start + size < len(steps):
            parsed["NextToken"] = str(start + size)
        validate_output(model, parsed)
        return _ok(parsed)

    return handle


def _not_found(what: str) -> tuple[AWSResponse, dict]:
    error = {
        "Error": {"Code": "ResourceNotFound", "Message": f"{what} does not exist."},
        "ResponseMetadata": {"HTTPStatusCode": 400},
    }
    return AWSResponse("https://demo.invalid/", 400, {}, None), error


def empty_region_handler() -> Callable[..., Any]:
    """A ``before-call.sagemaker`` handler for a region with nothing in it: every
    ``List*`` answers an empty page (validated like any canned answer), anything else
    ResourceNotFound, as AWS answers in a region where nothing was ever created."""

    def handle(model: OperationModel, **_: Any) -> tuple[AWSResponse, dict]:
        if not model.name.startswith("List"):
            return _not_found("The resource")
        shape = model.output_shape
        members = shape.members if shape is not None else {}
        parsed: dict[str, Any] = {
            name: [] for name, member in members.items() if member.type_name == "list"
        }
        validate_output(model, parsed)
        return _ok(parsed)

    return handle


def failure_reason_handler(reasons: Mapping[str, str]) -> Callable[..., None]:
    """An ``after-call`` handler adding the seeded FailureReason moto leaves empty."""

    def handle(parsed: dict, **_: Any) -> None:
        reason = reasons.get(parsed.get("PipelineExecutionArn", ""))
        if reason and not parsed.get("FailureReason"):
            parsed["FailureReason"] = reason

    return handle


def denied_bucket_handler(buckets: frozenset[str]) -> Callable[..., Any]:
    """A ``before-call.s3`` handler denying posture reads on ``buckets``."""

    def handle(model: OperationModel, params: dict, context: dict | None = None, **_: Any) -> Any:
        if model.name not in POSTURE_OPERATIONS:
            return None
        bucket = (context or {}).get("input_params", {}).get("Bucket")
        if bucket in buckets:
            error = {
                "Error": {"Code": "AccessDenied", "Message": "Access Denied"},
                "ResponseMetadata": {"HTTPStatusCode": 403},
            }
            return AWSResponse(params.get("url") or "https://demo.invalid/", 403, {}, None), error
        return None

    return handle


def latency_handler(seconds: float) -> Callable[..., None]:
    """A ``before-send`` handler that waits ``seconds`` per HTTP attempt, like a remote API."""

    def handle(**_: Any) -> None:
        time.sleep(seconds)

    return handle


def install(
    client: Any,
    step_records: Mapping[str, list[dict]],
    denied: frozenset[str],
    latency_s: float = 0.0,
    failure_reasons: Mapping[str, str] | None = None,
    empty_region: bool = False,
) -> Any:
    """Register on ``client`` the hooks the demo account needs; returns the client.

    ``empty_region``: the client's region is one moto does not know (its SageMaker is
    answered as an empty region's)."""
    events = client.meta.events
    service_id = client.meta.service_model.service_id.hyphenize()
    if service_id == "sagemaker" and empty_region:
        events.register_first("before-call.sagemaker", empty_region_handler())
    if service_id == "sagemaker":
        events.register(
            "after-call.sagemaker.DescribePipelineExecution",
            failure_reason_handler(failure_reasons or {}),
        )
    if service_id == "sagemaker":
        events.register(
            "before-call.sagemaker.ListPipelineExecutionSteps", steps_handler(step_records)
        )
    if service_id == "s3":
        events.register_first("before-call.s3", denied_bucket_handler(denied))
    if latency_s > 0:
        events.register_first(f"before-send.{service_id}", latency_handler(latency_s))
        # Served by a before-call hook, this call never reaches before-send.
        events.register_first(
            f"before-call.{service_id}.ListPipelineExecutionSteps", latency_handler(latency_s)
        )
    return client
