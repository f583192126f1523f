"""Initiatives, their supporters, updates, linked assets and neighbourhood budgets.

Only this module speaks SQL about them. Who may see what is decided in
``veerkracht.community``; readers here return whole rows. A state change is a conditional
UPDATE (``WHERE status = expected``) with its history rows in the same transaction, so two
concurrent changes cannot both win. Updates are appended, never changed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, func, select, update
from sqlalchemy.exc import IntegrityError

from veerkracht.storage import tables as t
from veerkracht.storage.engine import Store

I = t.initiatives  # noqa: E741 - the table's short name, like S and H in storage.signals
SUP = t.initiative_supporters
UPD = t.initiative_updates
LINKS = t.initiative_assets
BUDGETS = t.neighbourhood_budgets
REQUESTS = t.budget_requests


class StaleInitiative(Exception):
    """The initiative or request changed (or vanished) between reading and writing."""


# ---- initiatives ----------------------------------------------------------------------------


def insert_initiative(store: Store, row: dict[str, Any], history: Sequence[dict[str, Any]]) -> bool:
    """Store a new initiative with its first updates; False when its owner link exists already."""
    with store.engine.begin() as conn:
        known = conn.execute(
            select(I.c.initiative_id).where(I.c.owner_hash == row["owner_hash"])
        ).first()
        if known is not None:
            return False
        conn.execute(I.insert().values(**row))
        _append(conn, row["initiative_id"], history)
    return True


def read_initiative(store: Store, initiative_id: str) -> dict[str, Any] | None:
    """One initiative row, or None."""
    with store.engine.connect() as conn:
        row = conn.execute(select(I).where(I.c.initiative_id == initiative_id)).mappings().first()
    return None if row is None else dict(row)


def read_initiative_by_owner(store: Store, owner_hash: str) -> dict[str, Any] | None:
    """The initiative whose owner link has this hash, or None."""
    with store.engine.connect() as conn:
        row = conn.execute(select(I).where(I.c.owner_hash == owner_hash)).mappings().first()
    return None if row is None else dict(row)


def read_initiatives(
    store: Store,
    *,
    block_key: str | None = None,
    street_key: str | None = None,
    neighbourhood_codes: Iterable[str] | None = None,
    statuses: Iterable[str] | None = None,
) -> list[dict[str, Any]]:
    """Initiatives newest first; the filters combine with AND (any approval state)."""
    query = select(I)
    if block_key is not None:
        query = query.where(I.c.block_key == block_key)
    if street_key is not None:
        query = query.where(I.c.street_key == street_key)
    if neighbourhood_codes is not None:
        query = query.where(I.c.neighbourhood_code.in_(sorted(set(neighbourhood_codes))))
    if statuses is not None:
        query = query.where(I.c.status.in_(sorted(set(statuses))))
    query = query.order_by(I.c.created_at.desc(), I.c.initiative_id)
    with store.engine.connect() as conn:
        return [dict(r) for r in conn.execute(query).mappings()]


def change_initiative(
    store: Store,
    initiative_id: str,
    *,
    expected_status: str,
    values: dict[str, Any],
    history: Sequence[dict[str, Any]] = (),
    expected_approved: bool | None = None,
) -> None:
    """Apply ``values`` while the initiative still has ``expected_status`` (and approval).

    One transaction with the appended ``history``; StaleInitiative when another change won.
    """
    condition = and_(I.c.initiative_id == initiative_id, I.c.status == expected_status)
    if expected_approved is not None:
        condition = and_(condition, I.c.approved.is_(expected_approved))
    with store.engine.begin() as conn:
        done = conn.execute(update(I).where(condition).values(**values))
        if done.rowcount != 1:
            raise StaleInitiative(initiative_id)
        _append(conn, initiative_id, history)


def append_updates(store: Store, initiative_id: str, rows: Sequence[dict[str, Any]]) -> None:
    """Append updates (news, offers of support) without a change of state."""
    with store.engine.begin() as conn:
        _append(conn, initiative_id, rows)


def read_updates(
    store: Store, initiative_id: str, *, public_only: bool = False
) -> list[dict[str, Any]]:
    """Updates of one initiative, oldest first."""
    query = select(UPD).where(UPD.c.initiative_id == initiative_id)
    if public_only:
        query = query.where(UPD.c.public.is_(True))
    with store.engine.connect() as conn:
        return [dict(r) for r in conn.execute(query.order_by(UPD.c.update_id)).mappings()]


# ---- supporters -----------------------------------------------------------------------------


def insert_supporter(store: Store, row: dict[str, Any]) -> bool:
    """Add a supporter; False when this supporter link joined this initiative already."""
    try:
        with store.engine.begin() as conn:
            conn.execute(SUP.insert().values(**row))
    except IntegrityError:
        return False
    return True


def read_supporter(store: Store, supporter_hash: str) -> dict[str, Any] | None:
    """The supporter row of a supporter link, or None."""
    with store.engine.connect() as conn:
        row = (
            conn.execute(
                select(SUP)
                .where(SUP.c.supporter_hash == supporter_hash)
                .order_by(SUP.c.supporter_id)
            )
            .mappings()
            .first()
        )
    return None if row is None else dict(row)


def read_supporters(store: Store, initiative_id: str) -> list[dict[str, Any]]:
    """Current supporters (not withdrawn) of one initiative, first joined first."""
    query = (
        select(SUP)
        .where(SUP.c.initiative_id == initiative_id, SUP.c.withdrawn_at.is_(None))
        .order_by(SUP.c.supporter_id)
    )
    with store.engine.connect() as conn:
        return [dict(r) for r in conn.execute(query).mappings()]


def count_supporters(store: Store, initiative_ids: Iterable[str]) -> dict[str, int]:
    """Current supporters per initiative (0 for those without)."""
    ids = sorted(set(initiative_ids))
    out = dict.fromkeys(ids, 0)
    if not ids:
        return out
    query = (
        select(SUP.c.initiative_id, func.count())
        .where(SUP.c.initiative_id.in_(ids), SUP.c.withdrawn_at.is_(None))
        .group_by(SUP.c.initiative_id)
    )
    with store.engine.connect() as conn:
        out.update({r[0]: int(r[1]) for r in conn.execute(query)})
    return out


def withdraw_supporter(store: Store, supporter_id: int, *, now: datetime) -> bool:
    """Mark a supporter withdrawn; False when it was withdrawn already."""
    with store.engine.begin() as conn:
        done = conn.execute(
            update(SUP)
            .where(SUP.c.supporter_id == supporter_id, SUP.c.withdrawn_at.is_(None))
            .values(withdrawn_at=now)
        )
    return done.rowcount == 1


# ---- linked assets --------------------------------------------------------------------------


def link_asset(store: Store, initiative_id: str, asset_id: str, history: dict[str, Any]) -> bool:
    """Link an asset to an initiative; False when it was linked already."""
    try:
        with store.engine.begin() as conn:
            conn.execute(LINKS.insert().values(initiative_id=initiative_id, asset_id=asset_id))
            _append(conn, initiative_id, [history])
    except IntegrityError:
        return False
    return True


def unlink_asset(store: Store, initiative_id: str, asset_id: str, history: dict[str, Any]) -> bool:
    """Remove the link between an initiative and an asset; False when there was none."""
    with store.engine.begin() as conn:
        done = conn.execute(
            LINKS.delete().where(
                LINKS.c.initiative_id == initiative_id, LINKS.c.asset_id == asset_id
            )
        )
        if done.rowcount:
            _append(conn, initiative_id, [history])
    return bool(done.rowcount)


def read_linked_asset_ids(store: Store, initiative_id: str) -> list[str]:
    """Ids of the assets linked to an initiative."""
    query = select(LINKS.c.asset_id).where(LINKS.c.initiative_id == initiative_id)
    with store.engine.connect() as conn:
        return sorted(r[0] for r in conn.execute(query))


# ---- places ---------------------------------------------------------------------------------


def find_dwelling_places(store: Store, postcode: str, house_number: int) -> list[dict[str, Any]]:
    """Unit keys and points of the dwellings at this postcode and house number (the caller
    keeps only what it needs: an initiative keeps the keys, never the address)."""
    d = t.dwellings
    query = (
        select(
            d.c.block_key, d.c.street_key, d.c.neighbourhood_code, d.c.house_letter, d.c.x, d.c.y
        )
        .where(
            func.upper(func.replace(d.c.postcode, " ", "")) == postcode,
            d.c.house_number == house_number,
        )
        .order_by(d.c.dwelling_id)
    )
    with store.engine.connect() as conn:
        return [dict(r) for r in conn.execute(query).mappings()]


def read_unit_point(store: Store, level: str, key: str) -> dict[str, Any] | None:
    """A unit's name and label point (RD), or None when there is no such unit."""
    u = t.units
    query = select(u.c.name, u.c.x, u.c.y).where(u.c.level == level, u.c.key == key)
    with store.engine.connect() as conn:
        row = conn.execute(query).mappings().first()
    return None if row is None else dict(row)


