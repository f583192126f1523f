"""Printable reports of a unit: the HTML page, the PDF and the JSON twin share one builder.

Registered before the unit pages: their ``{key:path}`` would otherwise swallow ``…/report``.
"""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Depends, Path
from fastapi.responses import HTMLResponse, Response

from veerkracht.assessment.disclosure import Viewer
from veerkracht.storage.engine import Store
from veerkracht.web.deps import get_store
from veerkracht.web.errors import require_level
from veerkracht.web.reports.models import Report
from veerkracht.web.reports.render import ReportLinks, render_html, render_pdf
from veerkracht.web.reports.vignette import build_report
from veerkracht.web.viewer import get_viewer

router = APIRouter()

LevelPath = Annotated[str, Path(description="block or street (a vignette), neighbourhood")]
KeyPath = Annotated[str, Path(description="The unit's key, e.g. a block key or a CBS code")]


@router.get(
    "/units/{level}/{key:path}/report",
    response_class=HTMLResponse,
    tags=["pages"],
    summary="Printable report of a unit (vignette or buurt report)",
)
def report_page(
    level: LevelPath,
    key: KeyPath,
    store: Annotated[Store, Depends(get_store)],
    viewer: Annotated[Viewer, Depends(get_viewer)],
) -> HTMLResponse:
    """The vignette of a block or street, or the buurt report, as one printable HTML page."""
    report = _report(store, level, key, viewer)
    links = ReportLinks(
        unit=report.unit.url,
        pdf=f"{report.unit.url}/report.pdf",
        json_url=f"{report.unit.api_url}/report",
    )
    return HTMLResponse(render_html(report, links=links))


@router.get(
    "/units/{level}/{key:path}/report.pdf",
    response_class=Response,
    tags=["pages"],
    summary="The same report as an A4 PDF",
    responses={200: {"content": {"application/pdf": {}}}},
)
def report_pdf(
    level: LevelPath,
    key: KeyPath,
    store: Annotated[Store, Depends(get_store)],
    viewer: Annotated[Viewer, Depends(get_viewer)],
) -> Response:
    """The report as a PDF (made with WeasyPrint), for this viewer."""
    report = _report(store, level, key, viewer)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", f"veerkracht-{report.unit.level}-{report.unit.key}")
    return Response(
        render_pdf(render_html(report)),
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{name}.pdf"'},
    )


@router.get(
    "/api/units/{level}/{key:path}/report",
    response_model=Report,
    tags=["api"],
    summary="A unit's report as data (JSON twin of the printable report)",
)
def api_report(
    level: LevelPath,
    key: KeyPath,
    store: Annotated[Store, Depends(get_store)],
    viewer: Annotated[Viewer, Depends(get_viewer)],
) -> Report:
    """The same data as the printable report, with its images as data: URIs."""
    return _report(store, level, key, viewer)


def _report(store: Store, level: str, key: str, viewer: Viewer) -> Report:
    return build_report(store, level=require_level(level), key=key, viewer=viewer)
