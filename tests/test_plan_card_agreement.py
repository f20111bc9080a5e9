"""The re-walk's Lombok-Oost contradictions on Aanbevelingen and Voortgang, each pinned:

- the channel mix planned 12 conversations on a bijeenkomst of 7 people (shown '<10'),
  and said "12 gesprekken zijn genoeg voor jongeren" beside "Spreek nog 33 jongeren";
- a possibly-under profile carried the badge "Te weinig gesproken" above "Mogelijk …";
- "Online bereikte u nauwelijks mensen van 25 tot 45 jaar" on the card whose best-channel
  line said "Daarna: de online vragenlijst" (79 of them, the most of any channel);
- the weekly plan's caption explained 'Kanaal' rows the table did not have.
"""
from __future__ import annotations

import pandas as pd
from test_best_channel_rule import case

from engagement.coverage import compute_coverage
from engagement.outreach import Advice, _channel_sentence, advise, load_rules
from engagement.planner import MIN_CHANNEL_RESPONDENTS, mix_sentence, plan_fieldwork
from reference.model import BuurtReference
from reports import privacy
from ui import plan_tables
from ui.pages.aanbevelingen import FLAG_BADGES, weeks_caption

AGES = {"18-25": 160, "25-45": 590, "45-65": 150, "65+": 100}


def _thin_meeting() -> tuple[pd.DataFrame, BuurtReference]:
    """Lombok in small: online brings few young people; a bijeenkomst of 7 brought 4."""
    ref = BuurtReference(areas=(("BU0000TEST", "Testbuurt"),), year=2024, table="test", population=1000,
                         eligible_population=1000, min_age=18, dimensions={"age": dict(AGES)})
    rows = ([("online", 20)] * 30 + [("online", 30)] * 150 + [("online", 50)] * 90 + [("online", 70)] * 40
            + [("bijeenkomst", 20)] * 4 + [("bijeenkomst", 70)] * 3)
    resp = pd.DataFrame({"respondent_id": [str(i) for i in range(len(rows))],
                         "channel": [c for c, _ in rows], "age": [a for _, a in rows]})
    return resp, ref


def test_the_mix_plans_on_no_channel_under_the_small_number_rule() -> None:
    assert MIN_CHANNEL_RESPONDENTS == privacy.DEFAULT_K
    resp, ref = _thin_meeting()
    plan = plan_fieldwork(resp, ref)
    assert {row["channel"] for row in plan.channel_totals} == {"online"}
    assert not plan.total_contacts  # online lifts nobody: no "N gesprekken zijn genoeg"
    assert mix_sentence(plan) is None


def test_a_partial_mix_brings_at_least_the_plans_number_of_each_group_it_lifts() -> None:
    resp, ref = _thin_meeting()
    resp = pd.concat([resp, pd.DataFrame({"respondent_id": [f"s{i}" for i in range(12)],
                                          "channel": "straatgesprek", "age": [20] * 4 + [70] * 8})],
                     ignore_index=True)  # a street of 12, a third of them young
    plan = plan_fieldwork(resp, ref)
    assert plan.total_contacts and not plan.covers_plan and ("age", "18-25") in plan.covered
    needed = {(g.dimension, g.category): g.needed for g in plan.groups}
    for key in plan.covered:
        brought = sum(a.suggested for a in plan.channels if (a.dimension, a.category) == key)
        assert brought >= needed[key] - 1e-9, (key, brought, needed[key])
    # so "N gesprekken zijn genoeg voor jongeren" asks at least ⌈needed / ⅓⌉ conversations
    assert plan.total_contacts >= 3 * needed[("age", "18-25")]
    text = mix_sentence(plan) or ""
    assert f"Ongeveer {plan.total_contacts} gesprekken zijn genoeg voor jongeren" in text
    assert "minstens zoveel van hen als het plan vraagt" in text  # what the N conversations mean


def test_a_possibly_under_profile_has_a_possibly_badge() -> None:
    item = Advice(group="profile:Op afstand", label="Op afstand", to_reach=None, advice="", activities=(),
                  channels_so_far="", source="", flag="possibly_under", dimension="profile", name="op afstand")
    assert item.headline().startswith("Mogelijk heeft u nog te weinig")
    badge = FLAG_BADGES.get(item.flag, FLAG_BADGES["under"])
    assert "Mogelijk te weinig gesproken" in badge
    assert "Mogelijk" not in FLAG_BADGES["under"]


def test_nauwelijks_never_names_a_channel_the_best_channel_line_names() -> None:
    resp, ref = case()  # 25-45: papier 10 of 32 (31 %), online 79 of 304 (26 %), share 65 %
    coverage = compute_coverage(resp, ref)
    card = next(a for a in advise(coverage, resp, plan=plan_fieldwork(resp, ref)) if a.group == "age:25-45")
    assert "Daarna: de online vragenlijst" in card.best_channel_text
    assert "nauwelijks" not in card.channels_so_far.lower() or "online" not in card.channels_so_far.lower()
    assert "Online bereikte u nauwelijks" not in card.channels_so_far


def test_nauwelijks_is_below_half_the_share_and_not_named_above() -> None:
    table = load_rules()
    share = 0.59  # Lombok's 25-45
    rows = {"papier": (10.0, 32.0, 10 / 32), "online": (79.0, 304.0, 79 / 304),
            "straatgesprek": (5.0, 40.0, 5 / 40), "huisbezoek": (2.0, 12.0, 2 / 12)}
    text = _channel_sentence(table, "mensen van 25 tot 45 jaar", rows, share)
    assert "online" not in text.lower()  # second ('Daarna'), 79 people
    # the street (12 %) and home visits (17 %) are below half of 59 %: 'nauwelijks'
    assert "nauwelijks" in text and "straat" in text.lower()
    rows["straatgesprek"] = (12.0, 40.0, 0.30)  # 30 % ≥ 29.5 %: not 'nauwelijks', and named third
    assert "straat" not in _channel_sentence(table, "mensen van 25 tot 45 jaar", rows, share).lower()


def test_the_weekly_caption_names_only_the_rows_the_table_holds() -> None:
    groups_only = pd.DataFrame({"Soort": ["Groep", "Groep"], "Wat": ["a", "b"]})
    text = weeks_caption(groups_only, 4)
    assert "rij 'Kanaal'" not in text and "geen kanalen" in text
    with_channels = pd.DataFrame({"Soort": ["Groep", "Kanaal"], "Wat": ["a", "Online"]})
    assert "rij 'Kanaal' = zoveel gesprekken via dat kanaal" in weeks_caption(with_channels, 4)


def test_a_hidden_channels_days_are_no_count_of_people() -> None:
    assert plan_tables.HIDDEN_TEXT == "verborgen"
    for column in ("Per dag tot nu toe", "Dagen nodig"):
        assert "'verborgen'" in plan_tables.CHANNEL_HELP[column]
