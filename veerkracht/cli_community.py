"""Commands for the assets of a neighbourhood: `veerkracht assets list|approve|reject|withdraw|
confirm|retire|stale`. Places are imported with `veerkracht import places PATH`.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import click
from rich.table import Table

from veerkracht.assessment.disclosure import Viewer
from veerkracht.cli_common import console, handle_errors, make_settings, workspace_option
from veerkracht.community import views
from veerkracht.community.assets import change_asset, command_line, is_stale
from veerkracht.community.audience import ItemStatus, Onlooker
from veerkracht.community.rules import AssetAction, status_of
from veerkracht.errors import UsageError
from veerkracht.pipeline import store_for

by_option = click.option(
    "--by", default="cli", show_default=True, help="Name recorded as who did it (audit log)."
)


@click.group()
def assets() -> None:
    """Offers, places, groups and active residents: list, moderate, keep fresh."""


@assets.command("list")
@workspace_option
@click.option("--status", type=click.Choice([s.value for s in ItemStatus]), default=None)
@click.option("--level", default=None, help="Unit level, with --key (e.g. block).")
@click.option("--key", default=None, help="Unit key, with --level.")
@by_option
@handle_errors
def list_(
    workspace: Path | None, status: str | None, level: str | None, key: str | None, by: str
) -> None:
    """List items (first names only; never an address). Reads of persons' items are audited.

    Example: veerkracht assets list --status pending
    """
    if (level is None) != (key is None):
        raise UsageError("give both --level and --key, or neither")
    store = store_for(make_settings(workspace))
    try:
        rows = views.items_in_unit(store, level=level, key=key)
        rows = [r for r in rows if status is None or status_of(r).value == status]
        views.audit_reads(store, _operator(by), rows, action="list", now=_now())
    finally:
        store.dispose()
    table = Table(title=f"Assets ({len(rows):,})")
    for column in ("id", "kind", "status", "audience", "unit", "first name", "title"):
        table.add_column(column)
    for row in rows:
        table.add_row(
            str(row["asset_id"]),
            str(row["kind"]),
            status_of(row).value,
            str(row.get("visibility") or "public"),
            f"{row.get('level') or '-'} {row.get('unit_key') or ''}",
            str(row.get("first_name") or ""),
            str(row.get("name") or ""),
        )
    console.print(table)


def _change_command(action: AssetAction, doc: str) -> click.Command:
    @click.command(name=action.value, help=doc)
    @workspace_option
    @click.argument("asset_id")
    @click.option("--note", default=None, help="A note for the resident (approve, reject).")
    @by_option
    @handle_errors
    def command(workspace: Path | None, asset_id: str, note: str | None, by: str) -> None:
        settings = make_settings(workspace)
        store = store_for(settings)
        try:
            row = change_asset(
                store,
                asset_id,
                action,
                by=command_line(by),
                now=_now(),
                settings=settings,
                note=note,
            )
        finally:
            store.dispose()
        console.print(f"{asset_id}: {row['status']}")

    return command


for _action, _doc in (
    (AssetAction.APPROVE, "Approve a pending item: it is shown as its maker chose.\n\n"
     "Example: veerkracht assets approve R-1A2B3C4D5E"),
    (AssetAction.REJECT, "Reject a pending item (give a --note for the resident)."),
    (AssetAction.WITHDRAW, "Withdraw an item: gone everywhere, its personal text wiped."),
    (AssetAction.CONFIRM, "Confirm an item is still true (freshness)."),
    (AssetAction.RETIRE, "Retire a stale item or one that is no longer there."),
):  # fmt: skip
    assets.add_command(_change_command(_action, _doc))


@assets.command("stale")
@workspace_option
@click.option("--months", type=click.IntRange(min=1), default=None, help="Default: the setting.")
@handle_errors
def stale(workspace: Path | None, months: int | None) -> None:
    """Approved items not confirmed for a long time: confirm or retire them.

    Example: veerkracht assets stale --months 12
    """
    settings = make_settings(workspace)
    limit = months or settings.assets_stale_months
    store = store_for(settings)
    try:
        rows = [
            r
            for r in views.items_in_unit(store, level=None, key=None)
            if is_stale(r, now=_now(), months=limit)
        ]
    finally:
        store.dispose()
    table = Table(title=f"Not confirmed for {limit} months ({len(rows):,})")
    for column in ("id", "kind", "last confirmed", "unit", "title"):
        table.add_column(column)
    for row in rows:
        table.add_row(
            str(row["asset_id"]),
            str(row["kind"]),
            _date(row.get("confirmed_at") or row.get("created_at")),
            f"{row.get('level') or '-'} {row.get('unit_key') or ''}",
            str(row.get("name") or ""),
        )
    console.print(table)


def _operator(name: str) -> Onlooker:
    return Onlooker(viewer=Viewer(role="admin", name=name))


def _date(value: Any) -> str:
    return "" if value is None else str(value)[:10]


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


COMMANDS: list[click.Command] = [assets]
