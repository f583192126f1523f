"""Leefbaarometer 3.0 on the 100 m grid: the cells (a geometry file) and their scores (a CSV).

The open-data download comes in two parts that share the cell id ``grid_id``:

- the geometry, ``geometrie-lbm3-2024.zip`` → ``grid 2024.gpkg``: one polygon of 100 m × 100 m
  per cell in RD New (EPSG:28992);
- the scores, ``Leefbaarometer-scores grids 2002-2024.csv``: ``grid_id, jaar, lbm, afw, fys, onv,
  soc, vrz, won``, one row per cell and measurement year (about 380,000 cells × 12 years).

The cells are imported first (``import leefbaarometer-grid-cells``) and become ``areas`` of level
``lbm_grid``; the scores (``import leefbaarometer``, see ``leefbaarometer_grid_scores``) are
checked against the stored cells and become ``liveability_scores`` of level ``grid``. The
geometry is read in Arrow batches (pyogrio); the file may also be the download's zip.
"""

from __future__ import annotations

import re
import struct
import warnings
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from veerkracht.domain.frames import CRS_RD, SourceData
from veerkracht.errors import InputError
from veerkracht.importers.bag_frames import check_rd_range
from veerkracht.importers.base import ImportReport, ImportResult, require_file

SOURCE = "leefbaarometer"
LICENCE = "Leefbaarometer 3.0 open data (Ministerie van BZK)"
CELL_LEVEL = "lbm_grid"  # level of the cells in the areas table
SCORE_LEVEL = "grid"  # level of their scores in the liveability_scores table
ID_FIELD = "grid_id"
MAX_ID_LENGTH = 20  # areas.code
CELL_AREA_M2 = 10_000.0
_BATCH = 65_536


def read_grid_cells(path: Path, *, scored_cells: Sequence[str] | None = None) -> ImportResult:
    """``areas`` of level ``lbm_grid`` from the grid geometry (GeoPackage, shapefile, or the zip).

    ``scored_cells`` are the cell ids that already have stored scores; the report says how many
    of them this geometry lacks. Errors: no ``grid_id`` field, a CRS other than EPSG:28992, an
    empty or non-polygon geometry, coordinates outside the Netherlands, an id twice, a
    truncated file.
    """
    path = Path(path)
    require_file(path)
    source = _vector_source(path)
    layer = _grid_layer(source, path)
    cells = _read_cells(source, layer, path)
    report = ImportReport(source=SOURCE, path=str(path), read=len(cells), used=len(cells))
    _report_cells(cells, report, layer, scored_cells)
    data = SourceData(name=SOURCE, areas=cells)
    return ImportResult(data=data, report=report, licence=LICENCE)


def _vector_source(path: Path) -> str:
    """What GDAL opens: the file itself, or the grid file inside the download's zip."""
    if path.suffix.lower() != ".zip":
        if path.suffix.lower() == ".gpkg":
            _check_sqlite_size(path)
        return str(path)
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except zipfile.BadZipFile as exc:
        raise InputError(f"not a readable zip file ({exc})", path=str(path)) from exc
    found = [n for n in names if re.search(r"(^|/)grid[^/]*\.(gpkg|shp)$", n, re.IGNORECASE)]
    if len(found) != 1:
        listed = ", ".join(n for n in names if n.lower().endswith((".gpkg", ".shp"))) or "none"
        raise InputError(
            f"expected one grid file (such as 'grid 2024.gpkg') in the zip, found "
            f"{len(found)} (geometry files: {listed})",
            path=str(path),
        )
    return f"/vsizip/{path}/{found[0]}"


