"""One rule for "het beste kanaal tot nu toe" (engagement.channels.best_order), and the
Aanbevelingen page's small-cell protection of its channel table.

The hand-made case is the walk-through's Lombok-Oost in small: for people of 25 to 45
the plan's highest yield was a channel of three people (huisbezoek, 2 of 3), the cards'
Wilson ranking said online (79 of 304, 26 %), and Voortgang's own table showed papier
higher (10 of 32, 31 %). By the one rule (at least MIN_GROUP people of the group, then the
highest yield) it is papier everywhere.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from builders import stacked_tables
from streamlit.testing.v1 import AppTest

from engagement import channels
from engagement.channels import MIN_GROUP, NO_BEST, best_channel, best_order, channel_reach
from engagement.coverage import compute_coverage
from engagement.outreach import advise, best_channels
from engagement.planner import plan_fieldwork
from reference.model import BuurtReference
from reports import privacy
from ui import plan_tables

ROOT = Path(__file__).resolve().parents[1]
# channel: (people 30 years old, 50, 70): the 25-45 group is the 30-year-olds
CASE = {"online": (79, 125, 100), "papier": (10, 12, 10), "huisbezoek": (2, 0, 1), "bijeenkomst": (4, 2, 0)}


def case() -> tuple[pd.DataFrame, BuurtReference]:
    ref = BuurtReference(areas=(("BU0000TEST", "Testbuurt"),), year=2024, table="test", population=1000,
                         eligible_population=1000, min_age=18,
                         dimensions={"age": {"18-25": 100, "25-45": 650, "45-65": 150, "65+": 100}})
    ages, chans = [], []
    for channel, counts in CASE.items():
        for age, n in zip((30, 50, 70), counts):
            ages += [age] * n
            chans += [channel] * n
    resp = pd.DataFrame({"respondent_id": [str(i) for i in range(len(ages))], "age": ages, "channel": chans,
                         "responded_at": pd.Timestamp("2026-03-10")})
    return resp, ref


def test_the_threshold_is_the_privacy_threshold() -> None:
    # a best channel is always one whose cell every table shows (not '<10')
    assert MIN_GROUP == privacy.DEFAULT_K


def test_the_rule_itself() -> None:
    rows = [("online", 79, 0.26), ("papier", 10, 0.31), ("huisbezoek", 2, 0.67), ("onbekend", 50, 0.9)]
    assert best_order(rows) == ["papier", "online"]  # small and unknown channels are no evidence
    assert best_order([("a", 9.6, 0.5)]) == []  # a fractional 9.6 shows as '<10' too
    assert best_order([("b", 10, 0.3), ("a", 20, 0.3), ("c", 20, 0.3)]) == ["a", "c", "b"]  # ties: more people


def test_the_case_used_to_disagree() -> None:
    """Guards the case itself: without the rule the places named three channels."""
    resp, ref = case()
    reach = channel_reach(resp, ref, by_week=False)
    rows = {r.channel: r for r in reach.overall("age", "25-45")}
    # the old plan table's answer: the highest yield, a channel of 3 (or 6) people
    assert max(rows, key=lambda c: rows[c].share) in ("huisbezoek", "bijeenkomst")
    # the plan no longer plans on them at all: fewer than 10 respondents ('<10' everywhere)
    plan = plan_fieldwork(resp, ref)
    assert {a.channel for a in plan.channels} == {"online", "papier"}
    assert rows["online"].ci_low > rows["papier"].ci_low  # the old cards' answer: online
    assert rows["papier"].share > rows["online"].share  # what Voortgang's table shows


def test_one_answer_in_every_place() -> None:
    resp, ref = case()
    reach = channel_reach(resp, ref, by_week=False)
    plan = plan_fieldwork(resp, ref)
    coverage = compute_coverage(resp, ref)
    assert best_channel(reach, "age", "25-45") == "papier"
    # the plan's table (outreach.best_channels with the team's yields)
    assert best_channels(plan, reach)[("age", "25-45")] == "papier"
    # the card
    card = next(a for a in advise(coverage, resp, plan=plan) if a.group == "age:25-45")
    assert card.best_channel == "papier" and card.channel_basis == channels.EVIDENCE
    assert card.best_channel_text.startswith(
        "Voor mensen van 25 tot 45 jaar werkte dit kanaal tot nu toe het best: de papieren vragenlijst "
        "(31 van elke 100 mensen die u zo sprak).")
    assert "Daarna: de online vragenlijst." in card.best_channel_text
    assert "huisbezoek" not in card.best_channel_text and "bijeenkomst" not in card.best_channel_text
    # the 'nauwelijks' line never calls the best channel poor: papier 31 % against 65 % in the buurt
    assert card.channels_so_far.startswith(
        "Ook op papier (tot nu toe het beste kanaal) sprak u naar verhouding te weinig mensen van 25 tot 45 jaar.")
    assert "op papier bereikte u nauwelijks" not in card.channels_so_far.lower()
    # channels of 3 and 6 people are not judged at all
    assert "huisbezoek" not in card.channels_so_far and "bijeenkomst" not in card.channels_so_far
    # the Aanbevelingen page's 'Per groep' table
    groups = plan_tables.groups_table(plan, ref.min_age, reach)
    assert groups.set_index("Groep").loc["25 tot 45 jaar", "Beste kanaal tot nu toe"] == "Op papier"


def test_too_little_to_tell_is_said() -> None:
    resp, ref = case()
    few = resp[resp["age"] != 30].copy()
    few = pd.concat([few, pd.DataFrame({"respondent_id": ["x1", "x2"], "age": [30, 30],
                                        "channel": ["papier", "online"],
                                        "responded_at": pd.Timestamp("2026-03-10")})], ignore_index=True)
    reach = channel_reach(few, ref, by_week=False)
    plan = plan_fieldwork(few, ref)
    assert best_channel(reach, "age", "25-45") is None
    assert ("age", "25-45") not in best_channels(plan, reach)
    card = next(a for a in advise(compute_coverage(few, ref), few, plan=plan) if a.group == "age:25-45")
    assert card.channel_basis != channels.EVIDENCE
    assert "is nog niet te zeggen welk kanaal het best werkt" in card.best_channel_text
    assert "tot nu toe het beste kanaal" not in card.channels_so_far
    groups = plan_tables.groups_table(plan, ref.min_age, reach)
    assert groups.set_index("Groep").loc["25 tot 45 jaar", "Beste kanaal tot nu toe"] == NO_BEST


VOORTGANG = """
import sys
sys.path.insert(0, {tests!r})
from test_best_channel_rule import {case}
from ui.channel_panel import channel_table
resp, ref = {case}()
channel_table(resp, ref, None, ref.min_age)
"""


def test_voortgang_names_the_same_channel() -> None:
    at = AppTest.from_string(VOORTGANG.format(tests=str(ROOT / "tests"), case="case"), default_timeout=120).run()
    assert not at.exception
    lines = [str(m.value) for m in at.markdown if "werkte dit kanaal" in str(m.value)]
    middle = [line for line in lines if "25 tot 45 jaar" in line]
    assert len(middle) == 1 and "de papieren vragenlijst (31 van elke 100" in middle[0]
    # the table shows the channel it names (not '<10'), and hides the small ones
    (table,) = stacked_tables(at)
    table = table.set_index("Kanaal")
    assert table.loc["Papier", "25 tot 45 jaar"].startswith("31%")
    assert table.loc["Huisbezoek", "25 tot 45 jaar"] == f"<{MIN_GROUP}"
    # the old table showed '0% (0)', '33% (100)' and '31% (10)' beside huisbezoek's '<10' of
    # the 65-plussers, whose 111 on Bereik then gave the 1 back: now a complement is hidden
    # too, but never the cell of a best channel the cards publish (papier, 25 to 45)
    hidden = {f"<{MIN_GROUP}", privacy.SECONDARY_MARK}
    assert sum(v in hidden for v in table["65 jaar en ouder"]) >= 2
    for cells in [*(table.loc[c] for c in table.index), *(table[c] for c in table.columns)]:
        assert sum(v in hidden for v in cells) != 1


def test_the_report_names_the_same_channel() -> None:
    from reports.report import build_report_data

    resp, ref = case()
    plan = plan_fieldwork(resp, ref)
    coverage = compute_coverage(resp, ref)
    data = build_report_data(coverage=coverage, respondents=resp, plan=plan,
                             advice=advise(coverage, resp, plan=plan))
    row = data.advice[data.advice["Groep"] == "Mensen van 25 tot 45 jaar"].iloc[0]
    assert "het best: de papieren vragenlijst" in row["Kanalen tot nu toe"]
    # the Plan sheet names the channel the Aanbevelingen page's 'Per groep' table names
    sheet = data.plan.set_index("Groep")["Beste kanaal tot nu toe"]
    page = plan_tables.groups_table(plan, ref.min_age, channel_reach(resp, ref, by_week=False))
    assert sheet["25 tot 45 jaar"] == page.set_index("Groep").loc["25 tot 45 jaar", "Beste kanaal tot nu toe"]
    assert sheet["25 tot 45 jaar"] == "Op papier"


# --------------------------------------------------------------------------- small cells

def test_the_channel_table_hides_what_the_report_hides() -> None:
    from reports.report import channels_table
    from ui.pages.aanbevelingen import channel_status, protected_channel_table

    resp, ref = case()
    resp = resp[resp["channel"] != "huisbezoek"]  # bijeenkomst (6) alone is small: huisbezoek (10) 'x'
    resp = pd.concat([resp, resp[resp["channel"] == "online"].head(10).assign(channel="huisbezoek"),
                      resp[resp["channel"] == "papier"].head(12).assign(channel="straatgesprek")],
                     ignore_index=True)  # 12 on the street: shown
    plan = plan_fieldwork(resp, ref)
    status = channel_status(resp, ref.min_age)
    report, report_status = channels_table(resp, privacy.DEFAULT_K)
    assert status == report_status
    table = protected_channel_table(plan, status).set_index("Kanaal")
    shown = dict(zip(report["Kanaal"], report["Respondenten"]))
    for name, row in table.iterrows():
        assert row["Gesproken tot nu toe"] == shown[name]  # the same cell as the report
        if str(row["Gesproken tot nu toe"]) in (f"<{privacy.DEFAULT_K}", privacy.SECONDARY_MARK):
            # per day and days would give the count back; they are no count of people, so
            # not '<10' (a reader takes 'Dagen nodig: <10' for under ten days) but 'verborgen'
            assert row["Per dag tot nu toe"] == row["Dagen nodig"] == plan_tables.HIDDEN_TEXT
    # the planner plans on channels from 10 respondents: bijeenkomst (6) is not in the mix,
    # huisbezoek (10) is, with its count hidden as the complement of bijeenkomst's '<10'
    assert "Bijeenkomsten" not in table.index
    assert table.loc["Huisbezoeken", "Gesproken tot nu toe"] == privacy.SECONDARY_MARK
    assert "verborgen" in plan_tables.CHANNEL_HELP["Dagen nodig"]
    # the report's Plan sheet writes the same word for the same channel
    from reports.report import build_report_data

    coverage = compute_coverage(resp, ref)
    sheet = build_report_data(coverage=coverage, respondents=resp, plan=plan).plan_channels.set_index("Kanaal")
    assert sheet.loc["Huisbezoeken", "Per dag tot nu toe"] == sheet.loc["Huisbezoeken", "Dagen nodig"] \
        == table.loc["Huisbezoeken", "Dagen nodig"] == "verborgen"
    numbers = [v for v in table["Gesproken tot nu toe"] if isinstance(v, (int, np.integer))]
    assert numbers and all(v >= privacy.DEFAULT_K for v in numbers)


def test_a_complement_is_hidden_too() -> None:
    """One small channel alone would follow from the total: the next smallest is 'x'."""
    from ui.pages.aanbevelingen import channel_status

    resp, ref = case()
    resp = resp[resp["channel"] != "huisbezoek"]
    resp = pd.concat([resp, resp[resp["channel"] == "online"].head(10).assign(channel="huisbezoek")],
                     ignore_index=True)
    status = channel_status(resp, ref.min_age)
    assert status["bijeenkomst"] == privacy.PRIMARY and status["huisbezoek"] == privacy.SECONDARY


def test_profile_channel_counts_count_each_row_once_when_ids_repeat() -> None:
    """Every export numbers from 1, so ids repeat across imports: the channel counts of a
    profile card follow the rows, not a join on the id alone (which counted them twice)."""
    from engagement.outreach import _profile_channel_counts
    from profiles.model import ProfileCard, ProfileResult

    ids = ["1", "2", "3", "1", "2", "3"]  # two imports of three rows
    resp = pd.DataFrame({"respondent_id": ids, "channel": ["online"] * 3 + ["bijeenkomst"] * 3})
    cards = (ProfileCard(0, "Op afstand", "", 2, 2 / 6), ProfileCard(1, "Meebouwers", "", 4, 4 / 6))
    assignments = pd.DataFrame({"respondent_id": ids, "profile": [0, 1, 1, 1, 1, 0],
                                "name": ["Op afstand", "Meebouwers", "Meebouwers", "Meebouwers",
                                         "Meebouwers", "Op afstand"]})
    result = ProfileResult(method="kompas", k=2, items=("item:a", "item:b"), assignments=assignments,
                           cards=cards)
    assert _profile_channel_counts(result, resp, "Op afstand") == {"online": (1.0, 3.0),
                                                                   "bijeenkomst": (1.0, 3.0)}
    # rows that do not count are left out by their index, still one each
    assert _profile_channel_counts(result, resp.iloc[[0, 1, 5]], "Op afstand") == {
        "online": (1.0, 2.0), "bijeenkomst": (1.0, 1.0)}


def test_a_card_gives_no_yield_for_a_channel_the_table_hides() -> None:
    """Huisbezoek brought 12, all of 25 to 45: it is the best channel (100 of each 100),
    but its count is the complement that hides bijeenkomst's 6 ('x'). The card names it
    without the yield, which with the group's count would give the 12 back."""
    from ui.pages.aanbevelingen import best_text, channel_status

    resp, ref = case()
    resp = resp[resp["channel"] != "huisbezoek"]
    resp = pd.concat([resp, pd.DataFrame({"respondent_id": [f"h{i}" for i in range(12)], "age": 30,
                                          "channel": "huisbezoek",
                                          "responded_at": pd.Timestamp("2026-03-10")})], ignore_index=True)
    status = channel_status(resp, ref.min_age)
    assert status["huisbezoek"] == privacy.SECONDARY and status["bijeenkomst"] == privacy.PRIMARY
    plan = plan_fieldwork(resp, ref)
    card = next(a for a in advise(compute_coverage(resp, ref), resp, plan=plan) if a.group == "age:25-45")
    assert card.best_channel == "huisbezoek" and "100 van elke 100" in card.best_channel_text
    shown = best_text(card, status)
    assert shown.startswith("Voor mensen van 25 tot 45 jaar werkte dit kanaal tot nu toe het best: huisbezoeken.")
    assert not any(ch.isdigit() for ch in shown.replace("25 tot 45", ""))
    # a shown channel keeps its figure
    assert best_text(card, {}) == card.best_channel_text


