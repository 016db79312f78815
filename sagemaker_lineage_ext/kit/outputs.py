"""What the CLI's commands write besides JSON, and the options that choose it.

``dump`` and ``graph`` draw the lineage as Mermaid or Graphviz DOT (``--format``,
``core/export.py``); ``check`` reads a policy file (``--policy``, ``core/policy.py``),
reports as text, JSON, SARIF or JUnit XML (``core/reports.py``) and exits 1 when the
gate fails; ``openlineage`` prints the events, or sends them to an OpenLineage HTTP
endpoint (``--url``) or to Amazon DataZone (``--datazone-domain``). The magic reads its
``--policy`` the same way (:func:`extra_query`).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10: the tomli backport (a dependency on 3.10 only)
    import tomli as tomllib

from ..core.errors import InvalidInputError, NotFoundError
from ..core.export import plural, to_dot, to_mermaid
from ..core.graph import REJECTED_BY_SAGEMAKER
from ..core.jsonsafe import dumps, printable
from ..core.policy import Policy, policy_from_document
from ..core.reports import check_junit, check_sarif, check_text
from ..core.service import preview_lineage

EXPORT_FORMATS = ("json", "mermaid", "dot")
CHECK_FORMATS = ("text", "json", "sarif", "junit")
DATAZONE_DOMAIN_RE = re.compile(r"^dzd[-_][a-zA-Z0-9_-]{1,36}$")
REGION_RE = re.compile(r"^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]+$")
MIB = 1024 * 1024
#: A policy is a few lines; megabytes of TOML take seconds to parse and are no policy.
MAX_POLICY_BYTES = 1 * MIB
#: SageMaker takes a definition of at most 1 MiB inline (10 MiB from S3).
MAX_DEFINITION_BYTES = 10 * MIB
#: The doors' own options with a value (argparse dest -> as typed). Given but empty (an
#: unset shell variable) is a mistake, never the default: no policy, printing the events
#: instead of sending them, stdout instead of a file.
OWN_VALUE_OPTIONS = {
    "policy": "--policy", "url": "--url", "endpoint": "--endpoint", "out": "--out",
    "datazone_domain": "--datazone-domain", "datazone_region": "--datazone-region",
}  # fmt: skip


def add_options(command: str, parser: argparse.ArgumentParser) -> None:
    """The options of ``command`` beyond its route's query parameters: what it writes
    and where, and (``-v``) whether unexpected errors are logged."""
    parser.add_argument("--out", help="write the JSON here instead of stdout")
    parser.add_argument("--compact", action="store_true", help="no indentation")
    parser.add_argument("-v", "--verbose", action="store_true", help="log unexpected errors")
    if command in ("dump", "graph"):
        parser.add_argument(
            "--format",
            choices=EXPORT_FORMATS,
            default="json",
            help="json (default), or a drawing: mermaid, dot (Graphviz)",
        )
        parser.add_argument(
            "--artifacts",
            action="store_true",
            help="mermaid/dot: draw the S3 artifacts between the steps too",
        )
    elif command == "check":
        parser.add_argument(
            "--policy",
            metavar="FILE",
            help="a TOML policy file (default: every rule, Unknown fails)",
        )
        parser.add_argument(
            "--format",
            choices=CHECK_FORMATS,
            default="text",
            help="text (default), json, sarif (SARIF 2.1.0), junit (JUnit XML)",
        )
    elif command == "openlineage":
        where = parser.add_mutually_exclusive_group()
        where.add_argument(
            "--url",
            help="send the events to this OpenLineage HTTP endpoint "
            "(Marquez: http://HOST:5000); OPENLINEAGE_API_KEY is sent as a bearer token",
        )
        where.add_argument(
            "--datazone-domain",
            metavar="ID",
            help="send the events to this Amazon DataZone domain (dzd_...)",
        )
        parser.add_argument(
            "--endpoint",
            default="api/v1/lineage",
            help="with --url: the path events are posted to (default api/v1/lineage)",
        )
        parser.add_argument(
            "--datazone-region",
            metavar="REGION",
            help="with --datazone-domain: the domain's region (default: the pipeline's)",
        )
    # fmt: skip


def _too_large(data: bytes, limit: int, option: str, what: str) -> None:
    if len(data) > limit:
        raise InvalidInputError(option, f"is larger than {limit // MIB} MiB: {what}")


def read_text_file(path: str, option: str, limit: int) -> str:
    """A UTF-8 file's text, or InvalidInputError naming ``option`` (also for a file larger
    than ``limit`` bytes: at most that much is read, so /dev/zero is refused too)."""
    problems = {FileNotFoundError: "file not found", IsADirectoryError: "is a directory, not "
                "a file", PermissionError: "cannot be read (permission denied)"}  # fmt: skip
    try:
        with Path(path).open("rb") as file:
            data = file.read(limit + 1)
    except (FileNotFoundError, IsADirectoryError, PermissionError) as exc:
        raise InvalidInputError(option, f"{problems[type(exc)]}: {path}") from None
    _too_large(data, limit, option, path)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInputError(option, "is not a UTF-8 text file") from None


def read_definition(path: str) -> str:
    """The pipeline definition document at ``path`` (``-``: stdin, a BOM dropped), or
    InvalidInputError naming ``definition``."""
    if path != "-":
        return read_text_file(path, "definition", MAX_DEFINITION_BYTES)
    data = sys.stdin.buffer.read(MAX_DEFINITION_BYTES + 1)
    _too_large(data, MAX_DEFINITION_BYTES, "definition", "standard input")
    try:
        return data.decode("utf-8-sig")  # a BOM is not part of the JSON
    except UnicodeDecodeError:
        raise InvalidInputError("definition", "is not UTF-8 text") from None


def graph_answer(args: argparse.Namespace) -> Any:
    """The ``graph`` command's answer: the definition file's graph, no AWS (the core's
    ``preview_lineage``), after the checks of :func:`extra_query`."""
    extra_query("graph", args)
    return preview_lineage(read_definition(args.definition))


def parse_policy(text: str, source: str) -> Policy:
    """The policy in TOML ``text``; ``source`` names it in errors. Raises
    ``InvalidInputError`` naming ``policy`` for text that is not TOML or not a policy."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInputError("policy", f"{source}: is not TOML: {exc}") from None
    except RecursionError:  # tomllib recurses per nested array or inline table
        raise InvalidInputError(
            "policy", f"{source}: is nested too deeply to be a policy"
        ) from None
    return policy_from_document(document, source)


