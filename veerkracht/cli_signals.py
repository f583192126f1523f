"""Commands for accounts, retention and signal exports: `users`, `maintenance`, `signals`."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import click
from rich.table import Table

from veerkracht.cli_common import console, handle_errors, make_settings, workspace_option
from veerkracht.domain.accounts import Account, Role, parse_scope
from veerkracht.errors import InputError, UsageError
from veerkracht.pipeline import store_for
from veerkracht.signals.accounts import add_account
from veerkracht.signals.passwords import hash_password
from veerkracht.signals.retention import run_maintenance
from veerkracht.signals.service import export_csv, export_geojson, exportable
from veerkracht.signals.settings import SignalSettings
from veerkracht.storage import accounts as account_store


@click.group()
def users() -> None:
    """Accounts of professionals, analysts and administrators."""


@users.command("add")
@workspace_option
@click.argument("username")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--name", "display_name", default=None, help="Name shown in the app.")
@click.option("--team", default=None, help="Team id (must exist), e.g. wijkteam-west.")
@click.option("--organisation", default=None, help="Organisation id.")
@click.option("--profession", default=None, help="e.g. welzijnswerker, wijkagent.")
@click.option("--scope", default="", help="Comma-separated BU/WK/GM codes; empty = everywhere.")
@click.option("--email", default=None)
@click.option(
    "--password-file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help="Read the password from this file (first line) instead of asking for it.",
)
@handle_errors
def users_add(
    workspace: Path | None,
    username: str,
    role: str,
    display_name: str | None,
    team: str | None,
    organisation: str | None,
    profession: str | None,
    scope: str,
    email: str | None,
    password_file: Path | None,
) -> None:
    """Add an account; the password is asked for (twice) unless --password-file is given.

    Example: veerkracht users add beheer --role admin
    """
    password = _password(password_file)
    try:
        codes = parse_scope(scope)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    account = Account(
        username=username,
        role=Role(role),
        display_name=display_name or username,
        team_id=team,
        organisation_id=organisation,
        profession=profession,
        email=email,
        scope=codes,
    )
    store = store_for(make_settings(workspace))
    try:
        add_account(store, account, password, now=_now())
    finally:
        store.dispose()
    console.print(f"account [bold]{username}[/] added (role {role})")


@users.command("list")
@workspace_option
@handle_errors
def users_list(workspace: Path | None) -> None:
    """List the accounts (never their passwords)."""
    store = store_for(make_settings(workspace))
    try:
        accounts = account_store.read_accounts(store)
    finally:
        store.dispose()
    table = Table("username", "role", "team", "scope", "active")
    for a in accounts:
        table.add_row(
            a.username, a.role.value, a.team_id or "", ",".join(sorted(a.scope)), str(a.active)
        )
    console.print(table)
    console.print(f"{len(accounts)} accounts")


@users.command("password")
@workspace_option
@click.argument("username")
@click.option(
    "--password-file", type=click.Path(dir_okay=False, exists=True, path_type=Path), default=None
)
@handle_errors
def users_password(workspace: Path | None, username: str, password_file: Path | None) -> None:
    """Set a new password for an account."""
    password = _password(password_file)
    store = store_for(make_settings(workspace))
    try:
        account_store.write_password_hash(store, username, hash_password(password))
    finally:
        store.dispose()
    console.print(f"password of [bold]{username}[/] changed")


@click.command()
@workspace_option
@click.option(
    "--now", "now_text", default=None, help="Act as if it is this moment (ISO), for checks."
)
@handle_errors
def maintenance(workspace: Path | None, now_text: str | None) -> None:
    """Apply the retention periods: remove old contact details, delete old person worries.

    Run it daily (cron or a systemd timer). Example: veerkracht maintenance
    """
    settings = make_settings(workspace)
    config = SignalSettings()
    now = datetime.fromisoformat(now_text) if now_text else _now()
    store = store_for(settings)
    try:
        report = run_maintenance(store, config, workspace=settings.workspace, now=now)
    finally:
        store.dispose()
    console.print(
        f"contact details removed from {report.contacts_removed} signals "
        f"(closed more than {config.signal_contact_days} days ago)"
    )
    console.print(
        f"{report.person_signals_deleted} worries about a person deleted with a tombstone "
        f"(closed more than {config.signal_person_days} days ago); "
        f"{report.photos_deleted} photos removed"
    )


@click.group()
def signals() -> None:
    """Signals: export."""


@signals.command("export")
@workspace_option
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "geojson"]), default="csv", show_default=True
)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--user", default=None, help="Export only what this account may see.")
@handle_errors
def signals_export(workspace: Path | None, fmt: str, out: Path, user: str | None) -> None:
    """Write the non-sensitive signals (no contact details, never a worry about a person).

    Example: veerkracht signals export --format geojson --out signalen.geojson
    """
    store = store_for(make_settings(workspace))
    try:
        account = None
        if user is not None:
            found = account_store.read_account(store, user)
            if found is None:
                raise InputError(f'no account "{user}"', field="--user")
            account = found[0]
        rows = exportable(store, account)
    finally:
        store.dispose()
    text = (
        export_csv(rows) if fmt == "csv" else json.dumps(export_geojson(rows), ensure_ascii=False)
    )
    out.write_text(text, encoding="utf-8")
    console.print(f"wrote {len(rows)} signals to {out}")


def _password(path: Path | None) -> str:
    if path is not None:
        lines = path.read_text(encoding="utf-8").splitlines()
        return lines[0] if lines else ""
    return str(click.prompt("Password", hide_input=True, confirmation_prompt=True))


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


COMMANDS: list[click.Command] = [users, maintenance, signals]
