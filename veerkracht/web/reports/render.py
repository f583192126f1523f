"""Reports as printable HTML (one self-contained file) and as PDF through WeasyPrint.

The HTML carries its print stylesheet and its images inline (data: URIs), so a saved file, the
web page and the PDF look the same and nothing is fetched from a network. WeasyPrint is imported
only when a PDF is made; without Debian's pango a clear error says what to install.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from babel.dates import format_date, format_datetime
from pydantic import BaseModel

from veerkracht.errors import UsageError, VeerkrachtError
from veerkracht.indicators.base import Unit
from veerkracht.web.filters import FILTERS
from veerkracht.web.i18n import DEFAULT_LOCALE, load_translations
from veerkracht.web.i18n import gettext as _
from veerkracht.web.pages.figures import short_value
from veerkracht.web.pages.models import Figure
from veerkracht.web.reports.models import Report

WEB = Path(__file__).resolve().parent.parent
TEMPLATES = WEB / "templates"
STYLESHEET = WEB / "static" / "css" / "report.css"
FORMATS = ("pdf", "html")


class PdfUnavailable(VeerkrachtError):
    """WeasyPrint or the system libraries it needs (pango) are not installed."""

    http_status = 503
    exit_code = 1


class ReportLinks(BaseModel):
    """Links of the web version (not printed): back to the unit page, the PDF, the JSON twin."""

    unit: str
    pdf: str
    json_url: str


def render_html(report: Report, *, links: ReportLinks | None = None) -> str:
    """The report as one self-contained, printable HTML document (Dutch)."""
    template = _environment().get_template("report.html")
    return template.render(
        report=report, links=links, css=STYLESHEET.read_text(encoding="utf-8"), lang="nl"
    )


def render_pdf(html: str) -> bytes:
    """The HTML of a report as an A4 PDF."""
    weasyprint = _weasyprint()
    return bytes(weasyprint.HTML(string=html, base_url=str(WEB)).write_pdf())


def write_report(report: Report, path: Path, *, fmt: str) -> int:
    """Write ``report`` as ``fmt`` (pdf or html) to ``path``; returns the number of bytes."""
    if fmt not in FORMATS:
        raise UsageError(f'format "{fmt}" is not one of {", ".join(FORMATS)}')
    html = render_html(report)
    data = render_pdf(html) if fmt == "pdf" else html.encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return len(data)


def _weasyprint() -> Any:
    """WeasyPrint, or PdfUnavailable naming what to install (pango comes from Debian)."""
    try:
        import weasyprint
    except ImportError as error:
        raise PdfUnavailable(
            f"making a PDF needs WeasyPrint ({error}); install veerkracht with its dependencies "
            "(pip install -e .) or choose --format html"
        ) from None
    except OSError as error:  # cffi could not open libpango / libgobject
        raise PdfUnavailable(
            f"making a PDF needs the pango library ({error}); install it with "
            "`apt-get install libpango-1.0-0 libpangoft2-1.0-0` (or run scripts/ensure-system.sh), "
            "or choose --format html"
        ) from None
    return weasyprint


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(  # type: ignore[attr-defined]
        load_translations(DEFAULT_LOCALE), newstyle=True
    )
    env.filters.update(FILTERS)
    env.filters.update(
        {
            "long_date": long_date,
            "month_year": month_year,
            "made_at": made_at,
            "figure_value": figure_value,
            "figure_estimate": figure_estimate,
            "figure_parent": figure_parent,
        }
    )
    return env


def figure_value(figure: Figure) -> str:
    """The value as a table cell shows it; a rate's "per 100 dwellings" is in its label."""
    if figure.withheld:
        return figure.text
    return figure.value_text if figure.unit == Unit.PER_100 else figure.text


def figure_estimate(figure: Figure) -> str:
    """``geschat 14,9 (11,4–18,8)``: the shrunk estimate in few words (empty when not shown)."""
    if not figure.estimate_text or figure.unit != Unit.PER_100:
        return figure.estimate_text
    est, lo, hi = (
        short_value(v, figure.unit) for v in (figure.estimate, figure.lower, figure.upper)
    )
    return _("estimated %(value)s") % {"value": f"{est} ({lo}–{hi})"}


def figure_parent(figure: Figure) -> str:
    """``straat: 14,3``: the same figure one level up, in few words (empty when withheld)."""
    parent = figure.parent
    if parent is None or parent.value is None:
        return ""
    return f"{parent.level_label}: {short_value(parent.value, figure.unit)}"


def long_date(value: date | datetime) -> str:
    """``21 november 2026``."""
    return format_date(value, format="d MMMM y", locale=DEFAULT_LOCALE)


def month_year(value: date) -> str:
    """``maart 2023``."""
    return format_date(value, format="MMMM y", locale=DEFAULT_LOCALE)


def made_at(value: datetime) -> str:
    """``21 november 2026, 14:03``."""
    return format_datetime(value, format="d MMMM y, HH:mm", locale=DEFAULT_LOCALE)
