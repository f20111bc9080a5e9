"""The README's command-line section matches the real commands: every command it shows
exists with every option it uses, and every command the CLI has is shown."""
from __future__ import annotations

import re
import shlex
from pathlib import Path

import typer

from ui.cli import app

README = Path(__file__).resolve().parents[1] / "README.md"


def _readme_commands() -> list[list[str]]:
    text = README.read_text(encoding="utf-8")
    lines = [line.strip() for line in text.splitlines() if line.strip().startswith("bereikwijzer ")]
    return [shlex.split(re.sub(r"[\[\]]", " ", line)) for line in lines]


def _cli_commands() -> dict[str, set[str]]:
    group = typer.main.get_command(app)
    return {name: {opt for param in command.params for opt in param.opts}
            for name, command in group.commands.items()}


def test_readme_shows_commands():
    assert len(_readme_commands()) >= 5


def test_every_readme_command_and_option_exists():
    commands = _cli_commands()
    for words in _readme_commands():
        name = words[1]
        assert name in commands, f"README shows 'bereikwijzer {name}', which does not exist"
        for word in words[2:]:
            option = word.split("=")[0]
            if option.startswith("--"):
                assert option in commands[name], f"README: '{name}' has no option {option}"


def test_every_command_is_in_the_readme():
    shown = {words[1] for words in _readme_commands()}
    missing = set(_cli_commands()) - shown
    assert not missing, f"commands missing from the README: {sorted(missing)}"
