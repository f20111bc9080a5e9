"""Weekly progress cannot be subtracted (issue 12): one rule in reports.privacy,
used by the dashboard's Voortgang page and the report's Voortgang sheet.

The audit plays the attacker: from a published table (shown cumulative counts, marks, and
the week totals that the shares give away) it bounds every hidden count and every
difference between two shown weeks with a linear program. A count or a difference is
recovered when only one whole number fits; no hidden count below k, and no difference
0 < d < k, may be recovered.
"""
from __future__ import annotations

import io
import itertools
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from openpyxl import load_workbook
from scipy.optimize import linprog

from reports import privacy
from reports.report import _progress_table

K = privacy.DEFAULT_K
COUNT = "Respondenten (totaal tot nu)"


# --------------------------------------------------------------------------- the attacker

def _known_total(week: pd.DataFrame) -> float | None:
    """The week's total among known answers, given away by any shown count with its share."""
    for n, share in zip(week["count"], week["share"]):
        if isinstance(n, (int, float)) and isinstance(share, (int, float)) and share > 0:
            return float(n) / float(share)
    return None


def _one_whole_number(low: float, high: float) -> float | None:
    """The value when only one whole number lies in [low, high]."""
    if not (math.isfinite(low) and math.isfinite(high)):
        return None
    first, last = math.ceil(low - 1e-6), math.floor(high + 1e-6)
    return float(first) if first == last else None


def audit(table: pd.DataFrame, k: int = K) -> list[str]:
    """Leaks in one dimension's published table (columns period, group, count, share; count is
    a number or a mark '<k' / 'x'). Returns a description per leak (empty: nothing recovered)."""
    periods = sorted(table["period"].unique())
    groups = list(dict.fromkeys(table["group"]))
    cell = {(r.period, r.group): r.count for r in table.itertuples()}
    hidden = [key for key, v in cell.items() if isinstance(v, str)]
    index = {key: i for i, key in enumerate(hidden)}
    leaks: list[str] = []
    for key, value in cell.items():  # shown counts themselves
        if not isinstance(value, str) and 1e-9 < value < k - 1e-9:
            leaks.append(f"shown small count {key}={value}")
    a_eq, b_eq, a_ub, b_ub = [], [], [], []

    def term(key, sign, row) -> float:  # a constant for a shown cell, a variable otherwise
        if key in index:
            row[index[key]] += sign
            return 0.0
        return sign * float(cell[key])

    for period in periods:
        total = _known_total(table[table["period"] == period])
        if total is not None:
            row = np.zeros(len(hidden))
            constant = sum(term((period, g), 1.0, row) for g in groups)
            if row.any():
                a_eq.append(row)
                b_eq.append(total - constant)
    for earlier, later in itertools.pairwise(periods):  # cumulative: never shrinks
        for g in groups:
            row = np.zeros(len(hidden))
            constant = term((earlier, g), 1.0, row) + term((later, g), -1.0, row)
            if row.any():
                a_ub.append(row)
                b_ub.append(-constant)
    bounds = [(0.0, k - 1e-9) if cell[key] == privacy.primary_mark(k) else (0.0, None) for key in hidden]

    def value_range(objective: np.ndarray, constant: float) -> tuple[float, float]:
        if not objective.any():
            return constant, constant
        ends = []
        for sign in (1.0, -1.0):
            res = linprog(sign * objective, A_ub=np.array(a_ub) if a_ub else None, b_ub=b_ub or None,
                          A_eq=np.array(a_eq) if a_eq else None, b_eq=b_eq or None, bounds=bounds,
                          method="highs")
            assert res.status in (0, 3), res.message  # 3: unbounded above (no known total)
            ends.append(sign * res.fun + constant if res.status == 0 else -sign * math.inf)
        return ends[0], ends[1]

    for key in hidden:  # every hidden count
        objective = np.zeros(len(hidden))
        objective[index[key]] = 1.0
        value = _one_whole_number(*value_range(objective, 0.0))
        if value is not None and 0 < value < k:
            leaks.append(f"hidden count {key}={value:g} recovered")
    for earlier, later in itertools.combinations(periods, 2):  # every difference of one group
        sets = [[g] for g in groups]
        sets.append([g for g in groups if isinstance(cell[(later, g)], str)])  # the hidden sum
        for members in sets:
            if not members:
                continue
            objective = np.zeros(len(hidden))
            constant = sum(term((later, g), 1.0, objective) + term((earlier, g), -1.0, objective)
                           for g in members)
            value = _one_whole_number(*value_range(objective, constant))
            if value is not None and 0 < value < k:
                leaks.append(f"new {'+'.join(map(str, members))} between {earlier} and {later} = {value:g}")
    return leaks


