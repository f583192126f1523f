"""Demostad's intervention log: what professionals did where, and the effect planted for it.

Four entries, placed by the data (not by hand), so before/after can be checked against a known
truth:

- ``portiekgesprekken`` in a large portiek block with a high nuisance level, from spring 2021.
  The generator plants an effect: after the start only ``PLANTED_KEEP_SHARE`` of the block's
  nuisance complaints remain (binomial thinning, so the complaints stay Poisson).
- ``buurtbemiddeling`` in a similar block from the same spring: nothing planted (no effect).
- ``portiekbeheerders`` in a third similar block from autumn 2024: too short a time since.
- ``sociaal_beheer`` (a buurtconciërge) in a whole buurt from 2019: nothing planted, and too few
  comparable buurten without an intervention to compare with.

The plan is chosen with a random stream of its own (``[seed, PLAN_STREAM]``), so the rest of
Demostad stays byte for byte what it was without the log. Unit keys are resolved after the
build (``demo_log_entries``): an entry names the level and the dwellings it covers, and gets the
key most of those dwellings have at that level.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime, time
from typing import Any

import numpy as np
import pandas as pd
import shapely

from veerkracht.domain.levels import KEY_COLUMN, Level
from veerkracht.interventions.log import refresh_presence
from veerkracht.settings import Settings
from veerkracht.storage import Store
from veerkracht.storage import intervention_log as log_store

#: Share of the planted block's complaints kept after the start (0.35: about two in three go).
PLANTED_KEEP_SHARE = 0.35
#: The entropy added to the seed for the plan's own random stream.
PLAN_STREAM = 8_2021
#: Years before the first start whose complaints choose the blocks (a high, stable level).
CHOICE_YEARS = (2016, 2020)
MIN_BLOCK_DWELLINGS = 40


@dataclass(frozen=True)
class PlannedIntervention:
    """One demo log entry before its unit key is known: level plus the dwellings it covers."""

    log_id: str
    intervention_id: str
    title: str
    level: str
    organisation: str
    aim: str
    started_on: date
    ended_on: date | None
    dwelling_ids: tuple[str, ...]
    keep_share: float | None = None  # planted effect on nuisance complaints; None = nothing

    def as_story(self) -> dict[str, Any]:
        """JSON-ready (dates as ISO text) for the story file beside the data."""
        out = asdict(self)
        out["started_on"] = self.started_on.isoformat()
        out["ended_on"] = self.ended_on.isoformat() if self.ended_on else None
        out["dwelling_ids"] = list(self.dwelling_ids)
        return out


def plan_interventions(
    *,
    dwellings: pd.DataFrame,
    nuisance: pd.DataFrame,
    stock: pd.DataFrame,
    areas: pd.DataFrame,
    story: dict[str, Any],
) -> list[PlannedIntervention]:
    """Choose where the four demo interventions happen (see the module docstring).

    ``dwellings`` is the generator's frame with ``site``, ``kind`` and point geometry.
    """
    blocks = _candidate_blocks(dwellings, nuisance, stock, story)
    plans: list[PlannedIntervention] = []
    chosen = blocks.index[:3].tolist()
    specs = [
        (
            "demo-portiekgesprekken",
            "portiekgesprekken",
            "Portiekgesprekken in het hele blok",
            "Woonstad (woningcorporatie)",
            "Bewoners maken samen afspraken over rust, schoonmaak en omgang in hun portiek.",
            date(2021, 4, 1),
            PLANTED_KEEP_SHARE,
        ),
        (
            "demo-buurtbemiddeling",
            "buurtbemiddeling",
            "Buurtbemiddeling aangeboden aan alle portieken",
            "Welzijn Demostad",
            "Burenruzies vroeg oplossen met getrainde vrijwilligers.",
            date(2021, 4, 1),
            None,
        ),
        (
            "demo-portiekbeheerders",
            "portiekbeheerders",
            "Portiekbeheerders gestart",
            "Woonstad (woningcorporatie)",
            "Een bewoner per portiek als aanspreekpunt voor buren en corporatie.",
            date(2024, 10, 1),
            None,
        ),
    ]
    for site, spec in zip(chosen, specs, strict=False):
        log_id, intervention_id, title, organisation, aim, start, keep = spec
        members = dwellings.loc[dwellings["site"] == site, "dwelling_id"].astype(str)
        plans.append(
            PlannedIntervention(
                log_id=log_id,
                intervention_id=intervention_id,
                title=title,
                level=Level.BLOCK.value,
                organisation=organisation,
                aim=aim,
                started_on=start,
                ended_on=None,
                dwelling_ids=tuple(members),
                keep_share=keep,
            )
        )
    taken = set(dwellings.loc[dwellings["site"].isin(chosen), "dwelling_id"].astype(str))
    taken |= set(story["rising_dwellings"])
    buurt = _quiet_buurt(dwellings, areas, taken)
    if buurt:
        plans.append(
            PlannedIntervention(
                log_id="demo-buurtconcierge",
                intervention_id="sociaal_beheer",
                title="Buurtconciërge voor de hele buurt",
                level=Level.NEIGHBOURHOOD.value,
                organisation="Gemeente Demostad",
                aim="Een vast gezicht in de buurt dat kleine problemen snel oppakt.",
                started_on=date(2019, 1, 15),
                ended_on=None,
                dwelling_ids=buurt,
            )
        )
    return plans


def plant_effects(
    nuisance: pd.DataFrame, plans: list[PlannedIntervention], *, seed: int
) -> pd.DataFrame:
    """Complaints with the planted effects applied: after a planned start, each complaint in
    the covered dwellings is kept with probability ``keep_share`` (a stream of its own)."""
    rng = np.random.default_rng([seed, PLAN_STREAM])
    drop = np.zeros(len(nuisance), dtype=bool)
    for plan in plans:
        if plan.keep_share is None:
            continue
        after = nuisance["date"].to_numpy() >= np.datetime64(plan.started_on.isoformat())
        inside = nuisance["dwelling_id"].isin(plan.dwelling_ids).to_numpy() & after
        drop |= inside & (rng.random(len(nuisance)) >= plan.keep_share)
    return nuisance.loc[~drop].reset_index(drop=True)


def demo_log_entries(plans: list[dict[str, Any]], dwellings: pd.DataFrame) -> list[dict[str, Any]]:
    """Log rows for the planned interventions (``as_story`` dicts), each with the unit key most
    of its dwellings have at its level in the built ``dwellings`` (with level key columns).
    Logged on the morning of the start, so the same seed gives the same rows."""
    entries = []
    by_id = dwellings.set_index(dwellings["dwelling_id"].astype(str))
    for plan in plans:
        column = KEY_COLUMN[Level(plan["level"])]
        keys = by_id.reindex(plan["dwelling_ids"])[column].dropna().astype(str)
        if keys.empty:
            continue
        started_on = date.fromisoformat(plan["started_on"])
        entries.append(
            {
                "log_id": plan["log_id"],
                "intervention_id": plan["intervention_id"],
                "title": plan["title"],
                "level": plan["level"],
                "unit_key": str(keys.value_counts().index[0]),
                "started_on": started_on,
                "ended_on": date.fromisoformat(plan["ended_on"]) if plan["ended_on"] else None,
                "organisation": plan["organisation"],
                "aim": plan["aim"],
                "notes": "Demostad: voorbeeld uit het logboek.",
                "created_by": "demo",
                "created_at": datetime.combine(started_on, time(9, 0)),
            }
        )
    return entries


def _candidate_blocks(
    dwellings: pd.DataFrame, nuisance: pd.DataFrame, stock: pd.DataFrame, story: dict[str, Any]
) -> pd.DataFrame:
    """Closed portiek blocks outside the story places with an above-median nuisance level,
    largest first (more dwellings, so more complaints to see a change in)."""
    frame = pd.DataFrame(
        {
            "site": dwellings["site"].to_numpy(),
            "kind": dwellings["kind"].to_numpy(),
            "dwelling_id": dwellings["dwelling_id"].astype(str).to_numpy(),
        }
    )
    rising = set(frame.loc[frame["dwelling_id"].isin(story["rising_dwellings"]), "site"])
    excluded = rising | {story.get("coping_site")}
    years = pd.to_datetime(nuisance["date"]).dt.year
    early = nuisance[(years >= CHOICE_YEARS[0]) & (years <= CHOICE_YEARS[1])]
    site_of = frame.set_index("dwelling_id")["site"]
    complaints = early["dwelling_id"].astype(str).map(site_of).value_counts()
    owned = stock["dwelling_id"].astype(str).map(site_of).value_counts()
    closed = frame[(frame["kind"] == "closed") & ~frame["site"].isin(excluded)]
    sizes = closed.groupby("site").size()
    table = pd.DataFrame({"dwellings": sizes})
    table["owned"] = owned.reindex(table.index).fillna(0)
    table["rate"] = complaints.reindex(table.index).fillna(0) / table["owned"].clip(lower=1)
    table = table[table["dwellings"] >= MIN_BLOCK_DWELLINGS]
    if table.empty:
        return table
    high = table[table["rate"] >= table["rate"].median()]
    return high.sort_values(["owned", "rate"], ascending=False, kind="stable")


def _quiet_buurt(dwellings: pd.DataFrame, areas: pd.DataFrame, taken: set[str]) -> tuple[str, ...]:
    """The dwellings of the largest buurt without the blocks chosen before or the story street."""
    buurten = areas[areas["level"] == "neighbourhood"]
    points = shapely.points(dwellings.geometry.x.to_numpy(), dwellings.geometry.y.to_numpy())
    ids = dwellings["dwelling_id"].astype(str).to_numpy()
    best: tuple[str, ...] = ()
    for polygon in buurten.geometry:
        inside = ids[shapely.contains(polygon, points)]
        if taken & set(inside):
            continue
        if len(inside) > len(best):
            best = tuple(inside)
    return best


def add_demo_log(store: Store, settings: Settings, story: dict[str, Any]) -> int:
    """Write Demostad's log entries (after the build: they need unit keys) and recount the
    presence indicator; returns how many entries were written."""
    entries = demo_log_entries(story.get("interventions", []), log_store.read_dwelling_keys(store))
    count = log_store.replace_log_entries(store, entries, origin="demo")
    refresh_presence(store, settings)
    return count
