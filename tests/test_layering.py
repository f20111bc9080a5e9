"""The packages are a pipeline imported in one direction only (DESIGN.md, Layout).

surveys → profiles → reference → engagement → reports, with store beside reports, and
ui/ (the dashboard and the CLI) on top. Every import is checked, also the ones inside
functions, because a lazy import is how a cycle hides.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Each library package and the project packages it may import (besides itself).
ALLOWED = {
    "surveys": set(),
    "profiles": {"surveys"},
    "reference": {"surveys"},
    "engagement": {"surveys", "profiles", "reference"},
    "reports": {"surveys", "profiles", "reference", "engagement"},
    "store": {"surveys", "profiles", "reference", "engagement"},
}
PROJECT = set(ALLOWED) | {"ui", "app"}
FORBIDDEN_EVERYWHERE_BELOW_UI = {"streamlit", "ui", "app"}


def _imported_tops(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    tops: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            tops.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            tops.add(node.module.split(".")[0])
    return tops


def _library_files():
    for package in ALLOWED:
        for path in sorted((ROOT / package).glob("*.py")):
            yield pytest.param(package, path, id=f"{package}/{path.name}")


@pytest.mark.parametrize("package,path", list(_library_files()))
def test_library_imports_only_packages_below_it(package, path):
    tops = _imported_tops(path)
    assert not tops & FORBIDDEN_EVERYWHERE_BELOW_UI, f"{path.name} imports streamlit or ui"
    wrong = (tops & PROJECT) - ALLOWED[package] - {package}
    assert not wrong, f"{package}/{path.name} imports {sorted(wrong)}, which sit above {package}"


def test_every_library_package_is_checked():
    packages = {p.parent.name for p in ROOT.glob("*/__init__.py")} - {"ui", "tests", "benchmarks"}
    assert packages == set(ALLOWED), "a new package needs its place in the pipeline (ALLOWED)"


def test_the_checker_sees_lazy_imports(tmp_path):
    sample = tmp_path / "lazy.py"
    sample.write_text("def f():\n    from reports.xlsx import write\n    import streamlit as st\n")
    assert {"reports", "streamlit"} <= _imported_tops(sample)