def published(sheet: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The report's Voortgang sheet as the audit reads it, per Kenmerk."""
    frame = sheet.rename(columns={"Periode": "period", "Groep": "group", COUNT: "count", "Aandeel": "share"})
    return {dim: part[["period", "group", "count", "share"]].reset_index(drop=True)
            for dim, part in frame.groupby("Kenmerk", sort=False)}


def progress_rows(counts: pd.DataFrame, dimension: str = "gender") -> pd.DataFrame:
    """Rows in the shape of engagement.progress.cumulative_coverage from cumulative counts
    (index: week ends, one column per group)."""
    rows = []
    for end, week in counts.iterrows():
        total = float(week.sum())
        for group, n in week.items():
            share = n / total if total else 0.0
            rows.append({"period_end": end, "dimension": dimension, "category": group, "n": float(n),
                         "share": share, "ratio": share * len(week), "flag": "ok", "label": "in lijn",
                         "to_reach": max(0, math.ceil(total / len(week) - n))})
    return pd.DataFrame(rows)


def old_week_only_table(rows: pd.DataFrame) -> pd.DataFrame:
    """What the sheet published before: each week protected on its own (report_privacy.protect_frame)."""
    protected, _ = privacy.protect_frame(rows.reset_index(drop=True), "n", ["share", "ratio"],
                                         ["period_end", "dimension"], K)
    return pd.DataFrame({"period": rows["period_end"].to_numpy(), "group": rows["category"].to_numpy(),
                         "count": protected["n"].to_numpy(), "share": protected["share"].to_numpy()})


def report_table(rows: pd.DataFrame, hidden: dict[str, str] | None = None) -> pd.DataFrame:
    sheet = _progress_table(rows, hidden or {}, K)
    return next(iter(published(sheet).values()))


ISSUE = pd.DataFrame({"man": [22, 29, 38], "vrouw": [30, 45, 61], "anders": [1, 3, 4]},
                     index=pd.to_datetime(["2026-01-04", "2026-01-11", "2026-01-18"]))


# --------------------------------------------------------------------------- tests

def test_issue_example_leaked_before_and_not_now() -> None:
    """22 → 29 → 38 men with a small 'anders': week by week the sheet hid 'anders' and, as its
    complement, 'man'; the shares give each week's total, so man + anders per week follows,
    and with it the new people in week 2."""
    rows = progress_rows(ISSUE)
    before = audit(old_week_only_table(rows))
    assert any("man+anders" in leak or "anders+man" in leak for leak in before), before
    table = report_table(rows)
    assert audit(table) == []
    assert table["period"].nunique() < 3  # the weeks with 7 and 9 new men are merged
    assert (table.loc[table["group"] == "Anders", "count"] != 1).all()


def test_the_dashboard_and_the_report_use_one_rule() -> None:
    from ui import progress_privacy as page

    rows = progress_rows(ISSUE)
    dashboard = page.protect_progress(rows, K)
    sheet = _progress_table(rows, {}, K)
    assert len(dashboard) == len(sheet)
    marks = [privacy.mark(s, K) if s else n for s, n in zip(dashboard["status"], dashboard["n"])]
    assert marks == list(sheet[COUNT])
    assert page.cell_status is privacy.progress_status


def test_a_group_hidden_in_the_coverage_table_is_hidden_every_week() -> None:
    counts = pd.DataFrame({"man": [40, 60], "vrouw": [45, 70], "anders": [12, 25]},
                          index=pd.to_datetime(["2026-01-04", "2026-01-11"]))
    table = report_table(progress_rows(counts), hidden={"anders": privacy.SECONDARY})
    assert (table.loc[table["group"] == "Anders", "count"] == privacy.SECONDARY_MARK).all()
    assert audit(table) == []


def test_hidden_rows_show_no_share_ratio_verdict_or_date() -> None:
    rows = progress_rows(ISSUE).assign(target_reached_at=pd.Timestamp("2026-01-11"))
    sheet = _progress_table(rows, {}, K)
    hidden = sheet[sheet[COUNT].map(lambda v: isinstance(v, str))]
    assert not hidden.empty
    # a share or ratio of a hidden count reads '–' ('<10' there read as "under 10 %")
    assert (hidden["Aandeel"] == "–").all() and (hidden["Verhouding"] == "–").all()
    assert (hidden["Oordeel"] == "verborgen").all() and (hidden["Doel bereikt op"] == "").all()
    assert not hidden["Nog te spreken"].map(lambda v: isinstance(v, int) and v > 0).any()


@pytest.mark.parametrize("seed", range(30))
def test_random_weeks_leak_nothing(seed: int) -> None:
    rng = np.random.default_rng(seed)
    weeks, groups = int(rng.integers(2, 9)), int(rng.integers(2, 6))
    new = rng.poisson(rng.uniform(0.3, 14, size=groups), size=(weeks, groups))
    counts = pd.DataFrame(new.cumsum(axis=0), columns=[f"g{i}" for i in range(groups)],
                          index=pd.date_range("2026-01-04", periods=weeks, freq="W"))
    rows = progress_rows(counts)
    table = report_table(rows)
    assert audit(table) == [], seed
    assert str(counts.index[-1].date()) in set(table["period"])  # the latest week is always shown


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(st.integers(0, 14), min_size=3, max_size=3), min_size=2, max_size=6))
def test_hypothesis_weeks_leak_nothing(new: list[list[int]]) -> None:
    counts = pd.DataFrame(np.cumsum(np.array(new), axis=0), columns=["a", "b", "c"],
                          index=pd.date_range("2026-01-04", periods=len(new), freq="W"))
    assert audit(report_table(progress_rows(counts))) == []


