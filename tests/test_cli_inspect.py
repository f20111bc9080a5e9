"""`bereikwijzer inspect`: the JSON contract, the Dutch summary, and bad files (exit 2)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests import builders
from ui.cli import app

runner = CliRunner()
KEYS = {"file", "format", "header_rows", "sheet", "respondents", "columns", "pii_columns",
        "warnings"}


@pytest.fixture()
def survey(tmp_path: Path) -> Path:
    path = tmp_path / "Buurtenquête.xlsx"
    path.write_bytes(builders.ms_forms_xlsx(builders.wijk_answers(25, seed=3)))
    return path


def test_inspect_json_has_exactly_the_contract_keys(survey: Path) -> None:
    result = runner.invoke(app, ["inspect", str(survey), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert set(report) >= KEYS  # DESIGN: more keys may be added (channel)
    assert report["channel"] == "online"
    assert report["file"] == "Buurtenquête.xlsx" and report["format"] == "ms_forms"
    assert report["header_rows"] == 1 and report["respondents"] == 25
    assert report["pii_columns"] == ["E-mail", "Naam"]
    for column in report["columns"]:
        # the contract keys, plus the question text and statement for long files
        assert set(column) == {"name", "kind", "role", "pii", "options", "text", "statement"}
    roles = {c["name"]: c["role"] for c in report["columns"]}
    assert roles[builders.AGE] == "age" and roles[builders.GENDER] == "gender"
    assert roles["Id"] == "respondent_id" and roles[builders.INVOLVED] == "item"
    # No personal data or free text in the report.
    assert "06-12345678" not in result.stdout and "jan@example.nl" not in result.stdout


def test_inspect_prints_a_dutch_summary(survey: Path) -> None:
    result = runner.invoke(app, ["inspect", str(survey)])
    assert result.exit_code == 0, result.output
    assert "Herkend als: Microsoft Forms" in result.stdout
    assert "Respondenten: 25" in result.stdout
    assert "Persoonsgegevens die we niet inlezen: E-mail, Naam" in result.stdout


@pytest.mark.parametrize("name, data", [
    ("leeg.csv", b""),
    ("rapport.xlsx", builders.pdf_bytes()),
    ("kapot.xlsx", builders.truncated_xlsx()),
])
def test_bad_file_exits_2_with_a_dutch_message_naming_the_file(tmp_path: Path, name: str,
                                                               data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    result = runner.invoke(app, ["inspect", str(path), "--json"])
    assert result.exit_code == 2
    assert result.stderr.startswith("Fout: ") and name in result.stderr
    assert "Traceback" not in result.output


def test_missing_file_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["inspect", str(tmp_path / "weg.xlsx")])
    assert result.exit_code == 2 and "bestaat niet" in result.stderr


@pytest.mark.timeout(120)
@pytest.mark.parametrize("name, make", [("bom.ods", "ods_repeat_bomb"),
                                        ("zonder_r.xlsx", "xlsx_cells_without_r")])
def test_inspect_refuses_a_crafted_file_with_one_dutch_line(tmp_path, name, make) -> None:
    """`inspect` reads in the bounded child: a crafted grid exits 2 with one line, no
    traceback, no hang."""
    from tests import badfiles

    path = tmp_path / name
    path.write_bytes(getattr(badfiles, make)())
    result = runner.invoke(app, ["inspect", str(path)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert name in result.output
