"""Coverage beyond the worked example: unknowns, targets, tenure, skipped dimensions, channels."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from engagement.coverage import (
    compute_coverage,
    coverage_by,
    coverage_frame,
    describe_coverage,
    summary_sentence,
)
from reference.model import BuurtReference
from surveys.categories import REFUSED

AGE = {"15-25": 600, "25-45": 1300, "45-65": 1200, "65+": 900}
TENURE = {"koop": 35.0, "huur_corporatie": 45.0, "huur_overig": 20.0}  # % of dwellings


def reference(**dims) -> BuurtReference:
    return BuurtReference(areas=(("BU1", "Test"),), year=2024, table="test", population=5000,
                          eligible_population=4000, min_age=15, dimensions=dims,
                          units={"tenure": "woningen"})


def test_unknowns_give_best_and_worst_case_shares() -> None:
    frame = pd.DataFrame({"gender": ["man"] * 30 + ["vrouw"] * 50 + [None] * 15 + [REFUSED] * 5})
    result = compute_coverage(frame, reference(gender={"man": 500, "vrouw": 500}), weighting=False)
    gender = result.dimension("gender")
    assert gender.unknown == 20
    man = gender.categories[0]
    assert man.respondent_share == pytest.approx(30 / 80)
    assert man.unknown_low == pytest.approx(30 / 100) and man.unknown_high == pytest.approx(50 / 100)


def test_codes_outside_the_reference_count_as_unknown_with_a_warning() -> None:
    frame = pd.DataFrame({"gender": ["man"] * 10 + ["vrouw"] * 10 + ["anders"] * 2})
    result = compute_coverage(frame, reference(gender={"man": 500, "vrouw": 500}), weighting=False)
    assert result.dimension("gender").unknown == 2
    assert "Geslacht: 2 antwoorden passen bij geen groep" in " ".join(result.warnings)


def test_a_dimension_with_one_group_is_skipped() -> None:
    frame = pd.DataFrame({"gender": ["man", "vrouw"], "age": [30, 50]})
    result = compute_coverage(frame, reference(gender={"man": 500, "vrouw": None}, age=AGE))
    assert [d.dimension for d in result.dimensions] == ["age"]
    assert "minder dan twee groepen" in " ".join(result.warnings)


def test_custom_targets_as_counts_and_as_shares() -> None:
    ages = [20] * 8 + [30] * 38 + [50] * 62 + [70] * 52
    frame = pd.DataFrame({"age": ages})
    counts = compute_coverage(frame, reference(age=AGE), targets={"age": {"15-25": 40}}, weighting=False)
    young = counts.dimension("age").categories[0]
    assert young.target == 40 and young.to_reach == 32
    assert young.ratio == pytest.approx(1 / 3)  # the ratio still compares with the buurt
    shares = compute_coverage(frame, reference(age=AGE), targets={"age": {"15-25": 0.25, "65+": 0.1}},
                              weighting=False).dimension("age")
    assert shares.categories[0].to_reach == 32 and shares.categories[3].to_reach == 0
    assert shares.categories[1].to_reach == 14  # untouched groups stay proportional


def test_thresholds_are_configurable() -> None:
    frame = pd.DataFrame({"age": [20] * 8 + [30] * 38 + [50] * 62 + [70] * 52})
    strict = compute_coverage(frame, reference(age=AGE), under=0.7, over=1.5, weighting=False)
    assert [c.flag for c in strict.dimension("age").categories] == ["under", "ok", "ok", "ok"]


def test_tenure_uses_shares_of_dwellings() -> None:
    frame = pd.DataFrame({"tenure": ["koop"] * 60 + ["huur_corporatie"] * 25 + ["huur_overig"] * 15})
    tenure = compute_coverage(frame, reference(tenure=TENURE), weighting=False).dimension("tenure")
    koop, corp, other = tenure.categories
    assert koop.population == 35 and koop.population_share == pytest.approx(0.35)
    assert corp.ratio == pytest.approx(0.25 / 0.45)
    assert corp.to_reach == 45 - 25 and other.to_reach == 5
    # R with dwellings spread over the 4000 eligible persons: rates 60/1400, 25/1800, 15/800
    rates = np.array([60 / 1400, 25 / 1800, 15 / 800])
    expected_r = 1 - 2 * np.sqrt(np.sum(np.array([.35, .45, .2]) * (rates - 100 / 4000) ** 2))
    assert tenure.r_indicator == pytest.approx(expected_r, abs=1e-12)


def test_dimensions_without_data_are_skipped_with_a_warning() -> None:
    frame = pd.DataFrame({"age": [30, 40, 50], "origin": ["nederland", "europa", None]})
    result = compute_coverage(frame, reference(age=AGE, income={"laag": 10, "hoog": 10}))
    assert [d.dimension for d in result.dimensions] == ["age"]
    text = " ".join(result.warnings)
    assert "Inkomen" in text and "Herkomst" in text


def test_unreached_group_and_the_summary_sentence() -> None:
    frame = pd.DataFrame({
        "age": [30] * 60 + [50] * 60 + [70] * 40,
        "tenure": ["koop"] * 110 + ["huur_corporatie"] * 20 + ["huur_overig"] * 30,
    })
    result = compute_coverage(frame, reference(age=AGE, tenure=TENURE))
    young = result.dimension("age").categories[0]
    assert young.flag == "unreached" and young.label == "nog niemand gesproken" and young.to_reach == 24
    assert summary_sentence(result) == ("Huurders van een woningcorporatie zijn duidelijk "
                                        "ondervertegenwoordigd. Met jongeren van 15 tot 25 jaar "
                                        "is nog niemand gesproken.")
    assert any("niet bereikt, kan niet worden gewogen" in w for w in result.warnings)
    assert "nog 24 te spreken" in describe_coverage(result)


def test_summary_sentence_from_the_brief() -> None:
    frame = pd.DataFrame({
        "age": [20] * 8 + [30] * 52 + [50] * 52 + [70] * 48,
        "tenure": ["koop"] * 90 + ["huur_corporatie"] * 40 + ["huur_overig"] * 30,
    })
    result = compute_coverage(frame, reference(age=AGE, tenure=TENURE))
    assert summary_sentence(result) == ("Jongeren van 15 tot 25 jaar en huurders van een woningcorporatie "
                                        "zijn duidelijk ondervertegenwoordigd.")


def test_balanced_sample_says_all_groups_in_line() -> None:
    frame = pd.DataFrame({"age": [20] * 15 + [30] * 33 + [50] * 30 + [70] * 22})
    result = compute_coverage(frame, reference(age=AGE))
    assert {c.label for c in result.dimension("age").categories} == {"in lijn"}
    assert summary_sentence(result).startswith("Alle groepen")


def test_coverage_by_channel() -> None:
    frame = pd.DataFrame({"age": [20] * 10 + [70] * 30 + [50] * 5,
                          "channel": ["straatgesprek"] * 10 + ["online"] * 30 + [None] * 5})
    results = coverage_by(frame, reference(age=AGE), by="channel")
    assert list(results) == ["online", "straatgesprek", "onbekend"]
    assert results["straatgesprek"].respondents == 10
    assert results["straatgesprek"].dimension("age").categories[0].respondents == 10
    with pytest.raises(ValueError, match="bestaat niet"):
        coverage_by(frame, reference(age=AGE), by="wijk")


def test_to_dict_follows_the_json_contract() -> None:
    frame = pd.DataFrame({"age": [20, 30, 50, 70] * 10, "tenure": ["koop", "huur_overig"] * 20})
    data = json.loads(json.dumps(compute_coverage(frame, reference(age=AGE, tenure=TENURE)).to_dict()))
    assert set(data) >= {"respondents", "dimensions", "weighting", "warnings"}
    assert set(data["weighting"]) == {"deff", "ess"}
    dim = data["dimensions"][0]
    assert set(dim) >= {"dimension", "unknown", "chi2", "df", "p_value", "cv", "r_indicator",
                        "min_max_ratio", "categories"}
    assert set(dim["categories"][0]) >= {"category", "population", "population_share", "respondents",
                                         "respondent_share", "ratio", "ci_low", "ci_high", "flag",
                                         "significant", "to_reach"}
    frame_out = coverage_frame(compute_coverage(frame, reference(age=AGE), weighting=False))
    assert list(frame_out["category_label"]) == ["15 tot 25 jaar", "25 tot 45 jaar",
                                                 "45 tot 65 jaar", "65 jaar en ouder"]


def test_burgerpeiling_bands_are_marked_estimated() -> None:
    # the canonical table stores bands half-open: "18-29" is age_low 18, age_high 30
    frame = pd.DataFrame({"age_low": [18, 30, 40, 55, 65] * 20, "age_high": [30, 40, 55, 65, 75] * 20})
    result = compute_coverage(frame, reference(age=AGE), weighting=False)
    age = result.dimension("age")
    assert age.estimated
    assert sum(c.respondents for c in age.categories) == pytest.approx(100)
    assert age.categories[0].respondents == pytest.approx(20 * 7 / 12)  # 18-29: 18..24 of 18..29
    assert age.categories[1].respondents == pytest.approx(20 * 5 / 12 + 20 + 20 * 5 / 15)


def _gender(man: int, vrouw: int, unknown: int):
    frame = pd.DataFrame({"gender": ["man"] * man + ["vrouw"] * vrouw + [None] * unknown})
    return compute_coverage(frame, reference(gender={"man": 2000, "vrouw": 2000}),
                            weighting=False).dimension("gender")


def test_in_line_is_onzeker_when_the_unknowns_could_make_it_under_or_over() -> None:
    """Issue 13: unknowns are carried into the flag. 22 % unknown: man 40 of 78 known
    (ratio 1,03) stays in line at both bounds (40/100 → 0,80; 62/100 → 1,24), vrouw 38
    (ratio 0,97) drops to 38/100 → 0,76 when no unknown is a woman: 'onzeker'."""
    dim = _gender(40, 38, 22)
    man, vrouw = dim.categories
    assert dim.uncertain and man.flag == vrouw.flag == "ok"
    assert not man.uncertain and man.label == "in lijn"
    assert vrouw.uncertain and vrouw.label == "onzeker: 22% onbekend"
    # the same groups with 20 % unknown (not above the threshold) keep their plain verdict
    calm = _gender(40, 40, 20)
    assert not calm.uncertain and [c.label for c in calm.categories] == ["in lijn", "in lijn"]


@pytest.mark.parametrize("unknown", [30, 55, 66])
def test_many_unknowns_never_say_in_line(unknown: int) -> None:
    known = 100 - unknown
    dim = _gender(known // 2, known - known // 2, unknown)
    assert all(c.flag == "ok" for c in dim.categories)
    assert all(c.uncertain and c.label == f"onzeker: {unknown}% onbekend" for c in dim.categories)


@pytest.mark.parametrize("seed", range(20))
def test_onzeker_is_exactly_the_bounds_rule(seed: int) -> None:
    """A verdict is 'onzeker' iff the dimension is over 20 % unknown and a bound (none or all
    of the unknowns in the group) gives another flag; otherwise the plain label stays."""
    rng = np.random.default_rng(seed)
    man, vrouw, unknown = (int(v) for v in rng.integers(1, 60, size=3))
    dim = _gender(man, vrouw, unknown)
    total = man + vrouw + unknown
    for cat, n in zip(dim.categories, (man, vrouw)):
        def flag(share: float) -> str:
            ratio = share / 0.5
            return "under" if ratio < 0.8 else "over" if ratio > 1.25 else "ok"
        flips = {flag(n / total), flag((n + unknown) / total)} != {cat.flag}
        assert cat.uncertain == (unknown / total > 0.2 and flips), (man, vrouw, unknown, cat)
        assert cat.label.startswith("onzeker") == cat.uncertain
