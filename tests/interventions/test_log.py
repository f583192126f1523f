"""The intervention log: field checks name the field, the one door checks role and scope,
stores on SQLite and PostgreSQL, and every write recounts the presence indicator."""

from __future__ import annotations

from datetime import date, datetime

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from veerkracht.assessment.disclosure import Viewer
from veerkracht.domain.frames import CRS_RD
from veerkracht.errors import InputError, NotFound
from veerkracht.interventions.log import (
    LogEntryError,
    LogForbidden,
    add_entry,
    check_entry,
    end_entry,
    read_entries,
)
from veerkracht.settings import Settings
from veerkracht.storage import Store
from veerkracht.storage.intervention_log import read_log, read_log_entry
from veerkracht.storage.units import read_indicator_table, write_build

NOW = datetime(2026, 3, 2, 10, 0)
YEAR = 2025
X0, Y0 = 136_000.0, 455_000.0
#: Two buurten in two wijken; each: one street, one block, one building, one entrance.
PLACES = {
    "A": ("BU00010101", "WK000101", "Astraat|BU00010101", "BLA", "0001100000000001", "EA"),
    "B": ("BU00010201", "WK000102", "Bstraat|BU00010201", "BLB", "0001100000000002", "EB"),
}
GOOD = {
    "title": "Portiekgesprekken",
    "level": "block",
    "unit_key": "BLA",
    "organisation": "Woonstad",
    "aim": "Afspraken in de portiek",
    "started_on": "2024-03-01",
    "intervention_id": "portiekgesprekken",
}
KNOWN = ("portiekgesprekken", "buurtbemiddeling")
WRITER_A = Viewer(role="professional", scope=frozenset({"WK000101"}), name="sanne")


def _build(store: Store) -> None:
    dwellings, units = [], []
    for n, (name, (buurt, wijk, street, block, building, entrance)) in enumerate(PLACES.items()):
        shape = box(X0 + 100 * n, Y0, X0 + 100 * n + 20, Y0 + 10)
        for i in range(3):
            dwellings.append(
                {
                    "dwelling_id": f"00010100000{n}{i:04d}",
                    "building_id": building,
                    "street_name": f"{name}straat",
                    "house_number": i + 1,
                    "x": X0 + 100 * n + i,
                    "y": Y0 + 5,
                    "entrance_key": entrance,
                    "block_key": block,
                    "street_key": street,
                    "neighbourhood_code": buurt,
                    "district_code": wijk,
                    "municipality_code": "GM0001",
                }
            )
        units += [
            ("district", wijk, f"Wijk {name}", "GM0001", 3, shape),
            ("neighbourhood", buurt, f"Buurt {name}", wijk, 3, shape),
            ("street", street, f"{name}straat", buurt, 3, shape),
            ("block", block, f"Blok {name}", street, 3, shape),
            ("building", building, f"Pand {name}", block, 3, shape),
            ("entrance", entrance, f"Portiek {name}", building, 3, shape),
        ]
    units.append(("municipality", "GM0001", "Gemeente", None, 6, box(X0, Y0, X0 + 120, Y0 + 10)))
    frame = pd.DataFrame(units, columns=["level", "key", "name", "parent_key", "dwellings", "g"])
    geo = gpd.GeoDataFrame(frame.drop(columns="g"), geometry=list(frame["g"]), crs=CRS_RD)
    geo["x"], geo["y"] = geo.geometry.centroid.x, geo.geometry.centroid.y
    write_build(
        store,
        dwellings=pd.DataFrame(dwellings),
        units=geo,
        indicators=pd.DataFrame(
            columns=["level", "key", "year", "indicator", "value", "numerator", "denominator"]
        ),
        reference_year=YEAR,
        summary={},
    )


@pytest.fixture
def built(store: Store, settings: Settings) -> tuple[Store, Settings]:
    _build(store)
    return store, settings


def _presence(store: Store, level: str) -> dict[str, float]:
    table = read_indicator_table(store, level, YEAR)
    rows = table[table["indicator"] == "interventions_active"]
    return dict(zip(rows["key"], rows["value"], strict=True))


# ---- field checks (no store) ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": "  "}, "title"),
        ({"organisation": ""}, "organisation"),
        ({"aim": None}, "aim"),
        ({"level": "wijk"}, "level"),
        ({"unit_key": ""}, "unit_key"),
        ({"started_on": "1-3-2024"}, "started_on"),
        ({"started_on": ""}, "started_on"),
        ({"started_on": "2027-01-01"}, "started_on"),
        ({"ended_on": "2024-02-01"}, "ended_on"),
        ({"ended_on": "maart"}, "ended_on"),
        ({"intervention_id": "toverstaf"}, "intervention_id"),
        ({"title": "x" * 201}, "title"),
    ],
)
def test_a_wrong_field_is_named(change: dict[str, object], field: str) -> None:
    with pytest.raises(LogEntryError) as caught:
        check_entry({**GOOD, **change}, today=NOW.date(), known_interventions=KNOWN)
    assert caught.value.field == field
    assert list(caught.value.errors) == [field]
    assert f'field "{field}"' in str(caught.value) and isinstance(caught.value, InputError)


def test_every_wrong_field_is_named_at_once_and_has_dutch_text() -> None:
    from veerkracht.web.i18n import gettext

    with pytest.raises(LogEntryError) as caught:
        check_entry({"level": "block"}, today=NOW.date(), known_interventions=KNOWN)
    assert set(caught.value.errors) == {"title", "organisation", "aim", "unit_key", "started_on"}
    dutch = caught.value.messages(gettext)
    assert dutch["title"] == "Geef een korte titel: wat wordt er gedaan?"
    assert dutch["started_on"] == "Geef een datum, zoals 2024-03-01."


