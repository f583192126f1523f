"""Domain errors translated once at the web edge: a Dutch page for people, JSON for /api."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from veerkracht.domain.levels import UNIT_LEVELS, Level, parse_level
from veerkracht.errors import InputError, NotFound, StoreError, UsageError, VeerkrachtError
from veerkracht.web.i18n import gettext as _
from veerkracht.web.labels import level_word


class UnknownLevel(UsageError):
    """A URL names a level that is not one of the unit levels."""

    def __init__(self, text: str) -> None:
        self.text = text
        allowed = ", ".join(level.value for level in UNIT_LEVELS)
        super().__init__(f'level "{text}" is not one of {allowed}')


class UnknownUnit(NotFound):
    """No unit of this level has this key."""

    def __init__(self, level: Level, key: str) -> None:
        self.level = level
        self.key = key
        super().__init__(f'no {level.value} with key "{key}"')


def require_level(text: str) -> Level:
    """The unit level named by ``text``, or UnknownLevel naming the allowed levels."""
    try:
        level = parse_level(text)
    except ValueError:
        raise UnknownLevel(text) from None
    if level not in UNIT_LEVELS:
        raise UnknownLevel(text)
    return level


def dutch_message(exc: Exception) -> tuple[str, str]:
    """A Dutch title and explanation for an error (B1: what happened, what you can do)."""
    if isinstance(exc, UnknownUnit):
        return _("Not found"), _('There is no %(level)s with code "%(key)s".') % {
            "level": level_word(exc.level),
            "key": exc.key,
        }
    if isinstance(exc, UnknownLevel):
        allowed = ", ".join(f"{level_word(lv)} ({lv.value})" for lv in UNIT_LEVELS)
        return _("Unknown level"), _('"%(text)s" is not a level. Choose one of: %(allowed)s.') % {
            "text": exc.text,
            "allowed": allowed,
        }
    if isinstance(exc, StoreError):
        return _("No data yet"), _(
            "There is no data to show yet. Run veerkracht demo or veerkracht build first."
        )
    if isinstance(exc, NotFound):
        return _("Not found"), _("This page does not exist.")
    if isinstance(exc, InputError):
        return _("Wrong request"), _("A value in this address is not correct: %(detail)s") % {
            "detail": str(exc)
        }
    if isinstance(exc, UsageError):
        return _("Wrong request"), _("This address is not complete or not correct.")
    return _("Something went wrong"), _("Something went wrong on our side. Try again later.")


def install_error_handlers(app: FastAPI) -> None:
    """Register the one handler for veerkracht errors and Dutch pages for HTTP errors."""
    app.add_exception_handler(VeerkrachtError, _handle_veerkracht_error)
    app.add_exception_handler(StarletteHTTPException, _handle_http_error)
    app.add_exception_handler(RequestValidationError, _handle_validation_error)


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path.endswith(".json")


def _render(request: Request, status: int, exc: Exception, payload: dict[str, Any]) -> Response:
    title, text = dutch_message(exc)
    if _wants_json(request):
        return JSONResponse(jsonable_encoder({**payload, "message_nl": text}), status_code=status)
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(
        request,
        "error.html",
        {"status": status, "title": title, "text": text, "detail": payload.get("detail")},
        status_code=status,
    )


async def _handle_veerkracht_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, VeerkrachtError)
    payload = {"error": type(exc).__name__, "detail": str(exc), "status": exc.http_status}
    return _render(request, exc.http_status, exc, payload)


async def _handle_http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 404:
        domain: Exception = NotFound(str(exc.detail))
    elif exc.status_code < 500:
        domain = UsageError(str(exc.detail))
    else:
        domain = VeerkrachtError(str(exc.detail))
    payload = {"error": "HTTPError", "detail": exc.detail, "status": exc.status_code}
    response = _render(request, exc.status_code, domain, payload)
    if isinstance(response, HTMLResponse) or exc.headers is None:
        return response
    response.headers.update(exc.headers)
    return response


async def _handle_validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    payload = {"error": "RequestValidationError", "detail": exc.errors(), "status": 422}
    return _render(request, 422, UsageError(str(exc)), payload)
