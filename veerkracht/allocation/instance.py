"""The self-contained allocation instance: five CSV files in one folder.

``vacancies.csv``  vacancy_id,entrance,building,block,buurt
``households.csv`` household_id,channel
``scores.csv``     household_id,vacancy_id,score      (only listed pairs are allowed; score >= 0)
``occupancy.csv``  level,key,channel,count            (current occupants through that channel)
``caps.csv``       level,key,channel,max_count        (key ``*``: every unit of the level;
                                                       channel ``*``: all but regulier together)

Every problem in a file is an InputError naming the file, the row (header = row 1), the field and
what was expected. Occupancy is taken per level as given: entrance rows are not added up to
buildings (list a row for every level that has a cap).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from veerkracht.domain.channels import Channel
from veerkracht.errors import InputError
from veerkracht.importers.tabular import CsvTable, first_duplicate, parse_numbers, read_csv

#: The unit levels of an instance, smallest first (``buurt`` is the neighbourhood).
INSTANCE_LEVELS: tuple[str, ...] = ("entrance", "building", "block", "buurt")
#: Channel word in caps.csv meaning "all channels except regulier together".
ALL_VULNERABLE = "*"
#: Key word in caps.csv meaning "every unit of the level".
EVERY_UNIT = "*"
CHANNELS: tuple[str, ...] = tuple(c.value for c in Channel)
VULNERABLE: tuple[str, ...] = tuple(c for c in CHANNELS if c != Channel.REGULIER.value)

FILES: dict[str, tuple[str, ...]] = {
    "vacancies": ("vacancy_id", *INSTANCE_LEVELS),
    "households": ("household_id", "channel"),
    "scores": ("household_id", "vacancy_id", "score"),
    "occupancy": ("level", "key", "channel", "count"),
    "caps": ("level", "key", "channel", "max_count"),
}


@dataclass(frozen=True)
class Instance:
    """Vacancies with their unit keys, households with a channel, allowed pairs with a score,
    current occupancy per unit and channel, and caps per unit and channel (or ``*``)."""

    vacancies: pd.DataFrame
    households: pd.DataFrame
    scores: pd.DataFrame
    occupancy: pd.DataFrame
    caps: pd.DataFrame

    @classmethod
    def from_frames(
        cls,
        *,
        vacancies: pd.DataFrame,
        households: pd.DataFrame,
        scores: pd.DataFrame,
        occupancy: pd.DataFrame | None = None,
        caps: pd.DataFrame | None = None,
    ) -> Instance:
        """An instance from frames (columns as in the CSV files), with canonical dtypes."""
        occupancy = _empty("occupancy") if occupancy is None else occupancy
        caps = _empty("caps") if caps is None else caps
        frames = {
            "vacancies": vacancies,
            "households": households,
            "scores": scores,
            "occupancy": occupancy,
            "caps": caps,
        }
        for name, frame in frames.items():
            missing = [c for c in FILES[name] if c not in frame.columns]
            if missing:
                raise InputError(f"{name} lacks column(s) {', '.join(missing)}", field=missing[0])
        return cls(**{name: _canonical(name, frame) for name, frame in frames.items()})

    @property
    def size(self) -> dict[str, int]:
        """Counts of vacancies, households, pairs and cap rows."""
        return {
            "vacancies": len(self.vacancies),
            "households": len(self.households),
            "pairs": len(self.scores),
            "caps": len(self.caps),
        }


def read_instance(folder: Path) -> Instance:
    """Read and validate the five CSV files of an instance folder."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(
            "expected a folder holding " + ", ".join(f"{n}.csv" for n in FILES), path=str(folder)
        )
    tables = {name: _read(folder / f"{name}.csv", name) for name in FILES}
    vacancies = _check_vacancies(tables["vacancies"])
    households = _check_households(tables["households"])
    scores = _check_scores(
        tables["scores"], set(vacancies["vacancy_id"]), set(households["household_id"])
    )
    occupancy = _check_levelled(tables["occupancy"], "count", channel_star=False)
    caps = _check_levelled(tables["caps"], "max_count", channel_star=True)
    return Instance.from_frames(
        vacancies=vacancies, households=households, scores=scores, occupancy=occupancy, caps=caps
    )


