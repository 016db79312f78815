"""A lineage response as Cytoscape elements, styles and layouts: pure functions, no widgets.

Everything here takes the core's response dict (the 200 body of GET /lineage, docs/api.md) and returns plain
JSON-ready values, so it is tested without a browser and reusable by any
Cytoscape front end. ``view.py`` feeds these values to ipycytoscape.

Conventions (docs/api.md, "Rendering conventions"): node colour by ``run.status``, edge
style by ``via``; node labels carry the step name, its type and the elapsed time.
Element classes are what the stylesheet keys on: ``step``/``artifact``,
``status-<status>``, ``reused`` (a cache hit, or a step a selective execution took from
another execution: its result, not a run of its own), ``via-<via>``,
``posture-<ok|warn|bad>``. The view state (focus, search target,
picked node) is extra stylesheet rules (``view_style``) selecting nodes by
``data.ref``: the step id, or ``artifact:<id>``.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from typing import Any

STATUSES = ("Succeeded", "Executing", "Failed", "Stopped", "NotStarted")
NO_RUN = "NoRun"

# (fill, border) per run status; NoRun is a definition read without an execution.
STATUS_COLOURS: dict[str, tuple[str, str]] = {
    "Succeeded": ("#d4eed8", "#2e7d32"),
    "Executing": ("#d3e5fa", "#1565c0"),
    "Failed": ("#f9d4d1", "#c62828"),
    "Stopped": ("#fde3c0", "#b45f06"),
    "NotStarted": ("#eeeeee", "#9e9e9e"),
    NO_RUN: ("#ffffff", "#546e7a"),
}

VIA_STYLES: dict[str, dict[str, Any]] = {
    "dependsOn": {"line-style": "dashed", "line-color": "#90a4ae", "label": ""},
    # labelled with the item count once a run says it ("× 3"), see lineage_elements
    "forEach": {"line-style": "dotted", "line-color": "#6a1b9a", "label": "for each"},
    "ref:Get": {"line-style": "solid", "line-color": "#607d8b", "label": ""},
    "condition:if": {"line-style": "solid", "line-color": "#2e7d32", "label": "if"},
    "condition:else": {"line-style": "solid", "line-color": "#c62828", "label": "else"},
    "produces": {"line-style": "solid", "line-color": "#8e7cc3", "label": ""},
    "consumes": {"line-style": "solid", "line-color": "#8e7cc3", "label": ""},
}

# Posture findings (core/posture.py) by how loudly a UI should flag them.
BAD_FINDINGS = frozenset({"NotEncrypted", "PublicAccessNotBlocked"})
WARN_FINDINGS = frozenset({"VersioningOff", "PublicAccessPartiallyBlocked", "PostureUnknown"})
POSTURE_COLOURS = {"ok": "#3d85c6", "warn": "#b45f06", "bad": "#c62828", "none": "#9e9e9e"}

ARTIFACT_PREFIX = "artifact:"
FONT_SIZE = 12  # step labels; artifact labels and edge labels are one smaller


def run_status(node: Mapping[str, Any]) -> str:
    """The status a node is coloured by: ``run.status``, or ``NoRun`` without a run."""
    run = node.get("run")
    if not run:
        return NO_RUN
    status = run.get("status")
    return status if status in STATUS_COLOURS else NO_RUN


def format_elapsed(seconds: float | int | None) -> str:
    """Elapsed seconds the way a person reads them: ``42 s``, ``9 min 15 s``, ``1 h 36 min``."""
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


def node_label(node: Mapping[str, Any]) -> str:
    """Two lines: the step name, then its type and (when it ran) the elapsed time."""
    second = node.get("type") or "?"
    run = node.get("run") or {}
    elapsed = format_elapsed(run.get("elapsedSec"))
    if run.get("status") == "Executing":
        elapsed = f"running {elapsed}".strip()
    if elapsed:
        second = f"{second} · {elapsed}"
    return f"{node['id']}\n{second}"


def posture_level(s3: Mapping[str, Any] | None) -> str:
    """``bad``, ``warn`` or ``ok`` for an artifact's bucket posture; ``none`` when not read."""
    if not s3:
        return "none"
    findings = set(s3.get("findings") or [])
    if findings & BAD_FINDINGS:
        return "bad"
    if findings & WARN_FINDINGS:
        return "warn"
    return "ok"


