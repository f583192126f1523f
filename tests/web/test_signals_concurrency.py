# ruff: noqa: F811  (fixtures imported from tests.signals are redefined as parameters)
"""200 concurrent submissions (each sent twice, as a retry would) against a running uvicorn
server on loopback are stored exactly once, on SQLite and on PostgreSQL."""

from __future__ import annotations

import re
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from tests.signals.conftest import (  # noqa: F401
    backend,
    demo_postgres_template,
    demo_sqlite_file,
    demo_url,
)
from tests.signals.web import live_server
from veerkracht.settings import Settings
from veerkracht.storage import open_store
from veerkracht.storage.tables import signals

pytestmark = pytest.mark.slow

SUBMISSIONS = 200
WORKERS = 32


def _submit_twice(base_url: str, number: int, run: str) -> tuple[str, str]:
    """One submission and its retry with the same key; even numbers by form, odd by API."""
    description = f"Lawaai {run} nummer {number}"
    with httpx.Client(base_url=base_url, timeout=60) as client:
        if number % 2 == 0:
            page = client.get("/signals/new").text
            data = {
                "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', page).group(1),  # type: ignore[union-attr]
                "submission_key": re.search(r'name="submission_key" value="([^"]+)"', page).group(
                    1
                ),  # type: ignore[union-attr]
                "category": "overlast_geluid",
                "description": description,
                "address": "Kersenboomstraat 3",
            }
            first = client.post("/signals", data=data)
            retry = client.post("/signals", data=data)
            assert first.status_code == retry.status_code == 303, first.text
            return first.headers["location"], retry.headers["location"]
        body = {
            "category": "overlast_geluid",
            "description": description,
            "address": "Kersenboomstraat 3",
            "submission_key": f"{run}-{number:04d}-key",
        }
        first = client.post("/api/signals", json=body)
        retry = client.post("/api/signals", json=body)
        assert first.status_code == 201 and retry.status_code == 200, (first.text, retry.text)
        return first.json()["follow_url"], retry.json()["follow_url"]


def test_concurrent_submissions_are_stored_exactly_once(demo_url: str, tmp_path: Path) -> None:  # noqa: F811
    settings = Settings(
        workspace=tmp_path / "workspace", database_url=demo_url, secret_key="c" * 40
    )
    run = uuid.uuid4().hex[:8]
    store = open_store(demo_url)
    try:
        with store.engine.connect() as conn:
            before = conn.execute(select(func.count()).select_from(signals)).scalar_one()
        with live_server(settings) as base_url, ThreadPoolExecutor(WORKERS) as pool:
            results = list(pool.map(lambda n: _submit_twice(base_url, n, run), range(SUBMISSIONS)))
        assert all(first == retry for first, retry in results)
        assert len({first for first, _ in results}) == SUBMISSIONS
        with store.engine.connect() as conn:
            after = conn.execute(select(func.count()).select_from(signals)).scalar_one()
            ours = conn.execute(
                select(signals.c.description, func.count())
                .where(signals.c.description.like(f"Lawaai {run} %"))
                .group_by(signals.c.description)
            ).all()
    finally:
        store.dispose()
    assert after - before == SUBMISSIONS
    assert len(ours) == SUBMISSIONS and all(count == 1 for _, count in ours)