def test_how_often_the_old_sheet_leaked() -> None:
    """Not a bound, a measurement: the week-only rule leaks in most random fieldworks."""
    leaked = 0
    for seed in range(30):
        rng = np.random.default_rng(seed)
        weeks, groups = int(rng.integers(2, 9)), int(rng.integers(2, 6))
        new = rng.poisson(rng.uniform(0.3, 14, size=groups), size=(weeks, groups))
        counts = pd.DataFrame(new.cumsum(axis=0), columns=[f"g{i}" for i in range(groups)],
                              index=pd.date_range("2026-01-04", periods=weeks, freq="W"))
        leaked += bool(audit(old_week_only_table(progress_rows(counts))))
    print(f"old week-only rule: {leaked} of 30 random fieldworks leak; new rule: 0")
    assert leaked > 0


def test_demo_report_voortgang_sheet_leaks_nothing() -> None:
    demo = pytest.importorskip("store.demo")
    from engagement.coverage import compute_coverage
    from engagement.progress import cumulative_coverage
    from reports.report import build_html, build_xlsx

    respondents, reference = demo.demo_respondents(), demo.demo_reference()
    coverage = compute_coverage(respondents, reference)
    progress = cumulative_coverage(respondents, reference)
    data = build_xlsx(coverage=coverage, respondents=respondents, progress=progress, project_name="Demo")
    rows = list(load_workbook(io.BytesIO(data))["Voortgang"].iter_rows(values_only=True))
    sheet = pd.DataFrame([r for r in rows[1:] if r[0] and r[1]], columns=rows[0])
    sheet = sheet.loc[:, [c for c in sheet.columns if c]]
    checked = 0
    for dim, table in published(sheet).items():
        assert audit(table) == [], dim
        checked += len(table)
    assert checked > 0
    # the HTML report lays out the same protected table
    html = build_html(coverage=coverage, respondents=respondents, progress=progress, project_name="Demo")
    from reports.text import fmt_date

    for period in sheet["Periode"].unique():
        assert fmt_date(period) in html


def test_the_method_text_explains_merged_weeks() -> None:
    from report_fixtures import make_coverage

    from reports.text import method_lines

    text = " ".join(method_lines(make_coverage(), K))
    assert f"1 tot {K - 1} mensen bij kreeg, zijn samengevoegd" in text


def test_people_without_a_date_cannot_be_subtracted_from_todays_figures() -> None:
    """Bereik counts everyone, Voortgang only the dated: 3 undated men would be the
    difference between the latest week and today's count. Today's counts are the anchor."""
    from engagement.coverage import compute_coverage
    from engagement.progress import progress_result
    from reference.model import BuurtReference
    from reports.report import build_report_data

    reference = BuurtReference(areas=(("BU1", "Proef"),), year=2024, table="t", population=4000,
                               eligible_population=4000, min_age=18,
                               dimensions={"gender": {"man": 2000, "vrouw": 2000}})
    weeks = ["2026-01-05"] * 50 + ["2026-01-12"] * 50 + [None] * 3
    gender = (["man"] * 20 + ["vrouw"] * 30) + (["man"] * 25 + ["vrouw"] * 25) + ["man"] * 3
    frame = pd.DataFrame({"gender": gender, "responded_at": pd.to_datetime(weeks)})
    coverage = compute_coverage(frame, reference, weighting=False)
    progress = progress_result(frame, reference)
    assert progress.undated == 3
    data = build_report_data(coverage=coverage, progress=progress)
    sheet = published(data.progress)["Geslacht"]
    today = data.coverage[data.coverage["Kenmerk"] == "Geslacht"]
    shares = today["Aandeel respondenten"].to_numpy()  # "vandaag" sorts after the dates
    with_today = pd.concat([sheet, pd.DataFrame({"period": "vandaag", "group": today["Groep"].to_numpy(),
                                                 "count": today["Respondenten"].to_numpy(),
                                                 "share": shares})], ignore_index=True)
    assert audit(with_today) == []
    # without the anchor the latest week (45 men) would sit 3 below today's 48
    old = _progress_table(progress, {}, K)
    assert 45 in set(old[COUNT]) and 45 not in set(data.progress[COUNT])
