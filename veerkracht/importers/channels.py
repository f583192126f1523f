"""The labels of the corporation's files: letting channels (with the mapping of its own labels)
and nuisance categories, checked as data.

A label is compared after lower-casing and turning spaces and hyphens into ``_`` ("Housing
First" → ``housing_first``). A mapping file (CSV ``eigen_label,kanaal``) maps the corporation's
own labels to the documented channels, or to ``negeren`` for records that are not lettings.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from veerkracht.domain.channels import Channel
from veerkracht.errors import InputError
from veerkracht.importers.tabular import CsvTable, first_duplicate, read_csv

CHANNELS: tuple[str, ...] = tuple(c.value for c in Channel)
#: The mapping target for records to leave out (an internal move, a wisselwoning).
IGNORE = "negeren"
#: Nuisance (overlast) categories, in the corporation's words.
NUISANCE_CATEGORIES: tuple[str, ...] = (
    "geluid",
    "afval",
    "burenruzie",
    "vervuiling",
    "intimidatie",
    "overig",
)
#: The file next to a lettings file that is used as mapping when none is given.
DEFAULT_MAPPING_NAME = "kanalen.csv"


def normalise_label(values: pd.Series) -> pd.Series:
    """Lower case, stripped, spaces and hyphens as ``_`` (``" Housing-First "`` → housing_first)."""
    text = values.astype("string").str.strip().str.casefold()
    return text.str.replace(r"[\s\-]+", "_", regex=True)


def read_channel_mapping(path: Path) -> dict[str, str]:
    """The corporation's own label (normalised) → a documented channel or ``negeren``.

    The CSV has the columns ``eigen_label`` and ``kanaal``; a target that is not a documented
    channel, an empty own label or an own label listed twice is an InputError.
    """
    table = read_csv(Path(path), required=("eigen_label", "kanaal"), source="channel mapping")
    own = normalise_label(table.frame["eigen_label"])
    _check_present(table, own, "eigen_label")
    duplicate = first_duplicate(table, pd.DataFrame({"label": own}))
    if duplicate is not None:
        raise InputError(
            f'own label "{table.frame["eigen_label"].iloc[duplicate[1] - 2]}" is mapped in rows '
            f"{duplicate[0]} and {duplicate[1]}; expected each own label once",
            path=str(table.path),
            row=duplicate[1],
            field="eigen_label",
        )
    target = normalise_label(table.frame["kanaal"])
    _check_allowed(table, target, "kanaal", (*CHANNELS, IGNORE), what="channel")
    return dict(zip(own.tolist(), target.tolist(), strict=True))


def find_default_mapping(path: Path) -> Path | None:
    """``kanalen.csv`` next to ``path``, when it exists and is not ``path`` itself."""
    candidate = Path(path).with_name(DEFAULT_MAPPING_NAME)
    return candidate if candidate.is_file() and candidate != Path(path) else None


def parse_channels(
    table: CsvTable,
    column: str,
    *,
    mapping: Mapping[str, str] | None = None,
    mapping_path: Path | None = None,
) -> pd.Series:
    """The documented channel of every row (``negeren`` where the mapping says to leave it out).

    Own labels are looked up in ``mapping`` first, then compared with the documented channels.
    An unknown label raises InputError naming the row, the field, the value, the allowed labels
    and how to map own labels.
    """
    labels = normalise_label(table.frame[column])
    mapped = labels.map(dict(mapping or {})).astype("string")
    channels = mapped.fillna(labels)
    if mapping_path is None:
        hint = (
            "; map the corporation's own labels in a CSV with columns eigen_label,kanaal, saved "
            f"as {DEFAULT_MAPPING_NAME} next to this file (see docs/formats.md)"
        )
    else:
        hint = f"; add the label to the mapping {mapping_path} (columns eigen_label,kanaal)"
    checked = channels.mask((mapped == IGNORE).fillna(False), CHANNELS[0])
    _check_allowed(table, checked, column, CHANNELS, what="channel", hint=hint)
    return channels


def parse_categories(table: CsvTable, column: str) -> pd.Series:
    """The nuisance category of every row; an unknown category raises InputError."""
    categories = normalise_label(table.frame[column])
    _check_allowed(table, categories, column, NUISANCE_CATEGORIES, what="category")
    return categories


def _check_present(table: CsvTable, values: pd.Series, column: str) -> None:
    empty = (values.fillna("") == "").to_numpy()
    if empty.any():
        position = int(np.flatnonzero(empty)[0])
        raise InputError(
            "empty value; expected a label",
            path=str(table.path),
            row=table.row_number(position),
            field=column,
        )


def _check_allowed(
    table: CsvTable,
    values: pd.Series,
    column: str,
    allowed: Sequence[str],
    *,
    what: str,
    hint: str = "",
) -> None:
    bad = (~values.isin(list(allowed))).fillna(True).to_numpy()
    if not bad.any():
        return
    position = int(np.flatnonzero(bad)[0])
    raw = table.frame[column]
    unknown = list(dict.fromkeys(raw[bad].astype(str).str.strip()))
    others = (
        f"; {int(bad.sum())} row(s) with unknown labels: "
        + ", ".join(f'"{u}"' for u in unknown[:8])
        + (", …" if len(unknown) > 8 else "")
    )
    raise InputError(
        f'{what} "{raw.iloc[position].strip()}" is not one of {", ".join(allowed)}{others}{hint}',
        path=str(table.path),
        row=table.row_number(position),
        field=column,
    )
