"""How fast the side panel draws, and whether the page stays responsive meanwhile.

Starts the JupyterLab of ``./run demo`` (demo account, Studio's base URL) and drives
Debian's headless chromium through Playwright. Per pipeline (7, 200 and 1000 steps),
``--repeat`` times, in a fresh page: open the "Pipeline lineage" sidebar, let the page
settle (the graph code loads while it is idle), click the pipeline, and wait until its
Lineage tab has drawn every step. Printed per run:

- ``click→drawn``: from the click to the last chunk of the graph on screen (ms);
- ``read``: the ``/lineage`` request as the browser timed it (the server's read of the
  demo account, and the transfer);
- ``layout``: waiting for the layout worker (dagre, off the main thread);
- ``render``: adding the elements a chunk per frame until the graph is complete;
- ``longest task``: the longest main-thread task from the click to drawn + 0.5 s
  (PerformanceObserver ``longtask``; tasks under 50 ms are not reported by Chromium);
- for the 1000-step pipeline, ``click during layout``: a click on JupyterLab's file
  browser tab while the layout runs, until the browser panel is shown.

    .venv/bin/python benchmarks/bench_panel.py [--repeat 3] [--pipelines mlops-pipeline ...]

Wall times move with the machine's load (2 shared cores here); run it on a quiet box.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
STEPS = {"mlops-pipeline": 7, "large-pipeline-200": 200, "large-pipeline-1000": 1000}
LONG_TASKS = """
window.__longTasks = [];
new PerformanceObserver(list => {
  for (const e of list.getEntries()) window.__longTasks.push({start: e.startTime, duration: e.duration});
}).observe({type: 'longtask', buffered: true});
"""


def start_lab(root: Path) -> tuple[subprocess.Popen, str]:
    token = secrets.token_hex(12)
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "scripts" / "demo_lab.py"), "--no-browser", "--port", "0",
         "--token", token, "--root-dir", str(root), "--base-url", "/jupyterlab/default/",
         "--", f"--LabApp.user_settings_dir={root / 'settings'}"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    assert process.stdout is not None
    for line in process.stdout:
        found = re.search(r"(http://127\.0\.0\.1:\d+/\S*?)lab/tree/\S+\?token=" + token, line)
        if found:
            return process, f"{found.group(1)}lab?reset&token={token}"
    raise SystemExit("scripts/demo_lab.py did not start JupyterLab")


async def one_run(browser, url: str, pipeline: str) -> dict:
    steps = STEPS[pipeline]
    view = f".jp-SageMakerLineage-view[data-pipeline='{pipeline}']"
    page = await browser.new_page(viewport={"width": 1440, "height": 900})
    await page.add_init_script(LONG_TASKS)
    await page.goto(url)
    await page.wait_for_selector("#sagemaker-lineage-sidebar", state="attached", timeout=120_000)
    await page.click("[data-id='sagemaker-lineage-sidebar']")
    await page.wait_for_selector(f"li[data-pipeline='{pipeline}']", timeout=120_000)
    # the graph code has loaded (while the page was idle), no long task for a second
    await page.wait_for_function(
        """() => performance.getEntriesByName('sagemaker-lineage:graph-code-loaded').length > 0
          && (() => { const t = window.__longTasks.at(-1);
                      return !t || performance.now() - (t.start + t.duration) > 1000; })()""",
        timeout=90_000,
        polling=250,
    )
    started = await page.evaluate("() => performance.now()")
    clicked = time.monotonic()
    await page.click(f"li[data-pipeline='{pipeline}']")
    result: dict = {}
    if steps >= 1000:
        await page.wait_for_selector(f"{view}[data-state='drawing']", timeout=120_000)
        t = time.monotonic()
        await page.click("[data-id='filebrowser']")
        await page.wait_for_selector("#filebrowser:not(.lm-mod-hidden)")
        result["click during layout"] = (time.monotonic() - t) * 1000
    await page.wait_for_function(
        f"""() => {{ const v = document.querySelector("{view}");
                   return v && v.dataset.drawnSteps === '{steps}' && v.dataset.state === 'idle'; }}""",
        timeout=180_000,
    )
    result["click→drawn"] = (time.monotonic() - clicked) * 1000
    await page.wait_for_timeout(500)
    timing = json.loads(await page.get_attribute(view, "data-timing") or "{}")
    read = await page.evaluate(
        """() => performance.getEntriesByType('resource')
             .filter(e => e.name.includes('/sagemaker-lineage/lineage?'))
             .map(e => e.duration).pop() || 0"""
    )
    tasks = await page.evaluate(f"() => window.__longTasks.filter(t => t.start >= {started})")
    result.update(
        read=read,
        layout=timing.get("layoutMs", 0),
        render=timing.get("renderMs", 0),
        **{"longest task": max([t["duration"] for t in tasks] or [0])},
    )
    await page.close()
    return result


async def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pipelines", nargs="+", default=list(STEPS), choices=list(STEPS))
    args = parser.parse_args(argv)
    from playwright.async_api import async_playwright

    with tempfile.TemporaryDirectory() as root:
        process, url = start_lab(Path(root))
        try:
            async with async_playwright() as p:
                browser = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                # one untimed run: the demo account is seeded on the first request
                await one_run(browser, url, "mlops-pipeline")
                columns = ["click→drawn", "read", "layout", "render", "longest task",
                           "click during layout"]  # fmt: skip
                print(f"{'pipeline':<22}{'steps':>6}  " + "  ".join(f"{c:>19}" for c in columns))
                for pipeline in args.pipelines:
                    runs = [await one_run(browser, url, pipeline) for _ in range(args.repeat)]
                    cells = []
                    for c in columns:
                        values = [r[c] for r in runs if c in r]
                        cells.append(
                            f"{statistics.median(values):7.0f} ({min(values):4.0f}-{max(values):4.0f})"
                            if values else ""
                        )  # fmt: skip
                    print(
                        f"{pipeline:<22}{STEPS[pipeline]:>6}  "
                        + "  ".join(f"{c:>19}" for c in cells)
                    )
                await browser.close()
        finally:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=30)
    print("ms: median (min-max) of the runs")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
