"""What a new user found in the side panel, fixed: real headless Chromium against the
JupyterLab of ``./run demo`` (demo account) under Studio's base URL.

GIVEN the demo's pipelines, WHEN a user restores tabs after a reload, unfolds warnings,
resizes the window, focuses a step, turns the Artifacts view on and exports it, picks
another execution, clicks the graph, or uses the sidebar's filters, THEN the graph stays
fitted and labelled, the legend never covers the detail pane, labels stay inside their
boxes, the keyboard follows the click, and the sidebar keeps its statuses current.
Each fixed view is screenshot in the light and the dark theme (``test-artifacts/``).
"""

from __future__ import annotations

import base64

from browser.test_panel_features_ui import detail, shoot
from browser.test_panel_ui import api, click_step, cy, open_lineage, panel_page, view

MLOPS = "mlops-pipeline"
FRAUD = "fraud-detection-pipeline"
LARGE = "large-pipeline-200"


def steps_of(lab: dict, pipeline: str) -> int:
    return len(api(lab, f"lineage?pipeline={pipeline}")["graph"]["nodes"])


#: JS: how much of the drawn graph is on screen, the label level and the font size.
SHOWN = """(c) => {
  const w = c.width(), h = c.height();
  const nodes = c.nodes().not('.hidden');
  const inside = nodes.filter(n => { const b = n.renderedBoundingBox({includeLabels: false});
    return b.x1 >= -1 && b.y1 >= -1 && b.x2 <= w + 1 && b.y2 <= h + 1; }).length;
  return { w, h, zoom: c.zoom(), nodes: nodes.length, inside,
           labels: c.container().dataset.labels };
}"""


async def shown(page, pipeline: str) -> dict:
    return await page.evaluate(f"() => ({SHOWN})({cy(pipeline)})")


async def test_panel_tabs_restored_hidden_are_fitted_when_shown(studio_lab):
    """Tabs restored behind the active one were drawn at size 0: shown, they were blank."""
    counts = {p: steps_of(studio_lab, p) for p in (FRAUD, "churn-pipeline", MLOPS)}
    async with panel_page(studio_lab, "restored") as page:
        for pipeline, steps in counts.items():
            await open_lineage(page, pipeline, steps)
        await page.wait_for_timeout(2500)  # the layout restorer saves the workspace
        await page.goto(f"{studio_lab['url']}lab?token={studio_lab['token']}")
        await page.wait_for_function(
            f"() => document.querySelector(\"{view(MLOPS)}\")?.dataset.drawnSteps === '7'",
            timeout=60_000,
        )
        for pipeline in (FRAUD, "churn-pipeline"):
            await page.click(f".lm-DockPanel-tabBar .lm-TabBar-tab:has-text('{pipeline}')")
            await page.wait_for_function(
                f"""() => {{ const v = document.querySelector("{view(pipeline)}");
                     return v && v.dataset.state === 'idle'
                       && v.dataset.drawnSteps === '{counts[pipeline]}'; }}""",
                timeout=60_000,
            )
            await page.wait_for_timeout(300)
            seen = await shown(page, pipeline)
            assert seen["w"] > 300 and seen["h"] > 200, seen
            assert seen["inside"] >= min(seen["nodes"], 3), f"{pipeline}: {seen}"
            assert seen["zoom"] * 12 >= 10.5 - 1e-6, f"{pipeline} readable: {seen}"
        # a tab redrawn while another one is in front (its Artifacts view turned on)
        await page.evaluate(
            f"() => document.querySelector(\"{view(FRAUD)} input[aria-label='Artifacts']\").click()"
        )
        await page.wait_for_function(f"() => {cy(FRAUD)}.nodes('.artifact').length > 0")
        await page.click(f".lm-DockPanel-tabBar .lm-TabBar-tab:has-text('{FRAUD}')")
        await page.wait_for_timeout(400)
        seen = await shown(page, FRAUD)
        assert seen["inside"] >= min(seen["nodes"], 3) and seen["labels"] != "none", seen
        await shoot(page, "fix-restored-tab")


