"""Step 3 (BCH): who is in which profile, corrected for classification error."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from profiles import fit_profiles
from profiles.threestep import bch_crosstab, bch_shares, classification_error
from tests.profiles_data import planted_axes


def test_classification_error_by_hand() -> None:
    post = np.array([[0.9, 0.1], [0.6, 0.4], [0.2, 0.8], [0.3, 0.7]])
    assigned = np.array([0, 0, 1, 1])
    d = classification_error(post, assigned)
    # true class 0 carries 0.9 + 0.6 assigned to 0 and 0.2 + 0.3 assigned to 1
    np.testing.assert_allclose(d[0], [1.5 / 2.0, 0.5 / 2.0])
    np.testing.assert_allclose(d[1], [0.5 / 2.0, 1.5 / 2.0])


def test_bch_undoes_a_known_blur() -> None:
    # true: class 0 all "jong", class 1 all "oud"; a quarter of each is filed in the other class
    n = 400
    truth = np.repeat([0, 1], n // 2)
    assigned = truth.copy()
    assigned[:50], assigned[200:250] = 1, 0
    post = np.where(assigned[:, None] == np.arange(2), 0.75, 0.25)  # D = [[.75, .25], [.25, .75]]
    age = pd.Series(np.where(truth == 0, "jong", "oud"))
    naive = pd.crosstab(assigned, age, normalize="index")
    assert naive.loc[0, "jong"] == pytest.approx(0.75)  # the blur
    corrected = bch_shares(post, assigned, age)
    assert corrected[0]["jong"] == pytest.approx(1.0, abs=1e-9)
    assert corrected[1]["oud"] == pytest.approx(1.0, abs=1e-9)
    table = bch_crosstab(post, assigned, age)
    assert table.to_numpy().sum() == pytest.approx(n)


def test_cards_carry_corrected_demographics() -> None:
    df, truth = planted_axes({("hoog", "hoog"): 150, ("laag", "laag"): 150}, seed=4)
    df["tenure"] = np.where(truth == 0, "koop", "huur_corporatie")
    df.loc[df.index[:5], "tenure"] = None
    result = fit_profiles(df, method="lca", k=2)
    for card in result.cards:
        tenure = card.demographics["tenure"]
        assert sum(tenure.values()) == pytest.approx(1.0)
        assert max(tenure.values()) > 0.95  # each profile is (almost) one tenure group
        assert sum(card.channels.values()) == pytest.approx(1.0)
