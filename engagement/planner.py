"""The fieldwork planner: how many more people of which groups, and through which channel.

`to_reach` (DESIGN.md) counts towards a group's share at today's total, so it
understates the work: every person added raises the total, and the other groups then
need more too. The planner solves the joint problem instead. In DESIGN's worked example
(population 600/1300/1200/900, respondents 8/38/62/52, n = 160):

- `to_reach` says 16 and 14 (at n = 160);
- 15-25 alone reaches its share after 19 more (8 + 19 = 27 of 179 ≥ 15 %) — `needed_alone`;
- for *no group to stay under its share* (goal "share", ratio ≥ 1 everywhere) the total
  must grow to max n_k / p_k = 52 / 0.225 = 231.1, so 15-25 needs ⌈0.15 · 231.1 − 8⌉ = 27,
  25-45 ⌈0.325 · 231.1 − 38⌉ = 38 and 45-65 ⌈0.3 · 231.1 − 62⌉ = 8 (it is over-represented
  today, but falls below its share when the others are added);
- for *no group to be flagged under* (goal "flag", ratio ≥ 0.8, the default) the
  smallest whole plan is 15 and 11 (total 186: 23/186 = 12.4 % ≥ 0.8 · 15 %,
  49/186 = 26.3 % ≥ 0.8 · 32.5 %).

Several dimensions are planned together: one extra total T for all of them, with at
least `needed` people per group; the people are assumed to be chosen so that one person
fills a gap in several dimensions at once (a young tenant counts for age and tenure).
"""
from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from statistics import NormalDist
from typing import Any

import numpy as np
import pandas as pd

from engagement import stats
from engagement.channels import MIN_GROUP, NO_BEST, best_order
from engagement.coverage import dimension_coverage, dimension_label, eligible_respondents
from engagement.harmonise import membership
from engagement.vocabulary import LABEL_REFERENCE_UNCERTAIN, OVER, UNDER, group_phrase, join_phrases
from reference.model import BuurtReference
from surveys.age_bands import group_label
from surveys.categories import label
from surveys.errors import InputError
from surveys.numbers import dutch

GOALS = ("flag", "band", "share", "margin")
# A channel's yield is only planned on from this many respondents: the small-number rule
# (K = 10) every page and the report use, so the mix never rests on a channel whose count
# is shown as '<10' (7 people at one bijeenkomst are too thin to plan 12 more on).
MIN_CHANNEL_RESPONDENTS = MIN_GROUP
MAX_EXTRA = 1_000_000
_EPS = 1e-9
# A channel lifts a group only when its yield of that group is clearly above the group's
# goal share: a yield 0.5 point above it would ask for thousands of contacts (the mix
# divides by the gain), and the observed yield is itself uncertain by more than that.
MIN_GAIN = 0.02
# The mix is planned so each group it lifts reaches its goal with this chance against the
# binomial spread of who the new contacts turn out to be, not just on average. Planned on
# averages, every lifted group reached its goal in only 28-48 % of simulated fieldworks,
# with this chance in 55-85 % (benchmarks/mix_truth_bench.py); see `_chance_rhs`.
MIX_CONFIDENCE = 0.9
MIX_ROUNDS = 8  # fixed-point rounds: the spread grows with the contacts it asks for


@dataclass(frozen=True)
class GroupNeed:
    """One group: how many more people it needs in the joint plan, and why."""

    dimension: str
    category: str
    respondents: float
    population_share: float
    needed: int          # in the joint plan (all groups, all dimensions together)
    needed_alone: int    # if only this group were added (same goal)
    to_reach: int        # DESIGN's to_reach: at today's total
    reason: str          # Dutch, one line
    reason_code: str     # unreached | under | dilution | margin | ok

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class ChannelAdvice:
    """One channel × group: its observed yield and what the suggested mix brings."""

    channel: str
    dimension: str
    category: str
    yield_: float        # people of this group per contact through this channel so far
    contacts: int        # contacts suggested through this channel (all groups)
    suggested: float     # expected people of this group from those contacts
    contacts_for_group: int | None = None  # contacts to find the group's `needed` here alone
    per_day: float | None = None           # people of this group per fieldwork day so far
    people: float = 0.0  # people of this group through this channel so far: best_order's evidence

    def to_dict(self) -> dict[str, Any]:
        return {"channel": self.channel, "dimension": self.dimension, "category": self.category,
                "yield": self.yield_, "contacts": self.contacts, "suggested": self.suggested,
                "contacts_for_group": self.contacts_for_group, "per_day": self.per_day,
                "people": self.people}


@dataclass(frozen=True)
class ChannelMix:
    """The suggested contacts per channel and what they bring (a linear programme).

    Kept apart from the group numbers because it needs scipy.optimize (0.3 s to import):
    Bereik shows only the group numbers, so a Plan computes its mix on first use."""

    channels: tuple[ChannelAdvice, ...] = ()
    channel_totals: tuple[dict[str, Any], ...] = ()  # channel, contacts, per_day, days, per_week
    total_contacts: int | None = None  # contacts in the suggested channel mix (None: no mix)
    unreachable: tuple[tuple[str, str], ...] = ()  # (dimension, category) no channel yields
    notes: tuple[str, ...] = ()  # notes about the mix, after the plan's own notes
    # the groups under their goal now that the mix lifts (the rest of the plan it only
    # keeps from falling under); with `unreachable` groups this is part of the plan only
    covered: tuple[tuple[str, str], ...] = ()
    # covered groups whose lift rests on thin evidence: every channel of the mix that lifts
    # them brought fewer than MIN_GROUP people of the group so far (best_order says
    # "nog niet te zeggen" there), so the mix's number for them is a rough estimate
    thin: tuple[tuple[str, str], ...] = ()

    @property
    def covers_plan(self) -> bool:
        """Whether the mix reaches the whole plan's goal (no group left to targeted search):
        only then is `total_contacts` the conversations the plan takes, and never fewer
        than the plan's people."""
        return self.total_contacts is not None and not self.unreachable

    def to_dict(self) -> dict[str, Any]:
        return {"channels": [c.to_dict() for c in self.channels],
                "channel_totals": [dict(c) for c in self.channel_totals],
                "total_contacts": self.total_contacts, "covers_plan": self.covers_plan,
                "covered": [{"dimension": d, "category": c} for d, c in self.covered],
                "thin": [{"dimension": d, "category": c} for d, c in self.thin],
                "unreachable": [{"dimension": d, "category": c} for d, c in self.unreachable],
                "notes": list(self.notes)}


