"""The CLI's import part: traceable profile assignments (file, row) and excluded rows
counted per reason in the coverage JSON (DESIGN.md, CLI)."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from builders import delimited_bytes, ms_forms_xlsx, wijk_answers
from typer.testing import CliRunner

from ui.cli import app

CSV_NAME = "kwb2024_85984NED_odata_first10000rows.csv"
LIKERT = ("Helemaal mee oneens", "Mee oneens", "Neutraal", "Mee eens", "Helemaal mee eens")


def _survey_with_tests(n: int = 60) -> bytes:
    """A plain CSV with a team's test column: rows 3 and 7 are test entries."""
    header = ["Nr", "Testinvoer", "Leeftijd", "Geslacht", "Ik voel me thuis in de buurt",
              "Ik heb vertrouwen in de gemeente", "De gemeente luistert naar bewoners"]
    rows = []
    for i in range(n):
        a = (i * 7) % 5
        rows.append([i + 1, "ja" if i in (3, 7) else "", 20 + (i * 3) % 60,
                     ("Man", "Vrouw")[i % 2], LIKERT[a], LIKERT[(a + i) % 5], LIKERT[(a * 2) % 5]])
    return delimited_bytes(header, rows)


def test_profile_assignments_carry_file_and_row(tmp_path: Path) -> None:
    first = tmp_path / "Buurtenquête week 1.xlsx"
    first.write_bytes(ms_forms_xlsx(wijk_answers(40, seed=1)))
    second = tmp_path / "tellingen.csv"
    second.write_bytes(_survey_with_tests())
    mapping = tmp_path / "koppeling.json"
    mapping.write_text(json.dumps({"Testinvoer": "status"}), encoding="utf-8")
    out = tmp_path / "profielen.json"
    result = CliRunner().invoke(app, ["profiles", str(first), str(second), "--method", "kmeans",
                                      "--k", "2", "--mapping", str(mapping), "--json", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assignments = data["assignments"]
    assert all({"respondent_id", "file", "row", "profile", "probability"} <= set(a)
               for a in assignments)
    by_file = pd.DataFrame(assignments).groupby("file")["row"].apply(list).to_dict()
    assert set(by_file) == {first.name, second.name}
    assert sorted(by_file[first.name]) == list(range(2, 42))  # one header row: rows 2..41
    # the two test entries (spreadsheet rows 5 and 9) are not profiled
    assert sorted(by_file[second.name]) == [r for r in range(2, 62) if r not in (5, 9)]


def test_coverage_json_counts_excluded_rows(tmp_path: Path, cbs_dir: Path) -> None:
    survey = tmp_path / "tellingen.csv"
    survey.write_bytes(_survey_with_tests())
    mapping = tmp_path / "koppeling.json"
    mapping.write_text(json.dumps({"Testinvoer": "status"}), encoding="utf-8")
    out = tmp_path / "bereik.json"
    result = CliRunner().invoke(app, ["coverage", str(survey), "--kwb", str(cbs_dir / CSV_NAME),
                                      "--area", "BU05183033", "--mapping", str(mapping),
                                      "--json", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["excluded"].get("test") == 2
