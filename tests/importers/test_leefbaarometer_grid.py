"""The Leefbaarometer 100 m grid: a hand-made grid of four cells with dwellings whose cell is known.

    y
    455200 +------------------+------------------+
           | C  E1360N4551    | D  E1361N4551    |
           |   d4 (4.40)      |   d5 (no 2024)   |
    455100 +------------------+------------------+       d6: outside every cell
           | A  E1360N4550    | B  E1361N4550    |       (136250, 455050)
           |        d1  d3|d2 |                  |
    455000 +------------------+------------------+
         136000            136100             136200   x

d1, d3, d2 lie in one building (one block) across the line x = 136100; d3 lies on it and belongs
to B (cells are half-open). 2024 lbm: A 4.20, B 3.80, C 4.40, D none; 2022: A 4.16, B 3.90,
C 4.10, D 4.15. Block of d1–d3 in 2024: (4.20 + 3.80 + 3.80) / 3.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
from shapely.geometry import Point, box
from sqlalchemy import select

from veerkracht import pipeline
from veerkracht.domain.frames import CRS_RD, SourceData
from veerkracht.domain.levels import Level
from veerkracht.errors import InputError, UsageError
from veerkracht.importers.leefbaarometer import read_leefbaarometer
from veerkracht.importers.leefbaarometer_grid import read_grid_cells
from veerkracht.indicators.liveability import GRID_KEYS, OUTSIDE, attach_grid_scores
from veerkracht.settings import Settings
from veerkracht.storage import Store
from veerkracht.storage import sources as source_store
from veerkracht.storage import tables as t
from veerkracht.storage import units as unit_store
from veerkracht.web.pages.context import build_liveability

DATA = Path(__file__).resolve().parents[1] / "data" / "leefbaarometer"
CELLS = DATA / "grid 2024.gpkg"
SCORES = DATA / "Leefbaarometer-scores grids 2022-2024.csv"
X0, Y0 = 136_000.0, 455_000.0
IDS = ["E1360N4550", "E1361N4550", "E1360N4551", "E1361N4551"]
#: dwelling → (x, y, building): d1–d3 in P1 across the A|B line, d4 in C, d5 in D, d6 outside.
DWELLINGS = {
    "0344010000000001": (X0 + 90, Y0 + 50, "P1"),
    "0344010000000002": (X0 + 110, Y0 + 50, "P1"),
    "0344010000000003": (X0 + 100, Y0 + 50, "P1"),
    "0344010000000004": (X0 + 50, Y0 + 150, "P2"),
    "0344010000000005": (X0 + 150, Y0 + 150, "P3"),
    "0344010000000006": (X0 + 250, Y0 + 50, "P4"),
}
BUILDINGS = {
    "P1": box(X0 + 80, Y0 + 40, X0 + 120, Y0 + 60),
    "P2": box(X0 + 40, Y0 + 140, X0 + 60, Y0 + 160),
    "P3": box(X0 + 140, Y0 + 140, X0 + 160, Y0 + 160),
    "P4": box(X0 + 240, Y0 + 40, X0 + 260, Y0 + 60),
}


def _cells() -> gpd.GeoDataFrame:
    return read_grid_cells(CELLS).data.areas


def _scores() -> pd.DataFrame:
    return read_leefbaarometer(SCORES, grid_cells=IDS).data.liveability_scores


# ---- reading the two files -------------------------------------------------------------------


def test_cells_golden() -> None:
    result = read_grid_cells(CELLS, scored_cells=["E1360N4550", "E9999N9999"])
    cells = result.data.areas
    assert cells.crs == CRS_RD
    assert cells["code"].tolist() == IDS
    assert set(cells["level"]) == {"lbm_grid"} and set(cells["year"]) == {2024}
    assert cells.geometry.iloc[1].equals(box(X0 + 100, Y0, X0 + 200, Y0 + 100))
    counts = result.report.counts
    assert counts["cells read"] == 4 and counts["cell area m2 (median)"] == 10_000.0
    assert counts["cells not 100 m × 100 m"] == 0
    assert counts["stored grid scores without a cell in this file"] == 1  # E9999N9999


def test_cells_from_the_download_zip(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "geometrie-lbm3-2024.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.write(CELLS, "geometrie-lbm3-2024/grid 2024.gpkg")
        archive.writestr("geometrie-lbm3-2024/buurt 2024.gpkg", b"not read")
    assert read_grid_cells(path).data.areas["code"].tolist() == IDS


def test_scores_golden_and_matched_to_the_cells() -> None:
    result = read_leefbaarometer(SCORES, grid_cells=IDS)
    scores = result.data.liveability_scores
    assert list(scores.columns) == [
        "level",
        "code",
        "year",
        "name",
        *("lbm", "afw", "fys", "onv", "soc", "vrz", "won"),
    ]
    assert len(scores) == 7 and set(scores["level"]) == {"grid"}
    b_2024 = scores[(scores["code"] == "E1361N4550") & (scores["year"] == 2024)].iloc[0]
    assert (b_2024["lbm"], b_2024["afw"], b_2024["onv"]) == (3.8, -0.3, -0.12)
    dims = scores[["fys", "onv", "soc", "vrz", "won"]].astype(float).sum(axis=1)
    assert (dims - scores["afw"].astype(float)).abs().max() < 1e-9  # they add up to afw
    counts = result.report.counts
    assert counts["rows per year"] == {2022: 4, 2024: 3}
    assert counts["scores matched to cells"] == 7 and counts["cells without scores"] == 0
    assert counts["cells without a score for 2024"] == 1  # D
    assert counts["dimension sum mismatches"] == 0


def test_dwellings_get_the_score_of_their_cell() -> None:
    dwellings = pd.DataFrame(
        {
            "x": [X0 + 90, X0 + 110, X0 + 100, X0 + 50, X0 + 150, X0 + 250, X0 + 100],
            "y": [Y0 + 50, Y0 + 50, Y0 + 50, Y0 + 150, Y0 + 150, Y0 + 50, Y0 + 100],
        }
    )  # the last one on the corner of all four cells: it belongs to D
    grid = attach_grid_scores(dwellings, _cells(), _scores(), years=(2022, 2023, 2024))
    assert grid is not None and grid.grid_years == (2022, 2024)
    assert grid.year_for == {2022: 2022, 2023: 2022, 2024: 2024}
    nan = np.nan
    np.testing.assert_array_equal(grid.scores("lbm", 2024), [4.2, 3.8, 3.8, 4.4, nan, nan, nan])
    np.testing.assert_array_equal(grid.scores("lbm", 2023), [4.16, 3.9, 3.9, 4.1, 4.15, nan, 4.15])
    np.testing.assert_array_equal(grid.scores("soc", 2024)[:4], [0.03, -0.06, -0.06, 0.05])
    reasons = grid.missing_reasons(2024).tolist()
    assert reasons[:4] == [pd.NA] * 4
    assert reasons[4] == reasons[6] == "no score for the cell in 2024"
    assert reasons[5] == OUTSIDE
    assert grid.scores("lbm", 2021) is None  # no grid year describes 2021


def test_reference_year_before_every_grid_year_takes_the_oldest() -> None:
    dwellings = pd.DataFrame({"x": [X0 + 50], "y": [Y0 + 50]})
    grid = attach_grid_scores(dwellings, _cells(), _scores(), years=(2020, 2021))
    assert grid is not None and grid.year_for == {2021: 2022}
    assert "no scores up to 2021; the scores of 2022 are used" in " ".join(grid.notes)


# ---- import, attach and build in a store (SQLite and PostgreSQL) ------------------------------


def _write_tiny_bag(store: Store) -> None:
    ids = list(DWELLINGS)
    dwellings = gpd.GeoDataFrame(
        {
            "dwelling_id": ids,
            "building_id": [DWELLINGS[i][2] for i in ids],
            "street_name": "Lindelaan",
            "house_number": list(range(1, len(ids) + 1)),
            "house_letter": None,
            "house_suffix": None,
            "postcode": "3511AB",
            "city": "Demostad",
            "floor_area_m2": 60.0,
            "status": "Verblijfsobject in gebruik",
        },
        geometry=[Point(DWELLINGS[i][0], DWELLINGS[i][1]) for i in ids],
        crs=CRS_RD,
    )
    buildings = gpd.GeoDataFrame(
        {
            "building_id": list(BUILDINGS),
            "construction_year": 1960,
            "status": "Pand in gebruik",
            "in_use": True,
        },
        geometry=list(BUILDINGS.values()),
        crs=CRS_RD,
    )
    area = box(X0 - 100, Y0 - 100, X0 + 400, Y0 + 300)
    areas = gpd.GeoDataFrame(
        {
            "level": ["municipality", "district", "neighbourhood"],
            "code": ["GM0001", "WK000101", "BU00010101"],
            "name": ["Demostad", "Centrum", "Oude Wijk"],
            "parent_code": [None, "GM0001", "WK000101"],
            "year": 2024,
        },
        geometry=[area] * 3,
        crs=CRS_RD,
    )
    lettings = pd.DataFrame(
        {
            "letting_id": ["v1", "v2"],
            "dwelling_id": [ids[0], ids[3]],
            "date": pd.to_datetime(["2022-03-01", "2024-03-01"]),
            "channel": ["regulier", "regulier"],
        }
    )  # the years of the build: 2022–2024
    data = SourceData(
        name="bag", buildings=buildings, dwellings=dwellings, areas=areas, lettings=lettings
    )
    source_store.write_source(store, data, path="tiny", sha256="0" * 64, report={})


def _settings(store: Store, tmp_path: Path) -> Settings:
    url = store.engine.url.render_as_string(hide_password=False)
    return Settings(workspace=tmp_path / "ws", database_url=url, reference_year=2024)


def _import_grid(store: Store) -> tuple[dict, dict]:  # type: ignore[type-arg]
    cells = pipeline.import_source(store, "leefbaarometer-grid-cells", CELLS)
    scores = pipeline.import_source(store, "leefbaarometer", SCORES)
    return cells, scores


def _value(table: pd.DataFrame, indicator: str, key: str, year: int) -> float:
    row = table[(table["indicator"] == indicator) & (table["key"] == key) & (table["year"] == year)]
    assert len(row) == 1, (indicator, key, year)
    return float(row["value"].iloc[0])


def test_build_attaches_cell_scores_to_blocks_and_streets(store: Store, tmp_path: Path) -> None:
    _write_tiny_bag(store)
    cells_report, scores_report = _import_grid(store)
    assert cells_report["counts"]["cells read"] == 4
    assert scores_report["counts"]["scores matched to cells"] == 7
    summary = pipeline.build(store, _settings(store, tmp_path))
    assert summary.reference_year == 2024
    notes = " ".join(summary.notes)
    assert "1 dwelling(s) without a grid score (outside every grid cell)" in notes
    assert "1 dwelling(s) without a grid score (no score for the cell in 2024)" in notes

    dwellings = source_store.read_frame(store, "dwellings").set_index("dwelling_id")
    block = dwellings["block_key"]
    ids = list(DWELLINGS)
    assert block[ids[0]] == block[ids[1]] == block[ids[2]]  # one building, one block
    blocks = unit_store.read_indicator_table(store, "block")
    score, deviation = GRID_KEYS["lbm"], GRID_KEYS["afw"]
    assert _value(blocks, score, block[ids[0]], 2024) == pytest.approx((4.2 + 3.8 + 3.8) / 3)
    assert _value(blocks, score, block[ids[0]], 2022) == pytest.approx((4.16 + 3.9 + 3.9) / 3)
    assert _value(blocks, score, block[ids[0]], 2023) == pytest.approx((4.16 + 3.9 + 3.9) / 3)
    assert _value(blocks, deviation, block[ids[0]], 2024) == pytest.approx(-0.5 / 3)
    assert _value(blocks, score, block[ids[3]], 2024) == pytest.approx(4.4)
    assert _value(blocks, score, block[ids[4]], 2022) == pytest.approx(4.15)
    for key in (block[ids[4]], block[ids[5]]):  # D has no 2024 score; d6 lies outside
        rows = blocks[(blocks["key"] == key) & (blocks["indicator"] == score)]
        assert rows.loc[rows["year"] == 2024, "value"].isna().all()
    street = dwellings["street_key"].iloc[0]
    streets = unit_store.read_indicator_table(store, "street")
    assert _value(streets, score, street, 2024) == pytest.approx((4.2 + 3.8 + 3.8 + 4.4) / 4)
    assert _value(streets, score, street, 2022) == pytest.approx(
        (4.16 + 3.9 + 3.9 + 4.1 + 4.15) / 5
    )
    # the five dimensions add up to afw for every unit of every level
    every = pd.concat(unit_store.read_indicator_table(store, lv) for lv in ("block", "street"))
    wide = every.pivot_table(index=["key", "year"], columns="indicator", values="value")
    dims = wide[[GRID_KEYS[s] for s in ("fys", "onv", "soc", "vrz", "won")]].sum(axis=1)
    assert (dims - wide[deviation]).abs().max() < 1e-9


def test_unit_pages_show_the_grid_years_in_the_area_words(store: Store, tmp_path: Path) -> None:
    _write_tiny_bag(store)
    _import_grid(store)
    pipeline.build(store, _settings(store, tmp_path))
    block = source_store.read_frame(store, "dwellings").set_index("dwelling_id")["block_key"]
    ids = list(DWELLINGS)
    page = build_liveability(store, Level.BLOCK, block[ids[0]])
    assert page is not None and page.years == [2022, 2024]  # 2023 is described by 2022
    rows = {row.score: row for row in page.rows}
    assert [v.text for v in rows["lbm"].values] == ["3,99", "3,93"]
    assert [v.text for v in rows["afw"].values] == ["-0,113", "-0,167"]  # (0.06 - 0.2 - 0.2) / 3
    assert rows["fys"].label == "Fysieke omgeving"
    assert page.source.startswith("Bron: Leefbaarometer 3.0 (BZK), vakken van 100 bij 100 meter")
    cell_d = build_liveability(store, Level.BLOCK, block[ids[4]])
    assert cell_d is not None
    assert [v.text for v in cell_d.rows[0].values] == ["4,15", "geen cijfer"]
    assert build_liveability(store, Level.BLOCK, block[ids[5]]) is None  # outside every cell
    buurt = build_liveability(store, Level.NEIGHBOURHOOD, "BU00010101")
    assert buurt is not None and buurt.source == page.source  # no buurt file: the grid


def test_reimport_changes_nothing_and_other_levels_stay(store: Store, tmp_path: Path) -> None:
    buurten = tmp_path / "Leefbaarometer-scores buurten 2002-2024.csv"
    buurten.write_text(
        "bu_code,bu_naam,jaar,lbm,afw,fys,onv,soc,vrz,won\n"
        "BU00010101,Oude Wijk,2024,4.2,0.1,0.02,0.02,0.02,0.02,0.02\n",
        encoding="utf-8",
    )
    pipeline.import_source(store, "leefbaarometer", buurten)
    _import_grid(store)
    first = _tables(store)
    _import_grid(store)
    pipeline.import_source(store, "leefbaarometer", buurten)
    assert _tables(store) == first
    levels = pd.Series([r[0] for r in first["liveability_scores"]]).value_counts().to_dict()
    assert levels == {"grid": 7, "neighbourhood": 1}  # a grid import leaves the buurten alone
    assert sum(1 for r in first["areas"] if r[0] == "lbm_grid") == 4


def _tables(store: Store) -> dict[str, list[tuple]]:  # type: ignore[type-arg]
    with store.engine.connect() as conn:
        return {
            table.name: sorted(tuple(row) for row in conn.execute(select(table)))
            for table in (t.areas, t.liveability_scores)
        }


# ---- broken files: one clear message, the store as it was -------------------------------------


def _digest(store: Store) -> str:
    digest = hashlib.sha256()
    with store.engine.connect() as conn:
        for table in t.metadata.sorted_tables:
            for row in sorted(repr(tuple(r)) for r in conn.execute(select(table))):
                digest.update(f"{table.name}{row}".encode())
    return digest.hexdigest()


def _csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "Leefbaarometer-scores grids.csv"
    path.write_text(text, encoding="utf-8")
    return path


def _gpkg(tmp_path: Path, frame: gpd.GeoDataFrame, name: str = "grid 2024.gpkg") -> Path:
    path = tmp_path / name
    pyogrio.write_dataframe(frame, path, layer="grid 2024", driver="GPKG")
    return path


def _scores_text() -> str:
    return SCORES.read_text(encoding="utf-8")


BROKEN_SCORES = {
    "missing grid_id column": (
        lambda tmp: _csv(tmp, _scores_text().replace("grid_id,", "cel,", 1)),
        r'row 1, field "bu_code": expected exactly one code column',
    ),
    "unknown cell id": (
        lambda tmp: _csv(tmp, _scores_text() + "E1370N4550,2024,4.1,0,0,0,0,0,0\n"),
        r'row 9, field "grid_id": "E1370N4550" is not a cell of the stored grid \(4 cells\)',
    ),
    "non-numeric score": (
        lambda tmp: _csv(tmp, _scores_text().replace(",3.8,", ",3.8x,", 1)),
        r'row 5, field "lbm": "3.8x" is not a number',
    ),
    "not a year": (
        lambda tmp: _csv(tmp, _scores_text().replace(",2024,", ",24,", 1)),
        r'row 3, field "jaar": "24" is not a year',
    ),
    "cell and year twice": (
        lambda tmp: _csv(tmp, _scores_text() + "E1360N4550,2022,4.1,0,0,0,0,0,0\n"),
        r"row 9, field \"jaar\": E1360N4550 2022 appears in rows 2 and 9",
    ),
    "a row too short": (
        lambda tmp: _csv(tmp, _scores_text() + "E1360N4551,2020,4.1\n"),
        r"row 9: 3 fields where the header has 9",
    ),
}


@pytest.mark.parametrize("case", list(BROKEN_SCORES))
def test_broken_scores_fail_cleanly(store: Store, tmp_path: Path, case: str) -> None:
    pipeline.import_source(store, "leefbaarometer-grid-cells", CELLS)
    before = _digest(store)
    make, message = BROKEN_SCORES[case]
    path = make(tmp_path)
    with pytest.raises(InputError, match=message) as error:
        pipeline.import_source(store, "leefbaarometer", path)
    assert str(path) in str(error.value)
    assert _digest(store) == before


def test_scores_before_the_cells_say_what_to_do(store: Store) -> None:
    with pytest.raises(UsageError, match="import the grid geometry first"):
        pipeline.import_source(store, "leefbaarometer", SCORES)


def _square_cells() -> gpd.GeoDataFrame:
    return gpd.read_file(CELLS)


BROKEN_CELLS = {
    "wrong CRS": (
        lambda tmp: _gpkg(tmp, _square_cells().to_crs("EPSG:4326")),
        r'field "crs": layer "grid 2024" is in EPSG:4326; expected EPSG:28992',
    ),
    "no grid_id field": (
        lambda tmp: _gpkg(tmp, _square_cells().rename(columns={"grid_id": "id"})),
        r'field "grid_id": layer "grid 2024" has no field grid_id',
    ),
    "an id twice": (
        lambda tmp: _gpkg(tmp, _square_cells().assign(grid_id=IDS[:3] + IDS[:1])),
        r'feature 4, field "grid_id": grid_id E1360N4550 occurs in features 1 and 4',
    ),
    "a point for a cell": (
        lambda tmp: _gpkg(tmp, _square_cells().set_geometry(_square_cells().centroid)),
        r'feature 1, field "geometry": grid cell E1360N4550 has a Point; expected a polygon',
    ),
    "outside the Netherlands": (
        lambda tmp: _gpkg(tmp, _moved(_square_cells(), xoff=1_000_000)),
        r'field "geometry": grid cell E1360N4550 lies at x=1,136,000.0',
    ),
    "truncated GeoPackage": (
        lambda tmp: _truncated(tmp),
        r"truncated",
    ),
}


def _moved(cells: gpd.GeoDataFrame, *, xoff: float) -> gpd.GeoDataFrame:
    return cells.set_geometry(cells.translate(xoff=xoff))


def _truncated(tmp: Path) -> Path:
    path = tmp / "grid 2024.gpkg"
    shutil.copy(CELLS, path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


@pytest.mark.parametrize("case", list(BROKEN_CELLS))
def test_broken_cells_fail_cleanly(store: Store, tmp_path: Path, case: str) -> None:
    _import_grid(store)
    before = _digest(store)
    make, message = BROKEN_CELLS[case]
    path = make(tmp_path)
    with pytest.raises(InputError, match=message) as error:
        pipeline.import_source(store, "leefbaarometer-grid-cells", path)
    assert str(path) in str(error.value)
    assert _digest(store) == before


def test_regular_grid_arithmetic_finds_the_same_cells_as_the_spatial_index() -> None:
    """Points inside, on inner edges and corners, on the outer edge and outside the grid."""
    import numpy as np
    import shapely

    from veerkracht.indicators.liveability import _cell_by_index, _cell_of

    cells = pd.DataFrame(
        {
            "geometry": [
                shapely.box(x, y, x + 100, y + 100)
                for x in range(120_000, 120_500, 100)
                for y in range(480_000, 480_300, 100)
            ]
        }
    )
    rng = np.random.default_rng(7)
    x = np.r_[rng.uniform(119_950, 120_550, 500), 120_100, 120_200, 120_500, 119_000]
    y = np.r_[rng.uniform(479_950, 480_350, 500), 480_100, 480_000, 480_300, 480_050]
    x[:50] = np.round(x[:50], -2)  # on vertical edges
    y[50:100] = np.round(y[50:100], -2)  # on horizontal edges
    dwellings = pd.DataFrame({"x": x, "y": y})
    geoms = np.asarray(cells["geometry"], dtype=object)
    expected = _cell_by_index(x, y, geoms)
    assert (expected >= 0).sum() > 300 and (expected < 0).sum() > 0
    np.testing.assert_array_equal(_cell_of(dwellings, cells), expected)
    # an irregular grid (one cell shifted by half a cell) goes through the index only
    cells.loc[0, "geometry"] = shapely.box(120_050, 480_000, 120_150, 480_100)
    geoms = np.asarray(cells["geometry"], dtype=object)
    np.testing.assert_array_equal(_cell_of(dwellings, cells), _cell_by_index(x, y, geoms))
