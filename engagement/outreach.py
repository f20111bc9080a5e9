"""Outreach advice: for every group the team has not (yet) heard enough, how to reach it.

The advice itself lives in a rule table kept as data (data/outreach_rules.yaml) so a
gemeente can edit or extend it without touching code; this module only matches groups
to rules and adds what the project data say (how many still to speak to, which channels
reached the group so far). Sentences never contain respondent counts, so advice can go
into a report as it is.
"""
from __future__ import annotations

import fnmatch
import logging
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from engagement.channels import (
    MIN_GROUP,
    UNKNOWN_CHANNEL,
    ChannelReach,
    best_channel,
    best_order,
    channel_reach,
    rank_channels,
    ranking_sentence,
)
from engagement.coverage import eligible_respondents
from engagement.model import CoverageResult
from engagement.planner import Plan, best_advice
from engagement.vocabulary import UNDER, group_phrase, join_phrases, ratio_flags
from profiles.coverage import ProfileCoverageResult
from profiles.model import ProfileResult
from surveys.age_bands import reference_bands
from surveys.categories import CHANNELS
from surveys.errors import InputError

logger = logging.getLogger(__name__)

RULES_PATH = Path(__file__).parent / "data" / "outreach_rules.yaml"
KOMPAS_PROFILES = ("Meebouwers", "Kritische betrokkenen", "Vertrouwende toeschouwers", "Op afstand",
                   "Afwachtend midden")
RARE_PROFILE_SHARE = 0.10  # without profile coverage: a profile below 10% counts as "weinig gesproken"
_GOOD_RATIO = UNDER  # a channel reaches a group "wel" when its share there is not flagged under
_POOR_RATIO = 0.5   # … and "nauwelijks" when its yield is below half the group's share
_NAMED = 3  # channels.ranking_sentence names the best and the next two ("Daarna: …")
# A channel with fewer respondents than MIN_GROUP is not judged at all, and only a channel
# that is evidence by engagement.channels.best_order may be said to reach a group "wel".


@dataclass(frozen=True)
class Rule:
    match: tuple[str, ...]
    advice: str
    activities: tuple[str, ...]
    source: str
    channels: tuple[str, ...] = ()  # channels that tend to reach this group, best first


@dataclass(frozen=True)
class RuleTable:
    """The parsed YAML: advice rules, the gemeente's own group names (overrides of
    engagement.vocabulary.GROUP_PHRASES) and channel phrases."""

    rules: tuple[Rule, ...]
    groups: dict[str, str] = field(default_factory=dict)
    channels: dict[str, str] = field(default_factory=dict)

    def find(self, group: str) -> Rule | None:
        """The first rule whose pattern matches "dimension:category" (case-insensitive)."""
        key = group.casefold()
        for rule in self.rules:
            if any(fnmatch.fnmatchcase(key, p.casefold()) for p in rule.match):
                return rule
        return None


