"""Initiatives on the web: the list and map, proposing, one initiative, joining, and the
personal links of owners and supporters (no account needed). Professionals' and administrators'
routes (moderation, budgets, matching, HSDS) live in ``initiatives_work`` and are included first,
so their fixed paths come before ``/initiatives/{initiative_id}``. Every page has a JSON twin
under ``/api/`` built by the same page-data builder.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from veerkracht.community import budgets as budget_rules
from veerkracht.community import initiative_status as states
from veerkracht.community import initiatives as rules
from veerkracht.community.initiative_checks import InitiativeRejected
from veerkracht.errors import NotFound
from veerkracht.settings import Settings
from veerkracht.signals.tokens import new_token
from veerkracht.storage.engine import Store
from veerkracht.web.deps import get_settings, get_store, render
from veerkracht.web.pages import initiatives as pages
from veerkracht.web.routes import initiatives_work as work
from veerkracht.web.routes.auth import check_csrf, csrf_token
from veerkracht.web.routes.initiatives_work import dutch_errors, onlooker, rejected
from veerkracht.web.routes.signals import clock

router = APIRouter()
router.include_router(work.router)  # fixed paths before /initiatives/{initiative_id}
StoreDep = Annotated[Store, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
Text = Annotated[str, Form(max_length=20_000)]
Short = Annotated[str, Form(max_length=200)]
Csrf = Annotated[str, Form(alias="csrf_token", max_length=200)]
OWNED, SUPPORTED = "initiatives_owned", "initiatives_supported"


# ---- list, map and proposing ----------------------------------------------------------------


@router.get("/initiatives", response_class=HTMLResponse, tags=["pages"], summary="Initiatives")
def list_page(request: Request, store: StoreDep, area: str | None = None) -> HTMLResponse:
    """Initiatives of residents per buurt, on a map and in a list; JSON: ``/api/initiatives``."""
    page = pages.build_initiative_list(store, onlooker(request), area=area)
    suffix = f"?area={area}" if area else ""
    return render(
        request,
        "initiatives.html",
        {"page": page, "nav": "initiatives", "json_url": f"/api/initiatives{suffix}"},
    )


@router.get("/api/initiatives", tags=["api"], summary="Initiatives (JSON or GeoJSON)")
def list_api(
    request: Request,
    store: StoreDep,
    area: str | None = None,
    format: Literal["json", "geojson"] = "json",
) -> Any:
    """JSON twin of the list; ``format=geojson`` gives the map points in WGS84."""
    page = pages.build_initiative_list(store, onlooker(request), area=area)
    if format == "geojson":
        return JSONResponse(pages.list_geojson(page), media_type="application/geo+json")
    return page


@router.get(
    "/initiatives/new", response_class=HTMLResponse, tags=["pages"], summary="Propose an initiative"
)
def new_page(request: Request) -> HTMLResponse:
    """The form: what you want to do, what is needed, your first name and your block or street."""
    return _new_form(request, values={"level": "block"}, errors={})


@router.post(
    "/initiatives", response_class=HTMLResponse, tags=["pages"], summary="Propose an initiative"
)
def propose_form(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    title: Text = "",
    description: Text = "",
    needs: Text = "",
    first_name: Text = "",
    postcode: Short = "",
    house_number: Short = "",
    level: Short = "block",
    email: Text = "",
    submission_key: Short = "",
    csrf_token_field: Csrf = "",
) -> Response:
    """Store the proposal once and open the owner's personal page."""
    check_csrf(request, csrf_token_field)
    values = {
        "title": title,
        "description": description,
        "needs": needs,
        "first_name": first_name,
        "postcode": postcode,
        "house_number": house_number,
        "level": level,
        "email": email,
    }
    proposal = rules.Proposal(**values, submission_key=submission_key or None)
    try:
        receipt = rules.propose(store, proposal, secret=settings.secret_key, now=clock(request))
    except InitiativeRejected as exc:
        return _new_form(
            request,
            values=values,
            errors=dutch_errors(exc),
            status=400,
            submission_key=submission_key,
        )
    _remember(request, OWNED, receipt.initiative_id, "owner")
    return RedirectResponse(f"/initiatives/mine/{receipt.token}?created=1", status_code=303)


