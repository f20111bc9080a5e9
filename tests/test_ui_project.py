"""AppTest of the Project page's reference choices: several buurten summed, a custom table."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[1] / "app.py"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture()
def at(tmp_path, monkeypatch) -> AppTest:
    """The Project page of a fresh install with a new, empty project open."""
    monkeypatch.setenv("BEREIKWIJZER_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("BEREIKWIJZER_DATABASE_URL", raising=False)
    app = AppTest.from_file(str(APP), default_timeout=60).run()
    app.switch_page("ui/pages/project.py").run()
    app.text_input(key="new_project_name").input("Referentietest")
    next(b for b in app.button if b.label == "Project aanmaken").click().run()
    assert not app.exception
    return app


def _info(app: AppTest) -> str:
    return "\n".join(str(e.value) for e in [*app.info, *app.success])


def test_two_buurten_from_two_searches_are_summed(at, cbs_dir) -> None:
    """Welgelegen (1,810 inhabitants) + Lombok-Oost (2,220) in KWB 2023 = 4,030."""
    data = (cbs_dir / "kwb2023_utrecht_GM0344.xlsx").read_bytes()
    at.file_uploader(key="kwb_upload").upload("kwb-2023.xlsx", data, XLSX).run()
    at.text_input(key="area_query").input("Welgelegen").run()
    at.multiselect(key="area_choice").select("BU03440111").run()
    at.text_input(key="area_query").input("Lombok").run()  # a second search keeps the first choice
    chooser = at.multiselect(key="area_choice")
    assert chooser.value == ["BU03440111"]
    chooser.select("BU03440121").run()
    assert "2 gebieden gekozen" in "\n".join(c.value for c in at.caption)
    next(b for b in at.button if b.label == "Gebruik deze gebieden").click().run()
    assert not at.exception and not at.main.error, [e.value for e in at.main.error]
    text = _info(at)
    assert "Welgelegen, Den Hommel (BU03440111)" in text and "Lombok-Oost (BU03440121)" in text
    assert "Inwoners: 4.030" in text


def test_not_a_kwb_file_gives_a_dutch_message(at) -> None:
    at.file_uploader(key="kwb_upload").upload("kwb.csv", b"naam;getal\nx;1\n", "text/csv").run()
    assert not at.exception
    assert at.main.error and "kwb.csv" in at.main.error[0].value


BRP = (b"dimensie;categorie;aantal\nleeftijd;0-17;400\nleeftijd;18-29;240\nleeftijd;30-64;700\n"
       b"leeftijd;65+;300\ngeslacht;man;820\ngeslacht;vrouw;820\nwoning;corporatie;500\n"
       b"woning;koopwoning;300\nwoning;particuliere huur;200\n")


def test_custom_reference_is_used_for_the_project(at) -> None:
    at.radio(key="reference_source").set_value("Eigen tabel (bijv. BRP-cijfers)").run()
    assert "dimensie" in "\n".join(m.value for m in at.markdown)
    assert any(d.label.startswith("Download dit voorbeeld") for d in at.get("download_button"))
    at.file_uploader(key="custom_upload").upload("brp_2025.csv", BRP, "text/csv").run()
    assert not at.exception and not at.main.error, [e.value for e in at.main.error]
    assert "Inwoners: 1.640" in _info(at)  # the preview before it is used
    next(b for b in at.button if b.label == "Gebruik deze tabel").click().run()
    assert not at.exception and not at.main.error
    text = _info(at)
    # 18+: 240 + 700 + 300 = 1,240 of 1,640; gender scaled by the same share
    assert "Bron: eigen referentietabel (brp_2025.csv)" in text
    assert "Inwoners van 18 jaar en ouder: 1.240" in text
    at.switch_page("ui/pages/bereik.py").run()
    assert not at.exception and not at.main.error


def test_custom_reference_errors_are_dutch(at) -> None:
    at.radio(key="reference_source").set_value("Eigen tabel (bijv. BRP-cijfers)").run()
    bad = b"dimensie;categorie;aantal\nleeftijd;18-29;veel\n"
    at.file_uploader(key="custom_upload").upload("brp.csv", bad, "text/csv").run()
    assert not at.exception
    message = at.main.error[0].value
    assert "rij 2" in message and "'veel' is geen getal" in message and "Voorbeeld van de indeling" in message
    assert not [b for b in at.button if b.label == "Gebruik deze tabel"]
    at.file_uploader(key="custom_upload").upload("brp.csv", b"a;b\n1;2\n", "text/csv").run()
    assert "mist de kolom 'dimensie'" in at.main.error[0].value
    at.file_uploader(key="custom_upload").upload("brp.xlsx", b"PK\x03\x04 kapot", XLSX).run()
    assert not at.exception and "brp.xlsx" in at.main.error[0].value


def test_profielen_says_why_there_are_no_profiles(at) -> None:
    """Only a conversation log (no statements): the page gives the library's reason, not
    only 'te weinig antwoorden'."""
    from surveys import import_files
    from tests import builders
    from ui.state import store

    frame = import_files([("g.xlsx", builders.conversation_log_xlsx(n=40, seed=13))])
    db = store()
    project = next(p for p in db.list_projects() if p.name == "Referentietest")
    db.add_import(project.id, frame, {"file_name": "g.xlsx", "content_hash": "x",
                                      "tool": "conversation_log", "channel": "straatgesprek",
                                      "rows_read": len(frame)})
    at.switch_page("ui/pages/profielen.py").run()
    assert not at.exception and not at.main.error
    text = "\n".join(i.value for i in at.info)
    assert "**Waarom hier niet:**" in text and "betrokkenheid én over vertrouwen" in text
    assert "Groepen met dezelfde antwoorden" in "\n".join(c.value for c in at.caption)


def test_targets_text_is_parsed_in_dutch() -> None:
    from ui.widgets import parse_targets

    rows = [{"dim": "age", "cat": "15-25", "Kenmerk": "Leeftijd", "Groep": "15 tot 25 jaar", "Doel (%)": "20"},
            {"dim": "gender", "cat": "man", "Kenmerk": "Geslacht", "Groep": "Man", "Doel (%)": " 52,5 "},
            {"dim": "gender", "cat": "vrouw", "Kenmerk": "Geslacht", "Groep": "Vrouw", "Doel (%)": ""},
            {"dim": "tenure", "cat": "koop", "Kenmerk": "Woning", "Groep": "Koopwoning", "Doel (%)": None},
            {"dim": "origin", "cat": "europa", "Kenmerk": "Herkomst", "Groep": "Europa", "Doel (%)": "120"},
            {"dim": "origin", "cat": "nederland", "Kenmerk": "Herkomst", "Groep": "NL", "Doel (%)": "veel"}]
    targets, wrong = parse_targets(rows)
    assert targets == {"age": {"15-25": 0.2}, "gender": {"man": 0.525}}
    assert wrong == ["Herkomst – Europa: '120'", "Herkomst – NL: 'veel'"]


def test_saving_targets_without_edits_keeps_none(at) -> None:
    from ui.state import store

    next(b for b in at.button if b.label == "Doelen opslaan").click().run()
    assert not at.exception and not at.main.error
    assert at.success and at.success[-1].value == "De doelen zijn opgeslagen."
    project = next(p for p in store().list_projects() if p.name == "Referentietest")
    assert project.targets == {}