async def test_panel_legend_never_covers_the_detail_pane_and_graph_refits(studio_lab):
    """Warnings unfolded in a short window: the detail pane, the legend and the toolbar
    each keep their own rows, and the graph is fitted again into what is left."""
    steps = steps_of(studio_lab, FRAUD)
    async with panel_page(studio_lab, "legend") as page:
        await page.set_viewport_size({"width": 1200, "height": 720})
        await open_lineage(page, FRAUD, steps)
        before = await shown(page, FRAUD)
        await page.click(f"{view(FRAUD)} .jp-SageMakerLineage-header details > summary")
        await page.wait_for_timeout(400)
        after = await shown(page, FRAUD)
        assert after["h"] < before["h"], "the header grew"
        assert after["inside"] == after["nodes"] or after["inside"] >= before["inside"], (
            before,
            after,
        )
        await click_step(page, FRAUD, "CheckDataQuality")
        await page.wait_for_selector(f"{detail(FRAUD)} [data-step='CheckDataQuality']")
        rects = await page.evaluate(
            f"""() => Object.fromEntries(['header', 'toolbar', 'body', 'detail', 'legend']
                 .map(k => {{ const r = document.querySelector(
                   "{view(FRAUD)} .jp-SageMakerLineage-" + k).getBoundingClientRect();
                   return [k, {{top: r.top, bottom: r.bottom}}]; }}))"""
        )
        assert rects["detail"]["bottom"] <= rects["legend"]["top"] + 0.5, rects
        assert rects["body"]["bottom"] <= rects["legend"]["top"] + 0.5, rects
        assert rects["toolbar"]["bottom"] <= rects["body"]["top"] + 0.5, rects
        assert rects["header"]["bottom"] <= rects["toolbar"]["top"] + 0.5, rects
        await shoot(page, "fix-legend-detail")

        # a narrower window: the fitted graph is fitted again
        await page.click(f"{view(FRAUD)} .jp-SageMakerLineage-close")
        await page.wait_for_timeout(300)
        await page.set_viewport_size({"width": 900, "height": 720})
        await page.wait_for_timeout(600)
        narrow = await shown(page, FRAUD)
        assert narrow["w"] < after["w"]
        assert narrow["inside"] >= min(after["inside"], narrow["nodes"]) - 1, (after, narrow)


async def test_panel_focus_ends_at_a_readable_zoom_with_labels(studio_lab):
    async with panel_page(studio_lab, "focus") as page:
        await open_lineage(page, LARGE, 200)
        await page.fill(f"{view(LARGE)} .jp-SageMakerLineage-find", "L10-Train")
        await page.press(f"{view(LARGE)} .jp-SageMakerLineage-find", "Enter")
        await page.click(f"{view(LARGE)} button:has-text('Focus')")
        await page.wait_for_function(
            f"() => {cy(LARGE)}.nodes('.hidden').length > 0", timeout=30_000
        )
        await page.wait_for_timeout(300)
        seen = await shown(page, LARGE)
        assert seen["labels"] == "full", seen
        assert seen["zoom"] * 12 >= 12 - 1e-6, seen
        centre = await page.evaluate(
            f"""() => {{ const c = {cy(LARGE)}; const p = c.$(':selected').renderedPosition();
                 return p.x > 0 && p.y > 0 && p.x < c.width() && p.y < c.height(); }}"""
        )
        assert centre, "the focused step is on screen"
        # 0 (fit) keeps a focus readable too
        await page.keyboard.press("0")
        assert (await shown(page, LARGE))["zoom"] * 12 >= 12 - 1e-6
        await shoot(page, "fix-focus")


#: JS: the steps whose drawn label is wider or taller than their box (px, model units).
OVERFLOWING = """(c) => c.nodes().filter(n => {
  const body = n.boundingBox({includeLabels: false, includeOverlays: false});
  const text = n.boundingBox({includeNodes: false, includeLabels: true, includeOverlays: false});
  return text.w > 0 && (text.x1 < body.x1 - 0.5 || text.x2 > body.x2 + 0.5
                        || text.y1 < body.y1 - 0.5 || text.y2 > body.y2 + 0.5);
}).map(n => n.id())"""


