"""`veerkracht interventions ...`: list the catalogue, check a catalogue file, suggest per unit."""

from __future__ import annotations

from pathlib import Path

import click
from rich.table import Table

from veerkracht import pipeline
from veerkracht.cli_common import (
    console,
    handle_errors,
    level_from,
    make_settings,
    workspace_option,
)
from veerkracht.interventions.catalogue import TERRAIN_LABELS, Terrain, load_catalogue
from veerkracht.interventions.suggest import CAVEAT, read_unit_profile, suggest


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
@handle_errors
def list_interventions(terrain: str | None) -> None:
    """List the shipped interventions with terrain, levels, cost and evidence.

    Example: veerkracht interventions list --terrain shared_spaces
    """
    catalogue = load_catalogue()
    chosen = catalogue.of_terrain(terrain) if terrain else tuple(catalogue)
    table = Table(title=f"{len(chosen)} interventions")
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
    console.print(table)


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

    For professionals: a suggestion is never a public judgement of a street.

    Example: veerkracht interventions suggest block BL9999100000000681 --workspace /tmp/demo
    """
    chosen = level_from(level)
    store = pipeline.store_for(make_settings(workspace))
    try:
        profile = read_unit_profile(store, chosen.value, key)
    finally:
        store.dispose()
    found = suggest(profile, load_catalogue(), limit=limit)
    console.print(f"[bold]{profile.name}[/] ({chosen.value} {key}, {profile.year})")
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
    console.print(f"\n[italic]{CAVEAT}[/]", highlight=False)


COMMANDS: list[click.Command] = [interventions]
