"""The widget's Risks view (``graph.risks``) and its "Copy as Mermaid" button, on the
demo's real answers (tests/browser clicks them in JupyterLab)."""

from __future__ import annotations

import copy
import html
import re

from sagemaker_lineage_ext.core.export import to_mermaid
from sagemaker_lineage_ext.widget import LineageWidget
from sagemaker_lineage_ext.widget.elements import lineage_elements, risk_refs, risk_style
from sagemaker_lineage_ext.widget.panes import copy_mermaid_html


def risk_rules(widget) -> list[dict]:
    return [r for r in widget.graph.cytoscape_style if r["style"].get("underlay-color") == "#e53935"
            or r["style"].get("line-color") == "#e53935"]  # fmt: skip


def test_risk_refs_are_the_steps_and_edges_on_each_path(responses):
    mlops = responses["mlops-pipeline"]
    nodes, pairs = risk_refs(mlops)
    assert nodes == {"Preprocess", "Train", "Evaluate", "RegisterAbalone-RegisterModel"}
    assert ("Preprocess", "Train") in pairs and ("Train", "RegisterAbalone-RegisterModel") in pairs
    with_data, _ = risk_refs(mlops, artifacts=True)
    assert {"artifact:2", "artifact:6", "artifact:8"} <= with_data
    rules = risk_style(lineage_elements(mlops), nodes, pairs)
    assert rules[0] == {"selector": "node, edge", "style": {"opacity": 0.35}}
    assert 'edge[ref = "Preprocess->Train#ref:Get"]' in rules[2]["selector"]
    assert risk_style(lineage_elements(mlops), set(), set()) == []


def test_lineage_widget_risks_button_highlights_the_paths_and_lists_them(responses):
    widget = LineageWidget(responses["mlops-pipeline"])
    assert widget.risks_toggle.description == "Risks (3)" and not widget.risks_toggle.disabled
    assert risk_rules(widget) == [] and widget.risks.value == ""
    widget.risks_toggle.value = True
    rules = risk_rules(widget)
    assert len(rules) == 2
    assert 'node[ref = "RegisterAbalone-RegisterModel"]' in rules[0]["selector"]
    assert "3 risk paths" in widget.risks.value
    assert (
        "upstream of model package abalone-models v2 (PendingManualApproval)" in widget.risks.value
    )
    widget.artifacts_toggle.value = True  # the data view highlights the flagged artifacts too
    assert 'node[ref = "artifact:6"]' in risk_rules(widget)[0]["selector"]
    widget.risks_toggle.value = False
    assert risk_rules(widget) == [] and widget.risks.value == ""


def test_lineage_widget_risks_button_is_off_without_risks(responses):
    churn = copy.deepcopy(responses["mlops-pipeline"])
    churn["graph"]["risks"] = []
    widget = LineageWidget(churn)
    assert widget.risks_toggle.description == "Risks (0)" and widget.risks_toggle.disabled


def mermaid_of(widget) -> str:
    (text,) = re.findall(r"<textarea[^>]*>(.*?)</textarea>", widget.copy_mermaid.value, re.S)
    return html.unescape(text)


def test_lineage_widget_copy_as_mermaid_holds_the_view_as_mermaid(responses):
    response = responses["mlops-pipeline"]
    widget = LineageWidget(response)
    assert ">Copy as Mermaid</button>" in widget.copy_mermaid.value
    assert mermaid_of(widget) == to_mermaid(response)
    widget.artifacts_toggle.value = True
    assert mermaid_of(widget) == to_mermaid(response, artifacts=True)


def test_copy_as_mermaid_text_cannot_leave_its_textarea():
    hostile = 'x</textarea><img src=x onerror="alert(1)"><textarea>'
    markup = copy_mermaid_html(hostile)
    assert markup.count("</textarea>") == 1 and "<img" not in markup
    (text,) = re.findall(r"<textarea[^>]*>(.*?)</textarea>", markup, re.S)
    assert html.unescape(text) == hostile
