"""Profielen: which kinds of residents (by their answers, not demographics) did we meet?"""
from __future__ import annotations

import streamlit as st

from ui import typology_panel
from ui.profile_parts import show_profiles
from ui.widgets import project_data, run_page


def body() -> None:
    st.title("Profielen")
    data = project_data(need_reference=False)
    if data is None:
        return
    show_profiles(data)
    typology_panel.show_for_project(data.project)  # the Burgerpeiling's own typology, when imported


run_page(body)
