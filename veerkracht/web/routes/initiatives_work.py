"""The professionals' and administrators' side of initiatives: moderation and support,
neighbourhood budgets, matching a need to offers nearby and the HSDS download; and what both
sides share. Included by ``routes.initiatives`` before its own routes (fixed paths first).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from veerkracht.assessment.disclosure import Viewer
from veerkracht.community import budgets as budget_rules
from veerkracht.community import hsds
from veerkracht.community import initiative_status as states
from veerkracht.community import initiatives as rules
from veerkracht.community.audience import Onlooker
from veerkracht.community.initiative_checks import InitiativeRejected
from veerkracht.community.matching import (
    DEFAULT_RADIUS_M,
    need_at_address,
    need_at_unit,
    need_from_signal,
)
from veerkracht.errors import InputError, NotFound
from veerkracht.signals.service import read_signal_for
from veerkracht.storage import audit as audit_store
from veerkracht.storage.engine import Store
from veerkracht.web.deps import get_store, render
from veerkracht.web.i18n import gettext as _
from veerkracht.web.pages import initiatives as pages
from veerkracht.web.routes.auth import check_csrf, csrf_token, require_account
from veerkracht.web.routes.signals import clock
from veerkracht.web.viewer import get_viewer

router = APIRouter()
StoreDep = Annotated[Store, Depends(get_store)]
Text = Annotated[str, Form(max_length=20_000)]
Short = Annotated[str, Form(max_length=200)]
Csrf = Annotated[str, Form(alias="csrf_token", max_length=200)]


def onlooker(request: Request) -> Onlooker:
    """Who looks: the viewer of the request (residents prove nothing here: items are public)."""
    return Onlooker(viewer=get_viewer(request))


def dutch_errors(exc: InitiativeRejected) -> dict[str, str]:
    """Field → Dutch message, in the forms' order."""
    return {f: _(m) % v if v else _(m) for f, (m, v) in exc.errors.items()}


# ---- budgets --------------------------------------------------------------------------------


@router.get(
    "/initiatives/budgets",
    response_class=HTMLResponse,
    tags=["pages"],
    summary="Neighbourhood budgets",
)
def budgets_page(request: Request, store: StoreDep) -> HTMLResponse:
    """Every neighbourhood budget with what is left; administrators add budgets here."""
    page = pages.build_budget_list(store, onlooker(request))
    return render(
        request,
        "initiative_budgets.html",
        {
            "page": page,
            "nav": "initiatives",
            "csrf": csrf_token(request),
            "json_url": "/api/initiatives/budgets",
            "errors": {},
            "values": {},
        },
    )


@router.get("/api/initiatives/budgets", tags=["api"], summary="Neighbourhood budgets (JSON)")
def budgets_api(request: Request, store: StoreDep) -> dict[str, Any]:
    """JSON twin of the budgets page."""
    return pages.build_budget_list(store, onlooker(request))


@router.post(
    "/initiatives/budgets",
    response_class=HTMLResponse,
    tags=["pages"],
    summary="Add a neighbourhood budget",
)
def add_budget(
    request: Request,
    store: StoreDep,
    name: Short = "",
    area_code: Short = "",
    year: Short = "",
    amount: Short = "",
    csrf_token_field: Csrf = "",
) -> Response:
    """An administrator adds the budget of an area for a year."""
    check_csrf(request, csrf_token_field)
    require_account(request)
    values = {"name": name, "area_code": area_code, "year": year, "amount": amount}
    try:
        budget = budget_rules.create_budget(store, **values, viewer=get_viewer(request))
    except InitiativeRejected as exc:
        page = pages.build_budget_list(store, onlooker(request))
        response = render(
            request,
            "initiative_budgets.html",
            {
                "page": page,
                "nav": "initiatives",
                "csrf": csrf_token(request),
                "errors": dutch_errors(exc),
                "values": values,
            },
        )
        response.status_code = 400
        return response
    return RedirectResponse(f"/initiatives/budgets/{budget['budget_id']}", status_code=303)


@router.get(
    "/initiatives/budgets/{budget_id}",
    response_class=HTMLResponse,
    tags=["pages"],
    summary="One neighbourhood budget",
)
def budget_page(request: Request, budget_id: str, store: StoreDep) -> HTMLResponse:
    """The public record of requests and decisions of one budget, and what is left."""
    page = pages.build_budget_page(store, budget_id, onlooker(request))
    return render(
        request,
        "initiative_budget.html",
        {
            "page": page,
            "nav": "initiatives",
            "csrf": csrf_token(request),
            "json_url": f"/api/initiatives/budgets/{budget_id}",
        },
    )


@router.get("/api/initiatives/budgets/{budget_id}", tags=["api"], summary="One budget (JSON)")
def budget_api(request: Request, budget_id: str, store: StoreDep) -> dict[str, Any]:
    """JSON twin of the budget page."""
    return pages.build_budget_page(store, budget_id, onlooker(request))


