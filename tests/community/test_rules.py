"""The asset workflow as data: the transition table, checked by one function."""

from __future__ import annotations

import pytest

from veerkracht.community.audience import GONE, ItemStatus
from veerkracht.community.rules import (
    TRANSITIONS,
    ActorKind,
    AssetAction,
    AssetTransitionRefused,
    allowed_actions,
    check_transition,
    status_of,
)

R, P = ActorKind.RESIDENT, ActorKind.PROFESSIONAL


def test_only_professionals_moderate_and_residents_can_always_withdraw() -> None:
    assert check_transition(ItemStatus.PENDING, AssetAction.APPROVE, P) is ItemStatus.APPROVED
    assert check_transition(ItemStatus.PENDING, AssetAction.REJECT, P) is ItemStatus.REJECTED
    with pytest.raises(AssetTransitionRefused) as refused:
        check_transition(ItemStatus.PENDING, AssetAction.APPROVE, R)
    assert refused.value.values["allowed"] == "withdraw, confirm"
    for status in (
        ItemStatus.PENDING,
        ItemStatus.APPROVED,
        ItemStatus.REJECTED,
        ItemStatus.RETIRED,
    ):
        assert check_transition(status, AssetAction.WITHDRAW, R) is ItemStatus.WITHDRAWN


def test_withdrawn_is_final_and_gone_items_can_only_be_withdrawn() -> None:
    assert allowed_actions(ItemStatus.WITHDRAWN, P) == []
    assert allowed_actions(ItemStatus.WITHDRAWN, R) == []
    for (status, action), (_after, _who) in TRANSITIONS.items():
        if status in GONE:
            assert action is AssetAction.WITHDRAW
    with pytest.raises(AssetTransitionRefused):
        check_transition(ItemStatus.REJECTED, AssetAction.APPROVE, P)


def test_confirm_keeps_the_status_and_retire_needs_an_approved_item() -> None:
    assert check_transition(ItemStatus.APPROVED, AssetAction.CONFIRM, R) is ItemStatus.APPROVED
    assert check_transition(ItemStatus.APPROVED, AssetAction.RETIRE, P) is ItemStatus.RETIRED
    with pytest.raises(AssetTransitionRefused):
        check_transition(ItemStatus.PENDING, AssetAction.RETIRE, P)


def test_an_empty_status_counts_as_approved() -> None:
    assert status_of({"status": None}) is ItemStatus.APPROVED
    assert status_of({}) is ItemStatus.APPROVED
    assert status_of({"status": "pending"}) is ItemStatus.PENDING
