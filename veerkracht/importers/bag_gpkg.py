"""A BAG GeoPackage: PDOK ``bag-light.gpkg`` (layers ``pand``, ``verblijfsobject``, …) or the
OGC-API-style address layout (``verblijfsobjecten``, ``ligplaatsen``, ``standplaatsen``).

Layers are read in Arrow batches, so a national file stays in bounded memory while it is read;
source field names become canonical names through the tables in ``bag_status``.
"""

from __future__ import annotations

import struct
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from veerkracht.domain.frames import SourceData
from veerkracht.errors import InputError
from veerkracht.importers.bag_frames import (
    buildings_frame,
    check_rd_range,
    check_unique,
    count_values,
    dwellings_frame,
)
from veerkracht.importers.bag_gpkg_rules import keep_addresses, note_address_limits
from veerkracht.importers.bag_status import (
    ADDRESS_FIELDS,
    ADDRESS_LAYERS,
    BERTH_LAYERS,
    BUILDING_FIELDS,
    BUILDING_LAYERS,
    LICENCE,
    PITCH_LAYERS,
    SOURCE,
)
from veerkracht.importers.base import ImportReport, ImportResult

_BATCH = 65_536
_CRS = "EPSG:28992"


def read_geopackage(path: Path, *, progress: Callable[[int], None] | None = None) -> ImportResult:
    """Read a BAG GeoPackage: address points as dwellings, footprints (if any) as buildings."""
    where = str(path)
    _check_sqlite_size(path)
    layers = _layers(path)
    report = ImportReport(source=SOURCE, path=where)
    counter = _Counter(progress)
    address_layer = _pick(layers, ADDRESS_LAYERS, path, required=True)
    building_layer = _pick(layers, BUILDING_LAYERS, path, required=False)
    buildings = None
    if building_layer:
        buildings = _read_buildings(path, building_layer, report, counter)
    else:
        report.notes.append("no footprints: blocks cannot be formed from buildings")
    dwellings = _read_addresses(path, address_layer, report, counter, buildings)
    for names, label in ((BERTH_LAYERS, "ligplaatsen"), (PITCH_LAYERS, "standplaatsen")):
        layer = _pick(layers, names, path, required=False)
        if layer:
            _count_places(path, layer, label, report, counter)
    counter.done()
    check_rd_range(buildings, id_column="building_id", what="pand", path=where)
    check_rd_range(dwellings, id_column="dwelling_id", what="verblijfsobject", path=where)
    data = SourceData(name=SOURCE, buildings=buildings, dwellings=dwellings)
    return ImportResult(data=data, report=report, licence=LICENCE)


def _read_buildings(
    path: Path, layer: str, report: ImportReport, counter: _Counter
) -> gpd.GeoDataFrame | None:
    batches = list(_batches(path, layer, BUILDING_FIELDS, ("building_id",), counter))
    if not batches:
        report.notes.append(f'layer "{layer}" is empty: no footprints')
        return None
    frame = pd.concat(batches, ignore_index=True)
    if "end_date" in frame:
        ended = frame["end_date"].fillna("").astype(str).str.strip() != ""
        report.counts["buildings_ended_skipped"] = int(ended.sum())
        frame = frame[~ended]
    check_unique(frame["building_id"], what="pand", field="building_id", path=str(path))
    if "status" not in frame:
        report.notes.append(f'layer "{layer}" has no status: every pand is taken as in use')
    buildings = buildings_frame(
        frame["building_id"],
        frame.get("construction_year"),
        frame.get("status"),
        frame["geometry"],
        report,
    )
    if "status" not in frame:
        buildings["in_use"] = True
    return buildings


