"""The fieldwork plan (engagement.planner) as Dutch tables and lines for the dashboard.

Pure functions of a Plan: the Aanbevelingen and Voortgang pages show them, tests check
them without Streamlit. The plan's `needed` is the number to act on: to_reach brings one
group to its share only if nobody else is added (see engagement.planner).
"""
from __future__ import annotations

import io
import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from engagement import channels
from engagement.channels import ChannelReach
from engagement.coverage import dimension_label
from engagement.outreach import best_channels
from engagement.planner import GroupNeed, Plan, mix_sentence, thin_sentence, weekly_plan
from engagement.vocabulary import age_words, group_label, group_phrase, join_phrases
from reports.privacy import SECONDARY_MARK, escape_frame
from reports.report import HIDDEN_WORD, PLAN_REASONS, channel_name
from surveys.categories import label
from surveys.numbers import count_text, whole

GROUP_COLUMNS = ["Kenmerk", "Groep", "Nodig in het plan", "Beste kanaal tot nu toe", "Waarom",
                 "Gesproken nu", "Nog te spreken (nu)", "Alleen deze groep erbij"]
CHANNEL_COLUMNS = ["Kanaal", "Gesproken tot nu toe", "Per dag tot nu toe", "Voorgesteld erbij",
                   "Dagen nodig"]

# One line per column: what the number means (B1).
GROUP_HELP = {
    "Nodig in het plan": "Zoveel erbij als u alle groepen tegelijk aanvult, tot geen groep meer te "
                         "weinig gesproken is. Dit is het getal om mee te plannen. Tel het niet op over "
                         "kenmerken heen: één persoon telt voor elk kenmerk.",
    "Beste kanaal tot nu toe": channels.BEST_RULE_TEXT,  # the one rule (channels.best_order)
    "Waarom": "Waarom deze groep in het plan staat.",
    "Gesproken nu": "Zoveel mensen uit deze groep telden tot nu toe mee.",
    "Nog te spreken (nu)": "Zoveel erbij tot de groep haar aandeel in de buurt heeft, gerekend met "
                           "het aantal gesprekken van nu (zoals op Bereik). Elk nieuw gesprek maakt "
                           "het totaal groter; daarom rekent het plan anders.",
    "Alleen deze groep erbij": "Zoveel erbij tot de groep niet meer te weinig gesproken is (verhouding "
                               "minstens 0,8), als u alleen deze groep spreekt en verder niemand.",
}
# A hidden channel's per day and days: no count of people, so not '<10' ('Dagen nodig: <10'
# reads as "under ten days"), but a word; the column help says why.
HIDDEN_TEXT = HIDDEN_WORD
_HIDDEN_WHY = (f" '{HIDDEN_TEXT}' = het aantal mensen via dit kanaal staat er niet ('<10' of 'x'); uit "
               "dit getal zou u het kunnen terugrekenen.")
CHANNEL_HELP = {
    "Gesproken tot nu toe": "Zoveel mensen sprak u tot nu toe via dit kanaal.",
    "Per dag tot nu toe": "Gemiddeld aantal mensen per dag waarop via dit kanaal gesproken is." + _HIDDEN_WHY,
    "Voorgesteld erbij": "Zoveel gesprekken via dit kanaal erbij, uitgaande van wat elk kanaal tot "
                         "nu toe opleverde. De tekst boven de tabellen zegt of dat genoeg is voor het "
                         "hele plan of voor een deel.",
    "Dagen nodig": "Zoveel dagen veldwerk als het net zo gaat als tot nu toe." + _HIDDEN_WHY,
}


def _nl(value: float | None, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:.{digits}f}".rstrip("0").rstrip(".").replace(".", ",") if digits else f"{value:.0f}"


def planned_groups(plan: Plan) -> list[GroupNeed]:
    """The groups the plan still needs, in groups_table's row order (per kenmerk, the
    largest need first), so a page can protect each row by its group."""
    order = {d: i for i, d in enumerate(dict.fromkeys(g.dimension for g in plan.groups))}
    return sorted((g for g in plan.groups if g.needed > 0), key=lambda g: (order[g.dimension], -g.needed))


