"""Which channel reaches whom: yield per group per channel (and per week), per hour of effort.

The outreach advice used to rank channels by a rule table written from practice. The
team's own fieldwork is better evidence: if straatgesprekken brought 9 of the 30 young
people so far, that is what to do more of. This module measures it:

- yield per contact: the share of a channel's (eligible) respondents that belongs to a
  group, with a Wilson interval, because 3 of 5 is not the same evidence as 30 of 50;
- yield per hour: people of the group per logged hour (store.effort), when the team logs
  effort for that channel.

`best_order` is THE rule for "het beste kanaal tot nu toe", and every page, card and
report that names a best channel goes through it (`best_channel`, `rank_channels`,
engagement.outreach.best_channels): a channel is evidence for a group only when the team
spoke at least MIN_GROUP people of that group through it, and among those the highest
yield per contact wins. Otherwise there is too little to tell (NO_BEST).
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from engagement import stats
from engagement.coverage import eligible_respondents
from engagement.harmonise import membership
from reference.model import BuurtReference

# A channel's yield for a group counts as evidence from this many people of the group on.
# The same number as reports.privacy.DEFAULT_K (a test checks): a smaller count is shown
# as '<10' in every table, so a best channel is always one whose cell the reader can see.
MIN_GROUP = 10
NO_BEST = "nog niet te zeggen"  # a table cell when no channel passes the rule
BEST_RULE_TEXT = (f"Van de kanalen waarmee u minstens {MIN_GROUP} mensen uit deze groep sprak: het "
                  "kanaal waar het grootste deel van de gesproken mensen bij deze groep hoorde. "
                  f"'{NO_BEST}' = via geen enkel kanaal sprak u al {MIN_GROUP} mensen uit deze groep.")
UNKNOWN_CHANNEL = "onbekend"
EVIDENCE = "eigen cijfers"
RULES = "adviezentabel"
# how a channel is named as the subject of a sentence ("straatgesprekken werkten het best")
CHANNEL_NOUNS = {"online": "de online vragenlijst", "papier": "de papieren vragenlijst",
                 "straatgesprek": "straatgesprekken", "bijeenkomst": "bijeenkomsten",
                 "huisbezoek": "huisbezoeken", "anders": "andere kanalen", "steekproef": "de steekproef"}


@dataclass(frozen=True)
class ChannelYield:
    """One channel × (week) × group: how many of its respondents belonged to the group."""

    channel: str
    week: str            # Monday of the week ("2024-03-04"), or "" for all weeks together
    dimension: str
    category: str
    respondents: int     # the channel's eligible respondents with a known value here
    group: float         # of them, people in this group (fractional for split age bands)
    share: float         # group / respondents: the yield per contact
    ci_low: float
    ci_high: float
    hours: float | None = None      # logged effort of the channel (in this week)
    per_hour: float | None = None   # group / hours

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class ChannelReach:
    """Every channel's yield per group, overall and per week."""

    rows: tuple[ChannelYield, ...]
    effort_logged: bool = False

    def to_frame(self) -> pd.DataFrame:
        columns = list(ChannelYield.__dataclass_fields__)
        return pd.DataFrame([r.to_dict() for r in self.rows], columns=columns)

    def to_dict(self) -> dict:
        return {"effort_logged": self.effort_logged, "channels": [r.to_dict() for r in self.rows]}

    @classmethod
    def from_dict(cls, data: dict) -> ChannelReach:
        return cls(rows=tuple(ChannelYield(**row) for row in data.get("channels", [])),
                   effort_logged=bool(data.get("effort_logged", False)))

    def overall(self, dimension: str, category: str) -> list[ChannelYield]:
        return [r for r in self.rows if not r.week and r.dimension == dimension
                and r.category == category]


@dataclass(frozen=True)
class RankedChannel:
    channel: str
    basis: str                 # EVIDENCE or RULES
    share: float | None = None
    per_hour: float | None = None
    respondents: int = 0
    group: float = 0.0         # people of the group through this channel (evidence only)

    def to_dict(self) -> dict:
        return asdict(self)


def _weeks(respondents: pd.DataFrame) -> pd.Series:
    if "responded_at" not in respondents.columns:
        return pd.Series("", index=respondents.index, dtype=object)
    moments = pd.to_datetime(respondents["responded_at"], errors="coerce", utc=True)
    days = moments.dt.tz_localize(None).dt.normalize()
    monday = days - pd.to_timedelta(days.dt.day_of_week, unit="D")
    return monday.dt.strftime("%Y-%m-%d").where(monday.notna(), "")


def _hours(effort: pd.DataFrame | None) -> tuple[dict[str, float], dict[tuple[str, str], float]]:
    """Logged hours per channel, and per (channel, Monday as text)."""
    if effort is None or effort.empty:
        return {}, {}
    table = effort.assign(week=pd.to_datetime(effort["week_start"]).dt.strftime("%Y-%m-%d"))
    total = table.groupby("channel")["hours"].sum()
    weekly = table.groupby(["channel", "week"])["hours"].sum()
    return ({str(k): float(v) for k, v in total.items()},
            {(str(c), str(w)): float(v) for (c, w), v in weekly.items()})


def _rows(fractions: np.ndarray, unknown: np.ndarray, cats: list[str], dimension: str,
          channel: str, week: str, hours: float | None) -> list[ChannelYield]:
    known = float(np.sum(1.0 - unknown))
    if known <= 0:
        return []
    groups = fractions.sum(axis=0)
    low, high = stats.wilson(groups, known)
    return [ChannelYield(channel=channel, week=week, dimension=dimension, category=cat,
                         respondents=int(round(known)), group=float(groups[i]),
                         share=float(groups[i] / known), ci_low=float(np.atleast_1d(low)[i]),
                         ci_high=float(np.atleast_1d(high)[i]), hours=hours,
                         per_hour=float(groups[i] / hours) if hours else None)
            for i, cat in enumerate(cats)]


