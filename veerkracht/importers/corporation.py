"""The housing corporation's own files: stock, lettings, move-outs and nuisance complaints.

CSV files (``;``, ``,`` or tab; UTF-8) with Dutch column names, documented with examples in
``docs/formats.md``. Every row is tied to a BAG dwelling — by ``bag_vbo_id``, by ``vhe_id``
through the stock, or by its normalised address — and rows that cannot be tied are skipped and
counted by reason, with the first few listed. Structural problems (a missing column, a bad date,
a duplicate id, an unknown label) raise InputError naming file, row, field and what was expected.

    result = read_lettings(Path("verhuringen.csv"), dwellings=dwellings, stock=stock)
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from veerkracht.domain.frames import (
    LETTING_COLUMNS,
    MOVEOUT_COLUMNS,
    NUISANCE_COLUMNS,
    STOCK_COLUMNS,
    SourceData,
)
from veerkracht.errors import InputError
from veerkracht.importers.addresses import locate_units
from veerkracht.importers.base import ImportReport, ImportResult
from veerkracht.importers.channels import (
    IGNORE,
    find_default_mapping,
    parse_categories,
    parse_channels,
    read_channel_mapping,
)
from veerkracht.importers.tabular import CsvTable, first_duplicate, read_csv

LICENCE = "eigen gegevens corporatie (vertrouwelijk)"

#: Optional id columns per file, first found wins; without one, ids come from the row's content.
ID_COLUMNS: dict[str, tuple[str, ...]] = {
    "lettings": ("verhuring_id", "id"),
    "moveouts": ("vertrek_id", "id"),
    "nuisance": ("melding_id", "id"),
}
ID_NAMES = {"lettings": "letting_id", "moveouts": "moveout_id", "nuisance": "complaint_id"}
ID_PREFIXES = {"lettings": "verhuring-", "moveouts": "vertrek-", "nuisance": "melding-"}
DATE_FORMATS = "yyyy-mm-dd (or dd-mm-yyyy)"
_ISO = r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]*)?$"
_DUTCH = r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?:[T ][\d:.]*)?$"


def read_stock(path: Path, *, dwellings: pd.DataFrame) -> ImportResult:
    """The corporation's stock (``vhe_id`` with an address or ``bag_vbo_id``) as ``stock`` rows.

    Optional: ``complex_id``, ``trappenhuis_id`` (the entrance; kept as ``complex/trappenhuis``
    so that entrance ids of different complexes stay apart) and ``huurklasse``. A ``vhe_id``
    twice is an InputError; a dwelling named by two vhe_ids is kept once and counted.
    """
    table = read_csv(Path(path), required=("vhe_id",), source="stock file")
    report = _report("stock", table)
    _check_unique(table, "vhe_id")
    located = locate_units(table, dwellings=dwellings, stock=None, report=report, unit_ids=False)
    complexes = _optional(table, "complex_id")
    entrances = _optional(table, "trappenhuis_id")
    frame = pd.DataFrame(
        {
            "dwelling_id": located,
            "unit_id": table.frame["vhe_id"].astype("string"),
            "complex_id": complexes,
            "entrance_hint": (complexes.fillna("") + "/").where(complexes.notna(), "") + entrances,
            "rent_class": _optional(table, "huurklasse").str.lower(),
        }
    )
    frame = frame[frame["dwelling_id"].notna()]
    shared = frame["dwelling_id"].duplicated()
    report.skip("dwelling already in the stock under another vhe_id", int(shared.sum()))
    frame = frame[~shared]
    report.counts["complexes"] = int(frame["complex_id"].nunique())
    report.counts["with entrance id"] = int(frame["entrance_hint"].notna().sum())
    report.counts["rent classes"] = _value_counts(frame["rent_class"])
    return _result("stock", frame, STOCK_COLUMNS, report)


def read_lettings(
    path: Path,
    *,
    dwellings: pd.DataFrame,
    mapping: Path | None = None,
    stock: pd.DataFrame | None = None,
) -> ImportResult:
    """Lettings (``datum``, ``kanaal``, a unit) as ``lettings`` rows with a documented channel.

    ``mapping`` is a CSV ``eigen_label,kanaal`` for the corporation's own channel labels; when
    it is None, a ``kanalen.csv`` next to the file is used if present. ``stock`` (the store's
    stock table) resolves ``vhe_id``.
    """
    table = read_csv(Path(path), required=("datum", "kanaal"), source="lettings file")
    report = _report("lettings", table)
    mapping = mapping if mapping is not None else find_default_mapping(table.path)
    own_labels = read_channel_mapping(mapping) if mapping is not None else None
    if mapping is not None:
        report.counts["mapping"] = str(mapping)
    channels = parse_channels(table, "kanaal", mapping=own_labels, mapping_path=mapping)
    frame = _events(table, "lettings", dwellings=dwellings, stock=stock, report=report)
    frame["channel"] = channels
    ignored = (frame["channel"] == IGNORE) & frame["dwelling_id"].notna()
    report.skip("channel mapped to negeren", int(ignored.sum()))
    frame = frame[frame["dwelling_id"].notna() & ~ignored]
    report.counts["channels"] = _value_counts(frame["channel"])
    return _result("lettings", frame, LETTING_COLUMNS, report)


def read_moveouts(
    path: Path, *, dwellings: pd.DataFrame, stock: pd.DataFrame | None = None
) -> ImportResult:
    """Move-outs (``datum`` and a unit) as ``moveouts`` rows; ``stock`` resolves ``vhe_id``."""
    table = read_csv(Path(path), required=("datum",), source="move-outs file")
    report = _report("moveouts", table)
    frame = _events(table, "moveouts", dwellings=dwellings, stock=stock, report=report)
    frame = frame[frame["dwelling_id"].notna()]
    return _result("moveouts", frame, MOVEOUT_COLUMNS, report)


def read_nuisance(
    path: Path, *, dwellings: pd.DataFrame, stock: pd.DataFrame | None = None
) -> ImportResult:
    """Nuisance complaints (``datum``, ``categorie``, a unit) as ``nuisance`` rows."""
    table = read_csv(Path(path), required=("datum", "categorie"), source="nuisance file")
    report = _report("nuisance", table)
    categories = parse_categories(table, "categorie")
    frame = _events(table, "nuisance", dwellings=dwellings, stock=stock, report=report)
    frame["category"] = categories
    frame = frame[frame["dwelling_id"].notna()]
    report.counts["categories"] = _value_counts(frame["category"])
    return _result("nuisance", frame, NUISANCE_COLUMNS, report)


def parse_dates(table: CsvTable, column: str) -> pd.Series:
    """Dates of a text column: ``2024-03-01`` or ``01-03-2024`` (also with ``/`` or ``.``).

    A time after the date is ignored. An empty or unreadable date raises InputError naming the
    row, the field, the value and the expected format.
    """
    text = table.frame[column].astype("string").str.strip()
    iso = text.str.extract(_ISO)
    dutch = text.str.extract(_DUTCH)
    parts = pd.DataFrame(
        {
            "year": iso[0].fillna(dutch[2]),
            "month": iso[1].fillna(dutch[1]),
            "day": iso[2].fillna(dutch[0]),
        }
    ).astype("float64")
    dates = pd.to_datetime(parts, errors="coerce")
    bad = dates.isna().to_numpy()
    if bad.any():
        position = int(np.flatnonzero(bad)[0])
        raise InputError(
            f'"{text.iloc[position]}" is not a date; expected {DATE_FORMATS}; '
            f"{int(bad.sum())} such value(s) in this column",
            path=str(table.path),
            row=table.row_number(position),
            field=column,
        )
    return dates.astype("datetime64[s]")


def record_ids(table: CsvTable, kind: str) -> pd.Series:
    """The file's own ids (checked: present, unique), else ids derived from each row's content.

    A derived id is a hash of the row's values (plus a counter for identical rows), so reading
    the same file again — even with its rows in another order — gives the same ids.
    """
    column = next((c for c in ID_COLUMNS[kind] if _find(table, c) is not None), None)
    if column is not None:
        name = str(_find(table, column))
        ids = table.frame[name].astype("string")
        empty = (ids == "").to_numpy()
        if empty.any():
            raise InputError(
                "empty id; expected an id in every row (or leave the column out)",
                path=str(table.path),
                row=table.row_number(int(np.flatnonzero(empty)[0])),
                field=name,
            )
        _check_unique(table, name)
        return ids
    hashes = pd.util.hash_pandas_object(table.frame, index=False)
    repeat = hashes.groupby(hashes).cumcount()
    text = hashes.map("{:016x}".format) + repeat.map(lambda n: f"-{n + 1}" if n else "")
    return (ID_PREFIXES[kind] + text).astype("string")


def _events(
    table: CsvTable,
    kind: str,
    *,
    dwellings: pd.DataFrame,
    stock: pd.DataFrame | None,
    report: ImportReport,
) -> pd.DataFrame:
    """id, dwelling (NA when not located) and date of every row of an event file."""
    return pd.DataFrame(
        {
            ID_NAMES[kind]: record_ids(table, kind),
            "date": parse_dates(table, _find(table, "datum") or "datum"),
            "dwelling_id": locate_units(table, dwellings=dwellings, stock=stock, report=report),
        }
    )


def _report(kind: str, table: CsvTable) -> ImportReport:
    return ImportReport(source=kind, path=str(table.path), read=len(table.frame))


def _result(
    kind: str, frame: pd.DataFrame, columns: dict[str, str], report: ImportReport
) -> ImportResult:
    out = frame[list(columns)].astype(columns).reset_index(drop=True)
    report.used = len(out)
    if "date" in out and len(out):
        report.counts["dates"] = [str(out["date"].min().date()), str(out["date"].max().date())]
    data = SourceData(name=kind, **{kind: out})
    return ImportResult(data=data, report=report, licence=LICENCE)


def _check_unique(table: CsvTable, column: str) -> None:
    rows = first_duplicate(table, table.frame[[column]])
    if rows is not None:
        raise InputError(
            f'id "{table.frame[column].iloc[rows[1] - 2]}" appears in rows {rows[0]} and '
            f"{rows[1]}; expected every {column} once",
            path=str(table.path),
            row=rows[1],
            field=column,
        )


def _find(table: CsvTable, column: str) -> str | None:
    """The file's spelling of ``column`` (case-insensitive), or None."""
    return next((str(c) for c in table.frame.columns if str(c).casefold() == column), None)


def _optional(table: CsvTable, column: str) -> pd.Series:
    name = _find(table, column)
    if name is None:
        return pd.Series(pd.NA, index=table.frame.index, dtype="string")
    text = table.frame[name].astype("string").str.strip()
    return text.mask(text == "").astype("string")


def _value_counts(values: pd.Series) -> dict[str, int]:
    return {str(k): int(v) for k, v in values.value_counts().sort_index().items()}
