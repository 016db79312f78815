"""``LineageWidget``: the lineage graph in a notebook (ipycytoscape + ipywidgets).

What ipycytoscape 1.3.3 does, read from its Python module and its labextension
bundle, and how this widget works with it:

- Cytoscape fits to the element's size, and ipycytoscape's CSS fixes
  ``.custom-widget`` at 400 px; ``layout.height`` does not change the fit. The
  graph gets a per-widget scope class and an ``HTML`` ``<style>`` sets its height.
- ``zoom`` and ``rendered_position`` are never read by the browser. What it does
  run is every new value of ``cytoscape_layout`` (``cy.layout(...)``, which
  accepts an ``eles`` selector and applies ``fit``/``padding``). So zoom-to-step
  is a ``preset`` layout (no positions: nothing moves) fitted to the step and its
  neighbours, and focus hides the rest and lays out the focus, named by a selector.
  A ``preset`` layout left in the trait would stack every node at (0, 0) when a
  new view is created, so the widget puts the dagre layout back before it is
  displayed again.
- Changing the graph's nodes or edges after display re-runs the layout and resets
  the view; a new stylesheet only restyles. Focus, zoom and selection therefore
  send a stylesheet (``elements.view_style``) and a layout; only the artifact
  toggle and refresh replace elements. Element ``classes`` would restyle too, but
  that is one message per element (a focus cost 396 KiB at 200 steps, 8 KiB as a
  stylesheet) arriving in no guaranteed order with the layout: measured, "Show
  all" laid out nodes whose unhide had not landed yet as 1 px dots. Even the
  stylesheet was seen landing after the layout (a focus run from another cell
  kept the old positions), so no layout depends on it: a focus layout names its
  nodes and edges by ``data.ref``, and hidden elements use ``visibility`` (they
  keep their size) rather than ``display: none`` (1 px to a layout). Node sizes
  come from Python (``elements.label_box``), not from Cytoscape measuring labels.
- Each node and edge is its own widget model and every change to the graph's
  ``_adj`` dict resends all of it. The graph is filled inside ``hold_sync`` (one
  message for nodes, edges and ``_adj``) from Node/Edge widgets built with their
  final data and classes (``add_edges(directed=True)`` would otherwise append to
  each edge's ``classes`` after its model is open: one more message per edge).
- Replacing elements is not safe with the same ids: ipywidgets' ``ViewList.update``
  creates the new element views at once but removes the old ones a promise later,
  so Cytoscape refuses the new "Train" (its id still exists) and then removes the
  old one and its edges: after a redraw only brand-new ids were left on screen.
  Each redraw therefore gives its elements fresh Cytoscape ids (``<generation>:<id>``);
  ``data.ref`` keeps the step id (or ``artifact:<n>``) that clicks report back.
- Nodes are not selectable (``auto_unselectify``) and there is no selection
  event; ``on("node", "click", ...)`` works (a click fills the detail pane in
  about 0.3 s in the screenshot script), so the picked node is a stylesheet rule.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Mapping
from html import escape
from typing import Any

import ipywidgets as widgets
from ipycytoscape import CytoscapeWidget, Edge, Node

from ..core.export import plural, to_mermaid
from .elements import (
    ARTIFACT_PREFIX,
    dagre_layout,
    focus_selector,
    graph_style,
    lineage_elements,
    neighbourhood,
    ref_selector,
    risk_refs,
    risk_style,
    search_steps,
    view_style,
    zoom_layout,
    zoom_padding,
)
from .panes import (
    artifact_detail_html,
    copy_mermaid_html,
    cross_pipeline_names,
    graph_css,
    legend_html,
    risks_html,
    step_detail_html,
    summary_html,
)

HOPS = [("1 hop", 1), ("2 hops", 2), ("3 hops", 3), ("5 hops", 5), ("all", None)]
DIRECTIONS = [("up + downstream", "both"), ("upstream", "upstream"), ("downstream", "downstream")]
# ipycytoscape appends these to an edge's classes when they are missing; see the module docstring.
EDGE_FLAGS = " directed multiple_edges"


def graph_height(steps: int) -> int:
    """Pixels for the graph: small pipelines stay compact, large ones get room for their shape."""
    if steps <= 12:
        return 380
    if steps <= 60:
        return 480
    return 560


class LineageWidget(widgets.VBox):
    """The lineage of one pipeline: header, toolbar, graph, detail pane and legend.

    ``response`` is the core's lineage JSON (the 200 body of GET /lineage). ``refresh``, when
    given, is called by the Refresh button and must return a new response.
    ``open_pipeline``, when given, takes a pipeline name and returns its lineage: the
    artifacts of an answer read with ``includeCrossPipeline`` then get an "Open" button
    per other pipeline that writes or reads them, and "Back" returns.
    """

    def __init__(
        self,
        response: Mapping[str, Any],
        refresh: Callable[[], Mapping[str, Any]] | None = None,
        open_pipeline: Callable[[str], Mapping[str, Any]] | None = None,
        **kwargs: Any,
    ) -> None:
        self.response: dict[str, Any] = dict(response)
        self._refresh = refresh
        self._open = open_pipeline
        #: The answers "Back" returns to, after "Open" showed another pipeline.
        self._history: list[dict[str, Any]] = []
        self.selected: str | None = None
        self.show_artifacts = False
        self.focused: tuple[str, int | None, str] | None = None
        self._targets: set[str] = set()
        self._nonce = 0
        self._generation = 0
        self._elements: dict[str, list] = {"nodes": [], "edges": []}
        self._scope = f"sagemaker-lineage-{uuid.uuid4().hex[:8]}"
        self._loop = _kernel_loop()

        steps = len(self._steps())
        self.graph = CytoscapeWidget()
        self.graph.add_class(self._scope)
        self.graph.min_zoom = 0.02
        self.graph.max_zoom = 2.5
        self._base_style = graph_style()
        self.graph.on("node", "click", self._on_node_click)
        self._height = graph_height(steps)
        self._css = widgets.HTML(graph_css(self._scope, self._height))

        self.header = widgets.HTML()
        # Below the graph, not beside it: the graph keeps the notebook's full width, which is
        # what decides the fitted zoom of a left-to-right layout.
        self.detail = widgets.HTML(
            '<div style="color:var(--jp-ui-font-color2, #777)">Click a step (or find one) to see its run and data.</div>',
            layout=widgets.Layout(
                border="1px solid #e0e0e0", padding="4px 8px", margin="4px 0 0 0"
            ),
        )
        self.legend = widgets.HTML(legend_html())
        self.status = widgets.HTML()
        # "Open" a pipeline the selection shares data with; "Back" to the one before.
        self.links = widgets.HBox(layout=widgets.Layout(flex_flow="row wrap"))
        self.back_button = widgets.Button(
            description="Back", icon="arrow-left", layout=widgets.Layout(width="auto")
        )
        self.back_button.on_click(lambda _: self.back())
        self.back_button.layout.display = "none"

        self.find_box = widgets.Combobox(
            placeholder="Find a step by name",
            options=self._steps(),
            ensure_option=False,
            continuous_update=False,
            layout=widgets.Layout(width="220px"),
        )
        self.find_box.observe(self._on_find_value, names="value")
        self.find_button = widgets.Button(
            description="Find",
            tooltip="Select the first matching step and zoom to it",
            layout=widgets.Layout(width="60px"),
        )
        self.find_button.on_click(lambda _: self.find(self.find_box.value))
        self.direction = widgets.Dropdown(
            options=DIRECTIONS, value="both", layout=widgets.Layout(width="140px")
        )
        self.hops = widgets.Dropdown(options=HOPS, value=2, layout=widgets.Layout(width="80px"))
        self.focus_button = widgets.Button(
            description="Focus",
            tooltip="Show only the selected step's neighbourhood",
            layout=widgets.Layout(width="70px"),
        )
        self.focus_button.on_click(lambda _: self.focus())
        self.all_button = widgets.Button(
            description="Show all",
            tooltip="Show the whole pipeline, fitted",
            layout=widgets.Layout(width="80px"),
        )
        self.all_button.on_click(lambda _: self.show_all())
        self.artifacts_toggle = widgets.ToggleButton(
            value=False,
            description="Artifacts",
            tooltip="Show S3 artifacts as nodes (data lineage)",
            layout=widgets.Layout(width="90px"),
        )
        self.artifacts_toggle.observe(self._on_artifacts_toggle, names="value")
        self.refresh_button = widgets.Button(
            description="Refresh",
            icon="refresh",
            tooltip="Read the lineage again",
            layout=widgets.Layout(width="90px"),
        )
        self.refresh_button.on_click(lambda _: self.refresh())
        self.show_risks = False
        self.risks_toggle = widgets.ToggleButton(
            value=False,
            description="Risks",
            tooltip="Highlight the paths from flagged S3 data to registered models",
            layout=widgets.Layout(width="90px"),
        )
        self.risks_toggle.observe(self._on_risks_toggle, names="value")
        self.copy_mermaid = widgets.HTML()
        self.risks = widgets.HTML()
        if refresh is None:
            self.refresh_button.disabled = True
            self.refresh_button.layout.display = "none"
        toolbar = widgets.HBox(
            [
                self.find_box,
                self.find_button,
                self.direction,
                self.hops,
                self.focus_button,
                self.all_button,
                self.artifacts_toggle,
                self.risks_toggle,
                self.refresh_button,
                self.copy_mermaid,
                self.back_button,
            ],
            layout=widgets.Layout(flex_flow="row wrap"),
        )
        super().__init__(
            [self._css, self.header, toolbar, self.graph, self.legend, self.status, self.risks,
             self.detail, self.links],
            **kwargs,
        )  # fmt: skip
        self.add_class("sagemaker-lineage-widget")
        self._redraw()

    # -- public API -------------------------------------------------------------------------

    def select(self, step_id: str) -> None:
        """Show ``step_id`` in the detail pane and mark it on the graph (what a click does).

        Artifact nodes of the data lineage view are ``artifact:<id>``.
        """
        self.selected = step_id
        if step_id.startswith(ARTIFACT_PREFIX):
            self.detail.value = artifact_detail_html(self.response, _artifact_id(step_id))
        else:
            self.detail.value = step_detail_html(self.response, step_id)
        self._show_links()
        self._restyle()

    def open_pipeline(self, name: str) -> None:
        """Show pipeline ``name`` (read through ``open_pipeline``); "Back" returns here."""
        if self._open is None:
            return
        try:
            response = dict(self._open(name))
        except Exception as error:  # one line, and the graph shown stays
            self.status.value = (
                f'<span style="color:#c62828">Could not open {escape(name)}: '
                f"{escape(str(error))}</span>"
            )
            return
        self._history.append(self.response)
        self._show_other(response)

    def back(self) -> None:
        """Return to the pipeline shown before the last "Open"."""
        if self._history:
            self._show_other(self._history.pop())

    def linked_pipelines(self) -> list[str]:
        """The other pipelines that write or read the selection's data (cross-pipeline)."""
        graph = self.response.get("graph") or {}
        artifacts = {a["id"]: a for a in graph.get("artifacts", [])}
        if self.selected is None:
            return []
        if self.selected.startswith(ARTIFACT_PREFIX):
            chosen = [artifacts.get(_artifact_id(self.selected)) or {}]
        else:
            node: dict[str, Any] = next(
                (n for n in graph.get("nodes", []) if n["id"] == self.selected), {}
            )
            ids = [
                loc.get("artifactId") for loc in [*node.get("inputs", []), *node.get("outputs", [])]
            ]
            chosen = [artifacts[i] for i in ids if i in artifacts]
        return sorted({name for artifact in chosen for name in cross_pipeline_names(artifact)})

    def find(self, text: str) -> str | None:
        """Select the best match for ``text`` and zoom to it; None (and a message) if nothing matches."""
        matches = search_steps(self.response, text)
        if not matches:
            self.status.value = (
                f'<span style="color:#b45f06">No step matches “{escape(text)}”.</span>'
            )
            return None
        self._targets = {matches[0]}  # marked by select's stylesheet: one message, not two
        self.select(matches[0])
        self.zoom_to(matches[0])
        others = len(matches) - 1
        more = (
            f" ({others} other match{'es' if others > 1 else ''}: type more of the name)"
            if others
            else ""
        )
        self.status.value = f"Zoomed to <b>{escape(matches[0])}</b>{escape(more)}."
        return matches[0]

    def zoom_to(self, step_id: str) -> None:
        """Centre the view on ``step_id`` at about zoom 1 (labels near 12 px), nothing moved.

        Fitting the step with its neighbours was tried first: in the 200-step demo
        the neighbours of a step can sit a whole layer apart, and the zoom fell to
        0.45 (labels 5 px).
        """
        if self.focused is not None and step_id not in (self._shown() or set()):
            self.focused = None
            self._restyle()
            self.graph.cytoscape_layout = self._base_layout()
        box = next(
            (n["data"]["h"] for n in self._elements["nodes"] if n["data"]["ref"] == step_id), 40
        )
        if self._targets != {step_id}:
            self._targets = {step_id}
            self._restyle()
        self._nonce += 1
        padding = zoom_padding(box + 16, self._height)  # + the highlight around it
        self.graph.cytoscape_layout = zoom_layout(ref_selector([step_id]), self._nonce, padding)

    def focus(
        self, step_id: str | None = None, hops: int | None = -1, direction: str | None = None
    ) -> None:
        """Show only ``step_id``'s lineage within ``hops`` (None: any distance), laid out anew.

        Defaults: the selected step and the toolbar's hops and direction.
        """
        step = step_id or self.selected
        if step is None:
            self.status.value = (
                '<span style="color:#b45f06">Select a step first (click it or find it).</span>'
            )
            return
        if hops == -1:
            hops = self.hops.value
        direction = direction or self.direction.value
        self.focused = (step, hops, direction)
        if self.selected != step:
            self.select(step)
        self._targets = {step}
        self._restyle()
        self.graph.cytoscape_layout = self._base_layout()

    def show_all(self) -> None:
        """Leave any focus: every element, laid out and fitted."""
        self.focused = None
        self._targets = set()
        self._restyle()
        self.graph.cytoscape_layout = self._base_layout()

    def refresh(self) -> None:
        """Read the lineage again through the ``refresh`` callback and redraw (after
        "Open", the pipeline shown, through ``open_pipeline``)."""
        reader = self._refresh
        if self._history and self._open is not None:
            name = str((self.response.get("pipeline") or {}).get("name"))
            opener = self._open
            reader = lambda: opener(name)  # noqa: E731
        if reader is None:
            return
        self.refresh_button.disabled = True
        self.refresh_button.description = "Refreshing…"
        try:
            response = dict(reader())
        except Exception as error:  # the UI says what failed and keeps the last good graph
            self.status.value = (
                f'<span style="color:#c62828">Refresh failed: {escape(str(error))}</span>'
            )
            return
        finally:
            self.refresh_button.disabled = False
            self.refresh_button.description = "Refresh"
        self.update(response)

    def update(self, response: Mapping[str, Any]) -> None:
        """Draw ``response`` (a newer read of the same pipeline), keeping the selection
        and focus where their steps still exist."""
        self.response = dict(response)
        elements = lineage_elements(self.response, artifacts=self.show_artifacts)
        refs = {n["data"]["id"] for n in elements["nodes"]}
        if self.selected and self.selected not in refs:
            self.selected = None
        focus_dropped = bool(self.focused and self.focused[0] not in refs)
        if focus_dropped:
            self.focused = None
        self._targets &= refs
        self.find_box.options = self._steps()
        if self._update_in_place(elements):
            if focus_dropped:  # the focus layout would keep the old neighbourhood's places
                self.graph.cytoscape_layout = self._base_layout()
        else:
            self._redraw()  # other steps or edges: drawn anew (focus kept, see _settle)
        if self.selected:
            self.select(self.selected)
        else:
            self._show_links()

    # -- drawing ----------------------------------------------------------------------------

    def _show_other(self, response: dict[str, Any]) -> None:
        """Draw another pipeline's answer from scratch: no selection, focus or search."""
        self.response = response
        self.selected, self.focused, self._targets = None, None, set()
        self.find_box.options = self._steps()
        self.find_box.value = ""
        self.detail.value = '<div style="color:var(--jp-ui-font-color2, #777)">Click a step (or find one) to see its run and data.</div>'
        self.back_button.layout.display = "" if self._history else "none"
        if self._history:
            previous = (self._history[-1].get("pipeline") or {}).get("name", "")
            self.back_button.description = f"Back to {previous}"
        self._show_links()
        self._redraw()

    def _show_links(self) -> None:
        """An "Open" button per other pipeline that writes or reads the selection's data."""
        names = self.linked_pipelines() if self._open is not None else []
        buttons: list[Any] = []
        if names:
            buttons.append(
                widgets.HTML('<span style="font-size:12px">Shares data with:&nbsp;</span>')
            )
        for name in names:
            button = widgets.Button(
                description=f"Open {name}", tooltip=f"Show {name}'s lineage (Back returns here)",
                layout=widgets.Layout(width="auto"),
            )  # fmt: skip
            button.on_click(lambda _, name=name: self.open_pipeline(name))
            buttons.append(button)
        self.links.children = tuple(buttons)

    def _steps(self) -> list[str]:
        return [n["id"] for n in (self.response.get("graph") or {}).get("nodes", [])]

    def _shown(self) -> set[str] | None:
        if self.focused is None:
            return None
        step, hops, direction = self.focused
        if hops is not None and self.show_artifacts:
            hops *= 2  # a step → artifact → step path is two edges
        return neighbourhood(self._elements["edges"], step, hops=hops, direction=direction)

    def _base_layout(self) -> dict:
        shown = self._shown()
        if shown is None:
            layout = dagre_layout(nodes=len(self._elements["nodes"]))
        else:
            layout = dagre_layout(eles=focus_selector(self._elements, shown), nodes=len(shown))
        # Always a new value, so the browser lays out again after the style it just got.
        self._nonce += 1
        return {**layout, "nonce": self._nonce}

    def _update_in_place(self, elements: dict[str, list]) -> bool:
        """Give the drawn elements their new labels, statuses and classes, when the new
        response has exactly the same elements (a refresh usually does). Nothing is
        added or removed, so nothing is laid out again: focus and zoom stay."""
        drawn = {w.data.get("ref") or w.data["id"]: w for w in self._element_widgets()}
        new = {e["data"]["id"]: e for e in [*elements["nodes"], *elements["edges"]]}
        if not drawn or set(drawn) != set(new):
            return False
        self._elements = elements
        for ref, widget in drawn.items():
            data = {**new[ref]["data"], "id": widget.data["id"], "ref": ref}
            if "source" in data:
                data["source"], data["target"] = widget.data["source"], widget.data["target"]
            classes = new[ref]["classes"] + (EDGE_FLAGS if "source" in data else "")
            with widget.hold_sync():
                if widget.data != data:
                    widget.data = data
                if widget.classes != classes:
                    widget.classes = classes
        self._restyle()
        self._extras()
        return True

    def _extras(self) -> None:
        """Header, the Risks button, the risk list and the Mermaid to copy, for the
        response and view shown."""
        self.header.value = summary_html(self.response)
        count = len((self.response.get("graph") or {}).get("risks") or [])
        self.risks_toggle.description = f"Risks ({count})"
        self.risks_toggle.disabled = count == 0
        self.risks.value = risks_html(self.response) if self.show_risks else ""
        mermaid = to_mermaid(self.response, artifacts=self.show_artifacts)  # type: ignore[arg-type]
        self.copy_mermaid.value = copy_mermaid_html(mermaid)

    def _on_risks_toggle(self, change: Mapping[str, Any]) -> None:
        self.show_risks = bool(change["new"])
        self.risks.value = risks_html(self.response) if self.show_risks else ""
        self._restyle()

    def _element_widgets(self) -> list[Any]:
        return [*self.graph.graph.nodes, *self.graph.graph.edges]

    def _settle(self, retired: list[Any]) -> None:
        """Lay the new drawing out again once the browser has it, then close the old
        element widgets.

        ipycytoscape lays out as soon as the element lists change, but it creates the
        new element views (and removes the old ones) asynchronously, and it lays out
        all elements, not the layout's own ``eles``: so that layout sees a mix (steps
        kept the artifact view's positions; a focused neighbourhood was laid out with
        everything else and fitted tiny). Its "layout" message runs the layout as given. Closing the old widgets at once made the
        browser log "No such comm" for each. There is no "done" event to wait for, so
        the layout is sent again after delays that grow with the drawing's size.
        """
        loop = self._loop
        if loop is None or loop.is_closed():  # no kernel (tests): nothing is drawn anyway
            for widget in retired:
                widget.close()
            return
        generation = self._generation
        size = max(len(self._elements["nodes"]) + len(self._elements["edges"]), len(retired))
        delays = [0.4, 1.5] + ([4.0, 8.0] if size > 300 else [])

        def relayout() -> None:
            # a later drawing has its own timers; this one's would only undo the user's zoom
            if generation == self._generation:
                # The current layout again, as a new trait value rather than ipycytoscape's
                # relayout(): that custom message reaches views still being created, whose
                # Cytoscape does not exist yet ("Cannot read properties of undefined (reading
                # 'layout')" in the browser, seen under load); a trait is read at render.
                self._nonce += 1
                self.graph.cytoscape_layout = {**self.graph.cytoscape_layout, "nonce": self._nonce}

        def settled() -> None:
            if generation == self._generation:
                self._status_line()

        def later(delay: float, callback: Callable[[], Any]) -> None:
            # thread-safe: a refresh may come from a user's thread (a Timer watching a run)
            loop.call_soon_threadsafe(loop.call_later, delay, callback)

        for delay in delays:
            later(delay, relayout)
        later(delays[-1] + 1.0, lambda: [w.close() for w in retired])
        if size > 300:  # the browser takes seconds: say so rather than look stuck
            self.status.value = (
                f'<span style="font-size:11px;color:#b45f06">Drawing {size} elements: '
                f"this takes a few seconds at this size…</span>"
            )
            later(delays[-1], settled)

    def _redraw(self) -> None:
        """Rebuild every element from the response (first draw, artifact toggle, refresh)."""
        height = graph_height(len(self._steps()))
        if height != self._height:  # a refresh may bring many more (or fewer) steps
            self._height = height
            self._css.value = graph_css(self._scope, height)
        self._elements = lineage_elements(self.response, artifacts=self.show_artifacts)
        self._generation += 1
        gen = self._generation

        def cy(element_id: str) -> str:
            return f"{gen}:{element_id}"

        nodes = [
            Node(
                data={**n["data"], "id": cy(n["data"]["id"])},
                classes=n["classes"],
            )
            for n in self._elements["nodes"]
        ]
        edges = [
            Edge(
                data={
                    **e["data"],
                    "id": cy(e["data"]["id"]),
                    "source": cy(e["data"]["source"]),
                    "target": cy(e["data"]["target"]),
                    "ref": e["data"]["id"],
                },
                classes=e["classes"] + EDGE_FLAGS,
            )
            for e in self._elements["edges"]
        ]
        old = self._element_widgets()
        # Style and layout first: the browser lays out as soon as the new elements arrive.
        self._restyle()
        self.graph.cytoscape_layout = self._base_layout()
        g = self.graph.graph
        with g.hold_sync():
            g.clear()
            g.add_nodes(nodes)
            g.add_edges(edges, directed=True, multiple_edges=True)
        self._extras()
        self._status_line()
        self._settle(old)

    def _restyle(self) -> None:
        """Send the stylesheet for the current view state: restyles without moving anything."""
        refs = {n["data"]["ref"] for n in self._elements["nodes"]}
        shown = self._shown()
        risky: list[dict] = []
        if self.show_risks:
            nodes, pairs = risk_refs(self.response, artifacts=self.show_artifacts)
            risky = risk_style(self._elements, nodes & refs, pairs)
        self.graph.cytoscape_style = (
            self._base_style
            + risky
            + view_style(
                picked=self.selected if self.selected in refs else None,
                targets=self._targets & refs,
                focus=None if shown is None else focus_selector(self._elements, shown),
            )
        )
        self._status_line()

    def _status_line(self) -> None:
        total = len(self._steps())
        if self.focused is None:
            artifacts = sum(
                1 for n in self._elements["nodes"] if n["data"].get("kind") == "artifact"
            )
            text = f"Showing {'all ' if total != 1 else ''}{plural(total, 'step')}" + (
                f" and {plural(artifacts, 'S3 artifact')} (purple edges: produces / consumes)."
                if self.show_artifacts
                else "."
            )
        else:
            step, hops, direction = self.focused
            shown = self._shown() or set()
            count = sum(1 for s in shown if not s.startswith(ARTIFACT_PREFIX))
            reach = "any distance" if hops is None else f"{hops} hop{'s' if hops != 1 else ''}"
            text = (
                f"Focus: {count} of {plural(total, 'step')}, {escape(dict((v, k) for k, v in DIRECTIONS)[direction])} "
                f"of <b>{escape(step)}</b> within {reach}. “Show all” to leave."
            )
        tip = " Scroll to zoom, drag to pan; click a step for its details."
        self.status.value = (
            f'<span style="font-size:11px;color:var(--jp-ui-font-color2, #555)">{text}{tip}</span>'
        )

    def _on_node_click(self, event: Mapping[str, Any]) -> None:
        node_id = (event.get("data") or {}).get("ref")
        if node_id is not None:
            typed = self.find_box.value.strip()
            if typed and search_steps(self.response, typed)[:1] != [node_id]:
                self.find_box.value = ""  # the box no longer names what is shown
            self.select(str(node_id))

    def _on_find_value(self, change: Mapping[str, Any]) -> None:
        # The box reports its value on Enter, on picking a name from the list and on
        # leaving it (continuous_update off): each of these finds; typing alone does not.
        if change["new"].strip():
            self.find(change["new"])

    def _on_artifacts_toggle(self, change: Mapping[str, Any]) -> None:
        self.show_artifacts = bool(change["new"])
        if not self.show_artifacts:  # nothing of the data view may stay selected or focused
            if self.selected and self.selected.startswith(ARTIFACT_PREFIX):
                self.selected = None
            if self.focused and self.focused[0].startswith(ARTIFACT_PREFIX):
                self.focused = None
            self._targets = {t for t in self._targets if not t.startswith(ARTIFACT_PREFIX)}
        self._redraw()

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        # A new view runs whatever layout is in the trait: make it the real one, not a zoom.
        if self.graph.cytoscape_layout.get("name") == "preset":
            self.graph.cytoscape_layout = self._base_layout()
        return super()._repr_mimebundle_(**kwargs)


def _kernel_loop() -> asyncio.AbstractEventLoop | None:
    """The kernel's event loop, for delayed work (None outside a kernel: tests, scripts)."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def _artifact_id(node_id: str) -> int | str:
    raw = node_id[len(ARTIFACT_PREFIX) :]
    return int(raw) if raw.isdigit() else raw