def groups_table(plan: Plan, min_age: int | None = None, reach: ChannelReach | None = None
                 ) -> pd.DataFrame:
    """One row per group that the plan still needs (`planned_groups`); an age band is named
    from `min_age` ('18 tot 25 jaar'). The best channel is the one rule
    (outreach.best_channels, from `reach` when given, else from the plan's own yields):
    channels.NO_BEST when no channel brought MIN_GROUP people of the group."""
    best = best_channels(plan, reach)
    rows = []
    for g in planned_groups(plan):
        channel = best.get((g.dimension, g.category))
        rows.append({
            "Kenmerk": dimension_label(g.dimension), "Groep": group_label(g.category, min_age),
            "Gesproken nu": whole(g.respondents), "Nog te spreken (nu)": whole(g.to_reach),
            "Nodig in het plan": whole(g.needed), "Alleen deze groep erbij": whole(g.needed_alone),
            "Waarom": PLAN_REASONS.get(g.reason_code, g.reason),
            "Beste kanaal tot nu toe": channel_name(channel) if channel else channels.NO_BEST})
    return pd.DataFrame(rows, columns=GROUP_COLUMNS)


def channel_table(plan: Plan) -> pd.DataFrame:
    """The suggested channel mix: per channel what it brought so far and what to add."""
    rows = []
    for row in plan.channel_totals:
        rows.append({
            "Kanaal": channel_name(row["channel"]),
            "Gesproken tot nu toe": whole(row.get("respondents_so_far") or 0),
            "Per dag tot nu toe": _nl(row.get("per_day")),
            "Voorgesteld erbij": whole(row.get("contacts") or 0),
            "Dagen nodig": whole(row["days"]) if row.get("days") is not None else "–"})
    return pd.DataFrame(rows, columns=CHANNEL_COLUMNS)


def zero_note(plan: Plan, min_age: int | None = None) -> str:
    """What a channel with 0 in 'Voorgesteld erbij' means. 'Not needed for the plan' only
    when the mix covers the whole plan; a mix for part of it, or none, says so."""
    if plan.covers_plan:
        return "Een kanaal met 0 voorgesteld is niet nodig om het plan te halen; het mag natuurlijk wel."
    names = _names(min_age)
    missing = join_phrases([names(d, c) for d, c in plan.unreachable]) or "de groepen die ontbreken"
    if plan.total_contacts and plan.covered:
        covered = join_phrases([names(d, c) for d, c in plan.covered])
        text = (f"De voorgestelde gesprekken zijn alleen voor {covered}; een kanaal met 0 voorgesteld is "
                f"daarvoor niet nodig. Voor {missing} helpt geen kanaal zoals het tot nu toe werkte: "
                "zoek die gericht of zet een nieuw kanaal in.")
    elif plan.unreachable:
        text = (f"Er is geen kanaal voorgesteld: geen kanaal bracht tot nu toe genoeg mensen uit "
                f"{missing}. Meer van hetzelfde haalt het plan dus niet. Zoek gericht of zet een nieuw "
                "kanaal in.")
    else:
        text = ("Er is geen kanaal voorgesteld: met de kanalen zoals ze tot nu toe werkten, is het plan "
                "niet te halen (zie de tekst boven de tabellen). Zoek gericht of zet een nieuw kanaal in.")
    return age_words(text, min_age)


def realistic(plan: Plan, room: float | None) -> bool:
    """False when the channel mix asks more conversations than there are residents left."""
    return not plan.total_contacts or room is None or plan.total_contacts <= room


