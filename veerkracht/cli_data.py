"""Commands about data files: write Demostad in the real formats (BAG, CBS, corporation CSVs)."""

from __future__ import annotations

from pathlib import Path

import click
from rich.table import Table

from veerkracht.cli_common import console, handle_errors, progress_bar
from veerkracht.demo import generate_demostad
from veerkracht.demo.writers import FORMATS, write_demostad

STEP_NAMES = {
    "generate": "Demostad maken",
    "bag-gpkg": "BAG GeoPackage",
    "bag-lvbag": "LV-BAG XML",
    "buurtkaart": "CBS buurtkaart",
    "csv": "corporatiebestanden",
    "done": "klaar",
}


@click.command(name="export-demostad")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder to write the files into (created when missing).",
)
@click.option("--seed", type=int, default=1, show_default=True, help="Same seed, same Demostad.")
@click.option("--dwellings", type=click.IntRange(min=200), default=6000, show_default=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["gpkg", "lvbag", "both"]),
    default="both",
    show_default=True,
    help="BAG form: PDOK GeoPackage, Kadaster LV-BAG 2.0 XML extract, or both.",
)
@handle_errors
def export_demostad(out: Path, seed: int, dwellings: int, fmt: str) -> None:
    """Write Demostad as real-format files: BAG, CBS buurtkaart and the corporation CSVs.

    Import them as a user would, and `build` gives the same city as `veerkracht demo`.

    Example: veerkracht export-demostad --out ./demostad-files --dwellings 100000 --format lvbag
    """
    formats = FORMATS if fmt == "both" else (fmt,)
    with progress_bar("Demostad") as update:

        def step(name: str, share: float) -> None:
            update(STEP_NAMES.get(name, name), 0.3 + 0.7 * share)

        update(STEP_NAMES["generate"], 0.0)
        demo = generate_demostad(
            seed=seed,
            dwellings=dwellings,
            progress=lambda _s, share: update(STEP_NAMES["generate"], 0.3 * share),
        )
        written = write_demostad(demo, out, formats=formats, progress=step)
    table = Table(
        title=f"Demostad (seed {seed}, {len(demo.source.dwellings):,} dwellings) in {out}"
    )
    for column in ("file", "import as", "rows", "size", "what"):
        table.add_column(column, justify="right" if column in ("rows", "size") else "left")
    for item in written:
        size = item.path.stat().st_size / 2**20
        table.add_row(
            item.path.name, item.source, f"{item.rows:,}", f"{size:,.1f} MB", item.description
        )
    console.print(table)
    console.print("Import them in this order (one of the BAG files), then build:")
    seen: set[str] = set()
    for item in written:
        alternative = "  or " if item.source in seen else "  "
        seen.add(item.source)
        console.print(f"{alternative}veerkracht import {item.source} {item.path} --workspace DIR")
    console.print("  veerkracht build --workspace DIR")


#: Registered by veerkracht.cli.
COMMANDS: list[click.Command] = [export_demostad]
