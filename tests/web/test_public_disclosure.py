"""A public (not logged-in) request never returns a sensitive count under 10, any sensitive
figure below block level, or an estimate made from exact counts; the analysis lists are 403.

Walks every GET endpoint in the app's own OpenAPI schema over the Demostad workspace. Unit
endpoints are walked for every level: every block, street and area, and a sample of entrances
and buildings.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from veerkracht.domain.levels import PUBLIC_MIN_LEVEL, Level, rank
from veerkracht.indicators.base import Disclosure
from veerkracht.indicators.registry import BY_KEY

SENSITIVE = {k for k, i in BY_KEY.items() if i.disclosure == Disclosure.SENSITIVE}
MIN_CELL = 10
#: Entrances and buildings are many; a spread sample of each (every block and street is walked).
SAMPLE = 25
ANALYSIS = ("/api/analysis/", "/analysis/")
#: Values for path parameters of endpoints that are not about units (their own tests cover them).
OTHER_PARAMS = {"token": "x", "signal_id": "1", "request_id": "1", "code": "x", "fmt": "json"}


def _units(client: TestClient) -> Iterator[tuple[str, str]]:
    for level in Level:
        if level == Level.DWELLING:
            continue
        units = client.get(f"/api/units?level={level.value}").json()["units"]
        if level in (Level.ENTRANCE, Level.BUILDING):
            step = max(1, len(units) // SAMPLE)
            units = units[::step]
        for unit in units:
            yield level.value, unit["api_url"]


def _urls(client: TestClient) -> list[str]:
    paths = client.app.openapi()["paths"]  # type: ignore[attr-defined]
    urls: list[str] = []
    for path, operations in sorted(paths.items()):
        if "get" not in operations:
            continue
        if path == "/api/units/{level}/{key}":
            for _level, api_url in _units(client):
                urls += [api_url, f"{api_url}?format=geojson"]
        elif path == "/api/units":
            urls += [f"/api/units?level={lv.value}" for lv in Level if lv != Level.DWELLING]
            urls += ["/api/units?level=block&format=geojson"]
        elif "{" in path:
            url = path
            for name in re.findall(r"{(\w+)}", path):
                url = url.replace("{" + name + "}", OTHER_PARAMS.get(name, "x"))
            urls.append(url)
        else:
            urls.append(path)
            if path.startswith("/api/analysis/"):
                urls.append(f"{path}?format=geojson")
    return urls


def _figures(payload: Any, level: str | None = None) -> Iterator[tuple[dict[str, Any], str | None]]:
    """Every dict naming an indicator, with the level of the unit it describes."""
    if isinstance(payload, dict):
        if isinstance(payload.get("unit"), dict) and "groups" in payload:
            level = payload["unit"].get("level", level)
        if payload.get("indicator") in BY_KEY:
            yield payload, level
        for key, value in payload.items():
            if key == "parent" and isinstance(value, dict):
                yield {**value, "indicator": payload.get("indicator")}, value.get("level")
                continue
            yield from _figures(value, level)
    elif isinstance(payload, list):
        for item in payload:
            yield from _figures(item, level)


def _problems(url: str, payload: Any) -> list[str]:
    found = []
    for figure, level in _figures(payload):
        key = figure["indicator"]
        if key not in SENSITIVE:
            continue
        for name in ("numerator", "denominator"):
            number = figure.get(name)
            if number is not None and number < MIN_CELL:
                found.append(f"{url}: {key} {name}={number} (under {MIN_CELL})")
            if number is not None and number % 5:
                found.append(f"{url}: {key} {name}={number} (not rounded to 5)")
        count = figure.get("value") if figure.get("unit") == "count" else None
        if count is not None and count < MIN_CELL:
            found.append(f"{url}: {key} count {count} (under {MIN_CELL})")
        below = level is not None and rank(Level(level)) < rank(PUBLIC_MIN_LEVEL)
        if below and figure.get("value") is not None:
            found.append(f"{url}: {key} shown below block level ({level})")
        for name in ("estimate", "lower", "upper"):
            if figure.get(name) is not None:
                found.append(f"{url}: {key} {name} shown to the public (made from exact counts)")
        if figure.get("estimate_text") or (below and figure.get("gap_text")):
            found.append(f"{url}: {key} text made from exact or below-block figures")
        for point in figure.get("points") or []:
            if below and point.get("value") is not None:
                found.append(f"{url}: {key} trend point below block level")
    return found


@pytest.fixture(scope="module")
def walked(client: TestClient) -> dict[str, Any]:
    """Every public GET endpoint answered for the public viewer (no login)."""
    client.cookies.clear()
    responses = {}
    for url in _urls(client):
        response = client.get(url)
        assert response.status_code < 500, f"{url}: {response.status_code}"
        responses[url] = response
    return responses


def test_the_walk_covers_every_level_and_the_analysis_endpoints(walked: dict[str, Any]) -> None:
    unit_pages = [u for u in walked if u.startswith("/api/units/") and "format" not in u]
    for level in Level:
        if level != Level.DWELLING:
            assert any(u.startswith(f"/api/units/{level.value}/") for u in unit_pages), level
    assert "/api/analysis/warnings" in walked and "/api/indicators" in walked
    assert len(unit_pages) > 100


def test_no_sensitive_count_under_10_and_nothing_sensitive_below_block(
    walked: dict[str, Any],
) -> None:
    problems: list[str] = []
    checked = 0
    for url, response in walked.items():
        if response.status_code != 200 or "json" not in response.headers.get("content-type", ""):
            continue
        checked += 1
        problems += _problems(url, response.json())
    assert checked > 100
    assert problems == []


def test_sensitive_figures_are_really_shown_where_allowed(walked: dict[str, Any]) -> None:
    """The walk is not vacuous: the public sees some sensitive figures on area pages."""
    shown = [
        figure
        for url, response in walked.items()
        if url.startswith("/api/units/neighbourhood/") and "format" not in url
        for figure, _level in _figures(response.json())
        if figure["indicator"] in SENSITIVE and figure.get("value") is not None
    ]
    assert shown


@pytest.mark.parametrize("path", ["warnings", "positive-deviance"])
def test_analysis_lists_are_403_for_the_public(
    walked: dict[str, Any], client: TestClient, path: str
) -> None:
    for url in (f"/api/analysis/{path}", f"/api/analysis/{path}?format=geojson"):
        response = walked[url]
        assert response.status_code == 403
        assert "professionals" in response.json()["message_nl"]
        assert "features" not in response.json() and "groups" not in response.json()
    page = client.get(f"/analysis/{path}")
    assert page.status_code == 403
    assert "Alleen voor professionals" in page.text
    assert "geen straat" in page.text.lower()
