"""k-means profiles on standardised numeric items, for teams that prefer distances.

k-means cannot handle gaps, so missing answers are handled in the open: respondents who
skipped too many items are left out (and counted), the remaining gaps are filled with
the item mean (and counted per item).

Choosing k keeps the rare group, as the LCA selection does (profiles.selection). The mean
silhouette is an average over people, so merging a small but real cluster into a big one
costs it almost nothing: in the truth benchmark the planted under-reached group (6% of
the respondents) lost to a merge by 0.002 to 0.02 silhouette in 6 of 15 runs. So every k
whose silhouette is within `SILHOUETTE_TOLERANCE` of the best counts as an equally good
separation, and the largest of them is tried first; it is taken when its smallest cluster
reaches the floor max(10, 2% of n) and the split comes back under bootstrap resampling
(the LCA rule: size-weighted mean Jaccard ≥ 0.6, fewer than two clusters dissolving, and
above the silhouette's own best k no large cluster may dissolve). Otherwise the next k is
tried, down to the plain best silhouette and then the rest by silhouette.
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
from profiles.selection import (
    MIN_PARTITION_STABILITY,
    PEOPLE_PER_CLASS,
    best_match_jaccard,
    min_class_size,
    partition_stable,
)
from profiles.wording import num_nl, people_nl
from surveys.errors import InputError

logger = logging.getLogger(__name__)

# silhouette differences this small do not tell two splits apart (the merge of a small
# real cluster costs 0.002–0.02 in the truth benchmark; a split of a real cluster 0.07+)
SILHOUETTE_TOLERANCE = 0.03


class KMeansProfiles(ClusterMixin, BaseEstimator):
    """k-means with explicit missing-data handling and k chosen by silhouette + stability.

    Parameters
    ----------
    n_clusters : int or "auto" (k from `k_range`: the largest k within SILHOUETTE_TOLERANCE of
        the best silhouette whose clusters are big enough and whose split is stable).
    k_range : smallest and largest k tried with "auto".
    max_missing : respondents with a larger share of missing items are left out (label −1).
    n_init, n_boot : k-means starts; bootstrap resamples for stability.
    random_state : seed; the same input gives the same labels.

    Attributes
    ----------
    means_, scales_ : per item, for imputation and standardising (from the kept rows).
    n_excluded_ : respondents left out; imputed_ : per item, the number of filled gaps.
    selection_ : table k, silhouette, smallest_share, stability, stability_mean, chosen, note;
        reason_ (Dutch). class_stability_ : per cluster of the chosen k, bootstrap Jaccard.
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
            raise InputError(f"Te weinig respondenten met genoeg antwoorden voor k-means "
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
            self.selection_["chosen"] = True
            self.reason_ = f"Het aantal groepen ({k}) is door de gebruiker gekozen."
        self.n_clusters_ = k
        self.kmeans_ = self._kmeans(k).fit(Z)
        self.kmeans_ = _sorted_by_size(self.kmeans_, Z)
        stability = self._stabilities.get(k) if self.n_clusters == "auto" else None
        # per cluster, in the size order of the final labels (the same seeded fit as in the table)
        self.class_stability_ = (np.ones(k) if stability is None
                                 else stability[_size_order(self.kmeans_.labels_, k)])
        labels = np.full(arr.shape[0], -1)
        labels[keep] = self.kmeans_.predict(Z)
        self.labels_ = labels
        return self

    def _kmeans(self, k: int, n_init: int | None = None) -> KMeans:
        return KMeans(n_clusters=k, n_init=n_init or self.n_init, random_state=self.random_state)

    def _stability(self, Z: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
        """Per cluster: mean best-match Jaccard over `n_boot` bootstrap refits."""
        rng = np.random.default_rng(self.random_state)
        n = len(Z)
        scores = []
        for _ in range(self.n_boot):
            idx = rng.integers(0, n, n)
            boot = self._kmeans(k, n_init=3).fit(Z[idx]).predict(Z)
            drawn = np.zeros(n, dtype=bool)
            drawn[idx] = True
            scores.append(best_match_jaccard(labels[drawn], boot[drawn], k, k))
        return np.mean(scores, axis=0)

    def _row(self, Z: np.ndarray, k: int, labels: np.ndarray) -> dict:
        sizes = np.bincount(labels, minlength=k)
        sil = silhouette_score(Z, labels, sample_size=min(len(Z), 3000), random_state=0) if k > 1 else np.nan
        return {"k": k, "silhouette": float(sil), "smallest_share": float(sizes.min() / len(Z)),
                "smallest_size": int(sizes.min()), "stability": np.nan, "stability_mean": np.nan,
                "bic": np.nan, "entropy": np.nan, "chosen": False, "note": ""}

    def _choose_k(self, Z: np.ndarray) -> tuple[pd.DataFrame, int]:
        """The largest k within SILHOUETTE_TOLERANCE of the best silhouette that is big
        enough and stable; then the rest by silhouette (see the module text)."""
        lo, hi = self.k_range
        hi = max(lo, min(hi, len(Z) // PEOPLE_PER_CLASS, len(np.unique(Z, axis=0)) - 1))
        rows, fits = [], {}
        self._stabilities: dict[int, np.ndarray] = {}
        for k in range(lo, hi + 1):
            fits[k] = self._kmeans(k).fit_predict(Z)
            rows.append(self._row(Z, k, fits[k]))
        table = pd.DataFrame(rows)
        floor = min_class_size(len(Z))
        best = int(table.loc[table["silhouette"].idxmax(), "k"])
        top = float(table["silhouette"].max())
        close = table[table["silhouette"] >= top - SILHOUETTE_TOLERANCE].sort_values("k", ascending=False)
        rest = table.drop(close.index).sort_values("silhouette", ascending=False)
        for _, row in pd.concat([close, rest]).iterrows():
            k, at = int(row["k"]), table.index[table["k"] == int(row["k"])][0]
            if row["smallest_size"] < floor:  # too small to show (max(10, 2% of n))
                table.loc[at, "note"] = (f"Bij {k} groepen heeft de kleinste groep "
                                         f"{people_nl(int(row['smallest_size']))}; een profiel heeft er "
                                         f"minstens {floor} nodig.")
                continue
            per_class = self._stability(Z, fits[k], k) if k > 1 else np.ones(1)
            self._stabilities[k] = per_class
            sizes = np.bincount(fits[k], minlength=k)
            ok, weighted = partition_stable(per_class, sizes, strict=k > best)
            table.loc[at, ["stability", "stability_mean"]] = [float(per_class.min()), weighted]
            if not ok:
                table.loc[at, "note"] = (f"Bij {k} groepen komt de indeling niet goed terug bij opnieuw "
                                         f"trekken (gemiddelde stabiliteit {num_nl(weighted)}, nodig "
                                         f"{num_nl(MIN_PARTITION_STABILITY)}).")
                continue
            if k == best:
                why = f"de beste scheiding (silhouet {num_nl(row['silhouette'])})"
            else:
                why = (f"een scheiding even goed als de beste (silhouet {num_nl(row['silhouette'])}, beste "
                       f"{num_nl(top)} bij {best} groepen; verschil onder {num_nl(SILHOUETTE_TOLERANCE)}), "
                       "met meer groepen, zodat een kleine groep niet wordt samengevoegd")
            self.reason_ = (f"Gekozen: {k} groepen, {why}. De groepen zijn groot genoeg en de indeling komt "
                            f"terug bij opnieuw trekken (gemiddelde stabiliteit {num_nl(weighted)}).")
            table.loc[at, ["chosen", "note"]] = [True, self.reason_]
            return table, k
        k = best
        self.reason_ = (f"Geen indeling was groot genoeg én stabiel; {k} groepen hebben de beste "
                        "scheiding. Lees deze profielen met voorzichtigheid.")
        table.loc[table["k"] == k, ["chosen", "note"]] = [True, self.reason_]
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


def _size_order(labels: np.ndarray, k: int) -> np.ndarray:
    """Cluster numbers from large to small (ties in numbering order)."""
    return np.argsort(-np.bincount(labels, minlength=k), kind="stable")


def _sorted_by_size(model: KMeans, Z: np.ndarray) -> KMeans:
    """Renumber clusters from large to small so that labels do not depend on start order."""
    sizes = np.bincount(model.predict(Z), minlength=model.n_clusters)
    order = np.argsort(-sizes, kind="stable")
    model.cluster_centers_ = model.cluster_centers_[order]
    return model
