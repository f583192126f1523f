"""CBS (Statistics Netherlands): the Wijk- en Buurtkaart and StatLine kerncijfers.

Source field names stop here: areas become ``AREA_COLUMNS`` frames, figures become long
``area_statistics`` rows with English variable names where ``CBS_VARIABLES`` knows them (other
names are kept as CBS's cleaned snake_case name). Sentinel values and StatLine's ``.`` become a
missing value with its reason, never a number.

The work is done in ``cbs_buurtkaart`` (the map), ``cbs_statline`` (the CSV export) and
``cbs_variables`` (the vocabulary); this module holds the public entry points.
"""

from __future__ import annotations

from pathlib import Path

from veerkracht.importers.base import ImportResult
from veerkracht.importers.cbs_buurtkaart import read_buurtkaart
from veerkracht.importers.cbs_statline import read_statline
from veerkracht.importers.cbs_variables import (
    CBS_VARIABLES,
    LICENCE,
    SENTINELS,
    SOURCE_BUURTKAART,
    SOURCE_KERNCIJFERS,
    STATLINE_MISSING,
    clean_name,
    variable_name,
)

__all__ = [
    "CBS_VARIABLES",
    "LICENCE",
    "SENTINELS",
    "SOURCE_BUURTKAART",
    "SOURCE_KERNCIJFERS",
    "STATLINE_MISSING",
    "clean_name",
    "read_cbs_buurtkaart",
    "read_cbs_kerncijfers",
    "variable_name",
]


def read_cbs_buurtkaart(
    path: Path, *, year: int | None = None, layer: str | None = None
) -> ImportResult:
    """Areas (buurt, wijk, gemeente) and their kerncijfers from a CBS Wijk- en Buurtkaart.

    Reads a GeoPackage (layers such as ``buurten``, ``wijken``, ``gemeenten``) or a GeoJSON of
    buurten, reprojects to EPSG:28992, and dissolves buurten into wijken and gemeenten when those
    layers are absent (so a file with part of a gemeente gives a partial gemeente polygon). The
    year comes from ``year``, else ``jaar``/``jrstatcode``, else the file name.
    """
    return read_buurtkaart(Path(path), year=year, layer=layer)


def read_cbs_kerncijfers(path: Path, *, year: int | None = None) -> ImportResult:
    """Figures per buurt, wijk and gemeente from a StatLine CSV export, as ``area_statistics``.

    Columns are resolved by title: the region code column is found by its values, other columns
    lose their ``_NN`` suffix and unit and are renamed through ``CBS_VARIABLES``. The year comes
    from ``year``, else the ``Perioden`` column (``2019JJ00`` or ``2019``), else the file name.
    Region names go to ``data.extra["area_names"]`` (for matching codes of other years by name).
    """
    return read_statline(Path(path), year=year)