@dataclass(frozen=True, eq=False)
class MixInput:
    """What the channel mix is computed from (the channels' yields so far); small, picklable
    (st.cache_data stores the Plan). No equality: it holds numpy arrays."""

    channels: tuple[str, ...]
    yields: dict
    sizes: dict
    per_day: dict
    counts: dict
    level: float
    floors: dict
    groups: tuple[GroupNeed, ...]
    total: int
    weeks: int | None
    active: dict | None = None  # dimension → bool per group: False where the verdict is withheld
    people: dict | None = None  # channel → dimension → people per group so far (yields × size)
    confidence: float | None = MIX_CONFIDENCE  # None: the mix on expected yields only


@dataclass(frozen=True, init=False, eq=False)
class Plan:
    """The joint plan. The channel fields (channels, channel_totals, total_contacts,
    unreachable and the mix's notes) are computed on first access from `mix_input`, or
    given directly (`Plan(..., channel_totals=...)`) as before."""

    goal: str
    total_needed: int
    groups: tuple[GroupNeed, ...]
    plan_notes: tuple[str, ...]
    level: float
    margin: float | None
    weeks: int | None
    mix_input: MixInput | None = field(repr=False)
    given_mix: ChannelMix | None = field(repr=False)

    def __init__(self, goal: str, total_needed: int, groups: tuple[GroupNeed, ...],
                 channels: tuple[ChannelAdvice, ...] = (),
                 channel_totals: tuple[dict[str, Any], ...] = (),
                 total_contacts: int | None = None,
                 unreachable: tuple[tuple[str, str], ...] = (), notes: tuple[str, ...] = (),
                 level: float = UNDER, margin: float | None = None, weeks: int | None = None,
                 *, mix_input: MixInput | None = None,
                 covered: tuple[tuple[str, str], ...] = (),
                 thin: tuple[tuple[str, str], ...] = ()) -> None:
        given = None if mix_input is not None else ChannelMix(
            tuple(channels), tuple(channel_totals), total_contacts, tuple(unreachable),
            covered=tuple(covered), thin=tuple(thin))
        for name, value in (("goal", goal), ("total_needed", total_needed), ("groups", tuple(groups)),
                            ("plan_notes", tuple(notes)), ("level", level), ("margin", margin),
                            ("weeks", weeks), ("mix_input", mix_input), ("given_mix", given)):
            object.__setattr__(self, name, value)

    @cached_property
    def mix(self) -> ChannelMix:
        """The channel mix; the LP runs (and scipy.optimize is imported) on first access."""
        if self.given_mix is not None:
            return self.given_mix
        assert self.mix_input is not None
        return _mix_for(self.mix_input)

    @property
    def channels(self) -> tuple[ChannelAdvice, ...]:
        return self.mix.channels

    @property
    def channel_totals(self) -> tuple[dict[str, Any], ...]:
        return self.mix.channel_totals

    @property
    def total_contacts(self) -> int | None:
        return self.mix.total_contacts

    @property
    def unreachable(self) -> tuple[tuple[str, str], ...]:
        return self.mix.unreachable

    @property
    def covered(self) -> tuple[tuple[str, str], ...]:
        return self.mix.covered

    @property
    def thin(self) -> tuple[tuple[str, str], ...]:
        return self.mix.thin

    @property
    def covers_plan(self) -> bool:
        return self.mix.covers_plan

    @property
    def notes(self) -> tuple[str, ...]:
        return self.plan_notes + self.mix.notes

    def _seen(self) -> tuple:
        """What a reader sees (the mix's notes joined to the plan's): equal plans show the same."""
        return (self.goal, self.total_needed, self.groups, self.notes, self.level, self.margin,
                self.weeks, self.channels, self.channel_totals, self.total_contacts, self.unreachable,
                self.covered, self.thin)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Plan):
            return NotImplemented
        return self._seen() == other._seen()

    __hash__ = None  # type: ignore[assignment]

    def to_dict(self) -> dict[str, Any]:
        return {"goal": self.goal, "level": self.level, "margin": self.margin,
                "groups": [g.to_dict() for g in self.groups],
                "channels": [c.to_dict() for c in self.channels],
                "channel_totals": [dict(c) for c in self.channel_totals],
                "total_needed": self.total_needed, "total_contacts": self.total_contacts,
                "covers_plan": self.covers_plan,
                "covered": [{"dimension": d, "category": c} for d, c in self.covered],
                "thin": [{"dimension": d, "category": c} for d, c in self.thin],
                "unreachable": [{"dimension": d, "category": c} for d, c in self.unreachable],
                "uncertain": [{"dimension": g.dimension, "category": g.category}
                              for g in self.groups if g.reason_code == "uncertain"],
                "weeks": self.weeks, "notes": list(self.notes)}


# --------------------------------------------------------------------------- arithmetic

def needed_alone(count: float, n: float, share: float, level: float = 1.0) -> int:
    """Smallest x with (count + x) / (n + x) ≥ level · share: only this group is added."""
    target = level * share
    if target >= 1:
        return MAX_EXTRA
    return int(max(0.0, float(stats.ceil_count((target * n - count) / (1 - target)))))


def _requirements(counts: np.ndarray, shares: np.ndarray, total: float, level: float) -> np.ndarray:
    return np.maximum(0.0, stats.ceil_count(level * shares * total - counts))


