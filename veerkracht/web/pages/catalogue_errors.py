"""Problems with a catalogue entry in Dutch (B1), worded from their kind and values.

The checks (``veerkracht/interventions/``) keep each problem as data: a field path, a kind
(pydantic's error type such as ``string_too_short``, or one of the catalogue's own such as
``unknown_indicator``) and the values its message needs. Here every kind has an English msgid
with named values, translated in ``locales/nl/LC_MESSAGES/interventions.po``. A message names
the field by its Dutch label and keeps the path (``Bronnen, veld "sources[0].title": …``); the
CLI keeps the English text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel

from veerkracht.interventions.catalogue import Intervention, Source
from veerkracht.interventions.field_problems import WHOLE_TEXT, FieldProblem
from veerkracht.web.i18n import gettext as _
from veerkracht.web.labels import N_

CONFLICT = N_(
    "Somebody else changed this intervention in the meantime, so nothing was saved. Reload the "
    "page and make your change again."
)
BAD_VERSION = N_(
    "The form is damaged (its version is not a date and time), so nothing was saved. Reload the "
    "page and make your change again."
)

#: The Dutch names of the top-level fields: the form's own labels.
FIELD_LABELS: dict[str, str] = {
    "id": N_("Id"),
    "name": N_("Name"),
    "terrain": N_("Terrain"),
    "levels": N_("Levels where it can be planned"),
    "target_group": N_("Target group"),
    "goal": N_("Goal"),
    "approach": N_("Approach"),
    "who": N_("Who does it"),
    "cost": N_("Cost"),
    "evidence": N_("Evidence (recognition scheme)"),
    "evidence_note": N_("Note on the evidence (if any)"),
    "sources": N_("Sources"),
    "fits_when": N_("Signs that it fits"),
    "requires": N_("Only suggested when (optional)"),
}

_CHOICE = N_("must be one of: %(expected)s")
_WHOLE_NUMBER = N_("must be a whole number")
_NUMBER = N_("must be a number")
_TRUE_FALSE = N_("must be true or false")
_TABLE = N_("must be a table, between { and }")
_WEB_ADDRESS = N_("must be a web address, such as https://www.example.nl")

#: Each kind of problem with its msgid; its values are named as in the problem's params.
MESSAGES: dict[str, str] = {
    # pydantic's error types
    "missing": N_("is required but missing"),
    "extra_forbidden": N_("is not a known field"),
    "string_too_long": N_("may have at most %(max_length)s characters"),
    "string_type": N_("must be text"),
    "string_pattern_mismatch": N_("does not have the expected form (%(pattern)s)"),
    "enum": _CHOICE,
    "literal_error": _CHOICE,
    "too_long": N_("may have at most %(max_length)s entries"),
    "greater_than_equal": N_("must be %(ge)s or more"),
    "greater_than": N_("must be more than %(gt)s"),
    "less_than_equal": N_("must be %(le)s or less"),
    "less_than": N_("must be less than %(lt)s"),
    "int_parsing": _WHOLE_NUMBER,
    "int_type": _WHOLE_NUMBER,
    "int_from_float": _WHOLE_NUMBER,
    "float_parsing": _NUMBER,
    "float_type": _NUMBER,
    "bool_parsing": _TRUE_FALSE,
    "bool_type": _TRUE_FALSE,
    "list_type": N_("must be a list, between [ and ]"),
    "dict_type": _TABLE,
    "model_type": _TABLE,
    "model_attributes_type": _TABLE,
    "url_parsing": _WEB_ADDRESS,
    "url_scheme": _WEB_ADDRESS,
    "url_type": _WEB_ADDRESS,
    "value_error": N_("is not correct: %(error)s"),
    # the catalogue's own (interventions/conditions.py, catalogue.py, catalogue_edit.py)
    "unknown_indicator": N_(
        '"%(value)s" is not an indicator; the codes are on the page Indicator keys for the '
        "conditions"
    ),
    "unknown_asset_kind": N_(
        '"%(value)s" is not a kind of place or offer; choose from %(expected)s'
    ),
    "unknown_level": N_('"%(value)s" is not a level; choose from %(expected)s'),
    "condition_subjects": N_(
        "a condition names exactly one of %(subjects)s (this one names: %(found)s)"
    ),
    "condition_stray": N_("%(stray)s does not go with %(subject)s"),
    "condition_needs": N_("%(subject)s needs one of %(needed)s"),
    "toml_invalid": N_("this is not valid TOML text (%(error)s)"),
    "toml_tables": N_(
        "expected exactly one [[intervention]] table and nothing else (found %(found)s tables)"
    ),
    "conditions_not_toml": N_("is not a TOML list of conditions between [ and ] (%(error)s)"),
    "text_too_long": N_("is longer than %(max_length)s characters"),
    "id_changed": N_('is "%(value)s" but must stay "%(expected)s"; add a new intervention instead'),
    "id_used": N_('"%(value)s" is already used; choose a new id'),
    "id_reserved": N_('"%(value)s" cannot be an id; choose another id'),
}
#: Kinds worded by their minimum: one, or more.
AT_LEAST: dict[str, tuple[str, str]] = {
    "string_too_short": (
        N_("must not be empty"),
        N_("must have at least %(min_length)s characters"),
    ),
    "too_short": (N_("needs at least one"), N_("needs at least %(min_length)s")),
}


#: The patterns of the catalogue, said in words.
def _pattern(model: type[BaseModel], name: str) -> str:
    """The regular expression a field of ``model`` must match."""
    found = [m.pattern for m in model.model_fields[name].metadata if getattr(m, "pattern", None)]
    return str(found[0])


PATTERNS: dict[str, str] = {
    _pattern(Intervention, "id"): N_(
        "may only hold lower case letters, digits and _, and starts with a letter or digit"
    ),
    _pattern(Source, "url"): N_("must be a web address that starts with http:// or https://"),
}
#: Kinds whose message already says what was given.
SAYS_GIVEN = frozenset(
    {"missing", "unknown_indicator", "unknown_asset_kind", "unknown_level"}
    | {"id_changed", "id_used", "id_reserved"}
)


def fields_in_dutch(problems: Iterable[FieldProblem]) -> dict[str, list[str]]:
    """Each top-level field (``toml`` for the whole text) with its problems in Dutch."""
    fields: dict[str, list[str]] = {}
    for problem in problems:
        fields.setdefault(problem.field, []).append(problem_in_dutch(problem))
    return fields


def problem_in_dutch(problem: FieldProblem) -> str:
    """``Naam, veld "name": moet minstens 2 tekens hebben (ingevuld: "x")``."""
    text = _what(problem)
    if problem.given is not None and problem.kind not in SAYS_GIVEN:
        given = _value(problem.given)
        text = _("%(problem)s (you gave: %(given)s)") % {"problem": text, "given": given}
    if problem.path == WHOLE_TEXT:
        return text[:1].upper() + text[1:]
    label = FIELD_LABELS.get(problem.field)
    if label is None:
        return _('Field "%(path)s": %(problem)s') % {"path": problem.path, "problem": text}
    values = {"label": _(label), "path": problem.path, "problem": text}
    return _('%(label)s, field "%(path)s": %(problem)s') % values


def _what(problem: FieldProblem) -> str:
    params = {key: _value(value, quoted=False) for key, value in problem.params.items()}
    if problem.kind in ("enum", "literal_error"):
        params["expected"] = _choices(str(problem.params.get("expected", "")))
    if problem.kind == "condition_subjects" and problem.params.get("found") == "none":
        params["found"] = _("none")
    if problem.kind == "string_pattern_mismatch" and problem.params.get("pattern") in PATTERNS:
        return _(PATTERNS[str(problem.params["pattern"])])
    if problem.kind in AT_LEAST:
        one, more = AT_LEAST[problem.kind]
        msgid = one if problem.params.get("min_length") == 1 else more
    else:
        msgid = MESSAGES.get(problem.kind, MESSAGES["value_error"])
        params.setdefault("error", problem.message)  # a kind without words of its own
    try:
        return _(msgid) % params
    except (KeyError, TypeError, ValueError):  # a value the words need is missing
        return _(MESSAGES["value_error"]) % {"error": problem.message}


def _choices(expected: str) -> str:
    """pydantic's ``'laag', 'midden' or 'hoog'`` as ``"laag", "midden" of "hoog"``."""
    values = re.findall(r"'([^']*)'", expected)
    if not values:
        return expected
    quoted = [f'"{v}"' for v in values]
    if len(quoted) == 1:
        return quoted[0]
    return _("%(first)s or %(last)s") % {"first": ", ".join(quoted[:-1]), "last": quoted[-1]}


def _value(value: Any, *, quoted: bool = True) -> str:
    """A value the Dutch way: numbers with a decimal comma (``0,5``, ``1900``), text between
    quotes."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float):
        return str(value).replace(".", ",")
    return f'"{value}"' if quoted else str(value)
