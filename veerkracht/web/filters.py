"""Jinja2 filters that turn page data into Dutch text."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from babel.dates import format_datetime

from veerkracht.web.i18n import DEFAULT_LOCALE, format_number, format_share
from veerkracht.web.i18n import gettext as _
from veerkracht.web.labels import N_, in_this

#: How an entrance was formed (the ``rule`` column), in words.
ENTRANCE_RULES: dict[str, str] = {
    "stock": N_("from the housing corporation's stock file"),
    "number": N_("same building, street and house number"),
    "stack": N_("address points stacked in one building"),
    "paired": N_("two stacks of address points around one stairwell"),
    "gallery": N_("dwellings along one gallery"),
    "alone": N_("a dwelling with its own front door"),
}


def dutch_datetime(value: datetime | None) -> str:
    """``21 nov. 2025 14:03`` style date and time."""
    if value is None:
        return "—"
    return format_datetime(value, format="d MMM y HH:mm", locale=DEFAULT_LOCALE)


def entrance_rule(rule: str | None) -> str:
    """The Dutch explanation of an entrance rule (the code itself when unknown)."""
    if not rule:
        return ""
    msgid = ENTRANCE_RULES.get(rule)
    return _(msgid) if msgid else rule


def bare_name(unit: Any) -> str:
    """A unit's name without a leading level word ("Blok Beukenstraat 1–71" → "Beukenstraat 1–71"),
    for places where the level is shown beside it."""
    name, label = str(unit.name), str(unit.level_label)
    if name.casefold().startswith(label.casefold() + " "):
        return name[len(label) + 1 :]
    return name


#: Words of the import reports, as msgids (unknown words are shown as they are).
REPORT_WORDS: dict[str, str] = {
    "read": N_("read"),
    "used": N_("used"),
    "skipped": N_("skipped"),
    "counts": N_("counts"),
    "notes": N_("notes"),
    "areas": N_("areas"),
    "assets": N_("assets (places, groups, active residents)"),
    "buildings": N_("buildings"),
    "dwellings": N_("dwellings"),
    "lettings": N_("lettings"),
    "moveouts": N_("move-outs"),
    "nuisance": N_("nuisance complaints"),
    "signals": N_("signals"),
    "stock": N_("corporation dwellings"),
}

#: Report entries that repeat what the table already shows.
_REPORT_SKIP = {"source"}


def report_items(report: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, str]]:
    """An import report flattened to (name, value) pairs in Dutch; empty entries left out."""
    for name, value in report.items():
        if name in _REPORT_SKIP or value in (None, "", [], {}):
            continue
        word = _(REPORT_WORDS[name]) if name in REPORT_WORDS else name.replace("_", " ")
        label = f"{prefix}{word}"
        if isinstance(value, dict):
            yield from report_items(value, prefix=f"{label} · ")
        elif isinstance(value, bool) or value is None:
            yield label, str(value)
        elif isinstance(value, int | float):
            yield label, format_number(value, decimals=0 if float(value).is_integer() else 2)
        elif isinstance(value, list):
            yield label, ", ".join(str(v) for v in value)
        else:
            yield label, str(value)


FILTERS = {
    "number": format_number,
    "share": format_share,
    "datetime": dutch_datetime,
    "entrance_rule": entrance_rule,
    "report_items": report_items,
    "in_this": in_this,
    "bare_name": bare_name,
}
