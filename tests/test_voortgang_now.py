"""Voortgang's 'nu' is today, as on Bereik: the same respondents (also those without a date)
and the same figures from the one coverage computation; the weekly lines keep the dated
rows only and say how many rows they leave out (walk-through finding #3)."""
from __future__ import annotations

from collections.abc import Hashable
from pathlib import Path

import pandas as pd
import pytest
from builders import stacked_tables
from streamlit.testing.v1 import AppTest

from engagement.coverage import compute_coverage
from engagement.progress import progress_now, progress_result
from reference.model import BuurtReference
from reports import privacy
from ui.progress_parts import ONLY_NOW, reached_frame
from ui.progress_privacy import merged_last_week, merged_last_week_text

APP = Path(__file__).resolve().parents[1] / "app.py"
K = privacy.DEFAULT_K
AGE: dict[str, float] = {"15-25": 600, "25-45": 1400, "45-65": 1200, "65+": 800}


def reference() -> BuurtReference:
    return BuurtReference(areas=(("BU1", "Proef"),), year=2024, table="t", population=4000,
                          eligible_population=4000, min_age=18, dimensions={"age": AGE})


def respondents(undated_bands: list[str]) -> pd.DataFrame:
    """Three dated weeks with exact ages, plus undated rows with only an age band (as an SPSS
    file without dates gives them: '18-29' is split over 18-25 and 25-45)."""
    ages = [20] * 5 + [30] * 15 + [50] * 15 + [70] * 10  # per week
    rows: list[dict[str, object]] = [{"age": a, "responded_at": day} for day in ("2024-03-05", "2024-03-12", "2024-03-19")
            for a in ages]
    bounds = {"18-29": (18, 30), "30-39": (30, 40), "65-74": (65, 75)}
    for band in undated_bands:
        low, high = bounds[band]
        rows.append({"age_band": band, "age_low": low, "age_high": high, "responded_at": None})
    frame = pd.DataFrame(rows)
    frame["responded_at"] = pd.to_datetime(frame["responded_at"])
    return frame


def _protected(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, object]:
    """What the Voortgang page draws for age: the raw weeks, the protected weeks, today's coverage."""
    ref = reference()
    coverage = compute_coverage(frame, ref)
    weeks = progress_result(frame, ref).to_frame()
    raw = weeks[weeks["dimension"] == "age"]
    current: dict[Hashable, float] = {c.category: float(c.respondents) for d in coverage.dimensions if d.dimension == "age"
               for c in d.categories}
    return raw, privacy.protect_progress(raw.assign(n_raw=raw["n"]), K, current=current), coverage


def test_now_is_bereiks_coverage_with_the_undated_rows_counted() -> None:
    frame = respondents(["18-29"] * 12 + ["65-74"] * 30)
    ref = reference()
    progress = progress_result(frame, ref)
    coverage = compute_coverage(frame, ref)
    assert progress.undated == 42
    assert "42 respondenten hebben geen datum" in progress.warnings[0]
    assert "niet in de lijnen en cijfers per week" in progress.warnings[0]
    now = progress_now(progress, coverage, "age")
    bereik = next(d for d in coverage.dimensions if d.dimension == "age").categories
    # the very objects Bereik shows: one computation, the same figures
    assert [r.coverage for r in now] == list(bereik)
    last = progress.to_frame().query("period_end == period_end.max()").set_index("category")
    young = next(r for r in now if r.coverage.category == "15-25")
    # the last dated week is not today: the undated rows add 7 of 12 years of '18-29'
    assert young.coverage.respondents == pytest.approx(last.at["15-25", "n"] + 12 * 7 / 12)
    assert young.coverage.to_reach != last.at["15-25", "to_reach"]
    table = reached_frame(_protected(frame)[1], now, 18).set_index("Groep")
    assert [table.at[g, "Nog te spreken (nu)"] for g in table.index] == \
        [f"{c.to_reach:,}".replace(",", ".") for c in bereik]


