"""Small helpers for the community tests: addresses in Demostad, actors, figures."""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy import select

from veerkracht.assessment.disclosure import Viewer
from veerkracht.community.intake import AssetIntake
from veerkracht.storage import Store
from veerkracht.storage import tables as t


def dwelling_in(
    store: Store, *, district: str, skip_blocks: set[str] | None = None
) -> dict[str, Any]:
    """The first dwelling (by id) of a district, outside ``skip_blocks``, with its address."""
    d = t.dwellings
    query = (
        select(d)
        .where(d.c.district_code == district, d.c.postcode.is_not(None))
        .order_by(d.c.dwelling_id)
    )
    with store.engine.connect() as conn:
        for row in conn.execute(query).mappings():
            if row["block_key"] and row["block_key"] not in (skip_blocks or set()):
                return dict(row)
    raise AssertionError(f"no dwelling in {district}")


def offer(home: dict[str, Any], **overrides: Any) -> AssetIntake:
    """A resident's offer at ``home`` (postcode + number), public, with consent."""
    values: dict[str, Any] = {
        "kind": "gift",
        "title": "Ik repareer fietsen",
        "description": "Lekke band? Kom langs.",
        "first_name": "Joke van Dijk",
        "audience": "public",
        "consent": True,
        "postcode": home["postcode"],
        "house_number": f"{home['house_number']}{home.get('house_letter') or ''}",
        "level": "block",
    }
    values.update(overrides)
    return AssetIntake(**values)


def figure(store: Store, level: str, key: str, indicator: str) -> float:
    """The stored value of one indicator of one unit (newest year)."""
    v = t.indicator_values
    query = (
        select(v.c.value)
        .where(v.c.level == level, v.c.key == key, v.c.indicator == indicator)
        .order_by(v.c.year.desc())
        .limit(1)
    )
    with store.engine.connect() as conn:
        value = conn.execute(query).scalar()
    assert value is not None, f"no {indicator} for {level} {key}"
    return float(value)


def indicator_rows(store: Store, indicators: list[str]) -> pd.DataFrame:
    """Every stored row of these indicators, sorted."""
    v = t.indicator_values
    with store.engine.connect() as conn:
        frame = pd.read_sql(select(v).where(v.c.indicator.in_(indicators)), conn)
    return frame.sort_values(["level", "key", "year", "indicator"]).reset_index(drop=True)


WEST = Viewer(role="professional", scope=frozenset({"WK999901"}), name="welzijn")
EAST = Viewer(role="professional", scope=frozenset({"WK999902"}), name="welzijn-oost")
