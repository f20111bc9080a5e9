"""The fieldwork plan in the dashboard (ui.plan_tables, Aanbevelingen, Voortgang) and the
protection of weekly counts against subtraction (ui.progress_privacy, issue 12)."""
from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from builders import stacked_tables
from streamlit.testing.v1 import AppTest

from engagement.pipeline import analyse
from engagement.planner import Plan, plan_fieldwork
from engagement.progress import cumulative_coverage
from reference.model import BuurtReference
from store.demo import demo_reference, demo_respondents
from ui import plan_tables
from ui.progress_privacy import cell_status, kept_periods, progress_title, protect_channels, protect_progress

APP = Path(__file__).resolve().parents[1] / "app.py"
K = 10


def _worked_example(street_elders: int = 0) -> tuple[pd.DataFrame, BuurtReference]:
    """DESIGN.md worked example: population 600/1300/1200/900, respondents 8/38/62/52.
    `street_elders`: that many 65-plussers came through the street too, so the street has
    the 10 respondents the channel mix needs to plan on it (it still lifts 15-25 only)."""
    ref = BuurtReference(areas=(("BU0000TEST", "Testbuurt"),), year=2024, table="test",
                         population=4000, eligible_population=4000, min_age=15,
                         dimensions={"age": {"15-25": 600, "25-45": 1300, "45-65": 1200, "65+": 900}})
    ages = [20] * 8 + [30] * 38 + [50] * 62 + [70] * 52
    resp = pd.DataFrame({"respondent_id": [str(i) for i in range(len(ages))], "age": ages,
                         "channel": ["straatgesprek" if a == 20 else "online" for a in ages]})
    if street_elders:
        resp.loc[resp.index[-street_elders:], "channel"] = "straatgesprek"
    return resp, ref


# --------------------------------------------------------------------------- plan tables

def test_groups_table_shows_the_joint_number_next_to_to_reach() -> None:
    resp, ref = _worked_example()
    plan = plan_fieldwork(resp, ref)
    table = plan_tables.groups_table(plan).set_index("Groep")
    # DESIGN's worked example: to_reach 16 and 14 at n = 160, the joint plan 15 and 11
    assert table.loc["15 tot 25 jaar", "Nog te spreken (nu)"] == 16
    assert table.loc["15 tot 25 jaar", "Nodig in het plan"] == 15
    assert table.loc["25 tot 45 jaar", "Nodig in het plan"] == 11
    # alone: (8 + x) / (160 + x) >= 0.8 * 15 % = 0.12  ->  x >= 11.2 / 0.88 = 12.7  ->  13
    assert table.loc["15 tot 25 jaar", "Alleen deze groep erbij"] == 13
    assert table["Nodig in het plan"].sum() == plan.total_needed
    # only 8 young people, all through the street: fewer than MIN_GROUP (10), so by the one
    # rule (engagement.channels.best_order) there is too little to tell, not 'Straatgesprekken'
    assert table.loc["15 tot 25 jaar", "Beste kanaal tot nu toe"] == "nog niet te zeggen"
    assert table.loc["25 tot 45 jaar", "Beste kanaal tot nu toe"] == "Online"  # 38 of 152 online
    # every column with a number has its one-line explanation
    assert set(plan_tables.GROUP_HELP) == set(plan_tables.GROUP_COLUMNS) - {"Kenmerk", "Groep"}
    assert set(plan_tables.CHANNEL_HELP) == set(plan_tables.CHANNEL_COLUMNS) - {"Kanaal"}


def test_weeks_table_adds_up_and_csv_is_safe() -> None:
    resp, ref = _worked_example()
    plan = plan_fieldwork(resp, ref)
    weeks = plan_tables.weeks_table(plan, 3)
    week_columns = ["Week 1", "Week 2", "Week 3"]
    assert (weeks[week_columns].sum(axis=1) == weeks["Totaal"]).all()
    groups = weeks[weeks["Soort"] == "Groep"].set_index("Wat")["Totaal"]
    assert groups["Leeftijd – 15 tot 25 jaar"] == 15 and groups["Leeftijd – 25 tot 45 jaar"] == 11
    # online brings 25-45 below their goal, so the street mix lifts 15-25 only: the weekly
    # plan names the groups and no channel numbers that would not bring them all
    assert not plan.covers_plan and (weeks["Soort"] == "Groep").all()
    # a channel name typed as a formula is escaped in the printable CSV
    evil = Plan(goal="flag", total_needed=3, groups=plan.groups,
                channel_totals=({"channel": "=HYPERLINK(\"http://x\")", "contacts": 3,
                                 "respondents_so_far": 20},), total_contacts=3)
    data = plan_tables.weeks_csv(plan_tables.weeks_table(evil, 2)).decode("utf-8")
    assert data.startswith("\ufeffSoort;Wat;Week 1;Week 2;Totaal")
    assert "'=hyperlink" in data.lower() and "\n=" not in data and ";=" not in data


