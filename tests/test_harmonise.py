"""Respondents into reference categories: exact ages, split bands, unknowns (by hand)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from engagement.harmonise import (
    age_intervals,
    age_membership,
    parse_band,
    respondent_categories,
    respondent_counts,
)
from surveys.categories import REFUSED

NAN = np.nan


def bands(*pairs, labels=None) -> pd.DataFrame:
    """Respondents with a band as the import stores it: half-open [low, high), NaN = open."""
    low = [p[0] for p in pairs]
    high = [p[1] for p in pairs]
    return pd.DataFrame({"age": NAN, "age_low": low, "age_high": high,
                         "age_band": labels or [f"{a}-{b - 1}" if b == b else f"{a}+" for a, b in pairs]})


def test_exact_ages_go_into_cbs_bands_from_min_age() -> None:
    frame = pd.DataFrame({"age": [14, 16, 17.9, 18, 24.99, 25, 44, 45, 64, 65, 101, NAN]})
    counts, unknown, estimated = respondent_counts(frame, "age", min_age=18)
    assert counts == {"0-15": 0, "15-25": 2, "25-45": 2, "45-65": 2, "65+": 2}
    assert unknown == 1 and not estimated  # 14, 16 and 17.9 are not eligible, not unknown


def test_burgerpeiling_18_29_splits_7_12_and_5_12() -> None:
    counts, unknown, estimated = respondent_counts(bands((18, 30)), "age", min_age=18)
    assert counts["15-25"] == pytest.approx(7 / 12, abs=1e-12)
    assert counts["25-45"] == pytest.approx(5 / 12, abs=1e-12)
    assert unknown == 0 and estimated


def test_burgerpeiling_layout_by_hand() -> None:
    frame = bands((18, 30), (30, 40), (40, 55), (55, 65), (65, 75), (75, NAN))
    fractions, unknown, estimated = age_membership(frame, min_age=18)
    expected = np.array([
        [0, 7 / 12, 5 / 12, 0, 0],
        [0, 0, 1, 0, 0],
        [0, 0, 5 / 15, 10 / 15, 0],
        [0, 0, 0, 1, 0],
        [0, 0, 0, 0, 1],
        [0, 0, 0, 0, 1],  # open top band nests in 65+
    ])
    np.testing.assert_allclose(fractions.to_numpy(), expected, atol=1e-12)
    assert list(estimated) == [True, False, True, False, False, False]
    assert unknown.sum() == 0


def test_min_age_inside_a_band_conditions_on_eligibility() -> None:
    counts, _, _ = respondent_counts(bands((18, 30)), "age", min_age=20)
    assert counts["15-25"] == pytest.approx(0.5) and counts["25-45"] == pytest.approx(0.5)
    counts, unknown, _ = respondent_counts(bands((12, 18)), "age", min_age=18)
    assert sum(counts.values()) == 0 and unknown == 0  # nobody eligible


def test_cbs_band_text_is_read_with_exclusive_top() -> None:
    frame = pd.DataFrame({"age_band": ["25-45", "15-25"], "age_low": [25, 15], "age_high": [45, 25]})
    counts, _, estimated = respondent_counts(frame, "age", min_age=18)
    assert counts["25-45"] == 1 and counts["15-25"] == 1 and not estimated
    assert parse_band("25 tot 45 jaar") == (25, 45)
    assert parse_band("18 t/m 29") == (18, 30)
    assert parse_band("75 jaar en ouder") == (75, np.inf)


def test_open_band_below_top_is_split_up_to_100() -> None:
    counts, _, estimated = respondent_counts(bands((60, NAN)), "age", min_age=18)
    assert counts["45-65"] == pytest.approx(5 / 40) and counts["65+"] == pytest.approx(35 / 40)
    assert estimated


def test_custom_reference_bands_chain_inclusively() -> None:
    cats = ["18-29", "30-39", "40-54", "55-64", "65-74", "75+"]
    assert age_intervals(cats)["18-29"] == (18, 30)
    frame = pd.DataFrame({"age": [29.5, 30, 80]})
    counts, _, _ = respondent_counts(frame, "age", categories=cats)
    assert counts["18-29"] == 1 and counts["30-39"] == 1 and counts["75+"] == 1


def test_categorical_unknowns_are_missing_refused_and_foreign_codes() -> None:
    frame = pd.DataFrame({"gender": ["man", "vrouw", "vrouw", "anders", REFUSED, None]})
    counts, unknown, estimated = respondent_counts(frame, "gender", categories=["man", "vrouw"])
    assert counts == {"man": 1, "vrouw": 2} and unknown == 3 and not estimated
    counts, unknown, _ = respondent_counts(frame, "gender")
    assert counts == {"man": 1, "vrouw": 2, "anders": 1} and unknown == 2


def test_estimated_gender_from_conversation_logs_is_marked() -> None:
    frame = pd.DataFrame({"gender": ["man", "vrouw"], "gender_estimated": [True, False]})
    assert respondent_counts(frame, "gender")[2]


def test_missing_column_is_all_unknown() -> None:
    counts, unknown, _ = respondent_counts(pd.DataFrame({"x": [1, 2]}), "tenure")
    assert sum(counts.values()) == 0 and unknown == 2


def test_single_category_for_weighting_takes_the_largest_part() -> None:
    frame = bands((18, 30), (40, 55), (75, NAN))
    assert list(respondent_categories(frame, "age")) == ["15-25", "45-65", "65+"]
