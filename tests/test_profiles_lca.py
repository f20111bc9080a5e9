"""Latent class analysis: planted classes recovered, k chosen sensibly, estimator contract."""
from __future__ import annotations

import warnings

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.metrics import adjusted_rand_score
from sklearn.utils.estimator_checks import parametrize_with_checks

from profiles.kmeans import KMeansProfiles
from profiles.lca import LatentClassModel, encode, learn_categories, relative_entropy
from profiles.selection import best_match_jaccard, select_lca
from tests.profiles_data import planted_items


@pytest.fixture(scope="module")
def planted():
    return planted_items(n=600, k=4, n_items=10, p_main=0.65, missing=0.03, seed=0)


@pytest.fixture(scope="module")
def planted_selection(planted):
    X, _ = planted
    return select_lca(X, random_state=0)


def test_planted_four_classes_chosen_and_recovered(planted, planted_selection) -> None:
    _, truth = planted
    sel = planted_selection
    assert sel.k == 4
    assert adjusted_rand_score(truth, sel.model.labels_) >= 0.9
    assert list(sel.table.columns[:7]) == ["k", "loglik", "bic", "entropy", "smallest_share",
                                          "smallest_size", "stability"]
    assert sel.table["k"].tolist() == list(range(1, 9))
    assert sel.table.loc[3, "stability"] >= 0.6
    assert "4 groepen" in sel.reason


def test_pure_noise_gives_one_class() -> None:
    X = np.random.default_rng(5).integers(1, 6, size=(400, 10)).astype(float)
    sel = select_lca(X, k_max=4)
    assert sel.k == 1
    assert "1 groep" in sel.reason


def test_one_well_separated_class_gives_small_k() -> None:
    rng = np.random.default_rng(7)
    X = rng.integers(1, 6, size=(400, 10)).astype(float)
    special = np.arange(400) < 100
    X[special] = np.where(rng.uniform(size=(100, 10)) < 0.85, 5, X[special])
    sel = select_lca(X, k_max=5)
    assert sel.k <= 2
    if sel.k == 2:
        assert adjusted_rand_score(special, sel.model.labels_) > 0.8


def test_same_seed_same_labels(planted) -> None:
    X, _ = planted
    a = LatentClassModel(4, n_init=4, random_state=3).fit(X)
    b = LatentClassModel(4, n_init=4, random_state=3).fit(X)
    np.testing.assert_array_equal(a.labels_, b.labels_)
    np.testing.assert_array_equal(a.predict_proba(X), b.predict_proba(X))


def test_missing_answers_use_only_answered_items() -> None:
    # two classes; a respondent who answered only item 0 gets the posterior from item 0 alone
    X = np.array([[1, 1, 1]] * 40 + [[5, 5, 5]] * 60, dtype=float)
    model = LatentClassModel(2, random_state=0).fit(X)
    probs = np.clip(model.probabilities_, 1e-15, 1)  # classes large → small: class 0 answers 5
    post = model.predict_proba(np.array([[5, np.nan, np.nan], [np.nan, np.nan, np.nan]]))
    w = model.weights_
    expected = w * probs[:, 0, 1] / (w * probs[:, 0, 1]).sum()
    np.testing.assert_allclose(post[0], expected, rtol=1e-12)
    np.testing.assert_allclose(post[1], w, rtol=1e-12)  # nothing answered: the class shares
    assert model.predict(np.array([[np.nan, 1, np.nan]]))[0] == 1


def test_heavy_missing_runs_and_keeps_likelihood_finite(planted) -> None:
    X, _ = planted
    Y = X.copy()
    Y[np.random.default_rng(0).uniform(size=Y.shape) < 0.4] = np.nan
    model = LatentClassModel(3, n_init=3).fit(Y)
    assert np.isfinite(model.loglik_) and model.converged_
    assert np.allclose(model.predict_proba(Y).sum(axis=1), 1.0)


def test_loglik_by_hand_for_one_class() -> None:
    X = np.array([[1, 2], [1, np.nan], [2, 2], [2, 1]], dtype=float)
    model = LatentClassModel(1).fit(X)
    # item 0: 1,1,2,2 → p = .5/.5; item 1: 2,2,1 → p(2) = 2/3
    expected = 4 * np.log(0.5) + 2 * np.log(2 / 3) + np.log(1 / 3)
    assert model.loglik_ == pytest.approx(expected, rel=1e-12)
    assert model.n_parameters_ == 2
    assert model.bic_ == pytest.approx(-2 * expected + 2 * np.log(4), rel=1e-12)
    assert model.score(X) == pytest.approx(expected / 4, rel=1e-12)


