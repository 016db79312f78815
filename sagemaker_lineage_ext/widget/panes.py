"""HTML for the widget's header, legend and detail pane: pure functions, no widgets.

Every value that comes from AWS (step and pipeline names, tags, URIs, failure
reasons, report contents) is passed through ``html.escape`` before it reaches
the page: a tag value is as untrusted as any user input. And any of them may be one
long word: header and detail pane wrap anywhere (:data:`WRAP`), never widening the
notebook column.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from html import escape
from typing import Any

from ..core.export import plural
from .elements import (
    NO_RUN,
    POSTURE_COLOURS,
    STATUS_COLOURS,
    STATUSES,
    VIA_STYLES,
    format_elapsed,
    posture_level,
    run_status,
)

OK, WARN, BAD, INFO = "#2e7d32", "#b45f06", "#c62828", "#546e7a"
#: Long unbroken text (a failure reason, a name, a tag) breaks inside the pane.
WRAP = "overflow-wrap:anywhere;word-break:break-word;max-width:100%;min-width:0"

# The verdict per posture value: which colour a reviewer would give it.
POSTURE_VERDICT: dict[str, dict[str, str]] = {
    "encryption": {"aws:kms": OK, "aws:kms:dsse": OK, "AES256": OK, "None": BAD},
    "versioning": {"Enabled": OK, "Suspended": WARN, "Disabled": WARN},
    "publicAccess": {"Blocked": OK, "Partial": WARN, "NotBlocked": BAD},
}
POSTURE_LABEL = {
    "encryption": "encryption",
    "versioning": "versioning",
    "publicAccess": "public access",
}


def badge(text: str, colour: str, *, title: str = "", solid: bool = False) -> str:
    """A small rounded label; ``solid`` fills it (for problems that must stand out)."""
    style = (
        f"background:{colour};color:#fff;border:1px solid {colour};"
        if solid
        else f"color:{colour};border:1px solid {colour};background:#fff;"
    )
    tip = f' title="{escape(title)}"' if title else ""
    return (
        f'<span class="lineage-badge"{tip} style="{style}border-radius:8px;padding:0 6px;'
        f'margin:0 3px 2px 0;font-size:11px;display:inline-block;white-space:nowrap">'
        f"{escape(text)}</span>"
    )


def status_badge(status: str) -> str:
    fill, border = STATUS_COLOURS.get(status, STATUS_COLOURS[NO_RUN])
    text = "no run" if status == NO_RUN else status
    return (
        f'<span class="lineage-status" style="background:{fill};border:1px solid {border};'
        # dark text on the light fill whatever the theme (a dark theme's text is white)
        f'color:#212121;border-radius:8px;padding:0 6px;font-size:11px;white-space:nowrap">'
        f"{escape(text)}</span>"
    )


def _time(value: Any) -> str:
    """ISO-8601 times shortened to ``YYYY-MM-DD HH:MM:SS UTC`` for reading."""
    if not value:
        return "–"
    text = str(value)
    if len(text) >= 19 and text[10] == "T":
        return escape(text[:10] + " " + text[11:19] + " UTC")
    return escape(text)


def summary_html(response: Mapping[str, Any]) -> str:
    """The header: pipeline, "demo account" (answers with ``demo``) or its region, execution,
    overall status, per-status counts, elapsed, last scanned, warnings."""
    pipeline = response.get("pipeline") or {}
    execution = response.get("execution") or {}
    summary = response.get("summary") or {}
    overall = summary.get("overallStatus") or "NotExecuted"
    counts = summary.get("nodeStatus") or {}
    chips = " ".join(
        f"{status_badge(status)} {int(counts[status])}" for status in STATUSES if counts.get(status)
    )
    others = [s for s in counts if s not in STATUSES]
    chips += " ".join(f" {escape(str(s))} {int(counts[s])}" for s in others)
    steps = summary.get("stepCount", len((response.get("graph") or {}).get("nodes", [])))
    exec_name = execution.get("displayName") or execution.get("arn") or ""
    overall_colour = {"Succeeded": OK, "Failed": BAD, "Executing": "#1565c0", "Stopped": WARN}.get(
        overall, INFO
    )
    parts = [
        f'<div class="lineage-summary" style="line-height:1.7;{WRAP}">'
        f'<b style="font-size:14px">{escape(pipeline.get("name", ""))}</b> '
        f"{badge(overall, overall_colour, solid=True)}"
        + (
            f" {badge('demo account', INFO)}"
            if response.get("demo")
            else (
                f" <small>{escape(str(pipeline['region']))}</small>"
                if pipeline.get("region")
                else ""
            )
        )
        + (f" execution <code>{escape(exec_name)}</code>" if exec_name else " (no execution read)")
        + f"<br>{plural(int(steps), 'step')} {('· ' + chips) if chips else ''}"
        f" · elapsed <b>{escape(format_elapsed(summary.get('elapsedSec')) or '–')}</b>"
        ' · <span title="When the lineage last changed: the latest step end time, '
        "else the pipeline's last modification\">last scanned</span>"
        f" <b>{_time(summary.get('lastScanned'))}</b>"
    ]
    failures = _failures(response)
    if failures:
        parts.append(
            f'<br><span class="lineage-failure" style="color:{BAD}">'
            + "<br>".join(failures)
            + "</span>"
        )
    if summary.get("reused"):
        parts.append(
            f" · {int(summary['reused'])} reused from another execution (selective execution)"
        )
    warnings = response.get("warnings") or []
    if warnings:
        items = "".join(
            f"<li><code>{escape(str(w.get('code', '')))}</code> {escape(str(w.get('target', '')))}: "
            f"{escape(str(w.get('message', '')))}</li>"
            for w in warnings
        )
        # resources named by the warnings (a Timeout is about the request as a whole)
        targets = sorted({str(w.get("target") or "") for w in warnings} - {"", "request"})
        about = ""
        if len(targets) == 1:
            about = f" about {escape(targets[0])}"
        elif targets:
            about = f" about {len(targets)} resources"
        parts.append(
            f'<details class="lineage-warnings"><summary style="color:{WARN};cursor:pointer">'
            f"{len(warnings)} warning{'s' if len(warnings) != 1 else ''}{about}</summary>"
            f'<ul style="margin:0;padding-left:18px">{items}</ul></details>'
        )
    parts.append("</div>")
    return "".join(parts)


def _failures(response: Mapping[str, Any]) -> list[str]:
    """One line per failed step with its own reason (``run.failureReason``: what the panel
    shows), else the execution's: SageMaker's "Step failure: One or multiple steps
    failed." says nothing a step's reason does not."""
    execution = response.get("execution") or {}
    failed = (response.get("summary") or {}).get("failedSteps") or []
    nodes = {n.get("id"): n for n in (response.get("graph") or {}).get("nodes", [])}
    lines = []
    for name in failed:
        reason = ((nodes.get(name) or {}).get("run") or {}).get("failureReason")
        lines.append(
            f"<b>{escape(str(name))}</b> failed" + (f": {escape(str(reason))}" if reason else "")
        )
    if execution.get("failureReason") and not any(
        ((nodes.get(n) or {}).get("run") or {}).get("failureReason") for n in failed
    ):
        reason = escape(str(execution["failureReason"]))
        lines = [f"{lines[0]}: {reason}"] if len(lines) == 1 else [*lines, reason]
    return lines