def load_policy(path: str, option: str = "--policy") -> Policy:
    """The policy file at ``path``; InvalidInputError naming ``option`` when it cannot be
    read or is not a policy (the message says where and what)."""
    try:
        return parse_policy(read_text_file(path, option, MAX_POLICY_BYTES), path)
    except InvalidInputError as exc:
        if exc.parameter == "policy":
            raise InvalidInputError(option, exc.problem) from None
        raise


def extra_query(route: str, args: argparse.Namespace) -> dict[str, object]:
    """Query entries a door's own options add to ``route``'s parameters (the policy
    ``--policy`` names, parsed), after checking the options it only uses itself (none
    given empty; ``--url`` an http(s) URL with a host; ``--datazone-domain``,
    ``--datazone-region``: the CLI's). Raises InvalidInputError naming the option."""
    for dest, option in OWN_VALUE_OPTIONS.items():
        value = getattr(args, dest, None)
        if isinstance(value, str) and not value.strip():
            raise InvalidInputError(option, "must not be empty when given")
    out = getattr(args, "out", None)
    if out:
        check_out(out)
    if route == "check" and getattr(args, "policy", None):
        return {"policy": load_policy(args.policy)}
    if route == "openlineage":
        url = getattr(args, "url", None)
        if url:
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise InvalidInputError("--url", f"is not an http(s) URL: {url}")
        domain = getattr(args, "datazone_domain", None)
        region = getattr(args, "datazone_region", None)
        if domain and not DATAZONE_DOMAIN_RE.fullmatch(domain):
            raise InvalidInputError("--datazone-domain", "is not a DataZone domain id (dzd_...)")
        if region and not REGION_RE.fullmatch(region):
            raise InvalidInputError("--datazone-region", "is not a valid AWS region name")
    return {}


