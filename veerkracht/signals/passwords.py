"""Argon2id password hashes (argon2-cffi's defaults, RFC 9106 low-memory profile)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_HASHER = PasswordHasher()
#: Verified against when the username does not exist, so both paths take the same time.
_DUMMY = _HASHER.hash("no such account, but take as long as a real check")


def hash_password(password: str) -> str:
    """An argon2id hash of ``password`` (salted, with its parameters encoded)."""
    return _HASHER.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when ``password`` matches; an unknown account (None) costs the same time."""
    try:
        return _HASHER.verify(password_hash or _DUMMY, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False
