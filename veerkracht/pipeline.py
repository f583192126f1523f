"""import → build → compute → store. The CLI and jobs call this; it calls importers and storage."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pandas as pd

from veerkracht.assessment.assess import assess, findings_frame
from veerkracht.assessment.early_warning import WarningRules
from veerkracht.demo import generate_demostad
from veerkracht.demo.community import add_demo_community
from veerkracht.demo.generator import DemoData
from veerkracht.demo.initiatives import create_demo_initiatives
from veerkracht.demo.interventions import add_demo_log
from veerkracht.demo.writers_lbm import write_liveability_grid
from veerkracht.domain.frames import SourceData
from veerkracht.domain.levels import UNIT_LEVELS
from veerkracht.errors import InputError, UsageError
from veerkracht.importers.base import ImportResult, file_sha256, require_file
from veerkracht.importers.code_matching import (
    HISTORY_PREFIX,
    NEIGHBOURHOOD,
    keep_as_history,
    match_codes,
)
from veerkracht.importers.leefbaarometer_grid import CELL_LEVEL as GRID_CELL_LEVEL
from veerkracht.importers.leefbaarometer_grid import SCORE_LEVEL as GRID_SCORE_LEVEL
from veerkracht.indicators.compute import compute_indicators
from veerkracht.indicators.liveability import grid_notes
from veerkracht.indicators.stored_context import context_from_store
from veerkracht.settings import Settings
from veerkracht.signals.demo import create_demo_accounts
from veerkracht.spatial.entrances import score_entrances
from veerkracht.spatial.levels import assign_levels
from veerkracht.storage import Store, open_store
from veerkracht.storage import assets as asset_store
from veerkracht.storage import liveability as liveability_store
from veerkracht.storage import sources as source_store
from veerkracht.storage import units as unit_store

Progress = Callable[[str, float], None]

#: The levels of the current area map (the areas table also keeps the Leefbaarometer grid and
#: buurt maps of other years).
CURRENT_AREA_LEVELS = (NEIGHBOURHOOD, "district", "municipality")

DEMO_LICENCE = "Demostad: fictieve gegevens, vrij te gebruiken"


@dataclass
class BuildSummary:
    """What a build produced: counts per level, the reference year and notes for the user."""

    counts: dict[str, int]
    reference_year: int
    notes: list[str]
    indicator_rows: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "counts": self.counts,
            "reference_year": self.reference_year,
            "notes": self.notes,
            "indicator_rows": self.indicator_rows,
        }


def store_for(settings: Settings) -> Store:
    """Open (and migrate) the store the settings point at."""
    settings.workspace.mkdir(parents=True, exist_ok=True)
    return open_store(settings.store_url)


def run_demo(
    settings: Settings,
    *,
    seed: int = 1,
    dwellings: int = 6000,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Generate Demostad into the settings' store and build it; returns the build summary."""
    report = progress or (lambda _step, _share: None)
    report("generate", 0.0)
    demo = generate_demostad(seed=seed, dwellings=dwellings)
    store = store_for(settings)
    try:
        report("store", 0.3)
        counts = {
            name: len(getattr(demo.source, name))
            for name in (
                "buildings",
                "dwellings",
                "areas",
                "stock",
                "lettings",
                "moveouts",
                "nuisance",
                "assets",
                "signals",
            )
        }
        source = _with_demo_grid(demo)  # before the build, which attaches the grid scores
        counts["grid cells"] = len(source.areas) - counts["areas"]
        counts["grid scores"] = len(source.liveability_scores)
        source_store.write_source(
            store,
            source,
            path=f"demostad:seed={seed}:dwellings={dwellings}",
            sha256="",
            report={
                "source": "demostad",
                "read": counts["dwellings"],
                "used": counts["dwellings"],
                "counts": counts,
                "skipped": {},
                "notes": [],
            },
            licence=DEMO_LICENCE,
        )
        _write_truth(settings.workspace, demo.truth, demo.story)
        report("build", 0.5)
        summary = build(store, settings, progress=report)
        add_demo_community(store, settings, seed=seed)
        add_demo_log(store, settings, demo.story)  # after the build: entries need unit keys
        logins = create_demo_accounts(store)
        create_demo_initiatives(store, settings)  # after the accounts: organisations
    finally:
        store.dispose()
    return summary.as_dict() | {
        "story": _public_story(demo.story),
        "seed": seed,
        "logins": [{"username": u, "password": p, "role": r} for u, p, r in logins],
    }


