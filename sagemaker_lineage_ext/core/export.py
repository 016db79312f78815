"""A lineage answer as Mermaid and Graphviz DOT text (pure: no I/O).

``to_mermaid`` writes a Mermaid ``flowchart LR`` and ``to_dot`` a Graphviz ``digraph``
of the same drawing the widget shows: one box per step (``graph.nodes``), coloured by
``run.status``, labelled with its name, type and elapsed time; one arrow per
``graph.edges`` entry, styled by ``via`` (``dependsOn`` dashed, ``ref:Get`` solid,
Condition branches labelled ``if`` / ``else``, ``forEach`` dotted); with
``artifacts=True`` also one cylinder per S3 artifact between its producers and
consumers, its border red when its bucket has findings.

Everything in a label comes from AWS or from a definition file (step names, display
names, S3 keys) and is untrusted: node ids are generated (``s1``, ``a3``), never
taken from names, and every label is escaped for its format, so no name can close a
string, start a statement, inject HTML, a Mermaid ``click`` or a DOT attribute.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from .models import LineageResponse

#: (fill, border) per run status; NoRun: a definition read without an execution.
STATUS_COLOURS: dict[str, tuple[str, str]] = {
    "Succeeded": ("#d4eed8", "#2e7d32"),
    "Executing": ("#d3e5fa", "#1565c0"),
    "Starting": ("#d3e5fa", "#1565c0"),
    "Failed": ("#f9d4d1", "#c62828"),
    "Stopped": ("#fde3c0", "#b45f06"),
    "Stopping": ("#fde3c0", "#b45f06"),
    "NotStarted": ("#eeeeee", "#9e9e9e"),
    "Unknown": ("#eeeeee", "#9e9e9e"),
    "NoRun": ("#ffffff", "#546e7a"),
}
#: (line style, colour, label) per edge ``via``; produces/consumes join artifacts.
EDGE_STYLES: dict[str, tuple[str, str, str]] = {
    "dependsOn": ("dashed", "#90a4ae", ""),
    "ref:Get": ("solid", "#607d8b", ""),
    "condition:if": ("solid", "#2e7d32", "if"),
    "condition:else": ("solid", "#c62828", "else"),
    "forEach": ("dotted", "#607d8b", "for each"),
    "produces": ("solid", "#8e7cc3", ""),
    "consumes": ("solid", "#8e7cc3", ""),
}
ARTIFACT_COLOURS = {"ok": ("#f3f0fa", "#3d85c6"), "flagged": ("#fdecea", "#c62828")}
TEXT_COLOUR = "#212121"
#: What a label shows as one space: C0 and C1 controls and DEL (NEL, U+0085, breaks a
#: line in some renderers), line and paragraph separators, and the bidirectional
#: overrides and isolates (they reorder what is drawn: "evil" would show as "live").
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]+")
#: Characters Mermaid reads as syntax even inside a quoted label, as its entity codes
#: (``#<decimal>;``): the quote, entity codes, HTML, Markdown strings, statement ends,
#: ``%%`` comments and ``%%{init}%%`` directives (found anywhere in the text), and the
#: colon: before parsing, mermaid drops the last ``;`` of any line matching
#: ``style.*:\S*#.*;`` (or ``classDef...``), which a name like ``style x:#f00`` would
#: otherwise turn against the entity codes themselves.
_MERMAID_ESCAPES = {c: f"#{ord(c)};" for c in '"#&<>`;%:'}


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """``1 step``, ``2 steps``, ``0 steps``: a count and its noun, in the number it takes
    (``nouns``: the plural when it is not ``noun + "s"``)."""
    return f"{count} {noun if count == 1 else nouns or noun + 's'}"


def format_elapsed(seconds: int | float | None) -> str:
    """``42 s``, ``9 min 15 s``, ``1 h 36 min``; empty for None."""
    if seconds is None:
        return ""
    total = int(round(seconds))
    if total < 60:
        return f"{total} s"
    minutes, secs = divmod(total, 60)
    if minutes < 60:
        return f"{minutes} min {secs} s" if secs else f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min" if minutes else f"{hours} h"


def _plain(text: object) -> str:
    """One line of text that draws as it reads: control characters (newlines included)
    and bidirectional overrides become one space."""
    return _CONTROL.sub(" ", str(text))


def _status(node: Mapping[str, Any]) -> str:
    run = node.get("run")
    status = run.get("status") if run else None
    return status if status in STATUS_COLOURS else "NoRun"


def _step_lines(node: Mapping[str, Any]) -> list[str]:
    run = node.get("run") or {}
    second = str(node.get("type") or "?")
    elapsed = format_elapsed(run.get("elapsedSec"))
    if run.get("status") == "Executing":
        elapsed = f"running {elapsed}".strip()
    return [str(node["id"]), f"{second} · {elapsed}" if elapsed else second]


def _artifact_lines(artifact: Mapping[str, Any]) -> list[str]:
    key = str(artifact.get("key") or "").rstrip("/")
    name = key.rsplit("/", 1)[-1] if key else str(artifact["uri"])
    bucket = artifact.get("bucket")
    return [name, str(bucket)] if bucket else [name]


def _flagged(artifact: Mapping[str, Any]) -> bool:
    s3 = artifact.get("s3")
    return bool(s3 and s3.get("findings"))


class _Drawing:
    """Steps, artifacts and edges with generated ids, shared by both formats."""

    def __init__(self, response: LineageResponse, artifacts: bool) -> None:
        graph = response["graph"]
        self.steps = [(f"s{i}", node) for i, node in enumerate(graph["nodes"], 1)]
        ids = {node["id"]: sid for sid, node in self.steps}
        self.artifacts = [(f"a{a['id']}", a) for a in graph["artifacts"]] if artifacts else []
        self.edges: list[tuple[str, str, str]] = []
        through: set[tuple[str, str]] = set()
        for aid, artifact in self.artifacts:
            for producer in artifact["producers"]:
                if producer in ids:
                    self.edges.append((ids[producer], aid, "produces"))
            for consumer in artifact["consumers"]:
                if consumer in ids:
                    self.edges.append((aid, ids[consumer], "consumes"))
            through |= {(p, c) for p in artifact["producers"] for c in artifact["consumers"]}
        for edge in graph["edges"]:
            source, target, via = edge["from"], edge["to"], edge["via"]
            if source not in ids or target not in ids:
                continue
            if artifacts and via == "ref:Get" and (source, target) in through:
                continue  # already drawn through the artifact
            self.edges.append((ids[source], ids[target], via))
        self.title = _title(response)


def _title(response: LineageResponse) -> str:
    pipeline = response.get("pipeline")
    execution = response.get("execution")
    parts = [pipeline["name"] if pipeline else "pipeline definition"]
    if execution:
        parts.append(str(execution.get("status") or "?"))
        parts.append(str(execution.get("displayName") or execution["arn"].rsplit("/", 1)[-1]))
    return " · ".join(_plain(p) for p in parts)


# -- Mermaid -------------------------------------------------------------------------


def mermaid_text(text: object) -> str:
    """``text`` safe inside a quoted Mermaid label: one line, syntax as entity codes."""
    return "".join(_MERMAID_ESCAPES.get(c, c) for c in _plain(text))


def to_mermaid(response: LineageResponse, *, artifacts: bool = False) -> str:
    """A Mermaid flowchart of the answer (see the module docstring); ``artifacts`` adds
    the S3 artifacts as cylinders between their producers and consumers."""
    drawing = _Drawing(response, artifacts)
    lines = ["---", f"title: {json.dumps(drawing.title, ensure_ascii=False)}", "---"]
    lines.append("flowchart LR")
    for sid, node in drawing.steps:
        label = "<br/>".join(mermaid_text(line) for line in _step_lines(node))
        shape = ('{"', '"}') if node.get("type") == "Condition" else ('["', '"]')
        lines.append(f"  {sid}{shape[0]}{label}{shape[1]}:::st{_status(node)}")
    for aid, artifact in drawing.artifacts:
        label = "<br/>".join(mermaid_text(line) for line in _artifact_lines(artifact))
        kind = "flagged" if _flagged(artifact) else "ok"
        lines.append(f'  {aid}[("{label}")]:::art{kind}')
    by_colour: dict[str, list[str]] = {}
    for index, (source, target, via) in enumerate(drawing.edges):
        style, colour, label = EDGE_STYLES.get(via, EDGE_STYLES["ref:Get"])
        arrow = "-.->" if style in ("dashed", "dotted") else "-->"
        lines.append(f"  {source} {arrow}{f'|{label}|' if label else ''} {target}")
        by_colour.setdefault(colour, []).append(str(index))
    lines += [f"  linkStyle {','.join(i)} stroke:{c}" for c, i in by_colour.items()]
    used = {_status(node) for _, node in drawing.steps}
    for status, (fill, border) in STATUS_COLOURS.items():
        if status in used:
            dash = ",stroke-dasharray:4 3" if status in ("NotStarted", "Unknown") else ""
            lines.append(
                f"  classDef st{status} fill:{fill},stroke:{border},color:{TEXT_COLOUR}{dash}"
            )
    kinds = {"flagged" if _flagged(a) else "ok" for _, a in drawing.artifacts}
    for kind, (fill, border) in ARTIFACT_COLOURS.items():
        if kind in kinds:
            lines.append(f"  classDef art{kind} fill:{fill},stroke:{border},color:{TEXT_COLOUR}")
    return "\n".join(lines) + "\n"


# -- Graphviz DOT --------------------------------------------------------------------


def dot_string(text: object) -> str:
    """``text`` as a DOT double-quoted string: one line, ``\\`` and ``"`` escaped (so
    ``\\N``-style label escapes in a name stay literal), and ``&`` as ``&amp;`` (Graphviz
    decodes entity references in labels: a name ``&lt;`` would be drawn as ``<``). For
    labels only: Graphviz expands ``\\N`` in a ``tooltip`` even when its backslash was
    escaped, so no untrusted text goes into any other attribute."""
    escaped = _plain(text).replace("&", "&amp;").replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def _dot_label(lines: list[str]) -> str:
    # each line escaped on its own, joined by DOT's own line break
    return '"' + "\\n".join(dot_string(line)[1:-1] for line in lines) + '"'


def to_dot(response: LineageResponse, *, artifacts: bool = False) -> str:
    """A Graphviz digraph of the answer (see the module docstring); ``artifacts`` adds
    the S3 artifacts as cylinders between their producers and consumers."""
    drawing = _Drawing(response, artifacts)
    lines = [
        "digraph lineage {",
        f"  graph [rankdir=LR, label={dot_string(drawing.title)}, labelloc=t, "
        'fontname="Helvetica", fontsize=13];',
        '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=11, '
        f'fontcolor="{TEXT_COLOUR}", penwidth=1.5];',
        '  edge [fontname="Helvetica", fontsize=10, arrowsize=0.7];',
    ]
    for sid, node in drawing.steps:
        fill, border = STATUS_COLOURS[_status(node)]
        extra = ""
        if node.get("type") == "Condition":
            extra += ", shape=diamond"
        if _status(node) in ("NotStarted", "Unknown"):
            extra += ', style="rounded,filled,dashed"'
        lines.append(
            f'  {sid} [label={_dot_label(_step_lines(node))}, fillcolor="{fill}", '
            f'color="{border}"{extra}];'
        )
    for aid, artifact in drawing.artifacts:
        fill, border = ARTIFACT_COLOURS["flagged" if _flagged(artifact) else "ok"]
        lines.append(
            f"  {aid} [label={_dot_label(_artifact_lines(artifact))}, shape=cylinder, "
            f'style=filled, fillcolor="{fill}", color="{border}"];'
        )
    for source, target, via in drawing.edges:
        style, colour, label = EDGE_STYLES.get(via, EDGE_STYLES["ref:Get"])
        attrs = f'style={style}, color="{colour}"'
        if label:
            attrs += f', label="{label}", fontcolor="{colour}"'
        lines.append(f"  {source} -> {target} [{attrs}];")
    lines.append("}")
    return "\n".join(lines) + "\n"
