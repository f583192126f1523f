"""Initiatives owned by residents: moderation, three supporters make it active, the one door for
status changes, personal links, neighbourhood budgets — on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from veerkracht.assessment.disclosure import PUBLIC, Viewer
from veerkracht.community import budgets
from veerkracht.community import initiative_status as states
from veerkracht.community import initiatives as rules
from veerkracht.community.audience import PUBLIC_ONLOOKER, Onlooker
from veerkracht.community.initiative_checks import InitiativeRejected
from veerkracht.errors import NotFound
from veerkracht.storage import Store
from veerkracht.storage import initiatives as db
from veerkracht.storage import tables as t

from .helpers import EAST, WEST, dwelling_in

SECRET = "test-secret"
ADMIN = Viewer(role="admin", name="admin")


def propose(store: Store, home: dict[str, Any], now: Any, **overrides: Any) -> rules.Receipt:
    values: dict[str, Any] = {
        "title": "Bankjes bij de ingang",
        "description": "Twee bankjes bij de ingang, zodat buren even kunnen zitten en praten.",
        "needs": "Bankjes en een middag klussen",
        "first_name": "Fatima El Amrani",
        "postcode": home["postcode"],
        "house_number": str(home["house_number"]),
        "level": "block",
        "email": "fatima@example.org",
    }
    values.update(overrides)
    return rules.propose(store, rules.Proposal(**values), secret=SECRET, now=now)


def join(store: Store, initiative_id: str, name: str, now: Any, key: str) -> rules.Receipt:
    return rules.join(
        store, initiative_id, first_name=name, submission_key=key, secret=SECRET, now=now
    )


@pytest.fixture
def home(demo_store: Store) -> dict[str, Any]:
    taken = {r["block_key"] for r in db.read_initiatives(demo_store) if r["block_key"]}
    return dwelling_in(demo_store, district="WK999901", skip_blocks=taken)


def test_three_supporters_make_an_approved_proposal_active(demo_store, home, backend) -> None:  # type: ignore[no-untyped-def]
    from tests.signals.conftest import NOW

    receipt = propose(demo_store, home, NOW)
    row = db.read_initiative(demo_store, receipt.initiative_id)
    assert row is not None and row["status"] == "proposed" and not row["approved"]
    # only unit keys are kept: the block of the address, its street and buurt, not the address
    assert (row["level"], row["unit_key"]) == ("block", home["block_key"])
    assert row["street_key"] == home["street_key"] and "dwelling_id" not in row
    assert row["owner_first_name"] == "Fatima"
    # moderated first: invisible to the public and to a professional elsewhere, seen by WEST
    assert not rules.can_see_initiative(PUBLIC_ONLOOKER, row)
    assert not rules.can_see_initiative(Onlooker(viewer=EAST), row)
    assert rules.can_see_initiative(Onlooker(viewer=WEST), row)
    with pytest.raises(NotFound):
        join(demo_store, receipt.initiative_id, "Henk", NOW, "join-key-0001")
    with pytest.raises(NotFound):  # an administrator of another wijk does not see it at all
        rules.moderate(
            demo_store,
            receipt.initiative_id,
            approve=True,
            viewer=Viewer(role="admin", scope=frozenset({"WK999902"}), name="x"),
            note=None,
            now=NOW,
        )
    rules.moderate(demo_store, receipt.initiative_id, approve=True, viewer=WEST, note="ok", now=NOW)
    tokens = []
    for k, name in enumerate(("Henk", "Joyce", "Mo")):
        got = join(
            demo_store,
            receipt.initiative_id,
            name,
            NOW + timedelta(hours=k + 1),
            f"join-key-000{k}",
        )
        assert got.created and got.activated == (k == 2)
        tokens.append(got.token)
    row = db.read_initiative(demo_store, receipt.initiative_id)
    assert row is not None and row["status"] == "active"
    assert row["activated_at"] == NOW + timedelta(hours=3)
    updates = db.read_updates(demo_store, receipt.initiative_id)
    assert [(u["kind"], u["author"], u["text"], u["public"]) for u in updates] == [
        ("status", "owner", "proposed", True),
        ("status", "welzijn", "approved", False),
        ("update", "welzijn", "ok", False),
        ("status", "system", "active", True),
    ]
    # a retried join (same key) is stored once; the supporters are counted, not named
    again = join(demo_store, receipt.initiative_id, "Mo", NOW, "join-key-0002")
    assert not again.created and again.token == tokens[2]
    assert db.count_supporters(demo_store, [receipt.initiative_id])[receipt.initiative_id] == 3
    view = rules.public_view(row)
    assert "Henk" not in str(view) and "fatima@example.org" not in str(view)
    assert "El Amrani" not in str(view) and "owner_hash" not in view
    # withdrawing support lowers the count; the initiative stays active (the owner carries it)
    assert rules.withdraw_support(demo_store, tokens[0], now=NOW)
    assert not rules.withdraw_support(demo_store, tokens[0], now=NOW)
    assert db.count_supporters(demo_store, [receipt.initiative_id])[receipt.initiative_id] == 2
    assert db.read_initiative(demo_store, receipt.initiative_id)["status"] == "active"  # type: ignore[index]


def test_the_owner_link_edits_posts_and_closes_through_the_transition_table(
    demo_store,
    home,
    backend,  # type: ignore[no-untyped-def]
) -> None:
    from tests.signals.conftest import NOW

    receipt = propose(demo_store, home, NOW, submission_key="owner-key-0001")
    # a retried proposal (same key) gives the same link and stores nothing new
    again = propose(demo_store, home, NOW, submission_key="owner-key-0001")
    assert (again.initiative_id, again.token, again.created) == (
        receipt.initiative_id,
        receipt.token,
        False,
    )
    with pytest.raises(NotFound):
        rules.read_owned(demo_store, "not-a-link")
    rules.edit(
        demo_store,
        receipt.token,
        title="Bankjes en bloemen",
        description="Twee bankjes en wat bloembakken bij de ingang.",
        needs="",
        now=NOW,
    )
    assert db.read_initiative(demo_store, receipt.initiative_id)["title"] == "Bankjes en bloemen"  # type: ignore[index]
    # the owner may not activate it: only the system does, from three supporters
    with pytest.raises(states.TransitionRefused) as refused:
        rules.close(demo_store, receipt.token, "active", note=None, now=NOW)
    assert refused.value.values["allowed"] == "withdrawn"
    with pytest.raises(states.TransitionRefused):
        rules.close(demo_store, receipt.token, "finished", note=None, now=NOW)
    rules.close(demo_store, receipt.token, "withdrawn", note="Toch niet", now=NOW)
    row = db.read_initiative(demo_store, receipt.initiative_id)
    assert row is not None and row["status"] == "withdrawn" and row["closed_at"] == NOW
    # withdrawn: gone everywhere, also for professionals in scope
    assert not rules.can_see_initiative(Onlooker(viewer=WEST), row)
    with pytest.raises(states.NotOpen):
        rules.post_update(demo_store, receipt.token, "Nieuws", now=NOW)


def test_the_transition_table_is_the_only_door() -> None:
    assert states.next_statuses("proposed", states.Actor.OWNER) == [
        states.InitiativeStatus.WITHDRAWN
    ]
    assert states.next_statuses("proposed", states.Actor.SYSTEM) == [states.InitiativeStatus.ACTIVE]
    assert states.next_statuses("active", states.Actor.PROFESSIONAL) == [
        states.InitiativeStatus.DONE,
        states.InitiativeStatus.STOPPED,
    ]
    for closed in ("done", "stopped", "withdrawn"):
        for actor in states.Actor:
            assert states.next_statuses(closed, actor) == []
    with pytest.raises(states.TransitionRefused):
        states.check_transition("active", "proposed", states.Actor.PROFESSIONAL)


def test_budget_requests_and_decisions_form_a_public_record(demo_store, home, backend) -> None:  # type: ignore[no-untyped-def]
    from tests.signals.conftest import NOW

    receipt = propose(demo_store, home, NOW)
    rules.moderate(demo_store, receipt.initiative_id, approve=True, viewer=WEST, note=None, now=NOW)
    budget = budgets.create_budget(
        demo_store,
        name="Buurtbudget test",
        area_code=home["neighbourhood_code"],
        year=2031,
        amount="1.000",
        viewer=ADMIN,
    )
    assert (budget["amount"], budget["remaining"]) == (1000.0, 1000.0)
    with pytest.raises(budgets.NotActive):  # proposed: not yet three supporters
        budgets.request_budget(
            demo_store,
            receipt.token,
            budget_id=budget["budget_id"],
            amount=100,
            purpose="Twee bankjes kopen",
            now=NOW,
        )
    for k, name in enumerate(("A", "B", "C")):
        join(demo_store, receipt.initiative_id, name, NOW, f"budget-join-{k:04d}")
    with pytest.raises(InitiativeRejected) as too_much:
        budgets.request_budget(
            demo_store,
            receipt.token,
            budget_id=budget["budget_id"],
            amount="1200",
            purpose="Twee bankjes kopen",
            now=NOW,
        )
    assert "amount" in too_much.value.errors
    first = budgets.request_budget(
        demo_store,
        receipt.token,
        budget_id=budget["budget_id"],
        amount="600",
        purpose="Twee bankjes kopen",
        now=NOW,
    )
    second = budgets.request_budget(
        demo_store,
        receipt.token,
        budget_id=budget["budget_id"],
        amount="750,50",
        purpose="Bloembakken en aarde",
        now=NOW,
    )
    third = budgets.request_budget(
        demo_store,
        receipt.token,
        budget_id=budget["budget_id"],
        amount="100",
        purpose="Koffie voor de klusdag",
        now=NOW,
    )
    with pytest.raises(budgets.AdminsOnly):
        budgets.decide(
            demo_store,
            first,
            decision="granted",
            amount_granted=None,
            reason="",
            viewer=WEST,
            now=NOW,
        )
    budgets.decide(
        demo_store,
        first,
        decision="granted",
        amount_granted=None,
        reason="",
        viewer=ADMIN,
        now=NOW + timedelta(days=1),
    )
    with pytest.raises(states.InitiativeChanged):  # decided once
        budgets.decide(
            demo_store,
            first,
            decision="refused",
            amount_granted=None,
            reason="Toch niet",
            viewer=ADMIN,
            now=NOW,
        )
    with pytest.raises(InitiativeRejected) as over:  # 600 + 750,50 > 1000
        budgets.decide(
            demo_store,
            second,
            decision="granted",
            amount_granted=None,
            reason="",
            viewer=ADMIN,
            now=NOW,
        )
    assert "amount" in over.value.errors
    with pytest.raises(InitiativeRejected) as partly:
        budgets.decide(
            demo_store,
            second,
            decision="partly",
            amount_granted="800",
            reason="Minder",
            viewer=ADMIN,
            now=NOW,
        )
    assert "amount" in partly.value.errors  # a partial grant is less than asked
    budgets.decide(
        demo_store,
        second,
        decision="partly",
        amount_granted="300",
        reason="De bakken wel, de aarde niet",
        viewer=ADMIN,
        now=NOW,
    )
    with pytest.raises(InitiativeRejected) as reason:
        budgets.decide(
            demo_store,
            third,
            decision="refused",
            amount_granted=None,
            reason="",
            viewer=ADMIN,
            now=NOW,
        )
    assert "reason" in reason.value.errors
    budgets.decide(
        demo_store,
        third,
        decision="refused",
        amount_granted=None,
        reason="Koffie betalen we niet uit dit budget",
        viewer=ADMIN,
        now=NOW,
    )
    record = budgets.public_record(demo_store, budget_id=budget["budget_id"])
    assert [(r["amount_requested"], r["decision"], r["amount_granted"]) for r in record] == [
        (600.0, "granted", 600.0),
        (750.5, "partly", 300.0),
        (100.0, "refused", 0.0),
    ]
    assert all("decided_by" not in r for r in record)
    assert budgets.read_budget(demo_store, budget["budget_id"])["remaining"] == 100.0
    with pytest.raises(InitiativeRejected):  # one budget per area and year
        budgets.create_budget(
            demo_store,
            name="Nog een",
            area_code=home["neighbourhood_code"],
            year=2031,
            amount=5,
            viewer=ADMIN,
        )


def test_bad_input_names_every_wrong_field(demo_store) -> None:  # type: ignore[no-untyped-def]
    from tests.signals.conftest import NOW

    with pytest.raises(InitiativeRejected) as bad:
        rules.propose(
            demo_store,
            rules.Proposal(
                title="x",
                description="<script>alert(1)</script>",
                first_name="",
                postcode="12345",
                house_number="twaalf",
                level="portiek",
                email="geen-adres",
                submission_key="!",
            ),
            secret=SECRET,
            now=NOW,
        )
    assert list(bad.value.errors) == [
        "title",
        "description",
        "first_name",
        "postcode",
        "house_number",
        "level",
        "email",
        "submission_key",
    ]
    assert 'field "' not in str(bad.value) and "postcode: Write a postcode like 1234 AB." in str(
        bad.value
    )
    with pytest.raises(InitiativeRejected) as unknown:
        rules.propose(
            demo_store,
            rules.Proposal(
                title="Bankjes",
                description="Twee bankjes bij de ingang",
                first_name="Kees",
                postcode="9999 ZZ",
                house_number="1",
            ),
            secret=SECRET,
            now=NOW,
        )
    assert list(unknown.value.errors) == ["postcode"]
    with pytest.raises(InitiativeRejected) as area:
        budgets.create_budget(
            demo_store, name="Budget", area_code="WK000000", year=2030, amount="veel", viewer=ADMIN
        )
    assert list(area.value.errors) == ["area_code"]
    with pytest.raises(InitiativeRejected) as amount:
        budgets.create_budget(
            demo_store, name="Budget", area_code="WK999901", year=2030, amount="veel", viewer=ADMIN
        )
    assert list(amount.value.errors) == ["amount"]
    with pytest.raises(budgets.AdminsOnly):
        budgets.create_budget(
            demo_store, name="Budget", area_code="WK999901", year=2030, amount=10, viewer=PUBLIC
        )


def test_professionals_offer_support_with_their_organisation(demo_store, home, backend) -> None:  # type: ignore[no-untyped-def]
    from tests.signals.conftest import NOW

    receipt = propose(demo_store, home, NOW)
    with pytest.raises(states.TransitionRefused):  # not before approval
        rules.offer_support(
            demo_store,
            receipt.initiative_id,
            viewer=WEST,
            organisation_id="welzijn",
            text="Wij helpen",
            now=NOW,
        )
    rules.moderate(demo_store, receipt.initiative_id, approve=True, viewer=WEST, note=None, now=NOW)
    with pytest.raises(states.ProfessionalsOnly):  # public now, but outside EAST's scope
        rules.offer_support(
            demo_store,
            receipt.initiative_id,
            viewer=EAST,
            organisation_id="welzijn",
            text="Wij helpen",
            now=NOW,
        )
    with pytest.raises(states.ProfessionalsOnly):  # an analyst sees it, but does not act
        rules.offer_support(
            demo_store,
            receipt.initiative_id,
            viewer=Viewer(role="analyst", name="analist"),
            organisation_id="gemeente",
            text="Wij helpen",
            now=NOW,
        )
    rules.offer_support(
        demo_store,
        receipt.initiative_id,
        viewer=WEST,
        organisation_id="welzijn",
        text="Wij helpen met de aanvraag",
        now=NOW,
    )
    last = db.read_updates(demo_store, receipt.initiative_id, public_only=True)[-1]
    assert (last["kind"], last["organisation_id"], last["public"]) == ("support", "welzijn", True)


def test_demostad_has_an_active_a_proposed_and_a_pending_initiative(demo_store) -> None:  # type: ignore[no-untyped-def]
    rows = {r["initiative_id"]: r for r in db.read_initiatives(demo_store)}
    counts = db.count_supporters(demo_store, rows)
    assert {
        k: (r["status"], bool(r["approved"]), counts[k])
        for k, r in rows.items()
        if k.startswith("I-DEMO")
    } == {
        "I-DEMO0001": ("active", True, 4),
        "I-DEMO0002": ("proposed", True, 1),
        "I-DEMO0003": ("proposed", False, 0),
    }
    record = budgets.public_record(demo_store, initiative_id="I-DEMO0001")
    assert [(r["decision"], r["amount_granted"]) for r in record] == [("granted", 750.0)]
    kinds = [u["kind"] for u in db.read_updates(demo_store, "I-DEMO0001", public_only=True)]
    assert {"update", "support", "decision"} <= set(kinds)
    with demo_store.engine.connect() as conn:
        assert conn.execute(t.initiative_assets.select()).first() is not None
