"""Ten years of life in Demostad: ownership, lettings, move-outs, nuisance, assets, signals.

The sensitive layers a corporation holds, generated vectorised per year. Lettings carry a channel
label, never a person. The rising street receives more and more households through vulnerable
channels; the coping block receives many as well, but has active residents and a shared courtyard,
and its nuisance stays low.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from veerkracht.domain.assets import AssetKind
from veerkracht.domain.channels import Channel
from veerkracht.domain.frames import CRS_RD

VULNERABLE_MIX = {  # shares within vulnerable lettings
    Channel.URGENTIE: 0.35,
    Channel.STATUSHOUDER: 0.30,
    Channel.UITSTROOM: 0.22,
    Channel.HOUSING_FIRST: 0.13,
}
CORPORATION_SHARE = {"closed": 0.85, "rows": 0.9, "gallery": 0.95, "houses": 0.25}
BASE_TURNOVER = {"closed": 0.08, "rows": 0.09, "gallery": 0.11, "houses": 0.04}
BASE_VULNERABLE = 0.18
NUISANCE_CATEGORIES = ("geluid", "afval", "burenruzie", "vervuiling", "intimidatie")
SIGNAL_CATEGORIES = (
    "overlast_geluid",
    "overlast_afval",
    "spanningen",
    "onveilig",
    "zorg_om_buur",
    "idee_aanbod",
)


def simulate_activity(
    rng: np.random.Generator,
    *,
    dwellings: pd.DataFrame,
    buildings: gpd.GeoDataFrame,
    story: dict[str, Any],
    first_year: int,
    last_year: int,
    origin: tuple[float, float],
) -> dict[str, Any]:
    """All sensitive and operational layers, as canonical frames keyed by dwelling id."""
    n = len(dwellings)
    kind = dwellings["kind"].to_numpy()
    ids = dwellings["dwelling_id"].astype(str).to_numpy()
    rising = dwellings["dwelling_id"].isin(story["rising_dwellings"]).to_numpy()
    coping = dwellings["building_id"].isin(story["coping_buildings"]).to_numpy()
    owned = rng.random(n) < np.vectorize(CORPORATION_SHARE.get)(kind)
    owned |= rising | coping
    stock = _stock(rng, dwellings, owned)
    lettings, moveouts, vulnerable_years = _tenancies(
        rng,
        ids=ids,
        kind=kind,
        owned=owned,
        rising=rising,
        coping=coping,
        first_year=first_year,
        last_year=last_year,
    )
    nuisance = _nuisance(
        rng,
        ids=ids,
        owned=owned,
        vulnerable_years=vulnerable_years,
        rising=rising,
        coping=coping,
        first_year=first_year,
    )
    assets = _assets(rng, dwellings, buildings, story)
    signals = _signals(rng, dwellings, rising=rising, coping=coping, last_year=last_year)
    return {
        "stock": stock,
        "lettings": lettings,
        "moveouts": moveouts,
        "nuisance": nuisance,
        "assets": assets,
        "signals": signals,
    }


def _stock(rng: np.random.Generator, dwellings: pd.DataFrame, owned: np.ndarray) -> pd.DataFrame:
    """The corporation's stock file; for some complexes it knows the trappenhuis."""
    frame = dwellings.loc[owned, ["dwelling_id", "building_id", "site"]].copy()
    frame["unit_id"] = [f"VHE{i:07d}" for i in range(1, len(frame) + 1)]
    frame["complex_id"] = [f"CPX{int(s):05d}" for s in frame["site"]]
    frame["rent_class"] = np.where(rng.random(len(frame)) < 0.7, "goedkoop", "betaalbaar")
    frame["entrance_hint"] = pd.array([None] * len(frame), dtype="string")
    out = frame[["dwelling_id", "unit_id", "complex_id", "entrance_hint", "rent_class"]]
    return out.astype("string").reset_index(drop=True)


