"""The whole path on both stores: Demostad → levels → indicators → store."""

import pandas as pd
import pytest

from veerkracht import pipeline
from veerkracht.domain.levels import KEY_COLUMN, UNIT_LEVELS
from veerkracht.errors import StoreError, UsageError
from veerkracht.storage import sources as source_store
from veerkracht.storage import units as unit_store


def test_demo_builds_every_level_and_totals_add_up(settings) -> None:
    summary = pipeline.run_demo(settings, seed=2, dwellings=800)
    store = pipeline.store_for(settings)
    try:
        dwellings = source_store.read_frame(store, "dwellings")
        total = len(dwellings)
        assert summary["counts"]["dwelling"] == total
        for level in UNIT_LEVELS:
            assert dwellings[KEY_COLUMN[level]].notna().all(), level
            units = unit_store.read_units(store, level.value, with_geometry=False)
            assert units["dwellings"].sum() == total, level
            assert len(units) == summary["counts"][level.value]
        values = unit_store.read_indicator_table(store, "block", summary["reference_year"])
        count = values[values["indicator"] == "dwellings"]["value"].sum()
        assert count == total
    finally:
        store.dispose()


def test_rebuild_is_idempotent(settings) -> None:
    pipeline.run_demo(settings, seed=3, dwellings=600)
    store = pipeline.store_for(settings)
    try:
        before = unit_store.read_indicator_table(store, "entrance")
        pipeline.build(store, settings)
        after = unit_store.read_indicator_table(store, "entrance")
    finally:
        store.dispose()
    key = ["level", "key", "year", "indicator"]
    pd.testing.assert_frame_equal(
        before.sort_values(key).reset_index(drop=True),
        after.sort_values(key).reset_index(drop=True),
    )


def test_build_on_an_empty_store_says_what_to_do(settings) -> None:
    store = pipeline.store_for(settings)
    try:
        with pytest.raises(StoreError, match="veerkracht demo"):
            pipeline.build(store, settings)
    finally:
        store.dispose()


def test_unknown_source_kind_is_a_usage_error(settings, tmp_path) -> None:
    store = pipeline.store_for(settings)
    try:
        with pytest.raises(UsageError, match="is not one of"):
            pipeline.import_source(store, "kadaster", tmp_path / "x.zip")
    finally:
        store.dispose()
