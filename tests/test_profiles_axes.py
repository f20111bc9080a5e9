"""fit_profiles(axes=...): the user's own choice of questions per kompas axis."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from profiles.fit import fit_profiles
from profiles.items import ProfileDataError, suggest_items


def _table(n: int = 40) -> pd.DataFrame:
    rng = np.random.default_rng(4)
    return pd.DataFrame({
        "respondent_id": [f"r{i}" for i in range(n)],
        "item:vraag_a": rng.integers(1, 6, n).astype(float),  # names the keywords do not know
        "item:vraag_b": rng.integers(1, 6, n).astype(float),
        "item:vraag_c": rng.integers(1, 6, n).astype(float),
    })


def test_unrecognised_questions_need_a_choice_per_axis() -> None:
    df = _table()
    selection = suggest_items(df)
    assert not selection.engagement and not selection.trust
    with pytest.raises(ProfileDataError, match="Kies de vragen voor beide assen"):
        fit_profiles(df, method="kompas")


def test_chosen_axes_are_used_for_the_kompas() -> None:
    df = _table()
    result = fit_profiles(df, method="kompas",
                          axes={"engagement": ["item:vraag_a"], "trust": ["item:vraag_b", "item:vraag_c"]})
    scores = result.assignments
    # one question on a 1-5 scale: score = (x - 1) / 4; two questions: their mean
    np.testing.assert_allclose(scores["engagement"], (df["item:vraag_a"] - 1) / 4)
    np.testing.assert_allclose(scores["trust"], ((df["item:vraag_b"] + df["item:vraag_c"]) / 2 - 1) / 4)
    assert len(result.cards) >= 1 and sum(c.size for c in result.cards) == len(df)


def test_an_empty_axis_still_asks_for_both() -> None:
    with pytest.raises(ProfileDataError, match="beide assen"):
        fit_profiles(_table(), method="kompas", axes={"engagement": ["item:vraag_a"], "trust": []})
