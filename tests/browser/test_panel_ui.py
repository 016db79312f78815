"""The JupyterLab side panel in real headless Chromium, under SageMaker Studio's URL shape.

GIVEN the JupyterLab that ``./run demo`` starts (demo account), served under
``/jupyterlab/default/`` as in a Studio space, WHEN a user opens the "Pipeline lineage"
sidebar and a pipeline's Lineage tab, THEN what the issue lists happens: the demo's
pipelines with their status, the graph, the detail pane, the execution picker, live
updates, large graphs without long main-thread tasks, themes, and no console errors.

The tests share one JupyterLab (and so one demo account) and run in file order: the
first watches the demo's advancing execution, which starts with the account.
Screenshots go to ``test-artifacts/panel-*.png``.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import time
import urllib.request
from pathlib import Path

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip

#: Warnings other extensions print (ipycytoscape's labextension declares an old
#: @jupyter-widgets/base range). Anything else, and every error, fails a test.
FOREIGN_WARNINGS = re.compile(
    r"Unsatisfied version \S+ from @jupyter-widgets/jupyterlab-manager of shared singleton "
    r"module @jupyter-widgets/base"
)

#: Long main-thread tasks, recorded from the page's start (PerformanceObserver).
LONG_TASKS = """
window.__longTasks = [];
new PerformanceObserver(list => {
  for (const e of list.getEntries()) {
    window.__longTasks.push({ start: e.startTime, duration: e.duration });
  }
}).observe({ type: 'longtask', buffered: true });
"""


def api(lab: dict, route: str) -> dict:
    """An answer of the server extension, read as the panel reads it."""
    request = urllib.request.Request(
        f"{lab['url']}sagemaker-lineage/{route}", headers={"Authorization": f"token {lab['token']}"}
    )
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.load(response)


@contextlib.asynccontextmanager
async def panel_page(lab: dict, name: str, expected: tuple[str, ...] = ()):
    """JupyterLab (reset layout) in Debian's chromium with the sidebar open. On a clean
    exit the console must hold no error and no warning but the known foreign one and
    the ``expected`` lines (a test that makes the server answer an error: the browser
    logs the failed request)."""
    from playwright.async_api import async_playwright

    assert Path(CHROMIUM).exists(), f"{CHROMIUM} missing: ./run test installs it"
    ARTIFACTS.mkdir(exist_ok=True)
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = await browser.new_page(viewport={"width": 1440, "height": 900})
        console: list[str] = []
        page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
        page.on("pageerror", lambda exc: console.append(f"pageerror: {exc}"))
        await page.add_init_script(LONG_TASKS)
        try:
            await page.goto(f"{lab['url']}lab?reset&token={lab['token']}")
            await page.wait_for_selector("#sagemaker-lineage-sidebar", state="attached")
            await page.click("[data-id='sagemaker-lineage-sidebar']")
            await page.wait_for_selector("#sagemaker-lineage-sidebar li[data-pipeline]")
            yield page
            problems = [
                line
                for line in console
                if (
                    line.startswith(("error", "pageerror"))
                    or (line.startswith("warning") and not FOREIGN_WARNINGS.search(line))
                )
                and line not in expected
            ]
            assert not problems, problems
        finally:
            await page.screenshot(path=str(ARTIFACTS / f"last-panel-{name}.png"))
            await browser.close()


def view(pipeline: str) -> str:
    return f".jp-SageMakerLineage-view[data-pipeline='{pipeline}']"


def cy(pipeline: str) -> str:
    """JS: the cytoscape instance of a pipeline's Lineage tab (kept on its container)."""
    return f'document.querySelector("{view(pipeline)} .jp-SageMakerLineage-graph")._cyreg.cy'