async def test_panel_artifacts_view_is_labelled_in_legend_style_and_exports_trimmed(studio_lab):
    async with panel_page(studio_lab, "artifacts") as page:
        await open_lineage(page, MLOPS, 7)
        # the older failed execution has steps that never started
        executions = api(studio_lab, f"executions?pipeline={MLOPS}")["executions"]
        failed = next(e for e in executions if e["status"] == "Failed")
        await page.select_option(f"{view(MLOPS)} .jp-SageMakerLineage-executions", failed["arn"])
        await page.wait_for_function(
            f"""() => document.querySelector("{view(MLOPS)}").dataset.overallStatus === 'Failed'
                 && document.querySelector("{view(MLOPS)}").dataset.state === 'idle'"""
        )
        await page.check(f"{view(MLOPS)} input[aria-label='Artifacts']")
        await page.wait_for_function(f"() => {cy(MLOPS)}.nodes('.artifact').length > 0")
        await page.wait_for_timeout(400)
        seen = await shown(page, MLOPS)
        assert seen["labels"] == "full", seen
        assert await page.evaluate(f"() => ({OVERFLOWING})({cy(MLOPS)})") == []
        not_started = await page.evaluate(
            f"() => {cy(MLOPS)}.nodes('.status-NotStarted').map(n => n.style('border-style'))"
        )
        assert not_started and set(not_started) == {"dashed"}, "as the legend draws it"
        await shoot(page, "fix-artifacts")

        menu = f"{view(MLOPS)} .jp-SageMakerLineage-menu"
        await page.click(f"{menu} > summary")
        async with page.expect_download() as download:
            await page.click(f"{menu} [data-export='png']")
        png = (await (await download.value).path()).read_bytes()
        # decoded by Chromium: size, and the share of the image the drawing covers
        measured = await page.evaluate(
            """async (data) => {
              const img = new Image(); img.src = 'data:image/png;base64,' + data;
              await img.decode();
              const c = document.createElement('canvas'); c.width = img.width; c.height = img.height;
              const g = c.getContext('2d'); g.drawImage(img, 0, 0);
              const px = g.getImageData(0, 0, c.width, c.height).data;
              const bg = px.slice(0, 4); let x1 = c.width, y1 = c.height, x2 = 0, y2 = 0;
              for (let y = 0; y < c.height; y++) for (let x = 0; x < c.width; x++) {
                const i = (y * c.width + x) * 4;
                if (Math.abs(px[i] - bg[0]) + Math.abs(px[i+1] - bg[1]) + Math.abs(px[i+2] - bg[2]) > 30) {
                  x1 = Math.min(x1, x); x2 = Math.max(x2, x); y1 = Math.min(y1, y); y2 = Math.max(y2, y);
                }
              }
              return { w: c.width, h: c.height, drawn: ((x2 - x1) * (y2 - y1)) / (c.width * c.height) };
            }""",
            base64.b64encode(png).decode(),
        )
        print(f"\nPNG export: {measured}")
        assert measured["drawn"] >= 0.7, f"mostly drawing, not margins: {measured}"
        # the export is drawn with full labels at twice the model's size (12 px text → 24 px)
        box = await page.evaluate(f"() => {cy(MLOPS)}.elements().boundingBox()")
        assert abs(measured["w"] - 2 * box["w"]) <= 0.1 * 2 * box["w"], (measured, box)


async def test_panel_labels_stay_inside_their_boxes_after_an_update_in_place(studio_lab):
    async with panel_page(studio_lab, "in-place") as page:
        await open_lineage(page, MLOPS, 7)
        assert await page.evaluate(f"() => ({OVERFLOWING})({cy(MLOPS)})") == []
        executions = api(studio_lab, f"executions?pipeline={MLOPS}")["executions"]
        for execution in executions[1:3]:
            await page.select_option(
                f"{view(MLOPS)} .jp-SageMakerLineage-executions", execution["arn"]
            )
            await page.wait_for_function(
                f"""(arn) => {{ const v = document.querySelector("{view(MLOPS)}");
                     return v.dataset.state === 'idle' && JSON.parse(v.dataset.timing).relayout === false; }}""",
                arg=execution["arn"],
            )
            overflowing = await page.evaluate(f"() => ({OVERFLOWING})({cy(MLOPS)})")
            assert overflowing == [], (execution["arn"], overflowing)