@router.post(
    "/initiatives/budget-requests/{request_id}/decision",
    tags=["pages"],
    summary="Decide a budget request",
)
def decide_request(
    request: Request,
    request_id: int,
    store: StoreDep,
    decision: Short = "",
    amount_granted: Short = "",
    reason: Text = "",
    csrf_token_field: Csrf = "",
) -> Response:
    """An administrator grants, partly grants or refuses a request, with a reason."""
    check_csrf(request, csrf_token_field)
    require_account(request)
    try:
        found = budget_rules.decide(
            store,
            request_id,
            decision=decision,
            amount_granted=amount_granted or None,
            reason=reason,
            viewer=get_viewer(request),
            now=clock(request),
        )
    except InitiativeRejected as exc:
        return error_page(request, exc)
    return RedirectResponse(f"/initiatives/budgets/{found['budget_id']}", status_code=303)


# ---- HSDS download --------------------------------------------------------------------------


@router.get("/initiatives/export/hsds.json", tags=["export"], summary="HSDS 3.0 (JSON)")
def hsds_json(request: Request, store: StoreDep) -> Response:
    """Organisations, services and locations as HSDS 3.0 organisation documents."""
    data = _hsds(request, store, "json")
    import json

    return Response(
        json.dumps(hsds.organization_documents(data), ensure_ascii=False, indent=2),
        media_type="application/json",
        headers={"Content-Disposition": 'attachment; filename="hsds.json"'},
    )


@router.get("/initiatives/export/hsds.zip", tags=["export"], summary="HSDS 3.0 (CSV package)")
def hsds_zip(request: Request, store: StoreDep) -> Response:
    """The same as one CSV per table plus ``datapackage.json``, zipped."""
    data = _hsds(request, store, "csv")
    return Response(
        hsds.csv_zip(data),
        media_type="application/zip",
        headers={"Content-Disposition": 'attachment; filename="hsds.zip"'},
    )


# ---- matching -------------------------------------------------------------------------------


@router.get("/match", response_class=HTMLResponse, tags=["pages"], summary="Find offers nearby")
def match_page(
    request: Request,
    store: StoreDep,
    text: str = "",
    postcode: str = "",
    house_number: str = "",
    level: str = "",
    key: str = "",
    kind: Annotated[list[str] | None, Query()] = None,
    radius_m: float = DEFAULT_RADIUS_M,
) -> HTMLResponse:
    """For professionals: a need (text and address or unit) and the offers and places near it."""
    values = {
        "text": text,
        "postcode": postcode,
        "house_number": house_number,
        "level": level,
        "key": key,
    }
    error = None
    try:
        page = _match(request, store, values, kind, radius_m)
    except (InputError, NotFound) as exc:
        page = pages.build_match_page(store, None, onlooker(request), values=values)
        error = _("We could not use this: %(detail)s") % {"detail": str(exc)}
    response = render(
        request,
        "match.html",
        {
            "page": page,
            "error": error,
            "nav": "match",
            "json_url": "/api/match?" + request.url.query,
        },
    )
    if error:
        response.status_code = 400
    return response


@router.get("/api/match", tags=["api"], summary="Find offers nearby (JSON)")
def match_api(
    request: Request,
    store: StoreDep,
    text: str = "",
    postcode: str = "",
    house_number: str = "",
    level: str = "",
    key: str = "",
    kind: Annotated[list[str] | None, Query()] = None,
    radius_m: float = DEFAULT_RADIUS_M,
) -> dict[str, Any]:
    """JSON twin of the match page."""
    values = {
        "text": text,
        "postcode": postcode,
        "house_number": house_number,
        "level": level,
        "key": key,
    }
    return _match(request, store, values, kind, radius_m)


@router.get(
    "/signals/{signal_id}/match",
    response_class=HTMLResponse,
    tags=["pages"],
    summary="Offers nearby for an idea or offer",
)
def signal_match_page(
    request: Request,
    signal_id: str,
    store: StoreDep,
    kind: Annotated[list[str] | None, Query()] = None,
    radius_m: float = DEFAULT_RADIUS_M,
) -> HTMLResponse:
    """The offers and places near a signal of kind "idee of aanbod"."""
    page = _signal_match(request, store, signal_id, kind, radius_m)
    return render(
        request,
        "match.html",
        {
            "page": page,
            "error": None,
            "nav": "worklist",
            "json_url": f"/api/signals/{signal_id}/match",
        },
    )


@router.get("/api/signals/{signal_id}/match", tags=["api"], summary="Offers nearby (JSON)")
def signal_match_api(
    request: Request,
    signal_id: str,
    store: StoreDep,
    kind: Annotated[list[str] | None, Query()] = None,
    radius_m: float = DEFAULT_RADIUS_M,
) -> dict[str, Any]:
    """JSON twin of the signal's match page."""
    return _signal_match(request, store, signal_id, kind, radius_m)


# ---- moderation and support --------------------------------------------------------------


