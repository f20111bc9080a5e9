"""Bereikwijzer dashboard: page config, the login gate, the shared sidebar and navigation.

Everything runs inside main(), and only when Streamlit runs this file as "__main__":
Streamlit makes this script the process's __main__ module, so a child process started by
multiprocessing (the bounded upload parser, surveys.limits.run_bounded) re-reads this file
as "__mp_main__"; there it must only define main(), never draw the app or open the store.

Speed: the first page imports only what it draws (the library modules are imported inside
the functions that use them). Once a page has been drawn, one background thread per server
imports what the other pages need (profiles with scikit-learn, the reports), so the first
visit of Profielen or Rapport does not wait for those imports.
"""
from __future__ import annotations

from pathlib import Path

PAGES = Path(__file__).parent / "ui" / "pages"
# What the other pages import, loaded in the background after the first page (warm_up).
WARM_MODULES = ("engagement.pipeline", "engagement.progress", "engagement.outreach", "profiles.fit",
                "profiles.items", "reports.report", "reports.html", "reports.xlsx", "reports.privacy",
                "ui.profile_charts", "ui.plan_tables", "ui.progress_privacy", "ui.importing", "ui.channel_panel", "ui.themes_cache", "ui.areas_cache",
                "engagement.themes", "engagement.areas", "engagement.channels", "plotly.io")


def main() -> None:
    import streamlit as st

    from ui.auth import require_identity
    from ui.sidebar import project_sidebar
    from ui.widgets import dutch_file_uploader

    st.set_page_config(page_title="Bereikwijzer", page_icon=":material/explore:", layout="wide",
                       menu_items={"About": "Bereikwijzer: welke bewonersgroepen heeft de wijkaanpak "
                                            "nog niet gehoord? Bron bevolkingscijfers: CBS, CC BY 4.0."})
    identity = require_identity()  # login screen or refusal (and st.stop) until allowed
    navigation = st.navigation({
        "Project": [
            st.Page(PAGES / "project.py", title="Project", icon=":material/folder_open:", url_path="project"),
            st.Page(PAGES / "importeren.py", title="Importeren", icon=":material/upload_file:", url_path="importeren"),
        ],
        "Inzicht": [
            st.Page(PAGES / "bereik.py", title="Bereik", icon=":material/groups:", url_path="bereik", default=True),
            st.Page(PAGES / "profielen.py", title="Profielen", icon=":material/explore:", url_path="profielen"),
            st.Page(PAGES / "voortgang.py", title="Voortgang", icon=":material/trending_up:", url_path="voortgang"),
            st.Page(PAGES / "buurten.py", title="Buurten", icon=":material/map:", url_path="buurten"),
            st.Page(PAGES / "themas.py", title="Thema's", icon=":material/forum:", url_path="themas"),
        ],
        "Delen": [
            st.Page(PAGES / "aanbevelingen.py", title="Aanbevelingen", icon=":material/lightbulb:", url_path="aanbevelingen"),
            st.Page(PAGES / "rapport.py", title="Rapport", icon=":material/description:", url_path="rapport"),
            st.Page(PAGES / "over.py", title="Over & privacy", icon=":material/lock:", url_path="over"),
        ],
    })
    project_sidebar(identity)
    dutch_file_uploader()
    navigation.run()
    warm_up()


def warm_up() -> None:
    """Start the background import of the other pages' modules, once per server process."""
    import streamlit as st

    @st.cache_resource(show_spinner=False)
    def _started() -> bool:
        import threading

        threading.Thread(target=_import_all, name="bereikwijzer-warm-up", daemon=True).start()
        return True

    _started()


WARM_DELAY_S = 4.0  # `make run` draws the first page in a browser on the same machine: let it


def _import_all() -> None:
    """Import WARM_MODULES one by one; a failure only costs speed, so it is noted in one line
    and skipped (the page that needs the module reports a real error itself). A server that
    is stopping ends the warm-up: importing then fails on the way out, which is no fault."""
    import importlib
    import logging
    import sys
    import time

    time.sleep(WARM_DELAY_S)
    for name in WARM_MODULES:
        if sys.is_finalizing():
            return
        try:
            importlib.import_module(name)
        except Exception as error:
            logging.getLogger("bereikwijzer.ui").warning("Vooraf laden van %s overgeslagen (%s)", name,
                                                         type(error).__name__)


if __name__ == "__main__":
    main()
