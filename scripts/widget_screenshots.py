"""Look at LineageWidget as a user does: JupyterLab + headless Chromium, screenshots to /tmp.

    .venv/bin/python scripts/widget_screenshots.py [--port 8871] [--out /tmp]

Writes a scratch notebook to a temporary folder (never the repository), starts
JupyterLab on the demo account, runs the cells one by one and screenshots each
output as ``widget-<n>-<name>.png``; prints how long each graph took to draw and
how many bytes the kernel sent for it. Needs /usr/bin/chromium; never downloads one.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

SETUP = """\
from sagemaker_lineage_ext.demo import demo_service
from sagemaker_lineage_ext.core.request import parse_lineage_request
from sagemaker_lineage_ext.widget import LineageWidget
svc = demo_service()
def lineage(name, **params):
    return svc.lineage(parse_lineage_request({"pipeline": name, **params}, svc.config))
"""

# (name, source, what to wait for): each cell's output is screenshotted after it runs.
CELLS = [
    ("setup", SETUP, None),
    (
        "mlops",
        'w = LineageWidget(lineage("mlops-pipeline"), refresh=lambda: lineage("mlops-pipeline"))\nw',
        "canvas",
    ),
    ("mlops-select", 'w.select("Evaluate")', "mlops"),
    ("mlops-artifacts", "w.artifacts_toggle.value = True", "mlops"),
    ("mlops-artifact-click", "!click artifact:6", "mlops"),
    (
        "fraud",
        'f = LineageWidget(lineage("fraud-detection-pipeline"))\nf.select("CheckDataQuality")\nf',
        "canvas",
    ),
    ("large", 'big = LineageWidget(lineage("large-pipeline-200"))\nbig', "canvas"),
    ("large-find", 'big.find("L09-Train-03")', "large"),
    ("large-focus", "big.focus()", "large"),
    ("large-click", "!click L10-Check-00", "large"),
    ("large-all", "big.show_all()", "large"),
    # the same flow through the toolbar, as a user does it
    ("large-ui-fill", "!fill L15-Tr", "large"),
    ("large-ui-find", "!press Enter", "large"),
    ("large-ui-focus", "!button Focus", "large"),
    ("large-ui-all", "!button Show all", "large"),
    ("large-artifacts", "!button Artifacts", "large"),
    ("mlops-refresh", "!button Refresh", "mlops"),
    ("churn", 'c = LineageWidget(lineage("churn-pipeline"))\nc', "canvas"),
    (
        "no-exec",
        'n = LineageWidget(lineage("mlops-pipeline", includeLatestExec="false"))\nn',
        "canvas",
    ),
]

# The Cytoscape instance behind a cell's graph (Cytoscape keeps it on its container).
PROBE = """(index) => {
  const cell = document.querySelectorAll('.jp-Notebook .jp-CodeCell')[index];
  const cy = cell.querySelector('.custom-widget')._cyreg.cy;
  const shown = cy.nodes(':visible');
  const font = shown.length ? parseFloat(shown[0].style('font-size')) : 0;
  return {zoom: cy.zoom(), shown: shown.length, nodes: cy.nodes().length,
          labelPx: font * cy.zoom(), height: cy.container().clientHeight,
          width: cy.container().clientWidth};
}"""

CLICK = """([index, ref]) => {
  const cell = document.querySelectorAll('.jp-Notebook .jp-CodeCell')[index];
  const container = cell.querySelector('.custom-widget');
  const node = container._cyreg.cy.nodes().filter(n => n.data('ref') === ref)[0];
  const box = container.getBoundingClientRect();
  const at = node.renderedPosition();
  return [box.left + at.x, box.top + at.y];
}"""


def notebook() -> dict:
    cells = [
        {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [], "source": src}
        for _, src, _ in CELLS
    ]
    return {
        "cells": cells,
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def wait_for_server(url: str, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"JupyterLab did not answer at {url}")


def run_cells(page, received: list[int], out: Path) -> None:
    """Run each cell with Ctrl+Enter, wait for its output, screenshot the output it changed."""
    outputs: dict[str, int] = {}
    for index, (name, source, wait) in enumerate(CELLS):
        if source.startswith("!"):
            target = outputs[wait]
            area = page.locator(".jp-Notebook .jp-CodeCell").nth(target).locator(".jp-OutputArea")
            verb, arg = source[1:].split(" ", 1)
            start = time.time()
            if verb == "click":
                x, y = page.evaluate(CLICK, [target, arg])
                page.mouse.click(x, y)
                expect = "produced by" if arg.startswith("artifact:") else arg
                area.locator(".lineage-detail", has_text=expect).first.wait_for(timeout=10000)
                took = f"detail pane after {(time.time() - start) * 1000:.0f} ms"
            elif verb == "press":
                area.get_by_placeholder("Find a step by name").press(arg)
                took = f"pressed {arg}"
            elif verb == "fill":
                area.get_by_placeholder("Find a step by name").fill(arg)
                took = "typed"
            else:
                area.locator("button", has_text=arg).first.click()
                took = "clicked"
            page.wait_for_timeout(1500)
            probe = page.evaluate(PROBE, target)
            print(
                f"{name:<16} {took}; zoom {probe['zoom']:.2f}, {probe['shown']}/{probe['nodes']} "
                f"nodes shown, labels {probe['labelPx']:.1f} px"
            )
            area.screenshot(path=str(out / f"widget-{index}-{name}.png"))
            continue
        cell = page.locator(".jp-Notebook .jp-CodeCell").nth(index)
        cell.locator(".jp-InputArea-editor").click()
        before, start = received[0], time.time()
        canvases = page.locator(".jp-OutputArea-output canvas").count()
        page.keyboard.press("Control+Enter")
        if wait == "canvas":
            page.wait_for_function(
                f"document.querySelectorAll('.jp-OutputArea-output canvas').length > {canvases}",
                timeout=60000,
            )
            outputs[name] = index
        page.wait_for_function(
            f"document.querySelectorAll('.jp-Notebook .jp-CodeCell')[{index}]"
            ".querySelector('.jp-InputPrompt').textContent.match(/\\[\\d+\\]/)",
            timeout=60000,
        )
        drawn = time.time() - start
        page.wait_for_timeout(1500)
        print(
            f"{name:<16} {drawn:5.2f} s  {(received[0] - before) / 1024:8.1f} KiB from the kernel"
        )
        target = index if wait == "canvas" else outputs.get(wait) if wait else None
        if target is not None:
            probe = page.evaluate(PROBE, target)
            print(
                "  zoom {zoom:.2f}, {shown}/{nodes} nodes shown, labels {labelPx:.1f} px, "
                "graph {width}x{height} px".format(**probe)
            )
            area = page.locator(".jp-Notebook .jp-CodeCell").nth(target).locator(".jp-OutputArea")
            path = out / f"widget-{index}-{name}.png"
            area.screenshot(path=str(path))
            print(f"  -> {path}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8871)
    parser.add_argument("--out", default="/tmp")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    root = Path(tempfile.mkdtemp(prefix="lineage-widget-"))
    (root / "scratch.ipynb").write_text(json.dumps(notebook()))
    env = dict(os.environ, SAGEMAKER_LINEAGE_DEMO="1")
    log = open(root / "server.log", "w")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyter",
            "lab",
            "--no-browser",
            "--allow-root",
            "--ServerApp.token=x",
            f"--port={args.port}",
            f"--ServerApp.root_dir={root}",
        ],
        env=env,
        stdout=log,
        stderr=log,
    )
    base = f"http://127.0.0.1:{args.port}"
    try:
        wait_for_server(f"{base}/api?token=x")
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=[
                    "--no-sandbox",
                    "--headless",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--no-first-run",
                ],
            )
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            received = [0]

            def on_ws(ws):
                ws.on(
                    "framereceived",
                    lambda payload: received.__setitem__(0, received[0] + len(payload)),
                )

            page.on("websocket", on_ws)
            page.on("console", lambda m: m.type == "error" and print("console error:", m.text))
            page.goto(f"{base}/lab/tree/scratch.ipynb?reset&token=x")
            page.wait_for_selector(".jp-Notebook .jp-CodeCell", timeout=60000)
            page.wait_for_timeout(3000)  # the kernel starts
            try:
                run_cells(page, received, Path(args.out))
            except Exception:
                page.screenshot(path=str(Path(args.out) / "widget-failure.png"))
                print(f"server log: {root / 'server.log'}")
                raise
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