async def open_lineage(page, pipeline: str, steps: int) -> None:
    """Click the pipeline in the sidebar; wait until its tab has drawn ``steps`` steps."""
    await page.click(f"#sagemaker-lineage-sidebar li[data-pipeline='{pipeline}']")
    await page.wait_for_function(
        f"""() => {{
          const v = document.querySelector("{view(pipeline)}");
          return v && v.dataset.drawnSteps === '{steps}' && v.dataset.state === 'idle'
            && {cy(pipeline)}.nodes('.step').length === {steps};
        }}""",
        timeout=120_000,
    )


SETTLED = """() => performance.getEntriesByName('sagemaker-lineage:graph-code-loaded').length > 0
  && (() => { const t = window.__longTasks.at(-1);
              return !t || performance.now() - (t.start + t.duration) > 1000; })()"""


async def settle(page) -> None:
    """Until the graph code has loaded (while the page was idle) and the page has run no
    long task for a second: what is measured after it is the panel's own work."""
    await page.wait_for_function(SETTLED, timeout=90_000, polling=250)


async def click_step(page, pipeline: str, step: str) -> None:
    """Click a step where cytoscape drew it."""
    point = await page.evaluate(
        f"""() => {{
          const cy = {cy(pipeline)};
          const p = cy.getElementById('{step}').renderedPosition();
          const r = cy.container().getBoundingClientRect();
          return {{ x: r.left + p.x, y: r.top + p.y }};
        }}"""
    )
    await page.mouse.click(point["x"], point["y"])


async def test_panel_live_execution_changes_status_in_place(studio_lab):
    async with panel_page(studio_lab, "live") as page:
        pipeline = "live-retrain-pipeline"
        await open_lineage(page, pipeline, 7)
        live = f"{view(pipeline)} .jp-SageMakerLineage-live"
        assert await page.get_attribute(view(pipeline), "data-live") == "on"
        first_update = await page.inner_text(live)
        assert first_update.startswith("● live · updated ")
        before = await page.evaluate(
            f"""() => {{
              window.__sameDocument = true;
              window.__firstCy = {cy(pipeline)};
              return {cy(pipeline)}.nodes().map(n => [n.id(), n.data('status'), n.position()]);
            }}"""
        )
        await page.screenshot(path=str(ARTIFACTS / "panel-live-before.png"))

        # WHEN the demo's execution moves on (a step ends every 20-45 s), the tab reads
        # it again on its own
        await page.wait_for_function(
            f"""(before) => {cy(pipeline)}.nodes().some(
                  n => n.data('status') !== before.find(b => b[0] === n.id())[1])""",
            arg=before,
            timeout=100_000,
        )
        after = await page.evaluate(
            f"() => {cy(pipeline)}.nodes().map(n => [n.id(), n.data('status'), n.position()])"
        )
        # THEN statuses changed in place: same page, same graph, nothing moved
        assert await page.evaluate(
            f"() => window.__sameDocument === true && window.__firstCy === {cy(pipeline)}"
        )
        assert [a[2] for a in after] == [b[2] for b in before], "no new layout"
        changed = [a[0] for a, b in zip(after, before, strict=True) if a[1] != b[1]]
        assert changed
        assert await page.inner_text(live) != first_update, "the live indicator's time moved"
        header = await page.inner_text(f"{view(pipeline)} .jp-SageMakerLineage-header")
        assert "Executing" in header
        await page.screenshot(path=str(ARTIFACTS / "panel-live-after.png"))