def legend_html() -> str:
    """Swatches for every node colour and a sample of every edge style."""
    nodes = " ".join(status_badge(status) for status in (*STATUSES, NO_RUN))
    edges = []
    for via, rule in VIA_STYLES.items():
        if via == "consumes":
            continue
        dash = {"dashed": ' stroke-dasharray="4 3"', "dotted": ' stroke-dasharray="1 3"'}.get(
            rule["line-style"], ""
        )
        name = "artifact" if via == "produces" else via
        edges.append(
            f'<span style="white-space:nowrap;margin-right:8px">'
            f'<svg width="28" height="8"><line x1="0" y1="4" x2="28" y2="4" '
            f'stroke="{rule["line-color"]}" stroke-width="2"{dash}/></svg> {escape(name)}</span>'
        )
    artifacts = " ".join(
        badge(f"artifact {name}", colour)
        for name, colour in (
            ("ok", POSTURE_COLOURS["ok"]),
            ("warn", POSTURE_COLOURS["warn"]),
            ("problem", POSTURE_COLOURS["bad"]),
        )
    )
    reused = (
        '<span class="lineage-status" style="border:4px double #546e7a;border-radius:8px;'
        'padding:0 6px;font-size:11px;white-space:nowrap" title="a cache hit, or a step a '
        'selective execution reused from another execution">not run here</span>'
    )
    return (
        f'<div class="lineage-legend" style="font-size:11px;line-height:1.8">'
        f"<b>steps</b> {nodes} {reused} &nbsp; <b>edges</b> {''.join(edges)} &nbsp; {artifacts}"
        "</div>"
    )


