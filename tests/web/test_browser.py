"""What a person sees: the start page, the level switch and a block page in headless Chromium.

Runs a real uvicorn server on a free loopback port over a Demostad workspace and drives Debian's
chromium through Playwright. Screenshots go to test-artifacts/ (not committed).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.signals.web import live_server
from veerkracht.settings import Settings

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

#: Headless flags for Debian's chromium; WebGL runs on SwiftShader through ANGLE.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--use-angle=swiftshader",
    "--enable-unsafe-swiftshader",
]


@pytest.fixture(scope="module")
def base_url(web_settings: Settings) -> Iterator[str]:
    """A real uvicorn server in a background thread, stopped after the module."""
    with live_server(web_settings) as url:
        yield url


def test_start_page_level_switch_and_block_page(base_url: str, chromium_path: str) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    ARTIFACTS.mkdir(exist_ok=True)
    outside: list[str] = []
    errors: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True
        )
        page = browser.new_page(viewport={"width": 1400, "height": 900}, locale="nl-NL")
        page.on("request", lambda r: _note_outside(r.url, base_url, outside))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        try:
            # The start page: map of the district (WebGL) and the list beside it.
            page.goto(base_url + "/")
            page.wait_for_selector("#map[data-ready=true]", timeout=20_000)
            assert page.locator("#map canvas.maplibregl-canvas").count() == 1
            assert int(page.get_attribute("#map", "data-features") or 0) > 50
            assert page.locator("#map-message").is_hidden()
            blocks = page.locator("#unit-list > li").count()
            page.wait_for_timeout(500)  # let the last frame paint
            page.screenshot(path=str(ARTIFACTS / "start.png"))

            # Keyboard: the first Tab reaches the skip link.
            page.keyboard.press("Tab")
            assert page.evaluate("document.activeElement.className") == "skip-link"

            # Switch level: the list and the map layer reload without leaving the page.
            page.click("label[for=level-entrance]")
            page.wait_for_function("document.body.dataset.level === 'entrance'", timeout=20_000)
            assert page.locator("[data-list-plural]").inner_text() == "portieken"
            entrances = page.locator("#unit-list > li").count()
            assert entrances > blocks
            assert int(page.get_attribute("#map", "data-features") or 0) == entrances
            assert page.url.endswith("/?level=entrance")
            page.screenshot(path=str(ARTIFACTS / "start-entrances.png"))

            # The search box filters the list.
            page.fill("#list-filter", "Kersenboomstraat")
            visible = page.locator("#unit-list > li:visible").count()
            assert 0 < visible < entrances
            assert "plaatsen gevonden" in page.locator("#list-filter-status").inner_text()

            # Clicking a unit on the map opens its page (buurten cover the map's centre).
            page.fill("#list-filter", "")
            page.click("label[for=level-neighbourhood]")
            page.wait_for_function("document.body.dataset.level === 'neighbourhood'")
            box = page.locator("#map canvas").bounding_box()
            assert box is not None
            page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            page.wait_for_url(re.compile(r"/units/neighbourhood/"), timeout=10_000)
            assert page.locator("h1 .level-tag").inner_text().lower() == "buurt"

            # A block page: breadcrumb, figures, its entrances, a small map.
            page.goto(base_url + "/?level=block")
            page.locator("#unit-list a").nth(3).click()
            page.wait_for_url(re.compile(r"/units/block/"))
            page.wait_for_selector("#unit-map[data-ready=true]", timeout=20_000)
            crumbs = page.locator(".breadcrumb li").all_inner_texts()
            assert [c.split()[0] for c in crumbs] == ["gemeente", "wijk", "buurt", "straat", "blok"]
            assert page.get_by_role("heading", name="Wat er is (draagkracht)").is_visible()
            assert page.get_by_role(
                "heading", name=re.compile(r"Portieken in dit blok")
            ).is_visible()
            assert "Bron: Demostad (fictief)" in page.locator(".sources").inner_text()
            page.wait_for_timeout(500)
            page.screenshot(path=str(ARTIFACTS / "block.png"), full_page=True)
        finally:
            browser.close()
    assert outside == [], "the pages fetched something from outside the server"
    assert errors == []


def _note_outside(url: str, base_url: str, outside: list[str]) -> None:
    if not (url.startswith(base_url) or url.startswith(("blob:", "data:"))):
        outside.append(url)
