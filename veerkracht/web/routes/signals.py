"""Residents' side of signals: the intake form and API, the personal follow link, verification,
address search and the nearby hint. ``install_signals`` wires sessions, routers and errors.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from starlette.middleware.sessions import SessionMiddleware

from veerkracht.settings import Settings
from veerkracht.signals.accounts import LoginLimiter
from veerkracht.signals.errors import IntakeRejected, SignalError
from veerkracht.signals.intake import Intake, submit_signal
from veerkracht.signals.mail import Mailer
from veerkracht.signals.service import follow, nearby, verify_contact
from veerkracht.signals.settings import SignalSettings
from veerkracht.signals.tokens import new_token
from veerkracht.signals.workflow import REPORTER, Change, change_signal
from veerkracht.storage import signals as signal_store
from veerkracht.storage.engine import Store
from veerkracht.web.deps import get_settings, get_store, render
from veerkracht.web.i18n import gettext as _
from veerkracht.web.pages.signals import (
    build_follow_page,
    build_intake_form,
    category_tree,
    translate_errors,
)
from veerkracht.web.routes.auth import (
    SESSION_COOKIE,
    check_csrf,
    csrf_token,
    current_account,
    signal_settings,
)

router = APIRouter()
#: Largest request body read for a form (photo plus text).
MAX_FORM_BYTES = 6_000_000


def install_signals(
    app: FastAPI, settings: Settings, signal_config: SignalSettings | None = None
) -> None:
    """Sessions (signed HttpOnly SameSite=Lax cookie), the signal routers and their errors."""
    from veerkracht.web.routes import auth, open311, signals_work

    config = signal_config or SignalSettings()
    app.state.signal_settings = config
    app.state.login_limiter = LoginLimiter(
        max_failures=config.login_max_failures, window_s=config.login_window_s
    )
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        session_cookie=SESSION_COOKIE,
        max_age=int(config.session_hours * 3600),
        same_site="lax",
        https_only=config.cookie_secure,
    )
    for module in (auth, router_module(), signals_work, open311):
        app.include_router(module.router)
    app.add_exception_handler(SignalError, _handle_signal_error)
    templates = app.state.templates
    templates.env.globals["current_account"] = current_account
    templates.env.globals["csrf_token"] = csrf_token


def router_module() -> Any:
    import sys

    return sys.modules[__name__]


def now() -> datetime:
    """The clock of the web layer (tests replace ``app.state.clock``)."""
    return datetime.now().replace(microsecond=0)


def clock(request: Request) -> datetime:
    custom = getattr(request.app.state, "clock", None)
    return custom() if custom is not None else now()


@router.get("/signals/new", response_class=HTMLResponse, tags=["pages"], summary="Report a signal")
def intake_page(request: Request, category: str | None = None) -> HTMLResponse:
    """The intake form: what, where, optional photo and contact; no account needed."""
    page = build_intake_form(values={"category": category}, errors={}, submission_key=new_token())
    return render(
        request, "signal_new.html", {**page, "csrf": csrf_token(request), "nav": "report"}
    )


@router.post("/signals", response_class=HTMLResponse, tags=["pages"], summary="Submit a signal")
def submit_form(
    request: Request,
    store: Annotated[Store, Depends(get_store)],
    settings: Annotated[Settings, Depends(get_settings)],
    category: Annotated[str, Form(max_length=200)] = "",
    description: Annotated[str, Form(max_length=20_000)] = "",
    address: Annotated[str, Form(max_length=2000)] = "",
    dwelling_id: Annotated[str, Form(max_length=200)] = "",
    lat: Annotated[str, Form(max_length=200)] = "",
    long: Annotated[str, Form(max_length=200)] = "",
    contact_name: Annotated[str, Form(max_length=2000)] = "",
    contact_email: Annotated[str, Form(max_length=2000)] = "",
    contact_phone: Annotated[str, Form(max_length=2000)] = "",
    submission_key: Annotated[str, Form(max_length=200)] = "",
    csrf_token_field: Annotated[str, Form(alias="csrf_token", max_length=200)] = "",
    photo: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Store the signal once (a retried POST gives the same receipt) and show the receipt."""
    check_csrf(request, csrf_token_field)
    config = signal_settings(request)
    data = photo.file.read(config.signal_photo_max_bytes + 1) if photo and photo.filename else None
    intake = Intake(
        category=category or None,
        description=description,
        address=address or None,
        dwelling_id=dwelling_id or None,
        lat=lat or None,
        long=long or None,
        contact_name=contact_name or None,
        contact_email=contact_email or None,
        contact_phone=contact_phone or None,
        photo=data or None,
        submission_key=submission_key or None,
        source="web",
    )
    try:
        receipt = _submit(request, store, settings, intake)
    except IntakeRejected as exc:
        values = {
            "category": category,
            "description": description,
            "address": address,
            "dwelling_id": dwelling_id,
            "contact_name": contact_name,
            "contact_email": contact_email,
            "contact_phone": contact_phone,
        }
        page = build_intake_form(
            values=values,
            errors=translate_errors(exc.errors),
            submission_key=submission_key or new_token(),
        )
        response = render(
            request, "signal_new.html", {**page, "csrf": csrf_token(request), "nav": "report"}
        )
        response.status_code = 400
        return response
    return RedirectResponse(f"/signals/follow/{receipt.follow_token}?received=1", status_code=303)


