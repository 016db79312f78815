"""LineageWidget with real ipywidgets and ipycytoscape objects (no kernel, no browser)."""

from __future__ import annotations

import copy
import re

import comm
import pytest
from comm import DummyComm
from ipycytoscape import CytoscapeWidget

from sagemaker_lineage_ext.widget import LineageWidget


def cy_nodes(widget: LineageWidget) -> dict[str, object]:
    return {n.data["ref"]: n for n in widget.graph.graph.nodes}


def cy_edges(widget: LineageWidget) -> dict[str, object]:
    return {e.data["ref"]: e for e in widget.graph.graph.edges}


def refs(selector: str) -> set[str]:
    return set(re.findall(r'node\[ref = "([^"]*)"\]', selector))


def view_rules(widget: LineageWidget) -> list[dict]:
    """The rules after the base stylesheet: what the browser is told about the view state."""
    return widget.graph.cytoscape_style[len(widget._base_style) :]


def visible(widget: LineageWidget) -> set[str]:
    """The node refs the stylesheet leaves visible."""
    rules = view_rules(widget)
    if not any(r["selector"] == "node, edge" for r in rules):
        return set(cy_nodes(widget))
    shown = [r for r in rules if r["style"].get("visibility") == "visible"]
    return refs(shown[0]["selector"]) if shown else set()


def picked(widget: LineageWidget) -> set[str]:
    return {
        ref
        for r in view_rules(widget)
        if r["style"].get("underlay-color") == "#6a1b9a"
        for ref in refs(r["selector"])
    }


def targets(widget: LineageWidget) -> set[str]:
    return {
        ref
        for r in view_rules(widget)
        if r["style"].get("underlay-color") == "#fbc02d"
        for ref in refs(r["selector"])
    }


def click(widget: LineageWidget, ref: str) -> None:
    """What the browser sends on a node click, through ipycytoscape's own message handler."""
    node = cy_nodes(widget)[ref]
    widget.graph._handle_interaction(
        widget.graph, {"widget": "node", "event": "click", "data": {"data": dict(node.data)}}, []
    )


def test_lineage_widget_draws_one_model_per_step_and_edge(responses):
    widget = LineageWidget(responses["mlops-pipeline"])
    assert isinstance(widget.graph, CytoscapeWidget)
    assert len(widget.graph.graph.nodes) == 7 and len(widget.graph.graph.edges) == 10
    train = cy_nodes(widget)["Train"]
    assert "status-Succeeded" in train.classes.split()
    assert train.data["label"] == "Train\nTraining · 6 min 11 s"
    assert widget.graph.cytoscape_layout["name"] == "dagre"
    assert widget.graph.cytoscape_layout["rankDir"] == "LR"
    assert any(rule["selector"] == "edge.via-dependsOn" for rule in widget.graph.cytoscape_style)
    assert "mlops-pipeline" in widget.header.value
    assert widget.response is not None and widget.response["pipeline"]["name"] == "mlops-pipeline"


def test_lineage_widget_enforces_graph_height_with_scoped_css(responses):
    widget = LineageWidget(responses["large-pipeline-200"])
    scope = next(c for c in widget.graph._dom_classes if c.startswith("sagemaker-lineage-"))
    assert f".{scope}.custom-widget" in widget._css.value
    assert "height: 560px" in widget._css.value
    assert widget._css in widget.children


def test_lineage_widget_select_fills_detail_and_marks_node(responses):
    widget = LineageWidget(responses["mlops-pipeline"])
    widget.select("Evaluate")
    assert "regression_metrics" in widget.detail.value
    assert picked(widget) == {"Evaluate"}
    widget.select("Train")
    assert picked(widget) == {"Train"}
    # selection restyles: no element is replaced, the layout is not re-run
    assert all(n.data["id"].startswith("1:") for n in widget.graph.graph.nodes)


def test_lineage_widget_node_click_selects_it(responses):
    widget = LineageWidget(responses["fraud-detection-pipeline"])
    click(widget, "CheckDataQuality")
    assert widget.selected == "CheckDataQuality"
    assert "the execution role lacks s3:PutObject" in widget.detail.value


