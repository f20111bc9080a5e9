"""Fieldwork progress: the coverage table as it grew, period by period.

A team uploads new exports every week or two and wants to see whether the gaps are
closing, which channel closed them, and when a group first reached its target.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import pandas as pd

from engagement.coverage import dimension_coverage, eligible_respondents
from engagement.harmonise import membership
from engagement.model import CategoryCoverage, CoverageResult, ProgressResult, ProgressRow
from engagement.vocabulary import MIN_EXPECTED, OVER, UNDER
from reference.model import BuurtReference

logger = logging.getLogger(__name__)


def _timestamps(respondents: pd.DataFrame) -> pd.Series:
    if "responded_at" not in respondents.columns:
        return pd.Series(pd.NaT, index=respondents.index, dtype="datetime64[ns]")
    ts = pd.to_datetime(respondents["responded_at"], errors="coerce")
    if getattr(ts.dt, "tz", None) is not None:
        ts = ts.dt.tz_convert("Europe/Amsterdam").dt.tz_localize(None)
    return ts


def undated_sentence(undated: int, *, today: str = "net als op Bereik", k: int | None = None) -> str:
    """What the weekly lines leave out, said plainly: people without a date count today
    (as on Bereik) but cannot be placed in a week. The Voortgang page and the report say
    it with this one sentence; the report names where today's figures are (`today`) and
    writes a count below `k` as 'minder dan k', as every count it shows."""
    if k is not None and 0 < undated < k:
        who, it = f"Minder dan {k} respondenten hebben", "Die staan"
    elif undated == 1:
        who, it = "1 respondent heeft", "Die staat"
    else:
        who, it = f"{undated} respondenten hebben", "Die staan"
    return (f"{who} geen datum. {it} niet in de lijnen en cijfers per week; in de "
            f"cijfers van nu tellen ze wel mee, {today}.")


def merged_week_sentence(day: str, undated: int, k: int, *, dimension: str | None = None,
                         shown: str = "in de lijnen en de cijfers per week",
                         today: str = "in de tabel hieronder", hide_small: bool = False) -> str:
    """Why the weekly figures stop before the last dated week (privacy.kept_periods against
    today's figures): the Voortgang page and the report say it with this one sentence.
    `dimension`: the kenmerk, for a report that lists several; `shown` and `today`: where
    the weekly and today's figures are; `hide_small`: leave a count below k out, as a report
    does with every count."""
    if hide_small and 0 < undated < k:
        who = "de mensen"
    else:
        who = "de persoon" if undated == 1 else f"de {undated} mensen"
    start = (f"Bij {dimension} staat de week tot en met {day} niet apart {shown}." if dimension
             else f"De week tot en met {day} staat niet apart {shown}.")
    return (f"{start} Het verschil met de cijfers van nu (met {who} zonder datum erbij) is bij een "
            f"of meer groepen kleiner dan {k} mensen; dan zou u kunnen uitrekenen bij welke groep de "
            f"mensen zonder datum horen. De cijfers van nu staan {today}.")


def _reached(cat: CategoryCoverage, custom: set[str]) -> bool:
    """Nothing left to reach; a proportional target needs 5 expected people to mean anything."""
    enough = cat.expected >= MIN_EXPECTED or cat.category in custom
    return bool(cat.to_reach == 0 and cat.respondents > 0 and enough)


def _on_target_since(frame: pd.DataFrame) -> pd.Series:
    """Per group, the first period of its last unbroken run of reached periods (NaT when the
    group is not on target at the latest period): a group can reach its target and fall
    behind again, so "first reached" alone would overstate the state of things."""
    since = {}
    for key, group in frame.sort_values("period_end").groupby(["dimension", "category"]):
        reached = group["reached"].to_numpy()
        if not reached[-1]:
            since[key] = pd.NaT
            continue
        start = len(reached) - 1
        while start > 0 and reached[start - 1]:
            start -= 1
        since[key] = group["period_end"].iloc[start]
    return pd.Series(since, dtype="datetime64[ns]" if not since else None)


def cumulative_coverage(respondents: pd.DataFrame, reference: BuurtReference, *, freq: str = "W",
                        targets: dict[str, dict[str, float]] | None = None,
                        under: float = UNDER, over: float = OVER) -> pd.DataFrame:
    """`progress_result(...).to_frame()`: the long table only, for callers that want a
    frame (undated and warnings are fields of the typed result)."""
    return progress_result(respondents, reference, freq=freq, targets=targets,
                           under=under, over=over).to_frame()


def progress_result(respondents: pd.DataFrame, reference: BuurtReference, *, freq: str = "W",
                    targets: dict[str, dict[str, float]] | None = None,
                    under: float = UNDER, over: float = OVER) -> ProgressResult:
    """One row per period end × dimension × category, counted cumulatively.

    Columns: period_end, dimension, category, n, known (respondents with a known value
    so far), share, population_share, ratio, flag, label, to_reach, reached,
    target_reached_at (first period end with nothing left to reach, counted once at
    least 5 people of the group are expected or the team set its own target), and n_<channel>:
    the cumulative respondents of that group per channel (`by_channel`). Respondents
    without a date cannot be placed in time; their number is `undated`.
    """
    respondents, _ = eligible_respondents(respondents, reference.min_age)
    ts = _timestamps(respondents)
    dated = respondents[ts.notna()]
    ts = ts[ts.notna()]
    undated = int(len(respondents) - len(dated))
    warnings = [undated_sentence(undated)] if undated else []
    if dated.empty:
        return ProgressResult(undated=undated, warnings=tuple(warnings))
    periods = ts.dt.to_period(freq)
    all_periods = pd.period_range(periods.min(), periods.max(), freq=periods.dt.freq)
    ends = [p.end_time.normalize() for p in all_periods]
    channel = (dated["channel"].astype("object").where(dated["channel"].notna(), "onbekend")
               if "channel" in dated.columns else pd.Series("onbekend", index=dated.index))
    channels = sorted(channel.unique())
    rows = []
    for dim, population in reference.dimensions.items():
        cats = list(population)
        fractions, unknown, _ = membership(dated, dim, min_age=reference.min_age, categories=cats)
        if fractions.to_numpy().sum() <= 0:
            continue
        per_period = fractions.groupby(periods.to_numpy()).sum().reindex(all_periods, fill_value=0.0)
        cumulative = per_period.cumsum()
        unknown_cum = pd.Series(unknown, index=dated.index).groupby(periods.to_numpy()).sum() \
            .reindex(all_periods, fill_value=0.0).cumsum()
        by_channel = {
            ch: fractions[channel == ch].groupby(periods[channel == ch].to_numpy()).sum()
            .reindex(all_periods, fill_value=0.0).cumsum()
            for ch in channels}
        for period, end in zip(all_periods, ends):
            result = dimension_coverage(dim, cumulative.loc[period].to_dict(), float(unknown_cum.loc[period]),
                                        population, targets=(targets or {}).get(dim),
                                        under=under, over=over, simulate=False,
                                        margins=reference.margins.get(dim),
                                        shifts=reference.margin_shift.get(dim))
            known = sum(c.respondents for c in result.categories)
            custom = set((targets or {}).get(dim, {}))
            for cat in result.categories:
                row = {"period_end": end, "dimension": dim, "category": cat.category,
                       "n": cat.respondents, "known": known, "share": cat.respondent_share,
                       "population_share": cat.population_share, "ratio": cat.ratio,
                       "flag": cat.flag, "label": cat.label, "to_reach": cat.to_reach,
                       "reached": _reached(cat, custom), "uncertain": cat.uncertain}
                for ch in channels:
                    row[f"n_{ch}"] = float(by_channel[ch].loc[period, cat.category]) \
                        if cat.category in by_channel[ch].columns else 0.0
                rows.append(row)
    return ProgressResult(rows=_with_targets(rows, channels), channels=tuple(channels), undated=undated,
                          warnings=tuple(warnings))


def _with_targets(rows: list[dict], channels: list[str]) -> tuple[ProgressRow, ...]:
    """The rows with, per group, the first period it was reached and the start of its last
    unbroken run of reached periods."""
    if not rows:
        return ()
    frame = pd.DataFrame(rows)
    keys = pd.MultiIndex.from_frame(frame[["dimension", "category"]])
    first = frame[frame["reached"]].groupby(["dimension", "category"])["period_end"].min()
    reached_at = first.reindex(keys).to_numpy()
    since = _on_target_since(frame).reindex(keys).to_numpy()
    out = []
    for i, row in enumerate(rows):
        by_channel = tuple((ch, row[f"n_{ch}"]) for ch in channels)
        fields = {k: v for k, v in row.items() if not k.startswith("n_")}
        out.append(ProgressRow(**fields, by_channel=by_channel,
                               target_reached_at=None if pd.isna(reached_at[i]) else pd.Timestamp(reached_at[i]),
                               on_target_since=None if pd.isna(since[i]) else pd.Timestamp(since[i])))
    return tuple(out)


@dataclass(frozen=True)
class NowRow:
    """One group today. `coverage` is Bereik's own figure for the group (everyone who counts,
    also without a date); the dates come from the dated weeks."""

    coverage: CategoryCoverage
    reached: bool                            # nothing left to reach today (the weeks' rule)
    on_target_since: pd.Timestamp | None     # start of the run of reached weeks that lasts until today
    target_reached_at: pd.Timestamp | None   # the first dated week the group was reached
    only_now: bool = False                   # reached today, not in the last week: the undated did it


def progress_now(progress: ProgressResult, coverage: CoverageResult, dimension: str,
                 targets: dict[str, dict[str, float]] | None = None) -> tuple[NowRow, ...]:
    """The groups of `dimension` today: Bereik's coverage (`coverage`, computed once for
    everyone) with, from `progress` (dated rows only), since when and first when each group
    had enough. 'Today' is never the last dated week: people without a date count too."""
    dim = next((d for d in coverage.dimensions if d.dimension == dimension), None)
    if dim is None:
        return ()
    rows = [r for r in progress.rows if r.dimension == dimension]
    last_end = max((r.period_end for r in rows), default=None)
    last = {r.category: r for r in rows if r.period_end == last_end}
    first = {r.category: r.target_reached_at for r in rows}
    custom = set((targets or {}).get(dimension, {}))
    out = []
    for cat in dim.categories:
        reached = _reached(cat, custom)
        week = last.get(cat.category)
        in_week = week is not None and week.reached
        out.append(NowRow(coverage=cat, reached=reached,
                          on_target_since=week.on_target_since if reached and in_week and week else None,
                          target_reached_at=first.get(cat.category), only_now=reached and not in_week))
    return tuple(out)


# --------------------------------------------------------------------------- channels per week
NO_CHANNEL = "anders"  # a counted row without a channel (the report's 'Andere kanalen')


@dataclass(frozen=True)
class ChannelWeeks:
    """Counted people per channel, per week and today: the one rule for the Voortgang
    page's channel chart and the report's weekly table. `counts`: per week end (Sunday,
    Dutch time) and channel, everyone counted with a date up to and including that week,
    whatever the kenmerken they gave. `undated`: per channel, counted people without a
    date; they count only in today's totals (`now`), never in a week."""

    counts: pd.DataFrame
    undated: Mapping[str, int] = field(default_factory=dict)

    @property
    def undated_total(self) -> int:
        return int(sum(self.undated.values()))

    def now(self) -> dict[str, int]:
        """Today's count per channel: the last week plus the people without a date."""
        last = self.counts.iloc[-1] if not self.counts.empty else pd.Series(dtype=float)
        channels = list(dict.fromkeys([*map(str, last.index), *self.undated]))
        return {ch: int(round(float(last.get(ch, 0.0)))) + int(self.undated.get(ch, 0)) for ch in channels}


