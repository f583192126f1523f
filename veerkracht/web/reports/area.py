"""The buurt report: the buurt with its blocks on a map, a list of its blocks (by name, capacity
first, never ranked by load) and the four sections of a vignette at buurt level."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pandas as pd

from veerkracht.assessment.disclosure import Viewer
from veerkracht.domain.levels import Level
from veerkracht.indicators.registry import BY_KEY
from veerkracht.storage.engine import Store
from veerkracht.storage.units import read_indicator_table, read_unit, read_units
from veerkracht.web.i18n import gettext as _
from veerkracht.web.pages.figures import build_figure_groups, disclosed_rows
from veerkracht.web.pages.models import Figure, UnitPage, UnitRef
from veerkracht.web.pages.unit import area_codes, build_unit_page
from veerkracht.web.reports.here import map_points
from veerkracht.web.reports.maps import area_map
from veerkracht.web.reports.models import BlockRow, Report
from veerkracht.web.reports.vignette import (
    build_sections,
    disclosure_note,
    extra_sources,
    report_viewer,
    subtitle,
)

#: Columns of the block list: what a block has first, then what asks something of it.
BLOCK_CAPACITY = ("assets_nearby", "active_residents_per_100", "long_stay_share")
BLOCK_LOAD = ("vulnerable_lettings_3y", "nuisance_per_100")

#: How much the buurt report lists per part (it may run over several pages).
AREA_LIMITS = {"assets": 12, "suggestions": 6, "log": 12}


def build_area_report(store: Store, *, key: str, viewer: Viewer, now: datetime) -> Report:
    """The buurt report of neighbourhood ``key`` for ``viewer``."""
    level = Level.NEIGHBOURHOOD
    page = build_unit_page(store, level=level, key=key, viewer=viewer)
    unit = read_unit(store, level.value, key)
    parts = build_sections(store, page=page, unit=unit, viewer=viewer, now=now, limits=AREA_LIMITS)
    blocks = _blocks_of(page)
    rows = block_rows(
        store, blocks, year=page.year, viewer=viewer, codes=area_codes(page.breadcrumb)
    )
    shapes = _block_shapes(store, unit["geometry"], blocks)
    return Report(
        kind="neighbourhood",
        title=page.unit.name,
        subtitle=subtitle(page),
        unit=page.unit,
        breadcrumb=page.breadcrumb,
        year=page.year,
        made_at=now,
        viewer=report_viewer(viewer),
        map=area_map(
            store,
            geometry=unit["geometry"],
            blocks=[(row.number, shapes[row.unit.key]) for row in rows if row.unit.key in shapes],
            points=map_points(parts.assets),
            alt=_(
                "Map of %(name)s: its outline, its blocks numbered as in the list of blocks, "
                "and public places."
            )
            % {"name": page.unit.name},
        ),
        map_caption=_(
            "The blocks carry the numbers of the list of blocks (in order of name). "
            "Markers: public places."
        ),
        map_list_title=_("Blocks in this neighbourhood"),
        here=parts.here,
        living=parts.living,
        fits=parts.fits,
        done=parts.done,
        blocks=rows,
        block_columns=[_(BY_KEY[k].label) for k in (*BLOCK_CAPACITY, *BLOCK_LOAD)],
        sources=page.sources,
        extra_sources=extra_sources(parts),
        disclosure_note=disclosure_note(parts.sees_exact),
    )


def block_rows(
    store: Store, blocks: list[UnitRef], *, year: int | None, viewer: Viewer, codes: set[str]
) -> list[BlockRow]:
    """One row per block (in the given order, numbered from 1), figures disclosed for
    ``viewer`` at block level in the buurt's areas."""
    if not blocks or year is None:
        return [BlockRow(number=n, unit=b, capacity=[], load=[]) for n, b in enumerate(blocks, 1)]
    table = read_indicator_table(store, Level.BLOCK.value, year)
    wanted = (*BLOCK_CAPACITY, *BLOCK_LOAD)
    table = table[table["key"].isin({b.key for b in blocks}) & table["indicator"].isin(wanted)]
    visible = disclosed_rows(table, level=Level.BLOCK, viewer=viewer, area_codes=codes)
    by_key = {key: part for key, part in visible.groupby("key")}
    rows = []
    for number, block in enumerate(blocks, start=1):
        figures = _figures(by_key.get(block.key), year)
        rows.append(
            BlockRow(
                number=number,
                unit=block,
                capacity=[figures[k] for k in BLOCK_CAPACITY if k in figures],
                load=[figures[k] for k in BLOCK_LOAD if k in figures],
            )
        )
    return rows


def _figures(rows: pd.DataFrame | None, year: int) -> dict[str, Figure]:
    if rows is None or rows.empty:
        return {}
    groups = build_figure_groups(rows, level=Level.BLOCK, year=year)
    return {f.indicator: f for group in groups for f in group.figures}


def _blocks_of(page: UnitPage) -> list[UnitRef]:
    """The buurt's blocks as its page lists them: by name."""
    for group in page.children:
        if group.level == Level.BLOCK.value:
            return list(group.units)
    return []


def _block_shapes(store: Store, geometry: Any, blocks: list[UnitRef]) -> dict[str, Any]:
    """The outlines of the buurt's blocks by key."""
    minx, miny, maxx, maxy = geometry.bounds
    frame = read_units(store, Level.BLOCK.value, bbox=(minx, miny, maxx, maxy))
    wanted = {b.key for b in blocks}
    return {
        str(key): shape
        for key, shape in zip(frame["key"], frame.geometry, strict=True)
        if key in wanted
    }
