"""write_source / read_frame: canonical frames round-trip, one transaction, idempotent."""

from __future__ import annotations

from typing import Any

import pandas as pd
import psycopg
import pytest
import shapely
from sqlalchemy import exc

from veerkracht.domain.frames import CRS_RD, SourceData
from veerkracht.errors import StoreError
from veerkracht.storage import Store
from veerkracht.storage.sources import (
    append_rows,
    count_rows,
    read_frame,
    read_imports,
    require_dwellings,
    write_source,
)
from veerkracht.storage.tables import SOURCE_TABLES

from . import tiny

#: A duplicate key as SQLAlchemy reports it, or as the DB-API driver does (PostgreSQL's COPY path).
INTEGRITY_ERRORS = (exc.IntegrityError, psycopg.IntegrityError)

REPORT = {"read": 5, "used": 5, "skipped": {"no geometry": 0}, "notes": ["één straat"]}


def _write(store: Store, data: SourceData, **extra: Any) -> int:
    return write_source(store, data, path="bag.zip", sha256="ab" * 32, report=REPORT, **extra)


def _contents(store: Store) -> dict[str, list[dict[str, Any]]]:
    """Every source table as sorted plain records (geometry as WKT), for exact comparison."""
    out = {}
    for name in SOURCE_TABLES:
        frame = pd.DataFrame(read_frame(store, name))
        if "geometry" in frame:
            frame["geometry"] = shapely.to_wkt(frame["geometry"].to_numpy(), rounding_precision=-1)
        records = frame.astype(object).where(frame.notna(), None).to_dict("records")
        out[name] = sorted(records, key=repr)
    return out


def test_buildings_round_trip(store: Store) -> None:
    _write(store, tiny.source_data())
    written = tiny.buildings()
    read = read_frame(store, "buildings").sort_values("building_id").reset_index(drop=True)

    assert read.crs == CRS_RD
    assert read["building_id"].tolist() == ["0457100000012345", "0457100000012346"]
    assert all(isinstance(v, str) for v in read["building_id"])
    assert read["status"].tolist() == written["status"].tolist()
    assert read["in_use"].tolist() == [True, False]
    assert read["construction_year"].astype("Int64").tolist() == [1958, pd.NA]
    for got, expected in zip(read.geometry, written.geometry, strict=True):
        assert got.geom_type == expected.geom_type
        assert shapely.equals_exact(got, expected, tolerance=0), (got.wkt, expected.wkt)


def test_dwellings_round_trip(store: Store) -> None:
    _write(store, tiny.source_data())
    written = tiny.dwellings()
    read = read_frame(store, "dwellings").sort_values("dwelling_id").reset_index(drop=True)

    assert read.crs == CRS_RD
    assert read["dwelling_id"].tolist() == tiny.DWELLING_IDS
    assert read["building_id"].tolist()[:4] == [tiny.BUILDING_IDS[0]] * 3 + [tiny.BUILDING_IDS[1]]
    assert pd.isna(read["building_id"].iloc[4])
    for column in ("street_name", "house_letter", "house_suffix", "postcode", "city", "status"):
        assert _plain(read[column]) == _plain(written[column]), column
    assert read["house_number"].tolist() == [12, 12, 12, 3, 5]
    assert _plain(read["floor_area_m2"]) == [62.5, 62.5, 48.0, 110.0, None]
    assert read.geometry.geom_type.unique().tolist() == ["Point"]
    assert shapely.equals_exact(read.geometry.to_numpy(), written.geometry.to_numpy(), 0).all()
    assert read["x"].tolist() == written.geometry.x.tolist()
    # the level keys are filled by `build`, not by an import
    assert read["block_key"].isna().all()


def test_areas_and_lettings_round_trip(store: Store) -> None:
    _write(store, tiny.source_data())
    areas = read_frame(store, "areas").sort_values("code").reset_index(drop=True)
    assert areas["code"].tolist() == ["BU04570100", "BU04570101"]
    assert areas["parent_code"].tolist() == ["WK045701"] * 2
    assert shapely.equals_exact(areas.geometry.to_numpy(), tiny.areas().geometry.to_numpy()).all()

    lettings = read_frame(store, "lettings").sort_values("letting_id").reset_index(drop=True)
    assert lettings["dwelling_id"].tolist() == tiny.DWELLING_IDS[:2]
    assert lettings["channel"].tolist() == ["regulier", "urgentie"]
    assert pd.to_datetime(lettings["date"]).dt.strftime("%Y-%m-%d").tolist() == [
        "2021-03-01",
        "2023-11-15",
    ]