def build(store: Store, settings: Settings, *, progress: Progress | None = None) -> BuildSummary:
    """Derive the levels and compute the indicators from what was imported; store it all."""
    report = progress or (lambda _step, _share: None)
    source_store.require_dwellings(store)
    dwellings = source_store.read_frame(store, "dwellings")
    buildings = source_store.read_frame(store, "buildings")
    # the current buurt map only: not the Leefbaarometer grid, not buurt maps of other years
    areas = source_store.read_areas(store, levels=CURRENT_AREA_LEVELS)
    stock = source_store.read_frame(store, "stock")
    report("levels", 0.6)
    levels = assign_levels(
        dwellings,
        buildings,
        areas,
        stock=stock,
        max_gap_m=settings.block_max_gap_m,
        stack_radius_m=settings.entrance_stack_radius_m,
        pair_max_m=settings.entrance_pair_max_m,
    )
    report("indicators", 0.8)
    frame = levels.dwellings
    ctx = context_from_store(store, settings, frame, stock=stock)
    year = ctx.years[-1]
    indicators = compute_indicators(
        ctx, levels.units, keep=lambda level, y: level.value in HISTORY_LEVELS or y == year
    )
    report("assessment", 0.85)
    result = assess(
        indicators,
        levels.units,
        year,
        warning_rules=WarningRules(
            load_percentile=settings.warning_load_percentile,
            trend_min=settings.warning_trend_min,
            min_dwellings=settings.warning_min_dwellings,
        ),
    )
    report("store", 0.9)
    summary = BuildSummary(
        counts=levels.counts,
        reference_year=year,
        notes=[*levels.notes, *grid_notes(ctx)],
        indicator_rows=len(indicators),
    )
    unit_store.write_build(
        store,
        dwellings=frame,
        units=levels.units,
        indicators=result.values,
        reference_year=year,
        summary=summary.as_dict(),
        findings=findings_frame(result, year),
    )
    asset_store.place_assets(store)  # tie imported places to their block, street and buurt
    report("done", 1.0)
    return summary


def import_source(
    store: Store, kind: str, path: Path, *, mapping: Path | None = None, history: bool = False
) -> dict[str, Any]:
    """Read one source file with its importer and store it in one transaction.

    The corporation's files are matched against the store's BAG dwellings (and stock), so those
    must be imported first. ``mapping`` maps the corporation's own channel labels (lettings).
    ``history`` keeps a CBS buurtkaart as the buurt map of its year (for joining figures with
    that year's codes by geometry) instead of replacing the current buurten.
    """
    reader = _importer(kind)
    require_file(path)
    if mapping is not None and kind != "lettings":
        raise UsageError("--mapping only applies to lettings")
    if history and kind != "cbs-buurtkaart":
        raise UsageError("--history only applies to cbs-buurtkaart")
    options: dict[str, Any] = _liveability_options(store, kind)
    if kind in CORPORATION_SOURCES:
        options["dwellings"] = _dwellings_for_matching(store, kind)
        if kind != "stock":
            options["stock"] = source_store.read_frame(store, "stock")
        if mapping is not None:
            require_file(mapping)
            options["mapping"] = mapping
    result: ImportResult = reader(path, **options)
    if history:
        keep_as_history(result)
    if kind == "cbs-kerncijfers" or history:
        _match_codes_to_stored_areas(store, result)
    report = result.report.as_dict()
    source_store.write_source(
        store,
        result.data,
        path=str(path),
        sha256=file_sha256(path),
        report=report,
        licence=result.licence,
    )
    if kind == "places":
        asset_store.place_assets(store)  # keys from the last build, if there is one
    return report


def entrance_quality(settings: Settings) -> dict[str, float]:
    """Precision and recall of the inferred entrances against Demostad's ground truth."""
    truth_path = settings.workspace / "demostad-truth.csv"
    if not truth_path.exists():
        raise InputError("no ground truth: run `veerkracht demo` first", path=str(truth_path))
    truth = pd.read_csv(truth_path, dtype=str)
    store = store_for(settings)
    try:
        dwellings = source_store.read_frame(store, "dwellings")
    finally:
        store.dispose()
    joined = truth.merge(dwellings[["dwelling_id", "entrance_key"]], on="dwelling_id")
    return score_entrances(joined["entrance_key"].to_numpy(), joined["true_entrance"].to_numpy())


def _match_codes_to_stored_areas(store: Store, result: ImportResult) -> None:
    """Join the file's area codes to the stored buurt map (importers/code_matching.py).

    Through geometry when the buurt map of the file's year is stored as history, else by code
    and name; the report says per old code how it was matched.
    """
    areas = source_store.read_areas(store, levels=[NEIGHBOURHOOD], level_prefix=HISTORY_PREFIX)
    current = areas[areas["level"] == NEIGHBOURHOOD]
    history = {
        int(level.removeprefix(HISTORY_PREFIX)): areas[areas["level"] == level]
        for level in set(areas["level"])
        if str(level).startswith(HISTORY_PREFIX)
    }
    match_codes(result, current=current, history=history)


