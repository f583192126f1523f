"""A Demostad workspace (seed 1, 6000 dwellings) per backend, with residents' items added to the
block on top of the warning list: offers by a resident (public, block-only, pending), an
initiative and an intervention log entry, so every section of a report has something to show
or to withhold."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.conftest import DATABASE_PREFIX
from veerkracht import pipeline
from veerkracht.settings import Settings
from veerkracht.storage import Store
from veerkracht.storage.assets import insert_asset
from veerkracht.storage.initiatives import insert_initiative, insert_supporter
from veerkracht.storage.intervention_log import add_log_entry
from veerkracht.storage.units import read_dwellings_of, read_findings, read_unit

NOW = datetime(2026, 3, 2, 10, 0)


@dataclass(frozen=True)
class Demo:
    """A built Demostad workspace and the facts the tests check reports against."""

    settings: Settings
    store: Store
    block: str  # the block with the highest warning score
    street: str  # its street
    buurt: str  # its buurt
    address: str  # "Kersenboomstraat 147": the home of the resident who offers something
    postcode: str
    log_title: str


@pytest.fixture(
    scope="session", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def demo(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Demo]:
    """Demostad on SQLite and on PostgreSQL, built once per backend for the report tests."""
    workspace = tmp_path_factory.mktemp(f"reports-{request.param}")
    if request.param == "sqlite":
        yield from _built(workspace, f"sqlite:///{workspace / 'veerkracht.sqlite'}")
        return
    admin = request.getfixturevalue("postgres_admin")
    name = f"{DATABASE_PREFIX}{uuid.uuid4().hex[:16]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        url = admin.url.set(database=name).render_as_string(hide_password=False)
        yield from _built(workspace, url)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _built(workspace: Path, url: str) -> Iterator[Demo]:
    settings = Settings(workspace=workspace, database_url=url)
    pipeline.run_demo(settings, seed=1, dwellings=6000)
    store = pipeline.store_for(settings)
    try:
        yield _with_residents_items(settings, store)
    finally:
        store.dispose()


def _with_residents_items(settings: Settings, store: Store) -> Demo:
    warnings = read_findings(store, "warning", level="block")
    block = str(warnings.sort_values("score", ascending=False).iloc[0]["key"])
    unit = read_unit(store, "block", block)
    street = str(unit["parent_key"])
    buurt = str(read_unit(store, "street", street)["parent_key"])
    homes = read_dwellings_of(store, "block_key", block)
    # a home whose address is not part of the block's name ("Blok Kersenboomstraat 145–155")
    home = next(
        row
        for row in homes.to_dict("records")
        if f"{row['street_name']} {row['house_number']}" not in str(unit["name"])
    )
    address = f"{home['street_name']} {home['house_number']}"
    point = unit["geometry"].representative_point()
    for number, (first_name, title, audience, status) in enumerate(
        [
            ("Fatima van den Berg", "Soep koken voor zieke buren", "public", "approved"),
            ("Willem Jansen", "Hulp bij de computer", "block", "approved"),
            ("Priya Ramdin", "Samen naar de markt", "public", "pending"),
        ],
        start=1,
    ):
        insert_asset(
            store,
            {
                "asset_id": f"REPORT-TEST-{number}",
                "kind": "gift",
                "name": title,
                "description": "Voor wie ziek is of net uit het ziekenhuis komt.",
                "visibility": audience,
                "status": status,
                "x": point.x,
                "y": point.y,
                "origin": "resident",
                "first_name": first_name,
                "dwelling_id": str(home["dwelling_id"]),
                "level": "block",
                "unit_key": block,
                "block_key": block,
                "street_key": street,
                "neighbourhood_code": buurt,
                "created_at": NOW,
            },
        )
    insert_initiative(
        store,
        {
            "initiative_id": "REPORT-TEST-INITIATIVE",
            "title": "Bankje bij de voordeur",
            "description": "Een bankje bij de ingang, zodat buren even kunnen zitten.",
            "status": "active",
            "level": "block",
            "unit_key": block,
            "x": point.x,
            "y": point.y,
            "block_key": block,
            "street_key": street,
            "neighbourhood_code": buurt,
            "owner_first_name": "Noor Yilmaz",
            "owner_hash": "0" * 64,
            "approved": True,
            "created_at": NOW,
            "activated_at": NOW,
        },
        [],
    )
    for number in range(3):
        insert_supporter(
            store,
            {
                "initiative_id": "REPORT-TEST-INITIATIVE",
                "supporter_hash": f"{number}" * 64,
                "first_name": "Kees de Wit",
                "joined_at": NOW,
            },
        )
    log_title = "Huiskamer in de portiek"
    add_log_entry(
        store,
        title=log_title,
        level="block",
        unit_key=block,
        started_on=date(2024, 9, 1),
        organisation="Welzijn Demostad",
        aim="Buren leren elkaar kennen op de trap.",
        origin="app",
        now=NOW,
    )
    return Demo(
        settings=settings,
        store=store,
        block=block,
        street=street,
        buurt=buurt,
        address=address,
        postcode=str(home["postcode"]),
        log_title=log_title,
    )
