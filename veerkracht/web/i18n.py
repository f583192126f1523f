"""Dutch for people: translations read from the .po catalogue, numbers formatted the Dutch way.

The catalogue ``locales/nl/LC_MESSAGES/messages.po`` (English msgids, Dutch msgstr), together with
the other ``*.po`` files next to it (one per part of the app, merged), is read with Babel when the
app starts and turned into gettext translations in memory, so no compile step is
needed at install time and a pip-installed package needs nothing but its package data.
"""

from __future__ import annotations

import io
import math
from functools import lru_cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import Translations

LOCALES = Path(__file__).parent / "locales"
DEFAULT_LOCALE = "nl"


@lru_cache(maxsize=4)
def load_translations(locale: str = DEFAULT_LOCALE) -> Translations:
    """Gettext translations for ``locale`` built from its .po file (cached per process)."""
    catalog = None
    for path in catalogue_files(locale):
        with path.open("rb") as handle:
            part = read_po(handle, locale=locale)
        if catalog is None:
            catalog = part
            continue
        for message in part:
            if message.id and message.id not in catalog:
                catalog[message.id] = message
    assert catalog is not None
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(fp=buffer, domain="messages")


def catalogue_files(locale: str = DEFAULT_LOCALE) -> list[Path]:
    """The .po files of ``locale``: ``messages.po`` first, then the others by name."""
    folder = LOCALES / locale / "LC_MESSAGES"
    main = folder / "messages.po"
    return [main, *sorted(p for p in folder.glob("*.po") if p != main)]


def gettext(message: str, locale: str = DEFAULT_LOCALE) -> str:
    """The Dutch text of ``message`` (the English msgid when it has no translation)."""
    return load_translations(locale).gettext(message)


def format_number(value: float | None, *, decimals: int = 0, locale: str = DEFAULT_LOCALE) -> str:
    """A number the Dutch way: ``1.234`` or ``12,5``; an em dash when missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=locale)


def format_share(share: float | None, *, locale: str = DEFAULT_LOCALE) -> str:
    """A share (0–1) as a Dutch percentage with one decimal and a space: ``12,5 %``."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return "—"
    return f"{format_number(share * 100, decimals=1, locale=locale)}\u00a0%"