def _read_addresses(
    path: Path,
    layer: str,
    report: ImportReport,
    counter: _Counter,
    buildings: gpd.GeoDataFrame | None,
) -> gpd.GeoDataFrame:
    chunks = []
    columns: set[str] = set()
    statuses: list[pd.Series] = []
    for batch in _batches(path, layer, ADDRESS_FIELDS, ("dwelling_id", "house_number"), counter):
        report.read += len(batch)
        columns = set(batch.columns)
        if "status" in batch:
            statuses.append(batch["status"].astype("string"))
        chunks.append(keep_addresses(batch, report))
    if not report.read:
        raise InputError(
            f'layer "{layer}" has no features; expected address points', path=str(path)
        )
    frame = pd.concat(chunks, ignore_index=True)
    report.counts["address_status"] = count_values(pd.concat(statuses)) if statuses else {}
    frame = _one_row_per_object(frame, report, str(path))
    note_address_limits(columns, frame["dwelling_id"], report, layer=layer)
    _count_links(frame, buildings, report)
    geometry = np.array(frame["geometry"].to_numpy(), dtype=object)
    not_point = shapely.get_type_id(geometry) != 0
    geometry[not_point] = shapely.point_on_surface(geometry[not_point])
    dwellings = dwellings_frame({c: frame[c] for c in frame.columns if c != "geometry"}, geometry)
    report.used = len(dwellings)
    return dwellings


def _one_row_per_object(frame: pd.DataFrame, report: ImportReport, path: str) -> pd.DataFrame:
    """A VBO in several panden may come as one row per pand, or with comma-separated pand ids."""
    if "building_id" in frame:
        ids = frame["building_id"].astype("string")
        several = ids.str.contains(",", regex=False).fillna(False)
        frame["building_id"] = ids.str.split(",").str[0].str.strip()
        repeated = frame.duplicated("dwelling_id", keep=False)
        others = [c for c in frame.columns if c not in ("building_id", "geometry")]
        if repeated.any() and not frame[repeated].duplicated(others, keep=False).all():
            check_unique(
                frame["dwelling_id"], what="verblijfsobject", field="dwelling_id", path=path
            )
        report.counts["in_several_panden"] = int(frame["dwelling_id"][several | repeated].nunique())
        extra = frame.duplicated("dwelling_id", keep="first")
        report.skip("repeated row of a verblijfsobject in several panden", int(extra.sum()))
        frame = frame[~extra]
    check_unique(frame["dwelling_id"], what="verblijfsobject", field="dwelling_id", path=path)
    return frame.reset_index(drop=True)


def _count_links(
    frame: pd.DataFrame, buildings: gpd.GeoDataFrame | None, report: ImportReport
) -> None:
    if "building_id" not in frame:
        return
    known = frame["building_id"].notna()
    report.counts["without_pand"] = int((~known).sum())
    if buildings is not None:
        missing = known & ~frame["building_id"].isin(buildings["building_id"])
        report.counts["pand_missing_from_file"] = int(missing.sum())


def _count_places(
    path: Path, layer: str, label: str, report: ImportReport, counter: _Counter
) -> None:
    """Ligplaatsen and standplaatsen: counted by status, not taken as dwellings."""
    frames = list(_batches(path, layer, ADDRESS_FIELDS, (), counter))
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    status = frame["status"] if "status" in frame else pd.Series([pd.NA] * len(frame))
    report.counts[label] = {"features": len(frame), "status": count_values(status)}
    if len(frame):
        report.notes.append(
            f"{label}: {len(frame):,} with an address, counted but not imported as dwellings."
        )


