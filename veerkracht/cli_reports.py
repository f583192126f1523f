"""`veerkracht report LEVEL KEY`: a vignette (block, street) or buurt report as PDF or HTML."""

from __future__ import annotations

from pathlib import Path

import click

from veerkracht import pipeline
from veerkracht.cli_common import (
    console,
    handle_errors,
    level_from,
    make_settings,
    workspace_option,
)

#: Whom a report can be made for on the command line (the public version unless asked).
ROLES = ("public", "professional", "analyst")
KIND_WORDS = {"vignette": "vignette", "neighbourhood": "buurt report"}


@click.command()
@click.argument("level")
@click.argument("key")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["pdf", "html"]),
    default="pdf",
    show_default=True,
    help="pdf (A4, needs pango) or one self-contained HTML file.",
)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option(
    "--as-role",
    "role",
    type=click.Choice(ROLES),
    default="public",
    show_default=True,
    help="Whom the report is for: decides which figures and items it shows.",
)
@workspace_option
@handle_errors
def report(level: str, key: str, fmt: str, out: Path, role: str, workspace: Path | None) -> None:
    """Write the vignette of a block or street, or the buurt report of a neighbourhood.

    Every figure passes disclosure control for the chosen role; the public version (the
    default) has no suggestions and no log entries. A report for a professional or analyst is
    written to the audit log.

    Example: veerkracht report block BL9999100000000681 --format pdf --out blok.pdf
    """
    from veerkracht.assessment.disclosure import Viewer
    from veerkracht.web.reports.render import write_report
    from veerkracht.web.reports.vignette import build_report

    chosen = level_from(level)
    viewer = Viewer(role=role, name=None if role == "public" else f"cli:{role}")
    store = pipeline.store_for(make_settings(workspace))
    try:
        made = build_report(store, level=chosen, key=key, viewer=viewer)
    finally:
        store.dispose()
    size = write_report(made, out, fmt=fmt)
    console.print(
        f"Wrote the {KIND_WORDS[made.kind]} of {chosen.value} {key} ({made.title}) for {role} "
        f"to {out} "
        f"({size / 1024:,.0f} kB)",
        highlight=False,
    )


COMMANDS: list[click.Command] = [report]
