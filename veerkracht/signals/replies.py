"""Reply templates per category group (Dutch, B1): a professional picks one and adjusts it."""

from __future__ import annotations

from veerkracht.domain.signals import BY_CODE

REPLIES: dict[str, list[tuple[str, str]]] = {
    "overlast": [
        ("Opgepakt", "Bedankt voor uw melding. We gaan met de bewoners praten over de overlast."),
        (
            "Gesprek gevoerd",
            "We hebben met de buren gesproken. Laat het ons weten als het niet beter wordt.",
        ),
    ],
    "spanningen": [
        (
            "Buurtbemiddeling",
            "Bedankt. We bieden buurtbemiddeling aan: een gesprek met hulp van vrijwilligers.",
        ),
    ],
    "onveilig": [
        ("Wijkagent kijkt mee", "Bedankt. De wijkagent let extra op deze plek."),
    ],
    "zorg": [
        (
            "Contact gelegd",
            "Bedankt dat u zich zorgen maakt. We hebben contact gezocht. "
            "Meer kunnen we niet vertellen.",
        ),
    ],
    "idee": [
        (
            "Mooi idee",
            "Bedankt voor uw idee. De gebiedsmakelaar neemt contact met u op "
            "om het samen op te pakken.",
        ),
    ],
}


def reply_templates(category: str) -> list[dict[str, str]]:
    """The templates for a category's group: title and text."""
    group = BY_CODE[category].group if category in BY_CODE else ""
    return [{"title": title, "text": text} for title, text in REPLIES.get(group, [])]