def _tenancies(
    rng: np.random.Generator,
    *,
    ids: np.ndarray,
    kind: np.ndarray,
    owned: np.ndarray,
    rising: np.ndarray,
    coping: np.ndarray,
    first_year: int,
    last_year: int,
) -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray]:
    """Move-outs and lettings per year, with a channel per letting."""
    years = np.arange(first_year, last_year + 1)
    turnover = np.vectorize(BASE_TURNOVER.get)(kind).astype(float)
    vulnerable_now = rng.random(len(ids)) < np.where(coping, 0.35, BASE_VULNERABLE)
    vulnerable_years = np.zeros((len(years), len(ids)), dtype=bool)
    letting_rows: list[pd.DataFrame] = []
    moveout_rows: list[pd.DataFrame] = []
    channels = np.array([c.value for c in VULNERABLE_MIX])
    mix = np.array(list(VULNERABLE_MIX.values()))
    for t, year in enumerate(years):
        progress = t / max(len(years) - 1, 1)
        rate = turnover * np.where(rising, 1.0 + 0.9 * progress, 1.0)
        moves = owned & (rng.random(len(ids)) < rate)
        q = np.full(len(ids), BASE_VULNERABLE)
        q = np.where(rising, 0.15 + 0.6 * progress, q)
        q = np.where(coping, 0.45, q)
        vulnerable_in = rng.random(len(ids)) < q
        idx = np.flatnonzero(moves)
        day_out = rng.integers(0, 330, size=len(idx))
        gap = rng.integers(7, 35, size=len(idx))
        start = np.datetime64(f"{year}-01-01")
        date_out = start + day_out.astype("timedelta64[D]")
        date_in = date_out + gap.astype("timedelta64[D]")
        channel = np.where(
            vulnerable_in[idx], rng.choice(channels, size=len(idx), p=mix), Channel.REGULIER.value
        )
        moveout_rows.append(pd.DataFrame({"dwelling_id": ids[idx], "date": date_out, "year": year}))
        letting_rows.append(
            pd.DataFrame({"dwelling_id": ids[idx], "date": date_in, "channel": channel})
        )
        vulnerable_now = np.where(moves, vulnerable_in, vulnerable_now)
        vulnerable_years[t] = vulnerable_now & owned
    lettings = pd.concat(letting_rows, ignore_index=True)
    lettings.insert(0, "letting_id", [f"L{i:08d}" for i in range(1, len(lettings) + 1)])
    moveouts = pd.concat(moveout_rows, ignore_index=True).drop(columns="year")
    moveouts.insert(0, "moveout_id", [f"M{i:08d}" for i in range(1, len(moveouts) + 1)])
    for frame in (lettings, moveouts):
        frame["date"] = frame["date"].astype("datetime64[s]")
    lettings = lettings.astype(
        {"letting_id": "string", "dwelling_id": "string", "channel": "string"}
    )
    moveouts = moveouts.astype({"moveout_id": "string", "dwelling_id": "string"})
    return lettings, moveouts, vulnerable_years


def _nuisance(
    rng: np.random.Generator,
    *,
    ids: np.ndarray,
    owned: np.ndarray,
    vulnerable_years: np.ndarray,
    rising: np.ndarray,
    coping: np.ndarray,
    first_year: int,
) -> pd.DataFrame:
    """Complaints per dwelling and year: more where vulnerable households live without support."""
    rows: list[pd.DataFrame] = []
    for t in range(vulnerable_years.shape[0]):
        rate = 0.03 + 0.22 * vulnerable_years[t]
        rate = rate * np.where(rising, 1.4, 1.0) * np.where(coping, 0.25, 1.0)
        counts = rng.poisson(rate * owned)
        idx = np.repeat(np.arange(len(ids)), counts)
        days = rng.integers(0, 365, size=len(idx)).astype("timedelta64[D]")
        rows.append(
            pd.DataFrame(
                {
                    "dwelling_id": ids[idx],
                    "date": np.datetime64(f"{first_year + t}-01-01") + days,
                    "category": rng.choice(NUISANCE_CATEGORIES, size=len(idx)),
                }
            )
        )
    frame = pd.concat(rows, ignore_index=True)
    frame.insert(0, "complaint_id", [f"K{i:08d}" for i in range(1, len(frame) + 1)])
    frame["date"] = frame["date"].astype("datetime64[s]")
    return frame.astype({"complaint_id": "string", "dwelling_id": "string", "category": "string"})


