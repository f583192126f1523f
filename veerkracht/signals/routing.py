"""Routing as data: rules evaluated in order, the first match wins (category, area, time)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from veerkracht.domain.signals import BY_CODE


def route(
    rules: Iterable[dict[str, Any]], *, category: str, area_codes: set[str], hour: int
) -> tuple[str | None, str | None]:
    """(team_id, assignee) of the first rule matching; (None, None) when none matches.

    A rule's ``category`` is a category code, a group code or empty (any); ``area_code`` a BU,
    WK or GM code or empty (anywhere); ``from_hour``/``to_hour`` a local-time window
    ``[from, to)`` that may pass midnight (e.g. 22 → 7), or empty (always).
    """
    group = BY_CODE[category].group if category in BY_CODE else None
    for rule in rules:
        if rule.get("category") not in (None, "", category, group):
            continue
        if rule.get("area_code") and rule["area_code"] not in area_codes:
            continue
        if not _in_window(hour, rule.get("from_hour"), rule.get("to_hour")):
            continue
        return rule["team_id"], rule.get("assignee") or None
    return None, None


def _in_window(hour: int, start: int | None, end: int | None) -> bool:
    if start is None or end is None:
        return True
    if start <= end:
        return start <= hour < end
    return hour >= start or hour < end
