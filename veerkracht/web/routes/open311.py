"""Open311 GeoReport v2 (services and requests, JSON and XML) for the non-sensitive categories.

A worry about a person is not a service here: it cannot be submitted, listed or looked up.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import JSONResponse, Response

from veerkracht.domain.signals import BY_CODE, CLOSED_STATES
from veerkracht.errors import NotFound
from veerkracht.settings import Settings
from veerkracht.signals.errors import IntakeRejected
from veerkracht.signals.intake import Intake, submit_signal
from veerkracht.signals.open311 import public_services, request_view, service_view, to_xml
from veerkracht.storage import accounts as account_store
from veerkracht.storage import signals as signal_store
from veerkracht.storage.engine import Store
from veerkracht.web.deps import get_settings, get_store
from veerkracht.web.i18n import gettext as _
from veerkracht.web.pages.signals import translate_errors
from veerkracht.web.routes.auth import signal_settings
from veerkracht.web.routes.signals import clock

router = APIRouter(prefix="/open311/v2", tags=["open311"])
Format = Literal["json", "xml"]
StoreDep = Annotated[Store, Depends(get_store)]


@router.get("/services.{fmt}", summary="GeoReport v2: service list")
def services(fmt: Format) -> Response:
    """Every category except the worry about a person."""
    items = [service_view(c, _) for c in public_services()]
    return _answer(fmt, "services", "service", items)


@router.get("/services/{code}.{fmt}", summary="GeoReport v2: service definition")
def service_definition(code: str, fmt: Format) -> Response:
    """A service's definition (no extra attributes)."""
    _public_category(code)
    item = {"service_code": code, "attributes": []}
    if fmt == "xml":
        return Response(
            to_xml("service_definition", "service", [{"service_code": code}]), media_type="text/xml"
        )
    return JSONResponse(item)


@router.get("/requests.{fmt}", summary="GeoReport v2: requests")
def requests(
    fmt: Format,
    store: StoreDep,
    service_code: Annotated[str | None, Query(max_length=200)] = None,
    status: Annotated[Literal["open", "closed"] | None, Query()] = None,
    service_request_id: Annotated[str | None, Query(max_length=2000)] = None,
) -> Response:
    """Requests of public categories, newest first (at most 1000)."""
    rows = signal_store.read_signals(store, person=False)
    if service_code:
        codes = set(service_code.split(","))
        rows = [r for r in rows if r["category"] in codes]
    if status:
        rows = [r for r in rows if (r["status"] in CLOSED_STATES) == (status == "closed")]
    if service_request_id:
        ids = set(service_request_id.split(","))
        rows = [r for r in rows if r["signal_id"] in ids]
    teams = account_store.read_teams(store)
    items = [
        _view(store, r, teams)
        for r in rows
        if r["category"] in BY_CODE and BY_CODE[r["category"]].public
    ]
    return _answer(fmt, "service_requests", "request", items)


@router.get("/requests/{request_id}.{fmt}", summary="GeoReport v2: one request")
def one_request(request_id: str, fmt: Format, store: StoreDep) -> Response:
    """One request of a public category; a worry about a person is 'not found'."""
    row = signal_store.read_signal(store, request_id)
    if row is None or row["category"] not in BY_CODE or not BY_CODE[row["category"]].public:
        raise NotFound("no such request")
    return _answer(
        fmt, "service_requests", "request", [_view(store, row, account_store.read_teams(store))]
    )


@router.post("/requests.{fmt}", summary="GeoReport v2: create a request")
def create_request(
    request: Request,
    fmt: Format,
    store: StoreDep,
    settings: Annotated[Settings, Depends(get_settings)],
    service_code: Annotated[str, Form(max_length=200)],
    description: Annotated[str, Form(max_length=20_000)] = "",
    lat: Annotated[str, Form(max_length=50)] = "",
    long: Annotated[str, Form(max_length=50)] = "",
    address_string: Annotated[str, Form(max_length=2000)] = "",
    email: Annotated[str, Form(max_length=2000)] = "",
    first_name: Annotated[str, Form(max_length=2000)] = "",
    last_name: Annotated[str, Form(max_length=2000)] = "",
    phone: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Create a request of a public category (a worry about a person goes through the form)."""
    if service_code not in BY_CODE or not BY_CODE[service_code].public:
        return _error(
            fmt,
            400,
            f'service_code "{service_code}" is not one of '
            + ", ".join(c.code for c in public_services()),
        )
    name = " ".join(p for p in (first_name, last_name) if p) or None
    intake = Intake(
        category=service_code,
        description=description,
        address=address_string or None,
        lat=lat or None,
        long=long or None,
        contact_name=name,
        contact_email=email or None,
        contact_phone=phone or None,
        source="open311",
    )
    try:
        receipt = submit_signal(
            store,
            intake,
            secret=settings.secret_key,
            workspace=settings.workspace,
            now=clock(request),
            photo_max_bytes=signal_settings(request).signal_photo_max_bytes,
        )
    except IntakeRejected as exc:
        return _error(
            fmt, 400, "; ".join(f"{k}: {v}" for k, v in translate_errors(exc.errors).items())
        )
    item = {
        "service_request_id": receipt.signal_id,
        "service_notice": _("Thank you. We received your report."),
        "account_id": None,
    }
    return _answer(fmt, "service_requests", "request", [item], status=201)


def _view(store: Store, row: dict[str, Any], teams: dict[str, str]) -> dict[str, Any]:
    notes = [
        h["note"]
        for h in signal_store.read_history(store, row["signal_id"], public_only=True)
        if h["note"]
    ]
    return request_view(row, teams=teams, notes=notes, translate=_)


def _public_category(code: str) -> None:
    if code not in BY_CODE or not BY_CODE[code].public:
        raise NotFound(f'no service "{code}"')


def _answer(
    fmt: str, root: str, item: str, items: list[dict[str, Any]], status: int = 200
) -> Response:
    if fmt == "xml":
        return Response(to_xml(root, item, items), media_type="text/xml", status_code=status)
    return JSONResponse(items, status_code=status)


def _error(fmt: str, status: int, text: str) -> Response:
    items = [{"code": status, "description": text}]
    if fmt == "xml":
        return Response(to_xml("errors", "error", items), media_type="text/xml", status_code=status)
    return JSONResponse(items, status_code=status)
