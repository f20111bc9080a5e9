"""Browser tests: Debian's Chromium and a `streamlit run app.py` server on a free port."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.e2e.dashboard import dashboard

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium ontbreekt (apt-get install -y chromium)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM,
            "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]}


@pytest.fixture(scope="module")
def app_url(tmp_path_factory) -> str:
    """Start the dashboard with an empty data directory; stop it afterwards."""
    with dashboard(tmp_path_factory.mktemp("data")) as url:
        yield url