def label_box(label: str, font_size: int = FONT_SIZE) -> tuple[int, int]:
    """A box (width, height) in px that holds ``label``, estimated from its characters.

    Boxes sized by Cytoscape from the rendered label (``width: label``) go stale
    while a node is hidden: a layout run just after a focus is left placed those
    nodes as 1 px dots on top of each other. A size computed here is known
    before anything is drawn, so every layout sees the real box.
    """
    lines = label.split("\n")
    width = max(len(line) for line in lines) * font_size * 0.56 + 16
    height = len(lines) * font_size * 1.25 + 10
    return int(round(width)), int(round(height))


def artifact_node_id(artifact_id: int | str) -> str:
    return f"{ARTIFACT_PREFIX}{artifact_id}"


def _shorten(text: str, limit: int = 28) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def artifact_label(artifact: Mapping[str, Any]) -> str:
    """The object's last path segment, shortened; the bucket is in the detail pane.

    One short line keeps the data lineage view narrow: with the bucket as a
    second line the 7-step demo fitted at zoom 0.45 (labels 5 px).
    """
    key = (artifact.get("key") or "").rstrip("/")
    return _shorten(key.rsplit("/", 1)[-1] if key else artifact.get("uri", ""))


def _edge_id(source: str, target: str, via: str) -> str:
    return f"{source}->{target}#{via}"


def lineage_elements(response: Mapping[str, Any], *, artifacts: bool = False) -> dict[str, list]:
    """Cytoscape elements (``{"nodes": [...], "edges": [...]}``) for a lineage response.

    Steps become nodes and the answer's edges become edges. With ``artifacts`` (the data
    lineage view) every artifact becomes a node between its producers and
    consumers, and a ``ref:Get`` edge already drawn through an artifact is left out
    so the same dependency is not drawn twice.
    """
    graph = response.get("graph") or {}
    nodes: list[dict] = []
    edges: list[dict] = []
    iterations: dict[str, int] = {}
    for node in graph.get("nodes", []):
        status = run_status(node)
        label = node_label(node)
        width, height = label_box(label)
        run = node.get("run") or {}
        if run.get("iterations"):
            iterations[node["id"]] = len(run["iterations"])
        reused = " reused" if run.get("cacheHit") or run.get("reusedFrom") else ""
        nodes.append(
            {
                "data": {
                    "id": node["id"],
                    "ref": node["id"],
                    "label": label,
                    "w": width,
                    "h": height,
                    "kind": "step",
                    "status": status,
                    "stepType": node.get("type"),
                },
                "classes": f"step status-{status} type-{node.get('type') or 'Unknown'}{reused}",
            }
        )

    through_artifact: set[tuple[str, str]] = set()
    if artifacts:
        for artifact in graph.get("artifacts", []):
            aid = artifact_node_id(artifact["id"])
            level = posture_level(artifact.get("s3"))
            label = artifact_label(artifact)
            width, height = label_box(label, FONT_SIZE - 1)
            nodes.append(
                {
                    "data": {
                        "id": aid,
                        "ref": aid,
                        "label": label,
                        "w": width,
                        "h": height,
                        "kind": "artifact",
                        "artifactId": artifact["id"],
                        "posture": level,
                    },
                    "classes": f"artifact posture-{level}",
                }
            )
            for producer in artifact.get("producers", []):
                edges.append(_edge(producer, aid, "produces"))
            for consumer in artifact.get("consumers", []):
                edges.append(_edge(aid, consumer, "consumes"))
            for producer in artifact.get("producers", []):
                for consumer in artifact.get("consumers", []):
                    through_artifact.add((producer, consumer))

    for edge in graph.get("edges", []):
        source, target, via = edge["from"], edge["to"], edge["via"]
        if artifacts and via == "ref:Get" and (source, target) in through_artifact:
            continue
        count = iterations.get(target) if via == "forEach" else None
        edges.append(_edge(source, target, via, None if count is None else f"× {count}"))
    return {"nodes": nodes, "edges": edges}


