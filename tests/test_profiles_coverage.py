"""Profile coverage that is honest about self-selection: a probability sample as the
reference (with intervals), or sensitivity bounds under a stated assumption."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

from profiles import fit_profiles
from profiles.coverage import (
    CAVEAT,
    cbs_age_band,
    describe_profile_coverage,
    profile_coverage,
    profile_coverage_result,
    sensitivity_bounds,
    split_probability_sample,
    wilson,
)
from profiles.items import harmonise_scales
from tests.profiles_data import planted_axes

MIX = {("hoog", "hoog"): 300, ("hoog", "laag"): 200, ("laag", "laag"): 100}


@pytest.fixture(scope="module")
def fitted():
    population, truth = planted_axes({k: v * 4 for k, v in MIX.items()}, seed=21)
    # participation: Op afstand (truth 2) answers a third as often as the others, inside
    # the stated assumption (at most 4 times)
    rng = np.random.default_rng(0)
    keep = rng.uniform(size=len(truth)) < np.where(truth == 2, 0.1, 0.3)
    respondents = population[keep].reset_index(drop=True)
    result = fit_profiles(respondents, method="lca", k=3)
    return population, truth, respondents, truth[keep], result


def _rare_id(result, respondents, truth_resp) -> int:
    labels = np.array([-1 if p is None else p for p in result.assignments["profile"]])
    return max((c.id for c in result.cards), key=lambda i: ((labels == i) & (truth_resp == 2)).sum())


def test_wilson_matches_statsmodels() -> None:
    lo, hi = wilson(np.array([0.1, 0.5, 0.0]), 80)
    for i, share in enumerate((0.1, 0.5, 0.0)):
        ref = proportion_confint(round(share * 80), 80, method="wilson")
        assert (lo[i], hi[i]) == pytest.approx(ref, rel=1e-9, abs=1e-12)


def test_sensitivity_bounds_by_hand() -> None:
    shares = np.array([0.5, 0.3, 0.2])
    order = np.array([0.9, 0.5, 0.1])  # profile 2 is the least engaged
    low, high = sensitivity_bounds(shares, 4.0, order)
    # least engaged: at least its post-stratified share (all others respond at least as often),
    # at most when everyone else responds 4x as often
    assert low[2] == pytest.approx(0.2)
    assert high[2] == pytest.approx(0.2 / (0.2 + 0.8 / 4))
    # most engaged: at most its share, at least when it responds 4x as often as all others
    assert high[0] == pytest.approx(0.5)
    assert low[0] == pytest.approx((0.5 / 4) / (0.5 / 4 + 0.5))
    # the middle one: more engaged (0) at gamma with it, less engaged (2) at 1
    assert low[1] == pytest.approx((0.3 / 4) / (0.3 / 4 + 0.5 / 4 + 0.2))
    assert high[1] == pytest.approx(0.3 / (0.3 + 0.2 + 0.5 / 4))
    free_low, free_high = sensitivity_bounds(shares, 4.0)
    assert free_low[2] == pytest.approx((0.2 / 4) / (0.2 / 4 + 0.8)) and free_high[2] == pytest.approx(high[2])
    same_low, same_high = sensitivity_bounds(shares, 1.0, order)
    np.testing.assert_allclose(same_low, shares) and np.testing.assert_allclose(same_high, shares)


def test_without_a_sample_the_under_reached_group_is_bracketed_not_called_ok(fitted) -> None:
    population, truth, respondents, truth_resp, result = fitted
    rare = _rare_id(result, respondents, truth_resp)
    typed = profile_coverage_result(result, respondents)
    out = typed.to_frame().set_index("profile")
    true_ratio = (truth_resp == 2).mean() / (truth == 2).mean()
    assert out.loc[rare, "ratio_low"] <= true_ratio <= out.loc[rare, "ratio_high"]
    assert out.loc[rare, "ratio"] == pytest.approx(1.0)  # the naive point sees nothing …
    assert out.loc[rare, "flag"] != "ok"  # … so no single "ok"
    assert typed.caveat == CAVEAT and "Wegen op leeftijd en geslacht" in CAVEAT
    assert "4 keer" in typed.assumption and typed.reference == "gesproken"
    text = describe_profile_coverage(typed)
    assert text.startswith(CAVEAT) and "hooguit 4 keer" in text
    rare_name = out.loc[rare, "name"]
    line = next(x for x in text.splitlines() if x.startswith(f"- {rare_name}:"))
    assert "tussen" in line and ("niet te zeggen" in line or "minder gesproken" in line)


def test_probability_sample_is_classified_with_the_same_model_and_weighted(fitted) -> None:
    population, truth, respondents, truth_resp, result = fitted
    rng = np.random.default_rng(1)
    # a random sample in which Op afstand answers half as often, corrected by its weights
    invited = rng.choice(len(population), 900, replace=False)
    answered = invited[rng.uniform(size=900) < np.where(truth[invited] == 2, 0.3, 0.6)]
    sample = population.iloc[answered].assign(channel="steekproef").reset_index(drop=True)
    sample["weight"] = np.where(truth[answered] == 2, 2.0, 1.0)
    typed = profile_coverage_result(result, respondents, probability_sample=sample)
    out = typed.to_frame().set_index("profile")
    rare = _rare_id(result, respondents, truth_resp)
    true_ratio = (truth_resp == 2).mean() / (truth == 2).mean()
    assert out.loc[rare, "population_share_estimate"] == pytest.approx((truth == 2).mean(), abs=0.04)
    assert abs(out.loc[rare, "ratio"] - true_ratio) < 0.1
    assert out.loc[rare, "share_low"] < out.loc[rare, "population_share_estimate"] < out.loc[rare, "share_high"]
    assert out.loc[rare, "ratio_low"] <= true_ratio <= out.loc[rare, "ratio_high"]
    # the ratio's interval holds both shares' uncertainty: wider than the reference's alone
    share_only = out.loc[rare, "respondent_share"] / out.loc[rare, "share_low"]
    assert out.loc[rare, "ratio_high"] > share_only
    assert out.loc[rare, "flag"] == "under" and out.loc[rare, "reference"] == "steekproef"
    unweighted = profile_coverage(result, respondents, probability_sample=sample.drop(columns="weight"))
    assert unweighted.set_index("profile").loc[rare, "population_share_estimate"] < \
        out.loc[rare, "population_share_estimate"] - 0.02  # the weights matter
    assert f"{len(sample)} mensen" in typed.assumption
    combined = pd.concat([respondents, sample], ignore_index=True)
    own, prob = split_probability_sample(combined)
    assert len(own) == len(respondents) and len(prob) == len(sample)


def test_sample_without_the_questions_gets_a_dutch_message(fitted) -> None:
    _, _, respondents, _, result = fitted
    sample = respondents.drop(columns=[result.items[0]]).assign(weight=1.0)
    with pytest.raises(ValueError, match="ontbreken in de steekproef"):
        profile_coverage(result, respondents, probability_sample=sample)


def test_files_on_different_scales_are_put_on_one() -> None:
    df = pd.DataFrame({"source": ["a#1"] * 10 + ["b#2"] * 10 + ["c#3"] * 3,
                       "item:x": [1, 2, 3, 4, 5] * 2 + [1, 2, 4, 6, 7, 7, 6, 5, 3, 1] + [1, 2, 3]})
    harmony = harmonise_scales(df, ["item:x"])  # 10 on 1-5, 10 on 1-7 (c: too few to tell)
    assert harmony.targets == {"item:x": (1.0, 5.0)}  # a tie goes to the shorter scale
    assert harmonise_scales(df[df["source"] != "b#2"], ["item:x"]).targets == {}  # one scale: nothing to do
    df.loc[20:, "source"] = "b#2"  # now 13 answers on 1-7: the target is 1-7
    assert harmonise_scales(df, ["item:x"]).targets == {"item:x": (1.0, 7.0)}
    df.loc[20:, "source"] = "a#1"
    harmony = harmonise_scales(df, ["item:x"])
    assert harmony.targets == {"item:x": (1.0, 5.0)}
    out, notes = harmony.apply(df, ["item:x"])
    assert out["item:x"].iloc[10:20].tolist() == [1, 2, 3, 4, 5, 5, 4, 4, 2, 1]
    assert out["item:x"].iloc[:10].tolist() == df["item:x"].iloc[:10].tolist()
    assert len(notes) == 1 and "'b'" in notes[0] and "1 tot 7" in notes[0]


def test_age_band_from_asked_bounds() -> None:
    df = pd.DataFrame({"age": [np.nan, 30, np.nan, np.nan], "age_low": [25, 30, 20, 65],
                       "age_high": [35, 31, 30, np.inf]})
    assert cbs_age_band(df).tolist() == ["25-45", "25-45", None, "65+"]


def test_the_typed_result_holds_caveat_and_assumption_and_round_trips(fitted) -> None:
    import json

    from profiles.coverage import ProfileCoverageResult

    _, _, respondents, _, result = fitted
    typed = profile_coverage_result(result, respondents)
    assert typed.reference == "gesproken" and typed.caveat == CAVEAT and "4 keer" in typed.assumption
    assert [p.profile for p in typed.profiles] == [c.id for c in result.cards]
    frame = typed.to_frame()
    pd.testing.assert_frame_equal(frame, profile_coverage(result, respondents), check_exact=True)
    assert frame.attrs == {}  # the side data stays on the result, never on the table
    again = ProfileCoverageResult.from_dict(json.loads(json.dumps(typed.to_dict())))
    pd.testing.assert_frame_equal(again.to_frame(), frame, check_exact=True)
    assert again.to_dict() == typed.to_dict()
