"""The web app: create_app(settings), routes per page family, templates, static files, locales."""

from veerkracht.web.app import create_app

__all__ = ["create_app"]
