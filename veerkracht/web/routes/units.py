"""Unit pages and the units API: the HTML page and its JSON twin share one builder."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse

from veerkracht.assessment.disclosure import Viewer
from veerkracht.errors import InputError
from veerkracht.storage.engine import Store
from veerkracht.web.deps import get_store, render
from veerkracht.web.errors import require_level
from veerkracht.web.geo import parse_bbox
from veerkracht.web.pages.models import UnitList, UnitPage
from veerkracht.web.pages.unit import build_unit_map, build_unit_page
from veerkracht.web.pages.units import DEFAULT_LEVEL, build_unit_layer, build_unit_list
from veerkracht.web.routes.assets import get_resident_blocks
from veerkracht.web.viewer import get_viewer

router = APIRouter()

LevelPath = Annotated[
    str,
    Path(description="entrance, building, block, street, neighbourhood, district, municipality"),
]
KeyPath = Annotated[str, Path(description="The unit's key, e.g. a block key or a CBS code")]
Format = Literal["json", "geojson"]


@router.get(
    "/units/{level}/{key:path}", response_class=HTMLResponse, tags=["pages"], summary="Unit page"
)
def unit_page(
    request: Request,
    level: LevelPath,
    key: KeyPath,
    store: Annotated[Store, Depends(get_store)],
    viewer: Annotated[Viewer, Depends(get_viewer)],
    blocks: Annotated[frozenset[str], Depends(get_resident_blocks)],
) -> HTMLResponse:
    """A unit's figures, its place in the levels and what lies inside it."""
    page = build_unit_page(
        store, level=require_level(level), key=key, viewer=viewer, resident_blocks=blocks
    )
    return render(request, "unit.html", {"page": page, "json_url": page.unit.api_url})


@router.get(
    "/api/units",
    response_model=UnitList,
    tags=["api"],
    summary="Units of one level",
    responses={200: {"content": {"application/geo+json": {}}}},
)
def api_units(
    store: Annotated[Store, Depends(get_store)],
    level: Annotated[str, Query(description="Unit level")] = DEFAULT_LEVEL.value,
    format: Annotated[Format, Query(description="json, or geojson for the map layer")] = "json",
    bbox: Annotated[
        str | None, Query(description="west,south,east,north in WGS84 (geojson only)")
    ] = None,
) -> Any:
    """The units of a level sorted by name; ``format=geojson`` gives the map layer in WGS84."""
    chosen = require_level(level)
    if format == "geojson":
        return _geojson(build_unit_layer(store, level=chosen, bbox=_bbox(bbox)))
    return build_unit_list(store, level=chosen)


@router.get(
    "/api/units/{level}/{key:path}",
    response_model=UnitPage,
    tags=["api"],
    summary="One unit (JSON twin of the unit page)",
    responses={200: {"content": {"application/geo+json": {}}}},
)
def api_unit(
    level: LevelPath,
    key: KeyPath,
    store: Annotated[Store, Depends(get_store)],
    viewer: Annotated[Viewer, Depends(get_viewer)],
    blocks: Annotated[frozenset[str], Depends(get_resident_blocks)],
    format: Annotated[Format, Query(description="json, or geojson for the unit's map")] = "json",
) -> Any:
    """The same data as the unit page; ``format=geojson`` gives its small map in WGS84."""
    chosen = require_level(level)
    if format == "geojson":
        return _geojson(build_unit_map(store, level=chosen, key=key))
    return build_unit_page(store, level=chosen, key=key, viewer=viewer, resident_blocks=blocks)


def _bbox(text: str | None) -> tuple[float, float, float, float] | None:
    if text is None:
        return None
    try:
        return parse_bbox(text)
    except ValueError as exc:
        raise InputError(str(exc), field="bbox") from None


def _geojson(collection: dict[str, Any]) -> JSONResponse:
    return JSONResponse(collection, media_type="application/geo+json")
