"""The fieldwork planner: joint needs per group, the channel mix, and `bereikwijzer plan`.

DESIGN's worked example: population 600/1300/1200/900 (15-25/25-45/45-65/65+),
respondents 8/38/62/52, n = 160. Which definition gives which number:
- to_reach (DESIGN, at today's n): ⌈0.15·160⌉ − 8 = 16 and ⌈0.325·160⌉ − 38 = 14;
- only 15-25 added, until its share: (8 + x)/(160 + x) ≥ 0.15 → x ≥ 16/0.85 = 18.8 → 19;
- no group under its share (goal "share"): N* = 52/0.225 = 231.1; 0.15·231.1 − 8 = 26.7 → 27,
  0.325·231.1 − 38 = 37.1 → 38, 0.3·231.1 − 62 = 7.3 → 8 (45-65 falls under its share
  when the others are added), 65+ none;
- no group flagged under (goal "flag", ratio ≥ 0.8): 15 and 11, total 186.
"""
from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from engagement.planner import (
    continuous_total,
    describe_plan,
    joint_needed,
    margin_sample_size,
    needed_alone,
    plan_fieldwork,
)
from reference.model import BuurtReference
from ui.cli import app

POPULATION = {"15-25": 600, "25-45": 1300, "45-65": 1200, "65+": 900}
COUNTS = np.array([8.0, 38.0, 62.0, 52.0])
SHARES = np.array([600, 1300, 1200, 900]) / 4000


def worked_reference(**dims) -> BuurtReference:
    return BuurtReference(areas=(("BU0000XX01", "Voorbeeldbuurt"),), year=2024, table="test",
                          population=4000, eligible_population=4000, min_age=15,
                          dimensions={"age": dict(POPULATION), **dims})


def worked_respondents() -> pd.DataFrame:
    ages = [20] * 8 + [30] * 38 + [50] * 62 + [70] * 52
    return pd.DataFrame({"respondent_id": range(len(ages)), "age": ages})


def test_only_one_group_added() -> None:
    assert needed_alone(8, 160, 0.15) == math.ceil(16 / 0.85) == 19
    assert needed_alone(38, 160, 0.325) == math.ceil(14 / 0.675) == 21
    assert needed_alone(62, 160, 0.3) == 0


def test_no_group_under_its_share_gives_27_and_38() -> None:
    assert continuous_total(COUNTS, SHARES, 1.0) == pytest.approx(52 / 0.225)
    n_star = 52 / 0.225
    expected = [math.ceil(0.15 * n_star - 8), math.ceil(0.325 * n_star - 38),
                math.ceil(0.3 * n_star - 62), 0]
    assert expected == [27, 38, 8, 0]
    assert joint_needed(COUNTS, SHARES, level=1.0).tolist() == expected


def _feasible(extra: np.ndarray, level: float) -> bool:
    total = COUNTS.sum() + extra.sum()
    return bool(np.all((COUNTS + extra) / total >= level * SHARES - 1e-12))


def test_no_group_flagged_under_is_the_smallest_whole_plan() -> None:
    plan = joint_needed(COUNTS, SHARES, level=0.8)
    assert plan.tolist() == [15, 11, 0, 0]
    assert _feasible(plan, 0.8)
    # 23/186 = 12.4 % ≥ 0.8 × 15 % = 12 % and 49/186 = 26.3 % ≥ 0.8 × 32.5 % = 26 %
    assert (8 + 15) / 186 >= 0.12 and (38 + 11) / 186 >= 0.26
    # brute force: no allocation of fewer than 26 extra people works
    for total in range(26):
        for a in range(total + 1):
            for b in range(total - a + 1):
                for c in range(total - a - b + 1):
                    extra = np.array([a, b, c, total - a - b - c], dtype=float)
                    assert not _feasible(extra, 0.8), extra
    # adding each group's lone number is not enough once both are added
    alone = np.array([needed_alone(8, 160, 0.15, 0.8), needed_alone(38, 160, 0.325, 0.8), 0, 0])
    assert alone.tolist() == [13, 5, 0, 0] and not _feasible(alone, 0.8)


