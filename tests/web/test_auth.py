# ruff: noqa: F811  (fixtures imported from tests.signals are redefined as parameters)
"""Accounts and sessions: argon2 hashes, signed HttpOnly SameSite cookies, CSRF, rate limits."""

from __future__ import annotations

import re

import pytest

from tests.signals.web import PASSWORDS, log_in, new_client, signals_web_settings  # noqa: F401
from veerkracht.settings import Settings
from veerkracht.signals.accounts import LoginLimiter
from veerkracht.signals.errors import TooManyAttempts
from veerkracht.signals.passwords import hash_password, verify_password
from veerkracht.storage import open_store
from veerkracht.storage.accounts import read_account


def test_passwords_are_argon2id_hashes(signals_web_settings: Settings) -> None:  # noqa: F811
    store = open_store(signals_web_settings.store_url)
    try:
        found = read_account(store, "welzijn")
    finally:
        store.dispose()
    assert found is not None
    assert found[1].startswith("$argon2id$") and PASSWORDS["welzijn"] not in found[1]
    assert verify_password(found[1], PASSWORDS["welzijn"])
    assert not verify_password(found[1], "wrong password")
    assert not verify_password(None, "anything")
    assert hash_password("same") != hash_password("same")  # salted


def test_login_sets_a_signed_httponly_samesite_cookie_and_logout_ends_it(
    signals_web_settings: Settings,  # noqa: F811
) -> None:
    with new_client(signals_web_settings) as client:
        assert (
            client.get("/worklist", follow_redirects=False).headers["location"]
            == "/login?next=/worklist"
        )
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)  # type: ignore[union-attr]
        response = client.post(
            "/login",
            data={"username": "beheer", "password": PASSWORDS["beheer"], "csrf_token": csrf},
            follow_redirects=False,
        )
        cookie = response.headers["set-cookie"].lower()
        assert response.status_code == 303 and "veerkracht_session=" in cookie
        assert "httponly" in cookie and "samesite=lax" in cookie and "secure" not in cookie
        page = client.get("/worklist")
        assert page.status_code == 200 and "Petra (sociaal beheerder)" in page.text
        assert client.get("/api/me").json()["account"]["role"] == "professional"
        # a tampered cookie is no session at all
        value = client.cookies.get("veerkracht_session") or ""
        client.cookies.set("veerkracht_session", value[:-3] + "abc")
        assert client.get("/api/me").json() == {"account": None}
        client.cookies.clear()
        log_in(client, "beheer")
        csrf = client.get("/api/me").json()["csrf_token"]
        assert (
            client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False).status_code
            == 303
        )
        assert client.get("/api/me").json() == {"account": None}


def test_every_form_post_needs_the_csrf_token(signals_web_settings: Settings) -> None:  # noqa: F811
    with new_client(signals_web_settings) as client:
        client.get("/signals/new")
        posts = [
            ("/login", {"username": "beheer", "password": PASSWORDS["beheer"]}),
            (
                "/signals",
                {
                    "category": "overlast_geluid",
                    "description": "Lawaai van de buren",
                    "address": "Kersenboomstraat 3",
                },
            ),
            ("/logout", {}),
            ("/signals/follow/abc", {"to_state": "heropend"}),
        ]
        for path, data in posts:
            response = client.post(
                path, data={**data, "csrf_token": "forged"}, follow_redirects=False
            )
            assert response.status_code == 403, path
            assert "formulier is verlopen" in response.text
        log_in(client, "beheer")
        api = client.post("/api/signals/M-X/changes", json={"action": "note", "note": "x"})
        assert api.status_code == 403


def test_login_is_rate_limited(signals_web_settings: Settings) -> None:  # noqa: F811
    with new_client(signals_web_settings) as client:
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)  # type: ignore[union-attr]
        codes = [
            client.post(
                "/login", data={"username": "gebied", "password": f"guess {i}", "csrf_token": csrf}
            ).status_code
            for i in range(6)
        ]
        assert codes == [401] * 5 + [429]
        blocked = client.post(
            "/login",
            data={"username": "gebied", "password": PASSWORDS["gebied"], "csrf_token": csrf},
        )
        assert blocked.status_code == 429 and "Te vaak geprobeerd" in blocked.text


def test_the_limiter_forgets_after_the_window() -> None:
    now = [0.0]
    limiter = LoginLimiter(max_failures=2, window_s=60, clock=lambda: now[0])
    limiter.fail("user:a")
    limiter.fail("user:a")
    with pytest.raises(TooManyAttempts):
        limiter.check("user:a")
    limiter.check("user:b")
    now[0] = 61
    limiter.check("user:a")
