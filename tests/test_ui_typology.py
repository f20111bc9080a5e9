"""The VNG Burgerpeiling typology in the dashboard: an AppTest imports a Burgerpeiling .sav
on Importeren and sees the summary on the preview; the project keeps only the aggregate
result (no row of the file); Profielen shows the section; another SPSS file shows nothing
of it; removing the import drops the saved typology."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from profiles.typology import burgerpeiling_typology
from store.projects import Store
from tests import builders
from tests.test_typology import ROWS, _frame, _sav
from ui import typology_panel
from ui.widgets import pct

APP = Path(__file__).resolve().parents[1] / "app.py"
SAV = "application/octet-stream"
FILE = "burgerpeiling_2024.sav"
ROWS_80 = ROWS * 10  # 10 weerbaren, 10 buitenstaanders, 10 compenseerders, 50 kwetsbaren


@pytest.fixture()
def data_dir(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("BEREIKWIJZER_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("BEREIKWIJZER_DATABASE_URL", raising=False)
    return tmp_path


def _importeren() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    at.switch_page("ui/pages/importeren.py").run()
    assert not at.exception, at.exception
    return at


def _import(at: AppTest) -> None:
    next(b for b in at.button if b.label.startswith("Importeer")).click().run()
    assert not at.exception, at.exception
    assert not at.main.error, [e.value for e in at.main.error]
    assert any("nieuwe antwoorden" in s.value for s in at.success)


def _settings(data_dir: Path, project_id: int) -> dict:
    db = Store(data_dir=str(data_dir))
    try:
        return db.get_project(project_id).settings
    finally:
        db.close()


def _leaves(value) -> list:
    """Every list in a nested to_dict() form, to look for anything per respondent."""
    if isinstance(value, dict):
        return [x for v in value.values() for x in _leaves(v)]
    if isinstance(value, list):
        return [value] + [x for v in value for x in _leaves(v)]
    return []


def test_burgerpeiling_preview_saved_aggregates_and_profielen(data_dir) -> None:
    frame = _frame(rows=ROWS_80)
    expected = burgerpeiling_typology(frame)
    at = _importeren()
    pid = at.session_state["project_id"]
    at.file_uploader[0].upload(FILE, _sav(frame), SAV).run()
    assert not at.exception, at.exception
    preview = [i.value for i in at.info if "Dit is een VNG Burgerpeiling" in i.value]
    assert len(preview) == 1, [i.value for i in at.info]
    assert "80 respondenten" in preview[0]
    for share in expected.types:  # the same percentages as Profielen shows (12,5% → 13% on both)
        assert f"{share.name.lower()} {pct(share.share)}" in preview[0]
    assert typology_panel.SETTINGS_KEY not in _settings(data_dir, pid)  # nothing kept before the import

    _import(at)
    saved = _settings(data_dir, pid)[typology_panel.SETTINGS_KEY]
    assert list(saved) == [FILE]
    kept = saved[FILE]
    assert [t["count"] for t in kept["types"]] == [10, 10, 10, 50]
    assert [t["share"] for t in kept["types"]] == pytest.approx([t.share for t in expected.types])
    assert kept["n"] == 80 and kept["summary"] == expected.summary
    # aggregates only: no list as long as the file, nothing keyed per respondent, a few KB at most
    assert all(len(items) < 10 for items in _leaves(kept)), [len(x) for x in _leaves(kept)]
    assert set(kept) <= {"n", "n_typed", "weighted", "types", "zorgwekkend", "zorgwekkend_count",
                         "comparable", "cutoffs", "assumption", "missing_variables", "warnings", "summary"}
    assert len(json.dumps(kept)) < 5000

    at.switch_page("ui/pages/profielen.py").run()
    assert not at.exception, at.exception
    assert typology_panel.SECTION_TITLE in [h.value for h in at.header]
    metrics = {m.label: m.value for m in at.metric}
    for share in expected.types:
        assert metrics[share.name] == pct(share.share)
    captions = "\n".join(c.value for c in at.caption)
    weerbaren = expected.types[0]
    assert f"Tussen {pct(weerbaren.low)} en {pct(weerbaren.high)}" in captions  # the 95% interval
    assert "De grenzen zijn een aanname" in captions  # the assumption, always
    assert "Zorgwekkend" in "\n".join(m.value for m in at.markdown)
    assert "participatie" in "\n".join(m.value for m in at.markdown)  # the two axes explained
    assert not any(typology_panel.NOT_PUBLISHED in w.value for w in at.warning)  # 12,5% weerbaar

    # removing the import drops its typology from the project
    at.switch_page("ui/pages/importeren.py").run()
    table = next(t for t in builders.stacked_tables(at) if "Geïmporteerd op" in t.columns)
    position = list(table["Bestand"]).index(FILE) + 1  # option 0 is "Kies een import…"
    at.selectbox(key="remove_import").select_index(position).run()
    next(b for b in at.button if b.label == "Verwijder deze import").click().run()
    assert not at.exception, at.exception
    assert _settings(data_dir, pid).get(typology_panel.SETTINGS_KEY) == {}


def test_other_spss_file_shows_nothing_of_it(data_dir) -> None:
    at = _importeren()
    pid = at.session_state["project_id"]
    at.file_uploader[0].upload("andere_enquete.sav", builders.spss_sav(20, seed=2), SAV).run()
    assert not at.exception, at.exception
    assert any(m.label == "Antwoorden" and m.value == "20" for m in at.metric)  # the preview is there
    assert not any("Burgerpeiling" in i.value for i in at.info)
    _import(at)
    assert typology_panel.SETTINGS_KEY not in _settings(data_dir, pid)
    at.switch_page("ui/pages/profielen.py").run()
    assert not at.exception, at.exception
    assert typology_panel.SECTION_TITLE not in [h.value for h in at.header]


def _draw(typologies: dict) -> None:
    from profiles.typology import TypologyResult
    from ui import typology_panel

    typology_panel.show_section({name: TypologyResult.from_dict(data) for name, data in typologies.items()})


def test_small_types_hidden_and_not_comparable_said() -> None:
    small = burgerpeiling_typology(_frame())  # 8 people: every type under 10
    mostly_weerbaar = burgerpeiling_typology(_frame(rows=[ROWS[0]] * 30 + ROWS))  # 31 of 38 weerbaar
    assert not mostly_weerbaar.comparable and small.comparable
    at = AppTest.from_function(_draw, args=({"klein.sav": small.to_dict(),
                                             "weerbaar.sav": mostly_weerbaar.to_dict()},),
                               default_timeout=60).run()
    assert not at.exception, at.exception
    assert [s.value for s in at.subheader] == ["klein.sav", "weerbaar.sav"]  # one heading per file
    values = [m.value for m in at.metric]
    assert values[:4] == ["–"] * 4  # small: no percentage
    assert values[4] == pct(mostly_weerbaar.share_of("weerbaren"))
    warnings = [w.value for w in at.warning]
    assert len(warnings) == 1 and typology_panel.NOT_PUBLISHED in warnings[0]
    captions = "\n".join(c.value for c in at.caption)
    assert captions.count("De grenzen zijn een aanname") == 2  # the assumption under each file
    assert "VNG toont de typologie dan niet" not in captions  # said once, as the warning


def test_stored_form_drops_a_quoted_cell() -> None:
    """A warning about text in a code column quotes a cell; the project keeps it without."""
    warning = ("Kolom 'zw04' in bp.csv bevat tekst in plaats van codes (bijvoorbeeld rij 3: 'Jan (zei') ja'); "
               "die antwoorden tellen niet mee. Gebruik het SPSS-bestand of een export met codes.")
    stored = typology_panel.stored_form({"n": 3, "warnings": [warning]})
    assert stored["warnings"] == ["Kolom 'zw04' in bp.csv bevat tekst in plaats van codes; die antwoorden "
                                  "tellen niet mee. Gebruik het SPSS-bestand of een export met codes."]
    settings = typology_panel.with_typology({"retention_months": 12}, "a.sav", {"n": 3, "warnings": []})
    assert settings["retention_months"] == 12 and settings["vng_typology"] == {"a.sav": {"n": 3, "warnings": []}}
    assert typology_panel.without_typology(settings, "b.sav") is None
    assert typology_panel.without_typology(settings, "a.sav")["vng_typology"] == {}