def continuous_total(counts: np.ndarray, shares: np.ndarray, level: float) -> float:
    """The smallest real total at which every group can reach level · share (LP optimum).

    Groups below the target get exactly level · p_k · N; the others none. The set of
    needing groups is found by iterating (it only grows as N grows)."""
    counts, shares = np.asarray(counts, float), np.asarray(shares, float)
    n = counts.sum()
    if level >= 1:
        return float(max(n, np.max(np.divide(counts, shares, out=np.zeros_like(counts),
                                             where=shares > 0))))
    total = n
    for _ in range(len(counts) + 1):
        needing = counts < level * shares * total - _EPS
        new = (n - counts[needing].sum()) / (1 - level * shares[needing].sum())
        if abs(new - total) < _EPS:
            break
        total = max(new, n)
    return float(total)


def joint_needed(counts: Mapping[str, float] | np.ndarray, shares: np.ndarray,
                 level: float = UNDER) -> np.ndarray:
    """Whole extra people per group so that no group is below level · share afterwards.

    level < 1: the smallest whole total N with Σ_k ⌈level·p_k·N − n_k⌉⁺ = N − n (searched
    upwards from the LP optimum). level = 1 ("nobody under its share"): the exact shares
    cannot all hold in whole people, so the LP total N* = max n_k/p_k is used and each
    group rounded up, as in the worked example (27, 38, 8)."""
    values = np.array(list(counts.values()) if isinstance(counts, Mapping) else counts, float)
    shares = np.asarray(shares, float)
    return _plan_dimensions([(values, shares)], level)[1][0]


def _plan_dimensions(dims: list[tuple[np.ndarray, np.ndarray]], level: float,
                     minimum_extra: float = 0.0, upper: float | None = None,
                     active: list[np.ndarray] | None = None) -> tuple[int, list[np.ndarray]]:
    """One extra total T for all dimensions, and the people needed per group at n_d + T.

    `upper` (goal "band"): also no group above upper · share afterwards, so the total
    must grow until the most over-represented group is diluted to its band; the people
    beyond the needs go to groups with room below their upper bound.
    `active` (per dimension, per group; default all): a group whose verdict is withheld
    ('onzeker') sets no bound, neither lower nor upper: its goal share counts as 0."""
    masks = active if active is not None else [np.ones(len(c), bool) for c, _ in dims]
    goals = [(c, np.where(a, p, 0.0)) for (c, p), a in zip(dims, masks)]
    if upper is not None:
        for (c, p), a in zip(dims, masks):
            if a.any():
                minimum_extra = max(minimum_extra, float(np.max(c[a] / (upper * p[a]))) - c.sum())
    if level >= 1:
        extra = max([continuous_total(c, p, 1.0) - c.sum() for c, p in goals] + [minimum_extra])
        needs = [_requirements(c, p, c.sum() + extra, 1.0) for c, p in goals]
        total = max([int(x.sum()) for x in needs] + [int(math.ceil(minimum_extra - _EPS))])
        return total, needs
    start = max([continuous_total(c, p, level) - c.sum() for c, p in goals] + [minimum_extra])
    extra = max(0, int(math.floor(start + _EPS)))
    while extra < MAX_EXTRA:
        needs = [_requirements(c, p, c.sum() + extra, level) for c, p in goals]
        fits = all(x.sum() <= extra + _EPS for x in needs) and extra >= minimum_extra - _EPS
        if fits and upper is not None:  # room below the upper bounds for everyone added
            # a withheld group has no upper bound: anyone may go there
            fits = all(bool((~a).any()) or np.maximum(0, np.floor(upper * p * (c.sum() + extra) - c + _EPS)).sum()
                       >= extra for (c, p), a in zip(dims, masks))
        if fits:
            return extra, needs
        extra += 1
    raise InputError("Geen plan gevonden: het aantal benodigde gesprekken is onrealistisch groot.")


def margin_sample_size(shares: np.ndarray, margin: float, population: float | None,
                       z: float = stats.Z95) -> float:
    """Respondents needed so every group's share has a 95 % margin ≤ `margin` (with FPC)."""
    worst = float(np.max(np.asarray(shares) * (1 - np.asarray(shares))))
    n0 = z * z * worst / (margin * margin)
    if population and population > 1:
        n0 = n0 / (1 + (n0 - 1) / population)
    return n0


# --------------------------------------------------------------------------- from respondents

def _dimension_counts(respondents: pd.DataFrame, reference: BuurtReference
                      ) -> dict[str, tuple[list[str], np.ndarray, np.ndarray, pd.DataFrame]]:
    out = {}
    for dim, population in reference.dimensions.items():
        cats = [c for c, v in population.items() if v is not None and np.isfinite(v) and v > 0]
        if len(cats) < 2:
            continue
        fractions, _, _ = membership(respondents, dim, min_age=reference.min_age, categories=cats)
        if fractions.to_numpy().sum() <= 0:
            continue
        pop = np.array([float(population[c]) for c in cats])
        out[dim] = (cats, fractions.to_numpy().sum(axis=0), pop / pop.sum(), fractions)
    return out


def _withheld(eligible: int, counts: dict, reference: BuurtReference, under: float, over: float
              ) -> dict[str, tuple[np.ndarray, list[str], float]]:
    """Per dimension: which groups the plan steers on, and the Dutch reason per group it
    does not. A group whose verdict Bereik withholds ('onzeker': so many unknown answers
    that they could turn it, or a verdict that changes within the buurt figures' margin)
    is not planned for: asking 80 women and 44 men where 45 % left gender open would
    contradict the 'onzeker' beside it. The one rule is engagement.coverage's."""
    out = {}
    for dim, (cats, n_k, _, _) in counts.items():
        population = {c: reference.dimensions[dim][c] for c in cats}
        unknown = max(0.0, float(eligible) - float(n_k.sum()))
        result = dimension_coverage(dim, dict(zip(cats, n_k)), unknown, population, under=under,
                                    over=over, simulate=False, margins=reference.margins.get(dim),
                                    shifts=reference.margin_shift.get(dim))
        pct = int(round(100 * result.unknown_share))
        reasons = []
        for cat in result.categories:
            if not cat.uncertain:
                reasons.append("")
            elif cat.label == LABEL_REFERENCE_UNCERTAIN:
                reasons.append("Oordeel onzeker (de buurtcijfers zijn hier niet precies genoeg): "
                               "het plan stuurt niet op deze groep.")
            else:
                reasons.append(f"Oordeel onzeker ({pct}% onbekend): het plan stuurt niet op deze groep.")
        out[dim] = (np.array([not r for r in reasons]), reasons, float(result.unknown_share))
    return out


