"""The web app factory: one store per app, Dutch templates, static files, the routes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import jinja2
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from veerkracht import __version__
from veerkracht.settings import Settings
from veerkracht.storage import open_store
from veerkracht.web.errors import install_error_handlers
from veerkracht.web.filters import FILTERS
from veerkracht.web.i18n import DEFAULT_LOCALE, load_translations
from veerkracht.web.labels import level_options
from veerkracht.web.routes import allocation, analysis, assets, assets_work, data, start, units
from veerkracht.web.routes import initiatives as initiative_routes
from veerkracht.web.routes import intervention_log as log_routes
from veerkracht.web.routes import interventions as intervention_routes
from veerkracht.web.routes import reports as report_routes
from veerkracht.web.routes.signals import install_signals

HERE = Path(__file__).parent


def create_app(settings: Settings) -> FastAPI:
    """A FastAPI app serving the store named by ``settings`` (opened once, here)."""
    store = open_store(settings.store_url)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        store.dispose()

    app = FastAPI(
        title="veerkracht",
        version=__version__,
        description="Veerkracht of Dutch neighbourhoods per portiek, building, block and street.",
        lifespan=lifespan,
        # Swagger UI and ReDoc load their scripts from a CDN; nothing may be fetched at run time.
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.store = store
    app.state.templates = _templates(settings)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(intervention_routes.router)  # before units: {key:path} would swallow it
    app.include_router(log_routes.router)  # before units, for …/log
    app.include_router(report_routes.router)  # before units, for …/report
    for module in (start, units, data, analysis, allocation):
        app.include_router(module.router)
    install_error_handlers(app)
    install_signals(app, settings)
    app.include_router(assets.router)
    app.include_router(assets_work.router)
    app.include_router(initiative_routes.router)
    return app


def _templates(settings: Settings) -> Jinja2Templates:
    """Jinja2 with the i18n extension bound to the Dutch catalogue and Dutch number filters."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(  # type: ignore[attr-defined]
        load_translations(DEFAULT_LOCALE), newstyle=True
    )
    env.filters.update(FILTERS)
    env.globals["lang"] = DEFAULT_LOCALE
    env.globals["levels"] = level_options()
    env.globals["basemap_url"] = settings.basemap_url
    env.globals["version"] = __version__
    return Jinja2Templates(env=env)
