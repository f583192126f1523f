"""Free text typed by people (forms, API): one check for every intake.

Errors are collected per field as (English msgid, parameters), translated at the web edge.
"""

from __future__ import annotations

import re
from typing import Any

#: Markup or script in a text: never stored (the pages escape, but exports and mails may not).
MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!?]|javascript\s*:|\bon\w+\s*=", re.IGNORECASE)

Errors = dict[str, tuple[str, dict[str, Any]]]


def check_text(
    value: Any,
    field: str,
    errors: Errors,
    *,
    maximum: int,
    minimum: int = 0,
    markup: bool = False,
) -> str | None:
    """The stripped text, or None (empty, or wrong: then ``errors[field]`` says why).

    ``markup`` refuses HTML tags and script; ``minimum`` > 0 makes the field required.
    """
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors[field] = ("Give text here.", {})
        return None
    text = value.strip()
    if len(text) > maximum:
        errors[field] = ("This text is too long: at most %(limit)s characters.", {"limit": maximum})
        return None
    if markup and MARKUP.search(text):
        errors[field] = ("Leave out code such as <script> or HTML tags.", {})
        return None
    if len(text) < minimum:
        errors[field] = (
            ("Fill this in." if minimum <= 1 else "Write at least %(n)s characters."),
            {} if minimum <= 1 else {"n": minimum},
        )
        return None
    return text or None
