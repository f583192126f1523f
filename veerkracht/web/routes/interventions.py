"""Intervention pages: the catalogue (everybody reads, administrators edit) and the suggestions
per unit (professionals within their scope only), each with its JSON twin.

Register this router before the units router: ``/units/{level}/{key:path}`` would otherwise
swallow ``…/suggestions``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from veerkracht.assessment.disclosure import Viewer
from veerkracht.interventions.catalogue_edit import EntryError, check_entry, parse_entry
from veerkracht.interventions.suggest import SuggestionsForbidden
from veerkracht.storage.engine import Store
from veerkracht.web.deps import get_store, render
from veerkracht.web.errors import require_level
from veerkracht.web.i18n import gettext as _
from veerkracht.web.pages.catalogue_errors import fields_in_dutch
from veerkracht.web.pages.catalogue_form import (
    CatalogueForbidden,
    build_form,
    change_entry_state,
    require_admin,
    save_api_entry,
    submit_form,
)
from veerkracht.web.pages.interventions import (
    CATALOGUE_URL,
    CatalogueEntry,
    CatalogueList,
    SuggestionsPage,
    build_catalogue_entry,
    build_catalogue_list,
    build_suggestions_page,
    entry_url,
    suggestions_url,
)
from veerkracht.web.routes.auth import check_csrf, csrf_token
from veerkracht.web.routes.signals import clock
from veerkracht.web.viewer import get_viewer

router = APIRouter()
StoreDep = Annotated[Store, Depends(get_store)]
ViewerDep = Annotated[Viewer, Depends(get_viewer)]
LevelPath = Annotated[str, Path(description="entrance, building, block, street, neighbourhood, …")]
KeyPath = Annotated[str, Path(description="The unit's key, e.g. a block key")]
IdPath = Annotated[str, Path(description="The intervention's id", max_length=80)]
Action = Literal["retire", "restore", "revert"]
FORBIDDEN: dict[int | str, dict[str, Any]] = {403: {"description": "Not for this viewer"}}


# ---- suggestions per unit -------------------------------------------------------------------


@router.get(
    "/units/{level}/{key:path}/suggestions",
    response_class=HTMLResponse,
    tags=["pages"],
    summary="Suggested interventions for one unit (professionals only)",
    responses=FORBIDDEN,
)
def suggestions_page(
    request: Request, level: LevelPath, key: KeyPath, store: StoreDep, viewer: ViewerDep
) -> Response:
    """Interventions that fit this place, grouped by terrain, with reasons and the caveat."""
    chosen = require_level(level)
    try:
        page = build_suggestions_page(store, level=chosen, key=key, viewer=viewer)
    except SuggestionsForbidden as exc:
        return _suggestions_forbidden(request, exc, level=chosen.value, key=key)
    return render(
        request,
        "suggestions.html",
        {"page": page, "json_url": suggestions_url(chosen.value, key, api=True)},
    )


@router.get(
    "/api/units/{level}/{key:path}/suggestions",
    response_model=SuggestionsPage,
    tags=["api"],
    summary="Suggested interventions for one unit (JSON twin; professionals only)",
    responses=FORBIDDEN,
)
def suggestions_api(level: LevelPath, key: KeyPath, store: StoreDep, viewer: ViewerDep) -> Any:
    """The same data as the suggestions page; 403 for the public and outside your area."""
    chosen = require_level(level)
    try:
        return build_suggestions_page(store, level=chosen, key=key, viewer=viewer)
    except SuggestionsForbidden as exc:
        title, text = _forbidden_words(exc)
        return _json_error(403, exc, f"{title}. {text}")


# ---- the catalogue --------------------------------------------------------------------------


@router.get(CATALOGUE_URL, response_class=HTMLResponse, tags=["pages"], summary="Catalogue")
def catalogue_page(request: Request, store: StoreDep, viewer: ViewerDep) -> HTMLResponse:
    """Every intervention by terrain; administrators also see retired ones and can add."""
    page = build_catalogue_list(store, viewer=viewer)
    return render(
        request,
        "catalogue.html",
        {
            "page": page,
            "json_url": f"/api{CATALOGUE_URL}",
            "csrf": _csrf(request, viewer),
            "nav": "catalogue",
        },
    )


@router.get(
    f"/api{CATALOGUE_URL}",
    response_model=CatalogueList,
    tags=["api"],
    summary="Catalogue (JSON twin)",
)
def catalogue_api(store: StoreDep, viewer: ViewerDep) -> CatalogueList:
    return build_catalogue_list(store, viewer=viewer)


@router.get(
    f"{CATALOGUE_URL}/new",
    response_class=HTMLResponse,
    tags=["pages"],
    summary="Add an intervention (administrators)",
    responses=FORBIDDEN,
)
def new_entry_page(
    request: Request,
    store: StoreDep,
    viewer: ViewerDep,
    mode: Annotated[Literal["form", "toml"], Query()] = "form",
) -> Response:
    try:
        form = build_form(store, viewer=viewer, editing=None, mode=mode)
    except CatalogueForbidden:
        return _catalogue_forbidden(request, viewer)
    return _render_form(request, form)


@router.post(f"{CATALOGUE_URL}/new", tags=["pages"], summary="Add an intervention (form)")
async def new_entry_submit(request: Request, store: StoreDep, viewer: ViewerDep) -> Response:
    return await _submit(request, store, viewer, editing=None)


@router.get(
    f"{CATALOGUE_URL}/{{intervention_id}}",
    response_class=HTMLResponse,
    tags=["pages"],
    summary="One intervention",
)
def entry_page(
    request: Request, intervention_id: IdPath, store: StoreDep, viewer: ViewerDep
) -> HTMLResponse:
    """All fields of one intervention, its sources as links and its conditions in words."""
    page = build_catalogue_entry(store, intervention_id, viewer=viewer)
    return render(
        request,
        "catalogue_entry.html",
        {"page": page, "json_url": page.api_url, "csrf": _csrf(request, viewer)},
    )


@router.get(
    f"/api{CATALOGUE_URL}/{{intervention_id}}",
    response_model=CatalogueEntry,
    tags=["api"],
    summary="One intervention (JSON twin)",
)
def entry_api(intervention_id: IdPath, store: StoreDep, viewer: ViewerDep) -> CatalogueEntry:
    return build_catalogue_entry(store, intervention_id, viewer=viewer)


@router.get(
    f"{CATALOGUE_URL}/{{intervention_id}}/edit",
    response_class=HTMLResponse,
    tags=["pages"],
    summary="Edit an intervention (administrators)",
    responses=FORBIDDEN,
)
def edit_entry_page(
    request: Request,
    intervention_id: IdPath,
    store: StoreDep,
    viewer: ViewerDep,
    mode: Annotated[Literal["form", "toml"], Query()] = "form",
) -> Response:
    try:
        form = build_form(store, viewer=viewer, editing=intervention_id, mode=mode)
    except CatalogueForbidden:
        return _catalogue_forbidden(request, viewer)
    return _render_form(request, form)


@router.post(f"{CATALOGUE_URL}/{{intervention_id}}/edit", tags=["pages"], summary="Save an edit")
async def edit_entry_submit(
    request: Request, intervention_id: IdPath, store: StoreDep, viewer: ViewerDep
) -> Response:
    return await _submit(request, store, viewer, editing=intervention_id)


@router.post(
    f"{CATALOGUE_URL}/{{intervention_id}}/{{action}}",
    tags=["pages"],
    summary="Retire, restore or revert an intervention (administrators)",
)
async def entry_state_submit(
    request: Request, intervention_id: IdPath, action: Action, store: StoreDep, viewer: ViewerDep
) -> Response:
    """Retire (hide from suggestions), restore, or revert to the shipped text."""
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token", "")))
    try:
        change_entry_state(store, intervention_id, action, viewer=viewer, now=clock(request))
    except CatalogueForbidden:
        return _catalogue_forbidden(request, viewer)
    return RedirectResponse(entry_url(intervention_id), status_code=303)


class EntryIn(BaseModel):
    """An entry for the API: its fields as JSON (``entry``) or as TOML text (``toml``)."""

    entry: dict[str, Any] | None = None
    toml: str | None = Field(None, max_length=60_000)
    version: str | None = Field(None, description="updated_at of the entry you started from")


@router.post(
    f"/api{CATALOGUE_URL}",
    response_model=CatalogueEntry,
    status_code=201,
    tags=["api"],
    summary="Add an intervention (administrators; send X-CSRF-Token)",
)
def add_entry_api(request: Request, body: EntryIn, store: StoreDep, viewer: ViewerDep) -> Any:
    return _save_api(request, body, store, viewer, editing=None)


@router.put(
    f"/api{CATALOGUE_URL}/{{intervention_id}}",
    response_model=CatalogueEntry,
    tags=["api"],
    summary="Replace an intervention (administrators; send X-CSRF-Token)",
)
def edit_entry_api(
    request: Request, intervention_id: IdPath, body: EntryIn, store: StoreDep, viewer: ViewerDep
) -> Any:
    return _save_api(request, body, store, viewer, editing=intervention_id)


@router.post(
    f"/api{CATALOGUE_URL}/{{intervention_id}}/{{action}}",
    response_model=CatalogueEntry,
    tags=["api"],
    summary="Retire, restore or revert an intervention (administrators; send X-CSRF-Token)",
)
def entry_state_api(
    request: Request, intervention_id: IdPath, action: Action, store: StoreDep, viewer: ViewerDep
) -> Any:
    check_csrf(request, None)
    try:
        change_entry_state(store, intervention_id, action, viewer=viewer, now=clock(request))
    except CatalogueForbidden as exc:
        return _json_error(403, exc, _("Only administrators can change the catalogue."))
    return build_catalogue_entry(store, intervention_id, viewer=viewer)


# ---- helpers --------------------------------------------------------------------------------


async def _submit(
    request: Request, store: Store, viewer: Viewer, *, editing: str | None
) -> Response:
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token", "")))
    fields = {k: str(v) for k, v in form.items() if isinstance(v, str) and k != "levels"}
    levels = [str(v) for v in form.getlist("levels")]
    try:
        saved, page = submit_form(
            store, fields, levels, viewer=viewer, editing=editing, now=clock(request)
        )
    except CatalogueForbidden:
        return _catalogue_forbidden(request, viewer)
    if saved is not None:
        return RedirectResponse(entry_url(saved.id), status_code=303)
    response = _render_form(request, page)
    response.status_code = 409 if "version" in page.errors else 400
    return response


def _save_api(
    request: Request, body: EntryIn, store: Store, viewer: Viewer, *, editing: str | None
) -> Any:
    check_csrf(request, None)
    where = f'entry "{editing}"' if editing else "new entry"
    try:
        require_admin(viewer)
        if body.toml is not None:
            entry = parse_entry(body.toml, where=where)
        else:
            entry = check_entry(body.entry or {}, where=where)
        saved = save_api_entry(
            store, entry, viewer=viewer, editing=editing, version=body.version, now=clock(request)
        )
    except CatalogueForbidden as exc:
        return _json_error(403, exc, _("Only administrators can change the catalogue."))
    except EntryError as exc:
        fields_nl = fields_in_dutch(exc.details)
        payload = {"fields": exc.fields, "fields_nl": fields_nl, "problems": exc.problems}
        return _json_error(400, exc, _("The entry was not saved: check the fields."), payload)
    return build_catalogue_entry(store, saved.id, viewer=viewer)


def _render_form(request: Request, form: Any) -> HTMLResponse:
    return render(
        request,
        "catalogue_edit.html",
        {"form": form, "csrf": csrf_token(request), "catalogue_url": CATALOGUE_URL},
    )


def _csrf(request: Request, viewer: Viewer) -> str | None:
    return csrf_token(request) if viewer.role == "admin" else None


def _forbidden_words(exc: SuggestionsForbidden) -> tuple[str, str]:
    if exc.reason == "scope":
        return _("This place is outside your area"), _(
            "You can see suggestions for the places in your own area. Ask an administrator "
            "if your area should be larger."
        )
    return _("Only for professionals"), _(
        "Suggestions for interventions per place are only for professionals who work here. "
        "They are not a judgement of the street, so they are never shown publicly. The public "
        "figures of this place are on its own page, and everybody may read the catalogue of "
        "interventions."
    )


def _suggestions_forbidden(
    request: Request, exc: SuggestionsForbidden, *, level: str, key: str
) -> HTMLResponse:
    title, text = _forbidden_words(exc)
    response = render(
        request,
        "suggestions_forbidden.html",
        {
            "title": title,
            "text": text,
            "reason": exc.reason,
            "unit_url": suggestions_url(level, key).removesuffix("/suggestions"),
            "catalogue_url": CATALOGUE_URL,
        },
    )
    response.status_code = 403
    return response


def _catalogue_forbidden(request: Request, viewer: Viewer) -> HTMLResponse:
    response = render(
        request,
        "catalogue_forbidden.html",
        {"logged_in": viewer.role != "public", "catalogue_url": CATALOGUE_URL},
    )
    response.status_code = 403
    return response


def _json_error(
    status: int, exc: Exception, message_nl: str, extra: dict[str, Any] | None = None
) -> JSONResponse:
    payload = {"error": type(exc).__name__, "detail": str(exc), "status": status}
    return JSONResponse({**payload, **(extra or {}), "message_nl": message_nl}, status_code=status)
