"""AppTest: a file with many variables (a Burgerpeiling has about 180) opens the role
editor on the columns that are used, with their question texts; the officer can show all,
filter by role or search, and the suggested roles are kept whatever the view."""
from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[1] / "app.py"
AGREE = ["Helemaal oneens", "Oneens", "Neutraal", "Eens", "Helemaal eens"]


def _wide_csv(n_rows: int = 40, n_other: int = 60) -> bytes:
    """A survey with an id, an age, five statements and many unrelated numeric variables."""
    data: dict[str, list] = {"Respondentnummer": list(range(1, n_rows + 1)),
                             "Wat is uw leeftijd?": [20 + (i * 7) % 60 for i in range(n_rows)]}
    for s in range(1, 6):
        data[f"Stelling {s}: ik voel me betrokken bij onderwerp {s}"] = [
            AGREE[(i + s) % 5] for i in range(n_rows)]
    for v in range(n_other):
        data[f"v{v:03d}"] = [(i * (v + 3)) % 97 + 0.5 for i in range(n_rows)]
    buffer = io.StringIO()
    pd.DataFrame(data).to_csv(buffer, index=False, sep=";")
    return buffer.getvalue().encode("utf-8")


@pytest.fixture()
def at(tmp_path, monkeypatch) -> AppTest:
    monkeypatch.setenv("BEREIKWIJZER_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("BEREIKWIJZER_DATABASE_URL", raising=False)
    app = AppTest.from_file(str(APP), default_timeout=90).run()
    app.switch_page("ui/pages/importeren.py").run()
    app.file_uploader[0].upload("breed.csv", _wide_csv(), "text/csv").run()
    assert not app.exception
    return app


def _editor(app: AppTest) -> pd.DataFrame:
    tables = [t.value for t in app.dataframe if "Rol" in getattr(t.value, "columns", [])]
    assert tables, "no role editor on the page"
    return tables[-1]


def test_many_columns_start_with_the_used_ones(at: AppTest) -> None:
    table = _editor(at)
    assert len(table) < 20, "the editor must not list all 67 columns at first"
    assert "Respondentnummer" in set(table["Kolom"])
    assert any("voel me betrokken" in str(t) for t in table["Kolom"].tolist() + table["Vraag"].tolist())
    assert not any(str(c).startswith("v0") for c in table["Kolom"])
    assert any("van 67 kolommen" in c.value for c in at.caption)


def test_show_all_and_search(at: AppTest) -> None:
    view = next(s for s in at.selectbox if s.label == "Toon")
    view.set_value("Alle kolommen").run()
    assert len(_editor(at)) == 67
    search = next(t for t in at.text_input if t.label.startswith("Zoek"))
    search.input("leeftijd").run()
    table = _editor(at)
    assert list(table["Kolom"]) == ["Wat is uw leeftijd?"]
    assert table["Rol"].iloc[0] == "Leeftijd"