def write_instance(instance: Instance, folder: Path) -> list[Path]:
    """Write the five CSV files into ``folder`` (created); returns their paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, columns in FILES.items():
        path = folder / f"{name}.csv"
        getattr(instance, name)[list(columns)].to_csv(path, index=False)
        paths.append(path)
    return paths


def _read(path: Path, name: str) -> CsvTable:
    return read_csv(
        path, required=FILES[name], source=f"{name} CSV", delimiter=",", allow_empty=True
    )


def _empty(name: str) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in FILES[name]})


def _canonical(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    out = frame[list(FILES[name])].reset_index(drop=True).copy()
    for column in FILES[name]:
        if column == "score":
            out[column] = out[column].astype(float)
        elif column in ("count", "max_count"):
            out[column] = out[column].astype(np.int64)
        else:
            out[column] = out[column].astype(str)
    return out


def _fail(table: CsvTable, position: int, field: str, message: str) -> InputError:
    return InputError(message, path=str(table.path), row=table.row_number(position), field=field)


def _require_text(table: CsvTable, columns: tuple[str, ...]) -> None:
    for column in columns:
        empty = (table.frame[column] == "").to_numpy()
        if empty.any():
            raise _fail(table, int(np.flatnonzero(empty)[0]), column, "is empty; expected a value")


def _require_unique(table: CsvTable, columns: list[str], what: str) -> None:
    rows = first_duplicate(table, table.frame[columns])
    if rows is not None:
        raise InputError(
            f"{what} repeats row {rows[0]}; expected each {what} once",
            path=str(table.path),
            row=rows[1],
            field=columns[-1],
        )


def _check_in(table: CsvTable, column: str, allowed: set[str] | tuple[str, ...], what: str) -> None:
    bad = ~table.frame[column].isin(set(allowed)).to_numpy()
    if bad.any():
        position = int(np.flatnonzero(bad)[0])
        value = table.frame[column].iloc[position]
        raise _fail(table, position, column, f'"{value}" is not {what}')


def _numbers(table: CsvTable, column: str, *, integer: bool) -> np.ndarray:
    values, reasons = parse_numbers(table, column, missing={"": "empty"})
    if reasons.notna().any():
        position = int(np.flatnonzero(reasons.notna().to_numpy())[0])
        raise _fail(table, position, column, "is empty; expected a number ≥ 0")
    array = values.to_numpy(dtype=float)
    negative = array < 0
    if negative.any():
        position = int(np.flatnonzero(negative)[0])
        raise _fail(table, position, column, f"{array[position]:g} is negative; expected ≥ 0")
    if integer:
        fractional = array != np.round(array)
        if fractional.any():
            position = int(np.flatnonzero(fractional)[0])
            raise _fail(
                table,
                position,
                column,
                f"{array[position]:g} is not a whole number; expected an integer ≥ 0",
            )
    return array


def _check_vacancies(table: CsvTable) -> pd.DataFrame:
    _require_text(table, FILES["vacancies"])
    _require_unique(table, ["vacancy_id"], "vacancy_id")
    return table.frame


def _check_households(table: CsvTable) -> pd.DataFrame:
    _require_text(table, FILES["households"])
    _require_unique(table, ["household_id"], "household_id")
    table.frame["channel"] = table.frame["channel"].str.lower()
    _check_in(table, "channel", CHANNELS, "a channel; expected one of " + ", ".join(CHANNELS))
    return table.frame


def _check_scores(table: CsvTable, vacancy_ids: set[str], household_ids: set[str]) -> pd.DataFrame:
    _require_text(table, ("household_id", "vacancy_id"))
    _check_in(table, "household_id", household_ids, "a household_id of households.csv")
    _check_in(table, "vacancy_id", vacancy_ids, "a vacancy_id of vacancies.csv")
    _require_unique(table, ["household_id", "vacancy_id"], "pair household_id,vacancy_id")
    frame = table.frame.copy()
    frame["score"] = _numbers(table, "score", integer=False)
    return frame


def _check_levelled(table: CsvTable, number: str, *, channel_star: bool) -> pd.DataFrame:
    _require_text(table, ("level", "key", "channel"))
    table.frame["level"] = table.frame["level"].str.lower()
    table.frame["channel"] = table.frame["channel"].str.lower()
    _check_in(
        table, "level", INSTANCE_LEVELS, "a level; expected one of " + ", ".join(INSTANCE_LEVELS)
    )
    if channel_star:
        allowed = (ALL_VULNERABLE, *VULNERABLE)
        _check_in(
            table,
            "channel",
            allowed,
            'a capped channel; expected "*" (all but regulier) or one of ' + ", ".join(VULNERABLE),
        )
    else:
        _check_in(table, "channel", CHANNELS, "a channel; expected one of " + ", ".join(CHANNELS))
        _require_unique(table, ["level", "key", "channel"], "level,key,channel")
    frame = table.frame.copy()
    frame[number] = _numbers(table, number, integer=True).astype(np.int64)
    return frame
