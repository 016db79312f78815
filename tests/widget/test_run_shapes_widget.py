"""The widget draws issue 10's run shapes: ForEach edges with their item count, steps not
run here like cache hits, every condition with its outcome, iterations, EMR ids, and a
header that names the failed steps (pure HTML and Cytoscape elements; no browser)."""

from __future__ import annotations

from sagemaker_lineage_ext.widget.elements import graph_style, lineage_elements
from sagemaker_lineage_ext.widget.panes import legend_html, step_detail_html, summary_html

SOURCE = "arn:aws:sagemaker:eu-west-1:111122223333:pipeline/p/execution/older1"


def run(status: str = "Succeeded", **extra) -> dict:
    return {
        "status": status, "startTime": None, "endTime": None, "elapsedSec": None, "jobArn": None,
        "metrics": {}, "failureReason": None, "cacheHit": False, "attempts": 1, "registry": None,
        **extra,
    }  # fmt: skip


def response(nodes: list[dict], edges: list[dict], **summary) -> dict:
    return {
        "pipeline": {"name": "p", "region": "eu-west-1"},
        "execution": {"arn": SOURCE, "failureReason": "One or multiple steps failed."},
        "summary": {
            "overallStatus": "Failed",
            "nodeStatus": {},
            "stepCount": len(nodes),
            **summary,
        },
        "graph": {"nodes": nodes, "edges": edges, "artifacts": []},
        "warnings": [],
    }


def step(name: str, step_run: dict | None = None, **fields) -> dict:
    node = {"id": name, "type": "Training", "displayName": name, "description": None,
            "parent": None, "inputs": [], "outputs": [], **fields}  # fmt: skip
    if step_run is not None:
        node["run"] = step_run
    return node


ITERATIONS = [
    {"index": i, "status": s, "startTime": None, "endTime": None, "jobArn": None,
     "failureReason": "OOM" if s == "Failed" else None}
    for i, s in enumerate(["Succeeded", "Failed", "Succeeded"])
]  # fmt: skip
FOR_EACH = response(
    [
        step("Fan", run("Failed"), type="ForEach"),
        step(
            "Train", run("Failed", iterations=ITERATIONS), parent={"step": "Fan", "branch": "body"}
        ),
        step("Prep", run(reusedFrom=SOURCE)),
        step("Cached", run(cacheHit=True, cacheSource=SOURCE)),
    ],
    [{"from": "Fan", "to": "Train", "via": "forEach"}],
    failedSteps=["Fan", "Train"],
    reused=1,
)


def test_lineage_elements_for_each_edge_is_dotted_and_labelled_with_the_item_count():
    elements = lineage_elements(FOR_EACH)
    (edge,) = elements["edges"]
    assert edge["classes"] == "via-forEach" and edge["data"]["label"] == "× 3"
    rule = next(r for r in graph_style() if r["selector"] == "edge.via-forEach")
    assert rule["style"]["line-style"] == "dotted"
    assert "forEach" in legend_html() and 'stroke-dasharray="1 3"' in legend_html()
    # without a run the count is unknown: the edge says what it is
    definition_only = lineage_elements(
        response([step("Fan"), step("Train")], FOR_EACH["graph"]["edges"])
    )
    assert definition_only["edges"][0]["data"]["label"] == "for each"


def test_lineage_elements_reused_steps_are_drawn_like_cache_hits():
    classes = {n["data"]["id"]: n["classes"].split() for n in lineage_elements(FOR_EACH)["nodes"]}
    assert "reused" in classes["Prep"] and "reused" in classes["Cached"]
    assert "reused" not in classes["Train"]
    rule = next(r for r in graph_style() if r["selector"] == "node.reused")
    assert rule["style"]["border-style"] == "double"
    assert "double" in legend_html() and "not run here" in legend_html()


def test_summary_html_names_the_failed_steps_not_only_the_generic_reason():
    html = summary_html(FOR_EACH)
    # no step has a reason of its own: the execution's is all there is, said once
    assert "<b>Fan</b> failed<br><b>Train</b> failed<br>One or multiple steps failed." in html
    assert "1 reused from another execution" in html


def test_step_detail_html_shows_iterations_reuse_conditions_and_emr():
    html = step_detail_html(FOR_EACH, "Train")
    assert "runs once per item of ForEach <b>Fan</b>" in html
    assert "iterations (3)" in html and html.count("lineage-status") >= 4 and "OOM" in html
    assert f"reused</td><td>from <code>{SOURCE}</code>" in step_detail_html(FOR_EACH, "Prep")

    conditions = [
        {"type": "Or", "outcome": True, "conditions": [
            {"type": "In", "value": "eu", "values": ["eu", "us"], "outcome": True},
            {"type": "Not", "outcome": None, "expression": {
                "type": "GreaterThan", "left": "{Steps.E.X}", "right": 1, "outcome": None}},
        ]},
    ]  # fmt: skip
    check = response([step("Check", run(conditionOutcome="True", conditions=conditions))], [])
    html = step_detail_html(check, "Check")
    assert "<code>eu In [eu, us]</code>" in html
    assert "Not (" in html and "{Steps.E.X} GreaterThan 1" in html
    assert html.count("✓") == 2 and html.count("?") >= 2

    emr = {"clusterId": "j-1ABC", "stepId": "s-9", "logFilePath": "s3://b/logs/"}
    html = step_detail_html(response([step("Spark", run(emr=emr))], []), "Spark")
    assert "EMR cluster</td><td><code>j-1ABC</code>" in html and "s3://b/logs/" in html