def channel_reach(respondents: pd.DataFrame, reference: BuurtReference, *,
                  effort: pd.DataFrame | None = None, by_week: bool = True) -> ChannelReach:
    """Yield per channel and group (and per week), from the rows that count.

    `effort`: store.effort's table (channel, week_start, hours, sessions); without it the
    per-hour figures stay None.
    """
    counted, _ = eligible_respondents(respondents, reference.min_age)
    if counted.empty:
        return ChannelReach(rows=(), effort_logged=effort is not None and not effort.empty)
    channels = (counted["channel"].astype(object).where(counted["channel"].notna(), UNKNOWN_CHANNEL)
                .astype(str) if "channel" in counted.columns
                else pd.Series(UNKNOWN_CHANNEL, index=counted.index))
    weeks = _weeks(counted) if by_week else pd.Series("", index=counted.index, dtype=object)
    total_hours, weekly_hours = _hours(effort)
    rows: list[ChannelYield] = []
    for dimension, population in reference.dimensions.items():
        cats = [c for c, v in population.items() if v is not None and np.isfinite(v) and v > 0]
        if len(cats) < 2:
            continue
        fractions, unknown, _ = membership(counted, dimension, min_age=reference.min_age,
                                           categories=cats)
        values = fractions.to_numpy()
        for channel in sorted(channels.unique()):
            mask = (channels == channel).to_numpy()
            rows += _rows(values[mask], unknown[mask], cats, dimension, channel, "",
                          total_hours.get(channel))
            if not by_week:
                continue
            for week in sorted(w for w in weeks[mask].unique() if w):
                in_week = mask & (weeks == week).to_numpy()
                rows += _rows(values[in_week], unknown[in_week], cats, dimension, channel, week,
                              weekly_hours.get((channel, week)))
    return ChannelReach(rows=tuple(rows), effort_logged=bool(total_hours))


def best_order(rows: Iterable[tuple[str, float, float]], *, min_group: int = MIN_GROUP) -> list[str]:
    """THE rule for the best channel of one group: `rows` are (channel, people of the group
    through it, yield per contact = that number / the channel's respondents).

    Only channels with at least `min_group` people of the group count (fewer is shown as
    '<10' and is no evidence: 3 of 5 says little); the unknown channel never counts. Among
    them the highest yield per contact comes first; ties: more people of the group, then
    the name. Per hour is not used to choose: not every channel logs hours, and the plan
    and the report have none. An empty list means: too little to tell (NO_BEST).
    """
    kept = [(channel, group, share) for channel, group, share in rows
            if channel != UNKNOWN_CHANNEL and not group < min_group]
    return [channel for channel, _, _ in sorted(kept, key=lambda r: (-r[2], -r[1], r[0]))]


def best_channel(reach: ChannelReach, dimension: str, category: str, *,
                 min_group: int = MIN_GROUP) -> str | None:
    """The best channel so far for one group by `best_order`, or None: too little to tell."""
    order = best_order(((r.channel, r.group, r.share) for r in reach.overall(dimension, category)),
                       min_group=min_group)
    return order[0] if order else None


def rank_channels(reach: ChannelReach, dimension: str, category: str, *,
                  rule_channels: Sequence[str] = (), min_group: int = MIN_GROUP
                  ) -> list[RankedChannel]:
    """Channels for one group, best first: the team's evidence by `best_order` (so the first
    is `best_channel`), then the rule table's order for the channels that are no evidence."""
    rows = {r.channel: r for r in reach.overall(dimension, category)}
    order = best_order(((r.channel, r.group, r.share) for r in rows.values()), min_group=min_group)
    ranked = [RankedChannel(channel=c, basis=EVIDENCE, share=rows[c].share, per_hour=rows[c].per_hour,
                            respondents=rows[c].respondents, group=rows[c].group) for c in order]
    seen = set(order)
    ranked += [RankedChannel(channel=c, basis=RULES) for c in dict.fromkeys(rule_channels)
               if c not in seen]
    return ranked


def _number(value: float, digits: int = 1) -> str:
    return f"{value:.{digits}f}".replace(".", ",")


def ranking_sentence(ranked: Sequence[RankedChannel], group: str,
                     channel_names: dict[str, str] | None = None, *, figures: bool = True) -> str:
    """Dutch, B1: which channel first for `group` ("jongeren") and on what that rests
    (`rank_channels`' order, so the channel named is `best_channel`'s). `figures=False`:
    without the yield, for a page that hides that channel's count ('x')."""
    names = {**CHANNEL_NOUNS, **(channel_names or {})}
    too_little = (f"Voor {group} is nog niet te zeggen welk kanaal het best werkt: via geen enkel "
                  f"kanaal sprak u al {MIN_GROUP} mensen uit deze groep.")
    if not ranked:
        return too_little
    first = ranked[0]
    name = names.get(first.channel, first.channel)
    if first.basis == EVIDENCE:
        detail = f"{round(100 * (first.share or 0))} van elke 100 mensen die u zo sprak"
        if first.per_hour is not None:
            detail += f"; {_number(first.per_hour)} per uur"
        others = [names.get(r.channel, r.channel) for r in ranked[1:3] if r.basis == EVIDENCE]
        tail = f" Daarna: {', '.join(others)}." if others else ""
        detail = f" ({detail})" if figures else ""
        return (f"Voor {group} werkte dit kanaal tot nu toe het best: {name}{detail}. "
                f"Dit komt uit uw eigen cijfers.{tail}")
    return (f"{too_little} Volgens de adviezentabel: "
            f"{', '.join(names.get(r.channel, r.channel) for r in ranked[:3])}.")
