"""AppTest of the Profielen page: a name typed for one kind of profiles never lands on the
other kind (the name fields are per project and method)."""
from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from engagement.pipeline import try_profiles
from engagement.store import Store

APP = Path(__file__).resolve().parents[1] / "app.py"


def test_switching_method_keeps_names_apart(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("BEREIKWIJZER_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("BEREIKWIJZER_DATABASE_URL", raising=False)
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    at.switch_page("ui/pages/profielen.py").run()
    assert not at.exception and not at.main.error
    kompas = {t.key.rsplit("_", 1)[1]: t.value for t in at.text_input}
    assert kompas["0"] == "Meebouwers"

    at.radio[0].set_value("lca").run()
    assert not at.exception and not at.main.error
    project_id = at.session_state["project_id"]
    assert "lca" not in Store(data_dir=str(tmp_path)).get_project(project_id).profile_names
    store = Store(data_dir=str(tmp_path))
    own = try_profiles(store.respondents(project_id), "lca")[0]
    lca = {t.key.rsplit("_", 1)[1]: t.value for t in at.text_input}
    assert lca == {str(c.id): c.name for c in own.cards}  # the library's names, not the kompas fields'
    assert any(lca[k] != kompas[k] for k in lca)

    at.text_input(key=f"profile_name_{project_id}_lca_0").input("Stille buren").run()
    assert not at.exception
    names = Store(data_dir=str(tmp_path)).get_project(project_id).profile_names
    assert list(names) == ["lca"] and "Stille buren" in names["lca"].values()
    assert "#### Stille buren" in [m.value for m in at.markdown]  # the card heading
