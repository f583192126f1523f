"""Settings of accounts, sessions, signals, e-mail and retention (``VEERKRACHT_`` prefix)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class SignalSettings(BaseSettings):
    """Read from ``VEERKRACHT_*`` environment variables; every field is described."""

    model_config = SettingsConfigDict(env_prefix="VEERKRACHT_", extra="ignore")

    public_url: str = Field(
        default="http://127.0.0.1:8000",
        description="Address of the web app as residents reach it; used in links in e-mails.",
    )
    cookie_secure: bool = Field(
        default=False,
        description="Send the session cookie only over HTTPS (switch on behind HTTPS).",
    )
    session_hours: float = Field(
        default=8.0, description="How long a login lasts (hours) before logging in again."
    )
    login_max_failures: int = Field(
        default=5,
        description="Failed logins per account or per address within the window before waiting.",
    )
    login_window_s: int = Field(
        default=300, description="Window (seconds) in which failed logins are counted."
    )
    smtp_host: str | None = Field(
        default=None,
        description="SMTP server for e-mail to reporters; empty means no e-mail is sent.",
    )
    smtp_port: int = Field(default=25, description="Port of the SMTP server.")
    smtp_starttls: bool = Field(
        default=False, description="Switch the SMTP connection to TLS with STARTTLS."
    )
    smtp_user: str | None = Field(default=None, description="SMTP login name (empty: no login).")
    smtp_password: str | None = Field(default=None, description="SMTP password.")
    mail_from: str = Field(
        default="veerkracht <noreply@veerkracht.invalid>",
        description="Sender address of e-mail to reporters.",
    )
    signal_contact_days: int = Field(
        default=90,
        description="Days after closing after which a reporter's contact details are removed.",
    )
    signal_person_days: int = Field(
        default=180,
        description=(
            "Days after closing after which a worry about a person is deleted "
            "(a tombstone without text or address stays)."
        ),
    )
    signal_photo_max_bytes: int = Field(
        default=5_000_000, description="Largest photo (bytes) a reporter may upload."
    )