async def test_panel_click_on_the_graph_gives_it_the_keyboard(studio_lab):
    async with panel_page(studio_lab, "click-keys") as page:
        await open_lineage(page, MLOPS, 7)
        box = await page.eval_on_selector(
            f"{view(MLOPS)} .jp-SageMakerLineage-graph",
            "e => { const r = e.getBoundingClientRect(); return {x: r.left, y: r.top}; }",
        )
        await page.mouse.click(box["x"] + 8, box["y"] + 8)  # the background
        focused = await page.evaluate("() => document.activeElement.className")
        assert "jp-SageMakerLineage-graph" in focused
        zoom = await page.evaluate(f"() => {cy(MLOPS)}.zoom()")
        await page.keyboard.press("-")
        assert await page.evaluate(f"() => {cy(MLOPS)}.zoom()") < zoom
        await page.keyboard.press("ArrowDown")
        assert await page.evaluate(f"() => {cy(MLOPS)}.$(':selected').length") == 1


async def test_panel_detail_pane_opens_each_step_at_its_top(studio_lab):
    async with panel_page(studio_lab, "detail-scroll") as page:
        await open_lineage(page, MLOPS, 7)
        await click_step(page, MLOPS, "Train")
        await page.wait_for_selector(f"{detail(MLOPS)} [data-step='Train']")
        await page.eval_on_selector(detail(MLOPS), "e => { e.scrollTop = e.scrollHeight; }")
        assert await page.eval_on_selector(detail(MLOPS), "e => e.scrollTop") > 0
        await page.focus(f"{view(MLOPS)} .jp-SageMakerLineage-graph")
        await page.keyboard.press("ArrowLeft")
        await page.wait_for_function(
            f"() => !document.querySelector(\"{detail(MLOPS)} [data-step='Train']\")"
        )
        assert await page.eval_on_selector(detail(MLOPS), "e => e.scrollTop") == 0


async def test_panel_sidebar_reads_again_while_an_execution_runs(studio_lab):
    """The demo's live-retrain-pipeline is Executing: the sidebar re-reads the list on its
    own; the region picker keeps naming the server's default; Domain filters as you type."""
    default = api(studio_lab, "pipelines")["region"]
    async with panel_page(studio_lab, "sidebar-live") as page:
        sidebar = "#sagemaker-lineage-sidebar"
        listed = await page.eval_on_selector(
            f"{sidebar} li[data-pipeline='live-retrain-pipeline'] .jp-SageMakerLineage-status",
            "e => e.textContent",
        )
        if listed in ("Executing", "Stopping"):
            assert await page.get_attribute(sidebar, "data-watching") == "on"
            async with page.expect_request(
                lambda r: "/sagemaker-lineage/pipelines" in r.url, timeout=20_000
            ):
                pass  # no click: the sidebar's own read
        await page.select_option(f"{sidebar} select[aria-label='Region']", "us-east-1")
        await page.wait_for_function(
            f"() => document.querySelector('{sidebar}').dataset.state !== 'loading'"
        )
        first = await page.eval_on_selector(
            f"{sidebar} select[aria-label='Region'] option", "o => o.textContent"
        )
        assert first == f"{default} (server default)"
        await page.select_option(f"{sidebar} select[aria-label='Region']", "")
        await page.wait_for_selector(f"{sidebar} li[data-pipeline]")
        await page.type(f"{sidebar} input[aria-label='Domain filter']", "nosuch", delay=30)
        await page.wait_for_function(
            f"() => document.querySelector('{sidebar}').dataset.state === 'empty'",
            timeout=10_000,
        )
        text = await page.inner_text(f"{sidebar} .jp-SageMakerLineage-state")
        assert 'domain-name = "nosuch"' in text and "Another region" not in text
        await shoot(page, "fix-sidebar-domain")
