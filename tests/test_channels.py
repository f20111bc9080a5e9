"""Which channel reaches whom (engagement/channels.py), checked against hand counts.

The frame: 40 respondents. Street talks (straatgesprek): 20 people, 9 of them 15-25;
online: 20 people, 2 of them 15-25; one online row is a test and does not count, one
street row is 16 while the reference starts at 18 (under_min_age: not counted either).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

from engagement.channels import (
    EVIDENCE,
    RULES,
    ChannelReach,
    channel_reach,
    rank_channels,
    ranking_sentence,
)
from reference.model import BuurtReference


def reference() -> BuurtReference:
    return BuurtReference(areas=(("BU0000XX01", "Voorbeeldbuurt"),), year=2024, table="test",
                          population=1000, eligible_population=1000, min_age=18,
                          dimensions={"age": {"18-25": 200, "25-65": 600, "65+": 200}})


def respondents() -> pd.DataFrame:
    street = [20] * 9 + [40] * 8 + [70] * 3
    online = [22] * 2 + [40] * 15 + [70] * 3
    ages = street + online + [16, 40]
    channel = ["straatgesprek"] * 20 + ["online"] * 20 + ["straatgesprek", "online"]
    week = (["2024-03-05"] * 10 + ["2024-03-12"] * 10 + ["2024-03-06"] * 20
            + ["2024-03-05", "2024-03-06"])
    excluded = [""] * 40 + ["", "test"]
    return pd.DataFrame({"respondent_id": range(42), "age": ages, "channel": channel,
                         "responded_at": pd.to_datetime(week), "excluded": excluded})


def test_yield_per_channel_equals_the_hand_count_with_a_wilson_interval():
    reach = channel_reach(respondents(), reference(), by_week=False)
    street = {r.category: r for r in reach.overall("age", "18-25") if r.channel == "straatgesprek"}
    young = street["18-25"]
    assert young.respondents == 20 and young.group == 9 and young.share == pytest.approx(0.45)
    low, high = proportion_confint(9, 20, method="wilson")
    assert (young.ci_low, young.ci_high) == pytest.approx((low, high), abs=1e-12)
    online = [r for r in reach.overall("age", "18-25") if r.channel == "online"][0]
    assert online.respondents == 20 and online.group == 2  # the test row is left out
    assert not reach.effort_logged and young.per_hour is None


def test_per_week_rows_split_the_channel():
    reach = channel_reach(respondents(), reference())
    frame = reach.to_frame()
    street = frame[(frame.channel == "straatgesprek") & (frame.category == "18-25") & (frame.week != "")]
    assert dict(zip(street.week, street.group)) == {"2024-03-04": 9.0, "2024-03-11": 0.0}
    assert street.respondents.tolist() == [10, 10]


def test_effort_gives_people_per_hour_overall_and_per_week():
    effort = pd.DataFrame({"channel": ["straatgesprek", "straatgesprek", "online"],
                           "week_start": pd.to_datetime(["2024-03-04", "2024-03-11", "2024-03-04"]).date,
                           "hours": [3.0, 1.5, 2.0], "sessions": [2, 1, 0]})
    reach = channel_reach(respondents(), reference(), effort=effort)
    assert reach.effort_logged
    overall = {r.channel: r for r in reach.overall("age", "18-25")}
    assert overall["straatgesprek"].per_hour == pytest.approx(9 / 4.5)
    assert overall["online"].per_hour == pytest.approx(2 / 2.0)
    weekly = [r for r in reach.rows if r.week == "2024-03-04" and r.channel == "straatgesprek"
              and r.category == "18-25"][0]
    assert weekly.hours == 3.0 and weekly.per_hour == pytest.approx(3.0)


def test_ranking_uses_evidence_first_then_the_rule_table():
    reach = channel_reach(respondents(), reference(), by_week=False)
    # 9 and 2 young people: below MIN_GROUP (10), so no evidence by default
    assert [(r.channel, r.basis) for r in rank_channels(reach, "age", "18-25", rule_channels=["huisbezoek"])
            ] == [("huisbezoek", RULES)]
    ranked = rank_channels(reach, "age", "18-25", rule_channels=["huisbezoek", "online"], min_group=2)
    assert [(r.channel, r.basis) for r in ranked] == [
        ("straatgesprek", EVIDENCE), ("online", EVIDENCE), ("huisbezoek", RULES)]
    sentence = ranking_sentence(ranked, "jongeren", {"straatgesprek": "straatgesprekken"})
    assert sentence.startswith("Voor jongeren werkte dit kanaal tot nu toe het best: straatgesprekken (45 van elke 100")
    assert "eigen cijfers" in sentence


def test_a_channel_with_fewer_than_min_group_of_the_group_is_not_evidence():
    frame = respondents()
    extra = pd.DataFrame({"respondent_id": [100, 101, 102], "age": [20, 20, 20],
                          "channel": ["huisbezoek"] * 3, "responded_at": pd.to_datetime(["2024-03-05"] * 3),
                          "excluded": [""] * 3})
    reach = channel_reach(pd.concat([frame, extra], ignore_index=True), reference(), by_week=False)
    assert [r.channel for r in rank_channels(reach, "age", "18-25", min_group=4)] == ["straatgesprek"]
    assert [r.channel for r in rank_channels(reach, "age", "18-25", min_group=3)][0] == "huisbezoek"
    # per hour never decides (the plan and the report have no hours): the yield per contact does
    effort = pd.DataFrame({"channel": ["online"], "week_start": pd.to_datetime(["2024-03-04"]).date,
                           "hours": [0.5], "sessions": [1]})
    partly = channel_reach(frame, reference(), effort=effort, by_week=False)
    ranked = rank_channels(partly, "age", "18-25", min_group=2)
    assert ranked[0].channel == "straatgesprek" and ranked[1].per_hour == pytest.approx(4.0)


def test_without_evidence_the_sentence_names_the_rule_table():
    empty = ChannelReach(rows=())
    ranked = rank_channels(empty, "age", "18-25", rule_channels=["huisbezoek"])
    assert ranked[0].basis == RULES
    assert "adviezentabel" in ranking_sentence(ranked, "jongeren")
    assert ranking_sentence([], "jongeren") == (
        "Voor jongeren is nog niet te zeggen welk kanaal het best werkt: via geen enkel kanaal "
        "sprak u al 10 mensen uit deze groep.")


def test_round_trip_and_no_counted_rows():
    reach = channel_reach(respondents(), reference())
    assert ChannelReach.from_dict(reach.to_dict()) == reach
    nobody = respondents().assign(excluded="test")
    assert channel_reach(nobody, reference()).rows == ()
    assert np.isfinite(reach.to_frame()["share"]).all()
