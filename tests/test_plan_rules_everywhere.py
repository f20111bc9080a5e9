"""The two plan rules in every place that shows a plan (the walk-through's contradictions):

1. one best channel (engagement.channels.best_order: at least MIN_GROUP people of the group
   through the channel, then the highest yield), also in the plan's table without the
   team's yields, the CLI text and Profielen;
2. a group whose verdict is 'onzeker' does not drive the plan: no 'Te weinig gesproken'
   card, and Bereik's 'Nodig in het plan' is '–' there, not 0.

Plus Aanbevelingen' 'Per groep' table and cards under the report's small-cell rule, and the
'0 voorgesteld' note only where the mix covers the plan.
"""
from __future__ import annotations

import pandas as pd
from test_best_channel_rule import case
from test_ui_plan import _worked_example

from engagement.channels import BEST_RULE_TEXT, MIN_GROUP, NO_BEST, channel_reach
from engagement.coverage import compute_coverage
from engagement.outreach import advise, best_channels
from engagement.planner import best_advice, describe_plan, plan_fieldwork
from reference.model import BuurtReference
from reports import privacy
from reports.report import build_report_data
from ui import plan_tables
from ui.coverage_parts import figures_frame
from ui.pages.aanbevelingen import headline, protected_groups_table
from ui.profile_parts import channel_conclusion


def _onzeker_case() -> tuple[pd.DataFrame, BuurtReference]:
    """46 % left tenure open: every tenure group is 'onzeker' (huur_overig also 'under' by
    the known answers, the walk's 'huurders van een particuliere verhuurder'); age is clear."""
    ref = BuurtReference(areas=(("BU0000TEST", "Testbuurt"),), year=2024, table="test", population=4000,
                         eligible_population=4000, min_age=18,
                         dimensions={"age": {"18-25": 600, "25-45": 1300, "45-65": 1200, "65+": 900},
                                     "tenure": {"koop": 1600, "huur_corporatie": 1600, "huur_overig": 800}})
    ages = [20] * 8 + [30] * 38 + [50] * 62 + [70] * 67
    tenure = ["koop"] * 60 + ["huur_corporatie"] * 30 + ["huur_overig"] * 5 + [None] * 80
    resp = pd.DataFrame({"respondent_id": [str(i) for i in range(len(ages))], "age": ages,
                         "tenure": tenure, "channel": "online"})
    return resp, ref


# --------------------------------------------------------------------------- one best channel

def test_plan_table_without_yields_follows_the_rule() -> None:
    # the plan's highest yield for 25-45 was huisbezoek (2 of 3 people); the rule says papier
    resp, ref = case()
    plan = plan_fieldwork(resp, ref)
    reach = channel_reach(resp, ref, by_week=False)
    assert best_channels(plan) == best_channels(plan, reach)
    assert best_channels(plan)[("age", "25-45")] == "papier"
    for given in (None, reach):
        table = plan_tables.groups_table(plan, ref.min_age, given).set_index("Groep")
        assert table.loc["25 tot 45 jaar", "Beste kanaal tot nu toe"] == "Op papier"
    assert plan_tables.GROUP_HELP["Beste kanaal tot nu toe"] == BEST_RULE_TEXT


def test_plan_table_says_too_little_to_tell() -> None:
    resp, ref = _worked_example()  # 8 young people, all through the street
    plan = plan_fieldwork(resp, ref)
    table = plan_tables.groups_table(plan, reach=channel_reach(resp, ref, by_week=False))
    assert table.set_index("Groep").loc["15 tot 25 jaar", "Beste kanaal tot nu toe"] == NO_BEST
    assert "nog geen" not in set(table["Beste kanaal tot nu toe"])


def test_cli_text_names_the_rules_channel() -> None:
    resp, ref = case()
    plan = plan_fieldwork(resp, ref)
    assert best_advice(plan)[("age", "25-45")].channel == "papier"
    text = describe_plan(plan)
    block = text.split("25 tot 45 jaar", 1)[1].split("\n  - ", 1)[0]
    assert "Beste kanaal tot nu toe: papier" in block
    assert "huisbezoek" not in block and "bijeenkomst" not in block
    young, young_ref = _worked_example()
    young_text = describe_plan(plan_fieldwork(young, young_ref))
    assert (f"Beste kanaal tot nu toe: {NO_BEST} (via geen enkel kanaal sprak u al {MIN_GROUP} mensen"
            in young_text.split("15 tot 25 jaar", 1)[1].split("\n  - ", 1)[0])


def test_profielen_never_calls_a_channel_of_three_best() -> None:
    table = pd.DataFrame({"online": [40, 60, 12], "huisbezoek": [0, 1, 2], "papier": [5, 5, 10]},
                         index=pd.Index(["Meebouwers", "Kritische betrokkenen", "Op afstand"], name="profiel"))
    # Op afstand (24 people) is the rarest; huisbezoek has the highest share (2 of 3) but 2 people
    assert channel_conclusion(table) == "Profiel per kanaal: Op afstand bereikt u het best op papier"
    small = table.assign(papier=[5, 5, 9])
    assert channel_conclusion(small).startswith("Profiel per kanaal: Op afstand bereikt u het best")
    few = pd.DataFrame({"online": [40, 3], "papier": [5, 2]},
                       index=pd.Index(["Meebouwers", "Op afstand"], name="profiel"))
    assert "nog niet te zeggen" in channel_conclusion(few)


# --------------------------------------------------------------------------- 'onzeker' groups

