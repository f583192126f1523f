"""Serve the web app with uvicorn (the CLI's `serve` and `demo` call this)."""

from __future__ import annotations

import uvicorn

from veerkracht.settings import Settings
from veerkracht.web.app import create_app


def serve(settings: Settings, *, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Run the app for ``settings`` until interrupted."""
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")