class ProposalIn(BaseModel):
    """A proposal through the API; the place is the block or street of postcode + number."""

    title: str = Field(max_length=120)
    description: str = Field(max_length=2000)
    needs: str | None = Field(default=None, max_length=1000)
    first_name: str = Field(max_length=40)
    postcode: str = Field(max_length=10, description="e.g. 1234 AB")
    house_number: str = Field(max_length=10, description="e.g. 12 or 12A")
    level: Literal["block", "street"] = "block"
    email: str | None = Field(default=None, max_length=254)
    submission_key: str | None = Field(default=None, max_length=64, description="Idempotency key")


@router.post("/api/initiatives", tags=["api"], summary="Propose an initiative", status_code=201)
def propose_api(
    request: Request, body: ProposalIn, store: StoreDep, settings: SettingsDep
) -> JSONResponse:
    """Store a proposal once per ``submission_key``; returns the owner's personal link."""
    try:
        receipt = rules.propose(
            store,
            rules.Proposal(**body.model_dump()),
            secret=settings.secret_key,
            now=clock(request),
        )
    except InitiativeRejected as exc:
        return rejected(exc)
    return JSONResponse(
        {
            "initiative_id": receipt.initiative_id,
            "created": receipt.created,
            "owner_url": f"/initiatives/mine/{receipt.token}",
        },
        status_code=201 if receipt.created else 200,
    )


# ---- personal links -------------------------------------------------------------------------


@router.get(
    "/initiatives/mine/{token}",
    response_class=HTMLResponse,
    tags=["pages"],
    summary="My initiative",
)
def owner_page(request: Request, token: str, store: StoreDep, created: int = 0) -> HTMLResponse:
    """The owner's personal page: edit, post news, link places, ask for budget, close."""
    page = pages.build_owner_page(store, token)
    return render(
        request,
        "initiative_mine.html",
        {
            "page": page,
            "created": bool(created),
            "csrf": csrf_token(request),
            "json_url": f"/api/initiatives/mine/{token}",
            "errors": {},
        },
    )


@router.get("/api/initiatives/mine/{token}", tags=["api"], summary="My initiative (JSON)")
def owner_api(token: str, store: StoreDep) -> dict[str, Any]:
    """JSON twin of the owner's page."""
    return pages.build_owner_page(store, token)


@router.post("/initiatives/mine/{token}/{action}", tags=["pages"], summary="Change my initiative")
def owner_action(
    request: Request,
    token: str,
    action: str,
    store: StoreDep,
    title: Text = "",
    description: Text = "",
    needs: Text = "",
    text: Text = "",
    to_status: Short = "",
    note: Text = "",
    asset_id: Short = "",
    budget_id: Short = "",
    amount: Short = "",
    purpose: Text = "",
    csrf_token_field: Csrf = "",
) -> Response:
    """One owner action: ``edit``, ``update``, ``status``, ``link``, ``unlink`` or ``budget``."""
    check_csrf(request, csrf_token_field)
    fields = {
        "title": title,
        "description": description,
        "needs": needs,
        "text": text,
        "to_status": to_status,
        "note": note,
        "asset_id": asset_id,
        "budget_id": budget_id,
        "amount": amount,
        "purpose": purpose,
    }
    try:
        _owner_act(store, token, action, fields, request)
    except InitiativeRejected as exc:
        page = pages.build_owner_page(store, token)
        response = render(
            request,
            "initiative_mine.html",
            {
                "page": page,
                "created": False,
                "csrf": csrf_token(request),
                "errors": dutch_errors(exc),
                "values": fields,
                "action": action,
            },
        )
        response.status_code = 400
        return response
    return RedirectResponse(f"/initiatives/mine/{token}", status_code=303)


class OwnerActionIn(BaseModel):
    """An owner's action through the API (the personal link is the authority)."""

    title: str = Field(default="", max_length=120)
    description: str = Field(default="", max_length=2000)
    needs: str = Field(default="", max_length=1000)
    text: str = Field(default="", max_length=2000)
    to_status: str = Field(default="", max_length=20)
    note: str = Field(default="", max_length=2000)
    asset_id: str = Field(default="", max_length=60)
    budget_id: str = Field(default="", max_length=60)
    amount: str = Field(default="", max_length=20)
    purpose: str = Field(default="", max_length=1000)


