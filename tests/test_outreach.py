"""Outreach advice: the rule table covers the groups practice names, and advice follows coverage."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from report_fixtures import make_coverage, make_dimension, make_profiles, make_reference, make_respondents

from engagement.model import CoverageResult
from engagement.outreach import Advice, advise, load_rules

REQUIRED = [
    "age:15-25", "household:met_kinderen", "age:25-45", "age:65+", "age:75+", "origin:europa",
    "origin:buiten_europa", "tenure:huur_corporatie", "household:eenpersoons", "income:laag",
    "education:laag", "profile:Meebouwers", "profile:Kritische betrokkenen",
    "profile:Vertrouwende toeschouwers", "profile:Op afstand",
]


@pytest.mark.parametrize("group", REQUIRED)
def test_rule_table_has_a_specific_rule_for_each_group(group: str) -> None:
    rule = load_rules().find(group)
    assert rule is not None
    assert "*" not in rule.match and "profile:*" not in rule.match, f"{group} falls back to the generic rule"
    assert rule.activities and rule.source and len(rule.advice) > 40


def test_kompas_profiles_each_get_their_own_advice() -> None:
    texts = {load_rules().find(f"profile:{n}").advice for n in
             ("Meebouwers", "Kritische betrokkenen", "Vertrouwende toeschouwers", "Op afstand")}
    assert len(texts) == 4


def test_advice_for_every_under_group_with_its_to_reach() -> None:
    coverage = make_coverage()
    advice = advise(coverage)
    expected = {f"{d.dimension}:{c.category}": c.to_reach for d in coverage.dimensions
                for c in d.categories if c.flag in ("under", "unreached")}
    assert {a.group: a.to_reach for a in advice} == expected
    assert expected["age:15-25"] == 16 and expected["age:25-45"] == 14  # the DESIGN.md worked example
    young = next(a for a in advice if a.group == "age:15-25")
    assert young.label == "Jongeren van 15 tot 25 jaar"
    assert young.headline() == "Spreek nog 16 jongeren van 15 tot 25 jaar."
    assert "jongerenwerk" in " ".join(young.activities)
    assert all(isinstance(a, Advice) for a in advice)
    with pytest.raises(AttributeError):
        young.to_reach = 3  # frozen


def test_unreached_groups_come_first() -> None:
    counts = {"age": ([("15-25", 600, 0), ("25-45", 1300, 40), ("45-65", 1200, 60), ("65+", 900, 60)], 0)}
    coverage = CoverageResult(respondents=160, dimensions=(make_dimension("age", *counts["age"]),),
                              reference=make_reference())
    advice = advise(coverage)
    assert advice[0].group == "age:15-25" and advice[0].flag == "unreached"
    assert advice[0].to_reach == 24


def _street_only_elderly() -> tuple[CoverageResult, pd.DataFrame]:
    dim = make_dimension("age", [("25-45", 300, 60), ("65+", 200, 20)], 0)
    coverage = CoverageResult(respondents=80, dimensions=(dim,), reference=make_reference())
    respondents = pd.DataFrame({
        "respondent_id": [f"R{i}" for i in range(80)],
        "age": np.r_[np.full(60, 35), np.full(20, 72)],
        "channel": ["online"] * 60 + ["straatgesprek"] * 20,
    })
    return coverage, respondents


def test_channel_sentence_names_what_worked_and_what_did_not() -> None:
    coverage, respondents = _street_only_elderly()
    advice = advise(coverage, respondents)
    elderly = next(a for a in advice if a.group == "age:65+")
    assert elderly.channels_so_far == "Via straatgesprekken bereikte u wel 65-plussers, online nauwelijks."


def test_channel_sentence_when_nobody_of_the_group_was_met() -> None:
    dim = make_dimension("age", [("15-25", 200, 0), ("25-45", 300, 60)], 0)
    coverage = CoverageResult(respondents=60, dimensions=(dim,), reference=make_reference())
    respondents = pd.DataFrame({"respondent_id": range(60), "age": 35, "channel": ["online"] * 40 + ["papier"] * 20})
    young = advise(coverage, respondents)[0]
    assert young.channels_so_far == "Online en op papier sprak u nog geen jongeren van 15 tot 25 jaar."
    assert young.flag == "unreached"


def test_channel_sentence_is_empty_without_channels() -> None:
    coverage, respondents = _street_only_elderly()
    assert all(a.channels_so_far == "" for a in advise(coverage, respondents.drop(columns="channel")))


def test_sentences_carry_no_counts() -> None:
    advice = advise(make_coverage(), make_respondents(), make_profiles())
    for a in advice:
        assert not any(ch.isdigit() for ch in a.channels_so_far.replace("15 tot 25", "").replace("25 tot 45", ""))


def test_custom_rule_file(tmp_path) -> None:
    path = tmp_path / "regels.yaml"
    path.write_text("rules:\n  - match: ['age:15-25']\n    advice: Vraag het op het mbo in Zuid.\n"
                    "    activities: [les op het mbo]\n    source: gemeente Voorbeeld\n"
                    "  - match: ['*']\n    advice: Algemeen advies.\n", encoding="utf-8")
    advice = {a.group: a for a in advise(make_coverage(), rules=path)}
    assert advice["age:15-25"].advice == "Vraag het op het mbo in Zuid."
    assert advice["age:15-25"].source == "gemeente Voorbeeld"
    assert advice["tenure:huur_corporatie"].advice == "Algemeen advies."


@pytest.mark.parametrize("text", ["rules: [", "groups: {}\n", "rules:\n  - match: ['x']\n"])
def test_bad_rule_file_gives_a_dutch_error(tmp_path, text: str) -> None:
    path = tmp_path / "kapot.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match="kapot.yaml"):
        load_rules(path)


def test_rare_kompas_profile_gets_advice_with_its_channels() -> None:
    advice = advise(make_coverage(), make_respondents(), make_profiles())
    profile = [a for a in advice if a.dimension == "profile"]
    # the fixture's kompas has four cards: nobody in the middle zone
    assert [(a.group, a.flag) for a in profile] == [("profile:Afwachtend midden", "unreached"),
                                                   ("profile:Op afstand", "rare")]
    profile = profile[1:]
    assert profile[0].to_reach is None
    assert "ga naar hen toe" in profile[0].advice


def test_missing_kompas_profile_is_unreached() -> None:
    profiles = make_profiles()
    cards = tuple(c for c in profiles.cards if c.name != "Op afstand")
    from dataclasses import replace
    advice = advise(make_coverage(), None, replace(profiles, cards=cards))
    assert [(a.group, a.flag) for a in advice if a.dimension == "profile"] == [
        ("profile:Op afstand", "unreached"), ("profile:Afwachtend midden", "unreached")]


def test_profile_coverage_frame_decides_when_given() -> None:
    frame = pd.DataFrame({"name": ["Meebouwers", "Op afstand"], "population_share": [0.2, 0.5],
                          "respondent_share": [0.44, 0.03], "ratio": [2.2, 0.06], "to_reach": [0, 75]})
    advice = advise(make_coverage(), None, make_profiles(), profile_coverage=frame)
    profile = [a for a in advice if a.dimension == "profile"]
    assert [(a.group, a.to_reach) for a in profile] == [("profile:Op afstand", 75)]
    assert profile[0].headline() == "Spreek nog 75 bewoners uit het profiel Op afstand."


def test_advice_follows_the_joint_plan_and_names_the_best_channel() -> None:
    from engagement.planner import plan_fieldwork

    respondents, reference = make_respondents(), make_reference()
    plan = plan_fieldwork(respondents, reference)
    advice = [a for a in advise(make_coverage(), respondents, plan=plan) if a.dimension != "profile"]
    needs = {f"{g.dimension}:{g.category}": g.needed for g in plan.groups}
    assert advice and all(a.needed == needs[a.group] and a.number == a.needed for a in advice)
    young = next(a for a in advice if a.group == "age:15-25")
    assert young.needed != young.to_reach  # the joint plan, not today's-total arithmetic
    assert young.headline() == f"Spreek nog {young.needed} jongeren van 15 tot 25 jaar."
    # in the fixture the 8 young people answered online only: fewer than MIN_GROUP (10), so
    # too little to tell, and the rule table's channels are named as such
    assert young.channel_basis == "adviezentabel"
    assert young.best_channel_text.startswith(
        "Voor jongeren van 15 tot 25 jaar is nog niet te zeggen welk kanaal het best werkt")
    middle = next(a for a in advice if a.group == "age:25-45")  # 36 of 100 online
    assert middle.best_channel == "online" and middle.channel_basis == "eigen cijfers"
    assert middle.best_channel_text.startswith(
        "Voor mensen van 25 tot 45 jaar werkte dit kanaal tot nu toe het best: de online vragenlijst")
    numbers = [a.number for a in advice if a.flag != "unreached"]
    assert numbers == sorted(numbers, reverse=True)


def test_without_a_plan_the_number_is_to_reach() -> None:
    advice = advise(make_coverage())
    assert all(a.needed is None and a.number == a.to_reach for a in advice)
    # without answers to learn from, the channel comes from the rule table and says so
    assert all(a.channel_basis in ("adviezentabel", "") for a in advice)


def test_a_possibly_under_reached_profile_gets_advice_worded_as_possible() -> None:
    frame = pd.DataFrame({"name": ["Meebouwers", "Op afstand", "Afwachtend midden"],
                          "respondent_share": [0.5, 0.3, 0.2], "ratio": [1.3, 0.9, 1.0],
                          "flag": ["uncertain", "uncertain", "uncertain"],
                          "possibly_under": [False, True, False]})
    advice = advise(make_coverage(), None, make_profiles(), profile_coverage=frame)
    profile = [a for a in advice if a.dimension == "profile"]
    assert [(a.group, a.flag) for a in profile] == [("profile:Op afstand", "possibly_under")]
    item = profile[0]
    assert item.headline() == "Mogelijk heeft u nog te weinig bewoners uit het profiel Op afstand gesproken."
    assert item.advice.startswith("Zeker weten of u dit profiel te weinig sprak, kan alleen met een aselecte")
    assert "ga naar hen toe" in item.advice  # the profile's own rule follows


def test_generic_profile_advice_is_not_stated_as_fact_when_only_possible() -> None:
    frame = pd.DataFrame({"name": ["Nieuwe groep"], "respondent_share": [0.1], "ratio": [0.9],
                          "flag": ["uncertain"], "possibly_under": [True]})
    advice = [a for a in advise(make_coverage(), None, make_profiles(), profile_coverage=frame)
              if a.dimension == "profile"]
    assert "Dit profiel heeft u nog weinig gesproken." not in advice[0].advice
    assert "Misschien heeft u dit profiel nog weinig gesproken." in advice[0].advice


def test_afwachtend_midden_is_a_kompas_profile() -> None:
    from engagement.outreach import KOMPAS_PROFILES
    from profiles.kompas import quadrants

    assert set(KOMPAS_PROFILES) == {q["name"] for q in quadrants()}


def test_the_middle_kompas_profile_has_its_own_advice() -> None:
    from engagement.outreach import load_rules

    rule = load_rules().find("profile:Afwachtend midden")
    assert rule is not None and "concreet" in rule.advice
    assert load_rules().find("profile:Betrokken, midden vertrouwen") is not rule


def test_channel_counts_read_the_reference_bands_with_the_one_parser() -> None:
    """A team's own bands "18-29", "30-44" chain at +1, so 29 belongs to 18-29 (the old
    local parser read "18-29" as [18, 29) and left every 29-year-old out)."""
    from engagement.outreach import _categorise

    respondents = pd.DataFrame({"age": [18, 29, 30, 44, 45, 80]})
    cats = _categorise(respondents, "age", ["18-29", "30-44", "45+"])
    assert list(cats) == ["18-29", "18-29", "30-44", "30-44", "45+", "45+"]
    cbs = _categorise(respondents, "age", ["15-25", "25-45", "45-65", "65+"])
    assert list(cbs) == ["15-25", "25-45", "25-45", "25-45", "45-65", "65+"]


def test_without_evidence_the_rule_table_names_the_channels() -> None:
    """No respondents to learn from: the rule table's channels, and the advice says so."""
    advice = [a for a in advise(make_coverage(), None) if a.group == "age:15-25"]
    assert advice[0].channel_basis == "adviezentabel"
    assert advice[0].best_channel == load_rules().find("age:15-25").channels[0]
    assert "Volgens de adviezentabel" in advice[0].best_channel_text


def test_a_rule_with_an_unknown_channel_is_refused(tmp_path) -> None:
    path = tmp_path / "regels.yaml"
    path.write_text("rules:\n  - match: ['*']\n    advice: Ga langs.\n    channels: [stoep]\n")
    with pytest.raises(ValueError, match="onbekend kanaal 'stoep'"):
        load_rules(path)
