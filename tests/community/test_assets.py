"""Assets in Demostad: add without an account, moderate, count, withdraw (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import pytest

from veerkracht.community.assets import (
    RESIDENT,
    add_on_behalf,
    asset_for_link,
    change_asset,
    is_stale,
    professional,
    submit_asset,
)
from veerkracht.community.audience import PUBLIC_ONLOOKER, Onlooker
from veerkracht.community.rules import (
    ASSET_INDICATORS,
    AssetNotAllowed,
    AssetRejected,
    AssetTransitionRefused,
)
from veerkracht.community.views import items_in_unit, visible
from veerkracht.domain.frames import SourceData
from veerkracht.indicators.refresh import refresh_indicators
from veerkracht.settings import Settings
from veerkracht.storage import assets as asset_store
from veerkracht.storage import audit as audit_store
from veerkracht.storage import sources as source_store
from veerkracht.storage.engine import Store

from .conftest import NOW
from .helpers import EAST, WEST, dwelling_in, figure, indicator_rows, offer

SETTINGS = Settings()


def test_a_residents_offer_is_pending_tied_to_the_block_and_shown_by_first_name(
    demo_store: Store,
) -> None:
    home = dwelling_in(demo_store, district="WK999901")
    receipt = submit_asset(demo_store, offer(home), now=NOW)
    row = asset_store.read_asset(demo_store, receipt.asset_id)
    assert row is not None and receipt.created and receipt.token
    assert row["status"] == "pending" and row["origin"] == "resident"
    assert row["first_name"] == "Joke"  # never the surname
    assert row["dwelling_id"] == home["dwelling_id"]  # kept, but private
    assert (row["level"], row["unit_key"]) == ("block", home["block_key"])
    assert row["entrance_key"] == home["entrance_key"]
    assert row["street_key"] == home["street_key"]
    assert row["edit_hash"] != receipt.token and len(row["edit_hash"]) == 64
    assert asset_for_link(demo_store, receipt.token)["asset_id"] == receipt.asset_id
    # pending: not for the public, not in analytics
    rows = items_in_unit(demo_store, level="block", key=home["block_key"])
    assert receipt.asset_id not in {r["asset_id"] for r in visible(rows, PUBLIC_ONLOOKER)}
    assert receipt.asset_id not in set(source_store.read_frame(demo_store, "assets")["asset_id"])


def test_every_wrong_field_is_named_at_once(demo_store: Store) -> None:
    home = dwelling_in(demo_store, district="WK999901")
    with pytest.raises(AssetRejected) as rejected:
        submit_asset(
            demo_store,
            offer(
                home,
                kind="wish",
                title="<b>x</b>",
                description=f"Ik woon op {home['street_name']} {home['house_number']}",
                consent=False,
                postcode="12345",
                contact_email="geen-adres",
            ),
            now=NOW,
        )
    assert set(rejected.value.errors) == {
        "kind",
        "title",
        "consent",
        "postcode",
        "contact_email",
    }
    with pytest.raises(AssetRejected) as address_in_text:
        submit_asset(
            demo_store,
            offer(home, description=f"Bel aan op {home['street_name']} {home['house_number']}"),
            now=NOW,
        )
    assert set(address_in_text.value.errors) == {"description"}
    with pytest.raises(AssetRejected) as unknown:
        submit_asset(demo_store, offer(home, postcode="9999 ZZ"), now=NOW)
    assert unknown.value.errors["postcode"][0] == "We cannot find this address in the area."


def test_approving_raises_the_blocks_figure_and_withdrawing_lowers_it_again(
    demo_store: Store,
) -> None:
    home = dwelling_in(demo_store, district="WK999901")
    block = home["block_key"]
    before = figure(demo_store, "block", block, "offers_nearby")
    receipt = submit_asset(demo_store, offer(home), now=NOW)
    assert figure(demo_store, "block", block, "offers_nearby") == before  # pending: not counted
    change_asset(
        demo_store, receipt.asset_id, "approve", by=professional(WEST), now=NOW, settings=SETTINGS
    )
    assert figure(demo_store, "block", block, "offers_nearby") == before + 1
    rows = items_in_unit(demo_store, level="block", key=block)
    assert receipt.asset_id in {r["asset_id"] for r in visible(rows, PUBLIC_ONLOOKER)}
    assert receipt.asset_id in set(source_store.read_frame(demo_store, "assets")["asset_id"])

    change_asset(demo_store, receipt.asset_id, "withdraw", by=RESIDENT, now=NOW, settings=SETTINGS)
    assert figure(demo_store, "block", block, "offers_nearby") == before
    row = asset_store.read_asset(demo_store, receipt.asset_id)
    assert row is not None and row["status"] == "withdrawn" and row["withdrawn_at"] == NOW
    assert (row["name"], row["description"], row["first_name"]) == ("", None, None)
    assert row["dwelling_id"] is None and row["contact_email"] is None
    rows = items_in_unit(demo_store, level="block", key=block)
    everyone = Onlooker(viewer=WEST, resident_blocks=frozenset({block}))
    assert receipt.asset_id not in {r["asset_id"] for r in visible(rows, everyone)}
    assert receipt.asset_id not in set(source_store.read_frame(demo_store, "assets")["asset_id"])
    changes = audit_store.audit_rows(demo_store, record_type="asset", record_id=receipt.asset_id)
    assert [(a["actor"], a["detail"]) for a in changes] == [
        ("welzijn", "approve: pending -> approved"),
        ("resident", "withdraw: approved -> withdrawn"),
    ]


def test_only_professionals_in_scope_moderate(demo_store: Store) -> None:
    home = dwelling_in(demo_store, district="WK999901")
    receipt = submit_asset(demo_store, offer(home), now=NOW)
    with pytest.raises(AssetNotAllowed):
        change_asset(
            demo_store,
            receipt.asset_id,
            "approve",
            by=professional(EAST),
            now=NOW,
            settings=SETTINGS,
        )
    with pytest.raises(AssetTransitionRefused):
        change_asset(
            demo_store, receipt.asset_id, "approve", by=RESIDENT, now=NOW, settings=SETTINGS
        )
    with pytest.raises(AssetNotAllowed):
        professional(WEST.__class__(role="analyst", name="analist"))
    assert asset_store.read_asset(demo_store, receipt.asset_id)["status"] == "pending"  # type: ignore[index]


def test_an_active_resident_is_for_professionals_only_and_counted(demo_store: Store) -> None:
    home = dwelling_in(demo_store, district="WK999901")
    block = home["block_key"]
    before = figure(demo_store, "block", block, "active_residents_nearby")
    receipt = add_on_behalf(
        demo_store,
        offer(home, kind="active_resident", title="Houdt de portiek schoon", audience="public"),
        by=professional(WEST),
        now=NOW,
        settings=SETTINGS,
    )
    row = asset_store.read_asset(demo_store, receipt.asset_id)
    assert row is not None
    assert (row["status"], row["visibility"], row["created_by"]) == (
        "approved",
        "professional",
        "welzijn",
    )
    assert figure(demo_store, "block", block, "active_residents_nearby") == before + 1
    rows = items_in_unit(demo_store, level="block", key=block)
    neighbour = Onlooker(resident_blocks=frozenset({block}))
    assert receipt.asset_id not in {r["asset_id"] for r in visible(rows, neighbour)}
    assert receipt.asset_id in {r["asset_id"] for r in visible(rows, Onlooker(viewer=WEST))}
    assert receipt.asset_id not in {r["asset_id"] for r in visible(rows, Onlooker(viewer=EAST))}


def test_stale_items_are_found_and_confirming_makes_them_fresh(demo_store: Store) -> None:
    home = dwelling_in(demo_store, district="WK999901")
    receipt = add_on_behalf(
        demo_store, offer(home), by=professional(WEST), now=NOW, settings=SETTINGS
    )
    later = NOW + timedelta(days=400)
    row = asset_store.read_asset(demo_store, receipt.asset_id)
    assert row is not None and is_stale(row, now=later, months=12)
    assert not is_stale(row, now=later, months=14)
    change_asset(demo_store, receipt.asset_id, "confirm", by=RESIDENT, now=later, settings=SETTINGS)
    row = asset_store.read_asset(demo_store, receipt.asset_id)
    assert row is not None and row["confirmed_at"] == later
    assert not is_stale(row, now=later, months=12)
    change_asset(
        demo_store, receipt.asset_id, "retire", by=professional(WEST), now=later, settings=SETTINGS
    )
    assert asset_store.read_asset(demo_store, receipt.asset_id)["status"] == "retired"  # type: ignore[index]


def test_refreshing_reproduces_what_the_build_stored(demo_store: Store) -> None:
    keys = [*ASSET_INDICATORS, "long_stay_share"]
    before = indicator_rows(demo_store, keys)
    written = refresh_indicators(demo_store, SETTINGS, keys)
    assert written == len(before) > 0
    pd.testing.assert_frame_equal(before, indicator_rows(demo_store, keys), check_dtype=False)


def test_a_reimport_of_the_demo_replaces_only_its_own_rows(demo_store: Store) -> None:
    home = dwelling_in(demo_store, district="WK999901")
    receipt = submit_asset(demo_store, offer(home), now=NOW)
    demo_rows = asset_store.read_assets(demo_store)
    demo_rows = demo_rows[demo_rows["origin"] == "demo"]
    frame = source_store.read_frame(demo_store, "assets")
    frame = frame[frame["origin"] == "demo"].head(3)
    source_store.write_source(
        demo_store,
        SourceData(name="demostad", assets=frame),
        path="test",
        sha256="",
        report={},
    )
    after = asset_store.read_assets(demo_store)
    assert receipt.asset_id in set(after["asset_id"])  # the resident's item survives
    assert (after["origin"] == "demo").sum() == 3 < len(demo_rows)


def test_a_withdrawn_place_leaves_the_hsds_export(demo_store: Store) -> None:
    from veerkracht.community.hsds import export_hsds

    home = dwelling_in(demo_store, district="WK999901")
    place = offer(home, kind="place", title="Bankje bij de waterpomp", first_name=None)
    receipt = submit_asset(demo_store, place, now=NOW)

    def exported() -> str:
        return str(export_hsds(demo_store))

    assert "Bankje bij de waterpomp" not in exported()  # pending
    change_asset(
        demo_store, receipt.asset_id, "approve", by=professional(WEST), now=NOW, settings=SETTINGS
    )
    assert "Bankje bij de waterpomp" in exported()
    change_asset(demo_store, receipt.asset_id, "withdraw", by=RESIDENT, now=NOW, settings=SETTINGS)
    assert "Bankje bij de waterpomp" not in exported()
