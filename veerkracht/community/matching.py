"""Matching a need to what the neighbourhood has: offers of residents, places, institutions.

A need (text plus a place: a point with the keys of its block, street and buurt) gets the assets
nearby, ordered first by level — the same block, then the same street, then the same buurt,
then anything within ``radius_m`` — then, within a level, by a simple keyword score (offers whose
words match the need first) and by distance. Only what the onlooker may see is returned
(``audience.can_see``); of a person, only the first name.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

import pandas as pd

from veerkracht.community.audience import Onlooker, can_see, first_name_only
from veerkracht.domain.assets import AssetKind
from veerkracht.domain.levels import KEY_COLUMN, UNIT_LEVELS, Level, rank
from veerkracht.errors import InputError, NotFound
from veerkracht.storage import initiatives as db
from veerkracht.storage.engine import Store

#: Kinds a need can be matched to (never stories or active residents).
MATCH_KINDS: tuple[AssetKind, ...] = (
    AssetKind.GIFT,
    AssetKind.PLACE,
    AssetKind.INSTITUTION,
    AssetKind.ASSOCIATION,
    AssetKind.ECONOMY,
)
DEFAULT_RADIUS_M = 500.0
MAX_RADIUS_M = 5000.0

_STOP_TEXT = (
    "aan als bij dat de die doe doen een en er graag het hier iemand ik in is kan kunnen maar "
    "met mijn naar niet nog of om onze ook op te van voor wat we wel wij wil willen zijn "
    "and can for the with who would like"
)
#: Words too common to say anything about a match (Dutch and English).
STOPWORDS = frozenset(_STOP_TEXT.split())
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


class MatchLevel(IntEnum):
    """How close an asset is to the need, from closest (0) to farthest."""

    BLOCK = 0
    STREET = 1
    NEIGHBOURHOOD = 2
    RADIUS = 3


@dataclass(frozen=True)
class Need:
    """What somebody needs, and where (RD New point plus the keys of its units)."""

    text: str
    x: float
    y: float
    block_key: str | None = None
    street_key: str | None = None
    neighbourhood_code: str | None = None


def match(
    assets: pd.DataFrame,
    need: Need,
    *,
    onlooker: Onlooker,
    kinds: Collection[str] | None = None,
    radius_m: float = DEFAULT_RADIUS_M,
    limit: int = 50,
) -> list[dict[str, Any]]:
    """The assets that fit ``need``, closest level first, then keyword score, then distance."""
    chosen = check_kinds(kinds)
    if not 0 < radius_m <= MAX_RADIUS_M:
        raise InputError(
            f"radius {radius_m} m is not between 0 and {MAX_RADIUS_M:.0f} m", field="radius_m"
        )
    words = keywords(need.text)
    found = []
    for row in assets.to_dict("records"):
        if row["kind"] not in chosen or not _visible(onlooker, row):
            continue
        distance = math.hypot(float(row["x"]) - need.x, float(row["y"]) - need.y)
        level = _level(row, need, distance, radius_m)
        if level is None:
            continue
        score = keyword_score(words, f"{row.get('name') or ''} {row.get('description') or ''}")
        found.append((level, -score, distance, str(row["asset_id"]), row, score))
    found.sort(key=lambda f: f[:4])
    return [
        _item(row, level, distance, score) for level, _s, distance, _id, row, score in found[:limit]
    ]


def match_need(
    store: Store,
    need: Need,
    *,
    onlooker: Onlooker,
    kinds: Collection[str] | None = None,
    radius_m: float = DEFAULT_RADIUS_M,
    limit: int = 50,
) -> list[dict[str, Any]]:
    """``match`` over the stored assets."""
    from veerkracht.storage.assets import read_assets

    frame = read_assets(store, kinds=[k.value for k in MATCH_KINDS])
    return match(frame, need, onlooker=onlooker, kinds=kinds, radius_m=radius_m, limit=limit)


def need_from_signal(signal: dict[str, Any]) -> Need:
    """The need a resident described in a signal of kind "idee of aanbod"."""
    if signal.get("category") != "idee_aanbod":
        raise InputError(
            f'signal {signal.get("signal_id")} is of kind "{signal.get("category")}"; '
            'only signals of kind "idee_aanbod" (idee of aanbod) can be matched',
            field="category",
        )
    return Need(
        text=signal.get("description") or "",
        x=float(signal["x"]),
        y=float(signal["y"]),
        block_key=signal.get("block_key"),
        street_key=signal.get("street_key"),
        neighbourhood_code=signal.get("neighbourhood_code"),
    )


def need_at_unit(store: Store, level: str, key: str, text: str) -> Need:
    """A need somewhere in a unit (its label point; its block, street and buurt where they fit)."""
    try:
        chosen = Level(level)
    except ValueError:
        chosen = None
    if chosen not in UNIT_LEVELS:
        allowed = ", ".join(lv.value for lv in UNIT_LEVELS)
        raise InputError(f'level "{level}" is not one of {allowed}', field="level")
    assert chosen is not None
    point = db.read_unit_point(store, chosen.value, key)
    if point is None or point["x"] is None:
        raise NotFound(f'no {chosen.value} with key "{key}"')
    keys = db.read_unit_keys(store, KEY_COLUMN[chosen], key)
    small = rank(chosen)
    return Need(
        text=text,
        x=float(point["x"]),
        y=float(point["y"]),
        block_key=keys["block_key"] if small <= rank(Level.BLOCK) else None,
        street_key=keys["street_key"] if small <= rank(Level.STREET) else None,
        neighbourhood_code=keys["neighbourhood_code"]
        if small <= rank(Level.NEIGHBOURHOOD)
        else None,
    )


def need_at_address(store: Store, postcode: str, house_number: int, text: str) -> Need:
    """A need at an address (postcode and house number of a stored dwelling)."""
    code = str(postcode or "").replace(" ", "").upper()
    found = db.find_dwelling_places(store, code, int(house_number))
    if not found:
        raise InputError(
            f'no address with postcode "{code}" and number {house_number}', field="postcode"
        )
    place = found[0]
    return Need(
        text=text,
        x=float(place["x"]),
        y=float(place["y"]),
        block_key=place["block_key"],
        street_key=place["street_key"],
        neighbourhood_code=place["neighbourhood_code"],
    )


def check_kinds(kinds: Collection[str] | None) -> frozenset[str]:
    """The asset kinds to match (all of ``MATCH_KINDS`` when none are given)."""
    allowed = {k.value for k in MATCH_KINDS}
    if not kinds:
        return frozenset(allowed)
    wrong = sorted(set(kinds) - allowed)
    if wrong:
        raise InputError(
            f'kind "{wrong[0]}" is not one of {", ".join(sorted(allowed))}', field="kind"
        )
    return frozenset(kinds)


def keywords(text: str) -> frozenset[str]:
    """The telling words of a text: lower case, at least three letters, no stop words."""
    return frozenset(
        w
        for w in (m.group(0).lower() for m in _WORD.finditer(text or ""))
        if len(w) >= 3 and w not in STOPWORDS
    )


def keyword_score(need_words: Collection[str], text: str) -> int:
    """How many of the need's words the text shares (``fiets`` matches ``fietsen``)."""
    words = keywords(text)
    return sum(1 for n in need_words if any(_alike(n, w) for w in words))


