"""E-mail to reporters through the configured SMTP server (nothing is sent without one).

The texts are Dutch at B1 level; they never contain the description of a worry about a person.
"""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage
from typing import Any

from veerkracht.domain.signals import BY_CODE, SignalState
from veerkracht.signals.settings import SignalSettings

log = logging.getLogger(__name__)

#: Dutch names of the states as the reporter reads them.
STATE_WORDS = {
    SignalState.SUBMITTED: "ontvangen",
    SignalState.IN_PROGRESS: "in behandeling",
    SignalState.REPLY_REQUESTED: "we hebben een vraag aan u",
    SignalState.COMPLETED: "afgehandeld",
    SignalState.REOPENED: "opnieuw geopend",
    SignalState.CANCELLED: "gestopt",
}

VERIFY_TEXT = """Beste melder,

U heeft een melding gedaan bij veerkracht (nummer {signal_id}).
Klik op deze link om uw e-mailadres te bevestigen. Dan houden wij u op de hoogte:

{verify_url}

Uw melding volgen kan altijd via uw persoonlijke link:
{follow_url}

Heeft u deze melding niet gedaan? Dan kunt u deze e-mail negeren.
"""

STATUS_TEXT = """Beste melder,

Uw melding {signal_id} ({category}) is nu: {state}.
{note}
Bekijk uw melding via uw persoonlijke link:
{follow_url}

Is het niet opgelost? Via de link kunt u de melding opnieuw openen.
"""


class Mailer:
    """Sends the reporter's e-mails; every method returns True when the server accepted it."""

    def __init__(self, settings: SignalSettings) -> None:
        self.settings = settings

    @property
    def enabled(self) -> bool:
        return bool(self.settings.smtp_host)

    def send_verification(
        self, *, to: str, signal_id: str, verify_token: str, follow_token: str
    ) -> bool:
        """Ask the reporter to confirm their address (the link in it marks it verified)."""
        base = self.settings.public_url.rstrip("/")
        body = VERIFY_TEXT.format(
            signal_id=signal_id,
            verify_url=f"{base}/signals/verify/{verify_token}",
            follow_url=f"{base}/signals/follow/{follow_token}",
        )
        return self._send(to, f"Bevestig uw e-mailadres (melding {signal_id})", body)

    def send_status(
        self, signal: dict[str, Any], history_row: dict[str, Any], *, follow_token: str | None
    ) -> bool:
        """Tell a verified reporter that the state changed, with a public note when written."""
        if not signal.get("contact_email") or not signal.get("contact_verified"):
            return False
        state = STATE_WORDS.get(SignalState(signal["status"]), signal["status"])
        category = BY_CODE[signal["category"]]
        note = (
            history_row.get("note") if history_row.get("public") and not category.person else None
        )
        base = self.settings.public_url.rstrip("/")
        body = STATUS_TEXT.format(
            signal_id=signal["signal_id"],
            category=_category_word(signal["category"]),
            state=state,
            note=f"\nBericht: {note}\n" if note else "",
            follow_url=f"{base}/signals/follow/{follow_token}"
            if follow_token
            else "(uw persoonlijke link)",
        )
        return self._send(
            signal["contact_email"], f"Uw melding {signal['signal_id']} is {state}", body
        )

    def _send(self, to: str, subject: str, body: str) -> bool:
        if not self.enabled:
            return False
        message = EmailMessage()
        message["From"] = self.settings.mail_from
        message["To"] = to
        message["Subject"] = subject
        message.set_content(body)
        try:
            with smtplib.SMTP(
                self.settings.smtp_host or "", self.settings.smtp_port, timeout=10
            ) as smtp:
                if self.settings.smtp_starttls:
                    smtp.starttls()
                if self.settings.smtp_user:
                    smtp.login(self.settings.smtp_user, self.settings.smtp_password or "")
                smtp.send_message(message)
        except (OSError, smtplib.SMTPException) as exc:
            log.warning("e-mail to reporter not sent: %s", exc)
            return False
        return True


_CATEGORY_WORDS = {
    "overlast_geluid": "geluidsoverlast",
    "overlast_afval": "afval",
    "overlast_overig": "overlast",
    "spanningen": "spanningen tussen buren",
    "onveilig": "onveilig gevoel",
    "zorg_om_buur": "zorg om een buur",
    "idee_aanbod": "idee of aanbod",
}


def _category_word(code: str) -> str:
    return _CATEGORY_WORDS.get(code, code)