@router.post(
    "/api/initiatives/mine/{token}/{action}", tags=["api"], summary="Change my initiative (JSON)"
)
def owner_action_api(
    request: Request, token: str, action: str, body: OwnerActionIn, store: StoreDep
) -> Any:
    """The same actions as the owner's forms; answers the owner's page as it is now."""
    try:
        _owner_act(store, token, action, body.model_dump(), request)
    except InitiativeRejected as exc:
        return rejected(exc)
    return pages.build_owner_page(store, token)


@router.get(
    "/initiatives/support/{token}",
    response_class=HTMLResponse,
    tags=["pages"],
    summary="My support",
)
def supporter_page(request: Request, token: str, store: StoreDep, joined: int = 0) -> HTMLResponse:
    """A supporter's personal page, with a button to withdraw."""
    page = pages.build_supporter_page(store, token)
    return render(
        request,
        "initiative_support.html",
        {
            "page": page,
            "joined": bool(joined),
            "csrf": csrf_token(request),
            "json_url": f"/api/initiatives/support/{token}",
        },
    )


@router.get("/api/initiatives/support/{token}", tags=["api"], summary="My support (JSON)")
def supporter_api(token: str, store: StoreDep) -> dict[str, Any]:
    """JSON twin of the supporter's page."""
    return pages.build_supporter_page(store, token)


@router.post("/initiatives/support/{token}/withdraw", tags=["pages"], summary="Withdraw support")
def withdraw(
    request: Request, token: str, store: StoreDep, csrf_token_field: Csrf = ""
) -> Response:
    """The supporter withdraws; the public count goes down by one."""
    check_csrf(request, csrf_token_field)
    rules.withdraw_support(store, token, now=clock(request))
    return RedirectResponse(f"/initiatives/support/{token}", status_code=303)


# ---- one initiative (after the fixed paths above) -------------------------------------------


@router.get(
    "/initiatives/{initiative_id}",
    response_class=HTMLResponse,
    tags=["pages"],
    summary="One initiative",
)
def initiative_page(request: Request, initiative_id: str, store: StoreDep) -> HTMLResponse:
    """An initiative: what, where, status, news, number of supporters and budget decisions."""
    page = pages.build_initiative_page(store, initiative_id, onlooker(request), now=clock(request))
    return render(
        request,
        "initiative.html",
        {
            "page": page,
            "nav": "initiatives",
            "csrf": csrf_token(request),
            "json_url": f"/api/initiatives/{initiative_id}",
        },
    )


@router.get("/api/initiatives/{initiative_id}", tags=["api"], summary="One initiative (JSON)")
def initiative_api(request: Request, initiative_id: str, store: StoreDep) -> dict[str, Any]:
    """JSON twin of the initiative page."""
    return pages.build_initiative_page(store, initiative_id, onlooker(request), now=clock(request))


@router.get(
    "/initiatives/{initiative_id}/join",
    response_class=HTMLResponse,
    tags=["pages"],
    summary="Join an initiative",
)
def join_page(request: Request, initiative_id: str, store: StoreDep) -> HTMLResponse:
    """One click and a first name: join as a neighbour."""
    page = pages.build_initiative_page(store, initiative_id, onlooker(request), now=clock(request))
    return _join_form(request, page, errors={}, values={})


@router.post(
    "/initiatives/{initiative_id}/join",
    response_class=HTMLResponse,
    tags=["pages"],
    summary="Join an initiative",
)
def join_form(
    request: Request,
    initiative_id: str,
    store: StoreDep,
    settings: SettingsDep,
    first_name: Short = "",
    submission_key: Short = "",
    csrf_token_field: Csrf = "",
) -> Response:
    """Join once; the supporter gets a personal link to withdraw."""
    check_csrf(request, csrf_token_field)
    _refuse_second_join(request, store, settings, initiative_id, submission_key)
    try:
        receipt = rules.join(
            store,
            initiative_id,
            first_name=first_name,
            submission_key=submission_key or None,
            secret=settings.secret_key,
            now=clock(request),
        )
    except InitiativeRejected as exc:
        page = pages.build_initiative_page(
            store, initiative_id, onlooker(request), now=clock(request)
        )
        return _join_form(
            request, page, errors=dutch_errors(exc), values={"first_name": first_name}, status=400
        )
    _remember(request, SUPPORTED, initiative_id, receipt.token)
    return RedirectResponse(f"/initiatives/support/{receipt.token}?joined=1", status_code=303)