def test_lineage_widget_click_clears_a_find_box_naming_another_step(responses):
    widget = LineageWidget(responses["mlops-pipeline"])
    widget.find_box.value = "Train"  # found and zoomed to
    assert widget.selected == "Train"
    click(widget, "Evaluate")
    assert widget.selected == "Evaluate" and widget.find_box.value == ""
    widget.find_box.value = "Evaluate"
    click(widget, "Evaluate")
    assert widget.find_box.value == "Evaluate"


def test_lineage_widget_find_centres_the_step_at_readable_zoom(responses):
    widget = LineageWidget(responses["large-pipeline-200"])
    assert widget.find("l09-train-03") == "L09-Train-03"
    layout = widget.graph.cytoscape_layout
    assert layout["name"] == "preset" and "positions" not in layout and layout["fit"]
    assert refs(layout["eles"]) == {"L09-Train-03"}
    # a 2-line box (40 px) + highlight in the 560 px graph: zoom (560 - 2p) / 56 = 1
    assert layout["padding"] == (560 - 56) // 2
    assert targets(widget) == {"L09-Train-03"}
    assert "L09-Train-03" in widget.detail.value
    first = widget.graph.cytoscape_layout
    widget.find("L09-Train-03")
    assert widget.graph.cytoscape_layout != first  # zooming again still reaches the browser


def test_lineage_widget_find_from_the_combobox(responses):
    widget = LineageWidget(responses["large-pipeline-200"])
    assert "L09-Train-03" in widget.find_box.options
    assert widget.find_box.continuous_update is False  # keystrokes stay in the browser
    widget.find_box.value = "L09-Tr"  # what the browser sends on Enter
    assert widget.selected == "L09-Train-03"
    widget.find_box.value = "L10-Check-00"  # a name picked from the list
    assert widget.selected == "L10-Check-00"
    widget.select("L00-Process-00")
    widget.find_button.click()  # Find again: the text still in the box
    assert widget.selected == "L10-Check-00"
    widget.find_box.value = ""  # clearing the box finds nothing
    assert widget.selected == "L10-Check-00"


def test_lineage_widget_find_without_match_says_so(responses):
    widget = LineageWidget(responses["mlops-pipeline"])
    assert widget.find("<nothing>") is None
    assert "No step matches" in widget.status.value and "&lt;nothing&gt;" in widget.status.value
    assert widget.graph.cytoscape_layout["name"] == "dagre"


def test_lineage_widget_focus_hides_the_rest_and_lays_out_the_neighbourhood(responses):
    widget = LineageWidget(responses["large-pipeline-200"])
    widget.select("L09-Train-03")
    widget.focus(hops=2)
    shown = visible(widget)
    assert "L09-Train-03" in shown and "L09-Process-00" not in shown
    assert 3 <= len(shown) <= 30
    layout = widget.graph.cytoscape_layout
    # the layout names the focus itself: it never waits for the stylesheet
    assert layout["name"] == "dagre" and refs(layout["eles"]) == shown and layout["fit"]
    assert 'edge[ref = "L09-Train-03->L10-Check-00#ref:Get"]' in layout["eles"]
    # the focus is one stylesheet: no element changes (edges hide with their nodes)
    assert all(n.data["id"].startswith("1:") for n in widget.graph.graph.nodes)
    assert f"{len(shown)} of 200 steps" in widget.status.value

    widget.show_all()
    assert visible(widget) == set(cy_nodes(widget))
    assert "eles" not in widget.graph.cytoscape_layout


def test_lineage_widget_focus_upstream_only(responses):
    widget = LineageWidget(responses["mlops-pipeline"])
    widget.focus("Evaluate", hops=None, direction="upstream")
    assert visible(widget) == {"Evaluate", "Train", "Preprocess"}
    assert widget.selected == "Evaluate"


def test_lineage_widget_focus_needs_a_step(responses):
    widget = LineageWidget(responses["mlops-pipeline"])
    widget.focus_button.click()
    assert "Select a step first" in widget.status.value
    assert widget.focused is None


