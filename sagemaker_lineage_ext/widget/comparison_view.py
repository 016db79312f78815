"""``ComparisonWidget``: two executions compared, drawn as the head's graph coloured by change.

The same ipycytoscape handling as ``view.LineageWidget`` (see its module docstring):
the graph's height comes from a scoped stylesheet, the elements are built with their
final data and classes inside ``hold_sync``, and the picked step is a stylesheet rule.
A comparison is drawn once: it has no refresh, focus or artifact view.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

import ipywidgets as widgets
from ipycytoscape import CytoscapeWidget, Edge, Node

from .comparison import (
    MUTED,
    comparison_detail_html,
    comparison_elements,
    comparison_legend_html,
    comparison_style,
    comparison_summary_html,
)
from .elements import dagre_layout, view_style
from .panes import graph_css
from .view import EDGE_FLAGS, graph_height


class ComparisonWidget(widgets.VBox):
    """A ``/compare`` answer: header, the graph coloured by each step's verdict, legend,
    and the selected step's differences in the detail pane (click a step, or
    :meth:`select`). The first changed step is selected at the start."""

    def __init__(self, response: Mapping[str, Any], **kwargs: Any) -> None:
        self.response: dict[str, Any] = dict(response)
        self.selected: str | None = None
        self._scope = f"sagemaker-lineage-{uuid.uuid4().hex[:8]}"
        self._elements = comparison_elements(self.response)
        steps = len(self._elements["nodes"])
        height = graph_height(steps)
        self.graph = CytoscapeWidget()
        self.graph.add_class(self._scope)
        self.graph.min_zoom, self.graph.max_zoom = 0.02, 2.5
        self.graph.on("node", "click", self._on_node_click)
        self.header = widgets.HTML(comparison_summary_html(self.response))
        self.legend = widgets.HTML(comparison_legend_html())
        self.detail = widgets.HTML(
            f'<div style="color:{MUTED}">Click a step to see what changed.</div>',
            layout=widgets.Layout(
                border="1px solid #e0e0e0", padding="4px 8px", margin="4px 0 0 0"
            ),
        )
        self.status = widgets.HTML(
            f'<span style="font-size:11px;color:{MUTED}">The head execution, coloured by what '
            "changed since the base. Scroll to zoom, drag to pan; click a step for its "
            "differences.</span>"
        )
        self._draw()
        super().__init__(
            [widgets.HTML(graph_css(self._scope, height)), self.header, self.graph, self.legend,
             self.status, self.detail],
            **kwargs,
        )  # fmt: skip
        self.add_class("sagemaker-lineage-widget")
        first = next(
            (s["step"] for s in self.response.get("steps", []) if s["verdict"] != "unchanged"),
            None,
        )
        if first is not None:
            self.select(first)

    def select(self, step: str) -> None:
        """Show ``step``'s differences in the detail pane and mark it on the graph."""
        self.selected = step
        self.detail.value = comparison_detail_html(self.response, step)
        self.graph.cytoscape_style = comparison_style() + view_style(picked=step)

    def _draw(self) -> None:
        nodes = [Node(data=dict(n["data"]), classes=n["classes"]) for n in self._elements["nodes"]]
        edges = [
            Edge(data=dict(e["data"]), classes=e["classes"] + EDGE_FLAGS)
            for e in self._elements["edges"]
        ]
        self.graph.cytoscape_style = comparison_style()
        self.graph.cytoscape_layout = dagre_layout(nodes=len(nodes))
        with self.graph.graph.hold_sync():
            self.graph.graph.add_nodes(nodes)
            self.graph.graph.add_edges(edges, directed=True, multiple_edges=True)

    def _on_node_click(self, event: Mapping[str, Any]) -> None:
        step = (event.get("data") or {}).get("ref")
        if step is not None:
            self.select(str(step))
