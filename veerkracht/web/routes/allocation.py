"""The allocation page and its JSON twins: advice per vacancy, a plan for uploaded vacancies and
households, and the simulation results of the workspace.

Everything answers 403 to the public (a Dutch page or JSON); professionals, analysts and admins
may use it. The plan form carries the session's CSRF token; JSON calls send it as X-CSRF-Token.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response

from veerkracht.assessment.disclosure import Viewer
from veerkracht.errors import NotFound
from veerkracht.settings import Settings
from veerkracht.storage.engine import Store
from veerkracht.web.deps import get_settings, get_store, render
from veerkracht.web.i18n import gettext as _
from veerkracht.web.pages import allocation as pages
from veerkracht.web.pages.allocation import (
    MAX_UPLOAD_BYTES,
    NotForThePublicAllocation,
    UploadRejected,
    forbidden_text,
    require_allocation_viewer,
)
from veerkracht.web.viewer import get_viewer

router = APIRouter()

FORBIDDEN: dict[int | str, dict[str, Any]] = {
    403: {"description": "Not for the public: only for professionals and analysts"}
}
StoreDep = Annotated[Store, Depends(get_store)]
ViewerDep = Annotated[Viewer, Depends(get_viewer)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
Upload = Annotated[UploadFile | None, File(description="CSV file")]


# --- pages ---


@router.get(
    "/allocation",
    response_class=HTMLResponse,
    tags=["pages"],
    summary="Allocation: advice, plan, simulations (professionals only)",
    responses=FORBIDDEN,
)
def allocation_page(request: Request, viewer: ViewerDep, settings: SettingsDep) -> Response:
    """Forms for advice and a plan, and the simulation results of the workspace."""
    if not _allowed(viewer):
        return _forbidden_page(request)
    return _main_page(request, settings)


@router.get(
    "/allocation/advice",
    response_class=HTMLResponse,
    tags=["pages"],
    summary="Advice for one vacancy (professionals only)",
    responses=FORBIDDEN,
)
def advice_page(
    request: Request,
    store: StoreDep,
    viewer: ViewerDep,
    settings: SettingsDep,
    dwelling: Annotated[str, Query(max_length=120, description="Dwelling id or address")] = "",
) -> Response:
    """The advice for a dwelling given by its id or address (a choice when several match)."""
    if not _allowed(viewer):
        return _forbidden_page(request)
    query = dwelling.strip()
    matches = pages.find_dwellings(store, query) if query else []
    if len(matches) != 1:
        if not query:
            message = _("Fill in a dwelling id or an address.")
        elif matches:
            message = _("Several dwellings match. Choose one.")
        else:
            message = _('No dwelling found for "%(query)s".') % {"query": query}
        status = 200 if matches else (400 if not query else 404)
        return _main_page(
            request, settings, query=query, matches=matches, message=message, status=status
        )
    dwelling_id = matches[0]["dwelling_id"]
    if dwelling_id != query:
        return RedirectResponse(f"/allocation/advice?dwelling={dwelling_id}", status_code=303)
    policy = pages.active_policy()
    stock = pages.stock_for(request.app.state, store, policy)
    advice = pages.build_advice(store, stock, dwelling_id, policy)
    return render(
        request,
        "allocation_advice.html",
        {
            "advice": advice,
            "json_url": f"/api/allocation/advice/{dwelling_id}",
            "nav": "allocation",
        },
    )


@router.post(
    "/allocation/plan",
    response_class=HTMLResponse,
    tags=["pages"],
    summary="A plan for uploaded vacancies and households (professionals only)",
    responses=FORBIDDEN,
)
def plan_page(
    request: Request,
    store: StoreDep,
    viewer: ViewerDep,
    settings: SettingsDep,
    vacancies: Upload = None,
    households: Upload = None,
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """The optimal plan under the default policy, with its certificate and cap breaches."""
    if not _allowed(viewer):
        return _forbidden_page(request)
    from veerkracht.web.routes.auth import check_csrf

    check_csrf(request, csrf_token)
    try:
        plan = _plan(request, store, vacancies, households)
    except UploadRejected as exc:
        return _main_page(request, settings, upload_error=exc.message_nl, status=400)
    return render(
        request,
        "allocation_plan.html",
        {"plan": plan, "nav": "allocation"},
    )


@router.get(
    "/allocation/simulations/{run}/{name}",
    tags=["pages"],
    summary="A CSV or chart of a simulation (professionals only)",
    responses=FORBIDDEN,
)
def simulation_file(
    request: Request, run: str, name: str, viewer: ViewerDep, settings: SettingsDep
) -> Response:
    """The file, served inline (CSV, PNG or SVG)."""
    if not _allowed(viewer):
        return _forbidden_page(request)
    found = pages.simulation_file(settings.workspace, run, name)
    if found is None:
        raise NotFound(f'no simulation file "{run}/{name}"')
    path, media = found
    response = FileResponse(
        path, media_type=media, filename=name, content_disposition_type="inline"
    )
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


# --- JSON twins ----------------------------------------------------------------------------------


@router.get(
    "/api/allocation",
    tags=["api"],
    summary="Allocation overview: policy and simulations (JSON twin; professionals only)",
    responses=FORBIDDEN,
)
def api_overview(viewer: ViewerDep, settings: SettingsDep) -> Any:
    """The default policy's caps and the simulation results found in the workspace."""
    if not _allowed(viewer):
        return _forbidden_json()
    return _overview(settings)


