"""The analysis pages: the warning list, positive deviance and the indicator reference.

The two lists are for professionals only, within their scope: a unit is listed when one of its
areas (buurt, wijk, gemeente) lies in the viewer's scope. The public never sees them, so no street
is ranked publicly. Every figure passes disclosure for the viewer.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from veerkracht.assessment.deviance import OUTCOME, YEARS
from veerkracht.assessment.disclosure import Viewer
from veerkracht.domain.levels import PARENT, UNIT_LEVELS, Level
from veerkracht.errors import Forbidden
from veerkracht.indicators.base import Disclosure
from veerkracht.indicators.registry import BY_KEY, INDICATORS
from veerkracht.storage.engine import Store
from veerkracht.storage.units import read_findings, read_units
from veerkracht.web.geo import bounds_wgs84, feature_collection
from veerkracht.web.i18n import format_number
from veerkracht.web.i18n import gettext as _
from veerkracht.web.labels import FAMILY_ORDER, FAMILY_TITLES, N_, level_word
from veerkracht.web.pages.figures import disclosed_rows, format_value
from veerkracht.web.pages.models import (
    FindingGroup,
    FindingItem,
    FindingList,
    HasItem,
    IndicatorFamilyRefs,
    IndicatorRef,
    IndicatorReference,
)
from veerkracht.web.pages.sources import build_source_notes
from veerkracht.web.pages.units import sort_by_name, unit_ref

#: Roles that may see the lists (the public may not: no street is ranked publicly).
LIST_ROLES = ("professional", "analyst", "admin")
AREA_LEVELS = (Level.NEIGHBOURHOOD, Level.DISTRICT, Level.MUNICIPALITY)

#: kind → (URL slug, title msgid, intro msgid)
KINDS: dict[str, tuple[str, str, str]] = {
    "warning": (
        "warnings",
        N_("Early warning"),
        N_(
            "Places where the load is high, rising and greater than what the place can carry. "
            "A signal to look and listen, not a judgement. Only for professionals, within "
            "their own area."
        ),
    ),
    "positive_deviance": (
        "positive-deviance",
        N_("Places that cope well"),
        N_(
            "Places with fewer nuisance complaints than their load predicts, and what they have. "
            "Examples to learn from. Only for professionals, within their own area."
        ),
    ),
}

UNIT_WORDS = {
    "count": N_("number"),
    "share": N_("share of dwellings (%)"),
    "per_100": N_("per 100 dwellings"),
    "score": N_("score"),
    "change": N_("percentage points per year"),
}
DISCLOSURE_WORDS = {
    Disclosure.PUBLIC: N_("Public: shown to everyone."),
    Disclosure.SENSITIVE: N_(
        "Sensitive: professionals see it within their area. Everyone else sees it only from "
        "block level up, never under 10 and rounded to 5."
    ),
}


class NotForThePublic(Forbidden):
    """The analysis lists are for professionals only."""


def require_professional(viewer: Viewer) -> None:
    """NotForThePublic unless the viewer is a professional, analyst or admin."""
    if viewer.role not in LIST_ROLES:
        raise NotForThePublic("the warning and positive-deviance lists are for professionals")


def build_finding_list(store: Store, *, kind: str, viewer: Viewer) -> FindingList:
    """The ``kind`` list (warning, positive_deviance) as ``viewer`` may see it."""
    require_professional(viewer)
    chains = _AreaChains(store)
    frame = _in_scope(read_findings(store, kind), viewer, chains)
    slug, title, intro = KINDS[kind]
    items = [_item(kind, row, viewer) for row in frame.to_dict("records")]
    groups = [
        FindingGroup(
            level=level.value,
            level_plural=level_word(level, plural=True),
            items=[i for i in items if i.unit.level == level.value],
        )
        for level in UNIT_LEVELS[::-1]
    ]
    shapes = _geometries(store, frame)
    return FindingList(
        kind=kind,
        title=_(title),
        intro=_(intro),
        year=int(frame["year"].max()) if len(frame) else None,
        count=len(items),
        scope=sorted(viewer.scope),
        scope_names=chains.names(sorted(viewer.scope)),
        groups=[g for g in groups if g.items],
        bounds=bounds_wgs84(shapes.geometry.to_numpy()) if len(shapes) else None,
        geojson_url=f"/api/analysis/{slug}?format=geojson",
        sources=build_source_notes(store),
    )


def build_finding_layer(store: Store, *, kind: str, viewer: Viewer) -> dict[str, Any]:
    """The listed units in the viewer's scope as a GeoJSON layer (WGS84)."""
    require_professional(viewer)
    frame = _in_scope(read_findings(store, kind), viewer, _AreaChains(store))
    shapes = _geometries(store, frame)
    properties = []
    for row in shapes.to_dict("records"):
        ref = unit_ref(row)
        properties.append(
            {"level": ref.level, "key": ref.key, "name": ref.name, "url": ref.url, "kind": kind}
        )
    return feature_collection(shapes.geometry.to_numpy(), properties)


