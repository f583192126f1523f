"""Web fixtures for the signal tests: a Demostad workspace with accounts, clients, a live server."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import uvicorn
from fastapi.testclient import TestClient

from veerkracht.settings import Settings
from veerkracht.web import create_app

from .conftest import build_demo

PASSWORDS: dict[str, str] = {}


@pytest.fixture(scope="session")
def signals_web_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """A Demostad workspace (SQLite) with the demo accounts and routing rules."""
    settings = Settings(workspace=tmp_path_factory.mktemp("signals-web"), secret_key="s" * 40)
    for username, password, _role in build_demo(settings):
        PASSWORDS[username] = password
    return settings


def new_client(settings: Settings) -> TestClient:
    return TestClient(create_app(settings))


def form_token(client: TestClient, path: str, name: str = "csrf_token") -> str:
    html = client.get(path).text
    found = re.search(rf'name="{name}" value="([^"]+)"', html)
    assert found, f"no {name} on {path}"
    return found.group(1)


def log_in(client: TestClient, username: str) -> None:
    csrf = form_token(client, "/login")
    response = client.post(
        "/login",
        data={"username": username, "password": PASSWORDS[username], "csrf_token": csrf},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


def submit_form(client: TestClient, **fields: str) -> str:
    """Submit the intake form like a browser; returns the personal follow path."""
    page = client.get("/signals/new").text
    data = {
        "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', page).group(1),  # type: ignore[union-attr]
        "submission_key": re.search(r'name="submission_key" value="([^"]+)"', page).group(1),  # type: ignore[union-attr]
        **fields,
    }
    response = client.post("/signals", data=data, follow_redirects=False)
    assert response.status_code == 303, response.text
    return response.headers["location"].split("?")[0]


@contextmanager
def live_server(settings: Settings) -> Iterator[str]:
    """A real uvicorn server on a free loopback port, in a background thread."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(
        create_app(settings),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        limit_concurrency=1000,
        backlog=2048,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)


def workspace_of(settings: Settings) -> Path:
    return settings.workspace