def test_the_import_is_logged_with_its_report(store: Store) -> None:
    first = _write(store, tiny.source_data(), licence="CC0")
    second = _write(store, SourceData(name="cbs", areas=tiny.areas("district")))
    imports = read_imports(store)
    assert imports["import_id"].tolist() == [second, first]  # newest first
    assert imports["source"].tolist() == ["cbs", "bag"]
    assert imports["report"].iloc[1] == REPORT
    assert imports["licence"].iloc[1] == "CC0"
    assert imports["sha256"].iloc[0] == "ab" * 32


def test_areas_are_replaced_per_level_and_other_parts_are_kept(store: Store) -> None:
    _write(store, tiny.source_data())
    _write(store, SourceData(name="cbs", areas=tiny.areas("district")))
    areas = read_frame(store, "areas")
    assert sorted(areas["level"]) == ["district"] * 2 + ["neighbourhood"] * 2
    assert count_rows(store, "dwellings") == len(tiny.DWELLING_IDS)  # not part of this source

    smaller = tiny.areas("neighbourhood").iloc[:1]
    _write(store, SourceData(name="cbs", areas=smaller))
    areas = read_frame(store, "areas")
    assert sorted(areas["code"]) == ["BU04570100", "WK04570100", "WK04570101"]


def test_writing_the_same_source_twice_gives_the_same_contents(store: Store) -> None:
    _write(store, tiny.source_data())
    once = _contents(store)
    _write(store, tiny.source_data())
    assert _contents(store) == once
    assert len(read_imports(store)) == 2  # the log is append-only


def test_a_failing_write_leaves_the_store_as_it_was(store: Store) -> None:
    _write(store, tiny.source_data())
    before = _contents(store)
    imports_before = read_imports(store)["import_id"].tolist()

    # New buildings and areas come first in the transaction; then the dwellings fail.
    broken = tiny.dwellings()
    broken.loc[1, "dwelling_id"] = broken.loc[0, "dwelling_id"]  # duplicate primary key
    other = tiny.buildings().assign(building_id=["0457100000099998", "0457100000099999"])
    data = SourceData(name="bag", buildings=other, dwellings=broken, areas=tiny.areas("district"))
    with pytest.raises(INTEGRITY_ERRORS):
        _write(store, data)

    assert _contents(store) == before
    assert read_imports(store)["import_id"].tolist() == imports_before


def test_a_failing_first_write_leaves_the_store_empty(store: Store) -> None:
    broken = pd.concat([tiny.dwellings(), tiny.dwellings().iloc[[2]]])
    with pytest.raises(INTEGRITY_ERRORS):
        _write(store, SourceData(name="bag", buildings=tiny.buildings(), dwellings=broken))
    assert all(count_rows(store, name) == 0 for name in SOURCE_TABLES)
    assert read_imports(store).empty


def test_a_duplicate_key_raises_the_same_error_on_every_backend(store: Store) -> None:
    broken = pd.concat([tiny.dwellings(), tiny.dwellings().iloc[[0]]])
    with pytest.raises(exc.IntegrityError):
        _write(store, SourceData(name="bag", dwellings=broken))


def test_append_rows_adds_to_a_table(store: Store) -> None:
    _write(store, tiny.source_data())
    extra = tiny.lettings().assign(letting_id=["L0003", "L0004"])
    assert append_rows(store, "lettings", extra) == 2
    ids = sorted(read_frame(store, "lettings")["letting_id"])
    assert ids == ["L0001", "L0002", "L0003", "L0004"]


def test_require_dwellings_names_the_command_to_run(store: Store) -> None:
    with pytest.raises(StoreError, match="veerkracht demo"):
        require_dwellings(store)
    _write(store, tiny.source_data())
    require_dwellings(store)


def _plain(series: pd.Series) -> list[Any]:
    return [None if pd.isna(v) else v for v in series]
