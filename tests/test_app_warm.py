"""Server start: `streamlit run app.py` serves the st.App whose lifespan starts ui.warm, and
the warm-up prepares what the first page shows (only without login)."""
from __future__ import annotations

import importlib.util
import logging
from pathlib import Path

from streamlit.web.server.app_discovery import discover_asgi_app

APP = Path(__file__).resolve().parents[1] / "app.py"


def test_streamlit_run_finds_the_app_with_its_lifespan() -> None:
    found = discover_asgi_app(APP)
    assert found.is_asgi_app and found.import_string == "app:app"


def test_a_page_run_or_child_process_makes_no_server_app() -> None:
    for name in ("__main__", "__mp_main__"):
        spec = importlib.util.spec_from_file_location(name, APP)
        module = importlib.util.module_from_spec(spec)
        if name == "__main__":  # a page run draws; here only the definitions are checked
            source = APP.read_text(encoding="utf-8").replace('if __name__ == "__main__":', "if False:")
            exec(compile(source, str(APP), "exec"), module.__dict__)
        else:
            spec.loader.exec_module(module)
        assert callable(module.main) and callable(module.lifespan)
        assert not hasattr(module, "app"), name


def test_failed_warm_import_is_one_line(caplog) -> None:
    from ui import warm

    with caplog.at_level(logging.WARNING, logger="bereikwijzer.ui"):
        warm.import_modules(("ui.bestaat_niet", "ui.widgets"))
    ours = [r for r in caplog.records if r.name == "bereikwijzer.ui"]
    assert [r.getMessage() for r in ours] == [
        "Vooraf laden van ui.bestaat_niet overgeslagen (ModuleNotFoundError)"]
    assert not any(r.exc_info for r in ours)


def test_server_start_prepares_the_demo_and_its_first_screen(dashboard, monkeypatch) -> None:
    from collections import OrderedDict

    from ui import charts_vega, coverage_parts

    monkeypatch.setattr(charts_vega, "_CHARTS", OrderedDict())  # charts of earlier tests

    found = dashboard.first_project_at_start()
    assert found is not None
    project, respondents = found
    assert project.is_demo and len(respondents) == 300  # the demo, installed on the fresh store
    assert [p.id for p in dashboard.store().list_projects()] == [project.id]
    reference = dashboard.reference(project)
    coverage_parts.prime(respondents, reference, project.targets)
    made = [key[0] for key in charts_vega._CHARTS]
    assert sorted(made) == ["cells", "coverage"]  # the first kenmerk's chart and age × gender
    result, plan = coverage_parts.first_screen(respondents, reference, project.targets)
    first = next(d for d in result.dimensions if d.categories)
    needed = coverage_parts.needed_by_dimension(plan).get(first.dimension)
    assert ("coverage", repr(first), tuple(sorted(needed.items())), 18) in charts_vega._CHARTS  # min_age 18


def test_no_data_is_read_at_start_with_the_stand_in_login(dashboard, monkeypatch) -> None:
    from ui.auth import TEST_LOGIN_ENV, TEST_LOGIN_VALUE

    monkeypatch.setenv(TEST_LOGIN_ENV, TEST_LOGIN_VALUE)
    assert dashboard.first_project_at_start() is None
    assert dashboard.store().list_projects() == []  # no demo installed for nobody


def test_what_other_pages_ask_first_is_primed_after_the_first_page(dashboard, monkeypatch) -> None:
    import engagement.pipeline
    import engagement.progress
    import reports.report
    from ui import analysis, warm

    calls = []
    fit, progress = engagement.pipeline.try_profiles, engagement.progress.progress_result
    monkeypatch.setattr(engagement.pipeline, "try_profiles", lambda *a, **k: calls.append("fit") or fit(*a, **k))
    monkeypatch.setattr(engagement.progress, "progress_result",
                        lambda *a, **k: calls.append("progress") or progress(*a, **k))
    build = reports.report.build_report_data
    monkeypatch.setattr(reports.report, "build_report_data",
                        lambda *a, **k: calls.append("report") or build(*a, **k))
    analysis._profiles.clear()
    analysis._cumulative.clear()
    analysis._report_data.clear()
    project, respondents = dashboard.first_project_at_start()
    reference = dashboard.reference(project)
    monkeypatch.setattr(warm, "_primed", [(project, respondents, reference)])
    warm.prime_other_pages()
    assert sorted(calls) == ["fit", "progress", "report"]
    # what Profielen (the demo's saved kompas questions, its statement texts), Voortgang and
    # Rapport (in a new session) ask
    saved = {k: list(v) for k, v in project.settings["kompas_items"].items()}
    labels = dashboard.statement_texts(project)
    result = analysis.profiles(respondents, "kompas", saved, labels or None)
    weekly = analysis.cumulative(respondents, reference, project.targets)
    report = analysis.report_preview(project.name, project.targets, respondents, reference,
                                     project.profile_names, project.settings.get("kompas_items"), labels,
                                     project.settings.get("themes_yaml") or "", None,
                                     dashboard.store().effort(project.id))
    assert sorted(calls) == ["fit", "progress", "report"]
    assert result is not None and result.cards and not weekly.to_frame().empty and report.summary