def _withheld_notes(counts: dict, withheld: dict) -> list[str]:
    """One Dutch note per kenmerk with groups the plan leaves out (see `_withheld`)."""
    notes = []
    for dim, (active, reasons, unknown_share) in withheld.items():
        if active.all():
            continue
        cats = counts[dim][0]
        by_unknown = [c for c, r in zip(cats, reasons) if r and "onbekend" in r]
        by_reference = [c for c, r in zip(cats, reasons) if r and "onbekend" not in r]
        if by_unknown:
            what = (f"op {dimension_label(dim).lower()}" if len(by_unknown) == len(cats) else
                    "op " + join_phrases([group_phrase(dim, c) for c in by_unknown]))
            notes.append(f"{dimension_label(dim)}: {unknown_share:.0%} gaf hier geen (bruikbaar) "
                         f"antwoord, dus het oordeel is onzeker. Het plan stuurt daarom niet {what}. "
                         "Vraag nieuwe mensen wel om dit in te vullen.")
        if by_reference:
            names = join_phrases([group_phrase(dim, c) for c in by_reference])
            notes.append(f"Over {names} zeggen we nog niets: de buurtcijfers zijn daar niet precies "
                         "genoeg. Het plan stuurt daarom niet op "
                         f"{'deze groep' if len(by_reference) == 1 else 'deze groepen'}.")
    return notes


def _reason(dim: str, cat: str, count: float, known: float, share: float, level: float,
            needed: int, goal: str) -> tuple[str, str]:
    own = count / known if known > 0 else 0.0
    if needed <= 0:
        return "ok", "Genoeg gesproken voor dit doel."
    if count <= _EPS:
        return "unreached", "Nog niemand uit deze groep gesproken."
    if own < level * share - _EPS:
        return "under", (f"Nu {own:.0%} van de respondenten, {share:.0%} in de buurt: "
                         f"nog {needed} nodig, ook als de andere groepen er mensen bij krijgen.")
    if goal == "margin":
        return "margin", (f"Nodig voor de gekozen foutmarge: samen met de rest nog {needed} "
                          "uit deze groep.")
    return "dilution", ("Nu niet te weinig gesproken, maar wel als de andere groepen er mensen bij krijgen: "
                        f"nog {needed}.")


def _channel_yields(respondents: pd.DataFrame, counts: dict, channel: str
                    ) -> tuple[list[str], dict[str, dict[str, np.ndarray]], dict[str, int], dict[str, float],
                               dict[str, dict[str, np.ndarray]]]:
    """Per channel and dimension: the share of its respondents (with a known value) per
    group, and the people per group themselves (the best channel's evidence)."""
    if channel not in respondents.columns:
        return [], {}, {}, {}, {}
    values = respondents[channel].astype("object").where(respondents[channel].notna(), "onbekend")
    sizes = values.value_counts()
    channels = [str(c) for c, size in sizes.items() if size >= MIN_CHANNEL_RESPONDENTS]
    yields: dict[str, dict[str, np.ndarray]] = {}
    people: dict[str, dict[str, np.ndarray]] = {}
    for ch in channels:
        mask = (values == ch).to_numpy()
        yields[ch], people[ch] = {}, {}
        for dim, (_, _, _, fractions) in counts.items():
            part = fractions.to_numpy()[mask].sum(axis=0)
            yields[ch][dim] = part / part.sum() if part.sum() > 0 else np.zeros_like(part)
            people[ch][dim] = part
    per_day: dict[str, float] = {}
    if "responded_at" in respondents.columns:
        days = pd.to_datetime(respondents["responded_at"], errors="coerce").dt.normalize()
        for ch in channels:
            dated = days[(values == ch).to_numpy()].dropna()
            if len(dated):
                per_day[ch] = len(dated) / dated.nunique()
    return channels, yields, {ch: int(sizes[ch]) for ch in channels}, per_day, people


