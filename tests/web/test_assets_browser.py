"""In headless Chromium: add an offer with the keyboard only, and a block page opening with
"Wat is hier" (its screenshot is docs/img/what-is-here.png)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.signals.web import live_server
from tests.web.test_browser import ARTIFACTS, CHROMIUM_ARGS
from veerkracht.pipeline import run_demo, store_for
from veerkracht.settings import Settings
from veerkracht.storage.assets import read_assets
from veerkracht.storage.units import read_dwellings_of

pytestmark = pytest.mark.browser

DOCS_IMAGE = Path(__file__).resolve().parents[2] / "docs" / "img" / "what-is-here.png"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    settings = Settings(workspace=tmp_path_factory.mktemp("assets-browser"), secret_key="b" * 40)
    run_demo(settings, seed=1, dwellings=6000)
    return settings


@pytest.fixture(scope="module")
def server(workspace: Settings) -> Iterator[str]:
    with live_server(workspace) as base_url:
        yield base_url


def _tab_to(page, element_id: str, limit: int = 60) -> None:  # type: ignore[no-untyped-def]
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
    raise AssertionError(f"Tab never reached #{element_id}")


def _busiest_block(settings: Settings) -> tuple[str, dict[str, str]]:
    """The block with the most approved public items, and an address in it."""
    store = store_for(settings)
    try:
        items = read_assets(store)
        public = items[(items["status"] == "approved") & (items["visibility"] == "public")]
        block = str(public.groupby("block_key").size().sort_values().index[-1])
        address = read_dwellings_of(store, "block_key", block).iloc[0]
    finally:
        store.dispose()
    return block, {"postcode": str(address["postcode"]), "number": str(address["house_number"])}


def test_add_an_offer_with_the_keyboard_and_see_what_is_here_first(
    server: str, workspace: Settings, chromium_path: str
) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    ARTIFACTS.mkdir(exist_ok=True)
    block, home = _busiest_block(workspace)
    errors: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True
        )
        page = browser.new_page(viewport={"width": 1200, "height": 900}, locale="nl-NL")
        page.on("pageerror", lambda e: errors.append(str(e)))
        try:
            page.goto(server + "/assets/new")
            assert page.get_by_role("heading", name="Zet uw aanbod of een plek erbij").is_visible()
            _tab_to(page, "kind-gift")
            page.keyboard.press("Space")
            assert page.is_checked("#kind-gift")
            _tab_to(page, "title")
            page.keyboard.type("Ik lees voor aan kinderen")
            _tab_to(page, "first_name")
            page.keyboard.type("Sanne Jansen")
            _tab_to(page, "postcode")
            page.keyboard.type(home["postcode"])
            _tab_to(page, "submit-asset")
            page.keyboard.press("Enter")
            # the missing house number and consent are named, and focus goes to the summary
            page.wait_for_selector("#error-summary")
            assert page.evaluate("document.activeElement.id") == "error-summary"
            summary = page.inner_text("#error-summary")
            assert "Schrijf een huisnummer" in summary and "Zet een vinkje" in summary
            _tab_to(page, "house_number")
            page.keyboard.type(home["number"])
            _tab_to(page, "consent")
            page.keyboard.press("Space")
            _tab_to(page, "submit-asset")
            page.keyboard.press("Enter")

            page.wait_for_selector("#receipt")
            assert "Bedankt, we hebben het ontvangen" in page.inner_text("#receipt")
            assert page.inner_text("#asset-status") == "Wacht op goedkeuring"
            assert "Sanne" in page.content() and "Jansen" not in page.content()
            page.screenshot(path=str(ARTIFACTS / "asset-receipt.png"), full_page=True)
            _tab_to(page, "action-withdraw")  # the buttons are reachable too

            page.goto(f"{server}/units/block/{block}")
            page.wait_for_selector("#what-is-here")
            here = page.locator("#what-is-here").bounding_box()
            figures = page.locator(".figure-group").first.bounding_box()
            assert here is not None and figures is not None and here["y"] < figures["y"]
            assert page.get_by_role("heading", name="Wat is hier").is_visible()
            assert page.locator("#what-is-here .asset-list li").count() >= 1
            assert "Ik lees voor aan kinderen" not in page.content()  # still pending
            page.wait_for_timeout(300)
            page.screenshot(path=str(DOCS_IMAGE))
            page.screenshot(path=str(ARTIFACTS / "what-is-here.png"), full_page=True)
        finally:
            browser.close()
    assert errors == []
