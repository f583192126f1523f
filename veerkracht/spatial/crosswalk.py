"""Codes over time: match the areas of one year to those of another, and carry figures across.

Buurt codes change (Amsterdam renumbered all buurten in 2022), so figures of other years are
joined through geometry: :func:`build_crosswalk` overlays the old and new polygons and lists, per
old code, the new codes it overlaps with the shares of both areas. When the old year has no
polygons, :func:`crosswalk_by_name` is the reported fallback (same code, else the same normalised
name within the same municipality). :func:`carry_statistics` moves long ``area_statistics`` rows
from old codes to new ones: counts area-weighted, rates from the dominant old unit (flagged).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

#: Both shares above this: the same area (digitisation noise aside).
SAME_SHARE = 0.95
#: Overlaps below this share of both areas are boundary slivers, not matches.
SLIVER_SHARE = 0.01

CROSSWALK_COLUMNS = (
    "old_code",
    "new_code",
    "overlap_m2",
    "share_of_old",
    "share_of_new",
    "match",
    "method",
)
#: match: same_code | same_geometry | split | merged | partial | same_name | unmatched
#: method: geometry | code | name | unmatched


def build_crosswalk(
    old_areas: gpd.GeoDataFrame,
    new_areas: gpd.GeoDataFrame,
    *,
    same_share: float = SAME_SHARE,
    sliver_share: float = SLIVER_SHARE,
) -> pd.DataFrame:
    """Per old code, the new codes it overlaps, by area, with a ``match`` label.

    Both frames need ``code`` and polygon geometry in one projected CRS (EPSG:28992); ``new_areas``
    is reprojected to ``old_areas``' CRS when they differ. ``share_of_old`` is the overlap as a
    share of the old area, ``share_of_new`` of the new area. Labels per pair: ``same_code`` (same
    code, both shares > ``same_share``), ``same_geometry`` (both shares > ``same_share``),
    ``split`` (the new area lies within the old one), ``merged`` (the old area lies within the new
    one), ``partial`` (otherwise). Old codes without overlap get one ``unmatched`` row.
    """
    old, new = _check_areas(old_areas, "old_areas"), _check_areas(new_areas, "new_areas")
    if new.crs != old.crs:
        new = new.to_crs(old.crs)
    pairs = _overlaps(old, new)
    pairs = pairs[(pairs["share_of_old"] >= sliver_share) | (pairs["share_of_new"] >= sliver_share)]
    pairs = pairs.assign(match=_labels(pairs, same_share), method="geometry")
    return _with_unmatched(pairs, old["code"])


def crosswalk_by_name(
    old_names: pd.DataFrame,
    new_areas: pd.DataFrame,
) -> pd.DataFrame:
    """Match old codes to new ones by code, else by normalised name within one municipality.

    The fallback when the old year has no polygons. ``old_names`` and ``new_areas`` need ``code``
    and ``name`` (``new_areas`` may be a GeoDataFrame). Names are compared without case, accents,
    punctuation and spaces ("Haarlemmerbuurt West" = "Haarlemmerbuurt-West"), only between codes
    of the same municipality (digits 3–6 of the code). An old name that fits several new areas
    stays ``unmatched``. Shares are unknown (NA); ``check`` says, when the new areas have polygons,
    whether the new matches of one old wijk form one contiguous area (``contiguous``) or not
    (``scattered``) — a plausibility check, not a containment proof.
    """
    old = pd.DataFrame({"code": _strip(old_names["code"]), "name": old_names["name"]})
    new = pd.DataFrame({"code": _strip(new_areas["code"]), "name": new_areas["name"]})
    same_code = old["code"].isin(set(new["code"]))
    rows = [_pair(code, code, "same_code", "code") for code in old.loc[same_code, "code"]]
    old["key"] = old["code"].str[2:6] + "|" + old["name"].map(normalise_name)
    new["key"] = new["code"].str[2:6] + "|" + new["name"].map(normalise_name)
    unique_new = new.drop_duplicates("key", keep=False).set_index("key")["code"]
    for code, key in old.loc[~same_code, ["code", "key"]].itertuples(index=False):
        if key in unique_new.index:
            rows.append(_pair(code, unique_new[key], "same_name", "name"))
    frame = pd.DataFrame(rows, columns=list(CROSSWALK_COLUMNS))
    frame = _with_unmatched(frame, old["code"])
    if isinstance(new_areas, gpd.GeoDataFrame):
        frame["check"] = _wijk_contiguity(frame, new_areas)
    return frame


def carry_statistics(
    statistics: pd.DataFrame,
    crosswalk: pd.DataFrame,
    *,
    counts: Collection[str] = (),
) -> pd.DataFrame:
    """``area_statistics`` rows keyed by old codes, re-keyed to the new codes of ``crosswalk``.

    Variables named in ``counts`` are extensive (people, dwellings): a new area gets the sum of
    old values times ``share_of_old``. All others are rates or averages: a new area gets the value
    of its dominant old unit (largest ``share_of_new``). Extra columns say how: ``from_codes``,
    ``carried_by`` (``same_area``, ``area_weighted``, ``within_old_unit``, ``dominant_unit``,
    ``name``, ``code``) and
    ``approximate`` (True unless the new area is the old one). A missing contributor makes the
    result missing, with the contributor's reason.
    """
    links = crosswalk[crosswalk["new_code"].notna()].copy()
    links = links.assign(
        share_of_old=links["share_of_old"].astype("Float64").fillna(1.0),
        share_of_new=links["share_of_new"].astype("Float64").fillna(1.0),
    )
    joined = statistics.merge(links, left_on="code", right_on="old_code", how="inner")
    if joined.empty:
        return _carried(joined.assign(carried_by=pd.Series(dtype="string")))
    is_count = joined["variable"].isin(set(counts))
    parts = [
        _carry_counts(joined[is_count]),
        _carry_rates(joined[~is_count]),
    ]
    return _carried(pd.concat([p for p in parts if len(p)], ignore_index=True))


def join_by_geometry(
    statistics: pd.DataFrame,
    old_areas: gpd.GeoDataFrame,
    new_areas: gpd.GeoDataFrame,
    *,
    counts: Collection[str] = (),
) -> pd.DataFrame:
    """Carry ``statistics`` keyed by ``old_areas``' codes onto ``new_areas`` through geometry."""
    return carry_statistics(statistics, build_crosswalk(old_areas, new_areas), counts=counts)