def test_undated_rows_can_reach_a_group_only_now() -> None:
    """Reached today only thanks to the rows without a date: said so, not a week's date."""
    frame = respondents(["65-74"] * 12 + ["18-29"] * 60)
    ref = reference()
    progress, coverage = progress_result(frame, ref), compute_coverage(frame, ref)
    now = {r.coverage.category: r for r in progress_now(progress, coverage, "age")}
    assert now["15-25"].reached and now["15-25"].only_now and now["15-25"].on_target_since is None
    assert now["15-25"].target_reached_at is None
    table = reached_frame(_protected(frame)[1], tuple(now.values()), 18).set_index("Groep")
    # 60 undated of 18-29 put the young above their share: said too
    assert table.at["18 tot 25 jaar", "Genoeg gesproken sinds"] == f"{ONLY_NOW} (meer dan in de buurt)"
    assert table.at["18 tot 25 jaar", "Voor het eerst genoeg"] == "nu"


def test_the_last_week_for_age_is_left_out_when_the_undated_add_fewer_than_k() -> None:
    """The walk-through: Leeftijd stopped a week early. Nine undated '18-29' rows add 5.25 to
    18-25: showing the last week next to today's 18-25 would give that away, so the rule
    merges the last week into today. The page says so; without undated rows it is shown."""
    raw, part, _ = _protected(respondents(["18-29"] * 9 + ["65-74"] * 20))
    weeks = sorted(raw["period_end"].unique())
    assert weeks[-1] not in set(part["period_end"]) and not part.empty
    assert merged_last_week(raw, part) == weeks[-1]
    text = merged_last_week_text("24-03-2024", 29, K)
    assert "24-03-2024" in text and "29 mensen zonder datum" in text and f"kleiner dan {K}" in text
    raw, part, _ = _protected(respondents([]))
    assert part["period_end"].max() == raw["period_end"].max()
    assert merged_last_week(raw, part) is None


@pytest.fixture()
def undated_demo(tmp_path, monkeypatch) -> Path:
    """The demo project with one more import of 40 rows without a date."""
    from store import demo as demo_data
    from store.projects import Store

    monkeypatch.setenv("BEREIKWIJZER_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("BEREIKWIJZER_DATABASE_URL", raising=False)
    AppTest.from_file(str(APP), default_timeout=90).run()  # installs the demo project
    rows = demo_data.demo_respondents(seed=3).head(40).copy()
    rows = rows.assign(respondent_id=[f"U_{i:03d}" for i in range(len(rows))], responded_at=pd.NaT,
                       source="zonder_datum.xlsx")
    store = Store(data_dir=str(tmp_path))
    try:
        project = next(p for p in store.list_projects() if p.is_demo)
        store.add_import(project.id, rows, {"file_name": "zonder_datum.xlsx", "channel": "papier"})
    finally:
        store.close()
    return tmp_path


@pytest.mark.timeout(600)
def test_voortgang_page_now_equals_bereiks_figures(undated_demo) -> None:
    from store.demo import demo_reference
    from store.projects import Store

    at = AppTest.from_file(str(APP), default_timeout=120).run()
    at.switch_page("ui/pages/voortgang.py").run()
    assert not at.exception, at.exception
    assert any("40 respondenten hebben geen datum" in c.value for c in at.caption)
    status = next(t for t in stacked_tables(at) if "Nog te spreken (nu)" in t.columns)
    store = Store(data_dir=str(undated_demo))
    try:
        project = next(p for p in store.list_projects() if p.is_demo)
        frame = store.respondents(project.id)
    finally:
        store.close()
    assert frame["responded_at"].isna().sum() == 40
    coverage = compute_coverage(frame, demo_reference(), targets=project.targets or None)
    age = next(d for d in coverage.dimensions if d.dimension == "age")
    assert list(status["Nog te spreken (nu)"]) == [f"{c.to_reach:,}".replace(",", ".") for c in age.categories]
