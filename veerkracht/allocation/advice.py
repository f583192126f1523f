"""Advice per vacancy: should this dwelling go to a household through a vulnerable channel?

For the dwelling's portiek, pand, blok and buurt: the current load (occupants who came in through
a vulnerable channel, the dwelling itself not counted: it is vacant) and the projected load after
this letting (+1), against the caps of the policy on all vulnerable channels together.

- "beter elders": the portiek or pand would go over its cap, or the blok or buurt would and there
  is too little support nearby (fewer assets than ``advice.min_support``);
- "past met steun": a cap would be nearly reached (≥ ``advice.near_share`` of it), or the blok or
  buurt would go over but support is nearby;
- "past": otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from veerkracht.allocation.instance import ALL_VULNERABLE, INSTANCE_LEVELS
from veerkracht.allocation.policy import DUTCH_LEVEL, Policy
from veerkracht.allocation.stock import Stock, is_vulnerable
from veerkracht.errors import NotFound

SMALL_LEVELS = ("entrance", "building")
RECENT_YEARS = 3


@dataclass
class Advice:
    """The verdict for one dwelling, the load per level and the reasons (in Dutch)."""

    dwelling_id: str
    verdict: str  # "past", "past met steun" or "beter elders"
    levels: list[dict[str, Any]]
    reasons: list[str] = field(default_factory=list)
    assets_nearby: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "dwelling_id": self.dwelling_id,
            "verdict": self.verdict,
            "levels": self.levels,
            "reasons": self.reasons,
            "assets_nearby": self.assets_nearby,
        }


def advise(stock: Stock, dwelling_id: str, policy: Policy) -> Advice:
    """The advice for letting ``dwelling_id`` through a vulnerable channel under ``policy``."""
    dwellings = stock.dwellings
    match = dwellings.index[dwellings["dwelling_id"] == str(dwelling_id)]
    if len(match) == 0:
        raise NotFound(f'no dwelling with id "{dwelling_id}" in the workspace')
    row = dwellings.loc[match[0]]
    others = dwellings[dwellings["dwelling_id"] != row["dwelling_id"]]
    vulnerable = is_vulnerable(others["channel"])
    recent = _recent_vulnerable_lettings(stock)
    levels = [
        _level(others, vulnerable, recent, policy, level, str(row[level]))
        for level in INSTANCE_LEVELS
    ]
    assets = int(row["assets_nearby"])
    verdict, reasons = _verdict(levels, assets, policy)
    return Advice(
        dwelling_id=str(dwelling_id),
        verdict=verdict,
        levels=levels,
        reasons=reasons,
        assets_nearby=assets,
    )


def _level(
    others: pd.DataFrame,
    vulnerable: np.ndarray,
    recent: pd.Series,
    policy: Policy,
    level: str,
    key: str,
) -> dict[str, Any]:
    inside = (others[level] == key).to_numpy()
    dwellings = int(inside.sum()) + 1
    current = int(vulnerable[inside].sum())
    limits = [
        int(rule.limit(np.array([dwellings]))[0])
        for rule in policy.caps
        if rule.level == level and rule.channel == ALL_VULNERABLE
    ]
    limits = [limit for limit in limits if limit >= 0]
    cap = min(limits) if limits else None
    projected = current + 1
    status = "geen norm"
    if cap is not None:
        status = (
            "boven"
            if projected > cap
            else ("bijna" if projected >= policy.advice.near_share * cap else "ruim")
        )
    inflow = int(others.loc[inside, "dwelling_id"].isin(recent.index).sum()) if len(recent) else 0
    return {
        "level": level,
        "level_nl": DUTCH_LEVEL[level],
        "key": key,
        "dwellings": dwellings,
        "current": current,
        "projected": projected,
        "max_count": cap,
        "status": status,
        "recent_inflow": inflow,
        "cap_text": "—" if cap is None else f"≤ {cap}",
    }


def _verdict(levels: list[dict[str, Any]], assets: int, policy: Policy) -> tuple[str, list[str]]:
    reasons = []
    hard = soft = near = False
    for item in levels:
        where = f"{item['level_nl']} {item['key']}"
        load = (
            f"nu {item['current']} van {item['dwellings']} woningen via kwetsbare kanalen, "
            f"na deze verhuring {item['projected']}"
        )
        if item["status"] == "boven":
            reasons.append(f"{where}: {load} — boven de norm van {item['max_count']}.")
            hard |= item["level"] in SMALL_LEVELS
            soft |= item["level"] not in SMALL_LEVELS
        elif item["status"] == "bijna":
            reasons.append(f"{where}: {load} — dicht bij de norm van {item['max_count']}.")
            near = True
        if item["recent_inflow"] >= 2 and item["level"] in SMALL_LEVELS:
            reasons.append(
                f"{where}: {item['recent_inflow']} kwetsbare instromers in de laatste "
                f"{RECENT_YEARS} jaar."
            )
    supported = assets >= policy.advice.min_support
    support_text = (
        f"{assets} steunpunten (actieve bewoners, plekken, voorzieningen) binnen "
        f"{policy.support.radius_m:.0f} m"
    )
    if hard or (soft and not supported):
        if soft and not supported:
            reasons.append(f"Weinig steun in de buurt: {support_text}.")
        return "beter elders", reasons
    if soft or near:
        reasons.append(
            f"Steun nodig en aanwezig: {support_text}."
            if supported
            else f"Regel steun bij de plaatsing: {support_text}."
        )
        return "past met steun", reasons
    reasons.append(f"Alle normen blijven gehaald na deze verhuring; {support_text}.")
    return "past", reasons


def _recent_vulnerable_lettings(stock: Stock) -> pd.Series:
    lettings = stock.lettings
    if lettings.empty:
        return pd.Series(dtype=int)
    dates = pd.to_datetime(lettings["date"])
    since = dates.max() - pd.DateOffset(years=RECENT_YEARS)
    recent = lettings[(dates > since).to_numpy() & is_vulnerable(lettings["channel"])]
    return recent.groupby("dwelling_id").size()
