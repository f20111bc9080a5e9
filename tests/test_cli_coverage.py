"""`bereikwijzer coverage` end to end: real KWB 2024 figures, and bad input → exit 2 in Dutch."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from builders import ms_forms_xlsx, wijk_answers
from typer.testing import CliRunner

from ui.cli import app

CSV_NAME = "kwb2024_85984NED_odata_first10000rows.csv"


@pytest.fixture(scope="module")
def survey(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "Buurtenquête.xlsx"
    path.write_bytes(ms_forms_xlsx(wijk_answers(40, seed=1)))
    return path


def run(*args: str):
    return CliRunner().invoke(app, ["coverage", *args])


def assert_dutch_error(result, *phrases: str) -> None:
    """Exit 2, one line on stderr starting with 'Fout:', no traceback, the given phrases."""
    assert result.exit_code == 2, (result.exit_code, result.output, result.exception)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Fout: "), result.stderr
    assert "Traceback" not in result.output and result.stdout == ""
    for phrase in phrases:
        assert phrase in lines[0], lines[0]


def test_coverage_json_against_transvaal(survey, cbs_dir, tmp_path) -> None:
    out = tmp_path / "bereik.json"
    result = run(str(survey), "--kwb", str(cbs_dir / CSV_NAME), "--area", "BU05183033",
                 "--json", str(out))
    assert result.exit_code == 0, result.output
    # one of the 40 is 17: excluded once (issue 13), counted per reason and said so
    assert result.stdout.startswith("Respondenten: 39.\nNiet meegeteld: 1 jonger dan 18 jaar.")
    data = json.loads(out.read_text(encoding="utf-8"))
    assert {"respondents", "dimensions", "weighting", "warnings", "excluded"} <= set(data)
    assert data["respondents"] == 39 and data["excluded"] == {"under_min_age": 1}
    assert data["assumptions"], "the persons reference states how it was derived"
    age = next(d for d in data["dimensions"] if d["dimension"] == "age")
    assert {"dimension", "unknown", "chi2", "df", "p_value", "cv", "r_indicator",
            "min_max_ratio", "categories"} <= set(age)
    youth = next(c for c in age["categories"] if c["category"] == "15-25")
    assert youth["population"] == pytest.approx(685 * 7 / 10)  # KWB 2024, cut at 18
    assert sum(c["population_share"] for c in age["categories"]) == pytest.approx(1.0)


def test_unknown_area_code(survey, cbs_dir) -> None:
    result = run(str(survey), "--kwb", str(cbs_dir / CSV_NAME), "--area", "BU05189999")
    assert_dutch_error(result, "Gebiedscode BU05189999 staat niet in", "Bedoelt u BU0518")


@pytest.mark.parametrize("year", ["2015", "2030"])
def test_year_without_a_kwb_table(survey, year) -> None:
    result = run(str(survey), "--cbs", year, "--area", "BU05183033")  # fails before any network
    assert_dutch_error(result, f"Er is geen CBS-tabel 'Kerncijfers wijken en buurten' voor {year}",
                       "2017 tot en met 2025")


@pytest.mark.parametrize("name", ["ses_woa_85163NED_amsterdam_2019_statline_export.csv",
                                  "85318NED_DataProperties.csv"])
def test_kwb_file_of_another_format(survey, cbs_dir, name) -> None:
    result = run(str(survey), "--kwb", str(cbs_dir / name), "--area", "BU03630000")
    assert_dutch_error(result, f"Bestand '{name}' lijkt geen KWB-bestand van CBS",
                       "Codering_3")


def test_survey_or_pdf_given_as_kwb_file(survey, cbs_dir) -> None:
    assert_dutch_error(run(str(survey), "--kwb", str(survey), "--area", "BU05183033"),
                       "lijkt geen KWB-bestand")
    pdf = cbs_dir / "docs" / "toelichting-variabelen-kwb-2024.pdf"
    assert_dutch_error(run(str(survey), "--kwb", str(pdf), "--area", "BU05183033"),
                       "is geen KWB-bestand", "verwacht .csv of .xlsx")


def test_custom_table_with_a_negative_count(survey, tmp_path) -> None:
    table = tmp_path / "eigen.csv"
    table.write_text("dimensie,categorie,aantal\nleeftijd,18-29,100\ngeslacht,man,-5\n"
                     "geslacht,vrouw,50\n", encoding="utf-8")
    assert_dutch_error(run(str(survey), "--reference", str(table)),
                       "'eigen.csv', rij 3, kolom 'aantal'", "niet negatief")


def test_custom_table_with_a_category_no_respondent_can_match(survey, tmp_path) -> None:
    table = tmp_path / "eigen.csv"
    table.write_text("dimensie,categorie,aantal\ngeslacht,man,40\ngeslacht,vrouw,50\n"
                     "geslacht,gepensioneerd,10\n", encoding="utf-8")
    assert_dutch_error(run(str(survey), "--reference", str(table)),
                       "rij 4", "categorie 'gepensioneerd' past bij geen groep")
    table.write_text("dimensie,categorie,aantal\nopleiding,hbo,40\n", encoding="utf-8")
    assert_dutch_error(run(str(survey), "--reference", str(table)),
                       "onbekende dimensie 'opleiding'")


def test_no_source_or_no_area(survey, cbs_dir) -> None:
    assert_dutch_error(run(str(survey), "--area", "BU05183033"), "Kies precies één bron")
    assert_dutch_error(run(str(survey), "--kwb", str(cbs_dir / CSV_NAME)),
                       "Geef minstens één gebiedscode")


@pytest.mark.parametrize("content", ["[1, 2]", "{kapot", "42"])
def test_a_broken_mapping_file_exits_2_in_dutch(tmp_path, content) -> None:
    mapping = tmp_path / "koppeling.json"
    mapping.write_text(content, encoding="utf-8")
    run = CliRunner().invoke(app, ["profiles", str(tmp_path / "x.xlsx"), "--mapping", str(mapping)])
    assert run.exit_code == 2
    assert "Traceback" not in run.output


def test_an_unwritable_report_path_exits_2_in_dutch(tmp_path) -> None:
    survey = tmp_path / "enquete.xlsx"
    survey.write_bytes(ms_forms_xlsx(wijk_answers(40, seed=2)))
    custom = tmp_path / "ref.csv"
    custom.write_text("dimension,category,count\ngender,man,500\ngender,vrouw,520\n", encoding="utf-8")
    run = CliRunner().invoke(app, ["report", str(survey), "--reference", str(custom),
                                   "--out", str(tmp_path / "bestaat-niet" / "r.xlsx")])
    assert run.exit_code == 2
    assert "kan niet worden gelezen of geschreven" in run.stderr
