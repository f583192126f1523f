"""The veerkracht command line: each command a few lines calling pipeline or storage."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from rich.table import Table

from veerkracht import pipeline
from veerkracht.cli_common import (
    console,
    handle_errors,
    level_from,
    make_settings,
    progress_bar,
    workspace_option,
)
from veerkracht.settings import Settings


def print_counts(summary: dict[str, Any]) -> None:
    table = Table(title=f"Units per level (reference year {summary['reference_year']})")
    table.add_column("level")
    table.add_column("units", justify="right")
    for level, count in pipeline.level_counts_table(summary["counts"]):
        table.add_row(level, f"{count:,}")
    console.print(table)
    for note in summary.get("notes", []):
        console.print(f"[yellow]note:[/] {note}")


def print_logins(logins: list[dict[str, str]]) -> None:
    """The demo accounts (fictional, for trying the app; never for real data)."""
    if not logins:
        return
    table = Table(title="Demo-inloggegevens (alleen voor Demostad)")
    for column in ("gebruiker", "wachtwoord", "rol"):
        table.add_column(column)
    for login in logins:
        table.add_row(login["username"], login["password"], login["role"])
    console.print(table)


@click.group()
@click.version_option(package_name="veerkracht")
def cli() -> None:
    """veerkracht: load against capacity per portiek, building, block, street and buurt."""


@cli.command()
@workspace_option
@click.option("--seed", type=int, default=1, show_default=True, help="Same seed, same Demostad.")
@click.option("--dwellings", type=click.IntRange(min=200), default=6000, show_default=True)
@click.option("--no-serve", is_flag=True, help="Build only; do not start the web app.")
@click.option("--port", type=int, default=8000, show_default=True)
@handle_errors
def demo(workspace: Path | None, seed: int, dwellings: int, no_serve: bool, port: int) -> None:
    """Generate Demostad, build everything and serve it.

    Example: veerkracht demo --workspace /tmp/demo --dwellings 20000 --no-serve
    """
    settings = make_settings(workspace)
    with progress_bar("Demostad") as update:
        summary = pipeline.run_demo(settings, seed=seed, dwellings=dwellings, progress=update)
    print_counts(summary)
    console.print(f"Store: {settings.store_url}")
    print_logins(summary.get("logins", []))
    if not no_serve:
        _serve(settings, port=port)


@cli.command()
@workspace_option
@handle_errors
def build(workspace: Path | None) -> None:
    """Derive entrances, buildings, blocks, streets and areas, and compute the indicators.

    Example: veerkracht build --workspace ./weesp
    """
    settings = make_settings(workspace)
    store = pipeline.store_for(settings)
    try:
        with progress_bar("Bouwen") as update:
            summary = pipeline.build(store, settings, progress=update)
    finally:
        store.dispose()
    print_counts(summary.as_dict())


@cli.command()
@workspace_option
@click.option("--port", type=int, default=8000, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True)
@handle_errors
def serve(workspace: Path | None, port: int, host: str) -> None:
    """Serve the web app on http://HOST:PORT.

    Example: veerkracht serve --workspace ./weesp --port 8001
    """
    _serve(make_settings(workspace), port=port, host=host)


@cli.command(name="import")
@click.argument("source", type=click.Choice(sorted(pipeline.IMPORTERS)))
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--mapping",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="lettings only: CSV eigen_label,kanaal mapping the corporation's own labels.",
)
@click.option(
    "--history",
    is_flag=True,
    help=(
        "cbs-buurtkaart only: keep this map as the buurt map of its year, to join figures with "
        "that year's codes by geometry (the current buurten stay)."
    ),
)
@workspace_option
@handle_errors
def import_(
    source: str, path: Path, mapping: Path | None, history: bool, workspace: Path | None
) -> None:
    """Import one source file (one transaction; a re-import replaces the same data).

    Example: veerkracht import bag BAGGEM0457L-15102021.zip --workspace ./weesp
    """
    settings = make_settings(workspace)
    store = pipeline.store_for(settings)
    try:
        report = pipeline.import_source(store, source, path, mapping=mapping, history=history)
    finally:
        store.dispose()
    console.print(
        f"[green]Imported[/] {path.name}: read {report['read']:,}, used {report['used']:,}"
    )
    for reason, count in report.get("skipped", {}).items():
        console.print(f"  skipped {count:,}: {reason}")
    for note in report.get("notes", []):
        console.print(f"  [yellow]note:[/] {note}")
    matching = report.get("counts", {}).get("code matching")
    if matching:
        methods = ", ".join(f"{n:,} by {m}" for m, n in matching["old codes by method"].items())
        console.print(f"  area codes matched to the stored buurt map: {methods}")
    carried = report.get("counts", {}).get("carried to current buurten")
    if carried:
        console.print(
            f"  figures carried to {carried['buurten']:,} current buurten by geometry "
            f"({carried['figures']:,} figures)"
        )
    console.print("Run `veerkracht build` to derive the levels.")


@cli.command()
@workspace_option
@handle_errors
def sources(workspace: Path | None) -> None:
    """List what was imported, when and from which file (full paths: the web app's data page)."""
    from veerkracht.storage.sources import read_imports

    store = pipeline.store_for(Settings() if workspace is None else make_settings(workspace))
    try:
        log = read_imports(store)
    finally:
        store.dispose()
    console.print(f"[bold]Imports[/] ({len(log):,}), newest first", highlight=False)
    for row in log.itertuples():
        # one import per paragraph, never cut: paths and licences are long
        console.print(
            f"{row.imported_at}  [bold]{row.source}[/]  {Path(row.path).name}",
            highlight=False,
            soft_wrap=True,
        )
        read, used = row.report.get("read", ""), row.report.get("used", "")
        details = [
            f"read {read:,}" if isinstance(read, int) else "",
            f"used {used:,}" if isinstance(used, int) else "",
            f"licence: {row.licence}" if row.licence else "",
        ]
        console.print(
            "    " + " · ".join(d for d in details if d) + f"\n    {row.path}",
            highlight=False,
            soft_wrap=True,
        )


@cli.group()
def export() -> None:
    """Export units and their figures."""


@export.command(name="units")
@click.option("--level", required=True, help="entrance, building, block, street, neighbourhood, …")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "geojson", "gpkg"]),
    default="csv",
    show_default=True,
)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@workspace_option
@handle_errors
def export_units(level: str, fmt: str, out: Path, workspace: Path | None) -> None:
    """Write the units of one level with their indicators (wide, reference year).

    Example: veerkracht export units --level block --format geojson --out blocks.geojson
    """
    from veerkracht.exports import export_units as write_units

    chosen = level_from(level)
    store = pipeline.store_for(make_settings(workspace))
    try:
        count = write_units(store, chosen, out, fmt)
    finally:
        store.dispose()
    console.print(f"Wrote {count:,} {chosen.value} units to {out}")


