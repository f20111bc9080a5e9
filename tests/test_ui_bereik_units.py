"""AppTest of the Bereik page: household type and tenure are compared as persons (CBS counts
households and dwellings), so their tabs state how persons were derived, and the page has
'Zo is gerekend' with every assumption; person dimensions carry no such note."""
from __future__ import annotations

from pathlib import Path

from builders import stacked_tables
from streamlit.testing.v1 import AppTest

from store.demo import demo_reference, demo_respondents
from surveys.categories import DIMENSION_LABELS

APP = Path(__file__).resolve().parents[1] / "app.py"


def test_household_and_tenure_state_the_persons_assumptions(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("BEREIKWIJZER_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("BEREIKWIJZER_DATABASE_URL", raising=False)
    at = AppTest.from_file(str(APP), default_timeout=90).run()  # the demo's Bereik page
    assert not at.exception and at.title[0].value == "Bereik"
    notes = {}
    for label in [tab.label for tab in at.tabs]:  # only the chosen tab is drawn: open each
        at.session_state["bereik_kenmerk"] = label
        at.run()
        tab = next(t for t in at.tabs if t.label == label)
        texts = [str(c.value) for c in tab.caption]
        notes[label] = [t for t in texts if t.startswith(":material/info:")]
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
    from types import SimpleNamespace

    from ui import coverage_parts as bereik
    old = SimpleNamespace(units={}, assumptions=())
    assert "**huishoudens**" in bereik.unit_note("household", old)
    new = demo_reference()
    assert bereik.unit_note("household", new) is None
    assert bereik.persons_note("household", new).startswith("Zo is gerekend: Huishouden telt personen")
    from engagement.coverage import excluded_sentence  # the page shows the engine's sentence

    assert excluded_sentence({"test": 3, "non_resident": 2, "under_min_age": 1}, 18) == \
        "Niet meegeteld: 3 testinvoer, 2 woont niet in de buurt, 1 jonger dan 18 jaar."
    assert excluded_sentence({}, 18) == ""


def _project_with_exclusions_and_unknowns(data_dir: Path) -> None:
    """A project whose answers have excluded rows and a kenmerk that is mostly unknown."""
    import numpy as np

    from store.projects import Store

    frame = demo_respondents().reset_index(drop=True)
    frame["excluded"] = ""
    frame.loc[0:2, "excluded"] = "test"
    frame.loc[3:4, "excluded"] = "non_resident"
    frame.loc[5, ["age", "age_low", "age_high"]] = [16, 16, 17]
    frame.loc[5, "age_band"] = "15-25"
    # most families with children gave no household answer: among the known answers they
    # look under-represented, but the unknowns could turn that around ("onzeker")
    step = np.arange(len(frame)) % 10
    families = (frame["household"] == "met_kinderen").to_numpy()
    frame.loc[(families & (step < 8)) | (~families & (step < 3)), "household"] = None
    store = Store(data_dir=str(data_dir))
    project = store.create_project("Uitzonderingen", settings={"reference": demo_reference().to_dict()})
    store.add_import(project.id, frame, {"file_name": "test.xlsx", "content_hash": "t" * 12,
                                         "tool": "generic", "channel": "online", "fingerprint": "t",
                                         "mapping": {"fingerprint": "t", "roles": {}}, "who": "test"})


def test_bereik_names_exclusions_and_uncertain_groups(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("BEREIKWIJZER_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("BEREIKWIJZER_DATABASE_URL", raising=False)
    _project_with_exclusions_and_unknowns(tmp_path)
    at = AppTest.from_file(str(APP), default_timeout=90).run()
    assert not at.exception and not at.error
    captions = [str(c.value) for c in at.caption]
    assert any("Niet meegeteld: 3 testinvoer, 2 woont niet in de buurt, 1 jonger dan 18 jaar." in c
               for c in captions)
    assert at.metric[0].value == str(300 - 6)
    at.session_state["bereik_kenmerk"] = DIMENSION_LABELS["household"]  # only the open tab is drawn
    at.run()
    household = next(t for t in at.tabs if t.label == DIMENSION_LABELS["household"])
    texts = [str(c.value) for c in household.caption]
    share = next(t for t in texts if t.startswith("Onbekend:")).split("(")[1].split(":")[0]
    assert any("**Onzeker**" in t and share in t and "'onzeker'" in t for t in texts), texts
    assert any(t.startswith(":material/warning:") and "onzeker" in t for t in texts)
    # a table on a screen, one card per group on a phone (ui.widgets.stacked_table)
    table = stacked_tables(next(e for e in household.expander))[0]
    assert table["Oordeel"].str.startswith("onzeker: ").any()
    # the saved reference kept its assumptions: the persons note, not the households caveat
    assert any("Huishouden telt personen" in t for t in texts)
    # two-way cells without a table of combinations: said to be an estimate
    assert any("**Dit is een schatting.**" in c for c in captions)
