"""The vignette as a PDF: it renders, page 1 turned into a PNG is a real A4 page, the text
holds every section heading, and the public version carries no person's surname or address."""

from __future__ import annotations

import importlib.abc
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from veerkracht.assessment.disclosure import PUBLIC, Viewer
from veerkracht.domain.levels import Level
from veerkracht.web.reports.render import PdfUnavailable, render_html, render_pdf, write_report
from veerkracht.web.reports.vignette import build_report

from .conftest import NOW, Demo

HEADINGS = ("Wat is hier", "Hoe gaat het samenleven", "Wat past hier", "Wat is er gedaan")
#: An A4 page at 60 dpi: 8.27 × 11.69 inch.
A4_AT_60_DPI = (496, 702)


def _pdf(demo: Demo, viewer: Viewer, tmp_path: Path, name: str) -> Path:
    report = build_report(demo.store, level=Level.BLOCK, key=demo.block, viewer=viewer, now=NOW)
    path = tmp_path / f"{name}.pdf"
    assert write_report(report, path, fmt="pdf") == path.stat().st_size
    return path


def _text(pdf: Path, *pages: str) -> str:
    done = subprocess.run(["pdftotext", *pages, "-layout", str(pdf), "-"], capture_output=True)
    assert done.returncode == 0, done.stderr
    return " ".join(done.stdout.decode("utf-8").split())


@pytest.mark.slow
def test_public_vignette_pdf_renders_on_one_page_with_every_section(
    demo: Demo, tmp_path: Path
) -> None:
    pdf = _pdf(demo, PUBLIC, tmp_path, "public")
    assert pdf.read_bytes().startswith(b"%PDF-")
    done = subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
        capture_output=True,
    )
    assert done.returncode == 0, done.stderr
    (png,) = tmp_path.glob("page*.png")
    with Image.open(png) as image:
        width, height = image.size
        assert abs(width - A4_AT_60_DPI[0]) <= 1 and abs(height - A4_AT_60_DPI[1]) <= 1
        pixels = np.asarray(image.convert("L"), dtype=float)
    assert png.stat().st_size > 20_000, "a page with a map, tables and text"
    assert (pixels < 128).mean() > 0.01, "there is ink on the page"
    page_one = _text(pdf, "-f", "1", "-l", "1")
    for heading in (*HEADINGS, "Bronnen"):
        assert heading in page_one, heading
    assert "Blok " in page_one and "openbare versie" in page_one
    assert "minder dan 10 woningen of gebeurtenissen tonen we niet" in page_one


@pytest.mark.slow
def test_public_pdf_has_no_surname_address_suggestion_or_log_entry(
    demo: Demo, tmp_path: Path
) -> None:
    text = _text(_pdf(demo, PUBLIC, tmp_path, "public"))
    assert "Fatima" in text and "Soep koken voor zieke buren" in text
    assert "Noor" in text and "Bankje bij de voordeur" in text
    for hidden in ("van den Berg", "Willem", "Jansen", "Priya", "Yilmaz", "de Wit"):
        assert hidden not in text, hidden
    assert demo.address not in text and demo.postcode not in text
    assert demo.log_title not in text and "Welzijn Demostad" not in text
    assert "geschat" not in text, "estimates are made from exact counts"
    assert "Bewijs:" not in text, "no suggestions in the public version"


@pytest.mark.slow
def test_professional_pdf_shows_suggestions_and_log(demo: Demo, tmp_path: Path) -> None:
    viewer = Viewer(role="professional", name="welzijn")
    text = _text(_pdf(demo, viewer, tmp_path, "professional"))
    for heading in HEADINGS:
        assert heading in text
    assert "Bewijs:" in text and "geen oordeel over de straat" in text
    assert demo.log_title in text and "Welzijn Demostad" in text
    assert "Willem" in text and "Jansen" not in text
    assert "precieze cijfers" in text and "voor professionals" in text


def test_missing_pango_gives_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    class NoPango(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):  # type: ignore[no-untyped-def]
            if name == "weasyprint":
                raise OSError("cannot load library 'libpango-1.0-0': No such file")
            return None

    monkeypatch.delitem(sys.modules, "weasyprint", raising=False)
    monkeypatch.setattr(sys, "meta_path", [NoPango(), *sys.meta_path])
    with pytest.raises(PdfUnavailable, match="pango") as caught:
        render_pdf("<p>x</p>")
    assert "apt-get install libpango-1.0-0" in str(caught.value)
    assert "--format html" in str(caught.value)


@pytest.mark.slow
def test_html_is_self_contained(demo: Demo) -> None:
    report = build_report(demo.store, level=Level.BLOCK, key=demo.block, viewer=PUBLIC, now=NOW)
    html = render_html(report)
    assert html.startswith("<!doctype html>") and '<html lang="nl">' in html
    for heading in HEADINGS:
        assert heading in html
    assert 'src="data:image/png;base64,' in html and "@page" in html
    assert "http://" not in html and "https://" not in html, "nothing fetched from a network"
    assert 'alt="Kaart van' in html


@pytest.mark.slow
def test_buurt_report_pdf_keeps_every_part(demo: Demo, tmp_path: Path) -> None:
    """The block list runs over a page break; nothing after it may get lost."""
    report = build_report(
        demo.store, level=Level.NEIGHBOURHOOD, key=demo.buurt, viewer=PUBLIC, now=NOW
    )
    pdf = tmp_path / "buurt.pdf"
    write_report(report, pdf, fmt="pdf")
    text = _text(pdf)
    for heading in ("BUURTRAPPORT", "Blokken in deze buurt", *HEADINGS, "Bronnen"):
        assert heading in text, heading
    assert '"Niet getoond"' in text, "the note under the block list"
