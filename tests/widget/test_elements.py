"""Response → Cytoscape elements, styles, layouts, neighbourhoods and search (no widgets)."""

from __future__ import annotations

import pytest

from sagemaker_lineage_ext.widget.elements import (
    dagre_layout,
    focus_selector,
    format_elapsed,
    graph_style,
    lineage_elements,
    neighbourhood,
    node_label,
    posture_level,
    ref_selector,
    search_steps,
    view_style,
    zoom_layout,
    zoom_padding,
)


def by_id(elements: dict, kind: str = "nodes") -> dict[str, dict]:
    return {e["data"]["id"]: e for e in elements[kind]}


def selectors(style: list[dict]) -> dict[str, dict]:
    return {rule["selector"]: rule["style"] for rule in style}


def test_lineage_elements_one_node_per_step_one_edge_per_spec_edge(responses):
    response = responses["mlops-pipeline"]
    elements = lineage_elements(response)
    assert [n["data"]["id"] for n in elements["nodes"]] == [
        n["id"] for n in response["graph"]["nodes"]
    ]
    assert len(elements["edges"]) == len(response["graph"]["edges"]) == 10
    edge = by_id(elements, "edges")["CheckMSE->MSEFail#condition:else"]
    assert edge["data"]["source"] == "CheckMSE" and edge["data"]["target"] == "MSEFail"


@pytest.mark.parametrize(
    ("pipeline", "step", "status"),
    [
        ("mlops-pipeline", "Train", "Succeeded"),
        ("mlops-pipeline", "MSEFail", "NotStarted"),
        ("churn-pipeline", "TrainChurnModel", "Executing"),
        ("fraud-detection-pipeline", "CheckDataQuality", "Failed"),
        ("mlops-pipeline/no-exec", "Train", "NoRun"),
    ],
)
def test_lineage_elements_node_class_follows_run_status(responses, pipeline, step, status):
    node = by_id(lineage_elements(responses[pipeline]))[step]
    assert f"status-{status}" in node["classes"].split()
    assert node["data"]["status"] == status


def test_lineage_elements_edge_class_and_label_follow_via(responses):
    edges = by_id(lineage_elements(responses["large-pipeline-200"]), "edges")
    seen = {e["data"]["via"]: e for e in edges.values()}
    assert set(seen) == {"dependsOn", "ref:Get", "condition:if", "condition:else"}
    assert seen["dependsOn"]["classes"] == "via-dependsOn"
    assert seen["condition:if"]["data"]["label"] == "if"
    assert seen["condition:else"]["data"]["label"] == "else"
    assert seen["ref:Get"]["data"]["label"] == ""


def test_graph_style_dashes_depends_on_and_colours_every_status(responses):
    rules = selectors(graph_style())
    assert rules["edge.via-dependsOn"]["line-style"] == "dashed"
    assert rules["edge.via-ref-Get"]["line-style"] == "solid"
    assert (
        rules["edge.via-condition-if"]["line-color"]
        != rules["edge.via-condition-else"]["line-color"]
    )
    fills = {
        rules[f"node.status-{s}"]["background-color"]
        for s in ("Succeeded", "Executing", "Failed", "Stopped", "NotStarted", "NoRun")
    }
    assert len(fills) == 6
    # every class an element can carry that the stylesheet keys on has a rule
    for response in responses.values():
        elements = lineage_elements(response, artifacts=True)
        for node in elements["nodes"]:
            for cls in node["classes"].split():
                if cls.startswith(("status-", "posture-")):
                    assert f"node.{cls}" in rules, cls
        for edge in elements["edges"]:
            assert f"edge.{edge['classes']}" in rules


def test_node_label_has_name_type_and_elapsed(responses):
    nodes = {n["id"]: n for n in responses["mlops-pipeline"]["graph"]["nodes"]}
    assert node_label(nodes["Train"]) == "Train\nTraining · 6 min 11 s"
    assert node_label(nodes["MSEFail"]) == "MSEFail\nFail"
    churn = {n["id"]: n for n in responses["churn-pipeline"]["graph"]["nodes"]}
    assert node_label(churn["TrainChurnModel"]).startswith("TrainChurnModel\nTraining · running ")
    no_exec = {n["id"]: n for n in responses["mlops-pipeline/no-exec"]["graph"]["nodes"]}
    assert node_label(no_exec["Train"]) == "Train\nTraining"


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (None, ""),
        (0, "0 s"),
        (59.6, "1 min"),
        (555, "9 min 15 s"),
        (3600, "1 h"),
        (5777, "1 h 36 min"),
    ],
)
def test_format_elapsed_reads_like_a_person(seconds, text):
    assert format_elapsed(seconds) == text


def test_lineage_elements_artifact_view_puts_artifacts_between_steps(responses):
    response = responses["mlops-pipeline"]
    elements = lineage_elements(response, artifacts=True)
    nodes = by_id(elements)
    edges = by_id(elements, "edges")
    assert len(nodes) == 7 + len(response["graph"]["artifacts"])
    model = nodes["artifact:6"]
    assert model["data"]["kind"] == "artifact" and model["data"]["label"] == "model.tar.gz"
    assert "Train->artifact:6#produces" in edges
    assert "artifact:6->Evaluate#consumes" in edges
    # the same dependency is not drawn twice; control flow stays
    assert "Train->Evaluate#ref:Get" not in edges
    assert "CheckMSE->MSEFail#condition:else" in edges
    assert "Train->Evaluate#ref:Get" in by_id(lineage_elements(response), "edges")