def read_unit_names(store: Store, level: str, keys: Iterable[str]) -> dict[str, str]:
    """Names of units of one level by key."""
    wanted = sorted({k for k in keys if k})
    if not wanted:
        return {}
    u = t.units
    query = select(u.c.key, u.c.name).where(u.c.level == level, u.c.key.in_(wanted))
    with store.engine.connect() as conn:
        return {r[0]: r[1] for r in conn.execute(query)}


def read_unit_keys(store: Store, key_column: str, key: str) -> dict[str, Any]:
    """The most common block, street and buurt of the dwellings in one unit."""
    d = t.dwellings
    query = select(d.c.block_key, d.c.street_key, d.c.neighbourhood_code).where(
        d.c[key_column] == key
    )
    with store.engine.connect() as conn:
        rows = conn.execute(query).all()
    out: dict[str, Any] = {"dwellings": len(rows)}
    for i, name in enumerate(("block_key", "street_key", "neighbourhood_code")):
        counts = Counter(r[i] for r in rows if r[i])
        out[name] = min(counts, key=lambda k: (-counts[k], k)) if counts else None
    return out


def read_organisation_names(store: Store) -> dict[str, str]:
    """Names of the organisations of professionals (for offers of support)."""
    with store.engine.connect() as conn:
        rows = conn.execute(select(t.organisations.c.organisation_id, t.organisations.c.name))
        return {r[0]: r[1] for r in rows}