def test_plan_fieldwork_on_the_worked_example() -> None:
    plan = plan_fieldwork(worked_respondents(), worked_reference())
    age = {g.category: g for g in plan.groups}
    assert [age[c].to_reach for c in POPULATION] == [16, 14, 0, 0]
    assert [age[c].needed for c in POPULATION] == [15, 11, 0, 0]
    assert plan.total_needed == 26
    assert age["15-25"].reason_code == "under" and age["45-65"].reason_code == "ok"
    share = plan_fieldwork(worked_respondents(), worked_reference(), goal="share")
    assert [g.needed for g in share.groups] == [27, 38, 8, 0] and share.total_needed == 73
    assert [g.needed_alone for g in share.groups][:2] == [19, 21]
    assert share.groups[2].reason_code == "dilution"
    data = json.loads(json.dumps(plan.to_dict()))
    assert set(data) >= {"groups", "channels", "total_needed"}
    assert set(data["groups"][0]) >= {"dimension", "category", "respondents", "needed", "reason"}


def test_two_dimensions_share_one_total() -> None:
    frame = worked_respondents()
    frame["gender"] = ["man"] * 40 + ["vrouw"] * 120
    reference = worked_reference(gender={"man": 2000, "vrouw": 2000})
    plan = plan_fieldwork(frame, reference)
    needs = {(g.dimension, g.category): g.needed for g in plan.groups}
    # gender alone: (40 + x)/(160 + x) ≥ 0.4 → x ≥ 24/0.6 = 40; age alone 26; together one
    # total T where both hold: every dimension's needs fit in T
    assert plan.total_needed == max(needs[("gender", "man")],
                                    needs[("age", "15-25")] + needs[("age", "25-45")])
    for dim, counts, shares in (("age", COUNTS, SHARES),
                                ("gender", np.array([40.0, 120.0]), np.array([0.5, 0.5]))):
        cats = list(POPULATION) if dim == "age" else ["man", "vrouw"]
        extra = np.array([needs[(dim, c)] for c in cats], dtype=float)
        extra[np.argmax(counts / shares)] += plan.total_needed - extra.sum()  # the free rest
        total = counts.sum() + plan.total_needed
        assert np.all((counts + extra) / total >= 0.8 * shares - 1e-12)
    assert any("meer groepen tegelijk" in n for n in plan.notes)


def channel_frame() -> pd.DataFrame:
    """Online brought mostly 45+; street conversations mostly young people, 4 per day."""
    online = [50] * 50 + [70] * 45 + [30] * 20 + [20] * 1
    street = [20] * 7 + [30] * 18 + [50] * 12 + [70] * 7
    days = pd.to_datetime(["2026-03-02"] * 11 + ["2026-03-04"] * 11 + ["2026-03-07"] * 11
                          + ["2026-03-09"] * 11)
    return pd.DataFrame({
        "age": online + street,
        "channel": ["online"] * len(online) + ["straatgesprek"] * len(street),
        "responded_at": list(pd.to_datetime(["2026-03-01"] * len(online))) + list(days)})


