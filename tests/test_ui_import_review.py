"""AppTest of what the officer checks after choosing files: the statements of a second
tool are laid next to the first file's statements (and can be corrected), and the rows
that do not count are listed with file and row and can be counted after all."""
from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[1] / "app.py"
AGREE = ["Helemaal mee oneens", "Mee oneens", "Neutraal", "Mee eens", "Helemaal mee eens"]
STATEMENTS = ["Ik voel me thuis in de buurt", "Ik vertrouw de gemeente",
              "Ik doe mee aan activiteiten in de buurt"]


def _csv(frame: pd.DataFrame) -> bytes:
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, sep=";")
    return buffer.getvalue().encode("utf-8")


def _forms(n: int = 12) -> bytes:
    """A Forms-like export; rows 3 and 4 say they do not live in the buurt."""
    data = {"Id": list(range(1, n + 1)), "Wat is uw leeftijd?": [25 + i for i in range(n)],
            "Woont u in deze buurt?": ["Ja"] * n}
    data["Woont u in deze buurt?"][1] = "Nee, ik werk hier"
    data["Woont u in deze buurt?"][2] = "Nee"
    for s, text in enumerate(STATEMENTS):
        data[f"Stellingen.{text}"] = [AGREE[(i + s) % 5] for i in range(n)]
    return _csv(pd.DataFrame(data))


def _google(n: int = 8) -> bytes:
    """The same statements from Google Forms, worded with the tool's matrix notation."""
    data = {"Tijdstempel": [f"2026/10/{d + 1:02d} 10:00:00" for d in range(n)]}
    for s, text in enumerate(STATEMENTS):
        data[f"Stellingen [{text}]"] = [AGREE[(i * 2 + s) % 5] for i in range(n)]
    return _csv(pd.DataFrame(data))


@pytest.fixture()
def at(tmp_path, monkeypatch) -> AppTest:
    monkeypatch.setenv("BEREIKWIJZER_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("BEREIKWIJZER_DATABASE_URL", raising=False)
    app = AppTest.from_file(str(APP), default_timeout=120).run()
    app.switch_page("ui/pages/importeren.py").run()
    assert not app.exception
    return app


def _import(app: AppTest) -> None:
    next(b for b in app.button if b.label.startswith("Importeer")).click().run()
    assert not app.exception, app.exception


def test_excluded_rows_are_listed_and_can_count_after_all(at: AppTest) -> None:
    at.file_uploader[0].upload("forms.csv", _forms(), "text/csv").run()
    _import(at)
    assert any("2 woont niet in de buurt" in c.value for c in at.caption), [c.value for c in at.caption]
    review = next(t.value for t in at.dataframe if "Toch meetellen" in getattr(t.value, "columns", []))
    assert list(review["Rij"]) == [3, 4] and set(review["Bestand"]) == {"forms.csv"}
    assert set(review["Reden"]) == {"woont niet in de buurt"}


def test_a_second_tool_lines_up_with_the_first(at: AppTest) -> None:
    at.file_uploader[0].upload("forms.csv", _forms(), "text/csv").run()
    _import(at)
    at.file_uploader[0].upload("google.csv", _google(), "text/csv").run()
    assert not at.exception
    assert any("Dezelfde stellingen als eerder" in m.value and "3 van 3" in m.value
               for m in at.markdown), [m.value for m in at.markdown]
    _import(at)
    from ui import state

    project = state.current_project()
    stored = state.respondents(project)  # the demo project, with its own statements
    ours = stored[stored["source"].str.split("#").str[0].isin(["forms.csv", "google.csv"])]
    items = [c for c in ours.columns if c.startswith("item:") and ours[c].notna().any()]
    assert len(items) == 3, items
    assert all(ours[c].notna().sum() == 12 + 8 for c in items)


def test_the_override_counts_a_row_after_all(at: AppTest) -> None:
    at.file_uploader[0].upload("forms.csv", _forms(), "text/csv").run()
    _import(at)
    from ui import state

    project = state.current_project()
    rows = state.excluded_rows(project)
    import_id = int(rows.loc[rows["Rij"] == 3, "import_id"].iloc[0])
    assert state.count_anyway(project, import_id, [3]) == 1
    assert list(state.excluded_rows(project)["Rij"]) == [4]
    stored = state.respondents(project)
    row3 = stored[(stored["source"].str.startswith("forms.csv")) & (stored["source_row"] == 3)]
    assert row3["excluded"].fillna("").tolist() == [""]
