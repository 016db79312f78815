"""JSON that every reader accepts, and text that every terminal shows safely (pure).

- :func:`loads` reads JSON text (a stored definition, an evaluation report) without
  surprises: ``NaN``/``Infinity``, a float that overflows (``1e999``) and an integer
  longer than Python converts (4,300 digits) become ``None`` and are counted, never
  an exception or a non-finite float.
- :func:`strict` makes an answer valid JSON (RFC 8259): every non-finite number
  becomes ``None`` and every lone surrogate (``\\ud800``) U+FFFD, each with a warning
  naming its place in the answer; :func:`dumps` then serialises with
  ``allow_nan=False``, so nothing else can slip through.
- :func:`json_depth` measures nesting without recursion; :func:`printable` escapes
  control characters (C0, DEL, C1, bidirectional overrides) for a terminal.

Every walker here is iterative: depth is bounded by the data, never by Python's stack.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from typing import Any

from .models import AnswerWarning

#: Deepest JSON nesting the core reads (a stored definition, an evaluation report).
#: Real definitions reach about 100 levels (31 nested conditions are 97); this leaves
#: five times that, and stays far below what Python's own json parser manages.
MAX_DEPTH = 500

_SURROGATE = re.compile("[\ud800-\udfff]")
#: C0 controls but tab and newline, DEL, C1 controls, and the bidirectional
#: overrides and isolates (they reorder what a terminal shows).
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
#: What json.dumps(ensure_ascii=False) leaves raw that a terminal would obey.
_RAW_CONTROLS = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


class _Counter:
    """How many values :func:`loads` replaced."""

    def __init__(self) -> None:
        self.replaced = 0

    def number(self, text: str) -> Any:
        value = float(text)
        if math.isfinite(value):
            return value
        self.replaced += 1
        return None

    def integer(self, text: str) -> Any:
        try:
            return int(text)
        except ValueError:  # longer than sys.get_int_max_str_digits()
            self.replaced += 1
            return None

    def constant(self, _: str) -> Any:  # NaN, Infinity, -Infinity
        self.replaced += 1
        return None


def loads(text: str | bytes) -> tuple[Any, int]:
    """JSON text as Python values, and how many numbers had to become ``None``.

    Raises ``ValueError`` (``json.JSONDecodeError``) for text that is not JSON and
    ``RecursionError`` for nesting deeper than Python's parser manages.
    """
    counter = _Counter()
    value = json.loads(
        text,
        parse_float=counter.number,
        parse_int=counter.integer,
        parse_constant=counter.constant,
    )
    return value, counter.replaced


def json_depth(value: Any, limit: int = MAX_DEPTH) -> int:
    """Nesting depth of a JSON value (a scalar is 1), without recursion; stops
    counting once past ``limit`` (returns ``limit + 1``)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if level > deepest:
            deepest = level
            if deepest > limit:
                return deepest
        if isinstance(item, Mapping):
            stack.extend((v, level + 1) for v in item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend((v, level + 1) for v in item)
    return deepest


def _path(parent: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{parent}[{key}]"
    return f"{parent}.{key}" if parent else str(key)


def _bad(value: Any) -> bool:
    if isinstance(value, float):
        return not math.isfinite(value)
    return isinstance(value, str) and _SURROGATE.search(value) is not None


def _needs_fixing(document: Any) -> bool:
    stack = [document]
    while stack:
        value = stack.pop()
        if isinstance(value, Mapping):
            stack.extend(value.values())
            stack.extend(k for k in value if isinstance(k, str) and _SURROGATE.search(k))
        elif isinstance(value, (list, tuple)):
            stack.extend(value)
        elif _bad(value):
            return True
    return False


def strict(document: Any) -> tuple[Any, list[AnswerWarning]]:
    """``document`` with every non-finite number as ``None`` and every lone surrogate
    as U+FFFD, and one warning per replaced value (``NonFiniteNumber``,
    ``InvalidText``; ``target``: its JSON path). A document with nothing to replace
    (nearly always) is returned as it is; otherwise a fixed copy."""
    if not _needs_fixing(document):
        return document, []
    warnings: list[AnswerWarning] = []

    def fixed(value: Any, path: str) -> Any:
        if isinstance(value, float) and not math.isfinite(value):
            warnings.append(
                {
                    "code": "NonFiniteNumber",
                    "target": path,
                    "message": f"{path} was {value} (not a JSON number): shown as null",
                }
            )
            return None
        if isinstance(value, str) and _SURROGATE.search(value):
            warnings.append(
                {
                    "code": "InvalidText",
                    "target": path,
                    "message": f"{path} held text that is not Unicode (a lone surrogate): "
                    "shown as U+FFFD",
                }
            )
            return _SURROGATE.sub("\ufffd", value)
        return value

    # An iterative deep copy: (source value, target container, key in it, path).
    root: dict[str, Any] = {}
    stack: list[tuple[Any, Any, Any, str]] = [(document, root, "answer", "")]
    while stack:
        value, target, key, path = stack.pop()
        if isinstance(value, Mapping):
            copy: dict[Any, Any] = {}
            target[key] = copy
            entries = []
            for k, v in value.items():
                name = fixed(k, path or "answer") if isinstance(k, str) else k
                copy[name] = None  # the key's place, in document order
                entries.append((v, copy, name, _path(path, str(name))))
            stack.extend(reversed(entries))  # popped in document order
        elif isinstance(value, (list, tuple)):
            items: list[Any] = [None] * len(value)
            target[key] = items
            for i in reversed(range(len(value))):
                stack.append((value[i], items, i, _path(path, i)))
        else:
            target[key] = fixed(value, path or "answer")
    return root["answer"], warnings


def dumps(document: Any, *, indent: int | None = None, ensure_ascii: bool = True) -> str:
    """``document`` as strict JSON (``allow_nan=False``: a non-finite number raises
    ``ValueError`` rather than writing ``NaN``). With ``ensure_ascii=False`` the text
    stays readable, and the characters a terminal would obey as commands (DEL, C1,
    bidirectional overrides; json already escapes C0) are written as ``\\uXXXX``."""
    separators = (",", ":") if indent is None else (",", ": ")
    text = json.dumps(
        document, indent=indent, ensure_ascii=ensure_ascii, allow_nan=False, separators=separators
    )
    if ensure_ascii:
        return text
    return _RAW_CONTROLS.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def printable(text: str) -> str:
    """``text`` safe to print on a terminal: control characters (C0 but tab and
    newline, DEL, C1, bidirectional overrides) as ``\\xNN`` / ``\\uNNNN``, lone
    surrogates as U+FFFD."""
    escaped = _UNPRINTABLE.sub(
        lambda m: (
            f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}"
        ),
        text,
    )
    return _SURROGATE.sub("\ufffd", escaped)
