"""The widget's Risks view and "Copy as Mermaid" as a user meets them: JupyterLab and the
demo notebook in Debian's headless chromium.

GIVEN ``%lineage mlops-pipeline`` drawn in JupyterLab, WHEN the user presses "Risks (3)",
THEN the steps on the risk paths are marked red and the rest fades, and the paths are
listed; WHEN the user presses "Copy as Mermaid", THEN the clipboard holds the Mermaid
flowchart of the graph. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

from browser.test_lab_ui import ARTIFACTS, CY, chromium_page, draw

RISK_RED = "rgb(229,57,53)"


def node_style(step: str, prop: str) -> str:
    return f"() => {CY}.nodes().filter(n => n.data('ref') === '{step}')[0].style('{prop}')"


async def test_browser_risks_highlight_and_copy_as_mermaid(demo_lab):
    async with chromium_page("risks") as page:
        await page.context.grant_permissions(
            ["clipboard-read", "clipboard-write"], origin=demo_lab["url"].rstrip("/")
        )
        await draw(page, demo_lab, "mlops-pipeline", "=== 7")
        await page.wait_for_timeout(2000)  # the widget lays out again at 0.4 s and 1.5 s
        await page.click("button:has-text('Risks (3)')")
        await page.wait_for_selector(".lineage-risks", timeout=20_000)
        await page.wait_for_function(
            f"() => ({node_style('Train', 'underlay-color')})().replace(/ /g, '') === '{RISK_RED}'",
            timeout=20_000,
        )
        await page.wait_for_timeout(800)
        await page.screenshot(path=str(ARTIFACTS / "widget-risks.png"), full_page=True)
        assert float(await page.evaluate(node_style("MSEFail", "opacity"))) < 0.5
        assert float(await page.evaluate(node_style("Train", "opacity"))) == 1
        listed = await page.inner_text(".lineage-risks")
        assert listed.startswith("3 risk paths")
        assert "abalone-models v2" in listed

        await page.click("button.lineage-copy-mermaid")
        await page.wait_for_selector(
            "button.lineage-copy-mermaid:has-text('Copied')", timeout=10_000
        )
        copied = await page.evaluate("navigator.clipboard.readText()")
        assert copied.startswith('---\ntitle: "mlops-pipeline · Succeeded')
        assert "flowchart LR" in copied and "RegisterAbalone-RegisterModel" in copied
        assert not page.errors, page.errors