# ---- budgets --------------------------------------------------------------------------------


def insert_budget(store: Store, row: dict[str, Any]) -> bool:
    """Store a neighbourhood budget; False when its id exists already."""
    try:
        with store.engine.begin() as conn:
            conn.execute(BUDGETS.insert().values(**row))
    except IntegrityError:
        return False
    return True


def read_budgets(store: Store) -> list[dict[str, Any]]:
    """Every neighbourhood budget, newest year first, with ``granted`` (sum of grants so far)."""
    granted = _granted_subquery()
    query = (
        select(BUDGETS, func.coalesce(granted.c.granted, 0.0).label("granted"))
        .outerjoin(granted, granted.c.budget_id == BUDGETS.c.budget_id)
        .order_by(BUDGETS.c.year.desc(), BUDGETS.c.area_code, BUDGETS.c.budget_id)
    )
    with store.engine.connect() as conn:
        return [dict(r) for r in conn.execute(query).mappings()]


def read_budget(store: Store, budget_id: str) -> dict[str, Any] | None:
    """One budget with ``granted``, or None."""
    found = [b for b in read_budgets(store) if b["budget_id"] == budget_id]
    return found[0] if found else None


def insert_budget_request(
    store: Store, row: dict[str, Any], history: dict[str, Any], *, budget_amount: float
) -> int | None:
    """Store a request when the budget still holds the amount; its id, or None when it does not."""
    with store.engine.begin() as conn:
        _lock_budget(conn, row["budget_id"])
        if _granted(conn, row["budget_id"]) + row["amount_requested"] > budget_amount + 1e-9:
            return None
        result = conn.execute(REQUESTS.insert().values(**row))
        _append(conn, row["initiative_id"], [history])
        key = result.inserted_primary_key
    return int(key[0]) if key else None


def read_budget_requests(
    store: Store, *, initiative_id: str | None = None, budget_id: str | None = None
) -> list[dict[str, Any]]:
    """Requests for budget, oldest first, optionally of one initiative or one budget."""
    query = select(REQUESTS)
    if initiative_id is not None:
        query = query.where(REQUESTS.c.initiative_id == initiative_id)
    if budget_id is not None:
        query = query.where(REQUESTS.c.budget_id == budget_id)
    with store.engine.connect() as conn:
        return [dict(r) for r in conn.execute(query.order_by(REQUESTS.c.request_id)).mappings()]


def decide_budget_request(
    store: Store,
    request_id: int,
    *,
    values: dict[str, Any],
    history: dict[str, Any],
    budget_id: str,
    budget_amount: float,
) -> bool:
    """Record a decision on a pending request when the budget holds the grant (one transaction).

    StaleInitiative when the request was decided already; False when the grant does not fit.
    """
    with store.engine.begin() as conn:
        _lock_budget(conn, budget_id)
        if _granted(conn, budget_id) + (values.get("amount_granted") or 0.0) > budget_amount + 1e-9:
            return False
        done = conn.execute(
            update(REQUESTS)
            .where(REQUESTS.c.request_id == request_id, REQUESTS.c.decision == "pending")
            .values(**values)
        )
        if done.rowcount != 1:
            raise StaleInitiative(str(request_id))
        _append(conn, history["initiative_id"], [history])
    return True


# ---- helpers --------------------------------------------------------------------------------


def _append(conn: Connection, initiative_id: str, rows: Sequence[dict[str, Any]]) -> None:
    for row in rows:
        values = {k: v for k, v in row.items() if k != "initiative_id"}
        conn.execute(UPD.insert().values(initiative_id=initiative_id, **values))


def _granted_subquery() -> Any:
    return (
        select(REQUESTS.c.budget_id, func.sum(REQUESTS.c.amount_granted).label("granted"))
        .where(REQUESTS.c.decision.in_(["granted", "partly"]))
        .group_by(REQUESTS.c.budget_id)
        .subquery()
    )


def _granted(conn: Connection, budget_id: str) -> float:
    total = conn.execute(
        select(func.coalesce(func.sum(REQUESTS.c.amount_granted), 0.0)).where(
            REQUESTS.c.budget_id == budget_id, REQUESTS.c.decision.in_(["granted", "partly"])
        )
    ).scalar_one()
    return float(total or 0.0)


def _lock_budget(conn: Connection, budget_id: str) -> None:
    """Serialise writes on one budget: a no-op UPDATE takes the row lock (PostgreSQL) or the
    write lock (SQLite) before the sum of grants is read."""
    conn.execute(
        update(BUDGETS).where(BUDGETS.c.budget_id == budget_id).values(amount=BUDGETS.c.amount)
    )