def channel_weeks(respondents: pd.DataFrame, min_age: int | None = None, *, freq: str = "W") -> ChannelWeeks:
    """Per week and channel the counted people so far (cumulative, whole people, weeks in
    Dutch time as progress_result's), and per channel the counted people without a date.
    `min_age`: apply the eligibility rule (rows the caller already counted may skip it)."""
    if min_age is not None:
        respondents, _ = eligible_respondents(respondents, min_age)
    if respondents.empty:
        return ChannelWeeks(pd.DataFrame())
    channel = (respondents["channel"].astype("object").where(respondents["channel"].notna(), NO_CHANNEL)
               .map(str) if "channel" in respondents.columns
               else pd.Series(NO_CHANNEL, index=respondents.index))
    ts = _timestamps(respondents)
    undated = {str(ch): int(n) for ch, n in channel[ts.isna()].value_counts().sort_index().items()}
    if ts.notna().sum() == 0:
        return ChannelWeeks(pd.DataFrame(), undated)
    periods = ts[ts.notna()].dt.to_period(freq)
    weeks = pd.period_range(periods.min(), periods.max(), freq=periods.dt.freq)
    counts = pd.crosstab(periods.to_numpy(), channel[ts.notna()].to_numpy()).reindex(weeks, fill_value=0)
    counts = counts.cumsum().astype(float)
    counts.index = pd.DatetimeIndex([p.end_time.normalize() for p in weeks])
    counts.columns = [str(c) for c in counts.columns]
    counts.columns.name = None
    return ChannelWeeks(counts, undated)