@router.post("/initiatives/{initiative_id}/moderate", tags=["pages"], summary="Moderate")
def moderate(
    request: Request,
    initiative_id: str,
    store: StoreDep,
    decision: Short = "",
    note: Text = "",
    csrf_token_field: Csrf = "",
) -> Response:
    """A professional in scope approves a proposal (public from then on) or refuses it."""
    viewer = _professional_post(request, csrf_token_field)
    return _done(
        request,
        initiative_id,
        lambda: rules.moderate(
            store,
            initiative_id,
            approve=decision == "approve",
            viewer=viewer,
            note=note,
            now=clock(request),
        ),
    )


@router.post("/initiatives/{initiative_id}/support", tags=["pages"], summary="Offer support")
def offer_support(
    request: Request,
    initiative_id: str,
    store: StoreDep,
    text: Text = "",
    csrf_token_field: Csrf = "",
) -> Response:
    """A professional in scope offers support on behalf of their organisation (public)."""
    viewer = _professional_post(request, csrf_token_field)
    organisation = require_account(request).organisation_id
    return _done(
        request,
        initiative_id,
        lambda: rules.offer_support(
            store,
            initiative_id,
            viewer=viewer,
            organisation_id=organisation,
            text=text,
            now=clock(request),
        ),
    )


@router.post("/initiatives/{initiative_id}/status", tags=["pages"], summary="Stop or finish")
def change_status(
    request: Request,
    initiative_id: str,
    store: StoreDep,
    to_status: Short = "",
    note: Text = "",
    csrf_token_field: Csrf = "",
) -> Response:
    """A professional in scope stops an initiative or marks it done (the transition table)."""
    viewer = _professional_post(request, csrf_token_field)

    def act() -> Any:
        row = rules.read_visible(store, initiative_id, Onlooker(viewer=viewer))
        if not rules.can_moderate(viewer, row):
            raise states.ProfessionalsOnly(f"{viewer.role} may not change {initiative_id}")
        return rules.change_status(
            store,
            initiative_id,
            to_status,
            actor=states.Actor.PROFESSIONAL,
            author=viewer.name or viewer.role,
            note=note or None,
            now=clock(request),
        )

    return _done(request, initiative_id, act)


# ---- helpers --------------------------------------------------------------------------------


def _professional_post(request: Request, csrf: str) -> Viewer:
    check_csrf(request, csrf)
    require_account(request)
    return get_viewer(request)


def _done(request: Request, initiative_id: str, act: Callable[[], Any]) -> Response:
    try:
        act()
    except InitiativeRejected as exc:
        return error_page(request, exc)
    return RedirectResponse(f"/initiatives/{initiative_id}", status_code=303)


def _match(
    request: Request, store: Store, values: dict[str, Any], kinds: list[str] | None, radius_m: float
) -> dict[str, Any]:
    _require_professional(request)
    text = str(values.get("text") or "").strip()[:2000]
    need = None
    if values.get("postcode") or values.get("house_number"):
        number = str(values.get("house_number") or "").strip()
        if not number.isdigit():
            raise InputError(f'house number "{number}" is not a number', field="house_number")
        need = need_at_address(store, str(values["postcode"]), int(number), text)
    elif values.get("level") and values.get("key"):
        need = need_at_unit(store, str(values["level"]), str(values["key"]), text)
    return pages.build_match_page(
        store, need, onlooker(request), kinds=kinds, radius_m=radius_m, values=values
    )


def _signal_match(
    request: Request, store: Store, signal_id: str, kinds: list[str] | None, radius_m: float
) -> dict[str, Any]:
    account = _require_professional(request)
    signal = read_signal_for(store, account, signal_id, now=clock(request))
    return pages.build_match_page(
        store,
        need_from_signal(signal),
        onlooker(request),
        kinds=kinds,
        radius_m=radius_m,
        signal_id=signal_id,
    )


def _require_professional(request: Request) -> Any:
    account = require_account(request)
    if account.role.value not in ("professional", "admin"):
        raise states.ProfessionalsOnly(f"{account.role.value} may not use matching")
    return account


def _hsds(request: Request, store: Store, kind: str) -> hsds.HsdsExport:
    account = _require_professional(request)
    data = hsds.export_hsds(store)
    audit_store.append_audit(
        store,
        actor=account.username,
        action="export",
        record_type="hsds",
        record_ids=["*"],
        now=clock(request),
        detail=f"{kind}: {data.counts()}",
    )
    return data


def error_page(request: Request, exc: InitiativeRejected) -> Response:
    text = " ".join(dutch_errors(exc).values())
    response: Response = request.app.state.templates.TemplateResponse(
        request,
        "error.html",
        {"status": 400, "title": _("That did not work"), "text": text},
        status_code=400,
    )
    return response


def rejected(exc: InitiativeRejected) -> JSONResponse:
    return JSONResponse(
        {"error": "InitiativeRejected", "status": 400, "errors": dutch_errors(exc)}, status_code=400
    )