def _grid_layer(source: str, path: Path) -> str:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            layers = [str(name) for name in pyogrio.list_layers(source)[:, 0]]
    except (pyogrio.errors.DataSourceError, OSError) as exc:
        raise InputError(
            f"not a readable geometry file ({exc}); expected the Leefbaarometer grid as "
            "GeoPackage or shapefile",
            path=str(path),
        ) from exc
    grid = [name for name in layers if name.lower().startswith("grid")]
    if len(layers) == 1 or len(grid) == 1:
        return layers[0] if len(layers) == 1 else grid[0]
    raise InputError(
        f"expected one layer, or one named grid…; found {', '.join(layers) or 'none'}",
        path=str(path),
    )


def _read_cells(source: str, layer: str, path: Path) -> gpd.GeoDataFrame:
    info = _info(source, layer, path)
    crs = info.get("crs")
    if not crs or str(crs).upper() != CRS_RD:
        raise InputError(
            f'layer "{layer}" is in {crs or "no CRS"}; expected {CRS_RD} (RD New): reproject '
            "it first, e.g. ogr2ogr -t_srs EPSG:28992",
            path=str(path),
            field="crs",
        )
    fields = {str(f).casefold(): str(f) for f in info["fields"]}
    if ID_FIELD not in fields:
        raise InputError(
            f'layer "{layer}" has no field {ID_FIELD} (fields: {", ".join(info["fields"])}); '
            "expected the cell id shared with the scores CSV",
            path=str(path),
            field=ID_FIELD,
        )
    ids: list[str] = []
    geoms: list[np.ndarray] = []
    for batch_ids, batch_geoms in _cell_batches(source, layer, fields[ID_FIELD], path):
        _check_cells(batch_ids, batch_geoms, first=len(ids) + 1, path=path)
        ids.extend(batch_ids)
        geoms.append(batch_geoms)
    if info.get("features", -1) not in (-1, len(ids)):
        raise InputError(
            f'layer "{layer}" gave {len(ids):,} of its {info["features"]:,} features; the file '
            "is damaged or truncated",
            path=str(path),
        )
    if not ids:
        raise InputError(f'layer "{layer}" has no cells; expected grid cells', path=str(path))
    cells = gpd.GeoDataFrame(
        {
            "level": CELL_LEVEL,
            "code": pd.array(ids, dtype="string"),
            "name": pd.array([None] * len(ids), dtype="string"),
            "parent_code": pd.array([None] * len(ids), dtype="string"),
            "year": pd.array([_year_in(path.name, source)] * len(ids), dtype="Int64"),
        },
        geometry=np.concatenate(geoms),
        crs=CRS_RD,
    )
    _check_unique_cells(cells["code"], path)
    check_rd_range(cells, id_column="code", what="grid cell", path=str(path))
    return cells


def _cell_batches(
    source: str, layer: str, id_field: str, path: Path
) -> Iterator[tuple[list[str], np.ndarray]]:
    read = 0
    try:
        with pyogrio.open_arrow(
            source, layer=layer, columns=[id_field], batch_size=_BATCH, use_pyarrow=True
        ) as (meta, reader):
            geometry_name = meta.get("geometry_name") or "wkb"
            for batch in reader:
                frame = batch.to_pandas()
                read += len(frame)
                wkb = frame[geometry_name].to_numpy() if geometry_name in frame else None
                geoms = (
                    shapely.force_2d(shapely.from_wkb(wkb))
                    if wkb is not None
                    else np.full(len(frame), None, dtype=object)
                )
                yield _id_text(frame[id_field]), geoms
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, OSError) as exc:
        raise InputError(
            f'layer "{layer}" cannot be read after {read:,} features ({exc}); expected a '
            "complete file",
            path=str(path),
        ) from exc


def _id_text(values: pd.Series) -> list[str]:
    """Cell ids as text; a number column gives ``123``, never ``123.0``."""
    if pd.api.types.is_float_dtype(values) and (values.dropna() % 1 == 0).all():
        values = values.astype("Int64")
    return ["" if pd.isna(v) else str(v).strip() for v in values]


