"""AppTest of the kompas question picker on Profielen: the suggestion is shown, the team's
choice is stored with the project and used for the profiles (and the report's kompas)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from test_store_support import make_frame

from profiles.fit import fit_profiles
from store.projects import Store

APP = Path(__file__).resolve().parents[1] / "app.py"
META = {"file_name": "week1.xlsx", "content_hash": "h1", "tool": "generic", "channel": "online",
        "mapping": {"fingerprint": "fp", "roles": {}}, "who": ""}


@pytest.fixture()
def data_dir(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("BEREIKWIJZER_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("BEREIKWIJZER_DATABASE_URL", raising=False)
    return tmp_path


def _profielen(project_id: int | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=120)
    if project_id is not None:
        at.session_state["project_id"] = project_id
    at.run()
    at.switch_page("ui/pages/profielen.py").run()
    assert not at.exception, at.exception
    return at


def test_demo_shows_its_stored_choice_and_keeps_a_new_one(data_dir) -> None:
    at = _profielen()
    pid = at.session_state["project_id"]
    db = Store(data_dir=str(data_dir))
    stored = db.get_project(pid).settings["kompas_items"]  # the demo ships its own choice
    eng = at.multiselect(key=f"kompas_eng_{pid}")
    assert eng.value == stored["engagement"]
    assert at.multiselect(key=f"kompas_trust_{pid}").value == stored["trust"]
    keep = stored["engagement"][:1]
    eng.set_value(keep)
    next(b for b in at.button if b.label == "Vragen opslaan").click().run()
    assert not at.exception and not at.main.error, [e.value for e in at.main.error]
    saved = Store(data_dir=str(data_dir)).get_project(pid).settings["kompas_items"]
    assert saved == {"engagement": keep, "trust": stored["trust"]}
    # the page now shows the kompas of the chosen questions
    own = fit_profiles(db.respondents(pid), method="kompas", axes=saved)
    sizes = [str(c.value).split(" mensen")[0] for c in at.caption if "mensen met een profiel" in str(c.value)]
    assert sorted(sizes) == sorted(str(card.size) for card in own.cards)  # cards sit in two columns
    before = fit_profiles(db.respondents(pid), method="kompas", axes=stored)
    assert [c.size for c in before.cards] != [c.size for c in own.cards]  # the choice matters


def test_unknown_questions_can_be_put_on_the_axes(data_dir) -> None:
    frame = make_frame(60).rename(columns={"item:betrokken_buurt": "item:vraag_a",
                                           "item:vertrouwen_gemeente": "item:vraag_b"})
    db = Store(data_dir=str(data_dir))
    pid = db.create_project("Eigen vragen").id
    db.add_import(pid, frame, META)
    db.close()
    at = _profielen(pid)
    assert "Kies de vragen voor beide assen" in "\n".join(i.value for i in at.info)
    at.multiselect(key=f"kompas_eng_{pid}").set_value(["item:vraag_a"])
    at.multiselect(key=f"kompas_trust_{pid}").set_value(["item:vraag_a"])
    next(b for b in at.button if b.label == "Vragen opslaan").click().run()
    assert "maar bij één as" in at.main.error[0].value  # one question, one axis
    at.multiselect(key=f"kompas_trust_{pid}").set_value(["item:vraag_b"])
    next(b for b in at.button if b.label == "Vragen opslaan").click().run()
    assert not at.exception and not at.main.error
    assert not any("Kies de vragen" in i.value for i in at.info)
    # the kompas chart, drawn with Vega-Lite (no Plotly bundle for Profielen)
    assert not at.get("plotly_chart")
    assert any(json.loads(c.proto.spec)["description"].startswith("Kompas:") for c in at.get("vega_lite_chart"))
    assert Store(data_dir=str(data_dir)).get_project(pid).settings["kompas_items"] == {
        "engagement": ["item:vraag_a"], "trust": ["item:vraag_b"]}
