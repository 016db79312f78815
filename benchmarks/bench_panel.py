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

With ``--compare``, per pipeline that has two executions (7 and 200 steps; the lab is
``panel_lab.py``: the demo account plus a second run of ``large-pipeline-200``), once its
tab has drawn: the Compare button is pressed and timed until the comparison is drawn:

- ``press→compared``: from the press to the comparison on screen (coloured, laid out);
- ``read``: the ``/compare`` request as the browser timed it;
- ``layout``, ``render``, ``longest task``: as above, for the comparison's drawing.

    .venv/bin/python benchmarks/bench_panel.py [--repeat 3] [--pipelines mlops-pipeline ...]
    .venv/bin/python benchmarks/bench_panel.py --compare [--repeat 3]

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
#: The pipelines with two executions to compare (large-pipeline-200's second: panel_lab.py).
COMPARED = ("mlops-pipeline", "large-pipeline-200")
BASE_URL = "/jupyterlab/default/"
LONG_TASKS = """
window.__longTasks = [];
new PerformanceObserver(list => {
  for (const e of list.getEntries()) window.__longTasks.push({start: e.startTime, duration: e.duration});
}).observe({type: 'longtask', buffered: true});
"""


def start_compare_lab(root: Path, *extra: str) -> tuple[subprocess.Popen, str]:
    """``panel_lab.py`` (the demo account plus a second run of large-pipeline-200) with
    the options ``scripts/demo_lab.py`` gives JupyterLab (and ``extra`` ones); its URL
    once it answers."""
    import socket
    import urllib.request

    token = secrets.token_hex(12)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [
        sys.executable, str(ROOT / "benchmarks" / "panel_lab.py"), "--no-browser",
        "--ip=127.0.0.1", f"--port={port}", "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
        "--LineageExtensionApp.demo=True", "--LabApp.news_url=None",
        f"--LabApp.app_settings_dir={ROOT / 'scripts' / 'demo_lab_settings'}",
        f"--LabApp.workspaces_dir={root / 'workspaces'}", f"--ServerApp.base_url={BASE_URL}",
        f"--LabApp.user_settings_dir={root / 'settings'}", *extra,
    ] + (["--allow-root"] if os.geteuid() == 0 else [])  # fmt: skip
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}{BASE_URL}"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("benchmarks/panel_lab.py did not start JupyterLab")
        try:
            with urllib.request.urlopen(f"{base}api/status?token={token}", timeout=5):
                return process, f"{base}lab?reset&token={token}"
        except OSError:
            time.sleep(0.5)
    process.kill()
    raise SystemExit("benchmarks/panel_lab.py: JupyterLab did not answer in 180 s")


#: No long task for a second: the page has settled.
SETTLED = """(() => { const t = window.__longTasks.at(-1);
                      return !t || performance.now() - (t.start + t.duration) > 1000; })()"""


async def figures(page, view: str, route: str, started: float) -> dict:
    """What the tab measured since ``started`` (ms): the ``route`` read as the browser
    timed it, layout and render (the view's ``data-timing``), the longest main-thread task."""
    await page.wait_for_timeout(500)
    timing = json.loads(await page.get_attribute(view, "data-timing") or "{}")
    read = await page.evaluate(
        f"""() => performance.getEntriesByType('resource')
             .filter(e => e.name.includes('/sagemaker-lineage/{route}?'))
             .map(e => e.duration).pop() || 0"""
    )
    tasks = await page.evaluate(f"() => window.__longTasks.filter(t => t.start >= {started})")
    return {
        "read": read,
        "layout": timing.get("layoutMs", 0),
        "render": timing.get("renderMs", 0),
        "longest task": max([t["duration"] for t in tasks] or [0]),
    }


async def compare_run(browser, url: str, pipeline: str) -> dict:
    """Open ``pipeline``'s tab, let the page settle, press Compare: the figures."""
    steps = STEPS[pipeline]
    view = f".jp-SageMakerLineage-view[data-pipeline='{pipeline}']"
    page = await browser.new_page(viewport={"width": 1440, "height": 900})
    await page.add_init_script(LONG_TASKS)
    await page.goto(url)
    await page.wait_for_selector("#sagemaker-lineage-sidebar", state="attached", timeout=120_000)
    await page.click("[data-id='sagemaker-lineage-sidebar']")
    await page.click(f"li[data-pipeline='{pipeline}']", timeout=120_000)
    await page.wait_for_function(
        f"""() => {{ const v = document.querySelector("{view}");
                   return v && v.dataset.drawnSteps === '{steps}' && v.dataset.state === 'idle'; }}""",
        timeout=180_000,
    )
    await page.wait_for_function(f"() => {SETTLED}", timeout=90_000, polling=250)
    started = await page.evaluate("() => performance.now()")
    pressed = time.monotonic()
    await page.click(f"{view} [data-tool='compare']")
    await page.wait_for_selector(f"{view}[data-mode='compare'][data-state='idle']", timeout=180_000)
    result: dict = {"press→compared": (time.monotonic() - pressed) * 1000}
    result.update(await figures(page, view, "compare", started))
    await page.close()
    return result


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
        "() => performance.getEntriesByName('sagemaker-lineage:graph-code-loaded').length > 0"
        f" && {SETTLED}",
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
    result.update(await figures(page, view, "lineage", started))
    await page.close()
    return result


async def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pipelines", nargs="+", default=None, choices=list(STEPS))
    parser.add_argument(
        "--compare", action="store_true", help="time Compare on the pipelines with two runs"
    )
    args = parser.parse_args(argv)
    from playwright.async_api import async_playwright

    if args.compare:
        return await compare_main(args.pipelines or list(COMPARED), args.repeat)
    args.pipelines = args.pipelines or list(STEPS)

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


async def compare_main(pipelines: list[str], repeat: int) -> int:
    from playwright.async_api import async_playwright

    with tempfile.TemporaryDirectory() as root:
        process, url = start_compare_lab(Path(root))
        try:
            async with async_playwright() as p:
                browser = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                await compare_run(browser, url, "mlops-pipeline")  # untimed warm-up
                columns = ["press→compared", "read", "layout", "render", "longest task"]
                print(f"{'pipeline':<22}{'steps':>6}  " + "  ".join(f"{c:>19}" for c in columns))
                for pipeline in pipelines:
                    runs = [await compare_run(browser, url, pipeline) for _ in range(repeat)]
                    cells = [
                        f"{statistics.median([r[c] for r in runs]):7.0f} "
                        f"({min(r[c] for r in runs):4.0f}-{max(r[c] for r in runs):4.0f})"
                        for c in columns
                    ]
                    print(
                        f"{pipeline:<22}{STEPS[pipeline]:>6}  "
                        + "  ".join(f"{c:>19}" for c in cells)
                    )
                await browser.close()
        finally:
            process.terminate()  # SIGINT would make JupyterLab ask "Shutdown this server?"
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
    print("ms: median (min-max) of the runs")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
