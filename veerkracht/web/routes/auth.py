"""Logging in and out; the session (signed HttpOnly SameSite=Lax cookie) and CSRF tokens.

Every form that POSTs carries ``csrf_token`` (a per-session random value) and every POST
handler calls ``check_csrf``; JSON calls with a session send it as ``X-CSRF-Token``.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from veerkracht.domain.accounts import Account
from veerkracht.signals.accounts import LoginLimiter, authenticate, load_account
from veerkracht.signals.errors import LoginRefused, SignalError, TooManyAttempts
from veerkracht.signals.settings import SignalSettings
from veerkracht.storage.engine import Store
from veerkracht.web.deps import get_store, render
from veerkracht.web.i18n import gettext as _

router = APIRouter()

SESSION_COOKIE = "veerkracht_session"
CSRF_HEADER = "X-CSRF-Token"


class LoginRequired(SignalError):
    """A page or call for logged-in people only."""

    http_status = 401
    msgid = "Log in to see this page."


class CsrfRefused(SignalError):
    """A POST without the session's CSRF token."""

    http_status = 403
    msgid = "This form has expired. Go back, reload the page and try again."


def current_account(request: Request) -> Account | None:
    """The logged-in, active account of this request, or None (read once per request)."""
    try:
        cached: Account | None = request.state.account
        return cached
    except AttributeError:
        pass
    store: Store = request.app.state.store
    username = request.session.get("user") if "session" in request.scope else None
    account = load_account(store, username)
    request.state.account = account
    return account


def require_account(request: Request) -> Account:
    """The logged-in account; Forbidden (with a login hint) when nobody is logged in."""
    account = current_account(request)
    if account is None:
        raise LoginRequired("log in first")
    return account


def csrf_token(request: Request) -> str:
    """This session's CSRF token (created on first use)."""
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return str(token)


def check_csrf(request: Request, submitted: str | None) -> None:
    """CsrfRefused unless ``submitted`` (form field or header) equals the session's token."""
    expected = request.session.get("csrf")
    given = submitted or request.headers.get(CSRF_HEADER) or ""
    if not expected or not secrets.compare_digest(str(expected), given):
        raise CsrfRefused("CSRF token missing or wrong")


def signal_settings(request: Request) -> SignalSettings:
    settings: SignalSettings = request.app.state.signal_settings
    return settings


@router.get("/login", response_class=HTMLResponse, tags=["pages"], summary="Log in")
def login_page(request: Request, next: str = "/worklist") -> HTMLResponse:
    """The login form for professionals, analysts and administrators."""
    return _login_form(request, next_url=_safe_next(next))


@router.post("/login", response_class=HTMLResponse, tags=["pages"], summary="Log in")
def login(
    request: Request,
    store: Annotated[Store, Depends(get_store)],
    username: Annotated[str, Form(max_length=100)] = "",
    password: Annotated[str, Form(max_length=200)] = "",
    csrf_token: Annotated[str, Form(max_length=100)] = "",
    next: Annotated[str, Form(max_length=300)] = "/worklist",
) -> Response:
    """Check the password (rate-limited per account and per address) and start a session."""
    check_csrf(request, csrf_token)
    limiter: LoginLimiter = request.app.state.login_limiter
    keys = (
        f"user:{username.strip().lower()}",
        f"ip:{request.client.host if request.client else '-'}",
    )
    try:
        limiter.check(*keys)
        account = authenticate(store, username, password)
    except LoginRefused as exc:
        limiter.fail(*keys)
        return _login_form(
            request, next_url=_safe_next(next), error=exc, status=401, username=username
        )
    except TooManyAttempts as exc:
        return _login_form(
            request, next_url=_safe_next(next), error=exc, status=429, username=username
        )
    limiter.succeed(keys[0])
    request.session.clear()  # a new session on login (no fixation)
    request.session["user"] = account.username
    request.session["since"] = datetime.now().isoformat(timespec="seconds")
    csrf_token_new = secrets.token_urlsafe(32)
    request.session["csrf"] = csrf_token_new
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout", tags=["pages"], summary="Log out")
def logout(request: Request, csrf_token: Annotated[str, Form(max_length=100)] = "") -> Response:
    """End the session."""
    check_csrf(request, csrf_token)
    request.session.clear()
    return RedirectResponse("/", status_code=303)


@router.get("/api/me", tags=["api"], summary="Who is logged in")
def me(request: Request) -> dict[str, Any]:
    """The logged-in account (no secrets) and the CSRF token for JSON calls; null when nobody."""
    account = current_account(request)
    if account is None:
        return {"account": None}
    return {
        "account": {
            "username": account.username,
            "role": account.role.value,
            "display_name": account.display_name,
            "team_id": account.team_id,
            "organisation_id": account.organisation_id,
            "profession": account.profession,
            "scope": sorted(account.scope),
        },
        "csrf_token": csrf_token(request),
    }


def _login_form(
    request: Request,
    *,
    next_url: str,
    error: SignalError | None = None,
    status: int = 200,
    username: str = "",
) -> HTMLResponse:
    message = _(error.msgid) % error.values if error is not None else None
    response = render(
        request,
        "login.html",
        {"next_url": next_url, "error": message, "username": username, "nav": "login"},
    )
    response.status_code = status
    return response


def _safe_next(url: str) -> str:
    """Only local paths: never redirect to another site after login."""
    if not url.startswith("/") or url.startswith("//") or "\\" in url:
        return "/worklist"
    return url
