"""CBS StatLine kerncijfers (CSV export): figures per buurt, wijk and gemeente.

Columns are resolved by title, not by StatLine's ``_NN`` suffix; ``.`` and empty cells become a
missing value with its reason.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from veerkracht.domain.frames import SourceData
from veerkracht.errors import InputError
from veerkracht.importers.base import ImportReport, ImportResult
from veerkracht.importers.cbs_variables import (
    EXCLUDED_TOPICS,
    LEVEL_BY_PREFIX,
    LICENCE,
    SOURCE_KERNCIJFERS,
    STATLINE_DESCRIPTIVE,
    STATLINE_MISSING,
    clean_name,
    variable_name,
    year_in_name,
)
from veerkracht.importers.tabular import CsvTable, first_duplicate, parse_numbers, read_csv

_CODE = re.compile(r"^(BU|WK|GM)[0-9A-Z]{4,8}$")


def read_statline(path: Path, *, year: int | None = None) -> ImportResult:
    """Figures of a StatLine CSV export; see ``cbs.read_cbs_kerncijfers``."""
    table = read_csv(Path(path), source="StatLine CSV")
    report = ImportReport(source=SOURCE_KERNCIJFERS, path=str(table.path), read=len(table.frame))
    code_column = _code_column(table)
    codes = table.frame[code_column].str.strip()
    levels = codes.str[:2].map(LEVEL_BY_PREFIX)
    report.skip("region that is not a buurt, wijk or gemeente", int(levels.isna().sum()))
    years = _statline_years(table, year)
    keep = levels.notna().to_numpy()
    keys = pd.DataFrame({"level": levels, "code": codes, "year": years})
    _check_unique(table, keys[["code", "year"]])
    keys = keys[keep]
    statistics = _statline_statistics(table, code_column, keys, report)
    names = _statline_names(table, code_column, keys)
    report.used = int(keep.sum())
    report.counts["areas"] = keys["level"].value_counts().to_dict()
    report.counts["statistics"] = len(statistics)
    report.counts["missing"] = statistics["missing_reason"].value_counts().to_dict()
    report.counts["years"] = sorted(int(y) for y in keys["year"].unique())
    data = SourceData(name=SOURCE_KERNCIJFERS, area_statistics=statistics)
    data.extra["area_names"] = names
    return ImportResult(data=data, report=report, licence=LICENCE)


def _code_column(table: CsvTable) -> str:
    """The column where most values are CBS region codes (at least half; NL01 etc. may occur)."""
    shares = {
        str(c): float(table.frame[c].str.strip().str.match(_CODE.pattern).mean())
        for c in table.frame.columns
    }
    best = max(shares, key=lambda c: shares[c])
    if shares[best] >= 0.5:
        return best
    raise InputError(
        f"no column of region codes; found {', '.join(map(repr, table.frame.columns))}; expected "
        "a column with codes such as BU03630000, WK036300, GM0363",
        path=str(table.path),
        row=1,
        field="Regiocode",
    )


def _statline_years(table: CsvTable, year: int | None) -> pd.Series:
    index = table.frame.index
    if year is not None:
        return pd.Series(int(year), index=index, dtype="Int64")
    period = next((c for c in table.frame.columns if clean_name(str(c)) == "perioden"), None)
    if period is not None:
        text = table.frame[period].str.strip()
        bad = ~text.str.match(r"^\d{4}(JJ00)?$")
        if bad.any():
            position = int(np.flatnonzero(bad.to_numpy())[0])
            raise InputError(
                f'period "{text.iloc[position]}" is not a year; expected e.g. 2019 or 2019JJ00',
                path=str(table.path),
                row=table.row_number(position),
                field=str(period),
            )
        return text.str[:4].astype(int).astype("Int64")
    found = year_in_name(table.path)
    if found is None:
        raise InputError(
            "no year: no 'Perioden' column and no year in the file name; expected "
            "one of these (or pass the year)",
            path=str(table.path),
            field="Perioden",
        )
    return pd.Series(found, index=index, dtype="Int64")


def _check_unique(table: CsvTable, keys: pd.DataFrame) -> None:
    rows = first_duplicate(table, keys)
    if rows is not None:
        raise InputError(
            f"the same region and year appear in rows {rows[0]} and {rows[1]}; expected one row "
            "per region and year (export without extra dimensions)",
            path=str(table.path),
            row=rows[1],
        )


def _statline_statistics(
    table: CsvTable, code_column: str, keys: pd.DataFrame, report: ImportReport
) -> pd.DataFrame:
    parts = []
    text_columns = []
    for column in table.frame.columns:
        cleaned = clean_name(str(column))
        if column == code_column or cleaned in STATLINE_DESCRIPTIVE:
            continue
        if any(t in cleaned for t in EXCLUDED_TOPICS):
            report.counts["variables not imported (migration background)"] = (
                report.counts.get("variables not imported (migration background)", 0) + 1
            )
            continue
        values = table.frame[column].str.strip()
        markers = values.isin(list(STATLINE_MISSING))
        if (~markers).any() and not values[~markers].str.match(r"^[+-]?[\d.,]*\d").any():
            text_columns.append(str(column))  # a text column: no value looks like a number
            continue
        numbers, reasons = parse_numbers(table, str(column), missing=STATLINE_MISSING)
        parts.append(
            pd.DataFrame(
                {
                    "level": keys["level"],
                    "code": keys["code"],
                    "year": keys["year"],
                    "variable": variable_name(str(column)),
                    "value": numbers[keys.index],
                    "missing_reason": reasons[keys.index],
                }
            )
        )
    if text_columns:
        report.notes.append(f"text columns not imported: {', '.join(text_columns)}")
    if not parts:
        raise InputError(
            "no numeric columns; expected figures per region", path=str(table.path), row=1
        )
    long = pd.concat(parts, ignore_index=True)
    duplicated = long.duplicated(subset=["level", "code", "year", "variable"])
    if duplicated.any():
        name = long.loc[duplicated, "variable"].iloc[0]
        raise InputError(
            f'two columns mean the same variable "{name}"; expected one',
            path=str(table.path),
            row=1,
        )
    return pd.DataFrame(
        {
            "level": long["level"].astype("string"),
            "code": long["code"].astype("string"),
            "year": long["year"].astype("Int64"),
            "variable": long["variable"].astype("string"),
            "value": long["value"].astype("Float64"),
            "missing_reason": long["missing_reason"].astype("string"),
            "source": pd.array([SOURCE_KERNCIJFERS] * len(long), dtype="string"),
        }
    )


def _statline_names(table: CsvTable, code_column: str, keys: pd.DataFrame) -> pd.DataFrame:
    """Region names: the first text column (not the code) whose values are not codes."""
    name_column = None
    for column in table.frame.columns:
        cleaned = clean_name(str(column))
        if column != code_column and cleaned in {
            "wijken_en_buurten",
            "regio_s",
            "gemeentenaam",
            "regioaanduiding_gemeentenaam",
        }:
            values = table.frame[column].str.strip()
            if values.str.match(_CODE.pattern).mean() < 0.5:
                name_column = column
                break
    names = (
        table.frame.loc[keys.index, name_column].str.strip()
        if name_column is not None
        else pd.Series([None] * len(keys), index=keys.index)
    )
    return pd.DataFrame(
        {
            "level": keys["level"].astype("string"),
            "code": keys["code"].astype("string"),
            "name": names.astype("string"),
            "year": keys["year"].astype("Int64"),
        }
    ).reset_index(drop=True)
