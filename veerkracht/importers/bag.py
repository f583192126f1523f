"""BAG (Basisregistratie Adressen en Gebouwen): buildings and dwellings from the two forms users
download — the Kadaster LV-BAG 2.0 extract (zip of zips of XML) and a BAG GeoPackage (PDOK
``bag-light.gpkg`` or the OGC-API-style address layout).

    result = read_bag(Path("BAGGEM0457L-15102021.zip"))
    result.data.buildings, result.data.dwellings, result.report.as_dict()
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from veerkracht.errors import InputError
from veerkracht.importers.bag_gpkg import read_geopackage
from veerkracht.importers.bag_lvbag import read_lvbag
from veerkracht.importers.base import ImportResult, require_file

_ZIP_MAGIC = b"PK\x03\x04"
_SQLITE_MAGIC = b"SQLite format 3\x00"


def read_bag(path: Path, *, progress: Callable[[int], None] | None = None) -> ImportResult:
    """Read a BAG extract into canonical buildings and dwellings plus an import report.

    ``path`` is an LV-BAG 2.0 extract (``.zip``) or a BAG GeoPackage (``.gpkg``); the form is
    recognised from the file's first bytes. ``progress`` is called now and then with the number of
    records (XML objects or GeoPackage features) read so far. Bad input raises InputError naming
    the file, object or feature, field and what was expected.
    """
    path = Path(path)
    require_file(path)
    if path.is_dir():
        raise InputError(
            "is a folder; expected an LV-BAG extract (.zip) or a BAG GeoPackage (.gpkg)",
            path=str(path),
        )
    form = _detect_form(path)
    if form == "lvbag":
        return read_lvbag(path, progress=progress)
    return read_geopackage(path, progress=progress)


def _detect_form(path: Path) -> str:
    with open(path, "rb") as handle:
        head = handle.read(16)
    if head.startswith(_ZIP_MAGIC):
        return "lvbag"
    if head.startswith(_SQLITE_MAGIC):
        return "geopackage"
    expected = {".zip": "a zip archive", ".gpkg": "a GeoPackage (SQLite)"}.get(
        path.suffix.lower(), "an LV-BAG extract (.zip) or a BAG GeoPackage (.gpkg)"
    )
    raise InputError(
        f"the file does not start like {expected} (first bytes {head[:8]!r}); "
        "expected an LV-BAG extract (.zip) or a BAG GeoPackage (.gpkg)",
        path=str(path),
    )