def _batches(
    path: Path,
    layer: str,
    fields: dict[str, str],
    required: tuple[str, ...],
    counter: _Counter,
) -> Iterator[pd.DataFrame]:
    """Batches of a layer with canonical column names and a 2D ``geometry`` column."""
    info = _info(path, layer)
    _check_crs(info, path, layer)
    rename = _rename(list(info["fields"]), fields)
    for name in required:
        if name not in rename.values():
            tried = ", ".join(f for f, c in fields.items() if c == name)
            raise InputError(
                f'layer "{layer}" has no field for {name}; expected one of: {tried}',
                path=str(path),
                field=name,
            )
    read = 0
    try:
        with pyogrio.open_arrow(
            path, layer=layer, columns=list(rename), batch_size=_BATCH, use_pyarrow=True
        ) as (meta, reader):
            geometry_name = meta.get("geometry_name") or "wkb"
            for batch in reader:
                frame = batch.to_pandas().rename(columns=rename)
                wkb = frame.pop(geometry_name).to_numpy() if geometry_name in frame else None
                frame["geometry"] = (
                    shapely.force_2d(shapely.from_wkb(wkb)) if wkb is not None else None
                )
                read += len(frame)
                counter.add(len(frame))
                yield frame
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, OSError) as exc:
        raise InputError(
            f'layer "{layer}" cannot be read after {read:,} features ({exc}); '
            "expected a complete GeoPackage",
            path=str(path),
        ) from exc
    if info.get("features", -1) not in (-1, read):
        raise InputError(
            f'layer "{layer}" gave {read:,} of its {info["features"]:,} features; '
            "the file is damaged or truncated",
            path=str(path),
        )


def _rename(source: list[str], fields: dict[str, str]) -> dict[str, str]:
    """Source field → canonical name; of several source names for one meaning, the first wins."""
    by_lower = {name.lower(): name for name in source}
    rename: dict[str, str] = {}
    for lower, canonical in fields.items():
        if lower in by_lower and canonical not in rename.values():
            rename[by_lower[lower]] = canonical
    return rename


def _layers(path: Path) -> dict[str, str]:
    """Lower-case layer name → layer name; InputError if the file is no readable GeoPackage."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # GDAL's own wording of the problem
            listed = pyogrio.list_layers(path)
    except (pyogrio.errors.DataSourceError, OSError) as exc:
        raise InputError(
            f"not a readable GeoPackage ({exc}); expected a BAG GeoPackage such as "
            "PDOK bag-light.gpkg",
            path=str(path),
        ) from exc
    return {str(name).lower(): str(name) for name in listed[:, 0]}


def _pick(layers: dict[str, str], names: tuple[str, ...], path: Path, *, required: bool) -> str:
    for name in names:
        if name in layers:
            return layers[name]
    if required:
        found = ", ".join(sorted(layers.values())) or "none"
        raise InputError(
            f"no layer {' or '.join(names)} (found: {found}); expected a BAG "
            "GeoPackage with verblijfsobject address points",
            path=str(path),
        )
    return ""


def _info(path: Path, layer: str) -> dict[str, Any]:
    try:
        return dict(pyogrio.read_info(path, layer=layer))
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, OSError) as exc:
        raise InputError(f'layer "{layer}" cannot be read ({exc})', path=str(path)) from exc


def _check_crs(info: dict[str, Any], path: Path, layer: str) -> None:
    crs = info.get("crs")
    if crs and str(crs).upper() != _CRS:
        raise InputError(
            f'layer "{layer}" is in {crs}; expected {_CRS} (RD New): reproject it '
            "first, e.g. ogr2ogr -t_srs EPSG:28992",
            path=str(path),
            field="crs",
        )


def _check_sqlite_size(path: Path) -> None:
    """A cut-off download still opens; its SQLite header knows how long the file must be."""
    with open(path, "rb") as handle:
        header = handle.read(100)
    if len(header) < 100:
        raise InputError("the file is too short to be a GeoPackage", path=str(path))
    page_size = struct.unpack(">H", header[16:18])[0]
    page_size = 65_536 if page_size == 1 else page_size
    pages, changed, valid_for = struct.unpack(">I", header[28:32])[0], header[24:28], header[92:96]
    expected = page_size * pages
    actual = path.stat().st_size
    if changed == valid_for and pages and actual < expected:
        raise InputError(
            f"the file has {actual:,} bytes but its SQLite header says {expected:,}; "
            "it is truncated (an interrupted download?)",
            path=str(path),
        )


class _Counter:
    def __init__(self, progress: Callable[[int], None] | None) -> None:
        self.progress, self.total = progress, 0

    def add(self, n: int) -> None:
        self.total += n
        if self.progress is not None:
            self.progress(self.total)

    def done(self) -> None:
        if self.progress is not None:
            self.progress(self.total)