class SignalIn(BaseModel):
    """A signal submitted through the API (place: dwelling_id, address or lat/long)."""

    category: str = Field(max_length=40, description="Category code, see /api/signal-categories")
    description: str = Field(max_length=2000)
    dwelling_id: str | None = Field(default=None, max_length=40)
    address: str | None = Field(default=None, max_length=200, description="e.g. Lindenstraat 12")
    lat: float | None = None
    long: float | None = None
    contact_name: str | None = Field(default=None, max_length=100)
    contact_email: str | None = Field(default=None, max_length=254)
    contact_phone: str | None = Field(default=None, max_length=30)
    submission_key: str | None = Field(default=None, max_length=64, description="Idempotency key")


@router.post("/api/signals", tags=["api"], summary="Submit a signal", status_code=201)
def submit_api(
    request: Request,
    body: SignalIn,
    store: Annotated[Store, Depends(get_store)],
    settings: Annotated[Settings, Depends(get_settings)],
) -> JSONResponse:
    """Store a signal once per ``submission_key``; returns the reference and the personal link."""
    intake = Intake(**body.model_dump(), source="api")
    try:
        receipt = _submit(request, store, settings, intake)
    except IntakeRejected as exc:
        return JSONResponse(
            {"error": "IntakeRejected", "status": 400, "errors": translate_errors(exc.errors)},
            status_code=400,
        )
    return JSONResponse(
        {
            "signal_id": receipt.signal_id,
            "follow_url": f"/signals/follow/{receipt.follow_token}",
            "created": receipt.created,
            "category": receipt.category,
        },
        status_code=201 if receipt.created else 200,
    )


@router.get(
    "/signals/follow/{token}",
    response_class=HTMLResponse,
    tags=["pages"],
    summary="Follow a signal",
)
def follow_page(
    request: Request,
    token: str,
    store: Annotated[Store, Depends(get_store)],
    received: int = 0,
    verified: int = 0,
) -> HTMLResponse:
    """The reporter's personal link: state and public history; reopen or answer from here."""
    page = build_follow_page(store, token, base_url=str(request.base_url).rstrip("/"))
    return render(
        request,
        "signal_follow.html",
        {
            **page,
            "received": bool(received),
            "verified": bool(verified),
            "csrf": csrf_token(request),
            "json_url": f"/api/signals/follow/{token}",
        },
    )


@router.get("/api/signals/follow/{token}", tags=["api"], summary="Follow a signal (JSON)")
def follow_api(
    request: Request, token: str, store: Annotated[Store, Depends(get_store)]
) -> dict[str, Any]:
    """JSON twin of the follow page."""
    return build_follow_page(store, token, base_url=str(request.base_url).rstrip("/"))


