"""Aanbevelingen: for each group we have not heard enough, how to reach them."""
from __future__ import annotations

import streamlit as st

from ui import analysis
from ui.widgets import plain, plain_lines, project_data, run_page

FLAG_BADGES = {"unreached": ":red-badge[Nog niemand gesproken]", "under": ":orange-badge[Te weinig gesproken]",
               "rare": ":orange-badge[Weinig gesproken profiel]"}


def body() -> None:
    st.title("Aanbevelingen")
    st.write("Voor elke groep die u nog niet of te weinig sprak: hoeveel mensen er nog bij moeten, "
             "en waar en hoe u deze groep meestal bereikt.")
    data = project_data()
    if data is None:
        return
    project, resp = data.project, data.respondents
    with st.spinner("Advies opstellen…"):
        advice = analysis.analysed(resp, data.reference, project.targets, project.profile_names,
                                   project.settings.get("kompas_items")).advice
    if not advice:
        st.success("U heeft alle groepen in de buurt goed gesproken. Houd dit vast in de volgende "
                   "weken.", icon=":material/check_circle:")
        return
    st.caption(f"{len(advice)} groepen om extra aandacht aan te geven, de belangrijkste eerst. "
               "'Spreek nog …' = hoeveel mensen van die groep er bij het huidige aantal gesprekken "
               "nog bij moeten om in lijn te komen met de buurt (zie de pagina Bereik).")
    for item in advice:
        with st.container(border=True):
            st.markdown(f"#### {plain(item.label)}")  # a profile name the team typed
            st.markdown(FLAG_BADGES.get(item.flag, FLAG_BADGES["under"]))
            st.markdown(f"**{plain(item.headline())}**")
            st.markdown(plain_lines(item.advice))
            if item.activities:
                st.markdown("\n".join(f"- {plain(a)}" for a in item.activities))
            if item.channels_so_far:
                st.caption(plain(item.channels_so_far))
            if item.source:
                st.caption(f"Bron van dit advies: {plain(item.source)}")


run_page(body)
