"""Vignettes: a one-page portrait of a block or a street, made for one viewer.

Numbers and stories side by side, strengths first, never a ranking of streets: (1) what is here,
(2) how living together is going, (3) what fits here, (4) what has been done, then the sources
and the date and viewer the report was made for. The figures come from the unit page's builders
(``veerkracht.web.pages``: plain functions, no FastAPI), so every figure has passed
``veerkracht.assessment.disclosure.disclose`` for the report's viewer; community items pass
``veerkracht.community.audience.can_see``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from veerkracht.assessment.disclosure import Viewer
from veerkracht.community.audience import Onlooker
from veerkracht.community.views import audit_reads
from veerkracht.domain.levels import Level
from veerkracht.errors import UsageError
from veerkracht.storage.audit import append_audit
from veerkracht.storage.engine import Store
from veerkracht.storage.units import read_unit
from veerkracht.web.i18n import format_number
from veerkracht.web.i18n import gettext as _
from veerkracht.web.labels import N_, level_word
from veerkracht.web.pages.models import UnitPage, UnitRef
from veerkracht.web.pages.unit import area_codes, build_unit_page
from veerkracht.web.reports.acting import build_done, build_fits
from veerkracht.web.reports.here import build_here, map_points, read_visible_assets
from veerkracht.web.reports.living import build_living, figures_by_key
from veerkracht.web.reports.maps import unit_map
from veerkracht.web.reports.models import (
    DoneSection,
    FitsSection,
    HereSection,
    LivingSection,
    Report,
    ReportViewer,
)

#: Levels with a one-page vignette, and levels with an area report (the buurt report).
VIGNETTE_LEVELS: tuple[Level, ...] = (Level.BLOCK, Level.STREET)
AREA_REPORT_LEVELS: tuple[Level, ...] = (Level.NEIGHBOURHOOD,)
REPORT_LEVELS: tuple[Level, ...] = VIGNETTE_LEVELS + AREA_REPORT_LEVELS

#: Whom a report can be made for (``--as-role``), in words.
ROLE_LABELS: dict[str, str] = {
    "public": N_("everyone (public version)"),
    "professional": N_("professionals"),
    "analyst": N_("analysts"),
    "admin": N_("administrators"),
}

#: How much a one-page vignette lists per part (the app shows the rest).
VIGNETTE_LIMITS = {"assets": 4, "suggestions": 3, "log": 4}


@dataclass(frozen=True)
class Sections:
    """The four sections of a report and the unit's viewer context."""

    here: HereSection
    living: LivingSection
    fits: FitsSection
    done: DoneSection
    assets: list[dict[str, Any]]
    sees_exact: bool


def build_report(
    store: Store, *, level: Level, key: str, viewer: Viewer, now: datetime | None = None
) -> Report:
    """The vignette of a block or street, or the buurt report of a neighbourhood, for ``viewer``.

    UsageError for other levels; UnknownUnit (NotFound) naming level and key when there is no
    such unit. A report made for anyone but the public is written to the audit log.
    """
    if level not in REPORT_LEVELS:
        raise UsageError(
            f"a report is made for {', '.join(lv.value for lv in VIGNETTE_LEVELS)} (a vignette) "
            f'or neighbourhood (a buurt report), not for level "{level.value}"'
        )
    made_at = (now or datetime.now()).replace(microsecond=0)
    if level in VIGNETTE_LEVELS:
        report = build_vignette(store, level=level, key=key, viewer=viewer, now=made_at)
    else:
        from veerkracht.web.reports.area import build_area_report

        report = build_area_report(store, key=key, viewer=viewer, now=made_at)
    if viewer.role != "public":
        append_audit(
            store,
            actor=viewer.name or viewer.role,
            action="report",
            record_type="unit",
            record_ids=[f"{level.value}/{key}"],
            now=made_at,
            detail=f"{report.kind} made for {viewer.role}",
        )
    return report