def test_unknown_answer_at_predict_counts_as_missing() -> None:
    X = np.array([[1, 1]] * 30 + [[5, 5]] * 20, dtype=float)
    model = LatentClassModel(2).fit(X)
    np.testing.assert_allclose(model.predict_proba(np.array([[3, 5]])),
                               model.predict_proba(np.array([[np.nan, 5]])))


def test_estimator_contract() -> None:
    model = LatentClassModel(3, n_init=2, random_state=1)
    assert model.get_params()["n_components"] == 3
    assert clone(model).get_params() == model.get_params()
    with pytest.raises(NotFittedError):
        model.predict(np.ones((2, 2)))
    X = np.random.default_rng(0).integers(1, 4, size=(60, 4)).astype(float)
    assert model.fit(X) is model
    assert model.fit_predict(X).shape == (60,)
    assert model.predict_proba(X).shape == (60, 3)
    with pytest.raises(ValueError, match="4 features"):
        model.predict(np.ones((2, 3)))


def test_relative_entropy_and_jaccard_by_hand() -> None:
    assert relative_entropy(np.eye(3)) == pytest.approx(1.0)
    assert relative_entropy(np.full((4, 2), 0.5)) == pytest.approx(0.0)
    ref = np.array([0, 0, 0, 1, 1])
    other = np.array([1, 1, 0, 0, 0])
    # class 0 {0,1,2} vs {0,1}: 2/3; class 1 {3,4} vs {2,3,4}: 2/3
    np.testing.assert_allclose(best_match_jaccard(ref, other, 2, 2), [2 / 3, 2 / 3])


def test_encoding_is_dense_over_observed_answers() -> None:
    X = np.array([[1, 7], [3, np.nan], [5, 7]], dtype=float)
    cats = learn_categories(X)
    enc = encode(X, cats)
    assert [c.tolist() for c in cats] == [[1, 3, 5], [7]]
    assert enc.n_outcomes == 4
    np.testing.assert_array_equal(enc.observed, [[1, 1], [1, 0], [1, 1]])


def _expected_failures(estimator) -> dict[str, str]:
    if isinstance(estimator, LatentClassModel):
        # sklearn's check uses continuous blobs: every distinct value becomes a category
        return {"check_clustering": "categorical model; the check feeds continuous data"}
    return {}


@parametrize_with_checks([LatentClassModel(2, n_init=2, max_iter=50), KMeansProfiles(n_clusters=3, n_init=2)],
                         expected_failed_checks=_expected_failures)
def test_sklearn_estimator_checks(estimator, check) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check(estimator)


def test_mixing_shares_of_another_group_use_its_own_prior(planted) -> None:
    X, truth = planted
    model = LatentClassModel(4, n_init=4, random_state=0).fit(X)
    labels = model.labels_
    # a group in which class 3 (the smallest) is five times as common as among the fitted rows
    rows = np.concatenate([np.flatnonzero(labels == 3)] * 5 + [np.flatnonzero(labels != 3)])
    want = (labels[rows] == 3).mean()
    shares = model.mixing_shares(X[rows])
    assert shares.sum() == pytest.approx(1.0)
    assert shares[3] == pytest.approx(want, abs=0.02)
    prior_pulled = model.predict_proba(X[rows]).mean(axis=0)[3]
    assert abs(shares[3] - want) <= abs(prior_pulled - want) + 1e-9
    weighted = model.mixing_shares(X[rows], np.where(labels[rows] == 3, 0.2, 1.0))
    assert weighted[3] == pytest.approx(model.weights_[3], abs=0.02)  # weights undo the over-sampling
    np.testing.assert_allclose(model.mixing_shares(X, alpha=0.0), model.weights_, atol=1e-4)  # the MLE: own shares


def test_new_people_are_not_ruled_out_by_one_answer_a_small_class_never_gave() -> None:
    rng = np.random.default_rng(4)
    big = np.where(rng.uniform(size=(200, 6)) < 0.85, 5, rng.integers(1, 5, (200, 6)))
    small = np.where(rng.uniform(size=(20, 6)) < 0.9, 1, 2)  # the small class never answers 3, 4 or 5
    model = LatentClassModel(2, random_state=0).fit(np.vstack([big, small]).astype(float))
    newcomer = np.array([[1, 1, 1, 1, 1, 4]], dtype=float)  # fits the small class, one odd answer
    assert model.predict_proba(newcomer)[0, 1] < 0.01  # ML: an unseen answer has probability 0
    assert model.predict_proba_other(newcomer)[0, 1] > 0.9  # smoothed: the other five answers count
    smoothed = model.smoothed_probabilities(1.0)
    np.testing.assert_allclose(smoothed.sum(axis=2), 1.0)
    n_small = model.weights_[1] * 220
    assert smoothed[1, 5, 3] == pytest.approx((n_small * model.probabilities_[1, 5, 3] + 1 / 5) / (n_small + 1))
