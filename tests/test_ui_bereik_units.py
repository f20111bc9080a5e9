"""AppTest of the Bereik page: household type and tenure are compared as persons (CBS counts
households and dwellings), so their tabs state how persons were derived, and the page has
'Zo is gerekend' with every assumption; person dimensions carry no such note."""
from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from engagement.demo import demo_reference
from surveys.categories import DIMENSION_LABELS

APP = Path(__file__).resolve().parents[1] / "app.py"


def test_household_and_tenure_state_the_persons_assumptions(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("BEREIKWIJZER_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("BEREIKWIJZER_DATABASE_URL", raising=False)
    at = AppTest.from_file(str(APP), default_timeout=90).run()  # the demo's Bereik page
    assert not at.exception and at.title[0].value == "Bereik"
    notes = {}
    for tab in at.tabs:
        texts = [str(c.value) for c in tab.caption]
        notes[tab.label] = [t for t in texts if t.startswith(":material/info:")]
    household = notes[DIMENSION_LABELS["household"]]
    tenure = notes[DIMENSION_LABELS["tenure"]]
    # the derived-persons sentences of the demo reference, not the old households caveat
    assert any("Zo is gerekend" in t and "Huishouden telt personen, niet huishoudens" in t
               and "2 personen" in t for t in household)
    assert any("Zo is gerekend" in t and "Woning telt personen, niet woningen" in t for t in tenure)
    assert not any("**huishoudens**, geen personen" in t for t in household + tenure)
    assert not notes[DIMENSION_LABELS["age"]] and not notes[DIMENSION_LABELS["gender"]]
    # the expander lists every assumption of the reference
    expander = next(e for e in at.expander if e.label == "Zo is gerekend")
    listed = " ".join(str(m.value) for m in expander.markdown)
    for sentence in demo_reference().assumptions:
        assert sentence.split(":")[0].split(",")[0] in listed


def test_old_household_reference_keeps_its_caveat() -> None:
    """A reference saved before persons were derived (households, no assumptions) still warns."""
    import importlib
    import sys
    from types import SimpleNamespace

    sys.modules.pop("ui.pages.bereik", None)
    from unittest import mock
    with mock.patch("ui.widgets.run_page"):
        bereik = importlib.import_module("ui.pages.bereik")
    old = SimpleNamespace(units={}, assumptions=())
    assert "**huishoudens**" in bereik.unit_note("household", old)
    new = demo_reference()
    assert bereik.unit_note("household", new) is None
    assert bereik.persons_note("household", new).startswith("Zo is gerekend: Huishouden telt personen")
    assert bereik.excluded_text({"test": 3, "non_resident": 2, "under_min_age": 1}, 18) == \
        "Niet meegeteld: 3 testinvoer, 2 woont niet in de buurt, 1 jonger dan 18."
    assert bereik.excluded_text({}, 18) == ""