def posture_badges(s3: Mapping[str, Any] | None) -> str:
    """One badge per posture value, coloured by verdict; problems solid so they stand out."""
    if not s3:
        return badge("posture not read", INFO, title="S3 metadata is off (ENABLE_S3_META=false)")
    out = []
    for key, verdicts in POSTURE_VERDICT.items():
        value = str(s3.get(key, "Unknown"))
        colour = verdicts.get(value, WARN)  # Unknown and anything unexpected need a look
        text = f"{POSTURE_LABEL[key]}: {value}"
        out.append(badge(text, colour, solid=colour == BAD or value == "Unknown"))
    tags = s3.get("tags")
    if isinstance(tags, Mapping):
        title = ", ".join(f"{k}={v}" for k, v in tags.items())
        out.append(badge(f"{len(tags)} tag{'s' if len(tags) != 1 else ''}", INFO, title=title))
    else:
        out.append(badge(f"tags: {tags}", WARN, solid=True))
    return "".join(out)


def _tags_line(s3: Mapping[str, Any] | None) -> str:
    tags = (s3 or {}).get("tags")
    if not isinstance(tags, Mapping) or not tags:
        return ""
    text = ", ".join(f"{escape(str(k))}=<i>{escape(str(v))}</i>" for k, v in tags.items())
    return f'<div style="font-size:11px;color:var(--jp-ui-font-color2, #555)">tags: {text}</div>'


def cross_pipeline_names(artifact: Mapping[str, Any]) -> list[str]:
    """The other pipelines that write or read an artifact (``includeCrossPipeline``), by name."""
    uses = [
        *(artifact.get("upstreamPipelines") or []),
        *(artifact.get("downstreamPipelines") or []),
    ]
    return sorted({str(use.get("pipeline")) for use in uses})


def cross_pipeline_html(artifact: Mapping[str, Any]) -> str:
    """Which other pipelines write (upstream) and read (downstream) an artifact, with
    their steps; empty when the answer was read without ``includeCrossPipeline``."""
    if "upstreamPipelines" not in artifact and "downstreamPipelines" not in artifact:
        return ""
    lines = []
    for key, verb in (("upstreamPipelines", "written by"), ("downstreamPipelines", "read by")):
        uses = artifact.get(key) or []
        if not uses:
            continue
        items = "; ".join(
            f"<b>{escape(str(u.get('pipeline')))}</b> · {escape(str(u.get('step')))}"
            + (
                f' <span style="color:var(--jp-ui-font-color2, #555)">({escape(str(u.get("relation")))}: '
                f"<code>{escape(str(u.get('uri')))}</code>)</span>"
                if u.get("relation") != "exact"
                else ""
            )
            for u in uses
        )
        lines.append(f"<div>{verb} other pipelines: {items}</div>")
    if not lines:
        return '<div class="lineage-cross" style="font-size:11px;color:var(--jp-ui-font-color2, #555)">no other pipeline of the region writes or reads it</div>'
    return f'<div class="lineage-cross" style="font-size:11px">{"".join(lines)}</div>'


def _artifact_rows(
    refs: list[Mapping[str, Any]], artifacts: Mapping[Any, Mapping[str, Any]]
) -> str:
    if not refs:
        return '<div style="color:var(--jp-ui-font-color2, #777)">none</div>'
    rows = []
    for ref in refs:
        artifact = artifacts.get(ref.get("artifactId")) or {}
        s3 = artifact.get("s3")
        level = posture_level(s3)
        marker = {"bad": "⚠ ", "warn": "! "}.get(level, "")
        unresolved = (
            badge("resolved at run time", INFO, title="the URI depends on the execution")
            if ref.get("resolved") is False
            else ""
        )
        rows.append(
            f'<div class="lineage-artifact lineage-posture-{level}" style="margin:4px 0 6px 0;'
            f'border-left:3px solid {POSTURE_COLOURS[level]};padding-left:6px">'
            f"<b>{marker}{escape(str(ref.get('name', '')))}</b> {unresolved}<br>"
            f'<code style="font-size:11px;word-break:break-all">{escape(str(ref.get("uri", "")))}</code><br>'
            f"{posture_badges(s3) if artifact else ''}{_tags_line(s3)}"
            f"{cross_pipeline_html(artifact) if artifact else ''}</div>"
        )
    return "".join(rows)


