"""The conditions of an intervention in plain words, for the catalogue pages."""

from __future__ import annotations

from veerkracht.assessment.wording import describe_value, dutch_number
from veerkracht.indicators.registry import BY_KEY
from veerkracht.interventions.conditions import DEFAULT_WITHIN_M, Condition
from veerkracht.interventions.unit_profile import asset_word, level_word
from veerkracht.web.i18n import gettext as _


def condition_words(condition: Condition) -> str:
    """One condition as a Dutch phrase, with how much it counts when that is not 1."""
    text = _subject(condition)
    if condition.weight == 2:
        text += " " + _("(counts double)")
    elif condition.weight != 1:
        text += " " + _("(counts %(weight)s times)") % {"weight": dutch_number(condition.weight, 1)}
    return text


def _subject(condition: Condition) -> str:
    if condition.indicator is not None:
        return _indicator(condition, condition.indicator)
    if condition.assets_of_kind is not None:
        return _assets(condition, condition.assets_of_kind)
    if condition.findings == "warning":
        return _("the place is on the early-warning list")
    if condition.findings == "positive_deviance":
        return _("living together goes better than the figures predict")
    if condition.level_in is not None:
        return _("the place is one of: %(levels)s") % {
            "levels": ", ".join(level_word(level) for level in condition.level_in)
        }
    parts = [_subject(c) for c in condition.any_of or []]
    return _("at least one of: %(parts)s") % {"parts": "; ".join(parts)}


def _indicator(condition: Condition, key: str) -> str:
    indicator = BY_KEY[key]
    label = indicator.label
    if condition.percentile_at_least is not None:
        return _("%(label)s: higher than at %(n)s of every 100 comparable places") % {
            "label": label,
            "n": round(100 * condition.percentile_at_least),
        }
    if condition.percentile_at_most is not None:
        return _("%(label)s: lower than at %(n)s of every 100 comparable places") % {
            "label": label,
            "n": round(100 * (1 - condition.percentile_at_most)),
        }
    if condition.value_at_least is not None:
        return _("%(label)s: %(value)s or more") % {
            "label": label,
            "value": describe_value(indicator, condition.value_at_least),
        }
    return _("%(label)s: %(value)s or less") % {
        "label": label,
        "value": describe_value(indicator, float(condition.value_at_most or 0.0)),
    }


def _assets(condition: Condition, kind: str) -> str:
    within = DEFAULT_WITHIN_M if condition.within_m is None else condition.within_m
    where = (
        _("in the place itself")
        if within == 0
        else _("within %(metres)s metres") % {"metres": dutch_number(within)}
    )
    if condition.at_most == 0:
        return _("no %(kind)s %(where)s") % {"kind": asset_word(kind), "where": where}
    if condition.at_least is not None and condition.at_most is not None:
        return _("%(low)s to %(high)s %(kinds)s %(where)s") % {
            "low": condition.at_least,
            "high": condition.at_most,
            "kinds": asset_word(kind, plural=True),
            "where": where,
        }
    if condition.at_least is not None:
        return _("at least %(n)s %(kinds)s %(where)s") % {
            "n": condition.at_least,
            "kinds": asset_word(kind, plural=condition.at_least != 1),
            "where": where,
        }
    return _("at most %(n)s %(kinds)s %(where)s") % {
        "n": condition.at_most,
        "kinds": asset_word(kind, plural=condition.at_most != 1),
        "where": where,
    }
