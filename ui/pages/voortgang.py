"""Voortgang: how coverage grew week by week and per channel, and when targets were reached."""
from __future__ import annotations

import streamlit as st

from ui import analysis, state
from ui.widgets import fictional_banner, no_data_yet, not_available, run_page


def body() -> None:
    st.title("Voortgang")
    project = state.current_project()
    if project is None:
        not_available("Het opslaan van projecten")
        return
    fictional_banner(project.is_demo)
    resp = state.respondents(project)
    ref = state.reference(project)
    if resp is None or resp.empty:
        no_data_yet(project.name)
        return
    if ref is None:
        st.info("Kies eerst de buurt op de pagina **Project**.", icon="🗺️")
        return
    progress = analysis.cumulative(resp, ref)
    if progress is None:
        not_available("De voortgang per week")
        return
    st.dataframe(progress)


run_page(body)
