"""docs/interventions.md, generated from the catalogue so it cannot drift."""

from __future__ import annotations

from pathlib import Path

from veerkracht.interventions.catalogue import (
    EVIDENCE_LABELS,
    TERRAIN_LABELS,
    Catalogue,
    Intervention,
    Source,
    load_catalogue,
)
from veerkracht.interventions.conditions import Condition
from veerkracht.interventions.log_doc import LOG_DOC
from veerkracht.interventions.suggest import CAVEAT, MIN_SCORE

HEADER = (
    "<!-- generated from veerkracht/interventions/catalogue/*.toml; do not edit by hand -->\n\n"
)

SCHEMA = """# Interventions

A catalogue of interventions — social and physical-spatial — that can strengthen living
together in a portiek, block, street or buurt, and suggestions per unit: the interventions whose
conditions match the unit's profile, with reasons in plain Dutch. Suggestions are meant for
professionals and are never shown on public pages as a judgement of a street.

## The catalogue

The catalogue is data: `veerkracht/interventions/catalogue/*.toml`, one file per terrain, each
with `[[intervention]]` tables. Check a file or folder with
`veerkracht interventions check PATH`; every problem names the file, the intervention id, the
field and what was expected, and the command exits with 1.

| field | meaning |
|---|---|
| `id` | unique, lower case letters, digits and `_` |
| `name` | Dutch name |
| `terrain` | one of the six terrains below |
| `levels` | where it can be planned: entrance, building, block, street, neighbourhood, … |
| `target_group`, `goal`, `approach`, `who` | Dutch text at B1 level |
| `cost` | `laag`, `midden` or `hoog` |
| `evidence` | level in the Dutch recognition scheme (below) |
| `evidence_note` | optional: what the sources say beyond the level |
| `sources` | at least one `{title, publisher, url?, year?}`; a URL only when it is known |
| `requires` | conditions that must all hold (optional) |
| `fits_when` | conditions that count towards the fit score (at least one) |

Example:

```toml
[[intervention]]
id = "portiekgesprekken"
name = "Portiekgesprekken en trappenhuisgesprekken"
terrain = "shared_spaces"
levels = ["entrance", "building", "block"]
target_group = "Alle bewoners van een portiek of trappenhuis, vooral bij nieuwe bewoners."
goal = "Buren leren elkaar kennen en maken samen afspraken over het trappenhuis."
approach = "Een portiekwerker nodigt de bewoners van een portiek uit voor een gesprek."
who = "Corporatie of welzijnsorganisatie (portiekwerker)."
cost = "laag"
evidence = "niet_beoordeeld"
sources = [{title = "Portiekaanpak Dapper", publisher = "Academie van de Stad"}]
fits_when = [
  {indicator = "turnover", percentile_at_least = 0.7, weight = 2},
  {indicator = "nuisance_geluid_per_100", percentile_at_least = 0.7},
]
```

Terrains (from research on block-level resilience):

@TERRAINS@

Evidence levels (the Dutch recognition scheme of Movisie and partners; `niet_beoordeeld` for
practice never put to the recognition committee — most of the catalogue, honestly so):

@EVIDENCE@

## The condition language

A condition names exactly one subject with its threshold; one function
(`veerkracht.interventions.conditions.check_condition`) checks them all. Unknown figures never
match.

@CONDITION_TABLE@

Every condition may add `weight` (how much it counts, default 1) and `reason` (own Dutch
wording instead of the generated sentence). Indicator keys are those of
[indicators.md](indicators.md); asset kinds are gift, association, institution, place, economy,
story, active_resident.

## How suggestions are ranked

`suggest(profile, catalogue)` takes a unit's profile (`read_unit_profile(store, level, key)`:
the unit's estimates and their percentiles among the units of its level in the reference
year, assets within 500 m of its outline by kind, and its findings) and:

1. keeps the interventions whose `levels` include the unit's level and whose `requires` all hold;
2. scores each by the sum of the weights of its `fits_when` conditions that hold, and keeps those
   scoring at least @MIN_SCORE@ (two signs, or one sign that counts double);
3. ranks by score, then stronger evidence, then lower cost, then name.

Each suggestion lists the reasons (one sentence per matching condition, with the figure and how
it compares) and this caveat:

> @CAVEAT@

followed by the evidence level and note. Try it: `veerkracht interventions suggest block KEY`.

Interventions that the intervention log says already run (or are planned) in the unit, or in a
unit around it (its street, buurt, …), stay in the list but are marked — "Loopt hier al sinds
1 maart 2024 (organisatie)." — and ranked after the new ones; one that ran here before and
ended is marked "Liep hier van … tot …" and keeps its place. Only approved assets count (and
imported ones); an asset added and approved in the app changes the suggestions at once.

## Suggestions in the web app

`/units/{level}/{key}/suggestions` (JSON twin `/api/units/{level}/{key}/suggestions`) shows the
suggestions for one unit, grouped by terrain, best fit first, with the reasons and the caveat.
They are for professionals, analysts and administrators, for the units in their own area. The
public never gets them (403 with a plain Dutch explanation, on the page and in the JSON): a
suggestion must never read as a public judgement of a street. Reports call the same builder,
`veerkracht.interventions.suggest.build_suggestions(store, level=…, key=…, viewer=…)`, which
raises `SuggestionsForbidden` for anyone else.

## Editing the catalogue in the app

Who sees what: the catalogue itself is general knowledge, so everybody may read it, the public
too, at `/interventions/catalogue` (JSON twin `/api/interventions/catalogue`; one entry at
`/interventions/catalogue/{id}`, with its conditions in words and its sources as links).
Administrators also see retired entries and who changed what, and they can:

- edit an entry as a form (one field per catalogue field; `fits_when` and `requires` as a TOML
  list of conditions) or as TOML text (`…/{id}/edit?mode=toml`);
- add a new entry (`/interventions/catalogue/new`);
- retire an entry (it is no longer suggested anywhere) and restore it, or go back to the shipped
  text of an edited entry.

An entry from the app is checked exactly like a shipped file: every problem names the field
(`field "fits_when[0].indicator": …`) and is shown next to it, and nothing is stored until the
whole entry is right. Saved entries live in the table `intervention_catalogue` (the entry as TOML
text, active or retired, when and by whom); the effective catalogue is the shipped one with
these entries laid over it (an edit replaces the shipped entry with the same id, an added one
comes after the shipped ones) and is read on every request, so a change counts for the
suggestions at once. Every change is written to the audit log (`record_type` "intervention").
When two administrators edit the same entry, the second save is refused (409) instead of
overwriting the first. A stored entry that no longer passes the check (for example after an
indicator was renamed) is skipped, named on the catalogue page, and the shipped text applies.
The same changes are possible through the API (`POST /api/interventions/catalogue`,
`PUT /api/interventions/catalogue/{id}` with `{"entry": {…}}` or `{"toml": "…"}`, and
`POST /api/interventions/catalogue/{id}/retire|restore|revert`, with the session's
`X-CSRF-Token`). On the command line, `veerkracht interventions list --workspace DIR` and
`veerkracht interventions suggest` use the effective catalogue of that workspace.

"""