async def test_panel_sidebar_lists_every_demo_pipeline_with_its_status(studio_lab):
    answer = api(studio_lab, "pipelines")
    expected = {
        p["name"]: (p["latestExecution"] or {}).get("status") or "never run"
        for p in answer["pipelines"]
    }
    assert len(expected) >= 8
    async with panel_page(studio_lab, "sidebar") as page:
        listed = await page.evaluate(
            """() => Object.fromEntries([...document.querySelectorAll(
                 '#sagemaker-lineage-sidebar li[data-pipeline]')].map(li => [
                   li.dataset.pipeline,
                   li.querySelector('.jp-SageMakerLineage-status').textContent]))"""
        )
        # the advancing execution may finish in between; every other status is fixed
        assert listed.keys() == expected.keys()
        for name, status in expected.items():
            if name != "live-retrain-pipeline":
                assert listed[name] == status, name
        state = await page.inner_text("#sagemaker-lineage-sidebar .jp-SageMakerLineage-state")
        assert state.startswith(f"{len(expected)} pipelines in {answer['region']}")
        ago = await page.inner_text(
            "#sagemaker-lineage-sidebar li[data-pipeline='mlops-pipeline'] .jp-SageMakerLineage-ago"
        )
        assert ago == "3 h ago"
        demo_badge = await page.is_visible("#sagemaker-lineage-sidebar [data-level='demo']")
        assert demo_badge == bool(answer.get("demo")), "the badge follows the answer's marker"

        # the name filter narrows the list as one types
        await page.fill("#sagemaker-lineage-sidebar input[aria-label='Name filter']", "large")
        names = await page.eval_on_selector_all(
            "#sagemaker-lineage-sidebar li[data-pipeline]",
            "els => els.map(e => e.dataset.pipeline)",
        )
        assert names == [n for n in expected if "large" in n], "in the answer's order"
        await page.screenshot(path=str(ARTIFACTS / "panel-sidebar.png"))


async def test_panel_mlops_draws_seven_steps_and_train_shows_metrics_and_posture(studio_lab):
    async with panel_page(studio_lab, "mlops") as page:
        await open_lineage(page, "mlops-pipeline", 7)
        edges = await page.evaluate(f"() => {cy('mlops-pipeline')}.edges().length")
        assert edges == len(api(studio_lab, "lineage?pipeline=mlops-pipeline")["graph"]["edges"])
        await page.screenshot(path=str(ARTIFACTS / "panel-mlops.png"))

        await click_step(page, "mlops-pipeline", "Train")
        detail = f"{view('mlops-pipeline')} .jp-SageMakerLineage-detail"
        await page.wait_for_selector(f"{detail} [data-step='Train']")
        text = await page.inner_text(detail)
        assert "Training" in text and "Succeeded" in text
        assert "validation:rmse" in text and "2.078" in text, "metrics as a table"
        assert "encryption: aws:kms" in text and "public access: Blocked" in text
        assert "Env=development" in text, "the bucket's tags"
        links = await page.eval_on_selector_all(f"{detail} a", "as => as.map(a => a.href)")
        region = "ap-northeast-2"
        assert any(
            h.startswith(
                f"https://{region}.console.aws.amazon.com/sagemaker/home?region={region}#/jobs/pipelines-"
            )
            for h in links
        ), links
        assert any("/cloudwatch/home" in h and "TrainingJobs" in h for h in links), links
        assert any(h.startswith("https://s3.console.aws.amazon.com/s3/") for h in links), links
        await page.screenshot(path=str(ARTIFACTS / "panel-mlops-train.png"))

        # keyboard: Escape closes the details, arrows walk the graph from the pick
        await page.focus(f"{view('mlops-pipeline')} .jp-SageMakerLineage-graph")
        await page.keyboard.press("ArrowRight")
        picked, downstream = await page.evaluate(
            f"""() => {{
              const cy = {cy("mlops-pipeline")};
              return [cy.nodes(':selected').map(n => n.id()),
                      cy.getElementById('Train').outgoers('node').map(n => n.id())];
            }}"""
        )
        assert len(picked) == 1 and picked[0] in downstream, (picked, downstream)
        await page.wait_for_selector(f"{detail} [data-step='{picked[0]}']")
        await page.keyboard.press("Escape")
        assert await page.is_hidden(detail)