def test_channel_mix_meets_every_goal_in_expectation() -> None:
    frame = channel_frame()
    assert len(frame) == 160 and (frame["age"] == 20).sum() == 8
    plan = plan_fieldwork(frame, worked_reference(), weeks=2)
    totals = {row["channel"]: row for row in plan.channel_totals}
    street = totals["straatgesprek"]
    assert street["per_day"] == 11 and street["contacts"] > 0
    assert street["days"] == math.ceil(street["contacts"] / 11)
    assert street["per_week"] == math.ceil(street["contacts"] / 2)
    yields = {(a.channel, a.category): a.yield_ for a in plan.channels}
    assert yields[("straatgesprek", "15-25")] == pytest.approx(7 / 44)
    assert yields[("online", "15-25")] == pytest.approx(1 / 116)
    street_young = next(a for a in plan.channels if (a.channel, a.category) == ("straatgesprek", "15-25"))
    # 15 young people at 7 per 44 street respondents: ⌈15 × 44 / 7⌉ = 95; 11 a day × 7/44 = 1.75
    assert street_young.contacts_for_group == math.ceil(15 * 44 / 7) == 95
    assert street_young.per_day == pytest.approx(1.75)
    # expected respondents after the mix: every group at ≥ 0.8 × its share
    mix = {ch: row["contacts"] for ch, row in totals.items()}
    groups = list(POPULATION)
    after = COUNTS.copy()
    for ch, m in mix.items():
        sub = frame[frame["channel"] == ch]
        after += m * np.array([(sub["age"] == a).mean() for a in (20, 30, 50, 70)])
    total = COUNTS.sum() + sum(mix.values())
    assert np.all(after / total >= 0.8 * SHARES - 1e-9), (after, total)
    # street alone is the cheapest here; online contacts would dilute the young share
    assert mix["online"] == 0 and plan.total_contacts == mix["straatgesprek"]
    assert {g.category for g in plan.groups if g.needed} == set(groups[:2])
    assert "straatgesprek" in describe_plan(plan) and "per week" in describe_plan(plan)


def test_a_group_no_channel_brings_is_reported() -> None:
    frame = channel_frame()
    frame = frame[frame["age"] != 20]  # nobody of 15-25 from any channel
    plan = plan_fieldwork(frame, worked_reference())
    assert ("age", "15-25") in plan.unreachable
    young = next(g for g in plan.groups if g.category == "15-25")
    assert young.reason_code == "unreached" and young.needed > 0
    assert any("nieuw kanaal" in n for n in plan.notes)


def test_margin_goal_sample_size_with_fpc() -> None:
    # the widest share is 32.5 %: 1.96² × 0.325 × 0.675 / 0.05² = 337.1, FPC with N = 4,000
    n0 = 1.959964 ** 2 * 0.325 * 0.675 / 0.05 ** 2
    assert margin_sample_size(SHARES, 0.05, 4000) == pytest.approx(n0 / (1 + (n0 - 1) / 4000), rel=1e-5)
    plan = plan_fieldwork(worked_respondents(), worked_reference(), goal="margin", margin=0.05)
    assert plan.total_needed == math.ceil(n0 / (1 + (n0 - 1) / 4000) - 160)
    assert sum(g.needed for g in plan.groups) <= plan.total_needed
    with pytest.raises(ValueError, match="foutmarge"):
        plan_fieldwork(worked_respondents(), worked_reference(), goal="margin")


def test_cli_plan_json(tmp_path) -> None:
    survey = tmp_path / "antwoorden.csv"
    frame = channel_frame().rename(columns={"age": "Leeftijd", "channel": "Kanaal"})
    frame.to_csv(survey, index=False)
    reference = tmp_path / "buurt.csv"
    reference.write_text("dimensie,categorie,aantal\n" + "".join(
        f"leeftijd,{band},{count}\n" for band, count in
        (("15-25", 600), ("25-45", 1300), ("45-65", 1200), ("65+", 900))), encoding="utf-8")
    out = tmp_path / "plan.json"
    result = CliRunner().invoke(app, ["plan", str(survey), "--reference", str(reference),
                                      "--min-age", "15", "--json", str(out)])
    assert result.exit_code == 0, (result.output, result.exception)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert set(data) >= {"groups", "channels", "total_needed"}
    age = {g["category"]: g for g in data["groups"] if g["dimension"] == "age"}
    assert age["15-25"]["respondents"] == 8 and age["15-25"]["needed"] == 15
    assert data["total_needed"] == 26
    assert "nog 26 mensen spreken" in result.stdout
    weekly = CliRunner().invoke(app, ["plan", str(survey), "--reference", str(reference),
                                      "--min-age", "15", "--weeks", "2", "--json", str(out)])
    assert weekly.exit_code == 0 and "Week 2:" in weekly.stdout
    assert {row["week"] for row in json.loads(out.read_text(encoding="utf-8"))["weekly"]} == {1, 2}
    bad = CliRunner().invoke(app, ["plan", str(survey), "--reference", str(reference),
                                   "--goal", "alles"])
    assert bad.exit_code == 2 and "Onbekend doel" in bad.stderr


