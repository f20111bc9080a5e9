"""surveys.numbers: one rounding rule for every count a person reads."""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, strategies as st

from surveys.numbers import count_text, dutch, whole


@pytest.mark.parametrize("value,expected", [
    (3819.5, 3820), (616.5, 617), (617.5, 618), (15.28, 15), (0.5, 1), (0.49, 0), (-2.5, -3),
    (3956.0, 3956), (np.float64(2.5), 3), (np.int64(7), 7), (3, 3)])
def test_halves_go_up_not_to_even(value, expected) -> None:
    assert whole(value) == expected


@pytest.mark.parametrize("value", [None, float("nan"), np.nan, float("inf"), "drie"])
def test_missing_stays_missing(value) -> None:
    assert whole(value) is None
    assert count_text(value) == "onbekend"
    assert count_text(value, missing="–") == "–"


def test_the_issue_example_reads_the_same_everywhere() -> None:
    # "3.820" on one line and "3.819,5" below it: both now read 3.820
    assert count_text(3819.5) == count_text(3820) == "3.820"
    assert count_text(616.5) == "617"
    assert count_text(1234567.4) == "1.234.567"


def test_decimals_use_a_comma_and_the_same_rule() -> None:
    assert dutch(1234.5, 1) == "1.234,5"
    assert dutch(0.125, 2) == "0,13"  # half up, not 0,12 (binary 0.125 is exact)
    assert dutch(2.675, 2) == "2,68"  # repr '2.675', not the binary 2.67499…


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False))
def test_whole_is_within_a_half_and_text_parses_back(value: float) -> None:
    n = whole(value)
    assert abs(n - value) <= 0.5
    if math.isclose(abs(value - math.trunc(value)), 0.5):
        assert abs(n) >= abs(value)  # a half goes away from zero
    assert int(count_text(value).replace(".", "")) == n
