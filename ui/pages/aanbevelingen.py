"""Aanbevelingen: the fieldwork plan (how many more of whom, through which channel, per
week) and, for each group we have not heard enough, how to reach them."""
from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import streamlit as st

from engagement.channels import ChannelReach, channel_reach
from engagement.coverage import eligible_respondents
from engagement.model import CoverageResult
from engagement.outreach import Advice
from engagement.planner import Plan
from engagement.vocabulary import age_words
from reports import privacy
from reports.report import channels_table, coverage_table, number_or_text, plan_needed
from ui import analysis, plan_tables, state
from ui.widgets import plain, plain_lines, project_data, run_page, stacked_table

FLAG_BADGES = {"unreached": ":red-badge[Nog niemand gesproken]", "under": ":orange-badge[Te weinig gesproken]",
               "rare": ":orange-badge[Weinig gesproken profiel]",
               # the card says "Mogelijk heeft u nog te weinig …": the badge must not say it is so
               "possibly_under": ":orange-badge[Mogelijk te weinig gesproken]"}
DEFAULT_WEEKS = 4
K = privacy.DEFAULT_K
HIDDEN_CHANNEL_COLUMNS = ("Gesproken tot nu toe", "Per dag tot nu toe", "Dagen nodig")
HIDDEN_GROUP_COLUMNS = ("Nodig in het plan", "Gesproken nu", "Nog te spreken (nu)", "Alleen deze groep erbij")


def shown_needs(plan: Plan, coverage: CoverageResult, k: int = K) -> tuple[dict[str, Any], dict[str, str]]:
    """The report's small-cell rule for the plan's groups: "dimension:category" → the
    plan's number as it may be shown (an int, 'minstens …' or 'x'; reports' plan_needed)
    and → the group's status in the coverage table ('' shown, 'primary' <k, 'secondary').
    One rule, so the page shows what the report's Plan sheet shows."""
    table, _ = coverage_table(coverage, k)
    status = dict(zip(table["_dimension"] + ":" + table["_category"], table["_status"]))
    return plan_needed(plan, table, k), status


def protected_groups_table(plan: Plan, coverage: CoverageResult, min_age: int | None = None,
                           reach: ChannelReach | None = None, k: int = K) -> pd.DataFrame:
    """plan_tables.groups_table with a small group's counts hidden as on the report's Plan
    sheet: 'Gesproken nu' '<k' (or 'x', the complement), 'Nog te spreken (nu)' and
    'Nodig in het plan' a lower bound ('minstens …') or 'x' (count + need gives the count
    back), 'Alleen deze groep erbij' 'x'."""
    needed, status = shown_needs(plan, coverage, k)
    table = plan_tables.groups_table(plan, min_age, reach).astype(object)
    for i, g in enumerate(plan_tables.planned_groups(plan)):
        key = f"{g.dimension}:{g.category}"
        table.at[i, "Nodig in het plan"] = needed.get(key, table.at[i, "Nodig in het plan"])
        why = status.get(key) or (privacy.PRIMARY if privacy.is_small(g.respondents, k) else "")
        if why:
            table.at[i, "Gesproken nu"] = privacy.mark(why, k)
            table.at[i, "Nog te spreken (nu)"] = number_or_text(
                privacy.to_reach_text(g.to_reach, g.respondents, why, k))
            table.at[i, "Alleen deze groep erbij"] = privacy.SECONDARY_MARK
    return table


def headline(item: Advice, needed: dict[str, Any]) -> str:
    """The card's "Spreek nog …" with the plan's number as the table shows it ('minstens …';
    a hidden one is left out, as in the report)."""
    if item.dimension == "profile" or item.group not in needed or item.needed is None:
        return item.headline()
    shown = needed[item.group]
    return item.headline(None if shown == privacy.SECONDARY_MARK else str(shown))


def channel_status(resp: pd.DataFrame, min_age: int, k: int = K) -> dict[str, str]:
    """Per channel code: '' (shown), 'primary' (<k) or 'secondary' (hidden as complement).
    The report's rule on the same counted rows (reports.report's channel table), so the
    page hides exactly the channels the report and Voortgang hide."""
    counted, _ = eligible_respondents(resp, min_age)
    return channels_table(counted, k)[1]


