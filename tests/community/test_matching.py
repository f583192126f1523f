"""Matching a need to offers and places: a golden test on a small hand-made map.

The need is at (0, 0) in block B1 of street S1 in buurt N1. Along the x axis (so the distance is
the x coordinate) lie, from the need outwards:

    block B1      a2 bankje (10), a12 boodschappen, block only (20), a1 fietsen repareren (30),
                  a3 fietsen maken (50) — and a pending, a withdrawn, a story, an active resident
    street S1     a5 buurthuis (80), a4 fietsenwinkel (120)
    buurt N1      a7 speeltuin (200), a6 repair café "spullen repareren" (300)
    within 500 m  a8 bank (400), a9 fietsen repareren (450)
    too far       a10 (600)

The need "Iemand die mijn fiets kan repareren" has the words {fiets, repareren}: within a level,
offers sharing more of them come first, then the nearest.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from veerkracht.assessment.disclosure import Viewer
from veerkracht.community.audience import PUBLIC_ONLOOKER, Onlooker
from veerkracht.community.matching import (
    Need,
    keyword_score,
    keywords,
    match,
    match_need,
    need_from_signal,
)
from veerkracht.errors import InputError
from veerkracht.storage import Store
from veerkracht.storage import tables as t

N1, N2 = "BU99990100", "BU99990101"
NEED = Need(
    text="Iemand die mijn fiets kan repareren",
    x=0.0,
    y=0.0,
    block_key="B1",
    street_key="S1",
    neighbourhood_code=N1,
)

# asset_id, kind, name, description, visibility, status, x, block, street, buurt, first name
ROWS: list[tuple[Any, ...]] = [
    (
        "a1",
        "gift",
        "Ik kan fietsen repareren",
        "",
        "public",
        "approved",
        30,
        "B1",
        "S1",
        N1,
        "Joke van Dijk",
    ),
    ("a2", "place", "Bankje", "Bankje bij de ingang", "public", None, 10, "B1", "S1", N1, None),
    ("a3", "gift", "Fietsen maken", "", "public", "approved", 50, "B1", "S1", N1, "Ali"),
    ("a4", "economy", "Fietsenwinkel", "", "public", "approved", 120, "B2", "S1", N1, None),
    ("a5", "institution", "Buurthuis", "Koffie", "public", "approved", 80, "B2", "S1", N1, None),
    (
        "a6",
        "association",
        "Repair café",
        "Samen spullen repareren",
        "public",
        "approved",
        300,
        "B3",
        "S2",
        N1,
        None,
    ),
    ("a7", "place", "Speeltuin", "", "public", "approved", 200, "B3", "S2", N1, None),
    ("a8", "place", "Bank", "", "public", "approved", 400, "B4", "S3", N2, None),
    ("a9", "gift", "Fietsen repareren", "", "public", "approved", 450, "B4", "S3", N2, "Kim"),
    ("a10", "place", "Bank", "", "public", "approved", 600, "B5", "S3", N2, None),
    ("a11", "gift", "Fiets repareren", "", "public", "pending", 5, "B1", "S1", N1, "Piet"),
    ("a12", "gift", "Boodschappen doen", "", "block", "approved", 20, "B1", "S1", N1, "Els"),
    ("a13", "story", "Fietsverhaal", "", "public", "approved", 1, "B1", "S1", N1, None),
    ("a14", "gift", "Fietsen repareren", "", "public", "withdrawn", 2, "B1", "S1", N1, "Ton"),
    (
        "a15",
        "active_resident",
        "Actieve bewoner",
        "",
        "professional",
        "approved",
        3,
        "B1",
        "S1",
        N1,
        "Mia",
    ),
]
COLUMNS = (
    "asset_id",
    "kind",
    "name",
    "description",
    "visibility",
    "status",
    "x",
    "block_key",
    "street_key",
    "neighbourhood_code",
    "first_name",
)


def frame() -> pd.DataFrame:
    out = pd.DataFrame(ROWS, columns=list(COLUMNS))
    out["x"] = out["x"].astype(float)
    out["y"] = 0.0
    return out


def order(found: list[dict[str, Any]]) -> list[str]:
    return [f["asset_id"] for f in found]


def test_golden_order_by_level_then_keywords_then_distance() -> None:
    found = match(frame(), NEED, onlooker=PUBLIC_ONLOOKER)
    assert order(found) == ["a1", "a3", "a2", "a4", "a5", "a6", "a7", "a9", "a8"]
    assert [f["level"] for f in found] == ["block"] * 3 + ["street"] * 2 + ["neighbourhood"] * 2 + [
        "radius"
    ] * 2
    assert [f["score"] for f in found] == [2, 1, 0, 1, 0, 1, 0, 2, 0]
    # a resident's offer: first name only, distance rounded to 10 m, never a point for a map
    first = found[0]
    assert (first["first_name"], first["distance_m"], first["x"], first["y"]) == (
        "Joke",
        30,
        None,
        None,
    )
    assert "van Dijk" not in str(found)
    assert (found[2]["x"], found[2]["distance_m"]) == (10.0, 10)


def test_only_what_the_onlooker_may_see() -> None:
    resident = Onlooker(resident_blocks=frozenset({"B1"}))
    assert order(match(frame(), NEED, onlooker=resident))[:4] == ["a1", "a3", "a2", "a12"]
    west = Onlooker(viewer=Viewer(role="professional", scope=frozenset({"WK999901"})))
    seen = order(match(frame(), NEED, onlooker=west))
    # the pending offer (to moderate) and the block-only offer; never withdrawn, stories or
    # active residents
    assert seen[:5] == ["a11", "a1", "a3", "a2", "a12"]  # a11: both words, 5 m
    assert not {"a13", "a14", "a15", "a10"} & set(seen)
    east = Onlooker(viewer=Viewer(role="professional", scope=frozenset({"WK999902"})))
    assert order(match(frame(), NEED, onlooker=east)) == order(
        match(frame(), NEED, onlooker=PUBLIC_ONLOOKER)
    )


def test_kind_filter_and_radius() -> None:
    gifts = match(frame(), NEED, onlooker=PUBLIC_ONLOOKER, kinds=["gift"])
    assert order(gifts) == ["a1", "a3", "a9"]
    near = match(frame(), NEED, onlooker=PUBLIC_ONLOOKER, radius_m=420)
    assert order(near)[-1] == "a8" and "a9" not in order(near)
    with pytest.raises(InputError, match='kind "story" is not one of'):
        match(frame(), NEED, onlooker=PUBLIC_ONLOOKER, kinds=["story"])
    with pytest.raises(InputError, match="radius"):
        match(frame(), NEED, onlooker=PUBLIC_ONLOOKER, radius_m=0)


def test_keywords() -> None:
    assert keywords("Iemand die mijn fiets kan repareren!") == {"fiets", "repareren"}
    assert keyword_score({"fiets", "repareren"}, "Fietsenmaker: ik repareer alles") == 2
    assert keyword_score({"boodschappen"}, "Ik doe graag boodschappen") == 1
    assert keyword_score({"koffie"}, "Thee drinken") == 0


def test_a_signal_of_kind_idee_of_aanbod_is_a_need() -> None:
    signal = {
        "signal_id": "M-1",
        "category": "idee_aanbod",
        "description": "Wie helpt?",
        "x": 1.0,
        "y": 2.0,
        "block_key": "B1",
        "street_key": "S1",
        "neighbourhood_code": N1,
    }
    assert need_from_signal(signal) == Need("Wie helpt?", 1.0, 2.0, "B1", "S1", N1)
    with pytest.raises(InputError, match='only signals of kind "idee_aanbod"'):
        need_from_signal({**signal, "category": "overlast_geluid"})


def test_the_same_order_from_the_store(store: Store) -> None:
    rows = frame().to_dict("records")
    with store.engine.begin() as conn:
        conn.execute(
            t.assets.insert(), [{k: (None if v != v else v) for k, v in r.items()} for r in rows]
        )
    found = match_need(store, NEED, onlooker=PUBLIC_ONLOOKER)
    assert order(found) == ["a1", "a3", "a2", "a4", "a5", "a6", "a7", "a9", "a8"]
