"""The report on the web: printable HTML, the PDF, the JSON twin, and the link on the unit page."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from veerkracht.web import create_app

from .checks import public_problems
from .conftest import Demo


@pytest.fixture(scope="module")
def client(demo: Demo) -> Iterator[TestClient]:
    with TestClient(create_app(demo.settings)) as test_client:
        yield test_client


@pytest.mark.slow
def test_printable_page_pdf_and_json_twin(client: TestClient, demo: Demo) -> None:
    url = f"/units/block/{demo.block}"
    page = client.get(f"{url}/report")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert f'href="{url}/report.pdf"' in page.text and f'href="/api{url}/report"' in page.text
    assert "Wat is hier" in page.text and "openbare versie" in page.text
    pdf = client.get(f"{url}/report.pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    assert f"veerkracht-block-{demo.block}.pdf" in pdf.headers["content-disposition"]
    twin = client.get(f"/api{url}/report")
    assert twin.status_code == 200
    data = twin.json()
    assert data["viewer"]["role"] == "public" and data["fits"]["shown"] is False
    assert [s["title"] for s in (data["here"], data["living"], data["fits"], data["done"])] == [
        "Wat is hier",
        "Hoe gaat het samenleven",
        "Wat past hier",
        "Wat is er gedaan",
    ]
    from veerkracht.web.reports.models import Report

    assert public_problems(Report.model_validate(data)) == []


def test_unit_pages_link_to_their_report(client: TestClient, demo: Demo) -> None:
    block = client.get(f"/units/block/{demo.block}").text
    assert f'href="/units/block/{demo.block}/report"' in block
    buurt = client.get(f"/units/neighbourhood/{demo.buurt}").text
    assert f'href="/units/neighbourhood/{demo.buurt}/report"' in buurt
    entrance = client.get("/api/units?level=entrance").json()["units"][0]
    assert "/report" not in client.get(entrance["url"]).text.split("<main", 1)[1]


def test_errors(client: TestClient) -> None:
    assert client.get("/units/block/GEEN/report").status_code == 404
    assert client.get("/api/units/block/GEEN/report").status_code == 404
    wrong = client.get("/api/units/district/WK999901/report")
    assert wrong.status_code == 422 and "district" in wrong.json()["detail"]
    assert client.get("/units/blok/X/report.pdf").status_code == 422