IMPORTERS: dict[str, tuple[str, str]] = {
    # kind: (module, function)
    "bag": ("veerkracht.importers.bag", "read_bag"),
    "cbs-buurtkaart": ("veerkracht.importers.cbs", "read_cbs_buurtkaart"),
    "cbs-kerncijfers": ("veerkracht.importers.cbs", "read_cbs_kerncijfers"),
    "leefbaarometer": ("veerkracht.importers.leefbaarometer", "read_leefbaarometer"),
    "leefbaarometer-grid-cells": ("veerkracht.importers.leefbaarometer_grid", "read_grid_cells"),
    "stock": ("veerkracht.importers.corporation", "read_stock"),
    "lettings": ("veerkracht.importers.corporation", "read_lettings"),
    "moveouts": ("veerkracht.importers.corporation", "read_moveouts"),
    "nuisance": ("veerkracht.importers.corporation", "read_nuisance"),
    "places": ("veerkracht.importers.places", "read_places"),
}

#: Sources matched against the store's dwellings by address or id.
CORPORATION_SOURCES = frozenset({"stock", "lettings", "moveouts", "nuisance"})


def _liveability_options(store: Store, kind: str) -> dict[str, Any]:
    """Grid scores must match stored cells; re-imported cells must keep their scored ones."""
    if kind == "leefbaarometer":
        return {"grid_cells": liveability_store.read_area_codes(store, GRID_CELL_LEVEL)}
    if kind == "leefbaarometer-grid-cells":
        return {"scored_cells": liveability_store.read_scored_codes(store, GRID_SCORE_LEVEL)}
    return {}


def _dwellings_for_matching(store: Store, kind: str) -> pd.DataFrame:
    dwellings = pd.DataFrame(source_store.read_frame(store, "dwellings"))
    if dwellings.empty:
        raise UsageError(
            f"import the BAG first (veerkracht import bag PATH): {kind} rows are matched "
            "to BAG dwellings by address"
        )
    return dwellings.drop(columns="geometry", errors="ignore")


def _importer(kind: str) -> Callable[..., ImportResult]:
    if kind not in IMPORTERS:
        raise UsageError(f'source "{kind}" is not one of {", ".join(IMPORTERS)}')
    import importlib

    module, function = IMPORTERS[kind]
    reader: Callable[..., ImportResult] = getattr(importlib.import_module(module), function)
    return reader


#: Levels whose units keep every year of history; smaller ones keep the newest year only
#: (docs/adr/0003: a city has hundreds of thousands of entrances and buildings).
HISTORY_LEVELS = frozenset({"block", "street", "neighbourhood", "district", "municipality"})


def _with_demo_grid(demo: DemoData) -> SourceData:
    """Demostad's source plus its Leefbaarometer 100 m grid: the files ``export-demostad``
    writes, read by the grid importers, so ``demo`` stores what importing those files stores."""
    with tempfile.TemporaryDirectory(prefix="demostad-grid-") as folder:
        cells_file, scores_file = (f.path for f in write_liveability_grid(demo, Path(folder)))
        cells = _importer("leefbaarometer-grid-cells")(cells_file).data.areas
        read_scores = _importer("leefbaarometer")
        scores = read_scores(scores_file, grid_cells=list(cells["code"])).data.liveability_scores
    areas = pd.concat([demo.source.areas, cells], ignore_index=True)
    return replace(demo.source, areas=areas, liveability_scores=scores)


def _write_truth(workspace: Path, truth: pd.DataFrame, story: dict[str, Any]) -> None:
    """Ground truth beside the data; the pipeline never reads it (only quality checks do)."""
    truth.to_csv(workspace / "demostad-truth.csv", index=False)
    (workspace / "demostad-story.json").write_text(
        json.dumps(story, indent=1, ensure_ascii=False, sort_keys=True), encoding="utf-8"
    )


def _public_story(story: dict[str, Any]) -> dict[str, Any]:
    return {
        "rising_street": story.get("rising_street"),
        "rising_dwellings": len(story.get("rising_dwellings", [])),
        "coping_buildings": len(story.get("coping_buildings", [])),
    }


def level_counts_table(counts: dict[str, int]) -> list[tuple[str, int]]:
    """Counts per level in the order of the levels (for printing)."""
    return [("dwelling", counts.get("dwelling", 0))] + [
        (level.value, counts.get(level.value, 0)) for level in UNIT_LEVELS
    ]
