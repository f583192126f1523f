"""People who log in: roles, professions, teams and scope (no I/O)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Role(StrEnum):
    """What an account may do; the same words as ``assessment.disclosure.ROLES``."""

    PROFESSIONAL = "professional"  # handles signals routed to their team, within scope
    ANALYST = "analyst"  # figures and non-sensitive signals within scope; never person worries
    ADMIN = "admin"  # accounts, teams and routing; never the content of person worries


#: Front-line professions (free text is allowed too; these are the usual ones).
PROFESSIONS = ("welzijnswerker", "sociaal beheerder", "wijkagent", "gebiedsmakelaar", "wijkteam")

MIN_PASSWORD = 10


@dataclass(frozen=True)
class Account:
    """A person who logs in. ``scope`` holds area codes (BU…/WK…/GM…); empty = everywhere."""

    username: str
    role: Role
    display_name: str
    team_id: str | None = None
    organisation_id: str | None = None
    profession: str | None = None
    email: str | None = None
    scope: frozenset[str] = field(default_factory=frozenset)
    active: bool = True

    def covers(self, area_codes: set[str]) -> bool:
        """True when the account's scope includes one of these area codes (or is unlimited)."""
        return not self.scope or bool(self.scope & {c for c in area_codes if c})


def check_username(username: str) -> str:
    """A username: 3–40 characters of letters, digits, dot, dash or underscore."""
    name = username.strip()
    if not (3 <= len(name) <= 40) or not all(ch.isalnum() or ch in "._-" for ch in name):
        raise ValueError(f'username "{username}" must be 3-40 letters, digits, ".", "-" or "_"')
    return name


def check_password(password: str) -> str:
    """A password of at least MIN_PASSWORD characters."""
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"a password needs at least {MIN_PASSWORD} characters")
    return password


def parse_scope(text: str | None) -> frozenset[str]:
    """Area codes from a comma-separated text; each must start with BU, WK or GM."""
    codes = frozenset(c.strip() for c in (text or "").split(",") if c.strip())
    wrong = sorted(c for c in codes if not c.startswith(("BU", "WK", "GM")))
    if wrong:
        raise ValueError(f'scope code "{wrong[0]}" is not a BU…, WK… or GM… code')
    return codes
