# ruff: noqa: F811  (fixtures imported from tests.signals are redefined as parameters)
"""In headless Chromium, with the keyboard only: report a signal and follow it via its link."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.signals.web import live_server, signals_web_settings  # noqa: F401
from tests.web.test_browser import ARTIFACTS, CHROMIUM_ARGS
from veerkracht.settings import Settings

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(signals_web_settings: Settings) -> Iterator[str]:  # noqa: F811
    with live_server(signals_web_settings) as base_url:
        yield base_url


def _tab_to(page, element_id: str, limit: int = 60) -> None:  # type: ignore[no-untyped-def]
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
    raise AssertionError(f"Tab never reached #{element_id}")


def test_report_with_the_keyboard_only_and_follow_the_personal_link(
    server: str, chromium_path: str
) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    ARTIFACTS.mkdir(exist_ok=True)
    errors: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True
        )
        page = browser.new_page(viewport={"width": 1200, "height": 900}, locale="nl-NL")
        page.on("pageerror", lambda e: errors.append(str(e)))
        try:
            page.goto(server + "/signals/new")
            assert page.get_by_role("heading", name="Is het dringend?").is_visible()
            assert "Veilig Thuis, 0800-2000" in page.content() and "0800-1205" in page.content()

            _tab_to(page, "category-overlast_geluid")
            page.keyboard.press("ArrowDown")  # radios move with the arrow keys
            page.keyboard.press("ArrowUp")
            assert page.is_checked("#category-overlast_geluid")
            _tab_to(page, "description")
            page.keyboard.type("Elke nacht harde bas uit de portiek <b>hard</b>")
            _tab_to(page, "address")
            page.keyboard.type("Kersenboomstraat 3")
            _tab_to(page, "submit-signal")
            page.keyboard.press("Enter")
            # markup in the text is refused with a message linked to its field
            page.wait_for_selector("#error-summary")
            assert page.evaluate("document.activeElement.id") == "error-summary"
            assert "Laat code zoals <script> of HTML-tags weg." in page.inner_text("#error-summary")
            _tab_to(page, "description")
            page.keyboard.press("Control+A")
            page.keyboard.type("Elke nacht harde bas uit de portiek")
            _tab_to(page, "submit-signal")
            page.keyboard.press("Enter")

            page.wait_for_selector("#receipt")
            assert "Bedankt, we hebben uw melding ontvangen" in page.inner_text("#receipt")
            link = page.get_attribute("#follow-link", "href") or ""
            assert "/signals/follow/" in link
            page.screenshot(path=str(ARTIFACTS / "signal-receipt.png"), full_page=True)

            # follow the personal link, still with the keyboard
            _tab_to(page, "follow-link")
            page.keyboard.press("Enter")
            page.wait_for_url(link)
            assert page.inner_text("#signal-status") == "Ontvangen"
            assert "Elke nacht harde bas uit de portiek" in page.content()
            page.screenshot(path=str(ARTIFACTS / "signal-follow.png"), full_page=True)
            # and again later, in a fresh browser context that knows nothing but the link
            other = browser.new_context(locale="nl-NL").new_page()
            other.goto(link)
            assert other.inner_text("#signal-status") == "Ontvangen"
        finally:
            browser.close()
    assert errors == []
