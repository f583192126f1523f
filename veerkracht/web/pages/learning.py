"""Learning across places: the units that do better than their load predicts (positive
deviance), side by side with what they have and what was done there.

For professionals, analysts and administrators within their scope; the public gets 403 (no
street is ranked publicly). What a place has is counted per kind of asset (approved items only;
active residents are counted, never named). What was done comes from the intervention log:
entries for the unit itself and for units around it or inside it (sharing a dwelling with it).
An entry logged for a portiek or a building is shown as "in a portiek of this block", never with
its address; no person's name is shown, only the organisation.
"""

from __future__ import annotations

import pandas as pd
from pydantic import BaseModel, Field

from veerkracht.assessment.disclosure import Viewer
from veerkracht.community.audience import GONE, ItemStatus
from veerkracht.domain.assets import AssetKind
from veerkracht.domain.levels import PUBLIC_MIN_LEVEL, Level, rank
from veerkracht.indicators.presence import touched_units
from veerkracht.interventions.unit_profile import asset_word
from veerkracht.storage import intervention_log as log_store
from veerkracht.storage.assets import read_assets
from veerkracht.storage.engine import Store
from veerkracht.web.i18n import gettext as _
from veerkracht.web.labels import level_word
from veerkracht.web.pages.analysis import build_finding_list
from veerkracht.web.pages.intervention_log import dutch_period, effect_url, unit_names
from veerkracht.web.pages.models import FindingItem, HasItem, SourceNote, UnitRef

#: Which column of the assets table ties an item to a unit of each level.
ASSET_KEY = {
    Level.BLOCK: "block_key",
    Level.STREET: "street_key",
    Level.NEIGHBOURHOOD: "neighbourhood_code",
}


class AssetCount(BaseModel):
    kind: str
    label: str
    count: int


class DoneItem(BaseModel):
    """Something done in or around the place, from the intervention log."""

    title: str
    intervention_id: str | None = None
    organisation: str
    period: str
    where: str = Field(description="'here', or the unit around or inside it, in Dutch")
    running: bool
    effect_url: str


class LearningItem(BaseModel):
    """A place that does better than expected, what it has and what was done there."""

    unit: UnitRef
    area_names: list[str]
    year: int
    reasons: list[str] = Field(description="Why it stands out, in Dutch")
    has: list[HasItem] = Field(description="Capacity figures (after disclosure)")
    assets: list[AssetCount] = Field(description="Approved assets in the place, per kind")
    active_residents: int = Field(description="Active residents, counted only")
    done: list[DoneItem]


class LearningPage(BaseModel):
    title: str
    intro: str
    year: int | None
    count: int
    items: list[LearningItem]
    scope: list[str]
    scope_names: list[str]
    sources: list[SourceNote] = Field(default_factory=list)


def build_learning_page(store: Store, *, viewer: Viewer) -> LearningPage:
    """The learning page for ``viewer``; NotForThePublic (403) for the public."""
    findings = build_finding_list(store, kind="positive_deviance", viewer=viewer)
    items = [item for group in findings.groups for item in group.items]
    assets = read_assets(store) if items else pd.DataFrame()
    log = log_store.read_log(store) if items else pd.DataFrame()
    dwellings = log_store.read_dwelling_keys(store) if len(log) else pd.DataFrame()
    names = unit_names(store, set(log["level"].astype(str))) if len(log) else {}
    return LearningPage(
        title=_("Learning across places"),
        intro=_(
            "Places where living together goes better than their load predicts, side by side "
            "with what they have and what was done there. Examples to learn from, not a "
            "recipe: what works in one place does not work everywhere by itself."
        ),
        year=findings.year,
        count=len(items),
        items=[_item(item, assets, log, dwellings, names) for item in items],
        scope=findings.scope,
        scope_names=findings.scope_names,
        sources=findings.sources,
    )


def _item(
    item: FindingItem,
    assets: pd.DataFrame,
    log: pd.DataFrame,
    dwellings: pd.DataFrame,
    names: dict[tuple[str, str], str],
) -> LearningItem:
    level = Level(item.unit.level)
    counts = _asset_counts(assets, level, item.unit.key)
    active = next((c.count for c in counts if c.kind == AssetKind.ACTIVE_RESIDENT.value), 0)
    return LearningItem(
        unit=item.unit,
        area_names=item.area_names,
        year=item.year,
        reasons=item.reasons,
        has=item.has,
        assets=[c for c in counts if c.kind != AssetKind.ACTIVE_RESIDENT.value],
        active_residents=active,
        done=_done(log, dwellings, names, level, item.unit.key),
    )


def _asset_counts(assets: pd.DataFrame, level: Level, key: str) -> list[AssetCount]:
    column = ASSET_KEY.get(level)
    if assets.empty or column is None or column not in assets:
        return []
    here = assets[assets[column].astype(str) == key]
    status = here["status"].fillna(ItemStatus.APPROVED.value).astype(str)
    here = here[(status == ItemStatus.APPROVED.value) & ~status.isin(list(GONE))]
    counts = here.groupby("kind").size()
    order = [k.value for k in AssetKind]
    return [
        AssetCount(kind=str(kind), label=asset_word(str(kind), plural=True), count=int(n))
        for kind, n in sorted(
            counts.items(), key=lambda p: order.index(p[0]) if p[0] in order else 99
        )
    ]


def _done(
    log: pd.DataFrame,
    dwellings: pd.DataFrame,
    names: dict[tuple[str, str], str],
    level: Level,
    key: str,
) -> list[DoneItem]:
    out = []
    for row in log.to_dict("records"):
        other_level, other_key = str(row["level"]), str(row["unit_key"])
        if key not in touched_units(dwellings, level=other_level, key=other_key, at=level.value):
            continue
        out.append(
            DoneItem(
                title=str(row["title"]),
                intervention_id=row["intervention_id"] or None,
                organisation=str(row["organisation"]),
                period=dutch_period(row["started_on"], row["ended_on"]),
                where=_where(level, key, other_level, other_key, names),
                running=row["ended_on"] is None,
                effect_url=effect_url(str(row["log_id"])),
            )
        )
    return out


def _where(
    level: Level, key: str, other_level: str, other_key: str, names: dict[tuple[str, str], str]
) -> str:
    """Where an entry was logged, seen from the listed unit (no address below block level)."""
    if (other_level, other_key) == (level.value, key):
        return _("here")
    other = Level(other_level)
    if rank(other) < rank(PUBLIC_MIN_LEVEL):
        return _("in one %(level)s of this place") % {"level": level_word(other)}
    return _("%(level)s %(name)s") % {
        "level": level_word(other).capitalize(),
        "name": names.get((other_level, other_key), other_key),
    }
