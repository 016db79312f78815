"""Long unbroken text from AWS never widens the notebook column (real headless Chromium).

GIVEN a failure reason, a step name and a tag value that are each one 8,000-character
word, WHEN the widget's header and detail pane are laid out in a 900 px column, THEN
they wrap inside it instead of widening the page.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import sync_playwright

from sagemaker_lineage_ext.widget.panes import step_detail_html, summary_html
from tests.browser.test_lab_ui import CHROMIUM, CHROMIUM_ARGS

WORD = "x" * 8000


def test_panes_wrap_long_unbroken_text_in_a_900px_column():
    node = {
        "id": f"Step{WORD}", "type": "Training", "displayName": "s", "description": WORD,
        "parent": None, "inputs": [], "outputs": [],
        "run": {"status": "Failed", "startTime": None, "endTime": None, "elapsedSec": None,
                "jobArn": f"arn:aws:sagemaker:eu-west-1:1:training-job/{WORD}", "metrics": {},
                "failureReason": WORD, "cacheHit": False, "attempts": 1, "registry": None,
                "reports": {WORD: {"k": WORD}}},
    }  # fmt: skip
    answer = {
        "pipeline": {"name": f"p{WORD}", "region": "eu-west-1", "tags": {"Owner": WORD}},
        "execution": {"arn": "arn", "displayName": WORD, "failureReason": WORD},
        "summary": {"overallStatus": "Failed", "nodeStatus": {"Failed": 1}, "stepCount": 1,
                    "failedSteps": [node["id"]], "reused": 0},
        "graph": {"nodes": [node], "edges": [], "artifacts": []},
        "warnings": [{"code": "X", "target": WORD, "message": WORD}],
    }  # fmt: skip
    html = (
        '<div id="column" style="width:900px">'
        f"{summary_html(answer)}{step_detail_html(answer, node['id'])}</div>"
    )
    assert Path(CHROMIUM).exists()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1000, "height": 800})
            page.set_content(f"<html><body style='margin:0'>{html}</body></html>")
            widths = page.evaluate(
                """() => ({
                  column: document.getElementById('column').scrollWidth,
                  page: document.documentElement.scrollWidth,
                  widest: Math.max(...[...document.querySelectorAll('#column *')]
                                   .map(e => e.getBoundingClientRect().right)),
                })"""
            )
        finally:
            browser.close()
    assert widths["column"] <= 900 and widths["page"] <= 1000, widths
    assert widths["widest"] <= 901, widths
