# ruff: noqa: F811  (fixtures imported from tests.signals are redefined as parameters)
"""Reporters hear back by e-mail through a real local SMTP server; Open311 shows public
categories only; the CLI adds users, exports and runs maintenance."""

from __future__ import annotations

import json
import re
import socket
import time
from email import message_from_bytes
from email.message import Message
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.signals.web import log_in, new_client, signals_web_settings, submit_form  # noqa: F401
from veerkracht.cli import cli
from veerkracht.settings import Settings
from veerkracht.signals.settings import SignalSettings


class Inbox:
    """aiosmtpd handler keeping every message."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]  # noqa: N802
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"

    def wait_for(self, count: int, timeout: float = 10) -> list[Message]:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.messages


@pytest.fixture
def smtp() -> tuple[Inbox, int]:  # type: ignore[misc]
    controller_module = pytest.importorskip("aiosmtpd.controller")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = controller_module.Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


def _body(message: Message) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode("utf-8")


def test_the_reporter_verifies_their_address_and_hears_of_status_changes(
    smtp: tuple[Inbox, int],
    signals_web_settings: Settings,  # noqa: F811
) -> None:
    inbox, port = smtp
    config = SignalSettings(smtp_host="127.0.0.1", smtp_port=port, public_url="http://testserver")
    with new_client(signals_web_settings) as resident, new_client(signals_web_settings) as pro:
        resident.app.state.signal_settings = config  # type: ignore[attr-defined]
        pro.app.state.signal_settings = config  # type: ignore[attr-defined]
        follow = submit_form(
            resident,
            category="overlast_afval",
            description="Vuilniszakken bij de portiek",
            address="Kersenboomstraat 11",
            contact_email="bewoner@example.org",
        )
        [verification] = inbox.wait_for(1)
        assert verification["To"] == "bewoner@example.org"
        text = _body(verification)
        assert "http://testserver" + follow in text
        verify_path = re.search(r"http://testserver(/signals/verify/\S+)", text).group(1)  # type: ignore[union-attr]
        signal_id = resident.get("/api" + follow).json()["signal"]["signal_id"]

        log_in(pro, "beheer")
        csrf = pro.get("/api/me").json()["csrf_token"]
        pro.post(
            f"/signals/{signal_id}/changes",
            data={"action": "transition", "to_state": "in_behandeling", "csrf_token": csrf},
        )
        time.sleep(0.3)
        assert len(inbox.messages) == 1  # not verified yet: no status mail

        assert resident.get(verify_path, follow_redirects=False).status_code == 303
        assert "bevestigd" in resident.get(verify_path).text
        pro.post(
            f"/signals/{signal_id}/changes",
            data={
                "action": "transition",
                "to_state": "afgehandeld",
                "note": "De zakken zijn opgehaald.",
                "public": "1",
                "csrf_token": csrf,
            },
        )
        messages = inbox.wait_for(2)
        assert len(messages) == 2
        status = _body(messages[1])
        assert "afgehandeld" in messages[1]["Subject"] and "De zakken zijn opgehaald." in status
        assert "http://testserver" + follow in status
        assert (
            "Afgehandeld" in resident.get(follow).text
            and "De zakken zijn opgehaald." in resident.get(follow).text
        )


def test_open311_offers_and_lists_only_public_categories(signals_web_settings: Settings) -> None:  # noqa: F811
    with new_client(signals_web_settings) as client:
        services = client.get("/open311/v2/services.json").json()
        codes = {s["service_code"] for s in services}
        assert "zorg_om_buur" not in codes and {"overlast_geluid", "idee_aanbod"} <= codes
        assert {
            "service_code",
            "service_name",
            "description",
            "metadata",
            "type",
            "keywords",
            "group",
        } <= set(services[0])
        assert b"<services>" in client.get("/open311/v2/services.xml").content
        assert client.get("/open311/v2/services/zorg_om_buur.json").status_code == 404

        refused = client.post(
            "/open311/v2/requests.json",
            data={
                "service_code": "zorg_om_buur",
                "description": "Zorgen om buurman",
                "address_string": "Kersenboomstraat 3",
            },
        )
        assert refused.status_code == 400
        created = client.post(
            "/open311/v2/requests.json",
            data={
                "service_code": "overlast_afval",
                "description": "Grofvuil bij de boom",
                "address_string": "Kersenboomstraat 3",
            },
        )
        assert created.status_code == 201
        request_id = created.json()[0]["service_request_id"]
        [one] = client.get(f"/open311/v2/requests/{request_id}.json").json()
        assert one["status"] == "open" and one["service_code"] == "overlast_afval"
        assert "description" not in one and round(one["lat"], 3) == one["lat"]
        listed = client.get("/open311/v2/requests.json").json()
        assert all(r["service_code"] != "zorg_om_buur" for r in listed)
        assert request_id in {r["service_request_id"] for r in listed}
        assert client.get("/open311/v2/requests.json?service_code=zorg_om_buur").json() == []
        xml = client.get(f"/open311/v2/requests/{request_id}.xml")
        assert xml.status_code == 200 and b"<service_requests>" in xml.content
        from xml.etree import ElementTree

        root = ElementTree.fromstring(xml.content)
        assert root.find("request/service_request_id").text == request_id  # type: ignore[union-attr]
        outside = client.post(
            "/open311/v2/requests.json",
            data={
                "service_code": "overlast_afval",
                "description": "Ergens anders",
                "lat": "52.37",
                "long": "4.89",
            },
        )
        assert outside.status_code == 400 and "buiten het gebied" in outside.text


def test_cli_adds_users_exports_and_runs_maintenance(
    signals_web_settings: Settings, tmp_path: Path
) -> None:  # noqa: F811
    runner = CliRunner()
    workspace = str(signals_web_settings.workspace)
    password = tmp_path / "password.txt"
    password.write_text("een lang wachtwoord\n", encoding="utf-8")
    env = {"VEERKRACHT_SECRET_KEY": signals_web_settings.secret_key}
    added = runner.invoke(
        cli,
        [
            "users",
            "add",
            "eerste-beheerder",
            "--role",
            "admin",
            "--workspace",
            workspace,
            "--password-file",
            str(password),
        ],
        env=env,
    )
    assert added.exit_code == 0, added.output
    again = runner.invoke(
        cli,
        [
            "users",
            "add",
            "eerste-beheerder",
            "--role",
            "admin",
            "--workspace",
            workspace,
            "--password-file",
            str(password),
        ],
        env=env,
    )
    assert again.exit_code == 1 and "already exists" in again.output
    short = tmp_path / "short.txt"
    short.write_text("kort", encoding="utf-8")
    weak = runner.invoke(
        cli,
        [
            "users",
            "add",
            "zwak",
            "--role",
            "admin",
            "--workspace",
            workspace,
            "--password-file",
            str(short),
        ],
        env=env,
    )
    assert weak.exit_code == 1 and "at least" in weak.output
    prompted = runner.invoke(
        cli,
        [
            "users",
            "add",
            "gevraagd",
            "--role",
            "analyst",
            "--scope",
            "WK999901",
            "--workspace",
            workspace,
        ],
        input="geheim-wachtwoord\ngeheim-wachtwoord\n",
        env=env,
    )
    assert prompted.exit_code == 0, prompted.output
    listed = runner.invoke(cli, ["users", "list", "--workspace", workspace], env=env)
    assert "eerste-beheerder" in listed.output and "$argon2" not in listed.output

    out = tmp_path / "signalen.geojson"
    exported = runner.invoke(
        cli,
        ["signals", "export", "--format", "geojson", "--out", str(out), "--workspace", workspace],
        env=env,
    )
    assert exported.exit_code == 0, exported.output
    features = json.loads(out.read_text(encoding="utf-8"))["features"]
    assert features and all(f["properties"]["category"] != "zorg_om_buur" for f in features)
    assert all("contact_email" not in f["properties"] for f in features)

    done = runner.invoke(
        cli, ["maintenance", "--workspace", workspace, "--now", "2020-01-01T00:00"], env=env
    )
    assert done.exit_code == 0, done.output
    assert "contact details removed from 0 signals" in done.output
