"""The intervention log, before/after and learning across places, each page with its JSON twin.

Register this router before the units router: ``/units/{level}/{key:path}`` would otherwise
swallow ``…/log``. Writes (forms and JSON) carry the session's CSRF token and go through the
one door in ``veerkracht.interventions.log``.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from veerkracht.assessment.disclosure import Viewer
from veerkracht.domain.levels import Level
from veerkracht.errors import Forbidden, InputError
from veerkracht.interventions.log import LogEntryError, add_entry, end_entry
from veerkracht.settings import Settings
from veerkracht.storage import intervention_log as log_store
from veerkracht.storage.engine import Store
from veerkracht.web.deps import get_settings, get_store, render
from veerkracht.web.errors import require_level
from veerkracht.web.i18n import gettext as _
from veerkracht.web.pages.analysis import NotForThePublic
from veerkracht.web.pages.intervention_effect import EffectPage, build_effect_page
from veerkracht.web.pages.intervention_log import (
    LOG_URL,
    LogEntryOut,
    LogListPage,
    UnitLogPage,
    build_entry,
    build_log_list,
    build_unit_log,
    unit_log_url,
)
from veerkracht.web.pages.learning import LearningPage, build_learning_page
from veerkracht.web.routes.auth import check_csrf, csrf_token
from veerkracht.web.routes.signals import clock
from veerkracht.web.viewer import get_viewer

router = APIRouter()
StoreDep = Annotated[Store, Depends(get_store)]
ViewerDep = Annotated[Viewer, Depends(get_viewer)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
LevelPath = Annotated[str, Path(description="entrance, building, block, street, neighbourhood, …")]
KeyPath = Annotated[str, Path(description="The unit's key, e.g. a block key")]
LogIdPath = Annotated[str, Path(description="The log entry's id", max_length=60)]
FORBIDDEN: dict[int | str, dict[str, Any]] = {403: {"description": "Not for this viewer"}}
LEARNING_URL = "/analysis/learning"


class LogEntryIn(BaseModel):
    """A new log entry through the API (send the session's X-CSRF-Token header)."""

    title: str = Field(max_length=200)
    organisation: str = Field(max_length=200)
    aim: str = Field(max_length=2000)
    started_on: str = Field(description="YYYY-MM-DD", max_length=20)
    ended_on: str | None = Field(default=None, max_length=20)
    intervention_id: str | None = Field(default=None, max_length=80)
    notes: str | None = Field(default=None, max_length=5000)


class EndIn(BaseModel):
    ended_on: str = Field(description="YYYY-MM-DD", max_length=20)


# ---- a unit's log ---------------------------------------------------------------------------


@router.get(
    "/units/{level}/{key:path}/log",
    response_class=HTMLResponse,
    tags=["pages"],
    summary="A unit's intervention log (professionals and analysts)",
    responses=FORBIDDEN,
)
def unit_log_page(
    request: Request, level: LevelPath, key: KeyPath, store: StoreDep, viewer: ViewerDep
) -> Response:
    """What was done here and around here; professionals in their area add and end entries."""
    chosen = require_level(level)
    try:
        page = build_unit_log(store, level=chosen, key=key, viewer=viewer)
    except Forbidden:
        return _forbidden_page(request, viewer)
    return _unit_log(request, page, added=request.query_params.get("added"))


@router.post(
    "/units/{level}/{key:path}/log",
    tags=["pages"],
    summary="Add a log entry (form)",
    responses=FORBIDDEN,
)
def add_form(
    request: Request,
    level: LevelPath,
    key: KeyPath,
    store: StoreDep,
    viewer: ViewerDep,
    settings: SettingsDep,
    title: Annotated[str, Form(max_length=400)] = "",
    intervention_id: Annotated[str, Form(max_length=80)] = "",
    organisation: Annotated[str, Form(max_length=400)] = "",
    aim: Annotated[str, Form(max_length=4000)] = "",
    started_on: Annotated[str, Form(max_length=20)] = "",
    ended_on: Annotated[str, Form(max_length=20)] = "",
    notes: Annotated[str, Form(max_length=10_000)] = "",
    csrf_token_field: Annotated[str, Form(alias="csrf_token", max_length=200)] = "",
) -> Response:
    """Add an entry through the one door; back to the log, or the form with what is wrong."""
    check_csrf(request, csrf_token_field)
    chosen = require_level(level)
    values = {
        "level": chosen.value,
        "unit_key": key,
        "title": title,
        "intervention_id": intervention_id,
        "organisation": organisation,
        "aim": aim,
        "started_on": started_on,
        "ended_on": ended_on,
        "notes": notes,
    }
    try:
        log_id = add_entry(store, settings, values, by=viewer, now=clock(request))
    except Forbidden:
        return _forbidden_page(request, viewer)
    except LogEntryError as exc:
        page = build_unit_log(store, level=chosen, key=key, viewer=viewer)
        response = _unit_log(request, page, errors=exc.messages(_), values=values)
        response.status_code = 400
        return response
    target = f"{unit_log_url(chosen.value, key)}?added={quote(log_id)}#entry-{quote(log_id)}"
    return RedirectResponse(target, status_code=303)


@router.post(
    "/interventions/log/{log_id}/end",
    tags=["pages"],
    summary="End a log entry (form)",
    responses=FORBIDDEN,
)
def end_form(
    request: Request,
    log_id: LogIdPath,
    store: StoreDep,
    viewer: ViewerDep,
    settings: SettingsDep,
    ended_on: Annotated[str, Form(max_length=20)] = "",
    csrf_token_field: Annotated[str, Form(alias="csrf_token", max_length=200)] = "",
) -> Response:
    """Set the end date; back to the unit's log, or the log with what is wrong."""
    check_csrf(request, csrf_token_field)
    entry = log_store.read_log_entry(store, log_id)
    level, key = Level(entry["level"]), str(entry["unit_key"])
    try:
        end_entry(store, settings, log_id, ended_on, by=viewer, now=clock(request))
    except Forbidden:
        return _forbidden_page(request, viewer)
    except LogEntryError as exc:
        page = build_unit_log(store, level=level, key=key, viewer=viewer)
        messages = exc.messages(_)
        response = _unit_log(request, page, end_errors={log_id: messages["ended_on"]})
        response.status_code = 400
        return response
    return RedirectResponse(
        f"{unit_log_url(level.value, key)}#entry-{quote(log_id)}", status_code=303
    )


@router.get(
    "/api/units/{level}/{key:path}/log",
    response_model=UnitLogPage,
    tags=["api"],
    summary="A unit's intervention log (JSON twin)",
    responses=FORBIDDEN,
)
def unit_log_api(level: LevelPath, key: KeyPath, store: StoreDep, viewer: ViewerDep) -> Any:
    """The same data as the unit's log page; 403 for the public and outside your area."""
    try:
        return build_unit_log(store, level=require_level(level), key=key, viewer=viewer)
    except Forbidden as exc:
        return _json_forbidden(exc, viewer)


@router.post(
    "/api/units/{level}/{key:path}/log",
    response_model=LogEntryOut,
    status_code=201,
    tags=["api"],
    summary="Add a log entry (JSON)",
    responses={**FORBIDDEN, 400: {"description": "A field is wrong: errors names it"}},
)
def add_api(
    request: Request,
    level: LevelPath,
    key: KeyPath,
    body: LogEntryIn,
    store: StoreDep,
    viewer: ViewerDep,
    settings: SettingsDep,
) -> Any:
    """The same door as the form; answers the new entry."""
    check_csrf(request, None)
    values = {**body.model_dump(), "level": require_level(level).value, "unit_key": key}
    try:
        log_id = add_entry(store, settings, values, by=viewer, now=clock(request))
    except Forbidden as exc:
        return _json_forbidden(exc, viewer)
    except LogEntryError as exc:
        return _json_entry_error(exc)
    return build_entry(store, log_id, viewer=viewer)


@router.post(
    "/api/interventions/log/{log_id}/end",
    response_model=LogEntryOut,
    tags=["api"],
    summary="End a log entry (JSON)",
    responses={**FORBIDDEN, 400: {"description": "The date is wrong"}},
)
def end_api(
    request: Request,
    log_id: LogIdPath,
    body: EndIn,
    store: StoreDep,
    viewer: ViewerDep,
    settings: SettingsDep,
) -> Any:
    check_csrf(request, None)
    try:
        end_entry(store, settings, log_id, body.ended_on, by=viewer, now=clock(request))
    except Forbidden as exc:
        return _json_forbidden(exc, viewer)
    except LogEntryError as exc:
        return _json_entry_error(exc)
    return build_entry(store, log_id, viewer=viewer)


# ---- the overall list -----------------------------------------------------------------------


@router.get(
    LOG_URL,
    response_class=HTMLResponse,
    tags=["pages"],
    summary="The intervention log (professionals and analysts)",
    responses=FORBIDDEN,
)
def log_list_page(
    request: Request,
    store: StoreDep,
    viewer: ViewerDep,
    level: Annotated[str, Query(max_length=20)] = "",
    organisation: Annotated[str, Query(max_length=200)] = "",
    intervention: Annotated[str, Query(max_length=80)] = "",
    year: Annotated[str, Query(max_length=4)] = "",
) -> Response:
    """Every entry in your area, newest first, filtered by level, organisation, intervention
    or the year it ran."""
    try:
        page = _log_list(store, viewer, level, organisation, intervention, year)
    except Forbidden:
        return _forbidden_page(request, viewer)
    return render(
        request,
        "log_list.html",
        {"page": page, "json_url": f"/api{LOG_URL}?{request.url.query}", "nav": "log"},
    )


@router.get(
    f"/api{LOG_URL}",
    response_model=LogListPage,
    tags=["api"],
    summary="The intervention log (JSON twin)",
    responses=FORBIDDEN,
)
def log_list_api(
    store: StoreDep,
    viewer: ViewerDep,
    level: Annotated[str, Query(max_length=20)] = "",
    organisation: Annotated[str, Query(max_length=200)] = "",
    intervention: Annotated[str, Query(max_length=80)] = "",
    year: Annotated[str, Query(max_length=4)] = "",
) -> Any:
    try:
        return _log_list(store, viewer, level, organisation, intervention, year)
    except Forbidden as exc:
        return _json_forbidden(exc, viewer)


# ---- before and after -----------------------------------------------------------------------


@router.get(
    "/interventions/log/{log_id}/effect",
    response_class=HTMLResponse,
    tags=["pages"],
    summary="Before and after a logged intervention (professionals and analysts)",
    responses=FORBIDDEN,
)
def effect_page(request: Request, log_id: LogIdPath, store: StoreDep, viewer: ViewerDep) -> Any:
    """The unit's figures before and after, against comparable units without an intervention."""
    try:
        page = build_effect_page(store, log_id, viewer=viewer)
    except Forbidden:
        return _forbidden_page(request, viewer)
    return render(request, "effect.html", {"page": page, "json_url": page.json_url, "nav": "log"})


@router.get(
    "/api/interventions/log/{log_id}/effect",
    response_model=EffectPage,
    tags=["api"],
    summary="Before and after a logged intervention (JSON twin)",
    responses=FORBIDDEN,
)
def effect_api(log_id: LogIdPath, store: StoreDep, viewer: ViewerDep) -> Any:
    try:
        return build_effect_page(store, log_id, viewer=viewer)
    except Forbidden as exc:
        return _json_forbidden(exc, viewer)


# ---- learning across places -----------------------------------------------------------------


@router.get(
    LEARNING_URL,
    response_class=HTMLResponse,
    tags=["pages"],
    summary="Learning across places (professionals and analysts)",
    responses=FORBIDDEN,
)
def learning_page(request: Request, store: StoreDep, viewer: ViewerDep) -> Response:
    """Places that do better than expected, what they have and what was done there."""
    try:
        page = build_learning_page(store, viewer=viewer)
    except NotForThePublic:
        return _forbidden_page(request, viewer)
    return render(
        request,
        "learning.html",
        {"page": page, "json_url": f"/api{LEARNING_URL}", "nav": "learning"},
    )


@router.get(
    f"/api{LEARNING_URL}",
    response_model=LearningPage,
    tags=["api"],
    summary="Learning across places (JSON twin)",
    responses=FORBIDDEN,
)
def learning_api(store: StoreDep, viewer: ViewerDep) -> Any:
    try:
        return build_learning_page(store, viewer=viewer)
    except NotForThePublic as exc:
        return _json_forbidden(exc, viewer)


# ---- helpers --------------------------------------------------------------------------------


def _unit_log(
    request: Request,
    page: UnitLogPage,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    end_errors: dict[str, str] | None = None,
    added: str | None = None,
) -> HTMLResponse:
    return render(
        request,
        "log_unit.html",
        {
            "page": page,
            "json_url": page.json_url,
            "csrf": csrf_token(request) if page.can_write else None,
            "errors": errors or {},
            "values": values or {"started_on": page.today.isoformat()},
            "end_errors": end_errors or {},
            "added": added,
            "nav": "log",
        },
    )


def _log_list(
    store: Store, viewer: Viewer, level: str, organisation: str, intervention: str, year: str
) -> LogListPage:
    chosen = require_level(level) if level else None
    if year and not (year.isdigit() and len(year) == 4):
        raise InputError(f'year "{year}" is not a year like 2024', field="year")
    return build_log_list(
        store,
        viewer=viewer,
        level=chosen,
        organisation=organisation.strip(),
        intervention_id=intervention.strip(),
        year=int(year) if year else None,
    )


def _forbidden_words(viewer: Viewer) -> tuple[str, str]:
    if viewer.role == "public":
        return _("Only for professionals"), _(
            "What professionals did where is only for professionals and analysts who work in "
            "this area. Log in if you have an account."
        )
    return _("This is outside your area"), _(
        "You can see the log of the places in your own area. Ask an administrator if your "
        "area should be larger."
    )


def _forbidden_page(request: Request, viewer: Viewer) -> HTMLResponse:
    title, text = _forbidden_words(viewer)
    response = render(request, "analysis_forbidden.html", {"title": title, "text": text})
    response.status_code = 403
    return response


def _json_forbidden(exc: Exception, viewer: Viewer) -> JSONResponse:
    title, text = _forbidden_words(viewer)
    payload = {"error": "Forbidden", "detail": str(exc), "status": 403}
    return JSONResponse({**payload, "message_nl": f"{title}. {text}"}, status_code=403)


def _json_entry_error(exc: LogEntryError) -> JSONResponse:
    payload = {"error": "InputError", "detail": str(exc), "status": 400, "field": exc.field}
    return JSONResponse(
        {**payload, "errors": exc.messages(), "errors_nl": exc.messages(_)}, status_code=400
    )
