"""The exports render in the real tools: DOT through Graphviz's ``dot`` (the ``graphviz``
package drives Debian's binary), Mermaid through mermaid itself (``tests/render``'s npm
package) in Debian's headless Chromium. Names from AWS are hostile input: they must come
out as the same text, and never as markup, statements or attributes.

GIVEN the demo account's answers and answers whose names and S3 keys are built to break
out, WHEN they are exported (core/export.py) and rendered, THEN every step (and artifact)
is one drawn node whose text is its name, every edge is drawn, and nothing else is.
"""

from __future__ import annotations

import asyncio
import copy
import json
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import graphviz
import pytest

from sagemaker_lineage_ext.core.export import to_dot, to_mermaid
from sagemaker_lineage_ext.core.http import answer_query

HERE = Path(__file__).resolve().parent
MERMAID_JS = HERE / "node_modules" / "mermaid" / "dist" / "mermaid.min.js"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
SVG = "{http://www.w3.org/2000/svg}"
DEMO = ("mlops-pipeline", "churn-pipeline", "fraud-detection-pipeline", "large-pipeline-200")

#: Names built to break out of a quoted label, a statement or a format.
HOSTILE = [
    'Evil"]; click s1 "javascript:alert(1)"; x["',
    "<img src=x onerror=alert(1)>",
    '%%{init: {"securityLevel": "loose"}}%%',
    "line\nbreak\rand\ttab",
    "back\\slash \\N \\G \\",
    'quote "q" & amp #35; #quot; entity',
    "`**markdown** string`",
    "end",
    "style s1 fill:#f00",
    "classDef x fill:#f00;",
    '"]; evil [label="x", URL="javascript:alert(1)"]; a -> b; "',
    "} digraph x { a -> b",
    "모델 → ✓ ½",
    "a --> b -.-> c ==> d; e --- f",
    "entities &lt;b&gt; &#60; &amp;amp; &bogus;",
    "</text><script>alert(1)</script>",
    "next\x85line\u2028and\u2029more",
    "evil\u202ereversed\u2066isolated\u2069end",
]


@pytest.fixture(scope="module")
def answers(demo_account):
    """The demo's lineage answers, read once."""
    from sagemaker_lineage_ext.demo import demo_service

    service = demo_service()
    try:
        return {
            name: answer_query(service, "lineage", {"pipeline": name}, request_id="r").body
            for name in DEMO
        }
    finally:
        service.gateway.close()


def hostile_answer(answer: dict) -> dict:
    """``answer`` with every step renamed (edges and artifacts follow) and every S3 key
    replaced by a hostile name."""
    hostile = copy.deepcopy(answer)
    names = {
        n["id"]: HOSTILE[i % len(HOSTILE)] + f" {i}"
        for i, n in enumerate(hostile["graph"]["nodes"])
    }
    for node in hostile["graph"]["nodes"]:
        node["id"] = names[node["id"]]
    for edge in hostile["graph"]["edges"]:
        edge["from"], edge["to"] = names[edge["from"]], names[edge["to"]]
    for i, artifact in enumerate(hostile["graph"]["artifacts"]):
        artifact["producers"] = [names[p] for p in artifact["producers"]]
        artifact["consumers"] = [names[c] for c in artifact["consumers"]]
        artifact["key"] = f"prefix/{HOSTILE[-i % len(HOSTILE)]}"
        artifact["uri"] = f"s3://{artifact['bucket']}/{artifact['key']}"
    hostile["pipeline"]["name"] = HOSTILE[0]
    return hostile


#: What a drawing shows as one space: C0 and C1 controls, DEL, line and paragraph
#: separators, bidirectional overrides and isolates (core/export.py).
_SPACED = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]+")


def one_line(text: str) -> str:
    return _SPACED.sub(" ", text)


def expected_edges(answer: dict, artifacts: bool) -> int:
    graph = answer["graph"]
    if not artifacts:
        return len(graph["edges"])
    through = {(p, c) for a in graph["artifacts"] for p in a["producers"] for c in a["consumers"]}
    kept = [
        e for e in graph["edges"] if not (e["via"] == "ref:Get" and (e["from"], e["to"]) in through)
    ]
    links = sum(len(a["producers"]) + len(a["consumers"]) for a in graph["artifacts"])
    return len(kept) + links


# -- Graphviz ------------------------------------------------------------------------------


def render_dot(text: str) -> ET.Element:
    """``text`` laid out and drawn by ``dot -Tsvg``; CalledProcessError on a syntax error."""
    svg = graphviz.Source(text).pipe(format="svg", quiet=False)
    return ET.fromstring(svg)


def dot_nodes(svg: ET.Element) -> dict[str, list[str]]:
    """Each drawn node's id (its <title>) -> the lines of its label."""
    return {
        g.find(f"{SVG}title").text: [t.text or "" for t in g.iter(f"{SVG}text")]
        for g in svg.iter(f"{SVG}g")
        if g.get("class") == "node"
    }