def test_lineage_widget_artifact_toggle_draws_data_lineage(responses):
    response = responses["mlops-pipeline"]
    widget = LineageWidget(response)
    before = list(widget.graph.graph.nodes)
    widget.artifacts_toggle.value = True
    nodes = cy_nodes(widget)
    assert len(nodes) == 7 + len(response["graph"]["artifacts"])
    assert "posture-warn" in nodes["artifact:6"].classes.split()
    assert "Train->artifact:6#produces" in cy_edges(widget)
    # fresh Cytoscape ids: the browser adds new views before it removes old ones
    assert not {n.data["id"] for n in before} & {n.data["id"] for n in widget.graph.graph.nodes}
    assert all(old.comm is None for old in before)  # old models closed, not leaked
    click(widget, "artifact:6")
    assert "PublicAccessPartiallyBlocked" in widget.detail.value
    widget.artifacts_toggle.value = False
    assert len(widget.graph.graph.nodes) == 7 and widget.selected is None


def test_lineage_widget_focus_survives_the_artifact_toggle(responses):
    widget = LineageWidget(responses["mlops-pipeline"])
    widget.focus("Train", hops=1, direction="downstream")
    widget.artifacts_toggle.value = True
    shown = visible(widget)
    assert {"Train", "artifact:6", "Evaluate"} <= shown
    assert "Preprocess" not in shown


def test_lineage_widget_refresh_calls_back_and_redraws(responses):
    calls = []

    def read_again():
        calls.append(1)
        return responses["fraud-detection-pipeline"]

    widget = LineageWidget(responses["mlops-pipeline"], refresh=read_again)
    assert widget.refresh_button.layout.display != "none" and not widget.refresh_button.disabled
    widget.select("Train")
    widget.refresh_button.click()
    assert calls == [1]
    assert widget.response["pipeline"]["name"] == "fraud-detection-pipeline"
    assert set(cy_nodes(widget)) == {
        n["id"] for n in responses["fraud-detection-pipeline"]["graph"]["nodes"]
    }
    assert "fraud-detection-pipeline" in widget.header.value
    assert widget.selected is None  # Train is not in the new graph
    assert "CheckDataQuality" in widget.find_box.options


def test_lineage_widget_refresh_keeps_selection_of_a_step_still_there(responses):
    widget = LineageWidget(responses["mlops-pipeline"], refresh=lambda: responses["mlops-pipeline"])
    widget.select("Train")
    widget.refresh()
    assert widget.selected == "Train"
    assert picked(widget) == {"Train"}


def test_lineage_widget_refresh_failure_keeps_the_last_graph(responses):
    def broken():
        raise RuntimeError("AccessDenied <role>")

    widget = LineageWidget(responses["mlops-pipeline"], refresh=broken)
    widget.refresh()
    assert "Refresh failed: AccessDenied &lt;role&gt;" in widget.status.value
    assert len(widget.graph.graph.nodes) == 7 and not widget.refresh_button.disabled


def test_lineage_widget_without_refresh_hides_the_button(responses):
    widget = LineageWidget(responses["mlops-pipeline"])
    assert widget.refresh_button.disabled and widget.refresh_button.layout.display == "none"


def test_lineage_widget_without_execution(responses):
    widget = LineageWidget(responses["mlops-pipeline/no-exec"])
    assert all("status-NoRun" in n.classes.split() for n in widget.graph.graph.nodes)
    assert "NotExecuted" in widget.header.value
    widget.select("Train")
    assert "No execution read" in widget.detail.value


def test_lineage_widget_redisplay_puts_the_dagre_layout_back(responses):
    widget = LineageWidget(responses["mlops-pipeline"])
    widget.find("Train")
    assert widget.graph.cytoscape_layout["name"] == "preset"
    widget._repr_mimebundle_()
    assert widget.graph.cytoscape_layout["name"] == "dagre"


class RecordingComm(DummyComm):
    """The comm transport, keeping what the widgets would send to the browser."""

    sent: list[dict] = []

    def publish_msg(self, msg_type, data=None, metadata=None, buffers=None, **keys):
        RecordingComm.sent.append({"type": msg_type, **(data or {})})


@pytest.fixture
def sent(monkeypatch) -> list[dict]:
    monkeypatch.setattr(comm, "create_comm", lambda *a, **k: RecordingComm(*a, **k))
    RecordingComm.sent = []
    return RecordingComm.sent


