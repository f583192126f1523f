"""Open Referral HSDS 3.0 export: every record validates against the vendored schemas and has
every required field; residents' offers, stories, active residents and non-public items never
leave veerkracht."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd
from click.testing import CliRunner

from veerkracht.cli import cli
from veerkracht.community import hsds
from veerkracht.storage import Store, open_store
from veerkracht.storage import tables as t

X, Y = 121_000.0, 487_000.0  # Amsterdam, near the Dam (52.37 N, 4.89 E)

# asset_id, kind, name, description, visibility, status, opening hours
ASSETS: list[tuple[Any, ...]] = [
    (
        "inst",
        "institution",
        "Buurthuis De Linde",
        "Koffie-ochtend en spreekuur",
        "public",
        "approved",
        "ma-vr 9:00-17:00, wo-avond 19:00-21:00",
    ),
    ("club", "association", "Bewonerscommissie", "", "public", None, None),
    (
        "shop",
        "economy",
        "Buurtsuper",
        "Winkel met bankje",
        "public",
        "approved",
        "ma-za 8:00-20:00",
    ),
    ("bench", "place", "Bankje", "Bankje aan de stoep", "public", "approved", "altijd"),
    ("yard", "place", "Binnentuin", "", "public", "approved", None),
    # never exported:
    ("gift", "gift", "Ik repareer fietsen", "", "public", "approved", None),
    ("story", "story", "Verhaal van de vijver", "", "public", "approved", None),
    ("active", "active_resident", "Actieve bewoner", "", "professional", "approved", None),
    ("pending", "institution", "Nieuwe huisarts", "", "public", "pending", None),
    ("gone", "place", "Oud bankje", "", "public", "withdrawn", None),
    ("blockonly", "place", "Tuin achter", "", "block", "approved", None),
    ("prof", "institution", "Wijkteam", "", "professional", "approved", None),
]
EXPORTED = {"inst", "club", "shop", "bench", "yard"}


def assets() -> pd.DataFrame:
    frame = pd.DataFrame(
        ASSETS,
        columns=[
            "asset_id",
            "kind",
            "name",
            "description",
            "visibility",
            "status",
            "opening_hours",
        ],
    )
    frame["x"] = [X + 10 * i for i in range(len(frame))]
    frame["y"] = Y
    frame["first_name"] = "Joke van Dijk"
    frame["contact_email"] = "joke@example.org"
    frame["block_key"] = "B1"
    frame["neighbourhood_code"] = "BU99990100"
    return frame


def test_every_record_validates_and_has_every_required_field() -> None:
    data = hsds.build_hsds(assets())
    assert hsds.validate_export(data) == []
    for table in hsds.TABLES:
        schema = hsds.load_schema(table)
        required = [*schema["required"], *schema.get("tabular_required", [])]
        for record in getattr(data, table):
            assert all(record.get(f) not in (None, "") for f in required), (table, record)
    assert data.counts() == {
        "organization": 4,  # three of their own and one for the meeting places
        "service": 5,
        "location": 5,
        "service_at_location": 5,
        "schedule": 3,  # two rules of the buurthuis, one of the shop; "altijd" is not read
    }
    assert {r["external_identifier"] for r in data.location} == EXPORTED
    text = json.dumps(hsds.organization_documents(data), ensure_ascii=False)
    assert "Joke" not in text and "example.org" not in text and "fietsen" not in text
    inst = next(r for r in data.location if r["external_identifier"] == "inst")
    assert 52.36 < inst["latitude"] < 52.38 and 4.88 < inst["longitude"] < 4.90


def test_validation_finds_what_is_missing() -> None:
    data = hsds.build_hsds(assets())
    del data.service[0]["name"]
    data.location[0]["location_type"] = "somewhere"
    data.service_at_location[0]["location_id"] = None
    problems = hsds.validate_export(data)
    assert any("'name' is a required property" in p for p in problems)
    assert any("location_type: 'somewhere' is not one of" in p for p in problems)
    assert any("service_at_location" in p and "location_id is required" in p for p in problems)


def test_organisation_documents_nest_services_locations_and_schedules() -> None:
    docs = hsds.organization_documents(hsds.build_hsds(assets()))
    by_name = {d["name"]: d for d in docs}
    house = by_name["Buurthuis De Linde"]
    (service,) = house["services"]
    assert [(s["byday"], s["opens_at"], s["closes_at"]) for s in service["schedules"]] == [
        ("MO,TU,WE,TH,FR", "09:00", "17:00"),
        ("WE", "19:00", "21:00"),
    ]
    assert service["service_at_locations"][0]["location"]["name"] == "Buurthuis De Linde"
    places = by_name[hsds.PLACES_ORGANISATION["name"]]
    assert sorted(loc["name"] for loc in places["locations"]) == ["Bankje", "Binnentuin"]
    assert by_name["Bewonerscommissie"]["description"] == (
        "Bewonerscommissie (vereniging of bewonersgroep)"
    )


def test_csv_package_has_one_file_per_table(tmp_path: Path) -> None:
    data = hsds.build_hsds(assets())
    counts = hsds.write_csv(data, tmp_path)
    assert counts["service"] == 5
    package = json.loads((tmp_path / "datapackage.json").read_text("utf-8"))
    paths = [r["path"] for r in package["resources"]]
    assert paths == [
        "organizations.csv",
        "services.csv",
        "locations.csv",
        "service_at_location.csv",
        "schedules.csv",
    ]
    for resource, table in zip(package["resources"], hsds.TABLES, strict=True):
        with (tmp_path / resource["path"]).open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        assert list(rows[0]) == hsds.tabular_columns(table)
        assert [f["name"] for f in resource["schema"]["fields"]] == hsds.tabular_columns(table)
        assert len(rows) == counts[table]
    archive = zipfile.ZipFile(io.BytesIO(hsds.csv_zip(data)))
    assert sorted(archive.namelist()) == sorted([*paths, "datapackage.json"])


def test_opening_hours() -> None:
    assert hsds.parse_opening_hours("Mo-Fr 09:00-17:00; Sa 10:00-12:00") == [
        {"byday": "MO,TU,WE,TH,FR", "opens_at": "09:00", "closes_at": "17:00"},
        {"byday": "SA", "opens_at": "10:00", "closes_at": "12:00"},
    ]
    assert hsds.parse_opening_hours("ma, wo, vr 9.00-12.30") == [
        {"byday": "MO,WE,FR", "opens_at": "09:00", "closes_at": "12:30"}
    ]
    for unreadable in (
        "24/7",
        "op afspraak",
        "ma-vr 9:00-17:00 behalve feestdagen",
        "vr-ma 9:00-17:00",
        "ma 17:00-9:00",
        "",
    ):
        assert hsds.parse_opening_hours(unreadable) == [], unreadable


def _insert(store: Store) -> None:
    rows = [
        {k: None if isinstance(v, float) and v != v else v for k, v in r.items()}
        for r in assets().to_dict("records")
    ]
    with store.engine.begin() as conn:
        conn.execute(t.assets.insert(), rows)


def test_export_from_the_store(store: Store) -> None:
    _insert(store)
    data = hsds.export_hsds(store)
    assert hsds.validate_export(data) == []
    assert {r["external_identifier"] for r in data.location} == EXPORTED


def test_cli_writes_json_and_csv(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    store = open_store(f"sqlite:///{workspace / 'veerkracht.sqlite'}")
    try:
        _insert(store)
    finally:
        store.dispose()
    runner = CliRunner()
    out = tmp_path / "hsds.json"
    result = runner.invoke(
        cli,
        ["export", "hsds", "--format", "json", "--out", str(out), "--workspace", str(workspace)],
    )
    assert result.exit_code == 0, result.output
    assert "Wrote 4 organisations" in result.output
    assert len(json.loads(out.read_text("utf-8"))) == 4
    folder = tmp_path / "csv"
    result = runner.invoke(
        cli,
        ["export", "hsds", "--format", "csv", "--out", str(folder), "--workspace", str(workspace)],
    )
    assert result.exit_code == 0, result.output
    assert (folder / "services.csv").is_file() and "5 service" in result.output
    bad = runner.invoke(cli, ["export", "hsds", "--format", "xml", "--out", str(out)])
    assert bad.exit_code == 2 and "xml" in bad.output