def _row(name: str, value: str) -> str:
    # Labels never wrap (one word a letter per line is unreadable) and are cut short with
    # the full text on hover; the value cell wraps like its pane (overflow-wrap inherits).
    label = name if len(name) <= 32 else name[:31] + "…"
    return (
        f'<tr><td style="color:var(--jp-ui-font-color2, #555);padding-right:8px;vertical-align:top;white-space:nowrap" '
        f'title="{escape(name)}">{escape(label)}</td><td>{value}</td></tr>'
    )


def _json_block(value: Any) -> str:
    text = json.dumps(value, indent=1, sort_keys=True, default=str)
    return f'<pre style="font-size:11px;margin:2px 0;white-space:pre-wrap">{escape(text)}</pre>'


def _run_rows(run: Mapping[str, Any]) -> list[str]:
    rows = [
        _row("start", _time(run.get("startTime"))),
        _row("end", _time(run.get("endTime"))),
        _row("elapsed", escape(format_elapsed(run.get("elapsedSec")) or "–")),
    ]
    if run.get("jobArn"):
        rows.append(
            _row("job", f'<code style="word-break:break-all">{escape(str(run["jobArn"]))}</code>')
        )
    if run.get("jobStatus"):
        rows.append(_row("job status", escape(str(run["jobStatus"]))))
    if run.get("attempts", 1) not in (0, 1):
        rows.append(_row("attempts", badge(str(run["attempts"]), WARN)))
    cache = "yes" if run.get("cacheHit") else "no"
    if run.get("cacheHit") and run.get("cacheSource"):
        cache += (
            f' — from <code style="word-break:break-all">{escape(str(run["cacheSource"]))}</code>'
        )
    rows.append(_row("cache hit", cache))
    if run.get("reusedFrom"):
        rows.append(
            _row(
                "reused",
                "from <code>" + escape(str(run["reusedFrom"])) + "</code> (selective execution: "
                "not run in this one)",
            )
        )
    if run.get("failureReason"):
        rows.append(
            _row(
                "failure",
                f'<div class="lineage-failure" style="color:{BAD};background:#fdecea;padding:2px 4px">'
                f"{escape(str(run['failureReason']))}</div>",
            )
        )
    metrics = run.get("metrics") or {}
    if metrics:
        cells = "".join(
            f"<tr><td><code>{escape(str(k))}</code></td><td style='text-align:right'>{escape(str(v))}</td></tr>"
            for k, v in metrics.items()
        )
        rows.append(_row("metrics", f"<table>{cells}</table>"))
    if run.get("conditionOutcome") is not None or run.get("conditions"):
        outcome = str(run.get("conditionOutcome") or "")
        colour = OK if outcome.lower() == "true" else WARN
        text = badge(outcome, colour, solid=True) if outcome else ""
        for cond in run.get("conditions") or []:
            text += f"<div>{condition_html(cond)}</div>"
        rows.append(_row("condition", text))
    if run.get("iterations"):
        cells = "".join(
            f"<tr><td>{int(it['index'])}</td><td>{status_badge(str(it['status']))}</td>"
            f"<td>{escape(str(it.get('failureReason') or ''))}</td></tr>"
            for it in run["iterations"]
        )
        rows.append(_row(f"iterations ({len(run['iterations'])})", f"<table>{cells}</table>"))
    emr = run.get("emr") or {}
    for key, label in (("clusterId", "EMR cluster"), ("applicationId", "EMR application"),
                       ("stepId", "EMR step"), ("jobRunId", "EMR job run"),
                       ("logFilePath", "EMR log")):  # fmt: skip
        if emr.get(key):
            rows.append(_row(label, f"<code>{escape(str(emr[key]))}</code>"))
    if run.get("outputParameters"):
        rows.append(_row("output parameters", _json_block(run["outputParameters"])))
    registry = run.get("registry")
    if registry:
        approval = str(registry.get("approvalStatus", ""))
        colour = {"Approved": OK, "Rejected": BAD}.get(approval, WARN)
        rows.append(
            _row(
                "registry",
                f"<b>{escape(str(registry.get('modelPackageGroup', '')))}</b> "
                f"v{escape(str(registry.get('version', '')))} {badge(approval, colour)}<br>"
                f'<code style="word-break:break-all">{escape(str(registry.get("modelPackageArn", "")))}</code>',
            )
        )
    if run.get("bestTrainingJob"):
        rows.append(_row("best job", f"<code>{escape(str(run['bestTrainingJob']))}</code>"))
    if run.get("check"):
        rows.append(_row("check", _json_block(run["check"])))
    for name, report in (run.get("reports") or {}).items():
        rows.append(_row(f"report {name}", _json_block(report)))
    return rows


