"""Leefbaarometer 3.0 grid scores: ``Leefbaarometer-scores grids 2002-2024.csv``, streamed.

``grid_id, jaar, lbm, afw, fys, onv, soc, vrz, won``: one row per 100 m cell and measurement year,
about 380,000 cells × 12 years nationally. The file is read in Arrow blocks and checked block by
block; what is kept is compact (the cell as a category of the stored grid, the year, seven
floats). Every ``grid_id`` must be a cell imported before with ``leefbaarometer-grid-cells``.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from veerkracht.domain.frames import SourceData
from veerkracht.errors import InputError, UsageError
from veerkracht.importers.base import ImportReport, ImportResult, require_file
from veerkracht.importers.leefbaarometer import check_dimensions
from veerkracht.importers.leefbaarometer_grid import ID_FIELD, LICENCE, SCORE_LEVEL, SOURCE
from veerkracht.importers.tabular import DELIMITERS, check_utf8, sniff_delimiter

SCORES = ("lbm", "afw", "fys", "onv", "soc", "vrz", "won")
MISSING = frozenset({"", "NA", "NaN", "nan"})
_BLOCK_BYTES = 8 << 20


def read_grid_scores(path: Path, *, cells: Sequence[str] | None = None) -> ImportResult:
    """``liveability_scores`` of level ``grid`` from the grid scores CSV, read in Arrow batches.

    With ``cells`` (the stored cell ids) every ``grid_id`` must be one of them; the report counts
    the scores matched to cells and the cells without scores. ``None`` skips that check.
    """
    path = Path(path)
    require_file(path)
    if cells is not None and len(cells) == 0:
        raise UsageError(
            "import the grid geometry first (veerkracht import leefbaarometer-grid-cells "
            '"grid 2024.gpkg"): grid scores are matched to its cells by grid_id'
        )
    check_utf8(path)
    header, delimiter = _header(path)
    report = ImportReport(source=SOURCE, path=str(path))
    index = pd.Index(pd.unique(np.asarray(cells, dtype=object))) if cells is not None else None
    frame = _combine(list(_score_batches(path, header, delimiter, index, report)), index)
    if frame.empty:
        raise InputError(
            "the Leefbaarometer CSV has a header but no data rows; expected at least one row",
            path=str(path),
            row=2,
        )
    _check_unique(frame, path)
    report.read = report.used = len(frame)
    _report_scores(frame, report, index)
    data = SourceData(name=SOURCE, liveability_scores=frame)
    return ImportResult(data=data, report=report, licence=LICENCE)


def grid_header(path: Path) -> list[str] | None:
    """The header fields of a CSV when it is a grid scores file (has ``grid_id``), else None."""
    try:
        header, _ = _header(Path(path))
    except (InputError, UnicodeDecodeError, OSError):
        return None
    return header if ID_FIELD in {h.casefold() for h in header} else None


def _header(path: Path) -> tuple[list[str], str]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        line = next((text for text in handle if text.strip()), "")
    if not line.strip():
        raise InputError(
            "the Leefbaarometer CSV is empty; expected a header row", path=str(path), row=1
        )
    delimiter = sniff_delimiter(line, path=path, source="Leefbaarometer CSV")
    return [h.strip() for h in next(csv.reader([line], delimiter=delimiter))], delimiter


def _score_batches(
    path: Path,
    header: list[str],
    delimiter: str,
    index: pd.Index | None,
    report: ImportReport,
) -> Iterator[dict[str, np.ndarray]]:
    """Checked batches as arrays: code (position in ``index``, or text), year, the scores."""
    columns = _score_columns(header, path, report)
    invalid: list[pa_csv.InvalidRow] = []

    def on_invalid(row: pa_csv.InvalidRow) -> str:
        invalid.append(row)
        return "error"

    missing: dict[str, int] = {}
    cells = pa.array(index.to_numpy(dtype=object), type=pa.string()) if index is not None else None
    first = 2
    try:
        reader = pa_csv.open_csv(
            path,
            read_options=pa_csv.ReadOptions(block_size=_BLOCK_BYTES, use_threads=False),
            parse_options=pa_csv.ParseOptions(delimiter=delimiter, invalid_row_handler=on_invalid),
            convert_options=pa_csv.ConvertOptions(
                include_columns=list(columns.values()),
                column_types={c: pa.string() for c in columns.values()},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
        for batch in reader:
            yield _parse_batch(batch, columns, first, path, delimiter, cells, missing)
            first += batch.num_rows
    except pa.ArrowInvalid as exc:
        if invalid:
            bad = invalid[0]
            raise InputError(
                f"{bad.actual_columns} fields where the header has {bad.expected_columns}; "
                f"expected every row separated by {DELIMITERS[delimiter]} like the header",
                path=str(path),
                row=bad.number if bad.number is not None else first,
            ) from None
        raise InputError(
            f"cannot read the Leefbaarometer CSV ({exc})", path=str(path), row=first
        ) from None
    for name, count in missing.items():
        if count:
            report.counts[f"{name} missing"] = count


def _score_columns(header: list[str], path: Path, report: ImportReport) -> dict[str, str]:
    by_fold = {h.casefold(): h for h in header}
    absent = [c for c in (ID_FIELD, "jaar", "lbm") if c not in by_fold]
    if absent:
        found = ", ".join(f'"{h}"' for h in header)
        raise InputError(
            f"missing column(s) {', '.join(repr(a) for a in absent)} in the Leefbaarometer "
            f"CSV; found {found}",
            path=str(path),
            row=1,
            field=absent[0],
        )
    not_there = [s for s in SCORES if s not in by_fold]
    if not_there:
        report.notes.append(f"columns not in the file: {', '.join(not_there)}")
    return {name: by_fold[name] for name in (ID_FIELD, "jaar", *SCORES) if name in by_fold}


def _parse_batch(
    batch: pa.RecordBatch,
    columns: dict[str, str],
    first: int,
    path: Path,
    delimiter: str,
    cells: pa.Array | None,
    missing: dict[str, int],
) -> dict[str, np.ndarray]:
    def text(name: str) -> pa.Array:
        return pc.utf8_trim_whitespace(batch.column(columns[name]))

    out = {
        "code": _codes(text(ID_FIELD), first, path, cells),
        "year": _years(text("jaar"), first, path),
    }
    for name in SCORES:
        if name not in columns:
            out[name] = np.full(batch.num_rows, np.nan)
            continue
        out[name], absent = _numbers(text(name), first, path, name, delimiter)
        missing[name] = missing.get(name, 0) + absent
    return out


def _codes(text: pa.Array, first: int, path: Path, cells: pa.Array | None) -> np.ndarray:
    blank = np.asarray(pc.equal(text, ""))
    if blank.any():
        row = first + int(np.flatnonzero(blank)[0])
        raise InputError(
            "empty grid_id; expected a cell id", path=str(path), row=row, field=ID_FIELD
        )
    if cells is None:
        as_text: np.ndarray = np.asarray(text.to_pylist(), dtype=object)
        return as_text
    positions = pc.index_in(text, value_set=cells)
    unknown = np.asarray(positions.is_null())
    if unknown.any():
        at = int(np.flatnonzero(unknown)[0])
        raise InputError(
            f'"{text[at].as_py()}" is not a cell of the stored grid ({len(cells):,} cells); '
            "expected a grid_id of the imported grid geometry "
            f"({int(unknown.sum()):,} such row(s) in this part of the file)",
            path=str(path),
            row=first + at,
            field=ID_FIELD,
        )
    return np.asarray(positions, dtype=np.int32)


def _years(text: pa.Array, first: int, path: Path) -> np.ndarray:
    try:
        years = np.asarray(pc.cast(text, pa.int32()), dtype=np.int64)
        four = np.asarray(pc.equal(pc.utf8_length(text), 4))
        bad = ~four | (years < 1900) | (years > 2099)
    except pa.ArrowInvalid:  # some text is no whole number: find the first
        pattern = pd.Series(text.to_pylist(), dtype=object).str.fullmatch(r"(19|20)\d\d")
        bad = ~pattern.fillna(False).to_numpy(dtype=bool)
    if bad.any():
        at = int(np.flatnonzero(bad)[0])
        raise InputError(
            f'"{text[at].as_py()}" is not a year; expected e.g. 2022',
            path=str(path),
            row=first + at,
            field="jaar",
        )
    return years.astype(np.int16)


def _numbers(
    text: pa.Array, first: int, path: Path, field: str, delimiter: str
) -> tuple[np.ndarray, int]:
    """Floats (NaN where a missing-value marker stands) and how many were missing."""
    missing = pc.is_in(text, value_set=pa.array(sorted(MISSING)))
    candidates = pc.if_else(missing, pa.scalar(None, pa.string()), text)
    if delimiter != ",":  # a decimal comma is allowed where the comma does not separate
        candidates = pc.replace_substring(candidates, ",", ".")
    try:
        values = pc.cast(candidates, pa.float64())
    except pa.ArrowInvalid:
        numbers = pd.to_numeric(pd.Series(candidates.to_pylist()), errors="coerce")
        at = int(np.flatnonzero((numbers.isna() & ~np.asarray(missing)).to_numpy())[0])
        markers = ", ".join(repr(m) for m in sorted(MISSING))
        raise InputError(
            f'"{text[at].as_py()}" is not a number; expected a number (missing-value markers: '
            f"{markers})",
            path=str(path),
            row=first + at,
            field=field,
        ) from None
    floats: np.ndarray = values.to_numpy(zero_copy_only=False)
    return floats, int(pc.sum(missing).as_py() or 0)


def _combine(parts: list[dict[str, np.ndarray]], index: pd.Index | None) -> pd.DataFrame:
    """One frame in the liveability_scores columns; codes as categories of the stored cells."""
    if not parts:
        return pd.DataFrame()
    column = {name: np.concatenate([p[name] for p in parts]) for name in ("code", "year")}
    if index is not None:
        codes = pd.Categorical.from_codes(column["code"], categories=index)
    else:
        codes = pd.Categorical(column["code"])
    n = len(codes)
    frame = pd.DataFrame(
        {
            "level": pd.Categorical.from_codes(np.zeros(n, dtype=np.int8), [SCORE_LEVEL]),
            "code": codes,
            "year": pd.array(column["year"], dtype="Int64"),
            "name": pd.array([None] * n, dtype="string"),
        }
    )
    for name in SCORES:
        frame[name] = np.concatenate([p.pop(name) for p in parts])  # freed part by part
    return frame


def _check_unique(frame: pd.DataFrame, path: Path) -> None:
    codes = frame["code"].cat.codes.to_numpy(dtype=np.int64)
    keys = pd.Series(codes * 256 + (frame["year"].to_numpy(dtype=np.int64) - 1900))
    repeated = keys.duplicated().to_numpy()
    if repeated.any():
        second = int(np.flatnonzero(repeated)[0])
        first = int(np.flatnonzero((keys == keys.iloc[second]).to_numpy())[0])
        raise InputError(
            f"{frame['code'].iloc[second]} {frame['year'].iloc[second]} appears in rows "
            f"{first + 2} and {second + 2}; expected one row per code and year",
            path=str(path),
            row=second + 2,
            field="jaar",
        )


def _report_scores(frame: pd.DataFrame, report: ImportReport, index: pd.Index | None) -> None:
    check_dimensions(frame, report)
    per_year = frame["year"].value_counts().sort_index()
    scored = int(frame["code"].nunique())
    report.counts |= {
        "level": SCORE_LEVEL,
        "rows per year": {int(k): int(v) for k, v in per_year.items()},
        "codes": scored,
    }
    if index is None:
        return
    newest = int(per_year.index.max())
    with_newest = int(frame.loc[(frame["year"] == newest) & frame["lbm"].notna(), "code"].nunique())
    report.counts |= {
        "scores matched to cells": len(frame),
        "cells in the stored grid": len(index),
        "cells with scores": scored,
        "cells without scores": len(index) - scored,
        f"cells without a score for {newest}": len(index) - with_newest,
    }
    if len(index) > scored:
        report.notes.append(
            f"{len(index) - scored:,} cell(s) of the stored grid have no score in this file: "
            "dwellings in them get no grid score"
        )
