"""The sidebar every page shares: who is logged in, which project is open, a quick switch."""
from __future__ import annotations

import logging

import streamlit as st

from ui import auth, state

log = logging.getLogger("bereikwijzer.ui")


def project_sidebar(identity: auth.Identity = auth.LOCAL) -> None:
    """Show the user, the open project and let the user switch; never raise."""
    with st.sidebar:
        try:
            auth.account_sidebar(identity)
        except Exception:
            log.exception("Fout bij het tonen van de gebruiker")
        try:
            _body()
        except Exception:  # the sidebar must never break a page
            log.exception("Fout in de zijbalk")
            st.warning("De projectenlijst kon niet worden geladen.")
        st.caption("Bron bevolkingscijfers: CBS, CC BY 4.0")


def _body() -> None:
    projects = state.list_projects()
    if not projects:
        st.caption("Nog geen project. Maak er een aan op de pagina Project.")
        return
    current = state.current_project(projects)
    ids = [p.id for p in projects]
    names = {p.id: p.name for p in projects}
    index = ids.index(current.id) if current is not None and current.id in ids else 0
    chosen = st.selectbox("Open project", ids, index=index, format_func=lambda i: names[i],
                          help="Alle pagina's tonen de gegevens van dit project.")
    if current is None or chosen != current.id:
        state.set_current(chosen)
        current = state.current_project()
    if current is not None and current.is_demo:
        st.warning("Voorbeeldproject met **fictieve** gegevens.", icon=":material/science:")
