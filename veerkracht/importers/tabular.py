"""Reading CSV files as they really come: BOM, `;`/`,`/tab, padded values, Dutch decimals.

Every problem becomes an InputError that names the file, the row (1-based, the header is row 1)
and the field where that applies, and says what was expected. Values come back as text; the
caller turns the columns it knows into numbers with :func:`parse_numbers`.
"""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from veerkracht.errors import InputError
from veerkracht.importers.base import require_file

DELIMITERS: dict[str, str] = {";": "';'", ",": "','", "\t": "tab"}
OTHER_SEPARATORS = ("|", ":")  # seen in exports, never accepted: named in the error
_CHUNK_BYTES = 1 << 20
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")


@dataclass(frozen=True)
class CsvTable:
    """A CSV file read as text: the frame plus how the file was written."""

    frame: pd.DataFrame  # one column per header field, values as stripped text ("" when empty)
    path: Path
    delimiter: str
    had_bom: bool

    def row_number(self, index: int) -> int:
        """The 1-based row in the file of the frame's positional ``index`` (header = row 1)."""
        return int(index) + 2


def read_csv_table(
    path: Path,
    *,
    required: Sequence[str] = (),
    source: str = "csv",
    delimiter: str | None = None,
    allow_empty: bool = False,
) -> pd.DataFrame:
    """Read a CSV as text columns; see :func:`read_csv`, which also says how it was written."""
    return read_csv(
        path, required=required, source=source, delimiter=delimiter, allow_empty=allow_empty
    ).frame


def read_csv(
    path: Path,
    *,
    required: Sequence[str] = (),
    source: str = "csv",
    delimiter: str | None = None,
    allow_empty: bool = False,
) -> CsvTable:
    """Read ``path`` (UTF-8, optional BOM) as text columns, with the ``required`` columns present.

    The delimiter (``;``, ``,`` or tab) is detected from the header unless given. Column names are
    stripped; a required column also matches another capitalisation and is renamed to the spelling
    asked for. Values are stripped of padding; empty cells are "". ``source`` names the kind of
    file in messages ("Leefbaarometer CSV").
    """
    path = Path(path)
    require_file(path)
    had_bom = check_utf8(path)
    header = _first_line(path, had_bom)
    if not header.strip():
        raise InputError(f"the {source} is empty; expected a header row", path=str(path), row=1)
    found = sniff_delimiter(header, path=path, source=source)
    if delimiter is not None and found != delimiter:
        raise InputError(
            f"the header is separated by {DELIMITERS[found]}, expected {DELIMITERS[delimiter]}",
            path=str(path),
            row=1,
        )
    frame = _read_text(path, found, source=source)
    frame = _match_required(frame, required, path=path, source=source, delimiter=found)
    if frame.empty and not allow_empty:
        raise InputError(
            f"the {source} has a header but no data rows; expected at least one row",
            path=str(path),
            row=2,
        )
    return CsvTable(frame=frame, path=path, delimiter=found, had_bom=had_bom)


