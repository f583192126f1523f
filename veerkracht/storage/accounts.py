"""Accounts, organisations, teams and routing rules: one transaction per public write."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, select, update
from sqlalchemy.exc import IntegrityError

from veerkracht.domain.accounts import Account, Role, parse_scope
from veerkracht.errors import InputError, NotFound
from veerkracht.storage import tables as t
from veerkracht.storage.engine import Store


def write_account(store: Store, account: Account, *, password_hash: str, now: datetime) -> None:
    """Add a new account; InputError when the username is taken."""
    try:
        with store.engine.begin() as conn:
            conn.execute(
                t.accounts.insert().values(
                    **_account_values(account), password_hash=password_hash, created_at=now
                )
            )
    except IntegrityError:
        raise InputError(
            f'username "{account.username}" already exists', field="username"
        ) from None


def write_password_hash(store: Store, username: str, password_hash: str) -> None:
    """Replace an account's password hash."""
    with store.engine.begin() as conn:
        done = conn.execute(
            update(t.accounts)
            .where(t.accounts.c.username == username)
            .values(password_hash=password_hash)
        )
    if done.rowcount == 0:
        raise NotFound(f'no account "{username}"')


def write_account_active(store: Store, username: str, *, active: bool) -> None:
    """Block or unblock an account (accounts are never deleted: the history names them)."""
    with store.engine.begin() as conn:
        done = conn.execute(
            update(t.accounts).where(t.accounts.c.username == username).values(active=active)
        )
    if done.rowcount == 0:
        raise NotFound(f'no account "{username}"')


def read_account(store: Store, username: str) -> tuple[Account, str] | None:
    """An account and its password hash, or None."""
    with store.engine.connect() as conn:
        row = conn.execute(select(t.accounts).where(t.accounts.c.username == username)).first()
    if row is None:
        return None
    return _account(row._mapping), str(row.password_hash)


def read_accounts(store: Store) -> list[Account]:
    """Every account, sorted by username."""
    with store.engine.connect() as conn:
        rows = conn.execute(select(t.accounts).order_by(t.accounts.c.username)).all()
    return [_account(r._mapping) for r in rows]


def write_organisation(store: Store, organisation_id: str, name: str) -> None:
    """Add or rename an organisation."""
    with store.engine.begin() as conn:
        _upsert(conn, t.organisations, "organisation_id", organisation_id, {"name": name})


def write_team(store: Store, team_id: str, name: str, *, organisation_id: str | None) -> None:
    """Add or rename a team."""
    with store.engine.begin() as conn:
        _upsert(
            conn, t.teams, "team_id", team_id, {"name": name, "organisation_id": organisation_id}
        )


def read_teams(store: Store) -> dict[str, str]:
    """Team id → team name."""
    with store.engine.connect() as conn:
        rows = conn.execute(select(t.teams.c.team_id, t.teams.c.name)).all()
    return {r.team_id: r.name for r in rows}


def write_routing_rules(store: Store, rules: list[dict[str, Any]]) -> int:
    """Replace all routing rules by ``rules`` (in order; positions are assigned here)."""
    with store.engine.begin() as conn:
        conn.execute(delete(t.routing_rules))
        for position, rule in enumerate(rules, start=1):
            conn.execute(
                t.routing_rules.insert().values(
                    position=position,
                    category=rule.get("category"),
                    area_code=rule.get("area_code"),
                    from_hour=rule.get("from_hour"),
                    to_hour=rule.get("to_hour"),
                    team_id=rule["team_id"],
                    assignee=rule.get("assignee"),
                )
            )
    return len(rules)


def read_routing_rules(store: Store) -> list[dict[str, Any]]:
    """Routing rules in evaluation order."""
    with store.engine.connect() as conn:
        rows = conn.execute(select(t.routing_rules).order_by(t.routing_rules.c.position)).all()
    return [dict(r._mapping) for r in rows]


def _upsert(conn: Connection, table: Any, key: str, value: str, values: dict[str, Any]) -> None:
    done = conn.execute(update(table).where(table.c[key] == value).values(**values))
    if done.rowcount == 0:
        conn.execute(table.insert().values(**{key: value}, **values))


def _account_values(account: Account) -> dict[str, Any]:
    return {
        "username": account.username,
        "role": account.role.value,
        "display_name": account.display_name,
        "team_id": account.team_id,
        "organisation_id": account.organisation_id,
        "profession": account.profession,
        "email": account.email,
        "scope": ",".join(sorted(account.scope)),
        "active": account.active,
    }


def _account(row: Any) -> Account:
    return Account(
        username=row["username"],
        role=Role(row["role"]),
        display_name=row["display_name"],
        team_id=row["team_id"],
        organisation_id=row["organisation_id"],
        profession=row["profession"],
        email=row["email"],
        scope=parse_scope(row["scope"]),
        active=bool(row["active"]),
    )