async def test_panel_execution_picker_switches_to_the_older_failed_execution(studio_lab):
    executions = api(studio_lab, "executions?pipeline=mlops-pipeline")["executions"]
    failed = next(e for e in executions if e["status"] == "Failed")
    async with panel_page(studio_lab, "executions") as page:
        await open_lineage(page, "mlops-pipeline", 7)
        picker = f"{view('mlops-pipeline')} select.jp-SageMakerLineage-executions"
        await page.wait_for_selector(f"{picker} option[value='{failed['arn']}']", state="attached")
        options = await page.eval_on_selector_all(f"{picker} option", "os => os.map(o => o.text)")
        assert len(options) == len(executions) + 1 and options[0].startswith("Latest: ")
        await page.select_option(picker, failed["arn"])
        await page.wait_for_function(
            f"() => {cy('mlops-pipeline')}.getElementById('Train').data('status') === 'Failed'"
        )
        header = await page.inner_text(f"{view('mlops-pipeline')} .jp-SageMakerLineage-header")
        assert failed["displayName"] in header
        assert "Failed at Train: AlgorithmError" in header
        await page.screenshot(path=str(ARTIFACTS / "panel-mlops-failed-execution.png"))


async def test_panel_200_steps_draw_without_long_tasks_and_find_zooms_to_readable(studio_lab):
    async with panel_page(studio_lab, "large") as page:
        pipeline = "large-pipeline-200"
        await settle(page)
        started = await page.evaluate("() => performance.now()")
        clicked = time.monotonic()
        await open_lineage(page, pipeline, 200)
        drawn_ms = (time.monotonic() - clicked) * 1000
        await page.wait_for_timeout(500)
        tasks = await page.evaluate(f"() => window.__longTasks.filter(t => t.start >= {started})")
        longest = max([t["duration"] for t in tasks] or [0])
        timing = json.loads(await page.get_attribute(view(pipeline), "data-timing"))
        print(
            f"\n{pipeline}: click to drawn {drawn_ms:.0f} ms (layout in the worker "
            f"{timing['layoutMs']:.0f} ms); longest main-thread task {longest:.0f} ms "
            f"({len(tasks)} over 50 ms)"
        )
        # The figure moves with the machine's load (benchmarks/bench_panel.py measures it;
        # 55-127 ms here at load 4-7, over 200 ms at load 10-12): the test prints it and
        # checks what keeps it small: the layout ran in the worker, and the graph was
        # added a chunk per frame.
        assert timing["worker"] is True, "dagre ran on the page's thread"
        assert timing["chunks"] == -(-(200 + timing["edges"]) // 150) > 1
        graph = f"{view(pipeline)} .jp-SageMakerLineage-graph"
        assert await page.get_attribute(graph, "data-labels") == "none", "fitted: shape only"
        await page.screenshot(path=str(ARTIFACTS / "panel-200-fitted.png"))

        await page.fill(f"{view(pipeline)} input[type='search']", "L09-Train-03")
        await page.keyboard.press("Enter")
        await page.wait_for_function(
            f"""() => {{
              const cy = {cy(pipeline)};
              const n = cy.getElementById('L09-Train-03');
              const p = n.renderedPosition();
              return cy.zoom() >= 0.99 && n.hasClass('found') && n.selected()
                && p.x > 0 && p.y > 0 && p.x < cy.width() && p.y < cy.height();
            }}"""
        )
        assert await page.get_attribute(graph, "data-labels") == "full", "labels readable"
        await page.wait_for_timeout(300)
        await page.screenshot(path=str(ARTIFACTS / "panel-200-find.png"))

        await page.click(f"{view(pipeline)} button:has-text('Focus')")
        await page.wait_for_function(
            f"() => {{ const n = {cy(pipeline)}.nodes('.step').not('.hidden').length; "
            "return n > 1 && n < 40; }"
        )
        await page.wait_for_timeout(300)
        await page.screenshot(path=str(ARTIFACTS / "panel-200-focus.png"))
        await page.click(f"{view(pipeline)} button:has-text('Show all')")
        await page.wait_for_function(
            f"() => {cy(pipeline)}.nodes('.step').not('.hidden').length === 200"
        )


async def test_panel_1000_steps_page_answers_a_click_while_laying_out(studio_lab):
    async with panel_page(studio_lab, "1000") as page:
        pipeline = "large-pipeline-1000"
        await page.evaluate(
            f"""() => document.addEventListener('click', () => {{
                  const v = document.querySelector("{view(pipeline)}");
                  window.__clickSeen = {{ at: performance.now(), state: v && v.dataset.state }};
                }}, true)"""
        )
        await page.click(f"#sagemaker-lineage-sidebar li[data-pipeline='{pipeline}']")
        await page.wait_for_selector(f"{view(pipeline)}[data-state='drawing']", timeout=120_000)
        # WHEN the user clicks elsewhere while the layout runs
        clicked = time.monotonic()
        await page.click("[data-id='filebrowser']")
        await page.wait_for_selector("#filebrowser:not(.lm-mod-hidden)")
        answered_ms = (time.monotonic() - clicked) * 1000
        seen = await page.evaluate("() => window.__clickSeen")
        # THEN the click was handled during the drawing, and answered at once
        assert seen["state"] == "drawing", seen
        print(f"\n{pipeline}: a click during the layout answered in {answered_ms:.0f} ms")
        assert answered_ms < 1000
        await page.wait_for_function(
            f"() => document.querySelector(\"{view(pipeline)}\").dataset.drawnSteps === '1000'",
            timeout=120_000,
        )
        assert await page.evaluate(f"() => {cy(pipeline)}.nodes('.step').length") == 1000
        await page.screenshot(path=str(ARTIFACTS / "panel-1000.png"))


async def test_panel_lineage_tab_is_restored_after_a_reload(studio_lab):
    async with panel_page(studio_lab, "restore") as page:
        await open_lineage(page, "mlops-pipeline", 7)
        await page.wait_for_timeout(2500)  # the layout restorer saves the workspace
        await page.goto(f"{studio_lab['url']}lab?token={studio_lab['token']}")
        await page.wait_for_function(
            f"() => document.querySelector(\"{view('mlops-pipeline')}\")?.dataset.drawnSteps === '7'",
            timeout=60_000,
        )
        tabs = await page.eval_on_selector_all(
            ".lm-DockPanel-tabBar .lm-TabBar-tabLabel", "ts => ts.map(t => t.textContent)"
        )
        assert "mlops-pipeline — lineage" in tabs


async def test_panel_dark_theme(studio_lab):
    async with panel_page(studio_lab, "dark") as page:
        await page.evaluate(
            "() => window.jupyterapp.commands.execute('apputils:change-theme', "
            "{theme: 'JupyterLab Dark'})"
        )
        await page.wait_for_function("() => document.body.dataset.jpThemeLight === 'false'")
        await open_lineage(page, "fraud-detection-pipeline", 5)
        await click_step(page, "fraud-detection-pipeline", "CheckDataQuality")
        await page.wait_for_selector(".jp-SageMakerLineage-detail [data-step='CheckDataQuality']")
        await page.wait_for_timeout(500)
        await page.screenshot(path=str(ARTIFACTS / "panel-dark.png"))
        colours = await page.evaluate(
            f"""() => ({{
              background: getComputedStyle(document.querySelector(
                "{view("fraud-detection-pipeline")} .jp-SageMakerLineage-graph")).backgroundColor,
              label: {cy("fraud-detection-pipeline")}.nodes()[0].style('color'),
            }})"""
        )
        assert luminance(colours["background"]) < 0.3, colours
        assert luminance(colours["label"]) > 0.7, colours
        await page.evaluate(
            "() => window.jupyterapp.commands.execute('apputils:change-theme', "
            "{theme: 'JupyterLab Light'})"
        )
        await page.wait_for_function("() => document.body.dataset.jpThemeLight === 'true'")
        label = await page.evaluate(
            f"() => {cy('fraud-detection-pipeline')}.nodes()[0].style('color')"
        )
        assert luminance(label) < 0.3, "the graph follows the theme back"


def luminance(colour: str) -> float:
    r, g, b = (int(v) for v in re.findall(r"\d+", colour)[:3])
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255