def _channel_mix(channels: list[str], yields: dict, counts: dict, level: float, floors: dict,
                 active: dict | None = None, total: float = 0.0, needed: dict | None = None,
                 confidence: float | None = None
                 ) -> tuple[np.ndarray | None, list[tuple[str, str]], list[tuple[str, str]]]:
    """Contacts per channel so every group is at or above its goal afterwards (an LP).

    For group k of dimension d: n_k + Σ_c m_c·y_ck ≥ goal_k·(n_d + Σ_c m_c), with goal_k
    the level·p_k of the plan (or the plan's whole number for the margin goal through
    `floors`). That holds for the groups above their goal today too: contacts that bring
    other people dilute them. Groups under their goal that no channel brings above it are
    left out and returned as unreachable; then the mix covers only part of the plan.
    Otherwise it also brings at least the plan's `total` people: a mix of channels cannot
    do with fewer than the plan, which assumes every person is chosen to fill a gap.
    `needed` ((dimension, category) → the plan's number): a group under its goal today
    that the mix lifts gets at least that many people from the mix, also when the mix
    covers only part of the plan (the plan counts on the other groups growing too, so
    reaching the goal share by the mix alone can take fewer than the plan's number, and a
    page would then say "12 gesprekken zijn genoeg" beside "Spreek nog 33").
    Groups `active` marks False (verdict withheld) set no bound. With `confidence`, each
    lifted group's bound holds with about that chance instead of on average
    (`_chance_rhs`). Returns the contacts, the unreachable groups and the groups under
    their goal that the mix lifts."""
    rows, rhs, unreachable, covered = [], [], [], []
    spread: list[np.ndarray | None] = []  # per row a lifted group's yields (its binomial spread)
    z = NormalDist().inv_cdf(confidence) if confidence else 0.0
    for dim, (cats, n_k, shares, _) in counts.items():
        n_d = n_k.sum()
        mask = (active or {}).get(dim)
        for i, cat in enumerate(cats):
            if mask is not None and not mask[i]:
                continue
            target = level * shares[i]
            need = target * n_d - n_k[i]
            floor = floors.get((dim, cat), 0)
            lifted = need > _EPS or floor > 0
            group_yields = np.array([yields[ch][dim][i] for ch in channels])
            gains = group_yields - target
            gains = np.where((gains > 0) & (gains < MIN_GAIN), 0.0, gains)
            if need > _EPS:  # a group the mix lifts: at least the plan's number of it, so
                # "N gesprekken zijn genoeg voor jongeren" never brings fewer than "Spreek nog 33"
                floor = max(floor, (needed or {}).get((dim, cat), 0))
            if lifted and not (gains > _EPS).any():
                unreachable.append((dim, cat))
                continue
            rows.append(-gains)
            rhs.append(-need)
            spread.append(group_yields if lifted else None)
            if lifted:
                covered.append((dim, cat))
            if floor > 0:  # at least the plan's number of this group
                rows.append(-group_yields)
                rhs.append(-floor)
                spread.append(group_yields)
    if not unreachable and total > 0:  # the whole plan: at least its people
        rows.append(-np.ones(len(channels)))
        rhs.append(-float(total))
        spread.append(None)
    elif not covered:  # nothing the channels can lift
        return np.zeros(len(channels)), unreachable, covered

    matrix, base = np.array(rows), np.array(rhs, dtype=float)
    mix = whole_contacts(matrix, base)
    if mix is None or not z:
        return mix, unreachable, covered
    for _ in range(MIX_ROUNDS):  # the spread grows as √contacts: a few rounds settle it
        wider = whole_contacts(matrix, _chance_rhs(base, spread, mix, z))
        if wider is None or np.array_equal(wider, mix):
            break
        mix = np.maximum(mix, wider)
    return mix, unreachable, covered


def whole_contacts(matrix: np.ndarray, rhs: np.ndarray) -> np.ndarray | None:
    """The fewest contacts per channel, in whole numbers, with matrix·m ≤ rhs (None: none).

    The real LP (HiGHS's simplex), rounded up; rounding up one channel can push a group
    that was just at its goal under, so while a bound is broken one more contact goes to
    the channel that shrinks the total shortfall most. If that gets stuck, the LP again
    with every bound tightened by Σ_c |a_c| (the most rounding up can move it), whose
    rounded-up solution keeps every bound. Last, one fewer contact wherever every bound
    still holds. Not HiGHS's integer solver: on one 3-channel mix of the truth benchmark
    it crashed the process (SIGSEGV, scipy 1.17; scipy issue 22188 is the same kind),
    and a crash here takes the dashboard's server down."""
    from scipy.optimize import linprog

    def real(bounds: np.ndarray) -> np.ndarray | None:
        result = linprog(np.ones(matrix.shape[1]), A_ub=matrix, b_ub=bounds,
                         bounds=[(0, None)] * matrix.shape[1], method="highs")
        return np.ceil(np.round(result.x, 6)) if result.status == 0 else None

    mix = real(rhs)
    if mix is None:
        return None
    mix = _repaired(matrix, rhs, mix)
    if mix is None:
        mix = real(rhs - np.abs(matrix).sum(axis=1))
        if mix is None:
            return None
    unit = np.eye(len(mix))
    for j in np.argsort(-mix):  # trim: the largest channels first
        while mix[j] > 0 and _shortfall(matrix, rhs, mix - unit[j]) <= _EPS:
            mix = mix - unit[j]
    return mix


def _shortfall(matrix: np.ndarray, rhs: np.ndarray, mix: np.ndarray) -> float:
    return float(np.maximum(matrix @ mix - rhs, 0.0).sum())


def _repaired(matrix: np.ndarray, rhs: np.ndarray, mix: np.ndarray, max_steps: int = 10_000
              ) -> np.ndarray | None:
    """One contact at a time through the channel that shrinks the shortfall most, until
    every bound holds; None when no single contact helps."""
    unit = np.eye(len(mix))
    for _ in range(max_steps):
        now = _shortfall(matrix, rhs, mix)
        if now <= _EPS:
            return mix
        after = np.array([_shortfall(matrix, rhs, mix + unit[j]) for j in range(len(mix))])
        best = int(np.argmin(after))
        if after[best] >= now - _EPS:
            return None
        mix = mix + unit[best]
    return None


def _chance_rhs(base: np.ndarray, spread: list[np.ndarray | None], mix: np.ndarray,
                z: float) -> np.ndarray:
    """The bounds of `_channel_mix` for a lifted group tightened by z binomial standard
    deviations at the mix m of the last round: the people of the group that m_c contacts
    bring are binomial around m_c·y_c, so Σ m_c·a_c ≥ b becomes
    Σ m_c·a_c ≥ b + z·√(Σ m_c·y_c(1 − y_c)) (normal approximation; z = 1.28 for 90 %).
    The yields themselves stay as measured: counting on each channel's lower bound as
    well left no mix at all in 91-99 of 100 simulated fieldworks (mix_truth_bench), so
    their own uncertainty is what still makes a mix fall short now and then."""
    out = base.copy()
    for row, y in enumerate(spread):
        if y is not None:
            out[row] = base[row] - z * math.sqrt(max(float(np.sum(mix * y * (1 - y))), 0.0))
    return out