def check_out(out: str) -> None:
    """InvalidInputError naming ``--out`` when ``out`` cannot be a file written later: a
    folder, or in a folder that does not exist (checked before any read, so a long read
    is not thrown away at the end)."""
    path = Path(out)
    if path.is_dir():
        raise InvalidInputError("--out", f"is a folder, not a file: {out}")
    if not path.parent.is_dir():  # Path("x").parent is "."
        raise InvalidInputError("--out", f"names a folder that does not exist: {out}")


def render(
    command: str, body: dict[str, Any], args: argparse.Namespace, account: Any
) -> dict[str, Any]:
    """What ``command`` makes of its answer ``body``: the ``text`` to write (the answer
    as JSON, indented unless ``--compact``, or the drawing or report ``--format`` asks
    for; None: nothing, the events were sent), the exit ``code`` (``check``: 1 when the
    gate fails; ``graph``: 2 for a definition SageMaker would reject) and the ``notes``
    for stderr, one line each (what was sent; ``graph``: the definition's warnings)."""
    text: str | None = None
    document: Any = body  # what is written as JSON when there is no text
    code, notes = 0, []
    if command in ("dump", "graph") and args.format != "json":
        draw = to_mermaid if args.format == "mermaid" else to_dot
        text = draw(body, artifacts=args.artifacts)  # type: ignore[arg-type]
    elif command == "check":
        code = 0 if body["passed"] else 1
        if args.format == "text":
            text = check_text(body)  # type: ignore[arg-type]
        elif args.format == "sarif":
            document = check_sarif(body)  # type: ignore[arg-type]
        elif args.format == "junit":
            text = check_junit(body)  # type: ignore[arg-type]
    elif command == "openlineage" and (args.url or args.datazone_domain):
        return {"text": None, "code": 0, "notes": [send(body, args, account)]}
    if command == "graph":  # what SageMaker would say of the definition
        notes = [f"warning {w['code']} ({w['target']}): {w['message']}" for w in body["warnings"]]
        code = 2 if {w["code"] for w in body["warnings"]} & REJECTED_BY_SAGEMAKER else 0
    if text is None:  # JSON (the answer, SARIF) escapes what a terminal obeys: jsonsafe.dumps
        compact = args.compact and document is body  # SARIF is indented: people read it too
        text = dumps(document, indent=None if compact else 2, ensure_ascii=False)
    else:  # the characters a terminal obeys as commands, escaped (never inside JSON: a
        # "\x85" there would be an escape JSON does not have)
        text = printable(text)
    return {"text": text, "code": code, "notes": notes}


def send(body: dict[str, Any], args: argparse.Namespace, account: Any) -> str:
    """Send the answer's events where ``args`` say; the line that says what was sent."""
    from .openlineage import send_datazone, send_http

    events = body["events"]
    if args.url:
        sent = send_http(events, args.url, endpoint=args.endpoint,
                         api_key=os.environ.get("OPENLINEAGE_API_KEY") or None)  # fmt: skip
        return f"sent {plural(sent, 'OpenLineage event')} to {args.url.rstrip('/')}/{args.endpoint.lstrip('/')}"
    region = args.datazone_region or body["region"]
    try:
        sent = send_datazone(account.service().gateway, region, args.datazone_domain, events)
    except NotFoundError:
        raise InvalidInputError(
            "--datazone-domain", f"names no DataZone domain in {region} that this role can see"
        ) from None
    return f"sent {plural(sent, 'OpenLineage event')} to DataZone domain {args.datazone_domain} ({region})"