CONDITION_TABLE = "\n".join(
    (
        "| condition | holds when |",
        "|---|---|",
        '| `{indicator = "K", percentile_at_least = p}` | the unit\'s figure for indicator K is '
        "at or above percentile p (0–1) among the units of its level; also "
        "`percentile_at_most` |",
        '| `{indicator = "K", value_at_least = v}` | the figure itself is at least v; also '
        "`value_at_most` |",
        '| `{assets_of_kind = "place", within_m = 150, at_most = 0}` | at most 0 assets of that '
        "kind lie within 150 m of the unit's outline (`within_m` defaults to 300; 0 = inside "
        "the unit); also `at_least` |",
        '| `{findings = "warning"}` | the unit is on the early-warning list (or '
        '`"positive_deviance"`) |',
        '| `{level_in = ["entrance", "block"]}` | the unit is of one of these levels |',
        "| `{any_of = [{…}, {…}]}` | at least one of the nested conditions holds |",
    )
)


def render_interventions_doc(catalogue: Catalogue | None = None) -> str:
    """The text of docs/interventions.md for ``catalogue`` (default: the shipped one)."""
    catalogue = catalogue or load_catalogue()
    terrains = "\n".join(f"- `{t.value}`: {label}" for t, label in TERRAIN_LABELS.items())
    evidence = "\n".join(f"- `{e.value}`: {label}" for e, label in EVIDENCE_LABELS.items())
    lines = [
        HEADER,
        SCHEMA.replace("@TERRAINS@", terrains)
        .replace("@EVIDENCE@", evidence)
        .replace("@MIN_SCORE@", f"{MIN_SCORE:g}")
        .replace("@CAVEAT@", CAVEAT)
        .replace("@CONDITION_TABLE@", CONDITION_TABLE),
        LOG_DOC,
        f"## Shipped interventions ({len(catalogue)})\n\n",
    ]
    for terrain in catalogue.terrains():
        lines.append(f"### {TERRAIN_LABELS[terrain]} (`{terrain.value}`)\n\n")
        for item in catalogue.of_terrain(terrain):
            lines.append(_render_intervention(item))
    return "".join(lines)


def write_interventions_doc(path: Path) -> Path:
    """Write docs/interventions.md to ``path``; returns the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_interventions_doc(), encoding="utf-8")
    return path


def _render_intervention(item: Intervention) -> str:
    evidence = item.evidence_label + (f" — {item.evidence_note}" if item.evidence_note else "")
    parts = [
        f"#### {item.name} (`{item.id}`)\n\n",
        f"- levels: {', '.join(item.levels)}; cost: {item.cost.value}; evidence: {evidence}\n",
        f"- target group: {item.target_group}\n",
        f"- goal: {item.goal}\n",
        f"- approach: {item.approach}\n",
        f"- who: {item.who}\n",
    ]
    if item.requires:
        parts.append(f"- requires: {'; '.join(_condition_text(c) for c in item.requires)}\n")
    parts.append(f"- fits when: {'; '.join(_condition_text(c) for c in item.fits_when)}\n")
    parts.append("- sources:\n")
    parts += [f"  - {_source_text(source)}\n" for source in item.sources]
    return "".join(parts) + "\n"


def _condition_text(condition: Condition) -> str:
    data = condition.model_dump(exclude_none=True, exclude={"reason"})
    if data.get("weight") == 1.0:
        data.pop("weight")
    if "any_of" in data:
        inner = " or ".join(_condition_text(c) for c in condition.any_of or [])
        extra = f" (weight {condition.weight:g})" if condition.weight != 1.0 else ""
        return f"any of ({inner}){extra}"
    return "`" + ", ".join(f"{k} = {_value(v)}" for k, v in data.items()) + "`"


def _value(value: object) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return str(value)


def _source_text(source: Source) -> str:
    text = f"{source.title}. {source.publisher}"
    if source.year:
        text += f", {source.year}"
    if source.url:
        text += f". <{source.url}>"
    return text + "."
