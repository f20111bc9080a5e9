"""k-means auto-k keeps a small real cluster (as the LCA selection does) and does not split
clusters that are not there."""
from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from profiles import fit_profiles
from profiles.kmeans import SILHOUETTE_TOLERANCE
from tests.profiles_data import planted_axes

# the truth benchmark's mix: the under-reached group (low engagement, low trust) is 6%
TRUTH_LIKE = {("hoog", "hoog"): 230, ("hoog", "laag"): 90, ("laag", "hoog"): 55, ("laag", "laag"): 23}


def _labels(result) -> np.ndarray:
    return np.array([-1 if p is None else p for p in result.assignments["profile"]])


@pytest.fixture(scope="module")
def truth_like():
    df, truth = planted_axes(TRUTH_LIKE, seed=0)
    return df, truth, fit_profiles(df, method="kmeans", random_state=0)


def test_small_real_cluster_is_kept(truth_like) -> None:
    df, truth, result = truth_like
    labels = _labels(result)
    assert result.k == 4
    assert adjusted_rand_score(truth, labels) >= 0.85
    rare = truth == 3  # the fourth mix entry: ("laag", "laag"), 23 people
    best = max(set(labels[labels >= 0]), key=lambda c: ((labels == c) & rare).sum())
    inside = labels == best
    assert (inside & rare).sum() / (inside | rare).sum() >= 0.7


def test_selection_table_says_why(truth_like) -> None:
    _, _, result = truth_like
    table = result.selection
    assert table["chosen"].sum() == 1
    chosen = table[table["chosen"]].iloc[0]
    assert int(chosen["k"]) == 4 and chosen["note"] == result.reason
    top = table["silhouette"].max()
    assert chosen["silhouette"] >= top - SILHOUETTE_TOLERANCE
    if chosen["silhouette"] < top:  # a merge scored a little better: the reason names both numbers
        assert "even goed als de beste" in result.reason
    assert chosen["stability_mean"] >= 0.6


def test_two_groups_are_not_split() -> None:
    df, truth = planted_axes({("hoog", "hoog"): 150, ("laag", "laag"): 150}, seed=1)
    result = fit_profiles(df, method="kmeans", random_state=0)
    assert result.k == 2
    assert adjusted_rand_score(truth, _labels(result)) >= 0.95


def test_ten_percent_class_in_300_stays_three() -> None:
    df, truth = planted_axes({("hoog", "hoog"): 135, ("hoog", "laag"): 135, ("laag", "laag"): 30}, seed=1)
    result = fit_profiles(df, method="kmeans", random_state=0)
    assert result.k == 3
    assert adjusted_rand_score(truth, _labels(result)) >= 0.85


def test_class_stability_per_cluster() -> None:
    from profiles.kmeans import KMeansProfiles

    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(m, 0.4, size=(size, 3)) for m, size in ((0, 120), (3, 120), (6, 16))])
    model = KMeansProfiles(n_boot=5, random_state=0).fit(X)
    assert model.n_clusters_ == 3
    assert model.class_stability_.shape == (3,)
    assert ((model.class_stability_ > 0.6) & (model.class_stability_ <= 1)).all()
    sizes = np.bincount(model.labels_)
    assert sizes.tolist() == sorted(sizes.tolist(), reverse=True)  # labels numbered large to small
    fixed = KMeansProfiles(n_clusters=2, n_boot=5, random_state=0).fit(X)
    assert fixed.class_stability_.tolist() == [1.0, 1.0] and bool(fixed.selection_["chosen"].iloc[0])
