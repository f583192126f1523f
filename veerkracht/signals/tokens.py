"""Tokens: personal follow links derived from the submission key, random verify tokens, ids."""

from __future__ import annotations

import hashlib
import hmac
import secrets


def follow_token(secret: str, submission_key: str) -> str:
    """The reporter's personal link token; the same submission key always gives the same token."""
    digest = hmac.new(secret.encode(), f"follow:{submission_key}".encode(), hashlib.sha256)
    return digest.hexdigest()[:40]


def token_hash(token: str) -> str:
    """What the store keeps of a token (sha256 hex); the token itself is never stored."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    """A random URL-safe token (verification links, CSRF, submission keys)."""
    return secrets.token_urlsafe(24)


def new_signal_id() -> str:
    """A short reference residents can read out on the phone, e.g. ``M-7F3A9C21``."""
    return "M-" + secrets.token_hex(4).upper()
