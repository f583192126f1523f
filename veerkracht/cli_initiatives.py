"""Commands for initiatives and neighbourhood budgets (`initiatives`) and `export hsds`."""

from __future__ import annotations

from pathlib import Path

import click
from rich.table import Table

from veerkracht.assessment.disclosure import Viewer
from veerkracht.cli_common import console, handle_errors, make_settings, workspace_option
from veerkracht.pipeline import store_for


@click.group()
def initiatives() -> None:
    """Initiatives of residents and neighbourhood budgets."""


@initiatives.command("list")
@workspace_option
@click.option("--status", default=None, help="proposed, active, done, stopped or withdrawn.")
@handle_errors
def list_initiatives(workspace: Path | None, status: str | None) -> None:
    """List initiatives with their status, approval and number of supporters (never names).

    Example: veerkracht initiatives list --status active
    """
    from veerkracht.storage import initiatives as db

    store = store_for(make_settings(workspace))
    try:
        rows = db.read_initiatives(store, statuses=[status] if status else None)
        counts = db.count_supporters(store, [r["initiative_id"] for r in rows])
    finally:
        store.dispose()
    table = Table(title=f"{len(rows):,} initiatives")
    for column in ("id", "title", "status", "approved", "supporters", "level", "unit"):
        table.add_column(column)
    for r in rows:
        table.add_row(
            r["initiative_id"],
            r["title"],
            r["status"],
            "yes" if r["approved"] else "no",
            str(counts[r["initiative_id"]]),
            r["level"],
            r["unit_key"],
        )
    console.print(table)


@initiatives.command("budgets")
@workspace_option
@handle_errors
def list_budgets(workspace: Path | None) -> None:
    """List neighbourhood budgets with what was granted and what is left.

    Example: veerkracht initiatives budgets
    """
    from veerkracht.community.budgets import euros, read_budgets

    store = store_for(make_settings(workspace))
    try:
        rows = read_budgets(store)
    finally:
        store.dispose()
    table = Table(title=f"{len(rows):,} neighbourhood budgets")
    for column in ("id", "name", "area", "year", "amount", "granted", "left"):
        table.add_column(column)
    for b in rows:
        table.add_row(
            b["budget_id"],
            b["name"],
            b["area_code"],
            str(b["year"]),
            euros(b["amount"]),
            euros(b["granted"]),
            euros(b["remaining"]),
        )
    console.print(table)


@initiatives.command("add-budget")
@workspace_option
@click.option("--name", required=True, help="e.g. 'Buurtbudget West 2026'.")
@click.option("--area", "area_code", required=True, help="A BU…, WK… or GM… code of the store.")
@click.option("--year", type=int, required=True)
@click.option("--amount", required=True, help="In euros, e.g. 5000 or 5.000,00.")
@handle_errors
def add_budget(workspace: Path | None, name: str, area_code: str, year: int, amount: str) -> None:
    """Add the neighbourhood budget of an area for a year (as an administrator).

    Example: veerkracht initiatives add-budget --name "Buurtbudget West" --area WK999901
    --year 2026 --amount 5000
    """
    from veerkracht.community.budgets import create_budget, euros

    store = store_for(make_settings(workspace))
    try:
        budget = create_budget(
            store,
            name=name,
            area_code=area_code,
            year=year,
            amount=amount,
            viewer=Viewer(role="admin", name="cli"),
        )
    finally:
        store.dispose()
    console.print(f"Added budget {budget['budget_id']}: {euros(budget['amount'])}")


@initiatives.command("demo-links")
@workspace_option
@handle_errors
def demo_links(workspace: Path | None) -> None:
    """Print the owners' personal links of Demostad's initiatives (demo only).

    Example: veerkracht initiatives demo-links --workspace /tmp/demo
    """
    from veerkracht.demo.initiatives import DEMO_INITIATIVES, demo_owner_token

    settings = make_settings(workspace)
    for spec in DEMO_INITIATIVES:
        console.print(
            f"{spec[0]} ({spec[3]}): /initiatives/mine/"
            f"{demo_owner_token(settings.secret_key, spec[0])}"
        )


@click.command("hsds")
@click.option(
    "--format", "fmt", type=click.Choice(["json", "csv"]), default="json", show_default=True
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    required=True,
    help="json: a file; csv: a folder (one CSV per table and datapackage.json).",
)
@workspace_option
@handle_errors
def export_hsds(fmt: str, out: Path, workspace: Path | None) -> None:
    """Write organisations, services and locations as Open Referral HSDS 3.0.

    Only approved, public institutions, associations, shops and places; never residents'
    offers, stories or active residents.

    Example: veerkracht export hsds --format csv --out hsds/
    """
    from veerkracht.community import hsds

    store = store_for(make_settings(workspace))
    try:
        data = hsds.export_hsds(store)
    finally:
        store.dispose()
    problems = hsds.validate_export(data)
    if problems:
        raise click.ClickException(f"the export does not validate: {problems[0]}")
    if fmt == "json":
        count = hsds.write_json(data, out)
        console.print(f"Wrote {count:,} organisations to {out}")
        return
    counts = hsds.write_csv(data, out)
    console.print(f"Wrote {', '.join(f'{n:,} {t}' for t, n in counts.items())} to {out}")


COMMANDS = [initiatives]
EXPORT_COMMANDS = [export_hsds]