def test_band_goal_also_dilutes_the_over_represented() -> None:
    # shares 20/30/50 %, respondents 18/45/37: ratios 0.9, 1.5, 0.74
    reference = BuurtReference(areas=(), year=None, table="t", population=1000,
                               eligible_population=1000, min_age=0,
                               dimensions={"tenure": {"koop": 200, "huur_corporatie": 300,
                                                      "huur_overig": 500}})
    frame = pd.DataFrame({"tenure": ["koop"] * 18 + ["huur_corporatie"] * 45 + ["huur_overig"] * 37})
    flag = plan_fieldwork(frame, reference)
    # (37 + x)/(100 + x) ≥ 0.8 × 0.5 → 0.6x ≥ 3 → 5
    assert [g.needed for g in flag.groups] == [0, 0, 5] and flag.total_needed == 5
    band = plan_fieldwork(frame, reference, goal="band")
    # 45 of N ≤ 1.25 × 30 % → N ≥ 120: 20 more, of whom ⌈0.16·120 − 18⌉ = 2 koop and
    # ⌈0.4·120 − 37⌉ = 11 other rent; the other 7 may go to any group with room
    assert band.total_needed == 20 and [g.needed for g in band.groups] == [2, 0, 11]
    assert 45 / 120 <= 1.25 * 0.3 + 1e-12


def test_weekly_plan_spreads_the_numbers() -> None:
    from engagement.planner import weekly_plan

    plan = plan_fieldwork(channel_frame(), worked_reference())
    table = weekly_plan(plan, 4)
    young = table[(table["kind"] == "groep") & (table["what"] == "Leeftijd – 15 tot 25 jaar")]
    assert young["number"].tolist() == [4, 4, 4, 3]  # 15 over four weeks
    street = table[(table["kind"] == "kanaal") & (table["what"] == "straatgesprek")]
    assert street["number"].sum() == plan.total_contacts
    assert set(table["week"]) == {1, 2, 3, 4}
    with pytest.raises(ValueError, match="weken"):
        weekly_plan(plan, 0)


def test_a_channel_barely_above_the_goal_is_no_lever() -> None:
    """A channel whose yield of a group is only 0.5 point above the group's goal share
    would need thousands of contacts (the mix divides by that gain): the group is reported
    as not lifted by any channel instead (the demo once suggested 19,345 contacts)."""
    from engagement.planner import MIN_GAIN, _channel_mix

    cats = ["jong", "oud"]
    n_k = np.array([10.0, 90.0])
    shares = np.array([0.25, 0.75])
    counts = {"age": (cats, n_k, shares, None)}
    level = 0.8  # goal share of 'jong': 0.2
    barely = {"straat": {"age": np.array([0.2 + MIN_GAIN / 4, 0.8 - MIN_GAIN / 4])}}
    mix, unreachable, _ = _channel_mix(["straat"], barely, counts, level, {})
    assert ("age", "jong") in unreachable and (mix is None or mix.sum() == 0)
    clear = {"straat": {"age": np.array([0.5, 0.5])}}
    mix, unreachable, _ = _channel_mix(["straat"], clear, counts, level, {})
    assert mix is not None and not unreachable and 0 < mix.sum() < 100
