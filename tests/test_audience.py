"""Visibility of community items: every audience × status × onlooker."""

from __future__ import annotations

import pytest

from veerkracht.assessment.disclosure import Viewer
from veerkracht.community.audience import (
    Onlooker,
    area_codes_of,
    can_see,
    first_name_only,
)

BUURT = "BU03630000"
PUBLIC = Onlooker()
NEIGHBOUR = Onlooker(resident_blocks=frozenset({"BL1"}))
PRO_HERE = Onlooker(Viewer(role="professional", scope=frozenset({"WK036300"})))
PRO_ELSEWHERE = Onlooker(Viewer(role="professional", scope=frozenset({"BU05990101"})))
ANALYST = Onlooker(Viewer(role="analyst"))


@pytest.mark.parametrize(
    ("onlooker", "audience", "status", "expected"),
    [
        (PUBLIC, "public", "approved", True),
        (PUBLIC, None, None, True),
        (PUBLIC, "block", "approved", False),
        (PUBLIC, "professional", "approved", False),
        (PUBLIC, "public", "pending", False),
        (NEIGHBOUR, "block", "approved", True),
        (NEIGHBOUR, "block", "pending", False),
        (NEIGHBOUR, "professional", "approved", False),
        (PRO_HERE, "professional", "approved", True),
        (PRO_HERE, "block", "pending", True),
        (PRO_HERE, "public", "withdrawn", False),
        (PRO_HERE, "public", "retired", False),
        (PRO_ELSEWHERE, "professional", "approved", False),
        (PRO_ELSEWHERE, "public", "approved", True),
        (ANALYST, "block", "approved", False),
        (ANALYST, "public", "approved", True),
    ],
)
def test_can_see(onlooker: Onlooker, audience: str, status: str, expected: bool) -> None:
    assert (
        can_see(
            onlooker, audience=audience, status=status, block_key="BL1", neighbourhood_code=BUURT
        )
        is expected
    )


def test_neighbour_of_another_block_does_not_see_block_items() -> None:
    other = Onlooker(resident_blocks=frozenset({"BL2"}))
    assert not can_see(
        other, audience="block", status="approved", block_key="BL1", neighbourhood_code=BUURT
    )


def test_area_codes_and_first_names() -> None:
    assert area_codes_of(BUURT) == {BUURT, "WK036300", "GM0363"}
    assert area_codes_of(None) == set()
    assert first_name_only("  Fatima de Vries ") == "Fatima"
    assert first_name_only("") == ""
