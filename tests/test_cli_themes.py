"""`bereikwijzer themes`: the JSON of the DESIGN.md contract, protected; findings in the text;
a team's theme file is merged; a bad theme file exits 2 with one Dutch line."""
from __future__ import annotations

import json

import pytest
from builders import delimited_bytes
from typer.testing import CliRunner

from ui.cli import app

OLD = "Ik voel me vaak eenzaam sinds mijn man er niet meer is."
PLAY = "Er moeten meer speeltuinen komen voor de kinderen."
PARK = "Er is te weinig parkeerplaats in de straat."
DOGS = "Overal liggen drollen bij het uitlaatveld."
HEADER = ["Respondentnummer", "Wat is uw leeftijd?", "Wat is uw geslacht?",
          "Wat zou u willen verbeteren in de buurt?"]


@pytest.fixture()
def survey(tmp_path):
    """120 answers: every 4th respondent is 65+ and talks about being lonely; the others
    about playgrounds or parking; 4 women of 40 only about the dog field (a small group)."""
    rows = []
    for i in range(120):
        old = i % 4 == 0
        age = 70 + i % 15 if old else 25 + (i * 7) % 35
        text = OLD if old else (PLAY if i % 2 else PARK)
        rows.append([i + 1, age, "Man" if i % 3 else "Vrouw", text])
    for j in range(4):
        rows.append([200 + j, 40, "Vrouw", DOGS])
    path = tmp_path / "enquete.csv"
    path.write_bytes(delimited_bytes(HEADER, rows, delimiter=";"))
    return path


def _run(*args: str):
    return CliRunner().invoke(app, ["themes", *args])


def test_json_keys_of_the_contract_and_findings(survey, tmp_path) -> None:
    out = tmp_path / "themes.json"
    result = _run(str(survey), "--json", str(out))
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert {"themes", "groups", "silent"} <= set(data)
    for item in data["themes"]:
        assert {"theme", "respondents", "share"} <= set(item)
    for cell in data["groups"]:
        assert {"dimension", "category", "theme", "respondents", "share", "suppressed"} <= set(cell)
    for item in data["silent"]:
        assert {"theme", "dimension", "category"} <= set(item)
    shares = {t["theme"]: t for t in data["themes"]}
    assert shares["eenzaamheid"]["respondents"] == 30 and shares["spelen"]["respondents"] == 60
    # the age dimension comes from the exact ages of the file
    old = next(c for c in data["groups"] if c["dimension"] == "age" and c["category"] == "65+"
               and c["theme"] == "eenzaamheid")
    assert old["respondents"] == 30 and old["share"] == 1.0
    assert {"theme": "spelen", "dimension": "age", "category": "65+"} in [
        {k: s[k] for k in ("theme", "dimension", "category")} for s in data["silent"]]
    assert "Thema's die we (bijna) alleen van 65-plussers horen: Eenzaamheid." in result.stdout
    assert data["quotes"]["eenzaamheid"] == [OLD]


def test_small_cells_are_suppressed(survey, tmp_path) -> None:
    """Nobody's theme matches 'drollen … uitlaatveld': with a team file it is a theme of 4
    people; its count is hidden everywhere and no quote of it is shown."""
    own = tmp_path / "eigen.yaml"
    own.write_text("themes:\n  honden:\n    label: Honden\n    terms: [drollen, uitlaatveld]\n",
                   encoding="utf-8")
    out = tmp_path / "themes.json"
    result = _run(str(survey), "--themes", str(own), "--json", str(out))
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    dogs = next(t for t in data["themes"] if t["theme"] == "honden")
    assert dogs["respondents"] is None and dogs["suppressed"] == "primary" and dogs["share"] is None
    assert data["quotes"]["honden"] == []
    for cell in data["groups"]:
        shown = cell["respondents"]
        assert shown is None or shown == 0 or shown >= data["k"], cell
        if cell["theme"] == "honden":
            assert shown in (None, 0)
    assert data["suppressed_mark"]["primary"] == "<10"
    assert "Honden: <10" in result.stdout


@pytest.mark.parametrize("content, words", [
    ("themes:\n  groen: [boom\n", "geen geldige YAML"),
    ("themes:\n  nieuw:\n    terms: [iets]\n", "een nieuw thema"),
    ("iets: ander\n", "mist de lijst 'themes:'"),
])
def test_bad_theme_file_exits_2_in_dutch(survey, tmp_path, content, words) -> None:
    bad = tmp_path / "fout.yaml"
    bad.write_text(content, encoding="utf-8")
    result = _run(str(survey), "--themes", str(bad))
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Fout: ") and "fout.yaml" in lines[0] and words in lines[0]
    assert "Traceback" not in result.output


def test_missing_theme_file_exits_2(survey, tmp_path) -> None:
    result = _run(str(survey), "--themes", str(tmp_path / "weg.yaml"))
    assert result.exit_code == 2 and "bestaat niet" in result.stderr
