"""Reading the vacancies and candidate households of `veerkracht allocate` (formats in
docs/allocation.md). Values are checked row by row; errors name file, row, field and expectation.

``vacancies.csv``  dwelling_id [,vacancy_id] [,accessible]
``households.csv`` household_id,channel,household_size [,needs] [,preferred_areas]
                   (needs and preferred_areas: words separated by spaces)
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from veerkracht.allocation.instance import CHANNELS
from veerkracht.allocation.stock import Stock
from veerkracht.errors import InputError
from veerkracht.importers.tabular import CsvTable, first_duplicate, parse_numbers, read_csv

YES = {"1", "ja", "j", "yes", "y", "true", "waar"}
NO = {"0", "nee", "n", "no", "false", "onwaar", ""}


def read_vacancies(path: Path, stock: Stock) -> pd.DataFrame:
    """Vacancies joined to the stock: vacancy_id, dwelling_id, unit keys, size, rent class,
    assets nearby and ``accessible``."""
    table = read_csv(Path(path), required=["dwelling_id"], source="vacancies CSV")
    frame = table.frame.copy()
    _require_values(table, "dwelling_id")
    known = set(stock.dwellings["dwelling_id"])
    unknown = ~frame["dwelling_id"].isin(known).to_numpy()
    if unknown.any():
        position = int(np.flatnonzero(unknown)[0])
        raise InputError(
            f'"{frame["dwelling_id"].iloc[position]}" is not a dwelling of the store; expected a '
            f"dwelling_id of the workspace ({int(unknown.sum())} unknown)",
            path=str(table.path),
            row=table.row_number(position),
            field="dwelling_id",
        )
    if "vacancy_id" not in frame or (frame["vacancy_id"] == "").all():
        frame["vacancy_id"] = frame["dwelling_id"]
    _require_values(table, "vacancy_id", frame)
    _unique(table, frame, "vacancy_id")
    frame["accessible"] = _booleans(table, frame, "accessible")
    joined = frame[["vacancy_id", "dwelling_id", "accessible"]].merge(
        stock.dwellings.drop(columns="channel"), on="dwelling_id", how="left"
    )
    return joined.reset_index(drop=True)


def read_households(path: Path) -> pd.DataFrame:
    """Candidate households: household_id, channel, household_size, needs, preferred_areas."""
    table = read_csv(
        Path(path), required=["household_id", "channel", "household_size"], source="households CSV"
    )
    frame = table.frame.copy()
    for column in ("household_id", "channel"):
        _require_values(table, column)
    _unique(table, frame, "household_id")
    frame["channel"] = frame["channel"].str.lower()
    bad = ~frame["channel"].isin(CHANNELS).to_numpy()
    if bad.any():
        position = int(np.flatnonzero(bad)[0])
        raise InputError(
            f'"{frame["channel"].iloc[position]}" is not a channel; expected one of '
            + ", ".join(CHANNELS),
            path=str(table.path),
            row=table.row_number(position),
            field="channel",
        )
    sizes, reasons = parse_numbers(table, "household_size")
    size = sizes.to_numpy(dtype=float, na_value=np.nan)
    wrong = reasons.notna().to_numpy() | ~(size >= 1) | (size != np.round(size))
    if wrong.any():
        position = int(np.flatnonzero(wrong)[0])
        raise InputError(
            f'"{table.frame["household_size"].iloc[position]}" is not valid; expected a whole '
            "number of persons ≥ 1",
            path=str(table.path),
            row=table.row_number(position),
            field="household_size",
        )
    frame["household_size"] = size.astype(np.int64)
    for column in ("needs", "preferred_areas"):
        if column not in frame:
            frame[column] = ""
    frame["needs"] = frame["needs"].str.lower()
    return frame[["household_id", "channel", "household_size", "needs", "preferred_areas"]]


def _require_values(table: CsvTable, column: str, frame: pd.DataFrame | None = None) -> None:
    values = (table.frame if frame is None else frame)[column]
    empty = (values == "").to_numpy()
    if empty.any():
        raise InputError(
            "is empty; expected a value",
            path=str(table.path),
            row=table.row_number(int(np.flatnonzero(empty)[0])),
            field=column,
        )


def _unique(table: CsvTable, frame: pd.DataFrame, column: str) -> None:
    rows = first_duplicate(table, frame[[column]])
    if rows is not None:
        raise InputError(
            f"repeats row {rows[0]}; expected each {column} once",
            path=str(table.path),
            row=rows[1],
            field=column,
        )


def _booleans(table: CsvTable, frame: pd.DataFrame, column: str) -> np.ndarray:
    if column not in frame:
        return np.zeros(len(frame), dtype=bool)
    text = frame[column].str.lower()
    bad = ~text.isin(YES | NO).to_numpy()
    if bad.any():
        position = int(np.flatnonzero(bad)[0])
        raise InputError(
            f'"{frame[column].iloc[position]}" is not yes/no; expected ja/nee, 1/0 or true/false',
            path=str(table.path),
            row=table.row_number(position),
            field=column,
        )
    return text.isin(YES).to_numpy()
