"""One eligibility rule on every page (walk-through #4, #6): a project with answers from
people younger than the minimum age shows the same n on Bereik, Profielen (kompas and
groups), Thema's and in the report; and when the groups method finds one group, Profielen
says so plainly instead of showing a card that reads as a finding."""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from engagement.coverage import eligible_respondents
from engagement.themes import counted_themes
from store.demo import demo_reference, demo_respondents
from store.projects import Store
from ui import analysis

APP = Path(__file__).resolve().parents[1] / "app.py"
YOUNG = 6


def _young(rows: int = YOUNG) -> pd.DataFrame:
    """Demo rows with every statement and an open answer, as if 15-year-olds gave them."""
    demo = demo_respondents()
    full = demo[demo.filter(like="item:").notna().all(axis=1) & demo["text:wens_buurt"].notna()]
    young = full.head(rows).copy()
    young["respondent_id"] = [f"J{i:03d}" for i in range(len(young))]
    young[["age", "age_low", "age_high"]] = [15.0, np.nan, np.nan]
    young["age_band"] = "15-25"
    young["age_estimated"] = False
    young["channel"] = "straatgesprek"
    return young.reset_index(drop=True)


@pytest.fixture()
def with_young(tmp_path, monkeypatch) -> Path:
    """The demo project (made by the first run) plus an import of under-age answers."""
    monkeypatch.setenv("BEREIKWIJZER_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("BEREIKWIJZER_DATABASE_URL", raising=False)
    AppTest.from_file(str(APP), default_timeout=120).run()
    store = Store(data_dir=str(tmp_path))
    try:
        demo = next(p for p in store.list_projects() if p.is_demo)
        store.add_import(demo.id, _young(), {"file_name": "jongeren.xlsx", "channel": "straatgesprek"})
        assert len(store.respondents(demo.id)) == len(demo_respondents()) + YOUNG
    finally:
        store.close()
    return tmp_path


def _metric(at, label: str) -> int:
    return int(str(next(m.value for m in at.metric if m.label == label)).replace(".", ""))


def _profiled(at) -> tuple[int, int]:
    """(people with a profile, people with too few answers) as the Profielen page says them."""
    captions = [str(c.value) for c in at.caption]
    with_profile = {int(m.group(1).replace(".", "")) for c in captions
                    if (m := re.search(r"van de ([\d.]+) mensen met een profiel", c))}
    assert len(with_profile) == 1, captions
    too_few = [int(m.group(1).replace(".", "")) for c in captions
               if (m := re.search(r"([\d.]+) respondenten hebben (?:te weinig|minder dan de helft)", c))]
    return with_profile.pop(), sum(too_few)


@pytest.mark.timeout(900)
def test_every_page_counts_the_rows_bereik_counts(with_young) -> None:
    at = AppTest.from_file(str(APP), default_timeout=180).run()
    at.switch_page("ui/pages/bereik.py").run()
    assert not at.exception and not at.main.error
    counted = _metric(at, "Gesproken")
    assert counted == len(demo_respondents())  # the under-age rows do not count on Bereik
    assert any(f"{YOUNG} jonger dan 18 jaar" in str(c.value) for c in at.caption)

    at.switch_page("ui/pages/profielen.py").run()
    assert not at.exception and not at.main.error
    assert any(f"Niet meegeteld: {YOUNG} jonger dan 18 jaar" in str(c.value) for c in at.caption)
    kompas = _profiled(at)
    assert sum(kompas) == counted, kompas  # everyone counted: with a profile or with too few answers
    at.radio[0].set_value("lca").run()
    assert not at.exception and not at.main.error
    groups = _profiled(at)
    assert sum(groups) == counted, groups

    at.switch_page("ui/pages/themas.py").run()
    assert not at.exception and not at.main.error
    told = _metric(at, "Deelnemers die iets vertelden")
    store = Store(data_dir=str(with_young))
    try:
        project = store.list_projects()[0]
        resp = store.respondents(project.id)
    finally:
        store.close()
    report_themes = counted_themes(resp, 18)  # what the report and the CLI report show
    assert report_themes is not None and told == report_themes.matrix.respondents
    everyone = counted_themes(resp, 0)
    assert everyone is not None and everyone.matrix.respondents == told + YOUNG  # the test can tell

    # the report's profiles (Rapport, Aanbevelingen) are fitted on the same rows as the page's
    ref, axes = demo_reference(), project.settings.get("kompas_items")  # as the Rapport page passes them
    report = analysis.analysed(resp, ref, {}, {}, axes=axes)
    assert report.coverage.respondents == counted
    assert report.profiles is not None and sum(c.size for c in report.profiles.cards) == kompas[0]
    young_ids = set(_young()["respondent_id"])
    assert not young_ids & set(report.profiles.assignments["respondent_id"].astype(str))


def test_profile_rows_are_the_counted_rows_plus_the_yardstick_sample() -> None:
    """Under-age, test and preview rows go; a probability sample stays (the buurt shares'
    yardstick; the fit leaves it out by itself)."""
    resp = pd.concat([demo_respondents(), _young()], ignore_index=True)
    resp["excluded"] = ""
    resp.loc[0, "excluded"] = "test"
    resp.loc[1:3, "channel"] = "burgerpeiling"
    rows = analysis.profile_rows(resp, 18)
    counted, excluded = eligible_respondents(resp, 18)
    assert excluded == {"under_min_age": YOUNG, "probability_sample": 3, "test": 1}
    assert set(rows["respondent_id"]) == set(counted["respondent_id"]) | set(resp.loc[1:3, "respondent_id"])
    assert analysis.profile_rows(resp, 18) is rows  # one frame per content: its cache key is kept
    assert len(analysis.profile_rows(resp, 0)) == len(rows) + YOUNG


@pytest.fixture()
def one_group(tmp_path, monkeypatch) -> Path:
    """A project whose answers are noise: the groups method finds one group."""
    monkeypatch.setenv("BEREIKWIJZER_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("BEREIKWIJZER_DATABASE_URL", raising=False)
    rng = np.random.default_rng(1)
    n = 150
    frame = pd.DataFrame({"respondent_id": [f"R{i:03d}" for i in range(n)],
                          "channel": rng.choice(["online", "papier"], n), "age": rng.integers(18, 90, n)})
    for item in ("betrokken_buurt", "actief_buurt", "vertrouwen_gemeente", "gehoord_voelen"):
        frame[f"item:{item}"] = rng.integers(1, 6, n)
    store = Store(data_dir=str(tmp_path))
    try:
        project = store.create_project("Ruis", area_codes=[], min_age=18)
        store.add_import(project.id, frame, {"file_name": "ruis.xlsx", "channel": "online"})
    finally:
        store.close()
    return tmp_path


@pytest.mark.timeout(600)
def test_one_group_is_said_plainly_without_cards(one_group) -> None:
    at = AppTest.from_file(str(APP), default_timeout=180).run()
    at.switch_page("ui/pages/profielen.py").run()
    at.radio[0].set_value("lca").run()
    assert not at.exception and not at.main.error
    info = " ".join(str(i.value) for i in at.info)
    assert "De antwoorden laten geen aparte groepen zien" in info
    assert "150 mensen en 4 stellingen" in info and "Kompas" in info
    # nothing that reads as a finding about one group: no card, no name, no channels, no shares
    assert not at.text_input and not at.get("vega_lite_chart")
    text = " ".join(str(m.value) for m in at.markdown)
    assert "Afwachtend midden" not in text and "bereikt u het best" not in text and "100%" not in text
    assert not any("mensen met een profiel" in str(c.value) for c in at.caption)
    assert [e.label for e in at.expander] == ["Hoe zijn deze groepen berekend?"]  # the why stays

    at.radio[0].set_value("kompas").run()  # the kompas still sorts people on its fixed axes
    assert not at.exception and at.text_input and at.get("vega_lite_chart")


def test_the_cli_pipeline_fits_profiles_on_the_counted_rows_too() -> None:
    """engagement.pipeline.analyse (the CLI's `report` and `coverage`) uses the same rows as
    the pages: the under-age answers change neither the profiles nor their buurt shares."""
    from engagement.pipeline import analyse

    reference = demo_reference()
    demo = demo_respondents()
    plain = analyse(demo, reference)
    mixed = analyse(pd.concat([demo, _young()], ignore_index=True), reference)
    assert plain.profiles is not None and mixed.profiles is not None
    assert len(mixed.profiles.assignments) == len(plain.profiles.assignments)
    assert not mixed.profiles.assignments["respondent_id"].astype(str).str.startswith("J").any()
    assert [s.respondent_share for s in mixed.profile_coverage.profiles] == pytest.approx(
        [s.respondent_share for s in plain.profile_coverage.profiles])
