"""A fault of Bereikwijzer itself is not bad input: exit 1 with one Dutch line and no
traceback, and `--debug` shows the traceback; errors written for the user still exit 2."""
from __future__ import annotations

import pytest
from typer.testing import CliRunner

from surveys.errors import InputError
from ui import cli


def _plan_fails(monkeypatch, error: Exception) -> None:
    def broken(*args, **kwargs):
        raise error
    monkeypatch.setattr(cli, "_load_reference", broken)


def test_a_library_bug_exits_1_in_dutch_without_traceback(monkeypatch, tmp_path) -> None:
    _plan_fails(monkeypatch, KeyError("kolom"))
    result = CliRunner().invoke(cli.app, ["plan", str(tmp_path / "x.csv"), "--kwb", "k.csv", "--area", "BU1"])
    assert result.exit_code == 1
    assert "Fout in Bereikwijzer zelf, niet in uw bestand (KeyError)" in result.output
    assert "Traceback" not in result.output


def test_with_debug_the_bug_keeps_its_traceback(monkeypatch, tmp_path) -> None:
    _plan_fails(monkeypatch, KeyError("kolom"))
    result = CliRunner().invoke(cli.app, ["--debug", "plan", str(tmp_path / "x.csv"), "--kwb", "k.csv",
                                          "--area", "BU1"])
    assert isinstance(result.exception, KeyError)


@pytest.mark.parametrize("error", [cli.UserInputError("Kies een buurt."), InputError("Kies een buurt.")])
def test_user_errors_still_exit_2(monkeypatch, tmp_path, error) -> None:
    _plan_fails(monkeypatch, error)
    result = CliRunner().invoke(cli.app, ["plan", str(tmp_path / "x.csv"), "--kwb", "k.csv", "--area", "BU1"])
    assert result.exit_code == 2 and "Fout: Kies een buurt." in result.output


@pytest.mark.parametrize(("args", "expected"), [
    (["reference", "--buurt", "BU0363AA02"],
     "Fout: De optie '--buurt' bestaat niet. Typ 'bereikwijzer reference --help' voor alle opties."),
    (["reference", "--kwb", "k.csv", "--min-age", "achttien"], "Fout: De waarde bij --min-age klopt niet"),
    (["coverage", "x.xlsx", "--kwb", "k.csv", "--area", "BU1", "--json"],
     "Fout: Bij de optie '--json' hoort een waarde"),
    (["plan"], "Fout: Geef een of meer bestanden op (bijv. enquete.xlsx)."),
    (["plann"], "Fout: Deze opdracht begrijpt Bereikwijzer niet."),
])
def test_a_wrong_option_or_value_is_one_dutch_line_with_exit_2(args, expected) -> None:
    """Typer's own usage errors were an English box ('No such option: --buurt')."""
    result = CliRunner().invoke(cli.app, args, prog_name="bereikwijzer")
    assert result.exit_code == 2, result.output
    assert expected in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not any(word in result.output for word in ("No such option", "Invalid value", "requires", "Usage"))


def test_help_and_no_command_still_show_the_help() -> None:
    assert CliRunner().invoke(cli.app, ["--help"]).exit_code == 0
    result = CliRunner().invoke(cli.app, [])
    assert result.exit_code == 2 and "plan" in result.output


@pytest.mark.parametrize("args", [["--help"], ["plan", "--help"], ["report", "--help"], ["inspect", "--help"]])
def test_the_help_screen_speaks_dutch(args: list[str]) -> None:
    result = CliRunner().invoke(cli.app, args, env={"COLUMNS": "120"}, prog_name="bereikwijzer")
    assert result.exit_code == 0
    assert "Gebruik: bereikwijzer" in result.output and "Opties" in result.output
    assert "Toon deze uitleg en stop." in result.output
    for english in ("Usage:", "Options", "Show this message", "Arguments", "[default:", "[required]", "Commands"):
        assert english not in result.output, english
