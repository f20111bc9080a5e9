"""The Betrokkenheidskompas: an open, explainable two-axis typology.

Engagement (involvement in the buurt) × trust/influence, each the mean of its items on a
0–1 scale, split at the scale midpoint (not the median) so that buurten stay comparable.
A respondent needs enough answered items per axis; otherwise the profile is unknown
("onvoldoende antwoorden"), never guessed.

Neutral zone: a respondent whose scores on both axes lie within ±0.125 of the midpoint
(0.375–0.625: on a 1–5 scale a mean answer between 2.5 and 3.5, i.e. one that rounds to
"neutraal") is "Afwachtend midden", the
fifth profile, so a middle group that answers mostly "neutraal" shows as such instead of
being spread over the four corners. Outside that zone the quadrant follows each axis; a
score exactly on the midpoint of one axis counts as low there (neutral is not agreeing).
"""
from __future__ import annotations

import csv
import warnings
from functools import lru_cache

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClusterMixin
from sklearn.utils.validation import check_is_fitted

from profiles.items import DATA, scale_bounds, to_unit
from surveys.errors import InputError

INSUFFICIENT = "onvoldoende antwoorden"
MIDPOINT = 0.5
NEUTRAL_ZONE = 0.125  # half-width of the middle zone on the 0–1 axis scale (half an answer step on 1–5)
MIDDLE = 4
_TOL = 1e-9  # 0.4 and 0.6 themselves are inside the zone despite float rounding


@lru_cache(maxsize=1)
def quadrants() -> tuple[dict[str, str], ...]:
    """The five kompas profiles (id, engagement, trust, name, description) from data."""
    with open(DATA / "kompas.csv", encoding="utf-8") as fh:
        return tuple(csv.DictReader(fh))


def in_neutral_zone(score):
    """True where an axis score lies within ±NEUTRAL_ZONE of the midpoint."""
    return np.abs(np.asarray(score, dtype=float) - MIDPOINT) <= NEUTRAL_ZONE + _TOL


def kompas_ids(engagement, trust) -> np.ndarray:
    """0 Meebouwers, 1 Kritische betrokkenen, 2 Vertrouwende toeschouwers, 3 Op afstand,
    4 Afwachtend midden (both axes in the neutral zone)."""
    eng, tru = np.asarray(engagement, dtype=float), np.asarray(trust, dtype=float)
    corner = np.where(eng > MIDPOINT, 0, 2) + np.where(tru > MIDPOINT, 0, 1)
    return np.where(in_neutral_zone(eng) & in_neutral_zone(tru), MIDDLE, corner)


def quadrant_id(engagement: float, trust: float) -> int:
    """The kompas profile of one pair of axis scores (see `kompas_ids`)."""
    return int(kompas_ids(engagement, trust))


class KompasModel(ClusterMixin, BaseEstimator):
    """Five kompas profiles from engagement and trust items (four corners and the middle).

    Parameters
    ----------
    engagement_items, trust_items : column names of each axis (in X).
    reversed_items : items phrased negatively; mirrored before averaging.
    min_answered : answered items needed per axis (capped at the number of items).
    random_state : unused (the kompas is deterministic); kept for one API over all methods.

    Attributes
    ----------
    scales_ : {item: (lo, hi)} answer scale of each item; n_features_in_, feature_names_in_.

    `predict` gives 0..4, or −1 for "onvoldoende antwoorden".
    """

    def __init__(self, engagement_items: tuple[str, ...] = (), trust_items: tuple[str, ...] = (),
                 reversed_items: tuple[str, ...] = (), min_answered: int = 2,
                 random_state: int | None = 0) -> None:
        self.engagement_items = engagement_items
        self.trust_items = trust_items
        self.reversed_items = reversed_items
        self.min_answered = min_answered
        self.random_state = random_state

    def fit(self, X: pd.DataFrame, y=None) -> KompasModel:
        """Learn the answer scale of every item (1–5, 1–7, 1–10, …)."""
        if not self.engagement_items or not self.trust_items:
            raise InputError("Het kompas heeft minstens één vraag over betrokkenheid én één over "
                             "vertrouwen nodig. Kies de vragen voor beide assen.")
        missing = [c for c in (*self.engagement_items, *self.trust_items) if c not in X.columns]
        if missing:
            raise InputError("Deze vragen ontbreken in de antwoorden: " + ", ".join(missing))
        self.feature_names_in_ = np.asarray(X.columns, dtype=object)
        self.n_features_in_ = X.shape[1]
        self.scales_ = {c: scale_bounds(X[c]) for c in (*self.engagement_items, *self.trust_items)}
        self.labels_ = self.predict(X)
        return self

    def _axis(self, X: pd.DataFrame, items: tuple[str, ...]) -> np.ndarray:
        cols = []
        for col in items:
            lo, hi = self.scales_[col]
            unit = to_unit(pd.to_numeric(X[col], errors="coerce").to_numpy(dtype=float), lo, hi)
            cols.append(1.0 - unit if col in self.reversed_items else unit)
        mat = np.column_stack(cols)
        answered = (~np.isnan(mat)).sum(axis=1)
        need = min(self.min_answered, len(items))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN rows: handled below
            score = np.nanmean(mat, axis=1)
        return np.where(answered >= need, score, np.nan)

    def transform(self, X: pd.DataFrame) -> np.ndarray:
        """Axis scores (n, 2) on 0–1: engagement, trust (NaN when too few answers)."""
        check_is_fitted(self)
        return np.column_stack([self._axis(X, tuple(self.engagement_items)),
                                self._axis(X, tuple(self.trust_items))])

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        """Kompas profile 0..4 per respondent; −1 = onvoldoende antwoorden."""
        scores = self.transform(X)
        ok = ~np.isnan(scores).any(axis=1)
        labels = kompas_ids(np.where(ok, scores[:, 0], 0.0), np.where(ok, scores[:, 1], 0.0))
        return np.where(ok, labels, -1)

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        """One-hot membership (the kompas is a rule, not a probability); NaN rows when unknown."""
        labels = self.predict(X)
        proba = np.zeros((len(labels), len(quadrants())))
        proba[np.arange(len(labels)), np.maximum(labels, 0)] = 1.0
        proba[labels < 0] = np.nan
        return proba
