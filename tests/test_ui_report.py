"""AppTest: the Rapport page builds the report exactly as the CLI does (one pipeline)."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from engagement.pipeline import analyse, fit_participation_profiles
from engagement.themes import counted_themes
from reports.report import build_report_data
from reports.text import page_words
from store.demo import demo_reference
from store.projects import Store

APP = Path(__file__).resolve().parents[1] / "app.py"


@pytest.fixture()
def data_dir(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("BEREIKWIJZER_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("BEREIKWIJZER_DATABASE_URL", raising=False)
    return tmp_path


def test_rapport_summary_is_the_cli_summary(data_dir) -> None:
    at = AppTest.from_file(str(APP), default_timeout=90).run()
    at.switch_page("ui/pages/rapport.py").run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["Download Excel-rapport (.xlsx)", "Download leesbaar rapport (.html)"]

    store = Store(data_dir=str(data_dir))
    project = store.get_project(at.session_state["project_id"])
    resp = store.respondents(project.id)
    # what `bereikwijzer report` passes to write_report, with the project's own kompas questions
    fitted = fit_participation_profiles(resp, "kompas", 0, axes=project.settings["kompas_items"])
    cli = analyse(resp, demo_reference(), profiles=fitted)
    themes = counted_themes(resp, demo_reference().min_age)  # as `bereikwijzer report` adds them
    data = build_report_data(respondents=resp, project_name=project.name, **cli.report_arguments(),
                             themes=themes)
    # the workbook's summary, pointing to 'het deel …' (the HTML report has no sheets)
    expected = page_words("\n\n".join(data.summary))
    assert len(data.summary) >= 2
    assert expected in [m.value for m in at.markdown]
    assert not any("het blad" in m.value or "(blad" in m.value for m in [*at.markdown, *at.caption])


def test_the_buurten_page_result_goes_into_the_report(data_dir, cbs_dir) -> None:
    """What the Buurten page keeps for this project (results, not uploads) becomes the
    report's Buurten part, as `bereikwijzer report` does with --kwb/--geo."""
    from engagement.areas import compute_areas, load_buurten
    from ui import analysis

    store = Store(data_dir=str(data_dir))
    project = store.get_project(store.create_project("Transvaal").id)
    demo = AppTest.from_file(str(APP), default_timeout=90).run()  # installs the demo answers
    resp = Store(data_dir=str(data_dir)).respondents(demo.session_state["project_id"])
    name = "kwb2024_85984NED_odata_first10000rows.csv"
    data = load_buurten((cbs_dir / name).read_bytes(), name, ["WK051830"], 18)
    result = compute_areas(resp, data)
    with_areas = analysis.report_preview(project.name, {}, resp, demo_reference(), {}, areas=(result, None))
    without = analysis.report_preview(project.name, {}, resp, demo_reference(), {})
    assert "Buurten" in with_areas.html() and "Transvaalkwartier-Midden" in with_areas.html()
    assert "Transvaalkwartier-Noord" not in without.html()


def test_logged_effort_ranks_the_reports_channels_per_hour(data_dir) -> None:
    """The Rapport page passes the logged hours on, so the report's advice says "per uur"
    where Aanbevelingen does, and without hours it ranks per contact."""
    from ui import analysis

    demo = AppTest.from_file(str(APP), default_timeout=90).run()  # installs the demo answers
    store = Store(data_dir=str(data_dir))
    project = store.get_project(demo.session_state["project_id"])
    resp = store.respondents(project.id)
    without = analysis.report_preview(project.name, {}, resp, demo_reference(), {})
    for channel in resp["channel"].dropna().unique():
        store.add_effort(project.id, str(channel), resp["responded_at"].dropna().iloc[0], 6.0, 2)
    effort = store.effort(project.id)
    with_effort = analysis.report_preview(project.name, {}, resp, demo_reference(), {}, effort=effort)
    assert "per uur" in with_effort.html() and "per uur" not in without.html()
    # the dashboard's advice with the same effort names the same first channel as the report
    page = analysis.analysed(resp, demo_reference(), {}, {}, effort=effort)
    from engagement.vocabulary import age_words

    firsts = [age_words(a.best_channel_text.split(" (")[0], demo_reference().min_age)
              for a in page.advice if a.best_channel_text]
    assert firsts and all(first in with_effort.html() for first in firsts)
