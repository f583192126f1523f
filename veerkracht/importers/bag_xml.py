"""Stream LV-BAG 2.0 XML parts into column tables: one row per voorkomen that may be current.

Each ``bagObject`` is read with ``iterparse``, turned into one row and freed at once, so memory
holds the rows kept (voorkomens without ``eindGeldigheid``), never an XML tree. Rows are gathered
in chunks of plain columns; pand rings go into flat coordinate arrays and become shapely
geometries per chunk in one vectorised call.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable
from typing import IO, Any

import numpy as np
import pandas as pd
import shapely

from veerkracht.errors import InputError

_GML = "{http://www.opengis.net/gml/3.2}"
_CHUNK_ROWS = 100_000

#: Source fields (LV-BAG names) → columns, per object type; all kept as text until assembly.
#: A list-valued source (references, gebruiksdoel) gives its first value, ``#name`` its length
#: and ``*name`` all its values joined by commas.
_COMMON = {
    "id": "identificatie",
    "voorkomen": "voorkomenidentificatie",
    "begin": "beginGeldigheid",
    "status": "status",
}
SOURCE_FIELDS: dict[str, dict[str, str]] = {
    "WPL": {"name": "naam"},
    "OPR": {"name": "naam", "city_ref": "ligtIn"},
    "NUM": {
        "number": "huisnummer",
        "letter": "huisletter",
        "suffix": "huisnummertoevoeging",
        "postcode": "postcode",
        "street_ref": "ligtAan",
        "city_ref": "ligtIn",
    },
    "PND": {"year": "oorspronkelijkBouwjaar"},
    "VBO": {
        "purpose": "*gebruiksdoel",
        "area": "oppervlakte",
        "address": "heeftAlsHoofdadres",
        "buildings": "*maaktDeelUitVan",
        "n_buildings": "#maaktDeelUitVan",
        "n_side_addresses": "#heeftAlsNevenadres",
    },
    "LIG": {"address": "heeftAlsHoofdadres"},
    "STA": {"address": "heeftAlsHoofdadres"},
}
COLUMNS: dict[str, tuple[str, ...]] = {
    kind: (*_COMMON, *fields) for kind, fields in SOURCE_FIELDS.items()
}
_POINT_TYPES = ("VBO", "LIG", "STA")


class _BadRecord(Exception):
    """A record that cannot be read; turned into an InputError naming part and object."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


