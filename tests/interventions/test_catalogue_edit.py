"""Editing the catalogue in the app: entries checked like shipped ones, the effective catalogue,
retire/restore/revert, conflicts and the audit trail (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from veerkracht.errors import InputError, NotFound
from veerkracht.interventions.catalogue import CatalogueError, load_catalogue, shipped_catalogue
from veerkracht.interventions.catalogue_edit import (
    CatalogueConflict,
    EntryError,
    effective_catalogue,
    entry_toml,
    overlay,
    parse_conditions,
    parse_entry,
    restore_entry,
    retire_entry,
    revert_entry,
    save_entry,
)
from veerkracht.storage import Store
from veerkracht.storage import intervention_catalogue as overrides
from veerkracht.storage.audit import audit_rows

NOW = datetime(2025, 3, 1, 10, 0, 0)

NEW = """
[[intervention]]
id = "straatgesprek"
name = "Straatgesprek"
terrain = "light_connection"
levels = ["block", "street"]
target_group = "Alle bewoners van de straat."
goal = "Buren praten samen over wat beter kan."
approach = "Een opbouwwerker nodigt de straat uit voor een gesprek op de stoep."
who = "Welzijnsorganisatie."
cost = "laag"
evidence = "niet_beoordeeld"
sources = [{title = "Een praktijkvoorbeeld", publisher = "Een gemeente"}]
fits_when = [{findings = "warning", weight = 2}]
"""


def _fields(text: str) -> dict[str, list[str]]:
    with pytest.raises(EntryError) as caught:
        parse_entry(text, where="test")
    return caught.value.fields


def test_every_shipped_entry_round_trips_through_toml_text() -> None:
    for item in load_catalogue():
        assert parse_entry(entry_toml(item)) == item, item.id
    assert parse_entry(NEW).id == "straatgesprek"
    bare = NEW.replace("[[intervention]]\n", "")  # the fields at the top level work too
    assert parse_entry(bare).id == "straatgesprek"


@pytest.mark.parametrize(
    ("change", "field", "text"),
    [
        (('cost = "laag"', 'cost = "gratis"'), "cost", 'field "cost"'),
        (('goal = "Buren praten samen over wat beter kan."', 'goal = "x"'), "goal", "at least 3"),
        (("sources = [{title", "#sources = [{title"), "sources", "is required but missing"),
        (('{findings = "warning"', '{indicator = "geluk"'), "fits_when", "fits_when[0].indicator"),
        (('levels = ["block", "street"]', 'levels = ["blok"]'), "levels", 'level "blok"'),
        (('who = "Welzijnsorganisatie."', 'wie = "Welzijn."'), "wie", "is not a known field"),
    ],
)
def test_a_bad_entry_names_the_field(change: tuple[str, str], field: str, text: str) -> None:
    assert change[0] in NEW
    fields = _fields(NEW.replace(*change))
    assert field in fields, fields
    assert any(text in message for message in fields[field]), fields[field]
    with pytest.raises(CatalogueError) as caught:  # same wording as the shipped-file check
        parse_entry(NEW.replace(*change), where="intervention_catalogue")
    assert caught.value.problems[0].startswith('intervention_catalogue, intervention "')


def test_text_that_is_not_one_entry_is_refused() -> None:
    assert "not valid TOML" in _fields('id = "x')["toml"][0]
    assert "exactly one [[intervention]]" in _fields(NEW + NEW)["toml"][0]
    assert parse_conditions("", name="requires") == []
    with pytest.raises(EntryError) as caught:
        parse_conditions("[{indicator = }]", name="fits_when")
    assert "fits_when" in caught.value.fields


def test_the_effective_catalogue_overlays_the_stored_entries(store: Store) -> None:
    shipped = shipped_catalogue()
    assert [i.id for i in effective_catalogue(store)] == [i.id for i in shipped]

    edited = parse_entry(
        entry_toml(shipped.get("opzoomeren")).replace('cost = "laag"', 'cost = "hoog"')
    )
    save_entry(store, edited, editing="opzoomeren", by="admin", now=NOW, seen=None)
    added = save_entry(store, parse_entry(NEW), editing=None, by="admin", now=NOW, seen=None)

    catalogue = effective_catalogue(store)
    assert catalogue.get("opzoomeren").cost.value == "hoog"
    assert catalogue.interventions[-1] == added
    assert len(catalogue) == len(shipped) + 1
    assert catalogue.origins["opzoomeren"] == "edited"
    assert catalogue.origins["straatgesprek"] == "added"
    assert catalogue.origins["buurtcirkel"] == "shipped"
    actions = [r["action"] for r in audit_rows(store, record_type="intervention")]
    assert actions == ["edit", "add"]
    assert {r["actor"] for r in audit_rows(store, record_type="intervention")} == {"admin"}


def test_retire_restore_and_revert(store: Store) -> None:
    retire_entry(store, "buurtcirkel", by="admin", now=NOW)
    catalogue = effective_catalogue(store)
    assert "buurtcirkel" not in {i.id for i in catalogue}
    assert [i.id for i in catalogue.retired] == ["buurtcirkel"]
    with pytest.raises(InputError, match='"buurtcirkel" is not an active intervention'):
        retire_entry(store, "buurtcirkel", by="admin", now=NOW)

    later = NOW + timedelta(minutes=5)
    restore_entry(store, "buurtcirkel", by="admin", now=later)
    assert "buurtcirkel" in {i.id for i in effective_catalogue(store)}
    assert overrides.read_override(store, "buurtcirkel")["active"] is True

    revert_entry(store, "buurtcirkel", by="admin", now=later)
    assert overrides.read_overrides(store) == []
    with pytest.raises(InputError, match="no stored edit"):
        revert_entry(store, "buurtcirkel", by="admin", now=later)
    with pytest.raises(InputError, match="not an active intervention"):
        retire_entry(store, "bestaat_niet", by="admin", now=NOW)
    actions = [r["action"] for r in audit_rows(store, record_type="intervention")]
    assert actions == ["retire", "restore", "revert"]


def test_an_edited_retired_entry_stays_retired(store: Store) -> None:
    retire_entry(store, "opzoomeren", by="admin", now=NOW)
    seen = overrides.read_override(store, "opzoomeren")["updated_at"]
    item = effective_catalogue(store).retired[0]
    changed = parse_entry(entry_toml(item).replace('name = "Opzoomeren"', 'name = "Opzoomeren!"'))
    save_entry(store, changed, editing="opzoomeren", by="admin", now=NOW, seen=seen)
    catalogue = effective_catalogue(store)
    assert catalogue.retired[0].name == "Opzoomeren!"
    assert "opzoomeren" not in {i.id for i in catalogue}


def test_ids_must_be_new_when_adding_and_kept_when_editing(store: Store) -> None:
    entry = parse_entry(NEW)
    save_entry(store, entry, editing=None, by="admin", now=NOW, seen=None)
    with pytest.raises(EntryError) as caught:
        save_entry(store, entry, editing=None, by="admin", now=NOW, seen=None)
    assert "already used" in caught.value.fields["id"][0]
    shipped_id = parse_entry(NEW.replace('id = "straatgesprek"', 'id = "buurtcirkel"'))
    with pytest.raises(EntryError, match="already used"):
        save_entry(store, shipped_id, editing=None, by="admin", now=NOW, seen=None)
    with pytest.raises(EntryError) as caught:
        save_entry(store, entry, editing="buurtcirkel", by="admin", now=NOW, seen=None)
    assert 'expected "buurtcirkel"' in caught.value.fields["id"][0]
    with pytest.raises(NotFound):
        save_entry(store, entry, editing="bestaat_niet", by="admin", now=NOW, seen=None)


def test_a_stale_editor_changes_nothing(store: Store) -> None:
    item = shipped_catalogue().get("opzoomeren")
    save_entry(store, item, editing="opzoomeren", by="anna", now=NOW, seen=None)
    first = overrides.read_override(store, "opzoomeren")
    changed = parse_entry(entry_toml(item).replace('cost = "laag"', 'cost = "hoog"'))
    with pytest.raises(CatalogueConflict) as caught:  # opened before anna saved
        save_entry(store, changed, editing="opzoomeren", by="bram", now=NOW, seen=None)
    assert caught.value.http_status == 409 and caught.value.field == "version"
    assert overrides.read_override(store, "opzoomeren") == first
    later = NOW + timedelta(seconds=1)
    save_entry(store, changed, editing="opzoomeren", by="bram", now=later, seen=first["updated_at"])
    assert overrides.read_override(store, "opzoomeren")["updated_by"] == "bram"


def test_a_stored_entry_that_no_longer_validates_is_named_and_skipped() -> None:
    shipped = shipped_catalogue()
    broken = entry_toml(shipped.get("opzoomeren")).replace('cost = "laag"', 'cost = "gratis"')
    rows = [
        {"intervention_id": "opzoomeren", "body": broken, "active": True},
        {"intervention_id": "anders", "body": NEW, "active": True},
    ]
    catalogue = overlay(shipped, rows)
    assert catalogue.get("opzoomeren") == shipped.get("opzoomeren")
    assert "straatgesprek" not in {i.id for i in catalogue}
    assert any('row "opzoomeren"' in p and 'field "cost"' in p for p in catalogue.problems)
    assert any('row "anders", field "id"' in p for p in catalogue.problems)


def test_the_cli_lists_the_effective_catalogue(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from veerkracht.cli import cli
    from veerkracht.cli_common import console

    monkeypatch.setattr(console, "width", 250)  # one table row per line

    retire_entry(store, "opzoomeren", by="admin", now=NOW)
    save_entry(store, parse_entry(NEW), editing=None, by="admin", now=NOW, seen=None)
    url = store.engine.url.render_as_string(hide_password=False)
    runner = CliRunner(env={"VEERKRACHT_DATABASE_URL": url})
    result = runner.invoke(cli, ["interventions", "list", "--workspace", str(tmp_path)])
    assert result.exit_code == 0, result.output
    flat = " ".join(result.output.split())
    count = len(shipped_catalogue())
    assert f"{count} interventions, 1 retired" in flat
    assert "straatgesprek" in flat and "Opzoomeren (retired)" in flat
    shipped = runner.invoke(cli, ["interventions", "list"])
    assert f"{count} interventions" in " ".join(shipped.output.split())
    assert "straatgesprek" not in shipped.output