@router.get(
    "/api/allocation/advice/{dwelling_id}",
    tags=["api"],
    summary="Advice for one vacancy (JSON twin; professionals only)",
    responses=FORBIDDEN,
)
def api_advice(request: Request, dwelling_id: str, store: StoreDep, viewer: ViewerDep) -> Any:
    """Verdict ("past", "past met steun", "beter elders"), reasons and load per level."""
    if not _allowed(viewer):
        return _forbidden_json()
    policy = pages.active_policy()
    stock = pages.stock_for(request.app.state, store, policy)
    return pages.build_advice(store, stock, dwelling_id, policy)


@router.post(
    "/api/allocation/plan",
    tags=["api"],
    summary="A plan for uploaded vacancies and households (JSON twin; professionals only)",
    responses={**FORBIDDEN, 400: {"description": "A file is missing, too large or not correct"}},
)
def api_plan(
    request: Request,
    store: StoreDep,
    viewer: ViewerDep,
    vacancies: Upload = None,
    households: Upload = None,
) -> Any:
    """Multipart upload of ``vacancies`` and ``households`` (formats in docs/allocation.md)."""
    if not _allowed(viewer):
        return _forbidden_json()
    from veerkracht.web.routes.auth import check_csrf

    check_csrf(request, None)
    try:
        return _plan(request, store, vacancies, households)
    except UploadRejected as exc:
        payload = {
            "error": "UploadRejected",
            "detail": str(exc),
            "field": exc.field,
            "status": 400,
            "message_nl": exc.message_nl,
        }
        return JSONResponse(payload, status_code=400)


# --- helpers ---


def _allowed(viewer: Viewer) -> bool:
    try:
        require_allocation_viewer(viewer)
    except NotForThePublicAllocation:
        return False
    return True


def _read(upload: UploadFile | None) -> bytes | None:
    if upload is None:
        return None
    return upload.file.read(MAX_UPLOAD_BYTES + 1)


def _plan(
    request: Request,
    store: Store,
    vacancies: UploadFile | None,
    households: UploadFile | None,
) -> dict[str, Any]:
    vac = pages.check_upload("vacancies", _read(vacancies))
    hh = pages.check_upload("households", _read(households))
    policy = pages.active_policy()
    stock = pages.stock_for(request.app.state, store, policy)
    return pages.build_plan(stock, vac, hh, policy)


def _overview(settings: Settings) -> dict[str, Any]:
    policy = pages.active_policy()
    return {
        "policy": {"name": policy.name, "caps": [rule.describe() for rule in policy.caps]},
        "simulations": pages.list_simulations(settings.workspace),
        "simulations_folder": str(pages.simulations_folder(settings.workspace)),
        "max_upload_bytes": MAX_UPLOAD_BYTES,
    }


def _main_page(
    request: Request,
    settings: Settings,
    *,
    query: str = "",
    matches: list[dict[str, str]] | None = None,
    message: str | None = None,
    upload_error: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    from veerkracht.web.routes.auth import csrf_token

    response = render(
        request,
        "allocation.html",
        {
            **_overview(settings),
            "query": query,
            "matches": matches or [],
            "message": message,
            "upload_error": upload_error,
            "csrf": csrf_token(request) if "session" in request.scope else "",
            "max_mb": MAX_UPLOAD_BYTES // 2**20,
            "json_url": "/api/allocation",
            "nav": "allocation",
        },
    )
    response.status_code = status
    return response


def _forbidden_json() -> JSONResponse:
    payload = {"error": "Forbidden", "detail": "only for professionals and analysts", "status": 403}
    return JSONResponse({**payload, "message_nl": forbidden_text()}, status_code=403)


def _forbidden_page(request: Request) -> HTMLResponse:
    response = render(
        request,
        "analysis_forbidden.html",
        {"title": _("Only for professionals"), "text": forbidden_text()},
    )
    response.status_code = 403
    return response
