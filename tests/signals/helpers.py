"""Small helpers shared by the signal tests."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from veerkracht.domain.accounts import Account
from veerkracht.signals.intake import Intake, Receipt, submit_signal
from veerkracht.storage import Store
from veerkracht.storage import accounts as account_store

SECRET = "test-secret"
WORRY_TEXT = "Mevrouw op nummer 5 doet al dagen niet open, de gordijnen blijven dicht"
NOISE_TEXT = "Elke nacht harde muziek uit de benedenwoning"


def submit(
    store: Store,
    tmp_path: Path,
    *,
    category: str,
    description: str,
    now: datetime,
    address: str = "Kersenboomstraat 3",
    **extra: object,
) -> Receipt:
    intake = Intake(category=category, description=description, address=address, **extra)  # type: ignore[arg-type]
    return submit_signal(store, intake, secret=SECRET, workspace=tmp_path, now=now)


def account(store: Store, username: str) -> Account:
    found = account_store.read_account(store, username)
    assert found is not None, username
    return found[0]