class Table:
    """Rows of one object type, gathered in chunks; ``frame()`` gives one DataFrame."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.columns = COLUMNS[kind]
        self._sources = (*_COMMON.values(), *SOURCE_FIELDS[kind].values())
        self._rows: dict[str, list[Any]] = {c: [] for c in self.columns}
        self._xy: list[tuple[float, float]] = []
        self._rings: list[np.ndarray] = []
        self._ring_count: list[int] = []  # rings per polygon
        self._polygon_count: list[int] = []  # polygons per pand
        self._chunks: list[pd.DataFrame] = []

    def add(self, fields: dict[str, Any]) -> None:
        row = [_value(fields, source) for source in self._sources]
        if self.kind == "PND":
            self._add_polygons(fields.get("geometrie"))
        elif self.kind in _POINT_TYPES:
            self._xy.append(_point(fields.get("geometrie")))
        for column, value in zip(self.columns, row, strict=True):
            self._rows[column].append(value)
        if len(self._rows["id"]) >= _CHUNK_ROWS:
            self._flush()

    def frame(self) -> pd.DataFrame:
        self._flush()
        if not self._chunks:
            empty = pd.DataFrame({c: pd.Series(dtype="string") for c in self.columns})
            if self.kind == "PND" or self.kind in _POINT_TYPES:
                empty["geometry"] = pd.Series(dtype=object)
            return empty
        return pd.concat(self._chunks, ignore_index=True)

    def _flush(self) -> None:
        if not self._rows["id"]:
            return
        chunk = pd.DataFrame({c: pd.array(v, dtype="string") for c, v in self._rows.items()})
        if self.kind == "PND":
            chunk["geometry"] = self._polygons()
        elif self.kind in _POINT_TYPES:
            xy = np.asarray(self._xy, dtype=float).reshape(-1, 2)
            points = shapely.points(xy)
            points[np.isnan(xy).any(axis=1)] = None  # an object without geometry
            chunk["geometry"] = points
            self._xy = []
        self._chunks.append(chunk)
        self._rows = {c: [] for c in self.columns}

    def _add_polygons(self, geometrie: ET.Element | None) -> None:
        polygons = 0
        for polygon in geometrie.iter(_GML + "Polygon") if geometrie is not None else ():
            _check_srs(polygon)
            rings = [
                _coords(p, polygon.get("srsDimension")) for p in polygon.iter(_GML + "posList")
            ]
            if not rings:
                raise _BadRecord("polygon without posList; expected GML 3.2 rings", "geometrie")
            self._rings.extend(rings)
            self._ring_count.append(len(rings))
            polygons += 1
        self._polygon_count.append(polygons)

    def _polygons(self) -> np.ndarray:
        """All pand geometries of this chunk in one call; single-part ones become Polygons."""
        coords = np.concatenate(self._rings) if self._rings else np.empty((0, 2))
        offsets = (
            _offsets([len(r) for r in self._rings]),
            _offsets(self._ring_count),
            _offsets(self._polygon_count),
        )
        geoms = shapely.from_ragged_array(shapely.GeometryType.MULTIPOLYGON, coords, offsets)
        single = shapely.get_num_geometries(geoms) == 1
        geoms[single] = shapely.get_geometry(geoms[single], 0)
        self._rings, self._ring_count, self._polygon_count = [], [], []
        return np.asarray(geoms)


def read_part(
    stream: IO[bytes],
    table: Table,
    *,
    part: str,
    path: str,
    history: Counter[str],
    tick: Callable[[], None],
) -> None:
    """Read one XML part into ``table``; count skipped history records in ``history``."""
    for number, obj in enumerate(_objects(stream), start=1):
        tick()
        try:
            fields = _fields(obj)
            if fields.get("eindGeldigheid"):
                history["ended"] += 1
            elif fields.get("tijdstipInactief") or fields.get("tijdstipInactiefLV"):
                history["inactive"] += 1
            elif fields.get("tijdstipNietBagLV"):
                history["not in the BAG"] += 1
            else:
                if not fields.get("identificatie"):
                    raise _BadRecord("missing; expected a 16-digit BAG id", "identificatie")
                table.add(fields)
        except _BadRecord as exc:
            ident = _text_of(obj, "identificatie") or f"object {number}"
            raise InputError(
                f"{part}, {_local(obj.tag)} {ident}: {exc}", path=path, field=exc.field
            ) from exc


def _objects(stream: IO[bytes]) -> Any:
    """Yield each object element (Pand, Verblijfsobject, …) and free it after use.

    Only "end" events are asked for (half the Python work of start+end); what stays behind is one
    empty ``<sl:stand>`` wrapper per object until the part ends, and Kadaster cuts extracts into
    parts of some thousands of objects, so memory stays bounded.
    """
    for _, elem in ET.iterparse(stream, events=("end",)):
        tag = elem.tag
        if tag.endswith("}bagObject"):
            if len(elem):
                yield elem[0]
            elem.clear()
        elif tag.endswith("}stand"):
            elem.clear()


def _fields(obj: ET.Element) -> dict[str, Any]:
    """Flatten one object: simple fields as text, references and gebruiksdoel as lists."""
    out: dict[str, Any] = {}
    for child in obj:
        name = _local(child.tag)
        if name == "voorkomen":
            for elem in child.iter():
                out[_local(elem.tag)] = (elem.text or "").strip() if len(elem) == 0 else None
        elif name == "geometrie":
            out[name] = child
        elif name == "gebruiksdoel":
            out.setdefault(name, []).append(child.text)
        elif len(child):
            out.setdefault(name, []).extend(sub.text for sub in child)
        else:
            out[name] = child.text
    return out


def _value(fields: dict[str, Any], source: str) -> str | None:
    if source[0] == "#":
        return str(len(fields.get(source[1:], ())))
    if source[0] == "*":
        return ",".join(v for v in fields.get(source[1:], ()) if v) or None
    value = fields.get(source)
    if isinstance(value, list):
        return value[0] if value else None
    return value


def _point(geometrie: ET.Element | None) -> tuple[float, float]:
    """The point of a VBO (``punt``), or a representative point of its ``vlak`` / polygon."""
    if geometrie is None:
        return (np.nan, np.nan)
    point = next(geometrie.iter(_GML + "Point"), None)
    pos = next(point.iter(_GML + "pos"), None) if point is not None else None
    if point is not None and pos is not None:
        _check_srs(point)
        xy = _coords(pos, point.get("srsDimension"))
        return (float(xy[0, 0]), float(xy[0, 1]))
    polygon = next(geometrie.iter(_GML + "Polygon"), None)
    if polygon is None:
        raise _BadRecord("no gml:Point or gml:Polygon; expected a point or a polygon", "geometrie")
    _check_srs(polygon)
    rings = [_coords(p, polygon.get("srsDimension")) for p in polygon.iter(_GML + "posList")]
    if not rings:
        raise _BadRecord("polygon without posList; expected GML 3.2 rings", "geometrie")
    point = shapely.polygons(rings[0], holes=rings[1:] or None).representative_point()
    return (point.x, point.y)


def _coords(elem: ET.Element, default_dim: str | None) -> np.ndarray:
    """Parse a gml:posList / gml:pos into an (n, 2) array, dropping z."""
    dim = int(elem.get("srsDimension") or default_dim or 2)
    values = np.fromstring(elem.text or "", sep=" ") if (elem.text or "").strip() else np.empty(0)
    count = elem.get("count")
    expected = int(count) * dim if count else None
    if values.size == 0 or values.size % dim or (expected is not None and values.size != expected):
        raise _BadRecord(
            f"{values.size} numbers for srsDimension {dim}"
            + (f" and count {count}" if count else "")
            + "; expected whole coordinate tuples",
            "geometrie",
        )
    return values.reshape(-1, dim)[:, :2]


def _check_srs(geometry: ET.Element) -> None:
    srs = geometry.get("srsName")
    if srs and not srs.endswith(("28992", "28992/")):
        raise _BadRecord(f"srsName {srs}; expected EPSG:28992 (RD New)", "geometrie")


def _offsets(sizes: list[int]) -> np.ndarray:
    out = np.zeros(len(sizes) + 1, dtype=np.int64)
    np.cumsum(sizes, out=out[1:])
    return out


def _local(tag: str) -> str:
    return tag[tag.rfind("}") + 1 :]


def _text_of(obj: ET.Element, name: str) -> str | None:
    for child in obj:
        if _local(child.tag) == name:
            return child.text
    return None
