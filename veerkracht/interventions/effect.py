"""Before and after: did a place's load change after a logged intervention, compared with
similar places without one? A simple difference-in-differences, with an honest verdict.

For one outcome (nuisance complaints, signals, turnover) and one log entry:

1. The *pre* years are the (at most ``MAX_PRE_YEARS``) years with data before the start year;
   the *post* years those after the start year, up to the end year when the entry has ended.
   The start year itself is left out: it is partly before and partly after.
2. The unit's figure before and after is the pooled ratio over those years (all complaints ÷
   all dwelling-years), so small years do not weigh as much as big ones.
3. The comparison group: the ``COMPARISON_SIZE`` units of the same level, without any logged
   intervention in or around them during those years, whose figure before the start and size
   (dwellings) are closest to the unit's (distance in standard deviations of both).
4. The estimate: the unit's change minus the comparison group's average change. The interval
   (90 %) treats the unit as one more member of the comparison group: estimate ± t·s·√(1+1/n),
   with s the spread of the comparison units' changes.
5. "Too few data" when there are fewer than ``MIN_YEARS`` years before or after, fewer than
   ``MIN_EVENTS`` events before the start, fewer than ``MIN_DWELLINGS`` dwellings, or fewer than
   ``MIN_COMPARISON`` comparison units. Otherwise: lower, higher or no clear difference,
   depending on whether the interval lies wholly below zero, above zero, or around it.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from veerkracht.assessment.wording import dutch_number
from veerkracht.indicators.base import Indicator, Unit
from veerkracht.indicators.registry import BY_KEY
from veerkracht.interventions.unit_profile import level_word

#: The load figures with a yearly history that before/after looks at.
OUTCOMES = ("nuisance_per_100", "signals_per_100", "turnover")
#: What is counted, in Dutch (plural), per outcome.
EVENT_WORDS = {
    "nuisance_per_100": "overlastmeldingen",
    "signals_per_100": "meldingen",
    "turnover": "verhuizingen",
}
MAX_PRE_YEARS = 5
MIN_YEARS = 2
MIN_EVENTS = 10
MIN_DWELLINGS = 10
MIN_COMPARISON = 8
COMPARISON_SIZE = 10
CONFIDENCE = 0.90

TOO_FEW = "too_few_data"
LOWER = "lower"
HIGHER = "higher"
NO_CLEAR = "no_clear_difference"
TOO_FEW_TEXT = "Te weinig gegevens om iets te zeggen."


@dataclass(frozen=True)
class ComparisonUnit:
    """A unit in the comparison group: its figure before and after and its change."""

    key: str
    before: float
    after: float
    change: float
    dwellings: float
    numerator_before: float
    denominator_before: float
    numerator_after: float
    denominator_after: float


@dataclass(frozen=True)
class BeforeAfter:
    """The before/after comparison of one outcome for one log entry."""

    indicator: str
    level: str
    key: str
    start_year: int
    verdict: str  # lower | higher | no_clear_difference | too_few_data
    text: str
    reasons: tuple[str, ...] = ()
    pre_years: tuple[int, ...] = ()
    post_years: tuple[int, ...] = ()
    before: float | None = None
    after: float | None = None
    change: float | None = None
    comparison_change: float | None = None
    estimate: float | None = None
    lower: float | None = None
    upper: float | None = None
    comparison: tuple[ComparisonUnit, ...] = ()
    yearly: dict[int, float] = field(default_factory=dict)
    comparison_yearly: dict[int, float] = field(default_factory=dict)
    events_before: float = 0.0

    @property
    def too_few_data(self) -> bool:
        return self.verdict == TOO_FEW

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "indicator": self.indicator,
            "level": self.level,
            "key": self.key,
            "start_year": self.start_year,
            "verdict": self.verdict,
            "text": self.text,
            "reasons": list(self.reasons),
            "pre_years": list(self.pre_years),
            "post_years": list(self.post_years),
            "before": self.before,
            "after": self.after,
            "change": self.change,
            "comparison_change": self.comparison_change,
            "estimate": self.estimate,
            "lower": self.lower,
            "upper": self.upper,
            "comparison": [c.__dict__ for c in self.comparison],
            "yearly": {str(y): v for y, v in self.yearly.items()},
            "comparison_yearly": {str(y): v for y, v in self.comparison_yearly.items()},
        }


def compare_before_after(
    history: pd.DataFrame,
    *,
    indicator: str,
    level: str,
    key: str,
    started_on: date,
    ended_on: date | None = None,
    excluded: Collection[str] = (),
) -> BeforeAfter:
    """Before/after of ``indicator`` for unit ``key`` against comparable units.

    ``history`` holds the yearly rows of one level and indicator: key, year, numerator,
    denominator. ``excluded`` are units with a logged intervention of their own (never compared
    with). Years in which no unit of the level has any event count as years without data.
    """
    measure = BY_KEY[indicator]
    history = _clean(history)
    history = history[history["year"].isin(_data_years(history))]
    pre, post = _periods(history, started_on, ended_on)
    start = started_on.year
    reasons = _period_reasons(pre, post)
    own = history[history["key"] == key]
    if own.empty:
        reasons.append(f"Voor deze {level_word(level)} zijn geen cijfers per jaar bewaard.")
    base = dict(indicator=indicator, level=level, key=key, start_year=start)
    if reasons:
        return _too_few(base, reasons, pre, post, _yearly(measure, own))
    sums = _sums(history, pre, post)
    if key not in sums.index:
        reasons.append(f"Voor deze {level_word(level)} ontbreken cijfers in een van de jaren.")
        return _too_few(base, reasons, pre, post, _yearly(measure, own))
    unit = sums.loc[key]
    events_before = float(unit["num_pre"])
    dwellings = float(unit["den_pre"]) / len(pre)
    if events_before < MIN_EVENTS:
        reasons.append(
            f"Vóór de start waren er hier {dutch_number(events_before)} "
            f"{EVENT_WORDS.get(indicator, 'gebeurtenissen')}; we hebben er minstens "
            f"{MIN_EVENTS} nodig."
        )
    if dwellings < MIN_DWELLINGS:
        reasons.append(
            f"Er zijn hier maar {dutch_number(dwellings)} woningen; we hebben er minstens "
            f"{MIN_DWELLINGS} nodig."
        )
    group = _comparison_group(measure, sums, key=key, excluded=set(excluded))
    if len(group) < MIN_COMPARISON:
        reasons.append(
            f"Er zijn maar {len(group)} vergelijkbare {level_word(level, plural=True)} zonder "
            f"interventie; we hebben er minstens {MIN_COMPARISON} nodig."
        )
    yearly = _yearly(measure, own)
    if reasons:
        return _too_few(base, reasons, pre, post, yearly, comparison=group)
    before = _value(measure, unit["num_pre"], unit["den_pre"])
    after = _value(measure, unit["num_post"], unit["den_post"])
    changes = np.array([c.change for c in group])
    estimate = (after - before) - float(changes.mean())
    spread = float(changes.std(ddof=1)) * math.sqrt(1 + 1 / len(changes))
    margin = float(stats.t.ppf(0.5 + CONFIDENCE / 2, len(changes) - 1)) * spread
    lower, upper = estimate - margin, estimate + margin
    verdict = LOWER if upper < 0 else HIGHER if lower > 0 else NO_CLEAR
    return BeforeAfter(
        **base,  # type: ignore[arg-type]
        verdict=verdict,
        text=_verdict_text(measure, level, verdict, estimate, lower, upper),
        pre_years=tuple(pre),
        post_years=tuple(post),
        before=before,
        after=after,
        change=after - before,
        comparison_change=float(changes.mean()),
        estimate=estimate,
        lower=lower,
        upper=upper,
        comparison=tuple(group),
        yearly=yearly,
        comparison_yearly=_comparison_yearly(measure, history, [c.key for c in group]),
        events_before=events_before,
    )


def _clean(history: pd.DataFrame) -> pd.DataFrame:
    frame = history[["key", "year", "numerator", "denominator"]].copy()
    frame["key"] = frame["key"].astype(str)
    frame["year"] = frame["year"].astype(int)
    frame[["numerator", "denominator"]] = frame[["numerator", "denominator"]].astype(float)
    return frame


def _data_years(history: pd.DataFrame) -> list[int]:
    """Years in which some unit of the level has an event: the source has data then."""
    totals = history.groupby("year")["numerator"].sum()
    return sorted(int(y) for y, total in totals.items() if total > 0)


def _periods(
    history: pd.DataFrame, started_on: date, ended_on: date | None
) -> tuple[list[int], list[int]]:
    """Years with data before the start year (the newest few) and after it."""
    years = _data_years(history)
    start = started_on.year
    last = ended_on.year if ended_on is not None else math.inf
    pre = [y for y in years if y < start][-MAX_PRE_YEARS:]
    post = [y for y in years if start < y <= last]
    return pre, post


def _period_reasons(pre: Sequence[int], post: Sequence[int]) -> list[str]:
    reasons = []
    if not pre:
        reasons.append(
            f"Van vóór het startjaar zijn er geen cijfers; we hebben er minstens {MIN_YEARS} "
            "jaar nodig."
        )
    elif len(pre) < MIN_YEARS:
        reasons.append(
            f"Er zijn cijfers van maar {len(pre)} jaar vóór het startjaar; we hebben er "
            f"minstens {MIN_YEARS} nodig."
        )
    if not post:
        reasons.append(
            f"Na het startjaar zijn er nog geen cijfers van een heel jaar; we hebben er minstens "
            f"{MIN_YEARS} nodig. Kijk later nog eens."
        )
    elif len(post) < MIN_YEARS:
        reasons.append(
            f"Er zijn cijfers van maar {len(post)} jaar na het startjaar; we hebben er minstens "
            f"{MIN_YEARS} nodig. Kijk later nog eens."
        )
    return reasons


def _sums(history: pd.DataFrame, pre: Sequence[int], post: Sequence[int]) -> pd.DataFrame:
    """Per unit: numerator and denominator summed over the pre and the post years; only units
    with dwellings in every one of those years."""
    window = history[history["year"].isin([*pre, *post])]
    complete = window[window["denominator"] > 0].groupby("key")["year"].nunique()
    keys = complete.index[complete == len(pre) + len(post)]
    window = window[window["key"].isin(keys)]
    is_pre = window["year"].isin(pre)
    out = pd.DataFrame(
        {
            "num_pre": window[is_pre].groupby("key")["numerator"].sum(),
            "den_pre": window[is_pre].groupby("key")["denominator"].sum(),
            "num_post": window[~is_pre].groupby("key")["numerator"].sum(),
            "den_post": window[~is_pre].groupby("key")["denominator"].sum(),
        }
    )
    out["years_pre"] = len(pre)
    return out.fillna(0.0)


def _comparison_group(
    measure: Indicator, sums: pd.DataFrame, *, key: str, excluded: set[str]
) -> list[ComparisonUnit]:
    """The closest units on the figure before and on size, without interventions."""
    unit = sums.loc[key]
    size = sums["den_pre"] / sums["years_pre"]
    pool = sums[(sums.index != key) & ~sums.index.isin(excluded) & (size >= MIN_DWELLINGS)]
    if pool.empty:
        return []
    before = _value(measure, pool["num_pre"], pool["den_pre"])
    own_before = _value(measure, unit["num_pre"], unit["den_pre"])
    log_size = np.log(pool["den_pre"] / pool["years_pre"])
    own_log_size = math.log(float(unit["den_pre"]) / float(unit["years_pre"]))
    distance = np.abs(before - own_before) / _scale(before) + np.abs(
        log_size - own_log_size
    ) / _scale(log_size)
    order = pd.DataFrame(
        {"distance": np.asarray(distance, dtype=float), "key": pool.index.to_numpy()}
    ).sort_values(["distance", "key"], kind="stable")
    group = []
    for chosen in order["key"].iloc[:COMPARISON_SIZE]:
        row = pool.loc[chosen]
        pre_value = _value(measure, row["num_pre"], row["den_pre"])
        post_value = _value(measure, row["num_post"], row["den_post"])
        group.append(
            ComparisonUnit(
                key=str(chosen),
                before=pre_value,
                after=post_value,
                change=post_value - pre_value,
                dwellings=float(row["den_pre"]) / float(row["years_pre"]),
                numerator_before=float(row["num_pre"]),
                denominator_before=float(row["den_pre"]),
                numerator_after=float(row["num_post"]),
                denominator_after=float(row["den_post"]),
            )
        )
    return group


def _scale(values: Any) -> float:
    spread = float(np.std(np.asarray(values, dtype=float)))
    return spread if spread > 0 else 1.0


def _value(measure: Indicator, numerator: Any, denominator: Any) -> Any:
    result = measure.value(np.atleast_1d(numerator), np.atleast_1d(denominator))
    return float(result[0]) if np.ndim(numerator) == 0 else result


def _yearly(measure: Indicator, rows: pd.DataFrame) -> dict[int, float]:
    values = measure.value(rows["numerator"], rows["denominator"])
    return {
        int(y): float(v) for y, v in zip(rows["year"], values, strict=True) if not math.isnan(v)
    }


def _comparison_yearly(
    measure: Indicator, history: pd.DataFrame, keys: Sequence[str]
) -> dict[int, float]:
    """The average of the comparison units' figures per year."""
    rows = history[history["key"].isin(keys)].copy()
    rows["value"] = measure.value(rows["numerator"], rows["denominator"])
    means = rows.groupby("year")["value"].mean()
    return {int(y): float(v) for y, v in means.items() if not math.isnan(v)}


