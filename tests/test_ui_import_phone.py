"""Importeren on a phone (walk-through #11, #19): the role of a column can be checked at
390 px (Rol is the first column, not off-screen after Vraag and Soort), the imported files
are one card per file (every column named, none hidden sideways), and 'Herkend als' is a
line of text that wraps instead of a metric cut to 'Papieren formulier …'."""
from __future__ import annotations

import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests import builders
from ui.import_parts import ROL_PX

APP = Path(__file__).resolve().parents[1] / "app.py"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _page(tmp_path, monkeypatch) -> AppTest:
    monkeypatch.setenv("BEREIKWIJZER_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("BEREIKWIJZER_DATABASE_URL", raising=False)
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    at.switch_page("ui/pages/importeren.py").run()
    assert not at.exception
    return at


def test_roles_come_first_and_fit_a_phone(tmp_path, monkeypatch) -> None:
    at = _page(tmp_path, monkeypatch)
    paper = builders.paper_form_xlsx(builders.wijk_answers(n=12, seed=7), seed=7)
    at.file_uploader[0].upload("papier.xlsx", paper, XLSX).run()
    assert not at.exception and not at.error
    editor = next(d.proto for d in at.dataframe if "Rol" in json.loads(d.proto.columns))
    assert list(editor.column_order)[0] == "Rol"
    config = json.loads(editor.columns)
    assert config["Rol"]["width"] == ROL_PX and ROL_PX <= 200  # half of a 390 px screen
    assert not config["Rol"].get("disabled") and config["Kolom"]["disabled"]
    # the tool's name reads in full, as text (a metric's value never wraps)
    assert any("Herkend als: **Papieren formulier (overgetypt)**" in m.value for m in at.markdown)
    assert not any(m.label == "Herkend als" for m in at.metric)


def test_imported_files_are_a_stacked_table(tmp_path, monkeypatch) -> None:
    at = _page(tmp_path, monkeypatch)
    html = [e.proto.body for e in at.get("html") if 'class="bw-stacked"' in e.proto.body]
    files = next(body for body in html if "Geïmporteerd op" in body)
    # every cell says its column on a phone card (data-label), the file names the card
    for column in ("Kanaal", "Antwoorden bewaard", "Al eerder gezien", "Geïmporteerd op"):
        assert f'data-label="{column}"' in files
    assert '<th scope="row">' in files
    table = next(t for t in builders.stacked_tables(at) if "Geïmporteerd op" in t.columns)
    assert list(table.columns)[:3] == ["Bestand", "Herkend als", "Kanaal"] and len(table) >= 1
