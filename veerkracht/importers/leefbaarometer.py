"""Leefbaarometer 3.0 open-data scores (Ministerie BZK) per buurt, wijk, gemeente, PC4 or grid cell.

The file's level follows from its code column (``bu_code``, ``wk_code``, ``gm_code``, ``pc4``,
``grid_id``). Scores become ``liveability_scores`` rows. The five dimensions add up to ``afw``;
rows where they do not (beyond rounding) are counted in the report, not dropped. A grid file
(``grid_id``; national: millions of rows) is streamed by ``leefbaarometer_grid_scores`` and
matched to the grid cells imported before (``leefbaarometer_grid``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from veerkracht.domain.frames import SourceData
from veerkracht.errors import InputError
from veerkracht.importers.base import ImportReport, ImportResult
from veerkracht.importers.tabular import (
    CsvTable,
    first_duplicate,
    parse_numbers,
    read_csv,
    require_columns,
)

SOURCE = "leefbaarometer"
LICENCE = "Leefbaarometer 3.0 open data (Ministerie van BZK)"

#: Code column → (level, name column, expected code pattern).
LEVEL_COLUMNS: dict[str, tuple[str, str | None, str]] = {
    "bu_code": ("neighbourhood", "bu_naam", r"^BU[0-9A-Z]{8}$"),
    "wk_code": ("district", "wk_naam", r"^WK[0-9A-Z]{6}$"),
    "gm_code": ("municipality", "gm_naam", r"^GM\d{4}$"),
    "pc4": ("postcode4", None, r"^[1-9]\d{3}$"),
    "grid_id": ("grid", None, r"^\S+$"),
}
DIMENSIONS = ("fys", "onv", "soc", "vrz", "won")
SCORES = ("lbm", "afw", *DIMENSIONS)
MISSING = {"": "empty", "NA": "empty", "NaN": "empty", "nan": "empty"}
DIMENSION_TOLERANCE = 0.01


def read_leefbaarometer(path: Path, *, grid_cells: Sequence[str] | None = None) -> ImportResult:
    """``liveability_scores`` from a Leefbaarometer 3.0 CSV (any level; `,` or `;`).

    Requires the code column, ``jaar`` and ``lbm``; ``afw`` and the five dimensions are read
    when present. A leftover row-index column (named ``1``, ``""`` or ``Unnamed: 0``) is ignored.
    The report counts rows per year, missing scores and rows whose dimensions do not add up to
    ``afw`` (|fys+onv+soc+vrz+won − afw| > 0.01). A grid file's ``grid_id`` must be one of
    ``grid_cells`` (the stored cells) unless that is None.
    """
    if _is_grid_file(Path(path)):
        from veerkracht.importers.leefbaarometer_grid_scores import read_grid_scores

        return read_grid_scores(Path(path), cells=grid_cells)
    table = read_csv(Path(path), source="Leefbaarometer CSV")
    table = _drop_index_columns(table)
    code_column = _code_column(table)
    table = require_columns(table, [code_column, "jaar", "lbm"], source="Leefbaarometer CSV")
    report = ImportReport(source=SOURCE, path=str(table.path), read=len(table.frame))
    level, name_column, pattern = LEVEL_COLUMNS[code_column]
    codes = _codes(table, code_column, pattern)
    years = _years(table)
    scores = _scores(table, report)
    _check_unique(table, codes, years)
    names = _names(table, name_column)
    frame = pd.DataFrame(
        {
            "level": pd.array([level] * len(codes), dtype="string"),
            "code": codes,
            "year": years,
            "name": names,
            **scores,
        }
    )
    check_dimensions(frame, report)
    report.used = len(frame)
    report.counts["level"] = level
    report.counts["rows per year"] = {
        int(k): int(v) for k, v in frame["year"].value_counts().sort_index().items()
    }
    report.counts["codes"] = int(frame["code"].nunique())
    data = SourceData(name=SOURCE, liveability_scores=frame.reset_index(drop=True))
    return ImportResult(data=data, report=report, licence=LICENCE)


def dimension_gaps(scores: pd.DataFrame) -> pd.Series:
    """``fys+onv+soc+vrz+won − afw`` per row (NA where a score is missing)."""

    def floats(column: str) -> np.ndarray:
        return np.asarray(scores[column].astype("Float64").to_numpy(float, na_value=np.nan))

    total = sum((floats(c) for c in DIMENSIONS), start=np.zeros(len(scores)))  # NaN stays NaN
    return pd.Series(total - floats("afw"), index=scores.index, dtype="Float64")


def check_dimensions(frame: pd.DataFrame, report: ImportReport) -> None:
    """Count (and name up to five) rows whose dimensions do not add up to ``afw``."""
    gaps = dimension_gaps(frame)
    off = (gaps.abs() > DIMENSION_TOLERANCE).fillna(False).astype(bool)
    report.counts["dimension sum mismatches"] = int(off.sum())
    report.counts["dimension sum max gap"] = (
        round(float(gaps.abs().max()), 6) if gaps.notna().any() else None
    )
    if off.any():
        examples = ", ".join(
            f"{c} {y}" for c, y in frame.loc[off, ["code", "year"]].head(5).itertuples(index=False)
        )
        report.notes.append(
            f"{int(off.sum())} row(s) where fys+onv+soc+vrz+won differs from afw by more than "
            f"{DIMENSION_TOLERANCE}: {examples}"
        )


def _is_grid_file(path: Path) -> bool:
    """A CSV whose only code column is ``grid_id`` (read by the streaming grid reader)."""
    from veerkracht.importers.leefbaarometer_grid_scores import grid_header

    header = grid_header(path)
    if header is None:
        return False
    return len({h.casefold() for h in header} & set(LEVEL_COLUMNS)) == 1


def _drop_index_columns(table: CsvTable) -> CsvTable:
    index_like = [
        c
        for c in table.frame.columns
        if re.fullmatch(r"\d+|Unnamed: \d+|", str(c)) or str(c) == "index"
    ]
    if not index_like:
        return table
    return CsvTable(
        frame=table.frame.drop(columns=index_like),
        path=table.path,
        delimiter=table.delimiter,
        had_bom=table.had_bom,
    )


def _code_column(table: CsvTable) -> str:
    lower = {str(c).casefold() for c in table.frame.columns}
    found = [c for c in LEVEL_COLUMNS if c in lower]
    if len(found) != 1:
        columns = ", ".join(f'"{c}"' for c in table.frame.columns)
        what = "none" if not found else "several: " + ", ".join(found)
        raise InputError(
            f"expected exactly one code column of {', '.join(LEVEL_COLUMNS)}, found {what} "
            f"(columns: {columns})",
            path=str(table.path),
            row=1,
            field="bu_code",
        )
    return found[0]


def _codes(table: CsvTable, column: str, pattern: str) -> pd.Series:
    codes = table.frame[column].str.strip().str.upper()
    bad = ~codes.str.match(pattern)
    if bad.any():
        position = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(
            f'"{table.frame[column].iloc[position]}" is not a valid code; expected {pattern}',
            path=str(table.path),
            row=table.row_number(position),
            field=column,
        )
    return codes.astype("string")


def _years(table: CsvTable) -> pd.Series:
    text = table.frame["jaar"].str.strip()
    bad = ~text.str.fullmatch(r"(19|20)\d\d")
    if bad.any():
        position = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(
            f'"{text.iloc[position]}" is not a year; expected e.g. 2022',
            path=str(table.path),
            row=table.row_number(position),
            field="jaar",
        )
    return text.astype(int).astype("Int64")


def _scores(table: CsvTable, report: ImportReport) -> dict[str, pd.Series]:
    scores: dict[str, pd.Series] = {}
    absent = []
    for name in SCORES:
        column = next((c for c in table.frame.columns if str(c).casefold() == name), None)
        if column is None:
            absent.append(name)
            scores[name] = pd.Series(pd.NA, index=table.frame.index, dtype="Float64")
            continue
        values, reasons = parse_numbers(table, str(column), missing=MISSING)
        if reasons.notna().any():
            report.counts[f"{name} missing"] = int(reasons.notna().sum())
        scores[name] = values
    if absent:
        report.notes.append(f"columns not in the file: {', '.join(absent)}")
    return scores


def _names(table: CsvTable, name_column: str | None) -> pd.Series:
    column = next((c for c in table.frame.columns if str(c).casefold() == name_column), None)
    if column is None:
        return pd.Series(pd.NA, index=table.frame.index, dtype="string")
    return table.frame[column].str.strip().replace("", pd.NA).astype("string")


def _check_unique(table: CsvTable, codes: pd.Series, years: pd.Series) -> None:
    rows = first_duplicate(table, pd.DataFrame({"code": codes, "year": years}))
    if rows is not None:
        position = rows[1] - 2
        raise InputError(
            f"{codes.iloc[position]} {years.iloc[position]} appears in rows {rows[0]} and "
            f"{rows[1]}; expected one row per code and year",
            path=str(table.path),
            row=rows[1],
            field="jaar",
        )
