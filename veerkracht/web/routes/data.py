"""The /data page: where the data comes from (the import log) and what was built."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from veerkracht.storage.engine import Store
from veerkracht.web.deps import get_store, render
from veerkracht.web.pages.models import DataPage
from veerkracht.web.pages.sources import build_data_page

router = APIRouter()


@router.get("/data", response_class=HTMLResponse, tags=["pages"], summary="Data sources page")
def data_page(request: Request, store: Annotated[Store, Depends(get_store)]) -> HTMLResponse:
    """The import log: source, file, when, counts and licence."""
    return render(request, "data.html", {"page": build_data_page(store), "json_url": "/api/data"})


@router.get("/api/data", response_model=DataPage, tags=["api"], summary="Import log (JSON twin)")
def api_data(store: Annotated[Store, Depends(get_store)]) -> DataPage:
    """The same data as the /data page."""
    return build_data_page(store)