def weeks_table(plan: Plan, weeks: int, channels: bool = True, min_age: int | None = None,
                needed: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """planner.weekly_plan as one row per group or channel, a column per week and a total.

    `needed` ("dimension:category" → the plan's number as it may be shown, the report's
    rule): a group whose number is hidden shows 'x' per week and that total, as on the
    report's Plan sheet (the weeks add up to the hidden number)."""
    long = weekly_plan(plan, weeks)
    keys = {f"{dimension_label(g.dimension)} – {label(g.category)}": f"{g.dimension}:{g.category}"
            for g in plan.groups}
    columns = ["Soort", "Wat", *(f"Week {w}" for w in range(1, weeks + 1)), "Totaal"]
    rows = []
    for (kind, what), part in long.groupby(["kind", "what"], sort=False):
        if kind == "kanaal" and not channels:
            continue
        numbers = dict(zip(part["week"], part["number"]))
        row: dict[str, Any] = {"Soort": "Groep" if kind == "groep" else "Kanaal",
                               "Wat": age_words(str(what), min_age) if kind == "groep" else channel_name(what)}
        row.update({f"Week {w}": whole(numbers.get(w, 0)) for w in range(1, weeks + 1)})
        row["Totaal"] = whole(part["number"].sum())
        shown = (needed or {}).get(keys.get(str(what), ""), 0) if kind == "groep" else 0
        if isinstance(shown, str):  # hidden: the weeks would add up to it
            row.update({f"Week {w}": SECONDARY_MARK for w in range(1, weeks + 1)})
            row["Totaal"] = shown
        rows.append(row)
    return pd.DataFrame(rows, columns=columns)


def weeks_csv(table: pd.DataFrame) -> bytes:
    """The weekly plan as a CSV that Dutch Excel opens (';', UTF-8 with BOM, formula-safe)."""
    buffer = io.StringIO()
    escape_frame(table).to_csv(buffer, index=False, sep=";")
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _names(min_age: int | None):
    """Group phrases as the page names them ('jongeren van 18 tot 25 jaar' from `min_age`)."""
    return lambda dim, cat: group_phrase(dim, cat, min_age=min_age)


def mix_text(plan: Plan, room: float | None, min_age: int | None = None) -> str | None:
    """engagement.planner.mix_sentence for the dashboard: what the channel mix covers."""
    text = mix_sentence(plan, realistic(plan, room), count_text, _names(min_age))
    return age_words(text, min_age) if text else None


def mix_metric(plan: Plan, room: float | None, min_age: int | None = None
               ) -> tuple[str, str, str] | None:
    """Voortgang's second number (label, value, help) beside the plan's people, or None
    when there is no realistic mix. A mix that covers only some groups says so in its
    label: then it is not 'the conversations the plan needs'."""
    if not plan.total_contacts or not realistic(plan, room):
        return None
    value = count_text(plan.total_contacts)
    names = _names(min_age)
    rough = thin_sentence(plan, names)
    if plan.covers_plan:
        text = "Zoveel gesprekken via de kanalen die u nu gebruikt, om het plan te halen."
        if plan.total_contacts > plan.total_needed:
            text += (" Meer dan het aantal hiernaast, omdat niet iedereen die u spreekt bij een "
                     "ontbrekende groep hoort.")
        return "Gesprekken nodig (met de huidige kanalen)", value, age_words(text + rough, min_age)
    covered = join_phrases([names(d, c) for d, c in plan.covered]) if plan.covered else "de andere groepen"
    missing = join_phrases([names(d, c) for d, c in plan.unreachable])
    text = (f"Alleen genoeg voor {covered}. Voor {missing} bracht geen kanaal tot nu toe genoeg "
            "mensen; die zoekt u gericht." + rough + " Zie Aanbevelingen.")
    return "Gesprekken via de huidige kanalen (deel van het plan)", value, age_words(text, min_age)


def plan_lines(plan: Plan, room: float | None, min_age: int | None = None) -> list[str]:
    """Short Dutch sentences above the tables (plain text: the page escapes them)."""
    withheld = any(g.reason_code == "uncertain" for g in plan.groups)
    several = any(n.startswith("Eén persoon telt") for n in plan.notes)  # several kenmerken planned
    lines = [f"Volgens het plan spreekt u nog {count_text(plan.total_needed)} mensen. Dan is geen groep meer "
             "te weinig gesproken (verhouding minstens "
             f"{_nl(plan.level)})" + (", behalve misschien bij groepen waar het oordeel onzeker is"
                                      if withheld else "") + "."
             + (" Eén persoon telt voor elk kenmerk: een jonge huurder helpt bij leeftijd én bij "
                "woning. Kies dus mensen die in meer groepen tegelijk ontbreken." if several else "")]
    mix = mix_sentence(plan, realistic(plan, room), count_text, _names(min_age))
    if mix:
        lines.append(mix)
    # a partial mix names the groups no channel lifts itself
    if plan.unreachable and not (mix and realistic(plan, room) and not plan.covers_plan):
        names = [group_phrase(d, c) for d, c in plan.unreachable]
        lines.append("Geen kanaal (ook het beste kanaal tot nu toe niet) bracht genoeg mensen uit "
                     "deze groepen om hun aandeel te "
                     f"laten stijgen: {', '.join(names)}. Zoek gericht of zet een nieuw kanaal in.")
    lines.extend(n for n in plan.notes
                 if not n.startswith("Eén persoon telt") and "geen kanaal tot nu toe bracht" not in n)
    return [age_words(line, min_age) for line in lines]
