"""Aanbevelingen: the fieldwork plan (how many more of whom, through which channel, per
week) and, for each group we have not heard enough, how to reach them."""
from __future__ import annotations

import datetime as dt

import streamlit as st

from engagement.vocabulary import age_words
from ui import analysis, plan_tables, profile_charts, state
from ui.widgets import plain, plain_lines, project_data, run_page, stacked_table

FLAG_BADGES = {"unreached": ":red-badge[Nog niemand gesproken]", "under": ":orange-badge[Te weinig gesproken]",
               "rare": ":orange-badge[Weinig gesproken profiel]"}
DEFAULT_WEEKS = 4


def show_plan(plan, room: float | None, min_age: int | None = None) -> None:
    """The joint fieldwork plan: groups, channel mix and a printable weekly plan."""
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
    groups = plan_tables.groups_table(plan, min_age)
    # eight columns: a table on a screen, one card per group on a phone
    stacked_table(groups)
    st.caption("\n".join(f"- **{name}**: {text}" for name, text in plan_tables.GROUP_HELP.items()))
    realistic = plan_tables.realistic(plan, room)
    channels = plan_tables.channel_table(plan)
    if not channels.empty and realistic:
        st.subheader("Welke kanalen")
        st.table(profile_charts.plain_table(channels))
        st.caption("\n".join(f"- **{name}**: {text}" for name, text in plan_tables.CHANNEL_HELP.items())
                   + "\n- Een kanaal met 0 voorgesteld is niet nodig om het plan te halen; het mag "
                     "natuurlijk wel.")
    st.subheader("Weekplan om te printen")
    weeks = st.number_input("Aantal weken", min_value=1, max_value=12, value=DEFAULT_WEEKS, step=1,
                            help="Over hoeveel weken wilt u het plan verdelen?")
    table = plan_tables.weeks_table(plan, int(weeks), channels=realistic, min_age=min_age)
    st.dataframe(table, hide_index=True, width="stretch")
    st.caption(f"Het plan verdeeld over {int(weeks)} weken, de grotere aantallen eerst. Een rij "
               "'Groep' = zoveel mensen uit die groep spreken in die week; een rij 'Kanaal' = "
               "zoveel gesprekken via dat kanaal. 'Totaal' = het hele plan voor die rij.")
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
    with st.spinner("Advies opstellen…"):
        result = analysis.analysed(resp, ref, project.targets, project.profile_names,
                                   project.settings.get("kompas_items"),
                                   state.statement_texts(project), state.store().effort(project.id))
    room = (ref.eligible_population - result.coverage.respondents) if ref.eligible_population else None
    show_plan(result.plan, room, ref.min_age)
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
            st.markdown(f"**{plain(age_words(item.headline(), ref.min_age))}**")
            st.markdown(plain_lines(age_words(item.advice, ref.min_age)))
            if item.activities:
                st.markdown("\n".join(f"- {plain(a)}" for a in item.activities))
            if item.best_channel_text:
                st.caption(plain(age_words(item.best_channel_text, ref.min_age)))
            if item.channels_so_far:
                st.caption(plain(age_words(item.channels_so_far, ref.min_age)))
            if item.source:
                st.caption(f"Bron van dit advies: {plain(item.source)}")


run_page(body)
