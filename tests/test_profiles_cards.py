"""Profile cards (repness, BH, names) and profile coverage, against hand computations."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportions_ztest

from profiles import profile_by_channel, profile_coverage, rename_profiles
from profiles.cards import (
    answer_indicators,
    benjamini_hochberg,
    build_cards,
    distinguishing_answers,
    two_proportion_z,
)
from profiles.coverage import profile_coverage_result
from profiles.model import ProfileCard, ProfileResult


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_bh_matches_statsmodels(seed: int) -> None:
    p = np.random.default_rng(seed).uniform(0, 0.2, size=37)
    p[:3] = [1e-6, 0.001, 0.001]  # ties and tiny values
    expected = multipletests(p, alpha=0.05, method="fdr_bh")[1]
    np.testing.assert_allclose(benjamini_hochberg(p), expected, rtol=1e-12)


def test_bh_by_hand() -> None:
    # p sorted .01 .02 .03 .04 with m = 4: .04 .04 .04 .04
    np.testing.assert_allclose(benjamini_hochberg([0.04, 0.01, 0.03, 0.02]), [0.04] * 4)


def test_two_proportion_z_by_hand_and_statsmodels() -> None:
    z, p = two_proportion_z(30, 50, 20, 100)
    # pooled 1/3; se = sqrt(1/3 · 2/3 · (1/50 + 1/100)); z = 0.4 / se
    assert z == pytest.approx(0.4 / np.sqrt(2 / 9 * 0.03), rel=1e-12)
    z_sm, p_sm = proportions_ztest([30, 20], [50, 100], alternative="larger")
    assert z == pytest.approx(z_sm, rel=1e-10) and p == pytest.approx(p_sm, rel=1e-10)
    assert two_proportion_z(0, 0, 3, 10) == (0.0, 1.0)


def test_distinguishing_answers_worked_example() -> None:
    inside = np.array([True] * 20 + [False] * 30)
    indicators = pd.DataFrame({
        "item:a=eens": [1.0] * 20 + [1.0] * 6 + [0.0] * 24,   # 100% vs 20%
        "item:b=eens": [1.0, 0.0] * 25,                         # no difference
        "item:c=eens": [1.0] * 5 + [np.nan] * 15 + [0.0] * 30,  # only 5 answered inside: too few
    })
    top = distinguishing_answers(indicators, inside)
    assert top["key"].tolist() == ["item:a=eens"]
    row = top.iloc[0]
    assert row["share_in"] == 1.0 and row["share_out"] == pytest.approx(0.2)
    assert row["lift"] == pytest.approx((21 / 22) / (7 / 32))
    p_a = two_proportion_z(20, 20, 6, 30)[1]
    p_b = two_proportion_z(10, 20, 15, 30)[1]
    assert row["p_adj"] == pytest.approx(multipletests([p_a, p_b], method="fdr_bh")[1][0])


def test_answer_indicators_read_likert_and_multi() -> None:
    df = pd.DataFrame({"item:x": [1, 3, 5, np.nan], "multi:kanaal:krant": [True, False, True, False]})
    ind, meta = answer_indicators(df, ["item:x", "multi:kanaal:krant"])
    assert ind["item:x=eens"].tolist()[:3] == [0, 0, 1] and np.isnan(ind["item:x=eens"].iloc[3])
    assert ind["item:x=oneens"].tolist()[:3] == [1, 0, 0]
    assert ind["multi:kanaal:krant=ja"].tolist() == [1, 0, 1, 0]
    assert ind["item:x=neutraal"].tolist()[:3] == [0, 1, 0]  # a 1-5 scale has a middle answer
    assert meta["item:x=oneens"] == ("X", "oneens")


def _two_group_respondents() -> tuple[pd.DataFrame, np.ndarray]:
    n = 60
    labels = np.array([0] * 40 + [1] * 20)
    df = pd.DataFrame({
        "respondent_id": [f"r{i}" for i in range(n)],
        "channel": ["online"] * 40 + ["straatgesprek"] * 20,
        "gender": ["vrouw"] * 30 + ["man"] * 30,
        "age": [30] * 40 + [70] * 20,
        "item:ik_ken_mijn_buren": [5] * 40 + [1] * 20,
        "item:de_straat_is_schoon": [3] * 60,
    })
    return df, labels


def test_cards_sizes_demographics_channels_and_names() -> None:
    df, labels = _two_group_respondents()
    cards = build_cards(df, labels, ["item:ik_ken_mijn_buren", "item:de_straat_is_schoon"])
    a, b = cards
    assert (a.size, b.size) == (40, 20) and a.share == pytest.approx(2 / 3)
    assert a.channels == {"online": 1.0} and b.channels == {"straatgesprek": 1.0}
    assert a.demographics["age_band"] == {"25-45": 1.0}
    assert a.demographics["gender"] == {"man": 0.25, "vrouw": 0.75}
    assert a.top_answers[0]["item"] == "Ik ken mijn buren" and a.top_answers[0]["answer"] == "eens"
    assert a.top_answers[0]["kind"] == "onderscheidend" and "p_adj" not in a.top_answers[0]
    assert a.name == "Profiel 1: vaak eens met ‘Ik ken mijn buren’"
    assert b.name == "Profiel 2: vaak oneens met ‘Ik ken mijn buren’"


def _result(df: pd.DataFrame, labels: np.ndarray) -> ProfileResult:
    cards = build_cards(df, labels, ["item:ik_ken_mijn_buren"])
    assignments = pd.DataFrame({"respondent_id": df["respondent_id"],
                                "profile": pd.Series([int(x) for x in labels], dtype=object),
                                "probability": 1.0, "name": [cards[x].name for x in labels]})
    return ProfileResult("kompas", 2, ("item:ik_ken_mijn_buren",), assignments, cards)


def test_rename_profiles() -> None:
    df, labels = _two_group_respondents()
    result = _result(df, labels)
    renamed = rename_profiles(result, {1: "Straatpraters"})
    assert [c.name for c in renamed.cards] == [result.cards[0].name, "Straatpraters"]
    assert (renamed.assignments["name"] == "Straatpraters").sum() == 20
    assert result.cards[1].name != "Straatpraters"  # the original is untouched
    with pytest.raises(ValueError, match="Onbekend profielnummer: 7"):
        rename_profiles(result, {7: "x"})
    with pytest.raises(ValueError, match="niet leeg"):
        rename_profiles(result, {0: "  "})


def test_profile_coverage_post_stratified_by_hand() -> None:
    # cells: 15-25 man 10 people all profile 0; 15-25 vrouw 10 people half/half;
    # 65+ man 30 people all profile 1; 65+ vrouw nobody (not covered)
    df = pd.DataFrame({
        "respondent_id": [f"r{i}" for i in range(50)],
        "age_band": ["15-25"] * 20 + ["65+"] * 30,
        "gender": ["man"] * 10 + ["vrouw"] * 10 + ["man"] * 30,
    })
    labels = np.array([0] * 10 + [0] * 5 + [1] * 5 + [1] * 30)
    cards = (ProfileCard(0, "Jong", "", 15, 0.3), ProfileCard(1, "Oud", "", 35, 0.7))
    assignments = pd.DataFrame({"respondent_id": df["respondent_id"],
                                "profile": pd.Series(list(labels), dtype=object)})
    result = ProfileResult("lca", 2, (), assignments, cards)
    cells = pd.DataFrame({"age_band": ["15-25", "15-25", "65+", "65+"],
                          "gender": ["man", "vrouw", "man", "vrouw"],
                          "population_share": [20, 20, 30, 30]})
    typed = profile_coverage_result(result, df, cells)
    out = typed.to_frame()
    assert out.columns.tolist() == ["profile", "name", "respondent_share", "population_share_estimate",
                                    "ratio", "flag", "covered_share", "reference", "share_low", "share_high",
                                    "ratio_low", "ratio_high", "possibly_under"]
    np.testing.assert_allclose(out["respondent_share"], [0.3, 0.7])
    np.testing.assert_allclose(out["population_share_estimate"], [0.3 / 0.7, 0.4 / 0.7])
    np.testing.assert_allclose(out["ratio"], [0.7, 0.7 / (0.4 / 0.7)])
    # no axis scores: either profile may respond up to 4x as often as the other
    p0, p1 = 3 / 7, 4 / 7
    np.testing.assert_allclose(out["share_low"], [(p0 / 4) / (p0 / 4 + p1), (p1 / 4) / (p1 / 4 + p0)])
    np.testing.assert_allclose(out["share_high"], [p0 / (p0 + p1 / 4), p1 / (p1 + p0 / 4)])
    np.testing.assert_allclose(out["ratio_low"], out["respondent_share"] / out["share_high"])
    # the bracket of both profiles reaches past 0.8 and 1.25: no single "ok"
    assert out["flag"].tolist() == ["uncertain", "uncertain"]
    assert out["possibly_under"].tolist() == [True, False]  # only the first bracket reaches below 0.8
    assert out["reference"].iloc[0] == "cbs_cellen"
    assert "betrokken" in typed.caveat and "4 keer" in typed.assumption
    assert out["covered_share"].iloc[0] == pytest.approx(0.7)
    assert list(typed.uncovered_cells) == [{"age_band": "65+", "gender": "vrouw", "population_share": 0.3}]


def test_profile_coverage_uses_exact_age_and_channel_table() -> None:
    df, labels = _two_group_respondents()
    result = _result(df, labels)
    cells = pd.DataFrame({"age_band": ["25-45", "65+"], "population_share": [0.5, 0.5]})
    out = profile_coverage(result, df, cells)
    np.testing.assert_allclose(out["population_share_estimate"], [0.5, 0.5])
    np.testing.assert_allclose(out["ratio"], [4 / 3, 2 / 3])
    assert out["flag"].tolist() == ["uncertain", "uncertain"]  # bounds of a factor 4 either way
    narrow = profile_coverage(result, df, cells, max_response_ratio=1.0)  # no self-selection assumed
    assert narrow["flag"].tolist() == ["over", "under"]
    table = profile_by_channel(result, df)
    assert table.loc[result.cards[1].name, "straatgesprek"] == 20
    assert table.loc[result.cards[0].name, "straatgesprek"] == 0
    with pytest.raises(ValueError, match="population_share"):
        profile_coverage(result, df, cells.drop(columns="population_share"))
