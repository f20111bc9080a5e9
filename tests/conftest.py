"""Shared test setup: headless plotting, the ../shared data directory."""
from __future__ import annotations

from pathlib import Path

import plotly.io as pio
import pytest
from hypothesis import settings

pio.renderers.default = "json"

# Property tests draw the same examples on every run, so `make test` (and CI, where a
# failure stops everything from landing) gives the same answer twice. To search for new
# counterexamples: `pytest --hypothesis-profile=explore` (a fresh random draw each run);
# a failure found there becomes an explicit @example or test of its own.
settings.register_profile("fixed", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile("fixed")

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CBS_DIR = SHARED / "data" / "cbs"


@pytest.fixture(scope="session")
def cbs_dir() -> Path:
    """The real CBS files in ../shared/data/cbs (skip when that folder is absent)."""
    if not CBS_DIR.is_dir():
        pytest.skip("../shared/data/cbs ontbreekt: deze test leest echte CBS-bestanden")
    return CBS_DIR


@pytest.fixture()
def dashboard(tmp_path, monkeypatch):
    """The dashboard's state module on a fresh store, without login (team "")."""
    monkeypatch.setenv("BEREIKWIJZER_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("BEREIKWIJZER_DATABASE_URL", raising=False)
    from ui import state

    state._open_store.clear()
    state._apply_retention.clear()
    yield state
    state.store().close()
    state._open_store.clear()


def pytest_collection_modifyitems(config, items):
    """Mark every test in a module that drives a page with AppTest as `apptest`, so
    `make test-fast` can leave the dashboard runs out (they take most of the time)."""
    uses_apptest: dict[Path, bool] = {}
    for item in items:
        path = Path(str(item.fspath))
        if path not in uses_apptest:
            uses_apptest[path] = path.suffix == ".py" and "AppTest" in path.read_text(encoding="utf-8")
        if uses_apptest[path]:
            item.add_marker(pytest.mark.apptest)