def _assets(
    rng: np.random.Generator,
    dwellings: pd.DataFrame,
    buildings: gpd.GeoDataFrame,
    story: dict[str, Any],
) -> gpd.GeoDataFrame:
    """Meeting places, a buurthuis, benches, shops and (counted) active residents."""
    records: list[tuple[str, str, str, str, float, float]] = []
    xs = dwellings.geometry.x.to_numpy()
    ys = dwellings.geometry.y.to_numpy()
    sites = dwellings["site"].to_numpy()
    unique_sites = np.unique(sites)
    for site in unique_sites:
        mask = sites == site
        cx, cy = float(xs[mask].mean()), float(ys[mask].mean())
        draw = rng.random(4)
        if draw[0] < 0.25:
            records.append(("place", "Bankje", "Bankje aan de stoep", "public", cx + 30, cy - 35))
        if draw[1] < 0.10:
            records.append(
                ("economy", "Buurtsuper", "Winkel met bankje", "public", cx - 40, cy - 38)
            )
        if draw[2] < 0.12:
            records.append(("place", "Speeltuin", "Speelplek voor kinderen", "public", cx, cy))
        if draw[3] < 0.35:
            homes = rng.choice(np.flatnonzero(mask), size=int(rng.integers(1, 3)), replace=False)
            for home in homes:
                records.append(
                    (
                        "active_resident",
                        "Actieve bewoner",
                        "",
                        "professional",
                        float(xs[home]),
                        float(ys[home]),
                    )
                )
    for k, site in enumerate(unique_sites[:: max(1, len(unique_sites) // 6)]):
        mask = sites == site
        cx, cy = float(xs[mask].mean()), float(ys[mask].mean())
        records.append(
            (
                "institution",
                f"Buurthuis {k + 1}",
                "Buurthuis met koffie-ochtend",
                "public",
                cx - 20,
                cy + 20,
            )
        )
    coping = dwellings["building_id"].isin(story["coping_buildings"]).to_numpy()
    if coping.any():
        cx, cy = float(xs[coping].mean()), float(ys[coping].mean())
        records.append(
            (
                "place",
                "Gedeelde binnentuin",
                "Binnentuin die bewoners samen onderhouden",
                "public",
                cx,
                cy,
            )
        )
        records.append(
            (
                "association",
                "Bewonerscommissie",
                "Bewoners regelen samen de binnentuin",
                "public",
                cx + 3,
                cy + 3,
            )
        )
        for i in range(5):
            records.append(
                ("active_resident", "Actieve bewoner", "", "professional", cx - 4 + i, cy - 4)
            )
    frame = pd.DataFrame(records, columns=["kind", "name", "description", "visibility", "x", "y"])
    assert set(frame["kind"]) <= {k.value for k in AssetKind}
    frame.insert(0, "asset_id", [f"A{i:06d}" for i in range(1, len(frame) + 1)])
    geoms = shapely.points(frame["x"].to_numpy(), frame["y"].to_numpy())
    frame = frame.drop(columns=["x", "y"]).astype("string")
    return gpd.GeoDataFrame(frame, geometry=geoms, crs=CRS_RD)


def _signals(
    rng: np.random.Generator,
    dwellings: pd.DataFrame,
    *,
    rising: np.ndarray,
    coping: np.ndarray,
    last_year: int,
) -> gpd.GeoDataFrame:
    """Signals of the last year: more in the rising street, fewer in the coping block."""
    rate = np.where(rising, 0.12, 0.015) * np.where(coping, 0.3, 1.0)
    counts = rng.poisson(rate)
    idx = np.repeat(np.arange(len(dwellings)), counts)
    xs = dwellings.geometry.x.to_numpy()[idx] + rng.uniform(-3, 3, size=len(idx))
    ys = dwellings.geometry.y.to_numpy()[idx] + rng.uniform(-3, 3, size=len(idx))
    days = rng.integers(0, 365, size=len(idx)).astype("timedelta64[D]")
    minutes = rng.integers(8 * 60, 22 * 60, size=len(idx)).astype("timedelta64[m]")
    frame = pd.DataFrame(
        {
            "category": rng.choice(
                SIGNAL_CATEGORIES, size=len(idx), p=[0.3, 0.25, 0.15, 0.1, 0.1, 0.1]
            ),
            "created_at": (np.datetime64(f"{last_year}-01-01") + days + minutes).astype(
                "datetime64[s]"
            ),
            "status": np.where(rng.random(len(idx)) < 0.7, "afgehandeld", "gemeld"),
            "description": "",
        }
    )
    frame.insert(0, "signal_id", [f"S{i:06d}" for i in range(1, len(frame) + 1)])
    frame = frame.astype(
        {"signal_id": "string", "category": "string", "status": "string", "description": "string"}
    )
    return gpd.GeoDataFrame(frame, geometry=shapely.points(xs, ys), crs=CRS_RD)