def build_indicator_reference() -> IndicatorReference:
    """Every indicator of the registry with its meaning, unit, source and privacy class."""
    refs = [
        IndicatorRef(
            key=i.key,
            label=_(i.label),
            description=_(i.description),
            unit=str(i.unit),
            unit_text=_(UNIT_WORDS[str(i.unit)]),
            family=str(i.family),
            source=i.source,
            disclosure=str(i.disclosure),
            disclosure_text=_(DISCLOSURE_WORDS[i.disclosure]),
            levels=[lv.value for lv in i.levels],
            level_words=[level_word(lv) for lv in i.levels],
        )
        for i in INDICATORS
    ]
    families = [
        IndicatorFamilyRefs(
            family=family,
            title=_(FAMILY_TITLES[family]),
            indicators=[r for r in refs if r.family == family],
        )
        for family in FAMILY_ORDER
    ]
    return IndicatorReference(count=len(refs), families=[f for f in families if f.indicators])


def _in_scope(frame: pd.DataFrame, viewer: Viewer, chains: _AreaChains) -> pd.DataFrame:
    """Findings whose unit lies in the viewer's scope, with its area codes and names."""
    if frame.empty:
        return frame.assign(areas=[], area_names=[], dwellings=[])
    frame = frame.copy()
    frame["areas"] = [
        chains.areas(lv, k) for lv, k in zip(frame["level"], frame["key"], strict=True)
    ]
    frame["area_names"] = [chains.names(codes) for codes in frame["areas"]]
    frame["dwellings"] = [
        chains.dwellings(lv, k) for lv, k in zip(frame["level"], frame["key"], strict=True)
    ]
    keep = [viewer.sees_sensitive_in(set(codes)) for codes in frame["areas"]]
    return frame[keep]


class _AreaChains:
    """Parent chains of units up to the municipality, read once per level."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.tables: dict[Level, pd.DataFrame] = {}

    def table(self, level: Level) -> pd.DataFrame:
        if level not in self.tables:
            frame = read_units(self.store, level.value, with_geometry=False)
            self.tables[level] = frame.set_index("key")[["name", "parent_key", "dwellings"]]
        return self.tables[level]

    def areas(self, level: str, key: str) -> list[str]:
        codes: list[str] = []
        current: Level | None = Level(level)
        while current is not None and key:
            if current in AREA_LEVELS:
                codes.append(key)
            table = self.table(current)
            if key not in table.index:
                break
            parent = table.at[key, "parent_key"]
            key = "" if parent is None or pd.isna(parent) else str(parent)
            current = PARENT[current]
        return codes

    def dwellings(self, level: str, key: str) -> int:
        table = self.table(Level(level))
        return int(table.at[key, "dwellings"]) if key in table.index else 0

    def names(self, codes: Iterable[str]) -> list[str]:
        out = []
        for code, level in zip(codes, self._levels_of(codes), strict=True):
            table = self.table(level)
            out.append(str(table.at[code, "name"]) if code in table.index else code)
        return out

    @staticmethod
    def _levels_of(codes: Iterable[str]) -> list[Level]:
        prefix = {"BU": Level.NEIGHBOURHOOD, "WK": Level.DISTRICT, "GM": Level.MUNICIPALITY}
        return [prefix.get(c[:2], Level.NEIGHBOURHOOD) for c in codes]


def _item(kind: str, row: dict[str, Any], viewer: Viewer) -> FindingItem:
    details = row["details"]
    ref = unit_ref(row)
    areas = list(row["areas"])
    if kind == "warning":
        reasons = [str(r) for r in details.get("reasons", [])]
        has: list[HasItem] = []
    else:
        reasons = _deviance_reasons(details)
        has = _has(details.get("has", {}), level=Level(row["level"]), viewer=viewer, areas=areas)
    return FindingItem(
        unit=ref,
        areas=areas,
        area_names=list(row["area_names"]),
        year=int(row["year"]),
        reasons=reasons,
        has=has,
    )


def _deviance_reasons(details: dict[str, Any]) -> list[str]:
    return [
        _(
            "%(observed)s nuisance complaints in the last %(years)s years, where about "
            "%(expected)s were to be expected for a place with this load."
        )
        % {
            "observed": format_number(details.get("observed")),
            "years": YEARS,
            "expected": format_number(details.get("expected")),
        },
        _("The inflow of vulnerable households is higher than in half of the comparable places."),
    ]


def _has(
    values: dict[str, float], *, level: Level, viewer: Viewer, areas: list[str]
) -> list[HasItem]:
    """What a place has, each figure through disclosure for this viewer."""
    if not values:
        return []
    rows = pd.DataFrame(
        {
            "indicator": list(values),
            "value": [float(v) for v in values.values()],
            "numerator": [float(v) for v in values.values()],
            "denominator": float("nan"),
        }
    )
    visible = disclosed_rows(rows, level=level, viewer=viewer, area_codes=set(areas))
    return [
        HasItem(
            indicator=row.indicator,
            label=_(BY_KEY[row.indicator].label),
            text=format_value(row.value, str(BY_KEY[row.indicator].unit)),
        )
        for row in visible.itertuples(index=False)
        if not row.withheld
        and not pd.isna(row.value)
        and row.value > 0
        and row.indicator != OUTCOME
    ]


def _geometries(store: Store, frame: pd.DataFrame) -> pd.DataFrame:
    """The listed units with geometry (and dwellings), sorted by name."""
    parts = []
    for level, keys in frame.groupby("level")["key"]:
        units = read_units(store, str(level))
        parts.append(units[units["key"].isin(set(keys))])
    if not parts:
        return read_units(store, Level.BLOCK.value).iloc[0:0]
    return sort_by_name(pd.concat(parts, ignore_index=True))
