"""The one error tree of the lineage core.

Every failure a front door can show is a ``LineageError``. Each class knows its
HTTP status (SPEC allows 400, 404 and 500), its CLI exit code and the message a
person at a terminal or in a notebook may see (``user_message``). Over HTTP a
500 never carries that message: its body is ``{"message": "internal error",
"requestId": ...}`` and the detail goes to the log under the request id.
"""

from __future__ import annotations

NOT_FOUND_MESSAGE = "pipeline not found or domain filter mismatched"


class LineageError(Exception):
    """Base of every error the core raises on purpose."""

    status = 500
    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.user_message = message

    @property
    def explanation(self) -> str:
        """The message for a person at a terminal or notebook (the CLI, the magic)."""
        return self.user_message

    def to_body(self, request_id: str | None = None) -> dict:
        """The JSON body SPEC.md prescribes for this error."""
        if self.status >= 500:
            return {"message": "internal error", "requestId": request_id or ""}
        return {"message": self.user_message}


class InvalidInputError(LineageError):
    """A parameter is missing or malformed (HTTP 400). The message names it."""

    status = 400
    exit_code = 2

    def __init__(self, parameter: str, problem: str) -> None:
        super().__init__(f"{parameter} {problem}")
        self.parameter = parameter


class DefinitionError(InvalidInputError):
    """A pipeline definition document that cannot be read as one."""

    def __init__(self, problem: str) -> None:
        super().__init__("definition", problem)


class NotFoundError(LineageError):
    """No such pipeline or execution, or the domain filter did not match (HTTP 404).

    The body is always SPEC's one sentence, so a caller cannot tell a pipeline
    outside its domain from one that does not exist.
    """

    status = 404
    exit_code = 3

    def __init__(self, detail: str | None = None) -> None:
        super().__init__(NOT_FOUND_MESSAGE)
        #: What exactly was not found, for a person at a terminal or notebook
        #: (never in an HTTP body: it would tell a domain-filtered pipeline exists).
        self.detail = detail

    @property
    def explanation(self) -> str:
        return f"{self.user_message}: {self.detail}" if self.detail else self.user_message


class ServiceError(LineageError):
    """AWS could not answer the request (HTTP 500 with a request id).

    ``user_message`` says why (for the CLI and the notebook); over HTTP only the
    log does.
    """


class AccessDeniedError(ServiceError):
    """The reading role may not read the pipeline itself.

    Denials on secondary reads (a job, a bucket) are warnings, not errors.
    """

    def __init__(self, action: str) -> None:
        super().__init__(f"access denied: the AWS role cannot call {action}")
        self.action = action

    def to_body(self, request_id: str | None = None) -> dict:
        """Still SPEC's 500, but saying which IAM action the role lacks: it is one of the
        documented read-only permissions (no internal detail), and only the person
        who is told which one can fix the role (the side panel shows it)."""
        return {
            "message": self.user_message,
            "requestId": request_id or "",
            "code": "AccessDenied",
            "action": self.action,
        }


class CredentialsError(ServiceError):
    """No AWS credentials, or AWS rejected them (expired, unknown)."""

    def __init__(self, problem: str) -> None:
        super().__init__(f"{problem}; configure AWS credentials, or use the demo account (--demo)")


class ThrottledError(ServiceError):
    """AWS kept throttling after every retry."""

    def __init__(self) -> None:
        super().__init__("AWS is throttling requests; try again in a moment")


class DeadlineError(ServiceError):
    """The pipeline itself could not be read before the deadline."""

    def __init__(self) -> None:
        super().__init__("timed out reading the pipeline; try again")


class AwsReadError(ServiceError):
    """An AWS read failed for another reason; ``code`` is AWS's error code."""

    def __init__(self, operation: str, code: str) -> None:
        super().__init__(f"AWS answered {operation} with {code}")
        self.operation = operation
        self.code = code


class InternalError(LineageError):
    """Anything unexpected. Details go to the log, never to a body."""

    def __init__(self) -> None:
        super().__init__("internal error")


def error_response(exc: BaseException, request_id: str | None = None) -> tuple[int, dict]:
    """Map any exception to SPEC's ``(status, body)``; unexpected ones become a bare 500."""
    error = exc if isinstance(exc, LineageError) else InternalError()
    return error.status, error.to_body(request_id)
