"""AppTest of the Thema's page: the demo, a project with planted themes per group, the
team's own theme file (a bad one gives a Dutch error, a good one is kept with the project)."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from builders import stacked_tables
from streamlit.testing.v1 import AppTest

PAGE = str(Path(__file__).resolve().parents[1] / "ui" / "pages" / "themas.py")
OLD = "Ik voel me vaak eenzaam sinds mijn man er niet meer is."
PLAY = "Er moeten meer speeltuinen komen voor de kinderen."
PARK = "Er is te weinig parkeerplaats in de straat."


@pytest.fixture()
def data_dir(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("BEREIKWIJZER_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("BEREIKWIJZER_DATABASE_URL", raising=False)
    return tmp_path


def _planted_project(data_dir: Path, settings: dict | None = None) -> None:
    """The demo's 300 respondents with planted open answers: 65-plussers talk about being
    lonely and never about playgrounds; everyone else about playgrounds or parking."""
    from store.demo import demo_reference, demo_respondents
    from store.projects import Store

    frame = demo_respondents().reset_index(drop=True)
    old = (frame["age_band"] == "65+").to_numpy()
    other = np.where(np.arange(len(frame)) % 2 == 0, PLAY, PARK)
    frame["text:wens_buurt"] = np.where(old, OLD, other)
    store = Store(data_dir=str(data_dir))
    project = store.create_project("Geplante thema's", settings={"reference": demo_reference().to_dict(),
                                                                **(settings or {})})
    store.add_import(project.id, frame, {"file_name": "wensen.xlsx", "content_hash": "w" * 12,
                                         "tool": "generic", "channel": "online", "fingerprint": "w",
                                         "mapping": {"fingerprint": "w", "roles": {}}, "who": "test"})
    store.close()


def _open(data_dir: Path, project_name: str | None = None) -> AppTest:
    """The page as a user sees it, with `project_name` open (default: the demo)."""
    from store.projects import Store
    from ui.state import PROJECT_KEY

    at = AppTest.from_file(PAGE, default_timeout=120)
    if project_name is not None:
        store = Store(data_dir=str(data_dir))
        at.session_state[PROJECT_KEY] = next(p.id for p in store.list_projects() if p.name == project_name)
        store.close()
    return at.run()


def _texts(at: AppTest) -> str:
    parts = [e.value for e in at.info] + [e.value for e in at.caption] + [e.value for e in at.markdown]
    return "\n".join(str(p) for p in parts)


def demo_ages():
    from store.demo import demo_respondents

    return demo_respondents()["age_band"]


def _main_table(at: AppTest):
    """The theme × group table (indexed by theme, unlike the other tables)."""
    return next(f.set_index("Thema") for f in stacked_tables(at) if "Aantal deelnemers" in set(f["Thema"]))


def test_demo_renders_overview_table_and_dictionary(data_dir) -> None:
    at = _open(data_dir)
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert at.title[0].value == "Thema's"
    assert "fictief voorbeeldproject" in "\n".join(w.value for w in at.warning)
    metrics = {m.label: m.value for m in at.metric}
    assert int(metrics["Deelnemers die iets vertelden"]) >= 10
    overview = stacked_tables(at)[0]
    assert {"Thema", "Noemden dit thema", "Aandeel", "95%-marge"} <= set(overview.columns)
    table = _main_table(at)
    assert list(table.columns)[0] == "18 tot 25 jaar"   # age, youngest first, from the minimum age
    sizes = table.loc["Aantal deelnemers"]
    assert all(v in ("<10", "x") or int(v.replace(".", "")) >= 10 for v in sizes), sizes
    # every other cell is a share, a zero, or the hidden-share mark: never a count below 10,
    # and never '<10' in a share cell (it reads as "under 10 %")
    cells = table.drop(index="Aantal deelnemers").to_numpy().ravel()
    for value in cells:
        assert value in ("–", "") or value.endswith("%"), value
    assert "–" in cells  # the demo has hidden cells
    assert [d.label for d in at.get("download_button")][0] == "Download de woordenlijst (YAML)"
    assert any("Groepen die we over groen nog niet hoorden" in i.value for i in at.info)
    # the kompas profiles of the demo as groups
    at.selectbox(key="themas_dimension").select("profile").run()
    assert not at.exception and not at.error
    assert {"Op afstand", "Meebouwers"} <= set(_main_table(at).columns)


def test_planted_themes_give_findings_quotes_and_shares(data_dir) -> None:
    _planted_project(data_dir)
    at = _open(data_dir, "Geplante thema's")
    assert not at.exception and not at.error, [e.value for e in at.error]
    text = _texts(at)
    assert "Thema's die we (bijna) alleen van 65-plussers horen: Eenzaamheid." in text
    assert "Groepen die we over spelen nog niet hoorden: 65-plussers" in text
    table = _main_table(at)
    old = "65 jaar en ouder"
    assert table.loc["Aantal deelnemers", old] == str((demo_ages() == "65+").sum())
    assert table.loc["Eenzaamheid", old] == "100%"
    assert table.loc["Spelen", old] == "0%"
    quotes = [e for e in at.expander if e.label.startswith("Eenzaamheid")]
    assert quotes and OLD in quotes[0].markdown[0].value
    # another dimension: household
    at.selectbox(key="themas_dimension").select("household").run()
    assert not at.exception
    assert "Huishouden met kinderen" in _main_table(at).columns


def test_bad_yaml_upload_gives_a_dutch_error_and_a_good_one_is_kept(data_dir) -> None:
    _planted_project(data_dir)
    at = _open(data_dir, "Geplante thema's")
    at.file_uploader(key="themas_upload_0").upload("eigen.yaml", b"themes:\n  groen: [boom\n",
                                                   "text/yaml").run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert errors and "eigen.yaml" in errors[0] and "geen geldige YAML" in errors[0], errors
    assert "Traceback" not in errors[0]

    at.file_uploader(key="themas_upload_0").upload("eigen.yaml", b"themes:\n  Groen!: {}\n", "text/yaml").run()
    assert "geen goede themasleutel" in at.error[0].value

    good = b"themes:\n  kinderen:\n    label: Kinderen\n    terms: [kinderen]\n"
    at.file_uploader(key="themas_upload_0").upload("eigen.yaml", good, "text/yaml").run()
    assert not at.error and any("in orde" in s.value for s in at.success)
    next(b for b in at.button if b.key == "themas_save").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert any("wordt nu gebruikt" in s.value for s in at.success)
    assert "Kinderen" in list(_main_table(at).index)          # the new theme is counted
    from store.projects import Store

    store = Store(data_dir=str(data_dir))
    project = next(p for p in store.list_projects() if p.name == "Geplante thema's")
    assert project.settings["themes_yaml"] == good.decode()
    assert project.settings["reference"]                      # other settings kept
    # back to the standard list
    next(b for b in at.button if b.key == "themas_reset").click().run()
    assert "Kinderen" not in list(_main_table(at).index)
    project = next(p for p in store.list_projects() if p.name == "Geplante thema's")
    assert "themes_yaml" not in project.settings
    store.close()


def test_project_without_open_answers_says_what_to_import(data_dir) -> None:
    from store.demo import demo_respondents
    from store.projects import Store

    frame = demo_respondents().drop(columns=[c for c in demo_respondents().columns
                                             if c.startswith(("text:", "multi:"))])
    store = Store(data_dir=str(data_dir))
    project = store.create_project("Zonder open vragen")
    store.add_import(project.id, frame, {"file_name": "x.xlsx", "content_hash": "x" * 12, "tool": "generic",
                                         "channel": "online", "fingerprint": "x",
                                         "mapping": {"fingerprint": "x", "roles": {}}, "who": "test"})
    store.close()
    at = _open(data_dir, "Zonder open vragen")
    assert not at.exception and not at.error
    assert any("nog geen open antwoorden" in i.value for i in at.info)
    assert [d.label for d in at.get("download_button")][0] == "Download de woordenlijst (YAML)"