def test_a_good_entry_is_cleaned() -> None:
    entry = check_entry(
        {
            **GOOD,
            "title": "  Portiek\tgesprekken  ",
            "notes": "regel 1\r\nregel  2",
            "ended_on": "",
        },
        today=NOW.date(),
        known_interventions=KNOWN,
    )
    assert entry.title == "Portiek gesprekken" and entry.notes == "regel 1\nregel 2"
    assert entry.started_on == date(2024, 3, 1) and entry.ended_on is None
    assert entry.intervention_id == "portiekgesprekken"
    assert check_entry({**GOOD, "intervention_id": ""}, today=NOW.date()).intervention_id is None


# ---- the one door (SQLite and PostgreSQL) ---------------------------------------------------


def test_professional_adds_and_ends_in_scope_and_presence_follows(built) -> None:  # type: ignore[no-untyped-def]
    store, settings = built
    log_id = add_entry(store, settings, GOOD, by=WRITER_A, now=NOW, known_interventions=KNOWN)
    entry = read_log_entry(store, log_id)
    assert entry["created_by"] == "sanne" and entry["origin"] == "app"
    assert entry["started_on"] == date(2024, 3, 1) and entry["ended_on"] is None
    # a block-level entry counts for its block, street, buurt, wijk and gemeente, not elsewhere
    assert _presence(store, "block") == {"BLA": 1.0, "BLB": 0.0}
    assert _presence(store, "neighbourhood") == {"BU00010101": 1.0, "BU00010201": 0.0}
    assert _presence(store, "entrance") == {"EA": 1.0, "EB": 0.0}
    assert _presence(store, "municipality") == {"GM0001": 1.0}
    ended = end_entry(store, settings, log_id, "2024-12-31", by=WRITER_A, now=NOW)
    assert ended["ended_on"] == date(2024, 12, 31) and ended["updated_at"] is not None
    assert _presence(store, "block") == {"BLA": 0.0, "BLB": 0.0}  # not running in 2025


def test_scope_and_roles_are_checked(built) -> None:  # type: ignore[no-untyped-def]
    store, settings = built
    outside = {**GOOD, "unit_key": "BLB"}
    with pytest.raises(LogForbidden, match="outside your area"):
        add_entry(store, settings, outside, by=WRITER_A, now=NOW, known_interventions=KNOWN)
    for role in ("analyst", "public"):
        with pytest.raises(LogForbidden, match="may not change"):
            add_entry(
                store, settings, GOOD, by=Viewer(role=role), now=NOW, known_interventions=KNOWN
            )
    # the whole municipality is not within a wijk's scope; an admin may log it
    city = {**GOOD, "level": "municipality", "unit_key": "GM0001"}
    with pytest.raises(LogForbidden):
        add_entry(store, settings, city, by=WRITER_A, now=NOW, known_interventions=KNOWN)
    admin = Viewer(role="admin", name="admin")
    city_id = add_entry(store, settings, city, by=admin, now=NOW, known_interventions=KNOWN)
    assert _presence(store, "block") == {"BLA": 1.0, "BLB": 1.0}
    with pytest.raises(LogForbidden):
        end_entry(store, settings, city_id, "2025-01-01", by=WRITER_A, now=NOW)
    assert read_log(store)["log_id"].tolist() == [city_id]


def test_unknown_unit_and_wrong_end_name_the_field(built) -> None:  # type: ignore[no-untyped-def]
    store, settings = built
    with pytest.raises(LogEntryError) as caught:
        add_entry(
            store,
            settings,
            {**GOOD, "unit_key": "BLX"},
            by=WRITER_A,
            now=NOW,
            known_interventions=KNOWN,
        )
    assert caught.value.field == "unit_key" and "BLX" in str(caught.value)
    log_id = add_entry(store, settings, GOOD, by=WRITER_A, now=NOW, known_interventions=KNOWN)
    for wrong in ("2023-01-01", "2026-03-03", "", "gisteren"):
        with pytest.raises(LogEntryError) as caught:
            end_entry(store, settings, log_id, wrong, by=WRITER_A, now=NOW)
        assert caught.value.field == "ended_on"
    with pytest.raises(NotFound, match="no intervention log entry"):
        end_entry(store, settings, "nope", "2025-01-01", by=WRITER_A, now=NOW)


def test_readers_see_only_their_area_and_the_public_nothing(built) -> None:  # type: ignore[no-untyped-def]
    store, settings = built
    admin = Viewer(role="admin", name="admin")
    for key, start in (("BLA", "2021-01-01"), ("BLB", "2023-05-01")):
        add_entry(
            store,
            settings,
            {**GOOD, "unit_key": key, "started_on": start},
            by=admin,
            now=NOW,
            known_interventions=KNOWN,
        )
    everything = read_entries(store, viewer=Viewer(role="analyst"))
    assert everything["unit_key"].tolist() == ["BLB", "BLA"]  # newest start first
    assert everything["area_codes"].iloc[0] == ["BU00010201", "GM0001", "WK000102"]
    mine = read_entries(store, viewer=Viewer(role="analyst", scope=frozenset({"BU00010101"})))
    assert mine["unit_key"].tolist() == ["BLA"]
    assert read_entries(store, viewer=admin, running_year=2022)["unit_key"].tolist() == ["BLA"]
    with pytest.raises(LogForbidden):
        read_entries(store, viewer=Viewer())
