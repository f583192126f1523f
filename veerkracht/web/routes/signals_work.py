"""Professionals' side of signals: worklist and map, one signal, its changes, photo, export."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from veerkracht.domain.accounts import Account
from veerkracht.errors import InputError
from veerkracht.settings import Settings
from veerkracht.signals.errors import SignalError
from veerkracht.signals.mail import Mailer
from veerkracht.signals.photos import photo_folder
from veerkracht.signals.service import export_csv, export_geojson, exportable, read_signal_for
from veerkracht.signals.tokens import follow_token
from veerkracht.signals.workflow import Change, change_signal
from veerkracht.storage import audit as audit_store
from veerkracht.storage.engine import Store
from veerkracht.web.deps import get_settings, get_store, render
from veerkracht.web.i18n import gettext as _
from veerkracht.web.pages.signals_work import build_signal_page, build_worklist, worklist_geojson
from veerkracht.web.routes.auth import check_csrf, csrf_token, require_account, signal_settings
from veerkracht.web.routes.signals import clock

router = APIRouter()
Me = Annotated[Account, Depends(require_account)]
StoreDep = Annotated[Store, Depends(get_store)]


@router.get("/worklist", response_class=HTMLResponse, tags=["pages"], summary="My worklist")
def worklist_page(request: Request, me: Me, store: StoreDep, closed: int = 0) -> HTMLResponse:
    """The signals routed to my team or to me, with a map; JSON twin ``/api/worklist``."""
    page = build_worklist(store, me, now=clock(request), include_closed=bool(closed))
    return render(
        request,
        "worklist.html",
        {
            "page": page,
            "nav": "worklist",
            "csrf": csrf_token(request),
            "json_url": "/api/worklist" + ("?closed=1" if closed else ""),
        },
    )


@router.get("/api/worklist", tags=["api"], summary="My worklist (JSON or GeoJSON)")
def worklist_api(
    request: Request,
    me: Me,
    store: StoreDep,
    closed: int = 0,
    format: Literal["json", "geojson"] = "json",
) -> Any:
    """JSON twin of the worklist; ``format=geojson`` gives its map points in WGS84."""
    page = build_worklist(store, me, now=clock(request), include_closed=bool(closed))
    if format == "geojson":
        return JSONResponse(worklist_geojson(page), media_type="application/geo+json")
    return page


@router.get("/signals/export.csv", tags=["export"], summary="Export signals as CSV")
def export_signals_csv(request: Request, me: Me, store: StoreDep) -> Response:
    """Non-sensitive signals within my scope (no contact details, never a worry about a person)."""
    rows = exportable(store, me)
    _log_export(store, me, request, len(rows), "csv")
    return Response(
        export_csv(rows),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="signalen.csv"'},
    )


@router.get("/signals/export.geojson", tags=["export"], summary="Export signals as GeoJSON")
def export_signals_geojson(request: Request, me: Me, store: StoreDep) -> Response:
    """The same as the CSV export, as GeoJSON points in WGS84."""
    rows = exportable(store, me)
    _log_export(store, me, request, len(rows), "geojson")
    return Response(
        json.dumps(export_geojson(rows), ensure_ascii=False),
        media_type="application/geo+json",
        headers={"Content-Disposition": 'attachment; filename="signalen.geojson"'},
    )


@router.get(
    "/signals/{signal_id}", response_class=HTMLResponse, tags=["pages"], summary="One signal"
)
def signal_page(request: Request, signal_id: str, me: Me, store: StoreDep) -> HTMLResponse:
    """A signal with its history and what I can do next (reading a worry is logged)."""
    page = build_signal_page(store, me, signal_id, now=clock(request))
    return render(
        request,
        "signal.html",
        {
            "page": page,
            "nav": "worklist",
            "csrf": csrf_token(request),
            "json_url": f"/api/signals/{signal_id}",
        },
    )


@router.get("/api/signals/{signal_id}", tags=["api"], summary="One signal (JSON)")
def signal_api(request: Request, signal_id: str, me: Me, store: StoreDep) -> dict[str, Any]:
    """JSON twin of the signal page."""
    return build_signal_page(store, me, signal_id, now=clock(request))


@router.get("/signals/{signal_id}/photo", tags=["pages"], summary="The photo of a signal")
def signal_photo(
    request: Request,
    signal_id: str,
    me: Me,
    store: StoreDep,
    settings: Annotated[Settings, Depends(get_settings)],
) -> Response:
    """The reporter's photo, for those who may see the signal."""
    signal = read_signal_for(store, me, signal_id, now=clock(request))
    if not signal.get("photo"):
        raise InputError("this signal has no photo")
    path = photo_folder(settings.workspace) / signal["photo"]
    return FileResponse(
        path, headers={"Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"}
    )