def _edge(source: str, target: str, via: str, label: str | None = None) -> dict:
    slug = via.replace(":", "-")
    return {
        "data": {
            "id": _edge_id(source, target, via),
            "ref": _edge_id(source, target, via),
            "source": source,
            "target": target,
            "via": via,
            "label": VIA_STYLES.get(via, {}).get("label", "") if label is None else label,
        },
        "classes": f"via-{slug}",
    }


def graph_style(font_size: int = FONT_SIZE) -> list[dict]:
    """The Cytoscape stylesheet: colours per status and posture, line styles per ``via``."""
    style: list[dict] = [
        {
            "selector": "node",
            "style": {
                "label": "data(label)",
                "text-wrap": "wrap",
                "text-valign": "center",
                "text-halign": "center",
                "font-size": font_size,
                "font-family": "Helvetica, Arial, sans-serif",
                "color": "#212121",
                # Boxes sized to their label (label_box): dagre packs layers as tightly
                # as the text allows.
                "width": "data(w)",
                "height": "data(h)",
                "text-max-width": "1000px",
                "shape": "round-rectangle",
                "border-width": 2,
            },
        },
        {
            "selector": "edge",
            "style": {
                "width": 1.5,
                "curve-style": "bezier",
                "target-arrow-shape": "triangle",
                "arrow-scale": 0.9,
                "label": "data(label)",
                "font-size": font_size - 1,
                "text-background-color": "#ffffff",
                "text-background-opacity": 1,
                "text-background-padding": "1px",
            },
        },
    ]
    for status, (fill, border) in STATUS_COLOURS.items():
        rule: dict[str, Any] = {"background-color": fill, "border-color": border}
        if status == "NotStarted":
            rule["border-style"] = "dashed"
        if status in ("Executing", "Failed"):
            rule["border-width"] = 3
        style.append({"selector": f"node.status-{status}", "style": rule})
    # Not run here (a cache hit, a step reused by a selective execution): a double border.
    style.append(
        {"selector": "node.reused", "style": {"border-style": "double", "border-width": 5}}
    )
    for via, rule in VIA_STYLES.items():
        slug = via.replace(":", "-")
        css = {k: v for k, v in rule.items() if k != "label"}
        css["target-arrow-color"] = rule["line-color"]
        if rule["label"]:
            css["color"] = rule["line-color"]
            css["font-weight"] = "bold"
        style.append({"selector": f"edge.via-{slug}", "style": css})
    style.append(
        {
            "selector": "node.artifact",
            "style": {
                "shape": "barrel",
                "background-color": "#f3f0fa",
                "font-size": font_size - 1,
                "border-width": 2,
            },
        }
    )
    for level, colour in POSTURE_COLOURS.items():
        rule = {"border-color": colour}
        if level == "bad":
            rule.update({"border-width": 3, "background-color": "#fdecea"})
        style.append({"selector": f"node.posture-{level}", "style": rule})
    return style


def dagre_layout(*, eles: str | None = None, nodes: int = 0) -> dict:
    """The layered left-to-right layout, fitted; ``eles`` limits it to a selector.

    Spacing is tight on large graphs so the fitted first view keeps the shape
    readable (TOOLCHAIN.md, "Drawing large graphs").
    """
    large = nodes > 60
    layout: dict[str, Any] = {
        "name": "dagre",
        "rankDir": "LR",
        "nodeSep": 8 if large else 20,
        "rankSep": 60 if large else 45,
        "edgeSep": 6,
        "nodeDimensionsIncludeLabels": False,  # the boxes already hold their labels
        "fit": True,
        "padding": 20,
    }
    if eles:
        layout["eles"] = eles
    return layout


