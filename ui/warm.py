"""Background work at server start, so that no page waits for an import or a first fit.

When the server starts (app.py's st.App lifespan), one thread imports what the first
page (Bereik, the default) needs: pandas, SQLAlchemy and our own modules (over a second
of CPU on the 2-core machine of issue #16). The browser loads Streamlit's
JavaScript meanwhile, so the first script run finds them imported. Without login it also
computes what Bereik shows first for the project it opens (installing the demo on a
fresh store, as the first visit would). Once the first page has been served, the same
thread imports what the other pages need (scikit-learn, the reports), after a pause that
leaves the CPU to the browser drawing that first page, and computes that project's kompas
profiles, weekly progress and report summary, so a first visit of Profielen, Voortgang or
Rapport only draws.

No streamlit here: the lifespan imports this module before any page runs. A failed
import only costs speed, so it is noted in one line and skipped (the page that needs the
module reports a real error itself); a server that is stopping ends the warm-up.
"""
from __future__ import annotations

import gc
import importlib
import logging
import sys
import threading
import time

# What the first page imports (ui.state and ui.sidebar pull in pandas, the store with
# SQLAlchemy). Bereik, Profielen and Voortgang draw Vega-Lite specs written as plain dicts:
# no Altair on the server, no Plotly bundle in the browser (Streamlit imports plotly's
# package itself; plotly.io is the Buurten map's import). The planner's channel mix
# (scipy.optimize) is computed only when a page asks for it (Aanbevelingen, Voortgang,
# Rapport): an other page's import.
FIRST_PAGE = ("pandas", "ui.sidebar", "ui.widgets", "ui.coverage_parts", "engagement.coverage",
              "engagement.cells", "engagement.planner", "ui.charts_vega")
# What the other pages import: Profielen's first (its fit is the slowest first visit).
PROFILES_PAGE = ("engagement.pipeline", "profiles.fit", "profiles.items", "ui.profile_charts",
                 "ui.charts_vega_profiles")
OTHER_PAGES = ("scipy.optimize", "engagement.progress", "ui.charts_vega_progress", "engagement.outreach",
               "reports.report", "reports.html", "reports.xlsx", "reports.privacy", "ui.plan_tables",
               "ui.progress_privacy", "ui.importing", "ui.channel_panel", "ui.themes_cache", "ui.areas_cache",
               "engagement.themes", "engagement.areas", "engagement.channels", "plotly.io")
# Seconds between the end of the first page's run and importing the other pages' modules: the browser
# (on the same machine with `make run`) still draws the page's charts then.
OTHER_DELAY_S = 1.5
# Without a first page (nobody opened the dashboard yet) the other pages are imported anyway.
FIRST_PAGE_WAIT_S = 60.0

_first_page_served = threading.Event()
_lock = threading.Lock()
_thread: threading.Thread | None = None
_primed: list[tuple] = []  # (project, respondents, reference) read at server start
log = logging.getLogger("bereikwijzer.ui")


def import_modules(names: tuple[str, ...]) -> None:
    """Import each module; a failure is noted in one line, never raised."""
    for name in names:
        if sys.is_finalizing():
            return
        try:
            importlib.import_module(name)
        except Exception as error:
            log.warning("Vooraf laden van %s overgeslagen (%s)", name, type(error).__name__)


def prime_first_page() -> None:
    """Without login: what the first page computes for the project it opens (the demo on a
    fresh store), into the shared caches (ui.state.first_project_at_start, then
    ui.coverage_parts.prime)."""
    try:
        from ui import state
        from ui.coverage_parts import prime

        found = state.first_project_at_start()
        if found is None:
            return
        project, respondents = found
        reference = state.reference(project)
        if not respondents.empty:
            _primed.append((project, respondents, reference))
        if not respondents.empty and reference is not None:
            prime(respondents, reference, project.targets)
    except Exception:  # the page computes (and reports) it again when it is opened
        log.warning("Vooraf berekenen van de eerste pagina overgeslagen", exc_info=True)


def prime_other_pages() -> None:
    """After the first page, for the project prime_first_page read: the kompas profiles of
    Profielen (fitting them takes about a second), then the weekly progress of Voortgang
    and the report summary of Rapport."""
    _prime_profiles()
    _prime_progress_and_report()


def _prime_profiles() -> None:
    try:
        from ui import profile_parts

        for project, respondents, reference in _primed:
            profile_parts.prime(project, respondents, reference)
    except Exception:  # the page fits (and reports) it again when it is opened
        log.warning("Vooraf berekenen van de profielen overgeslagen", exc_info=True)


def _prime_progress_and_report() -> None:
    try:
        from ui import analysis

        for project, respondents, reference in _primed:
            if reference is not None:
                analysis.cumulative(respondents, reference, project.targets)
                _prime_report(project, respondents, reference)
    except Exception:  # the page computes (and reports) it again when it is opened
        log.warning("Vooraf berekenen van voortgang en rapport overgeslagen", exc_info=True)


def _prime_report(project, respondents, reference) -> None:
    """The Rapport page's analysis and summary, with the arguments that page passes in a
    new session (ui/pages/rapport.py: no Buurten results yet); the files themselves are
    only built when someone downloads them."""
    from ui import analysis, state

    analysis.report_preview(project.name, project.targets, respondents, reference, project.profile_names,
                            project.settings.get("kompas_items"), state.statement_texts(project),
                            project.settings.get("themes_yaml") or "", None, state.store().effort(project.id))


def _skip_repl_check() -> None:
    """Streamlit checks once per process, at the first element it sends, whether it runs in a
    REPL (inspect.stack(), which looks up the module of every frame among all loaded
    modules: 0.1–0.4 s with the dashboard's modules loaded). Done here first, with few
    modules loaded, so no page pays it (under `streamlit run` it prints nothing)."""
    try:
        from streamlit import delta_generator

        delta_generator._maybe_print_use_warning()
    except Exception as error:  # a private helper of Streamlit: only speed is at stake
        log.info("Streamlit-controle niet vooraf gedaan (%s)", type(error).__name__)


def _freeze() -> None:
    """Move every object alive now (modules, classes, the primed caches) out of the garbage
    collector's reach: Streamlit runs a full collection after every script run, which
    otherwise walks these objects each time (about 160,000 after the first page's imports,
    220,000 after all: 0.1 s idle, 0.3 s on a busy machine, per run)."""
    gc.freeze()


def _run(first_page: bool) -> None:
    if first_page:
        _skip_repl_check()
        import_modules(FIRST_PAGE)
        if not sys.is_finalizing():
            prime_first_page()
        _freeze()
    _first_page_served.wait(FIRST_PAGE_WAIT_S)
    time.sleep(OTHER_DELAY_S)
    import_modules(PROFILES_PAGE)
    if first_page:  # a server process (not a test process running AppTest)
        _prime_profiles()
    import_modules(OTHER_PAGES)
    if first_page:
        _prime_progress_and_report()
        _freeze()


def _start(first_page: bool) -> None:
    global _thread
    with _lock:
        if _thread is None:
            _thread = threading.Thread(target=_run, args=(first_page,), name="bereikwijzer-warm-up",
                                       daemon=True)
            _thread.start()


def at_server_start() -> None:
    """Start the warm-up: the first page's modules and results now, the others' modules
    after the first page."""
    _start(first_page=True)


def first_page_served() -> None:
    """A page run has ended: the other pages' modules may load (once per process; also
    without a server start hook, as in AppTest, where only the other pages' modules are
    imported)."""
    _first_page_served.set()
    _start(first_page=False)
