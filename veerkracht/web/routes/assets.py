"""Assets on the web: the add form (no account), the personal link, moderation, adding on
behalf, the list of a unit and its map layer. Every page has a JSON twin under /api/.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from veerkracht.assessment.disclosure import Viewer
from veerkracht.community.assets import (
    RESIDENT,
    asset_for_link,
    change_asset,
    submit_asset,
)
from veerkracht.community.audience import Onlooker
from veerkracht.community.intake import AssetIntake
from veerkracht.community.rules import AssetAction, AssetRejected
from veerkracht.errors import InputError
from veerkracht.settings import Settings
from veerkracht.signals.tokens import new_token
from veerkracht.storage.engine import Store
from veerkracht.web.deps import get_settings, get_store, render
from veerkracht.web.errors import require_level
from veerkracht.web.pages.assets import (
    build_asset_form,
    build_asset_layer,
    build_asset_list,
    build_mine_page,
    translate_errors,
)
from veerkracht.web.routes.auth import check_csrf, csrf_token
from veerkracht.web.routes.signals import clock
from veerkracht.web.viewer import get_viewer

router = APIRouter()

#: Session entry holding the blocks a resident proved to live in (through their own link).
RESIDENT_BLOCKS = "resident_blocks"
MAX_RESIDENT_BLOCKS = 5
FORM_FIELDS = (
    "kind",
    "title",
    "description",
    "first_name",
    "audience",
    "postcode",
    "house_number",
    "level",
    "opening_hours",
    "contact_email",
)


def get_resident_blocks(request: Request) -> frozenset[str]:
    """The blocks this browser's resident proved to live in, through their own personal link."""
    blocks = request.session.get(RESIDENT_BLOCKS, []) if "session" in request.scope else []
    return frozenset(str(b) for b in blocks)


def get_onlooker(request: Request, viewer: Annotated[Viewer, Depends(get_viewer)]) -> Onlooker:
    """The viewer plus the blocks they proved to live in (``get_resident_blocks``)."""
    return Onlooker(viewer=viewer, resident_blocks=get_resident_blocks(request))


StoreDep = Annotated[Store, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
OnlookerDep = Annotated[Onlooker, Depends(get_onlooker)]
LevelQuery = Annotated[str | None, Query(description="entrance, building, block, … (with key)")]
KeyQuery = Annotated[str | None, Query(description="The unit's key (with level)")]


@router.get("/assets/new", response_class=HTMLResponse, tags=["pages"], summary="Add an offer")
def new_page(request: Request, again: int = 0) -> HTMLResponse:
    """The short form: what you offer or which place, your first name, where, who may see it."""
    page = build_asset_form(values={}, errors={}, submission_key=new_token(), on_behalf=False)
    return render_form(request, {**page, "again": bool(again)})


@router.get("/api/assets/form", tags=["api"], summary="The add form's choices (JSON)")
def form_api() -> dict[str, Any]:
    """JSON twin of the add form: kinds, audiences and levels with their Dutch labels."""
    return build_asset_form(values={}, errors={}, submission_key="", on_behalf=False)


@router.post("/assets", response_class=HTMLResponse, tags=["pages"], summary="Add an offer")
async def submit_form(request: Request, store: StoreDep) -> Response:
    """Store the item as pending and show the personal link once."""
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or ""))
    intake = intake_from_form(form)
    try:
        receipt = submit_asset(store, intake, now=clock(request))
    except AssetRejected as exc:
        return render_form_again(request, form, exc, on_behalf=False)
    if receipt.token is None:
        return RedirectResponse("/assets/new?again=1", status_code=303)
    return RedirectResponse(f"/assets/mine/{receipt.token}?received=1", status_code=303)


class AssetIn(BaseModel):
    """An item submitted through the API; place by postcode + house_number, or lat/long."""

    kind: str = Field(max_length=30, description="gift, association, institution, place, …")
    title: str = Field(max_length=200)
    description: str | None = Field(default=None, max_length=2000)
    first_name: str | None = Field(default=None, max_length=100)
    audience: str = Field(default="public", max_length=20, description="public|block|professional")
    consent: bool = Field(description="Must be true: the person agrees to be shown as chosen")
    postcode: str | None = Field(default=None, max_length=10)
    house_number: str | int | None = Field(default=None, description="e.g. 12 or 12A")
    lat: float | None = None
    long: float | None = None
    level: str = Field(default="block", max_length=20)
    opening_hours: str | None = Field(default=None, max_length=400)
    contact_email: str | None = Field(default=None, max_length=254)
    submission_key: str | None = Field(default=None, max_length=64)


@router.post("/api/assets", tags=["api"], summary="Add an offer or a place", status_code=201)
def submit_api(request: Request, body: AssetIn, store: StoreDep) -> JSONResponse:
    """Store the item as pending; returns its personal link (shown once, never stored)."""
    try:
        receipt = submit_asset(store, AssetIntake(**body.model_dump()), now=clock(request))
    except AssetRejected as exc:
        return JSONResponse(
            {"error": "AssetRejected", "status": 400, "errors": translate_errors(exc.errors)},
            status_code=400,
        )
    link = f"/assets/mine/{receipt.token}" if receipt.token else None
    return JSONResponse(
        {"asset_id": receipt.asset_id, "status": receipt.status, "personal_url": link},
        status_code=201 if receipt.created else 200,
    )


