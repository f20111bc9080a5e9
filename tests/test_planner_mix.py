"""What the planner's channel mix means, and which groups the plan steers on.

Hand-worked examples (level 0.8, so a group's goal is 0.8 × its share):

- *Dilution*: shares 20/40/40 %, respondents 10/34/56 (n = 100). Group b is at 34 % ≥ its
  goal 32 % today. Channel x brings only a (its 10 respondents: a channel needs 10 to be
  planned on), channel y only b. Lifting a
  alone with x takes ⌈6 / 0.84⌉ = 8 contacts (10 + x ≥ 0.16 · (100 + x)), and then b has
  34 / 108 = 31.5 % < 32 %: b is pushed under. The plan itself (every person chosen to fill
  a gap) needs 9: at T = 9, a ⌈0.16 · 109 − 10⌉ = 8 and b ⌈0.32 · 109 − 34⌉ = 1. The mix
  may never ask fewer conversations than that: 9 contacts, 8 via x and 1 via y give
  a (10 + 8) / 109 = 16.5 % and b (34 + 1) / 109 = 32.1 %.
- *Part of the plan*: DESIGN's worked example (8/38/62/52 of 600/1300/1200/900) where all
  8 young people and 4 of the 65-plussers came through street conversations (12: enough
  to plan on) and everyone else online. Online brings 38 / 148 = 25.7 % of 25-45, below
  its goal 26 %: no channel lifts 25-45. The mix then only lifts 15-25. Its share alone
  would take 8 + ⅔m ≥ 0.12 · (160 + m) → m ≥ 11.2 / 0.547 = 20.5 → 21 street
  conversations, which bring 14 young people; the plan asks 15 of them, so the mix asks
  ⌈15 / ⅔⌉ = 23 (never fewer of a group than "Spreek nog 15"). That is fewer than the
  plan's 26 people, and it must say that it covers 15-25 only.
- *Withheld verdict*: the worked example plus gender with 45 % unknown (man 50, vrouw 38,
  72 unknown, shares 50/50). Bereik calls gender 'onzeker'. Before, the plan asked
  ⌈0.4 · (88 + 26) − 38⌉ = 8 women; now gender sets no bound and the plan is the age
  plan: 15 and 11, total 26.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from engagement.planner import _channel_mix, describe_plan, mix_sentence, plan_fieldwork, weekly_plan
from reference.model import BuurtReference
from tests.test_planner import worked_reference, worked_respondents

TENURE = {"koop": 200, "huur_corporatie": 400, "huur_overig": 400}


def _dilution_case() -> tuple[pd.DataFrame, BuurtReference]:
    tenure = ["koop"] * 10 + ["huur_corporatie"] * 10 + ["huur_corporatie"] * 24 + ["huur_overig"] * 56
    channel = ["x"] * 10 + ["y"] * 10 + ["z"] * 80
    reference = BuurtReference(areas=(), year=None, table="t", population=1000,
                               eligible_population=1000, min_age=0, dimensions={"tenure": dict(TENURE)})
    return pd.DataFrame({"tenure": tenure, "channel": channel}), reference


def test_a_mix_never_pushes_a_group_that_is_fine_today_under() -> None:
    cats = ["a", "b", "c"]
    n_k = np.array([10.0, 34.0, 56.0])
    counts = {"d": (cats, n_k, np.array([0.2, 0.4, 0.4]), None)}
    yields = {"x": {"d": np.array([1.0, 0.0, 0.0])}, "y": {"d": np.array([0.5, 0.5, 0.0])},
              "z": {"d": np.array([0.0, 29 / 85, 56 / 85])}}
    mix, unreachable, covered = _channel_mix(["x", "y", "z"], yields, counts, 0.8, {})
    assert mix is not None and not unreachable and covered == [("d", "a")]
    # x alone (8) would leave b at 34/108 = 31.5 % < 32 %: the mix keeps b at its goal
    assert 34 / 108 < 0.32
    after = n_k + sum(m * yields[ch]["d"] for m, ch in zip(mix, "xyz"))
    total = n_k.sum() + mix.sum()
    assert np.all(after / total >= 0.8 * np.array([0.2, 0.4, 0.4]) - 1e-12), (mix, after / total)
    assert mix.sum() == 9 and mix[1] > 0


def test_a_mix_for_the_whole_plan_is_never_fewer_than_the_plans_people() -> None:
    frame, reference = _dilution_case()
    plan = plan_fieldwork(frame, reference)
    needed = {g.category: g.needed for g in plan.groups}
    assert needed == {"koop": 8, "huur_corporatie": 1, "huur_overig": 0} and plan.total_needed == 9
    assert plan.covers_plan and not plan.unreachable
    assert plan.total_contacts == 9 >= plan.total_needed
    data = plan.to_dict()
    assert data["covers_plan"] is True and data["total_contacts"] == 9
    text = mix_sentence(plan)
    assert text == "Met de kanalen zoals ze tot nu toe werkten, zijn daarvoor ongeveer 9 gesprekken nodig."
    # the weekly plan shows the mix: it carries the whole plan
    weekly = weekly_plan(plan, 3)
    assert weekly[weekly["kind"] == "kanaal"]["number"].sum() == plan.total_contacts


def test_more_conversations_than_people_says_why() -> None:
    """Street brings 1 young person in 3 (8 of 24) and 2 of 3 aged 25-45; online the rest.
    Lifting 15-25 takes 11.2 / (1/3 − 0.12) = 52.5 → 53 street conversations: more than
    the plan's 26 people, because not everyone met is in a missing group."""
    frame = worked_respondents()
    frame["channel"] = ["straat"] * 8 + ["straat"] * 16 + ["online"] * 22 + ["online"] * 114
    plan = plan_fieldwork(frame, worked_reference())
    assert plan.total_needed == 26 and plan.covers_plan
    assert plan.total_contacts == 53
    text = mix_sentence(plan) or ""
    assert "ongeveer 53 gesprekken nodig" in text and "meer dan 26" in text


