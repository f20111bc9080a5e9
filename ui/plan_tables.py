"""The fieldwork plan (engagement.planner) as Dutch tables and lines for the dashboard.

Pure functions of a Plan: the Aanbevelingen and Voortgang pages show them, tests check
them without Streamlit. The plan's `needed` is the number to act on: to_reach brings one
group to its share only if nobody else is added (see engagement.planner).
"""
from __future__ import annotations

import io
import math

import pandas as pd

from engagement.coverage import dimension_label
from engagement.outreach import best_channels
from engagement.planner import Plan, weekly_plan
from engagement.vocabulary import age_words, group_label, group_phrase
from reports.privacy import escape_frame
from reports.report import PLAN_REASONS, channel_name
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
    "Beste kanaal tot nu toe": "Het kanaal waar tot nu toe het grootste deel van de gesproken "
                               "mensen bij deze groep hoorde.",
    "Waarom": "Waarom deze groep in het plan staat.",
    "Gesproken nu": "Zoveel mensen uit deze groep telden tot nu toe mee.",
    "Nog te spreken (nu)": "Zoveel erbij als er verder niemand bijkomt. Dat is te weinig: elk "
                           "nieuw gesprek maakt het totaal groter.",
    "Alleen deze groep erbij": "Zoveel erbij als u alleen deze groep spreekt en verder niemand.",
}
CHANNEL_HELP = {
    "Gesproken tot nu toe": "Zoveel mensen sprak u tot nu toe via dit kanaal.",
    "Per dag tot nu toe": "Gemiddeld aantal mensen per dag waarop via dit kanaal gesproken is.",
    "Voorgesteld erbij": "Zoveel gesprekken via dit kanaal erbij, zodat alle groepen hun plan "
                         "halen (uitgaande van wat elk kanaal tot nu toe opleverde).",
    "Dagen nodig": "Zoveel dagen veldwerk als het net zo gaat als tot nu toe.",
}


def _nl(value: float | None, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:.{digits}f}".rstrip("0").rstrip(".").replace(".", ",") if digits else f"{value:.0f}"


def groups_table(plan: Plan, min_age: int | None = None) -> pd.DataFrame:
    """One row per group that the plan still needs, per kenmerk, the largest need first;
    an age band is named from `min_age` ('18 tot 25 jaar')."""
    best = best_channels(plan)
    rows = []
    order = {d: i for i, d in enumerate(dict.fromkeys(g.dimension for g in plan.groups))}
    for g in sorted((g for g in plan.groups if g.needed > 0),
                    key=lambda g: (order[g.dimension], -g.needed)):
        channel = best.get((g.dimension, g.category))
        rows.append({
            "Kenmerk": dimension_label(g.dimension), "Groep": group_label(g.category, min_age),
            "Gesproken nu": whole(g.respondents), "Nog te spreken (nu)": whole(g.to_reach),
            "Nodig in het plan": whole(g.needed), "Alleen deze groep erbij": whole(g.needed_alone),
            "Waarom": PLAN_REASONS.get(g.reason_code, g.reason),
            "Beste kanaal tot nu toe": channel_name(channel) if channel else "nog geen"})
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


def realistic(plan: Plan, room: float | None) -> bool:
    """False when the channel mix asks more conversations than there are residents left."""
    return not plan.total_contacts or room is None or plan.total_contacts <= room


def weeks_table(plan: Plan, weeks: int, channels: bool = True, min_age: int | None = None) -> pd.DataFrame:
    """planner.weekly_plan as one row per group or channel, a column per week and a total."""
    long = weekly_plan(plan, weeks)
    columns = ["Soort", "Wat", *(f"Week {w}" for w in range(1, weeks + 1)), "Totaal"]
    rows = []
    for (kind, what), part in long.groupby(["kind", "what"], sort=False):
        if kind == "kanaal" and not channels:
            continue
        numbers = dict(zip(part["week"], part["number"]))
        row = {"Soort": "Groep" if kind == "groep" else "Kanaal",
               "Wat": age_words(str(what), min_age) if kind == "groep" else channel_name(what)}
        row.update({f"Week {w}": whole(numbers.get(w, 0)) for w in range(1, weeks + 1)})
        row["Totaal"] = whole(part["number"].sum())
        rows.append(row)
    return pd.DataFrame(rows, columns=columns)


def weeks_csv(table: pd.DataFrame) -> bytes:
    """The weekly plan as a CSV that Dutch Excel opens (';', UTF-8 with BOM, formula-safe)."""
    buffer = io.StringIO()
    escape_frame(table).to_csv(buffer, index=False, sep=";")
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def plan_lines(plan: Plan, room: float | None, min_age: int | None = None) -> list[str]:
    """Short Dutch sentences above the tables (plain text: the page escapes them)."""
    lines = [f"Volgens het plan spreekt u nog {count_text(plan.total_needed)} mensen. Dan is geen groep meer "
             "te weinig gesproken (verhouding minstens "
             f"{_nl(plan.level)}). Eén persoon telt voor elk kenmerk: een jonge huurder helpt bij "
             "leeftijd én bij woning. Kies dus mensen die in meer groepen tegelijk ontbreken."]
    if plan.total_contacts and realistic(plan, room):
        lines.append(f"Met de kanalen zoals ze tot nu toe werkten, zijn daarvoor ongeveer "
                     f"{count_text(plan.total_contacts)} gesprekken nodig. Dat zijn er meer dan "
                     f"{count_text(plan.total_needed)}, omdat niet iedereen die u spreekt bij een ontbrekende "
                     "groep hoort.")
    elif plan.total_contacts:
        lines.append(f"Met de kanalen zoals ze tot nu toe werkten, zijn {count_text(plan.total_contacts)} "
                     "gesprekken nodig: meer dan er bewoners over zijn. Meer van hetzelfde is dus "
                     "niet genoeg. Zoek gericht naar de groepen die ontbreken of zet een nieuw "
                     "kanaal in.")
    if plan.unreachable:
        names = [group_phrase(d, c) for d, c in plan.unreachable]
        lines.append("Geen kanaal (ook het beste kanaal tot nu toe niet) bracht genoeg mensen uit "
                     "deze groepen om hun aandeel te "
                     f"laten stijgen: {', '.join(names)}. Zoek gericht of zet een nieuw kanaal in.")
    lines.extend(n for n in plan.notes
                 if not n.startswith("Eén persoon telt") and "geen kanaal tot nu toe bracht" not in n)
    return [age_words(line, min_age) for line in lines]
