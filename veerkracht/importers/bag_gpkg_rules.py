"""Which GeoPackage address features are dwellings, and what the user must be told about it.

A PDOK ``verblijfsobject`` layer carries the verblijfsobject status and gebruiksdoel; the
OGC-API-style layout carries only the nummeraanduiding status (``Naamgeving uitgegeven``) and no
gebruiksdoel, so there every current address is kept as a dwelling-or-premises.
"""

from __future__ import annotations

import pandas as pd
import shapely

from veerkracht.importers.bag_status import DWELLING_IN_USE, DWELLING_PURPOSE
from veerkracht.importers.base import ImportReport

#: Nummeraanduiding statuses: they say whether the address is issued, not whether a dwelling exists.
ADDRESS_WITHDRAWN = "Naamgeving ingetrokken"
_ADDRESS_ID_TYPE = "20"


def keep_addresses(batch: pd.DataFrame, report: ImportReport) -> pd.DataFrame:
    """The rows of one batch that are current dwellings (as far as the layer can tell)."""
    keep = pd.Series(True, index=batch.index)
    rules = (
        ("ended (end date set)", _ended),
        ("not a verblijfsobject (type)", _other_type),
        ("not a dwelling (no woonfunctie)", _not_dwelling),
        ("status not in use", _not_in_use),
        (f"address withdrawn ({ADDRESS_WITHDRAWN})", _withdrawn),
        ("no geometry", _no_geometry),
    )
    for reason, rule in rules:
        hit = keep & rule(batch)
        report.skip(reason, int(hit.sum()))
        keep &= ~hit
    return batch[keep]


def note_address_limits(
    columns: set[str], ids: pd.Series, report: ImportReport, *, layer: str
) -> None:
    """Plain sentences on what this layout cannot tell."""
    kept = len(ids)
    if "purpose" not in columns:
        report.notes.append(
            f"no gebruiksdoel: all {kept:,} addresses kept as dwellings-or-premises"
        )
    statuses = report.counts.get("address_status", {})
    if "status" not in columns or not any("erblijfsobject" in s for s in statuses):
        report.notes.append(
            f'layer "{layer}" has no verblijfsobject status (found: '
            f"{', '.join(statuses) or 'none'}): addresses are not filtered on being in use"
        )
    if "building_id" not in columns:
        report.notes.append("no pand id: dwellings are not linked to buildings")
    # A BAG id is gemeente code (4) + object type (2) + number (10); type 20 is a nummeraanduiding.
    address_ids = int((ids.astype("string").str.slice(4, 6) == _ADDRESS_ID_TYPE).sum())
    if address_ids:
        report.notes.append(
            f"{address_ids:,} dwelling ids are nummeraanduiding (address) ids, as this layout "
            "gives them, not verblijfsobject ids"
        )


def _text(batch: pd.DataFrame, column: str) -> pd.Series:
    if column not in batch:
        return pd.Series(pd.NA, index=batch.index, dtype="string")
    return batch[column].astype("string").str.strip()


def _ended(batch: pd.DataFrame) -> pd.Series:
    return _text(batch, "end_date").fillna("") != ""


def _other_type(batch: pd.DataFrame) -> pd.Series:
    kind = _text(batch, "object_type").str.lower()
    return kind.notna() & (kind != "verblijfsobject")


def _not_dwelling(batch: pd.DataFrame) -> pd.Series:
    if "purpose" not in batch:
        return pd.Series(False, index=batch.index)
    purposes = _text(batch, "purpose").str.lower().str.replace(r"\s*,\s*", ",", regex=True)
    return ~purposes.str.contains(f"(?:^|,){DWELLING_PURPOSE}(?:,|$)").fillna(False)


def _not_in_use(batch: pd.DataFrame) -> pd.Series:
    status = _text(batch, "status")
    about_vbo = status.str.lower().str.contains("verblijfsobject", regex=False).fillna(False)
    return about_vbo & ~status.isin(DWELLING_IN_USE)


def _withdrawn(batch: pd.DataFrame) -> pd.Series:
    return (_text(batch, "status") == ADDRESS_WITHDRAWN).fillna(False)


def _no_geometry(batch: pd.DataFrame) -> pd.Series:
    geometry = batch["geometry"].to_numpy()
    return pd.Series(pd.isna(geometry) | shapely.is_empty(geometry), index=batch.index)
