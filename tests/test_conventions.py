"""The project's own rules: the library never imports streamlit nor prints."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LIBRARY = [p for pkg in ("surveys", "profiles", "engagement") for p in (ROOT / pkg).rglob("*.py")]


@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: str(p.relative_to(ROOT)))
def test_library_has_no_streamlit_and_no_print(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"^\s*(import|from)\s+streamlit", text, re.M), "library imports streamlit"
    if path.name != "cli.py":
        assert not re.search(r"^\s*print\(", text, re.M), "library prints; use logging"


def test_packages_import_in_one_direction() -> None:
    order = {"surveys": 0, "profiles": 1, "engagement": 2}
    for path in LIBRARY:
        own = order[path.relative_to(ROOT).parts[0]]
        for match in re.finditer(r"^\s*(?:from|import)\s+(surveys|profiles|engagement)\b",
                                 path.read_text(encoding="utf-8"), re.M):
            assert order[match.group(1)] <= own, f"{path} imports {match.group(1)}"
