"""engagement.stats computes its normal and chi-square tails without scipy (the first page
must not import it); these tests hold those formulas to scipy's values over a grid."""
from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import special

from engagement import stats


def test_z95_is_scipys_quantile() -> None:
    assert stats.Z95 == float(special.ndtri(0.975))


def test_normal_two_sided_matches_scipy() -> None:
    z = np.concatenate([np.linspace(-38.0, 38.0, 20_001),
                        np.random.default_rng(7).normal(0.0, 4.0, 5_000), [0.0, -0.0, 1e-300]])
    ours = stats.normal_two_sided(z)
    theirs = 2 * special.ndtr(-np.abs(z))
    assert ours.shape == z.shape
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-12)
    # in the far tail the relative error stays small too (erfc, not 1 − Φ)
    tail = theirs > 1e-300
    assert np.max(np.abs(ours[tail] - theirs[tail]) / theirs[tail]) < 1e-12


def test_normal_two_sided_keeps_shape_and_nan() -> None:
    grid = np.array([[0.5, -1.0], [np.nan, 3.0]])
    out = stats.normal_two_sided(grid)
    assert out.shape == (2, 2) and math.isnan(out[1, 0])
    np.testing.assert_allclose(out[~np.isnan(grid)], 2 * special.ndtr(-np.abs(grid[~np.isnan(grid)])),
                               rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("df", [*range(1, 41), 50, 75, 99, 150, 250, 500])
def test_chi2_sf_matches_scipy(df: int) -> None:
    grid = np.concatenate([np.linspace(0.0, 3 * df + 80, 300), np.geomspace(1e-10, 5_000, 200)])
    ours = np.array([stats.chi2_sf(df, float(x)) for x in grid])
    theirs = special.chdtrc(df, grid)
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-12)
    tail = theirs > 1e-290
    assert np.max(np.abs(ours[tail] - theirs[tail]) / theirs[tail]) < 1e-10


def test_chi2_sf_edges_follow_scipy() -> None:
    assert stats.chi2_sf(3, 0.0) == float(special.chdtrc(3, 0.0)) == 1.0
    assert stats.chi2_sf(3, math.inf) == float(special.chdtrc(3, math.inf)) == 0.0
    assert math.isnan(stats.chi2_sf(3, math.nan)) and math.isnan(float(special.chdtrc(3, math.nan)))
    with pytest.raises(ValueError):
        stats.chi2_sf(0, 1.0)


def test_chi2_gof_and_score_p_values_match_scipy_formulas() -> None:
    observed = np.array([8.0, 38.0, 62.0, 52.0])
    shares = np.array([600, 1300, 1200, 900]) / 4000
    chi2, df, p = stats.chi2_gof(observed, shares)
    assert df == 3
    assert p == pytest.approx(float(special.chdtrc(3, chi2)), rel=1e-12, abs=1e-12)
    expected_p = 2 * special.ndtr(-np.abs((observed / 160 - shares)
                                          / np.sqrt(shares * (1 - shares) / 160)))
    np.testing.assert_allclose(stats.score_p_values(observed, 160.0, shares), expected_p,
                               rtol=1e-12, atol=1e-12)