@dataclass(frozen=True)
class Advice:
    """One under-reached group with what to do about it (Dutch, B1)."""

    group: str              # "age:15-25" or "profile:Op afstand"
    label: str              # "Jongeren van 15 tot 25 jaar"
    to_reach: int | None    # people still to speak to at the current total; None if unknown
    advice: str
    activities: tuple[str, ...]
    channels_so_far: str    # "Via straatgesprekken bereikte u wel 65-plussers, online nauwelijks."
    source: str
    flag: str = "under"     # unreached | under | rare (profiles without buurt figures) |
    #                         possibly_under (a profile whose bracket reaches below UNDER: maybe)
    dimension: str = ""     # "age", …, or "profile"
    name: str = ""          # plural phrase for sentences: "jongeren van 15 tot 25 jaar"
    needed: int | None = None   # the joint plan's number (planner.GroupNeed.needed); None: no plan
    best_channel: str = ""      # channels.best_order's first (or the rule table's when too little to tell)
    best_channel_text: str = ""  # engagement.channels.ranking_sentence: which channel, on what it rests
    channel_basis: str = ""      # what the channel choice rests on: channels.EVIDENCE or channels.RULES
    best_channel_plain: str = ""  # best_channel_text without the yield (for a page that hides the channel)

    @property
    def number(self) -> int | None:
        """The number to act on: the joint plan's `needed` when there is a plan, else to_reach.

        to_reach brings one group to its share at today's total only; adding people raises
        the total, so the plan's joint number is the honest one (issue 13)."""
        return self.needed if self.needed is not None else self.to_reach

    def headline(self, to_reach_text: str | None | object = ...) -> str:
        """One sentence with the number (`number`: the plan's `needed`, else to_reach).

        A report passes `to_reach_text` (a protected number, or None to leave it out).
        """
        if to_reach_text is ...:
            to_reach_text = str(self.number) if self.number is not None else None
        who = self.name or self.label[:1].lower() + self.label[1:]
        if to_reach_text and self.number:
            return f"Spreek nog {to_reach_text} {who}."
        if self.flag == "unreached":
            return f"U heeft nog geen {who} gesproken."
        if self.flag == "possibly_under":
            return f"Mogelijk heeft u nog te weinig {who} gesproken."
        return f"U heeft nog weinig {who} gesproken."

    def to_dict(self) -> dict[str, Any]:
        d = dict(self.__dict__)
        d["activities"] = list(self.activities)
        return d


def load_rules(path: Path | str | None = None) -> RuleTable:
    """Read a rule table (default: the one shipped with Bereikwijzer).

    Raises ValueError with a Dutch message when the file does not have the expected shape,
    so a gemeente that edits the file sees what to fix.
    """
    source = Path(path) if path is not None else RULES_PATH
    return _load_rules(str(source), source.stat().st_mtime_ns)


