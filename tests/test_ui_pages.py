"""AppTest: every page of the dashboard runs without an exception and shows its Dutch texts."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[1] / "app.py"

PAGES = {
    "ui/pages/project.py": "Project",
    "ui/pages/importeren.py": "Importeren",
    "ui/pages/bereik.py": "Bereik",
    "ui/pages/profielen.py": "Profielen",
    "ui/pages/voortgang.py": "Voortgang",
    "ui/pages/buurten.py": "Buurten",
    "ui/pages/themas.py": "Thema's",
    "ui/pages/aanbevelingen.py": "Aanbevelingen",
    "ui/pages/rapport.py": "Rapport",
    "ui/pages/over.py": "Over Bereikwijzer en privacy",
}


@pytest.fixture()
def data_dir(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("BEREIKWIJZER_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("BEREIKWIJZER_DATABASE_URL", raising=False)
    return tmp_path


def _texts(at: AppTest) -> str:
    parts = [e.value for e in at.title] + [e.value for e in at.markdown] + [e.value for e in at.caption]
    parts += [e.value for e in at.info] + [e.value for e in at.warning] + [e.value for e in at.header]
    return "\n".join(str(p) for p in parts)


@pytest.mark.parametrize("page,title", PAGES.items())
def test_page_runs_on_fresh_install(data_dir, page, title) -> None:
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not at.exception
    at.switch_page(page).run()
    assert not at.exception, at.exception
    assert at.title[0].value == title
    assert not at.error, [e.value for e in at.error]


def test_demo_bereik_shows_the_gap(data_dir) -> None:
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not at.exception
    text = _texts(at)
    assert at.title[0].value == "Bereik"  # the default page
    assert "fictief voorbeeldproject" in text
    assert "duidelijk ondervertegenwoordigd" in text
    assert "Jongeren van 18 tot 25 jaar" in text  # the demo counts people of 18 and older
    # Vega-Lite (Altair), not Plotly: the browser draws the first page without Plotly's bundle
    assert not at.get("plotly_chart")
    charts = at.get("vega_lite_chart")
    assert len(charts) >= 2  # coverage per dimension + two-way cells
    specs = [c.proto.spec for c in charts]
    assert "grijze balk = in de buurt (CBS)" in specs[0] and "Leeftijd" in specs[0]
    assert any(m.label == "Gesproken" and m.value == "300" for m in at.metric)


def test_project_create_rename_delete(data_dir) -> None:
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    at.switch_page("ui/pages/project.py").run()
    at.text_input(key="new_project_name").input("Wijkaanpak Transvaal")
    next(b for b in at.button if b.label == "Project aanmaken").click().run()
    assert not at.exception
    assert "Open project: **Wijkaanpak Transvaal**" in _texts(at)
    for page in ("ui/pages/bereik.py", "ui/pages/profielen.py", "ui/pages/voortgang.py",
                 "ui/pages/aanbevelingen.py", "ui/pages/rapport.py"):
        at.switch_page(page).run()
        assert not at.exception and not at.error
        assert "nog geen antwoorden" in _texts(at)
    at.switch_page("ui/pages/project.py").run()
    at.text_input(key="rename_name").input("Transvaal 2026")
    next(b for b in at.button if b.label == "Naam opslaan").click().run()
    assert "Open project: **Transvaal 2026**" in _texts(at)
    delete = next(b for b in at.button if b.label == "Project verwijderen")
    assert delete.disabled  # needs the confirmation first
    at.checkbox(key="confirm_delete").check().run()
    next(b for b in at.button if b.label == "Project verwijderen").click().run()
    assert not at.exception
    assert "Voorbeeldwijk (fictief)" in _texts(at)  # back on the remaining demo project


def test_project_buurt_from_kwb_file(data_dir, cbs_dir) -> None:
    """Search a real KWB Excel file for a buurt and use it as the project's reference."""
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    at.switch_page("ui/pages/project.py").run()
    at.text_input(key="new_project_name").input("Utrecht test")
    next(b for b in at.button if b.label == "Project aanmaken").click().run()
    data = (cbs_dir / "kwb2023_utrecht_GM0344.xlsx").read_bytes()
    at.file_uploader(key="kwb_upload").upload("kwb-2023.xlsx", data,
                                              "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet").run()
    at.text_input(key="area_query").input("Welgelegen").run()
    assert not at.exception
    chooser = at.multiselect(key="area_choice")
    assert "BU03440111" in chooser.options[0] or "BU03440111" in [str(o) for o in chooser.options]
    chooser.select("BU03440111").run()
    next(b for b in at.button if b.label == "Gebruik deze gebieden").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert "Welgelegen" in _texts(at) and "1.810" in _texts(at)
