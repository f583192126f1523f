"""Analysis pages and their JSON twins: warnings, positive deviance, the indicator reference.

The two lists answer 403 to the public (a Dutch page or JSON saying they are for professionals);
professionals, analysts and admins see the units in their scope.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from veerkracht.assessment.disclosure import Viewer
from veerkracht.storage.engine import Store
from veerkracht.web.deps import get_store, render
from veerkracht.web.i18n import gettext as _
from veerkracht.web.pages.analysis import (
    KINDS,
    NotForThePublic,
    build_finding_layer,
    build_finding_list,
    build_indicator_reference,
)
from veerkracht.web.pages.models import FindingList, IndicatorReference
from veerkracht.web.viewer import get_viewer

router = APIRouter()

Format = Literal["json", "geojson"]
FORBIDDEN: dict[int | str, dict[str, Any]] = {
    403: {"description": "Not for the public: only for professionals"}
}
KIND_OF_SLUG = {slug: kind for kind, (slug, _title, _intro) in KINDS.items()}


def _list_page(kind: str):  # type: ignore[no-untyped-def]
    def page(
        request: Request,
        store: Annotated[Store, Depends(get_store)],
        viewer: Annotated[Viewer, Depends(get_viewer)],
    ) -> Response:
        try:
            data = build_finding_list(store, kind=kind, viewer=viewer)
        except NotForThePublic:
            return _forbidden_page(request)
        slug = KINDS[kind][0]
        return render(
            request,
            "analysis_list.html",
            {"page": data, "json_url": f"/api/analysis/{slug}", "nav": f"analysis-{slug}"},
        )

    return page


def _list_api(kind: str):  # type: ignore[no-untyped-def]
    def api(
        store: Annotated[Store, Depends(get_store)],
        viewer: Annotated[Viewer, Depends(get_viewer)],
        format: Annotated[Format, Query(description="json, or geojson for the map layer")] = "json",
    ) -> Any:
        try:
            if format == "geojson":
                return JSONResponse(
                    build_finding_layer(store, kind=kind, viewer=viewer),
                    media_type="application/geo+json",
                )
            return build_finding_list(store, kind=kind, viewer=viewer)
        except NotForThePublic as exc:
            payload = {"error": "Forbidden", "detail": str(exc), "status": 403}
            return JSONResponse({**payload, "message_nl": _forbidden_text()}, status_code=403)

    return api


for _kind, (_slug, _title, _intro) in KINDS.items():
    router.add_api_route(
        f"/analysis/{_slug}",
        _list_page(_kind),
        methods=["GET"],
        response_class=HTMLResponse,
        tags=["pages"],
        summary=f"{_kind.replace('_', ' ').capitalize()} list (professionals only)",
        responses=FORBIDDEN,
    )
    router.add_api_route(
        f"/api/analysis/{_slug}",
        _list_api(_kind),
        methods=["GET"],
        response_model=FindingList,
        tags=["api"],
        summary=f"{_kind.replace('_', ' ').capitalize()} list (JSON twin; professionals only)",
        responses={**FORBIDDEN, 200: {"content": {"application/geo+json": {}}}},
    )


@router.get(
    "/indicators", response_class=HTMLResponse, tags=["pages"], summary="Indicator reference"
)
def indicators_page(request: Request) -> HTMLResponse:
    """Every indicator: what it means, its unit, family, source and privacy class."""
    page = build_indicator_reference()
    return render(
        request,
        "indicators.html",
        {"page": page, "json_url": "/api/indicators", "nav": "indicators"},
    )


@router.get(
    "/api/indicators",
    response_model=IndicatorReference,
    tags=["api"],
    summary="Indicator reference (JSON twin)",
)
def api_indicators() -> IndicatorReference:
    """The indicator registry as data."""
    return build_indicator_reference()


def _forbidden_text() -> str:
    return _(
        "These lists are only for professionals who work in this area. That way no street is "
        "ranked in public. Log in if you have an account."
    )


def _forbidden_page(request: Request) -> HTMLResponse:
    response = render(
        request,
        "analysis_forbidden.html",
        {"title": _("Only for professionals"), "text": _forbidden_text()},
    )
    response.status_code = 403
    return response
