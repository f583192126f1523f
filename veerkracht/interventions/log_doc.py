"""The part of docs/interventions.md about the intervention log, before/after and learning
across places (``reference.render_interventions_doc`` puts it after the catalogue's parts)."""

LOG_DOC = """## The intervention log: what was done where

The log (table `intervention_log`) records what professionals do in a place: a title, the unit
(any level, from a portiek to the whole gemeente), since when and until when, the organisation
(never a person), the aim, notes, and optionally the catalogue intervention it is. Every write
goes through one door, `veerkracht.interventions.log` (`add_entry`, `end_entry`), which checks
each field — a wrong one is named (`field "started_on": "1-3-2024" is not a date. Write it like
2024-03-01.`), in Dutch on the form — and who writes:

| who | reads the log | adds and ends entries |
| --- | --- | --- |
| public | nothing (403 on every log, before/after and learning page and JSON) | no |
| analyst | the units in their scope | no |
| professional | the units in their scope | for units in their scope |
| administrator | everything | everything |

A unit is in scope when one of its areas (buurt, wijk, gemeente — from the unit's own level
upwards, so a wijk-wide scope does not cover the whole gemeente) is in the account's scope.

- Web: `/units/{level}/{key}/log` lists the unit's own entries and those of units around it or
  inside it, with the form to add one and a form per entry to end it; `/interventions/log` is the
  whole log with filters (level, organisation, intervention, year it ran). JSON twins:
  `/api/units/{level}/{key}/log`, `/api/interventions/log`; writes through the API:
  `POST /api/units/{level}/{key}/log` and `POST /api/interventions/log/{id}/end` with the
  session's `X-CSRF-Token` (a wrong field answers 400 with `field` and `errors`).
- CLI: `veerkracht interventions log add LEVEL KEY --title … --organisation … --aim … --start
  2024-03-01 [--end …] [--intervention ID] [--user NAME]`, `veerkracht interventions log list`,
  `veerkracht interventions log end ID --on 2025-06-30`. Without `--user` the command line acts
  as the operator (administrator); with it, that account's role and scope are checked.

**Professional presence.** The capacity indicator `interventions_active` counts the entries
running in a unit in the reference year. An entry counts for every unit that shares a dwelling
with the entry's unit: an entry for a buurt counts for each block and street in it, an entry for
a portiek counts for its block, street, buurt, wijk and gemeente. (Blocks and streets do not
nest, so "shares a dwelling" is the one rule that works for every pair of levels.) An entry runs
in a year when it started on or before 31 December and had not ended before 1 January. The build
reads the log (`pipeline.build`), and every add or end recounts the indicator at once
(`refresh_presence`: it needs only the dwellings' keys and the log).

## Before and after

`/interventions/log/{id}/effect` (JSON twin `/api/interventions/log/{id}/effect`, CLI
`veerkracht interventions effect ID`) compares, for nuisance complaints per 100 dwellings,
signals per 100 dwellings and turnover, the unit before and after the start with comparable
units without any logged intervention (`veerkracht.interventions.effect`):

1. *Before*: the last (at most) 5 years with data before the start year; *after*: the whole
   years after the start year, up to the end year when the entry has ended. The start year
   itself counts for neither. A year in which no unit of the level has any event is a year
   without data (the signals start in the newest year, so they have no "before").
2. The figure before and after is the pooled ratio over those years (all complaints ÷ all
   dwelling-years).
3. The comparison group: the 10 units of the same level, without a logged intervention in or
   around them from five years before the start on, that were closest before the start in the
   figure and in size (distance in standard deviations of both). The page lists them, with
   their figures through disclosure (a comparison unit may lie outside the viewer's area).
4. The estimate is the unit's change minus the comparison group's average change (a simple
   difference-in-differences). The 90 % interval treats the unit as one more member of the
   group: estimate ± t(0.95, n−1) · s · √(1 + 1/n), with s the spread of the group's changes.
5. "Te weinig gegevens om iets te zeggen" when there are fewer than 2 years before or after,
   fewer than 10 events before the start, fewer than 10 dwellings, or fewer than 8 comparison
   units — with the reasons. Otherwise the verdict says whether the change was clearly lower,
   clearly higher, or not clearly different from the comparison group, with the size and the
   interval, and that a difference fits an effect but does not prove it.

Block and higher levels keep every year; for a portiek or building logged entry there is no
history, so it always gives "too few data" (log it for the block instead to see before/after).

**Demostad** plants an effect (`veerkracht/demo/interventions.py`): portiekgesprekken in a large
portiek block with a high nuisance level from April 2021, after which only 35 % of its nuisance
complaints remain (thinned with a random stream of its own, so the rest of Demostad is unchanged).
Before/after finds it (about −5 per 100 dwellings, the interval below zero). Three entries where
nothing was planted show what honesty looks like: buurtbemiddeling in a similar block (no clear
difference), portiekbeheerders started in October 2024 (too few years after) and a buurtconciërge
for a whole buurt (too few comparable buurten without an intervention).

## Learning across places

`/analysis/learning` (JSON twin `/api/analysis/learning`) puts the places that do better than
their load predicts (the positive-deviance findings) beside what they have — the capacity figures
of the finding, approved assets counted per kind, active residents counted and never named — and
what was done there: log entries for the place itself or for units around or inside it, with the
organisation and the period (an entry for a portiek or building is shown as "in een portiek van
deze plek", never with its address) and a link to its before/after. Professionals, analysts and
administrators see the places in their scope; the public gets 403, so no street is ranked in
public.

"""
