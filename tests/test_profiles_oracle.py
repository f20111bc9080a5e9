"""Our EM against StepMix (measurement="categorical_nan"), the reference implementation."""
from __future__ import annotations

import warnings

import numpy as np
import pytest
from threadpoolctl import threadpool_limits

from profiles.lca import LatentClassModel
from tests.profiles_data import planted_items

stepmix = pytest.importorskip("stepmix")


def _stepmix(codes: np.ndarray, k: int, n_init: int = 3):
    with warnings.catch_warnings(), threadpool_limits(limits=1):
        warnings.simplefilter("ignore")
        model = stepmix.StepMix(n_components=k, measurement="categorical_nan", n_init=n_init,
                                random_state=0, verbose=0, progress_bar=0)
        model.fit(codes)
    return model


def _check(X: np.ndarray, ks, n_init: int = 3) -> None:
    codes = X - 1  # StepMix wants 0-based integer categories (NaN = missing)
    for k in ks:
        ours = LatentClassModel(k, n_init=10, random_state=0).fit(X)
        ref = _stepmix(codes, k, n_init)
        ref_ll = ref.score(codes) * len(codes)
        # ours may be better, never worse by more than 0.1%
        assert ours.loglik_ >= ref_ll - 1e-3 * abs(ref_ll), (k, ours.loglik_, ref_ll)
        assert ours.n_parameters_ == ref.n_parameters
        assert ours.score(X) == pytest.approx(ours.loglik_ / len(X), rel=1e-12)


def test_loglik_matches_stepmix_small() -> None:
    X, _ = planted_items(n=200, k=3, n_items=5, p_main=0.6, missing=0.05, seed=11)
    _check(X, range(1, 4), n_init=2)


@pytest.mark.slow
def test_loglik_matches_stepmix_full_range() -> None:
    X, _ = planted_items(n=600, k=4, n_items=10, p_main=0.55, missing=0.03, seed=12)
    _check(X, range(1, 9))
