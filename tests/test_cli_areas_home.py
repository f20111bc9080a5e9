"""`bereikwijzer areas` for one buurt agrees with the dashboard's Buurten page for a
one-buurt project: who gave no buurtcode or usable postcode counts in that buurt
(engagement.areas.assign_buurten, step 5), not as 'buurt onbekend'."""
from __future__ import annotations

import json

from builders import delimited_bytes
from typer.testing import CliRunner

from engagement.areas import compute_areas, load_buurten
from reports.charts_areas import areas_json, protect_areas
from ui.cli import app

CSV_NAME = "kwb2024_85984NED_odata_first10000rows.csv"
HOME, OTHER = "BU00140000", "BU00140003"


def _survey(tmp_path):
    """30 people: 10 name the buurt, 10 another buurt, 10 give no buurtcode and a postcode
    that is no buurt's most common one."""
    rows = [[i + 1, 20 + (i * 7) % 60, "Man" if i % 3 else "Vrouw", "1011 AB",
             [HOME, OTHER, ""][i % 3]] for i in range(30)]
    path = tmp_path / "enquete.csv"
    path.write_bytes(delimited_bytes(["Respondentnummer", "Wat is uw leeftijd?", "Wat is uw geslacht?",
                                      "Postcode", "Buurtcode"], rows, delimiter=";"))
    return path


def _run(tmp_path, cbs_dir, *areas: str) -> dict:
    out = tmp_path / "areas.json"
    args = ["areas", str(_survey(tmp_path)), "--kwb", str(cbs_dir / CSV_NAME), "--json", str(out)]
    for code in areas:
        args += ["--area", code]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return json.loads(out.read_text(encoding="utf-8")) | {"_stdout": result.stdout}


def test_one_buurt_counts_the_unplaced_in_that_buurt(cbs_dir, tmp_path) -> None:
    data = _run(tmp_path, cbs_dir, HOME)
    [area] = data["areas"]
    assert area["code"] == HOME
    # those with no buurtcode belong to the buurt; who names another buurt stays outside
    assert area["assigned_by"] == {"area_code": 10, "project": 10}
    assert area["respondents"] == 20
    assert "buurt onbekend" not in data["_stdout"]


def test_one_buurt_gives_the_dashboards_figures(cbs_dir, tmp_path) -> None:
    """The same result as the Buurten page computes (ui.areas_cache: compute_areas with the
    project's buurt as home, then protect_areas)."""
    from surveys import import_files

    path = _survey(tmp_path)
    respondents = import_files([(path.name, path.read_bytes())])
    kwb = load_buurten((cbs_dir / CSV_NAME).read_bytes(), CSV_NAME, [HOME], min_age=18)
    page, _ = protect_areas(compute_areas(respondents, kwb, home=HOME))
    cli = _run(tmp_path, cbs_dir, HOME)
    assert cli["areas"] == areas_json(page)["areas"]
    assert cli["areas"][0]["respondents"] == page.area(HOME).respondents == 20


def test_several_buurten_leave_the_unplaced_unknown(cbs_dir, tmp_path) -> None:
    """No project buurt to fall back on: which of the two would it be?"""
    data = _run(tmp_path, cbs_dir, HOME, OTHER)
    assert all("project" not in a["assigned_by"] for a in data["areas"])
    assert "konden we niet aan een buurt koppelen" in data["_stdout"]