def summarise_crosswalk(crosswalk: pd.DataFrame) -> dict[str, dict[str, int]]:
    """Old codes per method and per match label (an old code counts once per label it has)."""
    per_old = crosswalk.drop_duplicates(["old_code", "method"])
    by_match = crosswalk.drop_duplicates(["old_code", "match"])
    return {
        "old codes by method": {
            str(k): int(v) for k, v in per_old["method"].value_counts().items()
        },
        "old codes by match": {str(k): int(v) for k, v in by_match["match"].value_counts().items()},
    }


def normalise_name(name: object) -> str:
    """Lower case without accents, punctuation or spaces; "e.o." and "en omgeving" dropped."""
    if name is None or (isinstance(name, float) and np.isnan(name)) or name is pd.NA:
        return ""
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode()
    text = re.sub(r"\b(e\.?\s?o\.?|en omgeving)$", "", text.casefold().strip())
    return re.sub(r"[^a-z0-9]+", "", text)


# --- steps -------------------------------------------------------------------------------------


def _check_areas(areas: gpd.GeoDataFrame, name: str) -> gpd.GeoDataFrame:
    if not isinstance(areas, gpd.GeoDataFrame) or "code" not in areas.columns:
        raise ValueError(f"{name} must be a GeoDataFrame with a 'code' column")
    if areas.crs is None or areas.crs.is_geographic:
        raise ValueError(f"{name} must be in a projected CRS (EPSG:28992), not {areas.crs}")
    valid = areas.geometry.notna() & ~areas.geometry.is_empty
    out = gpd.GeoDataFrame(
        {"code": _strip(areas["code"])[valid].to_numpy()},
        geometry=shapely.make_valid(areas.geometry[valid].to_numpy()),
        crs=areas.crs,
    )
    return out.dissolve(by="code", as_index=False) if out["code"].duplicated().any() else out


def _overlaps(old: gpd.GeoDataFrame, new: gpd.GeoDataFrame) -> pd.DataFrame:
    left, right = new.sindex.query(old.geometry, predicate="intersects")
    old_geoms = old.geometry.to_numpy()[left]
    new_geoms = new.geometry.to_numpy()[right]
    overlap = shapely.area(shapely.intersection(old_geoms, new_geoms))
    with np.errstate(divide="ignore", invalid="ignore"):
        share_old = overlap / shapely.area(old_geoms)
        share_new = overlap / shapely.area(new_geoms)
    frame = pd.DataFrame(
        {
            "old_code": old["code"].to_numpy()[left],
            "new_code": new["code"].to_numpy()[right],
            "overlap_m2": overlap,
            "share_of_old": np.nan_to_num(share_old),
            "share_of_new": np.nan_to_num(share_new),
        }
    )
    return frame[frame["overlap_m2"] > 0].sort_values(
        ["old_code", "overlap_m2"], ascending=[True, False]
    )


def _labels(pairs: pd.DataFrame, same_share: float) -> np.ndarray:
    within_old = pairs["share_of_new"].to_numpy() > same_share
    within_new = pairs["share_of_old"].to_numpy() > same_share
    same_code = (pairs["old_code"] == pairs["new_code"]).to_numpy()
    return np.select(
        [within_old & within_new & same_code, within_old & within_new, within_old, within_new],
        ["same_code", "same_geometry", "split", "merged"],
        default="partial",
    )