def protected_channel_table(plan: Plan, status: dict[str, str], k: int = K) -> pd.DataFrame:
    """plan_tables.channel_table with a hidden channel's count as '<k' or 'x', as on the
    report's Plan sheet, and its per day and days as plan_tables.HIDDEN_TEXT (days =
    contacts / per day would give the count back; '<10' there reads as under ten days)."""
    table = plan_tables.channel_table(plan).astype(object)
    for i, row in enumerate(plan.channel_totals):
        code = str(row["channel"])  # the planner names a missing channel "onbekend", the count "anders"
        why = status.get(code, status.get("anders", "") if code == "onbekend" else "")
        if not why and privacy.is_small(row.get("respondents_so_far"), k):
            why = privacy.PRIMARY
        if why:
            table.at[i, "Gesproken tot nu toe"] = privacy.mark(why, k)
            for column in HIDDEN_CHANNEL_COLUMNS[1:]:  # per day, days: no count of people
                table.at[i, column] = plan_tables.HIDDEN_TEXT
    return table


def best_text(item: Advice, status: dict[str, str]) -> str:
    """The card's best-channel sentence; without the yield ('31 van elke 100 …') when the
    channel's count is hidden in 'Welke kanalen' ('<10' or 'x'), so the card gives no
    figure the table withholds."""
    if item.best_channel and status.get(item.best_channel) and item.best_channel_plain:
        return item.best_channel_plain
    return item.best_channel_text


def week_cards(table: pd.DataFrame) -> pd.DataFrame:
    """The weekly plan for the screen: what first (a card's first line on a phone)."""
    return table[["Wat", "Soort", *[c for c in table.columns if c not in ("Wat", "Soort")]]]


def weeks_caption(table: pd.DataFrame, weeks: int) -> str:
    """What the weekly plan's rows are, for the rows it holds: 'Kanaal' rows only when the
    channel mix carries the whole plan (and is realistic), so the caption names them only then
    and otherwise says why there are none."""
    text = (f"Het plan verdeeld over {weeks} weken, de grotere aantallen eerst. Een rij 'Groep' = "
            "zoveel mensen uit die groep spreken in die week.")
    if (table["Soort"] == "Kanaal").any():
        text += " Een rij 'Kanaal' = zoveel gesprekken via dat kanaal."
    else:
        text += (" Er staan geen kanalen in: met de kanalen zoals ze tot nu toe werkten, haalt u het "
                 "plan niet. Kies de mensen gericht.")
    return text + " 'Totaal' = het hele plan voor die rij."


def show_plan(plan, room: float | None, min_age: int | None = None, reach: ChannelReach | None = None,
              status: dict[str, str] | None = None, coverage: CoverageResult | None = None) -> None:
    """The joint fieldwork plan: groups, channel mix and a printable weekly plan. `reach`:
    the team's yields per channel (for the best channel), `status`: channel_status,
    `coverage`: for the small-cell rule on the groups (as the report)."""
    st.header("Veldwerkplan")
    if plan is None:
        st.info("Er is nog geen plan te maken: daarvoor zijn meer antwoorden met leeftijd, geslacht "
                "of een ander kenmerk nodig.", icon=":material/event_note:")
        return
    if plan.total_needed <= 0:
        st.success("Volgens het plan hoeft er geen groep meer bij: geen groep is te weinig "
                   "gesproken.", icon=":material/check_circle:")
        return
    for line in plan_tables.plan_lines(plan, room, min_age):
        st.markdown(plain_lines(line))
    st.subheader("Per groep")
    needed: dict[str, Any] = {}
    if coverage is not None:
        groups = protected_groups_table(plan, coverage, min_age, reach)
        needed = shown_needs(plan, coverage)[0]
    else:
        groups = plan_tables.groups_table(plan, min_age, reach)
    # eight columns: a table on a screen, one card per group on a phone; '<10'/'x' as figures
    stacked_table(groups, numbers=HIDDEN_GROUP_COLUMNS)
    hidden = groups[list(HIDDEN_GROUP_COLUMNS)].map(lambda v: isinstance(v, str)).to_numpy().any()
    st.caption("\n".join(f"- **{name}**: {text}" for name, text in plan_tables.GROUP_HELP.items())
               + (f"\n- '<{K}' = minder dan {K} mensen. 'minstens …' en 'x' staan er zodat niemand dat "
                  "kleine aantal kan terugrekenen. Net als in het rapport." if hidden else ""))
    realistic = plan_tables.realistic(plan, room)
    channels = protected_channel_table(plan, status or {})
    if not channels.empty and realistic:
        st.subheader("Welke kanalen")
        # a table on a screen, a card per channel on a phone; '<10' and 'x' align as figures
        stacked_table(channels, row_header=True, numbers=HIDDEN_CHANNEL_COLUMNS)
        st.caption("\n".join(f"- **{name}**: {text}" for name, text in plan_tables.CHANNEL_HELP.items())
                   + f"\n- {plan_tables.zero_note(plan, min_age)}"
                   + f"\n- '<{K}' = minder dan {K} mensen; 'x' = verborgen zodat niemand '<{K}' kan "
                     "terugrekenen. Net als in het rapport en op Voortgang.")
    st.subheader("Weekplan om te printen")
    weeks = st.number_input("Aantal weken", min_value=1, max_value=12, value=DEFAULT_WEEKS, step=1,
                            help="Over hoeveel weken wilt u het plan verdelen?")
    table = plan_tables.weeks_table(plan, int(weeks), channels=realistic, min_age=min_age, needed=needed)
    stacked_table(week_cards(table), row_header=True)  # a card per row on a phone, weeks and total in it
    st.caption(weeks_caption(table, int(weeks)))
    st.download_button("Download weekplan (.csv voor Excel)", plan_tables.weeks_csv(table),
                       file_name=f"weekplan-{dt.date.today().isoformat()}.csv", mime="text/csv",
                       icon=":material/print:",
                       help="Open het bestand in Excel of LibreOffice om het te printen.")