@router.get("/assets/mine/{token}", response_class=HTMLResponse, tags=["pages"], summary="My item")
def mine_page(
    request: Request, token: str, store: StoreDep, settings: SettingsDep, received: int = 0
) -> HTMLResponse:
    """The resident's personal link: see, confirm or withdraw their item."""
    page = _mine(request, store, settings, token)
    context = {**page, "received": bool(received), "csrf": csrf_token(request)}
    return render(request, "asset_mine.html", context | {"json_url": f"/api/assets/mine/{token}"})


@router.get("/api/assets/mine/{token}", tags=["api"], summary="My item (JSON)")
def mine_api(
    request: Request, token: str, store: StoreDep, settings: SettingsDep
) -> dict[str, Any]:
    """JSON twin of the personal link page."""
    return _mine(request, store, settings, token)


@router.post("/assets/mine/{token}", tags=["pages"], summary="Confirm or withdraw my item")
def mine_action(
    request: Request,
    token: str,
    store: StoreDep,
    settings: SettingsDep,
    action: Annotated[str, Form(max_length=20)] = "",
    csrf_token_field: Annotated[str, Form(alias="csrf_token", max_length=200)] = "",
) -> Response:
    """The resident confirms the item is still true, or withdraws it (gone everywhere)."""
    check_csrf(request, csrf_token_field)
    row = asset_for_link(store, token)
    change_asset(
        store,
        row["asset_id"],
        parse_action(action),
        by=RESIDENT,
        now=clock(request),
        settings=settings,
    )
    return RedirectResponse(f"/assets/mine/{token}?done={action}", status_code=303)


@router.get("/assets", response_class=HTMLResponse, tags=["pages"], summary="What is here")
def list_page(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    onlooker: OnlookerDep,
    level: LevelQuery = None,
    key: KeyQuery = None,
) -> HTMLResponse:
    """Every item of a unit (or everywhere) you may see, with a map and counts per kind."""
    page = _list(request, store, settings, onlooker, level, key)
    return render(request, "asset_list.html", {"page": page, "json_url": page["json_url"]})


@router.get("/api/assets/list", tags=["api"], summary="What is here (JSON)")
def list_api(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    onlooker: OnlookerDep,
    level: LevelQuery = None,
    key: KeyQuery = None,
) -> dict[str, Any]:
    """JSON twin of the list page."""
    return _list(request, store, settings, onlooker, level, key)


@router.get(
    "/api/assets",
    tags=["api"],
    summary="Map layer of assets (GeoJSON)",
    responses={200: {"content": {"application/geo+json": {}}}},
)
def layer_api(
    request: Request,
    store: StoreDep,
    onlooker: OnlookerDep,
    level: LevelQuery = None,
    key: KeyQuery = None,
) -> JSONResponse:
    """Items you may see as points in WGS84; a person's item at its unit's label point."""
    chosen, key = _unit_query(level, key)
    layer = build_asset_layer(store, level=chosen, key=key, onlooker=onlooker, now=clock(request))
    return JSONResponse(layer, media_type="application/geo+json")


def _list(
    request: Request,
    store: Store,
    settings: Settings,
    onlooker: Onlooker,
    level: str | None,
    key: str | None,
) -> dict[str, Any]:
    chosen, key = _unit_query(level, key)
    return build_asset_list(
        store,
        level=chosen,
        key=key,
        onlooker=onlooker,
        now=clock(request),
        months=settings.assets_stale_months,
    )


def _unit_query(level: str | None, key: str | None) -> tuple[Any, str | None]:
    if (level is None) != (key is None):
        raise InputError("give both level and key, or neither", field="level" if key else "key")
    return (require_level(level), key) if level is not None else (None, None)


def _mine(request: Request, store: Store, settings: Settings, token: str) -> dict[str, Any]:
    page = build_mine_page(store, token, now=clock(request), months=settings.assets_stale_months)
    row = asset_for_link(store, token)
    # Only an approved item proves where its maker lives: a professional has looked at it, so
    # typing a neighbour's address into the form does not open that block's items.
    if row.get("dwelling_id") and row.get("block_key") and page["item"]["status"] == "approved":
        blocks = [b for b in request.session.get(RESIDENT_BLOCKS, []) if b != row["block_key"]]
        request.session[RESIDENT_BLOCKS] = [row["block_key"], *blocks][:MAX_RESIDENT_BLOCKS]
    return page


def parse_action(text: str) -> AssetAction:
    try:
        return AssetAction(text)
    except ValueError:
        allowed = ", ".join(a.value for a in AssetAction)
        raise InputError(f'"{text}" is not one of {allowed}', field="action") from None


def intake_from_form(form: Any) -> AssetIntake:
    values = {name: str(form.get(name) or "")[:2000] or None for name in FORM_FIELDS}
    values["title"] = values["title"] or ""
    return AssetIntake(
        **values,
        consent=str(form.get("consent") or "") in ("1", "on", "yes"),
        submission_key=str(form.get("submission_key") or "")[:100] or None,
    )


def render_form(request: Request, page: dict[str, Any], status: int = 200) -> HTMLResponse:
    context = {**page, "csrf": csrf_token(request), "nav": "assets-new"}
    response = render(request, "asset_new.html", context | {"json_url": "/api/assets/form"})
    response.status_code = status
    return response


def render_form_again(
    request: Request, form: Any, exc: AssetRejected, *, on_behalf: bool
) -> Response:
    values = {name: str(form.get(name) or "") for name in FORM_FIELDS}
    values["consent"] = str(form.get("consent") or "")
    key = str(form.get("submission_key") or "") or new_token()
    page = build_asset_form(
        values=values,
        errors=translate_errors(exc.errors),
        submission_key=key,
        on_behalf=on_behalf,
    )
    return render_form(request, page, status=400)