@cli.command()
@workspace_option
@handle_errors
def quality(workspace: Path | None) -> None:
    """Measure inferred entrances against Demostad's ground truth (precision and recall)."""
    scores = pipeline.entrance_quality(make_settings(workspace))
    console.print(
        f"Entrances: precision {scores['precision']:.3f}, recall {scores['recall']:.3f} "
        f"({int(scores['pairs_true']):,} true pairs of dwellings sharing an entrance)"
    )


@cli.command()
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("docs"),
    show_default=True,
    help="Folder to write the generated reference pages into.",
)
def docs(out: Path) -> None:
    """Regenerate the reference pages (indicators, settings, command line) from the code."""
    from veerkracht.reference_docs import write_all

    for path in write_all(out, cli):
        console.print(f"wrote {path}")


def _serve(settings: Settings, *, port: int, host: str = "127.0.0.1") -> None:
    from veerkracht.web.server import serve as run_server

    console.print(f"[bold green]veerkracht draait op http://{host}:{port}[/]  (stoppen: Ctrl+C)")
    run_server(settings, host=host, port=port)


def _register_extensions() -> None:
    """Command families that live in their own modules (each exposes COMMANDS)."""
    import importlib

    for name in EXTENSIONS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:
                raise
            continue
        for command in module.COMMANDS:
            cli.add_command(command)
        for command in getattr(module, "EXPORT_COMMANDS", []):
            export.add_command(command)


#: Modules with more commands; each defines ``COMMANDS: list[click.Command]``.
EXTENSIONS = (
    "veerkracht.cli_analysis",
    "veerkracht.cli_signals",
    "veerkracht.cli_allocation",
    "veerkracht.cli_data",
    "veerkracht.cli_interventions",
    "veerkracht.cli_community",
    "veerkracht.cli_initiatives",
    "veerkracht.cli_reports",
)
_register_extensions()


if __name__ == "__main__":  # pragma: no cover
    cli()
