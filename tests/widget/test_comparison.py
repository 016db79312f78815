"""The comparison widget: the head execution coloured by change, the diff in the detail pane
(pure elements and HTML, and the widget on a real /compare answer of the demo account);
and the lineage widget's cross-pipeline links."""

from __future__ import annotations

import copy

import pytest
from ipycytoscape import CytoscapeWidget
from tests_support import demo_run_name

from sagemaker_lineage_ext.widget import ComparisonWidget, LineageWidget
from sagemaker_lineage_ext.widget.comparison import (
    VERDICT_COLOURS,
    comparison_detail_html,
    comparison_elements,
    comparison_label,
    comparison_style,
    comparison_summary_html,
    duration_text,
)
from sagemaker_lineage_ext.widget.panes import artifact_detail_html, step_detail_html


@pytest.fixture(scope="module")
def comparison(demo_account) -> dict:
    from sagemaker_lineage_ext.core.request import parse_compare_request
    from sagemaker_lineage_ext.demo import demo_service

    service = demo_service()
    try:
        return service.compare(
            parse_compare_request({"pipeline": "mlops-pipeline"}, service.config)
        )
    finally:
        service.gateway.close()


def test_duration_text_reads_before_and_after():
    assert duration_text({"before": 548, "after": 371, "delta": -177, "percent": -32.3}) == (
        "9 min 8 s → 6 min 11 s (-32 %)"
    )
    assert duration_text({"before": None, "after": 40, "delta": None, "percent": None}) == "40 s"
    assert duration_text({"before": None, "after": None}) == ""


def test_comparison_elements_colour_each_step_by_verdict(comparison):
    elements = comparison_elements(comparison)
    nodes = {n["data"]["id"]: n for n in elements["nodes"]}
    assert set(nodes) == {s["step"] for s in comparison["steps"]}
    assert nodes["Train"]["classes"] == "step verdict-faster"
    assert nodes["Evaluate"]["classes"] == "step verdict-slower"
    assert nodes["MSEFail"]["classes"] == "step verdict-unchanged"
    assert nodes["Train"]["data"]["label"] == "Train\nTraining\n9 min 8 s → 6 min 11 s (-32 %)"
    assert len(elements["edges"]) == len(comparison["edges"])
    selectors = {rule["selector"] for rule in comparison_style()}
    assert {f"node.verdict-{v}" for v in VERDICT_COLOURS} <= selectors


def test_comparison_label_of_a_step_that_did_not_run():
    step = {"step": "MSEFail", "type": "Fail", "durationSec": {"before": None, "after": None}}
    assert comparison_label(step) == "MSEFail\nFail"


def test_comparison_summary_html_names_the_executions_and_what_changed(comparison):
    html = comparison_summary_html(comparison)
    assert demo_run_name("nightly", 27) in html and demo_run_name("nightly", 3) in html
    assert "TrainingInstanceType" in html and "ml.m5.2xlarge" in html
    assert "definition changed" in html
    assert "cache hits: Preprocess" in html and "cache misses: Train" in html
    assert "15 min 48 s → 10 min 36 s (-33 %)" in html


def test_comparison_detail_html_shows_the_diff_with_causes(comparison):
    html = comparison_detail_html(comparison, "Train")
    assert "Arguments.HyperParameters.max_depth" in html and "the definition changed" in html
    assert "Arguments.ResourceConfig.InstanceType" in html
    assert "parameter <code>TrainingInstanceType</code>" in html
    assert "cache key" in html and "cache miss: its cache key changed" in html
    assert "validation:rmse" in html and "-0.053 (-2.5 %)" in html
    assert "model_artifacts" in html
    assert "No step named" in comparison_detail_html(comparison, "Nope")


def test_comparison_detail_html_escapes_what_aws_sent(comparison):
    hostile = copy.deepcopy(comparison)
    train = next(s for s in hostile["steps"] if s["step"] == "Train")
    train["arguments"][0]["after"] = "<script>alert(1)</script>"
    html = comparison_detail_html(hostile, "Train")
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_comparison_widget_draws_the_head_and_shows_the_first_change(comparison):
    widget = ComparisonWidget(comparison)
    assert isinstance(widget.graph, CytoscapeWidget)
    assert len(widget.graph.graph.nodes) == 7 and len(widget.graph.graph.edges) == 10
    assert widget.selected == "Preprocess"
    assert "cache hit: reused the base execution" in widget.detail.value
    widget._on_node_click({"data": {"ref": "Train"}})
    assert widget.selected == "Train" and "max_depth" in widget.detail.value
    picked = [r for r in widget.graph.cytoscape_style if "Train" in r["selector"]]
    assert picked, "the picked step is a stylesheet rule"


CROSS = {
    "upstreamPipelines": [
        {"pipeline": "customer-features-pipeline", "arn": "arn:x", "step": "BuildCustomerFeatures",
         "stepType": "Processing", "location": "validation",
         "uri": "s3://b/features/customers/validation", "resolved": True, "relation": "contains"},
    ],
    "downstreamPipelines": [],
}  # fmt: skip


def test_artifact_panes_list_the_other_pipelines(responses):
    response = responses["mlops-pipeline"]
    artifact = response["graph"]["artifacts"][0]
    assert "other pipelines" not in artifact_detail_html(response, artifact["id"])
    artifact.update(copy.deepcopy(CROSS))
    html = artifact_detail_html(response, artifact["id"])
    assert (
        "written by other pipelines: <b>customer-features-pipeline</b> · BuildCustomerFeatures"
        in html
    )
    assert "contains: <code>s3://b/features/customers/validation</code>" in html
    reader = artifact["consumers"][0]
    assert "customer-features-pipeline" in step_detail_html(response, reader)
    artifact["upstreamPipelines"] = []
    assert "no other pipeline of the region writes or reads it" in (
        artifact_detail_html(response, artifact["id"])
    )


def test_lineage_widget_offers_open_only_with_a_callback(responses):
    response = responses["mlops-pipeline"]
    artifact = response["graph"]["artifacts"][0]
    artifact.update(copy.deepcopy(CROSS))
    plain = LineageWidget(response)
    plain.select(artifact["consumers"][0])
    assert plain.links.children == ()
    opened: list[str] = []

    def open_pipeline(name: str) -> dict:
        opened.append(name)
        return responses["churn-pipeline"]

    widget = LineageWidget(response, open_pipeline=open_pipeline)
    widget.select(f"artifact:{artifact['id']}")
    assert widget.linked_pipelines() == ["customer-features-pipeline"]
    widget.open_pipeline("customer-features-pipeline")
    assert opened == ["customer-features-pipeline"]
    assert widget.response["pipeline"]["name"] == "churn-pipeline"
    assert widget.selected is None and widget.back_button.layout.display == ""
    widget.back()
    assert widget.response["pipeline"]["name"] == "mlops-pipeline"


def test_lineage_widget_open_that_fails_keeps_the_graph(responses):
    def fail(name: str) -> dict:
        raise RuntimeError(f"no pipeline named {name!r}")

    widget = LineageWidget(responses["mlops-pipeline"], open_pipeline=fail)
    widget.open_pipeline("gone")
    assert "Could not open gone: no pipeline named &#x27;gone&#x27;" in widget.status.value
    assert widget.response["pipeline"]["name"] == "mlops-pipeline"
    assert widget.back_button.layout.display == "none"
