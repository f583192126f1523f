"""Dutch addresses as corporations write them, normalised and matched to BAG dwellings.

An address key is (postcode, huisnummer, huisletter, huisnummertoevoeging): postcode upper-case
without space, house number an integer, letter upper-case, suffix upper-case without separators;
an empty letter or suffix is the same as a missing one. Matching is two pandas merges — exact,
then with letter and suffix swapped for the rows still unmatched ("12-A" written for "12A") —
so a city of 450,000 dwellings matches in well under a second.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from veerkracht.errors import InputError
from veerkracht.importers.base import ImportReport
from veerkracht.importers.tabular import CsvTable

KEY = ("postcode", "house_number", "house_letter", "house_suffix")

#: Reasons a row is not matched (the report's ``skipped`` keys).
INCOMPLETE = "address incomplete"
BAD_POSTCODE = "postcode not valid"
NOT_IN_BAG = "address not in BAG"
AMBIGUOUS = "ambiguous address"
VBO_NOT_IN_BAG = "bag_vbo_id not in BAG"
NOT_IN_STOCK = "vhe_id not in stock"
NOTHING_GIVEN = "no unit or address given"
EXAMPLES = 5  # unmatched rows listed in the report

#: File columns (Dutch) → address key columns.
ADDRESS_COLUMNS = {
    "postcode": "postcode",
    "huisnummer": "house_number",
    "huisletter": "house_letter",
    "toevoeging": "house_suffix",
}

#: ``12``, ``12A``, ``12 A``, ``12-1``, ``12 1``, ``12/1``, ``12bis``, ``12 A 1``.
_DESIGNATION = (
    r"(?P<number>\d{1,5})\s*"
    r"(?:(?P<letter>[A-Za-z])(?![A-Za-z0-9]))?\s*"
    r"(?:[-/\s]\s*)?(?P<suffix>[A-Za-z0-9]{1,4})?\s*$"
)
_WHOLE = r"^\s*" + _DESIGNATION  # a huisnummer cell: the designation only
_AT_END = r"(?:^|\s)" + _DESIGNATION  # an adres cell: a street name may come first
_POSTCODE = r"^[1-9]\d{3}[A-Z]{2}$"


def normalise_address(
    postcode: pd.Series,
    house_number: pd.Series,
    house_letter: pd.Series | None = None,
    house_suffix: pd.Series | None = None,
) -> pd.DataFrame:
    """The address key of every row, normalised; NA where a part is missing or malformed.

    ``house_number`` may hold the whole designation (``12A-1``) when letter and suffix are not
    given separately. A house number that is not a number comes back as NA; the caller decides
    whether that is an error (see :func:`bad_house_numbers`).
    """
    index = postcode.index
    letter = _text(house_letter, index)
    suffix = _text(house_suffix, index)
    number = _text(house_number, index).str.replace(r"\.0+$", "", regex=True)  # Excel's 12.0
    parsed = split_designation(number, street_first=False)
    letter = letter.fillna(parsed["house_letter"])
    suffix = suffix.fillna(parsed["house_suffix"])
    code = _text(postcode, index).str.upper().str.replace(r"\s+", "", regex=True)
    return pd.DataFrame(
        {
            "postcode": code.where(code.str.match(_POSTCODE)).astype("string"),
            "house_number": parsed["house_number"],
            "house_letter": letter.str.upper().astype("string"),
            "house_suffix": _clean_suffix(suffix),
        },
        index=index,
    )


def split_designation(text: pd.Series, *, street_first: bool = True) -> pd.DataFrame:
    """``"Lindenstraat 12A-1"`` → number 12, letter A, suffix 1 (NA parts where absent).

    Accepts the separators ``-``, ``/`` and a space between number (or letter) and suffix. With
    ``street_first`` a street name may precede the number; otherwise the text must be the
    designation alone. Text that is not a designation gives an NA number.
    """
    parts = text.astype("string").str.extract(_AT_END if street_first else _WHOLE)
    return pd.DataFrame(
        {
            "house_number": pd.to_numeric(parts["number"]).astype("Int64"),
            "house_letter": parts["letter"].str.upper().astype("string"),
            "house_suffix": _clean_suffix(parts["suffix"].astype("string")),
        },
        index=text.index,
    )


def bad_house_numbers(raw: pd.Series, parsed: pd.Series) -> pd.Series:
    """True where a house number was written but could not be read (not merely left empty)."""
    written = raw.astype("string").str.strip().fillna("") != ""
    return (written & parsed.isna()).astype(bool)


def match_addresses(frame: pd.DataFrame, dwellings: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """The dwelling id of every row of ``frame`` and, where there is none, the reason.

    ``frame`` has the :data:`KEY` columns (raw or normalised); ``dwellings`` has dwelling_id plus
    the same columns. Returns two string series on ``frame``'s index: dwelling_id (NA when not
    matched) and reason (NA when matched; else "address incomplete", "address not in BAG" or
    "ambiguous address" when BAG has two dwellings with this key). Rows matched only with letter
    and suffix swapped count as matched; :func:`match_with_swaps` tells which.
    """
    ids, reasons, _swapped = _match(frame, dwellings)
    return ids, reasons


def match_with_swaps(
    frame: pd.DataFrame, dwellings: pd.DataFrame
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """As :func:`match_addresses`, plus a boolean series: matched with letter/suffix swapped."""
    return _match(frame, dwellings)


def _match(frame: pd.DataFrame, dwellings: pd.DataFrame) -> tuple[pd.Series, pd.Series, pd.Series]:
    keys = _merge_keys(_normalised(frame))
    lookup = _lookup(dwellings)
    complete = keys["postcode"].notna() & keys["house_number"].notna()
    ids, counts = _merge(keys, lookup)
    swapped_keys = keys.assign(house_letter=keys["house_suffix"], house_suffix=keys["house_letter"])
    can_swap = (
        complete
        & (counts == 0)
        & ((keys["house_letter"] == "") != (keys["house_suffix"] == ""))
        & swapped_keys["house_letter"].str.fullmatch("[A-Z]?").fillna(False)
    )
    swap_ids, swap_counts = _merge(swapped_keys[can_swap], lookup)
    use_swap = pd.Series(False, index=keys.index)
    use_swap[can_swap] = (swap_counts > 0).to_numpy()
    ids = ids.where(~use_swap, swap_ids.reindex(keys.index))
    counts = counts.where(~use_swap, swap_counts.reindex(keys.index))
    reasons = pd.Series(pd.NA, index=keys.index, dtype="string")
    reasons[counts == 0] = NOT_IN_BAG
    reasons[counts > 1] = AMBIGUOUS
    reasons[~complete] = INCOMPLETE
    written = frame["postcode"].astype("string").str.strip().fillna("") != ""
    reasons[keys["postcode"].isna() & written] = BAD_POSTCODE
    ids = ids.where(reasons.isna()).astype("string")
    return ids, reasons, use_swap & reasons.isna()


def _normalised(frame: pd.DataFrame) -> pd.DataFrame:
    return normalise_address(
        frame["postcode"],
        frame["house_number"],
        frame.get("house_letter"),
        frame.get("house_suffix"),
    )


def _merge_keys(keys: pd.DataFrame) -> pd.DataFrame:
    """Empty letter/suffix as "" so that merges treat missing parts as equal."""
    return keys.assign(
        house_letter=keys["house_letter"].fillna(""), house_suffix=keys["house_suffix"].fillna("")
    )


def _lookup(dwellings: pd.DataFrame) -> pd.DataFrame:
    """One row per address key of the dwellings: the first dwelling id and how many share it."""
    keys = _merge_keys(_normalised(dwellings))
    keys["dwelling_id"] = dwellings["dwelling_id"].astype("string").to_numpy()
    keys = keys[keys["postcode"].notna() & keys["house_number"].notna()]
    grouped = keys.groupby(list(KEY), sort=False, dropna=False)["dwelling_id"]
    return (
        grouped.agg(["first", "size"])
        .reset_index()
        .rename(columns={"first": "dwelling_id", "size": "n"})
    )


def _merge(keys: pd.DataFrame, lookup: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    merged = keys[list(KEY)].merge(lookup, on=list(KEY), how="left", validate="many_to_one")
    ids = pd.Series(merged["dwelling_id"].to_numpy(), index=keys.index, dtype="string")
    counts = pd.Series(merged["n"].fillna(0).to_numpy(), index=keys.index).astype(int)
    return ids, counts


def _text(values: pd.Series | None, index: pd.Index) -> pd.Series:
    if values is None:
        return pd.Series(pd.NA, index=index, dtype="string")
    text = values.astype("string").str.strip()
    return text.mask(text == "").astype("string")


def _clean_suffix(suffix: pd.Series) -> pd.Series:
    cleaned = suffix.astype("string").str.upper().str.replace(r"[\s\-/]+", "", regex=True)
    return cleaned.mask(cleaned == "").astype("string")


def locate_units(
    table: CsvTable,
    *,
    dwellings: pd.DataFrame,
    stock: pd.DataFrame | None,
    report: ImportReport,
    unit_ids: bool = True,
) -> pd.Series:
    """The dwelling id of every row of a corporation file (NA where it cannot be located).

    Tries, per row, ``bag_vbo_id`` (BAG verblijfsobject id), then ``vhe_id`` through ``stock``
    (when ``unit_ids``), then the address (``postcode`` + ``huisnummer`` [+ ``huisletter``,
    ``toevoeging``], or ``postcode`` + ``adres``). Rows not located are counted in
    ``report.skipped`` by the reason of the last way tried, and the first few are listed in
    ``report.counts["unmatched_examples"]``. A file without any of these columns, a house number
    that is not a number, or vhe_ids without an imported stock raise InputError.
    """
    columns = _unit_columns(table, unit_ids=unit_ids)
    index = table.frame.index
    ids = pd.Series(pd.NA, index=index, dtype="string")
    reasons = pd.Series(NOTHING_GIVEN, index=index, dtype="string")
    method = pd.Series(pd.NA, index=index, dtype="string")
    steps = (("bag_vbo_id", _by_vbo_id), ("vhe_id", _by_unit_id), ("address", _by_address))
    for name, step in steps:
        if columns.get(name) is None:
            continue
        todo = ids.isna()
        found, why, swapped = step(table, columns, todo, dwellings=dwellings, stock=stock)
        tried = todo & why.notna() | todo & found.notna()
        ids[tried & found.notna()] = found[tried & found.notna()]
        reasons[tried] = why[tried]
        method[tried & found.notna()] = name
        if swapped is not None and swapped.any():
            report.notes.append(
                f"{int(swapped.sum())} address(es) matched only with huisletter and toevoeging "
                "swapped (such as 12-A written for 12A)"
            )
    reasons = reasons.where(ids.isna())
    for reason, n in reasons.value_counts().items():
        report.skip(str(reason), int(n))
    report.counts["matched by"] = {str(k): int(v) for k, v in method.value_counts().items()}
    report.counts["unmatched_examples"] = _examples(table, columns, reasons)
    return ids


def _unit_columns(table: CsvTable, *, unit_ids: bool) -> dict[str, str | None]:
    found = {str(c).casefold(): str(c) for c in table.frame.columns}
    columns: dict[str, str | None] = {
        "bag_vbo_id": found.get("bag_vbo_id"),
        "vhe_id": found.get("vhe_id") if unit_ids else None,
        "postcode": found.get("postcode"),
        "huisnummer": found.get("huisnummer"),
        "huisletter": found.get("huisletter"),
        "toevoeging": found.get("toevoeging"),
        "adres": found.get("adres"),
    }
    has_address = columns["postcode"] is not None and (
        columns["huisnummer"] is not None or columns["adres"] is not None
    )
    columns["address"] = "postcode" if has_address else None
    if not any(columns[k] for k in ("bag_vbo_id", "vhe_id", "address")):
        ways = "bag_vbo_id, " + ("vhe_id, " if unit_ids else "")
        raise InputError(
            f"no column that says which dwelling a row is about; expected {ways}or postcode "
            f"with huisnummer (or adres); found {', '.join(map(repr, table.frame.columns))}",
            path=str(table.path),
            row=1,
            field="postcode" if columns["postcode"] is None else "huisnummer",
        )
    return columns


def _by_vbo_id(
    table: CsvTable, columns: dict[str, str | None], todo: pd.Series, **context: object
) -> tuple[pd.Series, pd.Series, None]:
    dwellings = context["dwellings"]
    assert isinstance(dwellings, pd.DataFrame)
    text = _text(table.frame[str(columns["bag_vbo_id"])], table.frame.index)
    # spreadsheets drop the leading zero of gemeente codes such as 0363
    text = text.where(~text.str.fullmatch(r"\d{12,15}").fillna(False), text.str.zfill(16))
    known = text.isin(set(dwellings["dwelling_id"].astype(str))).fillna(False)
    found = text.where(known & todo)
    why = pd.Series(pd.NA, index=text.index, dtype="string")
    why[(text.notna() & ~known).fillna(False)] = VBO_NOT_IN_BAG
    return found.astype("string"), why, None


def _by_unit_id(
    table: CsvTable, columns: dict[str, str | None], todo: pd.Series, **context: object
) -> tuple[pd.Series, pd.Series, None]:
    stock = context["stock"]
    text = _text(table.frame[str(columns["vhe_id"])], table.frame.index)
    needed = (todo & text.notna()).to_numpy()
    if needed.any() and (not isinstance(stock, pd.DataFrame) or stock.empty):
        if columns["address"] is None:
            raise InputError(
                "rows name their unit by vhe_id only, but no stock has been imported; import "
                "the stock file first (veerkracht import stock PATH)",
                path=str(table.path),
                row=table.row_number(int(np.flatnonzero(needed)[0])),
                field=str(columns["vhe_id"]),
            )
        nothing = pd.Series(pd.NA, index=text.index, dtype="string")
        return nothing, nothing, None
    assert isinstance(stock, pd.DataFrame)
    lookup = stock.dropna(subset=["unit_id"]).drop_duplicates("unit_id")
    units = pd.Series(lookup["dwelling_id"].to_numpy(), index=lookup["unit_id"].astype(str))
    found = text.map(units).astype("string")
    why = pd.Series(pd.NA, index=text.index, dtype="string")
    why[text.notna() & found.isna()] = NOT_IN_STOCK
    return found, why, None


def _by_address(
    table: CsvTable, columns: dict[str, str | None], todo: pd.Series, **context: object
) -> tuple[pd.Series, pd.Series, pd.Series]:
    dwellings = context["dwellings"]
    assert isinstance(dwellings, pd.DataFrame)
    frame = _address_frame(table, columns)
    given = pd.concat([frame[c].astype("string") for c in ("postcode", "house_number")], axis=1)
    attempted = todo & (given.fillna("").ne("")).any(axis=1)
    ids, reasons, swapped = match_with_swaps(frame[attempted], dwellings)
    return (
        ids.reindex(frame.index).astype("string"),
        reasons.reindex(frame.index).astype("string"),
        swapped.reindex(frame.index, fill_value=False),
    )


def _address_frame(table: CsvTable, columns: dict[str, str | None]) -> pd.DataFrame:
    """Raw address parts per row; an unreadable huisnummer raises InputError."""
    frame = table.frame
    get = {k: frame[v] if (v := columns.get(k)) else None for k in ADDRESS_COLUMNS}
    if get["huisnummer"] is None:
        parsed = split_designation(frame[str(columns["adres"])].astype("string"))
        return parsed.assign(postcode=get["postcode"])
    raw = get["huisnummer"].astype("string").str.replace(r"\.0+$", "", regex=True)
    parsed = split_designation(raw.str.strip(), street_first=False)
    bad = bad_house_numbers(raw, parsed["house_number"]).to_numpy()
    if bad.any():
        position = int(np.flatnonzero(bad)[0])
        raise InputError(
            f'"{raw.iloc[position]}" is not a house number; expected a number such as 12 (or '
            "12A-1 when huisletter and toevoeging are not separate columns)",
            path=str(table.path),
            row=table.row_number(position),
            field=str(columns["huisnummer"]),
        )
    return pd.DataFrame(
        {
            "postcode": get["postcode"],
            "house_number": raw,
            "house_letter": get["huisletter"],
            "house_suffix": get["toevoeging"],
        },
        index=frame.index,
    )


def _examples(
    table: CsvTable, columns: dict[str, str | None], reasons: pd.Series
) -> list[dict[str, object]]:
    shown = [
        c
        for c in (columns["bag_vbo_id"], columns["vhe_id"], columns["postcode"])
        + (columns["huisnummer"], columns["huisletter"], columns["toevoeging"], columns["adres"])
        if c is not None
    ]
    positions = np.flatnonzero(reasons.notna().to_numpy())[:EXAMPLES]
    examples: list[dict[str, object]] = []
    for position in positions:
        values = table.frame.iloc[int(position)]
        given = " ".join(f"{c}={values[c]}" for c in shown if str(values[c]).strip())
        examples.append(
            {
                "row": table.row_number(int(position)),
                "reason": str(reasons.iloc[int(position)]),
                "given": given,
            }
        )
    return examples