def test_lineage_widget_view_changes_send_a_handful_of_messages(responses, sent):
    widget = LineageWidget(responses["large-pipeline-200"])
    # one model per step and edge, and a single update fills the graph
    opens = [m for m in sent if m["type"] == "comm_open"]
    # + the header, toolbar (with Back, Risks, Copy as Mermaid) and panes, and their layouts
    assert len(opens) < 200 + 404 + 70
    graph_updates = [m for m in sent if m["type"] == "comm_msg" and "nodes" in m.get("state", {})]
    assert len(graph_updates) == 1
    for action in (
        lambda: widget.select("L09-Train-03"),
        lambda: widget.find("L10-Check-00"),
        lambda: widget.focus(hops=2),
        widget.show_all,
    ):
        sent.clear()
        action()
        assert len(sent) <= 4, [sorted(m.get("state", {})) for m in sent]


def test_lineage_widget_refresh_of_the_same_steps_updates_in_place(responses):
    # GIVEN the running churn pipeline, focused on its running step
    before = responses["churn-pipeline"]
    after = copy.deepcopy(before)
    running = next(n for n in after["graph"]["nodes"] if n["run"]["status"] == "Executing")
    running["run"]["status"] = "Succeeded"
    running["run"]["elapsedSec"] = 1234
    widget = LineageWidget(before, refresh=lambda: after)
    widget.focus(running["id"], hops=1)
    drawn = list(widget.graph.graph.nodes) + list(widget.graph.graph.edges)
    layout = widget.graph.cytoscape_layout
    # WHEN it is refreshed and the step has finished
    widget.refresh()
    # THEN the same element widgets carry the new status and label: nothing is redrawn,
    # nothing laid out again, and the focus stays
    assert list(widget.graph.graph.nodes) + list(widget.graph.graph.edges) == drawn
    node = cy_nodes(widget)[running["id"]]
    assert "status-Succeeded" in node.classes and "status-Executing" not in node.classes
    assert "20 min 34 s" in node.data["label"]
    assert widget.graph.cytoscape_layout == layout
    assert widget.focused is not None and widget.focused[0] == running["id"]


def test_lineage_widget_refresh_with_other_steps_redraws(responses):
    widget = LineageWidget(responses["mlops-pipeline"], refresh=lambda: responses["churn-pipeline"])
    drawn = list(widget.graph.graph.nodes)
    widget.refresh()
    assert not set(map(id, widget.graph.graph.nodes)) & set(map(id, drawn))
    assert set(cy_nodes(widget)) == {n["id"] for n in responses["churn-pipeline"]["graph"]["nodes"]}


def test_lineage_widget_artifact_focus_ends_with_the_artifact_view(responses):
    # GIVEN the data view focused on an artifact
    widget = LineageWidget(responses["mlops-pipeline"])
    widget.artifacts_toggle.value = True
    artifact = next(ref for ref in cy_nodes(widget) if ref.startswith("artifact:"))
    widget.select(artifact)
    widget.focus()
    # WHEN the artifacts are switched off: the focus goes with them, nothing is left hidden
    widget.artifacts_toggle.value = False
    assert widget.focused is None and widget.selected is None
    assert visible(widget) == set(cy_nodes(widget))
    assert "eles" not in widget.graph.cytoscape_layout


def test_lineage_widget_refresh_keeps_an_artifact_focus(responses):
    response = responses["mlops-pipeline"]
    widget = LineageWidget(response, refresh=lambda: copy.deepcopy(response))
    widget.artifacts_toggle.value = True
    artifact = next(ref for ref in cy_nodes(widget) if ref.startswith("artifact:"))
    widget.select(artifact)
    widget.focus()
    shown, layout = visible(widget), widget.graph.cytoscape_layout
    widget.refresh()  # the same elements: updated in place, the focus and its layout stay
    assert widget.focused is not None and widget.focused[0] == artifact
    assert visible(widget) == shown and widget.graph.cytoscape_layout == layout


def test_lineage_widget_click_keeps_a_find_box_that_found_this_step(responses):
    widget = LineageWidget(responses["mlops-pipeline"])
    widget.find_box.value = "trai"  # typed, found Train
    click(widget, "Train")
    assert widget.find_box.value == "trai"


def test_lineage_widget_refresh_to_many_more_steps_grows_the_graph(responses):
    widget = LineageWidget(
        responses["mlops-pipeline"], refresh=lambda: responses["large-pipeline-200"]
    )
    small = widget._css.value
    widget.refresh()
    assert widget._css.value != small and "560px" in widget._css.value
