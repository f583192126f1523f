"""The policy simulator: years of move-outs and lettings on a stock under each online method.

Each year: occupants move out (vulnerable ones a bit more often); new applicants join the
waiting list (a share through vulnerable channels, sizes 1–5, one or two preferred buurten); the
year's vacancies arrive one by one and the method decides (first-come, cap-rule, dual-price with
prices from a forecast of the year's vacancies); a vacancy nobody on the list gets is let
regulier outside the list; applicants who waited too long drop out.

Runs are independent (one seed each, the same seeds for every method) and run in parallel
through joblib: ``backend="loky"`` on the local cores, or ``backend="dask"`` on a Dask cluster
when a ``dask.distributed.Client`` is running (dask itself is not required otherwise).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from veerkracht.allocation.concentration import over_cap_share, segregation_measures
from veerkracht.allocation.instance import INSTANCE_LEVELS, VULNERABLE, Instance
from veerkracht.allocation.online import allocate_online
from veerkracht.allocation.policy import Policy
from veerkracht.allocation.stock import VACANT, Stock, occupancy_of
from veerkracht.allocation.suitability import score_pairs
from veerkracht.domain.channels import Channel

REGULIER = Channel.REGULIER.value
VULNERABLE_MIX = {"urgentie": 0.3, "statushouder": 0.3, "uitstroom": 0.25, "housing_first": 0.15}


@dataclass(frozen=True)
class Scenario:
    """The world around the policy (the same for every method and policy compared)."""

    moveout_rate: float = 0.08
    vulnerable_moveout_rate: float = 0.12
    applicants_per_vacancy: float = 1.3
    vulnerable_share: float = 0.35
    max_wait_years: int = 5
    candidates_per_household: int = 20
    resolves: int = 4


@dataclass(frozen=True)
class SimulationResults:
    """One row per policy, method, run and year."""

    frame: pd.DataFrame


def simulate_policies(
    stock: Stock,
    policies: Sequence[Policy],
    *,
    methods: Sequence[str],
    years: int,
    runs: int,
    seed: int = 1,
    n_jobs: int = -1,
    backend: str = "loky",
    scenario: Scenario | None = None,
    progress: Callable[[int], None] | None = None,
) -> SimulationResults:
    """Simulate every policy × method for ``runs`` seeded runs of ``years`` years, in parallel."""
    from joblib import Parallel, delayed, parallel_config

    scenario = scenario or Scenario()
    tasks = [(p, m, r) for p in range(len(policies)) for m in methods for r in range(runs)]
    frames: list[pd.DataFrame] = []
    with parallel_config(backend=backend, n_jobs=n_jobs):
        results = Parallel(return_as="generator_unordered")(
            delayed(_run_task)(stock, policies[p], m, years, seed * 100_003 + r, scenario, p, r)
            for p, m, r in tasks
        )
        for done, frame in enumerate(results, start=1):
            frames.append(frame)
            if progress is not None:
                progress(done)
    frame = pd.concat(frames, ignore_index=True).sort_values(["policy", "method", "run", "year"])
    return SimulationResults(frame=frame.reset_index(drop=True))


def simulate_run(
    stock: Stock,
    policy: Policy,
    *,
    method: str,
    years: int,
    seed: int,
    scenario: Scenario | None = None,
) -> pd.DataFrame:
    """One run: the metrics of every year (year 0 = the stock as it is)."""
    scenario = scenario or Scenario()
    rng = np.random.default_rng(seed)
    dwellings = stock.dwellings.reset_index(drop=True)
    channel = dwellings["channel"].to_numpy(dtype=object).copy()
    sizes = stock.unit_sizes()
    caps = policy.cap_rows(sizes)
    buurten = np.sort(dwellings["buurt"].unique())
    waiting = _applicants(rng, 0, 0, buurten, scenario)
    rows = [_metrics(dwellings, channel, caps, year=0, placed=None)]
    for year in range(1, years + 1):
        moving = _moveouts(rng, channel, scenario)
        channel[moving] = VACANT
        vacant = np.flatnonzero(channel == VACANT)
        rng.shuffle(vacant)
        new = _applicants(
            rng,
            len(vacant),
            year,
            buurten,
            scenario,
            start=len(waiting) and int(waiting["number"].max()) + 1,
        )
        waiting = pd.concat([waiting, new], ignore_index=True)
        instance, vac = _instance(dwellings, channel, vacant, waiting, policy, caps, scenario)
        forecast = None
        if method == "dual-price":
            forecast = _forecast(
                rng, dwellings, channel, len(vacant), waiting, policy, caps, scenario
            )
        plan = allocate_online(instance, method, forecast=forecast, resolves=scenario.resolves)
        placed = plan.merge(vac[["vacancy_id", "row"]], on="vacancy_id").merge(
            waiting[["household_id", "channel", "registered"]], on="household_id"
        )
        channel[placed["row"].to_numpy()] = placed["channel"].to_numpy(dtype=object)
        channel[channel == VACANT] = REGULIER  # let outside the list
        placed["wait"] = year - placed["registered"]
        waiting = waiting[~waiting["household_id"].isin(set(placed["household_id"]))]
        waiting = waiting[year - waiting["registered"] < scenario.max_wait_years]
        rows.append(
            _metrics(dwellings, channel, caps, year=year, placed=placed, waiting=len(waiting))
        )
    return pd.DataFrame(rows)


def _run_task(
    stock: Stock,
    policy: Policy,
    method: str,
    years: int,
    seed: int,
    scenario: Scenario,
    p: int,
    r: int,
) -> pd.DataFrame:
    frame = simulate_run(stock, policy, method=method, years=years, seed=seed, scenario=scenario)
    frame.insert(0, "run", r)
    frame.insert(0, "method", method)
    frame.insert(0, "policy", policy.name if policy.name else f"policy {p + 1}")
    return frame


def _moveouts(rng: np.random.Generator, channel: np.ndarray, scenario: Scenario) -> np.ndarray:
    vulnerable = np.isin(channel, VULNERABLE)
    rate = np.where(vulnerable, scenario.vulnerable_moveout_rate, scenario.moveout_rate)
    return (channel != VACANT) & (rng.random(len(channel)) < rate)


def _applicants(
    rng: np.random.Generator,
    vacancies: int,
    year: int,
    buurten: np.ndarray,
    scenario: Scenario,
    start: int = 0,
) -> pd.DataFrame:
    n = int(round(vacancies * scenario.applicants_per_vacancy))
    vulnerable = rng.random(n) < scenario.vulnerable_share
    mix = np.array(list(VULNERABLE_MIX.values()))
    channel = np.where(vulnerable, rng.choice(list(VULNERABLE_MIX), size=n, p=mix), REGULIER)
    first = rng.choice(buurten, size=n)
    second = np.where(rng.random(n) < 0.5, rng.choice(buurten, size=n), "")
    number = np.arange(start, start + n)
    return pd.DataFrame(
        {
            "household_id": [f"A{i:07d}" for i in number],
            "number": number,
            "channel": channel,
            "household_size": rng.choice([1, 1, 2, 2, 3, 4, 5], size=n),
            "needs": "",
            "preferred_areas": [f"{a} {b}".strip() for a, b in zip(first, second, strict=True)],
            "registered": year,
        }
    )


def _vacancy_rows(dwellings: pd.DataFrame, rows: np.ndarray, prefix: str) -> pd.DataFrame:
    vac = dwellings.iloc[rows].copy()
    vac["row"] = rows
    vac["vacancy_id"] = [f"{prefix}{i}" for i in range(len(rows))]
    vac["accessible"] = True
    return vac.reset_index(drop=True)


def _instance(
    dwellings: pd.DataFrame,
    channel: np.ndarray,
    rows: np.ndarray,
    waiting: pd.DataFrame,
    policy: Policy,
    caps: pd.DataFrame,
    scenario: Scenario,
    prefix: str = "W",
) -> tuple[Instance, pd.DataFrame]:
    vac = _vacancy_rows(dwellings, rows, prefix)
    occupied = dwellings.assign(channel=channel)[channel != VACANT]
    k = policy.candidates_per_household or scenario.candidates_per_household
    scoring = policy.model_copy(update={"candidates_per_household": k})
    keep = np.zeros(len(caps), dtype=bool)
    for level in INSTANCE_LEVELS:
        keep |= (caps["level"] == level).to_numpy() & caps["key"].isin(set(vac[level])).to_numpy()
    instance = Instance.from_frames(
        vacancies=vac[["vacancy_id", *INSTANCE_LEVELS]],
        households=waiting[["household_id", "channel"]],
        scores=score_pairs(vac, waiting, scoring),
        occupancy=occupancy_of(occupied),
        caps=caps[keep],
    )
    return instance, vac


def _forecast(
    rng: np.random.Generator,
    dwellings: pd.DataFrame,
    channel: np.ndarray,
    n: int,
    waiting: pd.DataFrame,
    policy: Policy,
    caps: pd.DataFrame,
    scenario: Scenario,
) -> Instance:
    """The year's vacancies as expected: dwellings drawn by their move-out rate (not the real
    ones)."""
    vulnerable = np.isin(channel, VULNERABLE)
    weight = np.where(vulnerable, scenario.vulnerable_moveout_rate, scenario.moveout_rate)
    rows = rng.choice(len(dwellings), size=max(n, 1), replace=False, p=weight / weight.sum())
    instance, _ = _instance(dwellings, channel, rows, waiting, policy, caps, scenario, "F")
    return instance


def _metrics(
    dwellings: pd.DataFrame,
    channel: np.ndarray,
    caps: pd.DataFrame,
    *,
    year: int,
    placed: pd.DataFrame | None,
    waiting: int = 0,
) -> dict[str, Any]:
    vulnerable = np.isin(channel, VULNERABLE)
    occupied = channel != VACANT
    row: dict[str, Any] = {"year": year, "vulnerable_share": float(vulnerable[occupied].mean())}
    for level in ("entrance", "block"):
        row[f"{level}_over_cap"] = over_cap_share(
            dwellings[level].to_numpy(), vulnerable, caps, level
        )
    for level in ("entrance", "block", "buurt"):
        d, iso = segregation_measures(dwellings[level].to_numpy(), vulnerable, occupied)
        row[f"dissimilarity_{level}"] = d
        row[f"isolation_{level}"] = iso
    if placed is None:
        row |= {
            "placed": 0,
            "placed_vulnerable": 0,
            "mean_suitability": np.nan,
            "mean_wait_years": np.nan,
            "waiting": 0,
        }
    else:
        row |= {
            "placed": len(placed),
            "placed_vulnerable": int(np.isin(placed["channel"], VULNERABLE).sum()),
            "mean_suitability": float(placed["score"].mean()) if len(placed) else np.nan,
            "mean_wait_years": float(placed["wait"].mean()) if len(placed) else np.nan,
            "waiting": waiting,
        }
    return row


def final_year_table(results: SimulationResults) -> pd.DataFrame:
    """Mean over the runs of the last year, per policy and method."""
    frame = results.frame
    last = frame[frame["year"] == frame["year"].max()]
    columns = [
        "entrance_over_cap",
        "block_over_cap",
        "dissimilarity_entrance",
        "isolation_entrance",
        "mean_suitability",
        "placed",
        "mean_wait_years",
    ]
    return last.groupby(["policy", "method"], as_index=False)[columns].mean()


def write_results(results: SimulationResults, out: Path) -> list[Path]:
    """simulation.csv (every run), summary.csv (means per year) and charts (PNG and SVG)."""
    from veerkracht.allocation.charts import write_charts

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / "simulation.csv", out / "summary.csv"]
    results.frame.to_csv(paths[0], index=False)
    summary = (
        results.frame.groupby(["policy", "method", "year"], as_index=False)
        .mean(numeric_only=True)
        .drop(columns="run")
    )
    summary.to_csv(paths[1], index=False)
    return paths + write_charts(results.frame, out)
