"""The start page: the map of the district with a level switch and a list of units."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from veerkracht.storage.engine import Store
from veerkracht.storage.units import require_build
from veerkracht.web.deps import get_store, render
from veerkracht.web.errors import require_level
from veerkracht.web.pages.units import DEFAULT_LEVEL, build_unit_list

router = APIRouter()


@router.get("/", response_class=HTMLResponse, tags=["pages"], summary="Start page with the map")
def start_page(
    request: Request,
    store: Annotated[Store, Depends(get_store)],
    level: Annotated[str, Query(description="Level shown on the map and in the list")] = (
        DEFAULT_LEVEL.value
    ),
) -> HTMLResponse:
    """The map and the list of units of one level; JSON twin: ``/api/units?level=…``."""
    chosen = require_level(level)
    require_build(store)
    page = build_unit_list(store, level=chosen)
    return render(
        request,
        "start.html",
        {"page": page, "json_url": f"/api/units?level={chosen}"},
    )