def house_visits_case() -> tuple[pd.DataFrame, BuurtReference]:
    """The case above with huisbezoek at 12, all of 25 to 45: the report hides its count
    as 'x', the complement of bijeenkomst's '<10' (6)."""
    resp, ref = case()
    resp = resp[resp["channel"] != "huisbezoek"]
    resp = pd.concat([resp, pd.DataFrame({"respondent_id": [f"h{i}" for i in range(12)], "age": 30,
                                          "channel": "huisbezoek",
                                          "responded_at": pd.Timestamp("2026-03-10")})], ignore_index=True)
    return resp, ref


def test_voortgang_hides_a_channel_the_report_hides() -> None:
    """'100% (12)' for huisbezoek would give back the 12 the report hides as 'x' (and with
    the total the 6 of bijeenkomst). Its whole row is hidden, and the best-channel line
    names it without its yield."""
    from reports.report import channels_table

    resp, ref = house_visits_case()
    _, status = channels_table(resp, privacy.DEFAULT_K)
    assert status["huisbezoek"] == privacy.SECONDARY and status["bijeenkomst"] == privacy.PRIMARY
    at = AppTest.from_string(VOORTGANG.format(tests=str(ROOT / "tests"), case="house_visits_case"),
                             default_timeout=120).run()
    assert not at.exception
    (table,) = stacked_tables(at)
    table = table.set_index("Kanaal")
    hidden = {f"<{MIN_GROUP}", privacy.SECONDARY_MARK}
    assert set(table.loc["Huisbezoek"]) <= hidden and set(table.loc["Bijeenkomst"]) <= hidden
    assert privacy.SECONDARY_MARK in set(table.loc["Huisbezoek"])
    assert "12" not in " ".join(table.loc["Huisbezoek"])
    # a row with one hidden cell would follow from its share: never exactly one per row or column
    for cells in [*(table.loc[c] for c in table.index), *(table[c] for c in table.columns)]:
        assert sum(v in hidden for v in cells) != 1
    line = next(str(m.value) for m in at.markdown if "25 tot 45 jaar" in str(m.value))
    assert "het best: huisbezoeken." in line and "100 van elke 100" not in line
    assert table.loc["Papier", "25 tot 45 jaar"] == "31% (10)"  # a channel the report shows stays shown
