"""k-means profiles on standardised numeric items, for teams that prefer distances.

k-means cannot handle gaps, so missing answers are handled in the open: respondents who
skipped too many items are left out (and counted), the remaining gaps are filled with
the item mean (and counted per item). k is the best silhouette among the k whose
clusters are big enough and stable under resampling.
"""
from __future__ import annotations

import logging

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClusterMixin
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score
from sklearn.utils.validation import check_is_fitted, validate_data
from threadpoolctl import threadpool_limits

from profiles.lca import _frame_to_float
from profiles.selection import PEOPLE_PER_CLASS, STABLE_CLASS, best_match_jaccard, min_class_size

logger = logging.getLogger(__name__)


class KMeansProfiles(ClusterMixin, BaseEstimator):
    """k-means with explicit missing-data handling and k chosen by silhouette + stability.

    Parameters
    ----------
    n_clusters : int or "auto" (k from `k_range` by silhouette, among stable, big-enough k).
    k_range : smallest and largest k tried with "auto".
    max_missing : respondents with a larger share of missing items are left out (label −1).
    n_init, n_boot : k-means starts; bootstrap resamples for stability.
    random_state : seed; the same input gives the same labels.

    Attributes
    ----------
    means_, scales_ : per item, for imputation and standardising (from the kept rows).
    n_excluded_ : respondents left out; imputed_ : per item, the number of filled gaps.
    selection_ : table k, silhouette, smallest_share, stability; reason_ (Dutch).
    kmeans_ : the fitted sklearn KMeans; n_clusters_, labels_.
    """

    def __init__(self, n_clusters: int | str = "auto", *, k_range: tuple[int, int] = (2, 8),
                 max_missing: float = 0.5, n_init: int = 10, n_boot: int = 20,
                 random_state: int | None = 0) -> None:
        self.n_clusters = n_clusters
        self.k_range = k_range
        self.max_missing = max_missing
        self.n_init = n_init
        self.n_boot = n_boot
        self.random_state = random_state

    def _keep(self, arr: np.ndarray) -> np.ndarray:
        return np.isnan(arr).mean(axis=1) <= self.max_missing

    def _prepare(self, arr: np.ndarray) -> np.ndarray:
        filled = np.where(np.isnan(arr), self.means_, arr)
        return (filled - self.means_) / self.scales_

    def fit(self, X, y=None) -> KMeansProfiles:
        """Leave out sparse respondents, mean-impute, standardise, choose k, fit."""
        with threadpool_limits(limits=1):  # small problems: threads only wait on a busy machine
            return self._fit(X)

    def _fit(self, X) -> KMeansProfiles:
        arr = validate_data(self, _frame_to_float(X), ensure_all_finite="allow-nan", dtype=float,
                            ensure_min_samples=2)
        keep = self._keep(arr)
        self.n_excluded_ = int((~keep).sum())
        kept = arr[keep]
        k_min = self.k_range[0] if self.n_clusters == "auto" else int(self.n_clusters)
        if len(kept) <= k_min:
            raise ValueError(f"Te weinig respondenten met genoeg antwoorden voor k-means "
                             f"(n_samples={len(kept)}, nodig meer dan {k_min}).")
        self.means_ = np.nanmean(kept, axis=0)
        std = np.nanstd(kept, axis=0)
        self.scales_ = np.where(std > 0, std, 1.0)
        self.imputed_ = np.isnan(kept).sum(axis=0)
        Z = self._prepare(kept)
        if self.n_clusters == "auto":
            self.selection_, k = self._choose_k(Z)
        else:
            k = int(self.n_clusters)
            self.selection_ = pd.DataFrame([self._row(Z, k, self._kmeans(k).fit_predict(Z))])
            self.reason_ = f"Het aantal groepen ({k}) is door de gebruiker gekozen."
        self.n_clusters_ = k
        self.kmeans_ = self._kmeans(k).fit(Z)
        self.kmeans_ = _sorted_by_size(self.kmeans_, Z)
        labels = np.full(arr.shape[0], -1)
        labels[keep] = self.kmeans_.predict(Z)
        self.labels_ = labels
        return self

    def _kmeans(self, k: int, n_init: int | None = None) -> KMeans:
        return KMeans(n_clusters=k, n_init=n_init or self.n_init, random_state=self.random_state)

    def _stability(self, Z: np.ndarray, labels: np.ndarray, k: int) -> float:
        rng = np.random.default_rng(self.random_state)
        n = len(Z)
        scores = []
        for _ in range(self.n_boot):
            idx = rng.integers(0, n, n)
            boot = self._kmeans(k, n_init=3).fit(Z[idx]).predict(Z)
            drawn = np.zeros(n, dtype=bool)
            drawn[idx] = True
            scores.append(best_match_jaccard(labels[drawn], boot[drawn], k, k))
        return float(np.mean(scores, axis=0).min())

    def _row(self, Z: np.ndarray, k: int, labels: np.ndarray) -> dict:
        sizes = np.bincount(labels, minlength=k)
        sil = silhouette_score(Z, labels, sample_size=min(len(Z), 3000), random_state=0) if k > 1 else np.nan
        return {"k": k, "silhouette": float(sil), "smallest_share": float(sizes.min() / len(Z)),
                "smallest_size": int(sizes.min()), "stability": np.nan, "bic": np.nan, "entropy": np.nan}

    def _choose_k(self, Z: np.ndarray) -> tuple[pd.DataFrame, int]:
        lo, hi = self.k_range
        hi = max(lo, min(hi, len(Z) // PEOPLE_PER_CLASS, len(np.unique(Z, axis=0)) - 1))
        rows, fits = [], {}
        for k in range(lo, hi + 1):
            fits[k] = self._kmeans(k).fit_predict(Z)
            rows.append(self._row(Z, k, fits[k]))
        table = pd.DataFrame(rows)
        for _, row in table.sort_values("silhouette", ascending=False).iterrows():
            k = int(row["k"])
            if row["smallest_size"] < min_class_size(len(Z)):  # too small to show (max(10, 2% of n))
                continue
            stab = self._stability(Z, fits[k], k)
            table.loc[table["k"] == k, "stability"] = stab
            if stab >= STABLE_CLASS:
                self.reason_ = (f"Gekozen: {k} groepen, de beste scheiding (silhouet {row['silhouette']:.2f}) "
                                f"met groepen die groot genoeg en stabiel zijn (Jaccard {stab:.2f}).")
                return table, k
        k = int(table.loc[table["silhouette"].idxmax(), "k"])
        self.reason_ = (f"Geen indeling was groot genoeg én stabiel; {k} groepen hebben de beste "
                        "scheiding. Lees deze profielen met voorzichtigheid.")
        return table, k

    def predict(self, X) -> np.ndarray:
        """Cluster per respondent; −1 when too many items are missing."""
        check_is_fitted(self)
        arr = validate_data(self, _frame_to_float(X), ensure_all_finite="allow-nan", dtype=float, reset=False)
        keep = self._keep(arr)
        labels = np.full(arr.shape[0], -1)
        if keep.any():
            labels[keep] = self.kmeans_.predict(self._prepare(arr[keep]))
        return labels

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True  # missing answers are handled in fit
        return tags

    def predict_proba(self, X) -> np.ndarray:
        """Hard membership as one-hot rows (k-means has no probabilities); NaN rows when left out."""
        labels = self.predict(X)
        proba = np.zeros((len(labels), self.n_clusters_))
        proba[np.arange(len(labels)), np.maximum(labels, 0)] = 1.0
        proba[labels < 0] = np.nan
        return proba


def _sorted_by_size(model: KMeans, Z: np.ndarray) -> KMeans:
    """Renumber clusters from large to small so that labels do not depend on start order."""
    sizes = np.bincount(model.predict(Z), minlength=model.n_clusters)
    order = np.argsort(-sizes, kind="stable")
    model.cluster_centers_ = model.cluster_centers_[order]
    return model