def test_no_card_for_an_onzeker_group() -> None:
    resp, ref = _onzeker_case()
    coverage = compute_coverage(resp, ref)
    tenure = next(d for d in coverage.dimensions if d.dimension == "tenure")
    overig = next(c for c in tenure.categories if c.category == "huur_overig")
    assert overig.flag == "under" and overig.uncertain  # what made the old card
    plan = plan_fieldwork(resp, ref)
    assert all(g.needed == 0 for g in plan.groups if g.dimension == "tenure")
    groups = {a.group for a in advise(coverage, resp, plan=plan)}
    assert groups == {"age:18-25", "age:25-45"}


def test_bereik_shows_a_dash_for_an_onzeker_group() -> None:
    resp, ref = _onzeker_case()
    coverage = compute_coverage(resp, ref)
    tenure = next(d for d in coverage.dimensions if d.dimension == "tenure")
    frame = figures_frame(tenure, ref.min_age, {"koop": 0, "huur_corporatie": 0, "huur_overig": 0})
    assert (frame["Nodig in het plan"] == "–").all()
    age = next(d for d in coverage.dimensions if d.dimension == "age")
    plan = plan_fieldwork(resp, ref)
    needs = {g.category: g.needed for g in plan.groups if g.dimension == "age"}
    assert list(figures_frame(age, ref.min_age, needs)["Nodig in het plan"]) == [
        str(needs[c.category]) for c in age.categories]


# --------------------------------------------------------------------------- Aanbevelingen

def test_zero_note_only_when_the_mix_covers_the_plan() -> None:
    resp, ref = _worked_example(street_elders=4)  # a street of 12: enough to plan on
    plan = plan_fieldwork(resp, ref)
    assert not plan.covers_plan and plan.total_contacts  # the street mix lifts 15-25 only
    note = plan_tables.zero_note(plan, ref.min_age)
    assert "om het plan te halen" not in note
    assert "alleen voor jongeren van 15 tot 25 jaar" in note and "mensen van 25 tot 45 jaar" in note
    resp, ref = case()
    whole = plan_fieldwork(resp, ref)
    if whole.covers_plan:
        assert "niet nodig om het plan te halen" in plan_tables.zero_note(whole)


def test_per_groep_hides_a_small_group_as_the_report_does() -> None:
    resp, ref = _worked_example()  # 8 young people: fewer than 10
    plan = plan_fieldwork(resp, ref)
    coverage = compute_coverage(resp, ref)
    table = protected_groups_table(plan, coverage, ref.min_age).set_index("Groep")
    young = table.loc["15 tot 25 jaar"]
    assert young["Gesproken nu"] == f"<{privacy.DEFAULT_K}"
    assert young["Nog te spreken (nu)"] == "minstens 15"  # 16 + 8 - 9: the count stays hidden
    assert young["Nodig in het plan"] == "minstens 14"
    assert young["Alleen deze groep erbij"] == privacy.SECONDARY_MARK
    # the same cells as the report's Plan sheet
    sheet = build_report_data(coverage=coverage, respondents=resp, plan=plan).plan.set_index("Groep")
    for group in table.index:
        for page, report in (("Gesproken nu", "Respondenten nu"), ("Nog te spreken (nu)", "Nog te spreken (nu)"),
                             ("Nodig in het plan", "Nodig in het plan"),
                             ("Alleen deze groep erbij", "Alleen deze groep erbij")):
            assert str(table.at[group, page]) == str(sheet.at[group, report]), (group, page)
    # the card says what the table says
    card = next(a for a in advise(coverage, resp, plan=plan) if a.group == "age:15-25")
    from ui.pages.aanbevelingen import shown_needs

    assert headline(card, shown_needs(plan, coverage)[0]).startswith("Spreek nog minstens 14 ")
    # and the weekly plan does not add up to the hidden number
    weeks = plan_tables.weeks_table(plan, 2, min_age=ref.min_age, needed=shown_needs(plan, coverage)[0])
    row = weeks.set_index("Wat").loc["Leeftijd – 15 tot 25 jaar"]
    assert row["Week 1"] == row["Week 2"] == privacy.SECONDARY_MARK and row["Totaal"] == "minstens 14"


PAGE = """
import sys
sys.path.insert(0, {tests!r})
from test_ui_plan import _worked_example
from engagement.channels import channel_reach
from engagement.coverage import compute_coverage
from engagement.planner import plan_fieldwork
from ui.pages.aanbevelingen import channel_status, show_plan
resp, ref = _worked_example()
show_plan(plan_fieldwork(resp, ref), 3000, ref.min_age, channel_reach(resp, ref, by_week=False),
          channel_status(resp, ref.min_age), compute_coverage(resp, ref))
"""


def test_the_page_draws_the_protected_plan() -> None:
    from pathlib import Path

    from builders import stacked_tables
    from streamlit.testing.v1 import AppTest

    tests = Path(__file__).resolve().parent
    at = AppTest.from_string(PAGE.format(tests=str(tests)), default_timeout=120).run()
    assert not at.exception
    groups, channels, weeks = stacked_tables(at)
    young = groups.set_index("Groep").loc["15 tot 25 jaar"]
    assert young["Gesproken nu"] == "<10" and young["Beste kanaal tot nu toe"] == NO_BEST
    assert "8" not in set(groups["Gesproken nu"])
    captions = " ".join(str(c.value) for c in at.caption)
    assert "'minstens …' en 'x' staan er zodat niemand" in captions
    assert "om het plan te halen" not in captions  # the street mix covers 15-25 only
    assert weeks.set_index("Wat").loc["Leeftijd – 15 tot 25 jaar", "Totaal"] == "minstens 14"
