"""JupyterLab in real headless Chromium: the ``%lineage`` widget as a user sees it.

GIVEN the JupyterLab that ``./run demo`` starts (demo account), WHEN a user runs
``%lineage mlops-pipeline`` in a notebook and clicks a step, THEN the graph is drawn
with one node per step and the detail pane shows that step's run. Screenshots go to
``test-artifacts/`` (also when a test fails, to see why).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import urllib.request
from pathlib import Path

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip

#: The widget's output area: its buttons, not the side panel's (same labels, e.g. Refresh).
WIDGET = ".jp-OutputArea-output"

# cytoscape.js keeps its instance on its container element (``_cyreg.cy``).
CY = """(() => {
  const el = [...document.querySelectorAll('.jp-OutputArea-output div')].find(d => d._cyreg && d._cyreg.cy);
  return el ? el._cyreg.cy : null;
})()"""


def put_notebook(lab: dict, name: str, sources: list[str]) -> None:
    """Save a notebook through Jupyter's contents API (into the lab's temporary root)."""
    cells = [
        {"cell_type": "code", "metadata": {}, "source": s, "outputs": [], "execution_count": None}
        for s in sources
    ]
    model = {
        "type": "notebook",
        "format": "json",
        "content": {
            "cells": cells,
            "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
            "nbformat": 4,
            "nbformat_minor": 5,
        },
    }
    request = urllib.request.Request(
        f"{lab['url']}api/contents/{name}",
        data=json.dumps(model).encode(),
        method="PUT",
        headers={"Authorization": f"token {lab['token']}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status in (200, 201)


@contextlib.asynccontextmanager
async def chromium_page(name: str, height: int = 1000):
    """A page in Debian's headless chromium; its last state is saved as ``last-<name>.png``.

    (An async context manager rather than a fixture: the test runs on pytest-jupyter's
    event loop, which runs async tests but not async fixtures.)"""
    from playwright.async_api import async_playwright

    assert Path(CHROMIUM).exists(), f"{CHROMIUM} missing: ./run test installs it"
    ARTIFACTS.mkdir(exist_ok=True)
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = await browser.new_page(viewport={"width": 1400, "height": height})
        page.errors = []
        page.on("pageerror", lambda exc: page.errors.append(str(exc)))
        try:
            yield page
        finally:
            await page.screenshot(path=str(ARTIFACTS / f"last-{name}.png"))
            await browser.close()


def kernel_ready(lab: dict, name: str) -> bool:
    """Whether the notebook's session has a started, idle kernel (Jupyter's REST API)."""
    request = urllib.request.Request(
        f"{lab['url']}api/sessions", headers={"Authorization": f"token {lab['token']}"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        sessions = json.load(response)
    return any(
        s["path"] == name and (s.get("kernel") or {}).get("execution_state") == "idle"
        for s in sessions
    )


async def draw(page, lab: dict, pipeline: str, steps: str) -> None:
    """``%lineage pipeline`` in a new notebook, run as a user would, until the graph's
    step count satisfies ``steps`` (a JS comparison such as ``=== 7``)."""
    name = f"ui-{pipeline}.ipynb"
    put_notebook(lab, name, ["%load_ext sagemaker_lineage_ext", f"%lineage {pipeline}"])
    await run_notebook(page, lab, name, cells=2)
    await page.wait_for_selector(".jp-OutputArea-output canvas", timeout=90_000)
    await page.wait_for_function(
        f"() => {{ const cy = {CY}; return cy && cy.nodes('.step').length {steps}; }}"
    )


async def run_notebook(page, lab: dict, name: str, cells: int) -> None:
    """Open ``name`` in JupyterLab and run its cells as a user would: Shift+Enter each.

    JupyterLab skips a cell run before the notebook's kernel session exists (the cell
    keeps its empty prompt), so the keys are pressed only once the server reports the
    session's kernel idle and the page shows it.
    """
    await page.goto(f"{lab['url']}lab/tree/{name}?reset&token={lab['token']}")
    await page.wait_for_selector(".jp-Notebook .jp-Cell .cm-content", timeout=60_000)
    for _ in range(600):
        if kernel_ready(lab, name):
            break
        await page.wait_for_timeout(100)
    else:
        raise AssertionError(f"no idle kernel for {name} after 60 s")
    await page.wait_for_selector(
        ".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000
    )
    await page.click(".jp-Notebook .jp-Cell .cm-content")
    for _ in range(cells):
        await page.keyboard.press("Shift+Enter")


async def test_browser_magic_draws_graph_and_detail_on_click(demo_lab):
    async with chromium_page("mlops") as page:
        await check_mlops_graph(page, demo_lab)


async def check_mlops_graph(page, demo_lab) -> None:
    await draw(page, demo_lab, "mlops-pipeline", "=== 7")  # one node per step
    await page.wait_for_timeout(1500)  # the layout settles
    await page.screenshot(path=str(ARTIFACTS / "widget-mlops-pipeline.png"), full_page=True)

    steps = await page.evaluate(f"() => {CY}.nodes('.step').map(n => n.data('ref'))")
    assert len(steps) == 7, "one node per step of mlops-pipeline"
    assert "Train" in steps
    assert await page.evaluate(f"() => {CY}.edges().length") >= 6

    # click the Train node where cytoscape drew it
    point = await page.evaluate(
        f"""() => {{
          const cy = {CY};
          const p = cy.nodes().filter(n => n.data('ref') === 'Train')[0].renderedPosition();
          const r = cy.container().getBoundingClientRect();
          return {{x: r.left + p.x, y: r.top + p.y}};
        }}"""
    )
    await page.mouse.click(point["x"], point["y"])
    await page.wait_for_selector(".lineage-detail :text('training-job/')", timeout=20_000)
    await page.wait_for_timeout(500)
    await page.screenshot(
        path=str(ARTIFACTS / "widget-mlops-pipeline-train-selected.png"), full_page=True
    )
    detail = await page.inner_text(".lineage-detail")
    assert detail.startswith("Train") and "Succeeded" in detail
    assert "validation:rmse" in detail and "encryption: aws:kms" in detail
    assert not page.errors, page.errors


def in_view(step: str) -> str:
    """JS: whether ``step``'s node is drawn inside the graph's visible area."""
    return f"""(() => {{
      const cy = {CY};
      const n = cy.nodes().filter(n => n.data('ref') === '{step}')[0];
      const p = n.renderedPosition();
      return p.x > 0 && p.y > 0 && p.x < cy.width() && p.y < cy.height();
    }})()"""


async def test_browser_200_steps_fit_find_and_focus(demo_lab):
    async with chromium_page("large") as page:
        await check_large_graph(page, demo_lab)


async def check_large_graph(page, demo_lab) -> None:
    await draw(page, demo_lab, "large-pipeline-200", "=== 200")
    await page.wait_for_timeout(2000)
    await page.screenshot(path=str(ARTIFACTS / "widget-200-fitted.png"))

    # the first view is fitted: every step is inside the visible area (the whole shape)
    outside = await page.evaluate(
        f"""() => {{
          const cy = {CY};
          return cy.nodes('.step').filter(n => {{
            const p = n.renderedPosition();
            return !(p.x >= 0 && p.y >= 0 && p.x <= cy.width() && p.y <= cy.height());
          }}).length;
        }}"""
    )
    assert outside == 0
    fitted = await page.evaluate(f"() => {CY}.zoom()")
    assert fitted < 0.5, "200 steps fitted are too small to read: hence find and focus"

    # find a step by name: zoomed in to readable labels, the step on screen
    await page.fill("input[placeholder='Find a step by name']", "L09-Train-03")
    await page.keyboard.press("Enter")
    await page.wait_for_function(f"() => {CY}.zoom() >= 0.7 && {in_view('L09-Train-03')}")
    await page.wait_for_timeout(800)
    await page.screenshot(path=str(ARTIFACTS / "widget-200-find.png"))

    # focus on its neighbourhood: only a few steps stay, readable
    await page.click(WIDGET + " button:has-text('Focus')")
    await page.wait_for_function(
        f"() => {{ const n = {CY}.nodes('.step').filter(n => n.visible()).length; return n > 1 && n < 40; }}"
    )
    await page.wait_for_function(f"() => {CY}.zoom() >= 0.7 && {in_view('L09-Train-03')}")
    await page.wait_for_timeout(800)
    await page.screenshot(path=str(ARTIFACTS / "widget-200-focus.png"))

    # a refresh reads again and keeps the focused view readable (redrawn in place)
    await page.click(WIDGET + " button:has-text('Refresh')")
    await page.wait_for_timeout(3000)
    assert await page.evaluate(f"() => {CY}.zoom() >= 0.7 && {in_view('L09-Train-03')}")
    await page.screenshot(path=str(ARTIFACTS / "widget-200-focus-refreshed.png"))

    await page.click(WIDGET + " button:has-text('Show all')")
    await page.wait_for_function(
        f"() => {CY}.nodes('.step').filter(n => n.visible()).length === 200"
    )
    assert not page.errors, page.errors


async def test_browser_artifact_view_and_refresh_redraw(demo_lab):
    async with chromium_page("churn") as page:
        await check_artifacts_and_refresh(page, demo_lab)


COUNTS = (
    f"() => [{CY}.nodes('.step').filter(n => n.visible()).length, {CY}.nodes('.artifact').length]"
)


async def check_artifacts_and_refresh(page, demo_lab) -> None:
    # GIVEN a running pipeline drawn as steps only
    await draw(page, demo_lab, "churn-pipeline", "> 0")
    steps, artifacts = await page.evaluate(COUNTS)
    assert steps >= 4 and artifacts == 0
    await page.wait_for_timeout(1000)
    first_zoom = await page.evaluate(f"() => {CY}.zoom()")
    # WHEN the data view is switched on: the same steps plus the artifacts, all drawn
    # (replacing elements once lost every reused id: see widget/view.py)
    await page.click(WIDGET + " button:has-text('Artifacts')")
    await page.wait_for_function(f"() => ({COUNTS})()[1] > 0")
    await page.wait_for_timeout(1000)
    assert (await page.evaluate(COUNTS))[0] == steps
    await page.screenshot(path=str(ARTIFACTS / "widget-churn-artifacts.png"))
    with_artifacts = await page.evaluate(COUNTS)
    # AND Refresh reads again: the same elements are updated in place, all still there
    drawn = await page.evaluate(f"() => {CY}.elements().map(e => e.id()).sort().join()")
    await page.click(WIDGET + " button:has-text('Refresh')")
    await page.wait_for_selector(WIDGET + " button:has-text('Refreshing')", state="detached")
    await page.wait_for_timeout(1500)
    assert await page.evaluate(COUNTS) == with_artifacts
    assert await page.evaluate(f"() => {CY}.elements().map(e => e.id()).sort().join()") == drawn
    # AND the step view comes back without the artifacts
    await page.click(WIDGET + " button:has-text('Artifacts')")
    await page.wait_for_function(f"() => ({COUNTS})()[1] === 0")
    assert (await page.evaluate(COUNTS))[0] == steps
    # laid out and fitted again for the steps alone, not left at the artifact view's zoom
    await page.wait_for_function(
        f"() => Math.abs({CY}.zoom() - {first_zoom}) < 0.05", timeout=10_000
    )
    await page.wait_for_timeout(3000)  # the old element widgets are closed by now
    assert not page.errors, page.errors
    # the kernel logged nothing: closing the old element widgets at once made it log
    # "No such comm" for each (37 entries in JupyterLab's log console here)
    logged = await page.evaluate(
        "() => (document.querySelector('.jp-LogConsoleStatusItem') || {}).textContent || ''"
    )
    assert logged.strip() in ("", "0"), f"{logged} entries in JupyterLab's log console"


# -- issue 11: the comparison and lineage across pipelines, light and dark ---------------


def set_theme(lab: dict, theme: str) -> None:
    """JupyterLab's theme, through its settings API (a page loaded afterwards uses it)."""
    request = urllib.request.Request(
        f"{lab['url']}lab/api/settings/@jupyterlab/apputils-extension:themes",
        data=json.dumps({"raw": json.dumps({"theme": theme})}).encode(),
        method="PUT",
        headers={"Authorization": f"token {lab['token']}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status in (200, 204)


async def click_step(page, step: str) -> None:
    point = await page.evaluate(
        f"""() => {{
          const cy = {CY};
          const p = cy.nodes().filter(n => n.data('ref') === '{step}')[0].renderedPosition();
          const r = cy.container().getBoundingClientRect();
          return {{x: r.left + p.x, y: r.top + p.y}};
        }}"""
    )
    await page.mouse.click(point["x"], point["y"])


async def in_each_theme(lab: dict, name: str, height: int, check) -> None:
    """``check(page, lab, suffix)`` in the light, then the dark theme (then light again)."""
    for theme, suffix in (("JupyterLab Light", "light"), ("JupyterLab Dark", "dark")):
        set_theme(lab, theme)
        try:
            async with chromium_page(f"{name}-{suffix}", height=height) as page:
                await check(page, lab, suffix)
        finally:
            set_theme(lab, "JupyterLab Light")


async def test_browser_compare_draws_the_head_coloured_by_change(demo_lab):
    await in_each_theme(demo_lab, "compare", 1700, check_compare)


async def check_compare(page, lab: dict, suffix: str) -> None:
    name = f"ui-compare-{suffix}.ipynb"
    put_notebook(
        lab, name, ["%load_ext sagemaker_lineage_ext", "%lineage mlops-pipeline --compare"]
    )
    await run_notebook(page, lab, name, cells=2)
    await page.wait_for_selector(".jp-OutputArea-output canvas", timeout=90_000)
    await page.wait_for_function(
        f"() => {{ const cy = {CY}; return cy && cy.nodes().length === 7; }}"
    )
    verdicts = await page.evaluate(
        f"() => Object.fromEntries({CY}.nodes().map(n => [n.data('ref'), n.data('verdict')]))"
    )
    assert verdicts["Train"] == "faster" and verdicts["Evaluate"] == "slower"
    assert verdicts["MSEFail"] == "unchanged"
    # the colour a user sees is the verdict's: Train's border is the "faster" teal
    border = await page.evaluate(
        f"() => {CY}.nodes().filter(n => n.data('ref') === 'Train')[0].style('border-color')"
    )
    assert border == "rgb(0,121,107)"
    await page.wait_for_selector(".lineage-comparison :text('cache hit')", timeout=20_000)
    await click_step(page, "Train")
    await page.wait_for_selector(".lineage-comparison :text('max_depth')", timeout=20_000)
    await page.wait_for_timeout(800)
    output = page.locator(".jp-Notebook .jp-CodeCell").nth(1).locator(".jp-OutputArea")
    await output.screenshot(path=str(ARTIFACTS / f"compare-mlops-pipeline-{suffix}.png"))
    detail = await page.inner_text(".lineage-comparison")
    assert "cache miss: its cache key changed" in detail and "TrainingInstanceType" in detail
    header = await page.inner_text(".lineage-summary")
    assert re.search(r"nightly-\d{4}-\d\d-\d\d", header) and "definition changed" in header
    assert not page.errors, page.errors


async def test_browser_cross_pipeline_open_and_back(demo_lab):
    async with chromium_page("cross-pipeline", height=1500) as page:
        name = "ui-cross.ipynb"
        put_notebook(
            demo_lab,
            name,
            ["%load_ext sagemaker_lineage_ext", "%lineage customer-ltv-pipeline --cross-pipeline"],
        )
        await run_notebook(page, demo_lab, name, cells=2)
        await page.wait_for_selector(".jp-OutputArea-output canvas", timeout=90_000)
        await page.wait_for_function(
            f"() => {{ const cy = {CY}; return cy && cy.nodes().length === 2; }}"
        )
        await page.wait_for_timeout(1000)
        await click_step(page, "TrainLtvModel")
        await page.wait_for_selector(
            ".lineage-cross :text('customer-features-pipeline')", timeout=20_000
        )
        await page.wait_for_selector("button:has-text('Open customer-features-pipeline')")
        await page.wait_for_timeout(500)
        output = page.locator(".jp-Notebook .jp-CodeCell").nth(1).locator(".jp-OutputArea")
        await output.screenshot(path=str(ARTIFACTS / "cross-pipeline-customer-ltv.png"))
        await page.click("button:has-text('Open customer-features-pipeline')")
        await page.wait_for_function(
            f"() => {{ const cy = {CY}; return cy && cy.nodes().length === 1 && "
            "cy.nodes()[0].data('ref') === 'BuildCustomerFeatures'; }"
        )
        await page.wait_for_selector(".lineage-summary :text('customer-features-pipeline')")
        await page.wait_for_timeout(1000)
        await output.screenshot(path=str(ARTIFACTS / "cross-pipeline-opened.png"))
        await page.click("button:has-text('Back to customer-ltv-pipeline')")
        await page.wait_for_function(
            f"() => {{ const cy = {CY}; return cy && cy.nodes().length === 2; }}"
        )
        assert not page.errors, page.errors


# -- the widget in the light and the dark theme (JupyterLab's CSS variables) -----------


async def test_browser_widget_follows_the_theme_light_and_dark(demo_lab):
    await in_each_theme(demo_lab, "widget", 1300, check_widget_theme)


async def check_widget_theme(page, lab: dict, suffix: str) -> None:
    name = f"ui-theme-{suffix}.ipynb"
    put_notebook(lab, name, ["%load_ext sagemaker_lineage_ext", "%lineage mlops-pipeline"])
    await run_notebook(page, lab, name, cells=2)
    await page.wait_for_selector(".jp-OutputArea-output canvas", timeout=90_000)
    await page.wait_for_function(
        f"() => {{ const cy = {CY}; return cy && cy.nodes('.step').length === 7; }}"
    )
    await page.wait_for_timeout(1500)  # the layout settles
    await click_step(page, "Train")
    await page.wait_for_selector(".lineage-detail :text('tags:')", timeout=20_000)
    await page.wait_for_timeout(500)
    output = page.locator(".jp-Notebook .jp-CodeCell").nth(1).locator(".jp-OutputArea")
    await output.screenshot(path=str(ARTIFACTS / f"widget-mlops-pipeline-{suffix}.png"))
    colours = await page.evaluate(
        """() => {
          const style = getComputedStyle(document.body);
          const rgb = (css) => { const d = document.createElement('div'); d.style.color = css;
                                 document.body.appendChild(d); const c = getComputedStyle(d).color;
                                 d.remove(); return c; };
          const tags = [...document.querySelectorAll('.lineage-detail div')]
            .find(d => d.textContent.startsWith('tags:'));
          return {
            canvas: getComputedStyle(document.querySelector('.custom-widget')).backgroundColor,
            layout: rgb(style.getPropertyValue('--jp-layout-color1')),
            tags: getComputedStyle(tags).color,
            muted: rgb(style.getPropertyValue('--jp-ui-font-color2')),
          };
        }"""
    )
    # THEN the canvas is the theme's background (not white in the dark theme), and muted
    # text is the theme's muted text colour (not dark grey on black)
    assert colours["canvas"] == colours["layout"], colours
    assert colours["tags"] == colours["muted"], colours
    if suffix == "dark":
        assert colours["canvas"] != "rgb(255, 255, 255)"
    assert not page.errors, page.errors