@router.post("/signals/follow/{token}", tags=["pages"], summary="Reopen or answer")
def follow_action(
    request: Request,
    token: str,
    store: Annotated[Store, Depends(get_store)],
    to_state: Annotated[str, Form(max_length=40)] = "",
    note: Annotated[str, Form(max_length=20_000)] = "",
    csrf_token_field: Annotated[str, Form(alias="csrf_token", max_length=200)] = "",
) -> Response:
    """The reporter reopens a closed signal or answers a question (transition table decides)."""
    check_csrf(request, csrf_token_field)
    signal, _history = follow(store, token)
    change_signal(
        store,
        signal["signal_id"],
        Change(action="transition", to_state=to_state, note=note, public=True),
        by=REPORTER,
        now=clock(request),
    )
    return RedirectResponse(f"/signals/follow/{token}", status_code=303)


@router.get("/signals/verify/{token}", tags=["pages"], summary="Confirm an e-mail address")
def verify(request: Request, token: str, store: Annotated[Store, Depends(get_store)]) -> Response:
    """The link in the verification e-mail: marks the address verified, then shows the signal."""
    signal = verify_contact(store, token, now=clock(request))
    follow_token = _follow_token_of(request, signal)
    return RedirectResponse(f"/signals/follow/{follow_token}?verified=1", status_code=303)


@router.get("/api/signal-categories", tags=["api"], summary="The category tree")
def categories() -> list[dict[str, Any]]:
    """Groups and categories with Dutch labels; ``person`` marks a worry about a person."""
    return category_tree()


@router.get("/api/addresses", tags=["api"], summary="Search addresses")
def addresses(
    store: Annotated[Store, Depends(get_store)],
    q: Annotated[
        str, Query(min_length=2, max_length=100, description="Street and number, e.g. Linden 12")
    ],
) -> dict[str, Any]:
    """Addresses of the store matching a street prefix and optional house number (at most 10)."""
    from veerkracht.signals.intake import address_label

    parts = q.strip().rsplit(" ", 1)
    number = int(parts[1]) if len(parts) == 2 and parts[1].isdigit() else None
    street = parts[0] if number is not None else q.strip()
    found = signal_store.find_addresses(store, street, number, limit=10)
    return {
        "addresses": [{"dwelling_id": a["dwelling_id"], "label": address_label(a)} for a in found]
    }


@router.get("/api/signals/nearby", tags=["api"], summary="Open signals nearby")
def nearby_api(
    store: Annotated[Store, Depends(get_store)],
    category: Annotated[str, Query(max_length=40)],
    dwelling_id: Annotated[str, Query(max_length=40)],
) -> dict[str, Any]:
    """How many open signals of this category are in the same block and street (never worries)."""
    return nearby(store, category=category, dwelling_id=dwelling_id)


def _submit(request: Request, store: Store, settings: Settings, intake: Intake) -> Any:
    config = signal_settings(request)
    receipt = submit_signal(
        store,
        intake,
        secret=settings.secret_key,
        workspace=settings.workspace,
        now=clock(request),
        photo_max_bytes=config.signal_photo_max_bytes,
    )
    if receipt.created and receipt.verify_token and receipt.contact_email:
        Mailer(config).send_verification(
            to=receipt.contact_email,
            signal_id=receipt.signal_id,
            verify_token=receipt.verify_token,
            follow_token=receipt.follow_token,
        )
    return receipt


def _follow_token_of(request: Request, signal: dict[str, Any]) -> str:
    from veerkracht.signals.tokens import follow_token

    settings: Settings = request.app.state.settings
    return follow_token(settings.secret_key, signal["submission_key"])


async def _handle_signal_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, SignalError)
    text = _(exc.msgid) % exc.values if exc.values else _(exc.msgid)
    path = request.url.path
    if (
        exc.http_status == 401
        and not path.startswith(("/api/", "/open311/"))
        and request.method == "GET"
    ):
        return RedirectResponse(f"/login?next={path}", status_code=303)
    if path.startswith(("/api/", "/open311/")) or path.endswith(
        (".json", ".geojson", ".csv", ".xml")
    ):
        return JSONResponse(
            {
                "error": type(exc).__name__,
                "detail": str(exc),
                "status": exc.http_status,
                "message_nl": text,
            },
            status_code=exc.http_status,
        )
    response: Response = request.app.state.templates.TemplateResponse(
        request,
        "error.html",
        {"status": exc.http_status, "title": _("That did not work"), "text": text},
        status_code=exc.http_status,
    )
    return response
