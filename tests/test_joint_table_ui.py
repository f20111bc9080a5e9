"""An age × origin table on the Project page and with `--joint` in the CLI: the eligible
adults' origin comes from the buurt's own figures and the table's link between age and
origin, so the wide age-structure margin is replaced by CBS rounding only."""
from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from reference.model import BuurtReference

APP = Path(__file__).resolve().parents[1] / "app.py"

# 100 children (0-15) and 300 adults (25-45); origin for all ages 200 / 200, so without a
# table the adults get 150 / 150 with a margin of ± 102,5 (the age structure).
REFERENCE = BuurtReference(
    areas=(("BU1", "Testbuurt"),), year=2024, table="85984NED", population=400.0,
    eligible_population=300.0, min_age=18,
    dimensions={"age": {"25-45": 300.0}, "origin": {"nederland": 150.0, "buiten_europa": 150.0}},
    margins={"age": {"25-45": 2.5}, "origin": {"nederland": 102.5, "buiten_europa": 102.5}},
    assumptions=("CBS geeft herkomst alleen voor alle leeftijden.",))
# The gemeente's children are mostly of origin outside Europe: odds ratio 1/9 against the
# adults. Fitted to the buurt: n² + 150 n − 2500 = 0 Dutch children, the rest adults.
TABLE = (b"leeftijd;herkomst;aantal\n0-15;Nederland;10\n0-15;buiten Europa;90\n"
         b"25-45;Nederland;50\n25-45;buiten Europa;50\n")
UPLOAD_LABEL = "Tabel leeftijd × herkomst, woningbezit of huishouden (.csv of .xlsx)"
DUTCH_ADULTS = 200 - (-150 + math.sqrt(150 ** 2 + 4 * 2500)) / 2   # 184.86


@pytest.fixture()
def at(dashboard):
    """The Project page with a new project whose reference is REFERENCE (on the shared
    `dashboard` fixture's fresh store)."""
    state = dashboard
    app = AppTest.from_file(str(APP), default_timeout=60).run()
    app.switch_page("ui/pages/project.py").run()
    app.text_input(key="new_project_name").input("Herkomsttest")
    next(b for b in app.button if b.label == "Project aanmaken").click().run()
    project = next(p for p in state.store().list_projects() if p.name == "Herkomsttest")
    state.store().update_project(project.id, settings={"reference": REFERENCE.to_dict()})
    app.run()
    assert not app.exception
    yield app, lambda: state.reference_from_dict(
        state.store().get_project(project.id).settings["reference"])
    state._open_store.clear()


def _uploader(app: AppTest):
    """The table's upload (its key changes after each save, so it is found by its label)."""
    return next(u for u in app.file_uploader if u.label == UPLOAD_LABEL)


def _texts(app: AppTest) -> str:
    return "\n".join(str(e.value) for e in [*app.info, *app.success, *app.markdown, *app.caption])


def test_an_age_origin_table_narrows_the_origin_of_the_adults(at) -> None:
    app, saved = at
    assert "Tabel leeftijd × herkomst, woningbezit of huishouden" in \
        "\n".join(e.label for e in app.expander)
    assert "'onzeker'" in _texts(app)  # why the table helps, in Dutch
    _uploader(app).upload("gemeente_leeftijd_herkomst.csv", TABLE,
                                                 "text/csv").run()
    assert not app.exception and not app.main.error, [e.value for e in app.main.error]
    preview = "\n".join(str(e.value) for e in app.success)
    assert "50,0% → 61,6%" in preview  # Nederland among the adults: 150 → 184,86 of 300
    assert "gemeente_leeftijd_herkomst.csv" in preview  # the assumption, before it is used
    next(b for b in app.button if b.label == "Gebruik deze verdeling").click().run()
    assert not app.exception and not app.main.error
    ref = saved()
    assert ref.dimensions["origin"]["nederland"] == pytest.approx(DUTCH_ADULTS, abs=1e-3)
    assert all(ref.margins["origin"][k] > 4.0 for k in ref.margins["origin"])  # CBS rounding and the young
    assert all(ref.margins["origin"][k] < REFERENCE.margins["origin"][k] for k in ref.margins["origin"])
    assert ref.dimensions["age"] == REFERENCE.dimensions["age"]
    # the assumption shows where the page lists the reference's assumptions
    shown = _texts(app)
    assert "Aannames" in shown and "verhouding tussen leeftijd en herkomst komt uit " \
        "'gemeente_leeftijd_herkomst.csv'" in shown
    assert "Al naar leeftijd verdeeld: Herkomst" in shown
    # a second table for origin would shift the shares twice: refused in Dutch
    _uploader(app).upload("nog_een.csv", TABLE, "text/csv").run()
    assert not app.exception
    assert app.main.error and "al naar leeftijd verdeeld" in app.main.error[0].value