def channel_weeks_sentence(weeks: ChannelWeeks, *, now_place: str, name: Callable[[str], str] = str,
                           k: int | None = None) -> str:
    """The rule of the channel figures per week in words, for the page and the report alike:
    summed up to and including each week; people without a date only in today's figures
    (`now_place`: where those are), so there a channel is higher than in the last week.
    `name`: a channel code as a reader knows it; a count below `k` reads 'minder dan k'."""
    def count(n: int) -> str:
        return f"minder dan {k}" if k is not None and 0 < n < k else f"{n:,}".replace(",", ".")

    text = "Per kanaal: het aantal gesproken mensen vanaf het begin opgeteld tot en met die week."
    total = weeks.undated_total
    if not total:
        return text
    if count(total) == "1":
        who = "1 persoon heeft geen datum. Die telt"
    else:
        who = f"{count(total)[:1].upper()}{count(total)[1:]} mensen hebben geen datum. Zij tellen"
    per = [f"{name(ch).lower()} {count(n)}" for ch, n in sorted(weeks.undated.items(), key=lambda i: -i[1]) if n]
    return (f"{text} {who} alleen mee in de cijfers van nu ({now_place}), niet in een week. Daardoor "
            f"zijn er nu meer dan in de laatste week: {', '.join(per)}.")
