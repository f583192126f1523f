"""`veerkracht interventions ...`: list the catalogue, check a catalogue file, suggest per unit."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click
from rich.table import Table

from veerkracht import pipeline
from veerkracht.assessment.disclosure import Viewer
from veerkracht.cli_common import (
    console,
    handle_errors,
    level_from,
    make_settings,
    workspace_option,
)
from veerkracht.errors import InputError
from veerkracht.indicators.registry import get_indicator
from veerkracht.interventions.catalogue import (
    TERRAIN_LABELS,
    Catalogue,
    Terrain,
    load_catalogue,
)
from veerkracht.interventions.catalogue_edit import effective_catalogue
from veerkracht.interventions.effect_report import read_before_after
from veerkracht.interventions.log import add_entry, end_entry, read_entries
from veerkracht.interventions.suggest import CAVEAT, build_suggestions
from veerkracht.storage import Store
from veerkracht.storage import accounts as account_store

#: Whoever runs the command line can read the whole store anyway.
CLI_VIEWER = Viewer(role="admin", name="cli")


@click.group()
def interventions() -> None:
    """Interventions that fit a place: the catalogue and suggestions per unit."""


@interventions.command("list")
@click.option(
    "--terrain",
    type=click.Choice([t.value for t in Terrain]),
    default=None,
    help="Only the interventions of one terrain.",
)
@workspace_option
@handle_errors
def list_interventions(terrain: str | None, workspace: Path | None) -> None:
    """List the interventions with terrain, levels, cost and evidence.

    Without --workspace: the shipped catalogue. With it: the effective catalogue of that
    workspace (entries edited or added in the app; retired ones listed last, marked).

    Example: veerkracht interventions list --terrain shared_spaces --workspace /tmp/demo
    """
    catalogue = load_catalogue() if workspace is None else _effective(workspace)
    chosen = catalogue.of_terrain(terrain) if terrain else tuple(catalogue)
    retired = tuple(i for i in catalogue.retired if not terrain or i.terrain.value == terrain)
    title = f"{len(chosen)} interventions" + (f", {len(retired)} retired" if retired else "")
    table = Table(title=title)
    for column in ("id", "name", "terrain", "levels", "cost", "evidence"):
        table.add_column(column)
    for item in chosen:
        table.add_row(
            item.id,
            item.name,
            item.terrain_label,
            ", ".join(item.levels),
            item.cost.value,
            item.evidence_label,
        )
    for item in retired:
        table.add_row(item.id, f"{item.name} (retired)", item.terrain_label, "", "", "")
    console.print(table)
    for problem in catalogue.problems:
        console.print(f"[bold red]Not used:[/] {problem}", highlight=False)


def _effective(workspace: Path) -> Catalogue:
    store = pipeline.store_for(make_settings(workspace))
    try:
        return effective_catalogue(store)
    finally:
        store.dispose()


@interventions.command("check")
@click.argument("path", type=click.Path(path_type=Path), required=False)
@handle_errors
def check(path: Path | None) -> None:
    """Validate a catalogue file or folder (default: the shipped catalogue).

    Exits with 1 and names file, intervention id and field for every problem.

    Example: veerkracht interventions check my-catalogue.toml
    """
    catalogue = load_catalogue(path)
    terrains = ", ".join(TERRAIN_LABELS[t] for t in catalogue.terrains())
    console.print(
        f"OK: {len(catalogue)} interventions in {len(catalogue.paths)} file(s); "
        f"terrains: {terrains}"
    )


@interventions.command("suggest")
@click.argument("level")
@click.argument("key")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Show at most N.")
@workspace_option
@handle_errors
def suggest_for_unit(level: str, key: str, limit: int | None, workspace: Path | None) -> None:
    """Suggest interventions for one unit, with the reasons and the caveat.

    For professionals: a suggestion is never a public judgement of a street. Uses the effective
    catalogue of the workspace; interventions the log says already run here come last, marked.

    Example: veerkracht interventions suggest block BL9999100000000681 --workspace /tmp/demo
    """
    chosen = level_from(level)
    store = pipeline.store_for(make_settings(workspace))
    try:
        result = build_suggestions(
            store, level=chosen.value, key=key, viewer=CLI_VIEWER, limit=limit
        )
    finally:
        store.dispose()
    found = result.suggestions
    console.print(f"[bold]{result.name}[/] ({chosen.value} {key}, {result.year})")
    if not found:
        console.print("Geen interventies die duidelijk passen bij de cijfers van deze plek.")
        return
    console.print(f"{len(found)} suggesties, beste eerst:\n")
    for number, item in enumerate(found, start=1):
        i = item.intervention
        console.print(
            f"[bold]{number}. {i.name}[/] — {i.terrain_label}; kosten {i.cost.value}; "
            f"score {item.score:g}",
            highlight=False,
        )
        for reason in item.reasons:
            console.print(f"   - {reason}", highlight=False)
        console.print(f"   bewijs: {i.evidence_label}", highlight=False)
        if item.log is not None:
            console.print(f"   [bold]{item.log.text}[/]", highlight=False)
    console.print(f"\n[italic]{CAVEAT}[/]", highlight=False)


# --- the intervention log and before/after -------------------------------------------------


@interventions.group("log")
def log_group() -> None:
    """The intervention log: what was done where, since when, by whom and with what aim."""


@log_group.command("add")
@click.argument("level")
@click.argument("key")
@click.option("--title", required=True, help="What is done, in a few words.")
@click.option("--organisation", required=True, help="Who does it (an organisation).")
@click.option("--aim", required=True, help="What it should bring about.")
@click.option("--start", "started_on", required=True, help="Start date, e.g. 2024-03-01.")
@click.option("--end", "ended_on", default=None, help="End date, when it has ended.")
@click.option("--intervention", "intervention_id", default=None, help="Catalogue id, if any.")
@click.option("--notes", default=None, help="Anything else worth knowing.")
@click.option("--user", default=None, help="Write as this account (role and scope checked).")
@workspace_option
@handle_errors
def log_add(
    level: str,
    key: str,
    title: str,
    organisation: str,
    aim: str,
    started_on: str,
    ended_on: str | None,
    intervention_id: str | None,
    notes: str | None,
    user: str | None,
    workspace: Path | None,
) -> None:
    """Add an entry to the log for one unit; the presence figures are recounted.

    Example: veerkracht interventions log add block BL9999100000000369 --title "Portiekgesprekken"
    --organisation "Woonstad" --aim "Afspraken in de portiek" --start 2024-03-01
    --intervention portiekgesprekken
    """
    values = {
        "level": level_from(level).value,
        "unit_key": key,
        "title": title,
        "organisation": organisation,
        "aim": aim,
        "started_on": started_on,
        "ended_on": ended_on,
        "intervention_id": intervention_id,
        "notes": notes,
    }
    settings = make_settings(workspace)
    store = pipeline.store_for(settings)
    try:
        log_id = add_entry(store, settings, values, by=_writer(store, user), now=_now())
    finally:
        store.dispose()
    console.print(f"entry [bold]{log_id}[/] added for {level} {key}", highlight=False)


@log_group.command("list")
@click.option("--level", default=None, help="Only entries of this level.")
@click.option("--key", default=None, help="Only entries of this unit.")
@click.option("--user", default=None, help="Show what this account may read.")
@workspace_option
@handle_errors
def log_list(level: str | None, key: str | None, user: str | None, workspace: Path | None) -> None:
    """List the log, newest start first.

    Example: veerkracht interventions log list --level block
    """
    store = pipeline.store_for(make_settings(workspace))
    try:
        frame = read_entries(
            store,
            viewer=_writer(store, user),
            level=level_from(level).value if level else None,
            unit_key=key,
        )
    finally:
        store.dispose()
    table = Table(title=f"{len(frame)} entries")
    for column in ("id", "start", "end", "level", "unit", "title", "organisation", "catalogue"):
        table.add_column(column)
    for row in frame.itertuples(index=False):
        table.add_row(
            row.log_id,
            row.started_on.isoformat(),
            row.ended_on.isoformat() if row.ended_on else "",
            row.level,
            row.unit_key,
            row.title,
            row.organisation,
            row.intervention_id or "",
        )
    console.print(table)


@log_group.command("end")
@click.argument("log_id")
@click.option("--on", "ended_on", required=True, help="End date, e.g. 2025-06-30.")
@click.option("--user", default=None, help="Write as this account (role and scope checked).")
@workspace_option
@handle_errors
def log_end(log_id: str, ended_on: str, user: str | None, workspace: Path | None) -> None:
    """Set the end date of an entry; the presence figures are recounted.

    Example: veerkracht interventions log end demo-buurtbemiddeling --on 2025-06-30
    """
    settings = make_settings(workspace)
    store = pipeline.store_for(settings)
    try:
        entry = end_entry(store, settings, log_id, ended_on, by=_writer(store, user), now=_now())
    finally:
        store.dispose()
    console.print(f"entry [bold]{log_id}[/] ended on {entry['ended_on'].isoformat()}")


@interventions.command("effect")
@click.argument("log_id")
@click.option("--user", default=None, help="Show what this account may read.")
@workspace_option
@handle_errors
def effect(log_id: str, user: str | None, workspace: Path | None) -> None:
    """Before and after one logged intervention, against comparable units without one.

    A simple difference-in-differences with a 90 % interval, or "te weinig gegevens" when the
    years, the counts or the comparison group are too few.

    Example: veerkracht interventions effect demo-portiekgesprekken
    """
    store = pipeline.store_for(make_settings(workspace))
    try:
        found = read_before_after(store, log_id, viewer=_writer(store, user))
    finally:
        store.dispose()
    entry = found.entry
    console.print(
        f"[bold]{entry['title']}[/] — {entry['level']} {found.unit_name}, sinds "
        f"{entry['started_on'].isoformat()} ({entry['organisation']})",
        highlight=False,
    )
    for result in found.results:
        console.print(f"\n[bold]{get_indicator(result.indicator).label}[/]", highlight=False)
        if result.pre_years and result.post_years:
            console.print(
                f"  voor: {_years(result.pre_years)}; na: {_years(result.post_years)}",
                highlight=False,
            )
        console.print(f"  {result.text}", highlight=False)
        for reason in result.reasons:
            console.print(f"   - {reason}", highlight=False)
        if result.comparison and not result.too_few_data:
            group = ", ".join(found.names.get(c.key, c.key) for c in result.comparison)
            console.print(
                f"  vergelijkingsgroep ({len(result.comparison)}): {group}", highlight=False
            )


def _writer(store: Store, username: str | None) -> Viewer:
    """The account named, or the operator at the command line (who holds the whole store)."""
    if username is None:
        return Viewer(role="admin", name="cli")
    found = account_store.read_account(store, username)
    if found is None:
        raise InputError(f'no account "{username}"', field="--user")
    account = found[0]
    return Viewer(role=account.role.value, scope=account.scope, name=account.username)


def _years(years: tuple[int, ...]) -> str:
    return f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


COMMANDS: list[click.Command] = [interventions]
