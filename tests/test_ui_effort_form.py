"""Voortgang's effort form speaks Dutch and starts where the data is (walk-through #18):
channel names, not codes; whole hours, not '2.00'; the week of the latest answer, not today."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

from store.projects import Store
from ui.channel_panel import channel_name, hours_text, last_week

APP = Path(__file__).resolve().parents[1] / "app.py"


def test_week_of_the_latest_answer() -> None:
    resp = pd.DataFrame({"responded_at": pd.to_datetime(["2024-03-05 10:00", "2024-03-14 18:30", None],
                                                        utc=True)})
    assert last_week(resp) == date(2024, 3, 11)  # the Monday of Thursday 14 March 2024
    today = date.today()
    assert last_week(pd.DataFrame({"responded_at": [None, None]})).weekday() == 0
    assert (today - last_week(None)).days == today.weekday()


def test_hours_and_channel_read_as_dutch() -> None:
    assert [hours_text(h) for h in (2.0, 1.5, 0.25, 1000.0)] == ["2", "1,5", "0,25", "1.000"]
    assert channel_name("straatgesprek") == "Straatgesprek" and channel_name("online") == "Online"


def test_form_on_the_demo(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("BEREIKWIJZER_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("BEREIKWIJZER_DATABASE_URL", raising=False)
    at = AppTest.from_file(str(APP), default_timeout=90).run()
    at.switch_page("ui/pages/voortgang.py").run()
    assert not at.exception, at.exception
    pid = at.session_state["project_id"]
    kanaal = at.selectbox(key=f"effort-channel-{pid}")
    assert "Straatgesprek" in kanaal.options and "straatgesprek" not in kanaal.options
    hours = at.number_input(key=f"effort-hours-{pid}")
    assert hours.value == 2 and isinstance(hours.value, int)
    answers = Store(data_dir=str(tmp_path)).respondents(pid)
    expected = last_week(answers)
    assert at.date_input(key=f"effort-day-{pid}").value == expected
    latest = pd.to_datetime(answers["responded_at"], utc=True).max().date()
    assert 0 <= (latest - expected).days < 7  # the week that holds the demo's latest answer
    kanaal.select("huisbezoek")
    hours.set_value(3)
    at.button[[b.label for b in at.button].index("Inzet opslaan")].click().run()
    assert not at.exception, at.exception
    logged = next(d.value for d in at.dataframe if "Uren" in d.value.columns)
    assert list(logged["Kanaal"]) == ["Huisbezoek"] and list(logged["Uren"]) == ["3"]
    assert list(logged["Week van"]) == [expected.strftime("%d-%m-%Y")]