def _too_few(
    base: dict[str, Any],
    reasons: list[str],
    pre: Sequence[int],
    post: Sequence[int],
    yearly: dict[int, float],
    *,
    comparison: Sequence[ComparisonUnit] = (),
) -> BeforeAfter:
    return BeforeAfter(
        **base,
        verdict=TOO_FEW,
        text=TOO_FEW_TEXT,
        reasons=tuple(reasons),
        pre_years=tuple(pre),
        post_years=tuple(post),
        comparison=tuple(comparison),
        yearly=yearly,
    )


def describe_difference(measure: Indicator, amount: float) -> str:
    """A difference (its size) in plain words: '3,4 per 100 woningen', '2,5 procentpunt'."""
    words = {Unit.SHARE: " procentpunt", Unit.PER_100: " per 100 woningen"}
    return _number(measure, amount) + words.get(measure.unit, "")


def _number(measure: Indicator, amount: float) -> str:
    scale = 100.0 if measure.unit == Unit.SHARE else 1.0
    return dutch_number(abs(amount) * scale, 1)


def _verdict_text(
    measure: Indicator, level: str, verdict: str, estimate: float, lower: float, upper: float
) -> str:
    what = measure.label.lower()
    places = f"vergelijkbare {level_word(level, plural=True)} zonder interventie"
    size = describe_difference(measure, estimate)
    near, far = sorted((abs(lower), abs(upper)))
    band = f"{_number(measure, near)} en {describe_difference(measure, far)}"
    if verdict == LOWER:
        return (
            f"Na de start ging het cijfer '{what}' hier meer omlaag dan bij {places}: ongeveer "
            f"{size} minder per jaar (waarschijnlijk tussen {band} minder). Dat past bij een "
            "effect van de interventie, maar bewijst het niet: er kan ook iets anders veranderd "
            "zijn."
        )
    if verdict == HIGHER:
        return (
            f"Na de start ging het cijfer '{what}' hier meer omhoog dan bij {places}: ongeveer "
            f"{size} meer per jaar (waarschijnlijk tussen {band} meer). Dat zegt niet dat de "
            "interventie het erger maakte: er kan ook iets anders veranderd zijn."
        )
    direction = "minder" if estimate < 0 else "meer"
    low_word = "minder" if lower < 0 else "meer"
    high_word = "minder" if upper < 0 else "meer"
    return (
        f"Geen duidelijk verschil met {places}. Het verschil van ongeveer {size} {direction} "
        f"per jaar valt binnen wat we ook bij die plekken zien (tussen "
        f"{describe_difference(measure, lower)} {low_word} en "
        f"{describe_difference(measure, upper)} {high_word})."
    )