@pytest.mark.parametrize("name, data, words", [
    ("gemeente.csv", b"leeftijd;herkomst;aantal\n0-15;Nederland;10\n25-45;buiten Europa;veel\n",
     ["gemeente.csv", "rij 3", "kolom 'aantal'", "geen getal"]),
    ("geslacht.csv", b"leeftijd;geslacht;aantal\n0-15;man;3\n25-45;vrouw;4\n",
     ["geslacht.csv", "herkomst, woning of huishouden"]),
    ("europa.csv", b"leeftijd;herkomst;aantal\n0-15;Nederland;10\n25-45;Europa;4\n",
     ["europa.csv", "buiten_europa"]),
    ("kapot.xlsx", b"PK\x03\x04 kapot", ["kapot.xlsx"]),
])
def test_a_bad_table_gives_a_dutch_message(at, name, data, words) -> None:
    app, saved = at
    _uploader(app).upload(name, data, "text/csv").run()
    assert not app.exception
    assert app.main.error, "no message for a bad table"
    message = app.main.error[0].value
    assert "Traceback" not in message
    for word in words:
        assert word in message
    assert not any(b.label == "Gebruik deze verdeling" for b in app.button)
    assert saved().margins == REFERENCE.margins  # nothing saved


# ------------------------------------------------------------------------------ CLI

def test_cli_joint_changes_the_origin_of_the_reference(tmp_path, monkeypatch) -> None:
    from typer.testing import CliRunner

    from ui import cli

    custom = tmp_path / "brp.csv"
    custom.write_text("dimensie;categorie;aantal\nleeftijd;0-15;100\nleeftijd;25-44;300\n"
                      "herkomst;Nederland;200\nherkomst;buiten Europa;200\n", encoding="utf-8")
    joint = tmp_path / "gemeente.csv"
    joint.write_bytes(TABLE.replace(b"25-45", b"25-44"))
    runner = CliRunner()
    plain = json.loads(runner.invoke(cli.app, ["reference", "--reference", str(custom),
                                               "--json"]).stdout)
    result = runner.invoke(cli.app, ["reference", "--reference", str(custom), "--joint", str(joint),
                                     "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    before, after = plain["dimensions"]["origin"], data["dimensions"]["origin"]
    assert sum(after.values()) == pytest.approx(sum(before.values()))
    assert after["nederland"] > before["nederland"]  # the young are mostly outside Europe
    assert any("gemeente.csv" in a for a in data["assumptions"])


def test_cli_joint_is_applied_by_coverage_and_plan(tmp_path, monkeypatch) -> None:
    from ui import cli

    calls = []
    monkeypatch.setattr(cli, "_load_reference", lambda *a, **k: REFERENCE)
    monkeypatch.setattr(cli, "_load_respondents", lambda files, mapping: calls.append("read") or
                        __import__("pandas").DataFrame({"age": [30.0] * 40,
                                                        "origin": ["nederland"] * 40}))
    joint = tmp_path / "gemeente.csv"
    joint.write_bytes(TABLE)
    survey = tmp_path / "enquete.csv"
    survey.write_text("x\n1\n", encoding="utf-8")
    from typer.testing import CliRunner

    out = tmp_path / "dekking.json"
    result = CliRunner().invoke(cli.app, ["coverage", str(survey), "--reference", "r.csv",
                                          "--joint", str(joint), "--json", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert any("gemeente.csv" in a for a in data["assumptions"])
    result = CliRunner().invoke(cli.app, ["plan", str(survey), "--reference", "r.csv",
                                          "--joint", str(tmp_path / "weg.csv")])
    assert result.exit_code == 2
    assert "weg.csv" in result.output and "bestaat niet" in result.output


def test_cli_bad_joint_table_is_one_dutch_line(tmp_path) -> None:
    from typer.testing import CliRunner

    from ui import cli

    custom = tmp_path / "brp.csv"
    custom.write_text("dimensie;categorie;aantal\nleeftijd;0-15;100\nleeftijd;25-44;300\n"
                      "herkomst;Nederland;200\nherkomst;buiten Europa;200\n", encoding="utf-8")
    joint = tmp_path / "fout.csv"
    joint.write_bytes(b"leeftijd;herkomst;aantal\n0-15;Nederland;tien\n")
    result = CliRunner().invoke(cli.app, ["reference", "--reference", str(custom),
                                          "--joint", str(joint)])
    assert result.exit_code == 2
    assert "fout.csv" in result.output and "rij 2" in result.output
    assert "Traceback" not in result.output
