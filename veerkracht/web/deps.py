"""Request-scoped helpers shared by the routes: the store, the templates, rendering."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from veerkracht.settings import Settings
from veerkracht.storage.engine import Store


def get_store(request: Request) -> Store:
    """The store opened once when the app was created."""
    store: Store = request.app.state.store
    return store


def get_settings(request: Request) -> Settings:
    """The settings the app was created with."""
    settings: Settings = request.app.state.settings
    return settings


def render(request: Request, template: str, context: dict[str, Any]) -> HTMLResponse:
    """Render one page template with the page data and the app's common context."""
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(request, template, context)