def dot_edges(svg: ET.Element) -> int:
    return sum(1 for g in svg.iter(f"{SVG}g") if g.get("class") == "edge")


@pytest.mark.parametrize("artifacts", [False, True], ids=["steps", "artifacts"])
@pytest.mark.parametrize("pipeline", DEMO)
def test_export_dot_of_each_demo_pipeline_renders_every_step_and_edge(answers, pipeline, artifacts):
    answer = answers[pipeline]
    svg = render_dot(to_dot(answer, artifacts=artifacts))
    nodes = dot_nodes(svg)
    graph = answer["graph"]
    assert len(nodes) == len(graph["nodes"]) + (len(graph["artifacts"]) if artifacts else 0)
    assert [nodes[f"s{i}"][0] for i in range(1, len(graph["nodes"]) + 1)] == [
        n["id"] for n in graph["nodes"]
    ]
    assert dot_edges(svg) == expected_edges(answer, artifacts)


def test_export_dot_hostile_names_come_out_as_the_same_text(answers):
    answer = hostile_answer(answers["mlops-pipeline"])
    svg = render_dot(to_dot(answer, artifacts=True))
    nodes = dot_nodes(svg)
    graph = answer["graph"]
    # one node per step and artifact: no name closed a string or added a node
    assert sorted(nodes) == sorted(
        [f"s{i}" for i in range(1, len(graph["nodes"]) + 1)]
        + [f"a{a['id']}" for a in graph["artifacts"]]
    )
    for i, node in enumerate(graph["nodes"], 1):
        assert nodes[f"s{i}"][0] == one_line(node["id"]), "the name is drawn as it is"
    for artifact in graph["artifacts"]:
        assert nodes[f"a{artifact['id']}"][0] == one_line(artifact["key"].rsplit("/", 1)[-1])
    assert dot_edges(svg) == expected_edges(answer, True)
    title = next(t.text for t in svg.iter(f"{SVG}text") if t.text and t.text.startswith("Evil"))
    assert title.startswith(HOSTILE[0]) and "· Succeeded" in title
    # no name became a link (URL=, href=, tooltip=): no anchor at all
    assert [e for e in svg.iter(f"{SVG}a")] == []


@pytest.mark.parametrize(("drawing", "artifacts"), [("mermaid", False), ("dot", True)])
def test_export_route_answers_the_core_drawing_of_the_execution(answers, drawing, artifacts):
    """GET /export is the same drawing as the CLI's dump --format (one core), of the
    execution asked for, and it renders."""
    from sagemaker_lineage_ext.demo import demo_service

    answer = answers["mlops-pipeline"]
    service = demo_service()
    try:
        outcome = answer_query(
            service, "export",
            {"pipeline": "mlops-pipeline", "format": drawing, "artifacts": str(artifacts).lower(),
             "executionArn": answer["execution"]["arn"]},
            request_id="r",
        )  # fmt: skip
    finally:
        service.gateway.close()
    assert outcome.status == 200, outcome.body
    body = outcome.body
    assert (body["format"], body["artifacts"], body["execution"]) == (
        drawing,
        artifacts,
        answer["execution"]["arn"],
    )
    draw = to_dot if drawing == "dot" else to_mermaid
    assert body["text"] == draw(answer, artifacts=artifacts)
    if drawing == "dot":
        assert dot_edges(render_dot(body["text"])) == expected_edges(answer, True)


def test_export_dot_broken_text_is_refused_by_dot():
    """The check can fail: dot rejects what the exporter must never write."""
    with pytest.raises(graphviz.CalledProcessError):
        render_dot('digraph lineage { s1 [label="unterminated]; }')


# -- Mermaid -------------------------------------------------------------------------------


class MermaidPage:
    """A blank page in Debian's headless Chromium with mermaid loaded (no network).

    Driven through Playwright's async API on a loop of its own that runs only during a
    call: the sync API would leave a running loop behind for pytest-jupyter to trip on.
    """

    def __init__(self) -> None:
        from playwright.async_api import async_playwright

        self.loop = asyncio.new_event_loop()
        self.playwright = self.run(async_playwright().start())
        self.browser = self.run(
            self.playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        )
        self.page = self.run(self.browser.new_page())
        self.run(
            self.page.set_content("<!doctype html><html><body><div id=out></div></body></html>")
        )
        self.run(self.page.add_script_tag(path=str(MERMAID_JS)))
        self.evaluate(
            "mermaid.initialize({startOnLoad: false, securityLevel: 'strict', maxEdges: 2000})"
        )

    def run(self, coroutine):
        return self.loop.run_until_complete(coroutine)

    def evaluate(self, script: str, argument=None):
        return self.run(self.page.evaluate(script, argument))

    def close(self) -> None:
        self.run(self.browser.close())
        self.run(self.playwright.stop())
        self.loop.close()


