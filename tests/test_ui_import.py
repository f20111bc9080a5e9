"""AppTest of the Importeren page: a real MS Forms upload grows the import list; a bad file
shows the Dutch import error without a traceback and keeps the earlier imports."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests import builders

APP = Path(__file__).resolve().parents[1] / "app.py"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture()
def app(tmp_path, monkeypatch) -> AppTest:
    monkeypatch.setenv("BEREIKWIJZER_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("BEREIKWIJZER_DATABASE_URL", raising=False)
    at = AppTest.from_file(str(APP), default_timeout=90).run()
    at.switch_page("ui/pages/importeren.py").run()
    assert not at.exception
    return at


def _import_rows(at: AppTest) -> int:
    tables = [t for t in builders.stacked_tables(at) if "Geïmporteerd op" in t.columns]
    return len(tables[-1]) if tables else 0


def test_upload_ms_forms_then_bad_file(app: AppTest) -> None:
    at = app
    before = _import_rows(at)  # the demo project's imports
    data = builders.ms_forms_xlsx(builders.wijk_answers(n=25, seed=3))
    at.file_uploader[0].upload("wijkenquete.xlsx", data, XLSX).run()
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    assert any("Herkend als: **Microsoft Forms**" in m.value for m in at.markdown)
    assert any(m.label == "Antwoorden" and m.value == "25" for m in at.metric)
    assert any("persoonsgegevens" in w.value for w in at.warning)  # e-mail/name columns dropped
    at.selectbox(key=next(k for k in at.session_state if str(k).startswith("channel_"))).set_value("papier").run()
    button = next(b for b in at.button if b.label.startswith("Importeer"))
    button.click().run()
    assert not at.exception
    assert any("25 nieuwe antwoorden" in s.value for s in at.success)
    assert _import_rows(at) == before + 1
    table = next(t for t in builders.stacked_tables(at) if "Geïmporteerd op" in t.columns)
    assert "wijkenquete.xlsx" in set(table["Bestand"]) and "Papier" in set(table["Kanaal"])

    at.file_uploader[0].upload("kapot.xlsx", builders.pdf_bytes(), XLSX).run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert errors and "kapot.xlsx" in errors[0] and "Traceback" not in errors[0]
    assert _import_rows(at) == before + 1  # earlier imports stay


def test_remove_import(app: AppTest) -> None:
    at = app
    before = _import_rows(at)
    at.selectbox(key="remove_import").select_index(1).run()
    next(b for b in at.button if b.label == "Verwijder deze import").click().run()
    assert not at.exception
    assert _import_rows(at) == before - 1