def plan_fieldwork(respondents: pd.DataFrame, reference: BuurtReference, *, goal: str = "flag",
                   under: float = UNDER, over: float = OVER, margin: float | None = None,
                   channel: str = "channel", weeks: int | None = None,
                   mix_confidence: float | None = MIX_CONFIDENCE) -> Plan:
    """The joint fieldwork plan for one project (see the module docstring for the goals).

    goal "flag": until no group is flagged under (ratio ≥ `under`); "band": until every
    group is within its band (`under` ≤ ratio ≤ `over`); "share": until no group is
    below its share; "margin": until every group's share has a 95 % margin of
    error ≤ `margin` (e.g. 0.05), and no group is flagged under.
    `mix_confidence`: the chance with which the channel mix brings each group it lifts to
    its goal (None: on expected yields only, the arithmetic of the worked examples).
    """
    if goal not in GOALS:
        raise InputError(f"Onbekend doel '{goal}'. Kies flag, band, share of margin.")
    if goal == "margin" and not (margin and 0 < margin < 1):
        raise InputError("Geef bij doel 'margin' een foutmarge tussen 0 en 1 (bijv. 0.05).")
    if weeks is not None and weeks < 1:
        raise InputError("Het aantal weken moet minstens 1 zijn.")
    level = 1.0 if goal == "share" else float(under)
    respondents, _ = eligible_respondents(respondents, reference.min_age)
    counts = _dimension_counts(respondents, reference)
    withheld = _withheld(len(respondents), counts, reference, float(under), float(over))
    active = {dim: withheld[dim][0] for dim in counts}
    notes: list[str] = []
    minimum = 0.0
    if goal == "margin":
        for dim, (cats, n_k, shares, _) in counts.items():
            population = float(sum(reference.dimensions[dim][c] for c in cats))
            minimum = max(minimum, margin_sample_size(shares, float(margin or 0.0), population) - n_k.sum())
        notes.append(f"Foutmarge {margin:.0%}: per kenmerk minstens zoveel mensen met een antwoord "
                     "dat de marge van elk aandeel (95 %) niet groter is.")
    total, needs = _plan_dimensions([(n_k, shares) for _, n_k, shares, _ in counts.values()],
                                    level, minimum, upper=over if goal == "band" else None,
                                    active=list(active.values()))
    groups = []
    floors = {}
    for (dim, (cats, n_k, shares, _)), need in zip(counts.items(), needs):
        n_d = n_k.sum()
        for i, cat in enumerate(cats):
            code, reason = _reason(dim, cat, n_k[i], n_d, shares[i], level, int(need[i]), goal)
            if not active[dim][i]:
                code, reason = "uncertain", withheld[dim][1][i]
            groups.append(GroupNeed(
                dimension=dim, category=cat, respondents=float(n_k[i]),
                population_share=float(shares[i]), needed=int(need[i]),
                needed_alone=needed_alone(n_k[i], n_d, shares[i], level),
                to_reach=int(max(0.0, float(stats.ceil_count(shares[i] * n_d - n_k[i])))),
                reason=reason, reason_code=code))
            if goal == "margin" and need[i] > 0:
                floors[(dim, cat)] = int(need[i])
    notes.extend(_withheld_notes(counts, withheld))
    if sum(bool(a.any()) for a in active.values()) > 1:  # the plan steers on several kenmerken
        notes.append("Eén persoon telt voor elk kenmerk: kies mensen die in meer groepen tegelijk "
                     "ontbreken (bijv. een jonge huurder), dan is het totaal het kleinst.")
    channels, yields, sizes, per_day, people = _channel_yields(respondents, counts, channel)
    mix_input = MixInput(channels=tuple(channels), yields=yields, sizes=sizes, per_day=per_day,
                         counts=counts, level=level, floors=floors, groups=tuple(groups),
                         total=int(total), weeks=weeks, active=active, people=people,
                         confidence=mix_confidence)
    return Plan(goal=goal, total_needed=int(total), groups=tuple(groups), notes=tuple(notes),
                level=level, margin=margin, weeks=weeks, mix_input=mix_input)


def _mix_for(data: MixInput) -> ChannelMix:
    """The plan's channel mix and advice per channel × group (see `_channel_mix`)."""
    channels, yields, counts = list(data.channels), data.yields, data.counts
    per_day, sizes, weeks = data.per_day, data.sizes, data.weeks
    notes: list[str] = []
    advice: list[ChannelAdvice] = []
    totals: list[dict[str, Any]] = []
    unreachable: list[tuple[str, str]] = []
    covered: list[tuple[str, str]] = []
    thin: list[tuple[str, str]] = []
    total_contacts = None
    if channels and data.total > 0:
        mix, unreachable, covered = _channel_mix(channels, yields, counts, data.level, data.floors,
                                                 data.active, data.total,
                                                 {(g.dimension, g.category): g.needed for g in data.groups},
                                                 data.confidence)
        if mix is None:
            notes.append("Met de kanalen tot nu toe is geen mix te vinden: wat het ene kanaal "
                         "erbij brengt, drukt een andere groep onder haar doel. Zoek gericht of zet "
                         "een nieuw kanaal in.")
            mix = np.zeros(len(channels))
        else:
            total_contacts = int(mix.sum())
        for j, ch in enumerate(channels):
            row = {"channel": ch, "contacts": int(mix[j]), "respondents_so_far": sizes[ch]}
            if ch in per_day:
                row["per_day"] = round(per_day[ch], 2)
                row["days"] = int(math.ceil(mix[j] / per_day[ch] - _EPS)) if mix[j] else 0
            if weeks:
                row["per_week"] = int(math.ceil(mix[j] / weeks - _EPS))
            totals.append(row)
            for g in data.groups:
                if g.needed <= 0:
                    continue
                i = counts[g.dimension][0].index(g.category)
                y = float(yields[ch][g.dimension][i])
                people = float(data.people[ch][g.dimension][i]) if data.people else 0.0
                advice.append(ChannelAdvice(
                    channel=ch, dimension=g.dimension, category=g.category, yield_=y,
                    contacts=int(mix[j]), suggested=float(mix[j] * y),
                    contacts_for_group=int(math.ceil(g.needed / y - _EPS)) if y > 0 else None,
                    per_day=round(per_day[ch] * y, 2) if ch in per_day else None, people=people))
        thin = _thin_evidence(covered, channels, mix, data)
        for dim, cat in unreachable:
            notes.append(f"{dimension_label(dim)} – {label(cat)}: geen kanaal tot nu toe bracht "
                         "genoeg mensen uit deze groep om haar aandeel te laten stijgen; zoek "
                         "gericht of via een nieuw kanaal (zie de aanbevelingen).")
    elif not channels and data.total > 0:
        notes.append(f"Geen kanaal met minstens {MIN_CHANNEL_RESPONDENTS} respondenten: er is nog "
                     "geen opbrengst per kanaal te berekenen.")
    return ChannelMix(channels=tuple(advice), channel_totals=tuple(totals),
                      total_contacts=total_contacts, unreachable=tuple(unreachable),
                      notes=tuple(notes), covered=tuple(covered), thin=tuple(thin))


