"""Intake: a resident reports without an account; the signal is placed, routed and stored once."""

from __future__ import annotations

from pathlib import Path

import pytest

from veerkracht.signals.errors import IntakeRejected
from veerkracht.signals.intake import Intake, submit_signal
from veerkracht.storage import Store
from veerkracht.storage import signals as signal_store

from .conftest import NOW
from .helpers import NOISE_TEXT, SECRET, WORRY_TEXT, submit

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_noise_and_worry_are_stored_placed_and_routed(demo_store: Store, tmp_path: Path) -> None:
    noise = submit(
        demo_store, tmp_path, category="overlast_geluid", description=NOISE_TEXT, now=NOW
    )
    worry = submit(demo_store, tmp_path, category="zorg_om_buur", description=WORRY_TEXT, now=NOW)
    assert not noise.person and worry.person
    stored = {
        s: signal_store.read_signal(demo_store, s) for s in (noise.signal_id, worry.signal_id)
    }
    for row in stored.values():
        assert row is not None
        assert row["status"] == "gemeld" and row["created_at"] == NOW
        assert 130_000 < row["x"] < 150_000 and 450_000 < row["y"] < 460_000  # RD New
        assert row["neighbourhood_code"] == "BU99990100" and row["district_code"] == "WK999901"
        assert row["address"] == "Kersenboomstraat 3" and row["block_key"] and row["street_key"]
        assert row["follow_hash"] and noise.follow_token not in str(row.values())
    assert stored[worry.signal_id]["team_id"] == "wijkteam-west"  # type: ignore[index]
    assert stored[worry.signal_id]["category"] == "zorg_om_buur"  # type: ignore[index]
    assert stored[noise.signal_id]["team_id"] == "woonstad-beheer"  # type: ignore[index]
    points = signal_store.read_signal_points(demo_store)
    assert {noise.signal_id, worry.signal_id} <= set(points["signal_id"])
    assert bool(points.set_index("signal_id").loc[worry.signal_id, "person"])


def test_a_retried_submission_is_stored_once_with_the_same_receipt(
    demo_store: Store, tmp_path: Path
) -> None:
    before = signal_store.count_signals(demo_store)
    first = submit(
        demo_store,
        tmp_path,
        category="overlast_afval",
        description="Afval op de stoep",
        now=NOW,
        submission_key="retry-key-123456",
    )
    again = submit(
        demo_store,
        tmp_path,
        category="overlast_afval",
        description="Afval op de stoep",
        now=NOW,
        submission_key="retry-key-123456",
    )
    assert first.created and not again.created
    assert (again.signal_id, again.follow_token) == (first.signal_id, first.follow_token)
    assert signal_store.count_signals(demo_store) == before + 1


def test_a_place_on_the_map_is_placed_at_the_nearest_address(
    demo_store: Store, tmp_path: Path
) -> None:
    from veerkracht.storage.signals import read_dwelling

    dwelling = signal_store.find_addresses(demo_store, "Kersenboomstraat", 3)[0]
    from pyproj import Transformer

    long, lat = Transformer.from_crs(28992, 4326, always_xy=True).transform(
        dwelling["x"] + 2, dwelling["y"]
    )
    receipt = submit(
        demo_store,
        tmp_path,
        category="onveilig",
        description="Donker pad zonder licht",
        now=NOW,
        address=None,
        lat=lat,
        long=long,
    )
    row = signal_store.read_signal(demo_store, receipt.signal_id)
    assert row is not None and row["neighbourhood_code"] == "BU99990100"
    assert read_dwelling(demo_store, row["dwelling_id"]) is not None
    assert row["team_id"] == "politie-wijk"


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"description": "x" * 2001}, "description", "too long"),
        ({"description": 12345}, "description", "Give text"),
        ({"category": ["overlast_geluid"]}, "category", "Give text"),
        ({"category": "potholes"}, "category", "Choose one of the kinds"),
        ({"description": "Kijk <script>alert(1)</script>"}, "description", "<script>"),
        ({"description": '<img src=x onerror="alert(1)">'}, "description", "<script>"),
        ({"contact_email": "not-an-address"}, "contact_email", "not an e-mail address"),
        ({"contact_phone": "call me maybe"}, "contact_phone", "digits"),
        ({"photo": b"%PDF-1.7 not an image"}, "photo", "not a photo"),
        ({"photo": b"GIF89a" + b"\x00" * 6_000_000}, "photo", "too large"),
        ({"address": "Nergensstraat 999"}, "address", "cannot find this address"),
        ({"address": None, "lat": 52.37, "long": 4.89}, "address", "outside the area"),
        ({"address": None, "lat": "north", "long": "east"}, "address", "not a number"),
        ({"address": None}, "address", "Give an address"),
        ({"submission_key": "<>"}, "submission_key", "not complete"),
    ],
)
def test_bad_input_is_rejected_with_a_clear_message(
    demo_store: Store, tmp_path: Path, fields: dict[str, object], field: str, message: str
) -> None:
    values: dict[str, object] = {
        "category": "overlast_geluid",
        "description": NOISE_TEXT,
        "address": "Kersenboomstraat 3",
        **fields,
    }
    before = signal_store.count_signals(demo_store)
    with pytest.raises(IntakeRejected) as rejected:
        submit_signal(demo_store, Intake(**values), secret=SECRET, workspace=tmp_path, now=NOW)  # type: ignore[arg-type]
    msgid, params = rejected.value.errors[field]
    assert message in msgid % params
    assert signal_store.count_signals(demo_store) == before


def test_a_photo_is_checked_by_content_and_stored_in_the_workspace(
    demo_store: Store, tmp_path: Path
) -> None:
    receipt = submit(
        demo_store,
        tmp_path,
        category="overlast_afval",
        description="Matras op straat",
        now=NOW,
        photo=PNG,
    )
    row = signal_store.read_signal(demo_store, receipt.signal_id)
    assert row is not None and row["photo"] == f"{receipt.signal_id}.png"
    assert (tmp_path / "signal-photos" / row["photo"]).read_bytes() == PNG