def test_a_mix_lifting_a_group_on_fewer_than_ten_of_its_people_says_it_is_rough() -> None:
    """The street lifts 15-25 on 8 young people and 25-45 on 16: the mix's number for the
    young rests on fewer than MIN_GROUP (10) of them, which best_order calls too little to
    tell. The plan says so (Plan.thin, JSON 'thin'); twice the same fieldwork (16 young via
    the street) is evidence enough and the caveat goes."""
    frame = worked_respondents()
    frame["channel"] = ["straat"] * 8 + ["straat"] * 16 + ["online"] * 22 + ["online"] * 114
    plan = plan_fieldwork(frame, worked_reference())
    assert plan.thin == (("age", "15-25"),)
    assert plan.to_dict()["thin"] == [{"dimension": "age", "category": "15-25"}]
    text = mix_sentence(plan) or ""
    assert "tot 25 jaar is dat een ruwe schatting" in text and "minder dan 10." in text
    assert "ruwe schatting" in describe_plan(plan)
    doubled = pd.concat([frame, frame.assign(respondent_id=frame["respondent_id"].astype(str) + "-b")],
                        ignore_index=True)
    plan = plan_fieldwork(doubled, worked_reference())
    assert plan.total_contacts and plan.thin == () and "ruwe schatting" not in (mix_sentence(plan) or "")


def test_a_mix_for_some_groups_says_which_and_is_no_plan_total() -> None:
    frame = worked_respondents()
    frame["channel"] = ["straat" if a == 20 else "online" for a in frame["age"]]
    frame.loc[frame.index[-4:], "channel"] = "straat"  # four 65-plussers: a street of 12
    plan = plan_fieldwork(frame, worked_reference())
    assert plan.total_needed == 26
    assert plan.unreachable == (("age", "25-45"),) and plan.covered == (("age", "15-25"),)
    assert not plan.covers_plan and plan.total_contacts == 23  # ⌈15 / ⅔⌉: the plan's 15 young
    text = mix_sentence(plan) or ""
    assert "maar een deel van het plan" in text and "23 gesprekken zijn genoeg voor jongeren" in text
    assert "25 tot 45 jaar" in text and "Het plan van 26 mensen haalt u alleen als u mensen gericht kiest" in text
    assert "meer dan" not in text
    # the weekly plan names the groups only: 23 street conversations do not bring 15 + 11
    assert set(weekly_plan(plan, 2)["kind"]) == {"groep"}
    assert plan.to_dict()["covers_plan"] is False
    assert "maar een deel van het plan" in describe_plan(plan)


def test_a_kenmerk_with_a_withheld_verdict_does_not_drive_the_plan() -> None:
    frame = worked_respondents()
    frame["gender"] = (["man"] * 50 + ["vrouw"] * 38 + [None] * 72)
    reference = worked_reference(gender={"man": 2000, "vrouw": 2000})
    plan = plan_fieldwork(frame, reference)
    gender = {g.category: g for g in plan.groups if g.dimension == "gender"}
    assert {c: g.needed for c, g in gender.items()} == {"man": 0, "vrouw": 0}
    assert {g.reason_code for g in gender.values()} == {"uncertain"}
    assert "45% onbekend" in gender["vrouw"].reason
    # the age plan of DESIGN's worked example, untouched by gender
    assert [g.needed for g in plan.groups if g.dimension == "age"] == [15, 11, 0, 0]
    assert plan.total_needed == 26
    assert any(n.startswith("Geslacht: 45% gaf hier geen") and "niet op geslacht" in n for n in plan.notes)
    assert not any(n.startswith("Eén persoon telt") for n in plan.notes)  # one kenmerk planned
    assert {"dimension": "gender", "category": "vrouw"} in plan.to_dict()["uncertain"]
    # with gender known for everyone it is planned again
    known = worked_respondents()
    known["gender"] = ["man"] * 88 + ["vrouw"] * 72
    steered = plan_fieldwork(known, reference)
    assert all(g.reason_code != "uncertain" for g in steered.groups)


def test_the_plan_withholds_exactly_the_groups_bereik_calls_onzeker() -> None:
    """One rule: the demo has both kinds ('onzeker' from unknown answers and from the buurt
    figures' margin); the plan leaves out the same groups that Bereik calls 'onzeker'."""
    from engagement.coverage import compute_coverage
    from store.demo import demo_reference, demo_respondents

    respondents, reference = demo_respondents(), demo_reference()
    coverage = compute_coverage(respondents, reference)
    onzeker = {(d.dimension, c.category) for d in coverage.dimensions for c in d.categories if c.uncertain}
    plan = plan_fieldwork(respondents, reference)
    withheld = {(g.dimension, g.category) for g in plan.groups if g.reason_code == "uncertain"}
    assert onzeker and withheld == onzeker
    assert all(g.needed == 0 for g in plan.groups if g.reason_code == "uncertain")
    assert any(n.startswith("Over ") and "buurtcijfers zijn daar niet precies genoeg" in n
               for n in plan.notes)