def _thin_evidence(covered: list[tuple[str, str]], channels: list[str], mix: np.ndarray,
                   data: MixInput) -> list[tuple[str, str]]:
    """The covered groups that only channels with fewer than MIN_GROUP of their people lift
    (ChannelMix.thin): the channels of the mix whose yield for the group is above its goal."""
    if not data.people:
        return []
    out = []
    for dim, cat in covered:
        cats, _, shares, _ = data.counts[dim]
        i = cats.index(cat)
        lifting = [ch for j, ch in enumerate(channels)
                   if mix[j] > 0 and data.yields[ch][dim][i] > data.level * shares[i]]
        if lifting and all(data.people[ch][dim][i] < MIN_GROUP - _EPS for ch in lifting):
            out.append((dim, cat))
    return out


def _spread(total: int, weeks: int) -> list[int]:
    """Whole numbers per week that add up to `total`, the larger ones first."""
    base, extra = divmod(int(total), weeks)
    return [base + (1 if w < extra else 0) for w in range(weeks)]


def weekly_plan(plan: Plan, weeks: int) -> pd.DataFrame:
    """A printable plan: per week, per group how many more, and per channel how many
    respondents to aim for when the mix covers the whole plan (the plan spread evenly,
    the larger parts first).

    Columns: week, kind ("groep" | "kanaal"), what (Dutch), number."""
    if weeks < 1:
        raise InputError("Het aantal weken moet minstens 1 zijn.")
    rows = []
    for g in plan.groups:
        if g.needed > 0:
            what = f"{dimension_label(g.dimension)} – {label(g.category)}"
            rows += [{"week": w + 1, "kind": "groep", "what": what, "number": x}
                     for w, x in enumerate(_spread(g.needed, weeks))]
    # the mix per week only when it carries the whole plan: a mix for some groups beside
    # every group's number would read as if those conversations brought them all
    for row in plan.channel_totals if plan.covers_plan else ():
        if row["contacts"]:
            rows += [{"week": w + 1, "kind": "kanaal", "what": row["channel"], "number": x}
                     for w, x in enumerate(_spread(row["contacts"], weeks))]
    frame = pd.DataFrame(rows, columns=["week", "kind", "what", "number"])
    return frame.sort_values(["week", "kind"], kind="stable").reset_index(drop=True)


def plan_frame(plan: Plan) -> pd.DataFrame:
    """One row per group, for the dashboard and the report."""
    return pd.DataFrame([{**g.to_dict(), "dimension_label": dimension_label(g.dimension),
                          "category_label": label(g.category)} for g in plan.groups])


def _nl(value: float, digits: int = 1) -> str:
    """A short Dutch decimal: 2.32 → '2,3', 0.8 → '0,8', 11.0 → '11' (1.25, 2 → '1,25')."""
    return dutch(value, max(1, digits)).rstrip("0").rstrip(",")


def _phrase(dimension: str, category: str) -> str:
    return group_phrase(dimension, category)


def mix_sentence(plan: Plan, realistic: bool = True, number: Callable[[int], str] = str,
                 name: Callable[[str, str], str] = _phrase) -> str | None:
    """What the channel mix means, in one Dutch paragraph for every place that shows it
    (Aanbevelingen, Voortgang, the report, the CLI); None without a mix.

    The mix never needs fewer conversations than the plan's people when it covers the
    whole plan (`_channel_mix` asks at least `total_needed`); with groups no channel
    lifts it covers only part, and then it says for which groups, not 'for the plan'.
    `realistic` False: the mix asks more conversations than there are residents left."""
    contacts = plan.total_contacts
    if not contacts:
        return None
    count, needed = number(contacts), number(plan.total_needed)
    covered = join_phrases([name(d, c) for d, c in plan.covered]) if plan.covered else ""
    if not realistic:
        scope = f" voor {covered}" if not plan.covers_plan and covered else ""
        return (f"Met de kanalen zoals ze tot nu toe werkten, zijn {count} gesprekken nodig{scope}: "
                "meer dan er bewoners over zijn. Meer van hetzelfde is dus niet genoeg. Zoek gericht "
                "naar de groepen die ontbreken of zet een nieuw kanaal in.")
    if plan.covers_plan:
        text = (f"Met de kanalen zoals ze tot nu toe werkten, zijn daarvoor ongeveer {count} "
                "gesprekken nodig.")
        if contacts > plan.total_needed:
            text += (f" Dat zijn er meer dan {needed}, omdat niet iedereen die u spreekt bij een "
                     "ontbrekende groep hoort.")
        return text + _margin_sentence(plan) + thin_sentence(plan, name) + _costly_sentence(plan)
    missing = join_phrases([name(d, c) for d, c in plan.unreachable])
    return (f"Met de kanalen zoals ze tot nu toe werkten, haalt u maar een deel van het plan. "
            f"Ongeveer {count} gesprekken zijn genoeg voor {covered or 'de andere groepen'}: daarin "
            "spreekt u naar verwachting minstens zoveel van hen als het plan vraagt."
            + _margin_sentence(plan) + thin_sentence(plan, name) + f" Voor {missing} bracht geen "
            "kanaal tot nu toe genoeg mensen: zoek die gericht of zet een nieuw kanaal in. Het plan "
            f"van {needed} mensen haalt u alleen als u mensen gericht kiest." + _costly_sentence(plan))


