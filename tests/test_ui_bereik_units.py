"""AppTest of the Bereik page: household and tenure say that CBS counts households and
dwellings, not persons, so their comparison is indicative; person dimensions do not."""
from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from surveys.categories import DIMENSION_LABELS

APP = Path(__file__).resolve().parents[1] / "app.py"


def test_household_and_tenure_carry_the_unit_caveat(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("BEREIKWIJZER_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("BEREIKWIJZER_DATABASE_URL", raising=False)
    at = AppTest.from_file(str(APP), default_timeout=90).run()  # the demo's Bereik page
    assert not at.exception and at.title[0].value == "Bereik"
    notes = {}
    for tab in at.tabs:
        texts = [str(c.value) for c in tab.caption]
        notes[tab.label] = [t for t in texts if t.startswith(":material/info: Let op")]
    household = notes[DIMENSION_LABELS["household"]]
    assert any("**huishoudens**, geen personen" in t and "indicatie" in t for t in household)
    tenure = DIMENSION_LABELS["tenure"]
    assert any("**woningen**, geen personen" in t and "indicatie" in t for t in notes[tenure])
    assert not notes[DIMENSION_LABELS["age"]] and not notes[DIMENSION_LABELS["gender"]]