def build_vignette(
    store: Store, *, level: Level, key: str, viewer: Viewer, now: datetime
) -> Report:
    """The one-page portrait of a block or street for ``viewer``."""
    page = build_unit_page(store, level=level, key=key, viewer=viewer)
    unit = read_unit(store, level.value, key)
    parts = build_sections(
        store, page=page, unit=unit, viewer=viewer, now=now, limits=VIGNETTE_LIMITS
    )
    return Report(
        kind="vignette",
        title=page.unit.name,
        subtitle=subtitle(page),
        unit=page.unit,
        breadcrumb=page.breadcrumb,
        year=page.year,
        made_at=now,
        viewer=report_viewer(viewer),
        map=unit_map(
            store,
            geometry=unit["geometry"],
            points=map_points(parts.assets),
            alt=_("Map of %(name)s (dark) with the buildings around it and public places.")
            % {"name": page.unit.name},
        ),
        map_caption=_(
            "%(name)s in dark green-blue, buildings around it in grey; markers: public places "
            "(listed under 'What is here')."
        )
        % {"name": page.unit.name},
        here=parts.here,
        living=parts.living,
        fits=parts.fits,
        done=parts.done,
        sources=page.sources,
        extra_sources=extra_sources(parts),
        disclosure_note=disclosure_note(parts.sees_exact),
    )


def build_sections(
    store: Store,
    *,
    page: UnitPage,
    unit: dict[str, Any],
    viewer: Viewer,
    now: datetime,
    limits: dict[str, int] | None = None,
) -> Sections:
    """The four sections for a unit page already built for ``viewer``; a professional's read
    of persons' items is audit-logged like on the asset pages."""
    limits = limits or {}
    level = Level(page.unit.level)
    codes = area_codes(page.breadcrumb)
    buurt = buurt_code(page.breadcrumb)
    onlooker = Onlooker(viewer=viewer)
    assets = read_visible_assets(store, unit=unit, onlooker=onlooker, neighbourhood_code=buurt)
    audit_reads(store, onlooker, assets, action="report", now=now)
    here = build_here(
        store,
        unit=unit,
        assets=assets,
        onlooker=onlooker,
        neighbourhood_code=buurt,
        figures=figures_by_key(page),
        max_items=limits.get("assets"),
    )
    fits = build_fits(
        store,
        level=level,
        key=page.unit.key,
        viewer=viewer,
        area_codes=codes,
        limit=limits.get("suggestions"),
    )
    done = build_done(
        store,
        unit=unit,
        breadcrumb=page.breadcrumb,
        viewer=viewer,
        area_codes=codes,
        limit=limits.get("log"),
    )
    return Sections(
        here=here,
        living=build_living(page),
        fits=fits,
        done=done,
        assets=assets,
        sees_exact=viewer.sees_sensitive_in(codes),
    )


def report_viewer(viewer: Viewer) -> ReportViewer:
    """The viewer as the report names it."""
    msgid = ROLE_LABELS.get(viewer.role)
    return ReportViewer(
        role=viewer.role, label=_(msgid) if msgid else viewer.role, name=viewer.name
    )


def subtitle(page: UnitPage) -> str:
    """``Blok in Fruitbuurt, Demostad · 36 woningen · cijfers over 2025``."""
    areas = [r.name for r in reversed(page.breadcrumb[:-1]) if r.level in _AREA_NAMES]
    parts = [
        _("%(level)s in %(areas)s")
        % {"level": level_word(page.unit.level).capitalize(), "areas": ", ".join(areas)}
        if areas
        else level_word(page.unit.level).capitalize(),
        _("%(count)s dwellings") % {"count": format_number(page.unit.dwellings)},
    ]
    if page.year:
        parts.append(_("figures for %(year)s") % {"year": page.year})
    return " · ".join(parts)


_AREA_NAMES = ("neighbourhood", "municipality")


def buurt_code(trail: list[UnitRef]) -> str | None:
    """The CBS code of the buurt in a breadcrumb (None above buurt level)."""
    return next((r.key for r in trail if r.level == Level.NEIGHBOURHOOD.value), None)


def disclosure_note(sees_exact: bool) -> str:
    """What the reader must know about the figures of this version."""
    if sees_exact:
        return _(
            "This version holds exact figures, also small ones. Keep it within your work: "
            "do not share it with residents or the press."
        )
    return _(
        "Public version: figures about fewer than 10 dwellings or events are not shown, counts "
        "are rounded to 5, and below block level there are no sensitive figures."
    )


def extra_sources(parts: Sections) -> list[str]:
    """The app's own data used in the report."""
    found = [
        _("What is here: registered by residents and professionals."),
        _("Signals: the reporting point of veerkracht (counted)."),
        _("Map: veerkracht's own building outlines, no background map."),
    ]
    if parts.fits.shown:
        found.append(_("Suggestions: the catalogue of interventions (a source for each)."))
    if parts.done.count:
        found.append(_("What has been done: the log kept by professionals."))
    return found
