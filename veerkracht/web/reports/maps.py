"""Static maps for print: the unit drawn from veerkracht's own stored geometry with matplotlib.

No tiles and no network: buildings around the unit in grey, the unit itself in the brand colour,
public places as markers, a scale bar. A buurt map numbers its blocks in the order of the block
list beside it (by name, never by a figure). Coordinates are RD New (metres), so distances on the
map are true.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from matplotlib.figure import Figure as MplFigure
from matplotlib.patches import PathPatch
from matplotlib.path import Path as MplPath

from veerkracht.domain.assets import AssetKind
from veerkracht.storage.engine import Store
from veerkracht.storage.units import read_units
from veerkracht.web.i18n import format_number
from veerkracht.web.i18n import gettext as _
from veerkracht.web.labels import N_
from veerkracht.web.reports.charts import DPI, INK, MM, to_picture
from veerkracht.web.reports.models import Picture

BRAND = "#0b4f5c"
MARKER_STYLE = {"s": 22, "edgecolors": "white", "linewidths": 0.9}
BRAND_TINT = "#9cc7cc"
CONTEXT = "#d9d6cc"
OUTLINE = "#4a5558"

#: How markers look per kind (marker, colour, msgid of the legend label).
MARKERS: dict[str, tuple[str, str, str]] = {
    AssetKind.PLACE.value: ("o", "#1d6b3a", N_("Meeting place")),
    AssetKind.INSTITUTION.value: ("s", "#5a3d8a", N_("Facility")),
    AssetKind.ECONOMY.value: ("D", "#8a4b00", N_("Shop or café")),
    AssetKind.ASSOCIATION.value: ("^", "#a1234f", N_("Club or group")),
}


@dataclass(frozen=True)
class MapPoint:
    """A public place on the map (never a person's home: person kinds are not drawn)."""

    x: float
    y: float
    kind: str


def unit_map(
    store: Store,
    *,
    geometry: Any,
    points: Sequence[MapPoint],
    alt: str,
    margin_m: float = 30.0,
    size_mm: tuple[float, float] = (91.0, 58.0),
) -> Picture:
    """The unit (brand colour) among the buildings around it (grey), with public places; the
    map shows the unit and every place listed beside it."""
    shown = shapely.union_all([geometry, *(shapely.Point(p.x, p.y) for p in points)])
    bbox = _bbox(shown, margin_m, size_mm)
    figure, ax = _canvas(size_mm, bbox)
    _draw(ax, read_units(store, "building", bbox=bbox).geometry.to_numpy(), CONTEXT, None)
    _draw(ax, [geometry], BRAND, BRAND)
    _markers(ax, points, bbox)
    _scale_bar(ax, bbox)
    return to_picture(figure, alt=alt)


def area_map(
    store: Store,
    *,
    geometry: Any,
    blocks: Sequence[tuple[int, Any]],
    points: Sequence[MapPoint],
    alt: str,
    size_mm: tuple[float, float] = (180.0, 120.0),
) -> Picture:
    """An area's outline with its buildings, its blocks numbered as in the list, and places."""
    bbox = _bbox(geometry, 20.0, size_mm)
    figure, ax = _canvas(size_mm, bbox)
    _draw(ax, read_units(store, "building", bbox=bbox).geometry.to_numpy(), CONTEXT, None)
    _draw(ax, [shape for _, shape in blocks], BRAND_TINT, BRAND)
    _draw(ax, [geometry], "none", OUTLINE, linewidth=1.2)
    for number, shape in blocks:
        label = shapely.point_on_surface(shape)
        ax.annotate(
            str(number),
            (label.x, label.y),
            ha="center",
            va="center",
            fontsize=5.5,
            color="white",
            fontweight="bold",
            bbox={"boxstyle": "circle,pad=0.2", "fc": BRAND, "ec": "none"},
        )
    _markers(ax, points, bbox)
    _scale_bar(ax, bbox)
    return to_picture(figure, alt=alt)


def _bbox(
    geometry: Any, margin_m: float, size_mm: tuple[float, float]
) -> tuple[float, float, float, float]:
    """The geometry's bounds plus a margin, widened to the image's aspect ratio."""
    minx, miny, maxx, maxy = shapely.bounds(geometry)
    minx, miny, maxx, maxy = minx - margin_m, miny - margin_m, maxx + margin_m, maxy + margin_m
    width, height = maxx - minx, maxy - miny
    aspect = size_mm[0] / size_mm[1]
    if width / height < aspect:
        grow = (height * aspect - width) / 2
        minx, maxx = minx - grow, maxx + grow
    else:
        grow = (width / aspect - height) / 2
        miny, maxy = miny - grow, maxy + grow
    return (minx, miny, maxx, maxy)


def _canvas(size_mm: tuple[float, float], bbox: tuple[float, float, float, float]):  # type: ignore[no-untyped-def]
    figure = MplFigure(figsize=(size_mm[0] * MM, size_mm[1] * MM), dpi=DPI)
    ax = figure.add_axes((0, 0, 1, 1))
    ax.set_xlim(bbox[0], bbox[2])
    ax.set_ylim(bbox[1], bbox[3])
    ax.set_aspect("equal")
    ax.set_axis_off()
    figure.patch.set_facecolor("white")
    return figure, ax


def _draw(ax, shapes, face: str, edge: str | None, *, linewidth: float = 0.4) -> None:  # type: ignore[no-untyped-def]
    for shape in shapes:
        for polygon in _polygons(shape):
            ax.add_patch(
                PathPatch(
                    _path(polygon),
                    facecolor=face,
                    edgecolor=edge or face,
                    linewidth=linewidth,
                )
            )


def _polygons(shape: Any) -> list[Any]:
    if shape is None or shape.is_empty:
        return []
    if shape.geom_type == "Polygon":
        return [shape]
    if shape.geom_type in ("MultiPolygon", "GeometryCollection"):
        return [p for part in shape.geoms for p in _polygons(part)]
    if shape.geom_type in ("Point", "MultiPoint", "LineString", "MultiLineString"):
        return _polygons(shapely.buffer(shape, 3.0))
    return []


def _path(polygon: Any) -> MplPath:
    """A polygon with holes as one matplotlib path (holes stay open)."""
    rings = [np.asarray(polygon.exterior.coords)] + [
        np.asarray(r.coords) for r in polygon.interiors
    ]
    vertices = np.concatenate(rings)
    codes = np.concatenate(
        [[MplPath.MOVETO] + [MplPath.LINETO] * (len(r) - 2) + [MplPath.CLOSEPOLY] for r in rings]
    )
    return MplPath(vertices, codes)


def _markers(ax, points: Sequence[MapPoint], bbox: tuple[float, float, float, float]) -> None:  # type: ignore[no-untyped-def]
    minx, miny, maxx, maxy = bbox
    drawn = []
    for kind, (marker, colour, label) in MARKERS.items():
        xs = [p.x for p in points if p.kind == kind and minx <= p.x <= maxx and miny <= p.y <= maxy]
        ys = [p.y for p in points if p.kind == kind and minx <= p.x <= maxx and miny <= p.y <= maxy]
        if not xs:
            continue
        ax.scatter(xs, ys, marker=marker, c=colour, zorder=3, **MARKER_STYLE)
        drawn.append((marker, colour, _(label)))
    if drawn:
        handles = [ax.scatter([], [], marker=m, c=c, **MARKER_STYLE) for m, c, _label in drawn]
        ax.legend(
            handles,
            [label for _m, _c, label in drawn],
            loc="upper right",
            fontsize=5.5,
            frameon=True,
            framealpha=0.9,
            edgecolor=CONTEXT,
            handletextpad=0.3,
            borderpad=0.4,
        )


def _scale_bar(ax, bbox: tuple[float, float, float, float]) -> None:  # type: ignore[no-untyped-def]
    """A bar of a round length (10, 20, 25, 50, 100 … m) at the lower left."""
    minx, miny, maxx, maxy = bbox
    target = (maxx - minx) / 5
    length = max(
        (v * 10**e for e in range(0, 5) for v in (1, 2, 2.5, 5) if v * 10**e <= target),
        default=10.0,
    )
    x0, y0 = minx + (maxx - minx) * 0.04, miny + (maxy - miny) * 0.05
    ax.plot([x0, x0 + length], [y0, y0], color=INK, linewidth=1.5, solid_capstyle="butt")
    ax.text(
        x0 + length / 2,
        y0 + (maxy - miny) * 0.015,
        f"{format_number(length)} m",
        ha="center",
        va="bottom",
        fontsize=5.5,
        color=INK,
    )