def condition_html(cond: Mapping[str, Any]) -> str:
    """One condition as it read in the run: operands, its type, and its outcome
    (✓ true, ✗ false, ? unknown); Not and Or with their nested conditions."""
    outcome = cond.get("outcome")
    mark = '<b style="color:var(--jp-ui-font-color2, #777)">?</b>'
    if outcome is True:
        mark = f'<b style="color:{OK}">✓</b>'
    elif outcome is False:
        mark = f'<b style="color:{WARN}">✗</b>'
    kind = escape(str(cond.get("type")))
    if "expression" in cond:
        return f"{mark} {kind} ({condition_html(cond['expression'])})"
    if "conditions" in cond:
        inner = f" <i>{kind.lower()}</i> ".join(condition_html(c) for c in cond["conditions"])
        return f"{mark} {kind} ({inner})"
    if "values" in cond:
        values = ", ".join(escape(str(v)) for v in cond["values"])
        return f"{mark} <code>{escape(str(cond.get('value')))} {kind} [{values}]</code>"
    return (
        f"{mark} <code>{escape(str(cond.get('left')))} {kind} "
        f"{escape(str(cond.get('right')))}</code>"
    )


def step_detail_html(response: Mapping[str, Any], step_id: str) -> str:
    """The detail pane for one step: its run, then its inputs and outputs with their posture."""
    graph = response.get("graph") or {}
    node = next((n for n in graph.get("nodes", []) if n["id"] == step_id), None)
    if node is None:
        return f'<div class="lineage-detail">No step named <b>{escape(step_id)}</b>.</div>'
    artifacts = {a["id"]: a for a in graph.get("artifacts", [])}
    status = run_status(node)
    head = (
        f'<div class="lineage-detail" style="font-size:12px;line-height:1.4;{WRAP}">'
        f'<div style="font-size:14px"><b>{escape(node["id"])}</b> {status_badge(status)}</div>'
        f'<div style="color:var(--jp-ui-font-color2, #555)">{escape(str(node.get("type", "")))}'
    )
    parent = node.get("parent")
    if parent and parent.get("branch") == "body":
        head += f" · runs once per item of ForEach <b>{escape(str(parent.get('step')))}</b>"
    elif parent:
        head += f" · in the <b>{escape(str(parent.get('branch')))}</b> branch of {escape(str(parent.get('step')))}"
    head += "</div>"
    if node.get("description"):
        head += f"<div>{escape(str(node['description']))}</div>"
    run = node.get("run")
    if run:
        left = f'<table style="margin:4px 0">{"".join(_run_rows(run))}</table>'
    else:
        left = '<div style="color:var(--jp-ui-font-color2, #777);margin:4px 0">No execution read: definition only.</div>'
    right = f"<div><b>Inputs</b></div>{_artifact_rows(node.get('inputs') or [], artifacts)}"
    right += f"<div style='margin-top:6px'><b>Outputs</b></div>{_artifact_rows(node.get('outputs') or [], artifacts)}"
    column = 'style="flex:1 1 340px;min-width:0"'
    body = f'<div style="display:flex;flex-wrap:wrap;gap:4px 24px"><div {column}>{left}</div><div {column}>{right}</div></div>'
    return head + body + "</div>"


