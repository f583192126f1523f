"""Accounts: add people, check passwords, and count failed logins (rate limit)."""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from datetime import datetime

from veerkracht.domain.accounts import Account, Role, check_password, check_username
from veerkracht.errors import InputError
from veerkracht.signals.errors import LoginRefused, TooManyAttempts
from veerkracht.signals.passwords import hash_password, verify_password
from veerkracht.storage import Store
from veerkracht.storage import accounts as account_store


def add_account(store: Store, account: Account, password: str, *, now: datetime) -> Account:
    """Check and store a new account with an argon2 hash of ``password``."""
    try:
        check_username(account.username)
        check_password(password)
    except ValueError as exc:
        raise InputError(str(exc)) from None
    if account.team_id and account.team_id not in account_store.read_teams(store):
        raise InputError(f'team "{account.team_id}" does not exist', field="team")
    account_store.write_account(store, account, password_hash=hash_password(password), now=now)
    return account


def authenticate(store: Store, username: str, password: str) -> Account:
    """The active account with this username and password; LoginRefused otherwise."""
    found = account_store.read_account(store, username.strip())
    ok = verify_password(found[1] if found else None, password)
    if not ok or found is None or not found[0].active:
        raise LoginRefused(f'login refused for "{username}"')
    return found[0]


def load_account(store: Store, username: str | None) -> Account | None:
    """The active account of a session, or None."""
    if not username:
        return None
    found = account_store.read_account(store, username)
    if found is None or not found[0].active:
        return None
    return found[0]


class LoginLimiter:
    """Failed logins per key (username, client address) in a sliding window, in memory."""

    def __init__(
        self, *, max_failures: int, window_s: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.max_failures = max_failures
        self.window_s = window_s
        self.clock = clock
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def check(self, *keys: str) -> None:
        """TooManyAttempts when any key has reached the limit within the window."""
        now = self.clock()
        with self._lock:
            for key in keys:
                failures = self._prune(key, now)
                if len(failures) >= self.max_failures:
                    wait = max(1, int((failures[0] + self.window_s - now) // 60) + 1)
                    raise TooManyAttempts(f"too many failed logins for {key}", minutes=wait)

    def fail(self, *keys: str) -> None:
        """Count one failed login for every key."""
        now = self.clock()
        with self._lock:
            for key in keys:
                self._prune(key, now).append(now)

    def succeed(self, username_key: str) -> None:
        """A successful login clears the account's count (not the address's)."""
        with self._lock:
            self._failures.pop(username_key, None)

    def _prune(self, key: str, now: float) -> deque[float]:
        failures = self._failures[key]
        while failures and failures[0] <= now - self.window_s:
            failures.popleft()
        return failures


ROLE_CHOICES = tuple(r.value for r in Role)
