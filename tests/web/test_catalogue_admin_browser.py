"""What an administrator sees when editing an intervention, in headless Chromium: the error next
to the field, nothing saved, then the corrected entry on its page."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from tests.signals.web import live_server
from tests.web.test_browser import ARTIFACTS, CHROMIUM_ARGS
from veerkracht.domain.accounts import Account, Role
from veerkracht.settings import Settings
from veerkracht.signals.accounts import add_account
from veerkracht.storage import intervention_catalogue as overrides
from veerkracht.storage import open_store

pytestmark = pytest.mark.browser

PASSWORD = "een-lang-wachtwoord-2026"


@pytest.fixture
def settings_with_admin(tmp_path: Path) -> Settings:
    settings = Settings(workspace=tmp_path, secret_key="s" * 40)
    store = open_store(settings.store_url)
    account = Account(username="beheerder", role=Role.ADMIN, display_name="Beheerder")
    add_account(store, account, PASSWORD, now=datetime(2026, 3, 2, 10, 0))
    store.dispose()
    return settings


def test_an_administrator_fixes_a_bad_field(
    settings_with_admin: Settings, chromium_path: str
) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    ARTIFACTS.mkdir(exist_ok=True)
    errors: list[str] = []
    with live_server(settings_with_admin) as base, sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True
        )
        page = browser.new_page(viewport={"width": 1200, "height": 900}, locale="nl-NL")
        page.on("pageerror", lambda e: errors.append(str(e)))
        try:
            page.goto(base + "/login")
            page.fill("#username", "beheerder")
            page.fill("#password", PASSWORD)
            page.press("#password", "Enter")
            page.wait_for_url(lambda url: "/login" not in url)

            page.goto(base + "/interventions/catalogue/opzoomeren")
            page.click("#edit-form")
            page.fill("#goal", "x")
            page.click("#save-entry")
            summary = page.locator("#error-summary")
            assert summary.is_visible()
            assert 'Doel, veld "goal": moet minstens 3 tekens hebben' in summary.inner_text()
            assert page.get_attribute("#goal", "aria-invalid") == "true"
            assert "error-goal" in (page.get_attribute("#goal", "aria-describedby") or "")
            assert 'veld "goal"' in page.locator("#error-goal").inner_text()
            page.screenshot(path=str(ARTIFACTS / "catalogue-edit-error.png"))
            store = open_store(settings_with_admin.store_url)
            try:
                assert overrides.read_overrides(store) == []
            finally:
                store.dispose()

            page.fill("#goal", "Buren houden samen hun straat schoon en leren elkaar kennen.")
            page.click("#save-entry")
            page.wait_for_url(base + "/interventions/catalogue/opzoomeren")
            assert "Buren houden samen hun straat schoon" in page.locator("main").inner_text()
            assert "aangepast in de app" in page.locator("main").inner_text().lower()
        finally:
            browser.close()
    assert errors == []
