"""AppTest: the project's respondents are read from the store once per change of the
project; an import or a removal is seen at once on the next page."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from store.projects import Store
from tests import builders

APP = Path(__file__).resolve().parents[1] / "app.py"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture()
def reads(tmp_path, monkeypatch) -> list[int]:
    """Fresh database; counts Store.respondents calls (project ids)."""
    monkeypatch.setenv("BEREIKWIJZER_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("BEREIKWIJZER_DATABASE_URL", raising=False)
    calls: list[int] = []
    original = Store.respondents

    def counted(self, project_id, import_ids=None):
        calls.append(project_id)
        return original(self, project_id, import_ids)

    monkeypatch.setattr(Store, "respondents", counted)
    return calls


def _spoken(at: AppTest) -> str:
    return next(m.value for m in at.metric if m.label == "Gesproken")


def test_import_and_removal_invalidate_the_cached_respondents(reads) -> None:
    at = AppTest.from_file(str(APP), default_timeout=90).run()
    assert not at.exception and _spoken(at) == "300"  # the demo on the Bereik page
    first = len(reads)
    at.run()
    at.switch_page("ui/pages/voortgang.py").run()
    assert not at.exception
    assert len(reads) == first  # reruns and other pages reuse the cached table

    at.switch_page("ui/pages/importeren.py").run()
    data = builders.ms_forms_xlsx(builders.wijk_answers(n=25, seed=3))
    at.file_uploader[0].upload("wijkenquete.xlsx", data, XLSX).run()
    next(b for b in at.button if b.label.startswith("Importeer")).click().run()
    assert not at.exception and any("25 nieuwe antwoorden" in s.value for s in at.success)
    at.switch_page("ui/pages/bereik.py").run()
    assert not at.exception and _spoken(at) == "325"

    at.switch_page("ui/pages/importeren.py").run()
    remove = at.selectbox(key="remove_import")
    remove.select_index(len(remove.options) - 1).run()  # the newest import
    next(b for b in at.button if b.label == "Verwijder deze import").click().run()
    assert not at.exception
    at.switch_page("ui/pages/bereik.py").run()
    assert not at.exception and _spoken(at) == "300"