def check_utf8(path: Path) -> bool:
    """Raise InputError at the first byte that is not UTF-8; return whether a BOM is present."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    line = 1
    with open(path, "rb") as handle:
        first = handle.read(4)
        if first.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            raise InputError(
                "the file is UTF-16 (as Excel's 'Unicode text'); expected UTF-8",
                path=str(path),
                row=1,
            )
        handle.seek(0)
        while chunk := handle.read(_CHUNK_BYTES):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as error:
                bad = chunk[error.start : error.start + 1]
                row = line + chunk[: error.start].count(b"\n")
                raise InputError(
                    f"byte 0x{bad.hex()} at byte offset {offset + error.start} is not UTF-8 "
                    "(perhaps Latin-1 or Windows-1252); expected UTF-8 — save the file as UTF-8",
                    path=str(path),
                    row=row,
                ) from None
            offset += len(chunk)
            line += chunk.count(b"\n")
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            raise InputError(
                "the file ends in the middle of a character; expected UTF-8", path=str(path)
            ) from None
    return first.startswith(codecs.BOM_UTF8)


def sniff_delimiter(header: str, *, path: Path, source: str = "csv") -> str:
    """The delimiter of a header line: the most frequent of ``;``, ``,`` and tab outside quotes."""
    unquoted = re.sub(r'"[^"]*"', "", header)
    counts = {d: unquoted.count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    if counts[best] == 0:
        other = [s for s in OTHER_SEPARATORS if unquoted.count(s) > 0]
        seen = f"; the header looks separated by '{other[0]}'" if other else ""
        raise InputError(
            f"found one column only ({header.strip()[:60]!r}){seen}; expected columns separated "
            f"by ';', ',' or tab",
            path=str(path),
            row=1,
        )
    return best


def parse_numbers(
    table: CsvTable,
    column: str,
    *,
    missing: Mapping[str, str] | None = None,
) -> tuple[pd.Series, pd.Series]:
    """Numbers of one text column, and the reason per row where there is no number.

    ``missing`` maps markers (after stripping, such as ``"."`` or ``""``) to a reason such as
    ``"secret"``. A decimal comma is accepted unless the file is comma-separated. Any other text
    raises InputError naming the row, the field and the value. Returns a Float64 series (NA where
    missing) and a string series of reasons (NA where a number was read).
    """
    markers = {"": "empty"} if missing is None else dict(missing)
    text = table.frame[column].astype(str).str.strip()
    reasons = text.map(markers).astype("string")
    candidates = text.where(reasons.isna(), "0")
    if table.delimiter != ",":
        candidates = candidates.where(
            ~candidates.str.match(_DECIMAL_COMMA.pattern), candidates.str.replace(",", ".")
        )
    bad = ~candidates.str.match(_NUMBER.pattern)
    if bad.any():
        position = int(np.flatnonzero(bad.to_numpy())[0])
        value = text.iloc[position]
        allowed = ", ".join(repr(m) for m in markers) or "none"
        raise InputError(
            f'"{value}" is not a number; expected a number (missing-value markers: {allowed}); '
            f"{int(bad.sum())} such value(s) in this column",
            path=str(table.path),
            row=table.row_number(position),
            field=column,
        )
    numbers = pd.to_numeric(candidates).astype("Float64").mask(reasons.notna())
    return numbers, reasons


def require_columns(table: CsvTable, required: Sequence[str], *, source: str = "csv") -> CsvTable:
    """``table`` with the ``required`` columns (matched case-insensitively) or an InputError."""
    frame = _match_required(
        table.frame, required, path=table.path, source=source, delimiter=table.delimiter
    )
    return CsvTable(frame=frame, path=table.path, delimiter=table.delimiter, had_bom=table.had_bom)


def first_duplicate(table: CsvTable, keys: pd.DataFrame) -> tuple[int, int] | None:
    """File rows (first, repeat) of the first repeated key, or None when the keys are unique.

    ``keys`` holds one row per row of ``table.frame`` (same index), e.g. code and year.
    """
    repeated = keys.duplicated(keep="first").to_numpy()
    if not repeated.any():
        return None
    second = int(np.flatnonzero(repeated)[0])
    same = (keys == keys.iloc[second]).all(axis=1).to_numpy()
    first = int(np.flatnonzero(same)[0])
    return table.row_number(first), table.row_number(second)


def _first_line(path: Path, had_bom: bool) -> str:
    with open(path, encoding="utf-8-sig" if had_bom else "utf-8", newline="") as handle:
        for line in handle:
            if line.strip():
                return line
    return ""


def _read_text(path: Path, delimiter: str, *, source: str) -> pd.DataFrame:
    width = _check_field_counts(path, delimiter)
    try:
        frame = pd.read_csv(
            path,
            sep=delimiter,
            dtype=str,
            keep_default_na=False,
            encoding="utf-8-sig",
            index_col=False,
            skip_blank_lines=True,
            engine="c",
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise InputError(f"cannot read the {source}: {error}", path=str(path)) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    if len(frame.columns) != width:  # pragma: no cover - the field count check agrees
        raise InputError(f"cannot read the {source}: header of {width} fields", path=str(path))
    return frame.apply(lambda col: col.str.strip()) if len(frame) else frame


def _check_field_counts(path: Path, delimiter: str) -> int:
    """Raise InputError at the first row whose number of fields differs from the header's."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        records = (r for r in csv.reader(handle, delimiter=delimiter) if r)
        header = next(records, [])
        for row, record in enumerate(records, start=2):
            if len(record) != len(header):
                fewer = len(record) < len(header)
                field = header[len(record)].strip() if fewer else None
                raise InputError(
                    f"{len(record)} fields where the header has {len(header)}; expected every "
                    f"row separated by {DELIMITERS[delimiter]} like the header"
                    + (" (a missing value?)" if fewer else " (a stray delimiter or quote?)"),
                    path=str(path),
                    row=row,
                    field=field,
                )
    return len(header)


def _match_required(
    frame: pd.DataFrame, required: Sequence[str], *, path: Path, source: str, delimiter: str
) -> pd.DataFrame:
    by_fold = {str(c).casefold(): str(c) for c in frame.columns}
    renames = {}
    missing = []
    for name in required:
        actual = by_fold.get(name.casefold())
        if actual is None:
            missing.append(name)
        elif actual != name:
            renames[actual] = name
    if missing:
        found = ", ".join(f'"{c}"' for c in frame.columns)
        hint = ""
        if len(frame.columns) == 1:
            other = [DELIMITERS[d] for d in DELIMITERS if d != delimiter and d in found]
            if other:
                hint = f"; the header looks separated by {other[0]}, not {DELIMITERS[delimiter]}"
        raise InputError(
            f"missing column(s) {', '.join(repr(m) for m in missing)} in the {source}; "
            f"found {found}{hint}",
            path=str(path),
            row=1,
            field=missing[0],
        )
    return frame.rename(columns=renames)