def test_unrealistic_mix_is_said_and_left_out_of_the_weekly_plan() -> None:
    resp, ref = _worked_example(street_elders=4)  # a street of 12: enough to plan on
    plan = plan_fieldwork(resp, ref)
    assert plan.total_contacts
    assert plan_tables.realistic(plan, room=10_000)
    assert not plan_tables.realistic(plan, room=plan.total_contacts - 1)
    lines = " ".join(plan_tables.plan_lines(plan, room=plan.total_contacts - 1))
    assert "meer dan er bewoners over zijn" in lines
    assert (plan_tables.weeks_table(plan, 2, channels=False)["Soort"] == "Groep").all()


def test_a_mix_on_fewer_than_ten_young_says_it_is_rough_in_the_text_and_the_metric() -> None:
    """The street brought 8 young people: the mix lifts them, but on too little to tell
    (the best-channel rule asks 10), so the page's sentence and Voortgang's metric say so."""
    resp, ref = _worked_example(street_elders=4)
    plan = plan_fieldwork(resp, ref)
    assert plan.thin == (("age", "15-25"),)
    text = plan_tables.mix_text(plan, room=10_000, min_age=15) or ""
    assert "Voor jongeren van 15 tot 25 jaar is dat een ruwe schatting" in text
    label, value, help_text = plan_tables.mix_metric(plan, room=10_000, min_age=15) or ("", "", "")
    assert value == str(plan.total_contacts) and "ruwe schatting" in help_text
    assert "ruwe schatting" in " ".join(plan_tables.plan_lines(plan, room=10_000, min_age=15))


def test_saved_reference_keeps_assumptions_and_margins() -> None:
    from ui.state import reference_from_dict

    ref = demo_reference()
    back = reference_from_dict(ref.to_dict())
    assert back.assumptions == ref.assumptions and back.assumptions
    assert back.margins == ref.margins and back.margins
    assert back.to_dict() == ref.to_dict()


# --------------------------------------------------------------------------- suppression

def _check_protected(counts: pd.DataFrame, status: pd.DataFrame, k: int = K) -> None:
    """What a reader could do with the shown cells: subtract between weeks, with today's
    figures, or within a week from the total. Nothing small must come out."""
    table = counts.sort_index().fillna(0.0)
    latest = table.iloc[-1]
    for group in status.columns:
        shown = [table.at[p, group] for p in status.index if not status.at[p, group]]
        for a, b in itertools.combinations(shown + [latest[group]], 2):
            assert abs(a - b) < 1e-6 or abs(a - b) >= k - 1e-6, (group, a, b)
        for p in status.index:
            value = table.at[p, group]
            if not status.at[p, group]:
                assert value == 0 or value >= k
    for p in status.index:
        assert (status.loc[p] != "").sum() != 1  # one hidden cell follows from the total
    # hidden later → hidden earlier: the pattern cannot be played off between weeks
    for later, earlier in zip(status.index[::-1], status.index[::-1][1:]):
        assert set(status.columns[status.loc[later] != ""]) <= set(status.columns[status.loc[earlier] != ""])


def test_issue_example_man_plus_anders_week_two_is_not_recoverable() -> None:
    # cumulative 22 → 29 → 38 for man, small 'anders' (the case of issue 12)
    counts = pd.DataFrame({"man": [22, 29, 38], "vrouw": [30, 45, 61], "anders": [1, 3, 4]},
                          index=pd.to_datetime(["2026-01-04", "2026-01-11", "2026-01-18"]))
    status = cell_status(counts, K)
    _check_protected(counts, status)
    assert len(status) < 3  # weeks with 7 and 9 new men are merged
    assert (status["anders"] != "").all()


@pytest.mark.parametrize("seed", range(25))
def test_random_weekly_counts_leak_no_small_difference(seed: int) -> None:
    rng = np.random.default_rng(seed)
    weeks, groups = int(rng.integers(2, 10)), int(rng.integers(2, 6))
    new = rng.poisson(rng.uniform(0.5, 15, size=groups), size=(weeks, groups))
    counts = pd.DataFrame(new.cumsum(axis=0), columns=[f"g{i}" for i in range(groups)],
                          index=pd.date_range("2026-01-04", periods=weeks, freq="W"))
    status = cell_status(counts, K)
    assert counts.index[-1] in status.index
    _check_protected(counts, status)


