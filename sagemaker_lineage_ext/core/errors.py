"""The one error tree of the lineage core.

Every failure a front door can show is a ``LineageError``. Each subclass knows
its HTTP status and the message a user may see; front doors map the tree to
their own output (HTTP body, CLI exit code, one notebook line) in one place.
Nothing internal (stack traces, AWS request ids, botocore messages) is ever part
of ``user_message``.
"""

from __future__ import annotations


class LineageError(Exception):
    """Base of every error the core raises on purpose."""

    status = 500
    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.user_message = message

    def to_body(self, request_id: str | None = None) -> dict:
        """The JSON body SPEC.md prescribes for this error."""
        return {"message": self.user_message}


class InvalidInputError(LineageError):
    """A parameter is missing or malformed (HTTP 400). The message names it."""

    status = 400
    exit_code = 2

    def __init__(self, parameter: str, problem: str) -> None:
        super().__init__(f"{parameter} {problem}")
        self.parameter = parameter


class NotFoundError(LineageError):
    """No such pipeline or execution, or the domain filter did not match (HTTP 404)."""

    status = 404
    exit_code = 3
    default_message = "pipeline not found or domain filter mismatched"

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.default_message)


class AccessDeniedError(LineageError):
    """The reading role may not read the pipeline itself (HTTP 403).

    Denials on secondary reads (a bucket, a job) are warnings, not errors.
    """

    status = 403
    exit_code = 1

    def __init__(self, action: str) -> None:
        super().__init__(f"access denied: the AWS role cannot call {action}")
        self.action = action


class ThrottledError(LineageError):
    """AWS kept throttling after every retry (HTTP 503)."""

    status = 503

    def __init__(self) -> None:
        super().__init__("AWS is throttling requests; try again in a moment")


class DeadlineError(LineageError):
    """The pipeline itself could not be read before the deadline (HTTP 504)."""

    status = 504

    def __init__(self) -> None:
        super().__init__("timed out reading the pipeline; try again")


class InternalError(LineageError):
    """Anything unexpected (HTTP 500). Details go to the log, never to the body."""

    status = 500
    exit_code = 1

    def __init__(self, message: str = "internal error") -> None:
        super().__init__("internal error")
        self.detail = message

    def to_body(self, request_id: str | None = None) -> dict:
        return {"message": "internal error", "requestId": request_id or ""}


class DefinitionError(InvalidInputError):
    """A pipeline definition document that cannot be read as one."""

    def __init__(self, problem: str) -> None:
        super().__init__("definition", problem)


def error_response(exc: BaseException, request_id: str | None = None) -> tuple[int, dict]:
    """Map any exception to SPEC's ``(status, body)``; unexpected ones become a bare 500."""
    if isinstance(exc, LineageError):
        body = exc.to_body(request_id)
        if exc.status >= 500:
            body["requestId"] = request_id or ""
        return exc.status, body
    return 500, InternalError().to_body(request_id)
