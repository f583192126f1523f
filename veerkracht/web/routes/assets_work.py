"""Assets for professionals: moderation (approve, reject), stale items (confirm, retire) and
adding on behalf of a resident. Pages and their JSON twins; changes need the CSRF token.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from veerkracht.community.assets import add_on_behalf, change_asset, professional
from veerkracht.community.audience import Onlooker
from veerkracht.community.rules import AssetRejected
from veerkracht.settings import Settings
from veerkracht.signals.tokens import new_token
from veerkracht.storage.engine import Store
from veerkracht.web.deps import get_settings, get_store, render
from veerkracht.web.pages.assets import build_asset_form, build_moderation_page
from veerkracht.web.routes.assets import (
    get_onlooker,
    intake_from_form,
    parse_action,
    render_form,
    render_form_again,
)
from veerkracht.web.routes.auth import check_csrf, csrf_token, require_account
from veerkracht.web.routes.signals import clock

router = APIRouter()

StoreDep = Annotated[Store, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
OnlookerDep = Annotated[Onlooker, Depends(get_onlooker)]


@router.get("/assets/moderation", response_class=HTMLResponse, tags=["pages"], summary="Moderate")
def moderation_page(
    request: Request, store: StoreDep, settings: SettingsDep, onlooker: OnlookerDep
) -> HTMLResponse:
    """Pending items to approve or reject, and stale items to confirm or retire (in scope)."""
    _require_professional(request, onlooker)
    page = build_moderation_page(
        store, onlooker=onlooker, now=clock(request), months=settings.assets_stale_months
    )
    context = {"page": page, "csrf": csrf_token(request), "nav": "assets-moderation"}
    return render(
        request, "asset_moderation.html", context | {"json_url": "/api/assets/moderation"}
    )


@router.get("/api/assets/moderation", tags=["api"], summary="Moderation list (JSON)")
def moderation_api(
    request: Request, store: StoreDep, settings: SettingsDep, onlooker: OnlookerDep
) -> dict[str, Any]:
    """JSON twin of the moderation page."""
    _require_professional(request, onlooker)
    return build_moderation_page(
        store, onlooker=onlooker, now=clock(request), months=settings.assets_stale_months
    )


@router.post("/assets/{asset_id}/change", tags=["pages"], summary="Approve, reject, confirm…")
def change_form(
    request: Request,
    asset_id: str,
    store: StoreDep,
    settings: SettingsDep,
    onlooker: OnlookerDep,
    action: Annotated[str, Form(max_length=20)] = "",
    note: Annotated[str, Form(max_length=2000)] = "",
    csrf_token_field: Annotated[str, Form(alias="csrf_token", max_length=200)] = "",
) -> Response:
    """A professional's change of an item within their scope (the transition table decides)."""
    check_csrf(request, csrf_token_field)
    _change(request, store, settings, onlooker, asset_id, action, note)
    return RedirectResponse("/assets/moderation", status_code=303)


class ChangeIn(BaseModel):
    """A professional's change of an item."""

    action: str = Field(max_length=20, description="approve, reject, withdraw, confirm, retire")
    note: str | None = Field(default=None, max_length=2000)


@router.post("/api/assets/{asset_id}/change", tags=["api"], summary="Change an item")
def change_api(
    request: Request,
    asset_id: str,
    body: ChangeIn,
    store: StoreDep,
    settings: SettingsDep,
    onlooker: OnlookerDep,
) -> dict[str, Any]:
    """JSON twin of the moderation buttons (send the session's token as X-CSRF-Token)."""
    check_csrf(request, None)
    row = _change(request, store, settings, onlooker, asset_id, body.action, body.note or "")
    return {"asset_id": asset_id, "status": row["status"]}


@router.get("/assets/on-behalf", response_class=HTMLResponse, tags=["pages"], summary="Add for")
def on_behalf_page(request: Request, onlooker: OnlookerDep) -> HTMLResponse:
    """The add form for professionals adding an item for a resident (approved at once)."""
    _require_professional(request, onlooker)
    page = build_asset_form(values={}, errors={}, submission_key=new_token(), on_behalf=True)
    return render_form(request, page)


@router.post("/assets/on-behalf", response_class=HTMLResponse, tags=["pages"], summary="Add for")
async def on_behalf_submit(
    request: Request, store: StoreDep, settings: SettingsDep, onlooker: OnlookerDep
) -> Response:
    """Store the item as approved, with the professional as its maker; show the resident's link."""
    actor = _require_professional(request, onlooker)
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or ""))
    try:
        receipt = add_on_behalf(
            store, intake_from_form(form), by=actor, now=clock(request), settings=settings
        )
    except AssetRejected as exc:
        return render_form_again(request, form, exc, on_behalf=True)
    if receipt.token is None:
        return RedirectResponse("/assets/moderation", status_code=303)
    return RedirectResponse(f"/assets/mine/{receipt.token}?received=1", status_code=303)


def _change(
    request: Request,
    store: Store,
    settings: Settings,
    onlooker: Onlooker,
    asset_id: str,
    action: str,
    note: str,
) -> dict[str, Any]:
    actor = _require_professional(request, onlooker)
    return change_asset(
        store,
        asset_id,
        parse_action(action),
        by=actor,
        now=clock(request),
        settings=settings,
        note=note.strip() or None,
    )


def _require_professional(request: Request, onlooker: Onlooker) -> Any:
    require_account(request)
    return professional(onlooker.viewer)
