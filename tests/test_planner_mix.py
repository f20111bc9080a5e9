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
    assert text.startswith("Met de kanalen zoals ze tot nu toe werkten, zijn daarvoor ongeveer 9 "
                           "gesprekken nodig. Dat aantal gesprekken is ruim gerekend")
    # the weekly plan shows the mix: it carries the whole plan
    weekly = weekly_plan(plan, 3)
    assert weekly[weekly["kind"] == "kanaal"]["number"].sum() == plan.total_contacts


def test_more_conversations_than_people_says_why() -> None:
    """Street brings 1 young person in 3 (8 of 24) and 2 of 3 aged 25-45; online the rest.
    On average, lifting 15-25 takes 11.2 / (1/3 − 0.12) = 52.5 → 53 street conversations:
    more than the plan's 26 people, because not everyone met is in a missing group.
    With a 90 % chance (the product's default): the young among m street contacts are
    binomial, sd √(m · ⅓ · ⅔), so m(⅓ − 0.12) ≥ 11.2 + 1.2816 · √(2m/9); with u = √m,
    0.21333u² − 0.60415u − 11.2 = 0 gives u = 8.7987, m = 77.42 → 78."""
    frame = worked_respondents()
    frame["channel"] = ["straat"] * 8 + ["straat"] * 16 + ["online"] * 22 + ["online"] * 114
    plan = plan_fieldwork(frame, worked_reference(), mix_confidence=None)
    assert plan.total_needed == 26 and plan.covers_plan
    assert plan.total_contacts == 53
    text = mix_sentence(plan) or ""
    assert "ongeveer 53 gesprekken nodig" in text and "meer dan 26" in text
    sure = plan_fieldwork(frame, worked_reference())
    assert sure.covers_plan and sure.total_contacts == 78
    assert [row["contacts"] for row in sure.channel_totals] == [0, 78]
    assert "ongeveer 78 gesprekken nodig" in (mix_sentence(sure) or "")


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
    plan = plan_fieldwork(frame, worked_reference(), mix_confidence=None)  # on average
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


# One mix of the truth benchmark (benchmarks/mix_truth_bench.py, 3 channels): HiGHS's
# integer solver crashed the whole process on exactly these numbers (SIGSEGV, scipy 1.17).
# Exact floats, as hex: rounded to 8 decimals the crash does not happen.
_CRASH_MATRIX = [
    ['-0x1.2283398a25988p-4', '-0x1.0c34ae956b300p-2', '0x1.dc3278a5b1000p-10'],
    ['-0x1.713da16acba00p-3', '-0x1.18d5528cd29f0p-3', '-0x1.8836ad2821114p-6'],
    ['-0x1.520de4ff282ccp-6', '-0x0.0p+0', '-0x1.bc15bcebc5fd4p-2'],
    ['-0x1.ad833ec557b5cp-4', '-0x1.02018b085b146p-3', '-0x1.54781d612b304p-4'],
    ['-0x1.85aff46ddb7d4p-4', '-0x1.2f301d227d0a0p-4', '-0x1.debb15d20802cp-4'],
    ['-0x1.ab59094db2ee0p-5', '-0x1.0892345555330p-3', '-0x1.16130c62d60b0p-3'],
    ['0x1.6ba6eda959e50p-4', '0x1.24435cc10d77ep-5', '-0x1.09df856d156a6p-5'],
    ['-0x1.0b21642c8590bp-5', '-0x1.5f15f15f15f16p-4', '-0x1.3b13b13b13b14p-3'],
    ['-0x1.0a0fd98880ef8p-3', '-0x1.974269e92def4p-3', '-0x1.7e80ddd06c630p-3'],
]
_CRASH_RHS = ['-0x1.0914965f08efap+4', '-0x1.285d7df64fc40p-2', '-0x1.50b6648cd9ea0p+4', '-0x1.2ade92a16c6b8p+4', '-0x1.483c8c25f871cp+4', '-0x1.35c9418602d3cp+4', '-0x1.0e0974a468c33p+5', '-0x1.31745567a6716p+5', '-0x1.cc271d3d569d0p+2']


def test_the_mix_that_crashed_the_integer_solver_gets_whole_contacts_from_the_real_lp() -> None:
    from scipy.optimize import linprog

    from engagement.planner import whole_contacts

    matrix = np.array([[float.fromhex(v) for v in row] for row in _CRASH_MATRIX])
    rhs = np.array([float.fromhex(v) for v in _CRASH_RHS])
    real = linprog(np.ones(3), A_ub=matrix, b_ub=rhs, bounds=[(0, None)] * 3, method="highs")
    mix = whole_contacts(matrix, rhs)
    assert mix is not None and (matrix @ mix <= rhs + 1e-9).all()
    assert (mix == np.round(mix)).all() and real.fun <= mix.sum() <= np.ceil(real.fun) + 3