def test_posture_level_flags_problems(responses):
    churn = {a["id"]: a for a in responses["churn-pipeline"]["graph"]["artifacts"]}
    fraud = {a["id"]: a for a in responses["fraud-detection-pipeline"]["graph"]["artifacts"]}
    mlops = {a["id"]: a for a in responses["mlops-pipeline"]["graph"]["artifacts"]}
    assert posture_level(churn[1]["s3"]) == "bad"  # unencrypted, public access not blocked
    assert posture_level(fraud[10]["s3"]) == "warn"  # access denied: Unknown
    assert posture_level(mlops[2]["s3"]) == "warn"  # versioning suspended
    assert posture_level(mlops[1]["s3"]) == "ok"
    assert posture_level(None) == "none"


def test_neighbourhood_respects_hops_and_direction(responses):
    edges = lineage_elements(responses["mlops-pipeline"])["edges"]
    assert neighbourhood(edges, "Evaluate", hops=1, direction="upstream") == {
        "Evaluate",
        "Train",
        "Preprocess",
    }
    assert neighbourhood(edges, "Evaluate", hops=1, direction="downstream") == {
        "Evaluate",
        "CheckMSE",
        "RegisterAbalone-RegisterModel",
    }
    # lineage, not zig-zag: the register step is no ancestor of MSEFail
    assert neighbourhood(edges, "MSEFail", hops=None, direction="upstream") == {
        "MSEFail",
        "CheckMSE",
        "Evaluate",
        "Train",
        "Preprocess",
    }


def test_neighbourhood_of_a_step_in_200_is_a_readable_handful(responses):
    edges = lineage_elements(responses["large-pipeline-200"])["edges"]
    near = neighbourhood(edges, "L09-Train-03", hops=2)
    assert "L09-Train-03" in near
    assert 3 <= len(near) <= 30


def test_search_steps_exact_then_prefix_then_substring(responses):
    response = responses["large-pipeline-200"]
    assert search_steps(response, "l09-train-03") == ["L09-Train-03"]
    hits = search_steps(response, "L09-")
    assert hits and all(h.startswith("L09-") for h in hits)
    assert search_steps(response, "Train-03")[0].endswith("Train-03")
    assert search_steps(response, "  ") == []
    assert search_steps(response, "no-such-step") == []


def test_view_style_hides_outside_focus_and_marks_picked_and_target(responses):
    elements = lineage_elements(responses["mlops-pipeline"])
    focus = focus_selector(elements, {"Preprocess", "Train"})
    assert (
        focus
        == 'node[ref = "Preprocess"], node[ref = "Train"], edge[ref = "Preprocess->Train#ref:Get"]'
    )
    rules = view_style(picked="Train", targets=["Evaluate"], focus=focus)
    assert rules[0] == {"selector": "node, edge", "style": {"visibility": "hidden", "events": "no"}}
    assert rules[1] == {"selector": focus, "style": {"visibility": "visible", "events": "yes"}}
    assert (
        rules[2]["selector"] == 'node[ref = "Evaluate"]' and "underlay-color" in rules[2]["style"]
    )
    assert rules[3]["selector"] == 'node[ref = "Train"]'
    assert rules[2]["style"]["underlay-color"] != rules[3]["style"]["underlay-color"]
    assert view_style() == []
    # an empty focus hides everything rather than writing an empty selector
    assert view_style(focus="") == [rules[0]]


def test_ref_selector_quotes_what_it_selects():
    assert ref_selector(["artifact:6"]) == 'node[ref = "artifact:6"]'
    assert ref_selector(['a"b\\c']) == 'node[ref = "a\\"b\\\\c"]'


def test_lineage_elements_sizes_boxes_to_labels(responses):
    nodes = by_id(lineage_elements(responses["mlops-pipeline"]))
    long, short = nodes["RegisterAbalone-RegisterModel"]["data"], nodes["MSEFail"]["data"]
    assert long["w"] > short["w"] >= 40
    assert long["h"] == short["h"]  # two lines each
    assert nodes["Train"]["data"]["ref"] == "Train"


def test_artifact_label_is_short_enough_to_read(responses):
    elements = lineage_elements(responses["mlops-pipeline"], artifacts=True)
    labels = [n["data"]["label"] for n in elements["nodes"] if n["data"]["kind"] == "artifact"]
    assert all(len(label) <= 28 and "\n" not in label for label in labels)
    assert labels[1] == "preprocess.py"


def test_layouts_lay_out_left_to_right_and_zoom_without_moving(responses):
    assert dagre_layout()["rankDir"] == "LR" and dagre_layout()["name"] == "dagre"
    assert dagre_layout(eles=".shown")["eles"] == ".shown"
    assert dagre_layout(nodes=200)["nodeSep"] < dagre_layout(nodes=7)["nodeSep"]
    zoom = zoom_layout(".zoomset", 3)
    assert zoom["name"] == "preset" and "positions" not in zoom and zoom["fit"] is True
    assert zoom != zoom_layout(".zoomset", 4)  # a new value each time, so the browser runs it


def test_zoom_padding_gives_the_zoom_asked_for():
    padding = zoom_padding(56, 560)
    assert (560 - 2 * padding) / 56 == pytest.approx(1.0, abs=0.05)
    assert (380 - 2 * zoom_padding(40, 380, zoom=0.8)) / 40 == pytest.approx(0.8, abs=0.05)
    assert zoom_padding(600, 560) == 30  # a box taller than the graph: plain fit