@pytest.fixture(scope="module")
def mermaid_page():
    assert Path(CHROMIUM).exists(), f"{CHROMIUM} missing: ./run test installs it"
    assert MERMAID_JS.exists(), "mermaid missing: ./run test runs npm ci in tests/render"
    page = MermaidPage()
    yield page
    page.close()


RENDER = """async (text) => {
  window.__count = (window.__count || 0) + 1;
  await mermaid.parse(text);                       // throws on a syntax error
  const {svg} = await mermaid.render('graph' + window.__count, text);
  const out = document.getElementById('out');
  out.innerHTML = svg;
  // a label is <p>line<br>line</p>: its text nodes are the lines, entities decoded
  const nodes = [...out.querySelectorAll('g.node')].map(g => ({
    id: g.id, lines: [...g.querySelector('.nodeLabel p').childNodes]
      .filter(n => n.nodeType === Node.TEXT_NODE).map(n => n.textContent)}));
  return {
    nodes,
    edges: out.querySelectorAll('path.flowchart-link').length,
    title: (out.querySelector('.flowchartTitleText') || {}).textContent || null,
    anchors: out.querySelectorAll('a').length,
    images: out.querySelectorAll('img, script, iframe').length,
    handlers: [...out.querySelectorAll('*')].filter(e => [...e.attributes].some(
      a => a.name.startsWith('on'))).length,
  };
}"""


def render_mermaid(page: MermaidPage, text: str) -> dict:
    return page.evaluate(RENDER, text)


def mermaid_step(rendered: dict, sid: str) -> list[str]:
    """The label lines of the drawn node whose Mermaid id is ``sid``."""
    (node,) = [n for n in rendered["nodes"] if re.search(rf"-flowchart-{sid}-\d+$", n["id"])]
    return node["lines"]


@pytest.mark.parametrize("artifacts", [False, True], ids=["steps", "artifacts"])
@pytest.mark.parametrize("pipeline", DEMO)
def test_export_mermaid_of_each_demo_pipeline_renders_every_step_and_edge(
    mermaid_page, answers, pipeline, artifacts
):
    answer = answers[pipeline]
    rendered = render_mermaid(mermaid_page, to_mermaid(answer, artifacts=artifacts))
    graph = answer["graph"]
    assert len(rendered["nodes"]) == len(graph["nodes"]) + (
        len(graph["artifacts"]) if artifacts else 0
    )
    assert [mermaid_step(rendered, f"s{i}")[0] for i in (1, len(graph["nodes"]))] == [
        graph["nodes"][0]["id"],
        graph["nodes"][-1]["id"],
    ]
    assert rendered["edges"] == expected_edges(answer, artifacts)
    assert rendered["title"] == f"{pipeline} · {answer['execution']['status']} · " + (
        answer["execution"]["displayName"] or answer["execution"]["arn"].rsplit("/", 1)[-1]
    )


def test_export_mermaid_hostile_names_come_out_as_the_same_text(mermaid_page, answers):
    answer = hostile_answer(answers["mlops-pipeline"])
    rendered = render_mermaid(mermaid_page, to_mermaid(answer, artifacts=True))
    graph = answer["graph"]
    assert len(rendered["nodes"]) == len(graph["nodes"]) + len(graph["artifacts"])
    for i, node in enumerate(graph["nodes"], 1):
        assert mermaid_step(rendered, f"s{i}")[0] == one_line(node["id"])
    for artifact in graph["artifacts"]:
        lines = mermaid_step(rendered, f"a{artifact['id']}")
        assert lines[0] == one_line(artifact["key"].rsplit("/", 1)[-1])
    assert rendered["edges"] == expected_edges(answer, True)
    assert rendered["title"].startswith(HOSTILE[0])
    # no name became a link, an element or an event handler; the init directive stayed text
    assert (rendered["anchors"], rendered["images"], rendered["handlers"]) == (0, 0, 0)


def test_export_mermaid_broken_text_is_refused_by_mermaid(mermaid_page):
    """The check can fail: mermaid's parser rejects what the exporter must never write."""
    with pytest.raises(Exception, match="Parse error|Syntax error|Expecting"):
        render_mermaid(mermaid_page, 'flowchart LR\n  s1["unterminated] --> s2\n')


def test_export_mermaid_without_execution_or_pipeline(mermaid_page):
    """``graph --definition`` answers have no pipeline and no runs: still a drawing."""
    from sagemaker_lineage_ext.core.service import preview_lineage

    demo = HERE.parents[1] / "sagemaker_lineage_ext" / "demo" / "definitions"
    answer = preview_lineage((demo / "mlops-pipeline.json").read_text("utf-8"))
    rendered = render_mermaid(mermaid_page, to_mermaid(answer))
    assert rendered["title"] == "pipeline definition"
    assert len(rendered["nodes"]) == len(answer["graph"]["nodes"])
    svg = render_dot(to_dot(answer))
    assert len(dot_nodes(svg)) == len(answer["graph"]["nodes"])
    assert json.loads(json.dumps(answer))["pipeline"] is None
