"""A comparison of two executions as Cytoscape elements and HTML: pure functions, no widgets.

Everything takes the core's ``/compare`` answer (docs/api.md, "GET /compare"). The
graph is the head execution's steps (and the base's removed ones, dashed), coloured
by each step's ``verdict``; labels carry the duration before and after. The detail
pane of a step shows its status, duration, metrics, the differences between its
two definitions with their causes, its changed inputs and outputs, and why its run
was a cache hit or a miss.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from html import escape
from typing import Any

from ..core.export import plural
from .elements import format_elapsed, graph_style, label_box, lineage_elements
from .panes import BAD, INFO, OK, WARN, _row, badge, status_badge

#: Secondary text: JupyterLab's own colour for it, so it stays readable in a dark theme.
MUTED = "var(--jp-ui-font-color2, #555)"
#: (fill, border, what it means) per verdict, in the order the legend lists them.
VERDICT_COLOURS: dict[str, tuple[str, str, str]] = {
    "newlyFailing": ("#f9d4d1", "#c62828", "newly failing"),
    "newlyPassing": ("#d4eed8", "#2e7d32", "newly passing"),
    "slower": ("#fde3c0", "#e65100", "slower"),
    "faster": ("#d0f0ec", "#00796b", "faster"),
    "changed": ("#ede7f6", "#6a1b9a", "changed"),
    "added": ("#d3e5fa", "#1565c0", "added"),
    "removed": ("#f5f5f5", "#757575", "removed"),
    "unchanged": ("#ffffff", "#9e9e9e", "unchanged"),
}


def duration_text(change: Mapping[str, Any]) -> str:
    """``9 min 8 s → 6 min 11 s (-32.3 %)``; one side when the other is missing."""
    before, after = change.get("before"), change.get("after")
    if before is None and after is None:
        return ""
    if before is None or after is None:
        return format_elapsed(after if before is None else before)
    text = f"{format_elapsed(before)} → {format_elapsed(after)}"
    if change.get("percent") is not None and change.get("delta"):
        text += f" ({change['percent']:+.0f} %)"
    return text


def comparison_label(step: Mapping[str, Any]) -> str:
    """The step name, its type, and (when it ran) its duration before → after: three
    short lines keep the boxes narrow, so the fitted graph stays readable."""
    lines = [str(step["step"]), str(step.get("type") or "?")]
    duration = duration_text(step.get("durationSec") or {})
    return "\n".join([*lines, duration] if duration else lines)


def comparison_elements(response: Mapping[str, Any]) -> dict[str, list]:
    """Cytoscape elements for a comparison: one node per compared step, coloured by
    verdict (class ``verdict-<verdict>``), the edges of both definitions."""
    steps = response.get("steps") or []
    graph = {
        "graph": {
            "nodes": [{"id": s["step"], "type": s.get("type")} for s in steps],
            "edges": response.get("edges") or [],
            "artifacts": [],
        }
    }
    elements = lineage_elements(graph)
    by_name = {s["step"]: s for s in steps}
    for node in elements["nodes"]:
        step = by_name[node["data"]["id"]]
        label = comparison_label(step)
        width, height = label_box(label)
        node["data"].update(label=label, w=width, h=height, verdict=step["verdict"])
        node["classes"] = f"step verdict-{step['verdict']}"
    return elements


def comparison_style() -> list[dict]:
    """The lineage stylesheet plus a fill and border per verdict (removed steps dashed)."""
    style = graph_style()
    for verdict, (fill, border, _) in VERDICT_COLOURS.items():
        rule: dict[str, Any] = {"background-color": fill, "border-color": border}
        if verdict in ("newlyFailing", "newlyPassing", "slower", "faster", "added"):
            rule["border-width"] = 3
        if verdict == "removed":
            rule.update({"border-style": "dashed", "color": "#757575"})
        style.append({"selector": f"node.verdict-{verdict}", "style": rule})
    return style


def comparison_legend_html() -> str:
    chips = " ".join(verdict_badge(v) for v in VERDICT_COLOURS)
    return (
        f'<div class="lineage-legend" style="font-size:11px;line-height:1.8"><b>steps</b> {chips}'
        " &nbsp; labels: duration in the base → the head</div>"
    )


def verdict_badge(verdict: str) -> str:
    fill, border, text = VERDICT_COLOURS.get(verdict, VERDICT_COLOURS["unchanged"])
    return (
        f'<span class="lineage-verdict" style="background:{fill};border:1px solid {border};'
        f'color:#212121;border-radius:8px;padding:0 6px;font-size:11px;white-space:nowrap">'
        f"{escape(text)}</span>"
    )


def _execution_name(execution: Mapping[str, Any]) -> str:
    return str(execution.get("displayName") or str(execution.get("arn", "")).rsplit("/", 1)[-1])


def comparison_summary_html(response: Mapping[str, Any]) -> str:
    """The header: the two executions, the elapsed time change, step counts per verdict,
    the parameters that changed, whether the definition changed, cache hits and misses."""
    pipeline = response.get("pipeline") or {}
    base, head = response.get("base") or {}, response.get("head") or {}
    summary = response.get("summary") or {}
    steps = response.get("steps") or []
    counts: dict[str, int] = {}
    for step in steps:
        counts[step["verdict"]] = counts.get(step["verdict"], 0) + 1
    chips = " ".join(f"{verdict_badge(v)} {counts[v]}" for v in VERDICT_COLOURS if counts.get(v))
    where = (
        badge("demo account", INFO)
        if response.get("demo")
        else escape(str(pipeline.get("region", "")))
    )
    parts = [
        '<div class="lineage-summary" style="line-height:1.7">'
        f'<b style="font-size:14px">{escape(str(pipeline.get("name", "")))}</b> {where} compared: '
        f"<code>{escape(_execution_name(base))}</code> {status_badge(str(base.get('status')))} → "
        f"<code>{escape(_execution_name(head))}</code> {status_badge(str(head.get('status')))}"
        f"<br>{plural(len(steps), 'step')} · {chips} · elapsed <b>{escape(duration_text(summary.get('elapsedSec') or {}) or '–')}</b>"
    ]
    changed = response.get("parameters") or []
    if changed:
        items = ", ".join(
            f"<code>{escape(p['name'])}</code> {escape(str(p['before']))} → <b>{escape(str(p['after']))}</b>"
            for p in changed
        )
        parts.append(f"<br>parameters changed: {items}")
    if summary.get("definitionChanged"):
        parts.append(
            f"<br>{badge('definition changed', WARN)} the two executions ran different pipeline definitions"
        )
    if summary.get("cacheHits") or summary.get("cacheMisses"):
        parts.append(
            f"<br>cache hits: {escape(', '.join(summary.get('cacheHits') or []) or 'none')}"
            f" · cache misses: {escape(', '.join(summary.get('cacheMisses') or []) or 'none')}"
        )
    warnings = response.get("warnings") or []
    if warnings:
        items = "".join(
            f"<li><code>{escape(str(w.get('code', '')))}</code> {escape(str(w.get('message', '')))}</li>"
            for w in warnings
        )
        parts.append(
            f'<details class="lineage-warnings"><summary style="color:{WARN};cursor:pointer">'
            f"{len(warnings)} warning{'s' if len(warnings) != 1 else ''}</summary>"
            f'<ul style="margin:0;padding-left:18px">{items}</ul></details>'
        )
    parts.append("</div>")
    return "".join(parts)


def _value(value: Any) -> str:
    if value is None:
        return '<span style="color:var(--jp-ui-font-color3, #999)">–</span>'
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True)
    return f'<code style="word-break:break-all">{escape(str(text))}</code>'


def _signed(change: Mapping[str, Any]) -> str:
    delta, percent = change.get("delta"), change.get("percent")
    if delta is None:
        return ""
    text = f"{delta:+g}" + (f" ({percent:+.1f} %)" if percent is not None else "")
    return escape(text)


CAUSES = {
    "definition": "the definition changed",
    "parameter": "parameter",
    "upstream": "from step",
    "execution": "execution variable",
}


def _cause(change: Mapping[str, Any]) -> str:
    """Why a value differs, as HTML: the cause, what it names, and a cache-key badge."""
    text = escape(CAUSES.get(str(change.get("cause")), str(change.get("cause"))))
    if change.get("source"):
        text += f" <code>{escape(str(change['source']))}</code>"
    if change.get("cacheKey"):
        text += " " + badge("cache key", WARN, title="a change here makes a cached step run again")
    return text


def comparison_detail_html(response: Mapping[str, Any], step_name: str) -> str:
    """The detail pane for one compared step."""
    step = next((s for s in response.get("steps") or [] if s["step"] == step_name), None)
    if step is None:
        return f'<div class="lineage-detail">No step named <b>{escape(step_name)}</b>.</div>'
    status = step["status"]
    rows = [
        _row(
            "status",
            f"{status_badge(str(status['before'])) if status['before'] else '–'} → "
            f"{status_badge(str(status['after'])) if status['after'] else '–'}",
        ),
        _row("duration", escape(duration_text(step["durationSec"]) or "–")),
    ]
    if step["metrics"]:
        cells = "".join(
            f"<tr><td><code>{escape(m['name'])}</code></td><td style='text-align:right'>{escape(str(m['before']))}</td>"
            f"<td>→</td><td style='text-align:right'><b>{escape(str(m['after']))}</b></td><td>{_signed(m)}</td></tr>"
            for m in step["metrics"]
        )
        rows.append(_row("metrics", f"<table>{cells}</table>"))
    cache = step.get("cache")
    if cache:
        colour = OK if cache["after"]["hit"] else WARN
        rows.append(
            _row(
                "cache",
                f"{badge('hit' if cache['after']['hit'] else 'miss', colour, solid=True)} "
                f"{escape(cache['reason'])}",
            )
        )
    head = (
        f'<div class="lineage-detail lineage-comparison" style="font-size:12px;line-height:1.4">'
        f'<div style="font-size:14px"><b>{escape(step["step"])}</b> {verdict_badge(step["verdict"])}</div>'
        f'<div style="color:{MUTED}">{escape(str(step["type"]))}</div>'
        f'<table style="margin:4px 0">{"".join(rows)}</table>'
    )
    body = ""
    if step["arguments"]:
        lines = "".join(
            f"<tr><td style='vertical-align:top'><code>{escape(a['path'])}</code>"
            f"{' <i>(' + escape(a['kind']) + ')</i>' if a['kind'] != 'changed' else ''}</td>"
            f"<td style='vertical-align:top'>{_value(a['before'])}</td><td>→</td>"
            f"<td style='vertical-align:top'>{_value(a['after'])}</td>"
            f"<td style='vertical-align:top;color:{MUTED}'>{_cause(a)}</td></tr>"
            for a in step["arguments"]
        )
        body += (
            "<div style='margin-top:6px'><b>Definition</b> (values as each execution resolved them)</div>"
            f'<table class="lineage-arguments" style="font-size:11px">{lines}</table>'
        )
    for key, title in (("inputs", "Inputs"), ("outputs", "Outputs")):
        if step[key]:
            lines = "".join(
                f"<tr><td><b>{escape(c['name'])}</b></td><td>{_value(c['before'])}</td><td>→</td>"
                f"<td>{_value(c['after'])}</td></tr>"
                for c in step[key]
            )
            body += f"<div style='margin-top:6px'><b>{title}</b> whose URI changed</div><table style='font-size:11px'>{lines}</table>"
    if not body and step["verdict"] in ("unchanged", "slower", "faster"):
        body = f"<div style='color:{OK}'>Same definition, inputs, outputs and metrics.</div>"
    if step["verdict"] == "added":
        body += f"<div style='color:{INFO}'>Only in the head execution's definition.</div>"
    if step["verdict"] == "removed":
        body += f"<div style='color:{BAD}'>Only in the base execution's definition.</div>"
    return head + body + "</div>"
