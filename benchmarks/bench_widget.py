"""What LineageWidget sends to the browser: comm messages and bytes per action.

    .venv/bin/python benchmarks/bench_widget.py [pipeline ...]

Counts every comm message the widgets publish (open, update, close) and the size
of its JSON content, on the demo account's responses; no kernel or browser is
needed. Each message also carries a Jupyter envelope (header, parent header,
metadata: about 0.5 KiB on the wire), so the message count matters as much as
the bytes. The baseline is ipycytoscape's own ``add_graph_from_json`` on the
same elements, the way its documentation builds a graph.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from typing import Any

import comm
from comm import DummyComm

SENT: list[int] = []


class RecordingComm(DummyComm):
    """A comm that keeps the size of every message instead of sending it."""

    def publish_msg(
        self,
        msg_type: str,
        data: Any = None,
        metadata: Any = None,
        buffers: Any = None,
        **keys: Any,
    ) -> None:
        SENT.append(len(json.dumps(data, default=str)) + sum(len(b) for b in buffers or []))


def measure(action: Callable[[], Any]) -> tuple[int, int, float]:
    """(messages, bytes, seconds) of one action."""
    SENT.clear()
    start = time.perf_counter()
    action()
    return len(SENT), sum(SENT), time.perf_counter() - start


def bench_pipeline(name: str, response: dict) -> None:
    """Print one row per action on one pipeline's widget."""
    from ipycytoscape import CytoscapeWidget

    from sagemaker_lineage_ext.widget import LineageWidget
    from sagemaker_lineage_ext.widget.elements import lineage_elements

    elements = lineage_elements(response)
    steps = [n["id"] for n in response["graph"]["nodes"]]
    middle, last = steps[len(steps) // 2], steps[-1]
    holder: dict[str, LineageWidget] = {}

    def baseline() -> None:
        CytoscapeWidget().graph.add_graph_from_json(elements, directed=True, multiple_edges=True)

    def build() -> None:
        holder["w"] = LineageWidget(response)

    rows = [
        ("add_graph_from_json (baseline)", baseline),
        ("LineageWidget(response)", build),
        ("select (click)", lambda: holder["w"].select(middle)),
        ("find + zoom", lambda: holder["w"].find(middle)),
        ("focus 2 hops", lambda: holder["w"].focus(hops=2)),
        ("show all", lambda: holder["w"].show_all()),
        ("artifacts on", lambda: setattr(holder["w"].artifacts_toggle, "value", True)),
        ("artifacts off", lambda: setattr(holder["w"].artifacts_toggle, "value", False)),
        ("select last step", lambda: holder["w"].select(last)),
    ]
    for label, action in rows:
        messages, size, seconds = measure(action)
        print(f"{name:<20} {label:<34} {messages:>8} {size / 1024:>8.1f} {seconds * 1000:>7.0f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "pipelines",
        nargs="*",
        default=["mlops-pipeline", "large-pipeline-50", "large-pipeline-200"],
    )
    args = parser.parse_args()
    comm.create_comm = lambda *a, **k: RecordingComm(*a, **k)

    from sagemaker_lineage_ext.core.request import parse_lineage_request
    from sagemaker_lineage_ext.demo import demo_service

    service = demo_service()
    print(f"{'pipeline':<20} {'action':<34} {'messages':>8} {'KiB':>8} {'ms':>7}")
    try:
        for name in args.pipelines:
            response = service.lineage(parse_lineage_request({"pipeline": name}, service.config))
            bench_pipeline(name, response)
    finally:
        service.gateway.close()


if __name__ == "__main__":
    main()
