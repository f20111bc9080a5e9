"""Project: choose, create, rename or delete a project; pick the buurt, year, min age, targets."""
from __future__ import annotations

import streamlit as st

from ui import state
from ui.project_parts import CREATED_KEY, manage_projects, privacy_section, reference_section, targets_section
from ui.widgets import fictional_banner, plain, run_page


def body() -> None:
    st.title("Project")
    project = state.current_project()
    created = st.session_state.pop(CREATED_KEY, None)
    if created is not None:
        st.success(f"Het project **{plain(created)}** is aangemaakt en staat nu open. Kies hieronder "
                   "bij **Buurt en bevolking** de buurt; daarna voegt u op de pagina **Importeren** "
                   "de exports toe.", icon=":material/check_circle:")
    if project is not None:
        fictional_banner(project.is_demo)
        st.markdown(f"Open project: **{plain(project.name)}**")
    manage_projects(project)
    if project is None:
        return
    reference_section(project)
    targets_section(project)
    privacy_section(project)


run_page(body)