@lru_cache(maxsize=8)
def _load_rules(name: str, _mtime_ns: int) -> RuleTable:
    """The parsed table, kept while the file is unchanged (pages ask for it many times)."""
    source = Path(name)
    try:
        data = yaml.safe_load(source.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        raise InputError(f"Het adviesbestand '{source.name}' is geen geldige YAML: {error}") from error
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise InputError(f"Het adviesbestand '{source.name}' mist de lijst 'rules:'.")
    rules = []
    for number, item in enumerate(data["rules"], start=1):
        if not isinstance(item, dict) or not item.get("match") or not item.get("advice"):
            raise InputError(f"Regel {number} in '{source.name}' mist 'match' of 'advice'.")
        match = item["match"] if isinstance(item["match"], list) else [item["match"]]
        channels = tuple(str(c) for c in item.get("channels") or ())
        unknown = [c for c in channels if c not in CHANNELS]
        if unknown:
            raise InputError(f"Regel {number} in '{source.name}' noemt een onbekend kanaal "
                             f"'{unknown[0]}'. Kies uit: {', '.join(CHANNELS)}.")
        rules.append(Rule(match=tuple(str(m) for m in match), advice=str(item["advice"]).strip(),
                          activities=tuple(str(a) for a in item.get("activities") or ()),
                          source=str(item.get("source") or ""), channels=channels))
    return RuleTable(rules=tuple(rules),
                     groups={str(k): str(v) for k, v in (data.get("groups") or {}).items()},
                     channels={str(k): str(v) for k, v in (data.get("channels") or {}).items()})


def advise(coverage: CoverageResult, respondents: pd.DataFrame | None = None,
           profiles: ProfileResult | None = None, *, rules: RuleTable | Path | str | None = None,
           profile_coverage: ProfileCoverageResult | pd.DataFrame | None = None, plan: Plan | None = None,
           effort: pd.DataFrame | None = None) -> list[Advice]:
    """Advice for every unreached/under group and every under-reached profile.

    A group whose verdict is 'onzeker' (cat.uncertain: so many unknown answers, or the
    buurt figures' margin, that the flag may turn) gets no card: Bereik says 'onzeker'
    and the plan does not steer on it (planner._withheld), so "U heeft nog weinig …
    gesproken" beside it would contradict both. The plan's note says why.

    Example: ``advise(result, plan=plan)[0].headline()`` → "Spreek nog 27 jongeren …".
    With a `plan` (planner.plan_fieldwork) each group's number is the plan's joint
    `needed` and the best channel so far is named; without one it is to_reach.
    `respondents` (the canonical table) only feeds the channel sentence (rows that do
    not count are left out, the one eligibility rule); `profile_coverage`
    (profiles.coverage.profile_coverage_result, or its table) says which profiles the
    buurt has more of.
    Channels per group are ranked by the team's own evidence first (yield per contact, or
    per hour with `effort`: store.effort's table) and by the rule table's `channels` second
    (engagement.channels.rank_channels); each advice says which of the two it used.
    """
    table = rules if isinstance(rules, RuleTable) else load_rules(rules)
    min_age = coverage.reference.min_age if coverage.reference is not None else 18
    if respondents is not None:
        respondents, _ = eligible_respondents(respondents, min_age)
    reach = (channel_reach(respondents, coverage.reference, effort=effort, by_week=False)
             if coverage.reference is not None and respondents is not None and not respondents.empty
             and "channel" in respondents.columns else None)
    out: list[Advice] = []
    for dim in coverage.dimensions:
        for cat in dim.categories:
            if cat.flag not in ("unreached", "under") or cat.uncertain:
                continue
            group = f"{dim.dimension}:{cat.category}"
            if reach is not None:  # the same yields as the best channel and Voortgang's table
                rows = {r.channel: (r.group, float(r.respondents), r.share)
                        for r in reach.overall(dim.dimension, cat.category)}
            else:
                rows = _with_shares(_channel_counts(respondents, dim.dimension, cat.category,
                                                    [c.category for c in dim.categories], min_age))
            sentence = _channel_sentence(table, group_name(table, group), rows, cat.population_share)
            out.append(_make(table, group, cat.to_reach, cat.flag, dim.dimension, sentence))
    if plan is not None:
        out = apply_plan(out, plan)
    if coverage.reference is not None:
        out = _rank_channels(out, table, reach if reach is not None else ChannelReach(rows=()))
    out.sort(key=lambda a: (a.flag != "unreached", -(a.number or 0)))
    if profiles is not None:
        shares = (profile_coverage.to_frame() if isinstance(profile_coverage, ProfileCoverageResult)
                  else profile_coverage)
        out.extend(_profile_advice(table, profiles, respondents, shares))
    return out


def _make(table: RuleTable, group: str, to_reach: int | None, flag: str,
          dimension: str, sentence: str) -> Advice:
    name = group_name(table, group)
    label = name[:1].upper() + name[1:]
    rule = table.find(group)
    if rule is None:
        rule = Rule(match=("*",), advice="Deze groep heeft u nog te weinig gesproken.",
                    activities=(), source="")
    return Advice(group=group, label=label, to_reach=to_reach, advice=rule.advice,
                  activities=rule.activities, channels_so_far=sentence, source=rule.source,
                  flag=flag, dimension=dimension, name=name)


def apply_plan(advice: list[Advice], plan: Plan) -> list[Advice]:
    """The same advice with the plan's joint `needed` (profiles are not in the plan and stay
    as they are). The channel per group is advise's ranking (evidence first), not redone here."""
    needs = {f"{g.dimension}:{g.category}": g.needed for g in plan.groups}
    return [replace(item, needed=needs[item.group])
            if item.dimension != "profile" and item.group in needs else item for item in advice]


def _rank_channels(advice: list[Advice], table: RuleTable, reach: ChannelReach) -> list[Advice]:
    """Each group's channels: the team's evidence by channels.best_order, then the rule
    table's (a sentence that says which)."""
    out = []
    for item in advice:
        dimension, _, category = item.group.partition(":")
        rule = table.find(item.group)
        ranked = rank_channels(reach, dimension, category,
                               rule_channels=rule.channels if rule is not None else ())
        if not ranked:
            text = ranking_sentence(ranked, item.name)
            out.append(replace(item, best_channel_text=text, best_channel_plain=text))
            continue
        out.append(replace(item, best_channel=ranked[0].channel, channel_basis=ranked[0].basis,
                           best_channel_text=ranking_sentence(ranked, item.name),
                           best_channel_plain=ranking_sentence(ranked, item.name, figures=False)))
    return out


def best_channels(plan: Plan, reach: ChannelReach | None = None) -> dict[tuple[str, str], str]:
    """(dimension, category) → the best channel so far, for every group the plan still needs.

    Always the one rule, channels.best_order (the same answer as the advice cards,
    Voortgang and the report); a group without an answer is left out (too little to tell:
    channels.NO_BEST). With `reach` (channels.channel_reach of the counted rows,
    by_week=False) from its yields, without it from the plan's own (planner.best_advice:
    the same counted rows, so the same answer)."""
    needed = [(g.dimension, g.category) for g in plan.groups if g.needed > 0]
    if reach is not None:
        found = {key: best_channel(reach, *key) for key in needed}
        return {key: channel for key, channel in found.items() if channel}
    best = best_advice(plan)
    return {key: best[key].channel for key in needed if key in best}


def group_name(table: RuleTable, group: str) -> str:
    """Plural noun phrase for "dimension:category" in a sentence (vocabulary.group_phrase,
    with the rule table's own `groups:` as overrides)."""
    dim, _, code = group.partition(":")
    return group_phrase(dim, code, table.groups)


# ---- channel counts -------------------------------------------------------------------

def _categorise(respondents: pd.DataFrame, dimension: str, codes: list[str]) -> pd.Series:
    """Each respondent's category on one dimension (NaN where unknown or not one of `codes`)."""
    result = pd.Series(pd.NA, index=respondents.index, dtype="object")
    if dimension == "age":
        if "age_band" in respondents.columns:
            band = respondents["age_band"].astype("object")
            result = band.where(band.isin(codes), pd.NA)
        if "age" in respondents.columns:  # the reference's bands, read by the one parser
            age = pd.to_numeric(respondents["age"], errors="coerce")
            for code, band in reference_bands(codes).items():
                result = result.mask((age >= band.low) & (age < band.high), code)
        return result
    if dimension not in respondents.columns:
        return result
    values = respondents[dimension].astype("object")
    return values.where(values.isin(codes), pd.NA)


def _channel_counts(respondents: pd.DataFrame | None, dimension: str, category: str,
                    codes: list[str], min_age: int) -> dict[str, tuple[float, float]]:
    """Per channel: (respondents in the group, respondents with a known category)."""
    if respondents is None or "channel" not in respondents.columns or respondents.empty:
        return {}
    cats = _categorise(respondents, dimension, codes)
    known = cats.notna()
    channels = respondents["channel"].astype("object").fillna("anders")
    out: dict[str, tuple[float, float]] = {}
    for channel in pd.unique(channels):
        in_channel = channels == channel
        out[str(channel)] = (float((in_channel & known & (cats == category)).sum()),
                             float((in_channel & known).sum()))
    return out


def _phrase(table: RuleTable, channel: str) -> str:
    return table.channels.get(channel, f"via {channel}")


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _with_shares(counts: dict[str, tuple[float, float]]) -> dict[str, tuple[float, float, float]]:
    """(people of the group, known) per channel → with the yield per contact added."""
    return {c: (g, n, g / n if n > 0 else 0.0) for c, (g, n) in counts.items()}


def _channel_sentence(table: RuleTable, name: str, rows: dict[str, tuple[float, float, float]],
                      population_share: float) -> str:
    """A sentence without numbers on which channels did and did not reach a group.

    `rows`: per channel (people of the group, respondents with a known value, yield).
    "Nauwelijks" means: of the people spoken through that channel, the group's part (the
    yield) is below half of the group's share in the buurt (`population_share`; for a
    profile its share among all respondents). It never contradicts the card's best-channel
    sentence (channels.best_order on the same rows, channels.ranking_sentence): a channel
    with fewer than MIN_GROUP respondents is not judged, only evidence by that rule is said
    to reach the group "wel", and a channel that sentence names (the best and the two after
    it, "Daarna: …") is never called "nauwelijks" (online with 79 of the group, the most of
    any channel, is no channel that "nauwelijks" reached them); when even the best reached
    the group less than the buurt has them, the sentence says so."""
    usable = {c: v for c, v in rows.items() if v[1] >= MIN_GROUP and c != UNKNOWN_CHANNEL}
    if not usable:
        return ""
    if sum(v[0] for v in usable.values()) == 0:
        used = join_phrases([_phrase(table, c) for c in sorted(usable)])
        return f"{_capital(used)} sprak u nog geen {name}."

    def ratio(channel: str) -> float:
        return usable[channel][2] / population_share if population_share > 0 else 0.0

    evidence = best_order((c, g, share) for c, (g, _, share) in usable.items())
    best = evidence[0] if evidence else None
    good = [_phrase(table, c) for c in evidence if ratio(c) >= _GOOD_RATIO]
    named = set(evidence[:_NAMED])
    poor = [_phrase(table, c) for c in sorted(usable) if c not in named and ratio(c) < _POOR_RATIO]
    if best is not None and not good:
        text = f"Ook {_phrase(table, best)} (tot nu toe het beste kanaal) sprak u naar verhouding te weinig {name}."
        if poor:
            text += f" {_capital(join_phrases(poor))} bereikte u nauwelijks {name}."
        return f"{text} Probeer daarnaast een ander kanaal."
    if good and poor:
        return f"{_capital(join_phrases(good))} bereikte u wel {name}, {join_phrases(poor)} nauwelijks."
    if good:
        return f"{_capital(join_phrases(good))} bereikte u {name} goed; zet {'dat kanaal' if len(good) == 1 else 'die kanalen'} vaker in."
    if poor and len(usable) == 1:
        return f"U sprak tot nu toe vooral mensen {poor[0]}; zo bereikte u nauwelijks {name}. Probeer een ander kanaal."
    if poor:
        return f"{_capital(join_phrases(poor))} bereikte u nauwelijks {name}. Probeer een ander kanaal."
    return ""


# ---- profiles ------------------------------------------------------------------------

def _first_column(frame: pd.DataFrame, names: tuple[str, ...]) -> str | None:
    return next((n for n in names if n in frame.columns), None)


def _profile_flags(profiles: ProfileResult, profile_coverage: pd.DataFrame | None
                   ) -> list[tuple[str, str, int | None]]:
    """(profile name, flag, to_reach) for every profile the team heard too little.

    With a profile coverage table (profiles.coverage.profile_coverage): "under" when the
    whole bracket says so, "possibly_under" when the bracket only reaches below UNDER (the
    advice then says "mogelijk"); without one, kompas profiles nobody belongs to and
    profiles under 10% of the respondents ("rare")."""
    found: list[tuple[str, str, int | None]] = []
    if profile_coverage is not None and not profile_coverage.empty:
        name_col = _first_column(profile_coverage, ("name", "profile_name", "profile"))
        ratio_col = _first_column(profile_coverage, ("ratio",))
        flag_col = _first_column(profile_coverage, ("flag",))
        reach_col = _first_column(profile_coverage, ("to_reach",))
        maybe_col = _first_column(profile_coverage, ("possibly_under",))
        for _, row in profile_coverage.iterrows():
            flag = str(row[flag_col]) if flag_col else None
            if flag is None and ratio_col is not None and pd.notna(row[ratio_col]):
                ratio = float(row[ratio_col])
                flag = str(ratio_flags(ratio, ratio))  # nobody heard when the ratio is 0
            if maybe_col and flag == "uncertain" and bool(row[maybe_col]):
                flag = "possibly_under"
            if flag in ("unreached", "under", "possibly_under"):
                to_reach = int(row[reach_col]) if reach_col and pd.notna(row[reach_col]) else None
                found.append((str(row[name_col]) if name_col else "?", flag, to_reach))
        return found
    sizes = {card.name: card for card in profiles.cards}
    if profiles.method == "kompas":
        for name in KOMPAS_PROFILES:
            if name not in sizes or sizes[name].size == 0:
                found.append((name, "unreached", None))
    for card in profiles.cards:
        if 0 < card.share < RARE_PROFILE_SHARE or (card.size == 0 and card.name not in KOMPAS_PROFILES):
            found.append((card.name, "rare" if card.size else "unreached", None))
    return found


MAYBE = ("Zeker weten of u dit profiel te weinig sprak, kan alleen met een aselecte steekproef "
         "(zoals een burgerpeiling); de schatting laat het open.")


def _maybe(advice: Advice) -> Advice:
    """The same advice worded as possible: the bracket only allows that the profile was
    heard too little, so no sentence may say it was."""
    text = advice.advice.replace("Dit profiel heeft u nog weinig gesproken.",
                                 "Misschien heeft u dit profiel nog weinig gesproken.")
    return replace(advice, advice=f"{MAYBE} {text}")


def _profile_channel_counts(profiles: ProfileResult, respondents: pd.DataFrame | None,
                            name: str) -> dict[str, tuple[float, float]]:
    """Per channel: (respondents in profile `name`, respondents with a profile).

    The assignments are one row per row of the frame the profiles were fitted on (in that
    order); `respondents` are those rows that count, with their index kept. Joined by
    position when the ids agree, else by respondent_id where that id is unique: ids repeat
    across imports (every export numbers from 1), and a join on them alone counted a row
    once per import."""
    assignments = profiles.assignments
    if (respondents is None or "channel" not in respondents.columns or assignments is None
            or assignments.empty or "respondent_id" not in respondents.columns):
        return {}
    names = {card.id: card.name for card in profiles.cards}
    named = (assignments["name"] if "name" in assignments.columns
             else assignments["profile"].map(names)).reset_index(drop=True)
    given = assignments["respondent_id"].astype(str).reset_index(drop=True)
    ids = respondents["respondent_id"].astype(str)
    index = respondents.index
    positional = (pd.api.types.is_integer_dtype(index) and len(index) > 0 and index.min() >= 0
                  and index.max() < len(given)
                  and bool((given.iloc[index].to_numpy() == ids.to_numpy()).all()))
    if positional:
        profile_of = pd.Series(named.iloc[index].to_numpy(), index=index)
    else:
        unique = ~given.duplicated(keep=False)
        profile_of = ids.map(dict(zip(given[unique], named[unique])))
    known = profile_of.notna()
    channels = respondents["channel"].astype("object").fillna("anders")
    return {str(c): (float(((channels == c) & (profile_of == name)).sum()),
                     float(((channels == c) & known).sum())) for c in pd.unique(channels)}


def _profile_advice(table: RuleTable, profiles: ProfileResult, respondents: pd.DataFrame | None,
                    profile_coverage: pd.DataFrame | None) -> list[Advice]:
    out = []
    shares = {card.name: card.share for card in profiles.cards}
    for name, flag, to_reach in _profile_flags(profiles, profile_coverage):
        group = f"profile:{name}"
        # Baseline: the profile's share among all respondents, so the sentence says which
        # channels met this profile relatively often.
        baseline = shares.get(name) or 1.0 / max(profiles.k, 1)
        sentence = _channel_sentence(table, group_name(table, group),
                                     _with_shares(_profile_channel_counts(profiles, respondents, name)),
                                     baseline)
        item = _make(table, group, to_reach, flag, "profile", sentence)
        out.append(_maybe(item) if flag == "possibly_under" else item)
    return out
