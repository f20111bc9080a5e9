"""Importeren: upload exports, see what was detected, confirm roles and channel, import."""
from __future__ import annotations

import streamlit as st

from ui import state
from ui.import_parts import (
    TYPES,
    UPLOAD_ROUND,
    chosen_files,
    import_all,
    show_excluded,
    show_imports,
    show_results,
)
from ui.widgets import fictional_banner, no_project, plain, run_page


def body() -> None:
    st.title("Importeren")
    st.write("Upload de exports van uw enquêtes (Microsoft Forms, Google Forms, Qualtrics, "
             "SurveyMonkey, KoboToolbox, LimeSurvey, SPSS, Excel) en uw gesprekkenlijsten. "
             "U kunt meerdere bestanden tegelijk kiezen.")
    project = state.current_project()
    if project is None:
        no_project()
        return
    fictional_banner(project.is_demo)
    show_results()
    files = st.file_uploader("Kies een of meer bestanden", type=TYPES, accept_multiple_files=True,
                             key=f"uploads_{st.session_state.get(UPLOAD_ROUND, 0)}",
                             help="Excel, CSV of SPSS, maximaal 50 MB per bestand. Persoonsgegevens "
                                  "zoals namen en e-mailadressen worden er bij het inlezen uit gehaald.")
    chosen = chosen_files(project, files) if files else []
    files_text = "1 bestand" if len(chosen) == 1 else f"{len(chosen)} bestanden"
    if chosen and st.button(f"Importeer {files_text} in '{plain(project.name)}'", type="primary"):
        import_all(project, chosen)
    imports = show_imports(project)
    show_excluded(project, imports)


run_page(body)