def _with_unmatched(pairs: pd.DataFrame, old_codes: pd.Series) -> pd.DataFrame:
    missing = sorted(set(old_codes) - set(pairs["old_code"]))
    extra = pd.DataFrame([_pair(code, None, "unmatched", "unmatched") for code in missing])
    frame = pd.concat([pairs, extra], ignore_index=True) if missing else pairs
    frame = frame.reset_index(drop=True)[list(CROSSWALK_COLUMNS)]
    return frame.astype(
        {
            "old_code": "string",
            "new_code": "string",
            "overlap_m2": "Float64",
            "share_of_old": "Float64",
            "share_of_new": "Float64",
            "match": "string",
            "method": "string",
        }
    )


def _pair(old: str, new: str | None, match: str, method: str) -> dict[str, object]:
    return {
        "old_code": old,
        "new_code": new,
        "overlap_m2": None,
        "share_of_old": None,
        "share_of_new": None,
        "match": match,
        "method": method,
    }


def _strip(codes: pd.Series) -> pd.Series:
    return codes.astype("string").str.strip()


def _wijk_contiguity(crosswalk: pd.DataFrame, new_areas: gpd.GeoDataFrame) -> pd.Series:
    """Per row: do the new matches of the old code's wijk (BU digits 3–8) touch each other?"""
    geometry = new_areas.set_index(_strip(new_areas["code"])).geometry
    matched = crosswalk["new_code"].notna() & crosswalk["old_code"].str.startswith("BU")
    wijk = crosswalk["old_code"].str[2:8]
    result = pd.Series(pd.NA, index=crosswalk.index, dtype="string")
    for _, group in crosswalk[matched].groupby(wijk[matched]):
        if len(group) < 2:
            continue
        union = shapely.union_all(shapely.buffer(geometry.loc[group["new_code"]].to_numpy(), 1.0))
        parts = len(getattr(union, "geoms", [union]))
        result[group.index] = "contiguous" if parts == 1 else "scattered"
    return result


def _carry_counts(joined: pd.DataFrame) -> pd.DataFrame:
    if joined.empty:
        return joined
    weighted = joined.assign(part=joined["value"] * joined["share_of_old"])
    keys = ["level", "new_code", "year", "variable", "source"]
    grouped = weighted.sort_values("share_of_new", ascending=False).groupby(keys, sort=False)
    out = grouped.agg(
        value=("part", lambda s: s.sum() if s.notna().all() else pd.NA),
        missing_reason=("missing_reason", "first"),
        from_codes=("old_code", lambda s: ",".join(sorted(s))),
        n_old=("old_code", "size"),
        match=("match", "first"),
        method=("method", "first"),
        share_of_new=("share_of_new", "max"),
        share_of_old=("share_of_old", "max"),
    ).reset_index()
    first_missing = (
        weighted[weighted["value"].isna()]
        .sort_values("share_of_new", ascending=False)
        .groupby(keys, sort=False)["missing_reason"]
        .first()
    )
    out = out.set_index(keys)
    out["missing_reason"] = first_missing.reindex(out.index).astype("string")
    out = out.reset_index()
    exact = (
        (out["n_old"] == 1)
        & (out["share_of_old"] > SAME_SHARE)
        & (out["share_of_new"] > SAME_SHARE)
    )
    out["carried_by"] = np.where(exact, "same_area", "area_weighted")
    return _by_method(out)


def _carry_rates(joined: pd.DataFrame) -> pd.DataFrame:
    if joined.empty:
        return joined
    keys = ["level", "new_code", "year", "variable", "source"]
    ranked = joined.sort_values(["share_of_new", "old_code"], ascending=[False, True])
    out = (
        ranked.groupby(keys, sort=False)
        .agg(
            value=("value", "first"),
            missing_reason=("missing_reason", "first"),
            from_codes=("old_code", "first"),
            share_of_new=("share_of_new", "first"),
            share_of_old=("share_of_old", "first"),
            match=("match", "first"),
            method=("method", "first"),
        )
        .reset_index()
    )
    within_old = out["share_of_new"] > SAME_SHARE
    exact = within_old & (out["share_of_old"] > SAME_SHARE)
    out["carried_by"] = np.select(
        [exact, within_old], ["same_area", "within_old_unit"], default="dominant_unit"
    )
    return _by_method(out)


def _by_method(out: pd.DataFrame) -> pd.DataFrame:
    non_geometric = out["method"].isin(["name", "code"])
    out["carried_by"] = out["carried_by"].where(~non_geometric, out["method"])
    return out


def _carried(frame: pd.DataFrame) -> pd.DataFrame:
    columns = {
        "level": "string",
        "code": "string",
        "year": "Int64",
        "variable": "string",
        "value": "Float64",
        "missing_reason": "string",
        "source": "string",
        "from_codes": "string",
        "carried_by": "string",
        "approximate": "boolean",
    }
    if frame.empty:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in columns.items()})
    frame = frame.rename(columns={"new_code": "code"})
    frame["approximate"] = ~frame["carried_by"].isin(["same_area", "code"])
    return frame[list(columns)].astype(columns).reset_index(drop=True)