@router.post("/signals/{signal_id}/changes", tags=["pages"], summary="Change a signal")
def change_form(
    request: Request,
    signal_id: str,
    me: Me,
    store: StoreDep,
    action: Annotated[str, Form(max_length=20)] = "",
    to_state: Annotated[str, Form(max_length=40)] = "",
    note: Annotated[str, Form(max_length=20_000)] = "",
    public: Annotated[str, Form(max_length=10)] = "",
    team_id: Annotated[str, Form(max_length=40)] = "",
    assignee: Annotated[str, Form(max_length=40)] = "",
    duplicate_of: Annotated[str, Form(max_length=60)] = "",
    categories: Annotated[list[str] | None, Form()] = None,
    csrf_token_field: Annotated[str, Form(alias="csrf_token", max_length=200)] = "",
) -> Response:
    """One change through the one door; back to the signal page, or the page with the reason."""
    check_csrf(request, csrf_token_field)
    change = Change(
        action=action,  # type: ignore[arg-type]
        to_state=to_state or None,
        note=note or None,
        public=bool(public),
        team_id=team_id or None,
        assignee=assignee or None,
        duplicate_of=duplicate_of or None,
        split_categories=tuple(categories or ()),
    )
    try:
        _change(request, store, me, signal_id, change)
    except (SignalError, InputError) as exc:
        page = build_signal_page(store, me, signal_id, now=clock(request))
        message = _(exc.msgid) % exc.values if isinstance(exc, SignalError) else str(exc)
        response = render(
            request,
            "signal.html",
            {"page": page, "nav": "worklist", "csrf": csrf_token(request), "error": message},
        )
        response.status_code = getattr(exc, "http_status", 400)
        return response
    return RedirectResponse(f"/signals/{signal_id}", status_code=303)


class ChangeIn(BaseModel):
    """A change of a signal through the API (send the session's X-CSRF-Token header)."""

    action: Literal["transition", "note", "assign", "link", "split"]
    to_state: str | None = Field(default=None, max_length=40)
    note: str | None = Field(default=None, max_length=2000)
    public: bool = False
    team_id: str | None = Field(default=None, max_length=40)
    assignee: str | None = Field(default=None, max_length=40)
    duplicate_of: str | None = Field(default=None, max_length=60)
    split_categories: list[str] = Field(default_factory=list, max_length=5)


@router.post("/api/signals/{signal_id}/changes", tags=["api"], summary="Change a signal (JSON)")
def change_api(
    request: Request, signal_id: str, body: ChangeIn, me: Me, store: StoreDep
) -> dict[str, Any]:
    """The same door as the form; answers the signal as it is now."""
    check_csrf(request, None)
    data = body.model_dump()
    data["split_categories"] = tuple(data["split_categories"])
    _change(request, store, me, signal_id, Change(**data))
    return build_signal_page(store, me, signal_id, now=clock(request))


def _change(
    request: Request, store: Store, me: Account, signal_id: str, change: Change
) -> dict[str, Any]:
    settings: Settings = request.app.state.settings
    mailer = Mailer(signal_settings(request))

    def notify(signal: dict[str, Any], row: dict[str, Any]) -> None:
        token = (
            follow_token(settings.secret_key, signal["submission_key"])
            if signal.get("submission_key")
            else None
        )
        mailer.send_status(signal, row, follow_token=token)

    return change_signal(store, signal_id, change, by=me, now=clock(request), notify=notify)


def _log_export(store: Store, me: Account, request: Request, count: int, kind: str) -> None:
    audit_store.append_audit(
        store,
        actor=me.username,
        action="export",
        record_type="signals",
        record_ids=["*"],
        now=clock(request),
        detail=f"{kind}: {count} signals",
    )
