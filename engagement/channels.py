"""Which channel reaches whom: yield per group per channel (and per week), per hour of effort.

The outreach advice used to rank channels by a rule table written from practice. The
team's own fieldwork is better evidence: if straatgesprekken brought 9 of the 30 young
people so far, that is what to do more of. This module measures it:

- yield per contact: the share of a channel's (eligible) respondents that belongs to a
  group, with a Wilson interval, because 3 of 5 is not the same evidence as 30 of 50;
- yield per hour: people of the group per logged hour (store.effort), when the team logs
  effort for that channel.

`rank_channels` orders the channels for one group: first by this evidence (only channels
with at least MIN_RESPONDENTS respondents count as evidence), then by the rule table's
suggestions, and says which of the two it used.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from engagement import stats
from engagement.coverage import eligible_respondents
from engagement.harmonise import membership
from reference.model import BuurtReference

MIN_RESPONDENTS = 5      # a channel's yield counts as evidence from this many respondents on
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


def rank_channels(reach: ChannelReach, dimension: str, category: str, *,
                  rule_channels: Sequence[str] = (), min_respondents: int = MIN_RESPONDENTS
                  ) -> list[RankedChannel]:
    """Channels for one group, best first: evidence first, then the rule table's order.

    Evidence: channels with at least `min_respondents` respondents that reached anyone of
    the group, ordered by people per hour when every one of them has logged hours, else
    by the lower bound of the yield's interval (so 3 of 5 does not beat 30 of 60).
    """
    measured = [r for r in reach.overall(dimension, category)
                if r.respondents >= min_respondents and r.group > 0 and r.channel != UNKNOWN_CHANNEL]
    if measured and all(r.per_hour is not None for r in measured):
        measured.sort(key=lambda r: (-(r.per_hour or 0.0), -r.ci_low))
    else:
        measured.sort(key=lambda r: (-r.ci_low, -r.share))
    ranked = [RankedChannel(channel=r.channel, basis=EVIDENCE, share=r.share,
                            per_hour=r.per_hour, respondents=r.respondents) for r in measured]
    seen = {r.channel for r in ranked}
    ranked += [RankedChannel(channel=c, basis=RULES) for c in dict.fromkeys(rule_channels)
               if c not in seen]
    return ranked


def _number(value: float, digits: int = 1) -> str:
    return f"{value:.{digits}f}".replace(".", ",")


def ranking_sentence(ranked: Sequence[RankedChannel], group: str,
                     channel_names: dict[str, str] | None = None) -> str:
    """Dutch, B1: which channel first for `group` ("jongeren") and on what that rests."""
    if not ranked:
        return f"Voor {group} is nog geen kanaal bekend."
    names = {**CHANNEL_NOUNS, **(channel_names or {})}
    first = ranked[0]
    name = names.get(first.channel, first.channel)
    if first.basis == EVIDENCE:
        if first.per_hour is not None:
            detail = f"{_number(first.per_hour)} per uur"
        else:
            detail = f"{round(100 * (first.share or 0))} van elke 100 mensen die u zo sprak"
        others = [names.get(r.channel, r.channel) for r in ranked[1:3]]
        tail = f" Daarna: {', '.join(others)}." if others else ""
        return (f"Voor {group} werkte dit kanaal tot nu toe het best: {name} ({detail}). "
                f"Dit komt uit uw eigen cijfers.{tail}")
    return (f"Voor {group} heeft u nog geen eigen cijfers. Volgens de adviezentabel: "
            f"{', '.join(names.get(r.channel, r.channel) for r in ranked[:3])}.")