def _check_cells(ids: list[str], geoms: np.ndarray, *, first: int, path: Path) -> None:
    for offset, (cell_id, geom) in enumerate(zip(ids, geoms, strict=True)):
        feature = f"feature {first + offset}"
        if not cell_id:
            raise InputError("empty grid_id; expected the cell id", path=str(path), row=feature)
        if len(cell_id) > MAX_ID_LENGTH:
            raise InputError(
                f'grid_id "{cell_id[:40]}" has {len(cell_id)} characters; expected at most '
                f"{MAX_ID_LENGTH}",
                path=str(path),
                row=feature,
                field=ID_FIELD,
            )
        if geom is None or shapely.is_empty(geom) or shapely.get_type_id(geom) not in (3, 6):
            empty = geom is None or shapely.is_empty(geom)
            kind = "no geometry" if empty else f"a {geom.geom_type}"
            raise InputError(
                f"grid cell {cell_id} has {kind}; expected a polygon",
                path=str(path),
                row=feature,
                field="geometry",
            )


def _check_unique_cells(codes: pd.Series, path: Path) -> None:
    repeated = codes.duplicated(keep=False).to_numpy()
    if repeated.any():
        positions = np.flatnonzero(repeated)
        cell = codes.iloc[positions[0]]
        where = np.flatnonzero((codes == cell).to_numpy())
        raise InputError(
            f"grid_id {cell} occurs in features {where[0] + 1} and {where[1] + 1}; expected "
            "each cell once",
            path=str(path),
            row=f"feature {where[1] + 1}",
            field=ID_FIELD,
        )


def _report_cells(
    cells: gpd.GeoDataFrame,
    report: ImportReport,
    layer: str,
    scored_cells: Sequence[str] | None,
) -> None:
    areas = shapely.area(cells.geometry.to_numpy())
    off = int((np.abs(areas - CELL_AREA_M2) > 1.0).sum())
    report.counts |= {
        "level": CELL_LEVEL,
        "layer": layer,
        "cells read": len(cells),
        "cell area m2 (median)": round(float(np.median(areas)), 1),
        "cells not 100 m × 100 m": off,
    }
    if off:
        report.notes.append(
            f"{off:,} cell(s) are not 100 m × 100 m (clipped or merged); a dwelling still gets the "
            "cell it lies in"
        )
    if scored_cells is not None:
        missing = len(set(scored_cells) - set(cells["code"]))
        report.counts["stored grid scores without a cell in this file"] = missing
        if missing:
            report.notes.append(
                f"{missing:,} cell(s) with stored scores are not in this geometry: their scores "
                "are kept but no dwelling gets them"
            )


def _info(source: str, layer: str, path: Path) -> dict[str, Any]:
    try:
        return dict(pyogrio.read_info(source, layer=layer))
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, OSError) as exc:
        raise InputError(f'layer "{layer}" cannot be read ({exc})', path=str(path)) from exc


def _year_in(*names: str) -> int | None:
    for name in names:
        found = re.findall(r"(?<!\d)((?:19|20)\d\d)(?!\d)", Path(name).name)
        if found:
            return int(found[-1])
    return None


def _check_sqlite_size(path: Path) -> None:
    """A cut-off download still opens; its SQLite header knows how long the file must be."""
    with open(path, "rb") as handle:
        header = handle.read(100)
    if len(header) < 100 or not header.startswith(b"SQLite format 3"):
        raise InputError("not a GeoPackage (no SQLite header)", path=str(path))
    page_size = struct.unpack(">H", header[16:18])[0]
    page_size = 65_536 if page_size == 1 else page_size
    pages, changed, valid_for = struct.unpack(">I", header[28:32])[0], header[24:28], header[92:96]
    expected, actual = page_size * pages, path.stat().st_size
    if changed == valid_for and pages and actual < expected:
        raise InputError(
            f"the file has {actual:,} bytes but its SQLite header says {expected:,}; it is "
            "truncated (an interrupted download?)",
            path=str(path),
        )
