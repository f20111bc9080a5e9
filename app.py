"""Bereikwijzer dashboard: page config, the login gate, the shared sidebar and navigation.

Everything runs inside main(), and only when Streamlit runs this file as "__main__":
Streamlit makes this script the process's __main__ module, so a child process started by
multiprocessing (the bounded upload parser, surveys.limits.run_bounded) re-reads this file
as "__mp_main__"; there it must only define main(), never draw the app or open the store.

Speed: `streamlit run app.py` finds the st.App below (Streamlit's AST discovery) and serves
it; its lifespan starts ui.warm when the server starts, so the first page's modules (pandas,
SQLAlchemy, SciPy, Plotly, ours) are imported while the browser still loads Streamlit's
JavaScript, and the other pages' modules (scikit-learn, the reports) after the first page.
The App exists only in the module the server imports ("app"), never in a page run
("__main__") or a multiprocessing child ("__mp_main__").
"""
from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path

PAGES = Path(__file__).parent / "ui" / "pages"


def main() -> None:
    import streamlit as st

    from ui.auth import require_identity
    from ui.dutch_labels import dutch_control_names
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
    dutch_control_names()
    navigation.run()
    warm_up()


def warm_up() -> None:
    """A page run has ended: the other pages' modules may now load in the background."""
    from ui import warm

    warm.first_page_served()


@asynccontextmanager
async def lifespan(_app):
    """At server start: begin importing the first page's modules (ui.warm), serve at once."""
    from ui import warm

    warm.at_server_start()
    yield


if __name__ == "app":  # the server's own import of this file (streamlit run app.py)
    import streamlit as st

    app = st.App(Path(__file__), lifespan=lifespan)

if __name__ == "__main__":
    main()