def zoom_layout(selector: str, nonce: int, padding: int = 40) -> dict:
    """Fit the view to ``selector`` without moving any node.

    ipycytoscape never sends ``zoom`` or ``pan`` to the browser, but it runs any
    layout put in ``cytoscape_layout``; Cytoscape's ``preset`` layout without
    positions keeps every node where it is and then fits the viewport to its
    ``eles`` with ``padding`` around them. ``nonce`` makes each request a new
    value, so zooming to the same step twice still reaches the browser.
    """
    return {
        "name": "preset",
        "eles": selector,
        "fit": True,
        "padding": int(padding),
        # No animation: a layout sent while one plays would be overridden by it.
        "animate": False,
        "nonce": nonce,
    }


def zoom_padding(box_height: int, graph_height: int, zoom: float = 1.0) -> int:
    """The fit padding that shows a node of ``box_height`` at about ``zoom``.

    Cytoscape's fit zoom is ``min((W - 2p) / w, (H - 2p) / h)``; Python knows the
    graph's height H (our CSS sets it) and the box, not the width W, so the padding
    is chosen from the height. The width term only wins in a graph narrower than
    about H + the box width (about 700 px at 200 steps), where the zoom is lower.
    """
    return max(30, int((graph_height - box_height * zoom) / 2))


def adjacency(
    edges: Iterable[Mapping[str, Any]],
) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """(downstream, upstream) neighbour sets from Cytoscape edges."""
    down: dict[str, set[str]] = {}
    up: dict[str, set[str]] = {}
    for edge in edges:
        data = edge.get("data", edge)
        source, target = data["source"], data["target"]
        down.setdefault(source, set()).add(target)
        up.setdefault(target, set()).add(source)
    return down, up


def neighbourhood(
    edges: Iterable[Mapping[str, Any]],
    start: str,
    *,
    hops: int | None = 2,
    direction: str = "both",
) -> set[str]:
    """Node ids within ``hops`` of ``start`` upstream, downstream or both (``None``: any distance).

    Walks ancestors and descendants separately, so "both" means the step's
    lineage (what fed it and what it fed), not every node reachable by zig-zag.
    """
    down, up = adjacency(edges)
    found = {start}
    walks = {"both": (down, up), "downstream": (down,), "upstream": (up,)}[direction]
    for links in walks:
        depth = {start: 0}
        queue = deque([start])
        while queue:
            current = queue.popleft()
            if hops is not None and depth[current] >= hops:
                continue
            for nxt in links.get(current, ()):
                if nxt not in depth:
                    depth[nxt] = depth[current] + 1
                    found.add(nxt)
                    queue.append(nxt)
    return found


def search_steps(response: Mapping[str, Any], text: str) -> list[str]:
    """Step ids matching ``text``: exact name first, then prefix, then substring (case-insensitive)."""
    needle = text.strip().lower()
    if not needle:
        return []
    ids = [n["id"] for n in (response.get("graph") or {}).get("nodes", [])]
    exact = [i for i in ids if i.lower() == needle]
    prefix = [i for i in ids if i.lower().startswith(needle) and i not in exact]
    inner = [i for i in ids if needle in i.lower() and i not in exact and i not in prefix]
    return exact + prefix + inner


def ref_selector(refs: Iterable[str], group: str = "node") -> str:
    """A Cytoscape selector for the nodes (or edges) whose ``data.ref`` is one of ``refs``."""
    quoted = (ref.replace("\\", "\\\\").replace('"', '\\"') for ref in sorted(refs))
    return ", ".join(f'{group}[ref = "{ref}"]' for ref in quoted)