# From this many conversations per person of the plan, the mix says that targeted search
# is the cheaper way: in the truth benchmark the mix's median was 13-37 conversations per
# planned person (benchmarks/mix_truth_bench.py), mostly people already well heard.
COSTLY_RATIO = 5


def _costly_sentence(plan: Plan) -> str:
    """When the mix asks many conversations per person of the plan: say targeted search is
    cheaper, in whole numbers ('12 keer zoveel')."""
    contacts, needed = plan.total_contacts or 0, plan.total_needed
    if needed <= 0 or contacts < COSTLY_RATIO * needed:
        return ""
    return (f" Dat is {contacts // needed} keer zoveel gesprekken als er mensen in het plan staan: "
            "de meeste mensen die u zo spreekt, zijn al goed gehoord. Gericht zoeken (via "
            "sleutelpersonen, op plekken waar deze groepen komen) kost veel minder gesprekken.")


def _margin_sentence(plan: Plan) -> str:
    """Why the mix asks more than the average would: who a channel brings is partly luck."""
    if not (plan.mix_input and plan.mix_input.confidence):
        return ""
    return (" Dat aantal gesprekken is ruim gerekend: wie u via een kanaal spreekt, is deels "
            "toeval, en zo haalt u het doel ook als het wat tegenvalt.")


def thin_sentence(plan: Plan, name: Callable[[str, str], str]) -> str:
    """The caveat for the groups the mix lifts on thin evidence (Plan.thin), or '' (it
    starts with a space: it follows a sentence)."""
    if not plan.thin:
        return ""
    groups = join_phrases([name(d, c) for d, c in plan.thin])
    return (f" Voor {groups} is dat een ruwe schatting: elk kanaal in de mix dat hen erbij "
            f"brengt, bracht er tot nu toe minder dan {MIN_GROUP}.")


def best_advice(plan: Plan) -> dict[tuple[str, str], ChannelAdvice]:
    """(dimension, category) → the plan's row of the best channel so far, by THE rule
    (engagement.channels.best_order: at least MIN_GROUP people of the group through the
    channel, then the highest yield); a group with too little to tell is left out."""
    rows: dict[tuple[str, str], dict[str, ChannelAdvice]] = {}
    for advice in plan.channels:
        rows.setdefault((advice.dimension, advice.category), {})[advice.channel] = advice
    out = {}
    for key, by_channel in rows.items():
        order = best_order((a.channel, a.people, a.yield_) for a in by_channel.values())
        if order:
            out[key] = by_channel[order[0]]
    return out


def describe_plan(plan: Plan, min_age: int | None = None) -> str:
    """Dutch lines for the CLI and a printable plan; age groups named from `min_age` as
    the pages name them ('18 tot 25 jaar')."""
    what = {"flag": "tot geen groep meer te weinig gesproken is (verhouding ≥ "
                    f"{_nl(plan.level)})",
            "band": "tot elke groep binnen haar band ligt (verhouding tussen "
                    f"{_nl(plan.level)} en {_nl(OVER, 2)})",
            "share": "tot elke groep minstens haar aandeel in de buurt heeft",
            "margin": f"tot elke groep een foutmarge van hooguit {plan.margin or 0:.0%} heeft"}[plan.goal]
    lines = [f"Plan {what}: nog {plan.total_needed} mensen spreken."]
    best = best_advice(plan)
    for g in plan.groups:
        if g.needed > 0:
            lines.append(f"  - {dimension_label(g.dimension)} – {group_label(g.category, min_age, g.dimension)}: "
                         f"nog {g.needed} (alleen deze groep erbij: {g.needed_alone}). {g.reason}")
            top = best.get((g.dimension, g.category))
            if top is not None and (g.dimension, g.category) in plan.unreachable:
                # its best channel brings too small a share of it to lift it: "17 respondents
                # there" would contradict the note that no channel lifts this group
                lines.append(f"    Beste kanaal tot nu toe: {top.channel} ({_nl(100 * top.yield_)} van "
                             "elke 100 respondenten), maar ook daar hoort een te klein deel bij deze "
                             "groep om haar aandeel te laten stijgen: zoek gericht.")
            elif top is not None:
                rate = f"; tot nu toe {_nl(top.per_day)} per dag" if top.per_day else ""
                lines.append(f"    Beste kanaal tot nu toe: {top.channel} ({_nl(100 * top.yield_)} "
                             f"van elke 100 respondenten{rate}): voor {g.needed} zijn daar ongeveer "
                             f"{top.contacts_for_group} respondenten nodig.")
            elif plan.channels:
                lines.append(f"    Beste kanaal tot nu toe: {NO_BEST} (via geen enkel kanaal sprak u al "
                             f"{MIN_GROUP} mensen uit deze groep).")
    sentence = mix_sentence(plan, name=lambda d, c: group_phrase(d, c, min_age=min_age))
    if sentence:
        lines.append(sentence)
        lines.append("Voorgestelde mix per kanaal (uit de opbrengst per kanaal tot nu toe):")
        for row in plan.channel_totals:
            if not row["contacts"]:
                continue
            extra = ""
            if "days" in row:
                extra = f", ongeveer {row['days']} dagen (nu {_nl(row['per_day'])} per dag)"
            if "per_week" in row:
                extra += f", {row['per_week']} per week"
            lines.append(f"  - {row['channel']}: {row['contacts']} gesprekken{extra}")
    lines.extend(f"Let op: {n}" for n in plan.notes)
    return "\n".join(lines)