def _alike(a: str, b: str) -> bool:
    if a.startswith(b) or b.startswith(a):
        return True
    return len(a) >= 5 and len(b) >= 5 and a[:5] == b[:5]


def _visible(onlooker: Onlooker, row: dict[str, Any]) -> bool:
    return can_see(
        onlooker,
        audience=_text(row.get("visibility")),
        status=_text(row.get("status")),
        block_key=_text(row.get("block_key")),
        neighbourhood_code=_text(row.get("neighbourhood_code")),
    )


def _level(row: dict[str, Any], need: Need, distance: float, radius_m: float) -> MatchLevel | None:
    for level, column, key in (
        (MatchLevel.BLOCK, "block_key", need.block_key),
        (MatchLevel.STREET, "street_key", need.street_key),
        (MatchLevel.NEIGHBOURHOOD, "neighbourhood_code", need.neighbourhood_code),
    ):
        if key and _text(row.get(column)) == key:
            return level
    return MatchLevel.RADIUS if distance <= radius_m else None


def _item(row: dict[str, Any], level: MatchLevel, distance: float, score: int) -> dict[str, Any]:
    person = row["kind"] == AssetKind.GIFT
    return {
        "asset_id": str(row["asset_id"]),
        "kind": row["kind"],
        "name": _text(row.get("name")),
        "description": _text(row.get("description")),
        "first_name": first_name_only(_text(row.get("first_name"))) or None,
        "opening_hours": _text(row.get("opening_hours")),
        "level": level.name.lower(),
        "distance_m": int(round(distance / 10.0) * 10) if person else int(round(distance)),
        "score": score,
        # a resident's offer is not put on a map: its point may be their home
        "x": None if person else float(row["x"]),
        "y": None if person else float(row["y"]),
    }


def _text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    return str(value)
