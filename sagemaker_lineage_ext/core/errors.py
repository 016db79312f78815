"""The one error tree of the lineage core.

Every failure a front door can show is a ``LineageError``. Each class knows its
HTTP status (400, 404 or 500; docs/api.md, "Errors"), its CLI exit code and the
message a person at a terminal or in a notebook may see (``user_message``). Over
HTTP a 500 never carries that message: its body is ``{"message": "internal error",
"requestId": ...}`` and the detail goes to the log under the request id.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from http import HTTPStatus

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

    def in_terms(self, spell: Callable[[str], str]) -> str:
        """:attr:`explanation` with query parameters named as a door names them
        (``spell("region")`` is ``--region`` on the CLI)."""
        return self.explanation

    def to_body(self, request_id: str | None = None) -> dict[str, str]:
        """The JSON body of this error (docs/api.md, "Errors")."""
        if self.status >= 500:
            return {"message": "internal error", "requestId": request_id or ""}
        return {"message": self.user_message}


_MENTION = re.compile(r"\{([A-Za-z]+(?:=[a-z]+)?)\}")


class InvalidInputError(LineageError):
    """A parameter is missing or malformed (HTTP 400). The message names it.

    ``problem`` may mention other parameters as ``{name}`` (or ``{name=value}``),
    so each door can spell them its own way (:meth:`in_terms`).
    """

    status = 400
    exit_code = 2

    def __init__(self, parameter: str, problem: str) -> None:
        super().__init__(f"{parameter} {_MENTION.sub(lambda m: m.group(1), problem)}")
        self.parameter = parameter
        self.problem = problem

    def in_terms(self, spell: Callable[[str], str]) -> str:
        problem = _MENTION.sub(lambda m: spell(m.group(1)), self.problem)
        return f"{spell(self.parameter)} {problem}"


class DefinitionError(InvalidInputError):
    """A pipeline definition document that cannot be read as one."""

    def __init__(self, problem: str) -> None:
        super().__init__("definition", problem)


class NotFoundError(LineageError):
    """Something the request named is not there (HTTP 404).

    For a pipeline or execution the body is always the same sentence, so a caller
    cannot tell a pipeline outside its domain from one that does not exist; ``detail``
    says what exactly for a person at a terminal or notebook. A ``public`` detail tells
    nothing a domain filter hides (a path that is no route; a pipeline, read with no
    domain filter or past it, that never ran): it is the body's message itself.
    """

    status = 404
    exit_code = 3

    def __init__(self, detail: str | None = None, *, public: bool = False) -> None:
        super().__init__(detail if public and detail else NOT_FOUND_MESSAGE)
        #: What exactly was not found (in an HTTP body only when ``public``: else it
        #: would tell a domain-filtered pipeline exists).
        self.detail = detail
        self.public = public and bool(detail)

    @property
    def explanation(self) -> str:
        if self.public or not self.detail:
            return self.user_message
        return f"{self.user_message}: {self.detail}"


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

    def to_body(self, request_id: str | None = None) -> dict[str, str]:
        """A 500 that says which IAM action the role lacks (``AccessDeniedBody``): it is
        one of the documented read-only permissions, not an internal detail, and only
        a person told which one can fix the role (the side panel shows it). AWS's own
        message stays in the log: it names the role."""
        return {
            "message": self.user_message,
            "requestId": request_id or "",
            "code": "AccessDenied",
            "action": self.action,
        }


class CredentialsError(ServiceError):
    """No AWS credentials, or AWS rejected them (expired, unknown)."""

    REMEDY = (
        "configure AWS credentials (aws configure, AWS_PROFILE, or a role), "
        "or read the demo account (SAGEMAKER_LINEAGE_DEMO=1)"
    )

    def __init__(self, problem: str, remedy: str | None = None) -> None:
        super().__init__(f"{problem}; {remedy or self.REMEDY}")


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


class ConfigurationError(LineageError, ValueError):
    """A setting (an environment variable, a server trait, CDK context) has a bad value.

    The deployment's fault, not the caller's: HTTP 500 with a request id, the
    message (which names the setting) in the log and at the CLI and the magic.
    """

    exit_code = 2

    def __init__(self, problem: str) -> None:
        super().__init__(f"invalid configuration: {problem}")
        self.problem = problem


class InternalError(LineageError):
    """Anything unexpected. Details go to the log, never to a body."""

    def __init__(self) -> None:
        super().__init__("internal error")


def error_response(exc: BaseException, request_id: str | None = None) -> tuple[int, dict[str, str]]:
    """Map any exception to ``(status, body)`` (docs/api.md, "Errors"); unexpected ones become a bare 500."""
    error = exc if isinstance(exc, LineageError) else InternalError()
    return error.status, error.to_body(request_id)


def http_error_body(
    status: int, *, method: str = "GET", request_id: str = "", path: str | None = None
) -> dict[str, str]:
    """The body of an HTTP failure that comes before, or around, any route's answer
    (docs/api.md, "Errors"), the same on every HTTP door: a path no route has (404:
    which, and the routes there are), a method other than GET (405), a request
    Jupyter's authorizer refused (403), an error around the query (500: only
    ``request_id``); any other status is its phrase."""
    if status >= 500:
        return InternalError().to_body(request_id)
    if status == 404:
        from .routes import no_route_message  # routes imports request, which imports this

        return {"message": no_route_message(path)}
    if status == 403:
        return {"message": "forbidden: not authenticated, or not authorized to read lineage"}
    if status == 405:
        return {"message": f"method {method} not allowed: use GET"}
    try:
        return {"message": HTTPStatus(status).phrase.lower()}
    except ValueError:
        return {"message": "bad request"}
