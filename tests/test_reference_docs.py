"""Docs that cannot drift: the generated reference pages match the code."""

from pathlib import Path

import pytest

from veerkracht.cli import cli
from veerkracht.reference_docs import render_cli, render_indicators, render_settings

DOCS = Path(__file__).resolve().parents[1] / "docs"


@pytest.mark.parametrize(
    ("name", "render"),
    [
        ("indicators.md", render_indicators),
        ("settings.md", render_settings),
        ("cli.md", lambda: render_cli(cli)),
    ],
)
def test_generated_page_is_up_to_date(name, render) -> None:
    assert (DOCS / name).read_text(encoding="utf-8") == render(), (
        f"docs/{name} is out of date: run `veerkracht docs`"
    )


def test_every_setting_is_described() -> None:
    from veerkracht.reference_docs import SETTINGS_MODELS

    for model in SETTINGS_MODELS:
        for name, field in model.model_fields.items():
            assert field.description, f"setting {name} has no description"