class JoinIn(BaseModel):
    """Joining through the API."""

    first_name: str = Field(max_length=40)
    submission_key: str | None = Field(default=None, max_length=64, description="Idempotency key")


@router.post(
    "/api/initiatives/{initiative_id}/join", tags=["api"], summary="Join (JSON)", status_code=201
)
def join_api(
    request: Request, initiative_id: str, body: JoinIn, store: StoreDep, settings: SettingsDep
) -> JSONResponse:
    """Join once per ``submission_key``; returns the supporter's personal link."""
    try:
        receipt = rules.join(
            store,
            initiative_id,
            first_name=body.first_name,
            submission_key=body.submission_key,
            secret=settings.secret_key,
            now=clock(request),
        )
    except InitiativeRejected as exc:
        return rejected(exc)
    page = pages.build_supporter_page(store, receipt.token)
    return JSONResponse(
        {
            "support_url": f"/initiatives/support/{receipt.token}",
            "created": receipt.created,
            "activated": receipt.activated,
            "supporters": page["initiative"]["supporters"],
            "status": page["initiative"]["status"],
        },
        status_code=201 if receipt.created else 200,
    )


# ---- helpers --------------------------------------------------------------------------------


def _owner_act(store: Store, token: str, action: str, f: dict[str, Any], request: Request) -> None:
    now = clock(request)
    if action == "edit":
        rules.edit(
            store, token, title=f["title"], description=f["description"], needs=f["needs"], now=now
        )
    elif action == "update":
        rules.post_update(store, token, f["text"], now=now)
    elif action == "status":
        rules.close(store, token, f["to_status"], note=f["note"], now=now)
    elif action == "link":
        rules.link_asset(store, token, f["asset_id"], now=now)
    elif action == "unlink":
        rules.unlink_asset(store, token, f["asset_id"], now=now)
    elif action == "budget":
        budget_rules.request_budget(
            store,
            token,
            budget_id=f["budget_id"],
            amount=f["amount"],
            purpose=f["purpose"],
            now=now,
        )
    else:
        raise NotFound(f'no action "{action}"; use edit, update, status, link, unlink or budget')


def _refuse_second_join(
    request: Request, store: Store, settings: Settings, initiative_id: str, key: str
) -> None:
    """One supporter per browser: a second join is refused (a retried POST is not)."""
    if initiative_id in request.session.get(OWNED, {}):
        raise states.OwnInitiative(f"owner of {initiative_id}")
    token = request.session.get(SUPPORTED, {}).get(initiative_id)
    if not token:
        return
    retry = key and rules.link_token(settings.secret_key, f"support:{initiative_id}", key) == token
    try:
        supporter, _row = rules.read_support(store, token)
    except NotFound:
        return
    if supporter["withdrawn_at"] is None and not retry:
        raise states.AlreadyJoined(f"already supports {initiative_id}")


def _remember(request: Request, name: str, initiative_id: str, value: str) -> None:
    known = dict(request.session.get(name, {}))
    known[initiative_id] = value
    request.session[name] = dict(list(known.items())[-50:])


def _new_form(
    request: Request,
    *,
    values: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
    submission_key: str = "",
) -> HTMLResponse:
    response = render(
        request,
        "initiative_new.html",
        {
            "values": values,
            "errors": errors,
            "csrf": csrf_token(request),
            "submission_key": submission_key or new_token(),
            "nav": "initiatives",
        },
    )
    response.status_code = status
    return response


def _join_form(
    request: Request,
    page: dict[str, Any],
    *,
    errors: dict[str, str],
    values: dict[str, Any],
    status: int = 200,
) -> HTMLResponse:
    iid = page["initiative"]["initiative_id"]
    response = render(
        request,
        "initiative_join.html",
        {
            "page": page,
            "errors": errors,
            "values": values,
            "csrf": csrf_token(request),
            "submission_key": new_token(),
            "owner": iid in request.session.get(OWNED, {}),
            "supporting": request.session.get(SUPPORTED, {}).get(iid),
            "nav": "initiatives",
            "json_url": f"/api/initiatives/{iid}",
        },
    )
    response.status_code = status
    return response