def artifact_detail_html(response: Mapping[str, Any], artifact_id: int | str) -> str:
    """The detail pane for one artifact (data lineage view): URI, producers, consumers, posture."""
    artifacts = {a["id"]: a for a in (response.get("graph") or {}).get("artifacts", [])}
    artifact = artifacts.get(artifact_id)
    if artifact is None:
        return f'<div class="lineage-detail">No artifact {escape(str(artifact_id))}.</div>'
    s3 = artifact.get("s3")
    findings = ", ".join(str(f) for f in (s3 or {}).get("findings") or []) or "none"
    rows = [
        _row("bucket", escape(str(artifact.get("bucket") or "–"))),
        _row(
            "key",
            f'<code style="word-break:break-all">{escape(str(artifact.get("key") or ""))}</code>',
        ),
        _row("produced by", escape(", ".join(artifact.get("producers") or []) or "– (input)")),
        _row("read by", escape(", ".join(artifact.get("consumers") or []) or "–")),
        _row("posture", posture_badges(s3)),
        _row("findings", escape(findings)),
    ]
    if (s3 or {}).get("region"):
        rows.append(_row("region", escape(str(s3["region"]))))  # type: ignore[index]
    return (
        f'<div class="lineage-detail" style="font-size:12px;line-height:1.4;{WRAP}"><div style="font-size:14px"><b>artifact</b> '
        f'<code style="word-break:break-all">{escape(str(artifact.get("uri", "")))}</code></div>'
        f'<table style="margin:4px 0">{"".join(rows)}</table>{_tags_line(s3)}'
        f"{cross_pipeline_html(artifact)}</div>"
    )


def graph_css(scope: str, height: int) -> str:
    """A ``<style>`` that gives the graph element its height.

    ipycytoscape's own stylesheet sets ``.custom-widget { height: 400px }`` and
    Cytoscape fits to the element's size, so ``layout.height`` alone leaves the
    fit at 400 px; a class selector on our own scope class wins by specificity.
    """
    return (
        f"<style>.{scope}.custom-widget {{ height: {int(height)}px; min-height: {int(height)}px; "
        # the canvas is transparent: the theme's background shows through (light and dark)
        f"border: 1px solid var(--jp-border-color2, #e0e0e0); resize: vertical; "
        f"background: var(--jp-layout-color1, #fff); }}</style>"
    )


def risks_html(response: Mapping[str, Any]) -> str:
    """The ``graph.risks`` paths as a list (shown while the Risks view is on)."""
    risks = (response.get("graph") or {}).get("risks") or []
    if not risks:
        return ""
    items = "".join(f"<li>{escape(str(r.get('message', '')))}</li>" for r in risks)
    return (
        f'<div class="lineage-risks" style="color:{BAD};font-size:12px">'
        f"<b>{len(risks)} risk path{'s' if len(risks) != 1 else ''}</b>: flagged S3 data "
        f'upstream of a registered model<ul style="margin:2px 0">{items}</ul></div>'
    )


#: The button's script: copy the hidden textarea's text (the clipboard API where the page
#: is a secure context, else the selection), then say so on the button for a moment.
_COPY_SCRIPT = (
    "const b=this,t=b.parentNode.querySelector('textarea'),d=()=>{b.textContent='Copied';"
    "setTimeout(()=>{b.textContent='Copy as Mermaid'},1500)},f=()=>{t.select();"
    "document.execCommand('copy');d()};if(navigator.clipboard&&window.isSecureContext)"
    "{navigator.clipboard.writeText(t.value).then(d,f)}else{f()}"
)


def copy_mermaid_html(mermaid: str) -> str:
    """A "Copy as Mermaid" button that puts ``mermaid`` on the clipboard (in the browser:
    the kernel cannot reach the clipboard). The text sits escaped in a hidden textarea."""
    return (
        '<span class="lineage-copy">'
        f'<button class="lineage-copy-mermaid jupyter-button" type="button" '
        f'title="Copy this graph as a Mermaid flowchart (for Markdown, READMEs, pull requests)" '
        f'style="height:28px" onclick="{escape(_COPY_SCRIPT)}">Copy as Mermaid</button>'
        '<textarea class="lineage-mermaid-source" readonly tabindex="-1" aria-hidden="true" '
        'style="position:absolute;left:-10000px;width:1px;height:1px">'
        f"{escape(mermaid)}</textarea></span>"
    )
