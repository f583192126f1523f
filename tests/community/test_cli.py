"""`veerkracht assets …` through click's CliRunner, on a copy of the built Demostad."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from veerkracht.cli import cli
from veerkracht.community.assets import submit_asset
from veerkracht.storage import assets as asset_store
from veerkracht.storage import audit as audit_store
from veerkracht.storage.engine import Store

from .conftest import NOW
from .helpers import dwelling_in, figure, offer


def test_list_approve_withdraw_and_stale(demo_store: Store, demo_url: str, tmp_path: Path) -> None:
    home = dwelling_in(demo_store, district="WK999901")
    asset_id = submit_asset(demo_store, offer(home), now=NOW).asset_id
    runner = CliRunner(env={"VEERKRACHT_DATABASE_URL": demo_url, "COLUMNS": "250"})
    workspace = ["--workspace", str(tmp_path)]

    listed = runner.invoke(cli, ["assets", "list", "--status", "pending", *workspace])
    assert listed.exit_code == 0, listed.output
    assert asset_id in listed.output and "Joke" in listed.output
    assert "van Dijk" not in listed.output and home["postcode"] not in listed.output
    assert f"{home['street_name']} {home['house_number']}" not in listed.output
    audited = audit_store.audit_rows(demo_store, record_type="asset", record_id=asset_id)
    assert [(a["actor"], a["action"]) for a in audited] == [("cli", "list")]

    before = figure(demo_store, "block", home["block_key"], "offers_nearby")
    approved = runner.invoke(cli, ["assets", "approve", asset_id, "--by", "petra", *workspace])
    assert approved.exit_code == 0 and f"{asset_id}: approved" in approved.output
    assert figure(demo_store, "block", home["block_key"], "offers_nearby") == before + 1
    again = runner.invoke(cli, ["assets", "approve", asset_id, *workspace])
    assert again.exit_code == 1 and "cannot approve" in again.output

    withdrawn = runner.invoke(cli, ["assets", "withdraw", asset_id, *workspace])
    assert withdrawn.exit_code == 0
    assert asset_store.read_asset(demo_store, asset_id)["status"] == "withdrawn"  # type: ignore[index]
    assert figure(demo_store, "block", home["block_key"], "offers_nearby") == before

    stale = runner.invoke(cli, ["assets", "stale", *workspace])
    assert stale.exit_code == 0 and "Bankje bij de vijver" in stale.output  # Demostad's stale item
    missing = runner.invoke(cli, ["assets", "confirm", "R-NOPE", *workspace])
    assert missing.exit_code == 1 and 'no asset "R-NOPE"' in missing.output
