"""AppTest: Voortgang's "Welk kanaal bereikt wie?" on the demo — log effort, see per hour."""
from __future__ import annotations

from pathlib import Path

from builders import stacked_tables
from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[1] / "app.py"


def test_effort_form_and_channel_table_on_the_demo(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("BEREIKWIJZER_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("BEREIKWIJZER_DATABASE_URL", raising=False)
    at = AppTest.from_file(str(APP), default_timeout=90).run()
    at.switch_page("ui/pages/voortgang.py").run()
    assert not at.exception, at.exception
    assert "Welk kanaal bereikt wie?" in [h.value for h in at.subheader]
    table = next(t for t in stacked_tables(at) if t.columns[0] == "Kanaal").set_index("Kanaal")
    assert len(table) >= 2 and "per uur" not in table.to_string()
    # log 4 hours of street talks: the table then says how many per hour
    pid = at.session_state["project_id"]
    at.selectbox(key=f"effort-channel-{pid}").select("straatgesprek")
    at.number_input(key=f"effort-hours-{pid}").set_value(4)
    at.button[[b.label for b in at.button].index("Inzet opslaan")].click().run()
    assert not at.exception, at.exception
    assert any(s.value == "Opgeslagen." for s in at.success)
    table = next(t for t in stacked_tables(at) if t.columns[0] == "Kanaal").set_index("Kanaal")
    assert "per uur" in table.loc["Straatgesprek"].to_string()
    assert "per uur" not in table.loc["Online"].to_string()