def test_whole_contacts_keep_every_bound_and_stay_near_the_real_optimum() -> None:
    """Random mixes of 2-5 channels and 2-8 group bounds (gains y - goal in [-0.3, 0.5],
    needs up to 40): the whole mix keeps every bound, is never below the real optimum, and
    never above the rounded-up solution of the LP with every bound tightened by Σ|a| (the
    fallback that always keeps the bounds); where that LP has a solution, a mix exists."""
    from scipy.optimize import linprog

    from engagement.planner import whole_contacts

    rng = np.random.default_rng(13)
    solved = 0
    for _ in range(300):
        channels, groups = int(rng.integers(2, 6)), int(rng.integers(2, 9))
        matrix = -rng.uniform(-0.3, 0.5, size=(groups, channels))
        rhs = -rng.uniform(-20, 40, size=groups)
        box = {"bounds": [(0, None)] * channels, "method": "highs"}
        real = linprog(np.ones(channels), A_ub=matrix, b_ub=rhs, **box)
        safe = linprog(np.ones(channels), A_ub=matrix, b_ub=rhs - np.abs(matrix).sum(axis=1), **box)
        mix = whole_contacts(matrix, rhs)
        if real.status != 0:
            assert mix is None
            continue
        if safe.status == 0:
            assert mix is not None
            assert mix.sum() <= np.ceil(np.round(safe.x, 6)).sum() + 1e-9
        if mix is not None:
            assert (matrix @ mix <= rhs + 1e-9).all() and (mix == np.round(mix)).all()
            assert mix.sum() >= real.fun - 1e-6
            solved += 1
    assert solved > 100


def test_the_planner_never_calls_the_integer_solver(monkeypatch) -> None:
    import scipy.optimize

    real_linprog = scipy.optimize.linprog

    def no_integers(*args, **kwargs):
        assert kwargs.get("integrality") is None, "HiGHS's MIP can crash the server"
        return real_linprog(*args, **kwargs)

    monkeypatch.setattr(scipy.optimize, "linprog", no_integers)
    frame = worked_respondents()
    frame["channel"] = ["straat"] * 8 + ["straat"] * 16 + ["online"] * 22 + ["online"] * 114
    assert plan_fieldwork(frame, worked_reference(), mix_confidence=None).total_contacts == 53
    assert plan_fieldwork(frame, worked_reference()).total_contacts == 78


def test_the_mix_reaches_its_goal_with_about_the_chance_it_is_planned_for() -> None:
    """An exact binomial oracle, with the channel's yield known (⅓ young in the street):
    after m street contacts the young are 8 + X of 160 + m, X ~ Bin(m, ⅓), and the goal is
    12 %. The mix on averages (53) reaches it about half the time; the default mix (78,
    planned for 90 %) reaches it in 90 % or more."""
    from scipy.stats import binom

    frame = worked_respondents()
    frame["channel"] = ["straat"] * 8 + ["straat"] * 16 + ["online"] * 22 + ["online"] * 114

    def chance(m: int) -> float:
        needed = int(np.ceil(0.12 * (160 + m) - 8 - 1e-9))
        return float(binom.sf(needed - 1, m, 1 / 3))

    average = plan_fieldwork(frame, worked_reference(), mix_confidence=None).total_contacts
    sure = plan_fieldwork(frame, worked_reference()).total_contacts
    assert average == 53 and 0.4 < chance(53) < 0.6
    assert sure == 78 and 0.9 <= chance(78) < 0.95


def test_the_printed_plan_names_age_from_the_minimum_age_and_never_sends_to_a_channel_that_lifts_nothing() -> None:
    """README walk-through: `plan` printed '15 tot 25 jaar' with --min-age 18, and for a
    group no channel lifts it still said 'Beste kanaal: online … voor 5 zijn daar
    ongeveer 17 respondenten nodig' beside 'geen kanaal … bracht genoeg'."""
    frame = worked_respondents()
    frame["channel"] = ["straat" if a == 20 else "online" for a in frame["age"]]
    frame.loc[frame.index[-4:], "channel"] = "straat"
    plan = plan_fieldwork(frame, worked_reference())
    assert ("age", "25-45") in plan.unreachable
    text = describe_plan(plan, min_age=18)
    line = next(i for i, t in enumerate(text.splitlines()) if "25 tot 45 jaar: nog" in t)
    below = text.splitlines()[line + 1]
    assert "te klein deel bij deze groep" in below and "respondenten nodig" not in below
    assert "18 tot 25 jaar" in text and "15 tot 25 jaar" not in text


def test_a_mix_of_many_conversations_per_planned_person_points_to_targeted_search() -> None:
    """In the truth benchmark the mix's median was 13-37 conversations per person of the
    plan: from 5 per person the sentence says targeted search is cheaper (whole times)."""
    from engagement.planner import COSTLY_RATIO, Plan

    def sentence(contacts: int) -> str:
        plan = Plan(goal="flag", total_needed=10, groups=(), total_contacts=contacts,
                    channel_totals=({"channel": "straat", "contacts": contacts, "respondents_so_far": 40},),
                    covered=(("age", "15-25"),))
        return mix_sentence(plan) or ""

    assert COSTLY_RATIO == 5
    assert "keer zoveel" not in sentence(49)
    assert "Dat is 5 keer zoveel gesprekken als er mensen in het plan staan" in sentence(50)
    assert "Dat is 12 keer zoveel" in sentence(129) and "Gericht zoeken" in sentence(129)