def focus_selector(elements: Mapping[str, list], shown: set[str]) -> str:
    """The nodes in ``shown`` and the edges between them, as one selector.

    A focus layout names its elements instead of using ``:visible``, so where
    the nodes go never depends on whether the browser has applied the new
    stylesheet yet.
    """
    edges = [
        e["data"]["id"]
        for e in elements["edges"]
        if e["data"]["source"] in shown and e["data"]["target"] in shown
    ]
    parts = [ref_selector(shown), ref_selector(edges, "edge")]
    return ", ".join(part for part in parts if part)


def view_style(
    *,
    picked: str | None = None,
    targets: Iterable[str] = (),
    focus: str | None = None,
) -> list[dict]:
    """Stylesheet rules for the view state, appended after ``graph_style()``.

    ``focus`` (a ``focus_selector``; ``None`` = everything) hides every other
    node and edge; ``targets`` marks what a search found, ``picked``
    the node in the detail pane. The view state lives in the stylesheet, not in
    element classes, because the stylesheet and the layout are traits of one
    widget model, which the browser applies in the order they were sent; class
    changes on hundreds of element models may land after the layout that needs
    them (seen: nodes unhidden too late were laid out as 1 px dots).
    """
    rules: list[dict] = []
    if focus is not None:
        # visibility, not display: a hidden node keeps its size, so a layout that runs
        # before the browser has applied this sheet still sees real boxes.
        rules.append({"selector": "node, edge", "style": {"visibility": "hidden", "events": "no"}})
        if focus:
            rules.append({"selector": focus, "style": {"visibility": "visible", "events": "yes"}})
    targets = list(targets)
    if targets:
        rules.append(
            {
                "selector": ref_selector(targets),
                "style": {
                    "underlay-color": "#fbc02d",
                    "underlay-opacity": 0.45,
                    "underlay-padding": 7,
                },
            }
        )
    if picked is not None:
        rules.append(
            {
                "selector": ref_selector([picked]),
                "style": {
                    "underlay-color": "#6a1b9a",
                    "underlay-opacity": 0.45,
                    "underlay-padding": 8,
                },
            }
        )
    return rules


RISK_COLOUR = "#e53935"


def risk_refs(
    response: Mapping[str, Any], *, artifacts: bool = False
) -> tuple[set[str], set[tuple[str, str]]]:
    """The node refs on ``graph.risks`` paths and the (source, target) ref pairs of the
    edges along them, for the steps view or (``artifacts``) the data lineage view."""
    nodes: set[str] = set()
    pairs: set[tuple[str, str]] = set()
    for risk in (response.get("graph") or {}).get("risks") or []:
        steps = list(risk.get("steps") or [])
        nodes |= set(steps)
        pairs |= set(zip(steps, steps[1:], strict=False))
        if artifacts:
            path = {artifact_node_id(a) for a in risk.get("artifacts") or []}
            nodes |= path
            pairs |= {(a, s) for a in path for s in steps} | {(s, a) for a in path for s in steps}
    return nodes, pairs


def risk_style(
    elements: Mapping[str, list], nodes: set[str], pairs: set[tuple[str, str]]
) -> list[dict]:
    """Stylesheet rules that mark the risk paths red and fade everything else."""
    if not nodes:
        return []
    edges = [
        e["data"]["id"]
        for e in elements["edges"]
        if (e["data"]["source"], e["data"]["target"]) in pairs
    ]
    rules: list[dict] = [
        {"selector": "node, edge", "style": {"opacity": 0.35}},
        {
            "selector": ref_selector(nodes),
            "style": {
                "opacity": 1,
                "underlay-color": RISK_COLOUR,
                "underlay-opacity": 0.35,
                "underlay-padding": 6,
            },
        },
    ]
    if edges:
        rules.append(
            {
                "selector": ref_selector(edges, "edge"),
                "style": {
                    "opacity": 1,
                    "width": 3,
                    "line-color": RISK_COLOUR,
                    "target-arrow-color": RISK_COLOUR,
                },
            }
        )
    return rules
