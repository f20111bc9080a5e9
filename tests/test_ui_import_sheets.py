"""AppTest of the sheet picker on Importeren: a workbook with two answer sheets opens on the
detected sheet, and picking the other sheet re-reads the file from that sheet."""
from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests import builders


def _imports(at: AppTest) -> int:
    """Rows of the Geïmporteerde bestanden table (a stacked table: cards on a phone)."""
    tables = [t for t in builders.stacked_tables(at) if "Geïmporteerd op" in t.columns]
    return len(tables[-1]) if tables else 0

APP = Path(__file__).resolve().parents[1] / "app.py"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _two_sheets() -> bytes:
    """'Week 1' with 8 answers and 'Week 2' with 13 (Google Forms layout on both)."""
    return builders._xlsx({
        "Week 1": builders._google_rows(builders.wijk_answers(n=8, seed=1), "nl", 0, False),
        "Week 2": builders._google_rows(builders.wijk_answers(n=13, seed=2), "nl", 0, False)})


def _answers(at: AppTest) -> str:
    return next(m.value for m in at.metric if m.label == "Antwoorden")


def test_pick_another_sheet(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("BEREIKWIJZER_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("BEREIKWIJZER_DATABASE_URL", raising=False)
    at = AppTest.from_file(str(APP), default_timeout=90).run()
    at.switch_page("ui/pages/importeren.py").run()
    at.file_uploader[0].upload("twee_weken.xlsx", _two_sheets(), XLSX).run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    picker = next(s for s in at.selectbox if s.label == "Werkblad")
    assert picker.options == ["Week 1", "Week 2"]
    detected = picker.value
    assert _answers(at) == ("8" if detected == "Week 1" else "13")
    other = "Week 2" if detected == "Week 1" else "Week 1"
    picker.set_value(other).run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert _answers(at) == ("13" if other == "Week 2" else "8")
    assert any(f"werkblad **{other}**" in c.value for c in at.caption)

    before = _imports(at)
    next(b for b in at.button if b.label.startswith("Importeer")).click().run()
    assert not at.exception
    expected = "13" if other == "Week 2" else "8"
    assert any(f"{expected} nieuwe antwoorden" in s.value for s in at.success)
    assert _imports(at) == before + 1


def test_a_one_sheet_file_has_no_picker(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("BEREIKWIJZER_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("BEREIKWIJZER_DATABASE_URL", raising=False)
    at = AppTest.from_file(str(APP), default_timeout=90).run()
    at.switch_page("ui/pages/importeren.py").run()
    data = builders.ms_forms_xlsx(builders.wijk_answers(n=10, seed=3))
    at.file_uploader[0].upload("een_blad.xlsx", data, XLSX).run()
    assert not at.exception
    assert not any(s.label == "Werkblad" for s in at.selectbox)
