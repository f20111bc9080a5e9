"""Raking weights: margins matched, checked against weightipy and against post-stratification."""
from __future__ import annotations

import contextlib
import io

import numpy as np
import pandas as pd
import pytest
import weightipy as wp

from engagement.weighting import rake, rake_weights
from reference.model import BuurtReference

AGE = {"15-25": 600, "25-45": 1300, "45-65": 1200, "65+": 900}
GENDER = {"man": 1950, "vrouw": 2050}
TENURE = {"koop": 35, "huur_corporatie": 45, "huur_overig": 20}


def reference(**dims) -> BuurtReference:
    return BuurtReference(areas=(("BU1", "Test"),), year=2024, table="test", population=4000,
                          eligible_population=4000, min_age=15, dimensions=dims)


def sample(n: int = 400, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    age = rng.choice([20, 30, 50, 70], n, p=[0.08, 0.25, 0.37, 0.30])
    gender = np.where(rng.random(n) < 0.35 + 0.002 * age, "vrouw", "man")
    tenure = rng.choice(list(TENURE), n, p=[0.5, 0.3, 0.2])
    return pd.DataFrame({"age": age, "gender": gender, "tenure": tenure})


def weighted_shares(frame: pd.DataFrame, weights: pd.Series, column: str) -> pd.Series:
    return weights.groupby(frame[column]).sum() / weights.sum()


def test_post_stratification_is_p_over_s_for_the_worked_example() -> None:
    ages = [20] * 8 + [30] * 38 + [50] * 62 + [70] * 52
    result = rake_weights(pd.DataFrame({"age": ages}), reference(age=AGE))
    expected = {20: 0.15 / 0.05, 30: 0.325 / 0.2375, 50: 0.3 / 0.3875, 70: 0.225 / 0.325}
    np.testing.assert_allclose(result.weights, [expected[a] for a in ages], rtol=1e-12)
    assert result.deff == pytest.approx(1.2827641, abs=1e-6)
    assert result.ess == pytest.approx(124.7306, abs=1e-3)
    assert result.converged and result.dimensions == ("age",)


def test_raking_matches_all_marginals() -> None:
    frame = sample()
    result = rake_weights(frame, reference(age=AGE, gender=GENDER, tenure=TENURE), trim=None)
    assert result.converged and result.margin_error < 1e-9
    frame = frame.assign(band=pd.cut(frame["age"], [15, 25, 45, 65, 200], right=False,
                                     labels=list(AGE)).astype(str))
    for column, target in (("band", AGE), ("gender", GENDER), ("tenure", TENURE)):
        shares = weighted_shares(frame, result.weights, column)
        total = sum(target.values())
        for cat, count in target.items():
            assert shares[cat] == pytest.approx(count / total, abs=1e-9)
    assert result.weights.mean() == pytest.approx(1.0)


def test_raking_agrees_with_weightipy() -> None:
    frame = sample()
    frame["band"] = pd.cut(frame["age"], [15, 25, 45, 65, 200], right=False, labels=list(AGE)).astype(str)
    scheme = wp.scheme_from_dict({"band": AGE, "gender": GENDER, "tenure": TENURE},
                                 rim_params={"convcrit": 1e-12, "max_iterations": 5000})
    with contextlib.redirect_stdout(io.StringIO()):
        theirs = wp.weight(frame[["band", "gender", "tenure"]], scheme)
    ours = rake_weights(frame, reference(age=AGE, gender=GENDER, tenure=TENURE), trim=None)
    theirs = theirs.to_numpy() / theirs.mean()
    np.testing.assert_allclose(ours.weights.to_numpy(), theirs, atol=1e-6)


def test_unknown_keeps_factor_one_and_known_shares_match() -> None:
    frame = sample()
    frame.loc[frame.index[:50], "gender"] = None
    result = rake_weights(frame, reference(gender=GENDER), trim=None)
    assert np.allclose(result.weights.iloc[:50], 1.0)
    known = frame["gender"].notna()
    shares = weighted_shares(frame[known], result.weights[known], "gender")
    assert shares["vrouw"] == pytest.approx(2050 / 4000, abs=1e-12)


def test_unreached_group_is_left_out_with_a_dutch_warning() -> None:
    frame = sample()
    frame = frame[frame["tenure"] != "huur_overig"]
    result = rake_weights(frame, reference(tenure=TENURE, gender=GENDER))
    assert any("niet bereikt, kan niet worden gewogen" in w and "Huur bij andere verhuurder" in w
               for w in result.warnings)
    shares = weighted_shares(frame, result.weights, "tenure")
    assert shares["koop"] == pytest.approx(35 / 80, abs=1e-9)
    assert result.dimensions == ("tenure", "gender")


def test_trimming_caps_at_five_times_the_mean() -> None:
    ages = [20] * 2 + [30] * 100 + [50] * 100 + [70] * 100
    frame = pd.DataFrame({"age": ages})
    untrimmed = rake_weights(frame, reference(age=AGE), trim=None)
    assert untrimmed.max_weight > 20
    trimmed = rake_weights(frame, reference(age=AGE), trim=5.0)
    assert trimmed.max_weight <= 5.0 * trimmed.weights.mean() + 1e-9
    assert trimmed.trimmed == 2 and trimmed.deff < untrimmed.deff
    assert any("afkappen" in w for w in trimmed.warnings)


def test_rake_loop_on_a_two_by_two_by_hand() -> None:
    # 4 respondents, one per cell; both margins 30/70: the solution is w ∝ margins product.
    codes = [np.array([0, 0, 1, 1]), np.array([0, 1, 0, 1])]
    targets = [np.array([0.3, 0.7]), np.array([0.3, 0.7])]
    w, settled, _ = rake(codes, targets)
    assert settled
    np.testing.assert_allclose(w / w.sum(), [0.09, 0.21, 0.21, 0.49], atol=1e-12)


def test_no_respondents_gives_neutral_result() -> None:
    result = rake_weights(pd.DataFrame({"age": pd.Series([], dtype=float)}), reference(age=AGE))
    assert result.ess == 0 and result.deff == 1 and len(result.weights) == 0
