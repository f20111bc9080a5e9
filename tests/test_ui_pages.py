"""AppTest: every page of the dashboard runs without an exception and shows its Dutch texts."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[1] / "app.py"

PAGES = {
    "ui/pages/project.py": "Project",
    "ui/pages/importeren.py": "Importeren",
    "ui/pages/bereik.py": "Bereik",
    "ui/pages/profielen.py": "Profielen",
    "ui/pages/voortgang.py": "Voortgang",
    "ui/pages/aanbevelingen.py": "Aanbevelingen",
    "ui/pages/rapport.py": "Rapport",
    "ui/pages/over.py": "Over Bereikwijzer en privacy",
}


@pytest.fixture()
def data_dir(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("BEREIKWIJZER_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("BEREIKWIJZER_DATABASE_URL", raising=False)
    return tmp_path


def _texts(at: AppTest) -> str:
    parts = [e.value for e in at.title] + [e.value for e in at.markdown] + [e.value for e in at.caption]
    parts += [e.value for e in at.info] + [e.value for e in at.warning] + [e.value for e in at.header]
    return "\n".join(str(p) for p in parts)


@pytest.mark.parametrize("page,title", PAGES.items())
def test_page_runs_on_fresh_install(data_dir, page, title) -> None:
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not at.exception
    at.switch_page(page).run()
    assert not at.exception, at.exception
    assert at.title[0].value == title
    assert not at.error, [e.value for e in at.error]