def test_protect_progress_hides_share_ratio_and_keeps_latest_week() -> None:
    resp = demo_respondents()
    ref = demo_reference()
    progress = cumulative_coverage(resp, ref, freq="W")
    for dim, part in progress.groupby("dimension"):
        rows = protect_progress(part, K)
        hidden = rows["status"] != ""
        assert rows["n"][hidden].isna().all() and rows["share"][hidden].isna().all()
        assert rows["ratio"][hidden].isna().all()
        assert rows["period_end"].max() == part["period_end"].max()
        counts = part.pivot_table(index="period_end", columns="category", values="n", aggfunc="sum")
        status = rows.pivot(index="period_end", columns="category", values="status")
        _check_protected(counts, status)
        # the title never names a group the table hides
        title = progress_title(rows, dim)
        last = rows[rows["period_end"] == rows["period_end"].max()]
        from engagement.coverage import GROUP_PHRASES
        for category in last.loc[last["status"] != "", "category"]:
            assert GROUP_PHRASES.get(category, category) not in title
    channels = protect_channels(progress[progress["dimension"] == "age"], K)
    counts = channels.pivot(index="period_end", columns="channel", values="n")
    assert ((counts.isna()) | (counts == 0) | (counts >= K)).all().all()


def test_title_leaves_out_a_hidden_group() -> None:
    rows = pd.DataFrame({"period_end": pd.to_datetime(["2026-01-04"] * 3),
                         "category": ["15-25", "25-45", "45-65"], "ratio": [np.nan, 0.5, 1.0],
                         "status": ["primary", "", ""]})
    title = progress_title(rows, "age")
    assert "jongeren" not in title and "mensen van 25 tot 45 jaar" in title
    rows.loc[1, "ratio"] = 1.0
    assert "getoonde groepen" in progress_title(rows, "age")


def test_kept_periods_of_an_empty_table() -> None:
    assert kept_periods(pd.DataFrame(), K) == []


# --------------------------------------------------------------------------- pages

@pytest.fixture
def demo_app(tmp_path, monkeypatch) -> AppTest:
    monkeypatch.setenv("BEREIKWIJZER_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("BEREIKWIJZER_DATABASE_URL", raising=False)
    return AppTest.from_file(str(APP), default_timeout=120).run()


def test_aanbevelingen_shows_the_plan_and_its_numbers(demo_app) -> None:
    at = demo_app.switch_page("ui/pages/aanbevelingen.py").run()
    assert not at.exception and not at.error
    assert [h.value for h in at.header][:1] == ["Veldwerkplan"]
    expected = analyse(demo_respondents(), demo_reference())
    # a table that wraps on a screen and is one card per group on a phone (ui.widgets.stacked_table)
    groups = stacked_tables(at)[0]
    groups["Nodig in het plan"] = groups["Nodig in het plan"].astype(int)
    want = {(g.dimension, g.category): g.needed for g in expected.plan.groups if g.needed > 0}
    assert sorted(groups["Nodig in het plan"]) == sorted(want.values())
    # one person counts for every kenmerk: per kenmerk the needs fit in the plan's total
    assert (groups.groupby("Kenmerk")["Nodig in het plan"].sum() <= expected.plan.total_needed).all()
    text = " ".join(str(m.value) for m in at.markdown)
    assert f"nog {expected.plan.total_needed} mensen" in text
    for advice in expected.advice:
        if advice.needed:
            assert f"Spreek nog {advice.needed} " in text
    # the weekly plan is the last stacked table: a card per row on a phone, weeks and total in it
    weeks = stacked_tables(at)[-1]
    assert list(weeks.columns[-1:]) == ["Totaal"] and "Week 4" in weeks.columns
    at.number_input[0].set_value(2).run()
    weeks = stacked_tables(at)[-1]
    assert "Week 2" in weeks.columns and "Week 3" not in weeks.columns
    captions = " ".join(str(c.value) for c in at.caption)
    assert "Nodig in het plan" in captions
    assert "tot nu toe het best" in captions or "Volgens de adviezentabel" in captions
    assert [b.label for b in at.get("download_button")] == ["Download weekplan (.csv voor Excel)"]


def test_voortgang_shows_protected_weeks_and_the_plan(demo_app) -> None:
    at = demo_app.switch_page("ui/pages/voortgang.py").run()
    assert not at.exception and not at.error
    # a table on a screen, a card per week and group on a phone (ui.widgets.stacked_table)
    table = next(t for t in stacked_tables(at) if "Week tot en met" in t.columns)
    assert list(table.columns) == ["Week tot en met", "Groep", "Gesproken (opgeteld)",
                                   "Aandeel gesproken", "Verhouding"]
    for _, rows in table.groupby("Groep"):
        numbers = [int(v) for v in rows["Gesproken (opgeteld)"] if str(v).isdigit()]
        assert all(n == 0 or n >= K for n in numbers)
        for a, b in itertools.combinations(numbers, 2):
            assert a == b or abs(a - b) >= K
    labels = [m.label for m in at.metric]
    assert "Nog spreken volgens het plan" in labels
    assert "Aanbevelingen" in " ".join(str(c.value) for c in at.caption)
