"""Analysis commands: the warning list, positive deviance, a unit's profile, indicator export."""

from __future__ import annotations

from pathlib import Path

import click
import pandas as pd
from rich.table import Table

from veerkracht import pipeline
from veerkracht.assessment.wording import describe_value
from veerkracht.cli_common import (
    console,
    handle_errors,
    level_from,
    make_settings,
    workspace_option,
)
from veerkracht.domain.levels import PARENT, UNIT_LEVELS, Level
from veerkracht.indicators.base import Family
from veerkracht.indicators.registry import BY_KEY, INDICATORS
from veerkracht.storage import units as unit_store

FAMILY_TITLES = {
    Family.CAPACITY: "Wat er is (draagkracht)",
    Family.LOAD: "Wat er speelt (draaglast)",
    Family.CONTEXT: "Over deze plek",
}


@click.command()
@click.option("--level", default=None, help="Only this level (entrance, block, street, …).")
@workspace_option
@handle_errors
def warnings(level: str | None, workspace: Path | None) -> None:
    """List units where load is high, rising and above capacity, with the reasons.

    Example: veerkracht warnings --level street
    """
    store = pipeline.store_for(make_settings(workspace))
    try:
        unit_store.require_build(store)
        found = unit_store.read_findings(store, "warning", level=_level(level))
    finally:
        store.dispose()
    if found.empty:
        console.print(
            "Geen waarschuwingen: nergens is de draaglast hoog, stijgend én groter "
            "dan de draagkracht."
        )
        return
    for row in found.itertuples():
        console.print(f"[bold]{row.name}[/] ({row.level} {row.key})")
        for reason in row.details["reasons"]:
            console.print(f"  • {reason}")
    console.print(f"{len(found)} waarschuwingen.")


@click.command(name="positive-deviance")
@workspace_option
@handle_errors
def positive_deviance(workspace: Path | None) -> None:
    """List blocks with clearly fewer complaints than their load predicts, and what they have.

    Example: veerkracht positive-deviance
    """
    store = pipeline.store_for(make_settings(workspace))
    try:
        unit_store.require_build(store)
        found = unit_store.read_findings(store, "positive_deviance")
    finally:
        store.dispose()
    table = Table(title="Beter dan verwacht (positieve uitzonderingen)")
    for column in ("plek", "meldingen", "verwacht", "wat er is"):
        table.add_column(column)
    for row in found.itertuples():
        has = ", ".join(
            f"{BY_KEY[k].label.lower()}: {describe_value(BY_KEY[k], v)}"
            for k, v in row.details["has"].items()
        )
        table.add_row(
            row.name, f"{row.details['observed']:.0f}", f"{row.details['expected']:.1f}", has
        )
    console.print(table)


@click.command()
@click.argument("level")
@click.argument("key")
@workspace_option
@handle_errors
def profile(level: str, key: str, workspace: Path | None) -> None:
    """Show a unit's profile: what is there first, then load, with estimates and parent values.

    Example: veerkracht profile street BU99990103-kersenboomstraat
    """
    chosen = _level(level)
    assert chosen is not None
    store = pipeline.store_for(make_settings(workspace))
    try:
        build = unit_store.require_build(store)
        unit = unit_store.read_unit(store, chosen, key)
        values = unit_store.read_unit_indicators(store, chosen, key)
        parent = (
            unit_store.read_unit_indicators(store, _parent_level(chosen), unit["parent_key"])
            if unit["parent_key"]
            else pd.DataFrame(columns=values.columns)
        )
    finally:
        store.dispose()
    year = build["reference_year"]
    console.print(f"[bold]{unit['name']}[/] — {chosen} {key}, {unit['dwellings']} woningen, {year}")
    own = values[values["year"] == year].set_index("indicator")
    theirs = parent[parent["year"] == year].set_index("indicator")
    for family in (Family.CAPACITY, Family.LOAD, Family.CONTEXT):
        table = Table(title=FAMILY_TITLES[family])
        for column in ("cijfer", "waarde", "geschat (90 %)", "hoger niveau"):
            table.add_column(column)
        for indicator in INDICATORS:
            if indicator.family != family or indicator.key not in own.index:
                continue
            row = own.loc[indicator.key]
            band = ""
            if pd.notna(row.get("lower")):
                band = (
                    f"{describe_value(indicator, row['estimate'])} "
                    f"({describe_value(indicator, row['lower'])} – "
                    f"{describe_value(indicator, row['upper'])})"
                )
            parent_value = (
                describe_value(indicator, theirs.loc[indicator.key, "value"])
                if indicator.key in theirs.index
                else ""
            )
            table.add_row(
                indicator.label, describe_value(indicator, row["value"]), band, parent_value
            )
        console.print(table)


@click.command(name="indicators")
@click.option("--level", default=None, help="Only this level.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@workspace_option
@handle_errors
def export_indicators(level: str | None, out: Path, workspace: Path | None) -> None:
    """Write every indicator value (all levels and years, with estimates) as CSV.

    Example: veerkracht export indicators --level block --out blocks.csv
    """
    store = pipeline.store_for(make_settings(workspace))
    try:
        unit_store.require_build(store)
        levels = [level_from(level).value] if level else [lv.value for lv in UNIT_LEVELS]
        frame = pd.concat(
            [unit_store.read_indicator_table(store, lv) for lv in levels], ignore_index=True
        )
    finally:
        store.dispose()
    out.parent.mkdir(parents=True, exist_ok=True)
    frame.sort_values(["level", "key", "year", "indicator"]).to_csv(out, index=False)
    console.print(f"Wrote {len(frame):,} indicator values to {out}")


def _level(text: str | None) -> str | None:
    return None if text is None else level_from(text).value


def _parent_level(level: str) -> str:
    parent = PARENT[Level(level)]
    return parent.value if parent else level


COMMANDS: list[click.Command] = [warnings, positive_deviance, profile]
#: Attached to the `export` group by cli.py.
EXPORT_COMMANDS: list[click.Command] = [export_indicators]