def body() -> None:
    st.title("Aanbevelingen")
    st.write("Hoeveel mensen u nog zou moeten spreken, van welke groepen en via welk kanaal. "
             "Daaronder per groep waar en hoe u deze groep meestal bereikt.")
    data = project_data()
    if data is None:
        return
    project, resp, ref = data.project, data.respondents, data.reference
    assert ref is not None  # project_data() asks for the buurt first (need_reference)
    with st.spinner("Advies opstellen…"):
        result = analysis.analysed(resp, ref, project.targets, project.profile_names,
                                   project.settings.get("kompas_items"),
                                   state.statement_texts(project), state.store().effort(project.id))
    room = (ref.eligible_population - result.coverage.respondents) if ref.eligible_population else None
    reach = channel_reach(resp, ref, by_week=False) if "channel" in resp.columns else ChannelReach(rows=())
    status = channel_status(resp, ref.min_age)
    show_plan(result.plan, room, ref.min_age, reach, status, result.coverage)
    needed = shown_needs(result.plan, result.coverage)[0] if result.plan is not None else {}
    advice = result.advice
    st.header("Per groep: hoe bereikt u ze?")
    if not advice:
        st.success("U heeft alle groepen in de buurt goed gesproken. Houd dit vast in de volgende "
                   "weken.", icon=":material/check_circle:")
        return
    number_text = ("het aantal uit het veldwerkplan hierboven (alle groepen tegelijk aangevuld)"
                   if result.plan is not None else
                   "hoeveel mensen van die groep er bij het huidige aantal gesprekken nog bij moeten")
    st.caption(f"{len(advice)} groepen om extra aandacht aan te geven, de belangrijkste eerst. "
               f"'Spreek nog …' = {number_text}.")
    for item in advice:
        with st.container(border=True):
            # the library names age bands from 15; only people from min_age count
            st.markdown(f"### {plain(age_words(item.label, ref.min_age))}")  # or a profile name
            st.markdown(FLAG_BADGES.get(item.flag, FLAG_BADGES["under"]))
            st.markdown(f"**{plain(age_words(headline(item, needed), ref.min_age))}**")
            st.markdown(plain_lines(age_words(item.advice, ref.min_age)))
            if item.activities:
                st.markdown("\n".join(f"- {plain(a)}" for a in item.activities))
            if item.best_channel_text:
                st.caption(plain(age_words(best_text(item, status), ref.min_age)))
            if item.channels_so_far:
                st.caption(plain(age_words(item.channels_so_far, ref.min_age)))
            if item.source:
                st.caption(f"Bron van dit advies: {plain(item.source)}")


if __name__ == "__main__":  # Streamlit runs a page as __main__; tests import the helpers above
    run_page(body)
