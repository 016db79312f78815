"""What issue 11 added, in the side panel's Lineage tab: real headless Chromium against the
JupyterLab of ``./run demo`` (demo account) under Studio's base URL.

GIVEN the demo's pipelines, WHEN a user compares mlops-pipeline's two latest executions,
turns the Risks view on, asks which other pipelines use an artifact, runs the posture
Check, or exports the lineage, THEN the panel shows what the server's routes answer
(/compare, graph.risks, /artifact and includeCrossPipeline, /check, /export and
/openlineage) and the errors' own messages; AND a small graph is drawn at a readable
size. Each view is screenshot in the light and the dark theme
(``test-artifacts/panel-*.png``).
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
from pathlib import Path

import graphviz

from browser.test_panel_ui import (
    ARTIFACTS,
    api,
    click_step,
    cy,
    luminance,
    open_lineage,
    panel_page,
    view,
)

MLOPS = "mlops-pipeline"


def detail(pipeline: str) -> str:
    return f"{view(pipeline)} .jp-SageMakerLineage-detail"


async def set_theme(page, theme: str) -> None:
    light = "true" if theme == "light" else "false"
    name = "JupyterLab Light" if theme == "light" else "JupyterLab Dark"
    await page.evaluate(
        f"() => window.jupyterapp.commands.execute('apputils:change-theme', {{theme: '{name}'}})"
    )
    await page.wait_for_function(f"() => document.body.dataset.jpThemeLight === '{light}'")
    await page.wait_for_timeout(600)  # the graph takes the new theme's colours


async def shoot(page, name: str) -> None:
    """The view in the light theme, then in the dark one (and back to light)."""
    await page.wait_for_timeout(400)
    await page.screenshot(path=str(ARTIFACTS / f"panel-{name}-light.png"))
    await set_theme(page, "dark")
    await page.screenshot(path=str(ARTIFACTS / f"panel-{name}-dark.png"))
    await set_theme(page, "light")


async def theme_colour(page, variable: str) -> str:
    """A JupyterLab theme variable resolved in the page, as cytoscape reports colours."""
    return await page.evaluate(
        f"""() => {{
          const probe = document.createElement('span');
          probe.style.color = 'var({variable})';
          document.querySelector("{view(MLOPS)}").append(probe);
          const colour = getComputedStyle(probe).color;
          probe.remove();
          return colour;
        }}"""
    )


def rgb(colour: str) -> tuple[int, ...]:
    return tuple(int(float(v)) for v in colour[colour.index("(") + 1 : -1].split(",")[:3])


async def test_panel_compare_colours_the_shown_execution_by_change(studio_lab):
    answer = api(studio_lab, f"compare?pipeline={MLOPS}")
    executions = api(studio_lab, f"executions?pipeline={MLOPS}")["executions"]
    failed = next(e for e in executions if e["status"] == "Failed")
    async with panel_page(studio_lab, "compare") as page:
        await open_lineage(page, MLOPS, 7)
        # keyboard: Tab to Compare, Enter turns it on
        clicked = time.monotonic()
        await page.focus(f"{view(MLOPS)} [data-tool='compare']")
        await page.keyboard.press("Enter")
        await page.wait_for_selector(
            f"{view(MLOPS)}[data-mode='compare'][data-state='idle']", timeout=60_000
        )
        print(f"\n{MLOPS}: Compare pressed to the comparison drawn "
              f"{(time.monotonic() - clicked) * 1000:.0f} ms")  # fmt: skip
        assert await page.get_attribute(view(MLOPS), "data-compared-head") == answer["head"]["arn"]
        assert await page.get_attribute(view(MLOPS), "data-compared-base") == answer["base"]["arn"]
        # THEN every step is drawn coloured by the verdict /compare gives it
        drawn = await page.evaluate(
            f"() => Object.fromEntries({cy(MLOPS)}.nodes().map(n => [n.id(), n.classes()]))"
        )
        assert drawn == {s["step"]: ["step", f"verdict-{s['verdict']}"] for s in answer["steps"]}
        verdicts = {s["verdict"] for s in answer["steps"]}
        assert {"slower", "faster", "changed"} <= verdicts, "the demo's executions differ"
        slower = answer["summary"]["slower"][0]
        border = await page.evaluate(
            f"() => {cy(MLOPS)}.getElementById('{slower}').style('border-color')"
        )
        assert rgb(border) == rgb(await theme_colour(page, "--jp-warn-color1"))
        # the summary in the header, the change colours in the legend
        header = await page.inner_text(f"{view(MLOPS)} .jp-SageMakerLineage-header")
        for name in answer["summary"]["slower"] + answer["summary"]["faster"]:
            assert name in header
        change = answer["parameters"][0]
        assert (
            f"parameters changed: {change['name']} {change['before']} → {change['after']}" in header
        )
        assert answer["base"]["displayName"] in header and answer["head"]["displayName"] in header
        assert "definition changed" in header
        legend = f"{view(MLOPS)} .jp-SageMakerLineage-legend[data-mode='compare']"
        assert await page.is_visible(legend)
        assert await page.eval_on_selector_all(
            f"{legend} [data-verdict]", "els => els.map(e => e.dataset.verdict)"
        ) == ["newlyFailing", "newlyPassing", "slower", "faster", "changed", "added", "removed",
              "unchanged"]  # fmt: skip

        # WHEN Train is clicked THEN its diff: status, duration, metrics, arguments, outputs, cache
        train = next(s for s in answer["steps"] if s["step"] == "Train")
        await click_step(page, MLOPS, "Train")
        await page.wait_for_selector(f"{detail(MLOPS)} [data-step='Train'][data-verdict]")
        text = await page.inner_text(detail(MLOPS))
        assert "9 min 8 s → 6 min 11 s (−2 min 57 s, −32 %)" in text
        for metric in train["metrics"]:
            assert metric["name"] in text and str(metric["after"]) in text
        for argument in train["arguments"]:
            assert argument["path"] in text
        assert "parameter\nTrainingInstanceType" in text or "parameter TrainingInstanceType" in text
        assert "ml.m5.xlarge" in text and "ml.m5.2xlarge" in text, "values per run"
        assert "cache key" in text and train["cache"]["reason"] in text
        for output in train["outputs"]:
            assert output["before"] in text and output["after"] in text
        await shoot(page, "compare-train")

        # a cache hit names the execution it reused
        preprocess = next(s for s in answer["steps"] if s["step"] == "Preprocess")
        await click_step(page, MLOPS, "Preprocess")
        await page.wait_for_selector(f"{detail(MLOPS)} [data-step='Preprocess']")
        text = await page.inner_text(detail(MLOPS))
        assert "hit" in text and preprocess["cache"]["after"]["source"] in text

        # WHEN another base is picked (the failed run) THEN Train is newly passing
        await page.select_option(f"{view(MLOPS)} select.jp-SageMakerLineage-base", failed["arn"])
        await page.wait_for_function(
            f"""() => document.querySelector("{view(MLOPS)}").dataset.comparedBase === '{failed["arn"]}'
                 && {cy(MLOPS)}.getElementById('Train').hasClass('verdict-newlyPassing')"""
        )
        header = await page.inner_text(f"{view(MLOPS)} .jp-SageMakerLineage-header")
        assert "newly passing Train" in header

        # WHEN Compare is pressed again THEN the plain view is back
        await page.click(f"{view(MLOPS)} [data-tool='compare']")
        await page.wait_for_selector(f"{view(MLOPS)}[data-mode='lineage'][data-state='idle']")
        classes = await page.evaluate(f"() => {cy(MLOPS)}.nodes().map(n => n.classes().join(' '))")
        assert all("status-" in c and "verdict-" not in c for c in classes), classes
        assert await page.is_hidden(legend)
        assert "last scanned" in await page.inner_text(f"{view(MLOPS)} .jp-SageMakerLineage-header")


async def test_panel_compare_error_shows_the_servers_message(studio_lab):
    pipeline = "customer-features-pipeline"  # one execution: nothing to compare it with
    status, body = None, None
    try:
        api(studio_lab, f"compare?pipeline={pipeline}")
    except urllib.error.HTTPError as error:
        status, body = error.code, json.load(error)
    assert status in (400, 404) and body["message"]
    failed_request = (
        f"error: Failed to load resource: the server responded with a status of {status} "
        f"({'Not Found' if status == 404 else 'Bad Request'})"
    )
    async with panel_page(studio_lab, "compare-error", expected=(failed_request,)) as page:
        await open_lineage(page, pipeline, 1)
        await page.click(f"{view(pipeline)} [data-tool='compare']")
        message = f"{view(pipeline)} .jp-SageMakerLineage-message"
        await page.wait_for_selector(f"{message}:not([hidden])")
        assert await page.inner_text(message) == f"Could not compare: {body['message']}"
        assert await page.get_attribute(view(pipeline), "data-mode") == "lineage"
        assert (
            await page.get_attribute(f"{view(pipeline)} [data-tool='compare']", "aria-pressed")
            == "false"
        )


async def test_panel_risks_mark_the_paths_and_list_their_reasons(studio_lab):
    risks = api(studio_lab, f"lineage?pipeline={MLOPS}")["graph"]["risks"]
    assert len(risks) == 3
    async with panel_page(studio_lab, "risks") as page:
        await open_lineage(page, MLOPS, 7)
        toggle = f"{view(MLOPS)} [data-tool='risks']"
        assert await page.inner_text(toggle) == "Risks (3)"
        await page.click(toggle)
        report = f"{view(MLOPS)} .jp-SageMakerLineage-report[data-report='risks']"
        await page.wait_for_selector(report)
        on_paths = {step for risk in risks for step in risk["steps"]}
        marked = await page.evaluate(f"() => {cy(MLOPS)}.nodes('.risk').map(n => n.id()).sort()")
        assert marked == sorted(on_paths)
        assert await page.evaluate(f"() => {cy(MLOPS)}.edges('.risk').length") >= 3
        faded = await page.evaluate(f"() => {cy(MLOPS)}.getElementById('MSEFail').style('opacity')")
        assert float(faded) < 0.5, "what is on no path fades"
        items = await page.eval_on_selector_all(
            f"{report} [data-risk]", "els => els.map(e => e.innerText)"
        )
        assert [i.split("\n")[0] for i in items] == [r["message"] for r in risks]
        await shoot(page, "risks")

        # WHEN one path is picked THEN only its steps stay marked
        await page.click(f"{report} [data-risk='1']")
        await page.wait_for_function(
            f"() => {cy(MLOPS)}.nodes('.risk').map(n => n.id()).sort().join() === "
            f"{json.dumps(','.join(sorted(risks[1]['steps'])))}"
        )
        assert await page.get_attribute(f"{report} [data-risk='1']", "aria-pressed") == "true"
        # a step on a path says so in its details, with a way back to the list
        await click_step(page, MLOPS, "Train")
        await page.wait_for_selector(f"{detail(MLOPS)} [data-report='node-risks']")
        through = [r for r in risks if "Train" in r["steps"]]
        text = (await page.inner_text(detail(MLOPS))).lower()  # headings are upper case
        assert f"on {len(through)} risk path" in text and through[0]["message"].lower() in text
        await page.click(f"{detail(MLOPS)} button:has-text('Risk paths')")
        await page.wait_for_selector(report)

        # WHEN it is turned off THEN nothing is marked, and the list is gone
        await page.click(toggle)
        await page.wait_for_function(f"() => {cy(MLOPS)}.elements('.risk, .faded').length === 0")
        assert await page.is_hidden(detail(MLOPS))

    no_risks = "large-pipeline-10"
    assert api(studio_lab, f"lineage?pipeline={no_risks}")["graph"]["risks"] == []
    async with panel_page(studio_lab, "no-risks") as page:
        await open_lineage(page, no_risks, 10)
        assert await page.is_hidden(f"{view(no_risks)} [data-tool='risks']")


async def test_panel_other_pipelines_of_an_artifact_open_their_tab(studio_lab):
    ltv, features = "customer-ltv-pipeline", "customer-features-pipeline"
    async with panel_page(studio_lab, "cross-pipeline") as page:
        await open_lineage(page, ltv, 2)
        await click_step(page, ltv, "TrainLtvModel")
        await page.wait_for_selector(f"{detail(ltv)} [data-step='TrainLtvModel']")
        # WHEN the user asks which other pipelines use the train input (GET /artifact)
        uri = "s3://my-mlops-dev2-v2-main-data/features/customers/train"
        expected = api(studio_lab, "artifact?uri=" + urllib.parse.quote(uri, safe=""))
        producers = {(u["pipeline"], u["step"]) for u in expected["producers"]}
        assert (features, "BuildCustomerFeatures") in producers
        await page.click(f"{detail(ltv)} [data-lookup='{uri}']")
        host = f"{detail(ltv)} .jp-SageMakerLineage-crossHost[data-uri='{uri}']"
        await page.wait_for_selector(f"{host} .jp-SageMakerLineage-cross")
        text = await page.inner_text(host)
        assert "written by other pipelines:" in text
        assert features in text and "BuildCustomerFeatures" in text
        assert ltv not in text, "the pipeline shown is not another one"
        await shoot(page, "cross-pipeline")

        # WHEN the other pipeline is clicked THEN its Lineage tab opens
        await page.click(f"{host} [data-open-pipeline='{features}']")
        await page.wait_for_function(
            f"""() => {{ const v = document.querySelector("{view(features)}");
                 return v && v.dataset.drawnSteps === '1' && v.dataset.state === 'idle'; }}""",
            timeout=60_000,
        )
        assert await page.is_visible(view(features))

        # AND with "Other pipelines" on, its outputs name the pipeline that reads them
        await page.check(f"{view(features)} label:has-text('Other pipelines') input")
        await page.wait_for_function(
            f"""() => document.querySelector("{view(features)}").dataset.state === 'idle'"""
        )
        await page.wait_for_timeout(300)
        await click_step(page, features, "BuildCustomerFeatures")
        await page.wait_for_selector(
            f"{detail(features)} .jp-SageMakerLineage-crossList[data-cross='read by']"
        )
        text = await page.inner_text(detail(features))
        assert f"{ltv} · TrainLtvModel" in text
        await page.screenshot(path=str(ARTIFACTS / "panel-cross-pipeline-opened.png"))


async def test_panel_check_lists_findings_and_picks_their_artifact(studio_lab):
    check = api(studio_lab, f"check?pipeline={MLOPS}")
    failing = [r for r in check["results"] if r["outcome"] != "pass"]
    assert failing and not check["passed"]
    async with panel_page(studio_lab, "check") as page:
        await open_lineage(page, MLOPS, 7)
        await page.click(f"{view(MLOPS)} [data-tool='check']")
        report = f"{view(MLOPS)} .jp-SageMakerLineage-report[data-report='check']"
        await page.wait_for_selector(report)
        assert await page.get_attribute(report, "data-passed") == "false"
        listed = await page.eval_on_selector_all(
            f"{report} [data-artifact]", "els => els.map(e => Number(e.dataset.artifact))"
        )
        assert sorted(listed) == sorted(r["artifactId"] for r in failing)
        text = await page.inner_text(report)
        for result in failing:
            assert result["uri"] in text
            for rule in result["checks"]:
                if rule["outcome"] != "pass":
                    assert rule["message"] in text
        await shoot(page, "check")

        # WHEN a finding is clicked THEN its artifact is picked in the graph
        chosen = failing[1]
        await page.click(f"{report} [data-artifact='{chosen['artifactId']}']")
        node = f"artifact:{chosen['artifactId']}"
        await page.wait_for_function(f"() => {cy(MLOPS)}.getElementById('{node}').selected()")
        assert await page.is_checked(f"{view(MLOPS)} label:has-text('Artifacts') input")
        await page.wait_for_selector(f"{detail(MLOPS)} [data-artifact='{chosen['artifactId']}']")
        assert chosen["uri"] in await page.inner_text(detail(MLOPS))
        on_screen = await page.evaluate(
            f"""() => {{ const c = {cy(MLOPS)}; const p = c.getElementById('{node}').renderedPosition();
                 return p.x > 0 && p.y > 0 && p.x < c.width() && p.y < c.height(); }}"""
        )
        assert on_screen
        await page.screenshot(path=str(ARTIFACTS / "panel-check-artifact.png"))
        # and back to the findings
        await page.click(f"{detail(MLOPS)} button:has-text('Posture check')")
        await page.wait_for_selector(report)


async def test_panel_export_copies_mermaid_and_downloads_dot_and_openlineage(studio_lab):
    mermaid = api(studio_lab, f"export?pipeline={MLOPS}&format=mermaid")["text"]
    dot = api(studio_lab, f"export?pipeline={MLOPS}&format=dot")["text"]
    events = api(studio_lab, f"openlineage?pipeline={MLOPS}")["events"]
    async with panel_page(studio_lab, "export") as page:
        origin = studio_lab["url"].split("/jupyterlab")[0]
        await page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=origin)
        await open_lineage(page, MLOPS, 7)
        menu = f"{view(MLOPS)} .jp-SageMakerLineage-menu"
        # keyboard: the menu opens with Enter, its actions are buttons
        await page.focus(f"{menu} > summary")
        await page.keyboard.press("Enter")
        await page.wait_for_selector(f"{menu}[open] [data-export='mermaid']")
        await page.screenshot(path=str(ARTIFACTS / "panel-export-menu.png"))
        await page.click(f"{menu} [data-export='mermaid']")
        await page.wait_for_selector(f"{view(MLOPS)}[data-copied='mermaid']")
        copied = await page.evaluate("navigator.clipboard.readText()")
        assert copied == mermaid
        assert copied.startswith(f'---\ntitle: "{MLOPS} · Succeeded') and "flowchart LR" in copied
        note = await page.inner_text(f"{view(MLOPS)} .jp-SageMakerLineage-note")
        assert note.startswith("Copied a Mermaid flowchart")

        await page.click(f"{menu} > summary")
        async with page.expect_download() as download:
            await page.click(f"{menu} [data-export='dot']")
        saved = Path(await (await download.value).path()).read_text("utf-8")
        assert (await download.value).suggested_filename == f"{MLOPS}-lineage.dot"
        assert saved == dot
        svg = graphviz.Source(saved).pipe(format="svg").decode()
        assert svg.count('class="node"') == 7, "Graphviz draws every step"

        await page.click(f"{menu} > summary")
        async with page.expect_download() as download:
            await page.click(f"{menu} [data-export='openlineage']")
        saved_events = json.loads(Path(await (await download.value).path()).read_text("utf-8"))
        assert (await download.value).suggested_filename == f"{MLOPS}-openlineage.json"
        assert [e["eventType"] for e in saved_events] == [e["eventType"] for e in events]
        assert saved_events[0]["run"]["runId"] == events[0]["run"]["runId"], "stable run ids"


async def test_panel_small_graph_is_drawn_at_a_readable_size(studio_lab):
    """mlops-pipeline's 7 steps, fitted: labels at least 10.5 px on screen (they were 8 px
    with the detail pane open), at most 16 px, and the graph uses the tab's height."""
    async with panel_page(studio_lab, "readable") as page:
        await open_lineage(page, MLOPS, 7)
        measure = f"""() => {{
          const c = {cy(MLOPS)};
          const box = c.nodes().renderedBoundingBox();
          return {{
            font: parseFloat(c.getElementById('Train').renderedStyle('font-size')),
            height: box.h / c.height(),
            labels: c.container().dataset.labels,
          }};
        }}"""
        fitted = await page.evaluate(measure)
        print(f"\n{MLOPS} fitted: labels {fitted['font']:.1f} px, "
              f"graph {fitted['height']:.0%} of the canvas height")  # fmt: skip
        assert 10.5 <= fitted["font"] <= 16.01, fitted
        assert fitted["labels"] == "full"
        assert fitted["height"] >= 0.35, "the graph uses the tab's height"
        await shoot(page, "readable")

        await click_step(page, MLOPS, "Train")
        await page.wait_for_selector(f"{detail(MLOPS)} [data-step='Train']")
        await page.wait_for_timeout(300)
        narrowed = await page.evaluate(measure)
        print(f"with the detail pane open: labels {narrowed['font']:.1f} px")
        assert narrowed["font"] >= 10.5, narrowed
        on_screen = await page.evaluate(
            f"""() => {{ const c = {cy(MLOPS)}; const p = c.getElementById('Train').renderedPosition();
                 return p.x > 0 && p.x < c.width(); }}"""
        )
        assert on_screen
        await shoot(page, "readable-detail")
        label = await page.evaluate(f"() => {cy(MLOPS)}.getElementById('Train').style('color')")
        assert luminance(label) < 0.3, "light theme text on the light canvas"
