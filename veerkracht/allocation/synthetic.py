"""Deterministic synthetic instances for benchmarks and tests (same seed, same instance).

A city of buurten ⊃ blocks ⊃ buildings ⊃ entrances of 8 dwellings. Some buurten are popular with
everyone (the hard case for spreading: each group wants the same places). Each household has a
size and two preferred buurten (drawn towards the popular ones) and lists its best
``pairs_per_household`` vacancies: score = 1 + the place's appeal + preference + size fit + a
small personal part. Occupancy is drawn per entrance of the whole city and added up the levels,
so the counts of every level agree.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from veerkracht.allocation.instance import INSTANCE_LEVELS, VULNERABLE, Instance

DWELLINGS_PER_ENTRANCE = 8
ENTRANCES_PER_BUILDING = 3
BUILDINGS_PER_BLOCK = 4
BLOCKS_PER_BUURT = 50


def synthetic_instance(
    *,
    households: int,
    vacancies: int,
    seed: int = 0,
    pairs_per_household: int = 20,
    capped_channels: int = 1,
    vulnerable_share: float = 0.35,
    forecast_seed: int | None = None,
) -> Instance:
    """An instance with nested caps on all vulnerable channels together
    (``capped_channels=1``) or separate caps for the first ``capped_channels`` channels.

    With ``forecast_seed`` the same city and households get vacancies drawn anew (another seed):
    a forecast of the stream, never the stream itself.
    """
    rng = np.random.default_rng(seed)
    hh = _households(rng, households, vulnerable_share, capped_channels)
    entrances = max(1, int(vacancies / 1.5))
    occupancy = _occupancy(rng, entrances, capped_channels)
    vac_rng = rng if forecast_seed is None else np.random.default_rng([seed, forecast_seed])
    vac = _vacancies(vac_rng, vacancies, entrances)
    scores = _scores(vac_rng, vac, hh, pairs_per_household)
    return Instance.from_frames(
        vacancies=vac[["vacancy_id", *INSTANCE_LEVELS]],
        households=hh[["household_id", "channel"]],
        scores=scores,
        occupancy=occupancy,
        caps=_caps(capped_channels),
    )


def _units(entrance: np.ndarray) -> pd.DataFrame:
    building = entrance // ENTRANCES_PER_BUILDING
    block = building // BUILDINGS_PER_BLOCK
    buurt = block // BLOCKS_PER_BUURT
    return pd.DataFrame(
        {
            "entrance": [f"E{e}" for e in entrance],
            "building": [f"B{b}" for b in building],
            "block": [f"K{k}" for k in block],
            "buurt": [f"BU{u:03d}" for u in buurt],
        }
    )


def _vacancies(rng: np.random.Generator, n: int, entrances: int) -> pd.DataFrame:
    frame = _units(rng.integers(0, entrances, size=n))
    frame.insert(0, "vacancy_id", [f"V{i:06d}" for i in range(n)])
    frame["size"] = rng.integers(1, 4, size=n)
    frame["appeal"] = _appeal(frame)
    return frame


def _households(rng: np.random.Generator, n: int, share: float, capped: int) -> pd.DataFrame:
    channels = np.array(VULNERABLE[:capped] if capped > 1 else VULNERABLE)
    vulnerable = rng.random(n) < share
    channel = np.where(vulnerable, rng.choice(channels, size=n), "regulier")
    return pd.DataFrame(
        {
            "household_id": [f"H{i:06d}" for i in range(n)],
            "channel": channel,
            "size": rng.integers(1, 4, size=n),
            "first": rng.random(n),
            "second": rng.random(n),
        }
    )


def _scores(rng: np.random.Generator, vac: pd.DataFrame, hh: pd.DataFrame, k: int) -> pd.DataFrame:
    """Each household's best ``k`` vacancies: appeal + preference + size fit + a personal part."""
    buurten = np.sort(vac["buurt"].unique())
    popular = np.exp(np.array([2.0 * (int(b[2:]) % 4 == 0) for b in buurten]))
    cumulative = np.cumsum(popular / popular.sum())
    first = np.minimum(np.searchsorted(cumulative, hh["first"].to_numpy()), len(buurten) - 1)
    second = np.minimum(np.searchsorted(cumulative, hh["second"].to_numpy()), len(buurten) - 1)
    v_buurt = np.searchsorted(buurten, vac["buurt"].to_numpy())
    v_size = vac["size"].to_numpy()
    appeal = vac["appeal"].to_numpy(dtype=float)
    sizes = hh["size"].to_numpy()
    kk = min(k, len(vac))
    parts = []
    step = max(1, 2_000_000 // max(len(vac), 1))
    for start in range(0, len(hh), step):
        h = np.arange(start, min(start + step, len(hh)))
        wish = 2.0 * (v_buurt[None, :] == first[h, None]) + 1.0 * (
            v_buurt[None, :] == second[h, None]
        )
        fit = 1.0 - 0.5 * np.abs(v_size[None, :] - sizes[h, None])
        score = 1.0 + appeal[None, :] + wish + fit + rng.random((len(h), len(vac))) * 2.0
        top = np.argpartition(-score, kk - 1, axis=1)[:, :kk]
        parts.append(
            pd.DataFrame(
                {
                    "household_id": hh["household_id"].to_numpy()[np.repeat(h, kk)],
                    "vacancy_id": vac["vacancy_id"].to_numpy()[top.ravel()],
                    "score": np.round(np.take_along_axis(score, top, axis=1).ravel(), 3),
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def _occupancy(rng: np.random.Generator, entrances: int, capped: int) -> pd.DataFrame:
    units = _units(np.arange(entrances))
    channels = VULNERABLE[:capped] if capped > 1 else VULNERABLE
    rows = []
    for channel in channels:
        per_entrance = rng.binomial(
            DWELLINGS_PER_ENTRANCE - 1, 0.12 / len(channels), size=len(units)
        )
        base = units.assign(count=per_entrance)
        for level in INSTANCE_LEVELS:
            counts = base.groupby(level)["count"].sum()
            counts = counts[counts > 0]
            rows.append(
                pd.DataFrame(
                    {
                        "level": level,
                        "key": counts.index,
                        "channel": channel,
                        "count": counts.to_numpy(),
                    }
                )
            )
    return pd.concat(rows, ignore_index=True)


def _appeal(frame: pd.DataFrame) -> np.ndarray:
    """Shared appeal of a place: a few buurten and every third block are popular."""
    buurt = frame["buurt"].str[2:].astype(int).to_numpy()
    block = frame["block"].str[1:].astype(int).to_numpy()
    return 1.0 * (buurt % 4 == 0) + 0.5 * (block % 3 == 0)


def _caps(capped: int) -> pd.DataFrame:
    """25 % per entrance, building and block, 20 % per buurt (of the dwellings per unit)."""
    per_entrance = DWELLINGS_PER_ENTRANCE
    per_building = per_entrance * ENTRANCES_PER_BUILDING
    per_block = per_building * BUILDINGS_PER_BLOCK
    per_buurt = per_block * BLOCKS_PER_BUURT
    limits = {
        "entrance": per_entrance // 4,
        "building": per_building // 4,
        "block": per_block // 4,
        "buurt": per_buurt // 5,
    }
    if capped <= 1:
        rows = [(level, "*", "*", limits[level]) for level in INSTANCE_LEVELS]
    else:
        rows = [("entrance", "*", channel, 1) for channel in VULNERABLE[:capped]]
        rows += [("building", "*", channel, 2) for channel in VULNERABLE[:capped]]
        rows += [(level, "*", "*", limits[level]) for level in ("block", "buurt")]
    return pd.DataFrame(rows, columns=["level", "key", "channel", "max_count"])
