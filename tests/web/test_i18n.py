"""Dutch for people: every text has a Dutch translation; numbers are written the Dutch way."""

from __future__ import annotations

import pytest
from babel.messages.pofile import read_po

from veerkracht.web.i18n import catalogue_files, format_number, format_share, gettext


@pytest.mark.parametrize("path", catalogue_files("nl"), ids=lambda p: p.name)
def test_every_msgid_has_dutch_text(path) -> None:  # type: ignore[no-untyped-def]
    with path.open("rb") as handle:
        catalog = read_po(handle, locale="nl")
    missing = [
        m.id
        for m in catalog
        if m.id and not all(m.string if isinstance(m.string, tuple) else (m.string,))
    ]
    assert missing == []
    assert not [m.id for m in catalog if m.id and m.fuzzy]


def test_catalogue_is_loaded_without_a_compile_step() -> None:
    assert gettext("Skip to content") == "Naar de inhoud"
    assert gettext("entrances") == "portieken"


def test_numbers_are_dutch() -> None:
    assert format_share(0.125) == "12,5\u00a0%"
    assert format_number(1234) == "1.234"
    assert format_number(3.456, decimals=1) == "3,5"
    assert format_number(None) == "—"
