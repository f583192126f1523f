"""Fixtures for the web tests: a Demostad workspace built once per session, and a client."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from veerkracht.settings import Settings
from veerkracht.web import create_app

#: Small enough to build in a few seconds, large enough for every level and disclosure case.
DEMO_DWELLINGS = 6000


@pytest.fixture(scope="session")
def web_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings of a workspace holding a built Demostad (seed 1)."""
    from veerkracht.pipeline import run_demo

    settings = Settings(workspace=tmp_path_factory.mktemp("web-demo"))
    run_demo(settings, seed=1, dwellings=DEMO_DWELLINGS)
    return settings


@pytest.fixture(scope="session")
def client(web_settings: Settings) -> Iterator[TestClient]:
    """An in-process client of the app over the demo workspace."""
    with TestClient(create_app(web_settings)) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def tiny_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """A hand-made workspace (one street, two blocks) whose every figure is known."""
    from .tiny import make_tiny_workspace

    return make_tiny_workspace(tmp_path_factory.mktemp("web-tiny"))


@pytest.fixture(scope="session")
def tiny_client(tiny_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(tiny_settings)) as test_client:
        yield test_client
